"""Odd and hostile input on a real repository: each shows up in the digest, nothing crashes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from digest.cli import main
from digest.pipeline import today_in
from digest.config import Settings

from .conftest import make_project
from .gitrepo import RepoBuilder, utc

BIG_LINES = 400_000  # ~20 MB of diff
SPACED = "articles/search/a file with spaces ü 日本語.md"


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("odd")
    b = RepoBuilder(base / "repo")
    b.write("articles/search/big.md", "".join(f"old line {i} {'x' * 40}\n" for i in range(BIG_LINES // 2)))
    b.write("articles/search/pure-rename.md", "".join(f"same {i}\n" for i in range(20)))
    b.write("articles/search/edited-rename.md", "".join(f"row {i}\n" for i in range(20)))
    b.write("articles/search/tool.sh", "echo hi\n")
    b.write("articles/search/link-target.md", "# Target\n")
    b.write("articles/search/latin1.md", "caf\xe9\n".encode("latin-1"))
    b.commit("initial", utc(2025, 3, 1))
    sub_one = b.commit("empty one", utc(2025, 3, 1, 4), allow_empty=True)
    b.repo.git.update_index("--add", "--cacheinfo", f"160000,{sub_one},articles/search/vendored")
    b.repo.git.commit("-q", "-m", "add a submodule", env={"GIT_AUTHOR_DATE": utc(2025, 3, 1, 5).isoformat(), "GIT_COMMITTER_DATE": utc(2025, 3, 1, 5).isoformat()})

    # the day under test: March 2
    b.write("articles/search/big.md", "".join(f"new line {i} {'y' * 40}\n" for i in range(BIG_LINES // 2)))
    b.write("articles/search/media/chart.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    b.write("articles/search/blob.bin", bytes(range(256)) * 8)
    b.write("articles/search/latin1.md", "caf\xe9 cr\xe8me br\xfbl\xe9e\n".encode("latin-1"))
    b.repo.git.update_index("--cacheinfo", f"160000,{b.repo.head.commit.hexsha},articles/search/vendored")
    (b.path / "articles/search/shortcut.md").symlink_to("link-target.md")
    (b.path / "articles/search/tool.sh").chmod(0o755)
    b.move("articles/search/pure-rename.md", "articles/search/moved/pure-rename.md")
    b.move("articles/search/edited-rename.md", "articles/search/moved/edited-rename.md")
    b.write("articles/search/moved/edited-rename.md", "".join(f"row {i}\n" for i in range(19)) + "row changed\n")
    b.write(SPACED, "# Spaces\n\nThe `gpt-4o` model.\n")
    b.commit("Big day (#42)", utc(2025, 3, 2))
    b.commit("nothing at all", utc(2025, 3, 2, 5), allow_empty=True)
    b.write("articles/search/future.md", "# From the future\n")
    b.commit("dated in the future", utc(2099, 1, 1))

    root = make_project(base / "project")
    assert main(["run", "--root", str(root), "--repo", str(b.path), "--since", "2025-03-02"]) == 0
    return root


def record_of(root: Path, day: str, area: str = "search") -> dict:
    return json.loads((root / "data" / "digests" / day / f"{area}.json").read_text(encoding="utf-8"))


def page_text(root: Path, day: str, lang: str = "en", area: str = "search") -> str:
    folder = root / "public" / ("en" if lang == "en" else "") / f"{day}-{area}"
    return BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "html.parser").get_text(" ")


def files_by_path(record: dict) -> dict[str, dict]:
    return {file["path"]: file for file in record["files"]}


def test_the_huge_diff_is_kept_whole_and_shortened_on_the_page(odd_site: Path) -> None:
    big = files_by_path(record_of(odd_site, "2025-03-02"))["articles/search/big.md"]
    assert (big["additions"], big["deletions"]) == (BIG_LINES // 2, BIG_LINES // 2)
    assert len(big["patch"]) > 20_000_000
    assert big["patch"].count("\n") == BIG_LINES  # the hunk header plus every line
    text = page_text(odd_site, "2025-03-02")
    assert "showing the first" in text and f"of {BIG_LINES + 1} lines" in text
    html = (odd_site / "public" / "en" / "2025-03-02-search" / "index.html").stat().st_size
    assert html < 2_000_000


def test_binary_non_utf8_submodule_symlink_mode_and_renames_are_listed(odd_site: Path) -> None:
    files = files_by_path(record_of(odd_site, "2025-03-02"))
    assert files["articles/search/media/chart.png"]["binary"] and files["articles/search/media/chart.png"]["noise"] == "image"
    assert files["articles/search/blob.bin"]["binary"]
    latin = files["articles/search/latin1.md"]
    assert latin["undecodable"] and "\ufffd" in latin["patch"]
    assert files["articles/search/vendored"]["kind"] == "submodule"
    assert files["articles/search/shortcut.md"]["kind"] == "symlink" and files["articles/search/shortcut.md"]["status"] == "added"
    tool = files["articles/search/tool.sh"]
    assert (tool["old_mode"], tool["new_mode"]) == ("100644", "100755")
    pure = files["articles/search/moved/pure-rename.md"]
    assert (pure["status"], pure["old_path"], pure["additions"], pure["deletions"]) == ("renamed", "articles/search/pure-rename.md", 0, 0)
    edited = files["articles/search/moved/edited-rename.md"]
    assert (edited["status"], edited["old_path"], edited["additions"], edited["deletions"]) == ("renamed", "articles/search/edited-rename.md", 1, 1)
    assert SPACED in files
    text = page_text(odd_site, "2025-03-02")
    for shown in ("chart.png", "blob.bin", "latin1.md", "vendored", "shortcut.md", "tool.sh", "pure-rename.md",
                  "edited-rename.md", "a file with spaces ü 日本語.md", "not UTF-8", "binary", "Submodule",
                  "Symbolic link", "100644 to 100755", "Moved to"):
        assert shown in text, shown
    ja = page_text(odd_site, "2025-03-02", "ja")
    assert "a file with spaces ü 日本語.md" in ja and "サブモジュール" in ja


def test_an_empty_commit_is_listed_with_the_day(odd_site: Path) -> None:
    commits = {commit["subject"]: commit for commit in record_of(odd_site, "2025-03-02")["commits"]}
    assert not commits["Big day (#42)"]["empty"] and commits["nothing at all"]["empty"]
    text = page_text(odd_site, "2025-03-02")
    assert "Big day" in text and "nothing at all (no file changed)" in text


def test_a_commit_dated_in_the_future_counts_today_with_a_marker(odd_site: Path) -> None:
    today = today_in(Settings(root=odd_site).tz).isoformat()
    record = record_of(odd_site, today)
    assert [c["subject"] for c in record["commits"]] == ["dated in the future"]
    assert record["commits"][0]["date_adjusted"]
    assert "date adjusted" in page_text(odd_site, today)
    assert dt.date.fromisoformat(today) < dt.date(2099, 1, 1)
