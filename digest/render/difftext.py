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

A file's "more changes" details (`FileRecord.details`, both languages) follow
the diffs the same way, under `#### <lang> <path>`, one item a line: the page
holds only their folded summary (`data-items="first-last"`) and diffs.js lists
them when it is opened, code spans as `<code>`, the rest as text. They are the
file's changed lines made plain, so in the page they were most of its bytes
and of the search index; here gzip stores them beside the lines they repeat.
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


def digest_diffs(
    files: list[tuple[str, str, int]], details: dict[str, dict[str, list[str]]] | None = None,
) -> tuple[bytes, dict[str, DiffView], dict[str, dict[str, DiffView]]]:
    """(path, patch, max lines) of each file, and each file's details by language -> the gzipped text file, each
    file's view of its diff, and each file's view of its details in each language."""
    out: list[str] = []
    views: dict[str, DiffView] = {}
    for path, patch, limit in files:
        shown, total = shown_lines(patch, limit)
        if not shown:
            views[path] = DiffView(total=total, shown=0)
            continue
        views[path] = _append(out, "### " + _one_line(path), shown, total)
    items: dict[str, dict[str, DiffView]] = {}
    for path, by_lang in (details or {}).items():
        for lang, lines in by_lang.items():
            if lines:
                shown = [_one_line(line) for line in lines]
                items.setdefault(path, {})[lang] = _append(out, f"#### {lang} {_one_line(path)}", shown, len(shown))
    text = "\n".join(out).encode("utf-8")
    # mtime 0: the same diffs give the same bytes, so an unchanged digest rewrites nothing
    return gzip.compress(text, compresslevel=9, mtime=0), views, items


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _append(out: list[str], header: str, lines: list[str], total: int) -> DiffView:
    """Append one block (its header, its lines, a blank line) and say where its lines are, 1-based."""
    out.append(header)
    first = len(out) + 1
    out.extend(lines)
    view = DiffView(total=total, shown=len(lines), first=first, last=len(out))
    out.append("")
    return view
