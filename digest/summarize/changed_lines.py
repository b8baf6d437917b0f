"""The changed lines a file's details list after its facts: what exactly changed, line by line.

The facts name what a change means (a model added, a section removed); a reader who wants to know what exactly
changed reads the lines themselves. Every substantive changed line that the title, explanation and fact lines do
not already say whole becomes a line of the details, most important first (by the best-ranked fact it names, then
in the diff's order), at most MAX_LINES of them: prose as its plain words, a table row as its cells, sample code
and a shown front-matter value (title, description) verbatim as code. Left out: blank lines, table separators,
comments (in sample code too), code fences, lines of symbols only, images (counted by the facts), other front matter (`ms.date`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from digest.classify import line_view
from digest.classify.lines import FENCE, FRONT_MATTER_NAME
from digest.models import ClassifiedChange
from digest.plaintext import CODE_SPAN, IMAGE, TABLE_SEPARATOR, plain
from digest.summarize.rank import Fact
from digest.summarize.rank.content import CODE_NOISE
from digest.summarize.rank.facts import header_rows
from digest.text import clip_words

# the most changed lines one file's details list (the diff below shows them all)
MAX_LINES = 30
# the longest line listed whole; a longer one is cut (its start is what a reader recognises)
MAX_LINE_CHARS = 300
# front-matter values a reader sees (the page's title and its description in search results)
SHOWN_KEYS = ("title", "titleSuffix", "description")
# a fact's item shorter than this is too common a word to place a line by
MIN_ITEM_CHARS = 3
LETTER = re.compile(r"[^\W_]")
# a line of sample code that is a comment: // and # (not #! or #include), /* … */ and its * lines, <!-- -->, SQL's --, REM
CODE_COMMENT = re.compile(r"^\s*(?://|#(?![!\w])|/\*|\*/|\*(?:\s|$)|<!--|--(?:\s|$)|REM\s|'\s)")


@dataclass(frozen=True)
class ListedLine:
    sign: str  # "+" or "-"
    text: str  # plain words, or the line verbatim as a code span
    # "prose", "code" (sample code) or "metadata" (a shown front-matter value)
    kind: str


@dataclass
class ListedRun:
    """What one line of the details lists: a prose line, or lines of code (or metadata) that follow each other in
    the listing, all added or all removed, told together."""

    sign: str
    kind: str
    texts: list[str]


def changed_runs(change: ClassifiedChange, facts: list[Fact], told: list[str]) -> tuple[list[ListedRun], int]:
    """What the details list after the facts: the changed lines (listed_lines) as runs, and how many more changed."""
    lines, more = listed_lines(change, facts, told)
    return listed_runs(lines), more


def listed_runs(lines: list[ListedLine]) -> list[ListedRun]:
    runs: list[ListedRun] = []
    for line in lines:
        if line.kind != "prose" and runs and (runs[-1].kind, runs[-1].sign) == (line.kind, line.sign):
            runs[-1].texts.append(line.text)
        else:
            runs.append(ListedRun(line.sign, line.kind, [line.text]))
    return runs


def listed_lines(change: ClassifiedChange, facts: list[Fact], told: list[str]) -> tuple[list[ListedLine], int]:
    """The changed lines the details list (at most MAX_LINES, most important first) and how many more there are.
    `told`: the texts the file's title, explanation and fact lines already say (a line they hold whole is not
    listed again)."""
    said = " ".join(_words(text) for text in told)
    headers = header_rows(change.change)
    seen: set[tuple[str, str]] = set()
    found: list[tuple[int, int, ListedLine]] = []
    for position, line in enumerate(line_view(change.change).changed):
        listed = None if line.text in headers else _listed(line.sign, line.text, line.front_matter, line.in_code, line.comment)
        if listed is None or (listed.sign, listed.text) in seen or _words(listed.text) in said:
            continue
        seen.add((listed.sign, listed.text))
        found.append((_rank(listed.text, facts), position, listed))
    found.sort(key=lambda entry: entry[:2])
    return [entry[2] for entry in found[:MAX_LINES]], max(0, len(found) - MAX_LINES)


def _listed(sign: str, text: str, front_matter: bool, in_code: bool, comment: bool) -> ListedLine | None:
    """A changed line as the details list it, or None when it is no substantive change."""
    if comment or not text.strip() or FENCE.match(text) or TABLE_SEPARATOR.match(text):
        return None
    if front_matter:
        key = FRONT_MATTER_NAME.match(text)
        return ListedLine(sign, _code(text), "metadata") if key and key.group(1) in SHOWN_KEYS and LETTER.search(text[key.end():]) else None
    if in_code:  # never HTTP headers, prompts, output markers or comments (no reader acts on them)
        return ListedLine(sign, _code(text), "code") if LETTER.search(text) and not CODE_NOISE.search(text.strip()) and not CODE_COMMENT.match(text) else None
    if IMAGE.fullmatch(text.strip().lstrip("-* ")):
        return None
    words = _plain_keeping_code(text)
    return ListedLine(sign, clip_words(words, MAX_LINE_CHARS, keep_fitting=True, pair_backticks=True), "prose") if LETTER.search(words) else None


def _plain_keeping_code(text: str) -> str:
    """A prose line's plain words with its code spans as the diff has them (plain() would read `<mime type>`
    inside one as an HTML tag)."""
    spans: list[str] = []

    def hold(match: re.Match[str]) -> str:
        spans.append(match.group(0))
        return f"\0{len(spans) - 1}\0"

    words = plain(CODE_SPAN.sub(hold, text) if "`" in text else text)
    return re.sub("\0(\\d+)\0", lambda match: spans[int(match.group(1))], words) if spans else words


def _code(text: str) -> str:
    """A line of code as one code span (blank runs as one space, a fence longer than any backtick run inside);
    a line too long is cut, the mark of the cut outside the span (the span holds only what the diff holds)."""
    whole = " ".join(text.split())
    text = whole if len(whole) <= MAX_LINE_CHARS else whole[:MAX_LINE_CHARS].rsplit(" ", 1)[0]
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{padding}{text}{padding}{fence}" + (" …" if text != whole else "")


def _words(text: str) -> str:
    """A text's plain words with no blank before punctuation, to tell whether one text says another whole."""
    return re.sub(r"\s+(?=[,.;:!?)])", "", plain(text))


def _rank(text: str, facts: list[Fact]) -> int:
    """The place of the best-ranked fact the line names (an item, or either side of a change); after them all
    when it names none."""
    words = plain(text).casefold()
    for index, fact in enumerate(facts):
        names = [item for item in fact.items + [fact.old, fact.new] if len(item) >= MIN_ITEM_CHARS]
        if any(plain(name).casefold() in words for name in names):
            return index
    return len(facts)
