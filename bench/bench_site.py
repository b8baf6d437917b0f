"""Site build time and peak memory at scale: 100, 500 and 1,000 digests, then one new day on top.

Generated digest records of realistic size: ~15 files per digest, each file's patch drawn from the
real corpus (../shared/corpus/dev-files.jsonl: median ~1 KB, p99 ~32 KB), bilingual summary text of
the length the summarizers write. Each size gets its own project root; the records go through the
real render stage and the real site build (`digest build`, both languages), measured in a child
process so its peak RSS is the peak of the MkDocs builds.

    .venv/bin/python bench/bench_site.py --out bench-site.json            # 100, 500, 1000, +1 day
    .venv/bin/python bench/bench_site.py --smoke --out /tmp/smoke.json    # a few digests, for CI
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from digest.classify.areas import load_area_config  # noqa: E402
from digest.cli import main as digest_main  # noqa: E402
from digest.models import MODIFICATION_TYPES, Bilingual, BilingualList, Commit, DigestRecord, FileRecord, PageText  # noqa: E402
from digest.project import copy_project  # noqa: E402
from digest.record import write_record  # noqa: E402
from digest.summarize.changed_lines import MAX_LINE_CHARS, MAX_LINES  # noqa: E402
from digest.text import clip_words  # noqa: E402
from digest.evaluate.corpus import read_jsonl  # noqa: E402
from tests.support.records import REPO, digest_record, file_record  # noqa: E402

CORPUS = PROJECT.parent / "shared" / "corpus" / "dev-files.jsonl"
AREAS = ("openai", "search", "ai-foundry", "agents", "document-intelligence", "language", "speech",
         "machine-learning", "content-safety", "ai-services")
NOISE = ("metadata", "whitespace", "image", "toc", "bulk")
# the newest generated day: the daily case's new day is then an ordinary one, mid-month (the 1st of a month
# adds that month to every digest's navigation: all pages are rendered again) and mid-way through a search
# bundle of two years (digest/site/search.py YEARS_PER_BUNDLE: it holds a year and a half of digests, re-indexed)
LAST_DAY = dt.date(2025, 6, 14)
JA = "この変更では、ドキュメントの説明・手順・サンプルコードが更新されました。読者への影響を確認してください。"
EN = "This change updates the article's explanation, steps and sample code; check whether it affects you."


def load_corpus() -> list[dict[str, Any]]:
    return read_jsonl(CORPUS)


def make_file(rng: random.Random, entry: dict[str, Any], base: str, head: str) -> FileRecord:
    """One file of a generated digest, built by the tests' factory (tests/support/records.py)."""
    kind = rng.choice(MODIFICATION_TYPES)
    name = entry["path"].rsplit("/", 1)[-1]
    noise = rng.choice(NOISE) if rng.random() < 0.25 else "none"
    if noise != "none":
        kind = "minor update"  # a routine file is always one (digest/classify/rubric.py decide_type)
    explanation = Bilingual(ja=JA * rng.randint(1, 3), en=EN * rng.randint(1, 3))
    record = file_record(
        entry["path"], Bilingual(ja=f"{name} の説明を更新", en=f"Updated the explanation in {name}"), kind,
        status=entry["status"] if entry["status"] != "renamed" else "modified", additions=entry["additions"],
        deletions=entry["deletions"], patch=entry["patch"], noise=noise, explanation=explanation,
        prs=[rng.randint(1000, 9999)], base=base, head=head,
    )
    listed = detail_lines(entry["patch"] or "") if noise == "none" else []
    if listed:
        record.details = BilingualList(ja=listed, en=listed)
    return record


def detail_lines(patch: str) -> list[str]:
    """The file's "more changes" details as the offline summarizer lists them (summarize/changed_lines.py): its
    changed lines that hold a letter, each cut to that module's width, at most its number of lines. On the dev
    corpus this gives ~1.0 KB a file, as the offline summaries do (mean 975 characters a language)."""
    changed = [line[1:].strip() for line in patch.splitlines() if line[:1] in "+-" and re.search(r"[^\W_]", line[1:])]
    return [clip_words(line, MAX_LINE_CHARS) for line in changed[:MAX_LINES]]


_AREA_FILES: dict[tuple[int, str], list[dict[str, Any]]] = {}


def area_files(corpus: list[dict[str, Any]], area: str) -> list[dict[str, Any]]:
    """The corpus files a generated digest of `area` draws from: a path belongs to one area, as in real records
    (areas come from the path), so a file's history page names the same area whatever day changes it again."""
    key = (id(corpus), area)
    if key not in _AREA_FILES:
        index = AREAS.index(area) if area in AREAS else 0
        _AREA_FILES[key] = [entry for entry in corpus if zlib.crc32(entry["path"].encode()) % len(AREAS) == index] or corpus
    return _AREA_FILES[key]


def make_record(rng: random.Random, corpus: list[dict[str, Any]], day: dt.date, area: str, names: Any) -> DigestRecord:
    """One generated digest of realistic size, built by the tests' factory (tests/support/records.py)."""
    base, head = f"{rng.getrandbits(160):040x}", f"{rng.getrandbits(160):040x}"
    count = max(1, min(60, int(rng.lognormvariate(2.5, 0.6))))  # median ~12, mean ~15
    mine = area_files(corpus, area)
    files = [make_file(rng, rng.choice(mine), base, head) for _ in range(count)]
    pages = {
        lang: PageText(
            highlight=(JA if lang == "ja" else EN) + f" ({count})",
            new_features=[f.title.ja if lang == "ja" else f.title.en for f in files[:2]],
            breaking_changes=[],
            other_updates=[f.title.ja if lang == "ja" else f.title.en for f in files[2:8]],
            insight=(JA if lang == "ja" else EN) * 2,
        )
        for lang in ("ja", "en")
    }
    at = dt.datetime.combine(day, dt.time(3, 0), tzinfo=dt.UTC)
    subject = f"Update {files[0].path.rsplit('/', 1)[-1]}"
    return digest_record(
        files, day, area=area, area_name=names.name(area), base=base, head=head, pages=pages,
        commits=[Commit(sha=head, subject=subject, committed_at=at, pr=1234)],
    )


def generate(root: Path, count: int, corpus: list[dict[str, Any]], seed: int = 7) -> dt.date:
    """Write `count` records, one to three areas a day, going back from LAST_DAY; returns the last day."""
    rng = random.Random(seed)
    names = load_area_config(root / "config" / "areas.yml")
    last = day = LAST_DAY
    written = 0
    while written < count:
        for area in rng.sample(AREAS, rng.randint(1, 3))[: count - written]:
            write_record(root / "data" / "digests", make_record(rng, corpus, day, area, names))
            written += 1
        day -= dt.timedelta(days=1)
    return last


def make_root(parent: Path, name: str) -> Path:
    return copy_project(PROJECT, parent / name)


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (the two MkDocs builds run side by side)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    family, grew = {pid}, True
    while grew:
        grew = False
        for child_pid, parent in parents.items():
            if parent in family and child_pid not in family:
                family.add(child_pid)
                grew = True
    total = 0
    for member in family:
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1]) * resource.getpagesize()
        except (OSError, IndexError, ValueError):
            continue
    return total / 2**20


def measured(args: list[str]) -> dict[str, float]:
    """Run a `digest` command in a child process: wall time, and the peak of the summed RSS of its process tree."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_mb(process.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    seconds = time.monotonic() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"digest {' '.join(args)} failed:\n{stderr[-3000:]}")
    largest = json.loads(stdout.strip().splitlines()[-1])
    return {"seconds": round(seconds, 1), "peak_rss_mb": round(peak), **largest}


def child(args: list[str]) -> None:
    code = digest_main(args)
    if code != 0:
        raise SystemExit(code)
    own, waited = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # CPU time of the command and every process it waited for (MkDocs, Pagefind): steadier than wall time under load
    cpu = own.ru_utime + own.ru_stime + waited.ru_utime + waited.ru_stime
    print(json.dumps({"largest_process_rss_mb": max(waited.ru_maxrss, own.ru_maxrss) // 1024, "cpu_seconds": round(cpu, 1)}))


def site_size(public: Path) -> dict[str, Any]:
    """Bytes of the built site, of its search bundle (Pagefind's pagefind/, or a Material/Zensical index) and its largest file."""
    sizes = {p: p.stat().st_size for p in public.rglob("*") if p.is_file()}
    search = [size for p, size in sizes.items() if "pagefind" in p.relative_to(public).parts[:2] or p.name in ("search_index.json", "search.json")]
    largest = max(sizes, key=sizes.__getitem__, default=None)
    return {
        "site_mb": round(sum(sizes.values()) / 2**20, 1),
        "search_index_mb": round(sum(search) / 2**20, 1),
        "largest_file": {"path": str(largest.relative_to(public)), "mb": round(sizes[largest] / 2**20, 2)} if largest else None,
    }


def history_cost(root: Path) -> dict[str, Any]:
    """Four full builds of the same site without the page cache: with, without, without, with the history pages.

    The order cancels a load that drifts during the run (a shared machine): the time compared is each
    setting's mean over its two builds.
    """
    rows: dict[str, Any] = {}
    seconds: dict[str, list[float]] = {"with_history": [], "without_history": []}
    for name in ("with_history", "without_history", "without_history", "with_history"):
        os.environ.update({"DIGEST_PAGE_CACHE": "off", "DIGEST_HISTORY_PAGES": "on" if name == "with_history" else "off"})
        try:
            rows[name] = {"build": measured(["build", "--root", str(root), "--force"]), **site_size(root / "public"),
                          "history_pages": sum(1 for _ in (root / "public" / "history").glob("*/index.html"))}
            seconds[name].append(rows[name]["build"]["seconds"])
        finally:
            for variable in ("DIGEST_PAGE_CACHE", "DIGEST_HISTORY_PAGES"):
                os.environ.pop(variable, None)
    with_, without = rows["with_history"], rows["without_history"]
    rows["build_seconds"] = seconds
    rows["added_time"] = round(sum(seconds["with_history"]) / sum(seconds["without_history"]) - 1, 3)
    rows["added_size"] = round(with_["site_mb"] / without["site_mb"] - 1, 3)
    return rows


def zensical_build(root: Path) -> dict[str, Any]:
    """The same site built again with Zensical (DIGEST_SITE_BUILDER=zensical), in the same run, for comparison."""
    os.environ["DIGEST_SITE_BUILDER"] = "zensical"
    try:
        build = measured(["build", "--root", str(root), "--force"])
    finally:
        os.environ.pop("DIGEST_SITE_BUILDER", None)
    return {"build": build, **site_size(root / "public")}


def search_costs(public: Path) -> list[dict[str, Any]]:
    """First-query bytes per language in Chromium (bench/search_probe.py): a topic word, a common word."""
    sys.path.insert(0, str(PROJECT / "bench"))
    from search_probe import probe

    rows = probe(public, {"": ["移行", "セキュリティ", "更新"], "en/": ["migration", "security", "update"]})
    return [{key: row[key] for key in ("lang", "word", "bytes", "requests", "largest", "status")} for row in rows]


def restored_caches() -> list[str]:
    """What the daily workflow restores of `.digest/` before it builds (its actions/cache/restore step's paths)."""
    workflow = yaml.safe_load((PROJECT / ".github" / "workflows" / "daily.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    paths = [step["with"]["path"] for step in steps if str(step.get("uses", "")).startswith("actions/cache/restore@")]
    return [line.strip().removeprefix(".digest/") for text in paths for line in text.splitlines() if line.strip()]


def as_on_a_runner(root: Path) -> None:
    """The project as the daily job finds it: no built site (`public/` is uploaded, never restored) and of
    `.digest/` only what the workflow restores (the page cache, the model cache, the docs clone)."""
    shutil.rmtree(root / "public", ignore_errors=True)
    kept = restored_caches()
    for path in (root / ".digest").iterdir():
        if not any(path.match(pattern) for pattern in kept):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def bench_size(
    parent: Path, corpus: list[dict[str, Any]], count: int, add_day: bool, with_history_cost: bool = False,
    extras: tuple[str, ...] = (), like_runner: bool = False,
) -> list[dict[str, Any]]:
    root = make_root(parent, f"n{count}")
    last = generate(root, count, corpus)
    results = []
    render = measured(["render", "--root", str(root)])
    build = measured(["build", "--root", str(root), "--force"])
    results.append({"digests": count, "render": render, "build": build, **site_size(root / "public")})
    print(json.dumps(results[-1]), file=sys.stderr)
    if "search" in extras:
        results[-1]["search_first_query"] = search_costs(root / "public")
        print(json.dumps(results[-1]["search_first_query"], ensure_ascii=False), file=sys.stderr)
    if with_history_cost:
        results[-1]["history_cost"] = history_cost(root)
        print(json.dumps(results[-1]["history_cost"]), file=sys.stderr)
    if add_day:
        rng = random.Random(99)
        names = load_area_config(root / "config" / "areas.yml")
        day = last + dt.timedelta(days=1)
        new = rng.sample(AREAS, 2)
        for area in new:
            write_record(root / "data" / "digests", make_record(rng, corpus, day, area, names))
        render = measured(["render", "--root", str(root)])
        if like_runner:
            as_on_a_runner(root)
        build = measured(["build", "--root", str(root)])
        results.append({"digests": count + len(new), "case": f"{count} + one new day ({len(new)} digests)",
                        "like_runner": like_runner,
                        "render": render, "build": build, **site_size(root / "public")})
        print(json.dumps(results[-1]), file=sys.stderr)
    if "zensical" in extras:
        results[0]["zensical"] = zensical_build(root)
        print(json.dumps(results[0]["zensical"]), file=sys.stderr)
    return results


def as_results(rows: list[dict[str, Any]], smoke: bool) -> list[dict[str, Any]]:
    """The rows in the shape bench/run.py collects (name, input, seconds, peak_mb, target, met, extra)."""
    results = []
    for row in rows:
        build, render = row["build"], row["render"]
        added = "case" in row
        target = "<= 30 s, <= 2 GB" if added else ("<= 180 s, <= 2 GB" if row["digests"] >= 1000 else "")
        limit = 30 if added else 180
        met = None if smoke or not target else build["seconds"] <= limit and build["peak_rss_mb"] <= 2048
        results.append({
            "name": "site build, both languages" + (" (one new day)" if added else ""),
            "input": row.get("case", f"{row['digests']} digests"),
            "seconds": build["seconds"],
            "throughput": f"{row['digests'] / build['seconds']:.1f} digests/s",
            "peak_mb": build["peak_rss_mb"],
            "target": target,
            "met": met,
            "extra": {"render_seconds": render["seconds"], "render_peak_mb": max(render["peak_rss_mb"], render["largest_process_rss_mb"]),
                      "largest_process_mb": build["largest_process_rss_mb"], "site_mb": row["site_mb"],
                      "search_index_mb": row["search_index_mb"], "largest_file": row.get("largest_file"),
                      "site_kb_per_digest": round(row["site_mb"] * 1024 / row["digests"], 1),
                      **{key: row[key] for key in ("history_cost", "search_first_query", "zensical") if key in row}},
        })
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,500,1000", help="digest counts, comma-separated")
    parser.add_argument("--smoke", action="store_true", help="a few digests only (CI)")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--keep", type=Path, help="build under this folder and keep it")
    parser.add_argument("--search-bytes", action="store_true",
                        help="at the largest size, measure a first search query per language in Chromium")
    parser.add_argument("--daily-each", action="store_true",
                        help="the one-new-day case at every size, not only the largest (its growth with the history)")
    parser.add_argument("--like-runner", action="store_true",
                        help="before the one-new-day build, leave only what the daily workflow restores (no public/)")
    parser.add_argument("--zensical", action="store_true", help="at the largest size, build again with Zensical")
    parser.add_argument("--history-cost", action="store_true",
                        help="at the largest size, build again with and without the history pages (no page cache)")
    parser.add_argument("--size-only", action="store_true",
                        help="the full builds only, without the one new day on top (for the site's bytes)")
    args = parser.parse_args()
    sizes = [6] if args.smoke else [int(size) for size in args.sizes.split(",")]
    corpus = load_corpus()
    parent = args.keep or Path(tempfile.mkdtemp(prefix="bench-site-"))
    try:
        rows = []
        for index, count in enumerate(sizes):
            last = index == len(sizes) - 1
            extras = tuple(name for name, wanted in (("search", args.search_bytes), ("zensical", args.zensical)) if wanted and last)
            rows.extend(bench_size(parent, corpus, count, add_day=(last or args.daily_each) and not args.size_only,
                                   with_history_cost=last and args.history_cost, extras=extras,
                                   like_runner=args.like_runner))
    finally:
        if not args.keep:
            shutil.rmtree(parent, ignore_errors=True)
    text = json.dumps(as_results(rows, args.smoke), ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
