"""A big day stays quick to read: the summary grouped by type, noise collapsed, diffs cut with a link to GitHub."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import re

from bs4 import BeautifulSoup

from digest.docsrepo.links import file_links, short_commits
from digest.models import MODIFICATION_TYPES, Bilingual, Commit, DigestRecord
from digest.render.pages import DIFF_LIMIT, PAGE_DIFF_LINES, TYPE_ORDER, render_digest

from .conftest import CORPUS, PROJECT
from .support.records import digest_record, file_record, read_jsonl

REPO = "https://github.com/MicrosoftDocs/azure-ai-docs"
NOISE = ("metadata", "image", "whitespace")


def big_day(files: int = 300) -> DigestRecord:
    corpus = read_jsonl(CORPUS / "dev-files.jsonl")
    longest = sorted((e for e in corpus if e["patch"]), key=lambda e: -e["patch"].count("\n"))[:20]
    chosen = longest + corpus[: files - len(longest)]
    records = [
        file_record(
            f"{entry['path']}.{index}", Bilingual(ja=f"タイトル {index}", en=f"Title {index}"), MODIFICATION_TYPES[index % 4],
            status=entry["status"] if entry["status"] != "renamed" else "modified",
            additions=entry["additions"], deletions=entry["deletions"], patch=entry["patch"],
            noise=NOISE[index % 3] if index % 4 == 0 else "none", explanation=Bilingual(ja="説明", en="Explanation"),
        )
        for index, entry in enumerate(chosen)
    ]
    # the links of each file point to the corpus path (without the index that keeps the paths apart)
    for record, entry in zip(records, chosen, strict=True):
        record.links = file_links(REPO, entry["path"], record.status, "a" * 40, "b" * 40, [])
    return digest_record(records, highlight="A big day", insight="Many files", commits=[
        Commit(sha="b" * 40, subject="Big day", committed_at=dt.datetime(2025, 3, 3, 1, tzinfo=dt.UTC))
    ])


def test_a_big_day_page() -> None:
    record = big_day()
    pages, diffs = render_digest(str(PROJECT / "templates"), record)
    text = pages["en"]
    stored = gzip.decompress(diffs).decode("utf-8").split("\n")
    summary = text[text.index("## Changed files") : text.index("## File by file")]
    # one table per change type, most important first, together listing every file with a section of its own once;
    # the routine files (listed once, in their own section) are counted in one line that links there
    sectioned = [f for f in record.files if f.noise == "none"]
    routine_files = [f for f in record.files if f.noise != "none"]
    headings = re.findall(r"^### (.+) \((\d+)\) \{ #type-([a-z-]+) \}$", summary, flags=re.MULTILINE)
    assert [h[2].replace("-", " ") for h in headings] == [t for t in TYPE_ORDER if any(f.modification_type == t for f in sectioned)]
    assert sum(int(h[1]) for h in headings) == len(sectioned)
    assert f"{len(routine_files)} routine changes are [listed below by kind](#routine)." in summary
    assert "## Routine changes { #routine }" in text
    # each row: the base name linked to its section with the full path on hover, under its type's heading
    # (no badge per row: the heading names the type)
    tables = re.split(r"^### .+ \{ #type-([a-z-]+) \}$", summary, flags=re.MULTILINE)[1:]
    # each section's anchor: a file's heading, or a routine file's entry
    anchored = dict(re.findall(r"^### (.+) \{ #(file-\d+) \}$", text, flags=re.MULTILINE))
    anchored = {anchor: re.sub(r"\\(.)", r"\1", path) for path, anchor in anchored.items()}
    anchored.update(re.findall(r'^<li id="(file-\d+)"><code>([^<]+)</code>', text, flags=re.MULTILINE))
    rows = {kind: re.findall(r'^\| <a href="#(file-\d+)"(?: title="([^"]+)")?>([^<]+)</a>', body, flags=re.MULTILINE)
            for kind, body in zip(tables[::2], tables[1::2], strict=True)}
    by_type = {kind: [anchored[anchor] for anchor, _, _ in found] for kind, found in rows.items()}
    # the full path is the tooltip only of a row whose base name another file shares
    names = [f.path.rsplit("/", 1)[-1] for f in record.files]
    for anchor, title, name in (row for found in rows.values() for row in found):
        name = re.sub(r"\\(.)", r"\1", name)
        assert name == anchored[anchor].rsplit("/", 1)[-1]
        assert title == (anchored[anchor] if names.count(name) > 1 else ""), (anchor, title)
    assert sorted(path for paths in by_type.values() for path in paths) == sorted(f.path for f in sectioned)
    for kind, paths in by_type.items():
        assert all(f.modification_type == kind.replace("-", " ") for f in record.files if f.path in paths)
    assert 'class="b-' not in summary
    # routine changes: one compact list per kind, one entry per file anchored as a section would be (no section)
    routine = text[text.index("## Routine changes") :]
    for kind in ("metadata only", "images", "whitespace only"):
        assert f"**{kind}** (" in routine
    entries = re.findall(r'^<li id="(file-\d+)"><code>([^<]+)</code>', routine, flags=re.MULTILINE)
    assert sorted(path for _, path in entries) == sorted(f.path for f in routine_files)
    assert not any(f"{{ #{anchor} }}" in text for anchor, _ in entries)
    # diffs: escaped, cut at DIFF_LIMIT lines, within the page's budget, each cut one linked to GitHub
    blocks = re.findall(r'<details data-lines="(\d+)-(\d+)">\n<summary>.*?</summary>\n(.*?)</details>', text, flags=re.S)
    skipped = re.findall(r'<p class="diff-skipped">.*?<a href="([^"]+)">', text)
    with_patch = [f for f in record.files if f.patch]
    assert len(blocks) + len(skipped) == len(with_patch)
    assert skipped, "a day this big puts some diffs off the page"
    assert re.findall(r'data-diffs="([^"]+)"', text) == [f"../../diffs/{record.slug}.txt.gz"]
    shown = [int(last) - int(first) + 1 for first, last, _ in blocks]
    assert max(shown) == DIFF_LIMIT
    assert sum(shown) <= PAGE_DIFF_LINES
    # the ranges follow one another in the shared file, each after its file's header line
    assert all(stored[int(first) - 2].startswith("### ") for first, _, _ in blocks)
    blocks = [(body, body) for *_, body in blocks]
    cut_links = [re.search(r'<a href="([^"]+)">', tail).group(1) for _, tail in blocks if "diff-cut" in tail]
    assert len(cut_links) >= 10
    for url in cut_links + skipped:
        assert url.startswith(short_commits(record.compare_url) + "#diff-")
    paths = {hashlib.sha256(f.path.encode()).hexdigest() for f in record.files}
    assert all(url.rsplit("#diff-", 1)[1] in paths for url in cut_links + skipped)
    assert "<script" not in "".join(body for body, _ in blocks)
    assert not any(line.startswith(("+", "-")) and line[1:].strip() and line in text for line in stored[:200] if len(line) > 30)


def test_a_routine_entry_keeps_hostile_paths_and_links_as_text() -> None:
    """templates/routine.md.j2 writes raw HTML: every string of the record in it is escaped there, no line blank."""
    hostile = 'articles/search/<img src=x onerror=alert(1)>"\n\n<script>alert(2)</script>.md'
    old = "articles/search/<b onmouseover=alert(3)>old</b>.md"
    routine = file_record(hostile, "t", noise="metadata", status="renamed", old_path=old, prs=[7])
    routine.links.included_by = ["https://learn.microsoft.com/azure/search/<i>x</i>"]
    routine.links.redirect_to = 'javascript:alert(4)'
    record = digest_record([file_record("articles/search/plain.md"), routine])
    pages, _ = render_digest(str(PROJECT / "templates"), record)
    for text in pages.values():
        block = text[text.index('<ul class="digest-routine">') :]
        block = block[: block.index("</ul>") + 5]
        assert "\n\n" not in block  # one raw HTML block: Markdown reads nothing inside it
        entry = BeautifulSoup(block, "html.parser")
        assert not entry.find_all(["img", "script", "b", "i"])
        assert not any(name.startswith("on") for tag in entry.find_all(True) for name in tag.attrs)
        item = entry.select_one("li#file-2")
        assert [code.get_text() for code in item.select("code")] == [" ".join(hostile.split()), old]
        hrefs = {a["href"] for a in item.select("a")}
        # the javascript: redirect made inert; its history page linked; no pull-request link in a routine entry
        assert "#" in hrefs and any(href.startswith("../history/") for href in hrefs)
        assert not any("/pull/" in href for href in hrefs)
        assert item.select_one("details[data-lines]")["data-lines"]


def test_a_row_names_its_full_path_on_hover_only_where_a_base_name_is_shared() -> None:
    files = [file_record("articles/search/quickstart.md"), file_record("articles/ai-services/openai/quickstart.md"),
             file_record("articles/search/search-what-is.md")]
    pages, _ = render_digest(str(PROJECT / "templates"), digest_record(files))
    for text in pages.values():
        rows = re.findall(r'^\| <a href="#file-\d+"(?: title="([^"]+)")?>([^<]+)</a>', text, flags=re.MULTILINE)
        assert sorted(rows) == [("", "search-what-is.md"), ("articles/ai-services/openai/quickstart.md", "quickstart.md"),
                                ("articles/search/quickstart.md", "quickstart.md")]
