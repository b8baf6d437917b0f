"""`digest notify`: one message per target and day for the digests not yet announced to it."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from digest.config import Settings, on_github_actions, webhook_url
from digest.errors import DigestError
from digest.models import DigestRecord
from digest.record import load_record, record_files
from digest.render.templating import environment
from digest.notify.ledger import LEDGER_FILE, Ledger, MessageEntry, TargetLedger, load_ledger, save_ledger
from digest.notify.messages import Message, body_bytes, build_payload
from digest.notify.preview import preview
from digest.notify.settings import NotifySettings, Target
from digest.notify.watch import filter_fingerprint, watched_items

log = logging.getLogger(__name__)


@dataclass
class NotifyResult:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    # entries a killed run left pending: counted as sent, never posted again
    unconfirmed: list[str] = field(default_factory=list)
    skipped_targets: list[str] = field(default_factory=list)
    planned: list[Message] = field(default_factory=list)


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def warn(text: str) -> None:
    """A warning in the log, and an annotation on the run's page when on GitHub Actions."""
    log.warning(text)
    if on_github_actions():
        escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        sys.stdout.write(f"::warning title=digest notify::{escaped}\n")


def record_days(digests_dir: Path) -> dict[Path, dt.date]:
    return {path: dt.date.fromisoformat(path.parent.name) for path in record_files(digests_dir)
            if _is_date(path.parent.name)}


def newest_day(digests_dir: Path) -> dt.date | None:
    return max(record_days(digests_dir).values(), default=None)


def load_records(digests_dir: Path, first: dt.date | None) -> list[DigestRecord]:
    """The records of `first` and later days (all when None); a bad record is left out with a warning."""
    records = []
    for path, day in record_days(digests_dir).items():
        if first is None or day >= first:
            try:
                records.append(load_record(path))
            except DigestError as error:
                warn(f"left out of the notifications: {error}")
    return records


def _is_date(name: str) -> bool:
    try:
        dt.date.fromisoformat(name)
    except ValueError:
        return False
    return True


def target_ledger(ledger: Ledger, target: Target, newest: dt.date | None, result: NotifyResult,
                  since: dt.date | None = None) -> TargetLedger:
    """The target's ledger; a new target, or one whose filter changed, starts at the newest day (no flood).

    `since` (notify --since) moves the start of a target on purpose.
    """
    fingerprint = filter_fingerprint(target)
    known = ledger.targets.get(target.name)
    if known is None or known.filter != fingerprint:
        start = since or newest or dt.date.today()
        log.info("target %s: %s; it starts with the digests of %s", target.name,
                 "new" if known is None else "its filter changed", start)
        known = TargetLedger(start=start, filter=fingerprint, messages=known.messages if known else {})
        ledger.targets[target.name] = known
    elif since is not None:
        known.start = since
    for entry in known.messages.values():
        if entry.status == "pending":
            entry.status = "unconfirmed"
            result.unconfirmed.append(f"{target.name} {entry.key}")
            warn(f"{target.name}: message {entry.key} was being posted when a run stopped; it is not sent again "
                 "(the service most likely got it)")
    return known


def plan(target: Target, known: TargetLedger, records: list[DigestRecord], site_url: str,
         labels: dict[str, Any]) -> list[Message]:
    """One message per day with files the target watches that no earlier message carried."""
    announced = known.announced()
    messages = []
    for day, items in watched_items(target, records, site_url).items():
        fresh = [item for item in items if item.key not in announced]
        if day < known.start or not fresh:
            continue
        key = known.next_key(day)
        update = any(entry.date == day and entry.key != key and entry.status != "failed"
                     for entry in known.messages.values())
        message = Message(target, day, key, fresh, update, labels[target.language], site_url)
        build_payload(message)
        messages.append(message)
    return messages


def notify(settings: Settings, dry_run: bool = False, show_payload: bool = False, since: dt.date | None = None,
           out: TextIO | None = None) -> NotifyResult:
    """Post (or with dry_run, print) every message due; failures are logged and retried on the next run."""
    out = out or sys.stdout
    result = NotifyResult()
    targets = settings.notify.targets
    if not targets:
        log.info("no notification targets (notify.targets in digest.yml): nothing to do")
        return result
    ledger_path = settings.data_dir / LEDGER_FILE
    ledger = load_ledger(ledger_path)
    newest = newest_day(settings.digests_dir)
    # the first day any target may hear of: --since, or the lookback window before the newest day
    first = since or (newest - dt.timedelta(days=settings.notify.lookback_days) if newest else None)
    records = load_records(settings.digests_dir, first)
    labels = environment(str(settings.templates_dir.resolve())).get_template("labels.j2").module.labels  # type: ignore[attr-defined]
    for target in targets:
        known = target_ledger(ledger, target, newest, result, since)
        messages = plan(target, known, records, settings.site_url, labels)
        result.planned += messages
        if dry_run:
            for message in messages:
                out.write(preview(message))
                if show_payload:
                    out.write(body_bytes(message.payload).decode("utf-8") + "\n")
                out.write("\n")
            continue
        if not save_ledger(ledger_path, ledger) and not messages:
            log.info("target %s: nothing new to send", target.name)
        if messages:
            deliver(ledger_path, settings.notify, target, known, messages, ledger, result)
    if dry_run:
        log.info("dry run: %d message(s) would be sent; nothing was sent or recorded", len(result.planned))
    else:
        log.info("notifications: %d sent, %d failed (tried again on the next run), %d unconfirmed",
                 len(result.sent), len(result.failed), len(result.unconfirmed))
    return result


def deliver(ledger_path: Path, options: NotifySettings, target: Target, known: TargetLedger, messages: list[Message],
            ledger: Ledger, result: NotifyResult) -> None:
    import httpx  # only when posting

    from digest.notify.post import RetryPolicy, post, webhook_problem

    url = webhook_url(target.url_env)
    problem = "it is not set" if not url else webhook_problem(url)
    if problem:
        warn(f"{target.name}: no webhook URL in ${target.url_env} ({problem}): {len(messages)} message(s) wait for the next run")
        result.skipped_targets.append(target.name)
        return
    policy = RetryPolicy(target.retries, options.backoff_seconds, options.max_retry_after)
    params = {"wait": "true"} if target.kind == "discord" else None
    with httpx.Client(timeout=target.timeout, follow_redirects=False) as client:
        for message in messages:
            previous = known.messages.get(message.key)
            entry = MessageEntry(
                key=message.key, date=message.date, status="pending", files=message.files,
                heads={record.slug: record.head for record in message.records},
                attempts=previous.attempts if previous else 0, updated_at=now(),
            )
            known.messages[message.key] = entry
            save_ledger(ledger_path, ledger)  # before the post: a killed run never posts it twice
            headers = {"Idempotency-Key": f"{target.name}:{message.key}"} if target.kind == "json" else {}
            outcome = post(client, url, body_bytes(message.payload), headers, policy, params)
            entry.attempts += outcome.attempts
            entry.status = "sent" if outcome.ok else "failed"
            entry.error = outcome.error
            entry.updated_at = now()
            save_ledger(ledger_path, ledger)
            name = f"{target.name} {message.key}"
            if outcome.ok:
                result.sent.append(name)
                log.info("%s: sent (%d of %d file(s) listed)", name, message.listed, len(message.items))
            else:
                result.failed.append(name)
                warn(f"{name}: not delivered after {outcome.attempts} attempt(s) ({outcome.error}); "
                     "it is tried again on the next run")
