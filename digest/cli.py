"""The `digest` command: wires the stages. User errors print one line and exit non-zero."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import NoReturn
from pathlib import Path

from filelock import FileLock, Timeout

from digest import __version__
from digest.config import DEFAULT_MODEL, DEFAULT_REPO, Settings, load_settings
from digest.errors import DigestError
from digest.fsutil import remove_stale_temp_files
from digest.pipeline import today_in, update
from digest.progress import console, setup_logging
from digest.render.pages import render_all
from digest.site.build import build
from digest.stopping import Stopped, stop_on_signals
from digest.summarize import Summarizer

log = logging.getLogger("digest")


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from error


def positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a positive whole number: {value!r}")
    return int(value)


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line instead of the usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {message} (see: {self.prog} --help)\n")


def positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {value!r}")
    return seconds


def model_options() -> argparse.ArgumentParser:
    model = Parser(add_help=False)
    group = model.add_argument_group("summaries (README: Model summaries)")
    group.add_argument(
        "--summarizer", choices=("offline", "openai", "auto"),
        help="offline rules, the OpenAI API, or auto: the model when OPENAI_API_KEY or AZURE_OPENAI_API_KEY is set "
        "(default: auto)",
    )
    group.add_argument("--model", help=f"model name, or DIGEST_MODEL (default: {DEFAULT_MODEL})")
    group.add_argument("--concurrency", type=positive_int, help="model requests at once (default: 8)")
    group.add_argument("--batch", action="store_true", default=None, help="use the Batch API (for backfills)")
    group.add_argument("--model-cache", type=Path, help="SQLite cache of answers (default: .digest/model-cache.sqlite)")
    group.add_argument("--token-budget", type=int, help="tokens a run may spend; then offline summaries")
    group.add_argument("--timeout", dest="request_timeout", type=positive_seconds, help="seconds per request (default: 60)")
    return model


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="digest", description=__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = Parser(add_help=False)
    common.add_argument("--root", type=Path, default=Path("."), help="project root (default: the current directory)")
    common.add_argument("-v", "--verbose", action="store_true", help="show details and tracebacks")

    source = Parser(add_help=False)
    source.add_argument("--repo", help=f"URL, local path or git bundle (default: {DEFAULT_REPO})")
    source.add_argument("--branch", help="branch to follow (default: main)")
    source.add_argument("--since", type=parse_date, help="first day, YYYY-MM-DD")
    source.add_argument("--until", type=parse_date, help="last day, YYYY-MM-DD (default: today)")
    source.add_argument("--days", type=positive_int, help="the last N days, today included")
    source.add_argument("--tz", dest="timezone", help="time zone of a day (default: Asia/Tokyo)")
    source.add_argument("--github-url", help="GitHub repository that links point to")

    site = Parser(add_help=False)
    site.add_argument("--site-url", help="public URL of the site (default: http://127.0.0.1:8000/)")

    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    model = model_options()
    commands.add_parser(
        "run", parents=[common, source, model, site], help="update, render and build: the daily job",
        description="Digest every day with commits in the range, render the pages and build the site into public/. "
        "With no range: everything since the last processed commit.",
    ).add_argument("--no-build", action="store_true", help="stop after rendering the Markdown")
    commands.add_parser("update", parents=[common, source, model], help="write the digest records (data/) only")
    commands.add_parser("render", parents=[common], help="render the Markdown pages (site/) from data/ alone")
    commands.add_parser("build", parents=[common, site], help="build the site into public/ from site/").add_argument(
        "--force", action="store_true", help="build even when nothing changed"
    )
    add_eval_parser(commands, common, model)
    notify = commands.add_parser(
        "notify", parents=[common, site], help="post the new breaking changes and new features to chat (README: Notifications)",
        description="For every target in digest.yml (notify.targets), post one message per day with the files it "
        "watches that no earlier message carried; what was sent is recorded in data/notify.json.",
    )
    notify.add_argument("--dry-run", action="store_true", help="print the messages instead of sending them")
    notify.add_argument("--payload", action="store_true", help="with --dry-run: print each JSON payload too")
    notify.add_argument(
        "--since", type=parse_date,
        help="start every target at this day (a backfill: days from it on that no message carried yet)",
    )
    return parser


def add_eval_parser(commands: argparse._SubParsersAction, common: argparse.ArgumentParser, model: argparse.ArgumentParser) -> None:
    evaluate = commands.add_parser(
        "eval", parents=[common, model], help="score classification and summaries on labelled corpus records",
        description="Run JSON Lines corpus records (id, path, status, additions, deletions, patch, label, key_terms) "
        "through parse, classify and summarize as `digest run` does, and print accuracy, per-type precision/recall/F1, "
        "macro-F1, the confusion matrix and key-term recall.",
    )
    evaluate.add_argument("--gold", type=Path, required=True, metavar="FILE", help="labelled records (JSON Lines)")
    evaluate.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    evaluate.add_argument(
        "--jobs", type=positive_int, default=os.cpu_count() or 1,
        help="processes for the offline path (default: one per CPU)",
    )
    evaluate.add_argument(
        "--part", choices=("tune", "held-out"),
        help="score only one fixed half of the records (by a hash of the record id): the part rules are tuned on, or the held-out one",
    )
    evaluate.add_argument("--predictions", type=Path, metavar="OUT", help="write one JSON line per record: id, type, title, explanation, details")
    evaluate.add_argument(
        "--compare-labels", type=Path, metavar="FILE",
        help="JSON Lines with id and label (e.g. the corpus's dev-files.jsonl): score those labels on the same records too",
    )


def settings_from(args: argparse.Namespace) -> Settings:
    keys = ("repo", "branch", "timezone", "github_url", "site_url", "summarizer", "model", "concurrency", "batch",
            "model_cache", "token_budget", "request_timeout")
    return load_settings(args.root.resolve(), {key: getattr(args, key, None) for key in keys})


def date_range(args: argparse.Namespace, settings: Settings) -> tuple[dt.date | None, dt.date | None]:
    if args.days and args.since:
        raise DigestError("use either --days or --since, not both")
    until = args.until
    since = args.since
    if args.days:
        until = until or today_in(settings.tz)
        since = until - dt.timedelta(days=args.days - 1)
    if since and until and until < since:
        raise DigestError(f"--until {until} is before --since {since}")
    return since, until


def make_summarizer(settings: Settings) -> Summarizer:
    from digest.summarize.model import make_summarizer as choose  # imports openai: only when summarizing

    return choose(settings)


def command_update(args: argparse.Namespace, settings: Settings) -> bool:
    since, until = date_range(args, settings)
    summarizer = make_summarizer(settings)
    try:
        if settings.batch:
            from digest.summarize.batch import prefill

            # the gathering passes: the whole update with the collector in place of the summarizer, nothing written
            prefill(summarizer, functools.partial(update, settings, since=since, until=until, write=False))  # type: ignore[arg-type]
        return update(settings, summarizer, since, until).changed
    finally:
        summarizer.close()


def command_render(args: argparse.Namespace, settings: Settings) -> bool:
    return render_all(settings.digests_dir, settings.docs_dir, settings.templates_dir).changed


def command_build(args: argparse.Namespace, settings: Settings) -> bool:
    return build(settings, force=getattr(args, "force", False))


def command_run(args: argparse.Namespace, settings: Settings) -> bool:
    command_update(args, settings)
    command_render(args, settings)
    if args.no_build:
        return False
    return command_build(args, settings)


def command_eval(args: argparse.Namespace, settings: Settings) -> bool:
    from digest.classify.areas import load_area_config
    from digest.evaluate.corpus import load_labels, load_records, select_part
    from digest.evaluate.predict import predict
    from digest.evaluate.report import report_json, report_text, write_predictions
    from digest.evaluate.score import evaluate

    if settings.batch:
        raise DigestError("digest eval asks the model live: --batch is for backfills with digest run")
    records = select_part(load_records(args.gold), args.part)
    areas = load_area_config(settings.areas_file)
    baseline = load_labels(args.compare_labels) if args.compare_labels else None
    summarizer = make_summarizer(settings)
    try:
        predictions = predict(records, areas, summarizer, jobs=args.jobs)
    finally:
        summarizer.close()  # a model summarizer logs its requests, tokens and cost
    if args.predictions:
        write_predictions(args.predictions, predictions)
    report = evaluate(records, predictions, areas.catch_all.id, baseline, str(args.compare_labels or "") or None)
    sys.stdout.write((report_json(report) if args.json else report_text(report)) + "\n")
    return False


def command_notify(args: argparse.Namespace, settings: Settings) -> bool:
    from digest.notify.run import notify

    notify(settings, dry_run=args.dry_run, show_payload=args.payload, since=args.since)
    return False


COMMANDS: dict[str, Callable[[argparse.Namespace, Settings], bool]] = {
    "run": command_run,
    "update": command_update,
    "render": command_render,
    "build": command_build,
    "eval": command_eval,
    "notify": command_notify,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    setup_logging(args.verbose)
    started = time.monotonic()
    try:
        with stop_on_signals():
            return _run(args, started)
    except Stopped as stopped:  # a signal that came while the run was already unwinding
        console.print(f"stopped by {stopped}", style="red")
        return stopped.exit_code


def _run(args: argparse.Namespace, started: float) -> int:
    try:
        settings = settings_from(args)
        settings.work_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(settings.work_dir / "lock"), timeout=0)
        try:
            with lock:
                remove_stale_temp_files(settings.data_dir, settings.docs_dir, settings.work_dir)
                COMMANDS[args.command](args, settings)
        except Timeout as error:
            raise DigestError(f"another digest run holds the lock {lock.lock_file}; wait for it to finish") from error
    except DigestError as error:
        if args.verbose:
            log.exception("details")
        console.print(f"error: {error}", style="red", markup=False, highlight=False, soft_wrap=True)
        return error.exit_code
    except OSError as error:
        if args.verbose:
            log.exception("details")
        console.print(f"error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), style="red", markup=False)
        return 2
    except Stopped as stopped:  # the child builds are stopped and gone, no half-written file is left
        console.print(f"stopped by {stopped}: nothing half-written was kept", style="red")
        return stopped.exit_code
    except KeyboardInterrupt:
        console.print("interrupted", style="red")
        return 130
    except Exception as error:  # a bug: one line, the traceback with --verbose
        if args.verbose:
            log.exception("details")
        console.print(
            f"error: unexpected {type(error).__name__}: {error} (run with --verbose for details)",
            style="red", markup=False, highlight=False,
        )
        return 1
    log.info("done in %.1f s", time.monotonic() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
