"""Changes of one day that belong together, for the Insight: text taken out of one file and put into a file
added the same day, the same edit made in several files, and what kinds of edit a day without actions made.

Everything is read from the files' facts and titles; nothing is said that they do not hold.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from digest.summarize.base import SummarizedFile
from digest.summarize.rank import Fact

# at least this many named things (terms, identifiers, links) shared by what one file lost and a new file holds
MIN_SHARED = 3
MAX_SHARED_NAMED = 3
# a web address, a host or a bare number says little about what moved
UNNAMED = re.compile(r"^(?:https?://|[\w-]+(?:\.[\w-]+)+\.(?:com|net|io|org|ms)\b|[\d\s.,]+$)")
# the kind of edit a file's top fact tells, for a day without actions (the order they are told in)
EDIT_KINDS = {
    "section": "sections", "toc_entry": "sections", "row": "tables", "table_column": "tables",
    "code": "code", "command": "code", "import": "code", "sample_name": "code", "parameter": "code",
    "link": "links", "include": "links", "media": "images",
}
EDIT_ORDER = ("sections", "tables", "code", "links", "wording", "images", "other")
WORDING_KINDS = ("edit", "wording", "term", "text", "rename", "name")


def name_of(item: SummarizedFile) -> str:
    return PurePosixPath(item.change.change.path).name


def short_names(items: list[SummarizedFile]) -> list[str]:
    """The files' names; files of one name told apart by the first folder in which their paths differ
    (sentiment-opinion-mining/…/azure-ai-foundry.md)."""
    paths = [PurePosixPath(item.change.change.path).parts for item in items]
    names = [parts[-1] for parts in paths]
    shown = []
    for parts, name in zip(paths, names, strict=True):
        twins = [other for other in paths if other is not parts and other[-1] == name]
        if not twins:
            shown.append(name)
            continue
        depth = next((index for index in range(len(parts) - 1) if any(index >= len(other) - 1 or other[index] != parts[index] for other in twins)), len(parts) - 1)
        shown.append(f"{parts[depth]}/…/{name}" if depth < len(parts) - 2 else "/".join(parts[depth:]))
    return shown


def moved_into(ranking: list[tuple[SummarizedFile, list[Fact]]]) -> list[dict[str, Any]]:
    """Files that lost a section or text that a file added the same day now holds (by the names both
    share): {"old": the file's name, "section": the section removed ("" if none), "new": the new file's name,
    "include": "1" when the new file is an include, "shared": a few of the names both hold}."""
    added = [item for item, _ in ranking if item.change.change.status == "added"]
    found: list[dict[str, Any]] = []
    for item, _ in ranking:
        if item.change.change.status != "modified":
            continue
        facts = item.change.facts
        lost = _named(facts.terms_removed + facts.identifiers_removed)
        for new in added:
            held = set(_named(new.change.facts.terms_added + new.change.facts.identifiers_added))
            shared = [name for name in lost if name in held]
            if len(shared) >= MIN_SHARED:
                found.append({
                    "old": name_of(item), "section": next(iter(facts.headings_removed), ""), "new": name_of(new),
                    "include": "1" if "/includes/" in new.change.change.path else "",
                    "shared": shared[:MAX_SHARED_NAMED],
                })
                break
    return found


def _named(items: list[str]) -> list[str]:
    """Names worth matching across files: not web addresses, hosts or numbers, not a heading's whole line."""
    return list(dict.fromkeys(item for item in items if 1 < len(item) <= 60 and not UNNAMED.match(item)))


def same_edits(ranking: list[tuple[SummarizedFile, list[Fact]]]) -> list[list[SummarizedFile]]:
    """Groups of two or more files whose titles say the same (the same edit made in each), largest first."""
    groups: dict[str, list[SummarizedFile]] = {}
    for item, _ in ranking:
        groups.setdefault(item.summary.title.en, []).append(item)
    return sorted((group for group in groups.values() if len(group) > 1), key=len, reverse=True)


def told_once(ranking: list[tuple[SummarizedFile, list[Fact]]]) -> list[list[SummarizedFile]]:
    """The page's files as a reader is told them: files whose titles say the same (the same fact in several
    files) one entry, in the order of the first of them (the ranking's: most important first)."""
    groups: dict[tuple[str, str], list[SummarizedFile]] = {}
    for item, _ in ranking:
        groups.setdefault((item.summary.modification_type, item.summary.title.en), []).append(item)
    return list(groups.values())


def edit_kinds(ranking: list[tuple[SummarizedFile, list[Fact]]], left_out: set[str]) -> dict[str, list[str]]:
    """For a day without actions: kind of edit -> the files (names) whose top fact is of that kind, in EDIT_ORDER."""
    kinds: dict[str, list[str]] = {}
    for item, facts in ranking:
        name = name_of(item)
        if name in left_out:
            continue
        top = next((fact for fact in facts if fact.kind != "article" and not fact.within_section), None)
        kind = "wording" if top is None or top.kind in WORDING_KINDS else EDIT_KINDS.get(top.kind, "other")
        kinds.setdefault(kind, []).append(name)
    return {kind: kinds[kind] for kind in EDIT_ORDER if kind in kinds}
