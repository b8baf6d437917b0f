"""Shared pieces of the benchmarks: paths, corpus loading, peak memory, result records."""

from __future__ import annotations

import json
import platform
import resource
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))  # digest and tests.support (the records the tests build too)

from digest.evaluate.corpus import read_jsonl  # noqa: E402 - the one corpus reader

SHARED = PROJECT.parent / "shared"
CORPUS = SHARED / "corpus" / "dev-files.jsonl"
BUNDLE = SHARED / "fixtures" / "azure-ai-docs-sample.bundle"


@dataclass
class Result:
    """One measured figure, as it appears in BENCHMARKS.md."""

    name: str
    input: str
    seconds: float
    throughput: str = ""
    peak_mb: float | None = None
    target: str = ""
    met: bool | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def peak_mb(include_children: bool = False) -> float:
    """Peak resident memory of this process (or of its waited-for children) in MB."""
    who = resource.RUSAGE_CHILDREN if include_children else resource.RUSAGE_SELF
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)


def load_corpus(limit: int | None = None) -> list[dict[str, Any]]:
    return read_jsonl(CORPUS, limit)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    import os

    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "git": subprocess.run(["git", "--version"], capture_output=True, text=True).stdout.strip(),
    }


def emit(results: list[Result], out: str | None) -> None:
    """Print the results as JSON (and write them to `out`)."""
    text = json.dumps([asdict(result) for result in results], ensure_ascii=False, indent=2)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    print(text)
    sys.stdout.flush()
