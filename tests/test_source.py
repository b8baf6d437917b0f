"""Source stage: days in a time zone, first-parent ranges, clones and fetches of real repositories."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import git
import pytest

from digest.diff import diff_range
from digest.errors import DigestError
from digest.source.repo import day_ranges, first_parent_chain, open_source, pull_request_number

from .gitrepo import RepoBuilder, utc

TOKYO = ZoneInfo("Asia/Tokyo")
TODAY = dt.date(2025, 6, 1)


def test_pull_request_numbers() -> None:
    assert pull_request_number("Merge pull request #12345 from someone/branch") == 12345
    assert pull_request_number("Update 6 files in articles (#6125)") == 6125
    assert pull_request_number("Update deploy-models-phi-4.md") is None
    assert pull_request_number("Fix #12 in the middle") is None


@pytest.fixture
def history(repo_builder: RepoBuilder):
    """Commits around midnight in Tokyo, a merge of a side branch, and several commits to one file."""
    b = repo_builder
    b.write("articles/a.md", "v1\n")
    shas = {"initial": b.commit("initial", utc(2025, 3, 1, 3))}
    b.write("articles/a.md", "v2\n")
    # 14:59 UTC is 23:59 in Tokyo: still March 2 there
    shas["late"] = b.commit("late on March 2 in Tokyo (#1)", utc(2025, 3, 2, 14, 59))
    b.write("articles/a.md", "v3\n")
    # 15:01 UTC is 00:01 on March 3 in Tokyo
    shas["early"] = b.commit("early on March 3 in Tokyo", utc(2025, 3, 2, 15, 1))
    b.repo.git.checkout("-q", "-b", "feature")
    b.write("articles/b.md", "side\n")
    shas["side"] = b.commit("side branch work", utc(2025, 3, 3, 1))
    b.repo.git.checkout("-q", "main")
    b.write("articles/a.md", "v4\n")
    shas["main"] = b.commit("main work", utc(2025, 3, 3, 2))
    shas["merge"] = b.merge("feature", "Merge pull request #77 from someone/feature", utc(2025, 3, 3, 4))
    return b, shas


def test_days_follow_the_time_zone_and_the_first_parent(history, tmp_path) -> None:
    builder, shas = history
    source = open_source(str(builder.path), "main", tmp_path / "work")
    chain = first_parent_chain(source)
    assert shas["side"] not in [commit.sha for commit in chain]
    ranges = {r.day.isoformat(): r for r in day_ranges(chain, TOKYO, TODAY)}
    assert sorted(ranges) == ["2025-03-01", "2025-03-02", "2025-03-03"]
    march3 = ranges["2025-03-03"]
    assert (march3.base, march3.head) == (shas["late"], shas["merge"])
    assert [c.subject for c in march3.commits] == ["early on March 3 in Tokyo", "main work", "Merge pull request #77 from someone/feature"]
    assert march3.commits[-1].pr == 77
    # several commits to one file on one day: the file appears once, diffed over the whole day
    changes = {c.path: c for c in diff_range(source, march3.base, march3.head)}
    assert set(changes) == {"articles/a.md", "articles/b.md"}
    assert changes["articles/a.md"].patch.endswith("-v2\n+v4")
    # in UTC the late commit falls on March 2 as well, the early one too
    utc_days = {r.day.isoformat(): r for r in day_ranges(chain, ZoneInfo("UTC"), TODAY)}
    assert [c.sha for c in utc_days["2025-03-02"].commits] == [shas["late"], shas["early"]]


def test_range_filters_and_after_sha(history, tmp_path) -> None:
    builder, shas = history
    chain = first_parent_chain(open_source(str(builder.path), "main", tmp_path / "work"))
    only = day_ranges(chain, TOKYO, TODAY, since=dt.date(2025, 3, 2), until=dt.date(2025, 3, 2))
    assert [r.day.isoformat() for r in only] == ["2025-03-02"]
    assert only[0].base == shas["initial"]
    after = day_ranges(chain, TOKYO, TODAY, after_sha=shas["late"])
    assert [r.day.isoformat() for r in after] == ["2025-03-03"]
    assert day_ranges(chain, TOKYO, TODAY, after_sha=shas["merge"]) == []
    with pytest.raises(DigestError, match="no longer on the branch"):
        day_ranges(chain, TOKYO, TODAY, after_sha="0" * 40)


def test_a_future_commit_counts_today_and_is_flagged(repo_builder: RepoBuilder, tmp_path) -> None:
    b = repo_builder
    b.write("a.md", "1\n")
    b.commit("first", utc(2025, 5, 30))
    b.write("a.md", "2\n")
    b.commit("from the future", utc(2030, 1, 1))
    chain = first_parent_chain(open_source(str(b.path), "main", tmp_path / "work"))
    ranges = day_ranges(chain, TOKYO, TODAY)
    assert ranges[-1].day == TODAY and ranges[-1].commits[0].date_adjusted


def test_url_is_cloned_blobless_and_fetched_later(history, tmp_path) -> None:
    builder, shas = history
    url = builder.path.resolve().as_uri()
    work = tmp_path / "work"
    source = open_source(url, "main", work)
    clone = source.repo
    assert clone.git.config("remote.origin.promisor") == "true"
    assert clone.git.config("remote.origin.partialclonefilter") == "blob:none"
    assert clone.git.rev_parse(source.ref) == shas["merge"]
    # blobs arrive on demand for a diff
    chain = first_parent_chain(source)
    day = day_ranges(chain, TOKYO, TODAY)[-1]
    assert {c.path for c in diff_range(source, day.base, day.head)} == {"articles/a.md", "articles/b.md"}
    builder.write("articles/c.md", "new\n")
    newest = builder.commit("another day", utc(2025, 3, 5))
    again = open_source(url, "main", work)
    assert again.repo.working_dir == clone.working_dir
    assert again.repo.git.rev_parse(again.ref) == newest


def test_bundle_is_cloned(tmp_path) -> None:
    from .conftest import BUNDLE

    source = open_source(str(BUNDLE), "main", tmp_path / "work")
    # 30 commits, one of them on the merged side branch
    assert len(first_parent_chain(source)) == 29
    assert len(list(source.repo.iter_commits(source.ref))) == 30


def test_unknown_branch_and_missing_repository(history, tmp_path) -> None:
    builder, _ = history
    with pytest.raises(DigestError, match="unknown branch 'nope'"):
        open_source(str(builder.path), "nope", tmp_path / "work")
    with pytest.raises(DigestError, match="unknown branch 'nope'"):
        open_source(builder.path.resolve().as_uri(), "nope", tmp_path / "work2")
    with pytest.raises(DigestError, match="repository not found"):
        open_source(str(tmp_path / "missing"), "main", tmp_path / "work")
    with pytest.raises(DigestError, match="cannot read repository"):
        open_source((tmp_path / "missing").as_uri(), "main", tmp_path / "work3")
    (tmp_path / "plain").mkdir()
    with pytest.raises(DigestError, match="not a git repository"):
        open_source(str(tmp_path / "plain"), "main", tmp_path / "work")
    assert isinstance(builder.repo, git.Repo)
