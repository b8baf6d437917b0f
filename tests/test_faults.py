"""What a repository can send: bytes that split git's output, characters feeds and YAML refuse, folder names
made of markup, paths holding " b/". Each runs the whole daily job on a real repository and builds the site."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from digest.cli import main

from .conftest import make_project
from .gitrepo import RepoBuilder, utc

# what a feed, a front matter or a page cannot carry: C0 controls but tab/newline/CR, DEL, C1, noncharacters
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ufdd0-\ufdef]")
SEPARATOR_SUBJECT = "Fix\x1eall\x1fthe things\x00?"  # git stores no NUL: the commit is made without it
NASTY_HEADINGS = ("Colour \x1b[31mred\x1b[0m heading", "Delete\x7f key", "Non\ufffecharacter", "Bell\x07 and \x85 next line")
SCRIPT_FOLDER = 'x"><img src=x onerror=alert(1)>'
ODD_FOLDERS = ("hash#tag", "what?now", 'say "hi"')
B_PATH = "articles/search/docs b/guide b/setup.md"


@pytest.fixture(scope="module")
def hostile_repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("faults")
    b = RepoBuilder(base / "repo")
    b.write("articles/search/index.md", "# Search\n")
    b.commit("initial", utc(2025, 3, 1))
    headings = "".join(f"## {heading}\n\nText under it.\n\n" for heading in NASTY_HEADINGS)
    b.write("articles/search/nasty.md", f"---\ntitle: Nasty \x1b[1mbold\x1b[0m\n---\n# Nasty\x7f page\n\n{headings}")
    b.write(B_PATH, "# Setup\n\nNew guide.\n")
    b.write(f"articles/{SCRIPT_FOLDER}/page.md", "# Script folder\n\nNew text.\n")
    for folder in ODD_FOLDERS:
        b.write(f"articles/{folder}/page.md", f"# {folder}\n\nNew text.\n")
    b.commit(SEPARATOR_SUBJECT.replace("\x00", ""), utc(2025, 3, 2))
    root = make_project(base / "project")
    assert main(["run", "--root", str(root), "--repo", str(b.path), "--since", "2025-03-01", "--until", "2025-03-02"]) == 0
    # the same range again: a durable record never stops a later run
    assert main(["run", "--root", str(root), "--repo", str(b.path), "--since", "2025-03-01", "--until", "2025-03-02"]) == 0
    return root


def records(root: Path) -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((root / "data" / "digests").glob("*/*.json"))]


def all_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in (*all_strings(key), *all_strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in all_strings(item)]
    return []


def test_a_subject_holding_git_log_separators_is_read_whole(hostile_repo_site: Path) -> None:
    subjects = [commit["subject"] for record in records(hostile_repo_site) for commit in record["commits"]]
    # the separators are made visible, the rest of the subject is kept
    assert "Fix␞all␟the things?" in subjects
    page = (hostile_repo_site / "public" / "en" / "2025-03-02-search" / "index.html").read_text(encoding="utf-8")
    assert "Fix␞all␟the things?" in page


def test_no_record_post_or_feed_carries_a_forbidden_character(hostile_repo_site: Path) -> None:
    for record in records(hostile_repo_site):
        for text in all_strings(record):
            assert not FORBIDDEN.search(text), repr(text)
    nasty = {f["path"]: f for r in records(hostile_repo_site) for f in r["files"]}["articles/search/nasty.md"]
    assert "Colour ␛[31mred␛[0m heading" in nasty["facts"]["headings_added"]
    assert "Delete␡ key" in nasty["facts"]["headings_added"]
    for post in (hostile_repo_site / "site").rglob("posts/*.md"):
        text = post.read_text(encoding="utf-8")
        assert not FORBIDDEN.search(text), post
        yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))
    feeds = list((hostile_repo_site / "public").rglob("feed*.xml"))
    assert len(feeds) > 6
    for feed in feeds:
        raw = feed.read_text(encoding="utf-8")
        ET.fromstring(raw.encode("utf-8"))  # a well-formed XML 1.0 document
        assert not FORBIDDEN.search(raw), feed


def test_the_cleaner_covers_every_class_of_character() -> None:
    from digest.models import UNSAFE_CHARS

    for char in ("\x00", "\x1b", "\x0b", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\ufdd0", "\ufffe", "\uffff", "\U0010ffff", "\U0001fffe"):
        assert UNSAFE_CHARS.search(char), repr(char)
    for char in ("\t", "\n", "\r", " ", "é", "日", "\u2028", "\U0001f600"):
        assert not UNSAFE_CHARS.search(char), repr(char)


def test_a_path_holding_b_slash_is_the_right_file_in_the_right_area(hostile_repo_site: Path) -> None:
    search = {f["path"]: f for r in records(hostile_repo_site) if r["area"] == "search" for f in r["files"]}
    assert B_PATH in search
    assert search[B_PATH]["links"]["github"].endswith("/articles/search/docs%20b/guide%20b/setup.md")
    assert not any(r["area"] == "docs" for r in records(hostile_repo_site))


def test_folder_names_never_become_markup_or_break_a_feed_link(hostile_repo_site: Path) -> None:
    public = hostile_repo_site / "public"
    pages = list(public.rglob("*.html"))
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert not soup.find_all("img", attrs={"onerror": True}), page
        assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)], page
    areas = {r["area"]: r for r in records(hostile_repo_site)}
    odd = [area for area in areas if area not in ("search", "other")]
    assert len(odd) == 1 + len(ODD_FOLDERS)  # one area per folder, none merged
    for area in odd:
        assert re.fullmatch(r"[a-z0-9._-]+", area), area
        for lang_dir in (public, public / "en"):
            page = lang_dir / f"2025-03-02-{area}" / "index.html"
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            feed_links = [link["href"] for link in soup.find_all("link", rel="alternate") if "feed-" in link["href"]]
            area_feed = [href for href in feed_links if area in href]
            assert area_feed, (page, feed_links)
            assert (page.parent / area_feed[0]).resolve().is_file(), area_feed[0]


# --- a history or a record that changed under a day (item 7) ---------------------------------------------------


@contextlib.contextmanager
def warnings_logged() -> Iterator[io.StringIO]:
    """The digest log's warnings written meanwhile (the digest logger does not propagate to pytest's)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    logging.getLogger("digest").addHandler(handler)
    try:
        yield stream
    finally:
        logging.getLogger("digest").removeHandler(handler)


@pytest.fixture
def rewritten(tmp_path: Path) -> tuple[Path, str]:
    b = RepoBuilder(tmp_path / "repo")
    b.write("articles/search/index.md", "# Search\n")
    base = b.commit("initial", utc(2025, 3, 1))
    b.write("articles/search/a.md", "# A\n\nFirst text.\n")
    b.write("articles/speech/s.md", "# S\n\nSpeech text.\n")
    b.commit("Day two", utc(2025, 3, 2))
    b.write("articles/search/c.md", "# C\n")
    b.commit("Day three", utc(2025, 3, 3))
    root = make_project(tmp_path / "project")
    args = ["run", "--root", str(root), "--repo", str(b.path), "--no-build"]
    assert main([*args, "--since", "2025-03-01", "--until", "2025-03-03"]) == 0
    # a force-push: day two rewritten (no speech change any more, another text), day three made again
    b.repo.git.reset("--hard", "-q", base)
    b.write("articles/search/a.md", "# A\n\nRewritten text.\n")
    b.commit("Day two, rewritten", utc(2025, 3, 2))
    b.write("articles/search/c.md", "# C\n")
    b.commit("Day three again", utc(2025, 3, 3))
    b.write("articles/search/d.md", "# D\n")
    b.commit("Day four", utc(2025, 3, 4))
    with warnings_logged() as log:
        assert main(args) == 0
    return root, log.getvalue()


def test_a_rewritten_history_is_reported_and_its_days_digested_again(rewritten: tuple[Path, str]) -> None:
    root, log = rewritten
    assert "the history under 2025-03-02 changed" in log and "the history under 2025-03-03 changed" in log
    day_two = json.loads((root / "data" / "digests" / "2025-03-02" / "search.json").read_text(encoding="utf-8"))
    assert [c["subject"] for c in day_two["commits"]] == ["Day two, rewritten"]
    assert "+Rewritten text." in day_two["files"][0]["patch"]
    # the area that no longer changed that day is gone, and the run said so, naming the day
    assert not (root / "data" / "digests" / "2025-03-02" / "speech.json").exists()
    assert "2025-03-02: the area 'speech' has no change any more" in log
    assert (root / "data" / "digests" / "2025-03-04" / "search.json").exists()


def test_a_damaged_record_is_reported_by_day_and_the_other_pages_render(tmp_path: Path) -> None:
    b = RepoBuilder(tmp_path / "repo")
    b.write("articles/search/index.md", "# Search\n")
    b.commit("initial", utc(2025, 3, 1))
    b.write("articles/search/a.md", "# A\n")
    b.commit("Day two", utc(2025, 3, 2))
    root = make_project(tmp_path / "project")
    assert main(["run", "--root", str(root), "--repo", str(b.path), "--no-build", "--since", "2025-03-01", "--until", "2025-03-02"]) == 0
    damaged = root / "data" / "digests" / "2025-03-02" / "search.json"
    damaged.write_text(damaged.read_text(encoding="utf-8")[:200], encoding="utf-8")
    post = root / "site" / "en" / "posts" / "2025-03-02-search.md"
    before = post.read_text(encoding="utf-8")
    (root / "templates" / "post.md.j2").write_text((root / "templates" / "post.md.j2").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with warnings_logged() as log:
        assert main(["render", "--root", str(root)]) == 0
    assert "2025-03-02 search: not rendered" in log.getvalue()
    assert post.read_text(encoding="utf-8") == before  # kept, not dropped
    assert (root / "site" / "en" / "posts" / "2025-03-01-search.md").exists()
