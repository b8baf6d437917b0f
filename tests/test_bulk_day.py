"""A day with 2,000 changed files (a bulk rename): every file listed, the edit collapsed into one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from digest.cli import main
from digest.render.pages import DETAILED_FILES

from .conftest import make_project
from .gitrepo import RepoBuilder, utc

FILES = 2000


def article(index: int, product: str) -> str:
    return (
        f"---\ntitle: Article {index}\nms.date: 01/01/2025\n---\n# Article {index}\n\n"
        f"Use {product} to build article {index}'s sample.\n\nMore text that stays the same.\n"
    )


@pytest.fixture(scope="module")
def bulk_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("bulk")
    b = RepoBuilder(base / "repo")
    for index in range(FILES):
        b.write(f"articles/ai-studio/how-to/article-{index:04d}.md", article(index, "Azure AI Studio"))
    b.commit("initial", utc(2025, 6, 1))
    for index in range(FILES):
        b.write(f"articles/ai-studio/how-to/article-{index:04d}.md", article(index, "Azure AI Foundry"))
    b.write("articles/ai-studio/how-to/new-capability.md", "# New capability\n\nNow you can do more.\n")
    b.commit("Rename Azure AI Studio to Azure AI Foundry everywhere (#900)", utc(2025, 6, 2))
    root = make_project(base / "project")
    assert main(["run", "--root", str(root), "--repo", str(b.path), "--since", "2025-06-02", "--until", "2025-06-02"]) == 0
    return root


def test_every_file_is_in_the_record_and_the_edit_is_one_bulk_line(bulk_site: Path) -> None:
    record = json.loads((bulk_site / "data/digests/2025-06-02/ai-foundry.json").read_text(encoding="utf-8"))
    assert len(record["files"]) == FILES + 1
    bulk = [f for f in record["files"] if f["noise"] == "bulk"]
    assert len(bulk) == FILES
    assert record["summary"]["en"]["other_updates"] == [f"Bulk edit “Studio” → “Foundry”: {FILES} files"]
    assert record["summary"]["ja"]["other_updates"] == [f"一括編集 「Studio」→「Foundry」: {FILES} ファイル"]
    new = [f for f in record["files"] if f["path"].endswith("new-capability.md")]
    assert new[0]["modification_type"] == "new feature" and new[0]["noise"] == "none"


def test_the_page_lists_every_file_and_stays_readable(bulk_site: Path) -> None:
    page = bulk_site / "public" / "en" / "2025-06-02-ai-foundry" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    text = soup.get_text(" ")
    for index in (0, 999, FILES - 1):
        assert f"article-{index:04d}.md" in text
    # the first files have a section of their own (a routine one: an entry under "Routine changes"), the others one
    # compact line each: every file keeps its anchor, so the history pages and the feeds still lead to it. The
    # summary table lists the files with sections of their own (here the one new article), the bulk-edited files
    # (routine) are counted in one line that links to their entries
    rows = [row for table in soup.find_all("table") for row in table.find_all("tr") if row.find("td")]
    assert len(rows) == 1 and "new-capability.md" in rows[0].get_text()
    assert f"{FILES} routine changes are listed below by kind" in " ".join(text.split())
    assert len(soup.select("ul.digest-routine > li")) == DETAILED_FILES - 1
    compact = soup.select("ol.digest-compact > li")
    assert len(compact) == FILES + 1 - DETAILED_FILES
    for index in range(1, FILES + 2):
        assert soup.find(id=f"file-{index}") is not None, index
    assert "Bulk edit" in text
    # the diffs shown are capped, the rest link to GitHub
    assert len(soup.select("details[data-lines]")) < FILES
    assert page.stat().st_size < 3_000_000
