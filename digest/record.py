"""The durable record: one JSON file per day and area under data/digests/."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from .errors import DigestError
from .fsutil import write_text_atomic
from .models import DigestRecord

log = logging.getLogger(__name__)


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


def load_record(path: Path, raw: bytes | None = None) -> DigestRecord:
    """The record in `path` (whose bytes may already be at hand)."""
    try:
        return DigestRecord.model_validate_json(path.read_bytes() if raw is None else raw)
    except (ValidationError, ValueError) as error:
        raise DigestError(f"invalid digest record {path}: {str(error).splitlines()[0]}") from error


def iter_records(digests_dir: Path) -> Iterator[DigestRecord]:
    for path in record_files(digests_dir):
        yield load_record(path)
