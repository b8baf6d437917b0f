"""Bug-fix checks of the rubric that do not depend on the size of the diff (DESIGN.md: "wrong information
corrected: a wrong code sample, command, parameter name, value, URL or anchor").

A correction can sit in a long edit of wording. What tells it from a rename is the page itself: a name
in code changed to the form that the page's unchanged lines already use, the old form left nowhere, is
a correction of a line that disagreed with the rest of the page.
"""

from __future__ import annotations

import difflib
import re

from digest.classify import API_VERSION, MODEL_NAME, Analysis, occurs_whole
from digest.classify.signals import dates_in

# a name as code spells it: letters, digits, _ . $ - (at least one letter), quotes and ticks around it stripped
CODE_NAME = re.compile(r"^[A-Za-z_$][\w.$-]*$")
# what only code looks like: an underscore, a dot or a $ inside, or a lower-to-upper case step (not a plain word)
CODE_SHAPE = re.compile(r"\w[_.$]\w|[a-z][A-Z]")
SIMILAR = 0.6


LEADING_NAME = re.compile(r"[A-Za-z_$][\w.$-]*?(?=\.?(?:\(|$|[^\w.$-]))")


def _split_name(span_text: str) -> tuple[str, str]:
    """A span as the name it starts with and the rest (call arguments, punctuation), quotes and ticks left out."""
    text = span_text.strip().strip("`'\"[]{},;:")
    match = LEADING_NAME.match(text)
    return (match.group(0), text[match.end():]) if match else ("", text)


def _a_name(text: str) -> bool:
    return (
        len(text) >= 3
        and CODE_NAME.match(text) is not None
        and CODE_SHAPE.search(text) is not None
        and not API_VERSION.search(text)
        and not MODEL_NAME.fullmatch(text)
        and not dates_in(text)
    )


def name_matches_page(a: Analysis) -> bool:
    """A name in code or backticks corrected to the form the page's unchanged lines use, the old form gone."""
    unchanged = a.context_text
    still = unchanged + "\n" + a.added_text
    for span in a.spans:
        if not span.in_code or span.in_string:
            continue  # prose, or sample data in a string
        (old, old_rest), (new, new_rest) = _split_name(span.old), _split_name(span.new)
        if old == new or old_rest != new_rest or not (_a_name(old) and _a_name(new)):
            continue
        if old.lower() != new.lower() and difflib.SequenceMatcher(a=old, b=new, autojunk=False).ratio() < SIMILAR:
            continue
        if occurs_whole(new, unchanged) and not occurs_whole(old, still):
            return True
    return False
