"""Bug-fix checks of the rubric that do not depend on the size of the diff (DESIGN.md: "wrong information
corrected: a wrong code sample, command, parameter name, value, URL or anchor").

A correction can sit in a long edit of wording. What tells it from a rename is the page itself: a name
in code changed to the form that the page's unchanged lines already use, the old form left nowhere, is
a correction of a line that disagreed with the rest of the page.
"""

from __future__ import annotations

import difflib
import re

from digest.classify import API_VERSION, MD_LINK, MODEL_NAME, Analysis, ChangedLine, heading_text, links_in, occurs_whole
from digest.classify.compare import restyled_pairs
from digest.classify.signals import dates_in
from digest.classify.type_rules import QUERY_ONLY

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
        text = line.text.strip()
        match = CODE_SETTING.search(text) if line.in_code and not line.comment and not text.startswith(("#", "//")) else None
        if match:
            key = match.group("key")
            found.append((key if match.group("q") else key.strip(), match.group("value")))
    return found


def _setting_corrected(old: tuple[str, str], new: tuple[str, str]) -> bool:
    """The same setting made right: a key's stray spaces taken out or the key spelled in the API's naming convention
    (the value kept), or a number's sign corrected."""
    (old_key, old_value), (new_key, new_value) = old, new
    if old_value == new_value:
        return old_key != new_key and (old_key.strip() == new_key and _a_name(new_key) or _respelled(old_key.strip(), new_key.strip()))
    if old_key.strip() != new_key.strip() or not (NUMBER.match(old_value) and NUMBER.match(new_value)):
        return False
    return old_value.lstrip("+-") == new_value.lstrip("+-") and float(old_value) != 0 and float(old_value) == -float(new_value)


def _respelled(old: str, new: str) -> bool:
    """The same name in another naming convention (dataSources -> data_sources): the words kept, only their case and
    separators changed, so the sample used a key the service does not know; a name of one word is no such case."""
    if old == new or not (_a_name(old) or _a_name(new)):
        return False
    return old.replace("_", "").replace("-", "").lower() == new.replace("_", "").replace("-", "").lower()


def corrected_settings(lines: list[ChangedLine]) -> list[tuple[str, str]]:
    """The changed lines of sample code that correct a setting, as (old line, new line), stripped."""
    sides: dict[str, list[tuple[str, tuple[str, str]]]] = {"-": [], "+": []}
    for line in lines:
        if not line.front_matter:
            sides[line.sign].extend((line.text.strip(), setting) for setting in _settings([line]))
    return [(old, new) for old, old_setting in sides["-"] for new, new_setting in sides["+"] if _setting_corrected(old_setting, new_setting)]


def setting_corrected(a: Analysis) -> bool:
    """A setting in sample code corrected (DESIGN.md: "a wrong code sample, parameter name, value"): a key that
    held a stray space inside its quotes, so the service never saw the parameter, or a number that had the wrong
    sign. Neither is a new value a reader may choose: the old form was wrong."""
    return bool(corrected_settings(a.lines.changed))  # all changed lines: a key's spaces cancel out of the net lines


# a link target corrected by a few characters (a misspelled path, a wrong anchor, a missing ".md"): more is a move
LINK_EDIT_CHARS = 3
HOST = re.compile(r"^https?://[^/?#]+", re.IGNORECASE)


def _small_edit(old: str, new: str) -> int:
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")


def _target_misspelled(old: str, new: str) -> bool:
    if old == new or QUERY_ONLY.sub("", old) == QUERY_ONLY.sub("", new):
        return False  # the same target, or only a tracking or view parameter changed
    differing = set(old) ^ set(new)
    if differing and all(ch.isdigit() for ch in differing):
        return False  # a version or a date in the target moved on
    old_host, new_host = HOST.match(old), HOST.match(new)
    if old_host and new_host and old_host.group(0).lower() != new_host.group(0).lower():
        return False  # another site: a portal or service that moved, not a typo
    return _small_edit(old, new) <= LINK_EDIT_CHARS


def _anchor(heading: str) -> str:
    """The anchor Learn gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", heading.strip().lower()))


def _anchor_fixed(a: Analysis, old: str, new: str) -> bool:
    """A same-page anchor changed to a heading the page keeps unchanged, the old one no heading of either side."""
    if not (old.startswith("#") and new.startswith("#")) or old == new:
        return False
    kept = {_anchor(h) for line in a.lines.context if (h := heading_text(line))}
    changed = {_anchor(h) for h in a.facts.headings_added + a.facts.headings_removed}
    return new[1:] in kept and old[1:] not in kept | changed


def _retargeted(a: Analysis) -> list[tuple[str, str]]:
    """The (old, new) targets of the links whose target alone changed on a line that changed nothing else."""
    found = []
    for old_line, new_line in {(s.old_line, s.new_line) for s in a.spans if not s.in_code}:
        old_links, new_links = links_in(old_line), links_in(new_line)
        if len(old_links) != len(new_links) or MD_LINK.sub("]()", old_line) != MD_LINK.sub("]()", new_line):
            continue
        found += [(old, new) for old, new in zip(old_links, new_links, strict=True) if old != new]
    return found


def link_target_misspelling_fixed(a: Analysis) -> bool:
    """A broken link fixed inside a larger edit (DESIGN.md: "a broken link fixed"): a line whose only change is a
    link's target, corrected by a few characters, the link's words kept. A moved page changes a target by more."""
    return any(_target_misspelled(old, new) or _anchor_fixed(a, old, new) for old, new in _retargeted(a))


# what a heading's anchor looks like: letters, digits and hyphens
ANCHOR = re.compile(r"^[\w-]+$")


def link_anchor_corrected(a: Analysis) -> bool:
    """A link sent to another anchor of the same page (DESIGN.md: "a wrong ... anchor"), its words kept: the heading
    it named was renamed or never there, so the link landed at the top of the page."""
    for old, new in _retargeted(a):
        (old_page, _, old_anchor), (new_page, _, new_anchor) = old.partition("#"), new.partition("#")
        anchors = ANCHOR.match(old_anchor) and ANCHOR.match(new_anchor)  # not a portal's route (#view/...)
        if old_page and old_page == new_page and anchors and old_anchor != new_anchor:
            if not _follows_rename(a, old_anchor, new_anchor):
                return True
    return False


def _follows_rename(a: Analysis, old_anchor: str, new_anchor: str) -> bool:
    """An anchor that changed as the diff's prose did (#create-a-hub-in-ai-studio -> ...-in-ai-foundry-portal beside
    "AI Studio" -> "AI Foundry portal"): the headings were renamed with the rest, the link kept up, nothing was wrong."""
    old_words, new_words = set(old_anchor.lower().split("-")), set(new_anchor.lower().split("-"))
    gone, came = old_words - new_words, new_words - old_words
    for span in a.spans:
        if "](" in span.old or "](" in span.new:
            continue
        said_old, said_new = set(re.findall(r"\w+", span.old.lower())), set(re.findall(r"\w+", span.new.lower()))
        if gone <= said_old and came <= said_new and (gone or came):
            return True
    return False


# a Markdown link that does not render: a character between its words and its target ("[Gen2].(/azure/...)")
BROKEN_LINK = re.compile(r"\[[^\]\n]+\][ .:,]\(\s*([^)\s]+)\s*\)")


def link_syntax_repaired(a: Analysis) -> bool:
    """A link whose Markdown was broken made a link (DESIGN.md: "a broken link fixed"): the old line showed its
    target as text ("[Gen2].(/azure/...)"), the new one links it, the words kept."""
    pairs = [(old.text, new.text) for old, new in restyled_pairs(a.lines.changed)] + [(s.old_line, s.new_line) for s in a.spans]
    for old_text, new_text in pairs:
        for match in BROKEN_LINK.finditer(old_text):
            if match.group(1) in links_in(new_text) and not BROKEN_LINK.search(new_text):
                return True
    return False


# a line of JSON or of an object literal: a quoted key and a colon, a bare key and a value, or brackets alone
JSON_LINE = re.compile(r"""^\s*(?:[{}\[\]()]+\s*[,;]?\s*$|\{?\s*"[^"]*"\s*:|[A-Za-z_$][\w$]*\s*:\s*["\d{\[tfn])""")
SYNTAX_MARKS = frozenset(",:;[]{}()\"'")
DOUBLED = re.compile(r"([;,])\1+")


def _syntax_only(old: str, new: str) -> bool:
    """Two versions of a JSON line that differ only in its punctuation (a comma, a quote, a colon, a bracket),
    not a doubled ";;" made single (the sample ran either way)."""
    old, new = "".join(old.split()), "".join(new.split())
    if old == new or DOUBLED.sub(r"\1", old) == DOUBLED.sub(r"\1", new):
        return False
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changed = "".join(old[i1:i2] + new[j1:j2] for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return bool(changed) and set(changed) <= SYNTAX_MARKS


def code_syntax_corrected(a: Analysis) -> bool:
    """JSON in a sample made valid (DESIGN.md: "a wrong code sample"): a run of changed lines whose every line
    only gained or lost a comma, quotes or a bracket ("top": "10" -> "top": 10; a trailing comma taken out),
    nothing added or removed beside them (a property added after the last one moves its comma: no fix)."""
    busy = {line.block for line in a.net_added + a.net_removed}
    by_block: dict[int, list[tuple[ChangedLine, ChangedLine]]] = {}
    for old, new in restyled_pairs(a.lines.changed):
        by_block.setdefault(old.block, []).append((old, new))
    for block, pairs in by_block.items():
        lines = [line for line in a.lines.changed if line.block == block and line.text.strip()]
        if block in busy or len(lines) != 2 * len(pairs):
            continue
        if all(not old.comment and "](" not in old.text and (JSON_LINE.match(old.text) or JSON_LINE.match(new.text)) and _syntax_only(old.text, new.text) for old, new in pairs):
            return True
    return False


# the module an import names: JavaScript's import ... from "m" / require("m"), Python's from m import ...
IMPORT_MODULE = re.compile(r"""^\s*(?:import\s.*?\sfrom\s+["']([^"']+)["']|.*\brequire\(\s*["']([^"']+)["']|from\s+([\w.]+)\s+import\s)""")


def _module(line: str) -> tuple[str, str] | None:
    """An import line's module and the line with the module taken out (what it imports, and how)."""
    match = IMPORT_MODULE.match(line)
    if not match:
        return None
    group = next(index for index in (1, 2, 3) if match.group(index))
    return match.group(group), line[: match.start(group)] + line[match.end(group) :]


def _submodule(first: str, second: str) -> bool:
    """One module a part of the other ("openai/index.mjs" of "openai", azure.ai.inference.models of azure.ai.inference)."""
    short, long = sorted((first, second), key=len)
    return short != long and long.startswith(short) and long[len(short)] in "./"


def import_corrected(a: Analysis) -> bool:
    """A sample's import repaired (DESIGN.md: "a wrong code sample"): the same names imported from the package's
    module as the package exposes it ("openai/index.mjs" -> "openai"); another package is no correction."""
    for span in a.spans:
        if not span.in_code:
            continue
        old, new = _module(span.old_line), _module(span.new_line)
        if old and new and old[1] == new[1] and _submodule(old[0], new[0]):
            return True
    return False


# --- a name of code respelled on a line that changed nothing else ---------------------------------------------

CODE_TOKEN = re.compile(r"[A-Za-z_$][\w$.-]*")
# a value of code may also join words with hyphens ("chat-completions")
CODE_VALUE_SHAPE = re.compile(CODE_SHAPE.pattern + r"|\w-\w")
PLACEHOLDER_AROUND = re.compile(r"[<{][^>}\s]*$")
NAME_RATIO = 0.85
MAX_NAME_LINES = 20


def _same_place_pairs(changed: list[ChangedLine]) -> list[tuple[ChangedLine, ChangedLine]]:
    """The removed and added lines at the same place of a run of changed lines whose two sides are of one length."""
    runs: dict[int, tuple[list[ChangedLine], list[ChangedLine]]] = {}
    for line in changed:
        if not line.front_matter and not line.comment:
            runs.setdefault(line.block, ([], []))[line.sign == "+"].append(line)
    return [pair for removed, added in runs.values() if len(removed) == len(added) for pair in zip(removed, added, strict=True)]


def _name_respelled(old: str, new: str) -> tuple[str, str] | None:
    """The one name of code that differs between two versions of a line that are otherwise the same."""
    old_tokens, new_tokens = CODE_TOKEN.findall(old), CODE_TOKEN.findall(new)
    if len(old_tokens) != len(new_tokens):
        return None
    differing = [(a, b) for a, b in zip(old_tokens, new_tokens, strict=True) if a != b]
    if len(differing) != 1 or old.replace(differing[0][0], differing[0][1], 1) != new:
        return None
    first, second = (token.rstrip(".-") for token in differing[0])
    where = old[: old.find(differing[0][0])]
    if first.lower() == second.lower() or len(first) < 5 or re.search(r"\d", first + second) or PLACEHOLDER_AROUND.search(where):
        return None  # a case or a full stop, a version, a placeholder to fill in ("<Your-Key>", "{{connection}}")
    if where.endswith("("):
        return None  # a link's target (the link rules judge it)
    if any(word in first.lower() for word in ("your", "placeholder", "example")):
        return None  # a value a reader fills in
    return first, second


def name_respelled_in_code(a: Analysis) -> bool:
    """A name or value of code respelled on a line that changed nothing else (DESIGN.md: "a wrong code sample,
    parameter name, value"): `"content_filter_result": {` -> `"content_filter_results"`, `"chat_completion"` ->
    `"chat-completions"`, `prompt_token_details` -> `prompt_tokens_details`. The line is code (a code block, a line of
    JSON, a name in backticks); a plain word, a case change, a version or a placeholder is no such correction. The
    paired lines of other checks need shared words, which a line of one name has not."""
    if len(a.net_added) > MAX_NAME_LINES:
        return False
    for old, new in _same_place_pairs(a.lines.changed):
        found = _name_respelled(old.text.strip(), new.text.strip())
        if not found:
            continue
        first, second = found
        code = old.in_code or JSON_LINE.match(old.text) is not None
        shape = CODE_VALUE_SHAPE if code else CODE_SHAPE
        if not (code or f"`{first}`" in old.text) or not (shape.search(first) and shape.search(second)):
            continue
        if difflib.SequenceMatcher(a=first, b=second, autojunk=False).ratio() >= NAME_RATIO:
            return True
    return False


# a line of JSON: a quoted key and its value
JSON_LINE = re.compile(r'^\s*[{\[]?\s*"[^"]+"\s*:')
