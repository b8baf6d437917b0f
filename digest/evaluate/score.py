"""Scoring predictions against the corpus: change-type labels, key and headline terms, invented identifiers."""

from __future__ import annotations

from pydantic import BaseModel

from digest.classify.markdown import api_versions_in, model_names_in
from digest.evaluate.corpus import EvalRecord, Prediction
from digest.models import LANGS, MODIFICATION_TYPES, FileSummary
from digest.plaintext import CODE_SPAN, has_markup, plain
from digest.text import occurs_whole


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
    # key terms named in the title or explanation alone (not only in the folded details)
    key_term_recall_brief: float | None = None
    key_terms_found_brief: int = 0
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


def summary_texts(summary: FileSummary, details: bool = True) -> list[str]:
    """What a reader of the file's section reads: its title and explanation and (with `details`) the
    lines of its folded details."""
    texts = [summary.title.ja, summary.title.en, summary.explanation.ja, summary.explanation.en]
    if details and summary.details:
        texts += summary.details.ja + summary.details.en
    return texts


def _unsigned(term: str) -> str:
    return term[1:] if term[:1] in "+-" else term


def key_terms_missed(record: EvalRecord, summary: FileSummary, details: bool = True) -> list[str]:
    """The record's key terms (sign stripped) that no title, explanation or (with `details`) line of the
    details names, verbatim or as the plain words of its Markdown (a summary says "REST API version
    2024-11-30 GA" for "**REST API version 2024-11-30 GA**")."""
    texts = summary_texts(summary, details)
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
            if shaped is None:  # as the diff has them, and as its lines read once plain (_Phi-3-mini-4k-instruct_)
                words = " ".join(plain(line) for line in (record.patch or "").splitlines())
                shaped = {name for text in (haystack, words) for name in api_versions_in(text) + model_names_in(text)}
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
    found = total = verbatim = briefly = 0
    for prediction in predictions:
        total += len(prediction.record.key_terms)
        terms_missed = key_terms_missed(prediction.record, prediction.summary)
        found += len(prediction.record.key_terms) - len(terms_missed)
        briefly += len(prediction.record.key_terms) - len(key_terms_missed(prediction.record, prediction.summary, details=False))
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
        key_term_recall_brief=_ratio(briefly, total) if total else None,
        key_terms_found_brief=briefly,
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
