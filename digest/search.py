"""Search: Pagefind's chunked static index of the built site, one index per language, written last.

Material's search sends a reader the whole index (16 MB per language at 1,000
digests) on the first query. Pagefind splits its index into small compressed
chunks and fetches only those a query's words need, plus the fragments of the
results shown. Its extended build segments Japanese text into words, so topic
words (移行, セキュリティ) reach the Japanese index. It runs once over the whole
site after MkDocs and digest/history.py: it finds each page's language from
`<html lang>`, so the English pages under en/ get an index of their own, and
the history pages are indexed too. What it indexes of a page is marked
`data-pagefind-body` (overrides/partials/content.html, the history pages), and
what it leaves out `data-pagefind-ignore` (empty sections) or EXCLUDED (diffs). The bundle
sits at the Japanese root, `pagefind/`; templates/assets/search.js queries it.
"""

from __future__ import annotations

import json
import logging
import subprocess
import time
from pathlib import Path

from .errors import DigestError

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
# what no page's index holds: the diff sections (their lines are not in the page anyway) and their notes
EXCLUDED = "details.diff, .diff-skipped, .diff-noscript"


def pagefind_binary() -> Path:
    """The extended Pagefind binary (the one that segments Japanese), from the `pagefind[extended]` package."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]
    except ImportError as error:
        raise DigestError("the site's search needs Pagefind's extended build: pip install 'pagefind[extended]'") from error
    return Path(get_executable())


def index_site(site_dir: Path) -> None:
    """Write the search bundle of every language of the site at `site_dir` into `site_dir/pagefind/`."""
    started = time.monotonic()
    command = [str(pagefind_binary()), "--site", str(site_dir), "--output-subdir", BUNDLE, "--quiet",
               "--exclude-selectors", EXCLUDED]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        details = (completed.stderr or completed.stdout).strip().splitlines()
        raise DigestError(f"search index (pagefind) failed: {details[-1] if details else 'no output'}")
    steady_entry(site_dir / BUNDLE / "pagefind-entry.json")
    log.info("indexed the site for search in %.1f s", time.monotonic() - started)


def steady_entry(path: Path) -> None:
    """Pagefind lists the languages in no fixed order: sorted, the same site gives the same bytes."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
