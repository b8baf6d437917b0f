"""Text utilities every stage shares: the one text clipper (`clip_chars`, `clip_words`), a token's whole-word
occurrence, the common ends of two versions."""

from __future__ import annotations

from collections.abc import Sequence


def clip_chars(text: str, limit: int) -> str:
    """`text` with whitespace collapsed, cut to `limit` characters ("…" last when cut), where a word may be cut."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# a word (a URL, a path) this much longer than the limit is still kept whole
LONG_WORD = 120


def clip_words(text: str, limit: int, *, keep_fitting: bool = False, pair_backticks: bool = False) -> str:
    """`text` cut at a word boundary to about `limit` characters, never inside a word.

    A long word (a URL, a path) that straddles the limit is kept whole when it
    ends soon after it, rather than lost. With `keep_fitting`, a text of at most
    `limit` characters is returned as it is (its spacing untouched). With
    `pair_backticks`, a result left with an unpaired backtick loses its backticks,
    so no code span runs on into the text around it (quotes in titles).
    """
    if keep_fitting and len(text) <= limit:
        return text
    clipped = _clip_words(text, limit)
    return clipped.replace("`", "") if pair_backticks and clipped.count("`") % 2 else clipped


def _clip_words(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    end = text.find(" ", limit)
    if 0 < end <= limit + LONG_WORD or (end < 0 and len(text) <= limit + LONG_WORD):
        cut = end if end > 0 else len(text)
        straddling = text.rfind(" ", 0, limit) + 1
        if cut - straddling > 20:  # the word at the limit is long: keep it whole
            return text[:cut].rstrip(" ,;:") + ("…" if cut < len(text) else "")
    cut = text.rfind(" ", 0, limit)
    if cut <= 0:
        first = text.split(" ", 1)[0]
        return first + ("…" if len(first) < len(text) else "")
    return text[:cut].rstrip(" ,;:") + "…"


def occurs_whole(token: str, text: str) -> bool:
    """`token` occurs in `text` as a whole: not cut out of a longer word (a hyphen or dot may border it)."""
    check_before = token[:1].isalnum() or token[:1] == "_"
    check_after = token[-1:].isalnum() or token[-1:] == "_"
    start = text.find(token)
    while start >= 0:
        end = start + len(token)
        before_ok = not check_before or start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")
        after_ok = not check_after or end == len(text) or not (text[end].isalnum() or text[end] == "_")
        if before_ok and after_ok:
            return True
        start = text.find(token, start + 1)
    return False


def common_ends(old: Sequence[object], new: Sequence[object]) -> tuple[int, int]:
    """How many items two versions share at their start, and then at their end (never overlapping the start)."""
    shortest = min(len(old), len(new))
    head = 0
    while head < shortest and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < shortest - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail
