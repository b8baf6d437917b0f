"""Local stages over the dev corpus: parse alone, then parse -> classify -> offline summarize -> render Markdown.

Each corpus report is one day of the pipeline (digest.pipeline.digest_changes, then
digest.render.pages.render_posts). The stages run in one process, then shared out to one
process per CPU by whole days, as `digest eval` does.

    python bench/bench_local.py [--limit N] [--repeat 3] [--out results.json]
    python bench/bench_local.py --seams [--limit N] [--repeat 3]

`--seams` (issue 10) measures, in one process and one run, unidiff's PatchSet alone over the corpus
patches and the offline path `digest eval --jobs 1` takes (parse, classify, bulk edits, offline
summaries: digest.evaluate.predict.predict), and reports their ratio (target: at most 6x).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import unidiff

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PROJECT, Result, emit, load_corpus, peak_mb  # noqa: E402

from digest.classify.areas import load_area_config  # noqa: E402
from digest.config import Settings  # noqa: E402
from digest.diff import parse_patch  # noqa: E402
from digest.evaluate.corpus import EvalRecord  # noqa: E402
from digest.evaluate.predict import predict  # noqa: E402
from digest.models import DayRange  # noqa: E402
from digest.pipeline import digest_changes  # noqa: E402
from digest.render.pages import render_posts  # noqa: E402
from digest.summarize import OfflineSummarizer  # noqa: E402

TARGET_SECONDS = 20.0
SEAMS_TARGET_RATIO = 6.0


def digest_days(days: list[list[dict[str, Any]]]) -> int:
    """The local stages for some corpus reports; returns the number of pages rendered."""
    settings = Settings(root=PROJECT)
    areas = load_area_config(settings.areas_file)
    summarizer = OfflineSummarizer(str(settings.templates_dir))
    templates = str(settings.templates_dir.resolve())
    pages = 0
    for items in days:
        first = items[0]
        changes = [parse_patch(r["path"], r["status"], r["patch"]) for r in items]
        day = DayRange(day=dt.date.fromisoformat(first["date"]), base=first["base"], head=first["head"], commits=[])
        for digest in digest_changes(settings.tracked, day, changes, {}, areas, summarizer):
            pages += len(render_posts(templates, digest))
    return pages


def in_processes(days: list[list[dict[str, Any]]], jobs: int) -> int:
    chunks: list[list[list[dict[str, Any]]]] = [[] for _ in range(jobs * 4)]
    for day in sorted(days, key=len, reverse=True):
        min(chunks, key=lambda chunk: sum(len(d) for d in chunk)).append(day)
    with ProcessPoolExecutor(jobs) as pool:
        return sum(pool.map(digest_days, [chunk for chunk in chunks if chunk]))


def timed(work: Any, repeat: int) -> tuple[float, list[float], Any]:
    """The median of `repeat` runs (this machine's speed wanders by a fifth from run to run)."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        times.append(round(time.perf_counter() - started, 2))
    return statistics.median(times), times, result


def run(limit: int | None, repeat: int, jobs: int) -> list[Result]:
    records = load_corpus(limit)
    megabytes = sum(len((r["patch"] or "").encode("utf-8")) for r in records) / 1e6
    label = f"{len(records):,} files, {megabytes:.1f} MB of patches"
    by_post: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_post[record["post"]].append(record)
    days = list(by_post.values())

    parse_seconds, parse_runs, _ = timed(
        lambda: [parse_patch(r["path"], r["status"], r["patch"]) for r in records], repeat
    )
    one_seconds, one_runs, pages = timed(lambda: digest_days(days), repeat)
    memory = peak_mb()
    many_seconds, many_runs, _ = timed(lambda: in_processes(days, jobs), repeat)
    whole = limit is None

    def rate(seconds: float) -> str:
        return f"{len(records) / seconds:,.0f} files/s, {megabytes / seconds:.1f} MB/s"

    return [
        Result(name="parse alone (unidiff)", input=label, seconds=parse_seconds, throughput=rate(parse_seconds),
               peak_mb=memory, extra={"runs": parse_runs}),
        Result(
            name="local stages: parse, classify, offline summaries, render Markdown (1 process)",
            input=f"{label}; {pages:,} pages rendered", seconds=one_seconds, throughput=rate(one_seconds),
            peak_mb=memory, target=f"<= {TARGET_SECONDS:.0f} s", met=one_seconds <= TARGET_SECONDS if whole else None,
            extra={"runs": one_runs},
        ),
        Result(
            name=f"local stages: parse, classify, offline summaries, render Markdown ({jobs} processes)",
            input=f"{label}; {pages:,} pages rendered", seconds=many_seconds, throughput=rate(many_seconds),
            peak_mb=peak_mb(include_children=True), target=f"<= {TARGET_SECONDS:.0f} s",
            met=many_seconds <= TARGET_SECONDS if whole else None,
            extra={"runs": many_runs, "jobs": jobs},
        ),
    ]


def patch_set_alone(records: list[dict[str, Any]]) -> int:
    """unidiff over each corpus patch, with the two header lines a patch needs and nothing else."""
    files = 0
    for record in records:
        if record["patch"]:
            files += len(unidiff.PatchSet(f"--- a/{record['path']}\n+++ b/{record['path']}\n{record['patch']}\n"))
    return files


def cpu_timed(work: Any, repeat: int) -> tuple[float, list[float]]:
    """The median CPU time of this process over `repeat` runs: the ratio of two figures holds on a shared machine."""
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(round(time.process_time() - started, 2))
    return statistics.median(times), times


def seams(limit: int | None, repeat: int) -> list[Result]:
    """The offline eval path against unidiff alone, in one process, as a ratio of CPU times (issue 10)."""
    raw = load_corpus(limit)
    records = [EvalRecord.model_validate(record) for record in raw]
    areas = load_area_config(Settings(root=PROJECT).areas_file)
    summarizer = OfflineSummarizer(str(Settings(root=PROJECT).templates_dir))
    label = f"{len(records):,} files"
    # the short figure is the noisier one: at least 5 runs of it
    unidiff_seconds, unidiff_runs = cpu_timed(lambda: patch_set_alone(raw), max(repeat, 5))
    offline_seconds, offline_runs = cpu_timed(lambda: predict(records, areas, summarizer, jobs=1), repeat)
    ratio = offline_seconds / unidiff_seconds
    return [
        Result(name="unidiff PatchSet alone (1 process, CPU time)", input=label, seconds=unidiff_seconds, extra={"runs": unidiff_runs}),
        Result(
            name="offline eval path: parse, classify, offline summaries (1 process, CPU time)", input=label, seconds=offline_seconds,
            throughput=f"{ratio:.1f}x unidiff alone", target=f"<= {SEAMS_TARGET_RATIO:.0f}x unidiff alone",
            met=ratio <= SEAMS_TARGET_RATIO, extra={"runs": offline_runs, "ratio": round(ratio, 2)},
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, help="only the first N corpus records")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for the parallel figure")
    parser.add_argument("--smoke", action="store_true", help="a quick run on 200 records, to check the benchmark works")
    parser.add_argument("--out", help="write the JSON results here too")
    parser.add_argument("--seams", action="store_true", help="only the offline eval path against unidiff alone (issue 10)")
    args = parser.parse_args()
    if args.smoke:
        args.limit, args.repeat = 200, 1
    emit(seams(args.limit, args.repeat) if args.seams else run(args.limit, args.repeat, args.jobs), args.out)


if __name__ == "__main__":
    main()
