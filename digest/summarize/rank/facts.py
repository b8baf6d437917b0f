"""The typed facts a file's diff yields, their ranks, and the two sides of the diff they are read from."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from digest.classify import ChangedLine, line_view
from digest.classify.compare import net_pairs
from digest.classify.markdown import CODE_LINE, is_table_separator
from digest.models import ClassifiedChange, FileChange
from digest.plaintext import plain  # cached: the rank reads the same items and lines many times over

RANKS = {
    "date": 0, "article": 1, "availability": 1, "preview": 3, "tab": 2, "model": 2, "api_version": 2, "package": 2, "import": 4, "version": 3, "region": 3, "number": 3,
    "model_version": 3, "role": 6, "endpoint": 4, "parameter": 4, "sample_name": 10, "name": 4, "table_column": 5, "command": 5, "section": 5, "toc_entry": 5, "metadata": 12, "row": 6, "rename": 7, "term": 8, "text": 9, "edit": 10, "code": 11,
    "include": 10, "link": 11, "media": 12, "moniker": 12, "wording": 13,
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
REGION_NAMES = sorted({p for r in REGIONS for p in (r, r.replace(" ", "").lower())}, key=len, reverse=True)


def _trie(names: list[str]) -> str:
    """An alternation of `names` as a trie ("East (?:Asia|US(?: 2)?)"): the engine reads each character once instead
    of trying every name in turn. A longer name is tried before a shorter one it starts with, as in an alternation
    sorted longest first, so each match is the same."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for name in names:
        node = tree
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(tree)


# the lookahead on the names' first letters lets the engine skip most positions before it tries the names
REGION = re.compile(r"(?=[%s])\b%s\b" % ("".join(sorted({name[0] for name in REGION_NAMES})), _trie(REGION_NAMES)))
ROLE_WORDS = "Contributor|Reader|Owner|User|Administrator|Approver|Operator|Writer|Developer|Officer|Manager"
ROLE = re.compile(r"\b(?:[A-Z][\w]*\s){1,6}(?:%s)\b" % ROLE_WORDS)
# a text that names no role word holds no role (a cheap test before the costly pattern)
ROLE_WORD = re.compile(ROLE_WORDS)
ENDPOINT = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:azure\.com|microsoft\.com|windows\.net|azure\.net|ai\.azure\.com)\b")
SEMVER = re.compile(r"^v?\d+\.\d+(?:\.\d+)?(?:[-.]?(?:beta|alpha|preview|rc|b|a)[.\d]*)?$")
SDK_PACKAGE = re.compile(r"^(?:@azure(?:-rest)?/[\w.-]+|azure-[a-z][\w.-]+|Azure\.AI\.[\w.]+|openai)$")
NUMBER = re.compile(r"\d")
# a number of its own (a quota, a limit, a price), not the digits of a name (gpt-4, S2, v4.0)
STANDALONE_NUMBER = re.compile(r"(?<![\w.-])[$€£]?\d[\d,.]*(?:%|[KMG]B?)?(?![\w-])")
FILE_NAME = re.compile(r"\.(?:md|ya?ml|json|png|jpe?g|gif|svg|ipynb|py|txt)$", re.IGNORECASE)
MAX_ITEMS = 20
# an article's heading longer than this is cut in a title (see summarize/offline.py)
ARTICLE_TITLE_CHARS = 76
GENERIC_PAGE_TITLES = {"include file", "include", "includes", ""}
MAX_ITEM_CHARS = 80


@dataclass
class Fact:
    kind: str
    # "added", "removed" or "changed" (old -> new); "widened" for an availability (items: the scope)
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
        if self.within_section:  # never above its own rank (prose of the section keeps the rank of prose)
            return max(RANKS["section"] + 1, RANKS[self.kind])
        if self.kind == "preview" and self.action == "added":  # a new preview notice marks new content, which other facts name
            return RANKS["include"]
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
    # in_prose's answers: the fact finders ask of the same terms again (a search through the whole side each time)
    _in_prose: dict[tuple[str, str], bool] = field(default_factory=dict, repr=False, compare=False)

    def only(self, sign: str, text: str) -> bool:
        """Whether `text` occurs on that side only (added and not removed, or the reverse)."""
        mine, other = (self.added_text, self.removed_text) if sign == "+" else (self.removed_text, self.added_text)
        return text in mine and text not in other

    def in_prose(self, sign: str, text: str) -> bool:
        """Whether a prose line of that side names `text`, as written or as its plain words."""
        found = self._in_prose.get((sign, text))
        if found is None:
            found = self._in_prose[sign, text] = text in (self.added_text if sign == "+" else self.removed_text)
        return found

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
    view = line_view(record)
    prose = [line for line in view.changed if not line.front_matter and not line.comment and line.text.strip()]

    def side(sign: str, code: bool) -> list[str]:
        return [line.text for line in prose if line.sign == sign and line.in_code == code]

    def paired(code: bool) -> list[tuple[ChangedLine, ChangedLine]]:
        removed = [line for line in prose if line.sign == "-" and line.in_code == code]
        added = [line for line in prose if line.sign == "+" and line.in_code == code]
        return net_pairs(view, removed, added)[2]  # the same lines as classify's when none is code or a comment

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
            if sign == " " or is_table_separator(text) or "|" not in text:
                continue
            other = "+" if sign == "-" else "-"
            following = next((line for mark, line in hunk.lines[index + 1 :] if mark != other), "")
            if is_table_separator(following):
                found.add(text)
    return found


# what is left of markup plain() could not unwrap (a fragment of a link or a directive)
JUNK = re.compile(r"\]\(|^!|\[!|^\W+$")


def _short(items: list[str], limit: int = MAX_ITEM_CHARS) -> list[str]:
    if not items:  # most calls (identifier_facts asks for every kind and side)
        return []
    seen: list[str] = []
    folded: set[str] = set()
    for item in items:
        item = plain(item)
        if item and len(item) <= limit and item.casefold() not in folded and not JUNK.search(item):
            folded.add(item.casefold())
            seen.append(item)
    return seen


# the docs' shared preview notices (feature-preview.md, preview-notice.md, …): including one marks the page preview;
# one removed ranks with regions and numbers (the page went GA), one added with includes (what is new says more)
PREVIEW_NOTE = re.compile(r"preview[\w-]*\.md$", re.IGNORECASE)


def preview_facts(added: list[str], removed: list[str]) -> list[Fact]:
    """A page that stops (starts) including a preview notice is no longer (now) marked preview: the news, not
    the include ("Preview note removed (feature-preview.md)"); a notice swapped for another is neither."""
    notices = {sign: [path.rsplit("/", 1)[-1] for path in paths if PREVIEW_NOTE.search(path)] for sign, paths in (("added", added), ("removed", removed))}
    if bool(notices["added"]) == bool(notices["removed"]):
        return []
    sign = "added" if notices["added"] else "removed"
    return [Fact("preview", sign, notices[sign][:1])]
