"""Facts of one change: everything the rubric rules look at (`Analysis`), and the part that is kept (`Facts`)."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from digest.docsrepo.paths import is_markdown_path
from digest.models import Facts, FileChange
from digest.classify.compare import MAX_SPAN_WORDS, Span, changed_spans, net_pairs, replacements_of
from digest.classify.lines import FRONT_MATTER_NAME, ChangedLine, DiffLines
from digest.classify.markdown import (
    DIRECTIVE,
    FRONT_TITLE,
    HEADING,
    LINK_TARGET,
    MAX_FACT_ITEMS,
    MAX_PAIRS,
    MAX_PHRASE_LINE,
    MAX_SCAN_LINES,
    MAX_TERM_LINES,
    PHRASES,
    _difference,
    _unique,
    heading_text,
    identifiers_in,
    images_in,
    includes_in,
    is_version,
    links_in,
    opening_words,
    phrase_matches,
    plain_text,
    table_row_text,
    terms_of,
)

@dataclass
class Analysis:
    """Everything the rules look at for one change; `facts` is the part that is kept."""

    facts: Facts
    lines: DiffLines
    net_removed: list[ChangedLine]
    net_added: list[ChangedLine]
    spans: list[Span]
    unpaired_removed: list[ChangedLine]
    unpaired_added: list[ChangedLine]
    # the net removed / added lines as one text each
    removed_text: str = ""
    added_text: str = ""
    # every changed line was looked at (no limit cut the comparison short)
    complete: bool = True

    @functools.cached_property
    def informative_added(self) -> list[ChangedLine]:
        return [line for line in self.net_added if _informative(line)]

    @functools.cached_property
    def informative_removed(self) -> list[ChangedLine]:
        return [line for line in self.net_removed if _informative(line)]

    @functools.cached_property
    def context_text(self) -> str:
        return "\n".join(self.lines.context)

    # every identifier of the net removed / added lines (see identifiers_in)
    removed_identifiers: list[str] = field(default_factory=list)
    added_identifiers: list[str] = field(default_factory=list)

    # versions named in the text itself, not only inside a link target (an anchor, a view parameter)
    @functools.cached_property
    def added_versions(self) -> list[str]:
        return [v for v in _unique(self.added_identifiers, 400) if is_version(v) and v in self.added_prose]

    @functools.cached_property
    def added_prose(self) -> str:
        return LINK_TARGET.sub("]", self.added_text) if "](" in self.added_text else self.added_text


HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s+.+$", re.MULTILINE)


def _headings(joined: str, is_markdown: bool) -> list[str]:
    if not is_markdown or "#" not in joined:
        return []
    return [h for m in HEADING_LINE.finditer(joined) if (h := heading_text(m.group(0)))]


def _rows(texts: list[str]) -> list[str]:
    return [row for text in texts if "|" in text and (row := table_row_text(text))]


def _phrases(texts: list[str], joined: str) -> dict[str, list[str]]:
    """For each phrase kind, the lines that use it (found in one pass over the joined lines)."""
    result: dict[str, list[str]] = {}
    starts: list[int] | None = None
    lower = joined.lower()
    for kind in PHRASES:
        hits: list[str] = []
        for match in phrase_matches(kind, joined, lower):
            if starts is None:
                starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
            line = texts[bisect.bisect_right(starts, match.start()) - 1].strip()[:MAX_PHRASE_LINE]
            if line not in hits:
                hits.append(line)
            if len(hits) >= 10:
                break
        if hits:
            result[kind] = hits
    return result


@dataclass
class _Side:
    """The changed content lines of one side (removed or added), before and after moves cancel."""

    lines: list[ChangedLine]
    net: list[ChangedLine]
    unpaired: list[ChangedLine]
    # the net lines looked at (MAX_SCAN_LINES), their text joined, and everything the side says
    texts: list[str]
    joined: str
    whole: str
    identifiers: list[str]

    @classmethod
    def of(cls, lines: list[ChangedLine], net: list[ChangedLine], paired: set[int]) -> _Side:
        texts = [line.text for line in net[:MAX_SCAN_LINES]]
        joined = "\n".join(texts)
        whole = "\n".join(line.text for line in lines) if len(lines) != len(net) else joined
        unpaired = [line for line in net if id(line) not in paired]
        return cls(lines, net, unpaired, texts, joined, whole, identifiers_in(joined))


def _sides(lines: DiffLines) -> tuple[_Side, _Side, list[tuple[ChangedLine, ChangedLine]]]:
    """The removed and the added side of a change, and the lines paired as versions of one line."""
    content = [line for line in lines.changed if not line.front_matter and line.text.strip()]
    removed = [line for line in content if line.sign == "-"]
    added = [line for line in content if line.sign == "+"]
    # a new or deleted file, or a pure addition or removal: nothing can cancel
    net_removed, net_added, pairs = net_pairs(lines, removed, added)
    old = _Side.of(removed, net_removed, {id(line) for line, _ in pairs})
    new = _Side.of(added, net_added, {id(line) for _, line in pairs})
    return old, new, pairs


def _both(finder: Callable[[str], list[str]], old: _Side, new: _Side) -> tuple[list[str], list[str]]:
    """What the finder sees in added lines but not removed ones, and the reverse."""
    in_added, in_removed = finder(new.joined), finder(old.joined)
    return _difference(in_added, in_removed), _difference(in_removed, in_added)


def _terms(side: _Side, other: _Side, is_markdown: bool) -> list[str]:
    # a term the other side still says was not added or removed
    found = _unique(terms_of(side.texts[:MAX_TERM_LINES], is_markdown, side.identifiers), 200)
    return [term for term in found if term not in other.whole][:MAX_FACT_ITEMS]


def _facts(lines: DiffLines, old: _Side, new: _Side, spans: list[Span], is_markdown: bool) -> Facts:
    front_keys = [m.group(1) for line in lines.changed if line.front_matter for m in [FRONT_MATTER_NAME.match(line.text)] if m]
    # sections that came or went; a heading that was only reworded shows among the replacements
    headings_new = _headings("\n".join(line.text for line in new.unpaired), is_markdown)
    headings_old = _headings("\n".join(line.text for line in old.unpaired), is_markdown)
    rows_new, rows_old = _rows(new.texts), _rows(old.texts)
    links_added, links_removed = _both(links_in, old, new)
    images_added, images_removed = _both(lambda joined: images_in(joined) if "![" in joined or ":::image" in joined else [], old, new)
    includes_added, includes_removed = _both(lambda joined: includes_in(joined) if "[!" in joined else [], old, new)
    return Facts(
        front_matter_keys=_unique(front_keys),
        headings_added=_difference(headings_new, headings_old),
        headings_removed=_difference(headings_old, headings_new),
        table_rows_added=_difference(rows_new, rows_old),
        table_rows_removed=_difference(rows_old, rows_new),
        identifiers_added=_difference(new.identifiers, old.identifiers),
        identifiers_removed=_difference(old.identifiers, new.identifiers),
        links_added=links_added,
        links_removed=links_removed,
        images_added=images_added,
        images_removed=images_removed,
        includes_added=includes_added,
        includes_removed=includes_removed,
        phrases_added=_phrases(new.texts, new.joined),
        phrases_removed=_phrases(old.texts, old.joined),
        replacements=replacements_of(spans),
        page_title=_page_title(lines, is_markdown),
        content_lines_added=len(new.net),
        content_lines_removed=len(old.net),
        terms_added=_terms(new, old, is_markdown),
        terms_removed=_terms(old, new, is_markdown),
        text_added=_opening_words(new.unpaired),
        text_removed=_opening_words(old.unpaired),
    )


def analyse(change: FileChange, lines: DiffLines) -> Analysis:
    old, new, pairs = _sides(lines)
    spans = changed_spans(pairs)
    facts = _facts(lines, old, new, spans, is_markdown_path(change.path))
    return Analysis(
        facts, lines, old.net, new.net, spans, old.unpaired, new.unpaired,
        removed_text=old.joined,
        added_text=new.joined,
        removed_identifiers=old.identifiers,
        added_identifiers=new.identifiers,
        complete=len(pairs) < MAX_PAIRS and len(old.net) + len(new.net) <= MAX_SCAN_LINES
        and all(len(a.text.split()) <= MAX_SPAN_WORDS and len(b.text.split()) <= MAX_SPAN_WORDS for a, b in pairs),
    )


def _opening_words(lines: list[ChangedLine], limit: int = 5) -> list[str]:
    """The opening words of the first few prose lines."""
    found: list[str] = []
    for line in lines[:50]:
        words = opening_words(line.text)
        if words and words not in found:
            found.append(words)
            if len(found) >= limit:
                break
    return found


def _page_title(lines: DiffLines, is_markdown: bool) -> str | None:
    """The article's title as it is after the change: from the front matter, else the first level-1 heading."""
    texts = lines.context + [line.text for line in lines.changed if line.sign == "+"]
    texts += [line.text for line in lines.changed if line.sign == "-"]
    for text in texts:
        match = FRONT_TITLE.match(text) if "title" in text else None
        if match:
            return plain_text(match.group(1))
    if is_markdown:
        for text in texts:
            match = HEADING.match(text) if text.lstrip(" ").startswith("# ") else None
            if match:
                return plain_text(match.group(2))
    return None


# lines that navigate rather than inform: a lone link, a call-to-action div, a directive
NAVIGATION_LINE = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+)?\[[^\]]*\]\([^)]*\)\s*\.?\s*$")
HTML_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def _informative(line: ChangedLine) -> bool:
    """A line that tells the reader something (not a directive, a lone link, a comment or a heading)."""
    return not (line.comment or DIRECTIVE.match(line.text) or NAVIGATION_LINE.match(line.text) or HTML_COMMENT_LINE.match(line.text))
