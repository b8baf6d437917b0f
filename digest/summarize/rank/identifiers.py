"""Facts about named things: retirement dates, models, versions, API versions, packages, parameters,
regions, roles, imports and commands."""

from __future__ import annotations

import re
from functools import lru_cache

from digest.classify import COMMAND_LINE, MODEL_NAME, PACKAGE_PIN, PARAMETER_NAME, PHRASES, table_cells
from digest.models import ClassifiedChange
from digest.summarize.rank.facts import (
    DATE, ENDPOINT, FILE_NAME, MAX_ITEM_CHARS, MAX_ITEMS, REGION, ROLE, ROLE_WORD, SDK_PACKAGE, SEMVER, Fact, Sides, _short, plain,
)


def date_facts(sides: Sides, title: str) -> list[Fact]:
    """Retirement / deprecation dates: moved (a line that differs only in its date) or newly given."""
    facts: list[Fact] = []
    # every form of DATE holds a year 20xx: a line without "20" holds none (a cheaper test than the pattern)
    removed = {DATE.sub("\0", line): line for line in sides.removed if "20" in line and DATE.search(line) and _retiring(line)}
    for line in sides.added:
        if "20" not in line or not DATE.search(line) or not _retiring(line):
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


def _only_after_an_escape(item: str, lines: list[str]) -> bool:
    """Whether every place the side's lines hold `item` follows a backslash (a JSON string's `\\nThese`: the
    escape's letter and a word)."""
    places = [(line, match.start()) for line in lines if item in line for match in re.finditer(re.escape(item), line)]
    return bool(places) and all(start > 0 and line[start - 1] == "\\" for line, start in places)


def identifier_facts(change: ClassifiedChange, sides: Sides) -> list[Fact]:
    """Models, API versions, packages, versions, endpoints and parameters added or removed; one of a kind
    removed and one added is a swap (old -> new)."""
    facts = change.facts
    by_kind: dict[tuple[str, str, bool], list[str]] = {}
    candidates = [("+", item, True) for item in facts.identifiers_added] + [("+", item, False) for item in facts.terms_added]
    candidates += [("-", item, True) for item in facts.identifiers_removed] + [("-", item, False) for item in facts.terms_removed]
    pool = {plain(item) for _, item, _ in candidates}
    # what each side's lines say, prose and code: an identifier the other side names too was on the page before
    # (now marked as code, or moved), neither added nor removed
    # and an identifier the unchanged lines around a removal still name stays on the page: not removed
    kept = [text for hunk in change.change.parsed_patch.hunks for sign, text in hunk.lines if sign == " "]
    said = {"+": "\n".join(sides.removed + sides.removed_code), "-": "\n".join(sides.added + sides.added_code + kept)}
    for sign, item, marked in candidates:
        item = plain(item)
        kind = identifier_kind(item) if item and len(item) <= MAX_ITEM_CHARS else None
        if kind and item in said[sign] and _named_whole(item, said[sign]):
            continue
        if kind and _only_after_an_escape(item, sides.added + sides.added_code if sign == "+" else sides.removed + sides.removed_code):
            continue  # "\nThese" in a JSON string: an escape and a word, no name
        if kind in ("parameter", "name") and _package_page(item, sides):
            kind = "package"  # "[OpenAI](https://www.nuget.org/packages/OpenAI/)": a link to the package's page
        if kind == "name" and (not marked or "://" in item):
            continue  # a name only counts when the diff marks it as code
        if kind == "api_version" and (any(other != item and other.endswith("-" + item) for other in pool) or _only_in_a_name(item, sides)):
            continue  # the date that ends a model name (turbo-2024-04-09) is no API version of its own
        if kind in ("api_version", "version", "model") and _only_in_addresses(item, sides):
            continue  # a folder or branch of a web address (…/schema/2024-07-31-preview/receipt.md) is no version the page uses
        if kind == "api_version":
            kind = dated_version_kind(item, sides)
        if kind == "parameter" and _only_a_placeholder(item, sides):
            continue  # {user_name} in a connection string: a value the reader fills in, no parameter
        if kind == "parameter" and not sides.in_words(sign, item) and not used_as_parameter(item, sides.added_code + sides.removed_code + sides.code_like):
            kind = "sample_name"  # a name only sample code holds, never passed or set as a field: the sample's own
        if not kind:
            continue
        key = (kind, sign, not sides.in_prose(sign, item))
        if item not in by_kind.setdefault(key, []):
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


def _named_whole(item: str, text: str) -> bool:
    """Whether `text` names `item` itself, not a longer name it starts or ends (o1 in o1-mini, 2025-05-01 in
    2025-05-01-preview)."""
    return bool(re.search(rf"(?<![\w.@/#-]){re.escape(item)}(?![\w/-]|\.\w)", text))


# a link's target or a bare web address
ADDRESS = re.compile(r"\]\([^)\s]*(?:\([^)\s]*\)[^)\s]*)*\)|https?://\S+")


def _only_in_addresses(item: str, sides: Sides) -> bool:
    """Whether every line that names `item` names it only inside web addresses (link targets, URLs), and never
    as an address's api-version (…/chat/completions?api-version=2024-10-21 is the version a sample calls)."""
    lines = [line for line in sides.added + sides.removed + sides.added_code + sides.removed_code if item in line]
    return bool(lines) and all(item not in ADDRESS.sub(" ", line) and "version=" + item not in line for line in lines)


def _only_in_a_name(item: str, sides: Sides) -> bool:
    """Whether a date shows only as the end of a longer name (gpt-4 (turbo-2024-04-09)), never on its own."""
    lines = [line for line in sides.added + sides.removed + sides.added_code + sides.removed_code if item in line]
    inside = re.compile(rf"[A-Za-z]-{re.escape(item)}")
    return bool(lines) and all(line.count(item) == len(inside.findall(line)) for line in lines)


# a package's page on its registry (NuGet, PyPI, npm, Maven Central, crates.io)
PACKAGE_PAGE = "(?:www\\.)?(?:nuget\\.org/packages|pypi\\.org/project|npmjs\\.com/package|central\\.sonatype\\.com/artifact/[\\w.-]+|crates\\.io/crates)/"


def _package_page(item: str, sides: Sides) -> bool:
    """Whether a link names `item` by its words and leads to the package of that name on its registry."""
    if "](http" not in sides.added_text and "](http" not in sides.removed_text:
        return False
    link = re.compile(rf"\[{re.escape(item)}\]\(https?://{PACKAGE_PAGE}{re.escape(item)}(?:[/?#)]|$)", re.IGNORECASE)
    return bool(link.search(sides.added_text) or link.search(sides.removed_text))


def _only_a_placeholder(item: str, sides: Sides) -> bool:
    """Whether a name shows only as a placeholder to fill in ({user_name}, <your-key>), never named otherwise."""
    lines = [line for line in sides.added + sides.removed + sides.added_code + sides.removed_code if item in line]
    held = re.compile(rf"[{{<]{re.escape(item)}[}}>]")
    return bool(lines) and all(line.count(item) == len(held.findall(line)) for line in lines)


def used_as_parameter(name: str, code_lines: list[str]) -> bool:
    """Whether sample code passes or sets `name` as a parameter or field: a JSON or YAML key ("name": …),
    a keyword argument (f(name=…)), a command-line option (--name) or a query parameter (?name=…); a variable
    the sample declares or assigns is none."""
    lines = [line for line in code_lines if name in line]
    if not lines:  # the cheap test first: no pattern is built for a name no code line holds
        return False
    pattern = _parameter_pattern(name)
    return any(pattern.search(line) for line in lines)


@lru_cache(maxsize=4096)
def _parameter_pattern(name: str) -> re.Pattern[str]:
    escaped = re.escape(name)
    return re.compile(rf"[\"']{escaped}[\"']\s*:|^\s*-?\s*{escaped}\s*:(?!:)|[({{,]\s*{escaped}\s*[:=](?![=:])|--{escaped}\b|[?&]{escaped}=")


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


# a dated model version right after the model's name: "o1 (version 2024-12-17)", "| gpt-4o | 2024-08-06 |"
VERSION_AFTER = re.compile(r"[\s,|()*`:]*(?:version:?[\s*`]*)?(20\d\d-\d\d-\d\d)(?![\w-])", re.IGNORECASE)


def version_after(model: str, lines: list[str]) -> str:
    """The dated version a line names right after `model`, if any."""
    for line in lines:
        if model not in line:
            continue
        text = line.replace("*", "").replace("`", "")
        at = text.find(model)
        while at >= 0:
            end = at + len(model)
            whole = (at == 0 or not _name_char(text[at - 1], ".")) and (end == len(text) or not _name_char(text[end], ""))
            if whole and (version := VERSION_AFTER.match(text, end)):
                return version.group(1)
            at = text.find(model, end)
    return ""


def _name_char(char: str, also: str) -> bool:
    """Whether `char` could continue a model's name (a letter, digit, _ or -, or one of `also`)."""
    return char.isalnum() or char in "_-" or char in also


def _versioned_models(found: list[Fact], sides: Sides) -> list[Fact]:
    """A model added or removed with its version beside it is named with it, "o3-mini (2025-01-31)";
    the version then needs no fact of its own. A version added or removed while its model stays is named the same
    way, as a model of that version ("Removes model gpt-4o-realtime-preview (2024-10-01)"): a bare date says not
    whose version it is."""
    for version_fact in [fact for fact in found if fact.kind == "model_version" and fact.action != "changed"]:
        lines = sides.added + sides.added_code if version_fact.action == "added" else sides.removed + sides.removed_code
        model_fact = next((fact for fact in found if fact.kind == "model" and fact.action == version_fact.action and fact.code == version_fact.code), None)
        for version in list(version_fact.items):
            model = model_of_version(version, lines)
            if not model:
                continue
            if model_fact is None:
                model_fact = Fact("model", version_fact.action, code=version_fact.code)
                found.append(model_fact)
            named = f"{model} ({version})"
            if model in model_fact.items:
                model_fact.items[model_fact.items.index(model)] = named
            elif named not in model_fact.items:
                model_fact.items.append(named)
            version_fact.items.remove(version)
    for model_fact in [fact for fact in found if fact.kind == "model" and fact.action != "changed"]:
        lines = sides.added + sides.added_code if model_fact.action == "added" else sides.removed + sides.removed_code
        model_fact.items = [f"{item} ({version})" if "(" not in item and (version := version_after(item, lines)) else item for item in model_fact.items]
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
        # each form holds one of these words: a line with none imports nothing (cheaper than five patterns)
        if "import" not in line and "using" not in line and "require(" not in line:
            continue
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
        if kind == "role" and not (ROLE_WORD.search(sides.added_text) or ROLE_WORD.search(sides.removed_text)):
            continue
        added = [item for item in _short(pattern.findall(sides.added_text)) if sides.only("+", item)]
        removed = [item for item in _short(pattern.findall(sides.removed_text)) if sides.only("-", item)]
        if added:
            found.append(Fact(kind, "added", added[:MAX_ITEMS]))
        if removed:
            found.append(Fact(kind, "removed", removed[:MAX_ITEMS]))
    return found


