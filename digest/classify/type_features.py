"""The rubric's new-feature checks (DESIGN.md: the reader can now do or use something they could not before);
the order and the stable ids are in rubric.py, the other types' checks in type_rules.py, type_removals.py,
type_fixes.py and type_marks.py.
"""

from __future__ import annotations

import re

from digest.classify import (
    INCLUDE,
    LIST_ITEM,
    NAVIGATION_LINE,
    Analysis,
    _informative,
    api_versions_in,
    heading_text,
    occurs_whole,
    phrase_matches,
    plain_text,
    table_cells,
)
from digest.classify.type_rules import CALLOUT, JSON_PAIR, LIMITATION, SUPERSCRIPT, SUPPORT_HEADING, _regions

# a callout that only states a preview or limited-access status
PREVIEW_NOTE = re.compile(r"\bpreview\b|limited access", re.IGNORECASE)

def _limitation_lifted(a: Analysis) -> bool:
    """Rows or items taken out of a list of restrictions: the reader can now do what it ruled out."""
    if not a.net_removed or a.informative_added:
        return False
    removed = a.informative_removed
    if removed and all(CALLOUT.match(line.text) for line in removed):
        return LIMITATION.search(a.removed_text) is not None  # a note that stated the restriction
    if not all(table_cells(line.text) or LIST_ITEM.match(line.text) for line in removed):
        return False
    return any(LIMITATION.search(a.lines.leads.get(line.block, "")) for line in removed)


def _preview_note_removed(a: Analysis) -> bool:
    """A note saying something is in preview or limited access taken out, nothing else: it left preview."""
    if a.informative_added:
        return False
    removed = a.informative_removed
    notes = all(CALLOUT.match(line.text) or INCLUDE.search(line.text) for line in removed)
    return bool(removed) and notes and PREVIEW_NOTE.search(a.removed_text) is not None


def _general_availability(a: Analysis) -> bool:
    """Preview to GA: GA wording added, or a preview API version replaced by its GA version."""
    if len(phrase_matches("ga", a.added_text)) > len(phrase_matches("ga", a.removed_text)):
        return True
    removed, added = set(api_versions_in(a.removed_text)), set(api_versions_in(a.added_text))
    if any(v.endswith("-preview") and v.removesuffix("-preview") in added for v in removed):
        return True
    return _preview_note_removed(a) or _preview_heading_dropped(a)


PREVIEW_MARK = re.compile(r"\s*\((?:public\s+)?preview\)", re.IGNORECASE)


def _preview_heading_dropped(a: Analysis) -> bool:
    """A heading that lost its "(preview)" and nothing else: what it documents is generally available."""
    for span in a.spans:
        old, new = heading_text(span.old_line), heading_text(span.new_line)
        if old and new and PREVIEW_MARK.search(old) and not PREVIEW_MARK.search(new) and PREVIEW_MARK.sub("", old).strip() == new.strip():
            return True
    return False


def _new_version(a: Analysis) -> bool:
    """A model, model version or API version the diff did not show before."""
    removed = set(a.removed_identifiers)
    return any(v not in removed and not occurs_whole(v, a.context_text) for v in a.added_versions)


def _new_section(a: Analysis) -> bool:
    """A new section that documents a capability, with its content."""
    headings = [h for line in a.unpaired_added if (h := heading_text(line.text))]
    capability = [h for h in headings if not SUPPORT_HEADING.search(h)]
    added = [line for line in a.unpaired_added if _informative(line)]
    return bool(capability) and len(added) >= 10 and len(added) >= 3 * len(a.net_removed)


def _new_list_entry(a: Analysis) -> bool:
    """Only new entries added to an existing list or table (a capability, region or option)."""
    if a.net_removed or not a.net_added or len(a.net_added) > 5:
        return False
    for line in a.net_added:
        item = LIST_ITEM.match(line.text)
        cells = table_cells(line.text)
        if not (item or cells) or NAVIGATION_LINE.match(line.text) or INCLUDE.search(line.text):
            return False
        words = plain_text(item.group(1) if item else " ".join(cells or []))
        if len(words.split()) > 10 or words.endswith("."):
            return False
    return True


def _same_file_kind(a: Analysis) -> bool:
    return bool(a.net_added) and not a.facts.headings_removed


def regions_added(a: Analysis) -> bool:
    """New rows or items naming regions the page did not list: the service or model is now available there."""
    if not _same_file_kind(a):
        return False
    removed = set(_regions(a.removed_text)) | set(_regions(a.context_text))
    new = [region for line in a.net_added for region in _regions(_entry_key(line.text)) if region not in removed]
    return len(new) >= 1 and len(new) >= len(set(_regions(a.removed_text)) - set(_regions(a.added_text)))


def _entry_key(line: str) -> str:
    """What a table row or a short list item is about: its first filled cell, or the item itself."""
    line = SUPERSCRIPT.sub("", line) if "<sup" in line else line
    cells = table_cells(line)
    if cells:
        return next((cell for cell in cells if cell), "")
    item = LIST_ITEM.match(line)
    return item.group(1) if item and len(item.group(1).split()) <= 6 else ""


def quickstart_include_added(a: Analysis) -> bool:
    """A new include that is a whole how-to (prerequisites and steps): a new way to use the service."""
    headings = [h for line in a.net_added if (h := heading_text(line.text))]
    return len(a.net_added) >= 50 and any(re.match(r"prerequisites?\b", h, re.IGNORECASE) for h in headings)


# a sentence that tells the reader of something they can now do or use ("X now supports WebRTC", "You can now adapt
# ...", "The v4.0 container is now available")
ANNOUNCED = re.compile(
    r"\bnow (?:generally )?(?:available|supported|supports?|offers?|includes?|lets?|allows?|enables?|provides?)\b"
    r"|\byou can now\b|\bis now in (?:public )?preview\b",
    re.IGNORECASE,
)
# a step of a walk-through ("Once the prerequisites are met, you can now generate ..."), not news
NARRATED = re.compile(r"\b(?:once|after|when|now that|then)\b", re.IGNORECASE)


def capability_announced(a: Analysis) -> bool:
    """A line of prose the diff adds that announces a capability in words the removed lines did not use."""
    removed = a.removed_text.lower()
    for line in a.informative_added:
        if line.in_code or heading_text(line.text) or JSON_PAIR.match(line.text):
            continue
        match = ANNOUNCED.search(line.text)
        if match and match.group(0).lower() not in removed and not NARRATED.search(line.text[: match.start()]):
            return True
    return False
