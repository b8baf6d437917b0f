"""Links that land: the Learn URL rule, the include reverse index, redirect targets, on real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.source.blobs import FetchStats, list_files, missing_blobs
from digest.cli import main
from digest.docsrepo.includes import IncludeIndex, advance, bootstrap, includes_of, load_index, resolve, save_index
from digest.docsrepo.links import compare_url, github_blob, learn_links, learn_page, learn_url, short_commits
from digest.record import iter_records
from digest.docsrepo.redirects import Redirects, parse_redirections
from digest.source.repo import SourceRepo, open_source

from .conftest import make_project
from .gitrepo import RepoBuilder, utc

# --- GitHub addresses on the pages ---------------------------------------------------

HEAD = "65843eb925185bc0c22e1309f8935621f7a2c015"
BASE = "02be6c7ff36a0ecb78a3fdfc0071a750e19a5872"
GITHUB = "https://github.com/MicrosoftDocs/azure-ai-docs"


def test_pages_abbreviate_commit_ids_to_twelve_digits_and_nothing_else() -> None:
    assert short_commits(github_blob(GITHUB, HEAD, "articles/a b.md")) == f"{GITHUB}/blob/65843eb92518/articles/a%20b.md"
    assert short_commits(compare_url(GITHUB, BASE, HEAD)) == f"{GITHUB}/compare/02be6c7ff36a...65843eb92518"
    assert short_commits(compare_url(GITHUB, BASE, HEAD) + "#diff-ab12") == f"{GITHUB}/compare/02be6c7ff36a...65843eb92518#diff-ab12"
    # a file named like a commit id, a branch name, a pull request, a Learn page: unchanged
    for url in (f"{GITHUB}/blob/main/articles/{HEAD}.md", f"{GITHUB}/blob/{HEAD[:12]}/a.md", f"{GITHUB}/pull/8989",
                f"https://learn.microsoft.com/azure/{HEAD}"):
        assert short_commits(url) == url


# --- the Learn URL rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "page"),
    [
        ("articles/ai-services/openai/how-to/fine-tuning.md", "ai-services/openai/how-to/fine-tuning"),
        ("articles/ai-services/openai/faq.yml", "ai-services/openai/faq"),
        ("articles/search/index.yml", "search"),  # a landing page is its folder
        ("articles/ai-services/openai/includes/use-your-data-rest.md", None),  # include files have no page
        ("articles/search/media/search-howto/image.png", None),  # neither do media files
        ("articles/search/toc.yml", None),
        ("articles/search/search-sample.py", None),
        ("README.md", None),
    ],
)
def test_learn_page_rule(path: str, page: str | None) -> None:
    assert learn_page(path) == page


def test_learn_links_in_both_languages_and_for_any_locale() -> None:
    links = learn_links("articles/search/index.yml")
    assert links is not None
    assert (links.ja, links.en) == ("https://learn.microsoft.com/ja-jp/azure/search", "https://learn.microsoft.com/en-us/azure/search")
    assert learn_url("articles/search/search-what-is.md") == "https://learn.microsoft.com/azure/search/search-what-is"
    assert learn_url("articles/search/includes/x.md") is None


# --- include references -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "resolved"),
    [
        ("../includes/note.md", "articles/a/includes/note.md"),
        ("includes/note.md", "articles/a/b/includes/note.md"),
        ("~/articles/shared/x.md", "articles/shared/x.md"),
        ("<../includes/note.md>", "articles/a/includes/note.md"),
        ("../includes/note.md#part", "articles/a/includes/note.md"),
        ("../../../../outside.md", None),
        ("https://example.com/x.md", None),
    ],
)
def test_include_targets_resolve_against_the_including_file(target: str, resolved: str | None) -> None:
    assert resolve("articles/a/b/page.md", target) == resolved


def test_includes_of_finds_each_reference_once() -> None:
    text = "[!INCLUDE [a](../includes/a.md)]\ntext\n[!include[b](../includes/b.md)]\n[!INCLUDE [a again](../includes/a.md)]"
    assert includes_of("articles/s/how-to/p.md", text) == ["articles/s/includes/a.md", "articles/s/includes/b.md"]


def _page(*includes: str) -> str:
    lines = ["---", "title: A page", "---", "", "# A page", ""]
    lines += [f"[!INCLUDE [part](includes/{name}.md)]" for name in includes]
    return "\n".join(lines) + "\n"


@pytest.fixture
def docs(repo_builder: RepoBuilder) -> RepoBuilder:
    repo_builder.write("articles/svc/one.md", _page("shared", "outer"))
    repo_builder.write("articles/svc/two.md", _page("shared"))
    repo_builder.write("articles/svc/includes/shared.md", "Shared text.\n")
    repo_builder.write("articles/svc/includes/outer.md", "[!INCLUDE [inner](inner.md)]\n")
    repo_builder.write("articles/svc/includes/inner.md", "Inner text.\n")
    repo_builder.commit("first", utc(2025, 3, 3))
    return repo_builder


def _source(builder: RepoBuilder) -> SourceRepo:
    return SourceRepo(builder.repo, "refs/heads/main", "path")


def test_index_names_the_articles_that_show_an_include_directly_or_nested(docs: RepoBuilder) -> None:
    index = bootstrap(_source(docs), "repo", docs.repo.head.commit.hexsha)
    assert index.articles_including("articles/svc/includes/shared.md") == ["articles/svc/one.md", "articles/svc/two.md"]
    assert index.articles_including("articles/svc/includes/inner.md") == ["articles/svc/one.md"]  # through outer.md
    assert index.articles_including("articles/svc/one.md") == []


def test_index_follows_each_commit_by_reading_only_the_changed_files(docs: RepoBuilder, tmp_path: Path) -> None:
    source = _source(docs)
    first = docs.repo.head.commit.hexsha
    index = bootstrap(source, "repo", first)
    save_index(tmp_path / "includes.json", index)
    docs.write("articles/svc/two.md", _page())  # stops including shared.md
    docs.write("articles/svc/three.md", _page("inner"))  # a new article
    docs.remove("articles/svc/one.md")
    second = docs.commit("second", utc(2025, 3, 4))

    loaded = load_index(tmp_path / "includes.json")
    assert loaded is not None and loaded.commit == first
    stats_before = loaded._stats.blobs
    moved = advance(loaded, source, "repo", second)
    assert moved.commit == second
    assert moved._stats.blobs - stats_before == 2  # two.md and three.md: the deleted file needs no read
    assert moved.articles_including("articles/svc/includes/shared.md") == []
    assert moved.articles_including("articles/svc/includes/inner.md") == ["articles/svc/three.md"]
    # and back to the first commit: the index describes any commit it is moved to
    back = advance(moved, source, "repo", first)
    assert back.articles_including("articles/svc/includes/shared.md") == ["articles/svc/one.md", "articles/svc/two.md"]


def test_index_of_another_repository_or_an_unknown_commit_is_rebuilt(docs: RepoBuilder) -> None:
    source = _source(docs)
    head = docs.repo.head.commit.hexsha
    stranger = IncludeIndex(repo="other", commit=head, includes={})
    assert advance(stranger, source, "repo", head).articles_including("articles/svc/includes/shared.md")
    lost = IncludeIndex(repo="repo", commit="0" * 40, includes={})
    assert advance(lost, source, "repo", head).repo == "repo"


def test_unreadable_index_file_is_rebuilt_not_fatal(tmp_path: Path) -> None:
    broken = tmp_path / "includes.json"
    broken.write_text("{ not json", encoding="utf-8")
    assert load_index(broken) is None
    assert load_index(tmp_path / "absent.json") is None


def test_bootstrap_from_a_blobless_clone_fetches_the_markdown_in_one_request(docs: RepoBuilder, tmp_path: Path) -> None:
    docs.write("articles/svc/media/picture.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    docs.commit("an image", utc(2025, 3, 5))
    source = open_source(docs.path.resolve().as_uri(), "main", tmp_path / "work")
    head = source.repo.git.rev_parse(source.ref)
    markdown = {entry.oid for entry in list_files(source, head) if entry.path.endswith(".md")}
    assert markdown <= missing_blobs(source, head)  # blobless: nothing read yet

    index = bootstrap(source, "repo", head)
    stats: FetchStats = index._stats
    assert (stats.blobs, stats.fetched) == (len(markdown), len(markdown))
    assert not markdown & missing_blobs(source, head)
    assert missing_blobs(source, head)  # the image was never fetched
    assert index.articles_including("articles/svc/includes/shared.md") == ["articles/svc/one.md", "articles/svc/two.md"]


# --- redirects ------------------------------------------------------------------------------


def test_redirection_entries_in_both_spellings() -> None:
    data = json.dumps(
        {
            "redirections": [
                {"source_path_from_root": "/articles/svc/old.md", "redirect_url": "/azure/svc/new", "redirect_document_id": True},
                {"source_path": "articles/svc/older.md", "redirect_url": "https://example.com/elsewhere"},
                {"source_path": "", "redirect_url": "/azure/nothing"},
                "not an entry",
            ]
        }
    ).encode()
    assert parse_redirections("x.json", data) == {
        "articles/svc/old.md": "/azure/svc/new",
        "articles/svc/older.md": "https://example.com/elsewhere",
    }
    assert parse_redirections("bad.json", b"{ nope") == {}


def test_deleted_article_leads_to_its_redirect_target_through_chains(docs: RepoBuilder) -> None:
    docs.write(
        ".openpublishing.redirection.json",
        json.dumps({"redirections": [{"source_path_from_root": "/articles/svc/gone.md", "redirect_url": "/azure/svc/moved"}]}),
    )
    docs.write(
        "articles/svc/.openpublishing.redirection.svc.json",
        json.dumps({"redirections": [{"source_path": "articles/svc/moved.md", "redirect_url": "/azure/svc/final#part"}]}),
    )
    docs.write("articles/.openpublishing.redirection.broken.json", "{ this is not json")
    head = docs.commit("redirects", utc(2025, 3, 6))
    redirects = Redirects(_source(docs))
    assert redirects.target("articles/svc/gone.md", head) == "https://learn.microsoft.com/azure/svc/final#part"
    assert redirects.target("articles/svc/moved.md", head) == "https://learn.microsoft.com/azure/svc/final#part"
    assert redirects.target("articles/svc/one.md", head) is None


# --- the pipeline, end to end -------------------------------------------------------------------


def test_records_and_pages_carry_included_by_and_redirect_to(docs: RepoBuilder, tmp_path: Path) -> None:
    docs.write("articles/svc/includes/shared.md", "Shared text, corrected.\n")
    docs.commit("Update shared.md (#101)", utc(2025, 3, 10))
    docs.remove("articles/svc/two.md")
    docs.write(
        ".openpublishing.redirection.json",
        json.dumps({"redirections": [{"source_path_from_root": "/articles/svc/two.md", "redirect_url": "/azure/svc/one"}]}),
    )
    docs.commit("Retire two.md (#102)", utc(2025, 3, 11))
    root = make_project(tmp_path / "project")
    args = ["--root", str(root), "--repo", str(docs.path), "--since", "2025-03-10", "--until", "2025-03-11", "--tz", "UTC"]
    assert main(["run", "--no-build", *args]) == 0

    files = {file.path: file for record in iter_records(root / "data" / "digests") for file in record.files}
    shared = files["articles/svc/includes/shared.md"]
    assert shared.links.included_by == [
        "https://learn.microsoft.com/azure/svc/one",
        "https://learn.microsoft.com/azure/svc/two",
    ]
    gone = files["articles/svc/two.md"]
    assert (gone.status, gone.links.redirect_to) == ("removed", "https://learn.microsoft.com/azure/svc/one")
    assert gone.links.learn is None
    assert json.loads((root / "data" / "includes.json").read_text(encoding="utf-8"))["commit"] == docs.repo.head.commit.hexsha

    english = "\n".join(path.read_text(encoding="utf-8") for path in (root / "site" / "en" / "posts").glob("*.md"))
    japanese = "\n".join(path.read_text(encoding="utf-8") for path in (root / "site" / "ja" / "posts").glob("*.md"))
    assert "Articles that include this file: [one](https://learn.microsoft.com/azure/svc/one)" in english
    assert "Now redirects to: [https://learn.microsoft.com/azure/svc/one](https://learn.microsoft.com/azure/svc/one)" in english
    assert "このファイルを含む記事" in japanese and "リダイレクト先" in japanese
