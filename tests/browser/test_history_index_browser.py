"""The index of article histories in Debian's headless Chromium: reached from the home page, filtered in place.

Without scripts the whole list shows and the filter box stays hidden; with them, typing part of a path
leaves only the matching files (and their folders). Screenshots under test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .test_reader_browser import LANGS, WIDTHS, assert_fits
from .test_site_browser import ARTIFACTS, assert_only_local, base_url, browser, open_tab  # noqa: F401 - fixtures


@pytest.fixture(params=[(lang, width) for lang in LANGS for width in WIDTHS], ids=lambda p: f"{p[0]}-{p[1]}")
def view(request: pytest.FixtureRequest) -> tuple[str, str]:
    return request.param


@pytest.fixture
def requests() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, requests: list[str], view: tuple[str, str], request: pytest.FixtureRequest) -> Iterator[Page]:  # noqa: F811
    with open_tab(browser, requests, *WIDTHS[view[1]], request.node.name.replace("[", "-").rstrip("]")) as tab:
        yield tab


def test_the_index_is_reached_from_home_and_filters_in_place(page: Page, base_url: str, requests: list[str], view: tuple[str, str]) -> None:  # noqa: F811
    lang, _ = view
    page.goto(base_url + LANGS[lang])
    page.locator("a.digest-history__index").first.click()
    expect(page).to_have_url(base_url + LANGS[lang] + "history/")
    page.wait_for_load_state("load")  # the stylesheets too, before measuring widths
    items = page.locator("ul.digest-index > li")
    total = items.count()
    assert total > 20
    assert_fits(page)
    box = page.locator("#digest-index-filter")
    expect(box).to_be_visible()
    box.fill("document-intelligence prebuilt")
    visible = page.locator("ul.digest-index > li:visible")
    expect(visible).not_to_have_count(total)
    paths = page.evaluate("""() => [...document.querySelectorAll('ul.digest-index > li')].filter(li => !li.hidden)
      .map(li => li.closest('section').dataset.folder + '/' + li.querySelector('a').textContent)""")
    assert paths and all("document-intelligence" in p and "prebuilt" in p for p in paths)
    expect(page.locator("section.digest-index__group:visible")).to_have_count(len({p.rsplit("/", 1)[0] for p in paths}))
    visible.first.locator("a").click()
    expect(page.locator("ol.digest-history > li").first).to_be_visible()
    box_gone = page.locator("#digest-index-filter")
    expect(box_gone).to_have_count(0)
    assert_only_local(requests)


def test_without_scripts_the_whole_index_shows(browser: Browser, base_url: str) -> None:  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(base_url + "history/")
    expect(tab.locator("#digest-index-filter")).to_be_hidden()
    expect(tab.locator("ul.digest-index > li").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "history-index-no-script.png"))
    context.close()
