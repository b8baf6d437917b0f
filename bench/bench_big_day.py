"""A very big day: N files of one area changed in one day, each with an edit of its own (no bulk edit to fold),
through `digest update`, `digest render` and `digest build` (offline). Prints the seconds of each stage and the
size of the day's page, for two sizes, so that the growth can be read as a ratio within one run.

    python bench/bench_big_day.py                 # 20,000 and 5,000 files
    python bench/bench_big_day.py --sizes 2000    # one size
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PROJECT  # noqa: E402
from digest.project import copy_project  # noqa: E402

DAY = "2025-06-02"
AREA = "search"


def article(index: int, version: str) -> str:
    return (
        f"---\ntitle: Article {index}\nms.date: 01/01/2025\n---\n# Article {index}\n\n"
        f"Intro of article {index}.\n\n## Settings\n\n| Setting | Value |\n|---|---|\n| limit-{index} | {version} |\n\n"
        f"The `option-{index}` parameter {'is new in' if version == 'new' else 'is in'} version {version}.\n"
    )


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, stdout=subprocess.DEVNULL)


def make_repo(repo: Path, files: int) -> None:
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "bench@example.invalid")
    git(repo, "config", "user.name", "bench")
    for version, when in (("old", "2025-06-01T03:00:00+00:00"), ("new", f"{DAY}T03:00:00+00:00")):
        for index in range(files):
            path = repo / "articles" / AREA / f"part-{index // 1000:02d}" / f"article-{index:05d}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(article(index, version), encoding="utf-8")
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"{version} text of {files} articles", env=env)


def stage(root: Path, *args: str) -> float:
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "digest.cli", *args, "--root", str(root)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.monotonic() - started


def measure(files: int, work: Path) -> dict[str, float | int]:
    repo = work / f"repo-{files}"
    make_repo(repo, files)
    root = copy_project(PROJECT, work / f"project-{files}")
    update = stage(root, "update", "--repo", str(repo), "--since", DAY, "--until", DAY, "--summarizer", "offline")
    render = stage(root, "render")
    build = stage(root, "build")
    page = root / "public" / "en" / f"{DAY}-{AREA}" / "index.html"
    markdown = root / "site" / "en" / "posts" / f"{DAY}-{AREA}.md"
    return {
        "files": files, "update_s": round(update, 1), "render_s": round(render, 1), "build_s": round(build, 1),
        "total_s": round(update + render + build, 1), "page_mb": round(page.stat().st_size / 1e6, 2),
        "markdown_mb": round(markdown.stat().st_size / 1e6, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 5_000])
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="big-day-") as tmp:
        for files in args.sizes:
            result = measure(files, Path(tmp))
            results.append(result)
            print(json.dumps(result), flush=True)
    if len(results) == 2:
        big, small = sorted(results, key=lambda r: -int(r["files"]))
        ratio = (float(big["total_s"]) / float(small["total_s"])) / (int(big["files"]) / int(small["files"]))
        # 1.0 is linear; the target is at most 1.3 (time per file on the big day within 30% of the small day's)
        print(json.dumps({"time_per_file_ratio": round(ratio, 2), "target": "<= 1.3 and page <= 5 MB"}))


if __name__ == "__main__":
    main()
