from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from digest.classify.areas import AreaConfig, load_area_config
from digest.project import copy_project
from digest.summarize import OfflineSummarizer

from .gitrepo import RepoBuilder
from .support.records import read_jsonl  # noqa: F401 - the tests' corpus reader

PROJECT = Path(__file__).resolve().parent.parent
SHARED = PROJECT.parent / "shared"
CORPUS = SHARED / "corpus"
FIXTURES = SHARED / "fixtures"
BUNDLE = FIXTURES / "azure-ai-docs-sample.bundle"
MANIFEST = FIXTURES / "azure-ai-docs-sample.manifest.json"


def make_project(root: Path) -> Path:
    """A temporary project root with this project's files."""
    return copy_project(PROJECT, root)


# where a model provider's address or key could come from: no test may reach one by accident
MODEL_ENVIRONMENT = (
    "OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_API_VERSION",
    "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_AD_TOKEN", "AZURE_OPENAI_DEPLOYMENT", "DIGEST_MODEL",
)


@pytest.fixture(scope="session", autouse=True)
def no_model_provider() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        for name in MODEL_ENVIRONMENT:
            patch.delenv(name, raising=False)
        yield


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def manifest() -> dict:
    return json.loads(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def areas() -> AreaConfig:
    return load_area_config(PROJECT / "config" / "areas.yml")


@pytest.fixture(scope="session")
def summarizer() -> OfflineSummarizer:
    """The offline summarizer on the project's own templates."""
    return OfflineSummarizer(str(PROJECT / "templates"))


@pytest.fixture
def repo_builder(tmp_path: Path) -> RepoBuilder:
    return RepoBuilder(tmp_path / "docs-repo")


