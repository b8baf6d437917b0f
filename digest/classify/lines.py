"""Markdown-aware views of a patch's lines: each changed line marked as front matter, code or comment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from digest.docsrepo.paths import is_markdown_path
from digest.hunks import Hunk
from digest.models import FileChange

WORD_RUN = re.compile(r"\w+")


@dataclass
class ChangedLine:
    sign: str  # "+" or "-"
    text: str
    front_matter: bool
    in_code: bool
    # the run of consecutive changed lines (a "block") the line belongs to
    block: int = 0
    # inside an HTML comment (<!-- ... -->): not shown to readers
    comment: bool = False

    # the line's views that several comparisons read, each computed once (the text never changes)
    @cached_property
    def words(self) -> frozenset[str]:
        """The line's distinct runs of word characters."""
        return word_set(self.text)

    @cached_property
    def content_key(self) -> str:
        """What is left of the line without its Markdown form: its words, in order, case kept."""
        return content_key(self.text)


@lru_cache(maxsize=1 << 17)
def word_set(text: str) -> frozenset[str]:
    return frozenset(WORD_RUN.findall(text))


# pure, and a corpus's changed lines repeat (84k distinct texts in the 220k of dev-files): each read once
@lru_cache(maxsize=1 << 17)
def content_key(text: str) -> str:
    """What is left of a line without its Markdown form: its words, in order, case kept."""
    return " ".join(WORD_RUN.findall(text))


# net removed lines, net added lines, and the pairs among them (compare.net_pairs)
NetPairs = tuple[list[ChangedLine], list[ChangedLine], list[tuple[ChangedLine, ChangedLine]]]


@dataclass
class DiffLines:
    changed: list[ChangedLine] = field(default_factory=list)
    # unchanged lines shown around the changes
    context: list[str] = field(default_factory=list)
    # per block: the text just before it (the hunk's section text, then the context lines above)
    leads: dict[int, str] = field(default_factory=dict)
    # comparisons of some of these lines, each made once (compare.net_pairs), keyed by the lines compared
    compared: dict[tuple[tuple[int, ...], tuple[int, ...]], NetPairs] = field(default_factory=dict, repr=False, compare=False)


def line_view(change: FileChange) -> DiffLines:
    """The change's lines as classify sees them (computed once per change; the rank of facts reads them too)."""
    return change.derived("lines", lambda c: parse_lines(c.parsed_patch.hunks, is_markdown_path(c.path)) if c.patch else DiffLines())


FRONT_MATTER_KEY = re.compile(
    r"^\s*(?:-\s+)?(?:ms\.[\w.-]+|title|titleSuffix|description|author|manager|reviewer|"
    r"keywords|ROBOTS|robots|recommendations|zone_pivot_groups|monikerRange|ai-usage|"
    r"show_latex|uid|adobe-target|feedback_system|feedback_product_url|#?services|layout)\s*:"
)
YAML_LINE = re.compile(r"^\s*(?:-\s+)?[\w.#-]+\s*:|^\s+-\s+\S")
FRONT_MATTER_NAME = re.compile(r"^\s*(?:-\s+)?([\w.#-]+)\s*:")
YAML_ITEM = re.compile(r"^\s+-\s+\S")
FENCE = re.compile(r"^\s*(```|~~~)")
BARE_FENCE = re.compile(r"^\s*(```|~~~)\s*$")
# how far from the top of a Markdown file front matter can reach
FRONT_MATTER_REACH = 40


def _hunk_opens_in_front_matter(hunk: Hunk) -> bool | None:
    """Whether a Markdown hunk starts inside the front matter; None when it starts on the opening '---'."""
    top = min(hunk.old_start, hunk.new_start)
    texts = [text.strip() for _, text in hunk.lines]
    if top <= 1 and texts[:1] == ["---"]:
        return None
    if top <= FRONT_MATTER_REACH and "---" in texts:
        before = hunk.lines[: texts.index("---")]
        return all(not text.strip() or YAML_LINE.match(text) for _, text in before)
    if (
        top <= FRONT_MATTER_REACH
        and any(FRONT_MATTER_KEY.match(text) for text in texts)
        and all(not text or YAML_LINE.match(text) or re.match(r"#\S", text) for text in texts)
    ):
        return True  # a hunk of metadata lines only, its delimiters out of view
    return False


def parse_lines(hunks: list[Hunk], is_markdown: bool) -> DiffLines:
    """The + and - lines of a patch's hunks, each marked as front matter or code when that can be seen, with their context."""
    result = DiffLines()
    block = -1
    for hunk in hunks:
        block = _read_hunk(result, hunk, block, is_markdown)
    return result


def _comment_state(text: str, stripped: str, in_comment: bool) -> tuple[bool, bool]:
    """Whether a line is inside an HTML comment, and whether a comment is still open after it."""
    if not ("<!--" in text or "-->" in text or in_comment):
        return in_comment, in_comment
    opened, closed = text.rfind("<!--"), text.rfind("-->")
    comment = in_comment or (stripped.startswith("<!--") and (closed < 0 or stripped.endswith("-->")))
    return comment, opened > closed if opened >= 0 or closed >= 0 else in_comment


def _read_hunk(result: DiffLines, hunk: Hunk, block: int, is_markdown: bool) -> int:
    """The hunk's lines added to `result`; returns the number of the last block of changed lines."""
    in_front = _hunk_opens_in_front_matter(hunk) if is_markdown else False
    top = min(hunk.old_start, hunk.new_start)
    in_code = False
    fences_seen = 0
    hunk_changed_from = len(result.changed)
    lead: list[str] = [hunk.section] if hunk.section else []
    previous_sign = " "
    previous_blank = False
    run_from = hunk_changed_from
    in_comment = False
    for offset, (sign, text) in enumerate(hunk.lines):
        stripped = text.strip()
        comment, in_comment = _comment_state(text, stripped, in_comment)
        if not stripped:
            previous_blank = True
            run_from = len(result.changed) + (sign != " ")
        if in_front is None and stripped == "---":  # the opening delimiter
            in_front = True
            continue
        if in_front and stripped == "---":  # the closing delimiter
            in_front = False
            if sign != " ":
                block += previous_sign == " "
                result.changed.append(ChangedLine(sign, text, True, False, block))
                previous_sign = sign
            continue
        if not in_front and ("```" in text or "~~~" in text) and FENCE.match(text):
            if fences_seen == 0 and not in_code and BARE_FENCE.match(text) and not previous_blank:
                # the hunk opened inside a code block and this fence closes it: the lines
                # right above it (back to the last blank line) were code
                for line in result.changed[max(hunk_changed_from, run_from) :]:
                    line.in_code = not line.front_matter
            in_code = not in_code
            fences_seen += 1
        if stripped:
            previous_blank = False
        if sign == " ":
            result.context.append(text)
            if stripped:
                lead = (lead + [stripped])[-4:]
            previous_sign = sign
            continue
        if previous_sign == " ":
            block += 1
            result.leads[block] = " ".join(lead)
        previous_sign = sign
        # metadata keys outside a visible front matter: near the top of an
        # article, or anywhere in a YAML page's metadata block
        keyed = (not is_markdown or top + offset <= FRONT_MATTER_REACH) and FRONT_MATTER_KEY.match(text) is not None
        # the items of a metadata list (ms.custom:, then "  - build-2025")
        continued = bool(result.changed) and result.changed[-1].front_matter and YAML_ITEM.match(text) is not None
        is_front = bool(in_front) or keyed or continued
        result.changed.append(ChangedLine(sign, text, is_front, in_code and not is_front, block, comment))
    return block
