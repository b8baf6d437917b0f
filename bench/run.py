"""Run every benchmark and write BENCHMARKS.md and bench/results.json.

    python bench/run.py            # the full measurements (several minutes)
    python bench/run.py --smoke    # a quick pass that checks every benchmark works (CI)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PROJECT, machine  # noqa: E402

BENCHMARKS = ("bench_local.py", "bench_model.py", "bench_site.py", "bench_git.py")


def run_one(script: str, smoke: bool, out: Path) -> list[dict]:
    command = [sys.executable, str(PROJECT / "bench" / script), "--out", str(out)] + (["--smoke"] if smoke else [])
    print(f"running {script}{' (smoke)' if smoke else ''} ...", file=sys.stderr, flush=True)
    completed = subprocess.run(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"{script} failed:\n{completed.stderr[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def markdown(results: list[dict], about: dict, smoke: bool) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} with `python bench/run.py`{' --smoke (NOT the real figures)' if smoke else ''}.",
        "",
        f"Machine: {about['cpus']} CPUs ({about['cpu']}), {about['memory_gb']} GB memory, {about['system']}, "
        f"Python {about['python']}, {about['git']}.",
        "",
        "| what | input | time (s) | throughput | peak memory (MB) | target | met |",
        "|---|---|---:|---|---:|---|---|",
    ]
    for result in results:
        met = {True: "yes", False: "**no**", None: ""}[result.get("met")]
        peak = "" if result.get("peak_mb") is None else f"{result['peak_mb']:,.0f}"
        lines.append(
            f"| {result['name']} | {result['input']} | {result['seconds']:,.2f} | {result.get('throughput', '')} "
            f"| {peak} | {result.get('target', '')} | {met} |"
        )
    notes = [r for r in results if r.get("extra", {}).get("note")]
    if notes:
        lines += ["", "## Notes", ""] + [f"- **{r['name']}**: {r['extra']['note']}" for r in notes]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny inputs: check the benchmarks work, not how fast")
    parser.add_argument("--only", nargs="*", help="run only these scripts (e.g. bench_local.py)")
    parser.add_argument("--output-dir", type=Path, default=PROJECT, help="where BENCHMARKS.md and bench/results.json go")
    args = parser.parse_args()
    results: list[dict] = []
    with tempfile.TemporaryDirectory() as temp:
        for script in args.only or BENCHMARKS:
            results += run_one(script, args.smoke, Path(temp) / f"{script}.json")
    about = machine()
    (args.output_dir / "bench").mkdir(parents=True, exist_ok=True)
    (args.output_dir / "bench" / "results.json").write_text(
        json.dumps({"machine": about, "smoke": args.smoke, "results": results}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    (args.output_dir / "BENCHMARKS.md").write_text(markdown(results, about, args.smoke), encoding="utf-8")
    print(markdown(results, about, args.smoke))


if __name__ == "__main__":
    main()
