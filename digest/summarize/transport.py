"""What stands between the model server and the summarizer: a whole-request deadline, a size cap, and a
reading of the reply that takes any shape (HTML error pages, cut-off JSON, odd usage numbers) without a crash.

httpx's timeout bounds each read, so a server that drips one byte a second holds
a request for as long as it likes; here connect, headers and body together must
finish within the deadline, or the attempt is a timeout the SDK retries.
"""

from __future__ import annotations

import asyncio
import importlib
import json
from typing import Any

import openai
from openai.types.chat import ChatCompletion
from pydantic import ValidationError

# the HTTP library the openai package speaks (httpx, or its fork httpx2 in openai 3): its transports and errors
httpx: Any = importlib.import_module(openai.DefaultAsyncHttpxClient.__mro__[1].__module__.split(".")[0])

# an answer is a few kilobytes; a reply past this is a runaway (or not an answer) and is not read further
MAX_REPLY_BYTES = 1_000_000
CUT_HEADER = "x-digest-reply-cut"
REDACTED = "[redacted]"
MIN_SECRET_CHARS = 8


class DeadlineTransport(httpx.AsyncBaseTransport):  # type: ignore[misc]
    """An httpx transport that gives each attempt one deadline for the whole exchange and caps the body's size."""

    def __init__(self, seconds: float, inner: Any = None, max_bytes: int = MAX_REPLY_BYTES) -> None:
        self.seconds = seconds
        self.inner = inner or httpx.AsyncHTTPTransport()
        self.max_bytes = max_bytes

    async def handle_async_request(self, request: Any) -> Any:
        try:
            async with asyncio.timeout(self.seconds):
                response = await self.inner.handle_async_request(request)
                try:
                    body, cut = await self._read(response)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise httpx.ReadTimeout(f"no complete reply within {self.seconds:g} s", request=request) from None
        headers = [(name, value) for name, value in response.headers.multi_items() if name.lower() != "content-length"]
        if cut:
            headers = [(n, v) for n, v in headers if n.lower() != "content-encoding"] + [(CUT_HEADER, str(self.max_bytes))]
        return httpx.Response(response.status_code, headers=headers, content=body, request=request, extensions=response.extensions)

    async def _read(self, response: Any) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > self.max_bytes:
                return b"", True
            chunks.append(chunk)
        return b"".join(chunks), False

    async def aclose(self) -> None:
        await self.inner.aclose()


def run_secrets(from_environment: tuple[str, ...], *known: str) -> tuple[str, ...]:
    """The secrets this run holds: the given ones and every secret-named environment variable's value
    (config.Environment.secrets), longest first."""
    values = {value for value in known if value} | set(from_environment)
    return tuple(sorted((value for value in values if len(value) >= MIN_SECRET_CHARS), key=len, reverse=True))


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with every secret of the run replaced (a server that echoes the key must not get it stored)."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def _usage(value: Any) -> dict[str, int] | None:
    """Usage numbers when the server gave whole ones, else None (the run then counts its own estimate)."""
    if not isinstance(value, dict):
        return None
    numbers = {name: value.get(name) for name in ("prompt_tokens", "completion_tokens")}
    if not all(isinstance(number, int) and not isinstance(number, bool) and number >= 0 for number in numbers.values()):
        return None
    return {**numbers, "total_tokens": numbers["prompt_tokens"] + numbers["completion_tokens"]}  # type: ignore[operator]


def _describe(raw: bytes) -> str:
    start = raw[:60].decode("utf-8", errors="replace")
    return " ".join(start.split())[:40] or "empty"


def parse_completion(raw: bytes, headers: Any = None, secrets: tuple[str, ...] = ()) -> tuple[ChatCompletion | None, str]:
    """A chat completion from a 200 reply's body, or None and why not: never an exception."""
    if headers is not None and CUT_HEADER in headers:
        return None, f"the reply passed {int(headers[CUT_HEADER]):,} bytes and was cut"
    try:
        data = json.loads(raw)
    except ValueError:
        return None, f"the reply is not JSON ({_describe(raw)!r}…)"
    return completion_from(data, secrets)


def completion_from(data: Any, secrets: tuple[str, ...] = ()) -> tuple[ChatCompletion | None, str]:
    """A validated chat completion from decoded JSON of any shape (a live reply or a Batch API line)."""
    if not isinstance(data, dict) or not isinstance(data.get("choices"), list):
        return None, "the reply is not a chat completion"
    choices = []
    for choice in data["choices"]:
        if isinstance(choice, dict) and isinstance(choice.get("message"), dict):
            message = dict(choice["message"])
            if isinstance(message.get("content"), str):
                message["content"] = scrub(message["content"], secrets)
            choices.append({"index": 0, "finish_reason": "stop", **choice, "message": {"role": "assistant", **message}})
    shaped = {
        "id": "", "created": 0, "model": "", **data, "object": "chat.completion",
        "choices": choices, "usage": _usage(data.get("usage")),
    }
    try:
        return ChatCompletion.model_validate(shaped), ""
    except ValidationError as error:
        first = error.errors()[0]
        return None, f"the reply is not a chat completion ({'.'.join(str(p) for p in first['loc'])}: {first['msg']})"
