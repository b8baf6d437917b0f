"""The daily workflow: linted by actionlint and zizmor (offline), and holding what the job needs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import PROJECT

WORKFLOW = PROJECT / ".github" / "workflows" / "daily.yml"


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is a test dependency and must be installed"
    return found


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run([tool("actionlint"), str(WORKFLOW)], cwd=PROJECT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_even_pedantic() -> None:
    result = subprocess.run(
        [tool("zizmor"), "--offline", "--persona", "pedantic", "--config", str(PROJECT / "zizmor.yml"), str(WORKFLOW)],
        cwd=PROJECT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings" in result.stdout + result.stderr


def test_the_workflow_has_what_the_daily_job_needs() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    assert workflow["concurrency"]["group"]
    assert workflow["permissions"] == {}
    jobs = workflow["jobs"]
    assert jobs["digest"]["permissions"] == {"contents": "write"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    steps = jobs["digest"]["steps"]
    uses = [step.get("uses", "") for step in steps] + [step.get("uses", "") for step in jobs["deploy"]["steps"]]
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(step.get("with", {}).get("cache") == "pip" for step in steps)
    assert any(u.startswith("actions/cache/restore@") for u in uses) and any(u.startswith("actions/cache/save@") for u in uses)
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "digest run" in runs and "git add data site" in runs and "git push" in runs and "digest build" in runs
    # secrets only through secrets.*, never inline in a script
    for step in steps:
        assert "secrets." not in step.get("run", "")
    assert not re.search(r"sk-[A-Za-z0-9]{8,}", text)
