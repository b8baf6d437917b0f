"""The day's story for a page: its files ranked by importance, and the facts an Insight is written from.

Highlight and Insight are the page's own: the most important files first with the counts, then the actions
and dates that follow from the breaking changes and new features (retirement dates, removed articles and
where their readers are sent, new articles, models and API versions that came or went), related changes
tied together (an article removed and a new one its redirect leads to). Nothing is said that a fact of the
day does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from digest.models import TYPE_ORDER as READING_ORDER
from digest.summarize.rank import Fact, rank_facts
from digest.summarize.base import PageInput, SummarizedFile
from digest.summarize.ties import edit_kinds, moved_into, name_of, same_edits, short_names, told_once
from digest.summarize.titletext import ja_date

TYPE_ORDER = {kind: rank for rank, kind in enumerate(READING_ORDER)}
# the files a Highlight names, after grouping the same fact in several files into one
HIGHLIGHTED = 3
IDENTIFIER_KINDS = ("model", "api_version", "package", "region", "role")
MAX_NAMED = 4


@dataclass
class Story:
    """What the day changed that a reader acts on, each item verbatim from a file's facts."""

    retirements: list[dict[str, str]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)
    added: list[dict[str, str]] = field(default_factory=list)
    # (kind, action) -> identifiers, over the breaking changes and new features
    named: dict[str, list[str]] = field(default_factory=dict)
    # a removed article whose redirect leads to an article added the same day: (removed title, added title)
    moved: list[dict[str, str]] = field(default_factory=list)
    # a section or text of one file that a file added the same day now holds (summarize/ties.py)
    moved_into: list[dict[str, object]] = field(default_factory=list)
    # the same edit in several files: {"names": [...], "ja": title, "en": title}
    same: list[dict[str, object]] = field(default_factory=list)
    # a day without actions: kind of edit -> files
    kinds: dict[str, list[str]] = field(default_factory=dict)
    fixes: int = 0
    routine: int = 0
    largest: str = ""

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def file_facts(item: SummarizedFile) -> list[Fact]:
    return rank_facts(item.change) if item.change.noise in ("none", "toc") else []


def importance(item: SummarizedFile, facts: list[Fact]) -> tuple[int, int, int]:
    """Type first (breaking changes lead), then the rank of the file's top fact, then its size."""
    record = item.change.change
    top = facts[0].rank if facts else 99
    return TYPE_ORDER[item.summary.modification_type], top, -(record.additions + record.deletions)


def ranked(page: PageInput) -> list[tuple[SummarizedFile, list[Fact]]]:
    """The page's non-routine files, most important first, each with its facts."""
    pairs = [(item, file_facts(item)) for item in page.files if item.change.noise == "none"]
    return sorted(pairs, key=lambda pair: importance(*pair))


def _title(item: SummarizedFile, facts: list[Fact]) -> str:
    article = next((fact for fact in facts if fact.kind == "article" and fact.items), None)
    return article.items[0] if article else PurePosixPath(item.change.change.path).name


def _page_path(path: str) -> str:
    """An article's address on Learn without the host: articles/a/b.md -> /azure/a/b."""
    return "/azure/" + path.removeprefix("articles/").removesuffix(".md")


def day_story(page: PageInput, ranking: list[tuple[SummarizedFile, list[Fact]]]) -> Story:
    story = Story(routine=sum(1 for item in page.files if item.change.noise != "none"))
    for item, facts in ranking:
        kind = item.summary.modification_type
        story.fixes += kind == "bug fix"
        if kind not in ("breaking change", "new feature"):
            continue
        _tell_articles(story, item, facts, page)
        if item.change.change.status in ("added", "removed"):
            continue  # what a new or removed page holds is told by the page itself
        for fact in facts:
            if fact.kind == "date":
                story.retirements.append({"subject": fact.subject, "date": fact.new, "old": fact.old})
            elif fact.kind in IDENTIFIER_KINDS and fact.action in ("added", "removed") and not fact.code:
                named = story.named.setdefault(f"{fact.kind}_{fact.action}", [])
                named += [name for name in fact.items if name not in named]
    story.named = {key: _without_bare_duplicates(names)[:MAX_NAMED] for key, names in story.named.items()}
    story.moved = _moves(story)
    _tie(story, ranking)
    if ranking:
        biggest = max(ranking, key=lambda pair: pair[0].change.change.additions + pair[0].change.change.deletions)
        story.largest = PurePosixPath(biggest[0].change.change.path).name
    return story


def _tie(story: Story, ranking: list[tuple[SummarizedFile, list[Fact]]]) -> None:
    """Related changes of the day told together, and for a day without actions the kinds of its edits."""
    story.moved_into = moved_into(ranking)
    groups = same_edits(ranking)[:MAX_NAMED]
    story.same = [{"names": short_names(group), "ja": group[0].summary.title.ja, "en": group[0].summary.title.en} for group in groups]
    told = {name_of(item) for group in groups for item in group} | {str(move[key]) for move in story.moved_into for key in ("old", "new")}
    story.kinds = edit_kinds(ranking, told)


def _without_bare_duplicates(names: list[str]) -> list[str]:
    """Names without those another names with its version ("o1" beside "o1 (2024-12-17)"), in order."""
    versioned = {name.split(" (", 1)[0] for name in names if name.endswith(")") and " (" in name}
    return [name for name in names if name not in versioned]


def _tell_articles(story: Story, item: SummarizedFile, facts: list[Fact], page: PageInput) -> None:
    record = item.change.change
    if record.status not in ("added", "removed") or "/includes/" in record.path or not record.path.endswith((".md", ".yml")):
        return
    entry = {"title": _title(item, facts), "name": PurePosixPath(record.path).name, "path": _page_path(record.path)}
    if record.status == "removed":
        entry["redirect"] = page.redirects.get(record.path, "") if page.redirects else ""
        story.removed.append(entry)
    else:
        story.added.append(entry)


def _moves(story: Story) -> list[dict[str, str]]:
    """Removed articles whose redirect leads to an article added the same day."""
    moves = []
    for gone in story.removed:
        target = gone.get("redirect", "").split("?")[0].split("#")[0].rstrip("/")
        new = next((added for added in story.added if target and target.endswith(added["path"])), None)
        if new:
            moves.append({"old": gone["title"], "new": new["title"]})
    return moves


def told_story(lang: str, page: PageInput, ranking: list[tuple[SummarizedFile, list[Fact]]]) -> dict[str, object]:
    """The day's story as one language's templates read it (dates in that language's form)."""
    story = day_story(page, ranking).as_dict()
    if lang == "ja":
        story["retirements"] = [dict(r, date=ja_date(r["date"]), old=ja_date(r["old"])) for r in story["retirements"]]  # type: ignore[attr-defined]
    story["same"] = [{"names": group["names"], "title": group[lang]} for group in story["same"]]  # type: ignore[attr-defined, index]
    return story


def units(lang: str, ranking: list[tuple[SummarizedFile, list[Fact]]]) -> list[dict[str, object]]:
    """What the page's Highlight and lists name, most important first: one entry per title of a type, with
    the files that share it ({"title", "type", "count", "names": the files' short names})."""
    return [
        {"title": getattr(group[0].summary.title, lang), "type": group[0].summary.modification_type, "count": len(group), "names": short_names(group)}
        for group in told_once(ranking)
    ]
