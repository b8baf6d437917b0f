"""The offline summarizer: deterministic bilingual text built from the facts, no network, no key.

Python chooses what to say (which facts, how many); the wording lives in
templates/offline/<lang>.j2 as macros.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from ..classify import clip_words, is_include_path, occurs_whole
from ..models import LANGS, Bilingual, ClassifiedChange, DigestSummary, FileSummary, PageText
from ..templating import environment
from .base import PageInput

MAX_LISTED = 8
MAX_QUOTE = 160
MAX_TERMS = 14
MAX_ITEM = 90
MAX_CHANGE = 140


def _clip(text: str, limit: int = MAX_QUOTE) -> str:
    """Text cut at a word boundary, never inside a word: a cut identifier would name something that does not exist.

    A quote left with an unpaired backtick loses its backticks, so no code span runs on into the text around it.
    """
    clipped = clip_words(text, limit)
    return clipped.replace("`", "") if clipped.count("`") % 2 else clipped


class View(dict):  # type: ignore[type-arg]
    """A dict whose keys also read as attributes. Jinja looks an attribute up before an item, and
    on a plain dict that first look fails (an exception) thousands of times per run."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.__dict__.update(self)


def _listed(items: list[str], limit: int = MAX_LISTED, width: int = MAX_ITEM) -> dict[str, Any]:
    return View(items=[_clip(item, width) for item in items[:limit]], more=max(0, len(items) - limit))


def _code_listed(items: list[str], limit: int = MAX_LISTED, width: int = MAX_ITEM) -> dict[str, Any]:
    """Identifiers shown whole or not at all (one longer than `width` is left out and counted)."""
    whole = [item for item in items if len(item) <= width]
    return View(items=whole[:limit], more=max(0, len(items) - min(limit, len(whole))))


def _terms(terms: list[str], identifiers: list[str], shown: list[str], limit: int = MAX_TERMS) -> dict[str, Any]:
    """Notable spans not already named elsewhere in the explanation; identifiers marked as code."""
    codes = set(identifiers)
    said = " ".join(shown)
    items = [
        View(text=term if term in codes else _clip(term, MAX_ITEM), code=term in codes)
        for term in terms
        if term not in said and not (term in codes and len(term) > MAX_ITEM)
    ]
    return View(items=items[:limit], more=max(0, len(items) - limit))


# what _tidy leaves alone: code spans and quotations hold text as the diff has it
STRAY_SPACE = re.compile(r" [,.、。:;)）]|[。、」）] ")
PROTECTED = re.compile(r"(`+).+?\1|“[^”]*”|「[^」]*」")


def _tidy(text: str) -> str:
    """Template output as one line of text: whitespace runs collapsed, stray spaces before punctuation removed
    (outside code spans and quotations, whose text stays as the diff has it)."""
    text = " ".join(text.split())
    if not STRAY_SPACE.search(text):
        return text
    parts: list[str] = []
    position = 0
    for match in PROTECTED.finditer(text):
        parts.append(_tidy_gap(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_tidy_gap(text[position:]))
    return "".join(parts)


def _tidy_gap(text: str) -> str:
    if not STRAY_SPACE.search(text):
        return text
    text = re.sub(r" +([,.、。:;)）])", r"\1", text)
    return re.sub(r"(?<=[。、」）]) +", "", text)


def verified_code(text: str, diff_text: str) -> str:
    """`text` with every code span whose content the diff does not hold turned back into plain text.

    Code marks an identifier as the diff has it; a span cut or rejoined on its
    way into a summary would name something that does not exist.
    """
    if "`" not in text:
        return text

    def check(match: re.Match[str]) -> str:
        content = " ".join(match.group(2).split())
        return match.group(0) if content and occurs_whole(content, diff_text) else match.group(2)

    return CODE_SPAN.sub(check, text)


CODE_SPAN = re.compile(r"(`+) ?(.+?) ?\1")


def file_context(change: ClassifiedChange) -> dict[str, Any]:
    """What the templates may say about one file: facts only, clipped for reading."""
    facts = change.facts
    record = change.change
    headings_added, headings_removed = _listed(facts.headings_added), _listed(facts.headings_removed)
    rows_added, rows_removed = _listed(facts.table_rows_added, 6, 120), _listed(facts.table_rows_removed, 6, 120)
    replacements = [
        View(old=_clip(r.old, MAX_CHANGE), new=_clip(r.new, MAX_CHANGE), count=r.count) for r in facts.replacements[:8]
    ]
    shown = headings_added["items"] + headings_removed["items"] + rows_added["items"] + rows_removed["items"]
    shown += [r["old"] + " " + r["new"] for r in replacements]
    bulk = facts.bulk_edit
    return View(
        {
            "path": record.path,
            "name": PurePosixPath(record.path).name,
            "old_path": record.old_path,
            "status": record.status,
            "type": change.modification_type,
            "reason": facts.type_reason,
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
            "front_matter_keys": _code_listed(facts.front_matter_keys),
            "headings_added": headings_added,
            "headings_removed": headings_removed,
            "rows_added": rows_added,
            "rows_removed": rows_removed,
            "ids_added": _code_listed(facts.identifiers_added),
            "ids_removed": _code_listed(facts.identifiers_removed),
            "terms_added": _terms(facts.terms_added, facts.identifiers_added, shown),
            "terms_removed": _terms(facts.terms_removed, facts.identifiers_removed, shown),
            "text_added": [_clip(text) for text in facts.text_added[:3]],
            "text_removed": [_clip(text) for text in facts.text_removed[:3]],
            "links_added": _code_listed(facts.links_added, 3, 160),
            "links_removed": _code_listed(facts.links_removed, 3, 160),
            "images_added": len(facts.images_added),
            "images_removed": len(facts.images_removed),
            "includes_added": _code_listed(facts.includes_added, 5),
            "includes_removed": _code_listed(facts.includes_removed, 5),
            "retirement": _clip(next(iter(facts.phrases_added.get("retirement", []) + facts.phrases_added.get("deprecation", [])), "")),
            "ga": _clip(next(iter(facts.phrases_added.get("ga", [])), "")),
            "replacements": replacements,
            "bulk": View(old=_clip(bulk.old, MAX_ITEM), new=_clip(bulk.new, MAX_ITEM), count=1, files=facts.bulk_files)
            if bulk
            else None,
        }
    )


class OfflineSummarizer:
    name = "offline"

    def __init__(self, templates_dir: str) -> None:
        self.templates_dir = templates_dir
        env = environment(templates_dir)
        self._macros = {lang: env.get_template(f"offline/{lang}.j2").module for lang in LANGS}

    def _say(self, lang: str, macro: str, context: dict[str, Any]) -> str:
        return _tidy(str(getattr(self._macros[lang], macro)(context)))

    def summarize_file(self, change: ClassifiedChange) -> FileSummary:
        context = file_context(change)
        record = change.change
        diff_text = " ".join(f"{record.path} {record.old_path or ''}\n{record.patch}".split())

        def say(lang: str, macro: str) -> str:
            return verified_code(self._say(lang, macro, context), diff_text)

        return FileSummary(
            modification_type=change.modification_type,
            title=Bilingual(**{lang: say(lang, "title") for lang in LANGS}),
            explanation=Bilingual(**{lang: say(lang, "explanation") for lang in LANGS}),
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


    def noise_lines(self, lang: str, page: PageInput) -> list[str]:
        """One line per routine kind; bulk edits get one line per edit, naming it."""
        kinds = Counter(i.change.noise for i in page.files if i.change.noise not in ("none", "bulk"))
        edits = Counter(
            (edit.old, edit.new) for i in page.files if i.change.noise == "bulk" for edit in [i.change.facts.bulk_edit] if edit
        )
        unnamed = sum(1 for i in page.files if i.change.noise == "bulk" and not i.change.facts.bulk_edit)
        lines = [self._say(lang, "noise_line", {"kind": kind, "count": count, "edit": None}) for kind, count in sorted(kinds.items())]
        for (old, new), count in edits.most_common():
            edit = {"old": _clip(old, MAX_ITEM), "new": _clip(new, MAX_ITEM), "count": 1}
            lines.append(self._say(lang, "noise_line", {"kind": "bulk", "count": count, "edit": edit}))
        if unnamed:
            lines.append(self._say(lang, "noise_line", {"kind": "bulk", "count": unnamed, "edit": None}))
        return lines


TYPE_ORDER = {"breaking change": 0, "new feature": 1, "bug fix": 2, "minor update": 3}


def _by_importance(page: PageInput) -> list[Any]:
    return sorted(
        (item for item in page.files if item.change.noise == "none"),
        key=lambda item: (TYPE_ORDER[item.summary.modification_type], -(item.change.change.additions + item.change.change.deletions)),
    )
