"""Markdown and HTML as the plain words a reader sees, and a test for markup left in a text.

Titles, highlights and list items are plain text (issue #11): link text without its target, no emphasis
marks, no table pipes, comments or directives. `plain` turns a line of documentation into such text;
`has_markup` tells whether a text still holds Markdown or HTML syntax (what `digest eval` counts).
"""

from __future__ import annotations

import re
from functools import lru_cache

COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\((?:[^()]|\([^)]*\))*\)")
REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
TRIPLE_COLON = re.compile(r":::\s*[\w-]+[^\n]*?(?::::|$)")
ALERT = re.compile(r"\[!(?:NOTE|TIP|IMPORTANT|CAUTION|WARNING|INCLUDE|div)\b[^\]]*\]", re.IGNORECASE)
TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
EMPHASIS = re.compile(r"(\*\*|__|\*|~~)(?=\S)(.+?)(?<=\S)\1")
SINGLE_UNDERSCORE = re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])")
# an inline code span: a backtick run, its text (one space or other blank trimmed at each end), the same run;
# the one pattern every stage uses to find the code spans of a text (titles, summaries, rendered pages, eval)
CODE_SPAN = re.compile(r"(`+)\s?(.+?)\s?\1")
LINE_MARKER = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|[-*+]\s+(?:\[[ xX]\]\s+)?|\d+[.)]\s+)?")
# what a line starts with when LINE_MARKER has something to remove (else blank space or a digit)
LINE_MARKER_STARTS = frozenset(">#-*+")
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'"}

# what counts as markup left in a text meant to be plain
MARKUP = re.compile(
    r"\]\(|!\[|\*\*|__\w|(?<![\w*])\*(?=\S)[^*\n]+(?<=\S)\*(?![\w*])|`|<!--|</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"
    r"|^\s*#{1,6}\s|\s\|\s|^\s*\||:::|\[!(?:NOTE|TIP|IMPORTANT|CAUTION|WARNING|INCLUDE)",
    re.IGNORECASE | re.MULTILINE,
)


# pure and called for the same lines again and again (rank, titles, wording): about 4 calls in 5 are repeats
@lru_cache(maxsize=1 << 15)
def plain(text: str, keep_code: bool = False) -> str:
    """One line of Markdown as plain words: links and images unwrapped to their text, emphasis, HTML,
    comments, directives and line markers dropped, a table row given as its cells joined by ", ".
    With `keep_code`, code spans stay (a summary marks identifiers with them); else their text is kept bare."""
    if not text:
        return ""
    if "<!--" in text:
        text = COMMENT.sub(" ", text)
    if "--" in text and TABLE_SEPARATOR.match(text):
        return ""
    stripped = text.strip()
    if stripped.startswith("|") or stripped.count(" | ") >= 1 and stripped.endswith("|"):
        cells = [cell.strip() for cell in re.split(r"(?<!\\)\|", stripped.strip("|"))]
        text = ", ".join(cell for cell in cells if cell)
    first = text[:1]
    if first.isspace() or first.isdecimal() or first in LINE_MARKER_STARTS:
        text = LINE_MARKER.sub("", text)
    if "[" in text:
        text = IMAGE.sub(r"\1", text)
        text = LINK.sub(r"\1", text)
        text = REFERENCE_LINK.sub(r"\1", text)
        text = ALERT.sub(" ", text)
    if ":::" in text:
        text = TRIPLE_COLON.sub(" ", text)
    if "<" in text:
        text = TAG.sub(" ", text)
    if "&" in text:
        for entity, char in ENTITIES.items():
            text = text.replace(entity, char)
    if not keep_code and "`" in text:
        text = CODE_SPAN.sub(r"\2", text)
    if "*" in text or "_" in text or "~" in text:
        for _ in range(2):  # nested emphasis: ***bold italic***
            text = EMPHASIS.sub(r"\2", text)
        if "_" in text:
            text = SINGLE_UNDERSCORE.sub(r"\1", text)
    text = text.replace("\\", "") if "\\" in text else text
    return " ".join(text.split()).strip(" |")


def has_markup(text: str) -> bool:
    """Whether `text` still holds Markdown or HTML syntax (a link target, emphasis, a code span, a tag,
    a comment, a heading mark, table pipes or a directive)."""
    return MARKUP.search(text) is not None
