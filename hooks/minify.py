"""MkDocs hook: each page leaves the build without its indentation (digest/site/htmlmin.py), as it is written.

The pages were minified after the build, every page read and written once more, which made a day on a long
history cost a pass over the whole site; here each page is minified in memory before MkDocs writes it.
The pages digest/site/history.py writes after the build are minified as it writes them; Zensical does not
run hooks, so its build gets the pass over the whole site.

Measured (2026-12-04, CPU time on the shared 2-core machine): the pages lose 10% of their bytes (the Japanese
build of 200 generated digests: 14.3-14.4 MB -> 12.8-12.9 MB); minifying in the hook adds 0.4-1.3 s CPU to that
build (8.8-9.3 s without the hook, 9.2-10.3 s with it: within the run's noise), while the pass over the whole
built site it replaces costs 1.1-1.8 s CPU and 2.5-5.0 s wall at 1,000 digests (`minify_site` over bench_site's
1,000-digest site, 5,446 pages, both languages), growing with the history on every daily build. It pays for the
daily case (30 s target).
"""

from __future__ import annotations

from typing import Any

from digest.site.htmlmin import minify


def on_post_page(output: str, page: Any, config: Any) -> str:
    return minify(output)


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    return minify(output_content) if template_name.endswith(".html") else output_content
