"""Settings of a run: defaults, then `digest.yml` in the project root, then the command line."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import DigestError

DEFAULT_REPO = "https://github.com/MicrosoftDocs/azure-ai-docs"
CONFIG_FILE = "digest.yml"
GITHUB_URL = re.compile(r"^(?:https://github\.com/|git@github\.com:)([\w.-]+/[\w.-]+?)(?:\.git)?/?$")


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    root: Path = Path(".")
    repo: str = DEFAULT_REPO
    branch: str = "main"
    timezone: str = "Asia/Tokyo"
    # where links point (GitHub compare, blob, pull requests); derived from
    # `repo` when it is a GitHub URL, else the public docs repository
    github_url: str | None = None
    site_url: str = "http://127.0.0.1:8000/"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def links_repo(self) -> str:
        if self.github_url:
            return self.github_url.rstrip("/")
        match = GITHUB_URL.match(self.repo)
        return f"https://github.com/{match.group(1)}" if match else DEFAULT_REPO

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def digests_dir(self) -> Path:
        return self.data_dir / "digests"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.json"

    @property
    def docs_dir(self) -> Path:
        return self.root / "site"

    @property
    def public_dir(self) -> Path:
        return self.root / "public"

    @property
    def work_dir(self) -> Path:
        return self.root / ".digest"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def areas_file(self) -> Path:
        return self.root / "config" / "areas.yml"


def load_settings(root: Path, overrides: dict[str, Any]) -> Settings:
    """Settings from the project's digest.yml (if any) with command-line values on top."""
    values: dict[str, Any] = {}
    config_path = root / CONFIG_FILE
    if config_path.exists():
        try:
            loaded = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise DigestError(f"cannot read {config_path}: {error}") from error
        if not isinstance(loaded, dict):
            raise DigestError(f"{config_path} must hold a mapping of settings")
        values.update(loaded)
    values.update({key: value for key, value in overrides.items() if value is not None})
    values["root"] = root
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise DigestError(f"invalid setting {where}: {first['msg']}") from error
