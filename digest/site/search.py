"""Search: Pagefind's chunked static index of the built site, a few bundles per language, written last.

Material's search sends a reader the whole index (16 MB per language at 1,000
digests) on the first query. Pagefind splits its index into small compressed
chunks and fetches only those a query's words need, plus the fragments of the
results shown. Its extended build segments Japanese text into words, so topic
words (移行, セキュリティ) reach the Japanese index. It runs over the whole
site after MkDocs and digest/site/history.py, once per language (the English pages
under en/ get bundles of their own), history pages included. What it indexes of a page is marked
`data-pagefind-body` (overrides/partials/content.html, the history pages), and
what it leaves out `data-pagefind-ignore` (empty sections) or EXCLUDED (diffs).

Pagefind has no incremental mode, and indexing every page again made the daily
build grow with the history. So each language's pages are split into GROUPS,
each a bundle of its own under `pagefind/<group>/`: the digests of the newest
year, the digests of all the years before it, and the other pages (history,
about). A group whose indexed text is the same as at the last build (its key: a
hash of each page's part from `data-pagefind-body` on) takes its bundle from
`.digest/page-cache/search/` (kept between runs with the page cache); a new day
re-indexes its year and the other pages only. `pagefind/bundles.json` lists the
bundles; templates/assets/search.js loads the first and merges the others in
(Pagefind's `mergeIndex`), three bundles at most, so a first query fetches
three small entries, not the whole index.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from digest.errors import DigestError
from digest.fsutil import copy_tree

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
MANIFEST = "bundles.json"
# each language's root in the built site (digest/site/build.py LANG_DIRS)
LANG_ROOTS = {"ja": "", "en": "en/"}
# a digest's folder is its date (YYYY-MM-DD-area); the other indexed pages: history pages and the about page
DIGEST_DIR = re.compile(r"^(\d{4})-\d{2}-\d{2}-")
OTHER_PAGES = ("history/*/index.html", "about/index.html")
# what no page's index holds: the diff sections (their lines are not in the page anyway) and their notes,
# each file's summary JSON (the same words as its title and explanation, with quotes and braces), and the words
# every digest repeats: the tables' heads, the lines counts, the link words of every file and commit
# (Microsoft Learn, GitHub, PR #n, History: what the links point to is in the heading and text beside them).
# They were ~8% of the bundles' bytes (200 generated digests: 2.70 -> 2.47 MB), the HTML keeps them.
# A history page is indexed by its title and path: the titles of its changes are the digests' own (indexed
# there), and leaving them out keeps its bundle the same when a change is added to it (UNINDEXED_HISTORY).
EXCLUDED = ("details[data-lines], details[data-items], .diff-skipped, .diff-noscript, pre.json, thead, ins, del, "
            'a[href^="https://"], a[href^="../history/"], '
            ".digest-history, .digest-history__links, .digest-history__note")
BODY_MARK = b"data-pagefind-body"
# an element's id in the pages as Pagefind reads them: none (ANCHORS). Pagefind keeps every element with an id
# as an anchor of its page's fragment (its text and place, for sub-results: ~25 a digest); the search page shows
# one result a page and no sub-result, and they were a quarter of the fragments' bytes (1.0 of 4.1 MB at 1,000
# digests). A text node holds no `<` (escaped), so a match is a tag's attribute.
# (the pages are minified: a value without white space has no quotes, digest/site/htmlmin.py)
ANCHORS = re.compile(rb"""(<[A-Za-z][A-Za-z0-9]*\b[^<>]*?)\sid=(?:"[^"]*"|[^\s"'=<>`]+)""")
UNINDEXED_HISTORY = re.compile(rb'<(ol|p) class="?digest-history(?:__links|__note)?(?=["\s>])[^>]*>.*?</\1>', re.DOTALL)
# a history page's changes, newest first, each with its day (`<time>2025-02-03</time>`)
FIRST_CHANGE = re.compile(rb"<time[^>]*>(\d{4})-\d{2}-\d{2}</time>")
# digests (and history pages, by their oldest change) of this many calendar years share a bundle; the newest
# year has one of its own, so a new day re-indexes that year only (a span of two re-indexed up to two years
# of digests every day); more years a bundle would mean fewer bundles to load, more to re-index
YEARS_PER_BUNDLE = 2
OTHER_GROUP = "pages"


@dataclass
class Group:
    """Pages indexed into one bundle: its name (the folder under pagefind/) and the pages, relative to the site."""

    name: str
    pages: list[str]


def pagefind_binary() -> Path:
    """The extended Pagefind binary (the one that segments Japanese), from the `pagefind[extended]` package."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]
    except ImportError as error:
        raise DigestError("the site's search needs Pagefind's extended build: pip install 'pagefind[extended]'") from error
    return Path(get_executable())


def epoch(year: int, newest: int) -> str:
    """The bundle of a year: the newest year alone, the years before it by YEARS_PER_BUNDLE."""
    if year >= newest:
        return str(year)
    first = year - year % YEARS_PER_BUNDLE
    return f"{first}-{min(first + YEARS_PER_BUNDLE - 1, newest - 1)}"


def first_change_year(page: Path) -> int | None:
    """The year of a history page's oldest change (its list is newest first), None when it names no date."""
    found = FIRST_CHANGE.findall(page.read_bytes())
    return int(found[-1]) if found else None


def groups(site_dir: Path, folder: str) -> list[Group]:
    """The language's indexed pages by group: the digests and history pages of each span of years, the rest."""
    root = site_dir / folder
    found: dict[str, list[str]] = {}
    digests = [(page, match) for page in root.glob("[0-9]*/index.html") if (match := DIGEST_DIR.match(page.parent.name))]
    newest = max((int(match.group(1)) for _, match in digests), default=0)
    for page, match in digests:
        found.setdefault(epoch(int(match.group(1)), newest), []).append(folder + page.parent.name + "/index.html")
    for pattern in OTHER_PAGES:
        for page in root.glob(pattern):
            year = first_change_year(page) if pattern.startswith("history/") else None
            found.setdefault(OTHER_GROUP if year is None else epoch(year, newest), []).append(folder + str(page.relative_to(root)))
    # the newest years first, the other pages last
    names = sorted((name for name in found if name != OTHER_GROUP), reverse=True) + [OTHER_GROUP] * (OTHER_GROUP in found)
    return [Group(name, sorted(found[name])) for name in names] or [Group(OTHER_GROUP, [])]


def indexed_part(data: bytes) -> bytes:
    """The bytes of a page Pagefind reads: from its indexed element on, less a history page's list of changes."""
    at = data.find(BODY_MARK)
    return UNINDEXED_HISTORY.sub(b"", data[at:]) if at >= 0 else b""


def group_key(site_dir: Path, lang: str, group: Group, binary_hash: str) -> str:
    """What the group's bundle depends on: Pagefind (its binary), its settings, and each page's indexed part."""
    key = hashlib.sha256(f"{binary_hash}\0{lang}\0{EXCLUDED}\0{ANCHORS.pattern!r}\0".encode())
    for page in group.pages:
        key.update(page.encode() + b"\0" + hashlib.sha256(indexed_part((site_dir / page).read_bytes())).digest())
    return key.hexdigest()


def without_ids(data: bytes) -> bytes:
    """A page as Pagefind reads it: the same text, no element's id (ANCHORS)."""
    return ANCHORS.sub(rb"\1", data)


def run_pagefind(binary: Path, site_dir: Path, lang: str, group: Group, output: Path) -> None:
    """Index the group's pages alone into `output` (Pagefind reads the pages a glob names: a list file would do),
    each page without its ids (without_ids)."""
    with tempfile.TemporaryDirectory(prefix="pagefind-") as temp:
        # Pagefind takes one glob: the group's pages are copied into a folder of their own, under their paths
        staged = Path(temp) / "site"
        for page in group.pages:
            target = staged / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(without_ids((site_dir / page).read_bytes()))
        command = [str(binary), "--site", str(staged), "--output-path", str(output), "--quiet",
                   "--exclude-selectors", EXCLUDED]
        completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        details = (completed.stderr or completed.stdout).strip().splitlines()
        raise DigestError(f"search index ({lang}, {group.name}, pagefind) failed: {details[-1] if details else 'no output'}")
    steady_entry(output / "pagefind-entry.json")
    drop_unused_bundle_files(output)


def index_site(site_dir: Path, cache_dir: Path | None = None) -> dict[str, int]:
    """Write each language's search bundles under `pagefind/` (Japanese) and `en/pagefind/` (English).

    The two languages side by side (one per core), each language's changed groups one after the other:
    Pagefind holds every page it indexes in memory, and the Japanese dictionary only in the Japanese runs.
    Returns how many groups were indexed and how many came from the cache.
    """
    binary = pagefind_binary()
    binary_hash = hashlib.sha256(binary.read_bytes()).hexdigest()
    with ThreadPoolExecutor(max_workers=len(LANG_ROOTS)) as pool:
        done = list(pool.map(lambda lang: index_language(site_dir, lang, binary, binary_hash, cache_dir), LANG_ROOTS))
    if cache_dir is not None:
        forget_unused(cache_dir, {path for _, used in done for path in used})
    drop_unused(site_dir)
    return {kind: sum(counts[kind] for counts, _ in done) for kind in ("indexed", "cached")}


def index_language(
    site_dir: Path, lang: str, binary: Path, binary_hash: str, cache_dir: Path | None
) -> tuple[dict[str, int], set[Path]]:
    folder = LANG_ROOTS[lang]
    counts = {"indexed": 0, "cached": 0}
    used: set[Path] = set()
    bundle_root = site_dir / folder / BUNDLE
    shutil.rmtree(bundle_root, ignore_errors=True)
    bundle_root.mkdir(parents=True)
    names = []
    for group in groups(site_dir, folder):
        if not group.pages:  # a language with no page yet: no bundle (the search page says it found nothing)
            continue
        started = time.monotonic()
        target = bundle_root / group.name
        cached = cache_dir / lang / f"{group.name}-{group_key(site_dir, lang, group, binary_hash)}" if cache_dir else None
        if cached is not None and (cached / "pagefind-entry.json").exists():
            copy_tree(cached, target)
            counts["cached"] += 1
        else:
            run_pagefind(binary, site_dir, lang, group, target)
            counts["indexed"] += 1
            if cached is not None:
                store(target, cached)
            log.info("indexed %d %s pages for search (%s) in %.1f s", len(group.pages), lang, group.name,
                     time.monotonic() - started)
        if cached is not None:
            used.add(cached)
        names.append(group.name)
    for name in names[1:]:  # after the cache's copies (a bundle first today may be merged tomorrow, and back)
        drop_unused_bundle_files(bundle_root / name, RUNTIME)
    (bundle_root / MANIFEST).write_text(json.dumps({"bundles": names}, separators=(",", ":")) + "\n", encoding="utf-8")
    return counts, used


def store(bundle: Path, cached: Path) -> None:
    """Keep a bundle for the next build; a half-written entry (a killed build) is never taken for one."""
    partial = cached.with_name(cached.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.parent.mkdir(parents=True, exist_ok=True)
    copy_tree(bundle, partial)
    shutil.rmtree(cached, ignore_errors=True)
    partial.rename(cached)


def forget_unused(cache_dir: Path, used: set[Path]) -> None:
    for lang_dir in (cache_dir / lang for lang in LANG_ROOTS):
        for entry in lang_dir.glob("*") if lang_dir.is_dir() else []:
            if entry not in used:
                shutil.rmtree(entry, ignore_errors=True)


# files no page asks for: Material's own search (its worker and lunr's languages), the theme's source maps
# (for a developer's tools), Pagefind's ready-made interfaces (templates/assets/search.js is the site's)
UNUSED = ("assets/javascripts/workers", "assets/javascripts/lunr", "assets/**/*.map")
UNUSED_IN_BUNDLE = ("pagefind-*ui*", "pagefind-highlight.js")
# what only the first bundle of a language needs: its script, worker and WebAssembly; the others are merged into it
# (Pagefind's mergeIndex loads a merged bundle's entry, meta, index chunks and fragments, never its runtime):
# ~155 KB a bundle, 0.62 MB of the 1,000-digest site's 7.8 MB of search files
RUNTIME = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")


def drop_unused_bundle_files(bundle: Path, patterns: tuple[str, ...] = UNUSED_IN_BUNDLE) -> None:
    for pattern in patterns:
        for path in bundle.glob(pattern):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def drop_unused(site_dir: Path) -> None:
    for root in (site_dir / folder for folder in LANG_ROOTS.values()):
        for pattern in UNUSED:
            for path in root.glob(pattern):
                shutil.rmtree(path) if path.is_dir() else path.unlink()


def steady_entry(path: Path) -> None:
    """Pagefind lists the languages in no fixed order: sorted, the same site gives the same bytes."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
