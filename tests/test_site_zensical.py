"""Zensical, Material's successor, builds the same configuration: the move is one setting away.

`DIGEST_SITE_BUILDER=zensical digest build` builds the fixture site's pages with
Zensical (MkDocs hooks do not run there: they only make MkDocs faster) and
writes the same feeds.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from digest.cli import main
from digest.record import iter_records

from .conftest import make_project
from .sitebuild import LANG_ROOT, SITE_URL, fixture_site, page_url, soup, target


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = fixture_site(tmp_path_factory)
    root = make_project(tmp_path_factory.mktemp("zensical") / "project")
    shutil.copytree(source / "site", root / "site")
    shutil.copytree(source / "data", root / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIGEST_SITE_BUILDER", "zensical")
        assert main(["build", "--root", str(root), "--site-url", SITE_URL]) == 0
    return root


def test_zensical_builds_every_digest_in_both_languages(zensical_site: Path) -> None:
    public = zensical_site / "public"
    records = list(iter_records(zensical_site / "data" / "digests"))
    assert len(records) == 34
    for record in records:
        for lang, folder in LANG_ROOT.items():
            path = public / folder / record.slug / "index.html"
            page = soup(path)
            assert page.html["lang"] == lang
            assert getattr(record.area_name, lang) in page.find("h1").get_text()
            assert page.select("details[data-lines]") or not any(f.patch for f in record.files)
            # the language switcher of overrides/ works in Zensical too
            other = "en" if lang == "ja" else "ja"
            link = page.select_one(f".md-select a[hreflang={other}]")
            expected = public / LANG_ROOT[other] / record.slug / "index.html"
            assert target(public, page_url(public, path), link["href"]) == expected
    for folder in LANG_ROOT.values():
        assert (public / folder / "archive" / "2025" / "02" / "index.html").exists()
        assert (public / folder / "area" / "azure-openai" / "index.html").exists()
        assert (public / folder / "feed.xml").exists() and (public / folder / "feed-openai.xml").exists()
        # Zensical's own search index is unused (the header's search is Pagefind's) and dropped: it outgrows 5 MB
        assert not (public / folder / "search.json").exists()
        bundles = json.loads((public / folder / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
        assert bundles["bundles"]
