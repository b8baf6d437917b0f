"""What a first search query costs a reader: a real Chromium on a plain static server, bytes per request.

Used by bench/bench_site.py (`--search-bytes`, at the largest size) and by tests/browser/test_search_browser.py.
Opens the language's search page with `?q=<word>` (templates/pages/search.md.j2), waits for the results,
and sums the bytes of every response from Pagefind's bundle (pagefind/): its script, the language's entry
and metadata, its WebAssembly, the index chunks the words need and the fragments of the results shown.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """`directory` on a free port of 127.0.0.1; yields its address (ending in /)."""
    QuietHandler.disable_nagle_algorithm = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def first_query(browser: Any, site_url: str, lang_root: str, word: str) -> dict[str, Any]:
    """One fresh tab (empty cache): the result links, and the bytes fetched from pagefind/ for this query."""
    context = browser.new_context()
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(f"{site_url}{lang_root}search/?q={quote(word)}")
    page.wait_for_function("document.querySelector('.digest-search__status').textContent.trim().length > 0", timeout=60_000)
    links = [link.get_attribute("href") or "" for link in page.locator(".digest-search__result > a").all()]
    status = page.locator(".digest-search__status").inner_text()
    fetched = {}
    for response in responses:
        if "/pagefind/" in response.url:
            with contextlib.suppress(Exception):
                fetched[response.url] = len(response.body())
    context.close()
    return {"word": word, "status": status, "links": links, "bytes": sum(fetched.values()), "requests": len(fetched),
            "largest": max(fetched.values(), default=0)}


def probe(public: Path, words: dict[str, list[str]]) -> list[dict[str, Any]]:
    """First-query costs for each language root ("" Japanese, "en/" English) and its words."""
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(public) as site_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            for lang_root, lang_words in words.items():
                for word in lang_words:
                    rows.append({"lang": lang_root.strip("/") or "ja", **first_query(browser, site_url, lang_root, word)})
        finally:
            browser.close()
    return rows
