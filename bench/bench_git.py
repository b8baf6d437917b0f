"""Git: time and disk for the fixture range, blobless clone vs full clone of a URL.

The fixture bundle is served as a local bare repository over file:// (with
uploadpack.allowFilter, as GitHub serves filters), then `digest update`
clones it and digests the fixture's days.

    python bench/bench_git.py [--out results.json]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BUNDLE, PROJECT, Result, emit  # noqa: E402

RANGE = ["--since", "2025-02-03", "--until", "2025-02-28"]


def disk_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6, 2)


def serve_bundle(work: Path) -> str:
    bare = work / "azure-ai-docs.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(BUNDLE), str(bare)], check=True)
    subprocess.run(["git", "-C", str(bare), "config", "uploadpack.allowFilter", "true"], check=True)
    subprocess.run(["git", "-C", str(bare), "config", "uploadpack.allowAnySHA1InWant", "true"], check=True)
    return bare.as_uri()


def digest_update(url: str, root: Path, blobless: bool) -> float:
    for name in ("config", "templates"):
        shutil.copytree(PROJECT / name, root / name)
    if not blobless:
        # a full clone made up front: the same path then finds an existing clone and only fetches
        clone = root / ".digest" / "repos"
        clone.mkdir(parents=True)
        from digest.source.repo import clone_dir_for

        target = clone_dir_for(url, root / ".digest")
        started = time.perf_counter()
        subprocess.run(
            ["git", "clone", "-q", "--no-checkout", "--single-branch", "--branch", "main", url, str(target)], check=True
        )
    else:
        started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "digest.cli", "update", "--root", str(root), "--repo", url, *RANGE],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def run() -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        url = serve_bundle(work)
        for blobless in (True, False):
            root = work / ("blobless" if blobless else "full")
            seconds = digest_update(url, root, blobless)
            repos = root / ".digest" / "repos"
            results.append(
                Result(
                    name=f"git: {'blobless' if blobless else 'full'} clone + digest of the fixture range",
                    input="fixture bundle (30 commits, 12 days, 143 file changes) over file://",
                    seconds=round(seconds, 2),
                    throughput=f"{disk_mb(repos)} MB on disk",
                    extra={"disk_mb": disk_mb(repos)},
                )
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", help="write the JSON results here too")
    parser.add_argument("--smoke", action="store_true", help="accepted for symmetry: this benchmark is quick")
    emit(run(), parser.parse_args().out)


if __name__ == "__main__":
    main()
