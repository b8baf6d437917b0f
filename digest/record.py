"""The durable record: built from a day's summarized files, one JSON file per day and area under data/digests/."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from digest.errors import DigestError
from digest.fsutil import write_text_atomic
from digest.docsrepo.links import RepoLinks, compare_url, file_links
from digest.models import AreaName, Commit, DayRange, DigestRecord, DigestSummary, FileRecord, digest_slug
from digest.summarize.base import SummarizedFile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DayContext:
    """What every record of one day shares."""

    day: DayRange
    repo_url: str
    branch: str
    timezone: str
    # path -> the day's commits that changed it
    touched: dict[str, list[str]]
    repo_links: RepoLinks | None = None


def file_record(item: SummarizedFile, context: DayContext) -> FileRecord:
    change, links = item.change.change, context.repo_links
    pr_by_sha = {commit.sha: commit.pr for commit in context.day.commits}
    shas = context.touched.get(change.path, []) + context.touched.get(change.old_path or "", [])
    prs = sorted({pr for sha in shas if (pr := pr_by_sha.get(sha)) is not None})
    return FileRecord(
        **change.model_dump(exclude={"patch"}),
        noise=item.change.noise,
        modification_type=item.summary.modification_type,
        title=item.summary.title,
        explanation=item.summary.explanation,
        details=item.summary.details,
        links=file_links(
            context.repo_url, change.path, change.status, context.day.base, context.day.head, prs,
            links.included_by(change) if links else None,
            links.redirect_to(change) if links else None,
        ),
        summarizer=item.summary.summarizer,
        facts=item.change.facts,
        patch=change.patch,
    )


def digest_record(area: str, area_name: AreaName, items: list[SummarizedFile], summary: DigestSummary, context: DayContext) -> DigestRecord:
    """The record of one area of the day."""
    day = context.day
    paths = [path for item in items for path in (item.change.change.path, item.change.change.old_path) if path]
    return DigestRecord(
        date=day.day,
        timezone=context.timezone,
        area=area,
        area_name=area_name,
        repo=context.repo_url,
        branch=context.branch,
        base=day.base,
        head=day.head,
        compare_url=compare_url(context.repo_url, day.base, day.head),
        commits=commits_touching(day, paths, context.touched),
        summary=summary,
        files=[file_record(item, context) for item in items],
    )


def commits_touching(day: DayRange, paths: list[str], touched: dict[str, list[str]]) -> list[Commit]:
    """The day's commits that changed these paths, and those that changed no file at all (marked)."""
    shas = {sha for path in paths for sha in touched.get(path, [])}
    touching_any = {sha for path_shas in touched.values() for sha in path_shas}
    return [
        commit.model_copy(update={"empty": commit.sha not in touching_any})
        for commit in day.commits
        if commit.sha in shas or commit.sha not in touching_any
    ]


def record_path(digests_dir: Path, date: dt.date, area: str) -> Path:
    return digests_dir / date.isoformat() / f"{area}.json"


def record_json(record: DigestRecord) -> str:
    return record.model_dump_json(indent=2) + "\n"


def write_record(digests_dir: Path, record: DigestRecord) -> bool:
    """Write atomically; False when the file already held exactly this record."""
    return write_text_atomic(record_path(digests_dir, record.date, record.area), record_json(record))


def remove_stale_records(digests_dir: Path, date: dt.date, keep_areas: set[str]) -> list[Path]:
    """Delete the day's records of areas that no longer have changes (the day was recomputed)."""
    day_dir = digests_dir / date.isoformat()
    removed = []
    for path in sorted(day_dir.glob("*.json")) if day_dir.exists() else []:
        if path.stem not in keep_areas:
            path.unlink()
            removed.append(path)
    return removed


def record_files(digests_dir: Path) -> list[Path]:
    return sorted(digests_dir.glob("*/*.json"))


@dataclass(frozen=True)
class StoredRecord:
    """A record file where write_record puts it (record_path): its day, area and slug are the record's own
    (DigestRecord.slug) known without reading it, so a rerun passes over what is up to date unread."""

    path: Path

    @property
    def day(self) -> str:
        return self.path.parent.name

    @property
    def area(self) -> str:
        return self.path.stem

    @property
    def slug(self) -> str:
        return digest_slug(self.day, self.area)


def stored_records(digests_dir: Path) -> list[StoredRecord]:
    return [StoredRecord(path) for path in record_files(digests_dir)]


def load_record(path: Path, raw: bytes | None = None) -> DigestRecord:
    """The record in `path` (whose bytes may already be at hand)."""
    try:
        return DigestRecord.model_validate_json(path.read_bytes() if raw is None else raw)
    except (ValidationError, ValueError) as error:
        raise DigestError(f"invalid digest record {path}: {str(error).splitlines()[0]}") from error


def iter_records(digests_dir: Path) -> Iterator[DigestRecord]:
    for path in record_files(digests_dir):
        yield load_record(path)
