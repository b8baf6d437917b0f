"""Links a reader needs: the live Learn page, the file on GitHub, the pull requests."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import quote

from .classify import MEDIA_FOLDER, is_include_path, is_toc_path
from .models import FileLinks, LearnLinks

LEARN = "https://learn.microsoft.com/{locale}/azure/{page}"


def learn_page(path: str) -> str | None:
    """The Learn page path of an article (after /azure/), or None when the file has no page."""
    if not path.startswith("articles/") or is_include_path(path) or is_toc_path(path) or MEDIA_FOLDER.search(path):
        return None
    relative = PurePosixPath(path[len("articles/") :])
    if relative.name == "index.yml":
        return str(relative.parent)
    if relative.suffix not in (".md", ".yml"):
        return None
    return str(relative.with_suffix(""))


def learn_links(path: str) -> LearnLinks | None:
    page = learn_page(path)
    if page is None:
        return None
    page = quote(page, safe="/")
    return LearnLinks(ja=LEARN.format(locale="ja-jp", page=page), en=LEARN.format(locale="en-us", page=page))


def github_blob(repo_url: str, commit: str, path: str) -> str:
    return f"{repo_url}/blob/{commit}/{quote(path, safe='/')}"


def compare_url(repo_url: str, base: str, head: str) -> str:
    return f"{repo_url}/compare/{base}...{head}"


def pull_request_url(repo_url: str, number: int) -> str:
    return f"{repo_url}/pull/{number}"


def file_links(
    repo_url: str,
    path: str,
    status: str,
    base: str,
    head: str,
    pull_requests: list[int],
    included_by: list[str] | None = None,
    redirect_to: str | None = None,
) -> FileLinks:
    return FileLinks(
        learn=learn_links(path) if status != "removed" else None,
        github=github_blob(repo_url, base if status == "removed" else head, path),
        pull_requests=[pull_request_url(repo_url, number) for number in pull_requests],
        included_by=included_by or [],
        redirect_to=redirect_to,
    )
