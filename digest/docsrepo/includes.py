"""Which articles include a file: a reverse index of `[!INCLUDE [...](path)]` references.

The index is built once from the repository (every Markdown file of one
commit, fetched in one request from a blobless clone) and then moved from
commit to commit by re-reading only the Markdown files that changed between
them, so a daily run reads just the files of its own diff. It is kept in
`data/includes.json` with the commit it describes.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re
import time
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, PrivateAttr, ValidationError

from digest.source.blobs import FetchStats, TreeEntry, changed_paths, commit_exists, list_files, read_blobs
from digest.classify.markdown import INCLUDE
from digest.docsrepo.paths import is_include_path
from digest.fsutil import write_text_atomic
from digest.source.repo import SourceRepo

log = logging.getLogger(__name__)

INDEX_VERSION = 1
# how many include hops lead from an include file to the articles showing it
MAX_DEPTH = 8
MARKDOWN = re.compile(r"\.(md|markdown)$", re.IGNORECASE)


def resolve(source_path: str, target: str) -> str | None:
    """The repository path an include reference points to, relative to the file that holds it."""
    target = target.strip().strip("<>").split("#", 1)[0].split("?", 1)[0].replace("\\", "/")
    if not target or "://" in target:
        return None
    if target.startswith("~/"):
        path = target[2:]
    elif target.startswith("/"):
        path = target[1:]
    else:
        path = posixpath.join(posixpath.dirname(source_path), target)
    path = posixpath.normpath(path)
    return None if path.startswith("..") or path == "." else path


def includes_of(path: str, text: str) -> list[str]:
    """The files a Markdown file includes, as repository paths, in order, without repeats."""
    if "[!" not in text:
        return []
    found: dict[str, None] = {}
    for match in INCLUDE.finditer(text):
        resolved = resolve(path, match.group(1))
        if resolved:
            found[resolved] = None
    return list(found)


class IncludeIndex(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int = INDEX_VERSION
    repo: str
    commit: str
    # file -> the files it includes (only files that include something)
    includes: dict[str, list[str]]
    _stats: FetchStats = PrivateAttr(default_factory=FetchStats)

    @cached_property
    def included_by(self) -> dict[str, list[str]]:
        """file -> the files that include it directly."""
        reverse: dict[str, list[str]] = {}
        for path, targets in self.includes.items():
            for target in targets:
                reverse.setdefault(target, []).append(path)
        return reverse

    def _forget_reverse(self) -> None:
        self.__dict__.pop("included_by", None)

    def articles_including(self, path: str) -> list[str]:
        """The articles that show `path`, directly or through other include files, sorted."""
        articles: set[str] = set()
        seen = {path}
        frontier = [path]
        for _ in range(MAX_DEPTH):
            following = []
            for current in frontier:
                for includer in self.included_by.get(current, []):
                    if includer in seen:
                        continue
                    seen.add(includer)
                    if is_include_path(includer):
                        following.append(includer)
                    else:
                        articles.add(includer)
            if not following:
                break
            frontier = following
        return sorted(articles)

    def update_files(self, contents: dict[str, bytes | None]) -> None:
        """Set the includes of changed files from their new content (None: the file is gone)."""
        for path, data in contents.items():
            targets = includes_of(path, data.decode("utf-8", errors="replace")) if data is not None else []
            if targets:
                self.includes[path] = targets
            else:
                self.includes.pop(path, None)
        self._forget_reverse()


def _markdown(entries: list[TreeEntry]) -> list[TreeEntry]:
    return [entry for entry in entries if MARKDOWN.search(entry.path)]


def bootstrap(source: SourceRepo, repo: str, commit: str) -> IncludeIndex:
    """The index of one commit, from every Markdown file in it."""
    started = time.monotonic()
    stats = FetchStats()
    entries = _markdown(list_files(source, commit))
    contents = read_blobs(source, commit, entries, stats)
    index = IncludeIndex(repo=repo, commit=commit, includes={})
    index.update_files(dict(contents))
    index._stats = stats
    log.info(
        "include index built from %d Markdown file(s) (%.1f MB, %d fetched) in %.1f s: %d file(s) include others",
        stats.blobs, stats.bytes / 1e6, stats.fetched, time.monotonic() - started, len(index.includes),
    )
    return index


def advance(index: IncludeIndex | None, source: SourceRepo, repo: str, commit: str) -> IncludeIndex:
    """The index moved to `commit`: only the Markdown files that differ are read again.

    With no index, an index of another repository, or a commit the repository
    does not have, the index is built from scratch.
    """
    if index is None or index.repo != repo or index.version != INDEX_VERSION or not commit_exists(source, index.commit):
        return bootstrap(source, repo, commit)
    if index.commit == commit:
        return index
    paths = [path for path in changed_paths(source, index.commit, commit) if MARKDOWN.search(path)]
    if paths:
        present = {entry.path: entry for entry in list_files(source, commit)}
        entries = [present[path] for path in paths if path in present]
        contents = read_blobs(source, commit, entries, index._stats)
        index.update_files({path: contents.get(path) for path in paths})
    index.commit = commit
    return index


def load_index(path: Path) -> IncludeIndex | None:
    try:
        return IncludeIndex.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except (ValidationError, ValueError) as error:
        log.warning("include index %s unreadable, rebuilding it: %s", path, str(error).splitlines()[0])
        return None


def save_index(path: Path, index: IncludeIndex) -> bool:
    data = index.model_dump(mode="json")
    data["includes"] = dict(sorted(data["includes"].items()))
    return write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
