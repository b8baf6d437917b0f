"""The reader's pages, read as files: change-type feeds and pages, article histories, localized chrome.

The fixture site (tests/sitebuild.py) for what the built site holds; records made here for the
history of a renamed file and for hostile titles (rendered and written by the real code, no MkDocs).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from digest.docsrepo.paths import is_image_path
from digest.site.feeds import FEED_NAMES, FEED_TYPES, read_items, write_feeds
from digest.site.history import SHELL, has_history, history_slug, history_url, write_site_pages
from digest.site.htmlmin import minify
from digest.models import DigestRecord, FileRecord
from digest.render.pages import post_path, render_posts
from digest.render.templating import environment

from .conftest import PROJECT
from .sitebuild import LANG_ROOT, SITE_URL, page_url, soup, target
from .support.records import digest_record
from .support.records import file_record as make_file_record
from .test_site import public, records, site  # noqa: F401 - the fixture site's fixtures

LABELS = environment(str(PROJECT / "templates")).get_template("labels.j2").module.labels  # type: ignore[attr-defined]
REPO = "https://github.com/MicrosoftDocs/azure-ai-docs"


def kinds_of(record: DigestRecord, kind: str) -> list[FileRecord]:
    return [f for f in record.files if f.modification_type == kind.replace("-", " ")]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_change_type_feeds_hold_only_their_type(public: Path, records: list[DigestRecord], lang: str) -> None:
    folder = public / LANG_ROOT[lang]
    for kind, name in FEED_TYPES.items():
        channel = ET.parse(folder / name).getroot().find("channel")
        assert channel is not None
        assert LABELS[lang]["types"][kind.replace("-", " ")] in (channel.findtext("title") or "")
        items = channel.findall("item")
        expected = sorted(r.slug for r in records if kinds_of(r, kind))
        assert expected, "the fixture has digests of this type"
        assert sorted((i.findtext("link") or "").rstrip("/").rsplit("/", 1)[-1] for i in items) == expected
        by_slug = {r.slug: r for r in records}
        for item in items:
            record = by_slug[(item.findtext("link") or "").rstrip("/").rsplit("/", 1)[-1]]
            listed = soup_of(item.findtext("description") or "")
            codes = [code.get_text() for code in listed.select("li > code")]
            assert sorted(codes) == sorted(f.path for f in kinds_of(record, kind)), (kind, record.slug)
            for link in listed.select("li > a"):
                anchor = link["href"].split("#", 1)[1]
                assert soup(folder / record.slug / "index.html").find(id=anchor) is not None


def soup_of(text: str):  # noqa: ANN201 - a BeautifulSoup of an HTML fragment
    from bs4 import BeautifulSoup

    return BeautifulSoup(text, "html.parser")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_feed_titles_flag_breaking_changes(public: Path, records: list[DigestRecord], lang: str) -> None:
    channel = ET.parse(public / LANG_ROOT[lang] / "feed.xml").getroot().find("channel")
    assert channel is not None
    badge = LABELS[lang]["badges"]["breaking-change"]
    by_slug = {r.slug: r for r in records}
    flagged = 0
    for item in channel.findall("item"):
        record = by_slug[(item.findtext("link") or "").rstrip("/").rsplit("/", 1)[-1]]
        count = len(kinds_of(record, "breaking-change"))
        title = item.findtext("title") or ""
        assert title.startswith(f"[{badge} {count}] ") == bool(count), title
        flagged += bool(count)
    assert flagged >= 3


def test_type_feeds_are_announced_by_the_lists_and_on_the_about_page_not_by_each_digest(public: Path) -> None:
    def announced(path: Path) -> set[Path]:
        links = soup(path).select('head link[rel=alternate][type="application/rss+xml"]')
        return {target(public, page_url(public, path), link["href"]) for link in links}

    for lang, folder in LANG_ROOT.items():
        for path in [public / folder / "index.html", public / folder / "area" / "azure-openai" / "index.html"]:
            for name in FEED_TYPES.values():
                assert public / folder / name in announced(path), (path, name)
        # a digest announces the feed of all digests and its area's (~200 B a page less)
        digest = public / folder / "2025-02-26-openai" / "index.html"
        assert announced(digest) == {public / folder / "feed.xml", public / folder / "feed-openai.xml"}
        about = public / folder / "about" / "index.html"
        hrefs = {target(public, page_url(public, about), a["href"]) for a in soup(about).select("a.feed")}
        assert {public / folder / name for name in FEED_TYPES.values()} <= hrefs


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_change_type_pages_list_the_digests_of_their_type(public: Path, records: list[DigestRecord], lang: str) -> None:
    for kind in ("breaking-change", "new-feature", "bug-fix"):
        path = public / LANG_ROOT[lang] / "type" / kind / "index.html"
        page = soup(path)
        assert page.html["lang"] == lang
        assert LABELS[lang]["types"][kind.replace("-", " ")] in page.title.get_text()
        links = [a["href"] for a in page.select(".digest-list > li > a")]
        # each entry leads to its digest's table of the files of this type
        assert all(link.endswith(f"/#type-{kind}") for link in links), links
        for link in links[:3]:
            digest = target(public, page_url(public, path), link)
            assert digest is not None and soup(digest).select_one(f"h3#type-{kind}") is not None, link
        slugs = [link.split("#")[0].strip("./").split("/")[-1] for link in links]
        wanted = [r for r in sorted(records, key=lambda r: (r.date, r.slug), reverse=True) if kinds_of(r, kind)]
        assert sorted(slugs) == sorted(r.slug for r in wanted)
        assert [s[:10] for s in slugs] == sorted((s[:10] for s in slugs), reverse=True)
        for entry in page.select(".digest-list > li"):
            assert f"b-{kind}" in str(entry)
        # the language switcher leads to the same page in the other language
        other = "en" if lang == "ja" else "ja"
        link = page.select_one(f".md-select a[hreflang={other}], a.md-select__link[hreflang={other}]")
        assert target(public, page_url(public, path), link["href"]) == public / LANG_ROOT[other] / "type" / kind / "index.html"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_changed_file_has_a_history_page_linked_from_its_section(
    public: Path, records: list[DigestRecord], lang: str
) -> None:
    folder = public / LANG_ROOT[lang]
    changes: dict[str, list[DigestRecord]] = {}
    for record in records:
        for file in record.files:
            changes.setdefault(file.path, []).append(record)
    images = [path for path in changes if not has_history(path)]
    assert images and all(path.endswith((".png", ".svg", ".gif", ".jpg")) for path in images)
    for path in images:
        del changes[path]
    assert len(list((folder / "history").glob("*/index.html"))) == len(changes)
    for record in records[:12]:
        post = folder / record.slug / "index.html"
        links = {a["href"] for a in soup(post).select('a[href^="../history/"]')}
        for file in record.files:
            # every file with a history page is linked to it; an image has neither
            assert (f"../{history_url(file.path)}" in links) == has_history(file.path), (record.slug, file.path)
    for path, touched in list(changes.items())[:40]:
        page_path = folder / history_url(path) / "index.html"
        page = soup(page_path)
        assert page.html["lang"] == lang
        assert path in page.select_one(".digest-history__path").get_text()
        # the area is named once, beside the path (an entry names it only when its digest's area differs)
        assert any(getattr(r.area_name, lang) in page.select_one(".digest-history__path").get_text() for r in touched)
        # the description names the file by its base name; the whole path is the page's (not repeated in <head>)
        description = page.select_one('meta[name="description"]')["content"]
        assert path.rsplit("/", 1)[-1] in description and ("/" not in path or path not in description)
        items = page.select("ol.digest-history > li")
        assert len(items) == len(touched)
        dates = [li.select_one("time").get_text() for li in items]
        assert dates == sorted(dates, reverse=True)
        for li in items:
            link = li.select_one("a[href*='#file-']")
            landing = target(public, page_url(public, page_path), link["href"])
            assert landing is not None and landing.exists()
            section = soup(landing).find(id=link["href"].split("#", 1)[1])
            assert section is not None and path in section.get_text()
            assert li.select_one('[class^="b-"]')
        github = page.select_one(".digest-history__links a[href^='https://github.com/']")
        assert github is not None and github["href"].endswith(path)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_file_links_github_from_its_history_page_and_routine_entries_carry_no_learn_or_pr_links(
    public: Path, records: list[DigestRecord], lang: str
) -> None:
    folder = public / LANG_ROOT[lang]
    removed = kept = routine = 0
    for record in records:
        post = soup(folder / record.slug / "index.html")
        blobs = [a["href"] for a in post.select('a[href*="/blob/"]')]
        for file in record.files:
            # the page's compare link shows the file at the day's commit; its own GitHub link is on its history
            # page, here only for a file that has none (an image) or that the day removed
            wanted = file.status == "removed" or not has_history(file.path)
            assert any(href.endswith(file.path) for href in blobs) == wanted, (record.slug, file.path)
            removed += wanted
            kept += not wanted
        for entry in post.select("ul.digest-routine > li"):
            routine += 1
            assert not entry.select('a[href^="https://learn.microsoft.com"], a[href*="/pull/"]'), entry
    assert removed and kept and routine


def test_history_slugs_are_one_folder_deep_safe_and_distinct() -> None:
    paths = ["articles/ai-services/openai/concepts/models.md", "articles/ai-services/openai/concepts~models.md",
             "articles/a b/c.md", "articles/a_b/c.md", "README.md", "articles/README.md", "articles/.hidden.md",
             "articles/x/日本語.md"]
    slugs = [history_slug(p) for p in paths]
    assert len(set(slugs)) == len(slugs)
    assert slugs[0] == "ai-services~openai~concepts~models.md" and slugs[4] == "~README.md"
    assert all(re.fullmatch(r"[A-Za-z0-9._~-]+", s) and not s.startswith(".") for s in slugs), slugs


def record_with(files: list[FileRecord], day: dt.date, title: str = "A day") -> DigestRecord:
    return digest_record(files, day, highlight=title)


def file_record(path: str, title: str, kind: str = "minor update", old_path: str | None = None) -> FileRecord:
    return make_file_record(path, title, kind, status="renamed" if old_path else "modified", old_path=old_path)  # type: ignore[arg-type]


def built_posts(tmp_path: Path, records: list[DigestRecord]) -> tuple[Path, Path]:
    """The posts of `records` as `digest render` writes them, and a built-site folder holding a shell page."""
    docs = tmp_path / "site"
    for record in records:
        for lang, text in render_posts(str(PROJECT / "templates"), record).items():
            target_path = post_path(docs, lang, record.slug)
            target_path.parent.mkdir(parents=True, exist_ok=True)
            target_path.write_text(text, encoding="utf-8")
    built = tmp_path / "built"
    (built / SHELL).mkdir(parents=True)
    # minified, as MkDocs writes it (hooks/minify.py): its attributes' values without quotes
    (built / SHELL / "index.html").write_text(minify(
        '<html><head><link rel="stylesheet" href="../../assets/digest.css"></head><body>'
        f'<a href="../.././{SHELL}/" hreflang="ja">日本語</a><a href="../../en/{SHELL}/" hreflang="en">English</a>'
        "<h1>DIGESTSHELLTITLE</h1><p>DIGESTSHELLBODY</p></body></html>"),
        encoding="utf-8",
    )
    return docs, built


def test_a_renamed_file_keeps_its_history_under_both_paths(tmp_path: Path) -> None:
    old, new = "articles/ai-services/openai/old-name.md", "articles/ai-services/openai/new-name.md"
    records = [
        record_with([file_record(old, "Before the rename", "new feature")], dt.date(2025, 3, 1)),
        record_with([file_record(new, "Renamed", old_path=old)], dt.date(2025, 3, 2)),
        record_with([file_record(new, "After the rename", "breaking change")], dt.date(2025, 3, 3)),
    ]
    docs, built = built_posts(tmp_path, records)
    write_site_pages(read_items(docs / "en" / "posts"), built, "en", PROJECT / "templates")
    new_page = soup(built / history_url(new) / "index.html")
    old_page = soup(built / history_url(old) / "index.html")
    assert [a.get_text() for a in new_page.select("ol.digest-history a")] == ["After the rename", "Renamed"]
    assert [a.get_text() for a in old_page.select("ol.digest-history a")] == ["Renamed", "Before the rename"]
    assert "renamed to " + new in old_page.get_text()
    assert "renamed from " + old in new_page.get_text()
    # the other language's history page of the same file
    assert new_page.select_one("a[hreflang=ja]")["href"] == f"../.././{history_url(new)}"
    # the shell itself is gone from the built site
    assert not (built / SHELL).exists()
    # the digest links both histories from the renamed file's section
    post = (docs / "en" / "posts" / f"{records[1].slug}.md").read_text(encoding="utf-8")
    assert f"(../{history_url(new)})" in post and f"(../{history_url(old)})" in post


def test_hostile_titles_stay_text_in_front_matter_lists_feeds_and_histories(tmp_path: Path) -> None:
    hostile = '<img src=x onerror=alert(1)> & "quoted" `code` | pipe'
    path = 'articles/ai-services/openai/"><script>alert(2)</script>.md'
    records = [record_with([file_record(path, hostile, "breaking change")], dt.date(2025, 3, 1), hostile)]
    docs, built = built_posts(tmp_path, records)
    text = (docs / "ja" / "posts" / f"{records[0].slug}.md").read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---\n")[1])["digest"]
    assert "<img" not in meta["headline"] and "&lt;img src=x" in meta["headline"]
    assert meta["headline"].endswith("<code>code</code> | pipe")
    assert "<script>" not in meta["files"][0]["path"]
    items = read_items(docs / "ja" / "posts")
    write_site_pages(items, built, "ja", PROJECT / "templates")
    write_feeds(items, built, SITE_URL, "ja", LABELS["ja"])
    page = soup(built / history_url(path) / "index.html")
    assert not page.find("img") and not page.find("script")
    assert hostile.replace("`code`", "code") in page.select_one("ol.digest-history a").get_text()
    description = ET.parse(built / FEED_TYPES["breaking-change"]).getroot().findtext("channel/item/description") or ""
    assert not soup_of(description).find("img") and not soup_of(description).find("script")
    assert "<img src=x" in soup_of(description).get_text()
    # a feed without indentation: its elements one after the other (digest/site/feeds.py rss)
    assert b"\n " not in (built / FEED_TYPES["breaking-change"]).read_bytes()


def test_localized_chrome(public: Path) -> None:
    ja_home = soup(public / "index.html")
    assert ja_home.title.get_text().strip() == "Azure AI ドキュメント更新ダイジェスト"  # not twice
    assert ja_home.select_one('link[rel="icon"]')["href"].endswith("assets/favicon.svg")
    assert ja_home.select_one("img[src$='assets/logo.svg']") is not None
    digest = soup(public / "2025-02-26-openai" / "index.html")
    # no permalink mark on the headings (a tenth of the article's markup); the headings keep their ids
    assert not digest.select("a.headerlink") and not soup(public / "en" / "2025-02-26-openai" / "index.html").select("a.headerlink")
    assert digest.select_one("h2#_1") is not None
    meta = digest.select_one(".digest-post-meta")
    assert meta.get_text() == "2025年2月26日 · サービス領域: Azure OpenAI" and meta.time["datetime"] == "2025-02-26"
    assert meta.a["href"] == "../area/azure-openai/"
    assert soup(public / "en" / "2025-02-26-openai" / "index.html").select_one(".digest-post-meta").get_text() == (
        "February 26, 2025 · Service area: Azure OpenAI"
    )
    # a month's and an area's list have descriptions of their own
    site_description = ja_home.select_one('meta[name="description"]')["content"]
    for folder in ("archive/2025/02", "area/azure-openai"):
        description = soup(public / folder / "index.html").select_one('meta[name="description"]')["content"]
        assert description != site_description and "ダイジェスト" in description
    # the Japanese 404 page: in Japanese, with a way home and to the search
    missing = soup(public / "404.html")
    assert missing.find("h1").get_text() == "ページが見つかりません"
    assert missing.select_one(".digest-404 a")["href"].endswith("/azure/ai-docs/")
    assert missing.select_one(".digest-404 a.digest-404__search")["href"].endswith("/azure/ai-docs/search/")
    assert soup(public / "en" / "404.html").find("h1").get_text() == "Page not found"


def site_config(name: str) -> dict:
    return yaml.safe_load(re.sub(r"!ENV \[[^\]]*\]", "x", (PROJECT / name).read_text(encoding="utf-8")))


def test_the_feeds_the_theme_announces_are_the_feeds_written() -> None:
    """mkdocs.yml extra.feeds (the theme's <head> links, templates) repeats digest/site/feeds.py FEED_NAMES."""
    assert site_config("mkdocs.yml")["extra"]["feeds"] == FEED_NAMES
    assert "feeds" not in site_config("mkdocs.en.yml").get("extra", {})  # the English build inherits them


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_digest_page_is_lean_one_copy_of_its_contents_and_no_whole_navigation(public: Path, lang: str) -> None:
    """overrides/blog-post.html: no post sidebar, no second contents list, not every area and month in every digest."""
    digest = soup(public / LANG_ROOT[lang] / "2025-02-26-openai" / "index.html")
    assert digest.select_one(".md-sidebar--post") is None and digest.select_one(".md-sidebar--secondary") is None
    sidebars = digest.select(".md-sidebar")
    assert len(sidebars) == 1 and sidebars[0].get("hidden") is None
    contents = sidebars[0].select(".digest-drawer-toc a")
    assert [a["href"] for a in contents] == [f"#{h2['id']}" for h2 in digest.select("article h2[id]")]
    # the top pages only: home and about, no area list and no month
    links = [a["href"] for a in sidebars[0].select(".digest-drawer-links a")]
    assert links == ["..", "../about/"]
    assert not sidebars[0].select('a[href*="area/"], a[href*="archive/"]')
    # the home page keeps the whole navigation
    home = soup(public / LANG_ROOT[lang] / "index.html").select_one(".md-sidebar--primary")
    assert home.select('a[href*="area/"]')


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_theme_holds_what_the_bundle_and_the_reader_use_and_no_more(public: Path, lang: str) -> None:
    """overrides/partials/*.html and hooks/chrome.py: Material's chrome less what the site never uses."""
    folder = public / LANG_ROOT[lang]
    pages = [folder / "2025-02-26-openai" / "index.html", folder / "index.html", folder / "archive" / "2025" / "02" / "index.html",
             folder / "type" / "new-feature" / "index.html", folder / "404.html"]
    for path in pages:
        text = path.read_text(encoding="utf-8")
        page = soup(path)
        # what Material's bundle looks up without a guard, and the drawer's toggle
        assert page.select_one("input[data-md-toggle=drawer]#__drawer") is not None, path
        assert page.select_one("input[data-md-toggle=search][hidden]") is not None, path
        for component in ("header", "header-title", "main", "top"):
            assert page.select_one(f"[data-md-component={component}]") is not None, (path, component)
        # what only Material's instant navigation, announcement bar or code copy button would read
        for gone in ('data-md-component="dialog"', 'data-md-component="announce"', 'data-md-component="container"',
                     'data-md-component="logo"', 'data-md-component="skip"', "md-ellipsis", "md-select__item",
                     '<span class="digest-icon', 'id="__search"'):
            assert gone not in text, (path, gone)
        # the site's name in the title, the header and the drawer's title; the logo links home, named
        site_name = page.select_one(".md-header__topic").get_text()
        drawer = page.select_one(".md-nav__title[for=__drawer]")
        assert drawer is None and "type" in path.parts or drawer.get_text() == site_name, path
        logo = page.select_one("a.md-header__button.md-logo")
        assert logo["aria-label"] == ("ホーム" if lang == "ja" else "Home") and logo.img["alt"] == ""
        assert target(public, page_url(public, path), logo["href"]) == folder / "index.html" or path.name == "404.html"
        # the language switcher: this language's entry is this page, the other's the same page there
        own = page.select_one(f".md-select a[hreflang={lang}]")
        assert own["href"] == "./" and own["lang"] == lang
    digest = soup(pages[0])
    skip = digest.select_one("a.md-skip")
    assert skip["href"] == "#" + digest.select_one("article h2[id]")["id"] and skip.get_text().strip()
    # the drawer's entry for the home page reads "home" (the drawer's title shows the site's name)
    assert digest.select_one(".digest-drawer-links a").get_text() == ("ホーム" if lang == "ja" else "Home")


def test_the_english_build_inherits_the_markdown_settings() -> None:
    assert "markdown_extensions" not in site_config("mkdocs.en.yml")
    toc = next(e["toc"] for e in site_config("mkdocs.yml")["markdown_extensions"] if isinstance(e, dict) and "toc" in e)
    assert toc["permalink"] is False


def test_the_theme_badge_words_are_the_labels_badge_words() -> None:
    text = (PROJECT / "overrides" / "partials" / "language.html").read_text(encoding="utf-8")
    for lang in ("ja", "en"):
        block = text[text.index(f'"{lang}": {{') :]
        for kind, word in LABELS[lang]["badges"].items():
            assert re.search(rf'"digest\.badge\.{kind}": "{re.escape(word)}"', block), (lang, kind)


def test_labels_count_files_in_good_english() -> None:
    counts = LABELS["en"]["file_count"]
    assert counts["one"].format(count=1) == "1 file" and counts["other"].format(count=2) == "2 files"
    assert "(s)" not in str(LABELS["en"])


def index_paths(group) -> list[str]:  # noqa: ANN001 - a BeautifulSoup section of the index
    return [f"{group['data-folder']}/{a.get_text()}" for a in group.select("li > a")]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_history_index_lists_every_article_history_by_folder(public: Path, lang: str) -> None:
    folder = public / LANG_ROOT[lang]
    index = folder / "history" / "index.html"
    page = soup(index)
    assert page.html["lang"] == lang and LABELS[lang]["history_index_title"] in page.title.get_text()
    groups = page.select("section.digest-index__group")
    listed_paths = [path for group in groups for path in index_paths(group)]
    pages = {p.parent for p in (folder / "history").glob("*/index.html")}
    listed = {target(public, page_url(public, index), a["href"]).parent for a in page.select("ul.digest-index a")}
    # images have no history page (has_history), so every page is listed
    assert listed == pages and len(pages) > 20 and not any(is_image_path(p.name) for p in pages)
    assert {folder / history_url(path) for path in listed_paths} == pages
    folders = [group["data-folder"] for group in groups]
    assert folders == sorted(folders)
    for group in groups:
        assert index_paths(group) == sorted(index_paths(group))
    # every history page, the home page and the about page lead to the index
    some_history = sorted(pages)[0] / "index.html"
    for path in (some_history, folder / "index.html", folder / "about" / "index.html"):
        links = {target(public, page_url(public, path), a["href"]) for a in soup(path).select("a.digest-history__index")}
        assert index in links, path
    other = "en" if lang == "ja" else "ja"
    switch = page.select_one(f".md-select a[hreflang={other}], a.md-select__link[hreflang={other}]")
    assert target(public, page_url(public, index), switch["href"]) == public / LANG_ROOT[other] / "history" / "index.html"
    for link in page.select("head link[rel=stylesheet]"):
        assert target(public, page_url(public, index), link["href"]).exists(), link["href"]


def test_the_history_index_keeps_hostile_paths_as_text(tmp_path: Path) -> None:
    path = 'articles/ai-services/openai/"><img src=x onerror=alert(1)>.md'
    records = [record_with([file_record(path, "Hostile path", "bug fix")], dt.date(2025, 3, 1))]
    docs, built = built_posts(tmp_path, records)
    write_site_pages(read_items(docs / "en" / "posts"), built, "en", PROJECT / "templates")
    page = soup(built / "history" / "index.html")
    assert not page.find("img")
    [group] = page.select("section.digest-index__group")
    assert index_paths(group) == [path]
    item = group.select_one("li")
    assert "1 change" in item.get_text() and "2025-03-01" in item.get_text()
    assert (built / "history" / item.a["href"] / "index.html").exists()


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_search_index_holds_the_words_not_the_json_or_permalink_marks(public: Path, lang: str) -> None:
    import gzip
    import json

    fragments = sorted((public / LANG_ROOT[lang] / "pagefind").glob("*/fragment/*.pf_fragment"))
    assert len(fragments) > 30
    contents = [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd"))["content"] for f in fragments]
    assert not [c for c in contents if "¶" in c or '"modification_type"' in c or '"explanation"' in c]
    # nor the words every digest repeats: the tables' heads, the lines, the link words
    col_title = "タイトル" if lang == "ja" else "Title"
    pages = [json.loads(gzip.decompress(f.read_bytes()).removeprefix(b"pagefind_dcd")) for f in fragments]
    digests = [p["content"] for p in pages if re.search(r"/\d{4}-\d{2}-\d{2}-[a-z-]+/$", p["url"])]
    assert len(digests) > 10
    assert not [c for c in digests if "Microsoft Learn" in c or "PR #" in c or " / −" in c or f" {col_title} " in c]
    # the digests' own words are there: a highlight heading in the page's language
    heading = "ハイライト" if lang == "ja" else "Highlight"
    assert sum(heading in c.replace("\u200b", "") for c in contents) >= 20
