"""Render stage: durable records -> Markdown pages for each language (Jinja2, templates/)."""

from __future__ import annotations

import datetime as dt
import html
import logging
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from .fsutil import write_bytes_atomic, write_text_atomic
from .models import LANGS, DigestRecord
from .record import iter_records
from .templating import environment

log = logging.getLogger(__name__)

POSTS = "posts"
STATIC_PAGES = ("index.md", "about.md")
DIFF_LIMIT = 400


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
    meta = {
        "title": title,
        "slug": record.slug,
        "date": {"created": published_at(record)},
        "categories": [getattr(record.area_name, lang)],
        # MkDocs themes put this into <meta content="..."> without escaping: escaped here, as it is
        # untrusted text (a model's or a documentation title's)
        "description": html.escape(" ".join(getattr(record.summary, lang).highlight.split()), quote=True),
        "digest": {"area": record.area, "date": record.date.isoformat()},
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
        diff_limit=DIFF_LIMIT,
    )


def render_static(env_dir: str, lang: str, name: str) -> str:
    return environment(env_dir).get_template(f"pages/{name}.j2").render(lang=lang)


def render_all(digests_dir: Path, docs_dir: Path, templates_dir: Path) -> RenderResult:
    """Write every page from the records alone; remove posts whose record is gone."""
    env_dir = str(templates_dir.resolve())
    result = RenderResult()
    expected: set[Path] = set()
    for record in iter_records(digests_dir):
        for lang in LANGS:
            path = post_path(docs_dir, lang, record.slug)
            expected.add(path)
            result.count(write_text_atomic(path, render_post(env_dir, record, lang)))
    for lang in LANGS:
        for name in STATIC_PAGES:
            result.count(write_text_atomic(docs_dir / lang / name, render_static(env_dir, lang, name)))
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
