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
from typing import Any

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


def iter_jsonl(path: Path, limit: int | None = None, *, kind: str = "corpus", bad: str = "not JSON") -> Iterator[tuple[int, Any]]:
    """The one reader of the corpus's JSON Lines (`digest eval`, tests/support, bench/): each non-blank line's
    number and value, the first `limit` of them when given. A missing file is a DigestError "<kind> file not
    found", a line that is not JSON one "<path>:<number>: <bad>: <the error's first line>"."""
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError as error:
        raise DigestError(f"{kind} file not found: {path}") from error
    count = 0
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                raise line_error(path, number, bad, error) from error
            yield number, value
            count += 1
            if limit and count >= limit:
                return


def read_jsonl(path: Path, limit: int | None = None) -> list[Any]:
    """The values of a JSON Lines file (blank lines skipped), the first `limit` of them when given."""
    return [value for _, value in iter_jsonl(path, limit)]


def line_error(path: Path, number: int, what: str, error: Exception) -> DigestError:
    return DigestError(f"{path}:{number}: {what}: {str(error).splitlines()[0]}")


def iter_records(path: Path) -> Iterator[EvalRecord]:
    for number, data in iter_jsonl(path, kind="gold", bad="not a corpus record"):
        try:
            yield EvalRecord.model_validate(data)
        except ValidationError as error:
            raise line_error(path, number, "not a corpus record", error) from error


def load_records(path: Path) -> list[EvalRecord]:
    records = list(iter_records(path))
    if not records:
        raise DigestError(f"no records in {path}")
    return records


def load_labels(path: Path) -> dict[str, str]:
    """id -> label of a JSON Lines file (only those two fields are read)."""
    labels: dict[str, str] = {}
    for number, data in iter_jsonl(path, kind="labels", bad="no id and label"):
        try:
            labels[str(data["id"])] = str(data["label"])
        except (KeyError, TypeError) as error:
            raise line_error(path, number, "no id and label", error) from error
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
