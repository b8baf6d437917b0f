"""The changed lines a file's details list after its facts (issue 11, "what exactly changed"): every substantive
line the title, explanation and fact lines do not say whole, prose as plain words, code and a shown front-matter
value verbatim as code, most important first, with a cap."""

from __future__ import annotations

from pathlib import Path

from digest.classify import classify
from digest.classify.areas import load_area_config
from digest.diff import parse_patch
from digest.models import ClassifiedChange
from digest.summarize import OfflineSummarizer
from digest.summarize.changed_lines import MAX_LINES

ROOT = Path(__file__).resolve().parent.parent
AREAS = load_area_config(ROOT / "config" / "areas.yml")


def change_of(*lines: str, start: int = 10, path: str = "articles/search/search-faq.md") -> ClassifiedChange:
    minus = sum(1 for line in lines if not line.startswith("+"))
    plus = sum(1 for line in lines if not line.startswith("-"))
    return classify(parse_patch(path, "modified", f"@@ -{start},{minus} +{start},{plus} @@\n" + "\n".join(lines)), AREAS)


def details_of(summarizer: OfflineSummarizer, change: ClassifiedChange) -> dict[str, list[str]]:
    details = summarizer.summarize_file(change).details
    assert details is not None
    return {"en": details.en, "ja": details.ja}


def test_a_sentence_and_a_code_line_the_facts_do_not_say_are_listed_verbatim(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        " ## Limits",
        "-Each example can have at most 10 images.",
        "+Each example can have at most 64 images.",
        "+Each image can be at most 10 MB.",
        "+The service rejects a larger request with HTTP 413.",
        " ",
        " ```json",
        '-    "messages": [{"role" : "system", "content": "You answer questions about hotels."}],',
        '+    "messages": [{"role" : "assistant", "content": "You answer questions about hotels."}],',
        '+    "rerankerThreshold" : 2.5,',
        " ```",
    )
    details = details_of(summarizer, change)
    assert "Added: Each example can have at most 64 images." in details["en"]
    assert "行「Each example can have at most 10 images.」を削除しました。" in details["ja"]
    assert any(line.startswith("Code added: ") and '`"rerankerThreshold" : 2.5,`' in line for line in details["en"])
    assert any(line.startswith("コードの行 ") and line.endswith("を追加しました。") and '`"rerankerThreshold" : 2.5,`' in line for line in details["ja"])


def test_separators_comments_fences_and_dates_of_front_matter_are_not_listed(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        " ---",
        "-title: 'Quickstart: Use the playground'",
        "+title: 'Quickstart: Use the chat playground'",
        "-ms.date: 01/10/2025",
        "+ms.date: 02/10/2025",
        " ---",
        " ",
        "+| Region | Limit |",
        "+|---|---|",
        "+| East US | 20 requests per minute for each deployment |",
        "+<!-- reviewed by the service team -->",
        "+```bash",
        "+az search service update --partition-count 2",
        "+```",
        start=1,
    )
    said = "\n".join(details_of(summarizer, change)["en"])
    assert "Metadata added: `title: 'Quickstart: Use the chat playground'`" in said
    assert "Added: East US, 20 requests per minute for each deployment" in said
    assert "ms.date" not in said and "|---" not in said and "reviewed by" not in said and "```" not in said
    # the command the explanation names whole is not listed again
    assert "az search service update" in summarizer.summarize_file(change).explanation.en and "az search" not in said


def test_a_line_the_summary_already_says_whole_is_not_listed_again(summarizer: OfflineSummarizer) -> None:
    change = change_of(" ## Overview", "+Semantic ranker is now available in every region.", " ")
    summary = summarizer.summarize_file(change)
    assert "Semantic ranker is now available in every region." in summary.explanation.en
    listed = [line for line in (summary.details.en if summary.details else []) if line.startswith("Added: ")]
    assert listed == []


def test_the_list_is_capped_and_says_how_many_more_lines_changed(summarizer: OfflineSummarizer) -> None:
    added = [f"+Sentence number {index} of the new troubleshooting guide explains one more error." for index in range(MAX_LINES + 12)]
    details = details_of(summarizer, change_of(" ## Troubleshooting", *added, " "))
    listed = [line for line in details["en"] if line.startswith("Added: Sentence number")]
    told = sum(line.count("Sentence number") for line in details["en"] if not line.startswith("Added: "))
    more = [int(line.split()[0]) for line in details["en"] if line.endswith(" more changed lines in the diff.")]
    assert len(listed) == MAX_LINES
    assert more == [MAX_LINES + 12 - MAX_LINES - told]
    assert f"ほかに {more[0]} 行の変更があります（差分を参照してください）。" in details["ja"]


def test_code_lines_read_as_separate_spans_with_their_count_and_comments_are_not_listed(summarizer: OfflineSummarizer) -> None:
    """Statements that end in ";" are not joined with "; " (which read as ";;"), and no comment of the sample is
    listed as a changed line."""
    change = change_of(
        " ## Get started",
        " ```csharp",
        "+// Create the client with your endpoint",
        "+using Azure.AI.OpenAI;",
        "+using Azure.Identity;",
        "+# set the endpoint",
        "+/* a block comment */",
        " ```",
        path="articles/ai-services/openai/includes/structured-outputs-dotnet.md",
    )
    details = details_of(summarizer, change)
    code = [line for line in details["en"] if line.startswith("Code added")]
    assert code == ["Code added (2 lines): `using Azure.AI.OpenAI;` `using Azure.Identity;`"], details["en"]
    assert ";;" not in " ".join(details["en"] + details["ja"])
    assert not any("Create the client" in line or "set the endpoint" in line or "block comment" in line for line in details["en"] + details["ja"])
    assert "コードの行（2 行）`using Azure.AI.OpenAI;` `using Azure.Identity;` を追加しました。" in details["ja"], details["ja"]


def test_shebangs_and_preprocessor_lines_are_code_not_comments() -> None:
    from digest.summarize.changed_lines import CODE_COMMENT

    assert not any(CODE_COMMENT.match(line) for line in ("#!/bin/bash", "#include <stdio.h>", "--resource-group my-rg", "*args"))
    assert all(CODE_COMMENT.match(line) for line in ("// note", "  # note", "/* note", " * note", "<!-- note -->", "-- note"))
