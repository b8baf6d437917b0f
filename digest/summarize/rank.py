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

from digest.classify import (
    COMMAND_LINE,
    clip_words,
    heading_text,
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
from digest.classify.markdown import CODE_LINE, GENERIC_LINK_TEXT, TABLE_SEPARATOR, table_row_text
from digest.models import ClassifiedChange, FileChange
from digest.plaintext import plain
from digest.text import common_ends
from digest.classify.wording import substantive, word_changes

RANKS = {
    "date": 0, "article": 1, "model": 2, "api_version": 2, "package": 2, "import": 4, "version": 3, "region": 3, "number": 3,
    "model_version": 3, "role": 4, "endpoint": 4, "parameter": 4, "sample_name": 10, "name": 4, "table_column": 5, "command": 5, "section": 5, "toc_entry": 5, "metadata": 12, "row": 6, "rename": 7, "term": 8, "text": 9, "edit": 10, "code": 11,
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
# a number of its own (a quota, a limit, a price), not the digits of a name (gpt-4, S2, v4.0)
STANDALONE_NUMBER = re.compile(r"(?<![\w.-])[$€£]?\d[\d,.]*(?:%|[KMG]B?)?(?![\w-])")
FILE_NAME = re.compile(r"\.(?:md|ya?ml|json|png|jpe?g|gif|svg|ipynb|py|txt)$", re.IGNORECASE)
MEDIA_WORDS = ("screenshot", "image")
MAX_ITEMS = 20
# an article's heading longer than this is cut in a title (see summarize/offline.py)
ARTICLE_TITLE_CHARS = 76
GENERIC_PAGE_TITLES = {"include file", "include", "includes", ""}
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
    # removed only with a section that is removed whole: the section's removal is the news, this a part of it
    within_section: bool = False

    @property
    def rank(self) -> int:
        if self.within_section:
            return RANKS["section"] + 1
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
    # changed lines that head a table (its column names), as written
    headers: set[str] = field(default_factory=set)
    # prose pairs that are versions of one table header
    header_pairs: list[tuple[ChangedLine, ChangedLine]] = field(default_factory=list)

    def only(self, sign: str, text: str) -> bool:
        """Whether `text` occurs on that side only (added and not removed, or the reverse)."""
        mine, other = (self.added_text, self.removed_text) if sign == "+" else (self.removed_text, self.added_text)
        return text in mine and text not in other

    def in_prose(self, sign: str, text: str) -> bool:
        """Whether a prose line of that side names `text`, as written or as its plain words."""
        return text in (self.added_text if sign == "+" else self.removed_text)

    def in_words(self, sign: str, text: str) -> bool:
        """Whether a line of prose that reads as prose (not a code line the parser took for prose) names `text`."""
        return any(text in line and not CODE_LINE.search(line) for line in (self.added if sign == "+" else self.removed))

    @functools.cached_property
    def code_like(self) -> list[str]:
        """Prose lines that read as code (a sample the parser could not see the fence of)."""
        return [line for line in self.added + self.removed if CODE_LINE.search(line)]

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

    headers = header_rows(record)
    pairs = paired(False)
    header_pairs = [(old, new) for old, new in pairs if old.text in headers and new.text in headers]
    pairs = [(old, new) for old, new in pairs if not (old.text in headers or new.text in headers)]
    return Sides(side("+", False), side("-", False), side("+", True), side("-", True), pairs, paired(True), headers, header_pairs)


def header_rows(record: FileChange) -> set[str]:
    """The changed lines that head a table: the next line on their side of the diff is the separator row."""
    found: set[str] = set()
    for hunk in record.parsed_patch.hunks if "|" in (record.patch or "") else []:
        for index, (sign, text) in enumerate(hunk.lines):
            if sign == " " or "|" not in text or TABLE_SEPARATOR.match(text):
                continue
            other = "+" if sign == "-" else "-"
            following = next((line for mark, line in hunk.lines[index + 1 :] if mark != other), "")
            if "|" in following and TABLE_SEPARATOR.match(following):
                found.add(text)
    return found


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
        if kind == "api_version":
            kind = dated_version_kind(item, sides)
        if kind == "parameter" and not sides.in_words(sign, item) and not used_as_parameter(item, sides.added_code + sides.removed_code + sides.code_like):
            kind = "sample_name"  # a name only sample code holds, never passed or set as a field: the sample's own
        key = (kind or "", sign, not sides.in_prose(sign, item))
        if kind and item not in by_kind.setdefault(key, []):
            by_kind[key].append(item)
    found: list[Fact] = []
    for kind in ("model", "api_version", "model_version", "package", "version", "endpoint", "parameter", "sample_name", "name"):
        for code in (False, True):
            added, removed = _short(by_kind.get((kind, "+", code), [])), _short(by_kind.get((kind, "-", code), []))
            if len(added) == 1 and len(removed) == 1 and kind != "sample_name":
                found.append(Fact(kind, "changed", old=removed[0], new=added[0], code=code))
                continue
            if added:
                found.append(Fact(kind, "added", added[:MAX_ITEMS], code=code))
            if removed:
                found.append(Fact(kind, "removed", removed[:MAX_ITEMS], code=code))
    return _versioned_models(found, sides)


def used_as_parameter(name: str, code_lines: list[str]) -> bool:
    """Whether sample code passes or sets `name` as a parameter or field: a JSON or YAML key ("name": …),
    a keyword argument (f(name=…)), a command-line option (--name) or a query parameter (?name=…); a variable
    the sample declares or assigns is none."""
    escaped = re.escape(name)
    pattern = re.compile(rf"[\"']{escaped}[\"']\s*:|^\s*-?\s*{escaped}\s*:(?!:)|[({{,]\s*{escaped}\s*[:=](?![=:])|--{escaped}\b|[?&]{escaped}=")
    return any(pattern.search(line) for line in code_lines if name in line)


API_VERSION_CONTEXT = re.compile(r"api[-_ ]?version", re.IGNORECASE)
# what may stand between a model's name and its version: table pipes, commas, brackets, emphasis, "version"
MODEL_TO_VERSION = re.compile(r"[\s,|()*`:]*(?:version:?[\s*`]*)?", re.IGNORECASE)


def dated_version_kind(item: str, sides: Sides) -> str:
    """A date-shaped version (2024-08-06) is an API version when a line names it as one (api-version=…,
    "API version …"), a model's version when it follows a model name (gpt-4o, 2024-08-06; o1 (version
    2024-12-17); a model's row in a table); an API version otherwise."""
    lines = [line for line in sides.added + sides.removed + sides.added_code + sides.removed_code if item in line]
    if any(API_VERSION_CONTEXT.search(line) for line in lines):
        return "api_version"
    return "model_version" if model_of_version(item, lines) else "api_version"


def model_of_version(item: str, lines: list[str]) -> str:
    """The model whose version `item` is: the model name it follows on a line, if any."""
    for line in lines:
        if item not in line:
            continue
        text = plain(line) if "|" not in line else line.replace("*", "").replace("`", "")
        for model in MODEL_NAME.finditer(text):
            at = text.find(item, model.end())
            if at >= 0 and MODEL_TO_VERSION.fullmatch(text[model.end() : at]):
                return model.group(0).rstrip(".-")
    return ""


def _versioned_models(found: list[Fact], sides: Sides) -> list[Fact]:
    """A model added or removed with its version beside it is named with it, "o3-mini (2025-01-31)";
    the version then needs no fact of its own."""
    for version_fact in [fact for fact in found if fact.kind == "model_version" and fact.action != "changed"]:
        lines = sides.added + sides.added_code if version_fact.action == "added" else sides.removed + sides.removed_code
        model_fact = next((fact for fact in found if fact.kind == "model" and fact.action == version_fact.action and fact.code == version_fact.code), None)
        if not model_fact:
            continue
        for version in list(version_fact.items):
            model = model_of_version(version, lines)
            if model in model_fact.items:
                model_fact.items[model_fact.items.index(model)] = f"{model} ({version})"
                version_fact.items.remove(version)
    return [fact for fact in found if fact.kind != "model_version" or fact.items or fact.action == "changed"]


# what sample code imports, and from where: JavaScript/TypeScript, Python, C# and CommonJS
IMPORT_LINE = (
    re.compile(r"^\s*import\s+(?:type\s+)?\{?\s*(?P<names>[\w$, ]+?)\s*\}?\s+from\s+[\"'](?P<source>[^\"']+)[\"']"),
    re.compile(r"^\s*from\s+(?P<source>[\w.]+)\s+import\s+\(?(?P<names>[\w, ]+)"),
    re.compile(r"^\s*import\s+(?P<source>[\w.]+)\s*$"),
    re.compile(r"^\s*using\s+(?P<source>[A-Z][\w.]+)\s*;"),
    re.compile(r"(?:const|let|var)\s+\{?\s*(?P<names>[\w$, ]+?)\s*\}?\s*=\s*require\([\"'](?P<source>[^\"']+)[\"']\)"),
)


def imports_in(lines: list[str]) -> list[str]:
    """What the lines import, as "Name (source)" or the bare source when no name is imported."""
    found: list[str] = []
    for line in lines:
        match = next((m for pattern in IMPORT_LINE if (m := pattern.search(line))), None)
        if not match:
            continue
        source = match.group("source")
        names = [name.strip() for name in (match.groupdict().get("names") or "").split(",") if name.strip() and " " not in name.strip()]
        found += [f"{name} ({source})" for name in names] if names else [source]
    return found


def _sdk_import(item: str) -> bool:
    """An import a reader installs or calls: a class (CapWords) or anything from an Azure or OpenAI package;
    not a language's own modules (os, sys, json, time)."""
    name, _, source = item.partition(" (")
    return bool(re.match(r"[A-Z][a-z]", name) and source) or bool(re.search(r"azure|openai", item, re.IGNORECASE))


def import_facts(sides: Sides) -> list[Fact]:
    """Classes, modules and packages that sample code imports that it did not before, and the reverse."""
    added, removed = imports_in(sides.added_code + sides.added), imports_in(sides.removed_code + sides.removed)
    found: list[Fact] = []
    came = _short([item for item in added if item not in removed and _sdk_import(item)])
    went = _short([item for item in removed if item not in added and _sdk_import(item)])
    if came and went:  # a sample moved from one SDK class to another: the swap is the news
        found.append(Fact("import", "changed", old=went[0], new=came[0]))
        came, went = came[1:], went[1:]
    for action, items in (("added", came), ("removed", went)):
        if items:
            found.append(Fact("import", action, items[:MAX_ITEMS]))
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
            kind = "number" if STANDALONE_NUMBER.search(old) and STANDALONE_NUMBER.search(new) and len(old) <= 40 and not DATE.search(old) else "rename" if count > 1 else "edit"
            found.append(Fact(kind, "changed", old=old, new=new, subject=key if kind == "number" else ""))
        elif len(old or new) <= 60:
            inserted["added" if new else "removed"].append(old or new)
    found += [Fact("term", action, items[:MAX_ITEMS]) for action, items in inserted.items() if items]
    return found


def structure_facts(change: ClassifiedChange, sides: Sides) -> list[Fact]:
    """Sections and table rows (by their key cell) added or removed; a table's header row is its columns,
    never a row of its own."""
    facts = change.facts
    found: list[Fact] = []
    for action, headings in (("added", facts.headings_added), ("removed", facts.headings_removed)):
        if _short(headings):
            found.append(Fact("section", action, _short(headings)[:MAX_ITEMS]))
    headers = {table_row_text(line) for line in sides.headers}
    rows_added = [row for row in facts.table_rows_added if row not in headers]
    rows_removed = [row for row in facts.table_rows_removed if row not in headers]
    added_keys = {_key_cell(row) for row in rows_added}
    removed_keys = {_key_cell(row) for row in rows_removed}
    for action, rows in (("added", rows_added), ("removed", rows_removed)):
        # a row whose key cell is on both sides was edited (a header that gained a column), not added or removed
        rows = [row for row in rows if _key_cell(row) not in (removed_keys if action == "added" else added_keys)]
        keys = _short([_key_cell(row) for row in rows])
        if keys:
            whole = _short([clip_words(", ".join(cell for cell in row.split(" | ") if cell.strip()), 160) for row in rows[:10]], 170)
            found.append(Fact("row", action, keys[:MAX_ITEMS], rows=whole))
    edited = [row for row in rows_added if _key_cell(row) in removed_keys]
    if edited:
        whole = _short([clip_words(", ".join(cell for cell in row.split(" | ") if cell.strip()), 160) for row in edited[:10]], 170)
        found.append(Fact("row", "changed", _short([_key_cell(row) for row in edited])[:MAX_ITEMS], rows=whole))
    return found


def column_facts(sides: Sides) -> list[Fact]:
    """Columns a table gained or lost: the cells of its header row that only one version names."""
    found: list[Fact] = []
    for old, new in sides.header_pairs[:3]:
        old_cells = [cell for cell in table_cells(old.text) or [] if cell.strip()]
        new_cells = [cell for cell in table_cells(new.text) or [] if cell.strip()]
        for action, mine, other in (("added", new_cells, old_cells), ("removed", old_cells, new_cells)):
            names = _short([cell for cell in mine[1:] if cell not in other])
            if names:
                found.append(Fact("table_column", action, names[:MAX_ITEMS]))
    return found


def _key_cell(row: str) -> str:
    return next((cell.strip() for cell in row.split(" | ") if cell.strip() and cell.strip() not in "✅❌✔️-"), "")


def text_facts(change: ClassifiedChange, sides: Sides) -> list[Fact]:
    """Named text (emphasis, link text, short list items) and the opening words of prose that came or went;
    what only code blocks hold (HTTP headers, sample output) is left out."""
    facts = change.facts
    found: list[Fact] = []
    # a table's column names are no news of their own (a new table's rows are)
    header_cells = {cell for line in sides.headers for cell in table_cells(line) or []}
    for sign, terms, texts in (("added", facts.terms_added, facts.text_added), ("removed", facts.terms_removed, facts.text_removed)):
        mark = "+" if sign == "added" else "-"
        other = "-" if mark == "+" else "+"
        terms = [
            term for term in _short(terms)
            if identifier_kind(term) in (None, "name") and (_in_prose(sides, mark, term) or not _code_statement(term)) and not sides.in_prose(other, term)
            and term not in header_cells
        ]
        if terms:
            found.append(Fact("term", sign, terms[:MAX_ITEMS]))
        code_lines = sides.added_code if sign == "added" else sides.removed_code
        texts = _short([text.rstrip(" …") for text in texts if not _opens_code_line(text, code_lines)], 170)
        if texts:
            found.append(Fact("text", sign, texts[:3]))
    return found


def _code_statement(term: str) -> bool:
    """A term only code holds that is a statement or output, not a name: HTTP headers, prompts, lines with
    brackets or operators (a reader acts on none of them)."""
    return bool(CODE_NOISE.search(term) or re.search(r"[(){};=<>]", term)) and not _names_identifier(term)


def _names_identifier(text: str) -> bool:
    """Whether a code line sets or calls a named thing (an API version, a model): the sample's use of it."""
    return bool(re.search(r"20\d\d-\d\d-\d\d", text) or MODEL_NAME.search(text))


def _opens_code_line(text: str, code_lines: list[str]) -> bool:
    """Whether prose words are really the opening of a sample code line (code-block internals, not prose)."""
    words = " ".join(text.rstrip(" …").split())
    return bool(words) and not _names_identifier(words) and any(" ".join(line.split()).startswith(words) for line in code_lines)


# what a code block holds that no reader acts on: HTTP status lines and headers, prompts and output markers
CODE_NOISE = re.compile(r"(?m)^(?:HTTP/\d|[A-Z][A-Za-z]+(?:-[A-Z][A-Za-z]+)*: |>>> |\$ |\[\d+\])")


def code_facts(sides: Sides) -> list[Fact]:
    """Sample code lines changed in place (old -> new), the shortest first; never HTTP headers or output."""
    found = []
    seen: set[tuple[str, str]] = set()
    for old, new in sides.code_pairs[:40]:
        before, after = " ".join(old.text.split()), " ".join(new.text.split())
        if (before, after) in seen:
            continue  # the same line changed the same way in another sample (each language's tab) is one change
        seen.add((before, after))
        if before != after and len(before) <= 120 and len(after) <= 120 and not CODE_NOISE.search(before + "\n" + after):
            old_part, new_part = differing_middle(before, after)
            found.append(Fact("code", "changed", old=old_part, new=new_part, rows=[before, after]))
    return sorted(found, key=lambda fact: len(fact.old) + len(fact.new))[:3]


TOKEN_EDGE = " '\",=()[]{}:;"


def differing_middle(old: str, new: str) -> tuple[str, str]:
    """The part of two versions of a line that differs, widened to whole tokens (1.0.0-beta.2 -> 1.0.0-beta.4)."""
    start, end = common_ends(old, new)
    while start > 0 and not _token_edge(old, start - 1):
        start -= 1
    while end > 0 and not _token_edge(old, len(old) - end):
        end -= 1
    return old[start : len(old) - end].strip(), new[start : len(new) - end].strip()


def _token_edge(text: str, at: int) -> bool:
    """Whether text[at] ends a token: a space, quote, bracket or operator, or the dot of a member access
    (line.getPolygon), never the dot inside a version (1.0.0-beta.2)."""
    char = text[at]
    if char == ".":
        return at > 0 and at + 1 < len(text) and (text[at - 1].isalpha() or text[at - 1] == ")") and text[at + 1].isalpha()
    return char in TOKEN_EDGE


def link_tail(url: str) -> str:
    """What names a link target in a title: its last two path segments (indexers/create), or its host."""
    bare = url.split("#")[0].split("?")[0].rstrip("/")
    host, _, path = bare.partition("://")[2].partition("/") if "://" in bare else ("", "", bare)
    segments = [segment for segment in path.split("/") if segment not in ("", ".", "..")]
    return "/".join(segments[-2:]) if segments else host


def _in_prose(sides: Sides, sign: str, term: str) -> bool:
    return sides.in_prose(sign, term)


def link_name(target: str, lines: list[str]) -> str:
    """What names a link in a title: the words the page links with ([Deploy to Azure](…)), unless they are
    generic (here, learn more) or a URL; else the target's last path segments."""
    # [words](target), or a badge: [![alt](image)](target) and ![alt](target)
    pattern = re.compile(r"!?\[(?:!\[([^\]\n]{2,100})\]\([^)\s]*\)|([^\]\n]{2,100}))\]\(\s*<?" + re.escape(target))
    for line in lines:
        if target in line and (match := pattern.search(line)):
            words = plain(match.group(1) or match.group(2)).strip()
            if words and not GENERIC_LINK_TEXT.match(words) and "://" not in words and not JUNK.search(words):
                tail = link_tail(target)
                return f"{words} ({tail})" if tail and tail.casefold() not in words.casefold() and not tail.startswith("#") else words
    return link_tail(target)


def link_media_facts(change: ClassifiedChange, sides: Sides | None = None) -> list[Fact]:
    facts = change.facts
    found: list[Fact] = []
    lines = {"added": sides.added + sides.added_code, "removed": sides.removed + sides.removed_code} if sides else {"added": [], "removed": []}
    for sign, includes in (("added", facts.includes_added), ("removed", facts.includes_removed)):
        names = _short([include.rsplit("/", 1)[-1] for include in includes])
        if names:
            found.append(Fact("include", sign, names[:MAX_ITEMS]))
    for sign, links in (("added", facts.links_added), ("removed", facts.links_removed)):
        if links:
            targets = [link for link in links if len(link) <= 160][:3]
            found.append(Fact("link", sign, targets, subject=str(len(links)), rows=_short([link_name(link, lines[sign]) for link in targets])))
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
        if heading and title and len(heading) > ARTICLE_TITLE_CHARS and len(title) < len(heading) and title.casefold() not in GENERIC_PAGE_TITLES:
            heading = title  # the heading would be cut in a title; the front matter's shorter title names it whole
        found.append(Fact("article", record.status, [heading or title] if heading or title else []))
    found += date_facts(sides, title)
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
    return _deduplicated(sorted(found, key=lambda fact: fact.rank))


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
        if fact.action != "removed" or fact.kind in ("section", "text", "link", "media", "article") or not fact.items:
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
            continue
        if fact.action != "changed" and not fact.items:
            continue
        said.update(part.casefold() for item in fact.items + [fact.old, fact.new] if item for part in _parts(item))
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
        Fact("metadata", "changed", old=_clip_item(old), new=_clip_item(values["+"][key]), subject=key)
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


def _clip_item(text: str) -> str:
    return text if len(text) <= MAX_ITEM_CHARS else clip_words(text, MAX_ITEM_CHARS)
