"""Reading many files of one commit at once, from a full or a blobless (partial) clone.

A blobless clone fetches a missing blob on first use, one request per blob:
reading thousands of files that way takes hours. Here the missing blobs of a
set of files are fetched in one request first (what git itself does for a
checkout), then all are read through one `git cat-file --batch` process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from digest.errors import DigestError
from digest.source.repo import SourceRepo, decode_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TreeEntry:
    path: str
    oid: str


@dataclass
class FetchStats:
    """What reading cost: blobs asked for, blobs that had to be fetched, their bytes."""

    blobs: int = 0
    fetched: int = 0
    bytes: int = 0


def list_files(source: SourceRepo, commit: str) -> list[TreeEntry]:
    """Every regular file of the commit's tree (no blob is read)."""
    raw = source.git_bytes("ls-tree", "-r", "-z", "--full-tree", commit)
    entries = []
    for item in raw.split(b"\0"):
        if not item:
            continue
        meta, _, path = item.partition(b"\t")
        mode, kind, oid = meta.split()
        if kind == b"blob" and mode in (b"100644", b"100755"):
            entries.append(TreeEntry(decode_path(path), oid.decode()))
    return entries


def commit_exists(source: SourceRepo, commit: str) -> bool:
    try:
        source.git_bytes("cat-file", "-e", f"{commit}^{{commit}}")
        return True
    except DigestError:
        return False


def is_partial_clone(source: SourceRepo) -> bool:
    try:
        return bool(source.git_bytes("config", "--get", "remote.origin.promisor").strip() == b"true")
    except DigestError:
        return False


def missing_blobs(source: SourceRepo, commit: str) -> set[str]:
    """The blobs of the commit's tree that are not in the local object store (never fetches)."""
    raw = source.git_bytes("rev-list", "--objects", "--no-walk", "--missing=print", commit)
    return {line[1:].split()[0] for line in raw.decode().splitlines() if line.startswith("?")}


def prefetch(source: SourceRepo, commit: str, entries: list[TreeEntry], stats: FetchStats) -> None:
    """Fetch the entries' missing blobs from the promisor remote in one request."""
    if not entries or not is_partial_clone(source):
        return
    wanted = {entry.oid for entry in entries}
    missing = sorted(wanted & missing_blobs(source, commit))
    if not missing:
        return
    log.info("fetching %d file(s) of %s in one request", len(missing), commit[:12])
    source.git_bytes(
        "-c", "fetch.negotiationAlgorithm=noop", "fetch", "origin", "--no-tags", "--no-write-fetch-head",
        "--recurse-submodules=no", "--filter=blob:none", "--stdin", stdin="\n".join(missing).encode() + b"\n",
    )
    stats.fetched += len(missing)


def read_blobs(source: SourceRepo, commit: str, entries: list[TreeEntry], stats: FetchStats | None = None) -> dict[str, bytes]:
    """path -> content of each entry, read in one batch after fetching what is missing."""
    stats = stats if stats is not None else FetchStats()
    if not entries:
        return {}
    prefetch(source, commit, entries, stats)
    raw = source.git_bytes("cat-file", "--batch", stdin="".join(f"{entry.oid}\n" for entry in entries).encode())
    contents: dict[str, bytes] = {}
    position = 0
    for entry in entries:
        header_end = raw.index(b"\n", position)
        header = raw[position:header_end].split()
        if len(header) < 3 or header[1] == b"missing":
            position = header_end + 1
            continue
        size = int(header[2])
        start = header_end + 1
        contents[entry.path] = raw[start : start + size]
        position = start + size + 1  # the content is followed by a newline
    stats.blobs += len(entries)
    stats.bytes += sum(len(data) for data in contents.values())
    return contents


def changed_paths(source: SourceRepo, old: str, new: str) -> list[str]:
    """Paths that differ between two commits (trees only: no blob is read)."""
    raw = source.git_bytes("diff", "--name-only", "-z", "--no-renames", old, new, "--")
    return [decode_path(path) for path in raw.split(b"\0") if path]
