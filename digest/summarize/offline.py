"""The offline summarizer: deterministic bilingual text built from the facts, no network, no key.

Python chooses what to say (which facts, how many); the wording lives in
templates/offline/<lang>.j2 as macros.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from ..classify import is_include_path
from ..models import LANGS, Bilingual, ClassifiedChange, DigestSummary, FileSummary, PageText
from ..templating import environment
from .base import PageInput

MAX_LISTED = 8
MAX_QUOTE = 160


def _clip(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _listed(items: list[str], limit: int = MAX_LISTED) -> dict[str, Any]:
    return {"items": [_clip(item, 80) for item in items[:limit]], "more": max(0, len(items) - limit)}


def _tidy(text: str) -> str:
    """Template output as one line of text: whitespace runs collapsed, stray spaces before punctuation removed."""
    text = " ".join(text.split())
    text = re.sub(r" +([,.、。:;)）])", r"\1", text)
    return re.sub(r"(?<=[。、」）]) +", "", text)


def file_context(change: ClassifiedChange) -> dict[str, Any]:
    """What the templates may say about one file: facts only, clipped for reading."""
    facts = change.facts
    record = change.change
    return {
        "path": record.path,
        "name": PurePosixPath(record.path).name,
        "old_path": record.old_path,
        "status": record.status,
        "type": change.modification_type,
        "noise": change.noise,
        "is_include": is_include_path(record.path),
        "page_title": _clip(facts.page_title, 100) if facts.page_title else None,
        "additions": record.additions,
        "deletions": record.deletions,
        "binary": record.binary,
        "undecodable": record.undecodable,
        "parse_error": bool(record.parse_error),
        "kind": record.kind,
        "mode_change": (record.old_mode, record.new_mode)
        if record.old_mode and record.new_mode and record.old_mode != record.new_mode
        else None,
        "front_matter_keys": _listed(facts.front_matter_keys),
        "headings_added": _listed(facts.headings_added),
        "headings_removed": _listed(facts.headings_removed),
        "rows_added": _listed(facts.table_rows_added),
        "rows_removed": _listed(facts.table_rows_removed),
        "ids_added": _listed(facts.identifiers_added),
        "ids_removed": _listed(facts.identifiers_removed),
        "links_added": _listed(facts.links_added, 5),
        "links_removed": _listed(facts.links_removed, 5),
        "images_added": len(facts.images_added),
        "images_removed": len(facts.images_removed),
        "includes_added": _listed(facts.includes_added, 5),
        "includes_removed": _listed(facts.includes_removed, 5),
        "retirement": _clip(next(iter(facts.phrases_added.get("retirement", []) + facts.phrases_added.get("deprecation", [])), "")),
        "ga": _clip(next(iter(facts.phrases_added.get("ga", [])), "")),
        "replacements": [
            {"old": _clip(r.old, 80), "new": _clip(r.new, 80)} for r in facts.replacements[:5] if r.old and r.new
        ],
    }


class OfflineSummarizer:
    name = "offline"

    def __init__(self, templates_dir: str) -> None:
        env = environment(templates_dir)
        self._macros = {lang: env.get_template(f"offline/{lang}.j2").module for lang in LANGS}

    def _say(self, lang: str, macro: str, context: dict[str, Any]) -> str:
        return _tidy(str(getattr(self._macros[lang], macro)(context)))

    def summarize_file(self, change: ClassifiedChange) -> FileSummary:
        context = file_context(change)
        return FileSummary(
            modification_type=change.modification_type,
            title=Bilingual(**{lang: self._say(lang, "title", context) for lang in LANGS}),
            explanation=Bilingual(**{lang: self._say(lang, "explanation", context) for lang in LANGS}),
            summarizer=self.name,
        )

    def summarize_files(self, changes: list[ClassifiedChange]) -> list[FileSummary]:
        return [self.summarize_file(change) for change in changes]

    def summarize_page(self, page: PageInput) -> DigestSummary:
        return DigestSummary(**{lang: self.page_text(lang, page) for lang in LANGS}, summarizer=self.name)

    def summarize_pages(self, pages: list[PageInput]) -> list[DigestSummary]:
        return [self.summarize_page(page) for page in pages]

    def close(self) -> None:
        pass

    def noise_lines(self, lang: str, page: PageInput) -> list[str]:
        """One line per kind of routine change on the page."""
        noise = Counter(item.change.noise for item in page.files if item.change.noise != "none")
        return [self._say(lang, "noise_line", {"kind": kind, "count": count}) for kind, count in sorted(noise.items())]

    def page_text(self, lang: str, page: PageInput) -> PageText:
        counts = Counter(item.summary.modification_type for item in page.files)
        noise = Counter(item.change.noise for item in page.files if item.change.noise != "none")
        context = {
            "date": page.date.isoformat(),
            "area": getattr(page.area_name, lang),
            "files": len(page.files),
            "counts": dict(counts),
            "noise": dict(noise),
            "additions": sum(item.change.change.additions for item in page.files),
            "deletions": sum(item.change.change.deletions for item in page.files),
            "top": [
                {"title": getattr(item.summary.title, lang), "path": item.change.change.path, "type": item.summary.modification_type}
                for item in _by_importance(page)[:3]
            ],
        }

        def items(types: tuple[str, ...]) -> list[str]:
            return [
                self._say(lang, "list_item", {"title": getattr(i.summary.title, lang), "name": PurePosixPath(i.change.change.path).name})
                for i in page.files
                if i.summary.modification_type in types and i.change.noise == "none"
            ]

        other = items(("bug fix", "minor update")) + self.noise_lines(lang, page)
        return PageText(
            highlight=self._say(lang, "highlight", context),
            new_features=items(("new feature",)),
            breaking_changes=items(("breaking change",)),
            other_updates=other,
            insight=self._say(lang, "insight", context),
        )


TYPE_ORDER = {"breaking change": 0, "new feature": 1, "bug fix": 2, "minor update": 3}


def _by_importance(page: PageInput) -> list[Any]:
    return sorted(
        (item for item in page.files if item.change.noise == "none"),
        key=lambda item: (TYPE_ORDER[item.summary.modification_type], -(item.change.change.additions + item.change.change.deletions)),
    )
