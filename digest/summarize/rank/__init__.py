"""What a file's diff changes, as typed facts ranked by what they mean to a developer using the service.

The offline summarizer titles a file by its top fact and explains it from the first few; the model
prompt gets the same list. Rank, most important first: retirement / deprecation dates and their moves;
an article added or removed; models, API versions, versions and SDK packages added, removed or swapped;
regions and numbers (quotas, limits, prices) old -> new; roles, endpoints and parameters; sections;
table rows; renames; other named text; includes, links and media; then wording.
Every item is verbatim plain text from a changed line (Markdown stripped), never a guess.
"""

from __future__ import annotations

import re
from dataclasses import replace

from digest.classify import heading_text, is_include_path, line_view
from digest.classify.type_fixes import corrected_settings
from digest.classify.type_removals import ALL_OF, widened_scope
from digest.models import ClassifiedChange
from digest.summarize.rank.content import (
    _words_of, change_facts, code_facts, column_facts, differing_middle, link_media_facts, link_tail, structure_facts, tab_facts, text_facts,
)
from digest.summarize.rank.facts import (
    ARTICLE_TITLE_CHARS, DATE, GENERIC_PAGE_TITLES, MAX_ITEM_CHARS, MAX_ITEMS, MONTHS, RANKS, Fact, Sides, _short, sides_of, plain,
)
from digest.summarize.rank.identifiers import command_facts, date_facts, identifier_facts, identifier_kind, import_facts, named_facts
from digest.text import clip_words

__all__ = [
    "DATE", "MONTHS", "RANKS", "Fact", "Sides", "differing_middle", "identifier_kind", "link_tail", "metadata_changes",
    "rank_facts", "sides_of", "toc_facts",
]


def rank_facts(change: ClassifiedChange) -> list[Fact]:
    """Every fact of the change, most important first (stable within a rank: the order the diff gives)."""
    record = change.change
    title = plain(change.facts.page_title or "")
    found: list[Fact] = []
    sides = sides_of(change)
    if record.status in ("added", "removed") and not record.binary:
        heading = next((plain(line[2:]) for line in (sides.added if record.status == "added" else sides.removed) if line.startswith("# ")), "")
        if title and title.casefold() not in GENERIC_PAGE_TITLES and (
            (len(heading) > ARTICLE_TITLE_CHARS and len(title) < len(heading)) or is_include_path(record.path)
        ):
            # the heading would be cut in a title (the front matter's shorter title names it whole), or the file is
            # an include, whose first heading is only its first part (a tab, a step) and its own title says what it holds
            heading = title
        named = _without_page_kind(heading or title)
        found.append(Fact("article", record.status, [named] if named else []))
    found += date_facts(sides, title)
    found += tab_facts(change)  # before the identifiers of its rank: a tab that went takes its models and versions with it
    found += identifier_facts(change, sides)
    found += named_facts(sides)
    found += import_facts(sides)
    found += command_facts(sides)
    found += change_facts(change, sides)
    found += structure_facts(change, sides)
    found += column_facts(sides)
    found += text_facts(change, sides)
    found += code_facts(sides)
    found += link_media_facts(change, sides)
    if record.status == "modified":
        _mark_within_removed_sections(found, change)
    if change.facts.type_reason == "restriction-widened":
        found = _widened(found, sides)
    ranked = _links_told(_deduplicated(sorted(found, key=lambda fact: fact.rank)), sides)
    return _corrections_first(change, ranked) if change.modification_type == "bug fix" else ranked


def _links_told(facts: list[Fact], sides: Sides) -> list[Fact]:
    """A term that is only the words of a link added (removed) with it is that link: the link fact takes the
    term's place, named by those words ("1 link added: Get started with …"), not the words as if they were text."""
    for link in [fact for fact in facts if fact.kind == "link" and fact.action in ("added", "removed")]:
        lines = sides.added + sides.added_code if link.action == "added" else sides.removed + sides.removed_code
        words = {name for target in link.items if (name := _words_of(target, lines))}
        term = next((fact for fact in facts if fact.kind == "term" and fact.action == link.action and fact.items and set(fact.items) <= words), None)
        if term is None:
            continue
        named = replace(link, rows=_short(list(dict.fromkeys(term.items + link.rows))))
        facts = [named if fact is term else fact for fact in facts if fact is not link]
    return facts


# facts that survive a list replaced by "all of them": the list's entries, lead and notes are the widening itself
WIDENING_KEEPS = ("link", "media", "section", "article", "include")


def _widened(found: list[Fact], sides: Sides) -> list[Fact]:
    """A list of the models (regions ...) something holds for replaced by "all ...": the availability widened
    first, then what else changed (not the entries of the list that went, nor the lead sentence's rewording)."""
    scope = next((widening for line in sides.added if (widening := widened_scope(line))), None)
    if scope is None:
        return found
    subject, phrase = scope
    words = ALL_OF.match(phrase)
    between, kind = (words.group(2).strip(), phrase[words.start(3) - words.start() :]) if words else ("", phrase)
    widening = Fact("availability", "widened", [phrase], old=between, new=kind, subject=subject)
    rest = [fact for fact in found if fact.kind in WIDENING_KEEPS or (fact.action == "added" and fact.kind not in ("text", "term"))]
    return [widening] + rest


# what a correction changes: an editor's headline of a bug fix names the wrong form and the right one first
CORRECTION_KINDS = ("code", "command", "edit", "rename", "row", "link", "name", "parameter", "endpoint")


def _corrections_first(change: ClassifiedChange, facts: list[Fact]) -> list[Fact]:
    """A bug fix's facts with what it corrects first: the corrected setting of sample code, then the facts
    that change one form into another (old -> new); the rest keep their rank."""
    # a setting's whole line without the separator that ends it ("boost": -2.0, -> "boost": -2.0)
    settings = [
        Fact("code", "changed", old=old.rstrip(",;").rstrip(), new=new.rstrip(",;").rstrip(), rows=[old, new])
        for old, new in corrected_settings(line_view(change.change).changed)
    ][:1]
    corrections = [fact for fact in facts if fact.kind in CORRECTION_KINDS and (fact.action == "changed" or fact.kind == "command")]
    return settings + corrections + [fact for fact in facts if fact not in corrections]


# the kind of page a title opens with ("Quickstart: …"): the title's subject is what follows it
PAGE_KIND = re.compile(r"^(?:Quickstart|Tutorial|How[- ]to|Overview)\s*:\s*(?=\S)", re.IGNORECASE)


def _without_page_kind(title: str) -> str:
    """A page's title without the kind of page it opens with, when the whole would be cut in a file's title."""
    return PAGE_KIND.sub("", title) if len(title) > ARTICLE_TITLE_CHARS else title


def _mark_within_removed_sections(found: list[Fact], change: ClassifiedChange) -> None:
    """Facts of things removed only inside sections that are removed whole rank after those sections."""
    gone = set(change.facts.headings_removed)
    if not gone or not change.change.patch:
        return
    lines = line_view(change.change).changed
    inside: list[str] = []
    outside: list[str] = []
    current = False
    block = -1
    for line in lines:
        if line.sign != "-":
            continue
        heading = heading_text(line.text)
        if heading is not None or line.block != block:
            current = heading in gone if heading is not None else False
            block = line.block
        (inside if current else outside).append(line.text)
    within, without = "\n".join(inside), "\n".join(outside)
    for fact in found:
        if fact.action != "removed" or fact.kind in ("section", "tab", "link", "media", "article") or not fact.items:
            continue
        fact.within_section = all(item in within and item not in without for item in fact.items)


def _deduplicated(facts: list[Fact]) -> list[Fact]:
    """Each item named once, by its most important fact."""
    said: set[str] = set()
    kept: list[Fact] = []
    for fact in facts:
        if fact.kind == "text":
            # prose already named whole by a fact above it says nothing new
            fact.items = [item for item in fact.items if item.casefold() not in said]
            if fact.items:
                kept.append(fact)
            continue
        if fact.kind in ("link", "media", "article"):
            kept.append(fact)
            said.update(item.casefold() for item in fact.items if fact.kind == "article")
            continue
        fact.items = [item for item in fact.items if item.casefold() not in said and not _told_in_parts(item, said, fact.kind == "table_column")]
        if fact.kind == "package":
            said.update(pin.split("=")[-1].casefold() for pin in fact.items if "==" in pin)
        if fact.action == "changed" and (fact.old.casefold() in said and fact.new.casefold() in said):
            if fact.kind != "row" or not fact.items:
                continue
            fact.old = fact.new = ""  # a row whose changed cell a fact above names: the row alone
        if fact.action != "changed" and not fact.items:
            continue
        said.update(part.casefold() for item in fact.items + [fact.old, fact.new] if item for part in _parts(item))
        said.update(cell.strip().casefold() for row in fact.rows for cell in row.split(", ") if cell.strip())  # shown whole
        kept.append(fact)
    return kept


def _told_in_parts(item: str, said: set[str], keyed: bool = False) -> bool:
    """Whether an item is only things already named (a header cell "o3-mini, 2025-01-31" after the model
    and its version), so naming it again repeats them; with `keyed` (a column), when its name is."""
    parts = [part.strip().casefold() for part in item.split(",")]
    return len(parts) > 1 and (all(part in said for part in parts) or (keyed and parts[0] in said))


def _parts(item: str) -> list[str]:
    """An item and, for a model named with its version ("o3-mini (2025-01-31)"), the model and the version."""
    match = re.fullmatch(r"(.+) \((.+)\)", item)
    return [item, match.group(1), match.group(2)] if match else [item]


# front matter keys whose value a reader sees on the page (not ms.date, authors or topic types)
SHOWN_METADATA = re.compile(r"^(?:title|titleSuffix|description|ms\.service|ms\.subservice)$")
YAML_PAIR = re.compile(r"^\s*(?:-\s+)?([\w.#-]+)\s*:\s*(.*?)\s*$")


def metadata_changes(change: ClassifiedChange) -> list[Fact]:
    """Front matter values a reader sees that changed (titleSuffix: Azure AI Studio -> Azure AI Foundry)."""
    record = change.change
    if not record.patch:
        return []
    lines = [line for line in line_view(record).changed if line.front_matter]
    values: dict[str, dict[str, str]] = {"+": {}, "-": {}}
    for line in lines:
        match = YAML_PAIR.match(line.text)
        if match and SHOWN_METADATA.match(match.group(1)) and match.group(2):
            values[line.sign].setdefault(match.group(1), match.group(2).strip("'\""))
    return [
        Fact("metadata", "changed", old=clip_words(old, MAX_ITEM_CHARS, keep_fitting=True),
             new=clip_words(values["+"][key], MAX_ITEM_CHARS, keep_fitting=True), subject=key)
        for key, old in values["-"].items()
        if key in values["+"] and values["+"][key] != old
    ]


def toc_facts(change: ClassifiedChange) -> list[Fact]:
    """A table of contents' facts: the entries that came or went first, then the rest of its diff."""
    return _deduplicated(toc_entries(change) + rank_facts(change))


def toc_entries(change: ClassifiedChange) -> list[Fact]:
    """Entries of a table of contents (its `name:` lines) that came or went."""
    sides = sides_of(change)
    found: list[Fact] = []
    names = {sign: [m.group(2) for line in lines if (m := YAML_PAIR.match(line)) and m.group(1) == "name" and m.group(2)] for sign, lines in (("+", sides.added + sides.added_code), ("-", sides.removed + sides.removed_code))}
    for sign, action in (("+", "added"), ("-", "removed")):
        other = names["-" if sign == "+" else "+"]
        items = _short([name.strip("'\"") for name in names[sign] if name not in other])
        if items:
            found.append(Fact("toc_entry", action, items[:MAX_ITEMS]))
    return found
