"""Rendering: sections in both languages, JSON blocks, and hostile text that stays inert."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from digest.cli import main
from digest.models import MODIFICATION_TYPES
from digest.record import iter_records, stored_records, write_record
from digest.render.pages import post_path, render_all

from .conftest import PROJECT, make_project
from .htmlcheck import assert_inert
from .gitrepo import RepoBuilder, utc
from .support.records import digest_record, file_record

HOSTILE = """# Hostile page

</details><script>alert("diff")</script>

<img src=x onerror=alert("img")>

<div onclick="alert('div')">click</div>

````
a fence inside the diff
````

[click me](javascript:alert("link"))

## Section {: onclick="alert('attr')" }

| `a|b` | <b onmouseover=alert("cell")>x</b> |
|---|---|
| `gpt-4o` | ok |
"""
SECTIONS = {
    "ja": ["ハイライト", "新機能", "破壊的変更", "その他の更新", "インサイト"],
    "en": ["Highlight", "New features", "Breaking changes", "Other updates", "Insight"],
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    builder = RepoBuilder(base / "repo")
    builder.write("articles/ai-services/openai/overview.md", "---\ntitle: Overview\nms.date: 01/01/2025\n---\n# Overview\n\ntext\n")
    builder.commit("initial", utc(2025, 3, 1))
    builder.write("articles/ai-services/openai/hostile.md", HOSTILE)
    builder.write('articles/ai-services/openai/<img src=x onerror=alert("path")>.md', "# `odd` name\n")
    builder.write("articles/ai-services/openai/overview.md", "---\ntitle: Overview\nms.date: 02/02/2025\n---\n# Overview\n\ntext\n")
    builder.commit('Add <script>alert("subject")</script> (#5)', utc(2025, 3, 2))
    root = make_project(base / "project")
    assert main(["run", "--root", str(root), "--repo", str(builder.path), "--since", "2025-03-02", "--until", "2025-03-02"]) == 0
    return root


def posts(root: Path, lang: str) -> list[Path]:
    return sorted((root / "site" / lang / "posts").glob("*.md"))


def test_the_day_is_one_page_per_area(hostile_site: Path) -> None:
    # the file whose name holds quotes and markup is read back from git's quoted form, not put aside
    assert [path.name for path in posts(hostile_site, "ja")] == ["2025-03-02-openai.md"]
    record = next(iter_records(hostile_site / "data" / "digests"))
    assert 'articles/ai-services/openai/<img src=x onerror=alert("path")>.md' in [f.path for f in record.files]


def test_every_page_has_its_sections_in_both_languages(hostile_site: Path) -> None:
    for lang, headings in SECTIONS.items():
        (post,) = posts(hostile_site, lang)
        text = post.read_text(encoding="utf-8")
        positions = [text.find(f"## {h}") if h in ("ハイライト", "インサイト", "Highlight", "Insight") else text.find(f"### {h}") for h in headings]
        assert all(p > 0 for p in positions), (lang, positions)
        assert positions == sorted(positions)


def test_every_json_block_parses_with_an_allowed_type(hostile_site: Path) -> None:
    record = next(iter_records(hostile_site / "data" / "digests"))
    for lang in ("ja", "en"):
        (post,) = posts(hostile_site, lang)
        # a plain escaped <pre> (raw HTML in the Markdown), not a fenced block
        blocks = re.findall(r'^<pre class="json">(.*?)</pre>$', post.read_text(encoding="utf-8"), flags=re.S | re.M)
        # one per file that is not routine: a routine file (here the ms.date bump) keeps heading, diff and links
        changes = [file for file in record.files if file.noise == "none"]
        assert len(record.files) == 3 and len(blocks) == len(changes) == 2
        titles = []
        for body in blocks:
            data = json.loads(html.unescape(body))
            assert set(data) == {"modification_type", "modification_title"}
            assert data["modification_type"] in MODIFICATION_TYPES
            titles.append(data["modification_title"])
        assert sorted(titles) == sorted(getattr(file.title, lang) for file in changes)


def test_hostile_text_never_becomes_live_html(hostile_site: Path) -> None:
    assert assert_inert(hostile_site / "public") > 4


def test_the_diff_stays_inside_its_block(hostile_site: Path) -> None:
    record = next(iter_records(hostile_site / "data" / "digests"))
    slug = record.slug
    # the diffs live once for both languages in a text file; each section names its lines there
    stored = gzip.decompress((hostile_site / "public" / "diffs" / f"{slug}.txt.gz").read_bytes()).decode("utf-8").split("\n")
    for lang_dir in ("", "en"):
        html = (hostile_site / "public" / lang_dir / slug / "index.html").read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        diffs = soup.select("details[data-lines]")
        assert len(diffs) == 3
        shown = {}
        for details in diffs:
            first, last = (int(n) for n in details["data-lines"].split("-"))
            shown[details] = "\n".join(stored[first - 1 : last])
            # the page holds no diff text, only the section's summary and its link to GitHub
            assert [child.name for child in details.find_all(recursive=False)] in (["summary"], ["summary", "p"])
        hostile = next(d for d in diffs if "a fence inside the diff" in shown[d])
        # every line of the hostile file is inside this one range
        for line in HOSTILE.splitlines():
            if line:
                assert "+" + line in shown[hostile]
        assert not soup.select("article script")
        assert hostile.find_next("h3") is not None or hostile.find_next("h2") is not None


def test_render_names_each_post_by_its_record_slug_known_unread(tmp_path: Path) -> None:
    record = digest_record([file_record("articles/search/a.md")], dt.date(2025, 3, 4), area="search")
    digests, docs = tmp_path / "data" / "digests", tmp_path / "site"
    write_record(digests, record)
    [stored] = stored_records(digests)
    assert (stored.day, stored.area, stored.slug) == ("2025-03-04", "search", record.slug)
    result = render_all(digests, docs, PROJECT / "templates")
    assert result.invalid == 0
    assert all(post_path(docs, lang, record.slug).exists() for lang in ("ja", "en"))


def test_a_files_details_are_a_folded_note_whose_items_the_diffs_file_holds(hostile_site: Path) -> None:
    record = next(iter_records(hostile_site / "data" / "digests"))
    detailed = [file for file in record.files if file.details and file.details.en]
    assert detailed, [file.path for file in record.files]
    # stored once for both languages beside the diffs; the page holds only the folded note and its range there
    stored = gzip.decompress((hostile_site / "public" / "diffs" / f"{record.slug}.txt.gz").read_bytes()).decode("utf-8").split("\n")
    for lang_dir, lang in (("", "ja"), ("en", "en")):
        html = (hostile_site / "public" / lang_dir / record.slug / "index.html").read_text(encoding="utf-8")
        folded = BeautifulSoup(html, "html.parser").select("details.note")
        assert len(folded) == len(detailed)
        for file, block in zip(detailed, folded, strict=True):
            lines = getattr(file.details, lang)
            assert f"({len(lines)})" in block.summary.get_text()
            assert [child.name for child in block.find_all(recursive=False)] == ["summary"]
            first, last = (int(n) for n in block["data-items"].split("-"))
            assert stored[first - 2] == f"#### {lang} {file.path}"
            assert stored[first - 1 : last] == [" ".join(line.split()) for line in lines]
