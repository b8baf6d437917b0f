"""Render stage: durable records -> Markdown pages for each language (Jinja2, templates/)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from digest.docsrepo.links import short_commits
from digest.errors import DigestError
from digest.site.feeds import FEED_NAMES
from digest.site.history import SHELL, TITLE_MARK, DESCRIPTION_MARK, has_history, history_url
from digest.fsutil import write_bytes_atomic, write_text_atomic
from digest.models import LANGS, TYPE_ORDER, AreaName, DigestRecord
from digest.record import load_record, stored_records
from digest import models
from digest.render import templating
from digest.plaintext import CODE_SPAN
from digest.render.templating import environment, safe_url
from digest.render.difftext import DIFFS_DIR, diff_name, digest_diffs

log = logging.getLogger(__name__)

POSTS = "posts"
STATIC_PAGES = ("index.md", "about.md", "search.md")
# a diff is cut after this many lines, with a link to the whole diff on GitHub
DIFF_LIMIT = 400
# lines of diff shown on one page at most: past them a big day's files link
# their diffs on GitHub instead, so the page stays quick to load
PAGE_DIFF_LINES = 6_000
# files with a section of their own on a page (changes first, routine files last); the rest of a very big
# day is one compact line each, still anchored, so the page stays a few MB whatever the day
DETAILED_FILES = 300


def type_slug(modification_type: str) -> str:
    """A change type as it appears in anchors, CSS classes and addresses: "breaking change" -> "breaking-change"."""
    return modification_type.replace(" ", "-")


@dataclass
class RenderResult:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    invalid: int = 0  # records that could not be read (each one warned about)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed)

    def count(self, changed: bool) -> None:
        if changed:
            self.written += 1
        else:
            self.unchanged += 1


def post_path(docs_dir: Path, lang: str, slug: str) -> Path:
    return docs_dir / lang / POSTS / f"{slug}.md"


def published_at(record: DigestRecord) -> dt.datetime:
    """The post's date: the start of the digest's day in its time zone (never the build time)."""
    return dt.datetime.combine(record.date, dt.time(0, 0), tzinfo=ZoneInfo(record.timezone))


def _yaml_string(text: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar: quicker than a YAML dumper
    return json.dumps(text, ensure_ascii=False)


# brackets too: no Markdown link form survives in the front matter's text, even where nothing would parse it
HTML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;", "[": "&#91;", "]": "&#93;"})


def _html_text(text: str) -> str:
    return text.translate(HTML_ESCAPES)


def _escaped(text: str) -> str:
    """Untrusted one-line text for the theme's templates, which MkDocs renders without autoescaping."""
    return _html_text(" ".join(str(text).split()))


def _escaped_inline(text: str) -> str:
    """Like `_escaped`, with the summarizers' code spans (`like this`) as <code> elements."""
    text = " ".join(str(text).split())
    parts, position = [], 0
    for match in CODE_SPAN.finditer(text):
        parts.append(_html_text(text[position : match.start()]))
        parts.append(f"<code>{_html_text(match.group(2).strip())}</code>")
        position = match.end()
    parts.append(_html_text(text[position:]))
    return "".join(parts)


def type_counts(record: DigestRecord) -> dict[str, int]:
    """Files per change type, in rubric order, types with no file left out."""
    counts = {type_slug(kind): sum(1 for f in record.files if f.modification_type == kind) for kind in TYPE_ORDER}
    return {kind: count for kind, count in counts.items() if count}


def headline(record: DigestRecord, lang: str) -> str:
    """One line for the lists: the title of the day's most important file (rubric order, real changes first)."""
    ranked = sorted(
        record.files, key=lambda f: (f.noise != "none", TYPE_ORDER.index(f.modification_type))
    )
    return getattr(ranked[0].title, lang) if ranked else ""


def file_entries(record: DigestRecord, lang: str, anchors: dict[str, str]) -> list[dict[str, str]]:
    """What the lists, the type feeds and the history pages need of each file, escaped for HTML."""
    entries = []
    for file in record.files:
        learn = getattr(file.links.learn, lang) if file.links.learn else ""
        entry = {
            "path": _escaped(file.path),
            "type": type_slug(file.modification_type),
            "anchor": anchors[file.path],
            "title": _escaped_inline(getattr(file.title, lang)),
            "github": _escaped(safe_url(short_commits(file.links.github))),
        }
        if learn:
            entry["learn"] = _escaped(safe_url(learn))
        if file.old_path:
            entry["old_path"] = _escaped(file.old_path)
        entries.append(entry)
    return entries


def front_matter(
    record: DigestRecord, lang: str, title: str, render_key: str = "", anchors: dict[str, str] | None = None
) -> str:
    """The post's metadata; `title:` spares the blog plugin from parsing the post to find it.

    The category (the area page) is the area's English name in both languages
    so that both builds give it the same URL and the language switcher finds it.
    `digest:` holds what the glance lists, the feeds and the history pages show
    of the post (digest/site/history.py, digest/site/feeds.py, overrides/blog.html): every
    string HTML-escaped, as MkDocs renders templates without autoescaping.
    """
    # MkDocs themes put the description into <meta content="..."> without escaping: escaped here, as
    # it is untrusted text (a model's or a documentation title's); the feeds carry it so escaped too
    description = _escaped(getattr(record.summary, lang).highlight)
    anchors = anchors if anchors is not None else file_anchors(record)
    return "\n".join(
        [
            f"title: {_yaml_string(title)}",
            f"slug: {_yaml_string(record.slug)}",
            "date:",
            f"  created: {published_at(record).isoformat()}",
            "categories:",
            f"- {_yaml_string(record.area_name.en)}",
            f"description: {_yaml_string(description)}",
            "digest:",
            f"  area: {_yaml_string(record.area)}",
            f"  area_name: {_yaml_string(getattr(record.area_name, lang))}",
            f"  date: {_yaml_string(record.date.isoformat())}",
            f"  render: {_yaml_string(render_key)}",
            f"  headline: {_yaml_string(_escaped_inline(headline(record, lang)))}",
            f"  counts: {json.dumps(type_counts(record))}",
            f"  files: {json.dumps(file_entries(record, lang, anchors), ensure_ascii=False)}",
        ]
    )


def file_anchors(record: DigestRecord) -> dict[str, str]:
    """The anchor of each file's section on the digest's page, by path (the same in both languages)."""
    return {file.path: f"file-{index}" for index, file in enumerate(record.files, start=1)}


# where a post finds its digest's diffs (the Japanese root's diffs/, digest/render/difftext.py), from each language's post
DIFF_PREFIX = {"ja": "../", "en": "../../"}


def render_posts(env_dir: str, record: DigestRecord, render_key: str = "") -> dict[str, str]:
    """The record's post in every language."""
    return render_digest(env_dir, record, render_key)[0]


def render_digest(env_dir: str, record: DigestRecord, render_key: str = "") -> tuple[dict[str, str], bytes]:
    """The record's post in every language and its diffs file (shared by both); shared parts computed once."""
    env = environment(env_dir)
    template = env.get_template("post.md.j2")
    all_labels = env.get_template("labels.j2").module.labels  # type: ignore[attr-defined]
    limits = diff_limits(record)
    anchors = file_anchors(record)
    detailed = detailed_paths(record)
    history_urls = {
        path: "../" + history_url(path) for file in record.files for path in (file.path, file.old_path) if path and has_history(path)
    }
    # only the files with a section show a diff (a compact line has none)
    sections = [file for file in record.files if file.path in detailed]
    details = {file.path: {lang: getattr(file.details, lang) for lang in LANGS} for file in sections if file.noise == "none" and file.details}
    diffs, views, items = digest_diffs([(file.path, file.patch, limits[file.path]) for file in sections], details)
    shared = {
        # the record itself: Jinja reads `record.files[0].title[lang]` as attributes of the models
        "record": record,
        "anchors": anchors,
        "views": views,
        "items": items,
        "diff_urls": {file.path: file_diff_url(short_commits(record.compare_url), file.path) for file in record.files},
        "type_order": TYPE_ORDER,
        "history_urls": history_urls,
        "detailed": detailed,
    }
    pages = {}
    for lang in LANGS:
        title = all_labels[lang]["post_title"].format(date=record.date.isoformat(), area=getattr(record.area_name, lang))
        compact = compact_list(record, lang, detailed, anchors, history_urls, all_labels[lang])
        pages[lang] = template.render(
            lang=lang, front_matter=front_matter(record, lang, title, render_key, anchors), compact=compact,
            diff_file=DIFF_PREFIX[lang] + diff_name(record.slug), **shared,
        )
    return pages, diffs


def page_order(record: DigestRecord) -> list:
    """The files in the order the page shows them: real changes first, routine files last."""
    return [f for f in record.files if f.noise == "none"] + [f for f in record.files if f.noise != "none"]


def detailed_paths(record: DigestRecord) -> set[str]:
    return {file.path for file in page_order(record)[:DETAILED_FILES]}


def compact_list(
    record: DigestRecord, lang: str, detailed: set[str], anchors: dict[str, str], history_urls: dict[str, str], labels: dict
) -> str:
    """One short HTML line per file past the detailed ones (anchored as its section would be), by change type;
    "" when there are none.

    Written here, not in Jinja: on a 20,000-file day it is most of the page, and one escaped line per file
    keeps both its size and the time to make it linear and small.
    """
    rest = [file for file in page_order(record) if file.path not in detailed]
    if not rest:
        return ""
    lines = []
    for kind in TYPE_ORDER:
        group = [file for file in rest if file.modification_type == kind]
        if not group:
            continue
        lines.append(f'<p class="digest-compact__type"><span class="b-{type_slug(kind)}">'
                     f'{_html_text(labels["types"][kind])}</span> {len(group)}</p>')
        lines.append('<ol class="digest-compact" data-search-exclude>')
        for file in group:
            status = f" ({_html_text(labels['status'][file.status])})" if file.status != "modified" else ""
            name = _html_text(file.path)
            if file.path in history_urls:
                name = f'<a href="{_html_text(history_urls[file.path])}">{name}</a>'
            lines.append(f'<li id="{anchors[file.path]}">{name}{status} +{file.additions}/−{file.deletions}</li>')
        lines.append("</ol>")
    return "\n".join(lines)


def file_diff_url(compare_url: str, path: str) -> str:
    """The file's diff within GitHub's compare view (GitHub anchors a file by the SHA-256 of its path)."""
    return f"{compare_url}#diff-{hashlib.sha256(path.encode()).hexdigest()}"


def diff_limits(record: DigestRecord) -> dict[str, int]:
    """Lines of diff to show per file, in page order (changes first, routine files last), within the page budget."""
    ordered = page_order(record)
    remaining = PAGE_DIFF_LINES
    limits = {}
    for file in ordered:
        limits[file.path] = min(DIFF_LIMIT, remaining)
        remaining -= min(limits[file.path], file.patch.count("\n") + 1 if file.patch else 0)
    return limits


def render_static(env_dir: str, lang: str, name: str, areas: list[dict[str, str]]) -> str:
    template = environment(env_dir).get_template(f"pages/{name}.j2")
    return template.render(lang=lang, areas=areas, feeds=FEED_NAMES)


def shell_page() -> str:
    """The page digest/site/history.py makes every history and change-type page from (its marks replaced)."""
    return (
        f"---\ntitle: {TITLE_MARK}\ndescription: {DESCRIPTION_MARK}\ntemplate: history.html\nsearch:\n  exclude: true\n---\n\n"
        f"# {TITLE_MARK}\n\nDIGESTSHELLBODY\n"
    )


def render_inputs_digest(templates_dir: Path) -> bytes:
    """What every post depends on besides its record: the templates and the code that fills them."""
    digest = hashlib.sha256()
    # models.py too: how a record's strings are cleaned as it loads decides what a post holds
    sources = sorted(p for p in templates_dir.rglob("*") if p.is_file()) + [Path(__file__), Path(templating.__file__), Path(models.__file__)]
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.digest()


def _rendered_with(path: Path, key: str) -> bool:
    """Whether the post at `path` was rendered from inputs with this key (it is in the front matter)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        return False
    return f"render: {_yaml_string(key)}".encode() in head


def render_all(digests_dir: Path, docs_dir: Path, templates_dir: Path) -> RenderResult:
    """Write every page from the records alone; remove posts whose record is gone.

    A post whose record, templates and rendering code are unchanged since it was
    written (its front matter holds a hash of them) is not rendered again.
    """
    env_dir = str(templates_dir.resolve())
    inputs = render_inputs_digest(templates_dir)
    result = RenderResult()
    expected: set[Path] = set()
    areas: dict[str, AreaName] = {}
    for stored in stored_records(digests_dir):
        outputs = {lang: post_path(docs_dir, lang, stored.slug) for lang in LANGS}
        diffs_path = docs_dir / LANGS[0] / diff_name(stored.slug)
        expected.update([*outputs.values(), diffs_path])
        raw = stored.path.read_bytes()
        key = hashlib.sha256(inputs + raw).hexdigest()[:20]
        up_to_date = all(_rendered_with(path, key) for path in outputs.values()) and diffs_path.exists()
        if up_to_date and stored.area in areas:
            result.unchanged += len(outputs)
            continue
        try:
            record = load_record(stored.path, raw)
        except DigestError as error:
            # one damaged or hand-edited record must not stop every page: said, naming the day, and its pages kept as they were
            log.warning("%s %s: not rendered, its pages are left as they were: %s", stored.day, stored.area, error)
            result.invalid += 1
            continue
        areas.setdefault(record.area, record.area_name)  # the area's name, for the feeds' list
        if up_to_date:
            result.unchanged += len(outputs)
            continue
        pages, diffs = render_digest(env_dir, record, key)
        for lang, text in pages.items():
            result.count(write_text_atomic(outputs[lang], text))
        write_bytes_atomic(diffs_path, diffs)
    for lang in LANGS:
        feeds = [{"id": area, "name": getattr(name, lang)} for area, name in sorted(areas.items())]
        for name in STATIC_PAGES:
            result.count(write_text_atomic(docs_dir / lang / name, render_static(env_dir, lang, name, feeds)))
        result.count(write_text_atomic(docs_dir / lang / f"{SHELL}.md", shell_page()))
        result.count(_copy_assets(templates_dir / "assets", docs_dir / lang / "assets"))
        for stale in [*sorted((docs_dir / lang / POSTS).glob("*.md")), *sorted((docs_dir / lang / DIFFS_DIR).glob("*.gz"))]:
            if stale not in expected:
                stale.unlink()
                result.removed += 1
    log.info("rendered pages: %d written, %d unchanged, %d removed", result.written, result.unchanged, result.removed)
    return result


def _copy_assets(source: Path, target: Path) -> bool:
    changed = False
    for path in sorted(source.rglob("*")) if source.exists() else []:
        if path.is_file():
            changed |= write_bytes_atomic(target / path.relative_to(source), path.read_bytes())
    return changed
