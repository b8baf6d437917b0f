"""Facts about the text around the names: numbers and renames, sections and table rows, columns, named
prose, sample code lines, includes, links and media."""

from __future__ import annotations

import re

from digest.classify import MODEL_NAME, table_cells
from digest.classify.markdown import GENERIC_LINK_TEXT, table_row_text
from digest.classify.wording import substantive, word_changes
from digest.models import ClassifiedChange
from digest.text import clip_words, common_ends
from digest.summarize.rank.facts import DATE, JUNK, MAX_ITEMS, PREVIEW_NOTE, STANDALONE_NUMBER, Fact, Sides, _short, plain, preview_facts
from digest.summarize.rank.identifiers import identifier_kind


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


# headings most articles have, whatever they are about
BOILERPLATE_HEADING = re.compile(
    r"^(?:Prerequisites|Next steps?|Related content|See also|Overview|Introduction|Get started|Getting started|"
    r"Clean up resources|Learn more|Resources|Summary|Conclusion|Set up|Setup)$",
    re.IGNORECASE,
)


def structure_facts(change: ClassifiedChange, sides: Sides) -> list[Fact]:
    """Sections and table rows (by their key cell) added or removed; a table's header row is its columns,
    never a row of its own."""
    facts = change.facts
    found: list[Fact] = []
    for action, headings in (("added", facts.headings_added), ("removed", facts.headings_removed)):
        # the headings most pages have (Prerequisites, Next steps) say least: named after the others
        named = sorted(_short(headings), key=lambda heading: bool(BOILERPLATE_HEADING.match(heading)))
        if named:
            found.append(Fact("section", action, named[:MAX_ITEMS]))
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
        old, new = _changed_cells(edited[0], rows_removed) if len(edited) == 1 else ("", "")
        found.append(Fact("row", "changed", _short([_key_cell(row) for row in edited])[:MAX_ITEMS], old=old, new=new, rows=whole))
    return found


def _changed_cells(row: str, removed: list[str]) -> tuple[str, str]:
    """The first cell of a table row that changed, old -> new (S2 -> Standard 1 (S1) and higher), from the
    removed row of the same key; ("", "") when the row gained or lost cells, or a cell was only emptied, filled
    or had words appended."""
    before = next((other for other in removed if _key_cell(other) == _key_cell(row)), "")
    old_cells, new_cells = ([plain(cell).strip().rstrip(" .,;…") for cell in side.split(" | ")] for side in (before, row))
    if not before or len(old_cells) != len(new_cells):
        return "", ""
    old, new = next(((old, new) for old, new in zip(old_cells, new_cells) if old != new), ("", ""))
    if new.startswith(old) or old.startswith(new):  # words appended to a cell: no value swapped for another
        return "", ""
    # two long cells (descriptions) by the part that differs, widened to whole tokens
    return differing_middle(old, new) if min(len(old), len(new)) > CELL_CHARS else (old, new)


# a changed cell longer than this is told by the part that differs
CELL_CHARS = 40


# a tab of a tabbed section ("# [OpenAI Python 0.28.1](#tab/python)"), and the line that closes a tab group
TAB_HEADING = re.compile(r"^#{1,6}\s+\[([^\]]+)\]\(#tab/[^)]*\)\s*$")
TAB_END = re.compile(r"^-{3,}\s*$")


def tab_facts(change: ClassifiedChange) -> list[Fact]:
    """Tabs of a page removed whole, with everything they held (a way of doing the page's task that went: an
    SDK version, a model, a tool); not a tab whose heading went while its content stayed, nor one renamed.
    (A tab added is told by its sections: new tabs mostly split what a page already says by language.)"""
    if change.change.status != "modified" or "(#tab/" not in (change.change.patch or ""):
        return []  # a diff that names no tab changes none
    whole: dict[str, list[str]] = {"+": [], "-": []}
    named: dict[str, set[str]] = {"+": set(), "-": set(), " ": set()}
    for hunk in change.change.parsed_patch.hunks:
        current: list = []  # type: ignore[type-arg]  # [sign, name, whole so far, body lines]

        def close() -> None:
            if current and current[2] and current[3]:
                whole[current[0]].append(current[1])
            current.clear()

        for sign, text in hunk.lines:
            # a heading or a closing line starts with "#" or "-" (a cheaper test than the patterns)
            tab = TAB_HEADING.match(text) if text[:1] == "#" else None
            if tab or (text[:3] == "---" and TAB_END.match(text)):
                close()
                if tab:
                    named.setdefault(sign, set()).add(plain(tab.group(1)))
                    current.extend([sign, plain(tab.group(1)), sign in "+-", 0] if sign in "+-" else [])
            elif current and text.strip():
                current[2] = current[2] and sign == current[0]
                current[3] += 1
        close()
    names = _short([name for name in whole["-"] if name not in named["+"] and name not in named[" "]])
    return [Fact("tab", "removed", names[:MAX_ITEMS])] if names else []


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
        lines = sides.added if mark == "+" else sides.removed
        monikers = [line for line in lines if APPLIES_TO.search(line)]
        terms = [
            term for term in _short(terms)
            if identifier_kind(term) in (None, "name") and (_in_prose(sides, mark, term) or not _code_statement(term)) and not sides.in_prose(other, term)
            and term not in header_cells and not _alt_text_only(term, lines) and not _only_in(term, monikers, lines)
            and not LABEL.fullmatch(term)
        ]
        if terms:
            found.append(Fact("term", sign, terms[:MAX_ITEMS]))
        code_lines = sides.added_code if sign == "added" else sides.removed_code
        texts = _short([text.rstrip(" …") for text in texts if not _opens_code_line(text, code_lines) and not _in_moniker(text, monikers)], 170)
        if texts:
            found.append(Fact("text", sign, texts[:3]))
        if monikers:  # which versions the page covers: told last, never the news when anything else changed
            found.append(Fact("moniker", sign, [_moniker_text(monikers[0])], subject="repeated" if monikers[0] in _context_lines(change) else ""))
    return found


def _in_moniker(text: str, monikers: list[str]) -> bool:
    """Whether prose words are the words of a version moniker line (its own fact tells it)."""
    words = " ".join(text.rstrip(" …").split())
    return bool(words) and any(words in plain(line) or words in _moniker_text(line) for line in monikers)


def _context_lines(change: ClassifiedChange) -> set[str]:
    """The lines a diff shows unchanged around its changes."""
    return {text for hunk in change.change.parsed_patch.hunks for sign, text in hunk.lines if sign == " "}


def moniker_lines(sides: Sides) -> list[str]:
    """The version moniker lines either side of the diff changes ("This content applies to: v4.0 …")."""
    return [line for line in sides.added + sides.removed if APPLIES_TO.search(line)]


# a bare key or label ("question:", "Note:"): the name of what follows, not words of the page's content
LABEL = re.compile(r"[\w.-]+:")


# an image's alt text (:::image ... alt-text="…" or ![…](…)): it describes media, it is not the page's content
ALT_TEXT = re.compile(r'alt-text\s*=\s*"[^"]*"|!\[[^\]]*\]')


# a version moniker line: "**This content applies to:** ![checkmark](…) **v4.0 (GA)** | **Previous versions:** …"
APPLIES_TO = re.compile(r"^\W*(?:This (?:content|article) )?applies to\b", re.IGNORECASE)
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)")


def _only_in(term: str, these: list[str], lines: list[str]) -> bool:
    """Whether every line of `lines` that names `term` is one of `these` (and one is)."""
    return bool(these) and any(term in line for line in these) and all(line in these for line in lines if term in line)


def _moniker_text(line: str) -> str:
    """A version moniker line as one text: its words without the check-mark images."""
    return " ".join(plain(IMAGE_LINK.sub(" ", line)).replace(":", ": ").split())


def _alt_text_only(term: str, lines: list[str]) -> bool:
    """Whether a side names `term` only in the alt text of its images."""
    joined = "\n".join(line for line in lines if term in line)
    return bool(joined) and ("alt-text" in joined or "![" in joined) and term not in ALT_TEXT.sub(" ", joined) and term in " ".join(ALT_TEXT.findall(joined))


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


# the opening of a link before its target: a badge [![alt](image)]( and [words](; the target follows after
# optional spaces and "<" (a pattern per target, compiled for each link, took most of the rank's link time)
BADGE_OPENING = re.compile(r"\[!\[([^\]\n]{2,100})\]\([^)\s]*\)\]\(")
LINK_OPENING = re.compile(r"\[([^\]\n]{2,100})\]\(")


def _link_words(line: str, target: str) -> str:
    """The words of the first link to `target` in `line` ([words](target), or a badge: [![alt](image)](target) and
    ![alt](target)), as the search of !?\\[(?:!\\[(alt)\\]\\(image\\)|(words))\\]\\(\\s*<?target finds them; "" if none."""
    bracket = line.find("[")
    while bracket >= 0:
        for opening in (BADGE_OPENING, LINK_OPENING):
            if (match := opening.match(line, bracket)) and _target_at(line, match.end(), target):
                return match.group(1)
        bracket = line.find("[", bracket + 1)
    return ""


def _target_at(line: str, at: int, target: str) -> bool:
    """Whether `target` starts at `at` after any spaces and an optional "<" (\\s*<?target)."""
    end = at
    while end < len(line) and line[end].isspace():
        end += 1
    return any(line.startswith(target, start) or line.startswith("<" + target, start) for start in range(end, at - 1, -1))


def link_name(target: str, lines: list[str]) -> str:
    """What names a link in a title: the words the page links with ([Deploy to Azure](…)), unless they are
    generic (here, learn more) or a URL; a generic link in a table row by the row's key cell; else the target's
    last path segments."""
    for line in lines:
        if target in line and (linked := _link_words(line, target)):
            words = plain(linked).strip()
            if GENERIC_LINK_TEXT.match(words) and "|" in line:
                words = next((plain(cell).strip() for cell in table_cells(line) or [] if cell.strip() and target not in cell), "")
            if words and not GENERIC_LINK_TEXT.match(words) and "://" not in words and not JUNK.search(words):
                tail = link_tail(target)
                return f"{words} ({tail})" if tail and tail.casefold() not in words.casefold() and not tail.startswith("#") else words
    return link_tail(target)


def link_media_facts(change: ClassifiedChange, sides: Sides | None = None) -> list[Fact]:
    facts = change.facts
    found: list[Fact] = []
    lines = {"added": sides.added + sides.added_code, "removed": sides.removed + sides.removed_code} if sides else {"added": [], "removed": []}
    # a new or removed page's preview notice is one of its parts; a kept page's is its status changing
    previews = preview_facts(facts.includes_added, facts.includes_removed) if change.change.status == "modified" else []
    found += previews
    for sign, includes in (("added", facts.includes_added), ("removed", facts.includes_removed)):
        names = _short([include.rsplit("/", 1)[-1] for include in includes if not (previews and PREVIEW_NOTE.search(include))])
        if names:
            found.append(Fact("include", sign, names[:MAX_ITEMS]))
    retargeted = retargets(facts.links_removed, facts.links_added, lines)
    found += [Fact("link", "changed", [new, old], old=old, new=new, subject=words, rows=[_named_target(old), _named_target(new)]) for words, old, new in retargeted]
    moved = {target for _, old, new in retargeted for target in (old, new)}
    monikers = moniker_lines(sides) if sides else []
    for sign, every in (("added", facts.links_added), ("removed", facts.links_removed)):
        # a moniker's version links are the moniker (its own fact)
        links = [link for link in every if link not in moved and not _only_in(link, monikers, lines[sign])]
        if links:
            targets = [link for link in links if len(link) <= 160][:3]
            found.append(Fact("link", sign, targets, subject=str(len(links)), rows=_short([link_name(link, lines[sign]) for link in targets])))
    # a moniker's check marks are no images of the page
    added = len([image for image in facts.images_added if not _only_in(image, monikers, lines["added"])])
    removed = len([image for image in facts.images_removed if not _only_in(image, monikers, lines["removed"])])
    if added and removed:
        found.append(Fact("media", "changed", subject=str(max(added, removed))))
    elif added or removed:
        found.append(Fact("media", "added" if added else "removed", subject=str(added or removed)))
    return found



def _named_target(target: str) -> str:
    """A link target as a title names it: its last path segments, or a link within the page by its anchor."""
    return link_tail(target) or (target if target.startswith("#") else "")


def retargets(removed: list[str], added: list[str], lines: dict[str, list[str]], limit: int = 3) -> list[tuple[str, str, str]]:
    """Links that kept their words and changed their target, as (words, old target, new target): a link
    corrected or pointed elsewhere, not one link taken out and another put in."""
    found: list[tuple[str, str, str]] = []
    taken: set[str] = set()
    named = {target: _words_of(target, lines["added"]) for target in added if len(target) <= 160}
    for old in (target for target in removed if len(target) <= 160):
        words = _words_of(old, lines["removed"])
        new = next((target for target, said in named.items() if said and said == words and target not in taken and target != old), None)
        if words and new:
            taken.add(new)
            found.append((words, old, new))
            if len(found) == limit:
                break
    return found


def _words_of(target: str, lines: list[str]) -> str:
    """The words a link to `target` is shown with ("" if only its target names it)."""
    name = link_name(target, lines)
    tail = link_tail(target)
    return "" if name == tail else name.removesuffix(f" ({tail})")
