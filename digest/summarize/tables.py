"""Table rows as a reader reads them: the table a row sits in (the heading above it, its column names) and
the row's cells as "column: value", so an explanation says "Adds row gpt-4o (region: eastus)" or "3 rows
added to the “Harm categories” table" instead of a dump of cells.

Read from the file's patch: for each changed line on the fact's side, the heading and header row above it
(context lines count, the other side's lines do not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from digest.classify import table_cells
from digest.classify.markdown import heading_text, is_table_separator
from digest.models import ClassifiedChange
from digest.plaintext import plain
from digest.summarize.rank import Fact
from digest.text import clip_words

# a row is told by its key cell and at most this many further cells, each clipped
MAX_CELLS = 2
MAX_CELL = 40
# a header's column name longer than this is no name (a sentence in a header row)
MAX_COLUMN = 30
# named words of a row's longer cells told with it ("naming “KEY1” and “KEY2”")
MAX_NAMES = 2
# the kinds of fact whose items may be a row's key cell (the row is then told with its columns)
KEYED_KINDS = ("row", "model", "api_version", "region", "version", "model_version", "package", "name", "parameter", "role")
# an identifier's rows are told with their columns when it names at most this many
ROWS_NAMED = 2
# the kinds of fact whose words a table's cells may hold (told with the row, not again on their own)
CELL_KINDS = ("term", "text", "name", "edit")
# a web address names nothing a reader looks for in a row
WEB_ADDRESS = re.compile(r"^(?:https?://|[\w-]+(?:\.[\w-]+)+\.(?:com|net|io|org|ms)\b)")
# cells that say nothing alone (check marks, dashes, empty)
EMPTY_CELLS = {"", "-", "—", "✅", "❌", "✔️", "✔", "x", "n/a"}


@dataclass
class TableRow:
    key: str
    # (column, value) pairs after the key cell, as far as the header names them
    cells: list[tuple[str, str]] = field(default_factory=list)
    # the heading above the table ("" when the patch shows none)
    heading: str = ""
    # the whole row as plain text
    text: str = ""


def _key(cells: list[str]) -> str:
    return next((cell.strip() for cell in cells if cell.strip() not in EMPTY_CELLS), "")


def changed_rows(change: ClassifiedChange, sign: str) -> dict[str, TableRow]:
    """Key cell (as plain text) -> the row, for each table row the patch adds (`sign` "+") or removes ("-")."""
    found: dict[str, TableRow] = {}
    record = change.change
    if "|" not in (record.patch or ""):
        return found
    for hunk in record.parsed_patch.hunks:
        # git names the enclosing line after the hunk header: a heading, or whatever line came last (front matter)
        heading, header = heading_text(hunk.section) or "", []
        lines = [(mark, text) for mark, text in hunk.lines if mark in (" ", sign)]
        for index, (mark, text) in enumerate(lines):
            title = heading_text(text)
            if title:
                heading, header = title, []
                continue
            cells = table_cells(text)
            if cells is None:
                continue
            following = lines[index + 1][1] if index + 1 < len(lines) else ""
            if is_table_separator(following):
                header = cells
                continue
            key = plain(_key(cells))
            if mark == sign and key and key not in found:
                found[key] = TableRow(key, _named_cells(cells, header, key), heading, " | ".join(plain(cell) for cell in cells))
    return found


def _named_cells(cells: list[str], header: list[str], key: str) -> list[tuple[str, str]]:
    """The cells after the key cell that say something, each with its column's name when the header has one."""
    named: list[tuple[str, str]] = []
    start = next((index for index, cell in enumerate(cells) if plain(cell.strip()) == key), 0)
    for index in range(start + 1, len(cells)):
        value = plain(cells[index].strip())
        if value.casefold() in EMPTY_CELLS:
            continue
        column = plain(header[index].strip()) if index < len(header) else ""
        column = column if len(column) <= MAX_COLUMN else ""
        if len(value) > MAX_CELL:
            continue  # prose in a cell is no "column: value" (the details name the whole row)
        named.append((column, value))
        if len(named) == MAX_CELLS:
            break
    return named


def covered(sides: dict[str, dict[str, TableRow]], told: list[Fact], fact: Fact, item: str) -> bool:
    """Whether an explanation that tells the facts `told` already says `item` of `fact` as a cell of a row
    it names by its key: the words of a row's text (CELL_KINDS), or an identifier shown as "column: value"."""
    rows = sides.get(fact.action, {})
    keys = {key for other in told if other.action == fact.action and other.kind in KEYED_KINDS for key in other.items if key in rows}
    folded = item.casefold()
    for key in keys - {item}:
        row = rows[key]
        if fact.kind in CELL_KINDS and folded in row.text.casefold():
            return True
        if any(folded == value.casefold() for _, value in row.cells):
            return True
    return False


def table_sides(change: ClassifiedChange, facts: list[Fact]) -> dict[str, dict[str, TableRow]]:
    """The rows the file adds and removes whose key cell a fact names (a row, a model, a region …), by action;
    nothing is read when no fact could."""
    keys = {action: {key for fact in facts if fact.kind in KEYED_KINDS and fact.action == action for key in fact.items} for action in ("added", "removed")}
    if not any(keys.values()) or "|" not in (change.change.patch or ""):
        return {}
    sides = {"added": changed_rows(change, "+"), "removed": changed_rows(change, "-")}
    return {action: {key: row for key, row in rows.items() if key in keys[action]} for action, rows in sides.items()}


def table_told(fact: Fact, sides: dict[str, dict[str, TableRow]], facts: list[Fact]) -> dict[str, object] | None:
    """How an explanation tells a fact whose items are the key cells of rows the file adds or removes:
    {"count", "heading" (when all its rows sit under one), "rows": [{"key", "cells": [{"column", "value"}],
    "names": the named words (of the file's other facts) that its longer cells hold}]}. None when the patch
    does not show every row, or for an identifier (a model …) named in more rows than an explanation names."""
    rows = sides.get(fact.action, {})
    if fact.kind not in KEYED_KINDS or not fact.items or any(key not in rows for key in fact.items):
        return None
    if fact.kind != "row" and len(fact.items) > ROWS_NAMED:
        return None
    told = [rows[key] for key in fact.items]
    headings = {row.heading for row in told}
    terms = [item for other in facts if other.kind in CELL_KINDS and other.kind != "text" and other.action == fact.action for item in other.items if len(item) <= MAX_CELL]
    return {
        "count": len(told),
        "heading": clip_words(told[0].heading, 60) if len(headings) == 1 else "",
        "rows": [{"key": row.key, "cells": [{"column": column, "value": value} for column, value in row.cells], "names": _names_in(row, terms)} for row in told],
    }


def _names_in(row: TableRow, terms: list[str]) -> list[str]:
    """Up to MAX_NAMES of `terms` that the row's text holds beyond its key and the cells told."""
    said = {row.key.casefold()} | {value.casefold() for _, value in row.cells}
    text = row.text.casefold()
    found = [term for term in dict.fromkeys(terms) if term.casefold() in text and term.casefold() not in said]
    return [term for term in found if not WEB_ADDRESS.match(term)][:MAX_NAMES]
