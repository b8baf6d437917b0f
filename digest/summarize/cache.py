"""The model's answers in SQLite, keyed by a hash of model, prompt version, schema and input.

Each answer is committed as it arrives, so a killed run loses none and a rerun
asks for nothing it already has. Only validated answers are stored: never a
key, an endpoint or a request header.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from digest.errors import DigestError

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    model TEXT NOT NULL,
    answer TEXT NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    requests TEXT PRIMARY KEY,
    batch_id TEXT NOT NULL,
    created REAL NOT NULL
);
"""


class AnswerCache:
    """The cache; a damaged file is set aside (renamed, kept for a look) with one warning and a new one is built.

    A cache is only ever a saving: no state of its file may stop a run.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.set_aside: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DigestError(f"cannot open the model cache {path}: {error}") from error
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as error:
            self._db = self._rebuild(error)
        except (sqlite3.Error, OSError) as error:
            raise DigestError(f"cannot open the model cache {path}: {error}") from error

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)  # autocommit: every put is durable at once
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(SCHEMA)
            problem = db.execute("PRAGMA quick_check").fetchone()
            if problem is None or problem[0] != "ok":
                raise sqlite3.DatabaseError(f"quick_check: {problem[0] if problem else 'no answer'}")
        except BaseException:
            db.close()
            raise
        return db

    def _rebuild(self, error: sqlite3.Error) -> sqlite3.Connection:
        """Move the damaged file (and its WAL) aside and start an empty cache; in memory if even that fails."""
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("", "-wal", "-shm"):
            part = self.path.with_name(self.path.name + suffix)
            if part.exists():
                part.replace(aside.with_name(aside.name + suffix))
        self.set_aside = aside
        log.warning("the model cache %s is damaged (%s): set aside as %s, starting a new one", self.path, error, aside.name)
        try:
            return self._open()
        except sqlite3.Error as again:
            log.warning("cannot build a new model cache at %s (%s): answers are kept in memory for this run", self.path, again)
            db = sqlite3.connect(":memory:", isolation_level=None)
            db.executescript(SCHEMA)
            return db

    def _safely(self, action: Callable[[], T]) -> T:
        """Run one statement; a cache found damaged mid-run is rebuilt once and the statement run again."""
        try:
            return action()
        except sqlite3.DatabaseError as error:
            if self.set_aside is not None:
                raise DigestError(f"the model cache {self.path} failed again after a rebuild: {error}") from error
            self._db.close()
            self._db = self._rebuild(error)
            return action()

    def get(self, key: str) -> str | None:
        row = self._safely(lambda: self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone())
        return row[0] if row else None

    def put(self, key: str, kind: str, model: str, answer: str, input_tokens: int, output_tokens: int) -> None:
        self._safely(lambda: self._db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, kind, model, answer, input_tokens, output_tokens, time.time()),
        ))

    def drop(self, key: str) -> None:
        """Forget an answer that no longer validates (e.g. written by an older version)."""
        self._safely(lambda: self._db.execute("DELETE FROM answers WHERE key = ?", (key,)))

    def __len__(self) -> int:
        return int(self._safely(lambda: self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0]))

    # a submitted Batch API job, so a run killed while polling resumes it instead of paying twice
    def pending_batch(self, requests: str) -> str | None:
        row = self._safely(lambda: self._db.execute("SELECT batch_id FROM batches WHERE requests = ?", (requests,)).fetchone())
        return row[0] if row else None

    def remember_batch(self, requests: str, batch_id: str) -> None:
        self._safely(lambda: self._db.execute("INSERT OR REPLACE INTO batches VALUES (?, ?, ?)", (requests, batch_id, time.time())))

    def forget_batch(self, requests: str) -> None:
        self._safely(lambda: self._db.execute("DELETE FROM batches WHERE requests = ?", (requests,)))

    def close(self) -> None:
        self._db.close()
