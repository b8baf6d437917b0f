"""The interface every summarizer shares, and the inputs of a page summary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from digest.models import AreaName, ClassifiedChange, DigestSummary, FileSummary


@dataclass(frozen=True)
class SummarizedFile:
    change: ClassifiedChange
    summary: FileSummary


@dataclass(frozen=True)
class PageInput:
    """What a page summary is written from: the files' summaries and facts, never raw diffs."""

    date: dt.date
    area: str
    area_name: AreaName
    files: list[SummarizedFile]
    # removed or moved article path -> the address its readers are redirected to (when the repository says)
    redirects: dict[str, str] = field(default_factory=dict)


class Summarizer(Protocol):
    name: str

    def summarize_files(self, changes: list[ClassifiedChange]) -> list[FileSummary]:
        """One summary per change, in the same order."""
        ...

    def summarize_page(self, page: PageInput) -> DigestSummary:
        ...

    def summarize_pages(self, pages: list[PageInput]) -> list[DigestSummary]:
        """One summary per page, in the same order (a model summarizer asks for them concurrently)."""
        ...

    def close(self) -> None:
        """The run is over: report its totals, release connections."""
        ...
