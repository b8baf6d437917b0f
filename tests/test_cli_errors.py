"""User errors: one clear line on stderr, a non-zero exit code, no traceback; details with --verbose."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BUNDLE
from .gitrepo import RepoBuilder, utc


def digest(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "300", "TERM": "dumb"}
    return subprocess.run([sys.executable, "-m", "digest.cli", *args], cwd=cwd, capture_output=True, text=True, env=env)


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture
def small_repo(repo_builder: RepoBuilder) -> Path:
    repo_builder.write("articles/search/a.md", "a\n")
    repo_builder.commit("initial", utc(2025, 4, 1))
    return repo_builder.path


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--since", "2025-13-01"], "not a date"),
        (["--since", "2025-04-05", "--until", "2025-04-01"], "is before --since"),
        (["--days", "0"], "not a positive whole number"),
        (["--days", "3", "--since", "2025-04-01"], "either --days or --since"),
        (["--tz", "Mars/Olympus"], "unknown time zone"),
        (["--branch", "no-such-branch"], "unknown branch 'no-such-branch'"),
    ],
)
def test_bad_arguments(project: Path, small_repo: Path, args: list[str], expected: str) -> None:
    line = one_error_line(digest("run", "--repo", str(small_repo), *args, cwd=project))
    assert expected in line


def test_unreachable_and_missing_repositories(project: Path, tmp_path: Path) -> None:
    line = one_error_line(digest("run", "--repo", (tmp_path / "nowhere.git").as_uri(), cwd=project))
    assert "cannot read repository" in line
    line = one_error_line(digest("run", "--repo", "https://127.0.0.1:9/none.git", cwd=project))
    assert "cannot read repository" in line
    line = one_error_line(digest("run", "--repo", str(tmp_path / "missing"), cwd=project))
    assert "repository not found" in line


def test_unwritable_output(project: Path, small_repo: Path) -> None:
    if os.geteuid() == 0:
        # root ignores permission bits: make the data folder a file instead
        (project / "data").write_text("not a folder")
    else:
        project.chmod(0o555)
    try:
        line = one_error_line(digest("run", "--repo", str(small_repo), "--since", "2025-04-01", cwd=project))
    finally:
        project.chmod(0o755)
    assert "error:" in line and "data" in line


def test_verbose_shows_details(project: Path) -> None:
    result = digest("run", "--verbose", "--repo", str(project / "missing"), cwd=project)
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_a_second_run_waits_for_the_lock(project: Path) -> None:
    from filelock import FileLock

    (project / ".digest").mkdir()
    with FileLock(str(project / ".digest" / "lock")):
        line = one_error_line(digest("run", "--repo", str(BUNDLE), cwd=project))
    assert "another digest run" in line
