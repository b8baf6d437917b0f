"""MkDocs hook: three costs of Material's blog plugin that grow with the number of posts.

- Excerpts: the plugin renders the whole post to HTML for every excerpt and
  then cuts it at `<!-- more -->`; each post has about three excerpts (home,
  archive, area pages), so a digest with big diffs was rendered four times
  (see ../shared/NOTES.md, "Build time at scale"). The site's lists
  (overrides/blog.html) show each digest's front matter, never an excerpt's
  HTML, so none is converted at all (it was a fifth of a build at 1,000
  digests); the excerpt keeps what the plugin reads of it (`more`, its file's
  address) and an empty body. Nor is its Markdown parser made: the plugin
  made one per post, with every extension (a sixth of a build's time and most
  of its memory per post).
- Post equality: the plugin asks `page in posts` for every page, and MkDocs
  compares pages by title and file, so each build made n²/2 comparisons
  (670,000 at 1,000 posts). A post is one object per file: identity is the
  same answer.
- Front matter: the plugin reads each post's front matter with PyYAML's pure
  Python loader; the C loader gives the same data (MkDocs itself uses it).

Measured (2026-12-04, bench/bench_hooks.py: the Japanese build of 200 generated digests, page cache off,
CPU time of the `mkdocs build` process on the shared 2-core machine): 9.2-10.3 s and 81-107 MB with this hook,
27.5-32.5 s and 155 MB without it (-65% CPU, -35% peak memory), the same site size. It pays.

Zensical does not run MkDocs hooks and needs none of this.
"""

from __future__ import annotations

from copy import copy
from typing import Any

import yaml
from material.plugins.blog import structure
from material.plugins.blog.structure import Excerpt, Post
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc



def _excerpt_init(self: Excerpt, post: Post, config: Any, files: Any) -> None:
    """Material's Excerpt.__init__ less the Markdown parser no excerpt of this site uses (_render_head)."""
    self.file = copy(post.file)
    self.post = post
    self._set_canonical_url(config.site_url)
    self.config = post.config
    self.meta = post.meta
    self.authors = []
    self.categories = []
    self.more = None


def _render_head(self: Excerpt, page: Any, separator: str) -> None:
    """No HTML: only whether the post goes on after the separator ("Continue reading" in Material's view)."""
    self.content = ""
    self.more = separator if separator in self.post.markdown else None
    self.toc = get_toc([])


def _post_eq(self: Post, other: object) -> bool:
    return self is other if isinstance(other, Post) else Page.__eq__(self, other)


class _PostList(list):  # type: ignore[type-arg]
    """The blog's posts, answering `page in posts` from a set of ids: the plugin asks it for every page."""

    def __init__(self, posts: list[Post]) -> None:
        super().__init__(posts)
        self._ids = {id(post) for post in posts}

    def __contains__(self, page: object) -> bool:
        return id(page) in self._ids


@event_priority(-60)
def on_files(files: Any, config: Any) -> None:
    """After the blog plugin (priority -50) has read and sorted its posts: an O(1) membership test."""
    for plugin in config.plugins.values():
        blog = getattr(plugin, "blog", None)
        if blog is not None and isinstance(getattr(blog, "posts", None), list):
            blog.posts = _PostList(blog.posts)


def on_startup(command: str, dirty: bool) -> None:
    Excerpt.__init__ = _excerpt_init  # type: ignore[method-assign]
    Excerpt.render = _render_head  # type: ignore[method-assign]
    Post.__eq__ = _post_eq  # type: ignore[method-assign,assignment]
    if hasattr(yaml, "CSafeLoader"):
        structure.SafeLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
