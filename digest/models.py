"""Typed records passed between the pipeline stages (data flows one way)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from digest.hunks import ParsedPatch, parse_hunks

Status = Literal["added", "modified", "removed", "renamed"]
ModificationType = Literal["new feature", "breaking change", "bug fix", "minor update"]
MODIFICATION_TYPES: tuple[ModificationType, ...] = (
    "new feature",
    "breaking change",
    "bug fix",
    "minor update",
)
# the order readers see the types in (pages, feeds, notifications): the most urgent first
TYPE_ORDER: tuple[ModificationType, ...] = ("breaking change", "new feature", "bug fix", "minor update")
Noise = Literal["none", "metadata", "whitespace", "image", "toc", "bulk"]
LANGS: tuple[str, ...] = ("ja", "en")


# what XML 1.0, YAML or HTML forbid or misread: C0 controls but tab, newline and carriage return, DEL, C1 controls,
# lone surrogates and the noncharacters (U+FDD0..U+FDEF and the last two code points of every plane)
_PLANE_ENDS = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
UNSAFE_CHARS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef{_PLANE_ENDS}]")
# the same split in two: a class of code points above U+FFFF makes the search some 15 times slower per character,
# and nearly every text lies below it
_UNSAFE_IN_BMP = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_UNSAFE_BEYOND_BMP = re.compile(f"[{_PLANE_ENDS[2:]}]")
_FIRST_PLANE_END = chr(0x1FFFE)
DEL_PICTURE = "\u2421"


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # the control's own picture: ESC shows as ␛
    return DEL_PICTURE if code == 0x7F else "\ufffd"


def clean_text(text: str) -> str:
    """Untrusted text with every character a feed, a front matter or a page would choke on made visible."""
    return UNSAFE_CHARS.sub(_visible, text) if has_unsafe_chars(text) else text


def has_unsafe_chars(text: str) -> bool:
    """Whether `text` holds a character `clean_text` replaces (`UNSAFE_CHARS.search`, faster)."""
    if text.isprintable():  # controls, surrogates and noncharacters are none of them printable
        return False
    if _UNSAFE_IN_BMP.search(text):
        return True
    return not text.isascii() and max(text) >= _FIRST_PLANE_END and _UNSAFE_BEYOND_BMP.search(text) is not None


def clean_value(value: Any) -> Any:
    """`clean_text` through the strings of plain data (lists, tuples, dicts); models clean themselves."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(item) for item in value]
    if isinstance(value, tuple):
        return tuple(clean_value(item) for item in value)
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    return value


class Record(BaseModel):
    """Every record between the stages. Each string is cleaned as it enters (from git, a model, or a stored
    record), so no source (document text, a path, a commit subject, a model answer) can carry a character
    that makes a run, a build or a feed fail."""

    model_config = ConfigDict(extra="forbid", frozen=False)

    @field_validator("*", mode="before")
    @classmethod
    def _clean_strings(cls, value: Any) -> Any:
        return clean_value(value)


class Bilingual(Record):
    ja: str
    en: str


class BilingualList(Record):
    """Lines of text in both languages (a file's further changes, after its explanation)."""

    ja: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


# --- source -----------------------------------------------------------------


class Commit(Record):
    sha: str
    subject: str
    committed_at: dt.datetime
    pr: int | None = None
    # set when the commit's own date was in the future or out of order and
    # it was counted on another day (see source.assign_days)
    date_adjusted: bool = False
    # the commit changed no file (shown on every page of its day)
    empty: bool = False


class DayRange(Record):
    day: dt.date
    base: str
    head: str
    commits: list[Commit]


# --- diff -------------------------------------------------------------------


class FileChange(Record):
    path: str
    old_path: str | None = None
    status: Status
    additions: int = 0
    deletions: int = 0
    patch: str = ""
    binary: bool = False
    # text that was not valid UTF-8 was decoded with replacement characters
    undecodable: bool = False
    old_mode: str | None = None
    new_mode: str | None = None
    # what git says the entry is when it is not a regular file
    kind: Literal["file", "symlink", "submodule"] = "file"
    # the diff could not be parsed; the raw text is kept in `patch`
    parse_error: str | None = None
    # what later stages compute from `patch` once (its hunks, classify's line view), and the patch it was computed from
    _derived: dict[str, Any] = PrivateAttr(default_factory=dict)
    _derived_from: str | None = PrivateAttr(default=None)

    def derived(self, name: str, compute: Callable[[FileChange], Any]) -> Any:
        """`compute(self)`, computed once for this patch (a copy with another patch computes it anew)."""
        if self._derived_from is not self.patch:
            self._derived, self._derived_from = {}, self.patch
        if name not in self._derived:
            self._derived[name] = compute(self)
        return self._derived[name]

    @property
    def parsed_patch(self) -> ParsedPatch:
        """The patch's hunks as typed lines (parsed once)."""
        return self.derived("hunks", lambda change: parse_hunks(change.patch))

    def __getstate__(self) -> dict[Any, Any]:
        state = super().__getstate__()
        # the derived values are cheaper to compute again than to send to another process
        return {**state, "__pydantic_private__": {"_derived": {}, "_derived_from": None}}


# --- classify ---------------------------------------------------------------


class Replacement(Record):
    old: str
    new: str
    # how many times the same change was made in the file (2+ is a rename)
    count: int = 1


class Facts(Record):
    front_matter_keys: list[str] = Field(default_factory=list)
    headings_added: list[str] = Field(default_factory=list)
    headings_removed: list[str] = Field(default_factory=list)
    table_rows_added: list[str] = Field(default_factory=list)
    table_rows_removed: list[str] = Field(default_factory=list)
    identifiers_added: list[str] = Field(default_factory=list)
    identifiers_removed: list[str] = Field(default_factory=list)
    links_added: list[str] = Field(default_factory=list)
    links_removed: list[str] = Field(default_factory=list)
    images_added: list[str] = Field(default_factory=list)
    images_removed: list[str] = Field(default_factory=list)
    includes_added: list[str] = Field(default_factory=list)
    includes_removed: list[str] = Field(default_factory=list)
    # phrase kind ("retirement", "deprecation", "preview", "ga") -> lines
    phrases_added: dict[str, list[str]] = Field(default_factory=dict)
    phrases_removed: dict[str, list[str]] = Field(default_factory=dict)
    # changed spans of paired -/+ lines (word level)
    replacements: list[Replacement] = Field(default_factory=list)
    # the article's title from the front matter or the first heading, if seen
    page_title: str | None = None
    content_lines_added: int = 0
    content_lines_removed: int = 0
    # notable verbatim spans (names, code, emphasis, table cells, short list items) of added / removed lines
    terms_added: list[str] = Field(default_factory=list)
    terms_removed: list[str] = Field(default_factory=list)
    # the opening words of added / removed prose lines
    text_added: list[str] = Field(default_factory=list)
    text_removed: list[str] = Field(default_factory=list)
    # why the change type was chosen (a rule name of classify.py), empty for the default
    type_reason: str = ""
    # the edit this file shares with many files of the day (noise "bulk"), and how many files made it
    bulk_edit: Replacement | None = None
    bulk_files: int = 0


class ClassifiedChange(Record):
    change: FileChange
    facts: Facts
    modification_type: ModificationType
    noise: Noise
    area: str
    # the file's edits as (old, new) text pairs, to find one edit repeated across a day's files;
    # None when the file has more edits than were looked at (it is then never part of a bulk edit)
    edits: list[tuple[str, str]] | None = Field(default_factory=list, exclude=True)


# --- summarize --------------------------------------------------------------


class FileSummary(Record):
    modification_type: ModificationType
    title: Bilingual
    explanation: Bilingual
    # "offline" or "model:<name>"
    summarizer: str
    # the file's further changes, one line each, shown folded below the explanation (offline summaries)
    details: BilingualList | None = None


class PageText(Record):
    highlight: str
    new_features: list[str]
    breaking_changes: list[str]
    other_updates: list[str]
    insight: str


class DigestSummary(Record):
    ja: PageText
    en: PageText
    summarizer: str = "offline"
    # the model was asked for this page's summary and gave no valid one (the page says so)
    model_failed: bool = False


# --- the durable record -----------------------------------------------------


class LearnLinks(Record):
    ja: str
    en: str


class FileLinks(Record):
    learn: LearnLinks | None = None
    github: str
    pull_requests: list[str] = Field(default_factory=list)
    included_by: list[str] = Field(default_factory=list)
    redirect_to: str | None = None


class FileRecord(Record):
    path: str
    old_path: str | None
    status: Status
    additions: int
    deletions: int
    binary: bool
    undecodable: bool = False
    kind: str = "file"
    old_mode: str | None = None
    new_mode: str | None = None
    parse_error: str | None = None
    noise: Noise
    modification_type: ModificationType
    title: Bilingual
    explanation: Bilingual
    details: BilingualList | None = None
    links: FileLinks
    summarizer: str
    facts: Facts
    patch: str


class AreaName(Record):
    ja: str
    en: str


class DigestRecord(Record):
    schema_version: int = 1
    date: dt.date
    timezone: str
    area: str
    area_name: AreaName
    repo: str
    branch: str
    base: str
    head: str
    compare_url: str
    commits: list[Commit]
    summary: DigestSummary
    files: list[FileRecord]

    @property
    def slug(self) -> str:
        return digest_slug(self.date.isoformat(), self.area)


def digest_slug(day: str, area: str) -> str:
    """A digest's slug, "<date>-<area>", its pages' name: DigestRecord.slug, and record.StoredRecord.slug unread."""
    return f"{day}-{area}"
