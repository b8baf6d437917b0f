"""`digest run` on the fixture bundle with OPENAI_BASE_URL + OPENAI_API_KEY pointing to the test server."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.cli import main
from digest.models import DigestRecord
from digest.record import iter_records

from .conftest import BUNDLE, PROJECT, make_project
from .openai_server import OpenAIServer, openai_environment

RANGE = ["--since", "2025-02-03", "--until", "2025-02-28"]
KEY = "sk-test-SECRET-e2e-987654321"
MODEL = "digest-test-model"
# a file whose model answer is always a 500: it keeps its offline summary and its page says so
FAILING = "articles/ai-services/openai/how-to/prompt-caching.md"


def wanted(file: dict) -> bool:
    """A file the model is asked about (the others keep their offline summary by design)."""
    return file["noise"] == "none" and file["kind"] == "file" and not file["binary"] and bool(file["patch"].strip())


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@contextlib.contextmanager
def captured_log() -> Iterator[io.StringIO]:
    """The digest log lines written meanwhile, as text."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger("digest").addHandler(handler)
    try:
        yield stream
    finally:
        logging.getLogger("digest").removeHandler(handler)


def model_environment(server: OpenAIServer) -> contextlib.AbstractContextManager[None]:
    return openai_environment(server, KEY, MODEL)


@pytest.fixture(scope="module")
def model_run(tmp_path_factory: pytest.TempPathFactory, server: OpenAIServer) -> tuple[Path, str]:
    root = make_project(tmp_path_factory.mktemp("model-e2e") / "project")
    server.script(f"File: {FAILING}", *["500"] * 3)
    with model_environment(server), captured_log() as log:
        # the site build is test_fixture_e2e's business: the pages' Markdown is checked here
        assert main(["run", "--root", str(root), "--repo", str(BUNDLE), "--concurrency", "4", "--no-build", *RANGE]) == 0
    return root, log.getvalue()


@pytest.fixture(scope="module")
def records(model_run: tuple[Path, str]) -> list[dict]:
    root, _log = model_run
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted((root / "data" / "digests").glob("*/*.json"))]


def test_records_carry_the_model_summarizer(records: list[dict], server: OpenAIServer) -> None:
    files = [file for record in records for file in record["files"]]
    asked = [file for file in files if wanted(file)]
    assert len(asked) > 50
    for file in files:
        if not wanted(file):
            assert file["summarizer"] == "offline"
        elif file["path"] == FAILING:
            assert file["summarizer"] == "offline"
        else:
            assert file["summarizer"] == f"model:{MODEL}", file["path"]
            name = file["path"].rsplit("/", 1)[-1]
            assert file["title"] == {"en": f"Model title for {name}", "ja": f"{name} のモデル要約"}
    pages = [record for record in records if any(f["noise"] == "none" for f in record["files"])]
    assert pages and all(record["summary"]["summarizer"] == f"model:{MODEL}" for record in pages)
    # one request per file asked (three for the failing one) and one per page
    file_requests = [r for r in server.chat_requests() if r.schema_name == "file_summary"]
    assert len(file_requests) == len(asked) + 2
    assert len([r for r in server.chat_requests() if r.schema_name == "page_summary"]) == len(pages)
    for request in server.chat_requests():
        assert request.json()["model"] == MODEL and request.headers["authorization"] == f"Bearer {KEY}"


def test_the_page_with_a_fallback_says_so_in_both_languages(model_run: tuple[Path, str], records: list[dict]) -> None:
    root, _log = model_run
    record = next(r for r in records if any(f["path"] == FAILING for f in r["files"]))
    slug = f"{record['date']}-{record['area']}"
    ja = (root / "site" / "ja" / "posts" / f"{slug}.md").read_text(encoding="utf-8")
    en = (root / "site" / "en" / "posts" / f"{slug}.md").read_text(encoding="utf-8")
    assert '!!! warning "一部の要約は言語モデルを使わずに作成しました"' in ja and "prompt-caching.md" in ja.split("!!! warning")[1][:400]
    assert '!!! warning "Some summaries were written without the language model"' in en
    assert "the 1 file below" in en
    # pages where every file got its model summary carry no notice
    others = [r for r in records if r is not record and r["summary"]["summarizer"].startswith("model:")]
    for other in others:
        text = (root / "site" / "en" / "posts" / f"{other['date']}-{other['area']}.md").read_text(encoding="utf-8")
        assert "!!! warning" not in text


def test_the_run_closes_with_requests_tokens_and_cost(model_run: tuple[Path, str], server: OpenAIServer) -> None:
    _root, log = model_run
    closing = [line for line in log.splitlines() if line.startswith(f"model {MODEL}:")]
    assert len(closing) == 1
    assert f"{len(server.chat_requests())} request(s), 0 cache hit(s)" in closing[0]
    assert "input +" in closing[0] and "1 summary(ies) fell back to offline" in closing[0]
    assert "cost unknown" in closing[0]  # no price for this model name
    assert f"file summaries by model:{MODEL}" in log


def test_no_secret_in_records_pages_cache_or_log(model_run: tuple[Path, str]) -> None:
    root, log = model_run
    assert KEY not in log
    for folder in ("data", "site", "public", ".digest"):
        for path in (root / folder).rglob("*"):
            if path.is_file() and path.stat().st_size < 50_000_000:
                assert KEY.encode() not in path.read_bytes(), path



def test_records_validate(records: list[dict]) -> None:
    for record in records:
        DigestRecord.model_validate(record)


def test_a_rerun_asks_only_for_what_failed_and_the_next_makes_zero_requests(model_run: tuple[Path, str], server: OpenAIServer) -> None:
    """Runs last in this module: it heals the failed file of the shared run."""
    root, _log = model_run
    before = len(server.chat_requests())
    with model_environment(server):
        assert main(["run", "--root", str(root), "--repo", str(BUNDLE), "--no-build", *RANGE]) == 0
    again = server.chat_requests()[before:]
    assert [(r.schema_name, FAILING in r.prompt) for r in again] == [("file_summary", True), ("page_summary", True)]
    healed = [f for r in iter_records(root / "data" / "digests") for f in r.files if f.path == FAILING]
    assert [f.summarizer for f in healed] == [f"model:{MODEL}"]

    def snapshot() -> dict[Path, int]:
        return {p: p.stat().st_mtime_ns for folder in ("data", "site") for p in (root / folder).rglob("*") if p.is_file()}

    # every answer so far is cached: all requests but the three 500s and the answer they were retried for
    files_before, requests_before = snapshot(), len(server.chat_requests())
    with model_environment(server), captured_log() as log:
        assert main(["run", "--root", str(root), "--repo", str(BUNDLE), "--no-build", *RANGE]) == 0
    assert len(server.chat_requests()) == requests_before  # zero requests
    assert snapshot() == files_before
    closing = next(line for line in log.getvalue().splitlines() if line.startswith(f"model {MODEL}:"))
    assert closing.startswith(f"model {MODEL}: 0 request(s), {requests_before - 4} cache hit(s), 0 input + 0 output tokens")


def test_401_is_one_error_line_without_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project")
    with OpenAIServer() as server, model_environment(server):
        server.script(None, "401")
        code = main(["update", "--root", str(root), "--repo", str(BUNDLE), "--since", "2025-02-03", "--until", "2025-02-03"])
    err = capsys.readouterr().err
    assert code == 2
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: the model API rejected the credentials (HTTP 401) at OpenAI API {server.openai_base_url}: check OPENAI_API_KEY"
    ]
    assert "Traceback" not in err and KEY not in err
    assert not (root / "data" / "digests").exists()


def test_openai_without_a_key_is_one_error_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "project")
    code = main(["update", "--root", str(root), "--repo", str(BUNDLE), "--summarizer", "openai", "--since", "2025-02-03", "--until", "2025-02-03"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert [line for line in err.splitlines() if line.startswith("error:")] == [
        "error: --summarizer openai needs an API key: set OPENAI_API_KEY (OpenAI or a compatible server via "
        "OPENAI_BASE_URL) or AZURE_OPENAI_API_KEY with AZURE_OPENAI_ENDPOINT"
    ]


def test_a_killed_run_rerun_repeats_no_answered_request(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    answered_first = 6
    with OpenAIServer() as server:
        server.state.hang_seconds = 60
        server.script(None, *["ok"] * answered_first, *["hang"] * 50)
        env = {**os.environ, "OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": KEY, "DIGEST_MODEL": MODEL}
        command = [sys.executable, "-m", "digest.cli", "update", "--root", str(root), "--repo", str(BUNDLE),
                   "--concurrency", "2", *RANGE]
        log_file = (tmp_path / "killed.log").open("wb")
        process = subprocess.Popen(command, env=env, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=log_file)
        try:
            deadline = time.monotonic() + 60
            while not (sum(r.answered for r in server.chat_requests()) >= answered_first and server.state.in_flight >= 1):
                assert process.poll() is None, (tmp_path / "killed.log").read_text()
                assert time.monotonic() < deadline
                time.sleep(0.05)
            time.sleep(0.3)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
            log_file.close()
        first = server.chat_requests()
        answered = {r.digest for r in first if r.answered}
        assert len(answered) == answered_first
        server.reset()
        server.state.release.set()  # the hung handlers give up
        with model_environment(server):
            assert main(["update", "--root", str(root), "--repo", str(BUNDLE), *RANGE]) == 0
        second = server.chat_requests()
    assert second and not answered & {r.digest for r in second}
    # and everything the first run did not get an answer for was asked
    unanswered = {r.digest for r in first if not r.answered}
    assert unanswered <= {r.digest for r in second}
    records = list(iter_records(root / "data" / "digests"))
    asked = [f for record in records for f in record.files if wanted(f.model_dump())]
    assert all(f.summarizer == f"model:{MODEL}" for f in asked)
    assert len([r for r in second if r.schema_name == "file_summary"]) == len(asked) - answered_first

