"""Search bundles by group (digest/site/search.py): which pages share a bundle, and a new day re-indexes its group alone."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from digest.site import search
from digest.site.htmlmin import minify

PAGE = """<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body><nav>{nav}</nav>
<div data-pagefind-body><h1>{title}</h1><p>{text}</p></div></body></html>"""
HISTORY = """<!doctype html><html lang="{lang}"><head><title>{title}</title></head><body>
<main data-pagefind-body><h1>{title}</h1><p class="digest-history__path"><code>{path}</code></p>
<p class="digest-history__links"><a href="https://github.com/o/r/blob/{head}/{path}">GitHub</a></p>
<ol class="digest-history">{changes}</ol>
<p class="digest-history__note">Every change of this article.</p></main></body></html>"""


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def history(lang: str, path: str, days: list[str], head: str = "a" * 40) -> str:
    # (the history pages' template writes `<time>` without an attribute; either is read)
    changes = "".join(f'<li><time{" datetime=" + repr(day) if index % 2 else ""}>{day}</time> <a href="../../x/">change of {day}</a></li>'
                      for index, day in enumerate(days))
    return HISTORY.format(lang=lang, title=path.rsplit("/", 1)[-1], path=path, head=head, changes=changes)


def small_site(root: Path) -> Path:
    """English pages only: digests of 2022, 2024 and 2025, two history pages and the about page."""
    site = root / "public"
    for slug, word in [("2022-05-01-openai", "quota"), ("2024-03-02-search", "vector"), ("2025-01-03-speech", "voices"),
                       ("2025-07-04-openai", "assistants")]:
        write(site / "en" / slug / "index.html", PAGE.format(lang="en", title=slug, nav="", text=f"The {word} article changed."))
    write(site / "en" / "history" / "a~old.md" / "index.html", history("en", "articles/a/old.md", ["2025-01-03", "2022-05-01"]))
    write(site / "en" / "history" / "b~new.md" / "index.html", history("en", "articles/b/new.md", ["2025-07-04"]))
    write(site / "en" / "about" / "index.html", PAGE.format(lang="en", title="About", nav="", text="About this site."))
    return site


def test_the_newest_year_has_a_bundle_of_its_own_older_years_share_one_per_two(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    found = {group.name: group.pages for group in search.groups(site, "en/")}
    # the newest years first; a new day re-indexes its own year only
    assert list(found) == ["2025", "2024-2024", "2022-2023", "pages"]
    assert found["2025"] == ["en/2025-01-03-speech/index.html", "en/2025-07-04-openai/index.html",
                             "en/history/b~new.md/index.html"]
    assert found["2024-2024"] == ["en/2024-03-02-search/index.html"]
    assert found["2022-2023"] == ["en/2022-05-01-openai/index.html", "en/history/a~old.md/index.html"]
    assert found["pages"] == ["en/about/index.html"]


def test_a_history_page_keeps_its_key_when_a_change_is_added(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    write(page, history("en", "articles/a/old.md", ["2022-05-01"]))
    before = search.indexed_part(page.read_bytes())
    write(page, history("en", "articles/a/old.md", ["2025-07-05", "2022-05-01"], head="b" * 40))
    assert search.indexed_part(page.read_bytes()) == before
    assert b"articles/a/old.md" in before and b"2022-05-01" not in before
    # minified as the site's pages are (no quotes around a value without white space): the same part left out
    minified = search.indexed_part(minify(page.read_text(encoding="utf-8")).encode())
    assert b"articles/a/old.md" in minified and b"2025-07-05" not in minified and b"digest-history__links" not in minified and b"<ol" not in minified
    # what the key leaves out is left out of the index too
    for selector in (".digest-history", ".digest-history__links", ".digest-history__note"):
        assert selector in search.EXCLUDED.split(", ")


def test_a_new_day_indexes_its_group_alone_and_the_others_come_from_the_cache(tmp_path: Path) -> None:
    site, cache = small_site(tmp_path), tmp_path / "cache"
    assert search.index_site(site, cache) == {"indexed": 4, "cached": 0}
    manifest = json.loads((site / "en" / "pagefind" / "bundles.json").read_text(encoding="utf-8"))
    assert manifest == {"bundles": ["2025", "2024-2024", "2022-2023", "pages"]}
    for name in manifest["bundles"]:
        entry = json.loads((site / "en" / "pagefind" / name / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert set(entry["languages"]) == {"en"}
    # the runtime (script, worker, WebAssembly) in the first bundle only: the others are merged into it
    for index, name in enumerate(manifest["bundles"]):
        runtime = sorted(path.name for path in (site / "en" / "pagefind" / name).glob("*") if path.suffix in (".js", ".pagefind"))
        assert (runtime[:3] == ["pagefind-worker.js", "pagefind.js", "wasm.en.pagefind"]) if index == 0 else not runtime, name
    kept = {path.name: path.stat().st_mtime_ns for path in (cache / "en").iterdir()}
    # a new day: a digest of 2025, and the history page of its article gets a change
    write(site / "en" / "2025-07-05-search" / "index.html", PAGE.format(lang="en", title="new", nav="", text="New day."))
    write(site / "en" / "history" / "a~old.md" / "index.html",
          history("en", "articles/a/old.md", ["2025-07-05", "2025-01-03", "2022-05-01"]))
    # and a page's chrome around the indexed part changes (a new month in the navigation)
    old = site / "en" / "2022-05-01-openai" / "index.html"
    old.write_text(old.read_text(encoding="utf-8").replace("<nav></nav>", "<nav>2025-07</nav>"), encoding="utf-8")
    assert search.index_site(site, cache) == {"indexed": 1, "cached": 3}
    now = {path.name: path.stat().st_mtime_ns for path in (cache / "en").iterdir()}
    unchanged = {name for name in kept if not name.startswith("2025-")}
    assert {name: now[name] for name in unchanged} == {name: kept[name] for name in unchanged}
    assert not any(name.startswith("2025-") for name in unchanged)
    # the old bundle of the new day's group is gone from the cache, its new one is there
    assert len(now) == 4 and sum(name.startswith("2025-") for name in now) == 1
    fragments = list((site / "en" / "pagefind" / "2025" / "fragment").glob("*.pf_fragment"))
    assert len(fragments) == 4  # two digests of 2025, the new one and the history page of b


def test_without_a_cache_every_group_is_indexed(tmp_path: Path) -> None:
    site = small_site(tmp_path)
    assert search.index_site(site, None) == {"indexed": 4, "cached": 0}
    assert search.index_site(site, None) == {"indexed": 4, "cached": 0}


def fragments(bundle: Path) -> list[dict[str, object]]:
    found = []
    for path in bundle.glob("fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return found


def test_the_index_keeps_no_anchor_of_a_page_and_all_its_words(tmp_path: Path) -> None:
    """Pagefind keeps each element with an id as an anchor of the page's fragment (sub-results, which the search
    page does not show): it reads the pages without ids, their text the same."""
    site = tmp_path / "public"
    text = '<h2 id="_1">Highlight</h2><p>Quota raised.</p><h3 id="file-1">articles/a/b.md</h3><ul><li id="file-2">c.md</li></ul>'
    write(site / "en" / "2025-01-03-speech" / "index.html", PAGE.format(lang="en", title="t", nav="", text=text))
    assert search.without_ids(b'<h2 id="_1">x id="y"</h2><li data-id="k" id="file-2" class="c">') == (
        b'<h2>x id="y"</h2><li data-id="k" class="c">')
    search.index_site(site, None)
    [fragment] = fragments(site / "en" / "pagefind" / "2025")
    assert fragment["anchors"] == []
    assert all(word in str(fragment["content"]) for word in ("Highlight", "Quota raised.", "articles/a/b.md", "c.md"))
