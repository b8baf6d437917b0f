"""Rubric checks on the yes / no marks of support and availability tables (✓, ✅, ❌, yes, -): a region that
gains marks is a new feature (a model or feature now offered there), one that loses a mark a breaking change, marks
corrected in a support table a bug fix.
Marks are no words, so a row whose marks alone changed cancels out of the net lines as reformatting: these checks
read the lines as written (compare.restyled_pairs) beside the paired ones.
"""

from __future__ import annotations

import re

from digest.classify import Analysis, table_cells
from digest.classify.compare import restyled_pairs
from digest.classify.type_rules import SUPERSCRIPT, _regions

MARK_CELL = re.compile(r"^(?:✓|✔|✔️|✅|❌|✗|✘|x|X|o|O|yes|no|Yes|No|—|-|)$")
# a support or availability mark that says yes, and one that says no (an empty cell says no)
MARK_ON = re.compile(r"^(?:✓|✔|✔️|✅|yes|Yes|YES)$")
MARK_OFF = re.compile(r"^(?:❌|✗|✘|no|No|NO|—|–|-|)$")
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


def _marks_turned(old_line: str, new_line: str) -> list[bool] | None:
    """For two versions of a table row (the same key cell) that differ only in yes / no marks: for each
    changed mark whether it turned on; None for anything else."""
    old_cells, new_cells = table_cells(old_line), table_cells(new_line)
    if not old_cells or not new_cells or len(old_cells) != len(new_cells) or old_cells[0].strip() != new_cells[0].strip():
        return None
    turned: list[bool] = []
    for old, new in zip(old_cells, new_cells, strict=True):
        old, new = old.strip(), new.strip()
        if old == new:
            continue
        if MARK_ON.match(old) and MARK_OFF.match(new):
            turned.append(False)
        elif MARK_OFF.match(old) and MARK_ON.match(new):
            turned.append(True)
        elif MARK_CELL.match(old) and MARK_CELL.match(new):
            turned.append(bool(MARK_ON.match(new)))  # o (optional) <-> ✓ and the like: a mark corrected
        else:
            return None
    return turned or None


def _row_pairs(a: Analysis) -> list[tuple[str, str]]:
    """The changed lines paired as versions of one line: by their words (the spans), and the ones whose
    words are the same (marks are no words: ✅ -> ❌ cancels out of the net lines)."""
    pairs = {(s.old_line, s.new_line) for s in a.spans}
    if any("|" in line.text for line in a.lines.changed):
        pairs |= {(old.text.strip(), new.text.strip()) for old, new in restyled_pairs(a.lines.changed) if table_cells(old.text)}
    return sorted(pairs)


# the government clouds' regions, which name no point of the compass (usgovarizona, US Gov Virginia)
GOV_REGION = re.compile(r"^(?:usgov[a-z]+|US Gov [A-Z][a-z]+)\b")


def _region_row(line: str) -> bool:
    """A table row about one region: its key cell names it (footnote marks and invisible characters aside)."""
    cells = table_cells(line)
    key = INVISIBLE.sub("", cells[0]).strip() if cells else ""
    return bool(key) and (bool(_regions(key)) or GOV_REGION.match(key) is not None)


def region_marks_added(a: Analysis) -> bool:
    """Rows of a region table that only gained marks (a model or feature now offered in that region), none lost."""
    marks = [(old, new, turned) for old, new in _row_pairs(a) if (turned := _marks_turned(old, new))]
    regional = [turned for old, _, turned in marks if _region_row(old)]
    return bool(regional) and all(all(turned) for _, _, turned in marks)


def support_matrix_corrected(a: Analysis) -> bool:
    """Marks in a support table corrected: the same rows, only their ✓ / ✗ / yes / no cells changed (not the
    rows of a region table: a region losing a model is no correction to guess at)."""
    if a.unpaired_added or a.unpaired_removed:
        return False
    pairs = _row_pairs(a)
    if not pairs or any(_region_row(old) for old, _ in pairs):
        return False
    return all(_marks_turned(old, new) for old, new in pairs)


def _is_header(cells: list[str] | None) -> bool:
    return bool(cells) and cells[0].strip().lower() in ("region", "regions")  # type: ignore[index]


def _marked_rows(lines: list[str], context: list[str]) -> dict[tuple[int, str], dict[str, bool]]:
    """For each region row of the lines (keyed by the ordinal of its table among them and its region), whether each
    column (by its header) holds a yes mark. A row before any header the lines hold takes the one header the
    unchanged lines show."""
    shown = {tuple(cells) for text in context if _is_header(cells := table_cells(text))}
    header = list(shown.pop()) if len(shown) == 1 else None
    table, rows = 0, {}
    for line in lines:
        cells = table_cells(line)
        if _is_header(cells):
            header, table = cells, table + 1
        elif cells and header and len(cells) == len(header) and _region_row(line):
            key = INVISIBLE.sub("", SUPERSCRIPT.sub("", cells[0])).strip().lower()
            rows[table, key] = {column: bool(MARK_ON.match(cell.strip())) for column, cell in zip(header[1:], cells[1:], strict=True)}
    return rows


def region_marks_removed(a: Analysis) -> bool:
    """A region row of a model or feature table that lost a yes mark in a column both versions of the table have
    (DESIGN.md: a region removed): the columns are matched by their headers, so a table that gained model columns
    (every row rewritten) is read cell by cell."""
    if not any("|" in line.text for line in a.lines.changed if line.sign == "+"):
        return False  # (no net line: a row whose marks alone changed cancels out as reformatting)
    old_rows = _marked_rows([line.text for line in a.lines.changed if line.sign == "-"], a.lines.context)
    new_rows = _marked_rows([line.text for line in a.lines.changed if line.sign == "+"], a.lines.context)
    return any(
        marks[column] and not new_rows[key].get(column, True) for key, marks in old_rows.items() if key in new_rows for column in marks
    )
