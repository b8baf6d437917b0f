"""A message as text, roughly as the chat shows it: `digest notify --dry-run` and the README's samples."""

from __future__ import annotations

import json
import re
from typing import Any

from digest.notify.messages import Message

SLACK_LINK = re.compile(r"<([^|>]+)\|([^>]*)>")
DISCORD_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
DISCORD_ESCAPED = re.compile(r"\\([^0-9A-Za-z\s])")


def _slack(payload: dict[str, Any]) -> list[str]:
    lines = []
    for block in payload["blocks"]:
        texts = [block["text"]["text"]] if "text" in block else [element["text"] for element in block.get("elements", [])]
        for text in texts:
            text = SLACK_LINK.sub(r"\2 <\1>", text).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            lines += [f"**{text}**"] if block["type"] == "header" else text.split("\n")
        lines.append("")
    return lines


def _teams_inlines(block: dict[str, Any]) -> str:
    return "".join(
        f"{run['text']} <{run['selectAction']['url']}>" if "selectAction" in run else run["text"]
        for run in block["inlines"]
    )


def _teams(payload: dict[str, Any]) -> list[str]:
    card = payload["attachments"][0]["content"]
    lines = []
    for element in card["body"]:
        for block in element["items"] if element["type"] == "Container" else [element]:
            lines.append(_teams_inlines(block))
        lines.append("")
    lines += [f"[ {action['title']} ] <{action['url']}>" for action in card.get("actions", [])]
    return lines


def _discord_text(text: str) -> str:
    return DISCORD_ESCAPED.sub(r"\1", DISCORD_LINK.sub(r"\1 <\2>", text))


def _discord(payload: dict[str, Any]) -> list[str]:
    lines = [_discord_text(payload["content"]), ""]
    for embed in payload["embeds"]:
        lines += [f"│ {embed['title']} <{embed['url']}>", "│"]
        lines += [f"│ {line}" for line in _discord_text(embed["description"]).split("\n")]
        lines += ["│", f"│ {embed['footer']['text']}"]
    return lines


def preview(message: Message) -> str:
    """The message as text, framed by the target it goes to."""
    kind = message.target.kind
    head = f"── {kind} → {message.target.name} ({message.target.language}) · {message.key} · " \
           f"{message.listed} of {len(message.items)} file(s) listed ──"
    if kind == "json":
        body = json.dumps(message.payload, ensure_ascii=False, indent=2).split("\n")
    else:
        body = {"slack": _slack, "teams": _teams, "discord": _discord}[kind](message.payload)
    while body and not body[-1]:
        body.pop()
    return "\n".join([head, *body]) + "\n"
