"""Crash safety: a run killed (SIGKILL) at any moment, then run again, gives the output of an uninterrupted run."""

from __future__ import annotations

import gzip
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import BUNDLE, make_project

ARGS = ["run", "--repo", str(BUNDLE), "--since", "2025-02-03", "--until", "2025-02-28"]
KILL_AFTER_SECONDS = (0.4, 0.9, 1.6, 2.4, 3.3, 4.5, 6.0)


def start(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "digest.cli", *ARGS], cwd=root,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "TERM": "dumb"},
    )


def tree(root: Path) -> dict[str, str]:
    """Every output file with a hash of its content (gzip files by their content, not their header time)."""
    files = {}
    for folder in ("data", "site", "public"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_file():
                data = path.read_bytes()
                if path.suffix == ".gz":
                    data = gzip.decompress(data)
                files[str(path.relative_to(root))] = hashlib.sha256(data).hexdigest()
    return files


def test_killed_runs_then_a_rerun_give_identical_output(tmp_path: Path) -> None:
    reference = make_project(tmp_path / "reference")
    assert start(reference).wait() == 0

    crashed = make_project(tmp_path / "crashed")
    killed = 0
    for delay in KILL_AFTER_SECONDS:
        process = start(crashed)
        time.sleep(delay)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed += 1
        process.wait()
    assert killed >= 4, "the runs finished before they could be killed: raise the delays' spread"
    assert start(crashed).wait() == 0

    expected, got = tree(reference), tree(crashed)
    assert sorted(got) == sorted(expected)
    assert got == expected
    assert not list(crashed.rglob(".*.tmp"))
