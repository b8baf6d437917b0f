"""The offline summarizer: deterministic bilingual text built from the facts, no network, no key.

Python chooses what to say (which facts, how many); the wording lives in
templates/offline/<lang>.j2 as macros.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from digest.classify import is_include_path, occurs_whole
from digest.docsrepo.paths import include_topic, is_image_path
from digest.models import LANGS, Bilingual, BilingualList, ClassifiedChange, DigestSummary, FileSummary, PageText
from digest.plaintext import plain
from digest.summarize.rank import MONTHS, Fact, differing_middle, link_tail, metadata_changes, rank_facts, toc_facts
from digest.render.templating import environment
from digest.summarize.base import PageInput
from digest.summarize.phrases import CompiledMacros
from digest.summarize.titletext import (  # noqa: F401 - the words of titles, moved out of this module
    TITLE_LIMIT,
    BULK_QUOTE,
    CODE_SPAN,
    JA_QUOTE_SPACE,
    LINK_REMNANT,
    METADATA_WORDS,
    PROTECTED,
    QUOTED_KINDS,
    STRAY_SPACE,
    TIGHT_ARTICLE,
    TIGHT_KINDS,
    TIGHT_QUOTE,
    TITLE_ARTICLE,
    TITLE_QUOTE,
    TOC_LEAD,
    View,
    _differing_segments,
    _metadata_room,
    _month,
    _tidy,
    _tidy_gap,
    _with_key,
    display_width,
    ja_date,
    quote_pair,
    title_quote,
    verified_code,
    MAX_QUOTE,
)
from digest.summarize.story import HIGHLIGHTED, ranked, told_story, units
from digest.text import clip_words
from digest.summarize.explain import BARE_ADDRESS, BRIEF_ITEMS, ITEMS_EXPLAINED, headline_order, joined, told_facts, worthy
from digest.summarize.tables import covered, table_sides, table_told
from digest.summarize.changed_lines import changed_runs
from digest.summarize.headline import Headlines, tab_heading_dropped

MAX_LISTED = 8
MAX_TERMS = 14
MAX_ITEM = 90
MAX_CHANGE = 140
GENERIC_TITLES = {"include file", "include", "includes", "", "api key"}



def _listed(items: list[str], limit: int = MAX_LISTED, width: int = MAX_ITEM) -> dict[str, Any]:
    return View(items=[clip_words(item, width, pair_backticks=True) for item in items[:limit]], more=max(0, len(items) - limit))


def _code_listed(items: list[str], limit: int = MAX_LISTED, width: int = MAX_ITEM) -> dict[str, Any]:
    """Identifiers shown whole or not at all (one longer than `width` is left out and counted)."""
    whole = [item for item in items if len(item) <= width]
    return View(items=whole[:limit], more=max(0, len(items) - min(limit, len(whole))))


def _terms(terms: list[str], identifiers: list[str], shown: list[str], limit: int = MAX_TERMS) -> dict[str, Any]:
    """Notable spans not already named elsewhere in the explanation; identifiers marked as code."""
    codes = set(identifiers)
    said = " ".join(shown)
    items = [
        View(text=term if term in codes else clip_words(term, MAX_ITEM, pair_backticks=True), code=term in codes)
        for term in terms
        if term not in said and not (term in codes and len(term) > MAX_ITEM)
    ]
    return View(items=items[:limit], more=max(0, len(items) - limit))


def fact_view(fact: Fact, lang: str, clip: bool = False, quote: int = TITLE_QUOTE) -> View:
    """A fact as the templates read it; dates in the language's form; for a title (`clip`), quoted
    text cut at a word boundary (at `quote` characters)."""
    view = View(fact.as_dict())
    if clip and fact.kind in QUOTED_KINDS:
        article = TITLE_ARTICLE if quote >= TITLE_QUOTE else TIGHT_ARTICLE
        pair = quote_pair(fact.old, fact.new, quote)
        view = View(view, old=pair[0], new=pair[1], items=[title_quote(item, article if fact.kind == "article" else quote + 12) for item in fact.items])
    if clip and fact.kind == "region" and len(fact.items) > 1:  # "East US 2" says "eastus2" too
        shown = {item.replace(" ", "").casefold() for item in fact.items if " " in item}
        view = View(view, items=[item for item in fact.items if " " in item or item.casefold() not in shown])
    if clip and fact.kind in ("number", "link"):
        view = View(view, subject=clip_words(fact.subject, 32 if fact.kind == "number" else 48, pair_backticks=True))
    if clip and fact.kind == "link" and fact.action != "changed":  # links named by their words, cut as a quote is
        view = View(view, rows=[clip_words(row, quote + 12, pair_backticks=True) for row in fact.rows])
    if fact.kind == "date" and lang == "ja":
        view = View(view, old=ja_date(fact.old), new=ja_date(fact.new))
    view["generic"] = generic_article(fact)
    view.__dict__.update(view)
    return view


def generic_article(fact: Fact) -> bool:
    """An added or removed article with no title of its own (an include's "include file")."""
    return fact.kind == "article" and (not fact.items or fact.items[0].casefold() in GENERIC_TITLES)


def file_context(change: ClassifiedChange) -> dict[str, Any]:
    """What the templates may say about one file: facts only, clipped for reading."""
    facts = change.facts
    record = change.change
    headings_added, headings_removed = _listed(facts.headings_added), _listed(facts.headings_removed)
    rows_added, rows_removed = _listed(facts.table_rows_added, 6, 120), _listed(facts.table_rows_removed, 6, 120)
    replacements = [
        View(old=clip_words(r.old, MAX_CHANGE, pair_backticks=True), new=clip_words(r.new, MAX_CHANGE, pair_backticks=True), count=r.count)
        for r in facts.replacements[:8]
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
            "is_image": is_image_path(record.path),
            "topic": include_topic(record.path),
            "page_title": clip_words(facts.page_title, 100, pair_backticks=True) if facts.page_title else None,
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
            "text_added": [clip_words(text, MAX_QUOTE, pair_backticks=True) for text in facts.text_added[:3]],
            "text_removed": [clip_words(text, MAX_QUOTE, pair_backticks=True) for text in facts.text_removed[:3]],
            "links_added": _code_listed(facts.links_added, 3, 160),
            "links_removed": _code_listed(facts.links_removed, 3, 160),
            "images_added": len(facts.images_added),
            "images_removed": len(facts.images_removed),
            "includes_added": _code_listed(facts.includes_added, 5),
            "includes_removed": _code_listed(facts.includes_removed, 5),
            "retirement": clip_words(next(iter(facts.phrases_added.get("retirement", []) + facts.phrases_added.get("deprecation", [])), ""), MAX_QUOTE, pair_backticks=True),
            "ga": clip_words(next(iter(facts.phrases_added.get("ga", [])), ""), MAX_QUOTE, pair_backticks=True),
            "replacements": replacements,
            "bulk": View(dict(zip(("old", "new"), quote_pair(bulk.old, bulk.new, BULK_QUOTE), strict=True)), count=1, files=facts.bulk_files)
            if bulk
            else None,
        }
    )


def brief_view(fact: Fact, lang: str) -> View:
    """A fact as an explanation tells it: web addresses and host names left out of its items (the details name them)."""
    view = fact_view(fact, lang)
    if fact.kind != "endpoint" and any(BARE_ADDRESS.match(item) for item in fact.items):
        view = View(view, items=[item for item in fact.items if not BARE_ADDRESS.match(item)])
    return view


class OfflineSummarizer:
    name = "offline"

    def __init__(self, templates_dir: str) -> None:
        self.templates_dir = templates_dir
        # each macro translated to Python once (Jinja's own macro where it cannot be): summarize/phrases.py
        self._macros = {lang: CompiledMacros(environment(templates_dir), f"offline/{lang}.j2") for lang in LANGS}
        view = lambda lang, fact, quote: fact_view(fact, lang, clip=True, quote=quote)  # noqa: E731
        self._headlines = Headlines(view, self._phrase_of, generic_article)

    def _say(self, lang: str, macro: str, context: dict[str, Any]) -> str:
        said = _tidy(str(getattr(self._macros[lang], macro)(context)))
        return JA_QUOTE_SPACE.sub("", said) if lang == "ja" else said

    def summarize_file(self, change: ClassifiedChange) -> FileSummary:
        context = file_context(change)
        record = change.change
        diff_text = " ".join(f"{record.path} {record.old_path or ''}\n{record.patch}".split())
        facts = rank_facts(change) if change.noise in ("none", "image") else toc_facts(change) if change.noise == "toc" else []
        fix = change.modification_type == "bug fix"
        rows = table_sides(change, facts)
        brief, others = told_facts(facts, fix, lambda told, fact, item: covered(rows, told, fact, item))
        context["items_shown"] = BRIEF_ITEMS
        # the first shown value that changed, each side cut to fit a title
        context["metadata"] = [
            View(subject=fact.subject, old=clip_words(fact.old, _metadata_room(fact.subject), pair_backticks=True),
                 new=clip_words(fact.new, _metadata_room(fact.subject), pair_backticks=True))
            for fact in metadata_changes(change)[:1]
        ] if change.noise == "metadata" else []

        headlined = [fact for fact in facts if worthy(fact, fix)] or facts
        headlined = headlined if fix else headline_order(headlined)
        headlines = self._headlines.titles(tab_heading_dropped(headlined, record.patch or ""), context)
        told = {
            lang: View(context, headline=headlines[lang], facts=[fact_view(f, lang) for f in facts], brief=[View(brief_view(f, lang), table=table_told(f, rows, facts)) for f in brief])
            for lang in LANGS
        }

        def say(lang: str, macro: str) -> str:
            return verified_code(self._say(lang, macro, told[lang]), diff_text)

        # a fact told shorter in the explanation than in full (fewer items, links by their text, code by what
        # differs) is told again whole in the details
        # an image's text (an SVG's markup) is no detail a reader reads
        details = [] if context["is_image"] else [fact for fact in facts if fact in others or (fact in brief and self._cut(fact, told["en"]))]
        title = Bilingual(**{lang: plain(say(lang, "title")) for lang in LANGS})
        explanation = Bilingual(**{lang: say(lang, "explanation") for lang in LANGS})
        lines = {lang: [self._detail(lang, fact, told[lang]) for fact in details] for lang in LANGS}
        if not context["is_image"] and change.noise == "none":  # then the changed lines the facts do not say whole
            runs, more = changed_runs(change, facts, [title.en, explanation.en] + lines["en"])
            for lang in LANGS:
                lines[lang] += [self._say(lang, "changed_line", View(vars(run))) for run in runs] + ([self._say(lang, "more_lines", more)] if more else [])
        return FileSummary(
            modification_type=change.modification_type,
            title=title,
            explanation=explanation,
            summarizer=self.name,
            details=BilingualList(**{lang: [verified_code(line, diff_text) for line in lines[lang]] for lang in LANGS}) if lines["en"] else None,
        )

    def _cut(self, fact: Fact, context: dict[str, Any]) -> bool:
        shown = self._say("en", "fact", View(fact=brief_view(fact, "en"), shown=BRIEF_ITEMS, f=context, sentence=False))
        return shown != self._say("en", "fact", View(fact=fact_view(fact, "en"), shown=ITEMS_EXPLAINED, f=context, sentence=False))

    def _detail(self, lang: str, fact: Fact, context: dict[str, Any]) -> str:
        """One further change of a file as a line of its details: every item named (up to ITEMS_EXPLAINED)."""
        return self._say(lang, "detail", View(fact=fact_view(fact, lang), shown=ITEMS_EXPLAINED, f=context, sentence=True))

    def headline(self, lang: str, facts: list[Fact], context: dict[str, Any]) -> str:
        """The title in one language (both are made together: summarize/headline.py)."""
        return self._headlines.titles(facts, context)[lang]

    def _fact_phrase(self, lang: str, fact: Fact, shown: int, context: dict[str, Any], quote: int = TITLE_QUOTE) -> str:
        return self._phrase_of(lang, fact_view(fact, lang, clip=True, quote=quote), shown, context)

    def _phrase_of(self, lang: str, view: View, shown: int, context: dict[str, Any]) -> str:
        return plain(self._say(lang, "fact", View(fact=view, shown=shown, f=context, sentence=False)))

    def summarize_files(self, changes: list[ClassifiedChange]) -> list[FileSummary]:
        return [self.summarize_file(change) for change in changes]

    def summarize_page(self, page: PageInput) -> DigestSummary:
        return DigestSummary(**{lang: self.page_text(lang, page) for lang in LANGS}, summarizer=self.name)

    def summarize_pages(self, pages: list[PageInput]) -> list[DigestSummary]:
        return [self.summarize_page(page) for page in pages]

    def close(self) -> None:
        pass

    def page_text(self, lang: str, page: PageInput) -> PageText:
        ranking = ranked(page)
        told_units = units(lang, ranking)
        counts = Counter(item.summary.modification_type for item in page.files)
        noise = Counter(item.change.noise for item in page.files if item.change.noise != "none")
        context = View(
            date=page.date.isoformat(),
            area=getattr(page.area_name, lang),
            files=len(page.files),
            counts=dict(counts),
            noise=dict(noise),
            additions=sum(item.change.change.additions for item in page.files),
            deletions=sum(item.change.change.deletions for item in page.files),
            units=[View(unit) for unit in told_units],
            top=[View(unit, name=unit["names"][0]) for unit in told_units[:HIGHLIGHTED]],
            story=View(told_story(lang, page, ranking)),
        )
        context["routine_lines"] = [plain(line) for line in self.noise_lines(lang, page)]

        def items(types: tuple[str, ...]) -> list[str]:
            return [plain(self._say(lang, "list_item", unit)) for unit in context["units"] if unit["type"] in types]

        other = items(("bug fix", "minor update")) + [plain(line) for line in self.noise_lines(lang, page)]
        return PageText(
            highlight=plain(self._say(lang, "highlight", context)),
            new_features=items(("new feature",)),
            breaking_changes=items(("breaking change",)),
            other_updates=other,
            insight=plain(self._say(lang, "insight", context)),
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
            edit = dict(zip(("old", "new"), quote_pair(old, new, BULK_QUOTE), strict=True)) | {"count": 1}
            lines.append(self._say(lang, "noise_line", {"kind": "bulk", "count": count, "edit": edit}))
        if unnamed:
            lines.append(self._say(lang, "noise_line", {"kind": "bulk", "count": unnamed, "edit": None}))
        return lines
