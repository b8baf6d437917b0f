"""A project root: the files that make a digest site besides its generated data."""

from __future__ import annotations

import shutil
from pathlib import Path

# what `digest` reads from a project root (data/, site/, public/ and .digest/ it writes itself)
PROJECT_FILES = ("mkdocs.yml", "mkdocs.en.yml", "templates", "config", "overrides", "hooks")


def copy_project(source: Path, target: Path) -> Path:
    """A new project root at `target` with the project files of `source` (for tests and benchmarks)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        path = source / name
        if path.is_dir():
            shutil.copytree(path, target / name)
        elif path.exists():
            shutil.copy2(path, target / name)
    return target
