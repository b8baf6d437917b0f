"""The built pages without their indentation: Material's templates indent every line, a tenth of a page.

Only the white space at the start of a line and empty lines go; a line break stays where there was one, so
the text reads the same in a browser. `<pre>`, `<textarea>` and `<script>` keep every byte.
"""

from __future__ import annotations

import re
from pathlib import Path

KEPT = re.compile(r"(<(pre|textarea|script)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
INDENT = re.compile(r"\n[ \t\r\n]+")


def minify(text: str) -> str:
    parts = KEPT.split(text)
    # split() gives text, a kept element, its tag name, text, …
    out = []
    for index, part in enumerate(parts):
        kind = index % 3
        if kind == 0:
            out.append(INDENT.sub("\n", part))
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
