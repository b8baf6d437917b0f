"""The built site, read as files: blog structure, two languages, the switcher, feeds, search, offline, About."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import re
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from digest.docsrepo.links import short_commits
from digest.site.history import has_history, history_url
from digest.models import DigestRecord
from digest.render.pages import TYPE_ORDER
from digest.record import iter_records

from .sitebuild import LANG_ROOT, SITE_URL, fixture_site, page_url, soup, target


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_site(tmp_path_factory)


@pytest.fixture(scope="module")
def public(site: Path) -> Path:
    return site / "public"


@pytest.fixture(scope="module")
def records(site: Path) -> list[DigestRecord]:
    return list(iter_records(site / "data" / "digests"))


def pages(public: Path, lang: str) -> list[Path]:
    found = sorted(public.rglob("*.html"))
    if lang == "en":
        return [p for p in found if p.relative_to(public).parts[0] == "en"]
    return [p for p in found if p.relative_to(public).parts[0] != "en"]


def test_every_digest_is_a_post_in_both_languages_under_one_slug(public: Path, records: list[DigestRecord]) -> None:
    assert len(records) == 34
    for record in records:
        for lang, folder in LANG_ROOT.items():
            page = soup(public / folder / record.slug / "index.html")
            assert page.html["lang"] == lang
            title = page.find("h1").get_text()
            assert record.date.isoformat() in title and getattr(record.area_name, lang) in title
            assert page.select_one("time") is not None  # the blog's post date


def test_home_archive_and_area_pages(public: Path, records: list[DigestRecord]) -> None:
    newest = max(record.date for record in records)
    by_slug = {r.slug: r for r in records}
    for lang, folder in LANG_ROOT.items():
        home = soup(public / folder / "index.html")
        listed = home.select(".digest-list > li > a")
        assert 10 <= len(listed) <= 20
        assert newest.isoformat() in home.select_one(".digest-list time").get_text()
        # a glance entry per digest that holds more than minor updates: a badge per change type with its count
        for entry in home.select(".digest-list > li:not(.routine)"):
            record = by_slug[slug_of(entry.select_one(":scope > a")["href"])]
            badges = [b.get_text() for b in entry.select('[class^="b-"]')]
            expected = [t for t in TYPE_ORDER if any(f.modification_type == t for f in record.files)]
            assert len(badges) == len(expected), (lang, record.slug)
            for badge, kind in zip(badges, expected, strict=True):
                assert badge.endswith(f" {sum(f.modification_type == kind for f in record.files)}")
            assert not entry.select("details[data-lines]")
        # the digests of a day with minor updates only: one folded line per day
        for line in home.select(".digest-list > li.routine"):
            folded = [by_slug[slug_of(a["href"])] for a in line.select(":scope > a")]
            assert len({r.date for r in folded}) == 1
            assert all(f.modification_type == "minor update" for r in folded for f in r.files)
        # more than a page of digests: the home page is paginated
        assert (public / folder / "page" / "2" / "index.html").exists()
        # the month's archive holds every digest of the month
        assert len(listing(public / folder / "archive" / "2025" / "02")) == len(records)
        # one area page per service area, holding exactly that area's digests
        areas = {record.area_name.en for record in records}
        for area in areas:
            slug = re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-")
            listed = listing(public / folder / "area" / slug)
            expected = [r for r in records if r.area_name.en == area]
            assert sorted(listed) == sorted(r.slug for r in expected), (lang, area)
    nav = soup(public / "index.html").select_one(".md-sidebar--primary").get_text()
    assert "過去の投稿" in nav or "アーカイブ" in nav
    assert "サービス領域" in nav
    assert "Service areas" in soup(public / "en" / "index.html").select_one(".md-sidebar--primary").get_text()


def test_the_language_switcher_leads_to_the_same_page_in_the_other_language(public: Path) -> None:
    checked = 0
    for lang, other in (("ja", "en"), ("en", "ja")):
        for path in pages(public, lang):
            if path.name == "404.html":
                continue
            link = soup(path).select_one(f".md-select a[hreflang={other}], a.md-select__link[hreflang={other}]")
            assert link is not None, path
            landing = target(public, page_url(public, path), link["href"])
            relative = path.relative_to(public).as_posix()
            expected = public / (relative[len("en/") :] if lang == "en" else "en/" + relative)
            assert landing == expected and landing.exists(), (path, link["href"])
            checked += 1
    assert checked == len(list(public.rglob("*.html"))) - 2  # every page but the two 404 pages


def test_no_page_head_points_the_switcher_script_at_another_site(public: Path) -> None:
    # Material's script steers clicks on the switcher from the <link rel=alternate hreflang> of the head by
    # URL prefix, which sends a reader to the other home page: the head has none.
    for path in pages(public, "ja")[:20] + pages(public, "en")[:20]:
        assert not soup(path).select("head link[rel=alternate][hreflang]"), path


def slug_of(href: str) -> str:
    return href.strip("./").split("/")[-1]


def listing(folder: Path) -> list[str]:
    """The slugs of the digests a blog view lists (glance entries and folded lines), over all its pages."""
    paths = [folder / "index.html", *sorted((folder / "page").glob("*/index.html"))]
    selector = ".digest-list > li > a"
    return [slug_of(a["href"]) for path in paths for a in soup(path).select(selector)]


def parse_feed(path: Path) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for child in ("title", "link", "description"):
        assert (channel.findtext(child) or "").strip(), (path, child)
    return channel


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_feeds_per_language_and_area(public: Path, records: list[DigestRecord], lang: str) -> None:
    folder = public / LANG_ROOT[lang]
    by_slug = {record.slug: record for record in records}
    site_url = SITE_URL + LANG_ROOT[lang]
    feeds = {"feed.xml": records} | {
        f"feed-{area}.xml": [r for r in records if r.area == area] for area in {r.area for r in records}
    }
    typed = {"feed-breaking-changes.xml", "feed-new-features.xml"}
    assert sorted(p.name for p in folder.glob("feed*.xml")) == sorted([*feeds, *typed])
    for name, expected in feeds.items():
        channel = parse_feed(folder / name)
        assert channel.findtext("language") == lang
        items = channel.findall("item")
        assert sorted(item.findtext("link") for item in items) == sorted(f"{site_url}{r.slug}/" for r in expected)
        dates = [parsedate_to_datetime(item.findtext("pubDate") or "") for item in items]
        assert dates == sorted(dates, reverse=True)
        for item, published in zip(items, dates, strict=True):
            slug = (item.findtext("link") or "")[len(site_url) :].strip("/")
            record = by_slug[slug]
            assert (folder / slug / "index.html").exists()
            # the digest's own day in its time zone, never the build time
            assert published == dt.datetime.combine(record.date, dt.time(), ZoneInfo("Asia/Tokyo"))
            assert published.utcoffset() == dt.timedelta(hours=9)
            highlight = " ".join(getattr(record.summary, lang).highlight.split())
            assert html.unescape(item.findtext("description") or "") == highlight
            assert item.find("guid").text == item.findtext("link")


def test_feeds_are_announced_in_every_page_head(public: Path, records: list[DigestRecord]) -> None:
    area_of = {record.slug: record.area for record in records}
    for lang in ("ja", "en"):
        for path in pages(public, lang):
            if path.name == "404.html":
                continue
            links = soup(path).select('head link[rel=alternate][type="application/rss+xml"]')
            feeds = [target(public, page_url(public, path), link["href"]) for link in links]
            # the history pages announce none (a tenth of their bytes; the digests and lists do)
            if path.relative_to(public / LANG_ROOT[lang]).parts[0] == "history":
                assert feeds == [], path
                continue
            assert public / LANG_ROOT[lang] / "feed.xml" in feeds, path
            assert all(feed is not None and feed.exists() for feed in feeds), path
            slug = path.parent.name
            if slug in area_of and path.parent.parent == public / LANG_ROOT[lang].rstrip("/"):
                assert public / LANG_ROOT[lang] / f"feed-{area_of[slug]}.xml" in feeds, path


def test_every_page_loads_only_from_its_own_site(public: Path) -> None:
    for path in sorted(public.rglob("*.html")):
        page = soup(path)
        for element in page.find_all(["script", "link", "img", "iframe", "source", "video", "audio", "embed"]):
            if element.name == "link" and element.get("rel") == ["canonical"]:
                continue
            for attribute in ("src", "href", "srcset"):
                value = element.get(attribute)
                if value:
                    assert not urlsplit(value).netloc and not value.startswith("//"), (path, element)
    for sheet in public.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and not re.search(r"@import\s+url\(\s*['\"]?https?:", text), sheet
    assert not any("fonts.googleapis" in p.read_text(encoding="utf-8") for p in public.rglob("*.html"))


def test_internal_links_are_relative_so_any_base_path_works(public: Path) -> None:
    for path in pages(public, "ja")[:40] + pages(public, "en")[:40]:
        if path.name == "404.html":
            continue
        for anchor in soup(path).select("a[href]"):
            href = anchor["href"]
            assert not href.startswith("/"), (path, href)
            if not urlsplit(href).scheme:
                landing = target(public, page_url(public, path), href)
                assert landing is None or landing.exists() or "#" in href, (path, href)


def test_site_url_sets_every_absolute_address(public: Path, records: list[DigestRecord]) -> None:
    record = records[0]
    for lang, folder in LANG_ROOT.items():
        canonical = soup(public / folder / record.slug / "index.html").select_one("link[rel=canonical]")["href"]
        assert canonical == f"{SITE_URL}{folder}{record.slug}/"
        sitemap = (public / folder / "sitemap.xml").read_text(encoding="utf-8")
        assert f"<loc>{SITE_URL}{folder}{record.slug}/</loc>" in sitemap
        # one line a page (overrides/sitemap.xml), no build date as every page's <lastmod>; a sitemap still
        locs = [loc.text for loc in ET.fromstring(sitemap.encode()).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
        assert len(locs) == len(set(locs)) == sitemap.count("\n<url><loc>") and "lastmod" not in sitemap
        assert gzip.decompress((public / folder / "sitemap.xml.gz").read_bytes()).decode() == sitemap


def fragments(public: Path) -> list[dict]:
    """Pagefind's stored text of every indexed page (gzipped JSON after a signature)."""
    found = []
    for path in sorted([*(public / "pagefind").glob("*/fragment/*"), *(public / "en" / "pagefind").glob("*/fragment/*")]):
        data = gzip.decompress(path.read_bytes())
        page = json.loads(data[data.index(b"{"):])
        # the Japanese text comes segmented into words by zero-width spaces
        page["content"] = page["content"].replace("\u200b", "")
        found.append(page)
    return found


def test_each_diff_is_stored_once_for_both_languages_and_kept_out_of_the_pages(public: Path, records: list[DigestRecord]) -> None:
    # a changed line of some diff, long enough to be unique, that no summary quotes (the details list changed lines)
    record, line = next(
        (r, line[1:].strip()) for r in records for f in r.files for line in f.patch.splitlines()
        if line.startswith("+") and len(line.strip()) > 40 and not re.search(r"[`*_<>&\[\]]", line)
        and not any(line[1:].strip() in said for said in (f.details.en + f.details.ja if f.details else []))
    )
    stored = gzip.decompress((public / "diffs" / f"{record.slug}.txt.gz").read_bytes()).decode("utf-8")
    assert line in stored
    assert not (public / "en" / "diffs").exists()
    for lang, folder in LANG_ROOT.items():
        path = public / folder / record.slug / "index.html"
        assert html.escape(line, quote=False) not in path.read_text(encoding="utf-8")
        page = soup(path)
        # the page names the shared file once, which resolves from either language; each section its lines there
        (source,) = page.select("[data-diffs]")
        assert target(public, page_url(public, path), source["data-diffs"]) == public / "diffs" / f"{record.slug}.txt.gz"
        # without scripts: GitHub's compare view, the page's first link (its commit ids abbreviated:
        # docsrepo/links.py short_commits), which the note names rather than repeats
        first = page.select_one("article p:not(.digest-post-meta) a[href]")
        assert first is not None and first["href"] == short_commits(record.compare_url)
        assert source.find("noscript") is not None and "GitHub" in source.find("noscript").get_text()
        for details in page.select("details[data-lines]"):
            first, last = (int(n) for n in details["data-lines"].split("-"))
            assert 1 <= first <= last <= stored.count("\n") + 1


def test_search_index_per_language_without_diffs_or_empty_sections(public: Path, records: list[DigestRecord]) -> None:
    for lang, folder in LANG_ROOT.items():
        # the bundles the search page loads (digest/site/search.py): the newest year (the fixture's digests are all of
        # 2025) in a bundle of its own, older years two by two, then the other pages
        bundles = json.loads((public / folder / "pagefind" / "bundles.json").read_text(encoding="utf-8"))["bundles"]
        assert bundles == ["2025", "pages"]
        for name in bundles:
            entry = json.loads((public / folder / "pagefind" / name / "pagefind-entry.json").read_text(encoding="utf-8"))
            assert set(entry["languages"]) == {lang}
    assert not (public / "search" / "search_index.json").exists() and not (public / "en" / "search" / "search_index.json").exists()
    pages = fragments(public)
    urls = {page["url"] for page in pages}
    record = records[0]
    for lang, folder in LANG_ROOT.items():
        # every digest and every history page is indexed in its language; the lists are not
        assert f"/{folder}{record.slug}/" in urls
        assert any(url.startswith(f"/{folder}history/") for url in urls)
        # a history page is found by its file's name and path; its entries' titles are the digests' to match
        article = next(file for r in records for file in r.files if has_history(file.path))
        history = next(page for page in pages if page["url"] == f"/{folder}{history_url(article.path)}")
        assert article.path in history["content"]
        assert getattr(article.title, lang) not in history["content"]
        assert f"/{folder}" not in urls and f"/{folder}archive/2025/02/" not in urls
        text = next(page["content"] for page in pages if page["url"] == f"/{folder}{record.slug}/")
        assert getattr(record.summary, lang).highlight.split()[0] in text
    # a changed line no summary quotes (the details list changed lines, and the search finds them there)
    line = next(
        line[1:].strip() for r in records for f in r.files for line in f.patch.splitlines() if line.startswith("+") and len(line) > 40
        and not any(line[1:].strip() in said for said in (f.details.en + f.details.ja if f.details else []))
    )
    assert not any(line in page["content"] for page in pages)
    # an empty section ("None") is not indexed
    empty = next(r for r in records if not r.summary.en.breaking_changes)
    text = next(page["content"] for page in pages if page["url"] == f"/en/{empty.slug}/")
    assert "Breaking changes" in text and "Breaking changes None" not in text
    assert soup(public / "en" / empty.slug / "index.html").select("ul.digest-none[data-pagefind-ignore]")


def test_about_page_in_both_languages(public: Path, records: list[DigestRecord]) -> None:
    words = {
        "ja": ["MicrosoftDocs/azure-ai-docs", "CC BY 4.0", "機械的に生成", "RSS"],
        "en": ["MicrosoftDocs/azure-ai-docs", "CC BY 4.0", "machine-generated", "RSS"],
    }
    for lang, folder in LANG_ROOT.items():
        path = public / folder / "about" / "index.html"
        page = soup(path)
        text = page.select_one("article").get_text()
        for word in words[lang]:
            assert word in text, (lang, word)
        feeds = [target(public, page_url(public, path), a["href"]) for a in page.select("a.feed")]
        assert len(feeds) == 1 + len({r.area for r in records}) + 2  # all, each area, two change types
        assert all(feed is not None and feed.exists() for feed in feeds)
