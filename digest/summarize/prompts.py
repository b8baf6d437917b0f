"""What the model is asked: prompts and request bodies (what it must answer is in answers.py).

The wording of the prompts lives in templates/prompts/; this module chooses
what goes in (facts, a diff cut to a token budget).
Any change to how answers are read bumps PROMPT_VERSION (it is part of every
cache key; the rendered prompt text is too, so template edits need no bump).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any

from digest.docsrepo.paths import is_include_path
from digest.hunks import ParsedPatch
from digest.models import ClassifiedChange
from digest.summarize.rank import rank_facts
from digest.classify.rubric import HELD_OUT_PRECISION
from digest.render.templating import environment
from digest.text import clip_chars
from digest.summarize.answers import Kind
from digest.summarize.base import PageInput
from digest.summarize.story import day_story, ranked

PROMPT_VERSION = 1
# context lines kept around each changed line of a hunk
DIFF_CONTEXT = 2
MAX_FACT_ITEMS = 10
MAX_FACT_CHARS = 120
MAX_PAGE_FILES = 60
SPACE_RUN = re.compile(r"(?<=\S)[ \t]{2,}")
DASH_RUN = re.compile(r"-{4,}")
# a deleted file: enough of it to know what it was about
REMOVED_FILE_TOKENS = 300


def estimate_tokens(text: str) -> int:
    """A cheap token estimate without a tokenizer: ~4 ASCII characters per token, one per other character.

    Close to tiktoken's counts for English Markdown and a little high for
    Japanese, which is the safe side for a budget.
    """
    ascii_chars = len(text.encode("ascii", "ignore"))
    return (ascii_chars + 3) // 4 + (len(text) - ascii_chars)


# --- which files go to the model ---------------------------------------------


def wants_model(change: ClassifiedChange) -> bool:
    """Noise, binary files and changes with no text diff keep their offline summary: no model call."""
    record = change.change
    return change.noise == "none" and record.kind == "file" and not record.binary and bool(record.patch.strip())


# --- the diff, cut to a budget ---------------------------------------------------


@dataclass
class DiffExcerpt:
    text: str
    hunks_shown: int
    hunks_total: int
    lines_hidden: int = 0  # changed (+/-) lines left out

    @property
    def cut(self) -> bool:
        return self.lines_hidden > 0


@dataclass
class _Hunk:
    header: str
    lines: list[str] = field(default_factory=list)

    def changed(self) -> int:
        return sum(1 for line in self.lines if line[:1] in "+-")


def _squeeze(line: str) -> str:
    """A diff line without the padding of aligned tables: whitespace runs and long dash runs shortened."""
    body = DASH_RUN.sub("---", SPACE_RUN.sub(" ", line[1:].rstrip()))
    return line[:1] + body


def _squeezed_section(header: str) -> str:
    """A hunk header as the prompt shows it: "@@" and the section text git gives, padding squeezed."""
    after = _squeeze(header).split("@@", 2)[2]
    return f"@@ {after[1:] if after.startswith(' ') else after}".rstrip()


def _hunks(patch: ParsedPatch) -> list[_Hunk]:
    hunks = [_Hunk("@@", [_squeeze(line) for line in patch.preamble])] if patch.preamble else []
    for hunk in patch.hunks:
        hunks.append(_Hunk(_squeezed_section(hunk.header), [_squeeze(sign + text) for sign, text in hunk.lines]))
    return hunks


def _compact(hunk: _Hunk, context: int) -> list[str]:
    """The hunk's lines with far-away context dropped; "…" marks each gap."""
    changed = [i for i, line in enumerate(hunk.lines) if line[:1] in "+-"]
    keep = {j for i in changed for j in range(i - context, i + context + 1)}
    out: list[str] = [hunk.header]
    skipped = False
    for i, line in enumerate(hunk.lines):
        if i in keep:
            if skipped and len(out) > 1:
                out.append(" …")
            out.append(line)
            skipped = False
        else:
            skipped = True
    return out


def cut_diff(patch: ParsedPatch, budget: int, context: int = DIFF_CONTEXT) -> DiffExcerpt:
    """Whole hunks in order while they fit the token budget; a first hunk too big for it is cut by lines."""
    hunks = _hunks(patch)
    shown: list[str] = []
    used = 0
    for index, hunk in enumerate(hunks):
        lines = _compact(hunk, context)
        cost = estimate_tokens("\n".join(lines)) + 1
        if used + cost <= budget:
            shown.extend(lines)
            used += cost
            continue
        hidden = sum(h.changed() for h in hunks[index + 1 :])
        if index == 0:
            partial: list[str] = []
            for line in lines:
                line_cost = estimate_tokens(line) + 1
                if used + line_cost > budget:
                    break
                partial.append(line)
                used += line_cost
            shown.extend(partial)
            hidden += sum(1 for line in lines[len(partial) :] if line[:1] in "+-")
            return DiffExcerpt("\n".join(shown), 1 if partial else 0, len(hunks), hidden)
        hidden += hunk.changed()
        return DiffExcerpt("\n".join(shown), index, len(hunks), hidden)
    return DiffExcerpt("\n".join(shown), len(hunks), len(hunks), 0)


# --- facts for the prompt -----------------------------------------------------


def _items(values: list[str]) -> list[str]:
    return [clip_chars(value, MAX_FACT_CHARS) for value in values[:MAX_FACT_ITEMS]] + (
        [f"(+{len(values) - MAX_FACT_ITEMS} more)"] if len(values) > MAX_FACT_ITEMS else []
    )


MAX_RANKED = 10


def ranked_fact_lines(change: ClassifiedChange) -> list[str]:
    """The change's facts, most important first (digest/summarize/rank.py), one line each, verbatim items."""
    lines = []
    # a removed file: the page itself is the news, and its beginning is in the diff
    shown = 1 if change.change.status == "removed" else MAX_RANKED
    for fact in rank_facts(change)[:shown]:
        what = f"{fact.old} -> {fact.new}" if fact.action == "changed" and (fact.old or fact.new) else "; ".join(_items(fact.items))
        where = f" ({fact.subject})" if fact.subject and fact.kind == "date" else ""
        code = " (only inside code blocks)" if fact.code else ""
        lines.append(f"{fact.kind.replace('_', ' ')} {fact.action}{where}: {clip_chars(what, 300) or fact.subject}{code}")
    return lines


def fact_lines(change: ClassifiedChange) -> list[tuple[str, list[str]]]:
    """The facts the rules found in the whole diff, as (label, items), empty ones left out."""
    facts = change.facts
    pairs: list[tuple[str, list[str]]] = [
        ("headings added", facts.headings_added),
        ("headings removed", facts.headings_removed),
        ("table rows added", facts.table_rows_added),
        ("table rows removed", facts.table_rows_removed),
        ("identifiers added", facts.identifiers_added),
        ("identifiers removed", facts.identifiers_removed),
        ("includes added", facts.includes_added),
        ("includes removed", facts.includes_removed),
        ("front matter keys changed", facts.front_matter_keys),
    ]
    pairs += [(f"{kind} wording added", lines) for kind, lines in sorted(facts.phrases_added.items())]
    pairs += [(f"{kind} wording removed", lines) for kind, lines in sorted(facts.phrases_removed.items())]
    if facts.links_added or facts.links_removed:
        pairs.append(("links", [f"{len(facts.links_added)} added, {len(facts.links_removed)} removed"]))
    if facts.images_added or facts.images_removed:
        pairs.append(("images", [f"{len(facts.images_added)} added, {len(facts.images_removed)} removed"]))
    return [(label, _items(values)) for label, values in pairs if values]


# --- requests -----------------------------------------------------------------

Messages = list[dict[str, str]]


def request_body(model: str, kind: Kind, messages: Messages) -> dict[str, Any]:
    """The chat-completions body, the same for a live request and a Batch API line."""
    return {
        "model": model,
        "messages": messages,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": kind.name, "strict": True, "schema": kind.schema},
        },
    }


def cache_key(model: str, kind: Kind, messages: Messages) -> str:
    """sha256 of what decides the answer: model, prompt version, schema and input. Never a key or an endpoint."""
    material = {"model": model, "prompt_version": PROMPT_VERSION, "schema": kind.schema, "name": kind.name, "messages": messages}
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


class PromptBuilder:
    def __init__(self, templates_dir: str, diff_tokens: int) -> None:
        env = environment(templates_dir)
        self._templates = {name: env.get_template(f"prompts/{name}.j2") for name in ("file_system", "file_user", "page_system", "page_user")}
        self.diff_tokens = diff_tokens

    def _render(self, name: str, **context: Any) -> str:
        return self._templates[name].render(**context).strip()

    def file_system(self) -> str:
        """The instructions and the rubric: the same for every file (a provider's prompt cache can reuse them)."""
        return self._render("file_system")

    def file_messages(self, change: ClassifiedChange) -> Messages:
        record = change.change
        budget = min(self.diff_tokens, REMOVED_FILE_TOKENS) if record.status == "removed" else self.diff_tokens
        excerpt = cut_diff(record.parsed_patch, budget)
        user = self._render(
            "file_user",
            path=record.path,
            old_path=record.old_path,
            status=record.status,
            additions=record.additions,
            deletions=record.deletions,
            is_include=is_include_path(record.path),
            page_title=clip_chars(change.facts.page_title, MAX_FACT_CHARS) if change.facts.page_title else None,
            rule_type=change.modification_type,
            rule_reason=change.facts.type_reason,
            rule_reliability=HELD_OUT_PRECISION.get(change.modification_type),
            ranked=ranked_fact_lines(change) if change.noise in ("none", "toc", "image") else [],
            # the facts cover the whole diff: sent when the model does not see all of it
            facts=fact_lines(change) if excerpt.cut else [],
            diff=excerpt,
        )
        return [{"role": "system", "content": self.file_system()}, {"role": "user", "content": user}]

    def page_messages(self, page: PageInput) -> Messages:
        listed = [item for item in page.files if item.change.noise == "none"]
        routine = len(page.files) - len(listed)
        files = [
            {
                "path": item.change.change.path,
                "status": item.change.change.status,
                "additions": item.change.change.additions,
                "deletions": item.change.change.deletions,
                "type": item.summary.modification_type,
                "title": item.summary.title,
                "explanation": clip_chars(item.summary.explanation.en, 300),
            }
            for item in listed[:MAX_PAGE_FILES]
        ]
        user = self._render(
            "page_user",
            story=day_story(page, ranked(page)).as_dict(),
            date=page.date.isoformat(),
            area=page.area_name,
            files=files,
            more=len(listed) - len(files),
            routine=routine,
            additions=sum(item.change.change.additions for item in page.files),
            deletions=sum(item.change.change.deletions for item in page.files),
        )
        return [{"role": "system", "content": self._render("page_system")}, {"role": "user", "content": user}]
