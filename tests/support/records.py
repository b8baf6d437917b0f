"""Synthetic records for the tests and the benchmarks (bench/ imports this module too); the corpus's JSON Lines
are read by the one reader, digest.evaluate.corpus.read_jsonl (re-exported here for the tests)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from digest.docsrepo.links import compare_url, file_links
from digest.evaluate.corpus import read_jsonl  # noqa: F401 - the one corpus reader
from digest.models import (
    AreaName,
    Bilingual,
    Commit,
    DigestRecord,
    DigestSummary,
    Facts,
    FileRecord,
    ModificationType,
    Noise,
    PageText,
    Status,
)

REPO = "https://github.com/MicrosoftDocs/azure-ai-docs"
BASE, HEAD = "a" * 40, "b" * 40
OPENAI = AreaName(ja="Azure OpenAI", en="Azure OpenAI")


def file_record(
    path: str,
    title: str | Bilingual = "Title",
    kind: ModificationType = "minor update",
    *,
    status: Status = "modified",
    old_path: str | None = None,
    additions: int = 1,
    deletions: int = 1,
    patch: str | None = "@@ -1 +1 @@\n-a\n+b",
    noise: Noise = "none",
    explanation: str | Bilingual = "-",
    prs: list[int] | None = None,
    base: str = BASE,
    head: str = HEAD,
) -> FileRecord:
    """One file of a digest; `patch=None` is a binary file."""
    return FileRecord(
        path=path, old_path=old_path, status=status, additions=additions, deletions=deletions, binary=patch is None,
        noise=noise, modification_type=kind, title=_bilingual(title), explanation=_bilingual(explanation),
        links=file_links(REPO, path, status, base, head, prs or []), summarizer="offline", facts=Facts(),
        patch=patch or "",
    )


def digest_record(
    files: list[FileRecord],
    day: dt.date = dt.date(2025, 3, 3),
    *,
    area: str = "openai",
    area_name: AreaName = OPENAI,
    highlight: str = "A day",
    insight: str = "-",
    commits: list[Commit] | None = None,
    base: str = BASE,
    head: str = HEAD,
    pages: dict[str, PageText] | None = None,
) -> DigestRecord:
    """One day and area's record of `files`, with the same page text in both languages unless `pages` is given."""
    text = PageText(highlight=highlight, new_features=[], breaking_changes=[], other_updates=[], insight=insight)
    pages = pages or {"ja": text, "en": text}
    at = dt.datetime.combine(day, dt.time(1, 0), tzinfo=dt.UTC)
    return DigestRecord(
        date=day, timezone="Asia/Tokyo", area=area, area_name=area_name, repo=REPO, branch="main", base=base, head=head,
        compare_url=compare_url(REPO, base, head), commits=commits or [Commit(sha=head, subject="x", committed_at=at)],
        summary=DigestSummary(ja=pages["ja"], en=pages["en"]), files=files,
    )


def _bilingual(text: str | Bilingual) -> Bilingual:
    return text if isinstance(text, Bilingual) else Bilingual(ja=text, en=text)
