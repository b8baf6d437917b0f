"""What has been done: the last processed commit and the head of every processed day."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import DigestError
from .fsutil import write_text_atomic


class State(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: int = 1
    repo: str | None = None
    branch: str | None = None
    # the newest first-parent commit whose day has been written
    last_head: str | None = None
    # day (YYYY-MM-DD) -> head commit of that day when it was written
    days: dict[str, str] = {}


def load_state(path: Path) -> State:
    if not path.exists():
        return State()
    try:
        return State.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValidationError, ValueError) as error:
        raise DigestError(f"invalid state file {path}: {str(error).splitlines()[0]}") from error


def save_state(path: Path, state: State) -> bool:
    state.days = dict(sorted(state.days.items()))
    return write_text_atomic(path, state.model_dump_json(indent=2) + "\n")
