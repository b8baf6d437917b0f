"""Site stage: both languages built with MkDocs Material (or Zensical) into public/, then the RSS feeds.

Japanese at the root of public/, English under public/en/ (mkdocs.yml and
mkdocs.en.yml, which inherits it; see README "The site").
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from digest.config import PERIOD_PLAN_ENV, SITE_BUILDER_ENV, Settings
from digest.errors import DigestError
from digest.site.feeds import FEED_ALL, write_feeds
from digest.site.history import write_site_pages
from digest.stopping import signals_deferred, stop_process_group
from digest.site.htmlmin import minify_site
from digest.site.periods import (
    PERIODS, URLS, Plan, entry_plan, forget_unused, hash_files, link_periods, period_key, post_years, site_items, store_period,
    write_plan,
)
from digest.site.search import index_site
from digest.fsutil import write_text_atomic
from digest.render.templating import environment as jinja_environment

log = logging.getLogger(__name__)

CONFIGS = (("ja", "mkdocs.yml"), ("en", "mkdocs.en.yml"))
# where each language's build lands under public/ (mkdocs.yml / mkdocs.en.yml `site_dir`)
LANG_DIRS = {"ja": "", "en": "en"}
STAMP = "build-stamp"
# what a build reads besides site/ (labels.j2 holds the feeds' wording, pages/ the history pages' bodies)
SITE_INPUTS = ("mkdocs.yml", "mkdocs.en.yml", "overrides", "hooks", "templates/labels.j2", "templates/pages")


def site_urls(site_url: str) -> dict[str, str]:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return {"DIGEST_SITE_URL": base, "DIGEST_SITE_URL_EN": base + "en/"}


def lang_url(site_url: str, lang: str) -> str:
    return site_urls(site_url)["DIGEST_SITE_URL_EN" if lang == "en" else "DIGEST_SITE_URL"]


def inputs_digest(settings: Settings) -> str:
    """A hash of everything the build reads, to skip a build that would change nothing."""
    digest = hashlib.sha256(f"{settings.site_url}\0{settings.environment.site_builder}".encode())
    hash_files(digest, settings.root, [settings.docs_dir, *(settings.root / name for name in SITE_INPUTS)])
    return digest.hexdigest()


def is_up_to_date(settings: Settings) -> bool:
    stamp = settings.work_dir / STAMP
    return (
        all((settings.public_dir / folder / name).exists() for folder in LANG_DIRS.values() for name in ("index.html", FEED_ALL))
        and stamp.exists()
        and stamp.read_text().strip() == inputs_digest(settings)
    )


def build(settings: Settings, force: bool = False) -> bool:
    """Build both languages; False when the built site was already current.

    With MkDocs (the default) the two builds run side by side (one per core)
    into a staging folder, get their feeds, and then replace public/ in one
    rename: a reader of public/ never sees a half-built site, and a killed
    build leaves the old one. `DIGEST_SITE_BUILDER=zensical` builds the same
    configuration with Zensical instead (in place: it has no --site-dir).
    """
    if not force and is_up_to_date(settings):
        log.info("site is up to date: %s", settings.public_dir)
        return False
    builder = settings.environment.site_builder
    started = time.monotonic()
    environment = {**os.environ, **site_urls(settings.site_url), "NO_MKDOCS_2_WARNING": "1"}
    closed: dict[str, list[Path]] = {}  # each closed year's built pages, per language (MkDocs only)
    if builder == "mkdocs":
        staging = settings.work_dir / "build"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            environment, closed = build_closed_years(settings, environment)
            run_builds(settings, environment, parallel=True, commands={
                lang: mkdocs_command(settings, config, staging / lang) for lang, config in CONFIGS
            })
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # a stopped or failed build leaves nothing half-built
            raise
        site = staging / "ja"
        (staging / "en").rename(site / LANG_DIRS["en"])
        for lang, folder in LANG_DIRS.items():
            link_periods(closed.get(lang, []), site / folder)
    elif builder == "zensical":
        run_builds(settings, environment, parallel=False, commands={
            lang: [sys.executable, "-m", "zensical", "build", "--config-file", str(settings.root / config)]
            for lang, config in CONFIGS
        })
        site = settings.public_dir
        drop_zensical_search_index(site)
    else:
        raise DigestError(f"unknown {SITE_BUILDER_ENV} {builder!r}: use mkdocs or zensical")
    log.info("built the site in both languages with %s in %.1f s", builder, time.monotonic() - started)
    labels = jinja_environment(str(settings.templates_dir.resolve())).get_template("labels.j2").module.labels  # type: ignore[attr-defined]
    for lang, folder in LANG_DIRS.items():
        items = site_items(settings.docs_dir / lang / "posts", closed.get(lang, []))
        write_feeds(items, site / folder, lang_url(settings.site_url, lang), lang, labels[lang])
        write_site_pages(items, site / folder, lang, settings.templates_dir, cache_folder(settings, "history", lang),
                         settings.environment.history_pages)
    if builder != "mkdocs":  # MkDocs' pages come minified (hooks/minify.py), and so do the history pages
        minify_site(site)
    index_site(site, cache_folder(settings, "search"))
    if site != settings.public_dir:
        replace_dir(site, settings.public_dir, settings.work_dir / "public.old")
        shutil.rmtree(settings.work_dir / "build", ignore_errors=True)
    write_text_atomic(settings.work_dir / STAMP, inputs_digest(settings) + "\n")
    return True


def drop_zensical_search_index(site: Path) -> None:
    """Zensical writes its own search index (`search.json`, 14 MB at 1,000 digests: over the 5 MB a file may take);
    the site's search is Pagefind's (overrides/partials/header.html has no theme search to read it), so it goes."""
    for folder in LANG_DIRS.values():
        (site / folder / "search.json").unlink(missing_ok=True)


def mkdocs_command(settings: Settings, config: str, site_dir: Path) -> list[str]:
    return [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(settings.root / config),
            "--site-dir", str(site_dir)]


def build_closed_years(settings: Settings, environment: dict[str, str]) -> tuple[dict[str, str], dict[str, list[Path]]]:
    """Each closed year's pages, from the cache or built now (digest/site/periods.py); the open build's environment.

    A history of one year gives the environment as it was and no closed year.
    """
    years = post_years(settings.docs_dir / CONFIGS[0][0] / "posts")
    if len(years) < 2:
        return environment, {}
    periods_dir = settings.work_dir / "page-cache" / PERIODS
    for lang, _ in CONFIGS:  # the page cache of a whole build: each year's build has its own (hooks/pagecache.py)
        shutil.rmtree(settings.work_dir / "page-cache" / lang, ignore_errors=True)
    inputs = [settings.root / name for name in SITE_INPUTS]
    entries: dict[str, list[Path]] = {lang: [] for lang, _ in CONFIGS}
    for year in years[:-1]:
        missing = {}
        for lang, config in CONFIGS:
            key = period_key(settings.root, inputs, settings.docs_dir / lang, year, lang_url(settings.site_url, lang))
            entries[lang].append(periods_dir / lang / f"{year}-{key}")
            if not (settings.environment.page_cache and (entries[lang][-1] / URLS).exists()):
                missing[lang] = config
        if missing:
            started = time.monotonic()
            staging = settings.work_dir / "years" / str(year)
            shutil.rmtree(staging, ignore_errors=True)
            plan = write_plan(staging / "plan.json", Plan(year=year, open=False))
            run_builds(settings, {**environment, PERIOD_PLAN_ENV: str(plan)}, parallel=True, commands={
                lang: mkdocs_command(settings, config, staging / lang) for lang, config in missing.items()
            })
            for lang in missing:
                store_period(staging / lang, entries[lang][-1], year, lang_url(settings.site_url, lang),
                             settings.docs_dir / lang / "posts")
            shutil.rmtree(staging, ignore_errors=True)
            log.info("built the closed year %d (%s) in %.1f s", year, ", ".join(missing), time.monotonic() - started)
    forget_unused(periods_dir, {entry for found in entries.values() for entry in found})
    plans = {lang: entry_plan(found) for lang, found in entries.items()}
    plan = Plan(year=years[-1], open=True, months={lang: months for lang, (months, _) in plans.items()},
                areas={lang: areas for lang, (_, areas) in plans.items()})
    return {**environment, PERIOD_PLAN_ENV: str(write_plan(settings.work_dir / "years" / "open.json", plan))}, entries


def cache_folder(settings: Settings, *parts: str) -> Path | None:
    """Where what a build keeps for the next (search bundles, history pages) goes: beside the page cache, saved
    with it by the workflow; None when the page cache is off."""
    if not settings.environment.page_cache:
        return None
    return settings.work_dir.joinpath("page-cache", *parts)


def run_builds(settings: Settings, environment: dict[str, str], parallel: bool, commands: dict[str, list[str]]) -> None:
    """Run one build per language (side by side, or one after the other); every failure is reported.

    Each build is a process group of its own: when the run stops (a signal, an error) every build still
    running is stopped with all it started, and waited for, before this returns.
    """
    started: dict[str, subprocess.Popen[str]] = {}
    outputs: dict[str, tuple[int, str, str]] = {}
    try:
        for lang, command in commands.items():
            started[lang] = subprocess.Popen(
                command, cwd=settings.root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                start_new_session=True,
            )
            if not parallel:
                stdout, stderr = started[lang].communicate()
                outputs[lang] = (started[lang].returncode, stdout, stderr)
        for lang, process in started.items():
            if lang not in outputs:
                stdout, stderr = process.communicate()
                outputs[lang] = (process.returncode, stdout, stderr)
    finally:
        for process in started.values():
            stop_process_group(process)
    failures = []
    for lang, (code, stdout, stderr) in outputs.items():
        if code != 0:
            details = (stderr or stdout).strip().splitlines()
            log.debug("site build output (%s):\n%s", lang, "\n".join(details))
            last = next((line for line in reversed(details) if line.strip()), "no output")
            failures.append(f"site build ({lang}) failed: {last}")
    if failures:
        raise DigestError("; ".join(failures))


def replace_dir(new: Path, target: Path, old: Path) -> None:
    """Put `new` where `target` is, by renames (the old tree goes to `old`, then away)."""
    shutil.rmtree(old, ignore_errors=True)
    with signals_deferred():  # a stop between the renames would leave no site at all
        if target.exists():
            target.rename(old)
        new.rename(target)
    shutil.rmtree(old, ignore_errors=True)
