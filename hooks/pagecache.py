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
(Search is Pagefind's, indexed after the build: digest/search.py.)
`DIGEST_PAGE_CACHE=off` turns it off; entries no build used are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc

POSTS = "posts/"
_original_render = Page.render
_cache: dict[str, Any] = {"dir": None, "salt": b"", "used": set()}


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
        "anchors": sorted(self.present_anchor_ids or ()),
        "links": links.get(self.file, {}),
    }
    _store(path, entry)


def _stable(value: Any) -> str:
    """A name for a setting JSON cannot hold (a slugify function), the same in every process."""
    return f"{type(value).__module__}.{getattr(value, '__qualname__', type(value).__qualname__)}"


def on_config(config: Any) -> Any:
    if os.environ.get("DIGEST_PAGE_CACHE", "").lower() in ("off", "0", "no"):
        _cache["dir"] = None
        return config
    root = Path(config.config_file_path).parent
    _cache["dir"] = root / ".digest" / "page-cache" / Path(config.docs_dir).name
    settings = {"extensions": config.markdown_extensions, "configs": config.mdx_configs}
    salt = json.dumps(settings, sort_keys=True, default=_stable)
    salt += "|".join(version(name) for name in ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions"))
    salt += Path(__file__).read_text(encoding="utf-8")
    _cache["salt"] = salt.encode()
    _cache["used"] = set()
    Page.render = _render  # type: ignore[method-assign]
    return config


def on_post_build(config: Any) -> None:
    folder = _cache["dir"]
    if folder is None or not folder.exists():
        return
    for path in folder.rglob("*"):
        if path.is_file() and path not in _cache["used"]:
            path.unlink(missing_ok=True)
