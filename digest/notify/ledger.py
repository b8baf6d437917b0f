"""What was sent to whom: data/notify.json, written atomically before and after every post.

The ledger is what makes a message go out once per digest and target. Before a post its entry is written
as `pending`; after the answer, `sent` or `failed`. A run killed between the two leaves `pending`: the next
run cannot know whether the service got the request (webhooks take no idempotency key), and it counts such
an entry as sent (`unconfirmed`, named in the log) rather than risk a duplicate: the request goes out right
after the entry is written, so a kill in that window most likely lands after the service got it.
A `failed` entry is planned again on the next run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from digest.fsutil import load_json_model, write_text_atomic

LEDGER_FILE = "notify.json"
Status = Literal["pending", "sent", "failed", "unconfirmed"]
# entries whose files count as announced (never sent again)
ANNOUNCED: tuple[Status, ...] = ("pending", "sent", "unconfirmed")


class MessageEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # "<date>#<n>": the n-th message of that day for the target (2+: the day's digest grew later)
    key: str
    date: dt.date
    status: Status
    # digest slug -> the paths of its files the message lists or counts
    files: dict[str, list[str]]
    # digest slug -> the digest's head commit when the message was built
    heads: dict[str, str] = Field(default_factory=dict)
    attempts: int = 0
    updated_at: dt.datetime
    # what went wrong (never the URL)
    error: str | None = None


class TargetLedger(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # days before this are never sent to the target: a new target (or a changed filter) starts at the
    # newest day in data/ instead of flooding the channel with the whole history
    start: dt.date
    # a hash of the filter `start` was set for
    filter: str
    messages: dict[str, MessageEntry] = Field(default_factory=dict)

    def announced(self) -> set[tuple[str, str]]:
        """(digest slug, path) of every file a message already carried."""
        return {
            (slug, path)
            for entry in self.messages.values() if entry.status in ANNOUNCED
            for slug, paths in entry.files.items() for path in paths
        }

    def next_key(self, day: dt.date) -> str:
        done = sum(1 for entry in self.messages.values() if entry.date == day and entry.status in ANNOUNCED)
        return f"{day.isoformat()}#{done + 1}"


class Ledger(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = 1
    targets: dict[str, TargetLedger] = Field(default_factory=dict)


def load_ledger(path: Path) -> Ledger:
    return load_json_model(path, Ledger, "notification ledger")


def save_ledger(path: Path, ledger: Ledger) -> bool:
    return write_text_atomic(path, ledger.model_dump_json(indent=2) + "\n")
