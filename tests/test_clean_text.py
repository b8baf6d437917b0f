"""clean_text's fast check finds exactly what UNSAFE_CHARS matches (issue 10: the search was split for speed)."""

from __future__ import annotations

import sys

from digest.models import UNSAFE_CHARS, clean_text, has_unsafe_chars


def test_the_fast_check_agrees_with_the_pattern_on_every_code_point() -> None:
    disagreeing = [
        hex(code) for code in range(sys.maxunicode + 1)
        if has_unsafe_chars(f"a\n{chr(code)}\t") != (UNSAFE_CHARS.search(chr(code)) is not None)
    ]
    assert not disagreeing, disagreeing[:20]


def test_a_character_beyond_the_first_plane_is_replaced_amid_safe_text() -> None:
    text = "résumé \U0001f600 " + chr(0x10FFFF) + " end"
    assert has_unsafe_chars(text)
    assert clean_text(text) == "résumé \U0001f600 \ufffd end"
    assert clean_text("plain\ttext\nwith é and \U0001f600") == "plain\ttext\nwith é and \U0001f600"
