"""MkDocs hook: keep the diff blocks of a digest out of Markdown and search parsing.

A diff block is already finished HTML (escaped by digest/templating.py
`diff_view`, in a raw `<details class="diff" data-search-exclude>` block), and
the search plugin leaves it out of the index anyway. Yet Python-Markdown parses
every tag of it to find where the raw block ends, and the search plugin parses
it again to skip it: most of a digest page's bytes, parsed twice for nothing.
This hook swaps each block for an HTML comment before Markdown runs and puts
it back after the search plugin has read the page, so the built page is the
same, byte for byte, only sooner. Zensical does not run MkDocs hooks and needs
none: the blocks are then parsed as ordinary raw HTML.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.plugins import event_priority

# the template writes the block from column 0; its content is escaped, so it holds no "</details>"
BLOCK = re.compile(r'^<details class="diff"[^\n]*>\n.*?^</details>$', re.MULTILINE | re.DOTALL)
MARK = re.compile(r"<!--digest-diff:(\d+)-->")
_stash: dict[str, list[str]] = {}


@event_priority(100)  # before any other plugin reads the Markdown
def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    blocks: list[str] = []

    def keep(match: re.Match[str]) -> str:
        blocks.append(match.group(0))
        return f"<!--digest-diff:{len(blocks) - 1}-->"

    markdown = BLOCK.sub(keep, markdown)
    if blocks:
        _stash[page.file.src_uri] = blocks
    return markdown


@event_priority(-100)  # after the search plugin has indexed the page
def on_page_context(context: dict[str, Any], page: Any, **_: Any) -> dict[str, Any]:
    blocks = _stash.pop(page.file.src_uri, None)
    if blocks:
        page.content = MARK.sub(lambda match: blocks[int(match.group(1))], page.content)
    return context
