"""Real git repositories built in temporary directories, for tests."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import git


class RepoBuilder:
    """A git repository on disk with a small API to write files and commit at chosen times."""

    def __init__(self, path: Path, branch: str = "main") -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.repo = git.Repo.init(path, initial_branch=branch)
        with self.repo.config_writer() as config:
            config.set_value("user", "name", "Test Bot")
            config.set_value("user", "email", "bot@example.invalid")
            config.set_value("core", "autocrlf", "false")
            config.set_value("uploadpack", "allowFilter", "true")

    def write(self, relative: str, content: str | bytes) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)

    def remove(self, relative: str) -> None:
        self.repo.git.rm("-q", "--", relative)

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.repo.git.mv(old, new)

    def commit(self, message: str, when: dt.datetime, allow_empty: bool = False) -> str:
        stamp = when.isoformat()
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        self.repo.git.add("-A")
        args = ["-q", "--no-verify", "-m", message] + (["--allow-empty"] if allow_empty else [])
        self.repo.git.execute(["git", "commit", *args], env=env)
        return self.repo.head.commit.hexsha

    def merge(self, branch: str, message: str, when: dt.datetime) -> str:
        stamp = when.isoformat()
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        self.repo.git.execute(["git", "merge", "--no-ff", "-q", "-m", message, branch], env=env)
        return self.repo.head.commit.hexsha


def utc(year: int, month: int, day: int, hour: int = 3, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.timezone.utc)
