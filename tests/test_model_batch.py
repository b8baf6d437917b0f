"""`--batch`: the Batch API (files, batches, polling, output) against the test server, then a run from the cache."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from pathlib import Path
from typing import Any

import pytest

from digest.classify.areas import AreaConfig
from digest.classify import classify
from digest.cli import main
from digest.config import Settings, load_settings
from digest.diff import parse_patch
from digest.models import ClassifiedChange
from digest.record import iter_records
from digest.summarize.batch import run_batch
from digest.summarize.model import ModelSummarizer, make_summarizer
from digest.summarize.answers import FILE, Kind
from digest.summarize.prompts import cache_key, request_body

from .conftest import BUNDLE, CORPUS, make_project, read_jsonl
from .openai_server import OpenAIServer, openai_environment
from .test_model_e2e import captured_log, wanted

KEY = "sk-test-SECRET-batch"
MODEL = "batch-model"
RANGE = ["--since", "2025-02-06", "--until", "2025-02-08"]
LIVE_AGAIN = "articles/ai-services/openai/how-to/prompt-caching.md"


def environment(server: OpenAIServer) -> contextlib.AbstractContextManager[None]:
    return openai_environment(server, KEY, MODEL)


def batch_project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "project")
    (root / "digest.yml").write_text("batch_poll_seconds: 0.02\n", encoding="utf-8")
    return root


def uploaded_lines(server: OpenAIServer, file_id: str) -> list[dict]:
    return [json.loads(line) for line in server.state.files[file_id].decode().splitlines()]


def test_batch_mode_fills_the_cache_then_the_run_needs_no_live_request(tmp_path: Path) -> None:
    root = batch_project(tmp_path)
    with OpenAIServer() as server, environment(server):
        with captured_log() as log:
            assert main(["run", "--root", str(root), "--repo", str(BUNDLE), "--batch", "--no-build", *RANGE]) == 0
        requests = server.requests
        assert server.chat_requests() == []
        uploads = [r for r in requests if r.method == "POST" and r.path == "/v1/files"]
        creates = [r for r in requests if r.method == "POST" and r.path == "/v1/batches"]
        polls = [r for r in requests if r.method == "GET" and re.fullmatch(r"/v1/batches/batch-\d", r.path)]
        downloads = [r for r in requests if r.method == "GET" and r.path.endswith("/content")]
        assert (len(uploads), len(creates), len(downloads)) == (2, 2, 2) and len(polls) >= 4
        for create, schema_name in zip(creates, ("file_summary", "page_summary")):
            body = create.json()
            assert body["endpoint"] == "/v1/chat/completions" and body["completion_window"] == "24h"
            lines = uploaded_lines(server, body["input_file_id"])
            assert lines and len({line["custom_id"] for line in lines}) == len(lines)
            for line in lines:
                assert re.fullmatch(r"[0-9a-f]{64}", line["custom_id"])
                assert line["method"] == "POST" and line["url"] == "/v1/chat/completions"
                response_format = line["body"]["response_format"]
                assert response_format["type"] == "json_schema" and response_format["json_schema"]["strict"] is True
                assert response_format["json_schema"]["name"] == schema_name and line["body"]["model"] == MODEL
        records = list(iter_records(root / "data" / "digests"))
        asked = [f for r in records for f in r.files if wanted(f.model_dump())]
        assert asked and {f.summarizer for f in asked} == {f"model:{MODEL}"}
        file_lines = uploaded_lines(server, creates[0].json()["input_file_id"])
        assert len(file_lines) == len(asked)  # one line per file of each day
        assert all(r.summary.summarizer == f"model:{MODEL}" for r in records if any(f.noise == "none" for f in r.files))
        closing = next(line for line in log.getvalue().splitlines() if line.startswith(f"model {MODEL}:"))
        assert closing.startswith(f"model {MODEL}: 0 request(s) + {len(file_lines) + len(uploaded_lines(server, creates[1].json()['input_file_id']))} through the Batch API")
        # the cache now answers everything: a plain rerun sends nothing
        server.reset()
        assert main(["run", "--root", str(root), "--repo", str(BUNDLE), "--no-build", *RANGE]) == 0
        assert server.requests == []


def test_what_the_batch_could_not_answer_is_asked_live(tmp_path: Path) -> None:
    root = batch_project(tmp_path)
    with OpenAIServer() as server, environment(server):
        server.script(f"File: {LIVE_AGAIN}", "500")  # its batch line fails
        assert main(["update", "--root", str(root), "--repo", str(BUNDLE), "--batch", *RANGE]) == 0
        live = server.chat_requests()
    # the file, then its page (written from the file's new answer)
    assert [(r.schema_name, LIVE_AGAIN in r.prompt) for r in live] == [("file_summary", True), ("page_summary", True)]
    records = list(iter_records(root / "data" / "digests"))
    assert [f.summarizer for r in records for f in r.files if f.path == LIVE_AGAIN] == [f"model:{MODEL}"]


async def stopped_while_polling(server: OpenAIServer, batch: Any) -> None:
    """Run `batch` until the client has polled its batch once (so it holds the id), then stop it as a kill would."""
    task = asyncio.ensure_future(batch)
    for _ in range(3000):  # at most ~60 s, however loaded the machine
        if any(r.method == "GET" and "/batches/" in r.path for r in server.requests):
            break
        await asyncio.sleep(0.02)
    task.cancel()
    await task


def test_a_run_killed_while_polling_resumes_the_same_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gold_changes: list[ClassifiedChange]) -> None:
    root = batch_project(tmp_path)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with OpenAIServer() as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.openai_base_url)
        summarizer = make_summarizer(_settings(root))
        assert isinstance(summarizer, ModelSummarizer)
        pending = _pending(summarizer, gold_changes)
        server.state.polls_until_done = 10**6
        with pytest.raises(asyncio.CancelledError):
            summarizer.run(stopped_while_polling(server, run_batch(summarizer, pending, "files")))
        assert len(server.state.batches) == 1 and len(summarizer.cache) == 0
        server.state.polls_until_done = 0
        summarizer.run(run_batch(summarizer, pending, "files"))
        assert len(server.state.batches) == 1  # resumed, not submitted again
        assert len([r for r in server.requests if r.method == "POST"]) == 2  # one upload, one batch
        assert len(summarizer.cache) == len(pending)
        summarizer.close()


def test_azure_batch_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gold_changes: list[ClassifiedChange]) -> None:
    root = batch_project(tmp_path)
    with OpenAIServer() as server:
        monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
        monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.url)
        monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
        monkeypatch.setenv("AZURE_OPENAI_DEPLOYMENT", "global-batch")
        summarizer = make_summarizer(_settings(root))
        assert isinstance(summarizer, ModelSummarizer)
        pending = _pending(summarizer, gold_changes)
        summarizer.run(run_batch(summarizer, pending, "files"))
        cached = len(summarizer.cache)
        summarizer.close()
        requests = server.requests
    assert cached == len(pending)
    assert {r.path for r in requests if r.method == "POST"} == {"/openai/files", "/openai/batches"}
    assert all(r.query == {"api-version": ["2024-10-21"]} and r.headers["api-key"] == KEY for r in requests)
    create = next(r for r in requests if r.path == "/openai/batches").json()
    assert create["endpoint"] == "/chat/completions"
    lines = uploaded_lines(server, create["input_file_id"])
    assert {line["url"] for line in lines} == {"/chat/completions"} and {line["body"]["model"] for line in lines} == {"global-batch"}


# --- helpers -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gold_changes(areas: AreaConfig) -> list[ClassifiedChange]:
    records = read_jsonl(CORPUS / "gold-dev.jsonl")
    return [classify(parse_patch(r["path"], r["status"], r["patch"]), areas) for r in (records[2], records[6], records[10])]


def _settings(root: Path) -> Settings:
    return load_settings(root, {"model": MODEL, "summarizer": "openai"})


def _pending(summarizer: ModelSummarizer, changes: list[ClassifiedChange]) -> dict[str, tuple[Kind, dict]]:
    """The file requests of these changes, as the collecting pass gathers them."""
    messages = [summarizer.prompts.file_messages(change) for change in changes]
    return {
        cache_key(summarizer.request_model, FILE, m): (FILE, request_body(summarizer.request_model, FILE, m))
        for m in messages
    }
