"""Closed years built once (digest/site/periods.py, hooks/periods.py): a daily build on a two-year history reads
the open year's posts alone, and gives the same site as a full build from cold caches."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from digest.cli import main
from digest.models import AreaName
from digest.record import write_record
from digest.site.periods import period_key

from .sitebuild import SITE_URL, soup
from .support.records import digest_record, file_record
from .test_site_cache import tree

SEARCH = AreaName(ja="Azure AI Search", en="Azure AI Search")
DAYS = [(dt.date(2024, 3, 4), "openai"), (dt.date(2024, 12, 31), "search"), (dt.date(2025, 1, 2), "openai")]
NEW_DAY = (dt.date(2025, 1, 7), "search")


def add(root: Path, day: dt.date, area: str) -> None:
    files = [file_record(f"articles/{area}/page-{n}.md", f"Page {n} of {day}", "new feature") for n in range(2)]
    names = {"area": area, "area_name": SEARCH} if area == "search" else {}
    write_record(root / "data" / "digests", digest_record(files, day, **names))  # type: ignore[arg-type]
    assert main(["render", "--root", str(root)]) == 0


def build(root: Path, *extra: str) -> None:
    assert main(["build", "--root", str(root), "--site-url", SITE_URL, *extra]) == 0


def test_a_daily_build_reads_the_open_year_alone_and_gives_the_full_builds_site(project: Path, tmp_path: Path) -> None:
    for day, area in DAYS:
        add(project, day, area)
    build(project)
    periods = project / ".digest" / "page-cache" / "periods"
    closed = {path: path.stat().st_mtime_ns for path in periods.glob("*/*")}
    assert sorted(path.name[:4] for path in closed) == ["2024", "2024"]  # one entry per language
    histories = project / "public" / "en" / "history"
    kept_inode, changed_inode = ((histories / f"{area}~page-0.md" / "index.html").stat().st_ino for area in ("openai", "search"))
    add(project, *NEW_DAY)
    build(project)
    assert {path: path.stat().st_mtime_ns for path in periods.glob("*/*")} == closed  # 2024 was not built again
    # the open year's build read 2025's posts alone: its page cache holds no 2024 digest
    open_cache = list((project / ".digest" / "page-cache" / "ja@2025").rglob("page-*.json"))
    assert len(open_cache) == 2
    assert not (project / ".digest" / "page-cache" / "ja").exists()
    public = project / "public"
    old = public / "2024-03-04-openai" / "index.html"
    assert old.stat().st_nlink > 1  # linked from the closed year's entry, not written again
    # a file the new day left alone keeps its history page from the cache; the new day's files get new ones
    kept, changed = (public / "en" / "history" / f"{area}~page-0.md" / "index.html" for area in ("openai", "search"))
    assert kept.stat().st_ino == kept_inode and changed.stat().st_ino != changed_inode
    assert "2025-01-07" in changed.read_text(encoding="utf-8")
    daily = tree(public)

    cold = tmp_path / "cold"
    shutil.copytree(project, cold, symlinks=True, ignore=shutil.ignore_patterns(".digest", "public"))
    build(cold, "--force")
    assert tree(cold / "public") == daily

    # what a reader follows: the home page lists every year's months, an open year's area list links the closed
    # year's list of that area, a closed year's digest links its year's area list, the sitemap lists every digest
    home = {a["href"] for a in soup(public / "index.html").select("nav.md-nav--primary a")}
    assert {"archive/2025/01/", "archive/2024/12/", "archive/2024/03/"} <= home
    years = soup(public / "en" / "area" / "azure-ai-search" / "index.html").select("p.digest-years a")
    assert [a["href"] for a in years] == ["2024/"]
    assert (public / "en" / "area" / "azure-ai-search" / "2024" / "index.html").exists()
    areas = {a["href"] for a in soup(old).select("a[href*='area/']")}
    assert "../area/azure-openai/2024/" in areas and "../area/azure-openai/" not in areas
    sitemap = (public / "en" / "sitemap.xml").read_text(encoding="utf-8")
    for day, area in [*DAYS, NEW_DAY]:
        assert f"en/{day}-{area}/</loc>" in sitemap


def test_a_closed_years_key_follows_its_own_posts_only(project: Path) -> None:
    for day, area in DAYS:
        add(project, day, area)
    docs = project / "site" / "ja"
    inputs = [project / "mkdocs.yml", project / "overrides"]

    def key() -> str:
        return period_key(project, inputs, docs, 2024, SITE_URL)

    before = key()
    add(project, *NEW_DAY)
    assert key() == before  # a new day of the open year
    post = docs / "posts" / "2024-03-04-openai.md"
    post.write_text(post.read_text(encoding="utf-8") + "\nA correction.\n", encoding="utf-8")
    assert key() != before
