"""Titles that name the change (issue 11, item 1): an image's alt text, a version moniker and a link line
added are told as what they are, not quoted as if they were the page's new content."""

from __future__ import annotations

from pathlib import Path

from digest.classify import classify
from digest.classify.areas import load_area_config
from digest.diff import parse_patch
from digest.models import ClassifiedChange
from digest.summarize import OfflineSummarizer

ROOT = Path(__file__).resolve().parent.parent
AREAS = load_area_config(ROOT / "config" / "areas.yml")


def change_of(*lines: str, path: str = "articles/ai-studio/how-to/connect.md") -> ClassifiedChange:
    minus = sum(1 for line in lines if not line.startswith("+"))
    plus = sum(1 for line in lines if not line.startswith("-"))
    return classify(parse_patch(path, "modified", f"@@ -10,{minus} +10,{plus} @@\n" + "\n".join(lines)), AREAS)


IMAGE = ':::image type="content" source="../media/models-endpoints.png" alt-text="Screenshot of the models and endpoints page to view {}." lightbox="../media/models-endpoints.png":::'


def test_an_images_alt_text_is_not_a_title(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "-1. Select the **Service deployments** tab to view the list of models.",
        "+1. Select the **Service endpoints** tab to view the list of models.",
        " ",
        "-    " + IMAGE.format("Azure AI services deployments"),
        "+    " + IMAGE.format("Azure AI services endpoints"),
    )
    title = summarizer.summarize_file(change).title
    assert "Screenshot" not in title.en and "Screenshot" not in title.ja
    assert "Service endpoints" in title.en and "Service endpoints" in title.ja


def test_a_version_moniker_removed_is_told_as_one_line(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        " # Document Intelligence read model",
        "-**This content applies to:**![checkmark](../media/yes-icon.png) **v4.0 (GA)** | **Previous versions:**"
        " ![blue-checkmark](../media/blue-yes-icon.png) [**v3.1 (GA)**](?view=doc-intel-3.1.0)",
        "-",
        " The read model extracts printed and handwritten text.",
        path="articles/ai-services/document-intelligence/prebuilt/read.md",
    )
    title = summarizer.summarize_file(change).title
    assert title.en.startswith("Version note removed: “This content applies to: v4.0 (GA)")
    assert "checkmark" not in title.en and "“v4.0 (GA)”" not in title.en and "link" not in title.en and "image" not in title.en
    assert "This content applies to: v4.0 (GA)" in title.ja and title.ja.startswith("バージョン注記「") and title.ja.endswith("」を削除")


MONIKER = (
    "**This content applies to:**![checkmark](../media/yes-icon.png) **v4.0 (GA)** | **Previous versions:**"
    " ![blue-checkmark](../media/blue-yes-icon.png) [**v3.1 (GA)**](?view=doc-intel-3.1.0)"
)


def test_a_version_moniker_is_not_the_news_when_anything_else_changed(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        " # Document Intelligence read model",
        "-" + MONIKER,
        "-",
        " The read model extracts printed and handwritten text.",
        "+[!INCLUDE [read languages](../includes/read-languages.md)]",
        path="articles/ai-services/document-intelligence/prebuilt/read.md",
    )
    title = summarizer.summarize_file(change).title
    assert "applies to" not in title.en and "applies to" not in title.ja
    assert "read-languages.md" in title.en and "read-languages.md" in title.ja


def test_a_repeated_version_moniker_removed_says_so(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        " " + MONIKER,
        " ",
        "-" + MONIKER,
        "-",
        " The read model extracts printed and handwritten text.",
        path="articles/ai-services/document-intelligence/prebuilt/read.md",
    )
    title = summarizer.summarize_file(change).title
    assert title.en.startswith("Repeated version note removed: “This content applies to: v4.0 (GA)")
    assert title.ja.startswith("重複したバージョン注記「This content applies to: v4.0 (GA)")
    assert "link" not in title.en and "image" not in title.en


def test_a_link_added_is_named_as_a_link(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        " ChatClient chatClient = azureClient.GetChatClient();",
        "+",
        '+For more information, see the "[Get started with the Azure OpenAI security building block](/azure/developer/ai/get-started)" article.',
        " ",
        path="articles/ai-services/openai/includes/language-overview/dotnet.md",
    )
    title = summarizer.summarize_file(change).title
    assert title.en == "1 link added: Get started with the Azure OpenAI security building block"
    assert title.ja == "リンク 1 件を追加: Get started with the Azure OpenAI security building block"


def test_an_include_files_title_names_its_topic_when_there_is_room(summarizer: OfflineSummarizer) -> None:
    patch = "@@ -0,0 +1,3 @@\n+# Command Line\n+\n+Open a command prompt in the folder of your project."
    change = classify(parse_patch("articles/ai-services/openai/includes/whisper-javascript.md", "added", patch), AREAS)
    title = summarizer.summarize_file(change).title
    assert title.en.startswith("New include file “whisper JavaScript”: Command Line")
    assert title.ja.startswith("新しいインクルードファイル「whisper JavaScript」: Command Line")


def test_a_link_within_the_page_is_named_by_its_anchor(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "-| Embeddings | [Embeddings](#embeddings-models) |",
        "+| Embeddings | [Embeddings](#embeddings) |",
        path="articles/ai-services/openai/concepts/models.md",
    )
    change = change.model_copy(update={"modification_type": "bug fix"})
    title = summarizer.summarize_file(change).title
    assert "#embeddings-models" in title.en and "#embeddings-models" in title.ja


def test_a_tab_removed_whole_leads_the_title(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "-# [OpenAI Python 1.x](#tab/python-new)",
        "+## Upload files",
        " ",
        " client.files.create(file=open(name, 'rb'))",
        " ",
        "-# [OpenAI Python 0.28.1](#tab/python)",
        "-",
        "-openai.api_version = '2024-02-01'",
        "-openai.File.create(file=open(name, 'rb'))",
        "----",
        " ",
        "-Use API version 2024-02-01 with the SDK.",
        "+Use API version 2024-10-21 with the SDK.",
        path="articles/ai-services/openai/includes/fine-tuning-python.md",
    )
    title = summarizer.summarize_file(change).title
    assert title.en.startswith("Removes tab “OpenAI Python 0.28.1”") and "1.x" not in title.en
    assert title.ja.startswith("タブ「OpenAI Python 0.28.1」を削除")
    assert "2024-10-21" in title.en and "2024-10-21" in title.ja


def test_a_tab_whose_content_stays_is_no_tab_removed(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "-# [OpenAI Python 1.x](#tab/python-new)",
        " ",
        " client.files.create(file=open(name, 'rb'))",
        " ",
        "-Use API version 2024-02-01 with the SDK.",
        "+Use API version 2024-10-21 with the SDK.",
        path="articles/ai-services/openai/includes/fine-tuning-python.md",
    )
    title = summarizer.summarize_file(change).title
    assert "tab" not in title.en and "タブ" not in title.ja


def test_a_new_include_is_named_by_its_own_title_not_its_first_heading(summarizer: OfflineSummarizer) -> None:
    patch = "@@ -0,0 +1,9 @@\n+---\n+title: Model retirement table\n+ms.topic: include\n+---\n+\n+# Text generation\n+\n+| Model | Retirement date |\n+| gpt-4o | No earlier than March 1, 2026 |"
    change = classify(parse_patch("articles/ai-services/openai/includes/retirement/models.md", "added", patch), AREAS)
    title = summarizer.summarize_file(change).title
    assert title.en.startswith("New include file: Model retirement table")
    assert title.ja.startswith("新しいインクルードファイル: Model retirement table")


def test_a_new_include_titled_include_file_is_named_by_its_heading(summarizer: OfflineSummarizer) -> None:
    patch = "@@ -0,0 +1,7 @@\n+---\n+title: include file\n+ms.topic: include\n+---\n+\n+# Text generation\n+\n"
    change = classify(parse_patch("articles/ai-services/openai/includes/retirement/models.md", "added", patch), AREAS)
    assert "Text generation" in summarizer.summarize_file(change).title.en


def test_a_name_the_page_already_said_is_not_added(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        '-There is one key type: "#Microsoft.Azure.Search.CognitiveServicesByKey", which calls the regional endpoint.',
        "+There are two key types: `#Microsoft.Azure.Search.CognitiveServicesByKey`, which calls the regional endpoint,"
        " and `AIServicesByKey`, which calls the `subdomainUrl` you give.",
        path="articles/search/cognitive-search-attach-cognitive-services.md",
    )
    title = summarizer.summarize_file(change).title
    assert "AIServicesByKey" in title.en and "AIServicesByKey" in title.ja
    assert "CognitiveServicesByKey" not in title.en and "CognitiveServicesByKey" not in title.ja


def test_a_longer_name_on_the_other_side_does_not_hide_a_version(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "-Use API version `2025-05-01-preview` for the preview.",
        "+Use API version `2025-05-01`, now generally available.",
        path="articles/search/search-security-network-security-perimeter.md",
    )
    title = summarizer.summarize_file(change).title
    assert "2025-05-01-preview" in title.en and "2025-05-01" in title.en.replace("2025-05-01-preview", "")


def test_a_bare_key_is_no_term_of_the_page(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "+  - question: |",
        "+      Can I upgrade my service?",
        "+    answer: |",
        "+      Services created before April 2024 can be **upgraded to higher capacity clusters**.",
        path="articles/search/search-faq-frequently-asked-questions.yml",
    )
    title = summarizer.summarize_file(change).title
    assert "question:" not in title.en and "question:" not in title.ja
    assert "upgraded to higher capacity clusters" in title.en and "upgraded to higher capacity clusters" in title.ja


def test_a_table_row_changed_says_which_cell_changed(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        " | Resource | Minimum tier | Cost |",
        " |---|---|---|",
        "-| Skillsets using other built-in or custom skills | S2 | None |",
        "+| Skillsets using other built-in or custom skills | Standard 1 (S1) and higher | None |",
        path="articles/search/search-limits-quotas-capacity.md",
    )
    title = summarizer.summarize_file(change).title
    assert title.en.endswith("changed: “S2” → “Standard 1 (S1) and higher”"), title.en
    assert title.ja.endswith("の「S2」を「Standard 1 (S1) and higher」に変更"), title.ja


def test_a_title_of_named_text_names_the_short_names_before_a_sentence(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "-- **When you want to use an agent to get an exact answer**: from your own content",
        "-- **exact question answering**",
        "-- **intent routing**",
        " ",
        path="articles/ai-services/language-service/question-answering/overview.md",
    )
    title = summarizer.summarize_file(change).title
    for name in ("exact question answering", "intent routing"):
        assert name in title.en and name in title.ja


def test_a_version_only_in_web_addresses_is_no_version_change(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "-> [View samples on GitHub.](https://github.com/Azure-Samples/code-samples/blob/v3.1(2023-07-31-GA)/Python/receipts.py)",
        "+For the fields, see the [receipt model schema](https://github.com/Azure-Samples/code-samples/blob/main/schema/2024-07-31-preview/receipt.md).",
        path="articles/ai-services/document-intelligence/prebuilt/receipt.md",
    )
    title = summarizer.summarize_file(change).title
    assert "API version" not in title.en and "API バージョン" not in title.ja
    assert "receipt model schema" in title.en and "receipt model schema" in title.ja


def test_the_api_version_a_sample_calls_is_a_version(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "+curl -X POST https://YOUR_RESOURCE.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        path="articles/ai-services/openai/includes/structured-outputs-rest.md",
    )
    title = summarizer.summarize_file(change).title
    assert "2024-10-21" in title.en and "2024-10-21" in title.ja


def test_japanese_sets_no_space_between_a_closing_quote_and_hoka(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "+## Create a content filter in Azure AI Foundry",
        "+## Apply a content filter",
        "+## Use a blocklist as a filter",
        path="articles/ai-studio/concepts/content-filtering.md",
    )
    title = summarizer.summarize_file(change).title
    assert "」ほか" in title.ja and "」 ほか" not in title.ja, title.ja


def test_headings_most_pages_have_are_named_after_the_others(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "+## Prerequisites",
        "+## Microsoft Entra ID prerequisites",
        "+## Retrieve resource information",
        "+## Next steps",
        path="articles/ai-services/openai/includes/text-to-speech-typescript.md",
    )
    title = summarizer.summarize_file(change).title
    assert title.en.startswith("New sections “Microsoft Entra ID prerequisites”"), title.en
    assert title.ja.startswith("セクション「Microsoft Entra ID prerequisites」"), title.ja


def test_a_section_after_the_top_fact_is_named_with_its_heading_cut_when_whole_it_would_not_fit(summarizer: OfflineSummarizer) -> None:
    from digest.summarize.offline import file_context
    from digest.summarize.rank import Fact

    context = file_context(change_of("-Old text.", "+New text.", path="articles/ai-services/openai/how-to/fine-tuning.md"))
    facts = [
        Fact("model", "added", ["gpt-4o-2024-08-06"]),
        Fact("section", "added", ["Direct preference optimization (DPO) (preview)", "Why is DPO useful?", "Dataset format", "Model support", "Next steps"]),
        Fact("parameter", "added", ["preferred_output", "non_preferred_output"]),
    ]
    title = summarizer.headline("ja", facts, context)
    assert "gpt-4o-2024-08-06" in title and "Direct preference optimization" in title, title


def added_file(*lines: str, path: str) -> ClassifiedChange:
    return classify(parse_patch(path, "added", f"@@ -0,0 +1,{len(lines)} @@\n" + "\n".join("+" + line for line in lines)), AREAS)


TABBED_INCLUDE = (
    "## Getting started",
    "",
    "# [Python (Microsoft Entra ID)](#tab/python-secure)",
    "",
    "### Output",
    "",
    "```python",
    "completion = client.beta.chat.completions.parse(",
    '    model="MODEL_DEPLOYMENT_NAME",',
    "    parallel_tool_calls=False,",
    ")",
    "```",
    "",
    "# [Python (key-based auth)](#tab/python)",
    "",
    "### Output",
    "",
    "## Function calling with structured outputs",
    "",
    "Set `parallel_tool_calls` to false to use structured outputs with function calling.",
)


def test_a_new_include_that_opens_with_tabs_is_named_by_its_topic_and_its_top_fact(summarizer: OfflineSummarizer) -> None:
    """A tab's label is no title of the include, and the sections of a new file are what it holds: the topic
    from its path and the parameter it documents lead, in both languages."""
    title = summarizer.summarize_file(added_file(*TABBED_INCLUDE, path="articles/ai-services/openai/includes/structured-outputs-python.md")).title
    assert title.en == "New include file “structured outputs Python”: Adds parameter parallel_tool_calls", title.en
    assert title.ja == "新しいインクルードファイル「structured outputs Python」: パラメーター parallel_tool_calls を追加", title.ja


def test_an_includes_topic_stays_unless_the_title_says_it(summarizer: OfflineSummarizer) -> None:
    """The topic is left out only when the facts the title names say its words, not when a fact the title
    leaves out ("and 1 more") would."""
    change = added_file(
        "---", "title: include file", "---", "",
        "## Understand harm categories", "", "Text about the harm categories.", "",
        "## Harm categories", "", "The categories are `Hate`, `Sexual`, `Violence` and `SelfHarm`.", "",
        "## Content safety severity levels", "", "Each category has four severity levels.",
        path="articles/ai-studio/includes/content-safety-harm-categories.md",
    )
    title = summarizer.summarize_file(change).title
    assert title.en.startswith("New include file “content safety harm categories”: Adds "), title.en
    assert title.ja.startswith("新しいインクルードファイル「content safety harm categories」: "), title.ja
    assert "SelfHarm" in title.en and "SelfHarm" in title.ja


def test_both_languages_name_the_same_facts_with_the_same_items(summarizer: OfflineSummarizer) -> None:
    """A fact (or an item) that fits in one language's title and not in the other's is left out of both."""
    from digest.summarize.offline import file_context
    from digest.summarize.rank import Fact

    context = file_context(change_of("-Old text.", "+New text.", path="articles/ai-services/openai/how-to/reasoning.md"))
    facts = [
        Fact("model", "added", ["o3-mini", "o1"]),
        Fact("section", "added", ["Markdown output"]),
        Fact("term", "added", ["Formatting re-enabled", "reasoning_effort parameter"]),
        Fact("region", "added", ["East US 2", "Sweden Central", "West Europe"]),
    ]
    en, ja = (summarizer.headline(lang, facts, context) for lang in ("en", "ja"))
    for item in ("o3-mini", "o1", "Markdown output", "Formatting re-enabled", "reasoning_effort parameter", "East US 2", "Sweden Central"):
        assert (item in en) == (item in ja), (item, en, ja)
    assert en.count("more") == ja.count("ほか"), (en, ja)


def test_added_sections_after_an_added_thing_share_its_verb_in_english(summarizer: OfflineSummarizer) -> None:
    from digest.summarize.explain import joined

    assert joined("en", ["Adds model o1", "New sections “Markdown output” and 1 more"]) == "Adds model o1; sections “Markdown output” and 1 more"
    assert joined("en", ["Removes model o1", "New section “Markdown output”"]) == "Removes model o1; New section “Markdown output”"


def test_a_link_to_a_packages_registry_page_names_a_package_not_a_parameter(summarizer: OfflineSummarizer) -> None:
    change = change_of(
        "+- **[Azure.AI.OpenAI](https://www.nuget.org/packages/Azure.AI.OpenAI/)**: builds on the standard"
        " [OpenAI](https://www.nuget.org/packages/OpenAI/) library dependency.",
        path="articles/ai-services/openai/includes/structured-outputs-dotnet.md",
    )
    summary = summarizer.summarize_file(change)
    assert "parameter OpenAI" not in summary.title.en + summary.explanation.en, summary.title.en
    assert "packages Azure.AI.OpenAI, OpenAI" in summary.title.en, summary.title.en
