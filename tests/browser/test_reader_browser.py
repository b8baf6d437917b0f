"""What a reader sees each morning, in Debian's headless Chromium, at 1280 px and 390 px, in both languages.

Glance entries and badges above the fold, the filters as plain links, the change-type feeds, an
article's history reached from a digest, nothing wider than a phone, the 404 page, the phone's drawer
with the page's contents. Screenshots go to test-artifacts/ (gitignored), named by test, language and width.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import Browser, Page, expect

from ..sitebuild import SITE_URL
from .test_site_browser import ARTIFACTS, assert_only_local, base_url, browser, open_tab  # noqa: F401 - fixtures

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
LANGS = {"ja": "", "en": "en/"}
BADGES = {"ja": {"breaking-change": "破壊的変更", "new-feature": "新機能"}, "en": {"breaking-change": "Breaking", "new-feature": "New"}}
BIG_DIGEST = "2025-02-26-openai"  # 13 files, the fixture's biggest table

# elements whose box reaches past the viewport's right edge and that no scrolling box of their own holds
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => { const s = getComputedStyle(e); return /(auto|scroll|hidden)/.test(s.overflowX) && e.clientWidth < width; };
  const held = (e) => { for (let p = e.parentElement; p; p = p.parentElement) if (scrolls(p)) return true; return false; };
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1 && !held(e))
    .filter(e => !e.closest('.md-search, .md-sidebar, .md-select, [hidden]'))
    .map(e => e.tagName.toLowerCase() + '.' + e.className).slice(0, 10);
}"""


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(params=list(LANGS), ids=list(LANGS))
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def requests() -> list[str]:
    return []


@pytest.fixture
def page(browser: Browser, requests: list[str], width: str, request: pytest.FixtureRequest) -> Iterator[Page]:  # noqa: F811
    with open_tab(browser, requests, *WIDTHS[width], request.node.name.replace("[", "-").rstrip("]")) as tab:
        yield tab


def entries_above_the_fold(page: Page) -> int:
    """Digests the reader sees without scrolling: glance entries wholly in view, plus the folded digests of routine lines."""
    return page.evaluate("""() => {
      const bottom = window.innerHeight;
      let count = 0;
      for (const li of document.querySelectorAll('.digest-list > li')) {
        if (li.getBoundingClientRect().bottom > bottom) break;
        count += li.classList.contains('routine') ? li.querySelectorAll('a').length : 1;
      }
      return count;
    }""")


def assert_fits(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], "the page scrolls sideways"
    assert page.evaluate(OVERFLOWING) == [], "elements wider than the viewport"


def test_glance_entries_and_badges(page: Page, base_url: str, requests: list[str], lang: str, width: str) -> None:  # noqa: F811
    page.goto(base_url + LANGS[lang])
    entries = page.locator(".digest-list > li:not(.routine)")
    expect(entries.first).to_be_visible()
    badge = page.locator(".digest-list .b-breaking-change").first
    expect(badge).to_contain_text(BADGES[lang]["breaking-change"])
    # coloured: a red badge, white text
    assert badge.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(198, 40, 40)"
    # routine-only digests of a day fold into one short line
    routine = page.locator(".digest-list > li.routine").first
    expect(routine).to_be_visible()
    assert routine.bounding_box()["height"] <= entries.first.bounding_box()["height"]
    seen = entries_above_the_fold(page)
    print(f"entries above the fold ({lang}, {width}): {seen}")
    if width == "desktop":
        assert seen >= 8, seen
    else:
        assert seen >= 3, seen
    assert_fits(page)
    assert_only_local(requests)


def test_filters_are_plain_links(page: Page, base_url: str, requests: list[str], lang: str, width: str) -> None:  # noqa: F811
    page.goto(base_url + LANGS[lang])
    page.locator(".digest-filters a.b-breaking-change").click()
    page.wait_for_url(f"{base_url}{LANGS[lang]}type/breaking-change/")
    entries = page.locator(".digest-list > li")
    assert entries.count() >= 3
    for index in range(entries.count()):
        expect(entries.nth(index).locator(".b-breaking-change")).to_be_visible()
    assert_fits(page)
    # from a filter page to another type, and to an area's list
    page.locator(".digest-filters a.b-new-feature").click()
    page.wait_for_url(f"{base_url}{LANGS[lang]}type/new-feature/")
    page.goto(base_url + LANGS[lang])
    page.locator(".digest-filters a", has_text="Azure AI Search").click()
    page.wait_for_url(f"{base_url}{LANGS[lang]}area/azure-ai-search/")
    slugs = page.locator(".digest-list > li > a")
    assert slugs.count() >= 2
    for index in range(slugs.count()):
        assert "-search/" in (slugs.nth(index).get_attribute("href") or "")
    assert_only_local(requests)


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_type_feeds_parse_and_hold_only_their_type(page: Page, base_url: str, lang: str, requests: list[str]) -> None:  # noqa: F811
    page.goto(base_url + LANGS[lang])
    links = page.locator('head link[rel=alternate][type="application/rss+xml"]')
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    for kind, name in (("breaking-change", "feed-breaking-changes.xml"), ("new-feature", "feed-new-features.xml")):
        assert name in hrefs
        response = page.request.get(base_url + LANGS[lang] + name)
        assert response.ok
        channel = ET.fromstring(response.body()).find("channel")
        assert channel is not None and BADGES[lang][kind] in (channel.findtext("title") or "")
        items = channel.findall("item")
        assert items
        for item in items:
            listed = BeautifulSoup(item.findtext("description") or "", "html.parser").select("li")
            assert listed, item.findtext("link")
            # each listed file is of the feed's type on its digest's page
            digest = page.request.get((item.findtext("link") or "").replace(SITE_URL, base_url))
            html = BeautifulSoup(digest.text(), "html.parser")
            for entry in listed:
                anchor = entry.select_one("a")["href"].split("#", 1)[1]
                # its row is in the table under the heading of the feed's type (the table of that type)
                table = html.select_one(f'table a[href="#{anchor}"]').find_parent("table")
                assert table.find_previous("h3")["id"] == f"type-{kind}", (item.findtext("link"), anchor)
    assert_only_local(requests)


def test_an_article_history_reached_from_a_digest(page: Page, base_url: str, requests: list[str], lang: str, width: str) -> None:  # noqa: F811
    page.goto(f"{base_url}{LANGS[lang]}{BIG_DIGEST}/")
    link = page.locator("article a[href^='../history/']").first
    link.scroll_into_view_if_needed()
    link.click()
    page.wait_for_url(f"{base_url}{LANGS[lang]}history/**")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    items = page.locator("ol.digest-history > li")
    assert items.count() >= 1
    expect(items.first.locator('[class^="b-"]')).to_be_visible()
    expect(page.locator(".digest-history__links a[href^='https://github.com/']")).to_be_visible()
    times = [items.nth(i).locator("time").inner_text() for i in range(items.count())]
    assert times == sorted(times, reverse=True)
    assert_fits(page)
    # back to the file's section of the digest
    items.first.locator("a").first.click()
    page.wait_for_url(f"{base_url}{LANGS[lang]}*/#file-*")
    anchor = page.url.rsplit("#", 1)[1]
    expect(page.locator(f"[id='{anchor}']")).to_be_in_viewport()
    assert_only_local(requests)


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_nothing_wider_than_a_phone(page: Page, base_url: str, requests: list[str], lang: str) -> None:  # noqa: F811
    root = base_url + LANGS[lang]
    for path in ["", f"{BIG_DIGEST}/", "about/", "type/breaking-change/", "area/azure-openai/", "archive/2025/02/"]:
        page.goto(root + path)
        for details in page.locator("details[data-lines]").all()[:4]:
            details.locator("summary").click()
        assert_fits(page)
    # the big digest's table: one card per file, the title readable at full width
    page.goto(f"{root}{BIG_DIGEST}/")
    table = page.locator("table:has(.digest-th-file)").first
    expect(table.locator("thead")).to_be_hidden()
    row = table.locator("tbody tr").first
    row.scroll_into_view_if_needed()
    title = row.locator("td").nth(1).bounding_box()
    assert title["width"] > 0.7 * 390
    # the file and its lines on one line, the title under them
    name, lines = row.locator("td").nth(0).bounding_box(), row.locator("td").nth(2).bounding_box()
    assert abs(name["y"] - lines["y"]) < name["height"] and title["y"] >= name["y"] + name["height"] - 1
    page.screenshot(path=str(ARTIFACTS / f"big-table-{lang}-phone.png"))
    assert_only_local(requests)


@pytest.mark.parametrize("width", ["desktop"], indirect=True)
def test_the_summary_table_fits_on_the_desktop(page: Page, base_url: str, lang: str) -> None:
    page.goto(f"{base_url}{LANGS[lang]}{BIG_DIGEST}/")
    table = page.locator("table:has(.digest-th-file)").first
    table.scroll_into_view_if_needed()
    box, column = table.bounding_box(), page.locator(".md-content__inner").bounding_box()
    assert box["x"] + box["width"] <= column["x"] + column["width"] + 1
    title = table.locator("thead th").nth(1).bounding_box()
    assert title["width"] >= 0.5 * box["width"], (title, box)
    file_link = table.locator("tbody td").nth(0).locator("a")
    assert "/" not in file_link.inner_text()  # the base name, linked to its section headed by the full path
    section = page.locator(file_link.get_attribute("href"))
    assert section.inner_text().endswith("/" + file_link.inner_text())
    # the full path is the tooltip only where two files share a base name (tests/test_site_render.py)
    assert file_link.get_attribute("title") in (None, section.inner_text())
    assert "+" in table.locator("tbody td").nth(2).inner_text() and "/" in table.locator("tbody td").nth(2).inner_text()
    page.screenshot(path=str(ARTIFACTS / f"big-table-{lang}-desktop.png"))


def test_the_404_page(page: Page, base_url: str, lang: str, width: str) -> None:  # noqa: F811
    page.goto(f"{base_url}{LANGS[lang]}404.html")
    expect(page.locator("h1")).to_have_text("ページが見つかりません" if lang == "ja" else "Page not found")
    page.locator(".digest-404 a.digest-404__search").click()
    page.wait_for_url(f"{base_url}{LANGS[lang]}search/")
    expect(page.locator("input.digest-search__input")).to_be_visible()
    page.goto(f"{base_url}{LANGS[lang]}404.html")
    page.locator(".digest-404 a").first.click()
    page.wait_for_url(f"{base_url}{LANGS[lang]}")
    expect(page.locator(".digest-list > li").first).to_be_visible()


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_the_phone_drawer_holds_the_page_contents(page: Page, base_url: str, lang: str) -> None:
    page.goto(f"{base_url}{LANGS[lang]}{BIG_DIGEST}/")
    page.locator("label.md-header__button[for=__drawer]").click()
    contents = page.locator(".md-sidebar--primary .digest-drawer-toc")
    expect(contents).to_be_visible()
    link = contents.locator("a", has_text="ハイライト" if lang == "ja" else "Highlight").first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url("**#*")


def assert_icon(page: Page, selector: str) -> None:
    """The element's icon is its ::before (templates/assets/digest.css .digest-i): an SVG mask, 1.2rem square."""
    style = page.locator(selector).evaluate(
        "e => { const s = getComputedStyle(e, '::before');"
        " return [parseFloat(s.width), parseFloat(s.height), s.maskImage || s.webkitMaskImage] }"
    )
    assert style[0] >= 20 and style[1] >= 20 and "svg" in style[2], (selector, style)


@pytest.mark.parametrize("width", ["phone"], indirect=True)
def test_the_theme_runs_with_its_icons_and_helpers_as_files(page: Page, base_url: str, requests: list[str], lang: str) -> None:  # noqa: F811
    """The header's icons come from digest.css and Material's helpers from assets/md-scope.js (no inline SVG or script)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    root = base_url + LANGS[lang]
    page.goto(f"{root}{BIG_DIGEST}/")
    assert page.locator("header svg, .md-top svg").count() == 0
    for icon in ["label.md-header__button[for=__drawer]", ".md-select button", ".md-top"]:
        assert_icon(page, icon)
    # Material's scope is the build's root, as with its inline script
    assert page.evaluate("__md_scope.href") == root
    page.evaluate("__md_set('digest-test', 7)")
    assert page.evaluate("__md_get('digest-test')") == 7
    # the bundle runs: the back-to-top button appears when the reader scrolls back up
    page.mouse.wheel(0, 3000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)
    top = page.locator(".md-top")
    expect(top).to_be_visible()
    assert_icon(page, ".md-top")
    box = top.bounding_box() or {}
    assert box.get("width", 0) >= 100 and box.get("height", 0) >= 20
    assert errors == []
    assert_only_local(requests)
