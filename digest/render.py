"""Render stage: durable records -> Markdown pages for each language (Jinja2, templates/)."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from .feeds import FEED_ALL, FEED_AREA
from .fsutil import write_bytes_atomic, write_text_atomic
from .models import LANGS, DigestRecord
from .record import iter_records
from .templating import environment

log = logging.getLogger(__name__)

POSTS = "posts"
STATIC_PAGES = ("index.md", "about.md")
# a diff is cut after this many lines, with a link to the whole diff on GitHub
DIFF_LIMIT = 400
# lines of diff shown on one page at most: past them a big day's files link
# their diffs on GitHub instead, so the page stays quick to load
PAGE_DIFF_LINES = 6_000
TYPE_ORDER = ("breaking change", "new feature", "bug fix", "minor update")


@dataclass
class RenderResult:
    written: int = 0
    unchanged: int = 0
    removed: int = 0

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


def front_matter(record: DigestRecord, lang: str, title: str) -> str:
    """The post's metadata; `title:` spares the blog plugin from parsing the post to find it.

    The category (the area page) is the area's English name in both languages
    so that both builds give it the same URL and the language switcher finds it.
    """
    meta = {
        "title": title,
        "slug": record.slug,
        "date": {"created": published_at(record)},
        "categories": [record.area_name.en],
        # MkDocs themes put this into <meta content="..."> without escaping: escaped here, as it is
        # untrusted text (a model's or a documentation title's); the feeds carry it so escaped too
        "description": html.escape(" ".join(getattr(record.summary, lang).highlight.split()), quote=True),
        "digest": {"area": record.area, "area_name": getattr(record.area_name, lang), "date": record.date.isoformat()},
    }
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000).strip()


def render_post(env_dir: str, record: DigestRecord, lang: str) -> str:
    env = environment(env_dir)
    labels = env.get_template("labels.j2").module.labels[lang]  # type: ignore[attr-defined]
    title = labels["post_title"].format(date=record.date.isoformat(), area=getattr(record.area_name, lang))
    anchors = {file.path: f"file-{index}" for index, file in enumerate(record.files, start=1)}
    return env.get_template("post.md.j2").render(
        record=record.model_dump(mode="json"),
        lang=lang,
        front_matter=front_matter(record, lang, title),
        anchors=anchors,
        diff_limits=diff_limits(record),
        diff_urls={file.path: file_diff_url(record.compare_url, file.path) for file in record.files},
        type_order=TYPE_ORDER,
    )


def file_diff_url(compare_url: str, path: str) -> str:
    """The file's diff within GitHub's compare view (GitHub anchors a file by the SHA-256 of its path)."""
    return f"{compare_url}#diff-{hashlib.sha256(path.encode()).hexdigest()}"


def diff_limits(record: DigestRecord) -> dict[str, int]:
    """Lines of diff to show per file, in page order (changes first, routine files last), within the page budget."""
    ordered = [f for f in record.files if f.noise == "none"] + [f for f in record.files if f.noise != "none"]
    remaining = PAGE_DIFF_LINES
    limits = {}
    for file in ordered:
        limits[file.path] = min(DIFF_LIMIT, remaining)
        remaining -= min(limits[file.path], file.patch.count("\n") + 1 if file.patch else 0)
    return limits


def render_static(env_dir: str, lang: str, name: str, areas: list[dict[str, str]]) -> str:
    template = environment(env_dir).get_template(f"pages/{name}.j2")
    return template.render(lang=lang, areas=areas, feeds={"all": FEED_ALL, "area": FEED_AREA})


def render_all(digests_dir: Path, docs_dir: Path, templates_dir: Path) -> RenderResult:
    """Write every page from the records alone; remove posts whose record is gone."""
    env_dir = str(templates_dir.resolve())
    result = RenderResult()
    expected: set[Path] = set()
    areas: dict[str, DigestRecord] = {}
    for record in iter_records(digests_dir):
        areas.setdefault(record.area, record)
        for lang in LANGS:
            path = post_path(docs_dir, lang, record.slug)
            expected.add(path)
            result.count(write_text_atomic(path, render_post(env_dir, record, lang)))
    for lang in LANGS:
        feeds = [{"id": area, "name": getattr(record.area_name, lang)} for area, record in sorted(areas.items())]
        for name in STATIC_PAGES:
            result.count(write_text_atomic(docs_dir / lang / name, render_static(env_dir, lang, name, feeds)))
        result.count(_copy_assets(templates_dir / "assets", docs_dir / lang / "assets"))
        for stale in sorted((docs_dir / lang / POSTS).glob("*.md")):
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
