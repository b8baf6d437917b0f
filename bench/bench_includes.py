"""What building the include reverse index costs on a blobless clone, and what one day's update costs.

No network is used: a synthetic repository shaped like azure-ai-docs (Markdown articles and include
files with real corpus text, PNG media that must never be fetched) is served over file:// with
uploadpack.allowFilter, so the clone is a real partial clone and every blob read is a real fetch
from the promisor remote. Run:

    .venv/bin/python bench/bench_includes.py [--articles 9000] [--includes 3000] [--images 6000] [--smoke] [--out F]

It prints the clone time, the bootstrap time (one batched fetch + one cat-file pass), the bytes
fetched, the index size, and the time to move the index over a day that changed 20 files.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import Result, emit  # noqa: E402

from digest.source.blobs import list_files, missing_blobs  # noqa: E402
from digest.docsrepo.includes import advance, bootstrap, save_index  # noqa: E402
from digest.evaluate.corpus import iter_jsonl  # noqa: E402
from digest.source.repo import open_source  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "dev-files.jsonl"


def filler(limit: int = 4000) -> list[str]:
    """Real documentation lines from the corpus patches, to give blobs a realistic size and compression."""
    lines: list[str] = []
    for _, entry in iter_jsonl(CORPUS):
        patch = entry.get("patch") or ""
        lines += [text[1:] for text in patch.split("\n") if text[:1] in "+ " and len(text) > 20]
        if len(lines) > limit * 20:
            break
    return lines


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout


def build_origin(path: Path, articles: int, includes: int, images: int, text: list[str], rng: random.Random) -> None:
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.name", "bench")
    git(path, "config", "user.email", "bench@example.invalid")
    git(path, "config", "uploadpack.allowFilter", "true")
    services = [f"svc{n:02d}" for n in range(20)]
    include_paths = [f"articles/{rng.choice(services)}/includes/part-{n}.md" for n in range(includes)]
    for path_text in include_paths:
        target = path / path_text
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(rng.choices(text, k=rng.randint(5, 40))) + "\n", encoding="utf-8")
    for n in range(articles):
        service = rng.choice(services)
        body = ["---", f"title: Article {n}", "ms.service: bench", "---", "", f"# Article {n}", ""]
        body += rng.choices(text, k=rng.randint(20, 120))
        for include in rng.sample(include_paths, k=rng.randint(0, 3)):
            body.append(f"[!INCLUDE [part](../{Path(include).relative_to('articles').as_posix()})]")
        target = path / "articles" / service / f"article-{n}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(body) + "\n", encoding="utf-8")
    for n in range(images):
        target = path / "articles" / rng.choice(services) / "media" / f"image-{n}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(20_000, 120_000)))
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "bootstrap state")


def change_a_day(path: Path, rng: random.Random, text: list[str], count: int = 20) -> None:
    markdown = sorted(path.glob("articles/*/article-*.md"))
    for target in rng.sample(markdown, k=count):
        target.write_text(target.read_text(encoding="utf-8") + "\n".join(rng.choices(text, k=5)) + "\n", encoding="utf-8")
    git(path, "commit", "-qam", "a day of edits")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=9000)
    parser.add_argument("--includes", type=int, default=3000)
    parser.add_argument("--images", type=int, default=6000)
    parser.add_argument("--smoke", action="store_true", help="a small repository, to check the benchmark works")
    parser.add_argument("--out", help="write the results as JSON here too")
    args = parser.parse_args()
    if args.smoke:
        args.articles, args.includes, args.images = 300, 100, 100
    results: list[Result] = []
    shape = f"synthetic blobless clone: {args.articles:,} articles, {args.includes:,} includes, {args.images:,} images"
    rng = random.Random(6)
    text = filler()
    work = Path(tempfile.mkdtemp(prefix="include-bench-"))
    try:
        origin = work / "origin"
        origin.mkdir()
        started = time.monotonic()
        build_origin(origin, args.articles, args.includes, args.images, text, rng)
        print(f"origin built: {args.articles} articles, {args.includes} includes, {args.images} images "
              f"in {time.monotonic() - started:.1f} s", file=sys.stderr)

        started = time.monotonic()
        source = open_source(origin.as_uri(), "main", work / "digest")
        head = source.repo.git.rev_parse(source.ref)
        print(f"blobless clone: {time.monotonic() - started:.1f} s, "
              f"{len(missing_blobs(source, head))} of {len(list_files(source, head))} blobs not fetched", file=sys.stderr)

        started = time.monotonic()
        index = bootstrap(source, str(origin), head)
        elapsed = time.monotonic() - started
        stats = index._stats
        index_file = work / "includes.json"
        save_index(index_file, index)
        still_missing = missing_blobs(source, head)
        images_not_fetched = sum(1 for e in list_files(source, head) if e.path.endswith(".png") and e.oid in still_missing)
        print(f"bootstrap: {elapsed:.1f} s; {stats.blobs} Markdown files read, {stats.fetched} fetched in one request, "
              f"{stats.bytes / 1e6:.1f} MB; index {index_file.stat().st_size / 1e6:.2f} MB "
              f"({len(index.includes)} files include others); images still not fetched: {images_not_fetched}", file=sys.stderr)

        change_a_day(origin, rng, text)
        source = open_source(origin.as_uri(), "main", work / "digest")
        new_head = source.repo.git.rev_parse(source.ref)
        before = index._stats.blobs
        started = time.monotonic()
        advance(index, source, str(origin), new_head)
        update_seconds = time.monotonic() - started
        print(f"one day's update: {update_seconds:.2f} s, {index._stats.blobs - before} files read", file=sys.stderr)
        results = [
            Result(
                name="include index: bootstrap on a blobless clone",
                input=shape,
                seconds=round(elapsed, 2),
                throughput=f"{stats.blobs:,} Markdown files read, {stats.fetched:,} fetched in one request, "
                f"{stats.bytes / 1e6:.1f} MB; index {index_file.stat().st_size / 1e6:.2f} MB; "
                f"{images_not_fetched:,} of {args.images:,} images never fetched",
            ),
            Result(
                name="include index: one day's update (20 changed files)",
                input=shape,
                seconds=round(update_seconds, 2),
                throughput=f"{index._stats.blobs - before} files read",
            ),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    emit(results, args.out)


if __name__ == "__main__":
    main()
