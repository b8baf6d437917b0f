"""Where a deleted or moved article now leads: the `.openpublishing.redirection*.json` files of the repository.

Each file holds `{"redirections": [{"source_path_from_root": "/articles/x.md",
"redirect_url": "/azure/y"}, ...]}` (older entries use `source_path`, relative
to the repository root). They are read at a day's head commit, only on days
that delete or move an article, and parsed again only when one of them changed.
"""

from __future__ import annotations

import json
import logging
import posixpath
import re

from digest.source.blobs import list_files, read_blobs
from digest.source.repo import SourceRepo

log = logging.getLogger(__name__)

REDIRECTION_FILE = re.compile(r"(^|/)\.openpublishing\.redirection[^/]*\.json$", re.IGNORECASE)
LEARN_SITE = "https://learn.microsoft.com"
MAX_HOPS = 10


def parse_redirections(name: str, data: bytes) -> dict[str, str]:
    """source path -> redirect URL of one redirection file; a file that is not valid JSON yields nothing."""
    try:
        document = json.loads(data.decode("utf-8-sig", errors="replace"))
    except ValueError as error:
        log.warning("skipping %s: not valid JSON (%s)", name, error)
        return {}
    entries = document.get("redirections", []) if isinstance(document, dict) else []
    result: dict[str, str] = {}
    for entry in entries if isinstance(entries, list) else []:
        if not isinstance(entry, dict):
            continue
        source = entry.get("source_path_from_root") or entry.get("source_path")
        target = entry.get("redirect_url")
        if isinstance(source, str) and isinstance(target, str) and source.strip() and target.strip():
            result[posixpath.normpath(source.strip().lstrip("/"))] = target.strip()
    return result


def absolute(url: str) -> str:
    """A redirect URL as a link: site-relative Learn paths get the Learn host (no locale: Learn picks it)."""
    if url.startswith(("https://", "http://")):
        return url
    return LEARN_SITE + (url if url.startswith("/") else "/" + url)


def _source_of(url: str) -> list[str]:
    """The article paths a Learn URL may be served from, to follow a chain of redirects."""
    path = url.removeprefix(LEARN_SITE).split("#", 1)[0].split("?", 1)[0]
    path = re.sub(r"^/[a-z]{2}-[a-z]{2}/", "/", path)
    if not path.startswith("/azure/"):
        return []
    page = "articles/" + path[len("/azure/") :].strip("/")
    return [page + ".md", page + "/index.yml", page + ".yml"]


class Redirects:
    """The redirect map of the repository, as of the last commit it was asked about."""

    def __init__(self, source: SourceRepo) -> None:
        self.source = source
        self._files: tuple[tuple[str, str], ...] | None = None
        self._map: dict[str, str] = {}

    def _load(self, commit: str) -> None:
        entries = [entry for entry in list_files(self.source, commit) if REDIRECTION_FILE.search(entry.path)]
        key = tuple(sorted((entry.path, entry.oid) for entry in entries))
        if key == self._files:
            return
        merged: dict[str, str] = {}
        for name, data in sorted(read_blobs(self.source, commit, entries).items()):
            merged.update(parse_redirections(name, data))
        self._files, self._map = key, merged
        log.info("%d redirect(s) read from %d redirection file(s) at %s", len(merged), len(entries), commit[:12])

    def target(self, path: str, commit: str) -> str | None:
        """The URL a reader of `path` is sent to, following chained redirects; None when none is listed."""
        self._load(commit)
        url = self._map.get(posixpath.normpath(path))
        hops = 0
        while url is not None and hops < MAX_HOPS:
            following = next((self._map[p] for p in _source_of(absolute(url)) if p in self._map), None)
            if following is None or following == url:
                break
            url, hops = following, hops + 1
        return absolute(url) if url else None
