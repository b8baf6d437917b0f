"""RSS 2.0 feeds of the built site: per language, one of all areas, one per area, one per change type.

Written by the site stage after MkDocs (or Zensical) has built the pages, from
the posts' front matter alone: the RSS plugin cannot make a feed per area
(areas come and go with the docs repository), and writing the feeds here keeps
them the same whichever tool builds the pages. Every link is absolute (the
site URL of the build), every date is the digest's own (never the build time).
"""

from __future__ import annotations

import datetime as dt
import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import yaml

from digest.errors import DigestError
from digest.fsutil import write_bytes_atomic

log = logging.getLogger(__name__)

# where the feeds live, relative to each language's root: the one home of their file names. mkdocs.yml
# `extra.feeds` repeats FEED_NAMES for the theme's <head> links (Zensical builds from mkdocs.yml too, without
# MkDocs hooks); tests/test_site_pages.py keeps the two equal. A new feed: its name here, then in mkdocs.yml.
FEED_ALL = "feed.xml"
FEED_AREA = "feed-{area}.xml"
# the change types a reader can follow on their own: each item lists only that type's files
FEED_TYPES = {"breaking-change": "feed-breaking-changes.xml", "new-feature": "feed-new-features.xml"}
# the feeds as the templates see them (mkdocs.yml extra.feeds, templates/pages/*.j2 `feeds`)
FEED_NAMES: dict[str, Any] = {"all": FEED_ALL, "area": FEED_AREA, "types": FEED_TYPES}
# items per feed: the newest digests
FEED_LENGTH = 50
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("atom", ATOM)
Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class FeedItem:
    title: str
    slug: str
    published: dt.datetime
    description: str
    area: str
    area_name: str
    # files per change type ("breaking-change": 2, ...), and each file's entry (digest/render/pages.py file_entries)
    counts: dict[str, int] = field(default_factory=dict)
    files: list[dict[str, str]] = field(default_factory=list)
    headline: str = ""


def read_front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return {}
    end = text.find("\n---\n", 4)
    try:
        data = yaml.load(text[4:end], Loader=Loader) if end > 0 else None
    except yaml.YAMLError as error:
        raise DigestError(f"invalid front matter in {path}: {' '.join(str(error).split())}") from error
    return data if isinstance(data, dict) else {}


def read_items(posts_dir: Path, chosen: Callable[[str], bool] = lambda name: True) -> list[FeedItem]:
    """The digests of one language (the posts whose file name is `chosen`), newest first; a post without a
    tz-aware date is left out, with a warning."""
    items = []
    for path in sorted(p for p in posts_dir.glob("*.md") if chosen(p.name)):
        meta = read_front_matter(path)
        created = (meta.get("date") or {}).get("created") if isinstance(meta.get("date"), dict) else None
        digest = meta.get("digest") or {}
        if not isinstance(created, dt.datetime) or created.tzinfo is None or not digest.get("area"):
            log.warning("left out of the feeds (no digest date or area in its front matter): %s", path)
            continue
        items.append(
            FeedItem(
                title=str(meta.get("title") or meta.get("slug") or path.stem),
                slug=str(meta.get("slug") or path.stem),
                published=created,
                description=str(meta.get("description") or ""),
                area=str(digest["area"]),
                area_name=str(digest.get("area_name") or digest["area"]),
                counts={str(k): int(v) for k, v in (digest.get("counts") or {}).items()},
                files=[entry for entry in digest.get("files") or [] if isinstance(entry, dict)],
                headline=str(digest.get("headline") or ""),
            )
        )
    return sorted(items, key=lambda item: (item.published, item.slug), reverse=True)


def item_data(item: FeedItem) -> dict[str, Any]:
    """An item as JSON can hold it (items_from_data reads it back)."""
    return {**asdict(item), "published": item.published.isoformat()}


def items_from_data(data: list[dict[str, Any]]) -> list[FeedItem]:
    return [FeedItem(**{**entry, "published": dt.datetime.fromisoformat(entry["published"])}) for entry in data]


def rss(title: str, site_url: str, filename: str, description: str, lang: str, items: list[FeedItem]) -> bytes:
    """An RSS 2.0 document.

    Readers show an item's description as HTML; ours is the highlight as the
    front matter holds it, already HTML-escaped (digest/render/pages.py), so a reader
    shows its characters, never markup.
    """
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = title
    ET.SubElement(channel, "link").text = site_url
    ET.SubElement(channel, "description").text = description
    ET.SubElement(channel, "language").text = lang
    ET.SubElement(channel, f"{{{ATOM}}}link", {"href": site_url + filename, "rel": "self", "type": "application/rss+xml"})
    if items:
        # the newest digest's date, not the build time: a rebuild changes nothing
        ET.SubElement(channel, "lastBuildDate").text = format_datetime(items[0].published)
    for item in items[:FEED_LENGTH]:
        entry = ET.SubElement(channel, "item")
        link = f"{site_url}{item.slug}/"
        ET.SubElement(entry, "title").text = item.title
        ET.SubElement(entry, "link").text = link
        ET.SubElement(entry, "guid", {"isPermaLink": "true"}).text = link
        ET.SubElement(entry, "pubDate").text = format_datetime(item.published)
        ET.SubElement(entry, "category").text = item.area_name
        ET.SubElement(entry, "description").text = item.description
    # no indentation: a feed reader reads the elements, not the lines (a tenth of a feed's bytes)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def flagged(item: FeedItem, labels: dict[str, Any]) -> FeedItem:
    """The item with its title flagged when the digest holds breaking changes ("[破壊的変更 2] …")."""
    count = item.counts.get("breaking-change", 0)
    if not count:
        return item
    return replace(item, title=f"[{labels['badges']['breaking-change']} {count}] {item.title}")


def only_type(item: FeedItem, kind: str, site_url: str) -> FeedItem:
    """The item of a change-type feed: its description lists that type's files alone, each linked to its section.

    The file titles come HTML-escaped from the front matter, so the list is HTML
    whose text a reader shows literally.
    """
    lines = [
        f'<li><a href="{site_url}{item.slug}/#{entry.get("anchor", "")}">{entry.get("title", "")}</a>'
        f' (<code>{entry.get("path", "")}</code>)</li>'
        for entry in item.files
        if entry.get("type") == kind
    ]
    return replace(item, description=f"<ul>{''.join(lines)}</ul>")


def write_feeds(items: list[FeedItem], site_dir: Path, site_url: str, lang: str, labels: dict[str, Any]) -> list[Path]:
    """Write the language's feeds of `items` (read_items) into its built site (all areas, each area, each followed type)."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    items = [flagged(item, labels) for item in items]
    feeds = {FEED_ALL: (labels["feed_title"], items)}
    for area in sorted({item.area for item in items}):
        mine = [item for item in items if item.area == area]
        feeds[FEED_AREA.format(area=area)] = (labels["feed_area_title"].format(area=mine[0].area_name), mine)
    for kind, filename in FEED_TYPES.items():
        mine = [only_type(item, kind, site_url) for item in items if item.counts.get(kind)]
        feeds[filename] = (labels["feed_type_title"].format(type=labels["types"][kind.replace("-", " ")]), mine)
    written = []
    for filename, (title, chosen) in feeds.items():
        path = site_dir / filename
        write_bytes_atomic(path, rss(title, site_url, filename, labels["feed_description"], lang, chosen))
        written.append(path)
    log.info("wrote %d %s feed(s): %s, one per area and one per followed change type", len(written), lang, FEED_ALL)
    return written
