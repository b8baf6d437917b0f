"""A small OpenAI-compatible HTTP server on 127.0.0.1 for the tests and the benchmark.

It speaks chat completions in the OpenAI form (`/v1/chat/completions`, bearer
key) and the Azure form (`/openai/deployments/{d}/chat/completions?api-version=`,
`api-key` header), plus the files and batches endpoints of the Batch API. It
answers every structured-output request with a valid answer made from the
request, unless a script says otherwise: `server.script("models.md", "500",
"truncated")` makes the next two requests whose prompt mentions models.md fail
that way. Every request is recorded.
"""

from __future__ import annotations

import contextlib

import email.parser
import email.policy
import hashlib
import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Iterator
from typing import Any

import pytest
from urllib.parse import parse_qs, urlsplit

FAULTS = ("ok", "429", "500", "hang", "truncated", "bad_enum", "refusal", "401", "english_ja", "empty", "hostile",
          # what a misbehaving server or proxy sends (issue 14): see Handler._misbehave
          "html", "cut_json", "usage_empty", "usage_null", "drip", "echo_key", "runaway", "english_title", "huge_body")
MISBEHAVIOURS = ("html", "cut_json", "usage_empty", "usage_null", "drip", "echo_key", "runaway", "huge_body")
# what a compromised or confused model might answer: markup and script in every text field
HOSTILE_TEXT = (
    '<img src=x onerror=alert("model")> [click](javascript:alert("model-link")) '
    '</details><script>alert("model-script")</script> <a href="javascript:alert(1)" onclick="alert(2)">a</a> '
    '{: onclick="alert(3)" } モデル'
)
# the same in a Japanese slot: mostly Japanese, or the per-language check rightly rejects it as English
HOSTILE_JA = HOSTILE_TEXT + " モデルの回答に含まれる危険なマークアップはすべて文字として表示されるだけです。"
AZURE_CHAT = re.compile(r"^/openai/deployments/([^/]+)/chat/completions$")


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    style: str  # "openai" or "azure"
    fault: str = "ok"
    answered: bool = False  # a complete 200 answer was sent
    deployment: str | None = None

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def prompt(self) -> str:
        return "\n".join(message.get("content") or "" for message in self.json().get("messages", []))

    @property
    def schema_name(self) -> str:
        return self.json()["response_format"]["json_schema"]["name"]

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass
class Batch:
    id: str
    input_file_id: str
    endpoint: str
    metadata: dict[str, Any] | None
    created_at: int
    polls: int = 0
    status: str = "validating"
    output_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "object": "batch", "endpoint": self.endpoint, "input_file_id": self.input_file_id,
            "completion_window": "24h", "status": self.status, "created_at": self.created_at,
            "output_file_id": self.output_file_id, "error_file_id": None, "metadata": self.metadata,
            "request_counts": {"total": self.total, "completed": self.completed, "failed": self.failed},
        }


@dataclass
class ServerState:
    delay: float = 0.0
    hang_seconds: float = 5.0
    keys: set[str] | None = None  # accepted keys; None accepts any
    polls_until_done: int = 2
    requests: list[Recorded] = field(default_factory=list)
    scripts: list[tuple[str | None, deque[str]]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, Batch] = field(default_factory=dict)
    # an older server that knows only max_tokens: a request with max_completion_tokens gets a 400
    rejects_max_completion_tokens: bool = False
    drip_seconds: float = 0.25  # between two bytes of a "drip" reply
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)


def _fault_for(state: ServerState, prompt: str) -> str:
    with state.lock:
        for match, faults in state.scripts:
            if faults and (match is None or match in prompt):
                return faults.popleft()
    return "ok"


def _has(prompt: str, pattern: str, default: str) -> str:
    match = re.search(pattern, prompt, re.MULTILINE)
    return match.group(1).strip() if match else default


def answer_for(schema_name: str, prompt: str, fault: str = "ok") -> dict[str, Any]:
    """A valid answer to the request (or the scripted wrong one)."""
    if schema_name == "file_summary":
        path = _has(prompt, r"^File: (\S+)", "unknown")
        name = path.rsplit("/", 1)[-1]
        kind = _has(prompt, r"^Type by the rules: (.+)$", "minor update")
        answer: dict[str, Any] = {
            "explanation": {"en": f"The model explains the change to `{name}`.", "ja": f"`{name}` の変更をモデルが説明します。"},
            "title": {"en": f"Model title for {name}", "ja": f"{name} のモデル要約"},
            "modification_type": "major update" if fault == "bad_enum" else kind,
        }
        if fault == "hostile":
            answer["explanation"] = {"en": HOSTILE_TEXT, "ja": HOSTILE_JA}
            answer["title"] = {"en": HOSTILE_TEXT, "ja": HOSTILE_TEXT}
        if fault == "english_ja":
            answer["explanation"]["ja"] = answer["explanation"]["en"]
        if fault == "english_title":
            answer["title"]["ja"] = "The model wrote this title in English"
        return answer
    names = re.findall(r"^\d+\. \[[^\]]+\] (\S+)", prompt, re.MULTILINE)
    day = _has(prompt, r"^Day: (\S+)", "?")

    def text(lang: str) -> dict[str, Any]:
        word = "ハイライト" if lang == "ja" else "highlight"
        if fault == "hostile":
            text = HOSTILE_JA if lang == "ja" else HOSTILE_TEXT
            return {
                "highlight": text, "new_features": [text], "breaking_changes": [text],
                "other_updates": [text], "insight": text,
            }
        return {
            "highlight": f"Model {word} {day}",
            "new_features": [],
            "breaking_changes": [],
            "other_updates": [f"{name} ({lang})" for name in names],
            "insight": "モデルの洞察です。" if lang == "ja" else "Model insight.",
        }

    return {"en": text("en"), "ja": text("ja")}


def completion(model: str, prompt: str, content: str | None, finish: str = "stop", refusal: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "finish_reason": finish,
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
        "usage": {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(content or "") // 4,
                  "total_tokens": len(prompt) // 4 + len(content or "") // 4},
    }


def chat_reply(body: dict[str, Any], fault: str) -> tuple[int, dict[str, Any]]:
    """Status and JSON of a chat completion under a fault (not the transport faults)."""
    prompt = "\n".join(message.get("content") or "" for message in body.get("messages", []))
    name = body["response_format"]["json_schema"]["name"]
    content = json.dumps(answer_for(name, prompt, fault), ensure_ascii=False)
    if fault == "truncated":
        return 200, completion(body["model"], prompt, content[: len(content) // 2], finish="length")
    if fault == "refusal":
        return 200, completion(body["model"], prompt, None, refusal="I can't help with that.")
    if fault == "empty":
        return 200, completion(body["model"], prompt, "")
    return 200, completion(body["model"], prompt, content)


class Handler(BaseHTTPRequestHandler):
    disable_nagle_algorithm = True  # or every response stalls ~40 ms
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # --- plumbing ---------------------------------------------------------------

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None, raw: bytes | None = None) -> None:
        data = raw if raw is not None else json.dumps(payload, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json" if raw is None else "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _error(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        self._send(status, {"error": {"message": message, "type": "test_error", "code": str(status)}}, headers)

    def _record(self) -> Recorded:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        path = parts.path
        style = "azure" if path.startswith("/openai/") else "openai"
        match = AZURE_CHAT.match(path)
        recorded = Recorded(
            self.command, path, parse_qs(parts.query), {k.lower(): v for k, v in self.headers.items()}, body, style,
            deployment=match.group(1) if match else None,
        )
        with self.server.state.lock:
            self.server.state.requests.append(recorded)
        return recorded

    def _authorized(self, recorded: Recorded) -> bool:
        keys = self.server.state.keys
        if recorded.style == "azure":
            key = recorded.headers.get("api-key")
        else:
            auth = recorded.headers.get("authorization", "")
            key = auth[7:] if auth.startswith("Bearer ") else None
        return key is not None and (keys is None or key in keys)

    def _route(self, recorded: Recorded) -> str:
        path = recorded.path
        path = path[len("/openai") :] if recorded.style == "azure" else path[len("/v1") :] if path.startswith("/v1/") else path
        if recorded.deployment is not None:
            return "/chat/completions"
        return path

    # --- endpoints ----------------------------------------------------------------

    def do_POST(self) -> None:  # noqa: N802
        recorded = self._record()
        if not self._authorized(recorded):
            return self._error(401, "Incorrect API key provided.")
        route = self._route(recorded)
        if route == "/chat/completions":
            return self._chat(recorded)
        if route == "/files":
            return self._upload(recorded)
        if route == "/batches":
            return self._create_batch(recorded)
        self._error(404, f"no route {recorded.path}")

    def do_GET(self) -> None:  # noqa: N802
        recorded = self._record()
        if not self._authorized(recorded):
            return self._error(401, "Incorrect API key provided.")
        route = self._route(recorded)
        state = self.server.state
        if match := re.fullmatch(r"/batches/([\w-]+)", route):
            batch = state.batches.get(match.group(1))
            if batch is None:
                return self._error(404, "no such batch")
            self._advance(batch)
            return self._send(200, batch.as_json())
        if match := re.fullmatch(r"/files/([\w-]+)/content", route):
            data = state.files.get(match.group(1))
            return self._send(200, None, raw=data) if data is not None else self._error(404, "no such file")
        self._error(404, f"no route {recorded.path}")

    def _chat(self, recorded: Recorded) -> None:
        state = self.server.state
        body = recorded.json()
        fault = _fault_for(state, recorded.prompt)
        recorded.fault = fault
        with state.lock:
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            if state.delay:
                time.sleep(state.delay)
            if fault == "hang":
                state.release.wait(state.hang_seconds)
                return self._error(500, "hung")
            if fault == "401":
                return self._error(401, "Incorrect API key provided: sk-te********************cret.")
            if fault == "429":
                return self._error(429, "Rate limit reached.", {"retry-after-ms": "20"})
            if fault.startswith("429:"):
                return self._error(429, "Rate limit reached.", {"Retry-After": fault[4:]})
            if fault == "500":
                return self._error(500, "The server had an error.", {"retry-after-ms": "20"})
            if state.rejects_max_completion_tokens and "max_completion_tokens" in body:
                return self._error(400, "Unsupported parameter: 'max_completion_tokens'. Use 'max_tokens' instead.")
            if fault in MISBEHAVIOURS:
                return self._misbehave(recorded, body, fault)
            status, payload = chat_reply(body, fault)
            self._send(status, payload)
            recorded.answered = True
        finally:
            with state.lock:
                state.in_flight -= 1

    def _raw(self, status: int, content_type: str, data: bytes, drip: float = 0.0) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not drip:
                self.wfile.write(data)
                return
            for index in range(len(data)):  # one byte at a time: each read is quick, the whole reply is not
                self.wfile.write(data[index : index + 1])
                self.wfile.flush()
                if self.server.state.release.wait(drip):
                    return
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _misbehave(self, recorded: Recorded, body: dict[str, Any], fault: str) -> None:
        prompt = recorded.prompt
        name = body["response_format"]["json_schema"]["name"]
        answer = answer_for(name, prompt)
        if fault == "html":
            return self._raw(200, "text/html", b"<html><body><h1>502 Bad Gateway</h1>proxy error</body></html>")
        if fault == "huge_body":
            return self._raw(200, "application/json", b'{"choices": [' + b" " * 3_000_000 + b"]}")
        if fault == "echo_key" and name == "file_summary":
            key = recorded.headers.get("authorization", "")[7:] or recorded.headers.get("api-key", "")
            answer["explanation"]["en"] += f" Your key is {key}."
            answer["explanation"]["ja"] += f" キーは {key} です。"
        content = json.dumps(answer, ensure_ascii=False)
        payload = completion(body["model"], prompt, content)
        if fault == "runaway":
            # the model rambles; a server stops it at the request's cap (finish_reason length) if there is one
            cap = body.get("max_completion_tokens") or body.get("max_tokens")
            rambling = content[:-3] + " and so on" * 20_000
            text, finish = (rambling[: cap * 4], "length") if cap else (rambling, "stop")
            payload = completion(body["model"], prompt, text, finish=finish)
        if fault == "usage_empty":
            payload["usage"] = {}
        if fault == "usage_null":
            payload["usage"] = {"prompt_tokens": None, "completion_tokens": None, "total_tokens": None}
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        if fault == "cut_json":
            data = data[: len(data) // 2]
        self._raw(200, "application/json", data, drip=self.server.state.drip_seconds if fault == "drip" else 0.0)
        recorded.answered = fault not in ("cut_json", "drip")

    def _upload(self, recorded: Recorded) -> None:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + recorded.headers["content-type"].encode() + b"\r\n\r\n" + recorded.body
        )
        fields = {part.get_param("name", header="content-disposition"): part for part in message.iter_parts()}
        data = fields["file"].get_payload(decode=True)
        state = self.server.state
        with state.lock:
            file_id = f"file-{len(state.files) + 1}"
            state.files[file_id] = data
        self._send(200, {
            "id": file_id, "object": "file", "bytes": len(data), "created_at": int(time.time()),
            "filename": fields["file"].get_filename(), "purpose": fields["purpose"].get_content().strip(),
            "status": "processed",
        })

    def _create_batch(self, recorded: Recorded) -> None:
        body = recorded.json()
        state = self.server.state
        if body.get("input_file_id") not in state.files:
            return self._error(400, "no such input file")
        with state.lock:
            batch = Batch(f"batch-{len(state.batches) + 1}", body["input_file_id"], body["endpoint"],
                          body.get("metadata"), int(time.time()))
            batch.total = len(state.files[batch.input_file_id].splitlines())
            state.batches[batch.id] = batch
        self._send(200, batch.as_json())

    def _advance(self, batch: Batch) -> None:
        """Each poll moves the batch on; after `polls_until_done` polls its output file is there."""
        state = self.server.state
        batch.polls += 1
        if batch.status in ("completed", "failed"):
            return
        if batch.polls < state.polls_until_done:
            batch.status = "in_progress"
            return
        lines = []
        for line in state.files[batch.input_file_id].decode("utf-8").splitlines():
            request = json.loads(line)
            prompt = "\n".join(m.get("content") or "" for m in request["body"]["messages"])
            fault = _fault_for(state, prompt)
            if fault in ("ok", "truncated", "bad_enum", "refusal", "english_ja", "empty"):
                status, payload = chat_reply(request["body"], fault)
                batch.completed += 1
            else:
                status, payload = 500, {"error": {"message": "failed in the batch"}}
                batch.failed += 1
            lines.append(json.dumps({"id": f"req-{len(lines)}", "custom_id": request["custom_id"],
                                     "response": {"status_code": status, "body": payload}, "error": None},
                                    ensure_ascii=False))
        with state.lock:
            batch.output_file_id = f"file-{len(state.files) + 1}"
            state.files[batch.output_file_id] = ("\n".join(lines) + "\n").encode("utf-8")
        batch.status = "completed"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    state: ServerState

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that went away mid-request (timeouts, cancelled runs) is expected here


class OpenAIServer:
    """`with OpenAIServer() as server:` a running server; `server.requests` holds what it got."""

    def __init__(self, delay: float = 0.0) -> None:
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.state = ServerState(delay=delay)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def state(self) -> ServerState:
        return self._server.state

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def openai_base_url(self) -> str:
        return f"{self.url}/v1"

    def script(self, match: str | None, *faults: str) -> None:
        """The next requests whose prompt contains `match` (any, if None) meet these faults in order."""
        unknown = [fault for fault in faults if fault not in FAULTS and not fault.startswith("429:")]
        assert not unknown, unknown
        with self.state.lock:
            self.state.scripts.append((match, deque(faults)))

    @property
    def requests(self) -> list[Recorded]:
        with self.state.lock:
            return list(self.state.requests)

    def chat_requests(self) -> list[Recorded]:
        return [request for request in self.requests if request.path.endswith("/chat/completions")]

    def reset(self) -> None:
        with self.state.lock:
            self.state.requests.clear()
            self.state.scripts.clear()
            self.state.max_in_flight = 0

    def start(self) -> OpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.state.release.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def openai_environment(server: OpenAIServer, key: str, model: str) -> Iterator[None]:
    """The environment of a run that talks to `server` in the OpenAI form with this key and model."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPENAI_BASE_URL", server.openai_base_url)
        patch.setenv("OPENAI_API_KEY", key)
        patch.setenv("DIGEST_MODEL", model)
        yield
