"""What changed inside the lines of a diff that are versions of one line, word by word on their plain text.

A changed name keeps the capitalised words around it (Azure AI Studio -> Azure AI Foundry); a table row is
compared cell by cell, with its key cell; a swap of a few ordinary words is wording, not news.
"""

from __future__ import annotations

import re
from collections import Counter
from difflib import SequenceMatcher

from digest.classify import ChangedLine, table_cells
from digest.plaintext import plain

WORDY = re.compile(r"[A-Z0-9`_./@:()-]|preview|deprecat|retire")


def substantive(old: str, new: str) -> bool:
    """A change a reader would notice: the words that differ hold a name, a number or code, or are many;
    a swap of a few ordinary words is wording."""
    old_words, new_words = old.split(), new.split()
    differing = [word for word in old_words if word not in new_words] + [word for word in new_words if word not in old_words]
    return bool(WORDY.search(" ".join(differing))) or len(differing) > 6



def word_changes(pairs: list[tuple[ChangedLine, ChangedLine]]) -> Counter[tuple[str, str, str]]:
    """What changed inside paired lines, word by word on their plain text: (old, new) spans with how often
    each was made; a changed name keeps the capitalised words around it (Azure AI Studio -> Azure AI Foundry)."""
    spans: Counter[tuple[str, str, str]] = Counter()
    for old_line, new_line in pairs[:60]:
        if old_line.text.lstrip(" >").startswith("|"):
            spans.update(_cell_changes(old_line.text, new_line.text))
            continue
        old_words, new_words = _words(old_line.text), _words(new_line.text)
        if len(old_words) > 400 or len(new_words) > 400:
            continue
        edits = [op for op in SequenceMatcher(None, old_words, new_words, autojunk=False).get_opcodes() if op[0] != "equal"]
        if len(edits) > 2:  # a line rewritten, not an edit inside it: its words say nothing alone
            continue
        for _tag, i1, i2, j1, j2 in edits:
            reach = _name_start(old_words, new_words, i1, j1)
            i1, j1 = i1 - reach, j1 - reach
            reach = _name_end(old_words, new_words, i2, j2)
            i2, j2 = i2 + reach, j2 + reach
            if i1 == i2 or j1 == j2:
                # words put in or taken out: name them with the word before and the word after (what they
                # qualify: "the portal" -> "the Azure portal"), or the two words before at a line's end
                inserted = " ".join(old_words[i1:i2] + new_words[j1:j2])
                after = 1 if i2 < len(old_words) and j2 < len(new_words) and not inserted.startswith("(") and not old_words[i2 - 1 if i2 else 0].endswith((".", ":", ";")) else 0
                i1, j1 = max(0, i1 - (2 - after)), max(0, j1 - (2 - after))
                i2, j2 = i2 + after, j2 + after
            spans[(" ".join(old_words[i1:i2]).strip(" ,.;:"), " ".join(new_words[j1:j2]).strip(" ,.;:"), "")] += 1
    return spans


LINKING_WORDS = {"for", "of", "and", "with", "in", "on", "to"}


def _name_start(old_words: list[str], new_words: list[str], i: int, j: int) -> int:
    """How many shared words before a change belong to the name it changes: capitalised words, and the small
    words between them (Azure Database for MySQL flexible server)."""
    reach, named = 0, 0
    while i - reach > 0 and j - reach > 0 and old_words[i - reach - 1] == new_words[j - reach - 1] and reach < 6:
        word = old_words[i - reach - 1]
        if word.endswith((".", ":", ";")):
            break
        if word[:1].isupper():
            reach += 1
            named = reach
        elif word in LINKING_WORDS:
            reach += 1
        else:
            break
    return named


def _cell_changes(old_row: str, new_row: str) -> list[tuple[str, str, str]]:
    """A table row changed cell by cell: (old cell, new cell, the row's key cell) for each cell that differs;
    nothing when the columns themselves changed."""
    old_cells, new_cells = table_cells(old_row) or [], table_cells(new_row) or []
    if len(old_cells) != len(new_cells) or not old_cells:
        return []
    key = plain(new_cells[0])
    return [(plain(old), plain(new), key) for old, new in zip(old_cells[1:], new_cells[1:], strict=True) if plain(old) != plain(new) and old.strip() and new.strip()]


def _name_end(old_words: list[str], new_words: list[str], i: int, j: int) -> int:
    """How many shared capitalised words after a change belong to the name it changes (not past a sentence's end)."""
    reach = 0
    while i + reach < len(old_words) and j + reach < len(new_words) and old_words[i + reach] == new_words[j + reach]:
        if not old_words[i + reach][:1].isupper() or (i + reach > 0 and old_words[i + reach - 1].endswith((".", ":", ";"))):
            break
        reach += 1
    return reach


def _words(line: str) -> list[str]:
    """The plain words of a line, without what is left of markup in a fragment (a lone pipe, a stray emphasis mark)."""
    return [word for word in (token.strip("*|`") for token in plain(line).split()) if word]
