"""The corpus records through the pipeline's own stages: diff.parse_patch, classify_day (the records of one
corpus report form one day, so bulk edits are found as in a `digest run`) and the summarizer's summarize_files."""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

from digest.classify import classify_day
from digest.classify.areas import AreaConfig
from digest.diff import parse_patch
from digest.evaluate.corpus import EvalRecord, Prediction
from digest.models import ClassifiedChange, FileSummary
from digest.pipeline import summarize_files
from digest.summarize import OfflineSummarizer, Summarizer


def _days(records: list[EvalRecord]) -> Iterable[list[int]]:
    """Indexes of the records grouped as days: one group per corpus report, a record without one alone."""
    groups: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        groups.setdefault(record.post or f"\0{index}", []).append(index)
    return groups.values()


@contextlib.contextmanager
def _few_collections() -> Iterator[None]:
    """Fewer cyclic garbage collections while thousands of records are built: they hold no cycles
    worth collecting, and scanning them again and again cost a tenth of the run."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], 50_000), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def predict(records: list[EvalRecord], areas: AreaConfig, summarizer: Summarizer, jobs: int = 1) -> list[Prediction]:
    """Predictions for every record, in order. With the offline summarizer and `jobs` > 1, the days
    are shared out to that many processes (the work is CPU-bound; a model summarizer runs its own
    concurrency in one process)."""
    if jobs > 1 and isinstance(summarizer, OfflineSummarizer) and len(records) >= PARALLEL_FROM:
        return _predict_in_processes(records, areas, summarizer.templates_dir, jobs)
    with _few_collections():
        return _predict(records, areas, summarizer)


# fewer records than this are not worth starting processes for
PARALLEL_FROM = 500


def _predict_chunk(areas: AreaConfig, templates_dir: str, records: list[EvalRecord]) -> list[tuple[ClassifiedChange, FileSummary]]:
    """A chunk's changes and summaries in a worker process (everything it needs comes in its arguments); the
    diffs stay behind (the caller has them) to spare the pickling."""
    with _few_collections():
        predictions = _predict(records, areas, OfflineSummarizer(templates_dir))
    return [
        (p.change.model_copy(update={"change": p.change.change.model_copy(update={"patch": ""})}), p.summary)
        for p in predictions
    ]


def _predict_in_processes(records: list[EvalRecord], areas: AreaConfig, templates_dir: str, jobs: int) -> list[Prediction]:
    # whole days per chunk (bulk edits are found within a day); several chunks per process even out their sizes
    days = sorted(_days(records), key=len, reverse=True)
    chunks: list[list[int]] = [[] for _ in range(jobs * 4)]
    for day in days:
        min(chunks, key=len).extend(day)
    chunks = [chunk for chunk in chunks if chunk]
    predictions: list[Prediction | None] = [None] * len(records)
    work = functools.partial(_predict_chunk, areas, templates_dir)
    with ProcessPoolExecutor(jobs) as pool:
        for chunk, results in zip(chunks, pool.map(work, [[records[i] for i in chunk] for chunk in chunks])):
            for index, (change, summary) in zip(chunk, results, strict=True):
                patch = records[index].patch or ""
                whole = change.model_copy(update={"change": change.change.model_copy(update={"patch": patch})})
                predictions[index] = Prediction(records[index], whole, summary)
    return [prediction for prediction in predictions if prediction is not None]


def _predict(records: list[EvalRecord], areas: AreaConfig, summarizer: Summarizer) -> list[Prediction]:
    classified: list[ClassifiedChange | None] = [None] * len(records)
    for indexes in _days(records):
        day = classify_day([parse_patch(records[i].path, records[i].status, records[i].patch) for i in indexes], areas)
        for i, change in zip(indexes, day, strict=True):
            classified[i] = change
    changes = [change for change in classified if change is not None]
    summaries = summarize_files(summarizer, changes)
    return [Prediction(record, change, summary) for record, change, summary in zip(records, changes, summaries, strict=True)]
