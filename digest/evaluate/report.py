"""What `digest eval` prints and writes: the report as JSON or plain text tables, and the predictions."""

from __future__ import annotations

import json
from pathlib import Path

from digest.evaluate.corpus import Prediction
from digest.evaluate.score import EvalReport
from digest.fsutil import write_text_atomic
from digest.models import LANGS


def report_json(report: EvalReport) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2)


def write_predictions(path: Path, predictions: list[Prediction]) -> None:
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
        f"verbatim with their Markdown: {report.key_terms_verbatim}; in a title or explanation, not only in the "
        f"details: {_percent(report.key_term_recall_brief)}, {report.key_terms_found_brief})",
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
