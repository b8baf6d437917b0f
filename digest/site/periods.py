"""Closed years built once: the daily MkDocs build reads the posts of the newest year only.

Rebuilding the whole history every day made the daily build grow with it (MkDocs read, keyed and wrote every
post). So when the posts span more than one calendar year (by the date in a post's file name), each
language's site is built per year: every *closed* year (all but the newest) in a build of its own that
reads that year's posts and diffs alone (hooks/periods.py drops the others from MkDocs' files), kept under
`.digest/page-cache/periods/<lang>/<year>-<key>/` (the workflow caches `.digest/page-cache`), and the
*open* year in the build that makes everything else: the home page, the month and area lists of the open
year, the about and search pages, the assets. The key is a hash of everything a closed year's pages are made
of (its posts and diffs, the settings, the theme's and the hooks' files, the library versions), so a closed
year is built again only when one of those changes; the open build then links every closed year's output
into the site (hard links) and its sitemap entries into the sitemap.

What a closed year keeps of its build: its digests (`<year>-MM-DD-<area>/`), its month lists
(`archive/<year>/`), its area lists, which its build writes to `area/<slug>/<year>/` (the open year's are
`area/<slug>/`), and its diffs. Its pages' navigation lists that year's areas and months; the open build's
navigation lists the months of every year (the closed ones as links), and each area list of the open year
links the lists of that area in the closed years. Neighbour links (`rel=prev/next`) stop at a year's end.
A history of one year is built in one build, as before.
"""

from __future__ import annotations

import gzip
import functools
import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from pathlib import Path

from digest.config import period_plan_file
from digest.fsutil import copy_tree
from digest.site.feeds import FeedItem, item_data, items_from_data, read_items

YEAR = re.compile(r"^(\d{4})-\d{2}-\d{2}-")
POSTS = "posts/"
DIFFS = "diffs/"
PERIODS = "periods"
SITE = "site"
URLS = "sitemap-urls.xml"
ITEMS = "items.json"
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")
SITEMAP_URL = re.compile(r"<url>\s*<loc>([^<]*)</loc>.*?</url>", re.DOTALL)


@dataclass(frozen=True)
class Plan:
    """One year's MkDocs build: which year, whether it is the open one and, for the open one, the closed years'
    months (`YYYY/MM`, newest first) and area lists (category slug -> years), per language."""

    year: int
    open: bool
    months: dict[str, list[str]] = field(default_factory=dict)
    areas: dict[str, dict[str, list[int]]] = field(default_factory=dict)


def load_plan() -> Plan | None:
    path = period_plan_file()
    if path is None:
        return None
    return Plan(**json.loads(Path(path).read_text(encoding="utf-8")))


def write_plan(path: Path, plan: Plan) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(plan), sort_keys=True), encoding="utf-8")
    return path


def year_of(name: str) -> int | None:
    """The year of a post or diff by its file name (`2025-02-03-openai.md`), None for another page."""
    match = YEAR.match(name)
    return int(match.group(1)) if match else None


def in_period(src_uri: str, plan: Plan) -> bool:
    """Whether a docs file belongs in the build of `plan`: posts and diffs of its year; the rest in the open build
    (and in every build the pages they all share: the home page, the about page, the assets)."""
    for folder in (POSTS, DIFFS):
        if src_uri.startswith(folder):
            year = year_of(src_uri[len(folder):])
            return year == plan.year or (year is None and plan.open)
    return True


def page_cache_folder(name: str) -> str:
    """hooks/pagecache.py's folder for a docs dir: one per year when a year is built alone."""
    plan = load_plan()
    return name if plan is None else f"{name}@{plan.year}"


def post_years(posts_dir: Path) -> list[int]:
    """The years of the posts, oldest first."""
    return sorted({year for path in posts_dir.glob("*.md") if (year := year_of(path.name)) is not None})


def file_hash(path: Path) -> bytes:
    """A build hashes the posts for its stamp (before and after) and for the closed years' keys: each file is
    read once, its hash kept by path, size and modification time."""
    stat = path.stat()
    return _hash_of(str(path), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=None)
def _hash_of(path: str, size: int, mtime_ns: int) -> bytes:
    return hashlib.sha256(Path(path).read_bytes()).digest()


def hash_files(digest: "hashlib._Hash", root: Path, paths: list[Path]) -> None:
    """Add each file under `paths` (files or folders; missing ones skipped) to `digest`: its path from `root`, its bytes."""
    for start in paths:
        files = sorted(p for p in start.rglob("*") if p.is_file()) if start.is_dir() else [start] if start.exists() else []
        for path in files:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(file_hash(path))


def period_key(root: Path, inputs: list[Path], lang_docs: Path, year: int, url: str) -> str:
    """What a closed year's pages are made of: the settings and theme (`inputs`), the language's shared pages,
    the year's posts and diffs, the site's address, the libraries and this file."""
    digest = hashlib.sha256(f"{year}\0{url}\0{'|'.join(version(name) for name in LIBRARIES)}\0".encode())
    digest.update(Path(__file__).read_bytes())
    hash_files(digest, root, inputs)
    for path in sorted(lang_docs.iterdir()):
        if path.name == "index.md":
            # the home page's list of areas changes with every new area: only its title is in a closed year's pages
            digest.update(b"".join(line for line in path.read_bytes().splitlines() if line.startswith(b"# ")))
        elif path.name not in (POSTS.strip("/"), DIFFS.strip("/")):
            hash_files(digest, root, [path])
    mine = [p for folder in (POSTS, DIFFS) for p in sorted((lang_docs / folder).glob(f"{year}-*"))]
    hash_files(digest, root, mine)
    return digest.hexdigest()[:32]


def kept_paths(built: Path, year: int) -> list[Path]:
    """What a closed year keeps of its build (relative paths): its digests, month lists, area lists and diffs."""
    found = [Path(p.name) for p in built.glob(f"{year}-*") if p.is_dir() and year_of(p.name) == year]
    found += [p.relative_to(built) for p in [built / "archive" / str(year), *built.glob(f"area/*/{year}")] if p.is_dir()]
    found += [p.relative_to(built) for p in built.glob(f"diffs/{year}-*")]
    return sorted(found)


def store_period(built: Path, entry: Path, year: int, url: str, posts_dir: Path) -> None:
    """Move a closed year's pages out of its build into its cache entry, with its sitemap entries and its posts'
    front matter (digest/site/feeds.py items: the feeds and history pages need every year's)."""
    partial = entry.with_name(entry.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    kept = kept_paths(built, year)
    for relative in kept:
        (partial / SITE / relative).parent.mkdir(parents=True, exist_ok=True)
        (built / relative).rename(partial / SITE / relative)
    prefixes = tuple(url + relative.as_posix() for relative in kept)
    sitemap = built / "sitemap.xml"
    text = sitemap.read_text(encoding="utf-8") if sitemap.exists() else ""
    urls = [match.group(0) for match in SITEMAP_URL.finditer(text) if match.group(1).startswith(prefixes)]
    partial.mkdir(parents=True, exist_ok=True)
    (partial / URLS).write_text("\n".join(urls), encoding="utf-8")
    items = read_items(posts_dir, lambda name: year_of(name) == year)
    (partial / ITEMS).write_text(json.dumps([item_data(item) for item in items], ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(entry, ignore_errors=True)
    partial.rename(entry)


def entry_plan(entries: list[Path]) -> tuple[list[str], dict[str, list[int]]]:
    """The closed years' months (`YYYY/MM`, newest first) and area lists (slug -> years, newest first)."""
    months: list[str] = []
    areas: dict[str, list[int]] = {}
    for entry in sorted(entries, key=lambda e: e.name, reverse=True):
        site = entry / SITE
        months += sorted((p.parent.name + "/" + p.name for p in site.glob("archive/*/[0-9][0-9]")), reverse=True)
        for folder in sorted(site.glob("area/*/[0-9][0-9][0-9][0-9]"), reverse=True):
            areas.setdefault(folder.parent.name, []).append(int(folder.name))
    return months, areas


def link_periods(entries: list[Path], site_root: Path) -> None:
    """Hard-link each closed year's pages into a language's built site, and its sitemap entries into the sitemap."""
    urls = []
    for entry in sorted(entries, key=lambda e: e.name, reverse=True):
        copy_tree(entry / SITE, site_root, merge=True)
        text = (entry / URLS).read_text(encoding="utf-8")
        urls += [text] if text else []
    sitemap = site_root / "sitemap.xml"
    if urls and sitemap.exists():
        text = sitemap.read_text(encoding="utf-8")
        at = text.rfind("</urlset>")
        merged = text[:at] + "\n".join(urls) + "\n" + text[at:]
        sitemap.write_text(merged, encoding="utf-8")
        (site_root / "sitemap.xml.gz").write_bytes(gzip.compress(merged.encode("utf-8"), mtime=0))


def site_items(posts_dir: Path, entries: list[Path]) -> list[FeedItem]:
    """Every digest of a language, newest first: the closed years' as their entries keep them, the others' read
    from their posts."""
    closed = {int(entry.name[:4]) for entry in entries}
    items = read_items(posts_dir, lambda name: year_of(name) not in closed)
    for entry in entries:
        items += items_from_data(json.loads((entry / ITEMS).read_text(encoding="utf-8")))
    return sorted(items, key=lambda item: (item.published, item.slug), reverse=True)


def forget_unused(periods_dir: Path, used: set[Path]) -> None:
    for entry in periods_dir.glob("*/*"):
        if entry not in used:
            shutil.rmtree(entry, ignore_errors=True)
