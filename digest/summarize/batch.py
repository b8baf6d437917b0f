"""Batch mode (`--batch`) for backfills: the Batch API of OpenAI / Azure OpenAI fills the cache, then the run renders.

Two rounds, each: a pass over the days that writes nothing and gathers, through
a Collector in place of the model summarizer, the requests the cache cannot answer, one JSONL file of them (`custom_id` = the
cache key, the same chat-completions body and json_schema as a live request),
a batch, polling until it ends, every valid answer into the cache. The first
round asks for the files, the second for the pages (written from the files'
answers). The real pass then finds everything in the cache; whatever the
batch could not answer is asked live, with the usual retry and fallback.
A batch id is kept in the cache until its answers are in, so a run killed
while polling picks the same batch up again instead of paying twice.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Callable
from typing import Any

import openai

from digest.errors import DigestError
from digest.models import ClassifiedChange, DigestSummary, FileSummary
from digest.summarize.answers import FILE, Answer, Kind
from digest.summarize.base import PageInput, Summarizer
from digest.summarize.model import ModelSummarizer, Phase
from digest.summarize.prompts import Messages
from digest.summarize.transport import completion_from

log = logging.getLogger(__name__)
DONE = ("completed", "failed", "expired", "cancelled")


class Collector:
    """The summarizer of a gathering pass: the model summarizer's prompts and cache answer what they can, the
    uncached requests of the phase's kind are gathered in `pending` instead of sent, the rest stays offline."""

    def __init__(self, model: ModelSummarizer, phase: Phase) -> None:
        self.model = model
        self.phase = phase
        self.name = model.name
        self.pending: dict[str, tuple[Kind, dict[str, Any]]] = {}

    def summarize_files(self, changes: list[ClassifiedChange]) -> list[FileSummary]:
        return self.model.summarize_files(changes, self._gather)

    def summarize_page(self, page: PageInput) -> DigestSummary:
        return self.summarize_pages([page])[0]

    def summarize_pages(self, pages: list[PageInput]) -> list[DigestSummary]:
        return self.model.summarize_pages(pages, self._gather)

    def close(self) -> None:
        """Nothing to release: the model summarizer is closed by its owner."""

    async def _gather(self, kind: Kind, messages: Messages, label: str) -> Answer | None:
        key, body = self.model.request(kind, messages)
        answer = self.model.cached(key, kind, count=False)  # the real pass counts the hits
        if answer is None and (self.phase == "files") == (kind.name == FILE.name):
            self.pending[key] = (kind, body)
        return answer


def prefill(summarizer: ModelSummarizer, dry_run: Callable[[Summarizer], object]) -> None:
    """Fill the cache through the Batch API; `dry_run` runs the pipeline once with the summarizer it is given,
    writing nothing (first to gather the files' requests, then the pages')."""
    phases: tuple[Phase, ...] = ("files", "pages")
    for phase in phases:
        collector = Collector(summarizer, phase)
        dry_run(collector)
        if collector.pending:
            summarizer.run(run_batch(summarizer, collector.pending, phase))
        else:
            log.info("batch: every %s summary is cached already", phase[:-1])


def batch_lines(pending: dict[str, tuple[Kind, dict[str, Any]]], url: str) -> bytes:
    lines = [
        json.dumps({"custom_id": key, "method": "POST", "url": url, "body": body}, ensure_ascii=False)
        for key, (_kind, body) in sorted(pending.items())
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


async def run_batch(summarizer: ModelSummarizer, pending: dict[str, tuple[Kind, dict[str, Any]]], phase: Phase) -> None:
    client = summarizer.client
    cache = summarizer.cache
    # Azure OpenAI names the endpoint without the version prefix
    url = "/chat/completions" if summarizer.endpoint.provider == "azure" else "/v1/chat/completions"
    requests_id = hashlib.sha256("\n".join(sorted(pending)).encode()).hexdigest()
    try:
        batch = await _resume(client, cache.pending_batch(requests_id))
        if batch is None:
            upload = await client.files.create(
                file=("digest-batch.jsonl", batch_lines(pending, url), "application/jsonl"), purpose="batch"
            )
            batch = await client.batches.create(
                input_file_id=upload.id, endpoint=url, completion_window="24h",  # type: ignore[arg-type]
                metadata={"digest": phase},
            )
            cache.remember_batch(requests_id, batch.id)
            log.info("batch %s: %d %s request(s) submitted", batch.id, len(pending), phase[:-1])
        else:
            log.info("batch %s: resuming (%s)", batch.id, batch.status)
        while batch.status not in DONE:
            await asyncio.sleep(summarizer.settings.batch_poll_seconds)
            batch = await client.batches.retrieve(batch.id)
            counts = batch.request_counts
            log.info(
                "batch %s: %s, %d of %d done", batch.id, batch.status,
                (counts.completed + counts.failed) if counts else 0, counts.total if counts else len(pending),
            )
        if batch.status == "failed":
            cache.forget_batch(requests_id)
            errors = batch.errors.data if batch.errors and batch.errors.data else []
            why = errors[0].message if errors and errors[0].message else "no reason given"
            raise DigestError(f"the batch {batch.id} failed: {why}")
        stored = 0
        if batch.output_file_id:
            content = await client.files.content(batch.output_file_id)
            stored = _ingest(summarizer, pending, content.text)
        cache.forget_batch(requests_id)
    except openai.AuthenticationError:
        raise DigestError(
            f"the model API rejected the credentials (HTTP 401) at {summarizer.endpoint.describe()}: "
            f"check {summarizer.endpoint.key_variable}"
        ) from None
    except openai.APIError as error:
        why = f"HTTP {error.status_code}" if isinstance(error, openai.APIStatusError) else type(error).__name__
        raise DigestError(f"the Batch API failed at {summarizer.endpoint.describe()}: {why}") from None
    log.info(
        "batch %s %s: %d of %d answer(s) cached%s", batch.id, batch.status, stored, len(pending),
        "; the rest are asked live" if stored < len(pending) else "",
    )


async def _resume(client: openai.AsyncOpenAI, batch_id: str | None) -> Any:
    """The batch a killed run left behind, if it can still deliver."""
    if not batch_id:
        return None
    try:
        batch = await client.batches.retrieve(batch_id)
    except openai.NotFoundError:
        return None
    return None if batch.status in ("failed", "cancelled", "cancelling") else batch


def _ingest(summarizer: ModelSummarizer, pending: dict[str, tuple[Kind, dict[str, Any]]], text: str) -> int:
    stored = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            log.warning("batch output: a line is not JSON, skipped")
            continue
        key = item.get("custom_id")
        response = item.get("response") or {}
        if key not in pending or response.get("status_code") != 200 or not isinstance(response.get("body"), dict):
            continue
        summarizer.stats.batched += 1
        # read as a live reply is: any shape is an invalid answer, never a crash; the run's secrets scrubbed
        completion, reason = completion_from(response["body"], summarizer.secrets)
        answer, _reason = summarizer.ingest(key, pending[key][0], completion, batch=True, reason=reason)
        stored += answer is not None
    return stored
