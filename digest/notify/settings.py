"""The `notify:` section of digest.yml: where messages go and what each target watches.

Webhook URLs are secrets: a target names the environment variable that holds its URL (`url_env`), never
the URL itself.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from digest.models import ModificationType

Kind = Literal["slack", "teams", "discord", "json"]
# a Learn page address, with or without a locale; the page path is what a filter compares
LEARN_PAGE = re.compile(
    r"^https?://learn\.microsoft\.com/(?:[a-z]{2}(?:-[a-z]{2,4})?/)?(?P<page>[^?#]+?)/?(?:[?#].*)?$", re.IGNORECASE
)


def learn_page_key(url: str) -> str | None:
    """The locale-free, lower-case page path of a Learn URL (`azure/ai-services/openai/overview`), or None."""
    match = LEARN_PAGE.match(url.strip())
    return match.group("page").lower() if match else None


class Target(BaseModel):
    """One chat channel (or endpoint) and what it watches."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9][\w.-]{0,63}$")
    kind: Kind
    # the environment variable holding the webhook URL (a secret: never in this file)
    url_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    language: Literal["ja", "en"] = "en"
    # the filter: a file is announced when its type is listed, and its area is listed (or none are), and
    # its path matches a glob or its Learn page (or an article that includes it) is listed (or neither is)
    types: list[ModificationType] = Field(default_factory=lambda: ["breaking change", "new feature"], min_length=1)
    areas: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    learn_urls: list[str] = Field(default_factory=list)
    # files listed one by one in a chat message; the rest are counted with a link to their digest
    max_items: int = Field(10, ge=1, le=25)
    retries: int = Field(3, ge=0, le=10)
    timeout: float = Field(15.0, gt=0, le=120)

    @model_validator(mode="before")
    @classmethod
    def _no_url(cls, data: Any) -> Any:
        if isinstance(data, dict) and "url" in data:
            raise ValueError("a webhook URL is a secret: keep it in an environment variable and name that in url_env")
        return data

    @field_validator("learn_urls")
    @classmethod
    def _learn_urls(cls, urls: list[str]) -> list[str]:
        bad = [url for url in urls if learn_page_key(url) is None]
        if bad:
            raise ValueError(f"not a learn.microsoft.com page address: {bad[0]!r}")
        return urls

    @property
    def watched_pages(self) -> set[str]:
        return {key for url in self.learn_urls if (key := learn_page_key(url))}


class NotifySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    targets: list[Target] = Field(default_factory=list)
    # first wait between attempts, doubled each time; a Retry-After header wins
    backoff_seconds: float = Field(2.0, ge=0, le=60)
    # a Retry-After longer than this ends the run's attempts (the next run tries again)
    max_retry_after: float = Field(120.0, ge=0)
    # days more than this before the newest day in data/ are never sent (unless notify --since): a backfill
    # that rewrites old digests stays quiet, and a run reads only the recent records
    lookback_days: int = Field(7, ge=1, le=366)

    @model_validator(mode="after")
    def _unique_names(self) -> NotifySettings:
        names = [target.name for target in self.targets]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"target names must be unique: {', '.join(repeated)}")
        return self
