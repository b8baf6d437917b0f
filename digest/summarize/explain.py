"""What a file's title and explanation tell, and how: the facts worth leading with, the few an explanation
tells (the rest go to the file's details), and a title's phrases joined so a shared verb is said once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from digest.summarize.rank import Fact
from digest.summarize.rank.content import BOILERPLATE_HEADING

# an explanation tells the top BRIEF_FACTS facts a reader acts on, each with at most BRIEF_ITEMS items, in one to
# three sentences; the rest (at most MAX_EXPLAINED facts in all, ITEMS_EXPLAINED items each) are the file's
# details, one line each, shown folded below it
BRIEF_FACTS = 3
BRIEF_ITEMS = 2
MAX_EXPLAINED = 13
ITEMS_EXPLAINED = 14
# a web address or host name alone says nothing a reader acts on (unless its fact is an endpoint that changed)
BARE_ADDRESS = re.compile(r"^(?:https?://\S+|[\w-]+(?:\.[\w-]+)+\.(?:com|net|io|org|ms))/?$")


def worthy(fact: Fact, fix: bool = False) -> bool:
    """Whether a fact may lead a title or an explanation: not a part of a section removed whole (the section's
    removal says it), not web addresses or host names alone, not a swap of words (unless it is what a bug
    fix, `fix`, corrects)."""
    if fact.within_section or (fact.kind == "edit" and not fix):
        return False
    return fact.kind in ("endpoint", "link", "article") or not fact.items or not all(BARE_ADDRESS.match(item) for item in fact.items)


def told_facts(facts: list[Fact], fix: bool = False, covered: Callable[[list[Fact], Fact, str], bool] | None = None) -> tuple[list[Fact], list[Fact]]:
    """The facts an explanation tells (the top BRIEF_FACTS worthy ones, the article itself aside) and the
    others, up to MAX_EXPLAINED in all, in rank order. The items a fact told before already says (`covered`:
    cells of a table row it names) are left to the details; a fact left with none is not told."""
    told = [fact for fact in facts if fact.kind != "article"][:MAX_EXPLAINED]
    brief: list[Fact] = []
    for fact in (fact for fact in told if worthy(fact, fix)):
        if covered and brief and fact.items:
            items = [item for item in fact.items if not covered(brief, fact, item)]
            if not items:
                continue
            fact = replace(fact, items=items) if len(items) < len(fact.items) else fact
        if len(brief) == BRIEF_FACTS or (fact.kind in ("link", "media") and brief):
            break  # links and images are told first only when nothing else is (as in a title)
        brief.append(fact)
    brief = brief or told[:1]
    return brief, [fact for fact in told if fact not in brief]


# the verb a title's phrase starts (en) or ends (ja) with: said once for phrases in a row that share it
SHARED_VERB = {"en": re.compile(r"^(Adds|Removes) (?=\S)"), "ja": re.compile(r"を(追加|削除)$")}
# an English phrase of added sections: after one that adds, it shares its verb
NEW_SECTIONS = re.compile(r"^()New (?=sections? “)")  # no verb of its own (group 1): "Adds"
# a Japanese phrase that names its kind first (「、」 also joins items, so only such a phrase may follow another)
JA_KIND_FIRST = re.compile(r"^(?:モデル|API バージョン|パッケージ|バージョン|リージョン|エンドポイント|パラメーター|ロール|セクション|表の行|表の列|項目|インクルード)")


def joined(lang: str, parts: list[str]) -> str:
    """A title's phrases joined; phrases in a row that add (or remove) say the verb once:
    "Adds model sora; regions East US 2, eastus2" / "モデル sora、リージョン East US 2 を追加"."""
    verb = SHARED_VERB[lang]
    said: list[str] = []
    for part in parts:
        previous = said[-1] if said else ""
        match = verb.match(part) or NEW_SECTIONS.match(part) if lang == "en" else None
        if match and previous.startswith(match.group(1) or "Adds "):
            said[-1] = previous + "; " + part[match.end():]  # "Adds model o1; sections “…”" for "New sections “…”" too
        elif lang == "ja" and (match := verb.search(part)) and previous.endswith(match.group(0)) and JA_KIND_FIRST.match(part) and JA_KIND_FIRST.match(previous):
            said[-1] = previous[: -len(match.group(0))].rstrip() + "、" + part
        else:
            said.append(part)
    return ("; " if lang == "en" else "、").join(said)


# what editors headline, measured on gold-dev and half A of the tune part: an added section names the feature
# far more often (16 of 30 hold a headline term) than the added names, parameters and imports of rank 4 it
# would follow (3 of 28)
HEADLINE_RANKS = {("section", "added"): 3}


def headline_order(facts: list[Fact]) -> list[Fact]:
    """The facts in the order a title names them: their order, with a fact of a kind HEADLINE_RANKS moves up
    told before the first fact ranked below that rank (not sections that most pages have, "Set up")."""
    ordered = list(facts)
    if any(fact.kind == "article" and fact.action == "added" for fact in facts):
        return ordered  # a new file's sections are what it holds, not news of their own
    moved = [fact for fact in facts if (fact.kind, fact.action) in HEADLINE_RANKS and not fact.code]
    for fact in [fact for fact in moved if not (fact.kind == "section" and BOILERPLATE_HEADING.match(fact.items[0]))]:
        rank = HEADLINE_RANKS[fact.kind, fact.action]
        at = next(index for index, other in enumerate(ordered) if other is fact or other.rank > rank)
        ordered.remove(fact)
        ordered.insert(at, fact)
    return ordered
