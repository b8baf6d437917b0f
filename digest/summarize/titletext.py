"""The words of offline titles and explanations: tidy spacing, dates in each language's form, quotes cut to fit.

Split out of summarize/offline.py (which composes the summaries from ranked facts).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from digest.classify import occurs_whole
from digest.text import clip_words
from digest.plaintext import CODE_SPAN, plain
from digest.summarize.rank import MONTHS, differing_middle, link_tail


class View(dict):  # type: ignore[type-arg]
    """A dict whose keys also read as attributes. Jinja looks an attribute up before an item, and
    on a plain dict that first look fails (an exception) thousands of times per run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__dict__.update(self)


# quotes are cut at a word boundary (digest.text.clip_words), never inside a word: a cut identifier would name
# something that does not exist; a quote left with an unpaired backtick loses its backticks
MAX_QUOTE = 160
# the longest title per language in display columns: a Japanese (wide) character takes two, so the Japanese limit is
# ~50 Japanese characters, or fewer with verbatim identifiers beside them (the top fact is named whole even when longer)
TITLE_LIMIT = {"en": 90, "ja": 100}


# what _tidy leaves alone: code spans and quotations hold text as the diff has it
STRAY_SPACE = re.compile(r" [,.、。:;)）]|[。、」）] ")
PROTECTED = re.compile(CODE_SPAN.pattern + r"|“[^”]*”|「[^」]*」")


def _tidy(text: str) -> str:
    """Template output as one line of text: whitespace runs collapsed, stray spaces before punctuation removed
    (outside code spans and quotations, whose text stays as the diff has it)."""
    text = " ".join(text.split())
    if not STRAY_SPACE.search(text):
        return text
    parts: list[str] = []
    position = 0
    for match in PROTECTED.finditer(text):
        parts.append(_tidy_gap(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_tidy_gap(text[position:]))
    return "".join(parts)


def _tidy_gap(text: str) -> str:
    if not STRAY_SPACE.search(text):
        return text
    text = re.sub(r" +([,.、。:;)）])", r"\1", text)
    return re.sub(r"(?<=[。、」）]) +", "", text)


def verified_code(text: str, diff_text: str) -> str:
    """`text` with every code span whose content the diff does not hold turned back into plain text.

    Code marks an identifier as the diff has it; a span cut or rejoined on its
    way into a summary would name something that does not exist.
    """
    if "`" not in text:
        return text

    def check(match: re.Match[str]) -> str:
        content = " ".join(match.group(2).split())
        return match.group(0) if content and occurs_whole(content, diff_text) else match.group(2)

    return CODE_SPAN.sub(check, text)


# 「…」 を: Japanese sets no space between a closing quote and the particle after it
JA_QUOTE_SPACE = re.compile(r"(?<=[」件]) (?=[をのにがはと、。]|ほか)")


def display_width(text: str) -> int:
    """Columns a text takes: two for a wide (CJK) character, one for the rest."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


@lru_cache(maxsize=8192)
def _char_width(char: str) -> int:
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def ja_date(text: str) -> str:
    """An English date as Japanese writes it: "February 16, 2026" -> "2026 年 2 月 16 日" (ISO dates stay)."""
    match = re.fullmatch(r"([A-Z][a-z]+) (\d{1,2})(?:st|nd|rd|th)?,? (20\d\d)", text) or re.fullmatch(r"(\d{1,2}) ([A-Z][a-z]+) (20\d\d)", text)
    if not match:
        month_year = re.fullmatch(r"([A-Z][a-z]+) (20\d\d)", text)
        month = _month(month_year.group(1)) if month_year else 0
        return f"{month_year.group(2)} 年 {month} 月" if month_year and month else text
    month_name, day = (match.group(1), match.group(2)) if match.group(1)[0].isalpha() else (match.group(2), match.group(1))
    month = _month(month_name)
    return f"{match.group(3)} 年 {month} 月 {int(day)} 日" if month else text


def _month(name: str) -> int:
    return next((index for index, month in enumerate(MONTHS, 1) if month.startswith(name[:3])), 0)


# the characters of an English metadata title that are not its two values ("Metadata: ", " changed from “” to “”")
METADATA_WORDS = 30


def _metadata_room(key: str) -> int:
    """How long each value of a metadata change may be for its title to fit (the Japanese one is no wider)."""
    return max(12, (TITLE_LIMIT["en"] - METADATA_WORDS - len(key)) // 2)

# quoted text in a title is cut to this many characters (identifiers never are)
TITLE_QUOTE = 48
QUOTED_KINDS = ("term", "rename", "edit", "text", "moniker", "command", "code", "row", "section", "tab", "article")


TOC_LEAD = {"en": "Table of contents: ", "ja": "目次の更新: "}
# an article's title is cut to this many characters in a file's title
TITLE_ARTICLE = 76
# the tighter cut when the top fact would not fit otherwise (for lists of names; an old -> new pair keeps its words)
TIGHT_QUOTE = 28
TIGHT_ARTICLE = 60
TIGHT_KINDS = ("article", "term", "section", "tab", "text", "row", "command", "toc_entry")


# each side of a bulk edit in its title and page line
BULK_QUOTE = 30
# what is left of a link whose opening bracket sits on another line: "](target)"
LINK_REMNANT = re.compile(r"\]\([^)\s]*\)?|^\[|\[(?=[^\]]*$)")


# pure, and asked for the same text again and again: for each language, and for each try of a headline's fact
@lru_cache(maxsize=1 << 14)
def title_quote(text: str, limit: int) -> str:
    """Quoted text as a title shows it: plain words, no link remnants, cut at a word boundary; a link target
    or path too long for the title is named by its last segments (a cut one would name nothing)."""
    text = LINK_REMNANT.sub("", plain(text)).strip()
    if text.count('"') % 2:
        text = text.strip('"')  # a fragment cut inside a quotation: its stray quote mark
    elif len(text) > 1 and text[0] == text[-1] == '"' and text.count('"') == 2:
        text = text[1:-1]  # quotes around the whole (the title quotes it itself); a code line's own pairs stay
    # what is left of emphasis or a table row that a line break cut in two
    text = re.sub(r"\*{2,}", "", text).strip("* ").replace(" | ", ", ")
    if len(text) > limit and (text.startswith(("/", "~/")) or "://" in text) and " " not in text:
        text = "…/" + link_tail(text)
    return clip_words(text, limit, pair_backticks=True)


def _differing_segments(old: str, new: str) -> tuple[str, str]:
    """The path segments (and query or anchor parts) two link targets do not share (model-inference ->
    foundry-models; #standard-models-by-endpoint -> #standard-deployment-regional-models-by-endpoint)."""
    first, second = re.split(r"(?=[/?#&])", old), re.split(r"(?=[/?#&])", new)
    while first and second and first[0] == second[0]:
        first, second = first[1:], second[1:]
    while first and second and first[-1] == second[-1]:
        first, second = first[:-1], second[:-1]
    return ("".join(first).lstrip("/") or old, "".join(second).lstrip("/") or new)


def _with_key(part: str, whole: str) -> str:
    """A changed value with the key it is set to, when it has one (api-version=2025-09-01)."""
    at = whole.find(part)
    key = re.search(r"[\w.-]+=$", whole[:at]) if part and at > 0 else None
    return key.group(0) + part if key else part


@lru_cache(maxsize=1 << 13)
def quote_pair(old: str, new: str, limit: int) -> tuple[str, str]:
    """Both sides of a change as a title quotes them; when their words are the same once plain (only a link
    target changed), the targets' last segments instead."""
    whole_before, whole_after = title_quote(old, 10_000), title_quote(new, 10_000)
    if max(len(whole_before), len(whole_after)) > limit and whole_before != whole_after:
        # too long to quote whole: the part that differs, widened to whole tokens, marked as cut
        middle = [_with_key(part, whole) for part, whole in zip(differing_middle(whole_before, whole_after), (whole_before, whole_after), strict=True)]
        if all(middle) and max(map(len, middle)) <= limit:
            return tuple(part if whole.startswith(part) else "…" + part for part, whole in zip(middle, (whole_before, whole_after), strict=True))  # type: ignore[return-value]
    before, after = title_quote(old, limit), title_quote(new, limit)
    if before == after and old != new:
        targets = [re.search(r"\]\(\s*([^)\s]+)", side) for side in (old, new)]
        if all(targets):
            old_target, new_target = (match.group(1) for match in targets if match)
            tails = (link_tail(old_target), link_tail(new_target))
            if tails[0] == tails[1]:  # the change is further up the path: name the segments that differ
                tails = _differing_segments(old_target, new_target)
            return tuple(clip_words(tail, limit, pair_backticks=True) for tail in tails)  # type: ignore[return-value]
    return before, after
