"""Pagefind's search in a real Chromium: Japanese topic words find the pages about them, and a first query is light.

A small site of generated digests (bench/bench_site.py's records) whose Japanese and English titles name
topics, beside Japanese decoys that share characters with the topic words (移動 shares 移 with 移行, セキュア shares
セキュ with セキュリティ): a word found only by whole-word segmentation, not by characters. The first query
of each language is measured in bytes fetched from the search bundle (bench/search_probe.py), as the
benchmark does at 1,000 digests.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from digest.classify.areas import load_area_config
from digest.cli import main
from digest.models import Bilingual
from digest.record import write_record

from ..conftest import PROJECT, make_project
from .test_site_browser import ensure_chromium

sys.path.insert(0, str(PROJECT / "bench"))
import bench_site  # noqa: E402
import search_probe  # noqa: E402

# (area, Japanese title, English title) of each digest's first file; None: the digest is about nothing in particular
TOPICS = [
    ("openai", "Azure OpenAI のモデルを新しいバージョンへ移行する手順を追加", "Added the steps to migrate a model to a new version"),
    ("search", "ネットワーク セキュリティ境界の設定手順を更新", "Updated the network security perimeter steps"),
    ("speech", "移動したファイルへのリンクを修正", "Fixed the links to the moved files"),
    ("language", "セキュアな接続文字列の例を追加", "Added an example of a protected connection string"),
    ("agents", None, None),
    ("content-safety", None, None),
]


# a diff whose text is markup: it must show as text when its section is opened, never run
HOSTILE_PATCH = """@@ -1,2 +1,3 @@
 intro
-</details><script>window.pwned = 1</script>
+<img src=x onerror="window.pwned = 2"><b>bold?</b>
"""


@pytest.fixture(scope="module")
def topic_site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Build the site; returns the slug of each topic's digest by area."""
    root = make_project(tmp_path_factory.mktemp("topics") / "project")
    corpus = bench_site.load_corpus()[:400]
    names = load_area_config(root / "config" / "areas.yml")
    rng = random.Random(5)
    slugs = {}
    for index, (area, ja, en) in enumerate(TOPICS):
        record = bench_site.make_record(rng, corpus, dt.date(2025, 6, 1) + dt.timedelta(days=index), area, names)
        if area == "agents":
            record.files[0].patch = HOSTILE_PATCH
            record.files[0].noise = "none"
            record.files[0].binary = False
        if ja:
            record.files[0].title = Bilingual(ja=ja, en=en)
            record.summary.ja.new_features = [ja]
            record.summary.en.new_features = [en]
        write_record(root / "data" / "digests", record)
        slugs[area] = record.slug
    assert main(["render", "--root", str(root)]) == 0
    assert main(["build", "--root", str(root)]) == 0
    slugs["public"] = str(root / "public")
    return slugs


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    ensure_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(search_probe.CHROMIUM), args=search_probe.FLAGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize(
    ("lang_root", "word", "area", "decoy"),
    [("", "移行", "openai", "speech"), ("", "セキュリティ", "search", "language"),
     ("en/", "migrate", "openai", None), ("en/", "security", "search", None)],
    ids=["ja-移行", "ja-セキュリティ", "en-migrate", "en-security"],
)
def test_a_topic_word_finds_its_digest(
    topic_site: dict[str, str], browser: Browser, lang_root: str, word: str, area: str, decoy: str | None
) -> None:
    with search_probe.serve(Path(topic_site["public"])) as site_url:
        found = search_probe.first_query(browser, site_url, lang_root, word)
    digests = [link for link in found["links"] if "/history/" not in link]
    assert f"/{lang_root}{topic_site[area]}/" in digests, found
    # (the English decoys' other files come from the corpus and may well be about migrations)
    assert decoy is None or not any(topic_site[decoy] in link for link in found["links"]), found
    # every result is a page of the query's language
    assert all(link.startswith("/en/") == bool(lang_root) for link in found["links"]), found
    # the first query fetches only a few small parts of the bundle
    assert 0 < found["bytes"] <= 1_000_000 and found["requests"] <= 20, found


def test_a_word_with_no_page_says_so(topic_site: dict[str, str], browser: Browser) -> None:
    with search_probe.serve(Path(topic_site["public"])) as site_url:
        found = search_probe.first_query(browser, site_url, "", "zqxjvw")
    assert found["links"] == [] and "一致するページはありません" in found["status"]


def test_a_hostile_diff_shows_as_text(topic_site: dict[str, str], browser: Browser) -> None:
    with search_probe.serve(Path(topic_site["public"])) as site_url:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{site_url}en/{topic_site['agents']}/")
        details = page.locator("details[data-lines]").first
        details.locator("summary").click()
        code = details.locator("pre.diff code")
        code.wait_for()
        assert '<img src=x onerror="window.pwned = 2"><b>bold?</b>' in code.inner_text()
        assert details.locator("img, b, script").count() == 0
        assert page.evaluate("window.pwned") is None
        context.close()


@pytest.mark.parametrize(("lang_root", "word"), [("", "ブックマーク"), ("en/", "bookmark")], ids=["ja", "en"])
def test_a_word_of_a_merged_bundle_finds_its_page(topic_site: dict[str, str], browser: Browser, lang_root: str,
                                                  word: str) -> None:
    """The about page is in the language's last bundle ("pages"), merged into the first, which alone holds
    Pagefind's script and WebAssembly (digest/site/search.py RUNTIME)."""
    bundles = Path(topic_site["public"]) / lang_root / "pagefind"
    assert not (bundles / "pages" / "pagefind.js").exists() and (bundles / "2025" / "pagefind.js").exists()
    with search_probe.serve(Path(topic_site["public"])) as site_url:
        found = search_probe.first_query(browser, site_url, lang_root, word)
    assert found["links"] == [f"/{lang_root}about/"], found
