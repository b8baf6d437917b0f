"""The site benchmark runs (smoke mode) and reports time and peak memory per size."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import PROJECT


def test_bench_site_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    completed = subprocess.run(
        [sys.executable, str(PROJECT / "bench" / "bench_site.py"), "--smoke", "--out", str(out)],
        capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert [r["name"] for r in results] == ["site build, both languages", "site build, both languages (one new day)"]
    for result in results:
        assert result["seconds"] > 0 and result["peak_mb"] > 50
        assert result["extra"]["site_mb"] > 0 and result["extra"]["search_index_mb"] > 0
    assert results[1]["extra"]["site_mb"] > results[0]["extra"]["site_mb"]
