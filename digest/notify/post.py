"""POST a payload to a webhook with retries: backoff on 429, 5xx and transport errors, Retry-After honoured.

The URL is a secret: it is never logged, and error texts are scrubbed of it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from digest import __version__

log = logging.getLogger(__name__)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class PostResult:
    ok: bool
    attempts: int
    # what went wrong, without the URL
    error: str | None = None


@dataclass
class RetryPolicy:
    retries: int
    backoff_seconds: float
    max_retry_after: float
    sleep: Callable[[float], None] = time.sleep


def webhook_problem(url: str) -> str | None:
    """Why a webhook URL cannot be used (https only, except on this machine), or None."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return None
    return "it is not an https:// URL"


def retry_after(response: httpx.Response, now: dt.datetime | None = None) -> float | None:
    """Seconds the service asks to wait: Retry-After (seconds or an HTTP date), or Discord's JSON retry_after."""
    value = response.headers.get("retry-after", "").strip()
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value)
            except (TypeError, ValueError):
                return None
            return max(0.0, (when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds())
    try:
        body = response.json()
    except ValueError:
        return None
    seconds = body.get("retry_after") if isinstance(body, dict) else None
    return float(seconds) if isinstance(seconds, int | float) and seconds >= 0 else None


def _scrub(text: str, url: str) -> str:
    return " ".join(text.replace(url, "<webhook>").split())[:300]


def post(client: httpx.Client, url: str, body: bytes, headers: dict[str, str], policy: RetryPolicy,
         params: dict[str, str] | None = None) -> PostResult:
    """Post `body` until a 2xx answer, a final error (4xx other than 429) or the retries run out."""
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": f"docs-digest/{__version__}", **headers}
    error = "not tried"
    for attempt in range(1, policy.retries + 2):
        wait = policy.backoff_seconds * 2 ** (attempt - 1)
        try:
            response = client.post(url, content=body, headers=headers, params=params)
        except httpx.TransportError as failure:
            error = f"{type(failure).__name__}: {_scrub(str(failure), url)}"
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as failure:  # nothing a retry would change
            return PostResult(False, attempt, f"{type(failure).__name__}: {_scrub(str(failure), url)}")
        else:
            if response.is_success:
                return PostResult(True, attempt)
            error = f"HTTP {response.status_code}: {_scrub(response.text, url)}".rstrip(": ")
            if response.status_code != 429 and response.status_code < 500:
                return PostResult(False, attempt, error)
            asked = retry_after(response)
            if asked is not None:
                if asked > policy.max_retry_after:
                    return PostResult(False, attempt, f"{error} (asked to wait {asked:.0f} s)")
                wait = asked
        if attempt <= policy.retries:
            log.info("post failed (%s); attempt %d of %d in %.1f s", error, attempt + 1, policy.retries + 1, wait)
            policy.sleep(wait)
    return PostResult(False, policy.retries + 1, error)
