"""MkDocs hook: each page leaves the build without its indentation (digest/site/htmlmin.py), as it is written.

The pages were minified after the build, every page read and written once more, which made a day on a long
history cost a pass over the whole site; here each page is minified in memory before MkDocs writes it.
The pages digest/site/history.py writes after the build are minified there (digest/site/build.py); Zensical does not
run hooks, so its build gets the pass over the whole site.
"""

from __future__ import annotations

from typing import Any

from digest.site.htmlmin import minify


def on_post_page(output: str, page: Any, config: Any) -> str:
    return minify(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    return minify(output_content) if template_name.endswith(".html") else output_content
