"""Which files of which digests a target hears about, most important first, and where they link."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from fnmatch import fnmatchcase

from digest.docsrepo.links import learn_url
from digest.models import TYPE_ORDER, DigestRecord, FileRecord
from digest.render.pages import file_anchors
from digest.site.build import lang_url
from digest.notify.settings import Target, learn_page_key


@dataclass(frozen=True)
class Item:
    """One file of a digest, as a message shows it."""

    record: DigestRecord
    file: FileRecord
    # the file's section on the digest's page, in the target's language
    digest_url: str
    # the live page on Learn in the target's language, when the file has one (for a deleted or moved
    # article: where its readers are now redirected)
    learn_url: str | None

    @property
    def key(self) -> tuple[str, str]:
        return self.record.slug, self.file.path


def digest_url(site_url: str, lang: str, record: DigestRecord) -> str:
    """The digest's page in one language (both builds give a post the same address under their root)."""
    return f"{lang_url(site_url, lang)}{record.slug}/"


def filter_fingerprint(target: Target) -> str:
    """A hash of what the target watches: a changed filter starts the target again at the newest day."""
    watched = target.model_dump_json(include={"types", "areas", "paths", "learn_urls"})
    return hashlib.sha256(watched.encode()).hexdigest()[:16]


def _pages_of(file: FileRecord) -> set[str]:
    """The Learn pages a file shows up on: its own (also when deleted, and before a move), where it now
    redirects, and the articles that include it."""
    urls = [learn_url(file.path), learn_url(file.old_path or ""), file.links.redirect_to, *file.links.included_by]
    return {key for url in urls if url and (key := learn_page_key(url))}


def watches(target: Target, record: DigestRecord, file: FileRecord) -> bool:
    if file.modification_type not in target.types:
        return False
    if target.areas and record.area not in target.areas:
        return False
    if not target.paths and not target.learn_urls:
        return True
    paths = [path for path in (file.path, file.old_path) if path]
    if any(fnmatchcase(path, glob) for glob in target.paths for path in paths):
        return True
    return bool(target.watched_pages & _pages_of(file))


def importance(item: Item) -> tuple[int, bool, int, str, str]:
    """Breaking changes first, then new features; real changes before routine ones; bigger before smaller."""
    file = item.file
    return (TYPE_ORDER.index(file.modification_type), file.noise != "none", -(file.additions + file.deletions),
            item.record.area, file.path)


def watched_items(target: Target, records: list[DigestRecord], site_url: str) -> dict[dt.date, list[Item]]:
    """The files each day's digests hold that the target watches, most important first."""
    days: dict[dt.date, list[Item]] = {}
    lang = target.language
    for record in records:
        anchors = file_anchors(record)
        page = digest_url(site_url, lang, record)
        for file in record.files:
            if watches(target, record, file):
                learn = getattr(file.links.learn, lang) if file.links.learn else file.links.redirect_to
                days.setdefault(record.date, []).append(Item(record, file, f"{page}#{anchors[file.path]}", learn))
    return {day: sorted(items, key=importance) for day, items in sorted(days.items())}
