"""The model benchmark runs end to end on a tiny input (the numbers themselves are bench/'s business)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import CORPUS, PROJECT


def test_the_benchmark_runs_on_a_tiny_input(tmp_path: Path) -> None:
    out = tmp_path / "numbers.json"
    command = [sys.executable, str(PROJECT / "bench" / "bench_model.py"), "--delay", "0.01", "--levels", "1,2",
               "--max-files", "8", "--sample", "6", "--corpus", str(CORPUS / "gold-dev.jsonl"), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    numbers = json.loads(out.read_text(encoding="utf-8"))
    speed, tokens = numbers["speed"], numbers["tokens"]
    assert speed["files"] == 8 and speed["model_requests"] > 0
    assert [speed["levels"][level]["requests"] for level in ("1", "2")] == [speed["model_requests"]] * 2
    assert speed["levels"]["2"]["max_in_flight"] == 2 and speed["levels"]["1"]["speedup"] == 1.0
    assert speed["rerun_from_cache"]["requests"] == 0
    assert speed["rerun_from_cache"]["cache_hits"] == speed["model_requests"]
    sent = tokens["files_sent_to_the_model"]
    assert tokens["sample"] == 6 and sent["files"] > 0
    assert 0 < sent["mine_mean"] < sent["naive_mean"] and sent["ratio_of_means"] == numbers["targets"]["token_ratio"]
