"""The index of article histories (`history/`): every article and include that ever changed, by folder.

Images have no history pages (digest/site/history.py has_history), so none is listed.

A lean page like the history pages themselves (templates/pages/history-index.html.j2),
one folder less deep: the shell's `../../` links become `../`. Written by
digest/site/history.py from the same posts' front matter (strings HTML-escaped already).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from collections.abc import Callable
from typing import Any

from jinja2 import Environment

INDEX_URL = "history/"


@dataclass(frozen=True)
class IndexEntry:
    """One file of the index: its history page, how many changes, and its newest one."""

    path: str
    url: str
    changes: int
    last_day: str
    last_type: str


def index_entries(histories: dict[str, list[Any]], url_of: Callable[[str], str]) -> dict[str, list[IndexEntry]]:
    """The files grouped by folder (folders and files in path order); `histories` as digest/site/history.py builds them."""
    groups: dict[str, list[IndexEntry]] = {}
    for path in sorted(histories):
        changes = histories[path]
        newest = changes[0]
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        groups.setdefault(folder, []).append(
            IndexEntry(
                path=path,
                url=url_of(path).removeprefix(INDEX_URL),
                changes=len(changes),
                last_day=newest.item.published.date().isoformat(),
                last_type=html.unescape(newest.entry.get("type", "")),
            )
        )
    return dict(sorted(groups.items()))


def one_level_up(href: str) -> str:
    """A relative link of a page two folders deep, made right for a page one folder deep."""
    return href.removeprefix("../")


def head_one_level_up(head: str) -> str:
    return re.sub(r'href=("?)\.\./', r"href=\1", head)


def render_index(
    env: Environment, lang: str, histories: dict[str, list[Any]], url_of: Callable[[str], str],
    head: str, languages: list[tuple[str, str]], labels: dict[str, Any],
) -> str:
    groups = index_entries(histories, url_of)
    count = sum(len(entries) for entries in groups.values())
    return env.get_template("pages/history-index.html.j2").render(
        lang=lang, groups=groups, head=head_one_level_up(head),
        languages=[(code, one_level_up(href)) for code, href in languages],
        title=html.escape(labels["history_index_title"], quote=True),
        description=html.escape(labels["history_index_description"].format(count=count), quote=True),
    )

