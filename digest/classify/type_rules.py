"""The checks behind the change-type rubric (DESIGN.md; the order and the stable ids are in rubric.py); the
new-feature checks are in type_features.py.

Each check judges an `Analysis` of classify.py: the net removed and added lines (moves and
reformatting already cancelled), the paired lines' changed spans, and the facts.
"""

from __future__ import annotations

import difflib
import re

from digest.classify import (
    API_VERSION,
    BACKTICKED,
    INCLUDE,
    LIST_ITEM,
    MD_LINK,
    MODEL_NAME,
    PARAMETER_NAME,
    Analysis,
    ChangedLine,
    _informative,
    heading_text,
    links_in,
    occurs_whole,
    phrase_matches,
    plain_text,
    table_cells,
)
from digest.classify.signals import ROLE, dates_in, regions_in

# sections that support a reader rather than document a capability
SUPPORT_HEADING = re.compile(
    r"troubleshoot|sample|example|next step|related|see also|prerequisite|clean ?up|limitation|known issue"
    r"|feedback|resources|learn more|more information|summary|conclusion|\btips?\b|overview|introduction",
    re.IGNORECASE,
)
# words that say the text around a list or table states a restriction
LIMITATION = re.compile(
    r"\bcan(?:'|no)t\b|\bnot (?:available|supported)\b|\bunavailable\b|\bunsupported\b|constrain|\blimitations?\b"
    r"|\brestrict|\bdoesn't support\b|\bisn't (?:available|supported)\b|\bonly supports?\b",
    re.IGNORECASE,
)
CALLOUT = re.compile(r"^\s*>")
# where retirements are listed: a page or section about them
RETIREMENT_CONTEXT = re.compile(r"retir|deprecat", re.IGNORECASE)



def _body(line: ChangedLine) -> bool:
    return _informative(line) and heading_text(line.text) is None


# breaking change: something a reader relied on stops being true


def _retirement_announced(a: Analysis) -> bool:
    """A model, version or feature newly said to be retired or deprecated."""
    if _retirements_said(a.net_added) > _retirements_said(a.net_removed):
        return True
    # rows or items added to a list of retirements: each gives something a retirement date
    # (not lone links: "* [Container image tags](...)" under a new "## April 2025" retires nothing)
    entries = [line for line in a.unpaired_added if (table_cells(line.text) or LIST_ITEM.match(line.text)) and _informative(line)]
    about = [text for text in a.lines.context if re.match(r"\s*(?:title|description)\s*:", text)]
    where = " ".join([a.facts.page_title or "", *about, *leads_of(a, entries)])
    return bool(entries) and RETIREMENT_CONTEXT.search(where) is not None


def headings_above(a: Analysis) -> dict[int, str]:
    """For each added line (by id) under a heading added above it in the same run of changed lines, that heading."""
    found: dict[int, str] = {}
    current: dict[int, str] = {}
    for line in a.lines.changed:
        if line.sign != "+":
            continue
        if heading := heading_text(line.text):
            current[line.block] = heading
        elif line.block in current:
            found[id(line)] = current[line.block]
    return found


def leads_of(a: Analysis, lines: list[ChangedLine]) -> list[str]:
    """What each added line sits under: a heading added above it, else the text before its run of changed lines."""
    above = headings_above(a) if any(heading_text(line.text) for line in a.unpaired_added) else {}
    return [above.get(id(line)) or a.lines.leads.get(line.block, "") for line in lines]


RETIREMENT_HINTS = ("retir", "end of", "no longer", "removed", "discontinu", "sunset", "deprecat")
LINKED = re.compile(r"!?\[[^\]]*\]\([^)]*\)")


def _retirements_said(lines: list[ChangedLine]) -> int:
    """How many lines of the body say something is retired or deprecated (a link to a page about
    retirements, a heading or a navigation line says nothing of the kind)."""
    said = 0
    if not any(hint in line.text.lower() for line in lines for hint in RETIREMENT_HINTS):
        return 0
    for line in lines:
        if not _body(line) or JSON_PAIR.match(line.text):
            continue  # sample data ("... perfect for retirees") says nothing of the service
        text = LINKED.sub(" ", line.text) if "](" in line.text else line.text
        text = BACKTICKED.sub(" ", text) if "`" in text else text  # a name in code ("Deprecation Notifications")
        lower = text.lower()
        matches = phrase_matches("retirement", text, lower) + phrase_matches("deprecation", text, lower)
        said += any(not HEDGED.search(lower[max(0, m.start() - 24) : m.start()]) for m in matches)
    return said


# a line of JSON data: a quoted key and its value
JSON_PAIR = re.compile(r'^\s*[{\[]?\s*"[^"]+"\s*:')
# what may happen one day ("older models may be retired") is a policy, not a thing retired
HEDGED = re.compile(r"\b(?:may|might|could|can)\s+(?:eventually\s+|also\s+)?(?:be\s+)?$")


# a sentence that sends the reader to where the content is now
POINTER = re.compile(r"\b(?:see|refer to|go to|moved to|visit|found (?:in|at))\b[^.]*\]\(", re.IGNORECASE)


def _parameters_removed(a: Analysis) -> bool:
    """Parameter or field names that the page no longer documents (not named by its unchanged lines either), not
    sent elsewhere (a pointer to a schema in their place)."""
    added_text = " ".join(line.text for line in a.net_added)
    found = [
        (line.block, name)
        for line in a.net_removed
        for name in [m.group(1) for m in BACKTICKED.finditer(line.text)] + re.findall(r"\"(\w+)\"\s*:", line.text)
        if PARAMETER_NAME.match(name) and len(name) >= 6 and name not in added_text and not occurs_whole(name, a.context_text)
    ]
    if len({name for _, name in found}) < 3 or len(a.net_removed) < len(a.net_added):
        return False
    pointed = {line.block for line in a.net_added if POINTER.search(line.text)}
    return len({name for block, name in found if block not in pointed}) >= 3


# bug fix: wrong information corrected


HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"})
STRING_EDGES = "\"'`,;:()"
# a string that holds a name or a value of code, not words: digits, _ or - ("hnsw-1", "cl100k_base")
CODE_VALUE = re.compile(r"[\d_-]")
PLACEHOLDER = re.compile(r"<[^>]*>|\]\(")
# a name in CamelCase: a capital after a lower-case letter (OpenAIClient), which no plain word has
CAMEL = re.compile(r"[a-z][A-Z]")


def _code_corrected(a: Analysis) -> bool:
    """A small correction inside code: a misspelled command, name or value."""
    if len(a.net_added) > 10 or len(a.unpaired_added) > 2:
        return False
    for span in a.spans:
        if not span.in_code or not span.old or not span.new or API_VERSION.search(span.old + span.new) or "](" in span.old + span.new:
            continue  # (a Markdown link is no code: the link rules judge its target)
        if MODEL_NAME.search(span.old) or MODEL_NAME.search(span.new) or " " in span.old.strip() or " " in span.new.strip():
            continue
        old, new = span.old.strip(STRING_EDGES), span.new.strip(STRING_EDGES)
        if old in HTTP_METHODS and new in HTTP_METHODS:
            return True  # the request's method corrected (POST -> PUT)
        if span.old.isalpha() and span.new.isalpha() and not span.command and not (CAMEL.search(old) and CAMEL.search(new)):
            continue  # a plain word: only a command's words and names in CamelCase (AzureOpenAIClient) are code here
        if span.in_string and not (CODE_VALUE.search(old) and CODE_VALUE.search(new) and not PLACEHOLDER.search(span.old + span.new)):
            continue  # sample data in a string (a hotel's name, a message), a placeholder or a link, not a name or a value
        differing = set(span.old) ^ set(span.new)
        if differing and all(ch.isdigit() or ch == "." for ch in differing):
            continue  # a version bump, not a fix
        ratio = difflib.SequenceMatcher(a=span.old, b=span.new, autojunk=False).ratio()
        if ratio >= 0.75 or span.old.lower() == span.new.lower():
            return True
    return False


QUERY_ONLY = re.compile(r"[?&][^#]*$")


def _link_pairs(a: Analysis) -> list[tuple[str, str]] | None:
    """The changed lines as (old, new) versions of one line: paired by their words (the spans), and lines
    the same but for their link targets, which share too few words to pair when a long URL changed; None
    when a removed or added line is left over."""
    pairs = {(s.old_line, s.new_line) for s in a.spans}
    if not (a.unpaired_added or a.unpaired_removed):
        return sorted(pairs)
    removed = {MD_LINK.sub("]()", line.text.strip()): line.text.strip() for line in a.unpaired_removed}
    added = {MD_LINK.sub("]()", line.text.strip()): line.text.strip() for line in a.unpaired_added}
    if len(removed) != len(a.unpaired_removed) or removed.keys() != added.keys():
        return None
    return sorted(pairs | {(removed[key], added[key]) for key in removed})


def _link_corrected(a: Analysis) -> bool:
    """Link targets or anchors corrected, the words around them unchanged."""
    pairs = _link_pairs(a) if a.spans or a.unpaired_added else None
    if not pairs:
        return False
    fixed = 0
    for old_line, new_line in pairs:
        old_links, new_links = links_in(old_line), links_in(new_line)
        if not _links_alone_changed(old_line, new_line, old_links, new_links):
            return False
        for old, new in zip(old_links, new_links, strict=False):
            if old != new and QUERY_ONLY.sub("", old) == QUERY_ONLY.sub("", new):
                return False  # only a tracking or view parameter changed
        fixed += 1
    return fixed > 0


def _links_alone_changed(old_line: str, new_line: str, old_links: list[str], new_links: list[str]) -> bool:
    """Two versions of a line that differ in their links' targets and nothing outside the links: the words of
    a link may follow its new target ("[Create Index](/rest/api/searchservice/create-index)" -> "[Index
    Documents](/rest/api/searchservice/documents)"), the text around it not."""
    if old_links == new_links:
        return False
    if MD_LINK.sub("]()", old_line) == MD_LINK.sub("]()", new_line):
        return True
    if len(old_links) != len(new_links) or INCLUDE.search(old_line) or LINKED.sub("[]()", old_line) != LINKED.sub("[]()", new_line):
        return False  # other text around the links, or another include (its content, not a link)
    old_words, new_words = LINK_WORDS.findall(old_line), LINK_WORDS.findall(new_line)
    return all(_same_link_words(old, new) for old, new in zip(old_words, new_words, strict=False))


LINK_WORDS = re.compile(r"!?\[([^\]]*)\]\(")
# words that say nothing of what a link is about
LINK_FILLER = frozenset("azure ai microsoft the a an in on with and or for of to".split())


def _same_link_words(old: str, new: str) -> bool:
    """A link's words that still name what they named: the same, an address either way, or sharing a word of
    substance ("Add, Update, or Delete Documents" -> "Index Documents"), none of them a number or version that
    changed ("Mistral-large-2407" -> "Mistral-large-2411" points at another thing)."""
    if old == new or (old.startswith("http") and new.startswith("http")):
        return True
    if re.search(r"\d", old + new):
        return False
    said = {word for word in re.findall(r"\w+", old.lower()) if word not in LINK_FILLER}
    return bool(said & {word for word in re.findall(r"\w+", new.lower()) if word not in LINK_FILLER})


# --- checks added for issue #11 ---------------------------------------------------------------------

ACCESS_HEADING = re.compile(r"permission|access|\brole|requirement|security|authenticat|authoriz", re.IGNORECASE)
REQUIRE = re.compile(r"\b(?:must|need|needs|required|requires|require|only\s+\w+\s+can)\b", re.IGNORECASE)


def retirement_date_moved(a: Analysis) -> bool:
    """A retirement, deprecation or end-of-support date that moved (the wording on both sides, the date not)."""
    for span in a.spans:
        old_dates, new_dates = _prose_dates(span.old_line), _prose_dates(span.new_line)
        if not (old_dates and new_dates) or old_dates == new_dates:
            continue
        where = " ".join([span.old_line, span.new_line, a.facts.page_title or "", a.lines.leads.get(0, "")])
        if RETIREMENT_CONTEXT.search(where) or phrase_matches("retirement", where):
            return True
    return False


def _prose_dates(line: str) -> list[str]:
    """The dates a line states, not those inside code: `2024-11-30 (GA)` is an API version, not a retirement date."""
    return dates_in(BACKTICKED.sub(" ", line) if "`" in line else line)


def required_role_added(a: Analysis) -> bool:
    """A role the reader must now hold: a role name the removed lines did not name, in a sentence that requires it."""
    # a role a section the diff adds asks for belongs to what that section documents, not to steps the reader relied
    # on (unless the section is about access: "## Permissions" asks it of every reader)
    above = headings_above(a).items() if a.unpaired_added else ()
    new_section = {key for key, heading in above if not (SUPPORT_HEADING.search(heading) or ACCESS_HEADING.search(heading))}
    for line in a.informative_added:
        if not REQUIRE.search(line.text) or id(line) in new_section:
            continue
        for match in ROLE.finditer(plain_text(line.text)):
            if match.group(0) in a.removed_text:
                continue
            typos = [span.old for span in a.spans if span.new_line == line.text.strip() and _close(span.old, span.new)]
            if not any(_close(typo, match.group(0).split()[-1]) for typo in typos):
                return True
    return False


def _close(first: str, second: str) -> bool:
    """Two spellings of one word (Contributer, Contributor): a typo fixed, not another name."""
    first, second = first.strip("*_`"), second.strip("*_`")
    return difflib.SequenceMatcher(a=first.lower(), b=second.lower(), autojunk=False).ratio() >= 0.8


SUPERSCRIPT = re.compile(r"<sup>.*?</sup>", re.IGNORECASE)


def _regions(text: str) -> list[str]:
    """The regions a text names, each as one key (East US 2 = eastus2); a footnote mark is not part of a name."""
    return [region.replace(" ", "").lower() for region in regions_in(SUPERSCRIPT.sub("", text) if "<sup" in text else text)]


EDIT_ONE = 1


def name_misspelling_fixed(a: Analysis) -> bool:
    """A name in code that differed from its correct form by one letter (a typo that breaks the sample)."""
    if len(a.net_added) > 10:
        return False
    for span in a.spans:
        if not span.in_code or span.in_string or not span.old or not span.new:
            continue
        old, new = span.old.split("=")[0].strip(" (.,"), span.new.split("=")[0].strip(" (.,")
        if len(old) < 4 or len(new) < 4 or old == new or not (old.isidentifier() and new.isidentifier()):
            continue
        if abs(len(old) - len(new)) <= EDIT_ONE and _one_edit_apart(old, new):
            return True
    return False


def _one_edit_apart(first: str, second: str) -> bool:
    matcher = difflib.SequenceMatcher(a=first, b=second, autojunk=False)
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
    return changed == 1
