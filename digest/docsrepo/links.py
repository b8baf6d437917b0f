"""Links a reader needs: the live Learn page, the file on GitHub, the pull requests, the articles
that show an include file, and where a deleted or moved article now leads."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

from digest.docsrepo.paths import MEDIA_FOLDER, is_article_path, is_include_path, is_toc_path
from digest.docsrepo.includes import IncludeIndex
from digest.models import FileChange, FileLinks, LearnLinks
from digest.docsrepo.redirects import Redirects

LEARN = "https://learn.microsoft.com/{locale}/azure/{page}"
# without a locale, Learn sends each reader to the page in their own language
LEARN_ANY_LOCALE = "https://learn.microsoft.com/azure/{page}"


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


def learn_url(path: str) -> str | None:
    """The Learn page of an article in the reader's own language, or None when the file has no page."""
    page = learn_page(path)
    return LEARN_ANY_LOCALE.format(page=quote(page, safe="/")) if page is not None else None


@dataclass
class RepoLinks:
    """What the repository says about a changed file beyond its diff, at the day's head commit."""

    commit: str
    includes: IncludeIndex | None = None
    redirects: Redirects | None = None

    def included_by(self, change: FileChange) -> list[str]:
        """For an include file: the Learn pages of the articles that show it."""
        if self.includes is None or change.status == "removed" or not is_include_path(change.path):
            return []
        urls = (learn_url(article) for article in self.includes.articles_including(change.path))
        return [url for url in urls if url]

    def redirect_to(self, change: FileChange) -> str | None:
        """For a deleted or moved article: the URL its readers are redirected to."""
        if self.redirects is None:
            return None
        if change.status == "removed" and is_article_path(change.path):
            return self.redirects.target(change.path, self.commit)
        if change.status == "renamed" and change.old_path and is_article_path(change.old_path):
            return self.redirects.target(change.old_path, self.commit)
        return None


def github_blob(repo_url: str, commit: str, path: str) -> str:
    return f"{repo_url}/blob/{commit}/{quote(path, safe='/')}"


# a full commit id in a GitHub blob or compare address (after /blob/, /compare/ or ...)
FULL_COMMIT = re.compile(r"(/blob/|/compare/|\.\.\.)([0-9a-f]{12})[0-9a-f]{28}(?=[/#.]|$)")
# hex digits kept of a commit id in the pages' links: GitHub resolves an abbreviated id, and 12 digits stay
# unambiguous in a repository of millions of objects (git itself abbreviates the kernel's ids to 12)
SHORT_COMMIT = 12


def short_commits(url: str) -> str:
    """A GitHub blob or compare address with its commit ids abbreviated (the records keep the full ids).

    A digest's page has a GitHub link per file: the 40 digits of the commit were a sixth of its links.
    """
    if "/blob/" not in url and "/compare/" not in url:
        return url
    return FULL_COMMIT.sub(r"\1\2", url)


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
