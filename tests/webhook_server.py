"""Stand-ins for the chat services' incoming webhooks on 127.0.0.1, for the notification tests.

One server answers four kinds of webhook by path: `/slack/<name>`, `/teams/<name>`, `/discord/<name>` and
`/json/<name>`. Each checks a payload against its service's documented schema and limits and answers as
the service does: Slack 200 `ok` or 400 `invalid_blocks`; a Teams Workflows webhook 202, or 400 / 413 for a
bad or too large card; Discord (`?wait=true`) 200 with the message, or 400 `Invalid Form Body`; the JSON
endpoint 200. `server.script("/slack/", "429:1", "500")` makes the next requests under that path meet those
faults (`429:<s>` and `503:<s>` send `Retry-After: <s>`; `hang` holds the answer until `release()`).
Every request is recorded with what the check found.
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# --- Slack: https://docs.slack.dev/reference/block-kit/blocks, .../composition-objects/text-object ----------
SLACK_TOP = {"text", "blocks", "attachments", "thread_ts", "mrkdwn", "unfurl_links", "unfurl_media", "username",
             "icon_emoji", "icon_url", "channel"}
SLACK_LINK = re.compile(r"<(https?://[^|>\s]+)\|[^<>]*>")


def slack_text_object(obj: Any, where: str, limit: int, kinds: tuple[str, ...] = ("plain_text", "mrkdwn")) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in kinds or not isinstance(obj.get("text"), str):
        return [f"{where}: not a text object of type {kinds}"]
    found = []
    allowed = {"type", "text", "emoji", "verbatim"}
    if set(obj) - allowed:
        found.append(f"{where}: unknown fields {set(obj) - allowed}")
    if not 1 <= len(obj["text"]) <= limit:
        found.append(f"{where}: text of {len(obj['text'])} characters (1 to {limit})")
    if obj["type"] == "mrkdwn" and "<" in SLACK_LINK.sub("", obj["text"]):
        found.append(f"{where}: a raw < outside a link (mentions or markup could start there)")
    return found


def check_slack(payload: Any) -> list[str]:
    if not isinstance(payload, dict):
        return ["not an object"]
    found = [f"unknown field {key}" for key in set(payload) - SLACK_TOP]
    blocks = payload.get("blocks", [])
    if not payload.get("text") and not blocks:
        found.append("neither text nor blocks")
    if len(blocks) > 50:
        found.append(f"{len(blocks)} blocks (at most 50)")
    for index, block in enumerate(blocks):
        where = f"blocks[{index}]"
        kind = block.get("type")
        if kind == "header":
            found += slack_text_object(block.get("text"), where, 150, ("plain_text",))
        elif kind == "section":
            found += slack_text_object(block.get("text"), where, 3000)
        elif kind == "context":
            elements = block.get("elements", [])
            if not 1 <= len(elements) <= 10:
                found.append(f"{where}: {len(elements)} elements (1 to 10)")
            for number, element in enumerate(elements):
                found += slack_text_object(element, f"{where}.elements[{number}]", 3000)
        elif kind != "divider":
            found.append(f"{where}: block type {kind!r} not expected here")
    return found


# --- Teams Workflows webhook + Adaptive Card 1.4 (https://adaptivecards.io/explorer/) -----------------------
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
TEXT_RUN_FIELDS = {"type", "text", "color", "fontType", "highlight", "isSubtle", "italic", "selectAction", "size",
                   "strikethrough", "underline", "weight"}
ENUMS = {
    "weight": {"Default", "Lighter", "Bolder"},
    "size": {"Default", "Small", "Medium", "Large", "ExtraLarge"},
    "spacing": {"None", "Small", "Default", "Medium", "Large", "ExtraLarge", "Padding"},
}
TEAMS_MAX_BYTES = 28 * 1024


def check_open_url(action: Any, where: str) -> list[str]:
    if not isinstance(action, dict) or action.get("type") != "Action.OpenUrl":
        return [f"{where}: not an Action.OpenUrl"]
    return [] if re.match(r"^https?://", str(action.get("url", ""))) else [f"{where}: no http(s) url"]


def check_enums(element: dict[str, Any], where: str) -> list[str]:
    return [f"{where}.{key}: {element[key]!r}" for key, values in ENUMS.items() if key in element and element[key] not in values]


def check_card_element(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict):
        return [f"{where}: not an object"]
    kind = element.get("type")
    found = check_enums(element, where)
    if kind == "TextBlock":
        found += [] if isinstance(element.get("text"), str) else [f"{where}: TextBlock without text"]
    elif kind == "RichTextBlock":
        inlines = element.get("inlines")
        if not isinstance(inlines, list) or not inlines:
            return found + [f"{where}: RichTextBlock without inlines"]
        for number, run in enumerate(inlines):
            spot = f"{where}.inlines[{number}]"
            if isinstance(run, str):
                continue
            if not isinstance(run, dict) or run.get("type") != "TextRun" or not isinstance(run.get("text"), str):
                found.append(f"{spot}: not a TextRun")
                continue
            found += [f"{spot}: unknown field {key}" for key in set(run) - TEXT_RUN_FIELDS]
            found += check_enums(run, spot)
            if "selectAction" in run:
                found += check_open_url(run["selectAction"], f"{spot}.selectAction")
    elif kind == "Container":
        items = element.get("items")
        if not isinstance(items, list) or not items:
            return found + [f"{where}: Container without items"]
        for number, item in enumerate(items):
            found += check_card_element(item, f"{where}.items[{number}]")
    else:
        found.append(f"{where}: element type {kind!r} not expected here")
    return found


def check_teams(payload: Any, size: int) -> list[str]:
    if size > TEAMS_MAX_BYTES:
        return [f"413: {size} bytes (about 28 KB at most)"]
    if not isinstance(payload, dict) or payload.get("type") != "message":
        return ["type must be 'message'"]
    attachments = payload.get("attachments")
    if not isinstance(attachments, list) or len(attachments) != 1:
        return ["exactly one attachment expected"]
    attachment = attachments[0]
    if attachment.get("contentType") != CARD_CONTENT_TYPE:
        return [f"contentType must be {CARD_CONTENT_TYPE}"]
    card = attachment.get("content") or {}
    found = []
    if card.get("type") != "AdaptiveCard":
        found.append("content.type must be AdaptiveCard")
    if card.get("version") not in ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5"):
        found.append(f"version {card.get('version')!r} (Teams shows 1.5 at most)")
    for index, element in enumerate(card.get("body") or []):
        found += check_card_element(element, f"body[{index}]")
    for index, action in enumerate(card.get("actions") or []):
        found += check_open_url(action, f"actions[{index}]")
        found += [] if action.get("title") else [f"actions[{index}]: no title"]
    return found


# --- Discord: https://discord.com/developers/docs/resources/webhook#execute-webhook ------------------------
DISCORD_TOP = {"content", "username", "avatar_url", "tts", "embeds", "allowed_mentions", "components", "files",
               "payload_json", "attachments", "flags", "thread_name", "applied_tags", "poll"}
EMBED_FIELDS = {"title", "type", "description", "url", "timestamp", "color", "footer", "image", "thumbnail",
                "video", "provider", "author", "fields"}


def check_discord(payload: Any) -> list[str]:
    if not isinstance(payload, dict):
        return ["not an object"]
    found = [f"unknown field {key}" for key in set(payload) - DISCORD_TOP]
    content = payload.get("content", "")
    embeds = payload.get("embeds", [])
    if not content and not embeds:
        found.append("neither content nor embeds")
    if len(content) > 2000:
        found.append(f"content of {len(content)} characters (at most 2000)")
    if len(embeds) > 10:
        found.append(f"{len(embeds)} embeds (at most 10)")
    total = 0
    for index, embed in enumerate(embeds):
        where = f"embeds[{index}]"
        found += [f"{where}: unknown field {key}" for key in set(embed) - EMBED_FIELDS]
        for key, limit in (("title", 256), ("description", 4096)):
            total += len(embed.get(key, ""))
            if len(embed.get(key, "")) > limit:
                found.append(f"{where}.{key}: more than {limit} characters")
        footer = embed.get("footer", {}).get("text", "")
        total += len(footer) + len(embed.get("author", {}).get("name", ""))
        if len(footer) > 2048:
            found.append(f"{where}.footer: more than 2048 characters")
        if len(embed.get("fields", [])) > 25:
            found.append(f"{where}: more than 25 fields")
        if "color" in embed and not 0 <= embed["color"] <= 0xFFFFFF:
            found.append(f"{where}.color out of range")
    if total > 6000:
        found.append(f"embeds hold {total} characters (at most 6000)")
    mentions = payload.get("allowed_mentions", {})
    if not set(mentions.get("parse", [])) <= {"roles", "users", "everyone"}:
        found.append("allowed_mentions.parse has unknown types")
    return found


def check_json(payload: Any) -> list[str]:
    required = {"schema", "schema_version", "target", "key", "date", "language", "update", "headline", "digests", "items"}
    if not isinstance(payload, dict):
        return ["not an object"]
    return [f"missing {key}" for key in sorted(required - set(payload))]


@dataclass
class Received:
    kind: str
    name: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    problems: list[str]
    fault: str = "ok"
    status: int = 0

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class State:
    requests: list[Received] = field(default_factory=list)
    scripts: list[tuple[str, deque[str]]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)
    hanging: threading.Event = field(default_factory=threading.Event)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes = b"", content_type: str = "text/plain", headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away (a killed run)

    def do_POST(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        match = re.fullmatch(r"/(slack|teams|discord|json)/([\w.-]+)", parts.path)
        if not match:
            return self._answer(404, b"no such webhook")
        kind, name = match.groups()
        try:
            payload = json.loads(body)
            problems = {"slack": lambda: check_slack(payload), "teams": lambda: check_teams(payload, len(body)),
                        "discord": lambda: check_discord(payload), "json": lambda: check_json(payload)}[kind]()
        except ValueError:
            problems = ["not JSON"]
        received = Received(kind, name, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()}, body, problems)
        state = self.server.state
        with state.lock:
            state.requests.append(received)
            for prefix, faults in state.scripts:
                if faults and parts.path.startswith(prefix):
                    received.fault = faults.popleft()
                    break
        self._reply(received)

    def _reply(self, received: Received) -> None:
        fault = received.fault
        if fault == "hang":
            self.server.state.hanging.set()
            self.server.state.release.wait(30)
        elif fault.split(":")[0] in ("429", "500", "503"):
            received.status = int(fault.split(":")[0])
            headers = {"Retry-After": fault.split(":")[1]} if ":" in fault else {}
            if received.kind == "discord" and received.status == 429:
                body = json.dumps({"message": "You are being rate limited.", "retry_after": 0.05, "global": False})
                return self._answer(429, body.encode(), "application/json", headers)
            return self._answer(received.status, b"service unavailable", headers=headers)
        ok, bad = {"slack": (200, 400), "teams": (202, 400), "discord": (200, 400), "json": (200, 400)}[received.kind]
        if received.problems:
            received.status = 413 if received.problems[0].startswith("413") else bad
            text = {"slack": "invalid_blocks", "discord": json.dumps({"code": 50035, "message": "Invalid Form Body"})}
            return self._answer(received.status, text.get(received.kind, "; ".join(received.problems)).encode())
        received.status = ok
        if received.kind == "discord":
            return self._answer(ok, json.dumps({"id": str(len(self.server.state.requests)), "type": 0}).encode(), "application/json")
        self._answer(ok, b"ok" if received.kind == "slack" else b"")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    state: State

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class WebhookServer:
    """`with WebhookServer() as server:` a running server; `server.url("slack", "ai")` a webhook address."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.state = State()
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def state(self) -> State:
        return self._server.state

    def url(self, kind: str, name: str) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/{kind}/{name}"

    def script(self, prefix: str, *faults: str) -> None:
        with self.state.lock:
            self.state.scripts.append((prefix, deque(faults)))

    @property
    def requests(self) -> list[Received]:
        with self.state.lock:
            return list(self.state.requests)

    def delivered(self, kind: str | None = None) -> list[Received]:
        """The requests that were answered with success (and so posted a message)."""
        return [r for r in self.requests if r.status in (200, 202) and (kind is None or r.kind == kind)]

    def release(self) -> None:
        self.state.release.set()

    def __enter__(self) -> WebhookServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.release.set()
        self._server.shutdown()
        self._server.server_close()
