"""`digest eval`: the contract (--json keys, --predictions lines), the scores on the rubric-labelled
gold set, and the faithfulness checks on the whole dev corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digest.classify.areas import load_area_config
from digest.cli import main
from digest.errors import DigestError
from digest.evaluate.corpus import EvalRecord, Prediction, iter_jsonl, load_labels, load_records, read_jsonl
from digest.evaluate.predict import predict
from digest.evaluate.score import evaluate, invented_identifiers, score_labels
from digest.models import Bilingual, FileSummary
from digest.summarize import OfflineSummarizer
from digest.summarize.offline import verified_code

from .conftest import CORPUS, make_project

GOLD = CORPUS / "gold-dev.jsonl"
DEV = CORPUS / "dev-files.jsonl"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("eval") / "project")


def run_json(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["eval", "--root", str(root), *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_gold_scores_meet_the_targets_beside_the_corpus_labels(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = run_json(root, capsys, "--gold", str(GOLD), "--compare-labels", str(DEV))
    assert {"accuracy", "macro_f1", "per_type", "key_term_recall"} <= set(report)
    assert set(report["per_type"]) == {"new feature", "breaking change", "bug fix", "minor update"}
    assert report["records"] == report["scored"] == 80
    assert report["macro_f1"] >= 0.7
    assert report["key_term_recall"] >= 0.9
    assert report["invented"] == {}
    # the corpus labels on the same records, as the corpus README states them: 56% and 0.50
    assert round(report["baseline"]["accuracy"], 2) == 0.56
    assert round(report["baseline"]["macro_f1"], 2) == 0.50
    assert report["macro_f1"] > report["baseline"]["macro_f1"]


def test_text_report_has_the_table_and_the_confusion_matrix(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--root", str(root), "--gold", str(GOLD)]) == 0
    out = capsys.readouterr().out
    for expected in ("accuracy", "macro-F1", "breaking change", "confusion", "key-term recall"):
        assert expected in out


def test_predictions_file_has_one_line_per_record(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "predictions.jsonl"
    run_json(root, capsys, "--gold", str(GOLD), "--predictions", str(out))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    gold_ids = [entry["id"] for entry in read_jsonl(GOLD)]
    assert [line["id"] for line in lines] == gold_ids
    for line in lines:
        assert set(line) == {"id", "modification_type", "title", "explanation", "details"}
        assert set(line["title"]) == set(line["explanation"]) == {"ja", "en"}
        assert all(line["title"].values()) and all(line["explanation"].values())


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json\n", "gold.jsonl:1: not a corpus record"), ('{"id": "x", "path": "a.md"}\n', "gold.jsonl:1: not a corpus record")],
)
def test_bad_gold_lines_are_one_clear_error(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str) -> None:
    bad = tmp_path / "gold.jsonl"
    bad.write_text(content, encoding="utf-8")
    assert main(["eval", "--root", str(root), "--gold", str(bad)]) == 2
    assert message in "".join(capsys.readouterr().err.split("\n"))


def test_missing_gold_file_is_a_clear_error(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--root", str(root), "--gold", str(tmp_path / "nope.jsonl")]) == 2
    assert "gold file not found" in capsys.readouterr().err


def test_the_one_corpus_reader_skips_blank_lines_stops_at_the_limit_and_names_a_bad_line(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text('{"id": "a"}\n\n{"id": "b"}\n{"id": "c"}\n', encoding="utf-8")
    assert [entry["id"] for entry in read_jsonl(corpus)] == ["a", "b", "c"]
    assert read_jsonl(corpus, 2) == [{"id": "a"}, {"id": "b"}]
    assert [number for number, _ in iter_jsonl(corpus)] == [1, 3, 4]
    corpus.write_text('{"id": "a"}\n{oops\n', encoding="utf-8")
    with pytest.raises(DigestError, match=r"corpus.jsonl:2: not JSON: Expecting property name"):
        read_jsonl(corpus)
    with pytest.raises(DigestError, match="labels file not found"):
        load_labels(tmp_path / "none.jsonl")
    corpus.write_text('{"id": "a"}\n', encoding="utf-8")
    with pytest.raises(DigestError, match=r"corpus.jsonl:1: no id and label: 'label'"):
        load_labels(corpus)


def test_scores_by_hand() -> None:
    pairs = [("bug fix", "bug fix"), ("bug fix", "minor update"), ("minor update", "bug fix"), ("minor update", "minor update")]
    score = score_labels(pairs)
    assert score.accuracy == 0.5
    fix = score.per_type["bug fix"]
    assert (fix.precision, fix.recall, fix.f1, fix.support, fix.predicted) == (0.5, 0.5, 0.5, 2, 2)
    assert score.per_type["new feature"].f1 == 0.0  # a type with no support and no prediction scores 0
    assert score.macro_f1 == pytest.approx((0.5 + 0.5) / 4)
    assert score.confusion["bug fix"] == {"new feature": 0, "breaking change": 0, "bug fix": 1, "minor update": 1}


def test_an_identifier_the_diff_does_not_hold_is_caught() -> None:
    record = EvalRecord(id="x", path="articles/a.md", status="modified", patch="@@ -1 +1 @@\n-use gpt-4o-mini\n+use `gpt-4o-mini-audio`")
    said = FileSummary(
        modification_type="minor update",
        title=Bilingual(ja="`gpt-4o-mini` を使用", en="Uses `gpt-4o-mini-aud` and gpt-4.1"),
        explanation=Bilingual(ja="2025-01-01-preview", en="`articles/a.md` changed"),
        summarizer="offline",
    )
    assert invented_identifiers(record, said) == ["gpt-4o-mini-aud", "gpt-4.1", "2025-01-01-preview"]


def test_code_spans_the_diff_does_not_hold_become_plain_text() -> None:
    diff = "use `gpt-4o-mini-audio-preview` and run az login"
    assert verified_code("Added `gpt-4o-mini-audio-preview`", diff) == "Added `gpt-4o-mini-audio-preview`"
    assert verified_code("Added `gpt-4o-mini-aud…`", diff) == "Added gpt-4o-mini-aud…"
    assert verified_code("Run `az login --tenant`", diff) == "Run az login --tenant"


# --- the whole dev corpus (weak labels, no key terms): computed once for the module ----------------


@pytest.fixture(scope="module")
def dev_run(root: Path) -> tuple[list[EvalRecord], list[Prediction], dict]:
    records = load_records(DEV)
    areas = load_area_config(root / "config" / "areas.yml")
    predictions = predict(records, areas, OfflineSummarizer(str(root / "templates")))
    report = evaluate(records, predictions, areas.catch_all.id)
    return records, predictions, report.model_dump()


def test_dev_corpus_summaries_name_no_identifier_absent_from_the_diff(dev_run: tuple) -> None:
    records, predictions, report = dev_run
    assert len(predictions) == len(records) == 9651
    assert report["invented"] == {}


def test_dev_corpus_catch_all_area_stays_under_two_percent(dev_run: tuple) -> None:
    _, _, report = dev_run
    assert report["catch_all_share"] < 0.02


def test_dev_corpus_weak_labels_and_missing_key_terms_are_handled(dev_run: tuple) -> None:
    records, _, report = dev_run
    outside = sum(1 for record in records if record.label not in ("new feature", "breaking change", "bug fix", "minor update"))
    assert outside == report["unscored"] == 9  # the nine "major update" labels are reported, not scored
    assert report["key_term_recall"] is None and report["key_terms_total"] == 0


def test_dev_corpus_days_collapse_repeated_edits(dev_run: tuple) -> None:
    _, predictions, report = dev_run
    bulk = [p for p in predictions if p.change.noise == "bulk"]
    assert report["bulk_files"] == len(bulk) > 0
    assert all(p.change.facts.bulk_edit is not None and p.change.facts.bulk_files >= 5 for p in bulk)
    assert all(p.summary.modification_type != "breaking change" for p in bulk)


# --- headline terms, markup in titles, the fixed split, the model path (issue #11) ----------------

GOLD_2 = CORPUS / "gold-dev-2.jsonl"


def _said(title_en: str, title_ja: str) -> FileSummary:
    return FileSummary(
        modification_type="minor update", title=Bilingual(ja=title_ja, en=title_en),
        explanation=Bilingual(ja="説明です。", en="Explained."), summarizer="offline",
    )


def test_headline_terms_are_named_case_insensitively_with_markdown_stripped(root: Path) -> None:
    record = EvalRecord(
        id="h1", path="articles/search/a.md", status="modified", patch="@@ -1 +1 @@\n-Use **Language Studio**\n+Use [Azure AI Foundry](x.md)",
        label="breaking change", headline_terms=["-Language Studio", "+[Azure AI Foundry](x.md)"],
    )
    areas = load_area_config(root / "config" / "areas.yml")
    [prediction] = predict([record], areas, OfflineSummarizer(str(root / "templates")))
    said = _said("Steps move from language studio to the [Azure AI Foundry](x.md) portal", "Language Studio の手順を変更しました")
    report = evaluate([record], [Prediction(record, prediction.change, said)], areas.catch_all.id)
    assert report.headline_terms_total == 2
    assert report.headline_term_recall == {"ja": 0.5, "en": 1.0}
    assert report.missed_headline_terms == {"h1:ja": ["+[Azure AI Foundry](x.md)"]}
    # the English title keeps link syntax: counted as a title with markup; the Japanese one is plain
    assert report.titles_with_markup == {"ja": 0.0, "en": 1.0}
    assert report.longest_title["en"] == len(said.title.en)


def test_the_held_out_split_is_fixed_by_record_id_and_splits_the_set(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from digest.evaluate.corpus import part_of, select_part

    records = load_records(GOLD_2)
    tune, held_out = select_part(records, "tune"), select_part(records, "held-out")
    assert len(tune) + len(held_out) == len(records) == 192
    assert {r.id for r in tune}.isdisjoint({r.id for r in held_out})
    assert 80 <= len(held_out) <= 112  # a hash halves the set, roughly
    assert [part_of(r.id) for r in records] == [part_of(r.id) for r in reversed(records)][::-1]
    report = run_json(root, capsys, "--gold", str(GOLD_2), "--part", "held-out")
    assert report["records"] == len(held_out)
    assert {"headline_term_recall", "titles_with_markup", "key_terms_verbatim"} <= set(report)


def test_eval_scores_a_model_through_the_openai_api_and_prints_the_cost(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import logging

    from .openai_server import OpenAIServer, openai_environment

    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(GOLD.read_text(encoding="utf-8").splitlines(keepends=True)[:6]), encoding="utf-8")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger("digest").addHandler(handler)
    try:
        with OpenAIServer() as server, openai_environment(server, "sk-eval-test-1234", "eval-test-model"):
            report = run_json(
                root, capsys, "--gold", str(gold), "--summarizer", "openai", "--model-cache", str(tmp_path / "cache.sqlite"),
                "--predictions", str(tmp_path / "out.jsonl"),
            )
            asked = len(server.chat_requests())
    finally:
        logging.getLogger("digest").removeHandler(handler)
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert asked > 0 and report["records"] == 6
    assert sum(line["title"]["en"].startswith("Model title for") for line in lines) == asked
    closing = [line for line in stream.getvalue().splitlines() if line.startswith("model eval-test-model:")]
    assert closing and f"{asked} request(s)" in closing[0] and "cost" in closing[0]
    assert "sk-eval-test-1234" not in stream.getvalue()
