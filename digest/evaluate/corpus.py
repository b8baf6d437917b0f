"""The labelled corpus `digest eval` reads: its records, the predictions made for them, and its fixed halves.

The records are JSON Lines in the corpus format (id, path, status, additions,
deletions, patch, label, key_terms); other fields are ignored.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from digest.errors import DigestError
from digest.models import ClassifiedChange, FileSummary, Status


class EvalRecord(BaseModel):
    """One labelled file change of the corpus (other corpus fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    path: str
    status: Status
    additions: int = 0
    deletions: int = 0
    patch: str | None = None
    label: str | None = None
    key_terms: list[str] = Field(default_factory=list)
    # the strings an editor's title for the change must name (gold-dev*.jsonl), each with its sign
    headline_terms: list[str] = Field(default_factory=list)
    headline: str | None = None
    # the corpus report the record belongs to: its files form one day
    post: str | None = None


@dataclass(frozen=True)
class Prediction:
    record: EvalRecord
    change: ClassifiedChange
    summary: FileSummary

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.record.id,
            "modification_type": self.summary.modification_type,
            "title": self.summary.title.model_dump(),
            "explanation": self.summary.explanation.model_dump(),
            "details": self.summary.details.model_dump() if self.summary.details else None,
        }


def iter_records(path: Path) -> Iterator[EvalRecord]:
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError as error:
        raise DigestError(f"gold file not found: {path}") from error
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield EvalRecord.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as error:
                first = str(error).splitlines()[0]
                raise DigestError(f"{path}:{number}: not a corpus record: {first}") from error


def load_records(path: Path) -> list[EvalRecord]:
    records = list(iter_records(path))
    if not records:
        raise DigestError(f"no records in {path}")
    return records


def load_labels(path: Path) -> dict[str, str]:
    """id -> label of a JSON Lines file (only those two fields are read)."""
    labels: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    labels[str(data["id"])] = str(data["label"])
                except (json.JSONDecodeError, KeyError, TypeError) as error:
                    raise DigestError(f"{path}:{number}: no id and label: {error}") from error
    except FileNotFoundError as error:
        raise DigestError(f"labels file not found: {path}") from error
    return labels


PARTS = ("tune", "held-out")


def part_of(record_id: str) -> str:
    """The fixed half a record belongs to: "tune" (rules may be tuned on it) or "held-out" (reported only).
    Decided by the SHA-256 of the record id, so it never depends on the file's order or on the labels."""
    return PARTS[int(hashlib.sha256(record_id.encode("utf-8")).hexdigest(), 16) % 2]


def select_part(records: list[EvalRecord], part: str | None) -> list[EvalRecord]:
    if part is None:
        return records
    chosen = [record for record in records if part_of(record.id) == part]
    if not chosen:
        raise DigestError(f"no records in the {part} part")
    return chosen
