"""The diffs of a digest, stored once for both languages: one gzipped text file per digest.

A digest's pages used to embed every diff as escaped HTML, once per language:
most of the site's bytes. Now the render stage writes the diff lines a page
shows into `diffs/<slug>.txt.gz` at the Japanese root (public/diffs/), and
each file section of either language names its lines there
(`data-lines="first-last"`, 1-based). templates/assets/diffs.js fetches the
file when a section is opened, unzips it in the browser and shows the lines
as text (never as HTML); without scripts the section links the diff on GitHub.

The file is plain text once unzipped: per file a header line `### <path>`,
then its lines, then a blank line. What is cut stays as before: at most
`max_lines` lines per file and `max_chars` characters of text per file;
carriage returns are shown as ␍.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass

DIFFS_DIR = "diffs"


def diff_name(slug: str) -> str:
    return f"{DIFFS_DIR}/{slug}.txt.gz"


@dataclass(frozen=True)
class DiffView:
    """What a page shows of one file's diff: lines `first`..`last` of the digest's text (0 when none shown)."""

    total: int
    shown: int
    first: int = 0
    last: int = 0

    @property
    def cut(self) -> bool:
        return self.shown < self.total


def shown_lines(patch: str, max_lines: int, max_chars: int = 64_000) -> tuple[list[str], int]:
    """The lines of `patch` a page shows, and how many it has."""
    lines = patch.split("\n") if patch else []
    shown: list[str] = []
    size = 0
    for line in lines[:max_lines]:
        size += len(line)
        if size > max_chars and shown:
            break
        text = line.replace("\r", "␍")
        shown.append(text[:max_chars] + "…" if len(text) > max_chars else text)
    return shown, len(lines)


def digest_diffs(files: list[tuple[str, str, int]]) -> tuple[bytes, dict[str, DiffView]]:
    """(path, patch, max lines) of each file -> the gzipped text file and each file's view of it."""
    out: list[str] = []
    views: dict[str, DiffView] = {}
    for path, patch, limit in files:
        shown, total = shown_lines(patch, limit)
        if not shown:
            views[path] = DiffView(total=total, shown=0)
            continue
        out.append("### " + " ".join(path.split()))
        first = len(out) + 1
        out.extend(shown)
        views[path] = DiffView(total=total, shown=len(shown), first=first, last=len(out))
        out.append("")
    text = "\n".join(out).encode("utf-8")
    # mtime 0: the same diffs give the same bytes, so an unchanged digest rewrites nothing
    return gzip.compress(text, compresslevel=9, mtime=0), views
