"""The fixture site (the sample bundle's 12 days, both languages), built once per test session.

pytest-xdist runs each worker in its own process: the first worker to ask
builds the site under the session's shared temp folder, holding a file lock;
the others wait for it and reuse it.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from filelock import FileLock

from digest.cli import main

from .conftest import BUNDLE, make_project

# a base path below the host, to show the site works anywhere (served so in the browser tests)
HOST = "http://127.0.0.1:8000"
BASE_PATH = "/azure/ai-docs/"
SITE_URL = HOST + BASE_PATH
LANG_ROOT = {"ja": "", "en": "en/"}
RANGE = ["--since", "2025-02-03", "--until", "2025-02-28"]


def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project root of the built fixture site (its site is in public/)."""
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker's temp folder sits in the session's own folder
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "fixture-site" / "project"
    done = shared / "fixture-site" / "built"
    with FileLock(str(shared / "fixture-site.lock")):
        if not done.exists():
            make_project(root)
            code = main(["run", "--root", str(root), "--repo", str(BUNDLE), *RANGE, "--site-url", SITE_URL])
            assert code == 0, "the fixture site did not build"
            done.write_text("ok\n")
    return root


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page_url(public: Path, path: Path) -> str:
    """The address a static server gives a built file under the site's base path."""
    relative = path.relative_to(public).as_posix()
    relative = relative[: -len("index.html")] if relative.endswith("index.html") else relative
    return HOST + BASE_PATH + relative


def target(public: Path, base: str, href: str) -> Path | None:
    """The built file a link leads to, or None when it leaves the site."""
    url = urlsplit(urljoin(base, href))
    if f"{url.scheme}://{url.netloc}" != HOST or not url.path.startswith(BASE_PATH):
        return None
    path = public / url.path[len(BASE_PATH) :]
    return path / "index.html" if url.path.endswith("/") else path
