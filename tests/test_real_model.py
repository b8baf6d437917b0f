"""`digest run --summarizer openai` against a real llama.cpp server with a small real model (SmolLM2-135M):
whatever the answers' quality, each one stored is valid, typed and capped, and the run never waits past a cap."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.cli import main
from digest.models import MODIFICATION_TYPES
from digest.summarize.model import OUTPUT_CAP
from digest.summarize.answers import FILE, PAGE

from .conftest import make_project
from .gitrepo import RepoBuilder, utc
from .llama_server import LlamaServer, model_path
from .test_faults_model import captured_log

MODEL = "smollm2-135m"
# about two minutes on an idle 2-core machine (4 requests of at most 1,000-1,500 tokens at ~60 tokens/s; the page
# answer often runs to its cap twice); at load average 10 the one-thread server still makes ~9 tokens/s, so a
# request takes up to ~170 s: the per-request timeout and this bound leave room for twice that
pytestmark = pytest.mark.timeout(2700)
KEY = "sk-local-llama-test-key-0123456789"


@pytest.fixture(scope="module")
def real_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    base = tmp_path_factory.mktemp("real-model")
    b = RepoBuilder(base / "repo")
    b.write("articles/search/limits.md", "# Service limits\n\n| Tier | Indexes |\n|---|---|\n| Basic | 15 |\n")
    b.commit("initial", utc(2025, 3, 1))
    b.write("articles/search/limits.md", "# Service limits\n\n| Tier | Indexes |\n|---|---|\n| Basic | 30 |\n| S1 | 50 |\n")
    b.commit("Raise the index limits (#12)", utc(2025, 3, 2))
    root = make_project(base / "project")
    # one attempt per request and short prompts: the CI machine has 2 cores
    (root / "digest.yml").write_text("max_retries: 0\ndiff_tokens: 300\n", encoding="utf-8")
    with LlamaServer(model_path()) as server, pytest.MonkeyPatch.context() as patch, captured_log() as log:
        patch.setenv("OPENAI_BASE_URL", server.url + "/v1")
        patch.setenv("OPENAI_API_KEY", KEY)
        code = main(["run", "--root", str(root), "--repo", str(b.path), "--since", "2025-03-02", "--until", "2025-03-02",
                     "--summarizer", "openai", "--model", MODEL, "--concurrency", "1", "--timeout", "600", "--no-build"])
        assert code == 0, log.getvalue()
        yield root, log.getvalue()


def cached(root: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(root / ".digest" / "model-cache.sqlite") as db:
        return db.execute("SELECT kind, answer, output_tokens FROM answers").fetchall()


def test_the_real_model_answers_are_valid_typed_capped_and_stored(real_run: tuple[Path, str]) -> None:
    root, log = real_run
    rows = cached(root)
    assert rows, f"no valid answer was stored:\n{log}"
    for kind, answer, output_tokens in rows:
        model = {FILE.name: FILE, PAGE.name: PAGE}[kind].answer
        model.model_validate_json(answer)  # valid against the answer model, language checks included
        assert 0 < output_tokens <= OUTPUT_CAP[kind]
        if kind == FILE.name:
            assert json.loads(answer)["modification_type"] in MODIFICATION_TYPES
    record = json.loads((root / "data" / "digests" / "2025-03-02" / "search.json").read_text(encoding="utf-8"))
    (file,) = record["files"]
    assert file["modification_type"] in MODIFICATION_TYPES
    by_model = f"model:{MODEL}"
    stored_files = [row for row in rows if row[0] == FILE.name]
    # what the record says agrees with the cache: a stored file answer is used, a missing one is a marked fallback
    if stored_files:
        assert file["summarizer"] == by_model and file["title"]["en"] and file["title"]["ja"]
    else:
        assert file["summarizer"] == "offline" and "no model summary for articles/search/limits.md" in log
    assert (record["summary"]["summarizer"] == by_model) == any(row[0] == PAGE.name for row in rows)
    assert KEY not in log
    assert "model smollm2-135m: " in log and " request(s)" in log
