"""Model output and API keys are untrusted and secret: nothing live in the site, the key nowhere."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .conftest import make_project
from .gitrepo import RepoBuilder, utc
from .htmlcheck import assert_inert
from .openai_server import OpenAIServer

CANARY = "sk-canary-0123456789abcdefDIGESTCANARY"
MODEL = "canary-model"


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


@pytest.fixture(scope="module")
def docs_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    b = RepoBuilder(tmp_path_factory.mktemp("docs") / "repo")
    b.write("articles/ai-services/openai/models.md", "# Models\n\n| Model | Regions |\n|---|---|\n| `gpt-4o` | East US |\n")
    b.write("articles/search/overview.md", "# Overview\n\nSearch text.\n")
    b.commit("initial", utc(2025, 5, 1))
    b.write("articles/ai-services/openai/models.md",
            "# Models\n\n| Model | Regions |\n|---|---|\n| `gpt-4o` | East US |\n| `gpt-4.1` | Sweden Central |\n")
    b.write("articles/search/overview.md", "# Overview\n\nSearch text, now longer and clearer.\n\n## New section\n\nMore.\n")
    b.commit("Add gpt-4.1 (#9)", utc(2025, 5, 2))
    return b.path


def digest(root: Path, repo: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AZURE_OPENAI_", "DIGEST_"))}
    return subprocess.run(
        [sys.executable, "-m", "digest.cli", "run", "--verbose", "--repo", str(repo), "--since", "2025-05-02",
         "--until", "2025-05-02", "--summarizer", "openai", "--concurrency", "2"],
        cwd=root, capture_output=True, text=True, env={**clean, "TERM": "dumb", **env},
    )


def test_hostile_model_answers_never_become_live_html(tmp_path: Path, server: OpenAIServer, docs_repo: Path) -> None:
    server.reset()
    server.script(None, *["hostile"] * 50)
    root = make_project(tmp_path / "project")
    result = digest(root, docs_repo, {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": "test", "DIGEST_MODEL": MODEL})
    assert result.returncode == 0, result.stderr
    # the hostile page answer was used (it is a valid answer), so its words are on the page as plain text: the page
    # text keeps no markup (issue #11), so the tags are gone and what was inside them is shown as words
    page = BeautifulSoup((root / "public" / "en" / "2025-05-02-openai" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert 'alert("model-script")' in page.get_text() and '{: onclick="alert(3)" }' in page.get_text()
    assert f"model:{MODEL}" in (root / "data" / "digests" / "2025-05-02" / "openai.json").read_text(encoding="utf-8")
    assert assert_inert(root / "public") > 4


@pytest.mark.parametrize("style", ["openai", "azure"])
def test_a_canary_key_is_left_nowhere(tmp_path: Path, server: OpenAIServer, docs_repo: Path, style: str) -> None:
    server.reset()
    root = make_project(tmp_path / "project")
    if style == "openai":
        env = {"OPENAI_BASE_URL": server.openai_base_url, "OPENAI_API_KEY": CANARY, "DIGEST_MODEL": MODEL}
    else:
        env = {"AZURE_OPENAI_ENDPOINT": server.url, "AZURE_OPENAI_API_KEY": CANARY, "OPENAI_API_VERSION": "2024-10-21",
               "DIGEST_MODEL": MODEL}
    result = digest(root, docs_repo, env)
    assert result.returncode == 0, result.stderr
    requests = server.chat_requests()
    assert requests and all(r.style == style for r in requests)
    # the key did reach the server, so a leak would have had something to leak
    assert any(CANARY in " ".join(r.headers.values()) for r in requests)
    assert CANARY not in result.stdout + result.stderr
    scanned = 0
    for path in root.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
            scanned += 1
    assert scanned > 20
    assert (root / "data" / "state.json").exists() and list((root / ".digest").glob("model-cache.sqlite*"))
