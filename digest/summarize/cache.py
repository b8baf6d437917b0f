"""The model's answers in SQLite, keyed by a hash of model, prompt version, schema and input.

Each answer is committed as it arrives, so a killed run loses none and a rerun
asks for nothing it already has. Only validated answers are stored: never a
key, an endpoint or a request header.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from ..errors import DigestError

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
    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(path, isolation_level=None)  # autocommit: every put is durable at once
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as error:
            raise DigestError(f"cannot open the model cache {path}: {error}") from error

    def get(self, key: str) -> str | None:
        row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def put(self, key: str, kind: str, model: str, answer: str, input_tokens: int, output_tokens: int) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
            (key, kind, model, answer, input_tokens, output_tokens, time.time()),
        )

    def drop(self, key: str) -> None:
        """Forget an answer that no longer validates (e.g. written by an older version)."""
        self._db.execute("DELETE FROM answers WHERE key = ?", (key,))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    # a submitted Batch API job, so a run killed while polling resumes it instead of paying twice
    def pending_batch(self, requests: str) -> str | None:
        row = self._db.execute("SELECT batch_id FROM batches WHERE requests = ?", (requests,)).fetchone()
        return row[0] if row else None

    def remember_batch(self, requests: str, batch_id: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO batches VALUES (?, ?, ?)", (requests, batch_id, time.time()))

    def forget_batch(self, requests: str) -> None:
        self._db.execute("DELETE FROM batches WHERE requests = ?", (requests,))

    def close(self) -> None:
        self._db.close()
