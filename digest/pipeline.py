"""The update stage, wired: source -> diff -> classify -> summarize -> durable records."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from digest.classify.areas import AreaConfig, load_area_config
from digest.classify import classify_day
from digest.config import Settings, Tracked
from digest.diff import diff_range
from digest.errors import DigestError
from digest.docsrepo.includes import IncludeIndex, load_index, save_index
from digest.docsrepo.includes import advance as advance_includes
from digest.docsrepo.links import RepoLinks
from digest.models import ClassifiedChange, DayRange, DigestRecord, FileChange, FileSummary
from digest.progress import task
from digest.record import DayContext, digest_record, remove_stale_records, write_record
from digest.docsrepo.redirects import Redirects
from digest.source.repo import ChainCommit, SourceRepo, day_ranges, first_parent_chain, open_source, paths_by_commit
from digest.source.state import State, load_state, save_state
from digest.summarize import PageInput, SummarizedFile, Summarizer

log = logging.getLogger(__name__)
DEFAULT_DAYS = 7
# the include reverse index, kept with the records so a daily run only reads its own diff
INCLUDES_FILE = "includes.json"


@dataclass
class UpdateResult:
    days: list[dt.date] = field(default_factory=list)
    records_written: int = 0
    records_unchanged: int = 0
    records_removed: int = 0
    files: int = 0
    catch_all_files: int = 0
    # files by the summarizer that wrote them ("offline", "model:<name>")
    summarizers: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return bool(self.records_written or self.records_removed)


def today_in(tz: dt.tzinfo) -> dt.date:
    return dt.datetime.now(tz).date()


def select_ranges(
    tracked: Tracked, state: State, chain: list[ChainCommit], since: dt.date | None, until: dt.date | None
) -> list[DayRange]:
    today = today_in(tracked.tz)
    if not chain:
        raise DigestError(f"the branch {tracked.branch!r} has no commits")
    if since is None and until is None and state.last_head and state.repo == tracked.repo:
        redo = rewritten_days(state, chain, tracked, today)
        on_branch = any(commit.sha == state.last_head for commit in chain)
        if not on_branch and not redo:
            raise DigestError(
                f"the last processed commit {state.last_head[:12]} is no longer on the branch; "
                "rerun with --since to choose the days"
            )
        new = day_ranges(chain, tracked.tz, today, after_sha=state.last_head) if on_branch else []
        if not redo:
            return new
        # a rewritten history: every day from the first one that changed is digested again
        again = day_ranges(chain, tracked.tz, today, since=min(redo))
        return sorted({day.day: day for day in [*again, *new]}.values(), key=lambda day: day.day)
    if since is None:
        since = (until or today) - dt.timedelta(days=DEFAULT_DAYS - 1)
        log.info("no range given and nothing processed yet: taking the %d days from %s", DEFAULT_DAYS, since)
    return day_ranges(chain, tracked.tz, today, since=since, until=until)


def rewritten_days(state: State, chain: list[ChainCommit], tracked: Tracked, today: dt.date) -> list[dt.date]:
    """The digested days whose history changed since (another head, or no commit left): each one is reported.

    A day with another head is digested again (the caller adds it); a day with no commit left on the branch
    keeps its records, which describe what was published then, and is forgotten by the state after the warning.
    """
    current = {day.day.isoformat(): day.head for day in day_ranges(chain, tracked.tz, today)}
    redo = []
    for day, head in sorted(state.days.items()):
        now = current.get(day)
        if now == head:
            continue
        if now is None:
            log.warning(
                "the history under %s changed: none of its commits is on %s any more; its digest is kept as it was written",
                day, tracked.branch,
            )
            del state.days[day]
            continue
        log.warning("the history under %s changed (its last commit was %s, now %s): digesting the day again", day, head[:12], now[:12])
        redo.append(dt.date.fromisoformat(day))
    return redo


def build_day_records(
    context: DayContext,
    classified: list[ClassifiedChange],
    summaries: list[FileSummary],
    areas: AreaConfig,
    summarizer: Summarizer,
) -> list[DigestRecord]:
    """One record per area of the day; a day whose commits changed no file gets one record in the catch-all area."""
    by_area: dict[str, list[SummarizedFile]] = {}
    for change, summary in zip(classified, summaries, strict=True):
        by_area.setdefault(change.area, []).append(SummarizedFile(change, summary))
    if not by_area:
        by_area[areas.catch_all.id] = []
    areas_sorted = sorted(by_area.items())
    # all pages of the day at once: a model summarizer asks for them concurrently
    page_summaries = summarizer.summarize_pages(
        [PageInput(context.day.day, area, areas.name(area), items, _redirects(items, context.repo_links)) for area, items in areas_sorted]
    )
    return [
        digest_record(area, areas.name(area), items, summary, context)
        for (area, items), summary in zip(areas_sorted, page_summaries, strict=True)
    ]


def _redirects(items: list[SummarizedFile], repo_links: RepoLinks | None) -> dict[str, str]:
    """Where the readers of the page's removed or moved articles are sent (the Insight ties them to new ones)."""
    if repo_links is None:
        return {}
    found = {}
    for item in items:
        change = item.change.change
        if change.status in ("removed", "renamed") and (target := repo_links.redirect_to(change)):
            found[change.path] = target
    return found


def process_day(
    tracked: Tracked,
    source: SourceRepo,
    day: DayRange,
    areas: AreaConfig,
    summarizer: Summarizer,
    repo_links: RepoLinks | None = None,
) -> list[DigestRecord]:
    changes = diff_range(source, day.base, day.head)
    touched = paths_by_commit(source, day)
    return digest_changes(tracked, day, changes, touched, areas, summarizer, repo_links)


def summarize_files(summarizer: Summarizer, classified: list[ClassifiedChange]) -> list[FileSummary]:
    """The summarize stage of the files: one summary per classified change, in order."""
    summaries = summarizer.summarize_files(classified)
    if len(summaries) != len(classified):
        raise DigestError(f"the summarizer returned {len(summaries)} summaries for {len(classified)} files")
    return summaries


def digest_changes(
    tracked: Tracked,
    day: DayRange,
    changes: list[FileChange],
    touched: dict[str, list[str]],
    areas: AreaConfig,
    summarizer: Summarizer,
    repo_links: RepoLinks | None = None,
) -> list[DigestRecord]:
    """The local stages of a day: classify (with bulk edits), summarize, and the records."""
    classified = classify_day(changes, areas)
    summaries = summarize_files(summarizer, classified)
    context = DayContext(day, tracked.links_repo, tracked.branch, tracked.timezone, touched, repo_links)
    return build_day_records(context, classified, summaries, areas, summarizer)


def update(
    settings: Settings,
    summarizer: Summarizer,
    since: dt.date | None = None,
    until: dt.date | None = None,
    write: bool = True,
) -> UpdateResult:
    """Write the records of every day in the range that has commits; the state advances day by day.

    With write=False every day is summarized but nothing is written (the batch
    mode's collecting passes).
    """
    if since and until and until < since:
        raise DigestError(f"--until {until} is before --since {since}")
    areas = load_area_config(settings.areas_file)
    state = load_state(settings.state_file)
    source = open_source(settings.repo, settings.branch, settings.work_dir)
    chain = first_parent_chain(source)
    ranges = select_ranges(settings.tracked, state, chain, since, until)
    result = UpdateResult()
    if not ranges:
        log.info("nothing new on %s since %s", settings.branch, (state.last_head or "")[:12])
        return result
    log.info("%d day(s) to digest: %s to %s", len(ranges), ranges[0].day, ranges[-1].day)
    chain_index = {commit.sha: i for i, commit in enumerate(chain)}
    catch_all = Counter[str]()
    includes_file = settings.data_dir / INCLUDES_FILE
    includes = load_index(includes_file)
    redirects = Redirects(source)
    with task("digesting days", len(ranges)) as progress, _saved(includes_file, lambda: includes):
        for day in ranges:
            includes = advance_includes(includes, source, settings.repo, day.head)
            records = process_day(settings.tracked, source, day, areas, summarizer, RepoLinks(day.head, includes, redirects))
            if not write:
                progress.advance(note=day.day.isoformat())
                continue
            catch_all[day.day.isoformat()] += _write_day(settings.digests_dir, day, records, result, areas.catch_all.id)
            _advance_state(state, settings.tracked, day, chain_index)
            save_state(settings.state_file, state)
            progress.advance(note=day.day.isoformat())
    result.catch_all_files = sum(catch_all.values())
    if not write:
        return result
    log.info(
        "%d file change(s) in %d day(s); %d record(s) written, %d unchanged; %d file(s) in the catch-all area %r",
        result.files, len(result.days), result.records_written, result.records_unchanged,
        result.catch_all_files, areas.catch_all.id,
    )
    if result.files:
        log.info("file summaries by %s", ", ".join(f"{name} {count}" for name, count in result.summarizers.most_common()))
    return result


def _write_day(digests_dir: Path, day: DayRange, records: list[DigestRecord], result: UpdateResult, catch_all_id: str) -> int:
    """Write the day's records and remove those of areas it no longer has; returns its files in the catch-all area."""
    catch_all_files = 0
    for record in records:
        if write_record(digests_dir, record):
            result.records_written += 1
        else:
            result.records_unchanged += 1
        result.files += len(record.files)
        result.summarizers.update(file.summarizer for file in record.files)
        if record.area == catch_all_id:
            catch_all_files += len(record.files)
    removed = remove_stale_records(digests_dir, day.day, {record.area for record in records})
    for path in removed:
        log.warning("%s: the area %r has no change any more (the history under the day changed): its digest is removed", day.day, path.stem)
    result.records_removed += len(removed)
    result.days.append(day.day)
    return catch_all_files


@contextlib.contextmanager
def _saved(path: Path, index: Callable[[], IncludeIndex | None]) -> Iterator[None]:
    """Save the include index once, when the days are done (or stopped): it names the commit it describes."""
    try:
        yield
    finally:
        current = index()
        if current is not None:
            save_index(path, current)


def _advance_state(state: State, tracked: Tracked, day: DayRange, chain_index: dict[str, int]) -> None:
    if state.repo != tracked.repo or state.branch != tracked.branch:
        state.repo, state.branch, state.last_head, state.days = tracked.repo, tracked.branch, None, {}
    state.days[day.day.isoformat()] = day.head
    current = chain_index.get(state.last_head or "", -1)
    if chain_index.get(day.head, -1) > current:
        state.last_head = day.head
