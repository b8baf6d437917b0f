"""The rubric rules in order, each with a stable id: the id is what a record stores as `facts.type_reason`,
so renaming or moving a rule's function changes no record (issue #10, item 3).

The rubric is DESIGN.md's (first match wins): breaking change > new feature > bug fix > minor update.
The rules themselves judge an `Analysis` of classify.py; the rules added for issue #11 live here.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from . import classify as c
from .models import ModificationType
from .signals import REGION, ROLE, dates_in, regions_in

Rule = Callable[["c.Analysis"], bool]


@dataclass(frozen=True)
class RubricRule:
    id: str
    kind: ModificationType
    check: Rule


# --- rules added for issue #11 ---------------------------------------------------------------------

REQUIRE = re.compile(r"\b(?:must|need|needs|required|requires|require|only\s+\w+\s+can)\b", re.IGNORECASE)


def retirement_date_moved(a: c.Analysis) -> bool:
    """A retirement, deprecation or end-of-support date that moved (the wording on both sides, the date not)."""
    for span in a.spans:
        if not (dates_in(span.old_line) and dates_in(span.new_line)) or dates_in(span.old_line) == dates_in(span.new_line):
            continue
        where = " ".join([span.old_line, span.new_line, a.facts.page_title or "", a.lines.leads.get(0, "")])
        if c.RETIREMENT_CONTEXT.search(where) or c.phrase_matches("retirement", where):
            return True
    return False


def required_role_added(a: c.Analysis) -> bool:
    """A role the reader must now hold: a role name the removed lines did not name, in a sentence that requires it."""
    for line in a.informative_added:
        if not REQUIRE.search(line.text):
            continue
        for match in ROLE.finditer(c.plain_text(line.text)):
            if match.group(0) not in a.removed_text:
                return True
    return False


def _same_file_kind(a: c.Analysis) -> bool:
    return bool(a.net_added) and not a.facts.headings_removed


def regions_added(a: c.Analysis) -> bool:
    """New rows or items naming regions the page did not list: the service or model is now available there."""
    if not _same_file_kind(a):
        return False
    removed = set(regions_in(a.removed_text)) | set(regions_in(a.context_text))
    new = [region for line in a.net_added for region in regions_in(_entry_key(line.text)) if region not in removed]
    return len(new) >= 1 and len(new) >= len(set(regions_in(a.removed_text)) - set(regions_in(a.added_text)))


def _entry_key(line: str) -> str:
    """What a table row or a short list item is about: its first filled cell, or the item itself."""
    cells = c.table_cells(line)
    if cells:
        return next((cell for cell in cells if cell), "")
    item = c.LIST_ITEM.match(line)
    return item.group(1) if item and len(item.group(1).split()) <= 6 else ""


def quickstart_include_added(a: c.Analysis) -> bool:
    """A new include that is a whole how-to (prerequisites and steps): a new way to use the service."""
    headings = [h for line in a.net_added if (h := c.heading_text(line.text))]
    return len(a.net_added) >= 50 and any(re.match(r"prerequisites?\b", h, re.IGNORECASE) for h in headings)


EDIT_ONE = 1


def name_misspelling_fixed(a: c.Analysis) -> bool:
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


MARK_CELL = re.compile(r"^(?:✓|✔|✔️|✅|❌|✗|✘|x|X|o|O|yes|no|Yes|No|—|-|)$")


def support_matrix_corrected(a: c.Analysis) -> bool:
    """Marks in a support table corrected: the same rows, only their ✓ / ✗ / yes / no cells changed."""
    if not a.spans or a.unpaired_added or a.unpaired_removed:
        return False
    for old_line, new_line in {(s.old_line, s.new_line) for s in a.spans}:
        old_cells, new_cells = c.table_cells(old_line), c.table_cells(new_line)
        if not old_cells or not new_cells or len(old_cells) != len(new_cells) or old_cells[0] != new_cells[0]:
            return False
        differing = [(o, n) for o, n in zip(old_cells, new_cells, strict=True) if o != n]
        if not differing or not all(MARK_CELL.match(o.strip()) and MARK_CELL.match(n.strip()) for o, n in differing):
            return False
    return True


# --- the rubric in order ------------------------------------------------------------------------------

RUBRIC: tuple[RubricRule, ...] = (
    RubricRule("retirement-announced", "breaking change", c._retirement_announced),
    RubricRule("retirement-date-moved", "breaking change", retirement_date_moved),
    RubricRule("versions-removed", "breaking change", c._versions_removed),
    RubricRule("parameters-removed", "breaking change", c._parameters_removed),
    RubricRule("required-role-added", "breaking change", required_role_added),
    RubricRule("content-removed", "breaking change", c._content_removed),
    RubricRule("limitation-lifted", "new feature", c._limitation_lifted),
    RubricRule("general-availability", "new feature", c._general_availability),
    RubricRule("new-version", "new feature", c._new_version),
    RubricRule("regions-added", "new feature", regions_added),
    RubricRule("new-section", "new feature", c._new_section),
    RubricRule("new-list-entry", "new feature", c._new_list_entry),
    RubricRule("code-corrected", "bug fix", c._code_corrected),
    RubricRule("name-misspelling-fixed", "bug fix", name_misspelling_fixed),
    RubricRule("link-corrected", "bug fix", c._link_corrected),
    RubricRule("support-matrix-corrected", "bug fix", support_matrix_corrected),
)

# rules on an added include (a support file): a whole new how-to is a new feature, anything else minor
ADDED_INCLUDE_RULES: tuple[RubricRule, ...] = (RubricRule("include-quickstart-added", "new feature", quickstart_include_added),)


@functools.cache
def rule_ids() -> frozenset[str]:
    """Every id a record's type_reason may hold for a rubric rule."""
    return frozenset(rule.id for rule in RUBRIC + ADDED_INCLUDE_RULES)


def first_match(a: c.Analysis, rules: tuple[RubricRule, ...] = RUBRIC) -> RubricRule | None:
    return next((rule for rule in rules if rule.check(a)), None)


__all__ = ["ADDED_INCLUDE_RULES", "REGION", "RUBRIC", "RubricRule", "first_match", "rule_ids"]
