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

BENCHMARKS = ("bench_local.py", "bench_model.py", "bench_site.py", "bench_git.py", "bench_includes.py")
# bench_model.py has flags of its own for a quick run
MODEL_SMOKE = ["--delay", "0.01", "--levels", "1,2", "--max-files", "8", "--sample", "6"]


def run_one(script: str, smoke: bool, out: Path) -> list[dict]:
    flags = (MODEL_SMOKE if script == "bench_model.py" else ["--smoke"]) if smoke else []
    command = [sys.executable, str(PROJECT / "bench" / script), "--out", str(out), *flags]
    print(f"running {script}{' (smoke)' if smoke else ''} ...", file=sys.stderr, flush=True)
    completed = subprocess.run(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if completed.returncode != 0:
        raise SystemExit(f"{script} failed:\n{completed.stderr[-3000:]}")
    data = json.loads(out.read_text(encoding="utf-8"))
    return model_rows(data, smoke) if script == "bench_model.py" else data


def model_rows(numbers: dict, smoke: bool) -> list[dict]:
    """bench_model.py's numbers as table rows: one per concurrency level, the cache rerun, the tokens."""
    speed, tokens, targets = numbers["speed"], numbers["tokens"], numbers["targets"]
    shape = f"{speed['files']} fixture files, {speed['model_requests']} model requests, {speed['delay_s'] * 1000:.0f} ms per request"
    rows = []
    for level, entry in speed["levels"].items():
        is_eight = level == "8"
        rows.append({
            "name": f"model stage, concurrency {level}",
            "input": shape,
            "seconds": entry["seconds"],
            "throughput": f"speedup {entry['speedup']}x (ideal {entry.get('ideal_speedup', 1.0)}x)",
            "peak_mb": None,
            "target": ">= 6x over concurrency 1" if is_eight else "",
            "met": targets["speedup_at_8_met"] if is_eight and not smoke else None,
            "extra": entry,
        })
    rerun = speed["rerun_from_cache"]
    rows.append({
        "name": "model stage, rerun from the cache",
        "input": shape,
        "seconds": rerun["seconds"],
        "throughput": f"{rerun['requests']} requests, {rerun['cache_hits']} cache hits",
        "peak_mb": None, "target": "0 requests", "met": rerun["requests"] == 0, "extra": rerun,
    })
    sent = tokens["files_sent_to_the_model"]
    rows.append({
        "name": "input tokens per file: this prompt vs the naive prompt",
        "input": f"{tokens['sample']} corpus records ({sent['files']} sent to the model), {tokens['encoding']}",
        "seconds": 0.0,
        "throughput": f"{sent['mine_mean']:,.0f} vs {sent['naive_mean']:,.0f} tokens per file ({sent['ratio_of_means']:.0%})",
        "peak_mb": None,
        "target": "<= 40% of the naive prompt",
        "met": targets["token_ratio_met"] if not smoke else None,
        "extra": tokens,
    })
    return rows


# what a reader of the table needs to know, by the start of a row's name
NOTES = {
    "local stages: parse, classify, offline summaries, render Markdown (1 process)":
        "one process misses the target by a few percent (and this machine's speed wanders by a fifth from run to run, "
        "hence the median of 3): the time is spread over classification (~half), summaries, rendering and parsing "
        "with no single hot spot left; `digest eval` shares whole days out to one process per CPU, the next row.",
    "local stages: parse, classify, offline summaries, render Markdown (":
        "the same work shared out by whole days to one process per CPU, as `digest eval --jobs` does; peak memory is "
        "that of one worker process.",
    "model stage, concurrency 16": "the test server answers every request after 300 ms; 99 of the fixture's 143 files "
        "need the model (routine and binary changes cost no request).",
    "input tokens per file": "the naive prompt: the same instructions, the whole GitHub file record as text and the two "
        "previous exchanges; ours: the rubric, the facts and the diff cut to a token budget on hunk boundaries.",
    "site build, both languages (one new day)": "the daily case: 1,000 digests present, one new day added, with the page "
        "cache of the previous build (`.digest/page-cache/`, kept between runs by the workflow's cache); without that "
        "cache it is a full build (the 1,000 row).",
    "git: full clone": "the fixture is tiny (30 commits): a full clone is one compact pack, while the blobless clone "
        "fetches the blobs a diff needs on demand in small packs, so here it is larger and slower. On "
        "azure-ai-docs (several GB of history, mostly images) the blobless clone fetches commits and trees only, "
        "then the Markdown blobs of each day's diff.",
    "include index: bootstrap": "a one-time cost on the first run; after that the index moves by the changed "
        "Markdown files of each day (next row).",
}


def note_for(name: str) -> str:
    return next((note for start, note in NOTES.items() if name.startswith(start)), "")


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
    notes = [(r["name"], note_for(r["name"])) for r in results if note_for(r["name"])]
    if notes:
        lines += ["", "## Notes", ""] + [f"- **{name}**: {note}" for name, note in notes]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny inputs: check the benchmarks work, not how fast")
    parser.add_argument("--only", nargs="*", help="run only these scripts (e.g. bench_local.py)")
    parser.add_argument("--output-dir", type=Path, default=PROJECT, help="where BENCHMARKS.md and bench/results.json go")
    parser.add_argument("--table-only", action="store_true", help="write BENCHMARKS.md again from bench/results.json")
    args = parser.parse_args()
    if args.table_only:
        saved = json.loads((args.output_dir / "bench" / "results.json").read_text(encoding="utf-8"))
        (args.output_dir / "BENCHMARKS.md").write_text(
            markdown(saved["results"], saved["machine"], saved["smoke"]), encoding="utf-8"
        )
        return
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
