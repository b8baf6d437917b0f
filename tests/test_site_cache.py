"""The page cache of hooks/pagecache.py: a rebuild reuses it and gives the same site as a build without it."""

from __future__ import annotations

import gzip
import hashlib
import html
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from digest.cli import main
from digest.record import load_record, write_record

from .sitebuild import SITE_URL, fixture_site, soup


def tree(public: Path) -> dict[str, str]:
    files = {}
    for path in sorted(public.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            files[str(path.relative_to(public))] = hashlib.sha256(gzip.decompress(data) if path.suffix == ".gz" else data).hexdigest()
    return files


def cache_files(root: Path, kind: str = "*") -> dict[Path, int]:
    """The page cache's entries (hooks/pagecache.py): `html-` a post's HTML, `page-` its whole page."""
    return {path: path.stat().st_mtime_ns for lang in ("ja", "en")
            for path in (root / ".digest" / "page-cache" / lang).rglob(f"{kind}-*.json")}


def search_bundles(root: Path) -> dict[Path, int]:
    """The search bundles kept for the next build (digest/site/search.py), by their entry file."""
    return {path: path.stat().st_mtime_ns for path in (root / ".digest" / "page-cache" / "search").glob("*/*/pagefind-entry.json")}


@pytest.fixture
def copy(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path / "project"
    shutil.copytree(fixture_site(tmp_path_factory), root, symlinks=True)
    return root


def build(root: Path) -> None:
    assert main(["build", "--root", str(root), "--site-url", SITE_URL, "--force"]) == 0


def test_a_rebuild_from_the_cache_is_the_same_site(copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before, cached, bundles = tree(copy / "public"), cache_files(copy), search_bundles(copy)
    posts = len(list((copy / "site").glob("*/posts/*.md")))
    # per post and language, its HTML and its whole page
    assert len(cache_files(copy, "html")) == len(cache_files(copy, "page")) == posts
    # per language, the bundle of the digests' years and that of the other pages
    assert len(bundles) == 4
    build(copy)
    assert tree(copy / "public") == before
    assert cache_files(copy) == cached  # every entry was read, none written again
    assert search_bundles(copy) == bundles  # no page's indexed text changed: no bundle was indexed again
    monkeypatch.setenv("DIGEST_PAGE_CACHE", "off")
    build(copy)
    assert tree(copy / "public") == before


def test_a_changed_post_is_converted_again(copy: Path) -> None:
    post = next((copy / "site" / "en" / "posts").glob("*.md"))
    slug = post.stem
    before, cached = tree(copy / "public"), cache_files(copy)
    post.write_text(post.read_text(encoding="utf-8") + "\nA sentence added after the last build.\n", encoding="utf-8")
    build(copy)
    after = tree(copy / "public")
    assert "A sentence added after the last build." in (copy / "public" / "en" / slug / "index.html").read_text(encoding="utf-8")
    changed = {name for name in after if after[name] != before.get(name)}
    assert f"en/{slug}/index.html" in changed
    assert not any(name.startswith(f"{other.stem}/") for other in (copy / "site" / "ja" / "posts").glob("*.md") for name in changed)
    now = cache_files(copy)
    assert len(now) == len(cached)  # the old entries of the post went, its new ones came
    assert len(set(now) - set(cached)) == 2  # its HTML and its page


def test_a_changed_template_renders_every_page_again(copy: Path) -> None:
    content = copy / "overrides" / "partials" / "content.html"
    content.write_text(content.read_text(encoding="utf-8") + '<p class="marker-after-the-last-build"></p>\n', encoding="utf-8")
    build(copy)
    for post in (copy / "site" / "ja" / "posts").glob("*.md"):
        assert soup(copy / "public" / post.stem / "index.html").select("p.marker-after-the-last-build"), post.stem


def test_a_new_month_gets_its_archive_page_and_no_digest_lists_months(copy: Path) -> None:
    """A digest of a month not seen before: its archive page is built; digests' navigation lists no months
    (the home page does), so a new month renders no cached digest page again."""
    record = load_record(sorted((copy / "data" / "digests").glob("*/*.json"))[-1])
    record.date = record.date.replace(month=record.date.month % 12 + 1, day=1) if record.date.month < 12 else record.date
    write_record(copy / "data" / "digests", record)
    assert main(["render", "--root", str(copy)]) == 0
    build(copy)
    month = f"archive/{record.date:%Y/%m}/"
    assert (copy / "public" / month / "index.html").exists()
    pages = [path for path in (copy / "public").glob("2025-*/index.html")]
    assert len(pages) > 10
    for path in pages:
        links = {a.get("href", "") for a in soup(path).select("nav.md-nav--primary a")}
        assert not any("archive/" in link for link in links), path


def test_a_hostile_highlight_stays_text_in_the_head_and_the_feed(copy: Path) -> None:
    path = sorted((copy / "data" / "digests").glob("*/*.json"))[-1]
    record = load_record(path)
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)> & more'
    record.summary.ja.highlight = hostile
    write_record(copy / "data" / "digests", record)
    assert main(["render", "--root", str(copy)]) == 0
    build(copy)
    page = soup(copy / "public" / record.slug / "index.html")
    assert page.select_one('meta[name="description"]')["content"] == hostile
    assert all("alert" not in script.get_text() for script in page.select("script"))
    assert not page.select("img[onerror]")
    item = next(i for i in ET.parse(copy / "public" / "feed.xml").getroot().iter("item") if record.slug in i.findtext("link", ""))
    # the description is escaped text: a feed reader that reads it as HTML shows the characters
    assert item.findtext("description") == html.escape(hostile, quote=True)


def test_a_code_span_that_looks_like_a_tag_with_bare_attributes_builds(copy: Path) -> None:
    # MkDocs' raw-HTML scan reads `<your subscription ID>` in a code span as a tag whose `id` has no value (None):
    # the page cache must keep the page's anchors without it, not fail the build
    path = sorted((copy / "data" / "digests").glob("*/*.json"))[-1]
    record = load_record(path)
    file = next(f for f in record.files if f.noise == "none")
    file.explanation.en = "Code added: `ResourceId=/subscriptions/<your subscription ID>/<a name>`"
    write_record(copy / "data" / "digests", record)
    assert main(["render", "--root", str(copy)]) == 0
    build(copy)
    build(copy)  # again, from the page cache
    page = soup(copy / "public" / "en" / record.slug / "index.html")
    assert "ResourceId=/subscriptions/<your subscription ID>/<a name>" in [code.get_text() for code in page.select("code")]
