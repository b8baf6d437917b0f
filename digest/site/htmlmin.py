"""The built pages without their indentation: Material's templates indent every line, a tenth of a page.

The white space at the start of a line and empty lines go, and so does a line break just before a block-level
tag (a table's row or cell, a list item, a paragraph, a heading, …): white space next to a block's edge shows
nothing. Any other line break stays, so the text reads the same in a browser (a break between two inline
elements is a space there). An attribute's value loses its quotes where the HTML syntax lets it (`class=b-bug-fix`,
`href=../x/`: no white space, quote, `=`, `<`, `>` or backtick in it, not empty): the same document to a browser,
1.5 MB of the 1,000-digest site (1.8%). `<pre>`, `<textarea>` and `<script>` keep every byte.
"""

from __future__ import annotations

import re
from pathlib import Path

KEPT = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
INDENT = re.compile(r"\n[ \t\r\n]+")
# elements that the site's pages show as blocks (or table parts, or not at all): never inline ones (a, span,
# label, input, button, img, time, code, …), whose neighbouring line break is a space on the screen
BLOCK_BREAK = re.compile(
    r">\n(?=</?(?:html|head|body|title|meta|link|script|div|p|ul|ol|li|table|thead|tbody|tr|th|td|h[1-6]"
    r"|details|summary|nav|header|main|article|section|form)[\s/>])"
)

# a start tag whole (a quoted value may hold `>`), and in it a quoted value that needs no quotes, not followed by
# `/` (in `<x a="b"/>`, an unquoted b would take the slash)
TAG = re.compile(r"<[A-Za-z][^\s/>]*(?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*\s*/?>")
NEEDLESS_QUOTES = re.compile(r"""(\s[^\s"'>/=]+)="([^\s"'=<>`]+)"(?=[\s>])""")


def _unquoted(match: re.Match[str]) -> str:
    tag = match.group()
    return NEEDLESS_QUOTES.sub(r"\1=\2", tag) if '="' in tag else tag


def minify(text: str) -> str:
    parts = KEPT.split(text)
    # split() gives text, a kept element, its tag name, text, …
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(TAG.sub(_unquoted, BLOCK_BREAK.sub(">", INDENT.sub("\n", part))))
        elif kind == 1:
            out.append(part)
    return "".join(out)


def minify_site(site_dir: Path) -> int:
    """Minify the HTML pages under `site_dir` in place; returns the bytes saved.

    MkDocs' pages are minified as they are written (hooks/minify.py), and so are the pages digest/site/history.py
    writes: this pass is for a Zensical build, which runs no hooks.
    """
    saved = 0
    for path in site_dir.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        small = minify(text)
        if len(small) != len(text):
            path.write_text(small, encoding="utf-8")
            saved += len(text.encode("utf-8")) - len(small.encode("utf-8"))
    return saved
