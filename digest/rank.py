"""What a file's diff changes, as typed facts ranked by what they mean to a developer using the service.

The offline summarizer titles a file by its top fact and explains it from the first few; the model
prompt gets the same list. Rank, most important first: retirement / deprecation dates and their moves;
an article added or removed; models, API versions, versions and SDK packages added, removed or swapped;
regions and numbers (quotas, limits, prices) old -> new; roles, endpoints and parameters; sections;
table rows; renames; other named text; includes, links and media; then wording.
Every item is verbatim plain text from a changed line (Markdown stripped), never a guess.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from .classify import (
    COMMAND_LINE,
    clip_words,
    MODEL_NAME,
    ChangedLine,
    net_lines,
    pair_lines,
    PACKAGE_PIN,
    PARAMETER_NAME,
    PHRASES,
    line_view,
    table_cells,
)
from .models import ClassifiedChange
from .plaintext import plain
from .wording import substantive, word_changes

RANKS = {
    "date": 0, "article": 1, "model": 2, "api_version": 2, "package": 2, "version": 3, "region": 3, "number": 3,
    "role": 4, "endpoint": 4, "parameter": 4, "name": 4, "command": 5, "section": 5, "row": 6, "rename": 7, "term": 8, "text": 9, "edit": 10, "code": 11,
    "include": 10, "link": 11, "media": 12, "wording": 13,
}
# an identifier met only inside code blocks matters less than one the prose names
CODE_PENALTY = 5
MONTHS = "January February March April May June July August September October November December".split()
DATE = re.compile(
    r"\b(?:(?:%s) \d{1,2}(?:st|nd|rd|th)?,? 20\d\d|\d{1,2} (?:%s) 20\d\d|(?:%s) 20\d\d|20\d\d-\d\d-\d\d)\b"
    % (("|".join(MONTHS + [m[:3] for m in MONTHS]),) * 3)
)
REGIONS = (
    "East US 2", "East US", "West US 2", "West US 3", "West US", "Central US", "North Central US", "South Central US",
    "West Central US", "Canada Central", "Canada East", "Brazil South", "Mexico Central", "UK South", "UK West",
    "France Central", "Germany West Central", "Switzerland North", "Switzerland West", "Sweden Central", "Norway East",
    "Poland Central", "Italy North", "Spain Central", "North Europe", "West Europe", "Japan East", "Japan West",
    "Korea Central", "Korea South", "Australia East", "Australia Southeast", "Central India", "South India",
    "West India", "Southeast Asia", "East Asia", "UAE North", "Qatar Central", "South Africa North", "Israel Central",
    "Taiwan North", "Indonesia Central", "New Zealand North", "Malaysia West", "Chile Central", "US Gov Virginia",
    "US Gov Arizona", "US Gov Texas",
)
REGION = re.compile(
    r"\b(?:%s)\b" % "|".join(sorted({p for r in REGIONS for p in (re.escape(r), re.escape(r.replace(" ", "").lower()))}, key=len, reverse=True))
)
ROLE = re.compile(r"\b(?:[A-Z][\w]*\s){1,6}(?:Contributor|Reader|Owner|User|Administrator|Approver|Operator|Writer|Developer|Officer|Manager)\b")
ENDPOINT = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:azure\.com|microsoft\.com|windows\.net|azure\.net|ai\.azure\.com)\b")
SEMVER = re.compile(r"^v?\d+\.\d+(?:\.\d+)?(?:[-.]?(?:beta|alpha|preview|rc|b|a)[.\d]*)?$")
SDK_PACKAGE = re.compile(r"^(?:@azure(?:-rest)?/[\w.-]+|azure-[a-z][\w.-]+|Azure\.AI\.[\w.]+|openai)$")
NUMBER = re.compile(r"\d")
FILE_NAME = re.compile(r"\.(?:md|ya?ml|json|png|jpe?g|gif|svg|ipynb|py|txt)$", re.IGNORECASE)
MEDIA_WORDS = ("screenshot", "image")
MAX_ITEMS = 20
MAX_ITEM_CHARS = 80


@dataclass
class Fact:
    kind: str
    # "added", "removed" or "changed" (old -> new)
    action: str
    items: list[str] = field(default_factory=list)
    old: str = ""
    new: str = ""
    # what the fact is about, when the diff names it (the thing that retires)
    subject: str = ""
    # named only inside code blocks
    code: bool = False
    # table rows: each whole row as plain text, for the explanation (the items hold their key cells)
    rows: list[str] = field(default_factory=list)

    @property
    def rank(self) -> int:
        return RANKS[self.kind] + (CODE_PENALTY if self.code else 0)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "action": self.action, "items": self.items, "old": self.old, "new": self.new, "subject": self.subject, "code": self.code, "rows": self.rows}


@dataclass
class Sides:
    """The content lines (no front matter or comments) each side of the diff, prose and code apart, as written."""

    added: list[str]
    removed: list[str]
    added_code: list[str]
    removed_code: list[str]
    # prose lines that are versions of one line (old, new), and code lines that are
    pairs: list[tuple[ChangedLine, ChangedLine]] = field(default_factory=list)
    code_pairs: list[tuple[ChangedLine, ChangedLine]] = field(default_factory=list)

    def only(self, sign: str, text: str) -> bool:
        """Whether `text` occurs on that side only (added and not removed, or the reverse)."""
        mine, other = (self.added_text, self.removed_text) if sign == "+" else (self.removed_text, self.added_text)
        return text in mine and text not in other

    def in_prose(self, sign: str, text: str) -> bool:
        """Whether a prose line of that side names `text`, as written or as its plain words."""
        return text in (self.added_text if sign == "+" else self.removed_text)

    @functools.cached_property
    def added_text(self) -> str:
        return "\n".join(self.added) + "\n" + "\n".join(plain(line) for line in self.added)

    @functools.cached_property
    def removed_text(self) -> str:
        return "\n".join(self.removed) + "\n" + "\n".join(plain(line) for line in self.removed)


def sides_of(change: ClassifiedChange) -> Sides:
    record = change.change
    lines = line_view(record).changed
    prose = [line for line in lines if not line.front_matter and not line.comment and line.text.strip()]

    def side(sign: str, code: bool) -> list[str]:
        return [line.text for line in prose if line.sign == sign and line.in_code == code]

    def paired(code: bool) -> list[tuple[ChangedLine, ChangedLine]]:
        removed = [line for line in prose if line.sign == "-" and line.in_code == code]
        added = [line for line in prose if line.sign == "+" and line.in_code == code]
        removed, added = net_lines(removed, added) if removed and added else (removed, added)
        return pair_lines(removed, added) if removed and added else []

    return Sides(side("+", False), side("-", False), side("+", True), side("-", True), paired(False), paired(True))


# what is left of markup plain() could not unwrap (a fragment of a link or a directive)
JUNK = re.compile(r"\]\(|^!|\[!|^\W+$")


def _short(items: list[str], limit: int = MAX_ITEM_CHARS) -> list[str]:
    seen: list[str] = []
    folded: set[str] = set()
    for item in items:
        item = plain(item)
        if item and len(item) <= limit and item.casefold() not in folded and not JUNK.search(item):
            folded.add(item.casefold())
            seen.append(item)
    return seen


def date_facts(sides: Sides, title: str) -> list[Fact]:
    """Retirement / deprecation dates: moved (a line that differs only in its date) or newly given."""
    facts: list[Fact] = []
    removed = {DATE.sub("\0", line): line for line in sides.removed if DATE.search(line) and _retiring(line)}
    for line in sides.added:
        if not DATE.search(line) or not _retiring(line):
            continue
        before = removed.get(DATE.sub("\0", line))
        new_dates, old_dates = DATE.findall(line), DATE.findall(before) if before else []
        if before and new_dates != old_dates:
            old, new = next(((o, n) for o, n in zip(old_dates, new_dates) if o != n), (old_dates[0], new_dates[0]))
            facts.append(Fact("date", "changed", old=old, new=new, subject=_retiring_subject(line) or title))
        elif not before and not any(date in " ".join(sides.removed) for date in new_dates):
            facts.append(Fact("date", "added", new=new_dates[0], subject=_retiring_subject(line) or title))
    return facts[:3]


def _retiring(line: str) -> bool:
    lower = line.lower()
    return bool(PHRASES["retirement"].search(lower) or PHRASES["deprecation"].search(lower))


SUBJECT = re.compile(r"^(?:The )?((?:[A-Z0-9][\w.()-]*\s?){1,6}?)\s+(?:is|are|will|was|has|retire|deprecat|\(|,|-)")


def _retiring_subject(line: str) -> str:
    cells = table_cells(line) if "|" in line else None
    if cells and cells[0] and not DATE.search(cells[0]):
        return cells[0]
    match = SUBJECT.match(line.strip())
    return match.group(1).strip() if match else ""


def identifier_kind(item: str) -> str | None:
    """What a verbatim identifier names: a model, an API version, a package, a version or a parameter."""
    if FILE_NAME.search(item):
        return None
    if MODEL_NAME.fullmatch(item):
        return "model"
    if re.fullmatch(r"20\d\d-\d\d-\d\d(?:-preview)?", item):
        return "api_version"
    if PACKAGE_PIN.fullmatch(item) or SDK_PACKAGE.match(item):
        return "package"
    if SEMVER.match(item):
        return "version"
    if ENDPOINT.fullmatch(item):
        return "endpoint"
    if PARAMETER_NAME.match(item):
        return "parameter"
    if re.fullmatch(r"[\w@#$./:+-]{3,60}", item) and re.search(r"[a-z]", item) and re.search(r"[-_.@/#]|\w[A-Z]", item):
        return "name"
    return None


def identifier_facts(change: ClassifiedChange, sides: Sides) -> list[Fact]:
    """Models, API versions, packages, versions, endpoints and parameters added or removed; one of a kind
    removed and one added is a swap (old -> new)."""
    facts = change.facts
    by_kind: dict[tuple[str, str, bool], list[str]] = {}
    candidates = [("+", item, True) for item in facts.identifiers_added] + [("+", item, False) for item in facts.terms_added]
    candidates += [("-", item, True) for item in facts.identifiers_removed] + [("-", item, False) for item in facts.terms_removed]
    pool = {plain(item) for _, item, _ in candidates}
    for sign, item, marked in candidates:
        item = plain(item)
        kind = identifier_kind(item) if item and len(item) <= MAX_ITEM_CHARS else None
        if kind == "name" and (not marked or "://" in item):
            continue  # a name only counts when the diff marks it as code
        if kind == "api_version" and any(other != item and other.endswith("-" + item) for other in pool):
            continue  # the date that ends a model name (turbo-2024-04-09) is no API version of its own
        key = (kind or "", sign, not sides.in_prose(sign, item))
        if kind and item not in by_kind.setdefault(key, []):
            by_kind[key].append(item)
    found: list[Fact] = []
    for kind in ("model", "api_version", "package", "version", "endpoint", "parameter", "name"):
        for code in (False, True):
            added, removed = _short(by_kind.get((kind, "+", code), [])), _short(by_kind.get((kind, "-", code), []))
            if len(added) == 1 and len(removed) == 1:
                found.append(Fact(kind, "changed", old=removed[0], new=added[0], code=code))
                continue
            if added:
                found.append(Fact(kind, "added", added[:MAX_ITEMS], code=code))
            if removed:
                found.append(Fact(kind, "removed", removed[:MAX_ITEMS], code=code))
    return found


def command_facts(sides: Sides) -> list[Fact]:
    """Commands a reader runs (pip, npm, az, dotnet …) that came or went."""
    found: list[Fact] = []
    for sign, action, lines in (("+", "added", sides.added_code + sides.added), ("-", "removed", sides.removed_code + sides.removed)):
        commands = [line.strip().lstrip("$! ").strip() for line in lines if COMMAND_LINE.match(line)]
        commands = _short(commands, 100)
        other = sides.removed_code + sides.removed if sign == "+" else sides.added_code + sides.added
        commands = [command for command in commands if not any(command in line for line in other)]
        if commands:
            found.append(Fact("command", action, commands[:4]))
    return found


def named_facts(sides: Sides) -> list[Fact]:
    """Regions and required roles that only one side names."""
    found: list[Fact] = []
    for kind, pattern in (("region", REGION), ("role", ROLE)):
        added = [item for item in _short(pattern.findall(sides.added_text)) if sides.only("+", item)]
        removed = [item for item in _short(pattern.findall(sides.removed_text)) if sides.only("-", item)]
        if added:
            found.append(Fact(kind, "added", added[:MAX_ITEMS]))
        if removed:
            found.append(Fact(kind, "removed", removed[:MAX_ITEMS]))
    return found


def change_facts(change: ClassifiedChange, sides: Sides) -> list[Fact]:
    """Numbers changed in place (a quota, a limit, a price) old -> new; renames (the same change 2+ times);
    other changed names; words inserted or dropped. A swap of a few ordinary words is left to the wording.
    In a bug fix every change counts: a one-letter typo in a command is the fix."""
    fixing = change.modification_type == "bug fix"
    found: list[Fact] = []
    inserted: dict[str, list[str]] = {"added": [], "removed": []}
    for (old, new, key), count in word_changes(sides.pairs).most_common(12):
        if not (fixing or substantive(old, new)) or len(old) > 140 or len(new) > 140:
            continue
        if old and new:
            kind = "number" if NUMBER.search(old) and NUMBER.search(new) and len(old) <= 40 and not DATE.search(old) else "rename" if count > 1 else "edit"
            found.append(Fact(kind, "changed", old=old, new=new, subject=key if kind == "number" else ""))
        elif len(old or new) <= 60:
            inserted["added" if new else "removed"].append(old or new)
    found += [Fact("term", action, items[:MAX_ITEMS]) for action, items in inserted.items() if items]
    return found


def structure_facts(change: ClassifiedChange) -> list[Fact]:
    """Sections and table rows (by their key cell) added or removed."""
    facts = change.facts
    found: list[Fact] = []
    for action, headings in (("added", facts.headings_added), ("removed", facts.headings_removed)):
        if _short(headings):
            found.append(Fact("section", action, _short(headings)[:MAX_ITEMS]))
    added_keys = {_key_cell(row) for row in facts.table_rows_added}
    removed_keys = {_key_cell(row) for row in facts.table_rows_removed}
    for action, rows in (("added", facts.table_rows_added), ("removed", facts.table_rows_removed)):
        # a row whose key cell is on both sides was edited (a header that gained a column), not added or removed
        rows = [row for row in rows if _key_cell(row) not in (removed_keys if action == "added" else added_keys)]
        keys = _short([_key_cell(row) for row in rows])
        if keys:
            whole = _short([", ".join(cell for cell in row.split(" | ") if cell.strip()) for row in rows[:10]], 160)
            found.append(Fact("row", action, keys[:MAX_ITEMS], rows=whole))
    edited = [row for row in facts.table_rows_added if _key_cell(row) in removed_keys]
    if edited:
        whole = _short([clip_words(", ".join(cell for cell in row.split(" | ") if cell.strip()), 160) for row in edited[:10]], 170)
        found.append(Fact("row", "changed", _short([_key_cell(row) for row in edited])[:MAX_ITEMS], rows=whole))
    return found


def _key_cell(row: str) -> str:
    return next((cell.strip() for cell in row.split(" | ") if cell.strip() and cell.strip() not in "✅❌✔️-"), "")


def text_facts(change: ClassifiedChange, sides: Sides) -> list[Fact]:
    """Named text (emphasis, link text, short list items) and the opening words of prose that came or went;
    what only code blocks hold (HTTP headers, sample output) is left out."""
    facts = change.facts
    found: list[Fact] = []
    for sign, terms, texts in (("added", facts.terms_added, facts.text_added), ("removed", facts.terms_removed, facts.text_removed)):
        mark = "+" if sign == "added" else "-"
        terms = [term for term in _short(terms) if identifier_kind(term) in (None, "name") and (_in_prose(sides, mark, term) or not CODE_NOISE.search(term))]
        if terms:
            found.append(Fact("term", sign, terms[:MAX_ITEMS]))
        texts = _short([text.rstrip(" …") for text in texts], 170)
        if texts:
            found.append(Fact("text", sign, texts[:3]))
    return found


# what a code block holds that no reader acts on: HTTP status lines and headers, prompts and output markers
CODE_NOISE = re.compile(r"(?m)^(?:HTTP/\d|[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)*: |>>> |\$ |\[\d+\])")


def code_facts(sides: Sides) -> list[Fact]:
    """Sample code lines changed in place (old -> new), the shortest first; never HTTP headers or output."""
    found = []
    for old, new in sides.code_pairs[:40]:
        before, after = " ".join(old.text.split()), " ".join(new.text.split())
        if before != after and len(before) <= 120 and len(after) <= 120 and not CODE_NOISE.search(before + "\n" + after):
            old_part, new_part = differing_middle(before, after)
            found.append(Fact("code", "changed", old=old_part, new=new_part, rows=[before, after]))
    return sorted(found, key=lambda fact: len(fact.old) + len(fact.new))[:3]


TOKEN_EDGE = " '\",=()[]{}:;"


def differing_middle(old: str, new: str) -> tuple[str, str]:
    """The part of two versions of a line that differs, widened to whole tokens (1.0.0-beta.2 -> 1.0.0-beta.4)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    while start > 0 and old[start - 1] not in TOKEN_EDGE:
        start -= 1
    while end > 0 and old[len(old) - end] not in TOKEN_EDGE:
        end -= 1
    return old[start : len(old) - end].strip(), new[start : len(new) - end].strip()


def link_tail(url: str) -> str:
    """What names a link target in a title: its last two path segments (indexers/create), or its host."""
    bare = url.split("#")[0].split("?")[0].rstrip("/")
    host, _, path = bare.partition("://")[2].partition("/") if "://" in bare else ("", "", bare)
    segments = [segment for segment in path.split("/") if segment not in ("", ".", "..")]
    return "/".join(segments[-2:]) if segments else host


def _in_prose(sides: Sides, sign: str, term: str) -> bool:
    return sides.in_prose(sign, term)


def link_media_facts(change: ClassifiedChange) -> list[Fact]:
    facts = change.facts
    found: list[Fact] = []
    for sign, includes in (("added", facts.includes_added), ("removed", facts.includes_removed)):
        names = _short([include.rsplit("/", 1)[-1] for include in includes])
        if names:
            found.append(Fact("include", sign, names[:MAX_ITEMS]))
    for sign, links in (("added", facts.links_added), ("removed", facts.links_removed)):
        if links:
            targets = [link for link in links if len(link) <= 160][:3]
            found.append(Fact("link", sign, targets, subject=str(len(links)), rows=_short([link_tail(link) for link in targets])))
    added, removed = len(facts.images_added), len(facts.images_removed)
    if added and removed:
        found.append(Fact("media", "changed", subject=str(max(added, removed))))
    elif added or removed:
        found.append(Fact("media", "added" if added else "removed", subject=str(added or removed)))
    return found


def rank_facts(change: ClassifiedChange) -> list[Fact]:
    """Every fact of the change, most important first (stable within a rank: the order the diff gives)."""
    record = change.change
    title = plain(change.facts.page_title or "")
    found: list[Fact] = []
    sides = sides_of(change)
    if record.status in ("added", "removed") and not record.binary:
        heading = next((plain(line[2:]) for line in (sides.added if record.status == "added" else sides.removed) if line.startswith("# ")), "")
        found.append(Fact("article", record.status, [heading or title] if heading or title else []))
    found += date_facts(sides, title)
    found += identifier_facts(change, sides)
    found += named_facts(sides)
    found += command_facts(sides)
    found += change_facts(change, sides)
    found += structure_facts(change)
    found += text_facts(change, sides)
    found += code_facts(sides)
    found += link_media_facts(change)
    return _deduplicated(sorted(found, key=lambda fact: fact.rank))


def _deduplicated(facts: list[Fact]) -> list[Fact]:
    """Each item named once, by its most important fact."""
    said: set[str] = set()
    kept: list[Fact] = []
    for fact in facts:
        if fact.kind in ("link", "media", "article", "text"):
            kept.append(fact)
            said.update(item.casefold() for item in fact.items if fact.kind == "article")
            continue
        fact.items = [item for item in fact.items if item.casefold() not in said]
        if fact.action == "changed" and (fact.old.casefold() in said and fact.new.casefold() in said):
            continue
        if fact.action != "changed" and not fact.items:
            continue
        said.update(item.casefold() for item in fact.items + [fact.old, fact.new] if item)
        kept.append(fact)
    return kept
