"""A file's title in both languages at once: the top fact as a plain statement, then as many of the next facts as
fit, the same facts with the same number of items in each language (a fact or an item one language has room for
and the other has not is left out of both); an include file's topic kept unless the title already says it.

Split out of summarize/offline.py, which composes the rest of a file's summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from digest.models import LANGS
from digest.summarize.explain import joined
from digest.summarize.rank import Fact
from digest.summarize.titletext import TIGHT_KINDS, TIGHT_QUOTE, TITLE_LIMIT, TITLE_QUOTE, TOC_LEAD, View, display_width

VERSION_SUFFIX = re.compile(r" \([^()]+\)$")
NAME_CHARS = 40  # a term up to this long is a name, a longer one a sentence
# how a title of a new or removed include file that names its heading starts, per language
INCLUDE_LEADS = {"en": ("New include file: ", "Include file removed: "), "ja": ("新しいインクルードファイル: ", "インクルードファイルの削除: ")}
TOPIC_QUOTES = {"en": " “{}”", "ja": "「{}」"}
# an include's topic names the file, the top fact the change: for both, a title may run this many columns over
TOPIC_SLACK = 10
# a title names at most this many facts
TITLE_FACTS = 4

# (lang, fact, shown items, context) -> the fact's phrase; (lang, fact, quote) -> the fact as the templates read it
Phrase = Callable[[str, Any, int, dict[str, Any]], str]
ViewOf = Callable[[str, Fact, int], Any]


def title_variants(fact: Fact, lead: bool = False) -> list[Fact]:
    """The fact, and for a title short of room, shorter forms of it: models named without their versions
    (but the first), an import swap without the new class's module and then without either, a number without
    its row."""
    if fact.kind == "model" and any(VERSION_SUFFIX.search(item) for item in fact.items):
        names = [VERSION_SUFFIX.sub("", item) for item in fact.items]
        # a name two versions share keeps its versions (bare, they would read as the same model twice)
        rest = [name if names.count(name) == 1 else item for name, item in zip(names, fact.items, strict=True)][1:]
        variants = [fact, replace(fact, items=_unique_items(fact.items[:1] + rest))]
        # all bare only where that still names more than one model: one model's versions are what changed
        return variants + ([replace(fact, items=_unique_items(names))] if len(set(names)) > 1 else [])
    if fact.kind == "import" and fact.action == "changed":
        bare_new = VERSION_SUFFIX.sub("", fact.new)
        return [fact, replace(fact, new=bare_new), replace(fact, new=bare_new, old=VERSION_SUFFIX.sub("", fact.old))]
    if fact.kind == "number" and fact.subject:
        return [fact, replace(fact, subject="")]
    if fact.kind == "link" and fact.action == "changed":  # a retarget: without where it pointed, then without where it points
        return [fact, replace(fact, rows=["", fact.rows[1]]), replace(fact, rows=["", ""])]
    if lead and fact.kind == "term" and len(fact.items) > 1:  # named text leading: its names before its sentences
        return [fact, replace(fact, items=sorted(fact.items, key=lambda item: len(item) > NAME_CHARS))]
    return [fact]


def _unique_items(items: Any) -> list[str]:
    return list(dict.fromkeys(items))


def tab_heading_dropped(facts: list[Fact], patch: str) -> list[Fact]:
    """The facts with an article's heading left out when it is the label of a tab ("# [Python (Microsoft Entra
    ID)](#tab/python-secure)"): an include that opens with tabs has no title of its own, its topic names it."""
    if facts and facts[0].kind == "article" and facts[0].items and f"[{facts[0].items[0]}](#tab/" in patch:
        return [replace(facts[0], items=[])] + facts[1:]
    return facts


def says_topic(title: str, topic: str) -> bool:
    return all(word in title.casefold() for word in topic.casefold().split())


def with_topic(titles: dict[str, str], context: dict[str, Any]) -> dict[str, str]:
    """An include file's titles with the topic its path names ("New include file “whisper javascript”: …")
    when they do not already say it and there is room for it in both languages (nothing is left out for it)."""
    topic = context.get("topic") or ""
    named: dict[str, str] = {}
    for lang, title in titles.items():
        lead = next((lead for lead in INCLUDE_LEADS[lang] if title.startswith(lead)), None)
        if not topic or lead is None or says_topic(title, topic):
            return titles
        named[lang] = lead[:-2] + TOPIC_QUOTES[lang].format(topic) + title[len(lead) - 2 :]
    return named if all(display_width(named[lang]) <= TITLE_LIMIT[lang] for lang in named) else titles


class Headlines:
    """Titles from ranked facts; `view` and `phrase` are the summarizer's (the templates' words)."""

    def __init__(self, view: ViewOf, phrase: Phrase, generic: Callable[[Fact], bool]) -> None:
        self.view, self.phrase, self.generic = view, phrase, generic

    def titles(self, facts: list[Fact], context: dict[str, Any]) -> dict[str, str]:
        """The titles in both languages. A new or removed file with no title of its own leads with what it holds,
        an include's with its topic unless the facts the title names say it already."""
        if not (facts and facts[0].kind == "article" and len(facts) > 1 and self.generic(facts[0])):
            return with_topic(self._fitted(facts, context)[0], context)
        topic = context.get("topic") or ""
        plain_titles, _ = self._fitted(facts, View(context, topic=""))
        if not topic or all(says_topic(title, topic) for title in plain_titles.values()):
            return plain_titles
        named, fits = self._fitted(facts, View(context, topic=topic))
        slack = all(display_width(named[lang]) <= TITLE_LIMIT[lang] + TOPIC_SLACK for lang in LANGS)
        return named if fits or slack else plain_titles

    def _fitted(self, facts: list[Fact], context: dict[str, Any]) -> tuple[dict[str, str], bool]:
        """The titles with `facts` told as far as they fit in both languages (an include's topic, if any, is the
        context's), and whether the first fact after the lead fits (it is named even when it does not)."""
        limits = {lang: TITLE_LIMIT[lang] - (display_width(TOC_LEAD[lang]) if context.get("noise") == "toc" else 0) for lang in LANGS}
        leads = {lang: "" for lang in LANGS}
        if facts and facts[0].kind == "article" and len(facts) > 1 and self.generic(facts[0]):
            leads = {lang: self.phrase(lang, self.view(lang, facts[0], TITLE_QUOTE), 1, context) + ": " for lang in LANGS}
            facts = facts[1:]
        elif facts and facts[0].kind == "article" and facts[0].action == "removed":
            facts = facts[:1]  # a removed page is the news: what it held is gone with it
        parts: dict[str, list[str]] = {lang: [] for lang in LANGS}
        fits = True
        for fact in facts[:TITLE_FACTS]:
            if fact.kind in ("link", "media", "moniker") and parts["en"]:
                break
            phrases, fit = self._fact_phrases(fact, parts, leads, limits, context)
            if not fit and parts["en"]:
                continue
            fits = fits and (fit or bool(parts["en"]))
            if phrases["en"] and phrases["en"] not in parts["en"]:
                for lang in LANGS:
                    parts[lang].append(phrases[lang])
        return {lang: leads[lang] + joined(lang, parts[lang]) for lang in LANGS}, fits

    def _fact_phrases(self, fact: Fact, parts: dict[str, list[str]], leads: dict[str, str], limits: dict[str, int], context: dict[str, Any]) -> tuple[dict[str, str], bool]:
        """A fact's phrase in both languages, in its longest form that fits beside `parts` in both (the last
        form tried when none does), and whether it fits."""
        quotes = (TITLE_QUOTE, TIGHT_QUOTE) if fact.kind in TIGHT_KINDS and (not parts["en"] or fact.kind in ("section", "tab")) else (TITLE_QUOTE,)
        variants = title_variants(fact, lead=not parts["en"])
        views: dict[tuple[str, int, int], Any] = {}  # a view depends on the quote, not on how many items are shown
        phrases: dict[str, str] = {}
        for quote, shown, index in ((quote, shown, index) for quote in quotes for shown in (3, 2, 1) for index in range(len(variants))):
            for lang in LANGS:
                if (lang, quote, index) not in views:
                    views[lang, quote, index] = self.view(lang, variants[index], quote)
                phrases[lang] = self.phrase(lang, views[lang, quote, index], shown, context)
            if all(display_width(leads[lang] + joined(lang, parts[lang] + [phrases[lang]])) <= limits[lang] for lang in LANGS):
                return phrases, True
        return phrases, False
