"""The fixture bundle end to end against its manifest: every day, every file, status and counts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from digest.cli import main
from digest.models import MODIFICATION_TYPES, DigestRecord
from digest.record import iter_records

from .conftest import BUNDLE, make_project

RANGE = ["--since", "2025-02-03", "--until", "2025-02-28"]


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("fixture") / "project")
    assert main(["run", "--root", str(root), "--repo", str(BUNDLE), *RANGE]) == 0
    return root


@pytest.fixture(scope="module")
def records(fixture_run: Path) -> list[DigestRecord]:
    return list(iter_records(fixture_run / "data" / "digests"))


def test_every_manifest_day_has_records_with_its_range(records: list[DigestRecord], manifest: dict) -> None:
    by_day: dict[str, list[DigestRecord]] = {}
    for record in records:
        by_day.setdefault(record.date.isoformat(), []).append(record)
    assert sorted(by_day) == [day["date"] for day in manifest["days"]]
    for day in manifest["days"]:
        for record in by_day[day["date"]]:
            assert (record.base, record.head) == (day["base"], day["head"])
            assert record.compare_url.endswith(f"/compare/{day['base']}...{day['head']}")


def test_every_file_with_status_counts_and_binary_flag(records: list[DigestRecord], manifest: dict) -> None:
    for day in manifest["days"]:
        got = {
            file.path: (file.status, file.additions, file.deletions, file.binary)
            for record in records
            if record.date.isoformat() == day["date"]
            for file in record.files
        }
        expected = {
            file["path"]: (file["status"], file["additions"], file["deletions"], file["binary"])
            for file in day["files"]
        }
        assert got == expected, day["date"]


def test_counts_match_git_numstat(fixture_run: Path, records: list[DigestRecord]) -> None:
    clone = next((fixture_run / ".digest" / "repos").iterdir())
    for record in records:
        numstat = subprocess.run(
            ["git", "-c", "core.quotepath=off", "diff", "--numstat", "--find-renames", record.base, record.head],
            cwd=clone, capture_output=True, text=True, check=True,
        ).stdout
        counts = {}
        for line in numstat.splitlines():
            added, deleted, path = line.split("\t", 2)
            counts[path] = (0 if added == "-" else int(added), 0 if deleted == "-" else int(deleted))
        for file in record.files:
            assert counts[file.path] == (file.additions, file.deletions)


def test_records_carry_the_contract_fields(fixture_run: Path) -> None:
    paths = sorted((fixture_run / "data" / "digests").glob("*/*.json"))
    assert paths
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        for key in ("date", "area", "repo", "base", "head", "compare_url", "commits", "summary", "files"):
            assert key in data, (path, key)
        assert path.parent.name == data["date"] and path.stem == data["area"]
        for lang in ("ja", "en"):
            for key in ("highlight", "new_features", "breaking_changes", "other_updates", "insight"):
                assert key in data["summary"][lang]
            assert data["summary"][lang]["highlight"].strip()
        for file in data["files"]:
            for key in ("path", "old_path", "status", "additions", "deletions", "binary", "noise",
                        "modification_type", "title", "explanation", "links", "summarizer"):
                assert key in file, (path, key)
            assert file["modification_type"] in MODIFICATION_TYPES
            assert file["title"]["ja"].strip() and file["title"]["en"].strip()
            assert file["explanation"]["ja"].strip() and file["explanation"]["en"].strip()
            assert file["summarizer"] == "offline"


def test_commits_and_pull_requests(records: list[DigestRecord]) -> None:
    merge_day = [record for record in records if record.date.isoformat() == "2025-02-13"]
    subjects = {commit.subject: commit.pr for record in merge_day for commit in record.commits}
    assert subjects["Merge pull request #12345 from contributor/branch-name"] == 12345
    everything = {commit.subject: commit.pr for record in records for commit in record.commits}
    assert everything["Update 6 files in articles/ai-services/openai (#6125)"] == 6125
    assert everything["Update deploy-models-phi-4.md"] is None
    # files touched by a PR link it
    linked = [f for r in records for f in r.files if any(url.endswith("/pull/6125") for url in f.links.pull_requests)]
    assert len(linked) == 6


def test_the_site_is_built_in_both_languages(fixture_run: Path, records: list[DigestRecord]) -> None:
    public = fixture_run / "public"
    assert (public / "index.html").exists() and (public / "en" / "index.html").exists()
    for record in records:
        ja = (public / record.slug / "index.html").read_text(encoding="utf-8")
        en = (public / "en" / record.slug / "index.html").read_text(encoding="utf-8")
        # (the minified pages write a value without white space unquoted: digest/site/htmlmin.py)
        assert '<html lang=ja' in ja and '<html lang=en' in en
        assert "ハイライト" in ja and "Highlight" in en


def test_rerun_with_the_same_range_changes_no_file(fixture_run: Path) -> None:
    def snapshot() -> dict[str, int]:
        return {
            str(path): path.stat().st_mtime_ns
            for folder in ("data", "site", "public")
            for path in (fixture_run / folder).rglob("*")
            if path.is_file()
        }

    before = snapshot()
    assert main(["run", "--root", str(fixture_run), "--repo", str(BUNDLE), *RANGE]) == 0
    assert snapshot() == before
    # with no range: nothing since the last processed commit
    assert main(["run", "--root", str(fixture_run), "--repo", str(BUNDLE)]) == 0
    assert snapshot() == before
