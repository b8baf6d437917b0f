"""A file's "More changes in this file" note in a real headless Chromium: its items load from the digest's diffs
file when it is opened (digest/render/difftext.py, templates/assets/diffs.js), in the page's language, as text.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from digest.record import iter_records
from digest.render.difftext import digest_diffs

from ..conftest import PROJECT
from ..sitebuild import fixture_site
from .test_site_browser import assert_only_local, base_url, browser, open_tab  # noqa: F401 - fixtures

HOSTILE_ITEMS = [
    'Added: <script>window.__owned = 1</script> and <img src=x onerror="window.__owned = 2">',
    "Code added: `<b onmouseover=alert(1)>bold</b>`; `a`",
    "Line “</details><details open>” removed.",
]


@pytest.fixture
def requests() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, requests: list[str], request: pytest.FixtureRequest) -> Iterator[Page]:  # noqa: F811
    with open_tab(browser, requests, 1280, 900, request.node.name) as tab:
        yield tab


def first_detailed(root: Path) -> tuple[str, str, dict[str, list[str]]]:
    """A digest's slug, the path of its first file with details, and those details by language."""
    for record in iter_records(root / "data" / "digests"):
        for file in record.files:
            if file.noise == "none" and file.details and file.details.en and file.details.ja:
                return record.slug, file.path, {"ja": file.details.ja, "en": file.details.en}
    raise AssertionError("no file of the fixture has details")


def plain(item: str) -> str:
    """What a reader reads of an item: its code spans' text without the backticks."""
    return re.sub(r"(`+)(.+?)\1", r"\2", " ".join(item.split()))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_opening_the_note_lists_its_items_in_the_pages_language(
    page: Page, base_url: str, requests: list[str], tmp_path_factory: pytest.TempPathFactory, lang: str,  # noqa: F811
) -> None:
    slug, path, details = first_detailed(fixture_site(tmp_path_factory))
    page.goto(f"{base_url}{'en/' if lang == 'en' else ''}{slug}/")
    section = page.locator("h3", has_text=path).locator("xpath=following-sibling::details[@data-items][1]")
    expect(section.locator("li")).to_have_count(0)  # nothing in the page until it is opened
    before = len(requests)
    section.locator("summary").click()
    expect(section.locator("li")).to_have_count(len(details[lang]))
    assert section.locator("li").all_inner_texts() == [plain(item) for item in details[lang]]
    assert [url for url in requests[before:] if "/diffs/" in url] == [f"{base_url}diffs/{slug}.txt.gz"]
    assert_only_local(requests)


def test_hostile_items_stay_text(page: Page, tmp_path: Path) -> None:
    data, _, items = digest_diffs([], {"a.md": {"en": HOSTILE_ITEMS}})
    (tmp_path / "d.txt.gz").write_bytes(data)
    shutil.copy(PROJECT / "templates" / "assets" / "diffs.js", tmp_path / "diffs.js")
    view = items["a.md"]["en"]
    (tmp_path / "index.html").write_text(
        '<!doctype html><meta charset=utf-8><p data-diffs="d.txt.gz"></p>'
        f'<details class=note data-items="{view.first}-{view.last}"><summary>More (3)</summary></details>'
        '<script src="diffs.js"></script>', encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        page.locator("summary").click()
        note = page.locator("details[data-items]")
        expect(note.locator("li")).to_have_count(3)
        assert note.locator("li").all_inner_texts() == [plain(item) for item in HOSTILE_ITEMS]
        assert note.locator("code").all_inner_texts() == ["<b onmouseover=alert(1)>bold</b>", "a"]
        assert note.locator("script, img, b, details").count() == 0
        note.locator("code").first.hover()
        assert page.evaluate("window.__owned") is None and not dialogs
    finally:
        server.shutdown()
        server.server_close()
