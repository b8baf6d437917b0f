"""The model summarizer against a real HTTP server on 127.0.0.1, through the real openai client.

Faults are scripted on the server (429 with Retry-After, 500, a hang past the
timeout, truncated JSON, a wrong enum, a refusal, 401); the assertions are on
what the summaries became, how many requests were made and what was cached.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.classify.areas import AreaConfig
from digest.classify import classify
from digest.config import Settings
from digest.diff import parse_patch
from digest.errors import DigestError
from digest.models import MODIFICATION_TYPES, AreaName, ClassifiedChange
from digest.summarize import OfflineSummarizer, PageInput, SummarizedFile
from digest.summarize.model import ModelSummarizer, make_summarizer
from digest.summarize.answers import FILE, bounded_kind
from digest.summarize.prompts import wants_model

from .conftest import CORPUS, read_jsonl
from .openai_server import OpenAIServer

KEY = "sk-test-SECRET-0123456789"
# gold records with distinct paths that the rules do not call noise, and one metadata-only change
PICKED = (2, 6, 7, 8, 10, 11)
NOISE = 56


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return read_jsonl(CORPUS / "gold-dev.jsonl")


def _classified(record: dict, areas: AreaConfig) -> ClassifiedChange:
    return classify(parse_patch(record["path"], record["status"], record["patch"]), areas)


@pytest.fixture(scope="module")
def changes(gold: list[dict], areas: AreaConfig) -> list[ClassifiedChange]:
    picked = [_classified(gold[i], areas) for i in PICKED]
    assert all(wants_model(change) for change in picked)
    noise = _classified(gold[NOISE], areas)
    assert noise.noise == "metadata"
    return [*picked, noise]


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    return KEY


def settings_for(project: Path, server: OpenAIServer, **values: object) -> Settings:
    defaults: dict[str, object] = {
        "root": project, "model": "test-model", "base_url": server.openai_base_url,
        "request_timeout": 5.0, "max_retries": 2, "summarizer": "openai",
    }
    return Settings(**{**defaults, **values})


def summarizer_for(project: Path, server: OpenAIServer, **values: object) -> ModelSummarizer:
    summarizer = make_summarizer(settings_for(project, server, **values))
    assert isinstance(summarizer, ModelSummarizer)
    return summarizer


def file_line(change: ClassifiedChange) -> str:
    """What identifies one file's prompt on the server."""
    return f"File: {change.change.path}"


def requests_for(server: OpenAIServer, change: ClassifiedChange) -> int:
    return sum(1 for request in server.chat_requests() if file_line(change) in request.prompt)


# --- the happy path --------------------------------------------------------------


def test_one_strict_request_per_file_that_is_not_noise(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    summarizer = summarizer_for(project, server)
    try:
        summaries = summarizer.summarize_files(changes)
    finally:
        summarizer.close()
    *model_made, noise = summaries
    assert [s.summarizer for s in model_made] == ["model:test-model"] * len(model_made)
    assert noise.summarizer == "offline"
    for change, summary in zip(changes, model_made):
        name = change.change.path.rsplit("/", 1)[-1]
        assert summary.title.en == f"Model title for {name}" and summary.title.ja == f"{name} のモデル要約"
        assert summary.modification_type == change.modification_type  # the server echoes the rules' type
    requests = server.chat_requests()
    assert len(requests) == len(model_made)
    assert requests_for(server, changes[-1]) == 0
    for request in requests:
        body = request.json()
        assert request.path == "/v1/chat/completions" and request.style == "openai"
        assert request.headers["authorization"] == f"Bearer {KEY}"
        assert body["model"] == "test-model"
        schema = body["response_format"]
        assert schema["type"] == "json_schema" and schema["json_schema"]["strict"] is True
        # a server other than OpenAI's own gets the schema with its lengths bounded (and a capped answer)
        assert schema["json_schema"]["schema"] == bounded_kind(FILE, strings=True).schema
        assert schema["json_schema"]["schema"]["properties"]["title"]["properties"]["en"]["maxLength"] == 120
        assert body["max_completion_tokens"] == 1000
        assert schema["json_schema"]["schema"]["properties"]["modification_type"]["enum"] == list(MODIFICATION_TYPES)
        system, user = body["messages"]
        assert "breaking change: something a reader relied on stops being true" in system["content"]
        assert user["content"].startswith("File: ") and "\nDiff:\n@@" in user["content"]
    assert summarizer.stats.requests == len(model_made) and summarizer.stats.answers == len(model_made)


def test_a_second_run_is_served_from_the_cache(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    first = summarizer_for(project, server)
    before = first.summarize_files(changes)
    first.close()
    sent = len(server.chat_requests())
    second = summarizer_for(project, server)
    after = second.summarize_files(changes)
    second.close()
    assert len(server.chat_requests()) == sent  # zero requests
    assert second.stats.cache_hits == sent and second.stats.requests == 0
    assert after == before


def test_the_cache_holds_answers_and_never_the_key(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    summarizer = summarizer_for(project, server)
    summarizer.summarize_files(changes)
    summarizer.close()
    cache = project / ".digest" / "model-cache.sqlite"
    with sqlite3.connect(cache) as db:
        rows = db.execute("SELECT key, kind, model, answer FROM answers").fetchall()
    assert len(rows) == len(changes) - 1
    assert {row[1] for row in rows} == {"file_summary"} and {row[2] for row in rows} == {"test-model"}
    assert all(json.loads(row[3])["modification_type"] in MODIFICATION_TYPES for row in rows)
    raw = b"".join(path.read_bytes() for path in cache.parent.glob("model-cache.sqlite*"))
    assert KEY.encode() not in raw and b"127.0.0.1" not in raw


def test_azure_url_form_and_api_key_header(project: Path, server: OpenAIServer, changes: list[ClassifiedChange], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", KEY)
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", server.url)
    monkeypatch.setenv("OPENAI_API_VERSION", "2024-10-21")
    summarizer = summarizer_for(project, server, base_url=None, azure_deployment="digest-deployment")
    try:
        summaries = summarizer.summarize_files(changes[:2])
    finally:
        summarizer.close()
    assert [s.summarizer for s in summaries] == ["model:test-model"] * 2
    requests = server.chat_requests()
    assert len(requests) == 2
    for request in requests:
        assert request.path == "/openai/deployments/digest-deployment/chat/completions"
        assert request.query == {"api-version": ["2024-10-21"]}
        assert request.headers["api-key"] == KEY and "authorization" not in request.headers
        assert request.json()["response_format"]["json_schema"]["strict"] is True


# --- transport faults: the SDK's retries ------------------------------------------


def test_429_with_retry_after_is_waited_for_and_retried(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    target = changes[0]
    server.script(file_line(target), "429:1")
    summarizer = summarizer_for(project, server)
    started = time.monotonic()
    summary = summarizer.summarize_files([target])[0]
    elapsed = time.monotonic() - started
    summarizer.close()
    assert summary.summarizer == "model:test-model"
    assert requests_for(server, target) == 2 and summarizer.stats.requests == 2
    assert elapsed >= 0.95  # Retry-After: 1 honoured (the SDK's own backoff would start at 0.5 s)


def test_a_500_is_retried_and_persistent_500s_fall_back(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange], caplog: pytest.LogCaptureFixture) -> None:
    once, always = changes[0], changes[1]
    server.script(file_line(once), "500")
    server.script(file_line(always), "500", "500", "500")
    summarizer = summarizer_for(project, server, max_retries=2)
    with caplog.at_level(logging.WARNING):
        first, second = summarizer.summarize_files([once, always])
    summarizer.close()
    assert first.summarizer == "model:test-model" and requests_for(server, once) == 2
    assert second.summarizer == "offline" and requests_for(server, always) == 3  # 1 + max_retries
    assert second == OfflineSummarizer(str(project / "templates")).summarize_file(always)
    assert summarizer.stats.fallbacks == 1
    assert any(always.change.path in r.message and "HTTP 500" in r.message for r in caplog.records)


def test_a_hang_past_the_timeout_is_retried_then_falls_back(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    once, always = changes[0], changes[1]
    server.state.hang_seconds = 3
    server.script(file_line(once), "hang")
    server.script(file_line(always), "hang", "hang")
    summarizer = summarizer_for(project, server, request_timeout=0.4, max_retries=1)
    started = time.monotonic()
    first, second = summarizer.summarize_files([once, always])
    elapsed = time.monotonic() - started
    summarizer.close()
    assert first.summarizer == "model:test-model" and requests_for(server, once) == 2
    assert second.summarizer == "offline" and requests_for(server, always) == 2
    assert elapsed < 2.5  # gave up on the hung requests, did not wait for them


# --- answers that are not valid: one retry, then offline ----------------------------


@pytest.mark.parametrize("fault", ["truncated", "bad_enum", "refusal", "english_ja", "empty"])
def test_an_invalid_answer_is_asked_again_once(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange], fault: str) -> None:
    healed, broken = changes[0], changes[1]
    server.script(file_line(healed), fault)
    server.script(file_line(broken), fault, fault)
    summarizer = summarizer_for(project, server)
    first, second = summarizer.summarize_files([healed, broken])
    summarizer.close()
    assert first.summarizer == "model:test-model" and requests_for(server, healed) == 2
    assert second.summarizer == "offline" and requests_for(server, broken) == 2
    assert summarizer.stats.invalid == 3 and summarizer.stats.fallbacks == 1
    # nothing invalid was cached: a rerun asks for the broken file again, and only for it
    rerun = summarizer_for(project, server)
    again = rerun.summarize_files([healed, broken])
    rerun.close()
    assert requests_for(server, healed) == 2 and requests_for(server, broken) == 3
    assert again[1].summarizer == "model:test-model"


# --- credentials ---------------------------------------------------------------------


def test_rejected_credentials_stop_the_run_with_one_clear_error(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    server.script(None, "401")
    summarizer = summarizer_for(project, server, concurrency=1)
    with pytest.raises(DigestError) as raised:
        summarizer.summarize_files(changes)
    summarizer.close()
    message = str(raised.value)
    assert "401" in message and "OPENAI_API_KEY" in message and "\n" not in message
    assert KEY not in message and "sk-te" not in message
    assert len(server.chat_requests()) == 1  # not retried, the other files not tried


def test_a_missing_key_is_an_error_for_openai_and_offline_for_auto(project: Path, server: OpenAIServer) -> None:
    with pytest.raises(DigestError, match="needs an API key: set OPENAI_API_KEY"):
        make_summarizer(settings_for(project, server, summarizer="openai"))
    assert isinstance(make_summarizer(settings_for(project, server, summarizer="auto")), OfflineSummarizer)


def test_auto_uses_the_model_when_a_key_is_set(project: Path, server: OpenAIServer, key: str) -> None:
    chosen = make_summarizer(settings_for(project, server, summarizer="auto"))
    assert isinstance(chosen, ModelSummarizer)
    chosen.close()
    assert isinstance(make_summarizer(settings_for(project, server, summarizer="offline")), OfflineSummarizer)


# --- limits -----------------------------------------------------------------------------


def test_requests_run_concurrently_within_the_bound(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    server.state.delay = 0.2
    summarizer = summarizer_for(project, server, concurrency=3)
    summarizer.summarize_files(changes)
    summarizer.close()
    assert server.state.max_in_flight == 3


def test_the_token_budget_sends_the_rest_offline_and_says_so(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange], caplog: pytest.LogCaptureFixture) -> None:
    summarizer = summarizer_for(project, server, concurrency=1, token_budget=2500)
    summaries = summarizer.summarize_files(changes[:-1])
    with caplog.at_level(logging.INFO):
        summarizer.close()
    by_model = [s for s in summaries if s.summarizer.startswith("model:")]
    assert 1 <= len(by_model) < len(summaries)
    assert len(server.chat_requests()) == len(by_model)
    assert summarizer.stats.over_budget == len(summaries) - len(by_model)
    assert summarizer.stats.tokens <= 2500
    closing = [r.message for r in caplog.records if r.message.startswith("model test-model:")]
    assert closing and f"token budget 2,500 spent: {len(summaries) - len(by_model)} summary(ies) left offline" in closing[0]


def test_the_closing_line_counts_requests_hits_tokens_and_cost(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange], caplog: pytest.LogCaptureFixture) -> None:
    prices = {"test-model": {"input": 1.0, "output": 2.0}}
    summarizer = summarizer_for(project, server, prices=prices)
    summarizer.summarize_files(changes[:3])
    summarizer.summarize_files(changes[:3])  # all three from the cache
    stats = summarizer.stats
    with caplog.at_level(logging.INFO):
        summarizer.close()
    assert stats.requests == 3 and stats.cache_hits == 3
    assert stats.input_tokens > 0 and stats.output_tokens > 0
    assert stats.cost == pytest.approx((stats.input_tokens * 1.0 + stats.output_tokens * 2.0) / 1e6)
    line = next(r.message for r in caplog.records if r.message.startswith("model test-model:"))
    assert "3 request(s), 3 cache hit(s)" in line and f"{stats.input_tokens:,} input" in line and "$" in line


# --- pages ---------------------------------------------------------------------------------


def test_a_page_is_one_request_from_the_file_summaries(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    summarizer = summarizer_for(project, server)
    summaries = summarizer.summarize_files(changes)
    page = PageInput(dt.date(2025, 2, 3), "openai", AreaName(ja="Azure OpenAI", en="Azure OpenAI"),
                     [SummarizedFile(c, s) for c, s in zip(changes, summaries)])
    sent = len(server.chat_requests())
    digest = summarizer.summarize_pages([page])[0]
    summarizer.close()
    requests = server.chat_requests()[sent:]
    assert len(requests) == 1 and requests[0].schema_name == "page_summary"
    prompt = requests[0].prompt
    assert all(s.title.en in prompt and s.title.ja in prompt for s in summaries[:-1])
    assert "@@" not in prompt and "Diff:" not in prompt  # written from summaries and facts, not raw diffs
    assert digest.summarizer == "model:test-model"
    assert digest.en.highlight == "Model highlight 2025-02-03" and digest.ja.insight == "モデルの洞察です。"
    # the routine change is listed the offline way, in each language
    offline = OfflineSummarizer(str(project / "templates"))
    for lang in ("ja", "en"):
        texts = getattr(digest, lang)
        assert texts.other_updates[:-1] == [f"{c.change.path} ({lang})" for c in changes[:-1]]
        assert texts.other_updates[-1:] == offline.noise_lines(lang, page) and texts.other_updates[-1]


def test_a_page_of_routine_changes_costs_no_request(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange]) -> None:
    summarizer = summarizer_for(project, server)
    noise = changes[-1]
    summary = summarizer.summarize_files([noise])[0]
    page = PageInput(dt.date(2025, 2, 3), "openai", AreaName(ja="A", en="A"), [SummarizedFile(noise, summary)])
    digest = summarizer.summarize_page(page)
    summarizer.close()
    assert server.chat_requests() == [] and digest.summarizer == "offline"


# --- settings and progress ------------------------------------------------------------------


def test_model_settings_from_the_file_the_environment_and_the_command_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from digest.cli import build_parser, settings_from

    (project / "digest.yml").write_text(
        "model: from-file\nconcurrency: 3\ntoken_budget: 1000\nbase_url: http://127.0.0.1:9/v1\n"
        "prices:\n  from-file: {input: 1.5, output: 3}\n",
        encoding="utf-8",
    )
    args = build_parser().parse_args(["update", "--root", str(project)])
    settings = settings_from(args)
    assert (settings.model, settings.concurrency, settings.token_budget) == ("from-file", 3, 1000)
    assert settings.prices["from-file"].output == 3 and "gpt-4o-mini" in settings.prices  # added to the defaults
    assert settings.model_cache_file == project / ".digest" / "model-cache.sqlite"
    monkeypatch.setenv("DIGEST_MODEL", "from-env")
    assert settings_from(args).model == "from-env"
    args = build_parser().parse_args(["update", "--root", str(project), "--model", "from-cli", "--concurrency", "5",
                                      "--timeout", "2.5", "--model-cache", "/tmp/elsewhere.sqlite", "--summarizer", "offline"])
    settings = settings_from(args)
    assert (settings.model, settings.concurrency, settings.request_timeout) == ("from-cli", 5, 2.5)
    assert settings.model_cache_file == Path("/tmp/elsewhere.sqlite") and settings.summarizer == "offline"
    # the environment's server wins over the file's; the environment is read when the settings are made
    from digest.summarize.endpoint import resolve_endpoint

    assert resolve_endpoint(settings) is None
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    assert resolve_endpoint(settings) is None
    settings = settings_from(args)
    assert resolve_endpoint(settings).base_url == "http://127.0.0.1:9/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:10/v1")
    settings = settings_from(args)
    endpoint = resolve_endpoint(settings)
    assert endpoint.base_url == "http://127.0.0.1:10/v1" and KEY not in repr(endpoint) and KEY not in endpoint.describe()
    assert KEY not in repr(settings) and KEY not in str(settings.model_dump()) and KEY in settings.environment.secrets


def test_the_progress_bar_nests_inside_the_days_bar_on_a_terminal(project: Path, server: OpenAIServer, key: str, changes: list[ClassifiedChange], monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from rich.console import Console

    from digest import progress

    screen = io.StringIO()
    monkeypatch.setattr(progress, "console", Console(file=screen, force_terminal=True, width=100))
    summarizer = summarizer_for(project, server)
    with progress.task("digesting days", 2) as days:
        summaries = summarizer.summarize_files(changes)  # rich < 14 raises on a second live display
        days.advance()
    summarizer.close()
    assert all(s.summarizer.startswith("model:") for s in summaries[:-1])
    assert "model: files" in screen.getvalue() and "digesting days" in screen.getvalue()
    assert progress._live == []
