"""One message per target and day, in the target's kind and language, within the kind's documented limits.

A long day stays one message: the most important files are listed (up to the target's `max_items`, fewer
when a limit would be passed) and the rest are counted per digest, with a link to each digest's page.
Untrusted text (titles from the docs or a model) is escaped for each kind's markup.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from digest.models import DigestRecord
from digest.render.templating import safe_url
from digest.notify.settings import Target
from digest.notify.watch import Item, digest_url

# Slack: https://docs.slack.dev/reference/block-kit/blocks (50 blocks a message, a section's text 3,000
# characters, a header's 150, a context block 10 elements); messages whose blocks hold ~13,000 characters
# are refused in practice (msg_blocks_too_long), so the blocks' text stays under 12,000
SLACK_LIMITS = {"blocks": 50, "section": 3000, "header": 150, "context_elements": 10, "text": 3000, "total": 12_000}
# Teams Workflows: a posted message may be about 28 KB; we keep a margin (smaller limits were measured)
TEAMS_MAX_BYTES = 24_000
# Discord: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
DISCORD_LIMITS = {"content": 2000, "embeds": 10, "title": 256, "description": 4096, "footer": 2048, "total": 6000}
# an item's title is cut here in every chat kind (the digest has it whole)
TITLE_CHARS = 200
BADGES = {"breaking change": "🔴", "new feature": "🟢", "bug fix": "🔧", "minor update": "📝"}
DISCORD_COLORS = {"breaking change": 0xD13438, "new feature": 0x107C10}
WORDS = {
    "en": {"count": "{type}: {count}", "update": "update", "more": "…and {count} more:", "digest": "Digest",
           "learn": "Learn", "open": "Open the digest"},
    "ja": {"count": "{type} {count} 件", "update": "追加分", "more": "ほか {count} 件:", "digest": "ダイジェスト",
           "learn": "Learn", "open": "ダイジェストを開く"},
}
SLACK_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# inline markup, masked links and mentions; block markup (#, -, >) only acts at a line's start, where
# untrusted text never stands (a badge or our own words come first)
DISCORD_MARKUP = re.compile(r"([\\*_~`|\[\]()<>@])")


@dataclass
class Message:
    """What one post tells one target about one day."""

    target: Target
    date: dt.date
    key: str
    # every unannounced file of the day the target watches, most important first
    items: list[Item]
    # the day had an earlier message: this one carries what the day's digests gained since
    update: bool
    labels: dict[str, Any]
    site_url: str
    payload: dict[str, Any] = field(default_factory=dict)
    # how many items the payload lists one by one (the rest are counted)
    listed: int = 0

    @property
    def lang(self) -> str:
        return self.target.language

    @property
    def records(self) -> list[DigestRecord]:
        seen: dict[str, DigestRecord] = {}
        for item in self.items:
            seen.setdefault(item.record.slug, item.record)
        return sorted(seen.values(), key=lambda record: record.area)

    @property
    def files(self) -> dict[str, list[str]]:
        files: dict[str, list[str]] = {}
        for item in self.items:
            files.setdefault(item.record.slug, []).append(item.file.path)
        return files

    def headline(self) -> str:
        words = WORDS[self.lang]
        counts = Counter(item.file.modification_type for item in self.items)
        parts = [words["count"].format(type=self.labels["types"][kind], count=counts[kind])
                 for kind in self.labels["types"] if counts[kind]]
        update = f" ({words['update']})" if self.update else ""
        return f"{self.labels['site_name']} — {self.date.isoformat()}{update}: {' · '.join(parts)}"

    def area_name(self, record: DigestRecord) -> str:
        return getattr(record.area_name, self.lang)

    def title(self, item: Item) -> str:
        return clip(" ".join(getattr(item.file.title, self.lang).split()), TITLE_CHARS)

    def rest(self, listed: int) -> list[tuple[DigestRecord, int]]:
        """The digests of the items not listed one by one, with how many of them each holds."""
        counts = Counter(item.record.slug for item in self.items[listed:])
        return [(record, counts[record.slug]) for record in self.records if counts[record.slug]]


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def fit(message: Message, build: Callable[[Message, int], dict[str, Any]],
        problems: Callable[[dict[str, Any]], list[str]]) -> None:
    """The payload listing as many items as the limits allow (up to max_items); the rest are counted."""
    most = min(message.target.max_items, len(message.items))
    for listed in range(most, -1, -1):
        payload = build(message, listed)
        if not problems(payload):
            message.payload, message.listed = payload, listed
            return
    raise ValueError(f"no {message.target.kind} message for {message.key} fits its limits: {problems(payload)}")


# --- Slack (Block Kit) --------------------------------------------------------------------------------


def slack_text(text: str) -> str:
    """Untrusted text for Slack mrkdwn: no mention, link or channel markup can start in it."""
    return text.translate(SLACK_ESCAPES)


def slack_link(url: str | None, label: str) -> str:
    safe = safe_url(url) if url else "#"
    return f"<{safe}|{slack_text(label)}>" if safe != "#" and "|" not in safe else slack_text(label)


def slack_payload(message: Message, listed: int) -> dict[str, Any]:
    words = WORDS[message.lang]
    headline = message.headline()
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": clip(headline, SLACK_LIMITS["header"]), "emoji": True}}
    ]
    for item in message.items[:listed]:
        links = [slack_link(item.digest_url, words["digest"])]
        if item.learn_url:
            links.append(slack_link(item.learn_url, words["learn"]))
        text = (f"{BADGES[item.file.modification_type]} *{slack_text(message.title(item))}*\n"
                f"{slack_text(message.area_name(item.record))} · {' · '.join(links)}")
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    rest = message.rest(listed)
    if rest:
        counted = [f"{slack_link(digest_url(message.site_url, message.lang, record), message.area_name(record))} ({count})"
                   for record, count in rest]
        more = words["more"].format(count=len(message.items) - listed)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": clip(f"{more} {' · '.join(counted)}", 3000)}]})
    return {"text": clip(headline, SLACK_LIMITS["text"]), "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def slack_problems(payload: dict[str, Any]) -> list[str]:
    blocks = payload["blocks"]
    found = []
    if len(blocks) > SLACK_LIMITS["blocks"]:
        found.append(f"{len(blocks)} blocks")
    texts = [block["text"]["text"] for block in blocks if "text" in block]
    texts += [element["text"] for block in blocks for element in block.get("elements", [])]
    if any(len(block["text"]["text"]) > SLACK_LIMITS[block["type"]] for block in blocks if "text" in block):
        found.append("a block's text is too long")
    if any(len(block.get("elements", [])) > SLACK_LIMITS["context_elements"] for block in blocks):
        found.append("too many context elements")
    if sum(map(len, texts)) > SLACK_LIMITS["total"]:
        found.append("the blocks hold too much text")
    return found


# --- Microsoft Teams (Workflows webhook, Adaptive Card) ------------------------------------------------


def teams_run(text: str, url: str | None = None, **style: Any) -> dict[str, Any]:
    """A TextRun: plain text, never Markdown (so untrusted text needs no escaping); a link when url is set."""
    run: dict[str, Any] = {"type": "TextRun", "text": text, **style}
    if url and safe_url(url) != "#":
        run["selectAction"] = {"type": "Action.OpenUrl", "url": url}
    return run


def teams_payload(message: Message, listed: int) -> dict[str, Any]:
    words = WORDS[message.lang]
    body: list[dict[str, Any]] = [{
        "type": "RichTextBlock",
        "inlines": [teams_run(message.headline(), weight="Bolder", size="Medium")],
    }]
    for item in message.items[:listed]:
        inlines = [teams_run(f"{message.area_name(item.record)} · "), teams_run(words["digest"], item.digest_url)]
        if item.learn_url:
            inlines += [teams_run(" · "), teams_run(words["learn"], item.learn_url)]
        body.append({"type": "Container", "spacing": "Medium", "items": [
            {"type": "RichTextBlock", "inlines": [
                teams_run(f"{BADGES[item.file.modification_type]} {message.title(item)}", weight="Bolder")]},
            {"type": "RichTextBlock", "spacing": "None", "inlines": inlines},
        ]})
    rest = message.rest(listed)
    if rest:
        inlines = [teams_run(words["more"].format(count=len(message.items) - listed) + " ")]
        for index, (record, count) in enumerate(rest):
            inlines.append(teams_run(message.area_name(record), digest_url(message.site_url, message.lang, record)))
            inlines.append(teams_run(f" ({count})" + (" · " if index < len(rest) - 1 else "")))
        body.append({"type": "RichTextBlock", "spacing": "Medium", "inlines": inlines})
    first = digest_url(message.site_url, message.lang, message.items[0].record)
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
        "msteams": {"width": "Full"}, "body": body,
        "actions": [{"type": "Action.OpenUrl", "title": words["open"], "url": first}],
    }
    return {"type": "message", "attachments": [
        {"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": None, "content": card}
    ]}


def teams_problems(payload: dict[str, Any]) -> list[str]:
    size = len(body_bytes(payload))
    return [f"{size} bytes"] if size > TEAMS_MAX_BYTES else []


# --- Discord (webhook: content and an embed) ------------------------------------------------------------


def discord_text(text: str) -> str:
    """Untrusted text for Discord Markdown: every markup character backslash-escaped."""
    return DISCORD_MARKUP.sub(r"\\\1", text)


def discord_link(url: str | None, label: str) -> str:
    safe = safe_url(url) if url else "#"
    return f"[{label}]({safe})" if safe != "#" else label


def discord_payload(message: Message, listed: int) -> dict[str, Any]:
    words = WORDS[message.lang]
    lines = []
    for item in message.items[:listed]:
        links = [discord_link(item.digest_url, words["digest"])]
        if item.learn_url:
            links.append(discord_link(item.learn_url, words["learn"]))
        lines.append(f"{BADGES[item.file.modification_type]} **{discord_text(message.title(item))}**\n"
                     f"{discord_text(message.area_name(item.record))} · {' · '.join(links)}")
    rest = message.rest(listed)
    if rest:
        counted = [f"{discord_link(digest_url(message.site_url, message.lang, record), discord_text(message.area_name(record)))} ({count})"
                   for record, count in rest]
        lines.append(f"{discord_text(words['more'].format(count=len(message.items) - listed))} {' · '.join(counted)}")
    top = message.items[0].file.modification_type
    embed = {
        "title": clip(message.labels["site_name"], DISCORD_LIMITS["title"]),
        "url": safe_url(digest_url(message.site_url, message.lang, message.items[0].record)),
        "description": "\n\n".join(lines),
        "color": DISCORD_COLORS.get(top, 0x605E5C),
        "footer": {"text": f"{message.date.isoformat()} · MicrosoftDocs/azure-ai-docs"},
    }
    return {"content": clip(discord_text(message.headline()), DISCORD_LIMITS["content"]), "embeds": [embed],
            "allowed_mentions": {"parse": []}}


def discord_problems(payload: dict[str, Any]) -> list[str]:
    found = []
    if len(payload["content"]) > DISCORD_LIMITS["content"]:
        found.append("content too long")
    embeds = payload["embeds"]
    total = 0
    for embed in embeds:
        for part in ("title", "description"):
            total += len(embed.get(part, ""))
            if len(embed.get(part, "")) > DISCORD_LIMITS[part]:
                found.append(f"embed {part} too long")
        total += len(embed.get("footer", {}).get("text", ""))
    if len(embeds) > DISCORD_LIMITS["embeds"] or total > DISCORD_LIMITS["total"]:
        found.append("embeds too large")
    return found


# --- generic JSON -------------------------------------------------------------------------------------

# the record fields a JSON payload leaves out: the whole diff and the classifier's facts (large)
JSON_LEFT_OUT = {"patch", "facts"}


def json_payload(message: Message, listed: int) -> dict[str, Any]:
    """Every watched file with the record's own fields (README: Notifications, the JSON payload)."""
    digests = [{
        **record.model_dump(mode="json", include={"date", "timezone", "area", "area_name", "repo", "branch", "base",
                                                  "head", "compare_url"}),
        "url": digest_url(message.site_url, message.lang, record),
    } for record in message.records]
    items = [{
        "digest": item.record.slug, "area": item.record.area,
        **item.file.model_dump(mode="json", exclude=JSON_LEFT_OUT),
        "digest_url": item.digest_url, "learn_url": item.learn_url,
    } for item in message.items]
    return {
        "schema": "docs-digest/notification", "schema_version": 1, "target": message.target.name,
        "key": message.key, "date": message.date.isoformat(), "language": message.lang, "update": message.update,
        "headline": message.headline(), "digests": digests, "items": items,
    }


BUILDERS: dict[str, tuple[Callable[[Message, int], dict[str, Any]], Callable[[dict[str, Any]], list[str]]]] = {
    "slack": (slack_payload, slack_problems),
    "teams": (teams_payload, teams_problems),
    "discord": (discord_payload, discord_problems),
}


def build_payload(message: Message) -> None:
    if message.target.kind == "json":
        message.payload, message.listed = json_payload(message, len(message.items)), len(message.items)
        return
    fit(message, *BUILDERS[message.target.kind])


def body_bytes(payload: dict[str, Any]) -> bytes:
    """The bytes posted (and measured against a size limit)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
