"""Local stages over the dev corpus: parse alone, then parse -> classify -> offline summarize -> render Markdown.

    python bench/bench_local.py [--limit N] [--out results.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PROJECT, Result, emit, load_corpus, peak_mb  # noqa: E402

from digest.areas import load_area_config  # noqa: E402
from digest.classify import classify  # noqa: E402
from digest.config import Settings  # noqa: E402
from digest.diff import parse_patch  # noqa: E402
from digest.models import LANGS, DayRange  # noqa: E402
from digest.pipeline import build_day_records  # noqa: E402
from digest.render import render_post  # noqa: E402
from digest.summarize import OfflineSummarizer  # noqa: E402

TARGET_SECONDS = 20.0


def run(limit: int | None) -> list[Result]:
    records = load_corpus(limit)
    megabytes = sum(len((r["patch"] or "").encode("utf-8")) for r in records) / 1e6
    label = f"{len(records):,} files, {megabytes:.1f} MB of patches"

    started = time.perf_counter()
    for record in records:
        parse_patch(record["path"], record["status"], record["patch"])
    parse_seconds = time.perf_counter() - started

    settings = Settings(root=PROJECT)
    areas = load_area_config(settings.areas_file)
    summarizer = OfflineSummarizer(str(settings.templates_dir))
    templates = str(settings.templates_dir.resolve())
    started = time.perf_counter()
    by_post: dict[str, list] = defaultdict(list)
    for record in records:
        change = parse_patch(record["path"], record["status"], record["patch"])
        by_post[record["post"]].append((record, classify(change, areas)))
    pages = 0
    for items in by_post.values():
        first = items[0][0]
        classified = [change for _, change in items]
        summaries = summarizer.summarize_files(classified)
        day = DayRange(day=dt.date.fromisoformat(first["date"]), base=first["base"], head=first["head"], commits=[])
        for digest in build_day_records(settings, day, classified, summaries, {}, areas, summarizer):
            for lang in LANGS:
                render_post(templates, digest, lang)
                pages += 1
    full_seconds = time.perf_counter() - started
    memory = peak_mb()
    return [
        Result(
            name="parse alone (unidiff)",
            input=label,
            seconds=round(parse_seconds, 2),
            throughput=f"{len(records) / parse_seconds:,.0f} files/s, {megabytes / parse_seconds:.1f} MB/s",
            peak_mb=memory,
        ),
        Result(
            name="local stages: parse, classify, offline summaries, render Markdown",
            input=f"{label}; {pages:,} pages rendered",
            seconds=round(full_seconds, 2),
            throughput=f"{len(records) / full_seconds:,.0f} files/s, {megabytes / full_seconds:.1f} MB/s",
            peak_mb=memory,
            target=f"<= {TARGET_SECONDS:.0f} s over the whole corpus",
            met=full_seconds <= TARGET_SECONDS if limit is None else None,
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, help="only the first N corpus records")
    parser.add_argument("--smoke", action="store_true", help="a quick run on 200 records, to check the benchmark works")
    parser.add_argument("--out", help="write the JSON results here too")
    args = parser.parse_args()
    emit(run(200 if args.smoke else args.limit), args.out)


if __name__ == "__main__":
    main()
