"""MkDocs hook: render a blog excerpt from the text before the separator only.

Material's blog plugin renders the whole post to HTML for every excerpt and
then cuts it at `<!-- more -->`; each post has about three excerpts (home,
archive, area pages), so a digest with big diffs was rendered four times.
Rendering only the head gives the same excerpt for a fraction of the cost
(see ../shared/NOTES.md, "Build time at scale"). Zensical does not run MkDocs
hooks and needs none: it renders excerpts natively.
"""

from __future__ import annotations

from typing import Any

from material.plugins.blog.structure import Excerpt, get_toc

_original_render = Excerpt.render


def _render_head(self: Excerpt, page: Any, separator: str) -> None:
    head, found, _ = self.post.markdown.partition(separator)
    if not found:
        _original_render(self, page, separator)
        return
    self.file.url = page.url
    at = self.md.treeprocessors.get_index_for_name("excerpt")
    self.md.treeprocessors[at].base = page
    self.markdown = head
    if not self.post._title_from_render:
        self.markdown = f"# {self.post.title}\n\n{head}"
    self.md.reset()
    self.content = self.md.convert(self.markdown)
    # the view shows "Continue reading" when there is more after the separator
    self.more = separator
    self.toc = get_toc(getattr(self.md, "toc_tokens", []))
    self.file.url = self.post.url


def on_startup(command: str, dirty: bool) -> None:
    Excerpt.render = _render_head  # type: ignore[method-assign]
