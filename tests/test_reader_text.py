"""Issue 11 items 3 and 4, read as a reader reads them: table rows told as rows ("column: value" of their
key cell, or a count of the rows of their table), never a dump of cells; the same fact in several files one
Highlight sentence with its count; Japanese sentences from Japanese templates."""

from __future__ import annotations

import re

from digest.summarize import OfflineSummarizer

from .test_offline_text import change_of, hunk, page_of


ONE_ROW = hunk(
    " ## Regions",
    " ",
    " | Model | Region | Notes |",
    " |---|---|---|",
    " | gpt-4o-mini | westus | Standard deployments only, see the quota article for limits. |",
    "+| gpt-4o | eastus | Standard and provisioned deployments, see **Global Standard** for the rest. |",
)

MANY_ROWS = hunk(
    " ## Harm categories",
    " ",
    "+| Category | Description |",
    "+|---|---|",
    "+| Hate and Fairness | Attacks on identity groups. |",
    "+| Sexual | Sexual content. |",
    "+| Violence | Violent content. |",
    "+| Self-Harm | Self-injury. |",
)


def test_a_row_added_is_told_as_a_row_with_its_columns(summarizer: OfflineSummarizer) -> None:
    summary = summarizer.summarize_file(change_of(ONE_ROW, "articles/ai-services/openai/concepts/models.md"))
    # the model is the row's key cell: told as the model it is, with the row's columns, once
    assert summary.explanation.en == "Adds model gpt-4o (Region: eastus; names “Global Standard”) in the “Regions” table.", summary.explanation.en
    assert summary.explanation.ja == "「Regions」の表にモデル gpt-4o（Region: eastus、「Global Standard」を記載）を追加しました。", summary.explanation.ja
    # the title is not the explanation's business: it still names the model and its region
    assert summary.title.en == "Adds model gpt-4o; region eastus", summary.title.en
    # the cell's words are told with the row, not again as a list of their own
    assert summary.explanation.en.count("Global Standard") == 1, summary.explanation.en


def test_many_rows_are_a_count_of_the_rows_of_their_table(summarizer: OfflineSummarizer) -> None:
    summary = summarizer.summarize_file(change_of(MANY_ROWS, "articles/ai-foundry/includes/harm-categories.md"))
    assert "4 rows added to the “Harm categories” table, among them Hate and Fairness and Sexual" in summary.explanation.en, summary.explanation.en
    assert "「Harm categories」の表に 4 行を追加しました（Hate and Fairness、Sexual など）" in summary.explanation.ja, summary.explanation.ja
    assert "Violent content" not in summary.explanation.en  # no dump of cells: the details hold the rows whole
    assert summary.details is not None and any("Violence" in line for line in summary.details.en)


def test_a_changed_row_keeps_the_words_it_names(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " | Model | Version |",
        " |---|---|",
        "-| o1 | 2024-09-12 |",
        "+| o1 | **o1 (version 2024-12-17)** |",
    )
    summary = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/concepts/models.md"))
    said = summary.title.en + summary.explanation.en + " ".join(summary.details.en if summary.details else [])
    assert "2024-12-17" in said, said


LINK = hunk(" Intro.", "+For more information, see [Get started with keyless authentication](/azure/developer/ai/keyless).")
RETIREMENT = hunk(
    " ## Language Studio",
    " ",
    "-Language Studio will be retired on February 16, 2026. Move your projects to Azure AI Foundry.",
    "+Language Studio will be retired on March 20, 2027. Move your projects to Azure AI Foundry.",
)


def test_the_same_fact_in_several_files_is_one_highlight_sentence_with_its_count(summarizer: OfflineSummarizer) -> None:
    names = ("dotnet", "go", "java", "javascript", "python")
    changes = [change_of(LINK, f"articles/ai-services/openai/includes/language-overview/{name}.md") for name in names]
    page = page_of(summarizer, changes)
    title = changes and summarizer.summarize_file(changes[0]).title
    assert page.en.highlight.count(title.en) == 1, page.en.highlight
    assert page.ja.highlight.count(title.ja) == 1, page.ja.highlight
    assert f"{title.en} (5 files: dotnet.md, go.md, java.md and more)" in page.en.highlight, page.en.highlight
    assert f"{title.ja}（5 ファイル: dotnet.md、go.md、java.md ほか）" in page.ja.highlight, page.ja.highlight
    assert "Most important: " in page.en.highlight and "主な変更は次のとおりです: " in page.ja.highlight  # one type: its count is said once
    # the lists name it once too
    assert page.en.other_updates == [f"{title.en} (5 files: dotnet.md, go.md, java.md and more)"], page.en.other_updates


def test_the_highlight_tells_breaking_changes_first_with_the_counts(summarizer: OfflineSummarizer) -> None:
    wording = change_of(hunk("-You can use a index.", "+You can use an index."), "articles/ai-services/language-service/faq.md")
    moved = change_of(RETIREMENT)
    page = page_of(summarizer, [wording, moved])
    en, ja = page.en.highlight, page.ja.highlight
    if moved.modification_type == "breaking change":
        assert en.startswith("1 breaking change, 1 minor update in Language on 2025-02-03"), en
        assert "Breaking change: Language Studio retirement moved from February 16, 2026 to March 20, 2027 (overview.md). Other update: " in en, en
        assert "破壊的変更は 1 件です: Language Studio の提供終了日が" in ja, ja
    assert en.index("Language Studio retirement") < en.index("faq.md")
    assert ja.index("Language Studio") < ja.index("faq.md")


KANA = re.compile(r"[\u3040-\u30ff]")


def test_japanese_page_text_is_japanese_sentences(summarizer: OfflineSummarizer) -> None:
    changes = [change_of(ONE_ROW, "articles/ai-services/openai/concepts/models.md"), change_of(MANY_ROWS, "articles/ai-foundry/includes/harm-categories.md"), change_of(RETIREMENT)]
    page = page_of(summarizer, changes)
    texts = [page.ja.highlight, page.ja.insight] + [summarizer.summarize_file(change).explanation.ja for change in changes]
    sentences = [sentence for text in texts for sentence in re.split(r"(?<=。)", text) if sentence.strip()]
    assert sentences and all(KANA.search(sentence) for sentence in sentences), [s for s in sentences if not KANA.search(s)]
    assert [sentence for sentence in sentences if not polite(sentence)] == []


POLITE = re.compile(r"(?:です|ます|ました|ません|ください)(?:。?$|: )")
PARENTHESIS = re.compile(r"（[^（）]*）")


def polite(sentence: str) -> bool:
    """A です・ます sentence (what its parentheses hold aside), or one that ends such a sentence with a list after ": "."""
    text = sentence.strip()
    while PARENTHESIS.search(text):
        text = PARENTHESIS.sub("", text)
    return bool(POLITE.search(text))


def test_japanese_insight_and_highlight_of_a_day_with_new_models_and_articles_are_polite(summarizer: OfflineSummarizer) -> None:
    added = change_of(hunk("+---", "+title: Build a custom model", "+---", "+# Build a custom model in Azure AI Foundry", "+", "+Follow these steps."), "articles/ai-services/language-service/build-model.md", "added")
    page = page_of(summarizer, [added, change_of(ONE_ROW, "articles/ai-services/openai/concepts/models.md"), change_of(LINK, "articles/ai-services/openai/a.md"), change_of(LINK, "articles/ai-services/openai/b.md")])
    sentences = [s for text in (page.ja.highlight, page.ja.insight) for s in re.split(r"(?<=。)", text) if s.strip()]
    assert [s for s in sentences if not polite(s)] == [], sentences
    assert "新しい記事は「Build a custom model in Azure AI Foundry」です。" in page.ja.insight, page.ja.insight


def test_an_image_is_told_as_an_image_never_by_its_file_text(summarizer: OfflineSummarizer) -> None:
    svg = hunk('-<svg width="289" height="148" viewBox="0 0 289 148" fill="none">', '-<path d="M296 0H0V148H296V0Z"/>', "-</svg>")
    summary = summarizer.summarize_file(change_of(svg, "articles/ai-services/language-service/media/union.svg", "removed"))
    assert summary.explanation.en == "Image `union.svg` removed.", summary.explanation.en
    assert summary.explanation.ja == "画像 `union.svg` が削除されました。", summary.explanation.ja
    assert summary.details is None
