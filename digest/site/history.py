"""Pages written after the site build: one history page per changed file, one page per followed change type.

A docs repository changes thousands of files in a year: as MkDocs pages their
histories would cost more to build than the digests themselves, and each would
repeat ~13 KB of theme chrome. So MkDocs builds one shell page
(`history/_shell.md`, written by digest/render/pages.py, template overrides/history.html)
with the site's header and three marks. A change-type page is that shell with the
marks replaced; a history page is a lean page of its own that takes the shell's
stylesheet links and language links. Every such page sits two folders deep
(`history/<slug>/`, `type/<slug>/`), as deep as the shell, so the shell's
relative links hold for all of them.

Everything comes from the posts' front matter (digest/site/feeds.py read_items),
whose strings are already HTML-escaped (digest/render/pages.py file_entries).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import logging
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from digest.docsrepo.paths import is_image_path
from digest.site.feeds import FEED_TYPES, FeedItem
from digest.fsutil import link_all, write_bytes_atomic, write_text_atomic
from digest.site.htmlmin import minify
from digest.site.history_index import INDEX_URL, render_index
from digest.render.templating import environment

log = logging.getLogger(__name__)

SHELL = "history/_shell"
TITLE_MARK = "DIGESTSHELLTITLE"
DESCRIPTION_MARK = "DIGESTSHELLDESCRIPTION"
BODY_MARK = "<p>DIGESTSHELLBODY</p>"
# the change types with a page of their own (the list pages' filters link them)
TYPE_PAGES = ("breaking-change", "new-feature", "bug-fix")
ARTICLES = "articles/"
# digests per change-type page: all of them on one page made a 1.3 MB page at 1,000 digests
TYPE_PAGE_LENGTH = 100
UNSAFE_SLUG = re.compile(r"[^A-Za-z0-9._-]")


def history_slug(path: str) -> str:
    """A file's history page name, one folder deep: `articles/a/b.md` -> `a~b.md` (other roots start with ~).

    Characters a URL would have to encode (and `~` itself) become `_`, with a
    short hash of the path so that two such paths never share a page.
    """
    inside = path.startswith(ARTICLES)
    parts = (path[len(ARTICLES):] if inside else path).split("/")
    safe_parts = [UNSAFE_SLUG.sub("_", part) for part in parts]
    safe = "~".join(safe_parts).lstrip(".")
    if safe_parts != parts or safe != "~".join(parts):
        safe = f"{safe}-{hashlib.sha256(path.encode()).hexdigest()[:8]}"
    return safe if inside else "~" + safe


def type_page_url(kind: str, number: int) -> str:
    """A change-type page's address: `type/<kind>/`, then `type/<kind>-2/`, … (two folders deep, as the shell)."""
    return f"type/{kind}/" if number == 1 else f"type/{kind}-{number}/"


def has_history(path: str) -> bool:
    """Whether a file gets a history page: every article, include and other text file, no image.

    A reader follows articles, not screenshots, and images were a seventh of
    the history pages (bench/bench_site.py at 1,000 digests).
    """
    return not is_image_path(path)


def history_url(path: str) -> str:
    """The history page's address relative to the language's root."""
    return f"history/{history_slug(path)}/"


@dataclass(frozen=True)
class Change:
    """One change of one file: the digest it is in, its entry there, and whether this page is its old path."""

    item: FeedItem
    entry: dict[str, str]
    old_side: bool = False


def histories(items: list[FeedItem]) -> dict[str, list[Change]]:
    """Every file's changes, newest first (as `items` are), keyed by its path; a rename counts under both paths.

    Only the files that have a history page (has_history) are kept.
    """
    found: dict[str, list[Change]] = {}
    for item in items:
        for entry in item.files:
            path = html.unescape(entry.get("path", ""))
            if path and has_history(path):
                found.setdefault(path, []).append(Change(item, entry))
            old = html.unescape(entry.get("old_path", ""))
            if old and old != path and has_history(old):
                found.setdefault(old, []).append(Change(item, entry, old_side=True))
    return found


def read_shell(site_dir: Path) -> str | None:
    shell = site_dir / SHELL / "index.html"
    return shell.read_text(encoding="utf-8") if shell.exists() else None


def stamp(shell: str, url: str, title: str, description: str, body: str) -> str:
    """The shell page made into the page at `url` (the title and description escaped, the body finished HTML)."""
    return (
        shell.replace(f"{SHELL}/", url)
        .replace(TITLE_MARK, title)
        .replace(DESCRIPTION_MARK, description)
        .replace(BODY_MARK, body)
    )


def head_links(shell: str) -> str:
    """The shell's stylesheet and icon links (the built site's hashed file names), for the history pages: no feed
    link (a tenth of each history page; the digests, the lists and the about page announce the feeds)."""
    # (the shell is minified: a value without white space has no quotes, digest/site/htmlmin.py)
    return "\n".join(re.findall(r'<link rel="?(?:stylesheet|icon)(?=["\s>])[^>]*>', shell))


def language_links(shell: str) -> list[tuple[str, str]]:
    """The shell's language switcher links (overrides/partials/alternate.html), as (language, href)."""
    return [(code, href) for href, code in re.findall(r'<a href="?([^"\s>]*)"? hreflang="?([a-z-]+)', shell)]


def write_page(folder: Path, text: str) -> None:
    """A page of the site being built, minified (digest/site/htmlmin.py, as MkDocs' pages are: no pass over the
    whole site after the build): plain writes, as the whole build replaces public/ in one rename (site.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(minify(text), encoding="utf-8")


@dataclass
class PageCache:
    """History pages kept between builds (`.digest/page-cache/history/<lang>/`, saved with the page cache), each
    by a key of all it is made of: its changes, the shell's links, the templates and this file. A new day renders
    the histories of the files it changed, and links the others' pages from here; the entries no build used go."""

    folder: Path
    salt: bytes
    used: set[Path] = field(default_factory=set)

    @classmethod
    def of(cls, folder: Path, templates_dir: Path) -> PageCache:
        salt = hashlib.sha256(Path(__file__).read_bytes())
        for path in [templates_dir / "labels.j2", *sorted((templates_dir / "pages").glob("*"))]:
            salt.update(path.name.encode() + b"\0" + path.read_bytes())
        return cls(folder, salt.digest())

    def entry(self, parts: Any) -> Path:
        key = hashlib.sha256(self.salt + json.dumps(parts, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        path = self.folder / key[:2] / f"{key}.html"
        self.used.add(path)
        return path

    def store(self, path: Path, text: str) -> None:
        """No fsync: an entry lost with the machine is rendered again; a half-written one never has its name."""
        write_text_atomic(path, text, sync=False)

    def forget_unused(self) -> None:
        for path in self.folder.glob("*/*"):
            if path not in self.used:
                path.unlink(missing_ok=True)


def change_key(change: Change) -> list[Any]:
    """What a history page shows of one change (pages/history.html.j2)."""
    item = change.item
    return [item.slug, item.published.isoformat(), item.area_name, change.entry, change.old_side]


def write_cached_page(folder: Path, render: Callable[[], str], cache: PageCache | None, parts: Any,
                      links: list[tuple[Path, Path]]) -> None:
    """A page rendered, or (its cache entry, its place) added to `links` when its key is in the cache (kept
    minified: digest/site/htmlmin.py); the caller links them all at once (fsutil.link_all)."""
    if cache is None:
        write_page(folder, render())
        return
    entry = cache.entry(parts)
    if not entry.exists():
        cache.store(entry, minify(render()))
    folder.mkdir(parents=True, exist_ok=True)
    links.append((entry, folder / "index.html"))


def write_site_pages(items: list[FeedItem], site_dir: Path, lang: str, templates_dir: Path, cache_dir: Path | None = None,
                     with_histories: bool = True) -> int:
    """Write every history page and change-type page of one language's built site; returns how many.

    With `cache_dir`, history pages are kept there between builds (PageCache); `with_histories=False`
    (DIGEST_HISTORY_PAGES=off) leaves the article history pages out."""
    shell = read_shell(site_dir)
    if shell is None:
        log.warning("no %s page in the %s site: no history pages written", SHELL, lang)
        return 0
    env = environment(str(templates_dir.resolve()))
    labels: dict[str, Any] = env.get_template("labels.j2").module.labels[lang]  # type: ignore[attr-defined]
    history = env.get_template("pages/history.html.j2")
    written = 0
    head, languages = head_links(shell), language_links(shell)
    found = histories(items) if with_histories else {}
    cache = PageCache.of(cache_dir, templates_dir) if cache_dir is not None else None
    links: list[tuple[Path, Path]] = []
    for path, changes in found.items():
        url = history_url(path)
        here = [(code, href.replace(f"{SHELL}/", url)) for code, href in languages]
        render = partial(
            history.render, lang=lang, path=html.escape(path), changes=changes, head=head, languages=here,
            title=html.escape(labels["history_title"].format(name=path.rsplit("/", 1)[-1]), quote=True),
            # the base name, not the path: the page shows the path; in the description it was ~0.2 MB at 1,000 digests
            description=html.escape(
                labels["history_description"].format(path=path.rsplit("/", 1)[-1], count=len(changes)), quote=True
            ),
        )
        write_cached_page(site_dir / url, render, cache, [lang, path, head, here, [change_key(c) for c in changes]], links)
        written += 1
    link_all(links)
    if cache is not None:
        cache.forget_unused()
    if found:
        shell_languages = [(code, href.replace(f"{SHELL}/", INDEX_URL)) for code, href in languages]
        write_page(site_dir / INDEX_URL, render_index(env, lang, found, history_url, head, shell_languages, labels))
        written += 1
    glance = env.get_template("pages/type.html.j2")
    for kind in TYPE_PAGES:
        chosen = [item for item in items if item.counts.get(kind)]
        name = labels["types"][kind.replace("-", " ")]
        description = html.escape(labels["type_description"].format(type=name, count=len(chosen)), quote=True)
        pages = [chosen[at : at + TYPE_PAGE_LENGTH] for at in range(0, len(chosen), TYPE_PAGE_LENGTH)] or [[]]
        for number, page_items in enumerate(pages, start=1):
            url = type_page_url(kind, number)
            around = {"newer": type_page_url(kind, number - 1) if number > 1 else "",
                      "older": type_page_url(kind, number + 1) if number < len(pages) else ""}
            body = glance.render(lang=lang, kind=kind, items=page_items, type_pages=TYPE_PAGES, feed=FEED_TYPES.get(kind, ""),
                                 number=number, count=len(pages), around=around)
            write_page(site_dir / url, stamp(shell, url, html.escape(name), description, body))
            written += 1
    shutil.rmtree(site_dir / SHELL, ignore_errors=True)
    drop_from_sitemap(site_dir)
    log.info("wrote %d %s history and change-type page(s)", written, lang)
    return written


def drop_from_sitemap(site_dir: Path) -> None:
    """The shell is no page of its own: out of the sitemap and its gzipped copy."""
    sitemap = site_dir / "sitemap.xml"
    if sitemap.exists():
        text = sitemap.read_text(encoding="utf-8")
        trimmed = re.sub(r"\s*<url>\s*<loc>[^<]*/" + re.escape(SHELL) + r"/</loc>.*?</url>", "", text, flags=re.DOTALL)
        if trimmed != text:
            write_text_atomic(sitemap, trimmed)
            write_bytes_atomic(site_dir / "sitemap.xml.gz", gzip.compress(trimmed.encode("utf-8"), mtime=0))
