"""Bug-fix checks of the rubric that do not depend on the size of the diff (DESIGN.md: "wrong information
corrected: a wrong code sample, command, parameter name, value, URL or anchor").

A correction can sit in a long edit of wording. What tells it from a rename is the page itself: a name
in code changed to the form that the page's unchanged lines already use, the old form left nowhere, is
a correction of a line that disagreed with the rest of the page.
"""

from __future__ import annotations

import difflib
import re

from digest.classify import API_VERSION, MODEL_NAME, Analysis, ChangedLine, occurs_whole
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


# a key and its value as code sets it: "key": value, key: value or key = value (quotes kept apart from the key)
CODE_SETTING = re.compile(r"""(?P<q>["']?)(?P<key>\s*[A-Za-z_$][\w.$-]*\s*)(?P=q)\s*[:=]\s*(?P<value>[^,;]+?)\s*[,;]?\s*$""")
NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")


def _settings(lines: list[ChangedLine]) -> list[tuple[str, str]]:
    """The key / value settings of the code lines, each key as written (spaces inside its quotes kept)."""
    found = []
    for line in lines:
        match = CODE_SETTING.search(line.text.strip()) if line.in_code and not line.comment else None
        if match:
            key = match.group("key")
            found.append((key if match.group("q") else key.strip(), match.group("value")))
    return found


def _setting_corrected(old: tuple[str, str], new: tuple[str, str]) -> bool:
    """The same setting made right: a key's stray spaces taken out (the value kept), or a number's sign corrected."""
    (old_key, old_value), (new_key, new_value) = old, new
    if old_value == new_value:
        return old_key != new_key and old_key.strip() == new_key and _a_name(new_key)
    if old_key.strip() != new_key.strip() or not (NUMBER.match(old_value) and NUMBER.match(new_value)):
        return False
    return old_value.lstrip("+-") == new_value.lstrip("+-") and float(old_value) != 0 and float(old_value) == -float(new_value)


def setting_corrected(a: Analysis) -> bool:
    """A setting in sample code corrected (DESIGN.md: "a wrong code sample, parameter name, value"): a key that
    held a stray space inside its quotes, so the service never saw the parameter, or a number that had the wrong
    sign. Neither is a new value a reader may choose: the old form was wrong."""
    changed = [line for line in a.lines.changed if not line.front_matter]  # a key's spaces cancel out of the net lines
    old_settings = _settings([line for line in changed if line.sign == "-"])
    new_settings = _settings([line for line in changed if line.sign == "+"])
    return any(_setting_corrected(old, new) for old in old_settings for new in new_settings)
