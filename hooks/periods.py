"""MkDocs hook: a build of one year of the history (digest/site/periods.py writes its plan).

Without a plan (`DIGEST_PERIOD_PLAN` unset: a history of one year, or `mkdocs build` by hand) it does nothing.
With one, MkDocs reads the posts and diffs of the plan's year alone (the others leave its files before the
blog plugin sees them). A closed year's area lists go to `area/<slug>/<year>/`. The open year's build lists
the closed years' months in the archive section of its navigation and, on each area list, links that area's
lists of the closed years.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from material.plugins.blog.plugin import BlogPlugin
from material.plugins.blog.structure import Archive, Category
from mkdocs import utils
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Link, Section

from digest.site.periods import Plan, in_period, load_plan

EARLIER = {"ja": "過去の年", "en": "Earlier years"}
_state: dict[str, Any] = {"plan": None, "lang": "en"}


def _blog(config: Any) -> BlogPlugin | None:
    return next((plugin for plugin in config.plugins.values() if isinstance(plugin, BlogPlugin)), None)


def on_config(config: Any) -> Any:
    plan = load_plan()
    _state["plan"], _state["lang"] = plan, str(config.theme["language"])
    blog = _blog(config)
    if plan is not None and not plan.open and blog is not None:
        blog.config.categories_url_format = f"{blog.config.categories_url_format}/{plan.year}"
    return config


@event_priority(10)
def on_files(files: Any, config: Any) -> Any:
    """Before the blog plugin (priority -50) reads its posts: the other years' posts and diffs leave the build."""
    plan: Plan | None = _state["plan"]
    if plan is None:
        return files
    for file in [file for file in files if not in_period(file.src_uri, plan)]:
        files.remove(file)
    return files


@event_priority(-60)
def on_nav(nav: Any, config: Any, files: Any) -> Any:
    """After the blog plugin (priority -50) made its archive section: the closed years' months after the open year's."""
    plan: Plan | None = _state["plan"]
    blog = _blog(config)
    if plan is None or not plan.open or blog is None:
        return nav
    for section in _sections(nav.items):
        if section.children and all(isinstance(child, Archive) for child in section.children):
            for month in plan.months.get(_state["lang"], []):
                year, number = (int(part) for part in month.split("/"))
                title = blog._format_date_for_archive(dt.datetime(year, number, 1), config)
                link = Link(title, f"archive/{month}/")
                link.parent = section
                section.children.append(link)
    return nav


def _sections(items: list[Any]) -> list[Section]:
    found = []
    for item in items:
        if isinstance(item, Section):
            found += [item, *_sections(item.children)]
    return found


def on_page_content(content: str, page: Any, config: Any, files: Any) -> str:
    """An open year's area list links the lists of that area in the closed years (`area/<slug>/<year>/`)."""
    plan: Plan | None = _state["plan"]
    if plan is None or not plan.open or not isinstance(page, Category) or not page.url.startswith("area/"):
        return content
    slug = page.url.split("/")[1]
    years = plan.areas.get(_state["lang"], {}).get(slug, [])
    if not years:
        return content
    links = " · ".join(
        f'<a href="{html.escape(utils.get_relative_url(f"area/{slug}/{year}/", page.url), quote=True)}">{year}</a>'
        for year in years
    )
    return content + f'<p class="digest-years">{EARLIER.get(_state["lang"], EARLIER["en"])}: {links}</p>'
