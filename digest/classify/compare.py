"""Comparing the removed and the added lines: moves cancel, versions of one line pair up, changed spans."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass

from digest.models import Replacement
from digest.text import clip_words, common_ends
from digest.classify.lines import WORD_RUN, ChangedLine, DiffLines, NetPairs
from digest.classify.markdown import COMMAND_LINE, MAX_PAIRS, MAX_PHRASE_LINE, looks_like_code, plain_text


def net_lines(removed: list[ChangedLine], added: list[ChangedLine]) -> tuple[list[ChangedLine], list[ChangedLine]]:
    """Removed and added lines whose words do not come back on the other side (moves and reformatting cancel)."""
    removed_keys = [line.content_key for line in removed]
    added_keys = [line.content_key for line in added]

    def keep(lines: list[ChangedLine], keys: list[str], others: Counter[str]) -> list[ChangedLine]:
        kept = []
        for line, key in zip(lines, keys, strict=True):
            if not key:
                continue
            if others[key] > 0:
                others[key] -= 1
                continue
            kept.append(line)
        return kept

    return keep(removed, removed_keys, Counter(added_keys)), keep(added, added_keys, Counter(removed_keys))


def net_pairs(lines: DiffLines, removed: list[ChangedLine], added: list[ChangedLine]) -> NetPairs:
    """The net removed and added lines (net_lines) of some of `lines`' changed lines and the pairs among them
    (pair_lines), computed once per DiffLines for the same lines: classify and the rank of facts both ask."""
    key = (tuple(map(id, removed)), tuple(map(id, added)))
    found = lines.compared.get(key)
    if found is None:
        net_removed, net_added = net_lines(removed, added) if removed and added else (removed, added)
        found = lines.compared[key] = (net_removed, net_added, pair_lines(net_removed, net_added) if net_removed and net_added else [])
    return found


def pair_lines(removed: list[ChangedLine], added: list[ChangedLine]) -> list[tuple[ChangedLine, ChangedLine]]:
    """Removed and added lines of the same block that are versions of one line (half their words shared)."""
    by_block: dict[int, tuple[list[ChangedLine], list[ChangedLine]]] = {}
    for line in removed:
        by_block.setdefault(line.block, ([], []))[0].append(line)
    for line in added:
        by_block.setdefault(line.block, ([], []))[1].append(line)
    pairs: list[tuple[ChangedLine, ChangedLine]] = []
    for old_lines, new_lines in by_block.values():
        if not old_lines or not new_lines:
            continue
        new_words = [line.words for line in new_lines]
        start = 0
        for old in old_lines[:MAX_PAIRS]:
            old_words = old.words
            for index in range(start, min(len(new_lines), start + 12)):
                shared = len(old_words & new_words[index])
                if old_words and shared * 2 >= max(len(old_words), len(new_words[index])):
                    pairs.append((old, new_lines[index]))
                    start = index + 1
                    break
            if len(pairs) >= MAX_PAIRS:
                return pairs
    return pairs


@dataclass
class Span:
    old: str
    new: str
    old_line: str
    new_line: str
    in_code: bool
    # inside a quoted string of the code (data, not a name), and whether the line is a shell command
    in_string: bool = False
    command: bool = False
    # the span with up to two words of context on each side, for a short span that alone says little
    old_context: str = ""
    new_context: str = ""
    # the edit as the same edit in another file would give it: an insertion or deletion with the word after it
    edit: tuple[str, str] = ("", "")


def _word_changes(old_words: list[str], new_words: list[str]) -> list[tuple[int, int, int, int]]:
    """The differing word runs of two versions of a line, as (old start, old end, new start, new end)."""
    head, tail = common_ends(old_words, new_words)
    old_middle, new_middle = old_words[head : len(old_words) - tail], new_words[head : len(new_words) - tail]
    if len(old_middle) <= 1 or len(new_middle) <= 1:
        return [(head, len(old_words) - tail, head, len(new_words) - tail)]
    matcher = difflib.SequenceMatcher(a=old_middle, b=new_middle, autojunk=False)
    return [(i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


MAX_SPAN_WORDS = 600


def changed_spans(pairs: list[tuple[ChangedLine, ChangedLine]]) -> list[Span]:
    """The word runs that differ between the two versions of each paired line."""
    spans: list[Span] = []
    for old_line, new_line in pairs:
        old_words, new_words = old_line.text.split(), new_line.text.split()
        if len(old_words) > MAX_SPAN_WORDS or len(new_words) > MAX_SPAN_WORDS:
            continue
        code_line = looks_like_code(old_line) or looks_like_code(new_line)
        command = COMMAND_LINE.match(old_line.text) is not None
        for i1, i2, j1, j2 in _word_changes(old_words, new_words):
            old, new = " ".join(old_words[i1:i2]), " ".join(new_words[j1:j2])
            if old == new:
                continue
            # where the words really start to differ: quotes and ticks before that point tell the context
            before = " ".join(old_words[:i1]) + " " + old[: len(_common_prefix(old, new))]
            code = code_line or before.count("`") % 2 == 1
            in_string = before.count('"') % 2 == 1 or before.count("'") % 2 == 1
            short = not old or not new or len(old) + len(new) <= 24 or max(i2 - i1, j2 - j1) <= 2
            pad = 2 if short else 0
            old_context = " ".join(old_words[max(0, i1 - pad) : i2 + pad])
            new_context = " ".join(new_words[max(0, j1 - pad) : j2 + pad])
            edit = (old, new)
            if (not old or not new) and i2 < len(old_words) and j2 < len(new_words):
                edit = ((old + " " + old_words[i2]).strip(), (new + " " + new_words[j2]).strip())
            spans.append(
                Span(old, new, old_line.text.strip(), new_line.text.strip(), code, in_string, command, old_context, new_context, edit)
            )
    return spans


def _common_prefix(first: str, second: str) -> str:
    size = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        size += 1
    return first[:size]


SHORT_LINE = 110


def replacements_of(spans: list[Span], limit: int = 20) -> list[Replacement]:
    """Changed spans as a reader should see them.

    A change made several times (a rename) is shown once with its count; a
    change on a short line shows the whole line before and after; any other
    change shows the span with a little context.
    """
    counts: Counter[tuple[str, str]] = Counter((span.old, span.new) for span in spans)
    result: dict[tuple[str, str, str], Replacement] = {}
    for span in spans:
        short_lines = len(plain_text(span.old_line)) <= SHORT_LINE and len(plain_text(span.new_line)) <= SHORT_LINE
        repeated = counts[(span.old, span.new)]
        if span.old and span.new and (repeated > 2 or (repeated == 2 and not short_lines)) and WORD_RUN.search(span.old + span.new):
            key = ("span", span.old, span.new)
            shown = Replacement(old=clip_words(span.old, MAX_PHRASE_LINE), new=clip_words(span.new, MAX_PHRASE_LINE), count=counts[(span.old, span.new)])
        elif short_lines:
            key = ("line", span.old_line, span.new_line)
            shown = Replacement(old=_strip_marker(span.old_line), new=_strip_marker(span.new_line))
        else:
            key = ("context", span.old_context, span.new_context)
            shown = Replacement(old=clip_words(span.old_context, MAX_PHRASE_LINE), new=clip_words(span.new_context, MAX_PHRASE_LINE))
        if key in result:
            result[key].count += 1
            continue
        if not (shown.old or shown.new):
            continue
        result[key] = shown
        if len(result) >= limit:
            break
    renames = [r for r in result.values() if r.count > 1]
    return renames + [r for r in result.values() if r.count == 1]


def _strip_marker(line: str) -> str:
    """A line without its list, quote or heading marker, whitespace collapsed."""
    return " ".join(re.sub(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+\.\s+|#{1,6}\s+)?", "", line).split())


def restyled_pairs(changed: list[ChangedLine]) -> list[tuple[ChangedLine, ChangedLine]]:
    """Removed and added lines of one block with the same words but other symbols (not only other spacing):
    what cancels out of the net lines as reformatting, yet may change a ✅ to a ❌ or a JSON comma."""
    open_lines: dict[tuple[int, str], list[ChangedLine]] = {}
    for line in changed:
        if line.sign == "-" and not line.front_matter and line.content_key:
            open_lines.setdefault((line.block, line.content_key), []).append(line)
    pairs: list[tuple[ChangedLine, ChangedLine]] = []
    for line in changed:
        if line.sign != "+" or line.front_matter or not open_lines.get((line.block, line.content_key)):
            continue
        old = open_lines[line.block, line.content_key].pop(0)
        if "".join(old.text.split()) != "".join(line.text.split()):
            pairs.append((old, line))
    return pairs
