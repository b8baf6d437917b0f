"""What a model server can send: `digest run --summarizer openai` on a real repository against the local server
scripted to misbehave. Every reply shape is a fallback with a visible marker, never a crash."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.cli import main

from .conftest import make_project
from .gitrepo import RepoBuilder, utc
from .openai_server import OpenAIServer, openai_environment

KEY = "sk-test-SECRET-faults-1234567890"
OTHER_SECRET = "hooks-secret-token-abcdef123456"
MODEL = "digest-test-model"
SHAPES = ("html", "cut_json", "huge_body", "runaway", "english_title", "echo_key")
USAGE = ("usage_empty", "usage_null")


def write_day(b: RepoBuilder, names: tuple[str, ...]) -> None:
    b.write("articles/search/index.md", "# Search\n")
    for name in names:
        b.write(f"articles/search/{name}.md", f"# {name}\n\nOld text of {name}.\n")
    b.commit("initial", utc(2025, 3, 1))
    for name in names:
        b.write(f"articles/search/{name}.md", f"# {name}\n\nNew text of {name}, with a new `{name}-option` parameter.\n")
    b.commit("The day's edits", utc(2025, 3, 2))


@contextlib.contextmanager
def captured_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("digest")
    logger.addHandler(handler)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)


def run(root: Path, repo: Path, server: OpenAIServer, *extra: str) -> tuple[int, str]:
    with openai_environment(server, KEY, MODEL), pytest.MonkeyPatch.context() as patch, captured_log() as log:
        patch.setenv("DIGEST_NOTIFY_TOKEN", OTHER_SECRET)  # another secret the run holds
        code = main(["run", "--root", str(root), "--repo", str(repo), "--since", "2025-03-02", "--until", "2025-03-02",
                     "--summarizer", "openai", *extra])
    return code, log.getvalue()


def files_of(root: Path) -> dict[str, dict]:
    record = json.loads((root / "data" / "digests" / "2025-03-02" / "search.json").read_text(encoding="utf-8"))
    return {Path(file["path"]).stem: file for file in record["files"]}


@pytest.fixture(scope="module")
def shaped_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, OpenAIServer]]:
    base = tmp_path_factory.mktemp("model-faults")
    b = RepoBuilder(base / "repo")
    write_day(b, ("healthy", *SHAPES, *USAGE))
    root = make_project(base / "project")
    with OpenAIServer() as server:
        for name in (*SHAPES, *USAGE):
            server.script(f"File: articles/search/{name}.md", *[name] * 6)
        code, log = run(root, b.path, server, "--no-build")
        assert code == 0, log
        yield root, log, server


def test_a_reply_of_any_shape_is_a_fallback_never_a_crash(shaped_run: tuple[Path, str, OpenAIServer]) -> None:
    root, log, _server = shaped_run
    files = files_of(root)
    assert files["healthy"]["summarizer"] == f"model:{MODEL}"
    for name in ("html", "cut_json", "huge_body", "runaway", "english_title"):
        assert files[name]["summarizer"] == "offline", name
        assert f"no model summary for articles/search/{name}.md" in log, name
    assert "not JSON" in log and "was cut" in log
    post = (root / "site" / "en" / "posts" / "2025-03-02-search.md").read_text(encoding="utf-8")
    assert "Some summaries were written without the language model" in post
    notice = next(line for line in post.splitlines() if "so the summaries of the" in line)
    for name in ("html", "cut_json", "huge_body", "runaway", "english_title"):
        assert "[" + name.replace("_", "\\_") + ".md](#" in notice, name  # Markdown-escaped
    assert "[healthy.md]" not in notice


def test_usage_numbers_missing_or_null_still_count_the_answer(shaped_run: tuple[Path, str, OpenAIServer]) -> None:
    root, log, _server = shaped_run
    files = files_of(root)
    for name in USAGE:
        assert files[name]["summarizer"] == f"model:{MODEL}", name


def test_every_request_caps_its_answer_and_bounds_its_strings(shaped_run: tuple[Path, str, OpenAIServer]) -> None:
    _root, _log, server = shaped_run
    requests = server.chat_requests()
    caps = {request.schema_name: request.json().get("max_completion_tokens") for request in requests}
    assert caps == {"file_summary": 1000, "page_summary": 1500}
    for request in requests:
        assert request.json().get("max_completion_tokens") in (1000, 1500)
        schema = request.json()["response_format"]["json_schema"]["schema"]
        assert "maxLength" in json.dumps(schema)
    runaway = [r for r in requests if "File: articles/search/runaway.md" in r.prompt]
    assert len(runaway) == 2  # cut by the cap and counted invalid: asked again once, then offline


def test_no_secret_of_the_run_is_stored_anywhere(shaped_run: tuple[Path, str, OpenAIServer]) -> None:
    root, _log, _server = shaped_run
    echoed = files_of(root)["echo_key"]
    assert echoed["summarizer"] == f"model:{MODEL}" and "[redacted]" in echoed["explanation"]["en"]
    for folder in ("data", "site", ".digest"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert KEY.encode() not in data and OTHER_SECRET.encode() not in data, path
    assert KEY not in _log


def test_a_slow_drip_reply_is_bounded_by_the_timeout(tmp_path: Path) -> None:
    b = RepoBuilder(tmp_path / "repo")
    write_day(b, ("drip",))
    root = make_project(tmp_path / "project")
    with OpenAIServer() as server:
        server.state.drip_seconds = 0.05  # each byte quickly, the whole reply in about a minute
        server.script("File: articles/search/drip.md", *["drip"] * 6)
        code, log = run(root, b.path, server, "--no-build", "--timeout", "2")
    assert code == 0, log
    assert files_of(root)["drip"]["summarizer"] == "offline"
    assert "no model summary for articles/search/drip.md (no answer within 2 s)" in log


def test_a_server_without_max_completion_tokens_gets_max_tokens(tmp_path: Path) -> None:
    b = RepoBuilder(tmp_path / "repo")
    write_day(b, ("one", "two"))
    root = make_project(tmp_path / "project")
    with OpenAIServer() as server:
        server.state.rejects_max_completion_tokens = True
        code, log = run(root, b.path, server, "--no-build", "--concurrency", "1")
        bodies = [request.json() for request in server.chat_requests()]
    assert code == 0, log
    assert all(file["summarizer"] == f"model:{MODEL}" for name, file in files_of(root).items() if name != "index")
    answered = [body for body in bodies if "max_completion_tokens" not in body]
    assert answered and all(body["max_tokens"] in (1000, 1500) for body in answered)
    assert sum("max_completion_tokens" in body for body in bodies) == 1  # refused once, then the other name


def test_a_page_whose_every_model_answer_failed_says_so(tmp_path: Path) -> None:
    b = RepoBuilder(tmp_path / "repo")
    write_day(b, ("one", "two"))
    root = make_project(tmp_path / "project")
    with OpenAIServer() as server:
        server.script(None, *["500"] * 40)
        code, log = run(root, b.path, server, "--no-build")
    assert code == 0, log
    for lang, words in (("en", "the highlight and insight were written by rules"), ("ja", "ハイライトとインサイトは差分から規則で作成")):
        post = (root / "site" / lang / "posts" / "2025-03-02-search.md").read_text(encoding="utf-8")
        assert words in post, lang


def test_a_damaged_cache_is_set_aside_with_one_warning_and_rebuilt(tmp_path: Path) -> None:
    b = RepoBuilder(tmp_path / "repo")
    write_day(b, ("one", "two"))
    root = make_project(tmp_path / "project")
    with OpenAIServer() as server:
        assert run(root, b.path, server, "--no-build")[0] == 0
        cache = root / ".digest" / "model-cache.sqlite"
        with sqlite3.connect(cache) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        data = bytearray(cache.read_bytes())
        assert len(data) >= 8192
        data[4096:8192] = b"\xa5" * 4096  # a whole page of garbage past the header
        cache.write_bytes(bytes(data))
        (root / "data").rename(root / "data.first")  # the day again, from the cache
        code, log = run(root, b.path, server, "--no-build")
    assert code == 0, log
    assert log.count("is damaged") == 1
    assert list(cache.parent.glob("model-cache.sqlite.damaged-*"))
    with sqlite3.connect(cache) as db:
        assert db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] >= 2
