"""Diff stage: corpus patches and real git diffs through unidiff."""

from __future__ import annotations

import subprocess

import pytest

from digest.diff import diff_range, parse_patch
from digest.source.repo import open_source

from .conftest import CORPUS, read_jsonl
from .gitrepo import RepoBuilder, utc


def test_every_corpus_patch_parses_with_its_counts() -> None:
    records = read_jsonl(CORPUS / "dev-files.jsonl")
    assert len(records) == 9651
    mismatches = []
    for record in records:
        change = parse_patch(record["path"], record["status"], record["patch"])
        if change.parse_error:
            mismatches.append((record["id"], change.parse_error))
        elif record["patch"] is not None and (change.additions, change.deletions) != (record["additions"], record["deletions"]):
            mismatches.append((record["id"], change.additions, change.deletions))
        elif record["patch"] is not None:
            assert change.patch == record["patch"]
    assert mismatches == []


def numstat(builder: RepoBuilder, base: str, head: str) -> dict[str, tuple[int, int]]:
    out = subprocess.run(
        ["git", "-c", "core.quotepath=off", "diff", "--numstat", "-z", "--find-renames", base, head],
        cwd=builder.path, capture_output=True, check=True,
    ).stdout.decode("utf-8", errors="replace")
    counts: dict[str, tuple[int, int]] = {}
    fields = out.split("\0")
    index = 0
    while index < len(fields) - 1:
        added, deleted, path = fields[index].split("\t", 2)
        if not path:  # a rename: the old and the new path follow
            path = fields[index + 2]
            index += 3
        else:
            index += 1
        counts[path] = (0 if added == "-" else int(added), 0 if deleted == "-" else int(deleted))
    return counts


@pytest.fixture
def two_commits(repo_builder: RepoBuilder, tmp_path):
    b = repo_builder
    b.write("articles/keep.md", "# Keep\n\nline one\nline two\n")
    b.write("articles/crlf.md", "first\r\nsecond\r\n")
    b.write("articles/no-newline.md", "last line without newline")
    b.write("articles/old-name.md", "".join(f"line {i}\n" for i in range(30)))
    b.write("articles/edited-rename.md", "".join(f"row {i}\n" for i in range(30)))
    b.write("articles/gone.md", "# Gone\n\nbye\n")
    b.write("articles/media/pic.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    b.write("articles/latin1.md", "caf\xe9\n".encode("latin-1"))
    b.write("articles/script.sh", "echo hi\n")
    base = b.commit("base", utc(2025, 3, 1))
    b.write("articles/keep.md", "# Keep\n\nline one changed\nline two\nline three\n")
    b.write("articles/crlf.md", "first\r\nsecond changed\r\n")
    b.write("articles/no-newline.md", "last line changed, still without newline")
    b.move("articles/old-name.md", "articles/new name é.md")
    b.move("articles/edited-rename.md", "articles/renamed/edited.md")
    b.write("articles/renamed/edited.md", "".join(f"row {i}\n" for i in range(29)) + "row changed\n")
    b.remove("articles/gone.md")
    b.write("articles/media/pic.png", b"\x89PNG\r\n\x1a\n" + bytes(reversed(range(256))))
    b.write("articles/new.md", "# New\n")
    b.write("articles/latin1.md", "caf\xe9 cr\xe8me\n".encode("latin-1"))
    (b.path / "articles/script.sh").chmod(0o755)
    head = b.commit("head", utc(2025, 3, 2))
    source = open_source(str(b.path), "main", tmp_path / "work")
    return b, base, head, {change.path: change for change in diff_range(source, base, head)}


def test_statuses_renames_and_counts_match_numstat(two_commits) -> None:
    builder, base, head, changes = two_commits
    assert changes["articles/new.md"].status == "added"
    assert changes["articles/gone.md"].status == "removed"
    assert changes["articles/keep.md"].status == "modified"
    pure = changes["articles/new name é.md"]
    assert (pure.status, pure.old_path, pure.additions, pure.deletions) == ("renamed", "articles/old-name.md", 0, 0)
    edited = changes["articles/renamed/edited.md"]
    assert (edited.status, edited.old_path) == ("renamed", "articles/edited-rename.md")
    assert (edited.additions, edited.deletions) == (1, 1)
    expected = numstat(builder, base, head)
    assert {path: (c.additions, c.deletions) for path, c in changes.items()} == expected


def test_binary_crlf_no_newline_and_non_utf8_are_kept(two_commits) -> None:
    _, _, _, changes = two_commits
    assert changes["articles/media/pic.png"].binary and changes["articles/media/pic.png"].patch == ""
    assert "-second\r\n+second changed\r" in changes["articles/crlf.md"].patch
    assert changes["articles/no-newline.md"].patch.count("\\ No newline at end of file") == 2
    latin = changes["articles/latin1.md"]
    assert latin.undecodable and "\ufffd" in latin.patch and (latin.additions, latin.deletions) == (1, 1)
    assert not changes["articles/keep.md"].undecodable


def test_mode_only_change_is_recorded(two_commits) -> None:
    _, _, _, changes = two_commits
    script = changes["articles/script.sh"]
    assert (script.old_mode, script.new_mode, script.additions, script.deletions) == ("100644", "100755", 0, 0)


def test_a_malformed_diff_is_kept_and_marked() -> None:
    from digest.diff import parse_git_diff

    raw = b"diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,2 @@\n-only one line\n"
    (change,) = parse_git_diff(raw)
    assert change.parse_error and change.path == "x.md"
    assert "-only one line" in change.patch and change.deletions == 1
