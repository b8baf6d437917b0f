"""Settings of a run: defaults, then `digest.yml` in the project root, then the environment, then the command line.

Every environment variable the project reads is read here (the end of this file): once, when the
settings are made, into `Settings.environment` (model provider, site builder, page cache, history
pages) and `Settings.model` (DIGEST_MODEL); webhook URLs and the GitHub Actions flag where they are
used (`webhook_url`, `on_github_actions`). Secrets (API keys, webhook URLs) never enter digest.yml,
a log line or a repr: `Settings` holds the keys only in `environment.model`, whose repr leaves them out.
A new setting: a field of `Settings` (digest.yml and, when it has one, the command line set it); a new
environment variable: its name and a field of `Environment`, read in `read_environment`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from digest.errors import DigestError
from digest.notify.settings import NotifySettings

DEFAULT_REPO = "https://github.com/MicrosoftDocs/azure-ai-docs"
CONFIG_FILE = "digest.yml"
DEFAULT_MODEL = "gpt-4o-mini"
MODEL_CACHE = "model-cache.sqlite"


class Price(BaseModel):
    """US dollars per million tokens."""

    model_config = ConfigDict(extra="forbid")

    input: float = Field(ge=0)
    output: float = Field(ge=0)


# list prices of the OpenAI API (standard tier); a `prices:` mapping in
# digest.yml adds or overrides entries. Matched by the longest prefix of the
# model name, so "gpt-4o-mini-2024-07-18" finds "gpt-4o-mini".
DEFAULT_PRICES: dict[str, Price] = {
    "gpt-4o-mini": Price(input=0.15, output=0.60),
    "gpt-4o": Price(input=2.50, output=10.00),
    "gpt-4.1-nano": Price(input=0.10, output=0.40),
    "gpt-4.1-mini": Price(input=0.40, output=1.60),
    "gpt-4.1": Price(input=2.00, output=8.00),
    "gpt-5-nano": Price(input=0.05, output=0.40),
    "gpt-5-mini": Price(input=0.25, output=2.00),
    "gpt-5": Price(input=1.25, output=10.00),
}
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

    # --- model summaries (README: "Model summaries"). API keys are read from
    # the environment only, never from this file.
    # offline: rules only; openai: a model, error without a key; auto: a model
    # when OPENAI_API_KEY or AZURE_OPENAI_API_KEY is set
    summarizer: Literal["offline", "openai", "auto"] = "auto"
    model: str = Field(DEFAULT_MODEL, min_length=1)
    # an OpenAI-compatible server (Ollama, vLLM, llama.cpp); OPENAI_BASE_URL wins
    base_url: str | None = None
    # Azure OpenAI; AZURE_OPENAI_ENDPOINT and OPENAI_API_VERSION win
    azure_endpoint: str | None = None
    api_version: str | None = None
    # the Azure deployment to call (default: `model`); AZURE_OPENAI_DEPLOYMENT wins
    azure_deployment: str | None = None
    concurrency: int = Field(8, ge=1, le=256)
    batch: bool = False
    batch_poll_seconds: float = Field(30.0, gt=0)
    # SQLite cache of answers; relative to the project root
    model_cache: Path = Path(".digest") / MODEL_CACHE
    # tokens (input + output) one run may spend; then files get offline summaries
    token_budget: int | None = Field(None, ge=0)
    request_timeout: float = Field(60.0, gt=0)
    max_retries: int = Field(2, ge=0, le=10)
    # how much of a file's diff goes into its prompt (estimated tokens)
    diff_tokens: int = Field(2000, ge=100)
    prices: dict[str, Price] = Field(default_factory=lambda: dict(DEFAULT_PRICES))
    # chat notifications (README: Notifications); webhook URLs only through environment variables
    notify: NotifySettings = Field(default_factory=NotifySettings)
    # the environment variables of the run, read when the settings are made (never from digest.yml)
    _environment: Environment = PrivateAttr(default_factory=lambda: read_environment())

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("prices", mode="after")
    @classmethod
    def _merge_prices(cls, value: dict[str, Price]) -> dict[str, Price]:
        return {**DEFAULT_PRICES, **value}

    @property
    def environment(self) -> Environment:
        return self._environment

    @property
    def tracked(self) -> Tracked:
        return Tracked(self.repo, self.branch, self.timezone, self.links_repo)

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
    def model_cache_file(self) -> Path:
        return self.model_cache if self.model_cache.is_absolute() else self.root / self.model_cache

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def areas_file(self) -> Path:
        return self.root / "config" / "areas.yml"


@dataclass(frozen=True)
class Tracked:
    """The part of the settings the update stage's days and records use: the tracked repository and branch,
    where links point, the time zone of a day."""

    repo: str
    branch: str
    timezone: str
    links_repo: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_settings(root: Path, overrides: dict[str, Any], environ: Mapping[str, str] = os.environ) -> Settings:
    """Settings from the project's digest.yml (if any), DIGEST_MODEL over its model, command-line values on top;
    the other environment variables are read into `Settings.environment`."""
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
    if model := model_from_environment(environ):
        values["model"] = model
    values.update({key: value for key, value in overrides.items() if value is not None})
    values["root"] = root
    try:
        settings = Settings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise DigestError(f"invalid setting {where}: {first['msg']}") from error
    settings._environment = read_environment(environ)
    return settings


# --- the environment ------------------------------------------------------------------

MODEL_ENV = "DIGEST_MODEL"
SITE_BUILDER_ENV = "DIGEST_SITE_BUILDER"
HISTORY_PAGES_ENV = "DIGEST_HISTORY_PAGES"
PAGE_CACHE_ENV = "DIGEST_PAGE_CACHE"
# set by digest/site/periods.py for each MkDocs build of one year (hooks/periods.py reads it)
PERIOD_PLAN_ENV = "DIGEST_PERIOD_PLAN"


def model_from_environment(environ: Mapping[str, str] = os.environ) -> str | None:
    """`DIGEST_MODEL`: the model name when no --model is given (it wins over digest.yml)."""
    return environ.get(MODEL_ENV) or None


@dataclass(frozen=True)
class ModelEnvironment:
    """The model provider's variables; each set one wins over its digest.yml setting."""

    openai_key: str | None = field(default=None, repr=False)
    azure_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    azure_endpoint: str | None = None
    api_version: str | None = None
    azure_deployment: str | None = None


@dataclass(frozen=True)
class Environment:
    """The run's environment variables that are settings (read once, by read_environment)."""

    model: ModelEnvironment = field(default_factory=ModelEnvironment)
    # DIGEST_SITE_BUILDER: mkdocs (the default) or zensical
    site_builder: str = "mkdocs"
    # DIGEST_HISTORY_PAGES=off leaves the article history pages out (bench/bench_site.py --history-cost)
    history_pages: bool = True
    # DIGEST_PAGE_CACHE=off builds every page and search bundle anew (hooks/pagecache.py, digest/site/search.py)
    page_cache: bool = True
    # the values of every secret-named variable (keys, tokens, webhook addresses): scrubbed from what is stored
    secrets: tuple[str, ...] = field(default=(), repr=False)


# environment variables whose values are secrets the run holds (keys, tokens, passwords, webhook addresses)
SECRET_NAME = re.compile(r"KEY|TOKEN|SECRET|PASSWORD|PASSWD|WEBHOOK|CREDENTIAL", re.IGNORECASE)


def read_environment(environ: Mapping[str, str] = os.environ) -> Environment:
    return Environment(
        model=model_environment(environ), site_builder=site_builder(environ), history_pages=history_pages(environ),
        page_cache=page_cache(environ), secrets=tuple(value for name, value in environ.items() if SECRET_NAME.search(name) and value),
    )


def model_environment(environ: Mapping[str, str] = os.environ) -> ModelEnvironment:
    return ModelEnvironment(
        openai_key=environ.get("OPENAI_API_KEY") or None,
        azure_key=environ.get("AZURE_OPENAI_API_KEY") or None,
        base_url=environ.get("OPENAI_BASE_URL") or None,
        azure_endpoint=environ.get("AZURE_OPENAI_ENDPOINT") or None,
        api_version=environ.get("OPENAI_API_VERSION") or None,
        azure_deployment=environ.get("AZURE_OPENAI_DEPLOYMENT") or None,
    )


def site_builder(environ: Mapping[str, str] = os.environ) -> str:
    """`DIGEST_SITE_BUILDER`: mkdocs (the default) or zensical."""
    return environ.get(SITE_BUILDER_ENV, "mkdocs")


def history_pages(environ: Mapping[str, str] = os.environ) -> bool:
    """`DIGEST_HISTORY_PAGES=off` leaves the article history pages out (bench/bench_site.py --history-cost)."""
    return environ.get(HISTORY_PAGES_ENV) != "off"


def page_cache(environ: Mapping[str, str] = os.environ) -> bool:
    """`DIGEST_PAGE_CACHE=off` builds every page and search bundle anew (hooks/pagecache.py, digest/site/search.py)."""
    return environ.get(PAGE_CACHE_ENV, "").lower() not in ("off", "0", "no")


def on_github_actions(environ: Mapping[str, str] = os.environ) -> bool:
    """`GITHUB_ACTIONS=true`: the run's warnings are also annotations on its GitHub Actions page."""
    return environ.get("GITHUB_ACTIONS") == "true"


def webhook_url(variable: str, environ: Mapping[str, str] = os.environ) -> str:
    """A notification target's webhook URL, from the variable its `url_env` names (a secret: read when posting)."""
    return environ.get(variable, "").strip()


def period_plan_file(environ: Mapping[str, str] = os.environ) -> str | None:
    """`DIGEST_PERIOD_PLAN`: the plan of one year's MkDocs build (digest/site/periods.py), None for a whole build."""
    return environ.get(PERIOD_PLAN_ENV) or None
