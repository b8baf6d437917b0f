"""Breaking-change checks of the rubric that look at what a page stops saying (DESIGN.md: "a model, model
version, API version, SDK, feature, region, parameter or tool removed ..."; "limits or quotas changed
incompatibly (a lowered limit, a changed endpoint or URL form ...)").

Each check asks for the thing the rubric names, not for an amount of removed text: a removed table row,
list item, heading or tab that names a model, version, region or SDK package the page no longer names
anywhere; a section of its own taken out; a number in a limit that went down; a service endpoint whose
form changed. Text that only restates a restriction (a "not supported" list), a requirement (a
prerequisite), media, includes and navigation never counts as a capability.
"""

from __future__ import annotations

import re

from digest.classify import (
    BACKTICKED,
    BARE_URL,
    EMPHASIS,
    INCLUDE,
    LIST_ITEM,
    Analysis,
    ChangedLine,
    _informative,
    api_versions_in,
    content_key,
    heading_text,
    images_in,
    model_names_in,
    occurs_whole,
    plain_text,
    table_cells,
)
from digest.classify.signals import dates_in, regions_in
from digest.classify.type_rules import CALLOUT, LIMITATION, POINTER, SUPERSCRIPT, SUPPORT_HEADING, _regions

# the text around a list or table states a restriction or a known issue: taking a row out lifts it
RESTRICTION = re.compile(LIMITATION.pattern + r"|known issue", re.IGNORECASE)
# a sentence that states what the reader needs: taking it out asks less of them, not more
REQUIREMENT = re.compile(r"\b(?:must|need|needs|required|requires|require|prerequisites?)\b", re.IGNORECASE)
# sections that set a reader up (resources, keys, sign-in) rather than document a capability
SETUP_HEADING = re.compile(
    r"\bset ?up\b|\binstall|environment|authenticat|authoriz|\bkeys?\b|endpoint|sign in|permissions?|\broles?\b|get started|create a resource",
    re.IGNORECASE,
)
MEDIA_LINE = re.compile(r"^\s*(?:>\s*)*(?:\[!VIDEO\b|:::image\b|!\[|<img\b|<video\b|<iframe\b)", re.IGNORECASE)


BOLD_LEAD = re.compile(r"^\*\*([^*]{2,80})\*\*")


def entry_name(line: str) -> str:
    """What a table row, a short list item, a heading or a tab is about: its first filled cell, the
    item's text (or its lead before a colon or dash), the heading's words; "" for other lines."""
    line = SUPERSCRIPT.sub("", line) if "<sup" in line else line  # a footnote mark is not part of a name
    heading = heading_text(line)
    if heading:
        return heading
    cells = table_cells(line)
    if cells:
        return next((cell for cell in cells if cell), "")
    item = LIST_ITEM.match(line)
    if not item:
        return ""
    words = plain_text(item.group(1))
    if len(words.split()) <= 8:
        return words
    lead = BOLD_LEAD.match(item.group(1))  # "**Vision enhancement**: ..." names what the item is about
    return plain_text(lead.group(1)) if lead else ""


def _restriction_entry(a: Analysis, line: ChangedLine) -> bool:
    """The line belongs to a list of restrictions or known issues, or is a callout."""
    return CALLOUT.match(line.text) is not None or RESTRICTION.search(a.lines.leads.get(line.block, "")) is not None


def _capability_lines(a: Analysis, lines: list[ChangedLine]) -> list[ChangedLine]:
    """Lines that tell the reader what they can use: not navigation, media, includes or stated requirements."""
    # the items under a requirement belong to it ("You need a hub." then "If your role is Owner, ...")
    required_blocks = {line.block for line in lines if REQUIREMENT.search(line.text)}
    return [
        line
        for line in lines
        if _informative(line)
        and not MEDIA_LINE.match(line.text)
        and not images_in(line.text)
        and not INCLUDE.search(line.text)
        and line.block not in required_blocks
    ]


def _still_named(a: Analysis) -> str:
    """Everything the page still says: the added lines and the unchanged ones."""
    return a.added_text + "\n" + a.context_text


# --- a list of models, regions ... replaced by "all of them" --------------------------------------------

# "available for all Azure OpenAI models", "in every region", "any model": a scope that names a whole kind
ALL_OF = re.compile(
    r"\b(all|any|every)(?:\s+(?:of\s+)?the)?((?:\s+(?!(?:all|any|every|of|the)\b)[\w.-]+){0,4}?)\s+(models?|regions?|versions?|deployments?|SKUs?|tiers?|languages?)(?:\s+types?)?\b",
    re.IGNORECASE,
)
# the wording that keeps a scope a restriction ("isn't available in all regions")
NEGATED = re.compile(r"\bnot\b|n't\b|\bexcept\b|\bexcluding\b", re.IGNORECASE)
# what a sentence says is available: the words before "is available" / "are supported" ...
AVAILABLE = re.compile(r"^(.{3,120}?)\s+(?:is|are)\s+(?:now\s+)?(?:available|supported|enabled|offered)\b", re.IGNORECASE)
PARENTHESES = re.compile(r"\s*\([^()]*\)")
SUBJECT_WORDS = 6


def widened_scope(text: str) -> tuple[str, str] | None:
    """For a sentence that says something holds for a whole kind ("Configurable content filters ... are available
    for all Azure OpenAI models"): what it says is available ("" when it names none) and the scope, verbatim
    ("all Azure OpenAI models"; `ALL_OF` reads its words and its kind)."""
    words = plain_text(text)
    match = ALL_OF.search(words) if ("all" in words or "any" in words or "every" in words or "All" in words) else None
    if not match or NEGATED.search(words):
        return None
    lead = AVAILABLE.match(PARENTHESES.sub("", words.lstrip("-*+> ")))
    subject = lead.group(1) if lead else ""
    if len(subject.split()) > SUBJECT_WORDS:  # "Configurable content filters for inputs and outputs": its head
        subject = re.split(r"\s+(?:for|in|on|with|of)\s+", subject, maxsplit=1)[0]
    return (subject if len(subject.split()) <= SUBJECT_WORDS else ""), match.group(0)


def _kind_word(scope: str) -> str:
    return ALL_OF.match(scope).group(3).lower().rstrip("s") if ALL_OF.match(scope) else ""


def restriction_widened(a: Analysis) -> bool:
    """A list of the models, regions or versions something holds for, replaced by a sentence that says it holds
    for all of them ("available for all Azure OpenAI models"): availability widened, nothing a reader used went
    away. The list's entries are what was removed (with its lead and notes), the one sentence is what came."""
    if a.facts.includes_added or a.facts.headings_added:
        return False
    # a pointer ("for all supported models, see [Models](...)") sends the list elsewhere: it did not widen
    widened = [(line, scope) for line in a.informative_added if (scope := widened_scope(line.text)) and not POINTER.search(line.text)]
    if not widened or len(a.informative_added) > len(widened) + 1:
        return False
    kinds = {_kind_word(scope[1]) for _, scope in widened}
    before = {_kind_word(m.group(0)) for m in ALL_OF.finditer(plain_text(a.removed_text))}
    if kinds <= before:
        return False  # the page said "all ..." before: the scope is not new
    entries = [line for line in a.net_removed if (table_cells(line.text) or LIST_ITEM.match(line.text)) and entry_name(line.text)]
    if len(entries) < 2 or len(a.informative_removed) > 2 * len(entries):
        return False
    named = " ".join(line.text for line in entries)
    lead = a.removed_text.lower() + " " + " ".join(a.lines.leads.get(line.block, "") for line in entries).lower()
    return any(kind in lead for kind in kinds) or ("model" in kinds and bool(model_names_in(named))) or ("region" in kinds and bool(_regions(named)))


# --- a model, version or API version removed --------------------------------------------------------


def versions_removed(a: Analysis) -> bool:
    """A removed entry (row, item, heading, tab) that names a model or an API version, the entry gone
    from the page (no added entry of that name) and the version not named by the page anymore."""
    if a.facts.includes_added:
        return False  # the list moved into an include
    still = _still_named(a)
    added_names = {content_key(name) for line in a.net_added if (name := entry_name(line.text))}
    still_lower = still.lower()
    for line in a.unpaired_removed:  # a line rewritten in place (a version bump) is no removal
        name = entry_name(line.text)
        if not name or content_key(name) in added_names or _restriction_entry(a, line):
            continue
        versions = model_names_in(name) + api_versions_in(name)
        if any(not _still_said(v.lower(), still_lower) for v in versions):
            return True
        if versions and not occurs_whole(name.lower(), plain_text(still_lower)) and heading_text(line.text) is None and table_cells(line.text):
            return True  # a row of a models table (gpt-4 (0125-Preview)) gone while the model family stays
    return False


# a model named with its version as one name: gpt-4o-2024-08-06
DATED_MODEL = re.compile(r"(.+?)-(20\d\d-\d\d-\d\d)")


def _still_said(version: str, still: str) -> bool:
    """Whether the page still names a model or version: as written, or a dated model as its model and its
    version apart (a table's "gpt-4o, 2024-08-06" names gpt-4o-2024-08-06)."""
    if occurs_whole(version, still):
        return True
    dated = DATED_MODEL.fullmatch(version)
    return bool(dated) and occurs_whole(dated.group(1), still) and occurs_whole(dated.group(2), still)


def model_column_removed(a: Analysis) -> bool:
    """A table's header row of model columns rewritten with fewer columns, without a model it named (a model
    matrix lost the model's column), the model named nowhere else on the page anymore."""
    still = _still_named(a).lower()
    for span_old, span_new in {(s.old_line, s.new_line) for s in a.spans}:
        old_cells, new_cells = table_cells(span_old), table_cells(span_new)
        if not (old_cells and new_cells) or len(old_cells) <= len(new_cells):
            continue
        if sum(1 for cell in old_cells if model_names_in(cell)) < 2:
            continue  # a row that names a model in passing, not a header of model columns
        if any(not occurs_whole(model.lower(), still) for model in model_names_in(span_old)):
            return True
    return False


# --- a section, tab or capability removed -------------------------------------------------------------


def _renamed(heading: str, others: list[str]) -> bool:
    words = set(re.findall(r"\w+", heading.lower()))
    return any(len(words & set(re.findall(r"\w+", other.lower()))) * 2 >= len(words) for other in others)


def section_removed(a: Analysis) -> bool:
    """A section or tab of its own (not a support section) taken out with its content, what was added in
    its place much less than what went: a capability the page no longer documents."""
    headings_added = [h for line in a.net_added if (h := heading_text(line.text))]
    removed = [h for h in a.facts.headings_removed if not _renamed(h, headings_added)]
    if not removed or any(SUPPORT_HEADING.search(h) or SETUP_HEADING.search(h) for h in removed):
        return False  # a reorganised how-to: its setup or support sections went too
    if a.facts.includes_added or any(POINTER.search(line.text) for line in a.net_added):
        return False  # the content moved: an include or a pointer to where it is now
    body = [line for line in a.net_removed if _informative(line) and heading_text(line.text) is None]
    return len(body) >= 3 and len(a.net_removed) >= 8 and len(a.net_removed) >= 2 * max(len(a.net_added), 1)


NAMED_THING = re.compile(r"[A-Za-z]")


def _names_in(lines: list[ChangedLine]) -> list[str]:
    """The things some lines name: code names in backticks (not URLs or paths), bold terms, models, API versions, regions."""
    names: list[str] = []
    for line in lines:
        text = line.text
        names += [m.group(1).strip() for m in BACKTICKED.finditer(text) if "/" not in m.group(1) and "." not in m.group(1).strip(".")]
        names += [plain_text(m.group(1) or m.group(2)) for m in EMPHASIS.finditer(text)]
        names += model_names_in(text) + api_versions_in(BARE_URL.sub(" ", text)) + regions_in(text)
    return [name for name in names if len(name) >= 2 and NAMED_THING.search(name)]


def content_removed(a: Analysis) -> bool:
    """Content taken out with nothing in its place, naming something the page no longer names: an
    entity, a parameter, a capability (not a requirement, a known issue, a video or an include)."""
    if a.informative_added:
        return False
    body = [line for line in _capability_lines(a, a.net_removed) if heading_text(line.text) is None]
    body = [line for line in body if not _restriction_entry(a, line) and not RESTRICTION.search(line.text)]
    if not body:
        return False
    headings = [h for line in a.net_removed if (h := heading_text(line.text))]
    if headings and all(SUPPORT_HEADING.search(h) for h in headings):
        return False  # a clean-up or next-steps section
    still = plain_text(_still_named(a))
    return any(not occurs_whole(name, still) for name in _names_in(body))


# --- a region removed ------------------------------------------------------------------------------------


def regions_removed(a: Analysis) -> bool:
    """Rows or items naming regions the page no longer lists (outside a list of restrictions)."""
    if a.facts.includes_added:
        return False  # the list moved into an include
    listed = [(line, regions) for line in a.unpaired_removed if (regions := _regions(entry_name(line.text)))]
    if not listed:
        return False
    still = set(_regions(_still_named(a)))
    return any(any(region not in still for region in regions) and not _restriction_entry(a, line) for line, regions in listed)


# --- an SDK package removed ----------------------------------------------------------------------------

INSTALL = re.compile(
    r"\b(?:pip3?\s+install|npm\s+(?:install|i)|yarn\s+add|dotnet\s+add\s+package|Install-Package)((?:[ \t]+[^\s`|]+)+)"
)
PACKAGE_NAME = re.compile(r"^(?:@[\w.-]+/)?[\w.-]+$")
REGISTRY_LINK = re.compile(r"(?:npmjs\.com/package|pypi\.org/project|nuget\.org/packages)/((?:@[\w.-]+/)?[\w.-]+)", re.IGNORECASE)
# a software development kit of the services, not a helper library (dotenv, requests)
SDK_NAME = re.compile(r"azure|openai|cognitive", re.IGNORECASE)


REGISTRY_HINTS = ("npmjs.com", "pypi.org", "nuget.org")
INSTALL_HINTS = ("install", " add ")


def packages_in(text: str) -> set[str]:
    lower = text.lower()
    names = {m.group(1).lower() for m in REGISTRY_LINK.finditer(text)} if any(h in lower for h in REGISTRY_HINTS) else set()
    if not any(h in lower for h in INSTALL_HINTS):
        return {name for name in names if SDK_NAME.search(name) and PACKAGE_NAME.match(name)}
    for match in INSTALL.finditer(text):
        words = [word.strip("\"'") for word in match.group(1).split() if not word.startswith("-")]
        names |= {re.split(r"[=<>~\[]|(?<=.)@", word)[0].lower() for word in words}
    return {name for name in names if SDK_NAME.search(name) and PACKAGE_NAME.match(name)}


def sdk_removed(a: Analysis) -> bool:
    """An SDK package the page installed or linked that it no longer names, another one in its place or none."""
    if a.facts.includes_added:
        return False  # the instructions moved into an include
    gone = packages_in(a.removed_text) - packages_in(_still_named(a))
    still = _still_named(a).lower()
    return any(not occurs_whole(name, still) for name in gone)


# --- a lowered limit --------------------------------------------------------------------------------------

LIMIT_WORDS = re.compile(
    r"\blimits?\b|\bquotas?\b|\bmaximum\b|\bmax\b|\bup to\b|\bTPM\b|\bRPM\b|\bper (?:minute|second|hour|day|month)\b"
    r"|\btokens\b|\brequests\b|\bsize\b|\bcapacity\b|\bcalls\b",
    re.IGNORECASE,
)
QUANTITY = re.compile(r"^\(?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s*([KMB]|GB|MB|TB|KB)?\)?[.,;]?$", re.IGNORECASE)
SCALE = {"": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "b": 1e9, "gb": 1e9, "tb": 1e12}


def quantity(text: str) -> float | None:
    match = QUANTITY.match(text.strip().strip("*`"))
    if not match:
        return None
    return float(match.group(1).replace(",", "")) * SCALE[(match.group(2) or "").lower()]


NUDGE = 0.05


def _limit_moves(a: Analysis) -> list[float]:
    """For each number of a limit or quota that changed (the line otherwise the same), new / old."""
    ratios: list[float] = []
    for span in a.spans:
        old, new = quantity(span.old), quantity(span.new)
        if old is None or new is None or dates_in(span.old_line) or "$" in span.old_line:
            continue
        if abs(new - old) <= NUDGE * max(old, new):
            continue  # 8,191 -> 8,192: a figure corrected, not a limit moved
        if span.in_code or (LIST_ITEM.match(span.old_line) and span.old_line.lstrip(" >").startswith(span.old)):
            continue  # a value in a code sample, or a list renumbered
        if LIMIT_WORDS.search(span.old_line + " " + _lead_of(a, span.old_line)):
            ratios.append(new / old if old else float("inf"))
    return ratios


def limit_lowered(a: Analysis) -> bool:
    """A number in a limit or quota that went down: what the reader relied on no longer fits."""
    return any(ratio < 1 for ratio in _limit_moves(a))


def limit_raised(a: Analysis) -> bool:
    """A number in a limit or quota that went up (none went down): the reader can now do more than before."""
    moves = _limit_moves(a)
    return bool(moves) and all(ratio > 1 for ratio in moves)


def _lead_of(a: Analysis, text: str) -> str:
    """The lines just above a removed line (a table's header row, the sentence that opens a list)."""
    line = next((line for line in a.net_removed if line.text.strip() == text), None)
    return a.lines.leads.get(line.block, "") if line else ""


# --- a changed endpoint -----------------------------------------------------------------------------------

SERVICE_HOST = re.compile(
    r"(?<![\w.-])(?:[\w{}<>\[\]-]+\.)+?(openai\.azure\.com|cognitiveservices\.azure\.com|services\.ai\.azure\.com|search\.windows\.net"
    r"|api\.cognitive\.microsoft\.com|inference\.ai\.azure\.com|models\.ai\.azure\.com|azure-api\.net)(/openai/v1\b)?",
    re.IGNORECASE,
)


# substrings one of which a text must hold to name a service endpoint (a cheap test before SERVICE_HOST)
HOST_HINTS = (".azure.com", ".AZURE.COM", ".windows.net", ".microsoft.com", "azure-api.net")


def _endpoint_forms(text: str) -> set[str]:
    """The forms of the service endpoints a text gives: the service domain (the resource's own name
    left out) and whether it takes the version-less /openai/v1 path."""
    if not any(hint in text for hint in HOST_HINTS):
        return set()
    return {(m.group(1) + (m.group(2) or "")).lower() for m in SERVICE_HOST.finditer(text)}


def endpoint_changed(a: Analysis) -> bool:
    """A service endpoint given in a form (domain, API path) the page no longer uses, another form in its place."""
    still = _endpoint_forms(_still_named(a))
    for span in a.spans:
        old, new = _endpoint_forms(span.old_line), _endpoint_forms(span.new_line)
        if old and new and old != new and old - still:
            return True
    return False
