"""MkDocs hook: reuse the HTML of a digest whose Markdown is the same as at the last build.

The whole history is rebuilt every day (`mkdocs build --dirty` leaves the
search index, the feeds and the home page incomplete), and converting the
Markdown of the posts is most of a build. That conversion is a pure function
of the post's Markdown (after the other hooks), its address and the Markdown
settings, so its result is kept under `.digest/page-cache/<docs dir>/`, keyed
by a hash of exactly those inputs and of the library versions: a day added to
a thousand digests converts only the new posts, and every page is still built
in full, so the output is the same as a build without the cache. Posts whose
links lead to other pages of the site are not kept (their HTML depends on
those pages too); digests link only outside the site and to their own anchors.
(Search is Pagefind's, indexed after the build: digest/site/search.py.)

The whole page of a digest is kept too ("page-" entries): rendering the theme's
templates around it was most of what a day on a long history still cost. Its key
holds everything of the page the templates read (its HTML, contents, title,
front matter, address, neighbours, areas, date), the navigation every page shows
(titles and addresses), the site's settings and the theme's templates (the
custom_dir's files, the library versions); a page whose key is found is written
as it was, the others are rendered and kept. `memo` renders a part all digests
share once per build (overrides/partials/nav.html).
`DIGEST_PAGE_CACHE=off` turns the cache off; entries no build used are removed.

Measured (2026-12-04, bench/bench_hooks.py, CPU time of `mkdocs build` on the shared 2-core machine): one new
day (2 digests) on 200 generated digests, Japanese build, cache warm from the previous build: 2.3 s, against 9.0 s
with `DIGEST_PAGE_CACHE=off` (-74%), the same site. It pays.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

import mkdocs.commands.build as mkdocs_build
from mkdocs import utils
from mkdocs.structure.nav import Link, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

from digest.config import page_cache
from digest.site.periods import page_cache_folder

POSTS = "posts/"
_original_render = Page.render
_original_build_page = mkdocs_build._build_page
_cache: dict[str, Any] = {"dir": None, "salt": b"", "used": set(), "site": None, "memo": {}}
# the settings a page's template reads (digest/site/build.py sets site_url from the environment)
TEMPLATE_SETTINGS = ("site_name", "site_url", "site_description", "site_author", "copyright", "extra", "extra_css",
                     "extra_javascript", "use_directory_urls", "nav", "theme")


def _tokens(items: list[AnchorLink]) -> list[dict[str, Any]]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _tokens(i.children)} for i in items]


def _path(kind: str, *parts: str) -> Path:
    key = hashlib.sha256(_cache["salt"] + kind.encode())
    for part in parts:
        key.update(part.encode() + b"\0")
    digest = key.hexdigest()
    path = _cache["dir"] / digest[:2] / f"{kind}-{digest}.json"
    _cache["used"].add(path)
    return path


def _entry(page: Page) -> Path | None:
    if _cache["dir"] is None or not page.file.src_uri.startswith(POSTS) or page.markdown is None:
        return None
    return _path("html", page.file.src_uri, page.url, page.markdown)


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _store(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # a leftover of a killed build is not a cache entry; the next build removes it
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix="partial-", suffix=".json.partial")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False)
    os.replace(temp, path)


def _render(self: Page, config: Any, files: Any) -> None:
    path = _entry(self)
    if path is None:
        _original_render(self, config, files)
        return
    data = _load(path)
    if isinstance(data, dict) and data.get("src") == self.file.src_uri:
        self.content = data["content"]
        self.toc = get_toc(data["toc"])
        self._title_from_render = data["title"]
        self.present_anchor_ids = set(data["anchors"])
        self.links_to_anchors = {self.file: data["links"]} if data["links"] else {}
        return
    _original_render(self, config, files)
    links = getattr(self, "links_to_anchors", None) or {}
    if set(links) - {self.file}:
        return
    entry = {
        "src": self.file.src_uri,
        "content": self.content,
        "toc": _tokens(list(self.toc)),
        "title": self._title_from_render,
        # MkDocs' raw-HTML scan adds None for a bare `id` ("<your subscription ID>" in a code span): no anchor
        "anchors": sorted(anchor for anchor in self.present_anchor_ids or () if anchor),
        "links": links.get(self.file, {}),
    }
    _store(path, entry)


def _nav_items(items: list[Any]) -> list[Any]:
    return [[type(i).__name__, str(i.title), getattr(i, "url", None), _nav_items(getattr(i, "children", None) or [])]
            for i in items]


def _site_key(config: Any, nav: Any) -> str:
    """What every page's template reads besides the page: the settings, the theme's files, the navigation."""
    key = hashlib.sha256(_cache["salt"])
    settings = {name: config.get(name) for name in TEMPLATE_SETTINGS}
    settings["theme"] = {"name": config.theme.name, "dirs": config.theme.dirs, **dict(config.theme._vars)}
    # the project's folder may move between builds (a restored cache on another runner): paths from its root
    root = str(Path(config.config_file_path).resolve().parent)
    key.update(json.dumps(settings, sort_keys=True, default=_stable).replace(root, "<root>").encode())
    # and the settings files themselves (a setting json cannot show is still in its file)
    for path in sorted(Path(config.config_file_path).parent.glob("mkdocs*.yml")):
        key.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    custom = config.theme.custom_dir
    for path in sorted(Path(custom).rglob("*")) if custom else []:
        if path.is_file():
            key.update(str(path.relative_to(custom)).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    key.update(json.dumps(_nav_items(list(nav.items)), default=str).encode())
    return key.hexdigest()


def _page_key(page: Any) -> list[Any]:
    """What a digest's template reads of the digest itself."""
    neighbours = [getattr(other, "url", None) for other in (page.previous_page, page.next_page)]
    categories = [[str(c.title), c.url] for c in getattr(page, "categories", None) or []]
    date = getattr(getattr(page, "config", None), "date", None)
    parent = getattr(page.parent, "url", None)
    return [page.file.src_uri, page.url, page.canonical_url, page.title, page.content, _tokens(list(page.toc)),
            page.meta, neighbours, categories, str(getattr(date, "created", "")), str(getattr(date, "updated", "")),
            parent]


def _build_page(page: Page, config: Any, doc_files: Any, nav: Any, env: Any, dirty: bool = False,
                excluded: bool = False) -> None:
    if _cache["dir"] is None or excluded or dirty or not page.file.src_uri.startswith(POSTS):
        _original_build_page(page, config, doc_files, nav, env, dirty, excluded)
        return
    if _cache["site"] is None:
        _cache["site"] = _site_key(config, nav)
    path = _path("page", _cache["site"], json.dumps(_page_key(page), sort_keys=True, default=str))
    data = _load(path)
    if isinstance(data, dict) and data.get("src") == page.file.src_uri and isinstance(data.get("html"), str):
        utils.write_file(data["html"].encode("utf-8"), page.file.abs_dest_path)
        return
    _original_build_page(page, config, doc_files, nav, env, dirty, excluded)
    written = Path(page.file.abs_dest_path)
    if written.exists():
        _store(path, {"src": page.file.src_uri, "html": written.read_text(encoding="utf-8")})


def memo(key: str, render: Any) -> Any:
    """The output of `render()` the first time `key` is asked for in this build, the same output after that."""
    if key not in _cache["memo"]:
        _cache["memo"][key] = render()
    return _cache["memo"][key]


def newest(section: Section, count: int, more: str, home: str) -> Section:
    """The section with its first `count` entries only and, when it had more, a last link to `home`.

    A digest's navigation lists the archive's newest months, not every month since the first digest: that list
    grew with the history in every page (66 months at 4,000 digests, ~11 KB a page); the home page lists all.
    """
    if len(section.children) <= count:
        return section
    trimmed = copy.copy(section)
    trimmed.children = [*section.children[:count], Link(more, home)]
    return trimmed


def on_env(env: Any, config: Any, files: Any) -> Any:
    env.globals["memo"] = memo
    env.globals["newest"] = newest
    return env


def _stable(value: Any) -> str:
    """A name for a setting JSON cannot hold (a slugify function), the same in every process."""
    return f"{type(value).__module__}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def on_config(config: Any) -> Any:
    _cache["memo"], _cache["site"] = {}, None
    if not page_cache():
        _cache["dir"] = None
        return config
    root = Path(config.config_file_path).parent
    # a build of one year (hooks/periods.py) has a folder of its own: each build removes the entries it did not use
    _cache["dir"] = root / ".digest" / "page-cache" / page_cache_folder(Path(config.docs_dir).name)
    settings = {"extensions": config.markdown_extensions, "configs": config.mdx_configs}
    salt = json.dumps(settings, sort_keys=True, default=_stable)
    salt += "|".join(version(name) for name in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions"))
    # this file and the other hooks (minify.py, chrome.py rewrite every page the cache keeps)
    salt += "".join(path.read_text(encoding="utf-8") for path in sorted(Path(__file__).parent.glob("*.py")))
    _cache["salt"] = salt.encode()
    _cache["used"] = set()
    Page.render = _render  # type: ignore[method-assign]
    mkdocs_build._build_page = _build_page
    return config


def on_post_build(config: Any) -> None:
    folder = _cache["dir"]
    if folder is None or not folder.exists():
        return
    for path in folder.rglob("*"):
        if path.is_file() and path not in _cache["used"]:
            path.unlink(missing_ok=True)
