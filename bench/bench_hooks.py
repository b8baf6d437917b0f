"""What each MkDocs hook saves (hooks/*.py docstrings): the Japanese build of one generated site, with and without
each hook, CPU time of the `mkdocs build` process (a shared machine's wall time is noise).

    .venv/bin/python bench/bench_hooks.py 200 /tmp/hooks     # generated records as bench/bench_site.py makes them

Rows: all hooks, without blog_speed, without minify (and the whole-site minify pass it replaces), then the page
cache: a warm build after one new day against the same build with DIGEST_PAGE_CACHE=off.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(PROJECT / "bench"))

import bench_site  # noqa: E402
from digest.classify.areas import load_area_config  # noqa: E402
from digest.record import write_record  # noqa: E402
from digest.site.htmlmin import minify_site  # noqa: E402

def cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def config_without(root: Path, dropped: str | None) -> Path:
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    if dropped:
        text = text.replace(f"  - {dropped}\n", "")
    path = root / f"mkdocs.{(dropped or 'all').replace('/', '_')}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def site_bytes(site: Path) -> int:
    return sum(p.stat().st_size for p in site.rglob("*") if p.is_file())


def build(root: Path, dropped: str | None, cache: bool, name: str) -> dict[str, object]:
    site = root / "out" / name
    env = {**os.environ, "DIGEST_SITE_URL": "http://127.0.0.1:8000/", "NO_MKDOCS_2_WARNING": "1",
           "DIGEST_PAGE_CACHE": "on" if cache else "off"}
    before, started = cpu_children(), time.monotonic()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config_without(root, dropped)),
                    "--site-dir", str(site)], cwd=root, env=env, check=True)
    row = {"name": name, "cpu_s": round(cpu_children() - before, 1), "wall_s": round(time.monotonic() - started, 1),
           "peak_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, "site_mb": round(site_bytes(site) / 2**20, 2)}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    count, parent = int(sys.argv[1]), Path(sys.argv[2])
    root = parent / f"hooks-{count}"
    if not root.exists():
        bench_site.make_root(root.parent, root.name)
        last = bench_site.generate(root, count, bench_site.load_corpus())
        subprocess.run([str(Path(sys.executable).parent / "digest"), "render", "--root", str(root)], check=True)
        (root / "last-day").write_text(last.isoformat())
    rows = [build(root, None, False, "all-hooks"), build(root, "hooks/blog_speed.py", False, "no-blog_speed")]
    rows.append(build(root, "hooks/minify.py", False, "no-minify"))
    started = time.process_time()
    minify_site(root / "out" / "no-minify")
    rows.append({"name": "minify_site pass after the no-minify build", "cpu_s": round(time.process_time() - started, 1)})
    print(json.dumps(rows[-1]), flush=True)
    # page cache: a warm build after one new day, against the same build without the cache
    build(root, None, True, "cache-fill")
    rng = random.Random(99)
    names = load_area_config(root / "config" / "areas.yml")
    day = dt.date.fromisoformat((root / "last-day").read_text()) + dt.timedelta(days=1)
    for area in rng.sample(bench_site.AREAS, 2):
        write_record(root / "data" / "digests", bench_site.make_record(rng, bench_site.load_corpus(), day, area, names))
    subprocess.run([str(Path(sys.executable).parent / "digest"), "render", "--root", str(root)], check=True)
    rows.append(build(root, None, True, "new-day-cache-warm"))
    rows.append(build(root, None, False, "new-day-cache-off"))
    (root / "results.json").write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
