"""State: reruns do nothing, new commits are picked up from the last processed one."""

from __future__ import annotations

import json
from pathlib import Path

from digest.cli import main
from digest.source.state import load_state

from .gitrepo import RepoBuilder, utc


def run(root: Path, repo: Path, *extra: str) -> int:
    return main(["run", "--root", str(root), "--repo", str(repo), "--no-build", *extra])


def days_on_disk(root: Path) -> list[str]:
    return sorted(path.name for path in (root / "data" / "digests").iterdir())


def test_state_driven_runs_pick_up_only_new_days(project: Path, repo_builder: RepoBuilder) -> None:
    b = repo_builder
    b.write("articles/search/a.md", "# A\n\none\n")
    b.commit("initial", utc(2025, 4, 1))
    b.write("articles/search/a.md", "# A\n\ntwo\n")
    first_head = b.commit("day one (#1)", utc(2025, 4, 2))
    assert run(project, b.path, "--since", "2025-04-02") == 0
    state = load_state(project / "data" / "state.json")
    assert state.last_head == first_head and state.days == {"2025-04-02": first_head}
    assert days_on_disk(project) == ["2025-04-02"]

    # nothing new: no file changes
    snapshot = {p: p.stat().st_mtime_ns for p in project.rglob("*") if p.is_file() and ".digest" not in p.parts}
    assert run(project, b.path) == 0
    assert {p: p.stat().st_mtime_ns for p in project.rglob("*") if p.is_file() and ".digest" not in p.parts} == snapshot

    # a new commit later the same day, and one the next day: both days are (re)digested whole
    b.write("articles/search/b.md", "# B\n")
    same_day = b.commit("later on day one (#2)", utc(2025, 4, 2, 8))
    b.write("articles/openai/c.md", "# C\n")
    next_day = b.commit("day two (#3)", utc(2025, 4, 3))
    assert run(project, b.path) == 0
    assert days_on_disk(project) == ["2025-04-02", "2025-04-03"]
    record = json.loads((project / "data/digests/2025-04-02/search.json").read_text(encoding="utf-8"))
    assert record["head"] == same_day
    assert sorted(f["path"] for f in record["files"]) == ["articles/search/a.md", "articles/search/b.md"]
    assert [c["pr"] for c in record["commits"]] == [1, 2]
    state = load_state(project / "data" / "state.json")
    assert state.last_head == next_day and set(state.days) == {"2025-04-02", "2025-04-03"}


def test_a_backfill_does_not_move_the_last_processed_commit_back(project: Path, repo_builder: RepoBuilder) -> None:
    b = repo_builder
    b.write("articles/search/a.md", "1\n")
    b.commit("initial", utc(2025, 4, 1))
    b.write("articles/search/a.md", "2\n")
    b.commit("two", utc(2025, 4, 2))
    b.write("articles/search/a.md", "3\n")
    newest = b.commit("three", utc(2025, 4, 3))
    assert run(project, b.path, "--since", "2025-04-03") == 0
    assert run(project, b.path, "--since", "2025-04-01", "--until", "2025-04-02") == 0
    state = load_state(project / "data" / "state.json")
    assert state.last_head == newest
    assert sorted(state.days) == ["2025-04-01", "2025-04-02", "2025-04-03"]


def test_a_day_whose_commits_change_nothing_still_gets_a_page(project: Path, repo_builder: RepoBuilder) -> None:
    b = repo_builder
    b.write("articles/search/a.md", "1\n")
    b.commit("initial", utc(2025, 4, 1))
    b.commit("an empty commit", utc(2025, 4, 2), allow_empty=True)
    assert run(project, b.path, "--since", "2025-04-02", "--until", "2025-04-02") == 0
    record = json.loads((project / "data/digests/2025-04-02/other.json").read_text(encoding="utf-8"))
    assert record["files"] == [] and record["commits"][0]["subject"] == "an empty commit"
    page = (project / "site/en/posts/2025-04-02-other.md").read_text(encoding="utf-8")
    assert "changed no file" in page and "an empty commit" in page


def test_render_skips_posts_whose_inputs_did_not_change(project: Path, repo_builder: RepoBuilder) -> None:
    from digest.render.pages import render_all

    b = repo_builder
    b.write("articles/search/a.md", "# A\n\none\n")
    b.write("articles/openai/b.md", "# B\n\none\n")
    b.commit("initial", utc(2025, 4, 1))
    b.write("articles/search/a.md", "# A\n\ntwo\n")
    b.write("articles/openai/b.md", "# B\n\ntwo\n")
    b.commit("day one", utc(2025, 4, 2))
    assert run(project, b.path, "--since", "2025-04-02") == 0
    paths = {"data": project / "data", "site": project / "site", "templates": project / "templates"}

    def render():  # type: ignore[no-untyped-def]
        return render_all(paths["data"] / "digests", paths["site"], paths["templates"])

    assert render().written == 0
    # a record changes: only its two posts are rendered again
    record_path = project / "data/digests/2025-04-02/search.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["files"][0]["title"]["en"] = "A title changed by hand"
    record_path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    result = render()
    assert result.written == 2
    assert "A title changed by hand" in (project / "site/en/posts/2025-04-02-search.md").read_text(encoding="utf-8")
    # a template changes: every post is rendered again
    labels = paths["templates"] / "labels.j2"
    labels.write_text(labels.read_text(encoding="utf-8").replace('"Highlight"', '"Highlights"'), encoding="utf-8")
    assert render().written == 4
    assert "## Highlights" in (project / "site/en/posts/2025-04-02-openai.md").read_text(encoding="utf-8")
