"""Diff stage: `git diff --find-renames` text -> one FileChange per file (unidiff)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import unidiff

from digest.models import FileChange, Status
from digest.source.repo import SourceRepo, decode_path

log = logging.getLogger(__name__)

FILE_HEADER = re.compile(rb"^diff --git ", re.MULTILINE)
HUNK_START = re.compile(r"^@@ ", re.MULTILINE)
MODE_KINDS = {"120000": "symlink", "160000": "submodule"}


DIFF_OPTIONS = ("--find-renames", "--no-color", "--no-ext-diff")
RAW_STATUS: dict[str, Status] = {"A": "added", "D": "removed", "M": "modified", "T": "modified", "R": "renamed", "C": "added"}


@dataclass(frozen=True)
class RawEntry:
    """One file of `git diff --raw -z`: its exact path(s), status and modes, as git has them."""

    path: str
    old_path: str | None
    status: Status
    old_mode: str
    new_mode: str
    letter: str


def diff_range(source: SourceRepo, base: str, head: str) -> list[FileChange]:
    """Every file changed between two commits, in git's path order.

    The patch text gives the hunks and counts; the paths, statuses and modes
    come from the same diff in `--raw -z` form, which names each file exactly
    (a header `diff --git a/x b/y` cannot tell where a path holding " b/" ends).
    """
    raw = source.git_bytes("diff", *DIFF_OPTIONS, "--submodule=short", base, head, "--")
    entries = raw_entries(source.git_bytes("diff", "-z", "--raw", "--no-abbrev", *DIFF_OPTIONS, base, head, "--"))
    return with_exact_paths(parse_git_diff(raw), entries)


def raw_entries(raw: bytes) -> list[RawEntry]:
    fields = raw.split(b"\0")
    entries = []
    index = 0
    while index < len(fields) - 1:
        meta = fields[index].decode("ascii", errors="replace").lstrip("\n").split()
        if len(meta) != 5 or not meta[0].startswith(":"):
            index += 1
            continue
        letter = meta[4][:1]
        two_paths = letter in ("R", "C")
        old = decode_path(fields[index + 1])
        new = decode_path(fields[index + 2]) if two_paths else old
        entries.append(RawEntry(new, old if two_paths else None, RAW_STATUS.get(letter, "modified"), meta[0][1:], meta[1], letter))
        index += 3 if two_paths else 2
    return entries


def with_exact_paths(changes: list[FileChange], entries: list[RawEntry]) -> list[FileChange]:
    """The parsed changes with git's exact paths; a type change (T) is two sections of the patch, one entry."""
    sections = [entry for entry in entries for _ in range(2 if entry.letter == "T" else 1)]
    if len(sections) != len(changes):
        log.warning("the patch has %d file sections, git lists %d files: paths as the patch headers give them", len(changes), len(sections))
        return changes
    exact = []
    for change, entry in zip(changes, sections, strict=True):
        update: dict[str, object] = {"path": entry.path, "old_path": entry.old_path}
        if change.parse_error is not None:
            update["status"] = entry.status
        exact.append(change.model_copy(update=update))
    return exact


def split_file_sections(raw: bytes) -> list[bytes]:
    starts = [match.start() for match in FILE_HEADER.finditer(raw)]
    return [raw[start:end] for start, end in zip(starts, [*starts[1:], len(raw)])]


def parse_git_diff(raw: bytes) -> list[FileChange]:
    return [parse_file_section(section) for section in split_file_sections(raw)]


def decode(data: bytes) -> tuple[str, bool]:
    """Text of `data` and whether it had to be decoded with replacement characters."""
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), True


def parse_file_section(section: bytes) -> FileChange:
    text, undecodable = decode(section)
    return parse_section_text(text, undecodable)


def parse_section_text(text: str, undecodable: bool = False) -> FileChange:
    try:
        patch_set = unidiff.PatchSet(text)
        if len(patch_set) != 1:
            raise unidiff.UnidiffParseError(f"expected one file, found {len(patch_set)}")
        patched = patch_set[0]
    except unidiff.UnidiffParseError as error:
        return _unparsed_change(text, undecodable, str(error))
    return _change_from_patched_file(patched, text, undecodable)


def _status(patched: unidiff.PatchedFile) -> Status:
    if patched.is_added_file:
        return "added"
    if patched.is_removed_file:
        return "removed"
    if patched.is_rename:
        return "renamed"
    return "modified"


C_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}
C_ESCAPE = re.compile(r'\\([0-7]{3}|[abtnvfr"\\])')


def unquote_git_path(path: str) -> str:
    """A path as git wrote it, without C-style quoting ("a/with \\"quote\\"" -> a/with "quote")."""
    if len(path) < 2 or not (path.startswith('"') and path.endswith('"')):
        return path
    inner = path[1:-1].encode("utf-8", errors="surrogateescape")
    raw = C_ESCAPE.sub(
        lambda m: bytes([int(m.group(1), 8) if m.group(1).isdigit() else C_ESCAPES[m.group(1)]]).decode("latin-1"),
        inner.decode("latin-1"),
    )
    return raw.encode("latin-1").decode("utf-8", errors="replace")


def _strip_prefix(path: str) -> str:
    path = unquote_git_path(path)
    return path[2:] if path[:2] in ("a/", "b/") else path


def hunks_text(section_text: str) -> str:
    """The hunks of one file's diff, as GitHub's compare API gives them (no headers, no final newline)."""
    match = HUNK_START.search(section_text)
    if not match:
        return ""
    body = section_text[match.start() :]
    return body[:-1] if body.endswith("\n") else body


def _change_from_patched_file(patched: unidiff.PatchedFile, text: str, undecodable: bool) -> FileChange:
    status = _status(patched)
    path = _strip_prefix(patched.target_file if status != "removed" else patched.source_file)
    old_path = _strip_prefix(patched.source_file) if status == "renamed" else None
    old_mode, new_mode = _modes(text)
    kind = MODE_KINDS.get(new_mode or "", MODE_KINDS.get(old_mode or "", "file"))
    return FileChange(
        path=path,
        old_path=old_path,
        status=status,
        additions=0 if patched.is_binary_file else patched.added,
        deletions=0 if patched.is_binary_file else patched.removed,
        patch=hunks_text(text),
        binary=patched.is_binary_file,
        undecodable=undecodable,
        old_mode=old_mode,
        new_mode=new_mode,
        kind=kind,  # type: ignore[arg-type]
    )


def _modes(text: str) -> tuple[str | None, str | None]:
    """File modes from the extended header lines (before the first hunk)."""
    header = text[: HUNK_START.search(text).start()] if HUNK_START.search(text) else text
    old_mode = new_mode = None
    for line in header.splitlines():
        if line.startswith("old mode "):
            old_mode = line.split()[-1]
        elif line.startswith("new mode "):
            new_mode = line.split()[-1]
        elif line.startswith("new file mode "):
            new_mode = line.split()[-1]
        elif line.startswith("deleted file mode "):
            old_mode = line.split()[-1]
        elif line.startswith("index ") and len(line.split()) == 3:
            old_mode = old_mode or line.split()[2]
            new_mode = new_mode or line.split()[2]
    return old_mode, new_mode


def _unparsed_change(text: str, undecodable: bool, error: str) -> FileChange:
    """A section unidiff could not read: kept whole, counted by line prefix, marked."""
    first_line = text.split("\n", 1)[0]
    match = re.match(r"diff --git a/(.*) b/(.*)$", first_line)
    path = match.group(2) if match else first_line
    body = hunks_text(text) or text
    lines = body.split("\n")
    log.warning("could not parse the diff of %s: %s", path, error)
    return FileChange(
        path=path,
        status="modified",
        additions=sum(1 for line in lines if line.startswith("+") and not line.startswith("+++ ")),
        deletions=sum(1 for line in lines if line.startswith("-") and not line.startswith("--- ")),
        patch=body,
        undecodable=undecodable,
        parse_error=error,
    )


def parse_patch(path: str, status: Status, patch: str | None, old_path: str | None = None) -> FileChange:
    """A FileChange from hunks alone, as the GitHub compare API and the corpus hold them."""
    if not patch:
        return FileChange(path=path, old_path=old_path, status=status, binary=patch is None)
    source = "/dev/null" if status == "added" else f"a/{old_path or path}"
    target = "/dev/null" if status == "removed" else f"b/{path}"
    mode_line = {"added": "new file mode 100644\n", "removed": "deleted file mode 100644\n"}.get(status, "")
    header = f"diff --git a/{old_path or path} b/{path}\n{mode_line}--- {source}\n+++ {target}\n"
    change = parse_section_text(header + patch + "\n")
    return change.model_copy(update={"path": path, "old_path": old_path, "status": status})
