"""The fixture site in a real headless Chromium (Debian's), served by a plain static server under a base path.

What a reader does: open the home page, open a digest, expand a diff, switch
the language and land on the same digest, search in Japanese and in English,
open a feed. Every test also checks that no request left 127.0.0.1.
Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from filelock import FileLock
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ..conftest import PROJECT
from ..sitebuild import BASE_PATH, fixture_site

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT / "test-artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
DIGEST = "2025-02-26-openai"


def ensure_chromium() -> None:
    """Debian's chromium and a Japanese font (without it Japanese renders as boxes): installed if missing."""
    with FileLock("/tmp/docs-digest-apt.lock"):
        if CHROMIUM.exists() and list(Path("/usr/share/fonts").rglob("NotoSansCJK*")):
            return
        if not shutil.which("apt-get"):
            pytest.fail("no /usr/bin/chromium and no apt-get to install it")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-noto-cjk"],
            check=True, env=env, capture_output=True,
        )


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The built fixture site served by http.server under BASE_PATH, on a free port of 127.0.0.1."""
    public = fixture_site(tmp_path_factory) / "public"
    www = tmp_path_factory.mktemp("www")
    mount = www / BASE_PATH.strip("/")
    mount.parent.mkdir(parents=True)
    mount.symlink_to(public, target_is_directory=True)
    QuietHandler.disable_nagle_algorithm = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{BASE_PATH}"
    server.shutdown()
    server.server_close()


# module scope: Playwright's sync API keeps an asyncio loop running while it is open, and other tests
# that the same xdist worker runs later (asyncio.run in the model summarizer) cannot start theirs
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ensure_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def requests() -> list[str]:
    return []


@contextlib.contextmanager
def open_tab(browser: Browser, requests: list[str], width: int, height: int, screenshot: str) -> Iterator[Page]:
    """A new tab of this viewport that records every request; a screenshot under test-artifacts/ when done."""
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.on("request", lambda sent: requests.append(sent.url))
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{screenshot}.png"))
    context.close()


@pytest.fixture
def page(browser: Browser, requests: list[str], request: pytest.FixtureRequest) -> Iterator[Page]:
    with open_tab(browser, requests, 1280, 900, request.node.name) as tab:
        yield tab


def assert_only_local(requests: list[str]) -> None:
    assert requests, "the page made no request at all"
    elsewhere = [url for url in requests if urlsplit(url).hostname != "127.0.0.1" and not url.startswith("data:")]
    assert not elsewhere, f"requests to other hosts: {elsewhere}"


def test_home_page_lists_the_recent_digests(page: Page, base_url: str, requests: list[str]) -> None:
    page.goto(base_url)
    expect(page.locator("h1")).to_contain_text("Azure AI ドキュメント更新ダイジェスト")
    posts = page.locator(".digest-list > li")
    expect(posts.first).to_be_visible()
    assert posts.count() >= 10
    expect(posts.first.locator("time")).to_contain_text("2025-02-28")
    expect(page.locator(".md-sidebar--primary")).to_contain_text("サービス領域")
    # the Japanese font is there: text renders with a real width, not as missing-glyph boxes
    assert page.locator("h1").bounding_box()["width"] > 300
    assert_only_local(requests)


def test_open_a_digest_and_expand_a_diff(page: Page, base_url: str, requests: list[str]) -> None:
    page.goto(base_url)
    first = page.locator(".digest-list > li:not(.routine) > a").first
    first.click()
    expect(page.locator("h1")).to_contain_text("2025-02-28")
    assert re.search(r"/2025-02-28-[a-z-]+/$", page.url), page.url
    expect(page.get_by_role("heading", name="ハイライト")).to_be_visible()
    expect(page.get_by_role("heading", name="変更ファイルの一覧")).to_be_visible()
    diff = page.locator("details[data-lines]").first
    # the page holds no diff text: opening the section loads the digest's diffs file (once for the page)
    expect(diff.locator("pre")).to_have_count(0)
    diff.locator("summary").click()
    code = diff.locator("pre.diff")
    expect(code).to_be_visible()
    expect(diff.locator(".d-add, .d-del").first).to_be_visible()
    assert re.search(r"^[+-]", code.inner_text(), flags=re.MULTILINE)
    # a digest of many files fetches its diffs file once, whichever sections are opened
    page.goto(f"{base_url}en/{DIGEST}/")
    before = len(requests)
    for details in page.locator("details[data-lines]").all()[:3]:
        details.locator("summary").click()
        expect(details.locator("pre.diff")).to_be_visible()
    assert [url for url in requests[before:] if "/diffs/" in url] == [f"{base_url}diffs/{DIGEST}.txt.gz"]
    assert_only_local(requests)


def switch_to(page: Page, language: str) -> None:
    page.locator(".md-header__option .md-select button").hover()
    page.locator(".md-select a", has_text=language).click()


def test_language_switch_lands_on_the_same_digest(page: Page, base_url: str, requests: list[str]) -> None:
    page.goto(f"{base_url}{DIGEST}/")
    expect(page.locator("h1")).to_contain_text("2025-02-26 Azure OpenAI の更新")
    switch_to(page, "English")
    page.wait_for_url(f"{base_url}en/{DIGEST}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Azure OpenAI updates on 2025-02-26")
    expect(page.get_by_role("heading", name="Highlight")).to_be_visible()
    switch_to(page, "日本語")
    page.wait_for_url(f"{base_url}{DIGEST}/")
    expect(page.locator("h1")).to_contain_text("2025-02-26 Azure OpenAI の更新")
    # an area page too
    page.goto(f"{base_url}area/azure-openai/")
    switch_to(page, "English")
    page.wait_for_url(f"{base_url}en/area/azure-openai/")
    expect(page.locator(".digest-list")).to_contain_text("Azure OpenAI")
    expect(page.locator(".digest-filters")).to_contain_text("Filter by change type")
    assert_only_local(requests)


def search(page: Page, word: str) -> None:
    """The header's form opens the language's search page (Pagefind's index) with the query."""
    field = page.locator(".digest-header-search input")
    field.fill(word)
    field.press("Enter")
    page.wait_for_url("**/search/?q=*")
    expect(page.locator(".digest-search__result").first).to_be_visible(timeout=15_000)


# "更新" (update) stands inside "… の更新" of every digest's title: found only if the Japanese text is segmented
@pytest.mark.parametrize(("language_root", "word"), [("", "更新"), ("en/", "Foundry")], ids=["japanese", "english"])
def test_search_a_word(page: Page, base_url: str, requests: list[str], language_root: str, word: str) -> None:
    page.goto(f"{base_url}{language_root}")
    search(page, word)
    assert page.url.startswith(f"{base_url}{language_root}search/")
    results = page.locator(".digest-search__result")
    assert results.count() >= 1
    expect(results.first).to_contain_text(word)
    expect(page.locator(".digest-search__result mark").first).to_be_visible()
    # a result leads to a page of the site in the same language
    href = results.first.locator("a").first.get_attribute("href") or ""
    assert href.startswith(BASE_PATH + language_root) and (language_root or not href.startswith(BASE_PATH + "en/"))
    results.first.locator("a").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en" if language_root else "ja")
    assert_only_local(requests)


def test_open_a_feed(page: Page, base_url: str, requests: list[str]) -> None:
    page.goto(base_url)
    href = page.locator('head link[rel=alternate][type="application/rss+xml"]').first.get_attribute("href")
    response = page.goto(base_url + href)
    assert response is not None and response.ok
    assert "xml" in (response.header_value("content-type") or "")
    expect(page.locator("body")).to_contain_text("2025-02-28 Azure OpenAI の更新")
    expect(page.locator("body")).to_contain_text("+0900")
    response = page.goto(f"{base_url}en/feed-search.xml")
    assert response is not None and response.ok
    expect(page.locator("body")).to_contain_text("Azure AI Search updates on 2025-02-26")
    assert_only_local(requests)
