"""The offline digest text (issue #11): the most important change first as a plain statement, plain text
without markup, explanations from the facts that matter, and a page that tells the day's story."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from digest.classify.areas import load_area_config
from digest.classify import classify
from digest.diff import parse_patch
from digest.models import AreaName, ClassifiedChange
from digest.plaintext import has_markup
from digest.summarize.rank import rank_facts
from digest.summarize.rank.facts import REGION
from digest.summarize import OfflineSummarizer, PageInput, SummarizedFile
from digest.summarize.offline import display_width, ja_date
from digest.summarize.titletext import title_quote

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = str(ROOT / "templates")
AREAS = load_area_config(ROOT / "config" / "areas.yml")


def change_of(patch: str, path: str = "articles/ai-services/language-service/overview.md", status: str = "modified") -> ClassifiedChange:
    return classify(parse_patch(path, status, patch), AREAS)


def hunk(*lines: str) -> str:
    minus = sum(1 for line in lines if not line.startswith("+"))
    plus = sum(1 for line in lines if not line.startswith("-"))
    return f"@@ -10,{minus} +10,{plus} @@\n" + "\n".join(lines)


RETIREMENT_MOVE = hunk(
    " ## Language Studio",
    " ",
    "-Language Studio will be retired on February 16, 2026. Move your projects to Azure AI Foundry.",
    "+Language Studio will be retired on March 20, 2027. Move your projects to Azure AI Foundry.",
)


def test_a_retirement_date_that_moves_is_the_title_in_both_languages(summarizer: OfflineSummarizer) -> None:
    change = change_of(RETIREMENT_MOVE)
    facts = rank_facts(change)
    assert (facts[0].kind, facts[0].old, facts[0].new, facts[0].subject) == ("date", "February 16, 2026", "March 20, 2027", "Language Studio")
    summary = summarizer.summarize_file(change)
    assert summary.title.en == "Language Studio retirement moved from February 16, 2026 to March 20, 2027"
    assert summary.title.ja == "Language Studio の提供終了日が 2026 年 2 月 16 日から 2027 年 3 月 20 日に変更"
    if change.modification_type == "breaking change":
        assert "before March 20, 2027" in summary.explanation.en
        assert "2027 年 3 月 20 日 までに移行を計画してください" in summary.explanation.ja


def test_japanese_dates_are_written_the_japanese_way() -> None:
    assert ja_date("February 16, 2026") == "2026 年 2 月 16 日"
    assert ja_date("16 February 2026") == "2026 年 2 月 16 日"
    assert ja_date("March 2027") == "2027 年 3 月"
    assert ja_date("2025-04-01") == "2025-04-01"


def test_a_model_swap_outranks_the_word_edits_beside_it(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        "-Use the `gpt-4o-audio-preview` model to generate audio. This is a quick guide.",
        "+Use the `gpt-4o-mini-audio-preview` model to generate audio. This is an quick guide.",
    )
    summary = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/audio.md"))
    assert summary.title.en == "Model gpt-4o-audio-preview replaced by gpt-4o-mini-audio-preview"
    assert summary.title.ja == "モデル gpt-4o-audio-preview を gpt-4o-mini-audio-preview に置き換え"


def test_a_swap_of_ordinary_words_says_wording_in_words(summarizer: OfflineSummarizer) -> None:
    patch = hunk("-You can use a index to search the data.", "+You can use an index to search the data.")
    summary = summarizer.summarize_file(change_of(patch))
    assert summary.title.en == "Wording and formatting edits"
    assert summary.title.ja == "文言と書式の修正"


MARKUP_HEAVY = hunk(
    " Intro text.",
    "+| **Region** | **gpt-4o-mini**, **2024-07-18** | [Learn more](../../search-get-started-agentic-retrieval.md) |",
    "+| --- | --- | --- |",
    "+| East US 2 | ✅ | *see* [the docs](https://learn.microsoft.com/x) |",
    "+<!-- markdownlint-disable MD041 -->",
    "+> [!NOTE]",
    "+> The **new** model is available in [East US 2](../regions.md).",
)


def test_titles_and_list_items_hold_no_markup_and_fit(summarizer: OfflineSummarizer) -> None:
    change = change_of(MARKUP_HEAVY, "articles/ai-services/openai/models.md")
    summary = summarizer.summarize_file(change)
    for title in (summary.title.en, summary.title.ja):
        assert not has_markup(title), title
        assert "](" not in title and "**" not in title and " | " not in title
    assert len(summary.title.en) <= 90 and display_width(summary.title.ja) <= 100
    assert "gpt-4o-mini" in summary.title.en and "gpt-4o-mini" in summary.title.ja
    page = summarizer.summarize_page(PageInput(dt.date(2025, 2, 3), "openai", AreaName(ja="Azure OpenAI", en="Azure OpenAI"), [SummarizedFile(change, summary)]))
    for text in (page.en.highlight, page.ja.highlight, page.en.insight, page.ja.insight, *page.en.new_features, *page.en.other_updates, *page.ja.new_features, *page.ja.other_updates):
        assert not has_markup(text), text


def test_explanations_leave_out_headers_comments_separators_and_code_internals(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " ## Call the API",
        "+<!-- markdownlint-disable MD041 -->",
        "+| Name | Value |",
        "+| - | - |",
        "+```http",
        "+HTTP/1.1 200 OK",
        "+Server: Microsoft-IIS/10.0",
        "+```",
        "+The `maxTokens` parameter now defaults to 4096.",
    )
    summary = summarizer.summarize_file(change_of(patch))
    for text in (summary.explanation.en, summary.explanation.ja):
        assert "Microsoft-IIS" not in text and "markdownlint" not in text and "- | -" not in text
        assert "maxTokens" in text


def test_japanese_explanations_are_japanese_sentences(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " ## Models",
        "+## Region availability",
        "+`gpt-4o-mini` is now available in the model catalog.",
    )
    explanation = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/models.md")).explanation.ja
    assert explanation.endswith("。") and ("しました" in explanation or "ました" in explanation)
    assert "“" not in explanation and "Added" not in explanation and "New sections" not in explanation
    assert "セクション「Region availability」を追加" in explanation


def test_images_are_counted_not_listed(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        "-![Screenshot of the old portal.](media/old-a.png)",
        "-![Screenshot of the old menu.](media/old-b.png)",
        "+![Screenshot of the new portal.](media/new-a.png)",
        "+![Screenshot of the new menu.](media/new-b.png)",
    )
    summary = summarizer.summarize_file(change_of(patch))
    assert "2 images updated" in summary.explanation.en
    assert "画像 2 件を更新しました" in summary.explanation.ja
    assert ".png" not in summary.explanation.en


def page_of(summarizer: OfflineSummarizer, changes: list[ClassifiedChange], redirects: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    files = [SummarizedFile(change, summary) for change, summary in zip(changes, summarizer.summarize_files(changes), strict=True)]
    return summarizer.summarize_page(PageInput(dt.date(2025, 2, 3), "language", AreaName(ja="Language", en="Language"), files, redirects or {}))


NEW_TUTORIAL = hunk("+---", "+title: Build a custom model", "+---", "+# Build a custom model in Azure AI Foundry", "+", "+Follow these steps.")
OLD_TUTORIAL = hunk("----", "-title: Old studio tutorial", "----", "-# Create a project in Language Studio", "-", "-Old steps.")


def test_the_insight_ties_a_removed_tutorial_to_the_new_one_its_redirect_leads_to(summarizer: OfflineSummarizer) -> None:
    removed = change_of(OLD_TUTORIAL, "articles/ai-services/language-service/old-tutorial.md", "removed")
    added = change_of(NEW_TUTORIAL, "articles/ai-services/language-service/build-model.md", "added")
    page = page_of(summarizer, [removed, added], {removed.change.path: "/azure/ai-services/language-service/build-model"})
    assert "“Create a project in Language Studio” was removed and its readers are sent to the new article “Build a custom model in Azure AI Foundry”" in page.en.insight
    assert "「Create a project in Language Studio」は削除され、読者は新しい記事「Build a custom model in Azure AI Foundry」に転送されます" in page.ja.insight


def test_the_insight_is_the_days_own_and_the_highlight_ranks_with_counts(summarizer: OfflineSummarizer) -> None:
    moved = change_of(RETIREMENT_MOVE)
    wording = change_of(hunk("-You can use a index.", "+You can use an index."), "articles/ai-services/language-service/faq.md")
    first = page_of(summarizer, [wording, moved])
    assert "March 20, 2027" in first.en.insight and "2027 年 3 月 20 日" in first.ja.insight
    assert first.en.highlight.index("Language Studio retirement moved") < first.en.highlight.index("Wording and formatting edits")
    assert first.en.highlight.startswith(("1 breaking change", "1 minor update", "2 minor updates"))
    second = page_of(summarizer, [wording])
    assert second.en.insight != first.en.insight and "faq.md" in second.en.insight
    for page in (first, second):
        assert "without a language model" not in page.en.insight


# --- the model path: the prompt gives the ranked facts, and model text is kept plain --------------------------


def test_the_file_prompt_ranks_the_facts_and_says_how_reliable_the_rules_guess_is() -> None:
    from digest.summarize.prompts import PromptBuilder

    _system, user = PromptBuilder(TEMPLATES, diff_tokens=2000).file_messages(change_of(RETIREMENT_MOVE))
    text = user["content"]
    assert "1. date changed (Language Studio): February 16, 2026 -> March 20, 2027" in text
    assert "That type is a guess of pattern rules" in text and "labels were right. Decide the type by the rubric" in text
    assert text.index("most important first") < text.index("\nDiff:\n")


def test_model_titles_and_page_text_are_kept_plain() -> None:
    from digest.summarize.answers import FileAnswer, PageAnswer

    answer = FileAnswer.model_validate({
        "explanation": {"en": "Adds `gpt-4o`.", "ja": "`gpt-4o` を追加しました。"},
        "title": {"en": "Adds **gpt-4o** to [the models](models.md)", "ja": "`gpt-4o` を追加"},
        "modification_type": "new feature",
    })
    title, explanation = answer.bilingual()
    assert (title.en, title.ja) == ("Adds gpt-4o to the models", "gpt-4o を追加")
    assert explanation.en == "Adds `gpt-4o`."  # an explanation keeps its code spans (rendered as code)
    text = {"highlight": "**Two** changes.", "new_features": ["Adds gpt-4o (`models.md`)"], "breaking_changes": [],
            "other_updates": [], "insight": "See [the page](x.md)."}
    japanese = {"highlight": "**二つ**の変更です。", "new_features": ["gpt-4o を追加しました（`models.md`）"], "breaking_changes": [],
                "other_updates": [], "insight": "[ページ](x.md)をご確認ください。"}
    answer_pages = PageAnswer.model_validate({"en": text, "ja": japanese})
    page = answer_pages.page_text("en")
    assert (page.highlight, page.new_features, page.insight) == ("Two changes.", ["Adds gpt-4o (models.md)"], "See the page.")
    page_ja = answer_pages.page_text("ja")
    assert (page_ja.highlight, page_ja.insight) == ("二つの変更です。", "ページをご確認ください。")


def test_the_page_prompt_carries_the_days_facts(summarizer: OfflineSummarizer) -> None:
    from digest.summarize.prompts import PromptBuilder

    removed = change_of(OLD_TUTORIAL, "articles/ai-services/language-service/old-tutorial.md", "removed")
    added = change_of(NEW_TUTORIAL, "articles/ai-services/language-service/build-model.md", "added")
    files = [SummarizedFile(c, s) for c, s in zip([removed, added], summarizer.summarize_files([removed, added]), strict=True)]
    page = PageInput(dt.date(2025, 2, 3), "language", AreaName(ja="Language", en="Language"), files,
                     {removed.change.path: "/azure/ai-services/language-service/build-model"})
    _system, user = PromptBuilder(TEMPLATES, diff_tokens=2000).page_messages(page)
    assert "- moved: Create a project in Language Studio -> Build a custom model in Azure AI Foundry" in user["content"]
    assert "readers redirected to /azure/ai-services/language-service/build-model" in user["content"]


def test_a_corrected_sample_line_is_named_but_http_headers_are_not(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " ```python",
        "-response = client.jobs.list_events(job_id, limit=10)",
        "+response = client.jobs.checkpoints.list(job_id)",
        "-Server: Microsoft-IIS/10.0",
        "+Server: Kestrel",
        " ```",
    )
    summary = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/how-to/fine-tuning.md"))
    assert "checkpoints.list(job_id" in summary.explanation.en  # what differs, in the explanation
    assert summary.details and "response = client.jobs.checkpoints.list(job_id)" in " ".join(summary.details.en)  # whole, in the details
    assert "サンプルコード" in summary.explanation.ja
    said = summary.explanation.en + " ".join(summary.details.en)
    assert "Kestrel" not in said and "Microsoft-IIS" not in said


# --- the known weaknesses of the pages: headers, model versions, sample variables, repeats ---------------------

MODEL_MATRIX = hunk(
    " Intro.",
    " ",
    "-| **Region** | **o1-preview**, **2024-09-12** | **gpt-4o**, **2024-08-06** |",
    "-|:---|:---:|:---:|",
    "+| **Region** | **o3-mini**, **2025-01-31** | **o1-preview**, **2024-09-12** | **gpt-4o**, **2024-08-06** |",
    "+|:---|:---:|:---:|:---:|",
    "-| eastus | ✅ | ✅ |",
    "+| eastus | ✅ | ✅ | ✅ |",
)


def test_a_table_header_change_is_its_columns_and_a_date_after_a_model_is_its_version(summarizer: OfflineSummarizer) -> None:
    change = change_of(MODEL_MATRIX, "articles/ai-services/openai/includes/model-matrix/standard-global.md")
    facts = rank_facts(change)
    assert (facts[0].kind, facts[0].items) == ("model", ["o3-mini (2025-01-31)"])
    assert all(fact.kind not in ("api_version", "row") for fact in facts), facts
    summary = summarizer.summarize_file(change)
    assert summary.title.en == "Adds model o3-mini (2025-01-31)"
    assert summary.title.ja == "モデル o3-mini (2025-01-31) を追加"
    for text in (summary.title.en, summary.explanation.en, summary.title.ja, summary.explanation.ja):
        assert "Region" not in text and "API version" not in text and "API バージョン" not in text
        assert "o1-preview" not in text  # a column on both sides is no change


def test_a_header_that_gains_a_plain_column_says_so() -> None:
    patch = hunk(
        "-| Region | Authoring |",
        "+| Region | Authoring | Prediction |",
        " |---|---|",
        " | East US | ✓ |",
    )
    facts = rank_facts(change_of(patch))
    assert [(fact.kind, fact.action, fact.items) for fact in facts if fact.kind in ("table_column", "row")] == [("table_column", "added", ["Prediction"])]


def test_an_api_version_named_as_one_stays_an_api_version() -> None:
    patch = hunk(
        "-Use `api-version=2024-10-21` with `gpt-4o`.",
        "+Use `api-version=2025-04-01-preview` with `gpt-4o`.",
    )
    facts = rank_facts(change_of(patch, "articles/ai-services/openai/reference.md"))
    assert (facts[0].kind, facts[0].old, facts[0].new) == ("api_version", "2024-10-21", "2025-04-01-preview")


SAMPLE_CODE = hunk(
    " ```csharp",
    "-var yourEndpoint = Environment.GetEnvironmentVariable(\"X\");",
    "+var speechFilePath = Path.Combine(dir, \"out.mp3\");",
    "+client.Speak(text, voiceName: \"alloy\");",
    " ```",
    " ```json",
    "+{ \"reasoning_effort\": \"low\" }",
    " ```",
)


def test_a_variable_of_sample_code_is_no_parameter_but_a_field_it_sets_is(summarizer: OfflineSummarizer) -> None:
    change = change_of(SAMPLE_CODE, "articles/ai-services/openai/includes/tts-dotnet.md")
    kinds = {item: fact.kind for fact in rank_facts(change) for item in fact.items}
    assert kinds["speechFilePath"] == "sample_name" and kinds["yourEndpoint"] == "sample_name"
    assert kinds["reasoning_effort"] == "parameter" and kinds["voiceName"] == "parameter"
    summary = summarizer.summarize_file(change)
    for text in (summary.title.en, summary.explanation.en):
        assert "parameter speechFilePath" not in text and "parameters speechFilePath" not in text
    assert "sample code now uses speechFilePath" in summary.explanation.en
    assert "サンプルコードに speechFilePath を追加" in summary.explanation.ja


def test_an_import_swap_names_the_sdk_class_and_its_package(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " ```typescript",
        '-import { LowLevelRTClient } from "rt-client";',
        '+import { OpenAIRealtimeWS } from "openai/beta/realtime/ws";',
        "+import os from \"os\";",
        " ```",
    )
    summary = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/includes/realtime-typescript.md"))
    assert summary.title.en == "Sample code imports OpenAIRealtimeWS instead of LowLevelRTClient (rt-client)"  # the whole one is 102 characters
    assert "OpenAIRealtimeWS (openai/beta/realtime/ws)" in summary.explanation.en
    assert "LowLevelRTClient (rt-client)" in summary.explanation.en and "LowLevelRTClient (rt-client)" in summary.explanation.ja
    assert " os " not in summary.explanation.en  # a language's own module is no SDK


def test_an_explanation_names_each_item_once(summarizer: OfflineSummarizer) -> None:
    change = change_of(MODEL_MATRIX, "articles/ai-services/openai/includes/model-matrix/standard-global.md")
    for text in (summarizer.summarize_file(change).explanation.en, summarizer.summarize_file(change).explanation.ja):
        assert text.count("2025-01-31") == 1, text  # the fact (what it means is not said by repeating it)
    patch = hunk("+Prerequisites:", "+", "+- `Azure.AI.OpenAI`", "+- Use the `Azure.AI.OpenAI` package.")
    explanation = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/x.md")).explanation.en
    assert explanation.count("“Azure.AI.OpenAI”") + explanation.count("Azure.AI.OpenAI;") <= 1, explanation


def test_a_link_is_named_by_its_words_and_an_inserted_word_by_what_it_qualifies(summarizer: OfflineSummarizer) -> None:
    link = hunk("+See the [Azure AI Inference package for JavaScript](https://github.com/Azure/azure-sdk-for-js/tree/main/sdk/ai/samples).")
    assert "Azure AI Inference package for JavaScript" in summarizer.summarize_file(change_of(link)).title.en
    generic = hunk("+For more, see [here](https://learn.microsoft.com/azure/search/indexers/create).")
    assert [fact.rows for fact in rank_facts(change_of(generic)) if fact.kind == "link"] == [["indexers/create"]]  # "here" names nothing
    in_row = hunk("| Package | Language | Samples |", "|---|---|---|", "+| Azure AI Inference package for JavaScript | JavaScript | [Link](https://github.com/Azure/sdk/ai-inference-rest/samples) |")
    assert [fact.rows for fact in rank_facts(change_of(in_row)) if fact.kind == "link"] == [["Azure AI Inference package for JavaScript (ai-inference-rest/samples)"]]
    word = hunk("-Delete the service in the portal to stop billing.", "+Delete the service in the Azure portal to stop billing.")
    title = summarizer.summarize_file(change_of(word)).title.en
    assert "Azure portal" in title, title


def test_a_toc_names_its_entries_and_metadata_its_shown_value(summarizer: OfflineSummarizer) -> None:
    toc = hunk("   - name: Vector indexes", "-    - name: Build and consume vector indexes (Code)", "-      href: how-to/develop/index-build-consume-sdk.md")
    summary = summarizer.summarize_file(change_of(toc, "articles/ai-studio/toc.yml"))
    assert summary.title.en == "Table of contents: removes entry “Build and consume vector indexes (Code)”"
    assert summary.title.ja == "目次の更新: 項目「Build and consume vector indexes (Code)」を削除"
    meta = "@@ -1,4 +1,4 @@\n ---\n title: Model benchmarks\n-titleSuffix: Azure AI Studio\n+titleSuffix: Azure AI Foundry\n ---"
    summary = summarizer.summarize_file(change_of(meta, "articles/ai-studio/concepts/model-benchmarks.md"))
    assert summary.title.en == "Metadata: titleSuffix changed from “Azure AI Studio” to “Azure AI Foundry”"
    assert summary.title.ja == "メタデータ: titleSuffix を「Azure AI Studio」から「Azure AI Foundry」に変更"
    date_only = "@@ -1,3 +1,3 @@\n ---\n-ms.date: 01/01/2025\n+ms.date: 02/01/2025\n ---"
    assert summarizer.summarize_file(change_of(date_only, "articles/ai-studio/concepts/x.md")).title.en.startswith("Metadata update")


def test_what_a_removed_section_held_ranks_after_the_section(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " ## Conversational language understanding",
        " ",
        " Available in East US.",
        "-",
        "-## Custom sentiment analysis",
        "-",
        "-| Region | Authoring |",
        "-|---|---|",
        "-| Brazil South | ✓ |",
        "-| Canada Central | ✓ |",
    )
    summary = summarizer.summarize_file(change_of(patch, "articles/ai-services/language-service/concepts/regional-support.md"))
    assert summary.title.en.startswith("Removes section “Custom sentiment analysis”"), summary.title.en
    assert "Brazil South" not in summary.explanation.en  # the section's removal is the news
    assert summary.modification_type == "breaking change"
    assert "If you followed “Custom sentiment analysis”, read the page again: that section is gone." in summary.explanation.en
    assert "このセクションは削除されました。" in summary.explanation.ja
    assert summary.details and "Brazil South" in " ".join(summary.details.en)  # still named, in the details


def test_a_new_article_whose_heading_would_be_cut_is_titled_by_its_shorter_front_matter_title(summarizer: OfflineSummarizer) -> None:
    patch = "@@ -0,0 +1,6 @@\n+---\n+title: Cloud evaluation with Azure AI Projects SDK\n+---\n+# Evaluate your Generative AI application on the cloud with Azure AI Projects SDK (preview)\n+\n+Steps."
    summary = summarizer.summarize_file(change_of(patch, "articles/ai-studio/how-to/develop/cloud-evaluation.md", "added"))
    assert summary.title.en == "New article: Cloud evaluation with Azure AI Projects SDK"
    assert summary.title.ja == "新しい記事: Cloud evaluation with Azure AI Projects SDK"


def test_the_same_sample_line_changed_in_two_tabs_is_told_once(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " ```javascript",
        '-const apiVersion = "2024-07-01";',
        '+const apiVersion = process.env.OPENAI_API_VERSION || "2024-07-01";',
        " ```",
        " ```typescript",
        '-const apiVersion = "2024-07-01";',
        '+const apiVersion = process.env.OPENAI_API_VERSION || "2024-07-01";',
        " ```",
    )
    explanation = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/includes/dall-e-typescript.md")).explanation.en
    assert explanation.count("OPENAI_API_VERSION") == 1, explanation


def test_a_long_metadata_value_is_cut_to_fit_the_title(summarizer: OfflineSummarizer) -> None:
    meta = ("@@ -1,3 +1,3 @@\n ---\n-title: Azure OpenAI o1 series reasoning models for complex problem solving\n"
            "+title: Azure OpenAI reasoning models - o3-mini, o1, o1-mini for complex problem solving\n ---")
    title = summarizer.summarize_file(change_of(meta, "articles/ai-services/openai/how-to/reasoning.md")).title
    assert title.en.startswith("Metadata: title changed from “Azure OpenAI o1 series")
    assert len(title.en) <= 90 and display_width(title.ja) <= 100, title
    meta = meta.replace("title:", "description:")
    title = summarizer.summarize_file(change_of(meta, "articles/ai-services/openai/how-to/reasoning.md")).title
    assert title.en.startswith("Metadata: description changed") and len(title.en) <= 90 and display_width(title.ja) <= 100, title


def test_a_badge_link_is_named_by_its_image_words_and_a_member_call_by_its_own_name() -> None:
    from digest.summarize.rank import differing_middle

    badge = hunk("+[![Deploy to Azure](https://aka.ms/deploytoazurebutton)](https://go.microsoft.com/fwlink/?linkid=2300401)")
    rows = [fact.rows for fact in rank_facts(change_of(badge)) if fact.kind == "link"]
    assert any("Deploy to Azure (fwlink)" in names for names in rows), rows
    assert differing_middle("line.getBoundingPolygon().toString();", "line.getPolygon().toString();") == ("getBoundingPolygon", "getPolygon")
    assert differing_middle("pip install x==1.0.0-beta.2", "pip install x==1.0.0-beta.4") == ("1.0.0-beta.2", "1.0.0-beta.4")


def test_a_long_top_fact_is_cut_to_fit_but_an_old_new_pair_keeps_its_words(summarizer: OfflineSummarizer) -> None:
    swap = hunk(
        " ```typescript",
        '-import { LowLevelRTClient } from "rt-client";',
        '+import { OpenAIRealtimeWS } from "openai/beta/realtime/ws";',
        " ```",
    )
    title = summarizer.summarize_file(change_of(swap, "articles/ai-services/openai/includes/realtime-typescript.md")).title
    assert "OpenAIRealtimeWS" in title.en and "rt-client" in title.en and len(title.en) <= 90, title
    toc = hunk("   - name: Indexes", *[f"+    - name: Indexing and enrichment pipelines part {n}" for n in range(4)])
    title = summarizer.summarize_file(change_of(toc, "articles/search/toc.yml")).title
    assert len(title.en) <= 90 and display_width(title.ja) <= 100, title


def test_a_placeholder_in_a_sample_the_parser_took_for_prose_is_no_parameter() -> None:
    patch = hunk(
        "         // the hunk opens inside the sample",
        '-        const endpoint: string = process.env["AZURE_OPENAI_ENDPOINT"] || "yourEndpoint";',
        '+        const endpoint: string = process.env["AZURE_OPENAI_ENDPOINT"];',
    )
    kinds = {item: fact.kind for fact in rank_facts(change_of(patch, "articles/ai-services/openai/includes/realtime-typescript.md")) for item in fact.items}
    assert kinds.get("yourEndpoint") in (None, "sample_name"), kinds


def test_a_bulk_edit_of_link_targets_and_a_long_url_edit_are_plain_titles_that_fit(summarizer: OfflineSummarizer) -> None:
    from digest.classify import mark_bulk

    line = "See the [create indexer](/rest/api/searchservice/{}) reference."
    patch = hunk("-" + line.format("create-indexer"), "+" + line.format("indexers/create"))
    changes = mark_bulk([change_of(patch, f"articles/search/page-{n}.md") for n in range(6)])
    assert changes[0].noise == "bulk"
    title = summarizer.summarize_file(changes[0]).title
    for text in (title.en, title.ja):
        assert not has_markup(text) and "](" not in text and len(text) <= 90, text
    url = "https://github.com/Azure-Samples/document-intelligence-code-samples/blob/main/schema/{}/business-card.md"
    patch = hunk(f"-Read the schema at {url.format('2023-07-31')} for details.", f"+Read the schema at {url.format('2024-11-30')} for details.")
    title = summarizer.summarize_file(change_of(patch, "articles/ai-services/document-intelligence/toc.yml")).title
    assert len(title.en) <= 90 and display_width(title.ja) <= 100, title


def test_a_long_bulk_edit_quotes_what_differs_and_no_emphasis_remnant() -> None:
    from digest.summarize.offline import quote_pair

    url = "https://[service name].search.windows.net/indexers?api-version={}"
    assert quote_pair(url.format("2024-07-01"), url.format("2025-09-01"), 30) == ("…api-version=2024-07-01", "…api-version=2025-09-01")
    assert quote_pair("Import and vectorize", "**Import", 30) == ("Import and vectorize", "Import")
    same_tail = "See the [model inference API](../../ai-foundry/{}/reference/reference-model-inference-api.md)."
    assert quote_pair(same_tail.format("model-inference"), same_tail.format("foundry-models"), 30) == ("model-inference", "foundry-models")


def test_an_added_model_is_named_with_the_version_its_line_gives_though_the_page_had_that_version() -> None:
    patch = hunk(" | Model | Caching |", " |---|---|", "-| gpt-4o (version 2024-12-17) | No |", "+| gpt-4o (version 2024-12-17) | Yes |", "+| `o1` (version 2024-12-17) | Yes |")
    assert [fact.items for fact in rank_facts(change_of(patch)) if fact.kind == "model"] == [["o1 (2024-12-17)"]]


def test_the_story_names_a_model_once_with_its_version_when_one_file_gives_it() -> None:
    from digest.summarize.story import _without_bare_duplicates

    names = ["gpt-4o-mini-realtime-preview", "gpt-4o-mini-realtime-preview (2024-12-17)", "o1"]
    assert _without_bare_duplicates(names) == ["gpt-4o-mini-realtime-preview (2024-12-17)", "o1"]


def test_cells_of_a_table_row_named_whole_are_not_named_again(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " Each severity level can be configured:",
        " ",
        "+| Severity filtered | Configurable for prompts | Configurable for completions | Descriptions |",
        "+|---|---|---|---|",
        "+| Low, medium, high | Yes | Yes | Strictest filtering configuration. |",
        "+| No filters | If approved<sup>1</sup> | If approved<sup>1</sup> | No content is filtered. |",
        "+",
        "+<sup>1</sup> Only approved customers can turn off content filters.",
    )
    summary = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/concepts/content-filter.md"))
    assert summary.details is not None  # the rows whole, in the details; the explanation names their key cells
    ja = summary.explanation.ja + "".join(summary.details.ja)
    en = summary.explanation.en + " ".join(summary.details.en)
    assert "「No filters, If approved 1, If approved 1, No content is filtered.」" in ja
    assert "「If approved 1」" not in ja and "「Yes」" not in ja, ja
    assert en.count("No content is filtered.") == 1, en


def test_a_date_inside_a_model_version_is_no_api_version_and_a_placeholder_is_no_parameter() -> None:
    patch = hunk(
        " Supported models:",
        " ",
        "+- gpt-4 (turbo-2024-04-09)",
        "+- gpt-4o (2024-05-13)",
        "+",
        "+Connect with `mongodb+srv://{user_name}:{password}@{endpoint}/?appName={application_name}`.",
    )
    facts = rank_facts(change_of(patch, "articles/ai-services/openai/concepts/use-your-data.md"))
    kinds = {item: fact.kind for fact in facts for item in fact.items + [fact.old, fact.new] if item}
    assert "api_version" not in {fact.kind for fact in facts}, kinds  # 2024-04-09 is only the end of turbo-2024-04-09
    assert kinds.get("user_name") is None and kinds.get("application_name") is None, kinds  # values to fill in
    assert kinds.get("appName") == "parameter", kinds  # a query parameter the string sets


def test_a_bug_fix_names_what_it_corrects_first(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " ```json",
        " {",
        '-    "rerankerThreshold " : 2.5,',
        '+    "rerankerThreshold" : 2.5,',
        '     "maxDocsForReranker": 50',
        " }",
        " ```",
        " ",
        "+## Use the results",
        "+",
        "+Read the `references` array of the response for the grounding data.",
    )
    change = change_of(patch, "articles/search/agentic-retrieval-how-to-retrieve.md")
    assert change.modification_type == "bug fix"
    top = rank_facts(change)[0]
    # the setting's whole line without its trailing comma, its own quotes kept (a stray one would misquote it)
    assert (top.kind, top.old, top.new) == ("code", '"rerankerThreshold " : 2.5', '"rerankerThreshold" : 2.5')
    title = summarizer.summarize_file(change).title.en
    assert '"rerankerThreshold ": 2.5 to "rerankerThreshold": 2.5' in title, title


def test_a_title_keeps_the_quote_pairs_of_what_it_quotes_and_drops_a_stray_one() -> None:
    assert title_quote('"boost": -2.0', 90) == '"boost": -2.0'
    assert title_quote('"Bring your own capacity" skills', 90) == '"Bring your own capacity" skills'
    assert title_quote('"whole quotation"', 90) == "whole quotation"  # the title quotes it itself
    assert title_quote('"I\'ve', 90) == "I've"  # cut inside a quotation


def test_a_model_version_is_named_with_its_model_when_the_model_stays(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " | Model | Version |",
        " |---|---|",
        "-| gpt-4o-realtime-preview | 2024-10-01 |",
        " | gpt-4o-realtime-preview | 2024-12-17 |",
    )
    change = change_of(patch, "articles/ai-services/openai/how-to/realtime-audio.md")
    title = summarizer.summarize_file(change)
    assert "gpt-4o-realtime-preview (2024-10-01)" in title.title.en, title.title.en
    assert "gpt-4o-realtime-preview (2024-10-01)" in title.title.ja, title.title.ja
    assert "model version 2024-10-01" not in title.title.en


def test_a_removed_page_whose_title_would_be_cut_is_named_without_its_page_kind(summarizer: OfflineSummarizer) -> None:
    long_title = "Quickstart: Use Azure OpenAI Assistants (Preview) via the Azure OpenAI Studio"
    patch = "@@ -1,4 +0,0 @@\n----\n-title: '" + long_title + "'\n----\n-Sign in to the studio and open the playground."
    change = change_of(patch, "articles/ai-services/openai/includes/assistants-studio.md", status="removed")
    title = summarizer.summarize_file(change).title.en
    assert title == "Include file removed: Use Azure OpenAI Assistants (Preview) via the Azure OpenAI Studio", title
    short = "@@ -1,4 +0,0 @@\n----\n-title: 'Quickstart: Use the Assistants API'\n----\n-Call the API."
    assert "Quickstart: Use the Assistants API" in summarizer.summarize_file(change_of(short, "articles/ai-services/openai/includes/a.md", status="removed")).title.en


def test_region_names_match_whole_and_longest_first() -> None:
    text = "Now in East US 2, East US, West Central US and eastus2; not in NortheastUS or East USA or westeurope2."
    assert REGION.findall(text) == ["East US 2", "East US", "West Central US", "eastus2"]


def test_an_explanation_tells_the_top_facts_and_the_details_hold_the_rest(summarizer: OfflineSummarizer) -> None:
    """Issue 11, item 3: one to three sentences of what changed; web addresses and a removed section's parts
    are not the news; every further fact still named, one line each, in the folded details."""
    patch = hunk(
        " Intro.",
        "-## Prerequisites",
        "-",
        "-+ An Azure AI Search service. [Create a service](../../search-create-service-portal.md) if you don't have one.",
        "-  In the **Overview** section, copy the URL. An example endpoint might look like `https://mydemo.search.windows.net`.",
        "-  In the **Settings** > **Keys** section, copy an admin key.",
        "-",
        " ## Create an index",
        "-This quickstart uses 4 hotels.",
        "+This quickstart uses four hotels.",
        "+Use the `Azure.Search.Documents` client library, version `11.6.0`.",
        "+Set `AZURE_SEARCH_ENDPOINT` and `AZURE_SEARCH_KEY` in your environment.",
    )
    summary = summarizer.summarize_file(change_of(patch, "articles/search/includes/quickstarts/full-text-intro.md"))
    for lang in ("en", "ja"):
        title = getattr(summary.title, lang)
        assert "mydemo" not in title and "Overview" not in title, title
        explanation = getattr(summary.explanation, lang)
        assert "mydemo" not in explanation and "Settings" not in explanation, explanation
        assert len(re.findall(r"[.。](?:\s|$)", explanation)) <= 3, explanation
    assert "Prerequisites" in summary.title.en
    assert summary.details is not None
    details = " ".join(summary.details.en)
    assert "https://mydemo.search.windows.net" in details and "Settings" in details
    assert len(summary.details.ja) == len(summary.details.en) and all(line.endswith("。") for line in summary.details.ja)


def test_a_link_that_keeps_its_words_and_changes_its_target_is_said_to_be_retargeted(summarizer: OfflineSummarizer) -> None:
    """Task i11t (c): not "1 link added: Code of Conduct (…)" but the link corrected, old and new target named."""
    patch = hunk(
        " Read the terms.",
        "-Customers must follow the [Code of Conduct](/legal/cognitive-services/openai/code-of-conduct).",
        "+Customers must follow the [Code of Conduct](/legal/ai-code-of-conduct).",
    )
    change = change_of(patch, "articles/ai-services/openai/includes/content-filter-configurability.md")
    summary = summarizer.summarize_file(change)
    if change.modification_type == "bug fix":
        assert summary.title.en == "Link “Code of Conduct” corrected to legal/ai-code-of-conduct (was openai/code-of-conduct)", summary.title.en
        assert "に修正" in summary.title.ja
    else:
        assert summary.title.en == "Link “Code of Conduct” retargeted to legal/ai-code-of-conduct (was openai/code-of-conduct)", summary.title.en
        assert "に変更" in summary.title.ja
    assert "added" not in summary.title.en and "追加" not in summary.title.ja
    assert summary.details and "/legal/cognitive-services/openai/code-of-conduct" in summary.details.en[0]  # whole, in the details
    (fact,) = [fact for fact in rank_facts(change) if fact.kind == "link"]
    assert (fact.action, fact.old, fact.new) == ("changed", "/legal/cognitive-services/openai/code-of-conduct", "/legal/ai-code-of-conduct")


def test_links_with_other_words_are_not_a_retarget() -> None:
    patch = hunk(
        "-See [Quotas](../quotas.md).",
        "+See [Limits](../limits.md).",
    )
    kinds = [(fact.kind, fact.action) for fact in rank_facts(change_of(patch)) if fact.kind == "link"]
    assert kinds == [("link", "added"), ("link", "removed")]


# --- the Insight ties related changes of the day together (task i11t (b)) -------------------------------------

PREREQUISITES_OUT = hunk(
    " Intro.",
    "-## Prerequisites",
    "-",
    "-+ In the **Overview** section, copy the URL.",
    "-+ In the **Settings** > **Keys** section, copy an admin key.",
)
PREREQUISITES_IN = hunk(
    "+---",
    "+ms.topic: include",
    "+---",
    "+#### [API key](#tab/api-key)",
    "+",
    "+Select **Overview**, then **Settings** > **Keys** to find the key.",
)


def test_a_section_taken_out_and_held_by_a_new_include_of_the_day_is_said_to_have_moved(summarizer: OfflineSummarizer) -> None:
    out = change_of(PREREQUISITES_OUT, "articles/search/includes/quickstarts/full-text-intro.md")
    into = change_of(PREREQUISITES_IN, "articles/search/includes/resource-authentication.md", "added")
    page = page_of(summarizer, [out, into])
    assert "The “Prerequisites” section of full-text-intro.md moved into the new include resource-authentication.md" in page.en.insight, page.en.insight
    assert "full-text-intro.md の「Prerequisites」セクションは、新しいインクルードファイル resource-authentication.md に移されました" in page.ja.insight
    assert "Nothing to act on" not in page.en.insight and "largest edit" not in page.en.insight
    alone = page_of(summarizer, [out])  # no new file holds it: nothing moved
    assert "moved into" not in alone.en.insight and "移されました" not in alone.ja.insight


def test_the_same_edit_in_several_files_is_told_once_with_the_files(summarizer: OfflineSummarizer) -> None:
    edit = hunk(" Intro.", "+For more information, see [Use Azure OpenAI without keys](/azure/developer/ai/keyless-connections).")
    changes = [change_of(edit, f"articles/ai-services/openai/includes/language-overview/{name}.md") for name in ("go", "java")]
    page = page_of(summarizer, changes)
    # the Highlight names the edit once with its files; the Insight ties the files without repeating it
    assert "(2 files: go.md, java.md)" in page.en.highlight and "（2 ファイル: go.md、java.md）" in page.ja.highlight, page.en.highlight
    assert "The same edit in 2 files (go.md, java.md)." in page.en.insight, page.en.insight
    assert "2 ファイルに同じ編集があります（go.md、java.md）。" in page.ja.insight, page.ja.insight


def test_a_day_without_actions_says_what_kind_of_edits_it_made_and_a_routine_day_which_routine(summarizer: OfflineSummarizer) -> None:
    wording = change_of(hunk("-You can use a index.", "+You can use an index."), "articles/ai-services/language-service/faq.md")
    page = page_of(summarizer, [wording])
    assert page.en.insight == "Nothing here changes how you use the service: wording edits (faq.md).", page.en.insight
    assert page.ja.insight == "使い方に影響する変更はありません: 文言の修正（faq.md）。", page.ja.insight
    date_only = change_of("@@ -1,3 +1,3 @@\n ---\n-ms.date: 01/01/2025\n+ms.date: 02/01/2025\n ---", "articles/ai-services/language-service/faq.md")
    routine = page_of(summarizer, [date_only])
    assert routine.en.insight.startswith("Only routine changes, nothing to act on (metadata"), routine.en.insight
    assert routine.ja.insight.startswith("定型的な変更のみで、対応は不要です（メタデータ"), routine.ja.insight


def test_models_removed_say_what_to_do(summarizer: OfflineSummarizer) -> None:
    patch = hunk(
        " | Model | Regions |",
        " |---|---|",
        " | gpt-4o | East US |",
        "-| dall-e-2 | East US |",
    )
    page = page_of(summarizer, [change_of(patch, "articles/ai-services/openai/concepts/models.md")])
    assert "Models removed: dall-e-2. If you deploy them, plan a move to a model the page still lists." in page.en.insight, page.en.insight
    assert "削除されたモデルは dall-e-2 です。デプロイしている場合は、ページに記載が残るモデルへの移行を計画してください。" in page.ja.insight


def test_the_page_prompt_carries_the_ties_of_the_day(summarizer: OfflineSummarizer) -> None:
    from digest.summarize.prompts import PromptBuilder

    changes = [
        change_of(PREREQUISITES_OUT, "articles/search/includes/quickstarts/full-text-intro.md"),
        change_of(PREREQUISITES_IN, "articles/search/includes/resource-authentication.md", "added"),
    ]
    files = [SummarizedFile(c, s) for c, s in zip(changes, summarizer.summarize_files(changes), strict=True)]
    _system, user = PromptBuilder(TEMPLATES, diff_tokens=2000).page_messages(PageInput(dt.date(2025, 2, 3), "search", AreaName(ja="Search", en="Search"), files))
    assert "- moved into a new file: Prerequisites of full-text-intro.md -> resource-authentication.md (both name: Overview, Settings, Keys)" in user["content"], user["content"]


def test_phrases_in_a_row_that_add_say_the_verb_once() -> None:
    from digest.summarize.explain import joined

    assert joined("en", ["Adds model sora", "Adds regions East US 2", "“4,000” changed to “8,000”"]) == "Adds model sora; regions East US 2; “4,000” changed to “8,000”"
    assert joined("en", ["Removes section “A”", "Adds parameter b"]) == "Removes section “A”; Adds parameter b"
    assert joined("ja", ["モデル sora を追加", "リージョン East US 2 を追加"]) == "モデル sora、リージョン East US 2 を追加"
    # a Japanese phrase that does not name its kind first would read as one more item of the list before it
    assert joined("ja", ["モデル sora を追加", "「4,000」を追加"]) == "モデル sora を追加、「4,000」を追加"
    # nor may a kind follow a phrase that does not start with one ("import から …" would take the section too)
    assert joined("ja", ["サンプルコードの import から openai を削除", "セクション「DALL-E 3」を削除"]) == "サンプルコードの import から openai を削除、セクション「DALL-E 3」を削除"


def test_an_include_without_a_title_is_named_by_what_its_path_says_unless_its_facts_say_it(summarizer: OfflineSummarizer) -> None:
    from digest.docsrepo.paths import include_topic

    assert include_topic("articles/x/includes/language-studio/test-model.md") == "language studio test model"
    assert include_topic("articles/search/includes/quickstarts/full-text-intro.md") == "full text intro"
    assert include_topic("articles/search/overview.md") == ""
    removed = hunk("-To test your model, select **Run the test** in the portal.", "-", "-Then select **View results**.")
    path = "articles/ai-services/language-service/orchestration-workflow/includes/language-studio/test-model.md"
    summary = summarizer.summarize_file(change_of(removed.replace("@@ -1,", "@@ -1,").replace("+1,", "+0,"), path, "removed"))
    assert summary.title.en.startswith("Include file removed “language studio test model”: "), summary.title.en
    assert summary.title.ja.startswith("インクルードファイルの削除「language studio test model」: "), summary.title.ja
    said = hunk("-## Swap deployments", "-", "-Select **Swap deployments** in **Language Studio** to swap.")
    summary = summarizer.summarize_file(change_of(said, path.replace("test-model", "swap-deployments"), "removed"))
    assert summary.title.en.startswith("Include file removed: Removes section “Swap deployments”"), summary.title.en  # its facts say it
    assert summary.title.ja.startswith("インクルードファイルの削除: "), summary.title.ja


def test_a_region_named_in_both_forms_is_named_once_in_a_title(summarizer: OfflineSummarizer) -> None:
    patch = hunk(" | Model | Region |", " |---|---|", "+| sora | East US 2 |", "+", "+Set `location` to `eastus2`, for example `eastus2`.")
    summary = summarizer.summarize_file(change_of(patch, "articles/ai-services/openai/concepts/models.md"))
    assert "East US 2" in summary.title.en and "eastus2" not in summary.title.en, summary.title.en


def test_a_kept_page_that_drops_its_preview_notice_says_so_not_which_include_went(summarizer: OfflineSummarizer) -> None:
    removed = change_of(hunk(
        " # Fine-tune models",
        " ",
        "-[!INCLUDE [feature preview](../includes/feature-preview.md)]",
        "-",
        " Fine-tuning lets you customize a model.",
    ), path="articles/ai-studio/how-to/fine-tune.md")
    summary = summarizer.summarize_file(removed)
    assert summary.title.en == "Preview note removed (feature-preview.md)"
    assert summary.title.ja == "プレビューの表記を削除（feature-preview.md）"
    assert "includes" not in summary.explanation.en.casefold()
    added = summarizer.summarize_file(change_of(hunk(
        " # Distillation",
        "+[!INCLUDE [preview notice](includes/preview-notice.md)]",
        " Distillation trains a smaller model.",
    ), path="articles/ai-studio/how-to/distillation.md"))
    assert added.title.en == "Preview note added (preview-notice.md)"
    assert added.title.ja == "プレビューの表記を追加（preview-notice.md）"
    # a notice added with new content: the content is the news, the notice comes after it
    with_section = rank_facts(change_of(hunk(
        " # Roles",
        "+## Azure AI Administrator role",
        "+[!INCLUDE [preview](../includes/feature-preview.md)]",
        "+Hubs created after November 19, 2024 get the Azure AI Administrator role.",
    ), path="articles/ai-studio/concepts/rbac.md"))
    kinds = [fact.kind for fact in with_section]
    assert "preview" in kinds and kinds.index("section") < kinds.index("preview")
    # a notice swapped for another, or one that a new page holds, is no news of its own
    swapped = rank_facts(change_of(hunk(
        "-[!INCLUDE [preview](../includes/feature-preview.md)]",
        "+[!INCLUDE [preview](../includes/preview-notice.md)]",
    )))
    assert not [fact for fact in swapped if fact.kind == "preview"]
    new_page = rank_facts(change_of(hunk(
        "+# Distillation", "+[!INCLUDE [preview](includes/preview-notice.md)]", "+Distillation trains a smaller model.",
    ), status="added"))
    assert not [fact for fact in new_page if fact.kind == "preview"]


def test_a_word_after_a_json_escape_is_no_name_of_the_sample() -> None:
    facts = rank_facts(change_of(hunk(
        " ```json",
        '+  "content": "Ensemble methods combine models.\\n\\nThese methods reduce variance with my_model_name.",',
        " ```",
    )))
    named = [item for fact in facts for item in fact.items]
    assert "nThese" not in named and "nnThese" not in named


def test_both_languages_title_a_file_by_the_same_quoted_items(summarizer: OfflineSummarizer) -> None:
    from .conftest import CORPUS, read_jsonl

    differing = []
    records = [r for r in read_jsonl(CORPUS / "dev-files.jsonl")[:1500] if r["patch"]]
    for record in records:
        change = change_of(record["patch"], record["path"], record["status"] if record["status"] != "renamed" else "modified")
        if change.noise != "none":
            continue
        title = summarizer.summarize_file(change).title
        if set(re.findall(r"「([^」]*)」", title.ja)) != set(re.findall(r"“([^”]*)”", title.en)):
            differing.append((record["id"], title.en, title.ja))
    # each language has its own width; both titles still quote the same things
    assert len(records) > 1000 and not differing, differing[:5]


def test_a_model_the_unchanged_lines_still_name_is_not_removed(summarizer: OfflineSummarizer) -> None:
    change = change_of(hunk(
        " Currently only `gpt-4o-audio-preview` and `gpt-4o-mini-audio-preview` support audio generation.",
        " ",
        "-The `gpt-4o-audio-preview` and `gpt-4o-mini-audio-preview` models are available in East US 2 and Sweden Central.",
        "+For more information about region availability, see the models documentation.",
    ), path="articles/ai-services/openai/includes/audio-completions-intro.md")
    removed = [(fact.kind, item) for fact in rank_facts(change) if fact.action == "removed" for item in fact.items]
    assert not [item for kind, item in removed if kind == "model"], removed
    assert ("region", "East US 2") in removed
    assert "gpt-4o-audio-preview" not in summarizer.summarize_file(change).title.en
