"""What has been done: the last processed commit and the head of every processed day."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from digest.fsutil import load_json_model, write_text_atomic


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
    return load_json_model(path, State, "state file")


def save_state(path: Path, state: State) -> bool:
    state.days = dict(sorted(state.days.items()))
    return write_text_atomic(path, state.model_dump_json(indent=2) + "\n")
