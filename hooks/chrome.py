"""MkDocs hook: Material's fixed markup outside any template block, less what the site never uses.

Material's base.html writes a few elements into every page outside the blocks that overrides/ can replace:
an empty announcement bar, a dialog for the code copy button's messages (the site turns neither on), the
search toggle's full attributes (the bundle needs the element, `[data-md-toggle=search]`, and nothing
else: the site's search is Pagefind's form in overrides/partials/header.html), the skip link's wrapper and
the container's component name (only Material's instant navigation, off here, reads those two). Overriding
base.html whole would tie the site to one Material release's asset names (and break Zensical's, whose
base.html names other files); so each page leaves the build without them, ~250 bytes a page. Every pattern
is Material 9's exact markup after hooks/minify.py (listed before this hook): a page that does not hold it
is left as it is (tests/test_site_pages.py checks that the built pages hold none of it). Zensical does not
run hooks: its pages keep Material's markup.
"""

from __future__ import annotations

import re
from typing import Any

from digest.site.htmlmin import minify

_FIXED = (
    ('<input class="md-toggle" data-md-toggle="search" type="checkbox" id="__search" autocomplete="off">',
     '<input data-md-toggle="search" type="checkbox" hidden>'),
    ('<div data-md-component="announce"></div>', ""),
    ('<div class="md-container" data-md-component="container">', '<div class="md-container">'),
    ('<div class="md-dialog" data-md-component="dialog"><div class="md-dialog__inner md-typeset"></div></div>', ""),
    ('<div data-md-component="skip"></div>', ""),
)
# each pattern in the form digest/site/htmlmin.py gives it (attribute values unquoted where HTML allows)
FIXED = tuple((minify(old), minify(new)) for old, new in _FIXED)
SKIP = re.compile(r'<div data-md-component="?skip"?>\n(<a href="?[^"<>\s]*"? class="?md-skip"?>)\n([^<>\n]*)\n</a></div>')


def lean(html: str) -> str:
    for old, new in FIXED:
        html = html.replace(old, new, 1)
    return SKIP.sub(r"\1\2</a>", html, count=1)


def on_post_page(output: str, page: Any, config: Any) -> str:
    return lean(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    return lean(output_content) if template_name.endswith(".html") else output_content
