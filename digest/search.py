"""Search: Pagefind's chunked static index of the built site, one index per language, written last.

Material's search sends a reader the whole index (16 MB per language at 1,000
digests) on the first query. Pagefind splits its index into small compressed
chunks and fetches only those a query's words need, plus the fragments of the
results shown. Its extended build segments Japanese text into words, so topic
words (移行, セキュリティ) reach the Japanese index. It runs once over the whole
site after MkDocs and digest/history.py, once per language (the English pages
under en/ get a bundle of their own), history pages included. What it indexes of a page is marked
`data-pagefind-body` (overrides/partials/content.html, the history pages), and
what it leaves out `data-pagefind-ignore` (empty sections) or EXCLUDED (diffs). The bundle
of a language sits at its root, `pagefind/`; templates/assets/search.js queries it.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import time
from pathlib import Path

from .errors import DigestError

log = logging.getLogger(__name__)

BUNDLE = "pagefind"
# each language's root in the built site (digest/site.py LANG_DIRS), and the pages indexed under it:
# the digests (their folders are their dates), the history pages and the about page
LANG_ROOTS = {"ja": "", "en": "en/"}
INDEXED = "{[0-9]*,history/*,about}/index.html"
# what no page's index holds: the diff sections (their lines are not in the page anyway) and their notes,
# each file's summary JSON (the same words as its title and explanation, with quotes and braces) and the
# headings' permalink marks
EXCLUDED = "details.diff, .diff-skipped, .diff-noscript, code.language-json, .headerlink"


def pagefind_binary() -> Path:
    """The extended Pagefind binary (the one that segments Japanese), from the `pagefind[extended]` package."""
    try:
        from pagefind_bin_extended import get_executable  # type: ignore[import-not-found]
    except ImportError as error:
        raise DigestError("the site's search needs Pagefind's extended build: pip install 'pagefind[extended]'") from error
    return Path(get_executable())


def index_site(site_dir: Path) -> None:
    """Write each language's search bundle: `pagefind/` at the Japanese root, `en/pagefind/` for English.

    One run per language, one after the other: Pagefind holds every page it indexes in memory (1 GB for
    both languages at 1,000 digests), and the Japanese dictionary only in the Japanese run.
    """
    for lang, folder in LANG_ROOTS.items():
        started = time.monotonic()
        command = [str(pagefind_binary()), "--site", str(site_dir), "--glob", folder + INDEXED,
                   "--output-subdir", folder + BUNDLE, "--quiet", "--exclude-selectors", EXCLUDED]
        completed = subprocess.run(command, capture_output=True, text=True)
        if completed.returncode != 0:
            details = (completed.stderr or completed.stdout).strip().splitlines()
            raise DigestError(f"search index ({lang}, pagefind) failed: {details[-1] if details else 'no output'}")
        steady_entry(site_dir / folder / BUNDLE / "pagefind-entry.json")
        log.info("indexed the %s site for search in %.1f s", lang, time.monotonic() - started)
    drop_unused(site_dir)


# files no page asks for: Material's own search (its worker and lunr's languages), the theme's source maps
# (for a developer's tools), Pagefind's ready-made interfaces (templates/assets/search.js is the site's)
UNUSED = ("assets/javascripts/workers", "assets/javascripts/lunr", "assets/**/*.map", f"{BUNDLE}/pagefind-*ui*",
          f"{BUNDLE}/pagefind-highlight.js")


def drop_unused(site_dir: Path) -> None:
    for root in (site_dir / folder for folder in LANG_ROOTS.values()):
        for pattern in UNUSED:
            for path in root.glob(pattern):
                shutil.rmtree(path) if path.is_dir() else path.unlink()


def steady_entry(path: Path) -> None:
    """Pagefind lists the languages in no fixed order: sorted, the same site gives the same bytes."""
    entry = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
