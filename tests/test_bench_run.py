"""The benchmark runner works end to end in smoke mode (how fast is bench/'s business, not the tests')."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import PROJECT


def test_the_runner_writes_the_table_and_the_json(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "run.py"), "--smoke", "--output-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    data = json.loads((tmp_path / "bench" / "results.json").read_text(encoding="utf-8"))
    assert data["smoke"] is True and data["machine"]["cpus"]
    names = [row["name"] for row in data["results"]]
    for expected in ("parse alone (unidiff)", "local stages: parse, classify, offline summaries, render Markdown (1 process)",
                     "model stage, concurrency 1", "input tokens per file: this prompt vs the naive prompt",
                     "site build, both languages", "site build, both languages (one new day)",
                     "git: blobless clone + digest of the fixture range", "git: full clone + digest of the fixture range",
                     "include index: bootstrap on a blobless clone"):
        assert expected in names
    assert all(row["seconds"] >= 0 for row in data["results"])
    table = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "NOT the real figures" in table
    assert table.count("\n| ") >= len(names) + 1
