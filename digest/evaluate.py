"""`digest eval`: run labelled corpus records through parse -> classify -> summarize and score the result.

The records are JSON Lines in the corpus format (id, path, status, additions,
deletions, patch, label, key_terms). Each goes through the same stages as a
`digest run` day: diff.parse_patch, classify.classify, the day-level bulk
detection (records of one corpus report form one day), and the summarizer's
summarize_files.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from digest.classify.areas import AreaConfig
from digest.classify import classify_day
from digest.classify.markdown import api_versions_in, model_names_in
from digest.text import occurs_whole
from digest.diff import parse_patch
from digest.errors import DigestError
from digest.models import LANGS, MODIFICATION_TYPES, ClassifiedChange, FileSummary, Status
from digest.plaintext import has_markup, plain
from digest.summarize import OfflineSummarizer, Summarizer

# --- inputs and outputs -------------------------------------------------------


class EvalRecord(BaseModel):
    """One labelled file change of the corpus (other corpus fields are ignored)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    path: str
    status: Status
    additions: int = 0
    deletions: int = 0
    patch: str | None = None
    label: str | None = None
    key_terms: list[str] = Field(default_factory=list)
    # the strings an editor's title for the change must name (gold-dev*.jsonl), each with its sign
    headline_terms: list[str] = Field(default_factory=list)
    headline: str | None = None
    # the corpus report the record belongs to: its files form one day
    post: str | None = None


class TypeScore(BaseModel):
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


class LabelScore(BaseModel):
    """How one set of labels agrees with the reference labels."""

    accuracy: float | None
    macro_f1: float | None
    per_type: dict[str, TypeScore]
    confusion: dict[str, dict[str, int]]
    scored: int


class EvalReport(LabelScore):
    records: int
    # records whose reference label is not one of the four types (not scored)
    unscored: int
    key_term_recall: float | None
    key_terms_found: int
    key_terms_total: int
    # key terms named verbatim, Markdown and all (the measure before issue #11)
    key_terms_verbatim: int = 0
    missed_key_terms: dict[str, list[str]]
    # per language: the share of headline_terms that the file's title names (case-insensitive, Markdown stripped)
    headline_term_recall: dict[str, float | None]
    headline_terms_found: dict[str, int]
    headline_terms_total: int
    missed_headline_terms: dict[str, list[str]]
    # per language: the share of titles that hold Markdown or HTML syntax, and the longest title
    titles_with_markup: dict[str, float]
    titles_with_markup_ids: dict[str, list[str]]
    longest_title: dict[str, int]
    # identifier-like tokens of a summary that the diff does not hold
    invented: dict[str, list[str]]
    catch_all: int
    catch_all_share: float
    bulk_files: int
    # the same records scored with the labels of another file (e.g. the corpus labels)
    baseline: LabelScore | None = None
    baseline_source: str | None = None


@dataclass(frozen=True)
class Prediction:
    record: EvalRecord
    change: ClassifiedChange
    summary: FileSummary

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.record.id,
            "modification_type": self.summary.modification_type,
            "title": self.summary.title.model_dump(),
            "explanation": self.summary.explanation.model_dump(),
        }


def iter_records(path: Path) -> Iterator[EvalRecord]:
    try:
        handle = path.open(encoding="utf-8")
    except FileNotFoundError as error:
        raise DigestError(f"gold file not found: {path}") from error
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield EvalRecord.model_validate(json.loads(line))
            except (json.JSONDecodeError, ValidationError) as error:
                first = str(error).splitlines()[0]
                raise DigestError(f"{path}:{number}: not a corpus record: {first}") from error


def load_records(path: Path) -> list[EvalRecord]:
    records = list(iter_records(path))
    if not records:
        raise DigestError(f"no records in {path}")
    return records


def load_labels(path: Path) -> dict[str, str]:
    """id -> label of a JSON Lines file (only those two fields are read)."""
    labels: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    data = json.loads(line)
                    labels[str(data["id"])] = str(data["label"])
                except (json.JSONDecodeError, KeyError, TypeError) as error:
                    raise DigestError(f"{path}:{number}: no id and label: {error}") from error
    except FileNotFoundError as error:
        raise DigestError(f"labels file not found: {path}") from error
    return labels


# --- running the stages -------------------------------------------------------


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
_worker: tuple[AreaConfig, OfflineSummarizer] | None = None


def _start_worker(areas: AreaConfig, templates_dir: str) -> None:
    global _worker
    _worker = (areas, OfflineSummarizer(templates_dir))


def _predict_chunk(records: list[EvalRecord]) -> list[tuple[ClassifiedChange, FileSummary]]:
    """A chunk's changes and summaries; the diffs stay behind (the caller has them) to spare the pickling."""
    assert _worker is not None, "the worker was not started"
    with _few_collections():
        predictions = _predict(records, *_worker)
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
    with ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(areas, templates_dir)) as pool:
        for chunk, results in zip(chunks, pool.map(_predict_chunk, [[records[i] for i in chunk] for chunk in chunks])):
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
    summaries = summarizer.summarize_files(changes)
    if len(summaries) != len(changes):
        raise DigestError(f"the summarizer returned {len(summaries)} summaries for {len(changes)} files")
    return [Prediction(record, change, summary) for record, change, summary in zip(records, changes, summaries, strict=True)]


# --- scoring --------------------------------------------------------------------


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score_labels(pairs: list[tuple[str, str]]) -> LabelScore:
    """(reference, predicted) label pairs -> accuracy, per-type P/R/F1, macro-F1, confusion matrix."""
    types = list(MODIFICATION_TYPES)
    confusion = {gold: {pred: 0 for pred in types} for gold in types}
    for gold, pred in pairs:
        confusion[gold][pred if pred in types else "minor update"] += 1
    per_type: dict[str, TypeScore] = {}
    for kind in types:
        true_positive = confusion[kind][kind]
        support = sum(confusion[kind].values())
        predicted = sum(confusion[gold][kind] for gold in types)
        precision, recall = _ratio(true_positive, predicted), _ratio(true_positive, support)
        f1 = _ratio(2 * true_positive, support + predicted)
        per_type[kind] = TypeScore(precision=precision, recall=recall, f1=f1, support=support, predicted=predicted)
    scored = len(pairs)
    correct = sum(confusion[kind][kind] for kind in types)
    return LabelScore(
        accuracy=_ratio(correct, scored) if scored else None,
        macro_f1=sum(score.f1 for score in per_type.values()) / len(types) if scored else None,
        per_type=per_type,
        confusion=confusion,
        scored=scored,
    )


def summary_texts(summary: FileSummary) -> list[str]:
    return [summary.title.ja, summary.title.en, summary.explanation.ja, summary.explanation.en]


def _unsigned(term: str) -> str:
    return term[1:] if term[:1] in "+-" else term


def key_terms_missed(record: EvalRecord, summary: FileSummary) -> list[str]:
    """The record's key terms (sign stripped) that no title or explanation names, verbatim or as the plain
    words of its Markdown (a summary says "REST API version 2024-11-30 GA" for "**REST API version 2024-11-30 GA**")."""
    texts = summary_texts(summary)
    plain_texts: list[str] | None = None
    missed = []
    for term in record.key_terms:
        text = _unsigned(term)
        if any(text in said for said in texts):
            continue
        if plain_texts is None:
            plain_texts = [plain(said) for said in texts]
        words = plain(text)
        if not words or not any(words in said for said in plain_texts):
            missed.append(term)
    return missed


def headline_terms_missed(record: EvalRecord, title: str) -> list[str]:
    """The record's headline terms that `title` does not name (case-insensitively, Markdown stripped)."""
    said = plain(title).casefold()
    return [term for term in record.headline_terms if plain(_unsigned(term)).casefold() not in said]


CODE_SPAN = re.compile(r"(`+)\s?(.+?)\s?\1")


def invented_identifiers(record: EvalRecord, summary: FileSummary) -> list[str]:
    """Identifier-like tokens of the summary that are not in the diff (its lines or its path).

    A code span must occur whole in the diff; a model name or API version must
    be one that the same pattern finds in the diff.
    """
    haystack = " ".join(f"{record.path}\n{record.patch or ''}".split())
    shaped: set[str] | None = None
    invented: list[str] = []
    for text in summary_texts(summary):
        spans = [" ".join(match.group(2).split()) for match in CODE_SPAN.finditer(text)]
        for token in spans:
            if token not in invented and not occurs_whole(token, haystack):
                invented.append(token)
        outside = CODE_SPAN.sub(" ", text)
        for token in api_versions_in(outside) + model_names_in(outside):
            if shaped is None:
                shaped = set(api_versions_in(haystack)) | set(model_names_in(haystack))
            if token not in invented and token not in shaped:
                invented.append(token)
    return invented


def evaluate(
    records: list[EvalRecord],
    predictions: list[Prediction],
    catch_all_area: str,
    baseline: dict[str, str] | None = None,
    baseline_source: str | None = None,
) -> EvalReport:
    types = set(MODIFICATION_TYPES)
    pairs = [(p.record.label, p.summary.modification_type) for p in predictions if p.record.label in types]
    scores = score_labels(pairs)  # type: ignore[arg-type]
    missed: dict[str, list[str]] = {}
    invented: dict[str, list[str]] = {}
    found = total = verbatim = 0
    for prediction in predictions:
        total += len(prediction.record.key_terms)
        terms_missed = key_terms_missed(prediction.record, prediction.summary)
        found += len(prediction.record.key_terms) - len(terms_missed)
        texts = summary_texts(prediction.summary)
        verbatim += sum(1 for term in prediction.record.key_terms if any(_unsigned(term) in said for said in texts))
        if terms_missed:
            missed[prediction.record.id] = terms_missed
        tokens = invented_identifiers(prediction.record, prediction.summary)
        if tokens:
            invented[prediction.record.id] = tokens
    headlines = _headline_scores(predictions)
    catch_all = sum(1 for p in predictions if p.change.area == catch_all_area)
    baseline_score = None
    if baseline is not None:
        baseline_pairs = [
            (record.label, baseline.get(record.id, "")) for record in records if record.label in types
        ]
        baseline_score = score_labels(baseline_pairs)  # type: ignore[arg-type]
    return EvalReport(
        **scores.model_dump(),
        records=len(records),
        unscored=len(records) - len(pairs),
        key_term_recall=_ratio(found, total) if total else None,
        key_terms_found=found,
        key_terms_total=total,
        key_terms_verbatim=verbatim,
        missed_key_terms=missed,
        **headlines,
        invented=invented,
        catch_all=catch_all,
        catch_all_share=_ratio(catch_all, len(records)),
        bulk_files=sum(1 for p in predictions if p.change.noise == "bulk"),
        baseline=baseline_score,
        baseline_source=baseline_source,
    )


def _headline_scores(predictions: list[Prediction]) -> dict[str, object]:
    """Headline-term recall per language, and the titles that hold markup."""
    total = sum(len(p.record.headline_terms) for p in predictions)
    found: dict[str, int] = {}
    missed: dict[str, list[str]] = {}
    marked: dict[str, list[str]] = {}
    longest: dict[str, int] = {}
    for lang in LANGS:
        found[lang] = 0
        marked[lang] = []
        longest[lang] = 0
        for prediction in predictions:
            title = getattr(prediction.summary.title, lang)
            terms_missed = headline_terms_missed(prediction.record, title)
            found[lang] += len(prediction.record.headline_terms) - len(terms_missed)
            if terms_missed:
                missed.setdefault(f"{prediction.record.id}:{lang}", terms_missed)
            if has_markup(title):
                marked[lang].append(prediction.record.id)
            longest[lang] = max(longest[lang], len(title))
    return {
        "headline_term_recall": {lang: _ratio(found[lang], total) if total else None for lang in LANGS},
        "headline_terms_found": found,
        "headline_terms_total": total,
        "missed_headline_terms": missed,
        "titles_with_markup": {lang: _ratio(len(marked[lang]), len(predictions)) for lang in LANGS},
        "titles_with_markup_ids": marked,
        "longest_title": longest,
    }


# --- splitting ------------------------------------------------------------------

PARTS = ("tune", "held-out")


def part_of(record_id: str) -> str:
    """The fixed half a record belongs to: "tune" (rules may be tuned on it) or "held-out" (reported only).
    Decided by the SHA-256 of the record id, so it never depends on the file's order or on the labels."""
    return PARTS[int(hashlib.sha256(record_id.encode("utf-8")).hexdigest(), 16) % 2]


def select_part(records: list[EvalRecord], part: str | None) -> list[EvalRecord]:
    if part is None:
        return records
    chosen = [record for record in records if part_of(record.id) == part]
    if not chosen:
        raise DigestError(f"no records in the {part} part")
    return chosen


# --- output ---------------------------------------------------------------------


def report_json(report: EvalReport) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)


def write_predictions(path: Path, predictions: list[Prediction]) -> None:
    from digest.fsutil import write_text_atomic

    lines = [json.dumps(p.as_json(), ensure_ascii=False) for p in predictions]
    write_text_atomic(path, "\n".join(lines) + "\n")


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def report_text(report: EvalReport) -> str:
    """The report as plain text tables, the baseline's column beside ours when there is one."""
    base = report.baseline
    rows = [f"records: {report.records} (scored: {report.scored}, label outside the four types: {report.unscored})"]
    header = f"{'':<18}{'digest':>10}" + (f"{'baseline':>10}" if base else "")
    rows += ["", header]

    def line(name: str, ours: str, theirs: str | None) -> str:
        return f"{name:<18}{ours:>10}" + (f"{theirs:>10}" if base else "")

    rows.append(line("accuracy", _percent(report.accuracy), _percent(base.accuracy) if base else None))
    rows.append(line("macro-F1", _number(report.macro_f1), _number(base.macro_f1) if base else None))
    rows += ["", f"{'type':<18}{'support':>8}{'pred':>6}{'P':>8}{'R':>8}{'F1':>8}" + (f"{'base F1':>9}" if base else "")]
    for kind, score in report.per_type.items():
        row = f"{kind:<18}{score.support:>8}{score.predicted:>6}{score.precision:>8.3f}{score.recall:>8.3f}{score.f1:>8.3f}"
        rows.append(row + (f"{base.per_type[kind].f1:>9.3f}" if base else ""))
    short = {"new feature": "new", "breaking change": "break", "bug fix": "fix", "minor update": "minor"}
    rows += ["", "confusion (rows: reference, columns: digest)", f"{'':<18}" + "".join(f"{short[k]:>8}" for k in short)]
    for gold, row in report.confusion.items():
        rows.append(f"{gold:<18}" + "".join(f"{row[pred]:>8}" for pred in short))
    if base:
        rows.append(f"baseline labels: {report.baseline_source}")
    rows += [
        "",
        f"key-term recall: {_percent(report.key_term_recall)} ({report.key_terms_found} of {report.key_terms_total}; "
        f"verbatim with their Markdown: {report.key_terms_verbatim})",
        *(
            f"headline-term recall {lang}: {_percent(report.headline_term_recall[lang])} "
            f"({report.headline_terms_found[lang]} of {report.headline_terms_total})"
            for lang in LANGS
        ),
        *(
            f"titles with Markdown/HTML {lang}: {_percent(report.titles_with_markup[lang])} "
            f"({len(report.titles_with_markup_ids[lang])}), longest {report.longest_title[lang]} characters"
            for lang in LANGS
        ),
        f"invented identifiers: {sum(len(v) for v in report.invented.values())} in {len(report.invented)} record(s)",
        f"catch-all area: {report.catch_all} file(s), {_percent(report.catch_all_share)}",
        f"bulk edits: {report.bulk_files} file(s)",
    ]
    return "\n".join(rows)

