"""Signals and file modes: SIGTERM or SIGINT during the site build stops both MkDocs builds before `digest` exits
and lets go of its lock, and leaves the last complete site in place; the files a run writes are readable."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from filelock import FileLock

from digest.cli import main

from .conftest import make_project
from .gitrepo import RepoBuilder, utc


def children(pid: int) -> list[int]:
    """The live processes whose parent is `pid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("signals")
    b = RepoBuilder(base / "repo")
    b.write("articles/search/index.md", "# Search\n")
    b.commit("initial", utc(2025, 3, 1))
    for day in range(2, 6):
        b.write(f"articles/search/page-{day}.md", f"# Page {day}\n\nText of day {day}.\n")
        b.commit(f"Day {day}", utc(2025, 3, day))
    root = make_project(base / "project")
    previous = os.umask(0o022)
    try:
        assert main(["run", "--root", str(root), "--repo", str(b.path), "--since", "2025-03-01", "--until", "2025-03-05"]) == 0
    finally:
        os.umask(previous)
    return root


def test_output_files_have_the_normal_modes(built: Path) -> None:
    public = built / "public"
    for path in (public / "feed.xml", public / "en" / "feed.xml", public / "feed-search.xml", public / "index.html"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path
    for path in [*(built / "data").rglob("*.json"), *(built / "site").rglob("*.md")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_both_builds_before_the_lock_is_let_go(built: Path, signum: int) -> None:
    before = (built / "public" / "feed.xml").read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "digest.cli", "build", "--root", str(built), "--force"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    builds: list[int] = []
    deadline = time.monotonic() + 60
    while len(builds) < 2 and time.monotonic() < deadline and process.poll() is None:
        builds = children(process.pid)
        time.sleep(0.05)
    assert len(builds) == 2, "the two MkDocs builds never ran side by side"
    time.sleep(0.3)  # well inside the builds
    process.send_signal(signum)
    _out, err = process.communicate(timeout=60)
    still_running = [pid for pid in builds if alive(pid)]
    assert not still_running, f"builds left running after digest exited: {still_running}"
    assert process.returncode == 128 + signum, err
    assert "stopped by" in err
    with FileLock(str(built / ".digest" / "lock"), timeout=0):
        pass  # free, and no build is writing any more
    # the last complete site is untouched; nothing half-built is left behind
    assert (built / "public" / "feed.xml").read_bytes() == before
    assert (built / "public" / "en" / "index.html").exists()
    assert not (built / ".digest" / "build").exists()
    assert not list(built.rglob(".*.tmp"))
