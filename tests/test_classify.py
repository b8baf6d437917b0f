"""The classifier, clause by clause of the rubric (DESIGN.md), on real corpus snippets read by id.

Each case names a record of ../shared/corpus (gold-dev.jsonl: rubric labels; dev-files.jsonl:
records with a weak label, used here for the situations the gold set has no example of) and the
rule that must decide it. Noise kinds, service areas and bulk edits follow.
"""

from __future__ import annotations

import functools
import json

import pytest

from digest.classify.areas import AreaConfig
from digest.classify import classify, mark_bulk, occurs_whole, parse_lines
from digest.text import clip_words
from digest.hunks import parse_hunks
from digest.diff import parse_patch
from digest.models import ClassifiedChange, FileChange

from .conftest import CORPUS


@functools.lru_cache(maxsize=1)
def corpus() -> dict[str, dict]:
    """Every corpus record by id; a gold record (rubric label, key terms) wins over its dev-files twin."""
    records: dict[str, dict] = {}
    for name in ("dev-files.jsonl", "gold-dev.jsonl", "gold-dev-2.jsonl"):
        with (CORPUS / name).open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                records[record["id"]] = record
    return records


def classified(record_id: str, areas: AreaConfig) -> ClassifiedChange:
    record = corpus()[record_id]
    return classify(parse_patch(record["path"], record["status"], record["patch"]), areas)


def gold_label(record_id: str) -> str | None:
    record = corpus()[record_id]
    return record["label"] if "key_terms" in record else None


# (record id, expected type, rule that decides it); gold records must also match their rubric label
CLAUSES = [
    # breaking change: something a reader relied on stops being true
    ("d9527", "breaking change", "article-removed"),  # a published article deleted
    ("d8591", "breaking change", "retirement-announced"),  # "will be deprecated in a future phase"
    ("d3760", "breaking change", "retirement-announced"),  # a model row added to the retirements table
    ("d4626", "breaking change", "section-removed"),  # the DALL-E 2 tabs removed with their content
    ("d5989", "breaking change", "versions-removed"),  # gpt-4o-realtime-preview (2024-10-01) dropped
    ("d8468", "breaking change", "parameters-removed"),  # targetIndexParams, rerankerThreshold, ... gone
    ("d0208", "breaking change", "section-removed"),  # vision enhancement tabs removed
    ("d7741", "breaking change", "content-removed"),  # a capability bullet removed
    ("d4069", "breaking change", "content-removed"),  # two PII entities (`BENationalNumberV2`, ...) removed
    ("d4627", "breaking change", "versions-removed"),  # the DALL-E 2 (preview) entries gone from the page
    ("d0089", "breaking change", "sdk-removed"),  # @azure/openai -> openai (npm)
    ("d7993", "breaking change", "endpoint-changed"),  # api.cognitive.microsoft.com -> cognitiveservices.azure.com
    ("d5177", "breaking change", "regions-removed"),  # the canadacentral row gone from a model's region table
    # new feature: something the reader can now do or use
    ("d1380", "new feature", "article-added"),  # a new article
    ("d1379", "new feature", "article-added"),  # a new YAML (FAQ) page
    ("d3047", "new feature", "general-availability"),  # v4.0 (preview) -> v4.0 (GA)
    ("d8318", "new feature", "general-availability"),  # 2025-05-01-preview -> 2025-05-01
    ("d0610", "new feature", "general-availability"),  # the "Limited Access Public Preview" note removed
    ("d8822", "new feature", "new-version"),  # api-version 2024-07-01 -> 2025-09-01
    ("d4279", "new feature", "new-version"),  # gpt-4o-mini-audio-preview
    ("d6554", "new feature", "new-version"),  # sora, video generation models
    ("d4002", "new feature", "new-section"),  # "Enable diagnostic logging" section
    ("d0732", "new feature", "new-list-entry"),  # PII detection added to the container list
    ("d4243", "new feature", "limitation-lifted"),  # a row gone from the capacity-constrained regions
    ("d4742", "new feature", "restriction-widened"),  # a model list replaced by "available for all Azure OpenAI models"
    ("d0022", "new feature", "regions-added"),  # westus3 row added to a model's region table
    ("d0669", "new feature", "include-quickstart-added"),  # a new .NET text to speech quickstart include
    ("d0532", "breaking change", "retirement-date-moved"),  # gpt-35-turbo 1106: Nov 17, 2024 -> January 27, 2025
    ("d4071", "breaking change", "required-role-added"),  # a Network Connection Approver role must be assigned
    # bug fix: wrong information corrected
    ("d5016", "bug fix", "name-misspelling-fixed"),  # ompletion = ... -> completion = ...
    ("d1572", "bug fix", "support-matrix-corrected"),  # an O mark corrected to ✓ in a feature table
    ("d1534", "bug fix", "code-corrected"),  # pip intall -> pip install
    ("d5178", "bug fix", "code-corrected"),  # process.enV -> process.env
    ("d0133", "bug fix", "link-corrected"),  # REST reference links corrected
    ("d7061", "bug fix", "link-corrected"),  # #embeddings-models -> #embeddings
    ("d8473", "bug fix", "name-matches-page"),  # upload_documents() -> uploadDocuments(), as the JavaScript sample calls it
    # minor update: everything else
    ("d1345", "minor update", ""),  # product rename Azure OpenAI Studio -> Azure AI Studio
    ("d2045", "minor update", ""),  # AI Studio hub -> AI Foundry hub
    ("d7094", "minor update", ""),  # a table turned into a list: the same words
    ("d1499", "minor update", ""),  # sample data in a JSON string changed
    ("d2667", "minor update", ""),  # a feedback link removed: navigation, not content
    ("d6036", "minor update", ""),  # a prerequisite (a hub and a role) taken out: it asks less, nothing stops working
    ("d2678", "minor update", ""),  # a link to the page about retirements added: no retirement announced
    ("d0566", "minor update", ""),  # footnote marks moved between region rows: no region came or went
    ("d1468", "minor update", ""),  # a region table moved into an include
    ("d2647", "minor update", ""),  # an HTML comment removed: never shown to readers
    ("d0155", "minor update", ""),  # a troubleshooting section: support, not a capability
    ("d6757", "minor update", ""),  # a tracking parameter added to links
    ("d1303", "minor update", "support-file-added"),  # a new include file
    ("d4141", "minor update", "support-file-removed"),  # a deleted include file
    ("d2682", "minor update", "not-content"),  # a redirection file: no reader text
]


@pytest.mark.parametrize(("record_id", "expected", "rule"), CLAUSES, ids=[case[0] for case in CLAUSES])
def test_rubric_clause(record_id: str, expected: str, rule: str, areas: AreaConfig) -> None:
    change = classified(record_id, areas)
    assert (change.modification_type, change.facts.type_reason) == (expected, rule)
    assert gold_label(record_id) in (None, expected)


@pytest.mark.parametrize(
    ("record_id", "noise"),
    [("d2922", "metadata"), ("d2192", "metadata"), ("d2133", "metadata"), ("d2547", "whitespace"), ("d6879", "toc"), ("d0008", "image")],
)
def test_noise_kinds_are_minor_updates(record_id: str, noise: str, areas: AreaConfig) -> None:
    change = classified(record_id, areas)
    assert change.noise == noise
    assert change.modification_type == "minor update"


def test_front_matter_list_items_out_of_sight_of_the_delimiters_are_metadata(areas: AreaConfig) -> None:
    # "ms.custom:" then "  - ignite-2024" inside a hunk that shows no "---"
    change = classified("d2133", areas)
    assert "ms.custom" in change.facts.front_matter_keys
    assert change.facts.content_lines_added == 0


def test_moved_and_reformatted_lines_cancel_out(areas: AreaConfig) -> None:
    facts = classified("d7094", areas).facts
    # 74 lines added and 76 removed, but only the reworded sentences remain as changes
    assert facts.content_lines_added < 10
    assert not facts.table_rows_removed or "Arabic" not in " ".join(facts.table_rows_removed)


def test_a_code_block_opened_above_the_hunk_is_seen_from_its_closing_fence() -> None:
    patch = "@@ -10,4 +10,4 @@\n   ! pip install openai --quiet\n-   ! pip intall aiohttp --quiet\n+   ! pip install aiohttp --quiet\n    ```"
    lines = parse_lines(parse_hunks(patch).hunks, is_markdown=True).changed
    assert [line.in_code for line in lines] == [True, True]
    prose = "@@ -10,5 +10,5 @@\n-See [v11](https://x/v11).\n+See [v11](https://x/v12).\n \n ```\n code\n"
    assert [line.in_code for line in parse_lines(parse_hunks(prose).hunks, is_markdown=True).changed] == [False, False]


def test_words_in_a_shell_command_are_code_but_prose_typos_are_not(areas: AreaConfig) -> None:
    typo = FileChange(
        path="articles/search/x.md", status="modified", additions=1, deletions=1,
        patch="@@ -5,3 +5,3 @@ intro\n Some text.\n-The servce is ready.\n+The service is ready.\n More text.",
    )
    assert classify(typo, areas).modification_type == "minor update"


# --- service areas ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "area"),
    [
        ("articles/ai-services/openai/how-to/fine-tuning.md", "openai"),
        ("articles/ai-foundry/openai/how-to/fine-tuning.md", "openai"),  # the same area after a reorganisation
        ("articles/foundry/openai/how-to/fine-tuning.md", "openai"),
        ("articles/ai-studio/how-to/quota.md", "ai-foundry"),
        ("articles/ai-foundry/how-to/quota.md", "ai-foundry"),
        ("articles/search/toc.yml", "search"),
        ("articles/ai-services/language-service/overview.md", "language"),
        ("articles/ai-services/new-service/overview.md", "new-service"),  # an unknown service gets its folder's name
        ("articles/brand-new/overview.md", "brand-new"),
        ("README.md", "other"),  # outside the articles: the catch-all area
        (".openpublishing.redirection.json", "other"),
    ],
)
def test_area_resolution(path: str, area: str, areas: AreaConfig) -> None:
    assert areas.resolve(path) == area


# --- bulk edits ---------------------------------------------------------------------

RENAME = "@@ -8,3 +8,3 @@\n Intro.\n-Open Azure AI Studio and sign in to the {n} page.\n+Open Azure AI Foundry and sign in to the {n} page.\n End."


def _rename(number: int, areas: AreaConfig, extra: str = "") -> ClassifiedChange:
    patch = RENAME.format(n=number) + extra
    return classify(FileChange(path=f"articles/ai-studio/how-to/page-{number}.md", status="modified", additions=1, deletions=1, patch=patch), areas)


def test_the_same_edit_in_many_files_is_one_named_bulk_edit(areas: AreaConfig) -> None:
    day = [_rename(number, areas) for number in range(6)]
    marked = mark_bulk(day)
    assert [change.noise for change in marked] == ["bulk"] * 6
    assert {change.modification_type for change in marked} == {"minor update"}
    edit = marked[0].facts.bulk_edit
    assert edit is not None and (edit.old, edit.new) == ("Studio", "Foundry")
    assert marked[0].facts.bulk_files == 6


def test_a_file_with_more_than_the_bulk_edit_stays_on_its_own(areas: AreaConfig) -> None:
    own = "\n@@ -40,2 +40,3 @@\n Text.\n+## Configure private endpoints for the new connector with these settings\n More."
    day = [_rename(number, areas) for number in range(5)] + [_rename(9, areas, own)]
    marked = mark_bulk(day)
    assert [change.noise for change in marked] == ["bulk"] * 5 + ["none"]


def test_too_few_files_make_no_bulk_edit(areas: AreaConfig) -> None:
    day = [_rename(number, areas) for number in range(4)]
    assert [change.noise for change in mark_bulk(day)] == ["none"] * 4


def test_a_breaking_change_is_never_folded_into_a_bulk_line(areas: AreaConfig) -> None:
    retire = "@@ -3,2 +3,3 @@\n Text.\n+> The model will be retired on March 1, 2026.\n More."
    day = [
        classify(FileChange(path=f"articles/ai-services/openai/m{n}.md", status="modified", additions=1, patch=retire), areas)
        for n in range(6)
    ]
    marked = mark_bulk(day)
    assert {(change.noise, change.modification_type) for change in marked} == {("none", "breaking change")}


def test_a_date_bump_across_files_is_a_bulk_edit_naming_the_date(areas: AreaConfig) -> None:
    patch = "@@ -5,3 +5,3 @@\n ms.topic: how-to\n-ms.date: {old}\n+ms.date: 12/01/2025\n author: someone"
    day = [
        classify(FileChange(path=f"articles/search/p{n}.md", status="modified", additions=1, deletions=1, patch=patch.format(old=f"0{n + 1}/01/2025")), areas)
        for n in range(5)
    ]
    marked = mark_bulk(day)
    assert {change.noise for change in marked} == {"bulk"}
    edit = marked[0].facts.bulk_edit
    assert edit is not None and (edit.old, edit.new) == ("ms.date:", "12/01/2025")


# --- helpers the summaries rely on ------------------------------------------------------


def test_clipping_never_cuts_inside_a_word() -> None:
    text = "Use the gpt-4o-mini-audio-preview model for audio generation in East US 2 and Sweden Central"
    clipped = clip_words(text, 30)
    assert clipped.endswith("…") and clipped[:-1] == text[: len(clipped) - 1]
    assert "gpt-4o-mini-audio-preview" in clipped or "gpt" not in clipped
    assert clip_words("short", 30) == "short"


def test_clip_words_keeps_a_fitting_text_as_is_and_pairs_backticks_when_asked() -> None:
    assert clip_words("two  spaces", 30) == "two spaces"
    assert clip_words("two  spaces", 30, keep_fitting=True) == "two  spaces"
    long = "a  b " + "word " * 20
    assert clip_words(long, 30, keep_fitting=True) == clip_words(long, 30)
    quote = "set `max_tokens` and `temperature in the request body of every call you make"
    assert clip_words(quote, 36) == "set `max_tokens` and `temperature…"
    assert clip_words(quote, 36, pair_backticks=True) == "set max_tokens and temperature…"
    assert clip_words("one `a` pair", 30, pair_backticks=True) == "one `a` pair"


def test_occurs_whole_refuses_a_token_cut_from_a_longer_word() -> None:
    text = "deploy o1-preview-and-o1-mini and gpt-4o-2024-08-06"
    assert occurs_whole("gpt-4o-2024-08-06", text)
    assert occurs_whole("2024-08-06", text)  # a hyphen may border a token
    assert not occurs_whole("o1-preview-and-o", text)
    assert not occurs_whole("gpt-4o-2024-08-0", text)


def test_the_page_names_each_bulk_edit_once_with_its_file_count(areas: AreaConfig) -> None:
    import datetime as dt

    from digest.models import AreaName
    from digest.summarize import OfflineSummarizer, PageInput, SummarizedFile

    from .conftest import PROJECT

    day = mark_bulk([_rename(number, areas) for number in range(6)])
    summarizer = OfflineSummarizer(str(PROJECT / "templates"))
    files = [SummarizedFile(change, summary) for change, summary in zip(day, summarizer.summarize_files(day), strict=True)]
    page = summarizer.summarize_page(PageInput(dt.date(2025, 3, 3), "ai-foundry", AreaName(ja="Foundry", en="Foundry"), files))
    assert page.en.other_updates == ["Bulk edit “Studio” → “Foundry”: 6 files"]
    assert page.ja.other_updates == ["一括編集 「Studio」→「Foundry」: 6 ファイル"]
    assert page.en.new_features == page.en.breaking_changes == []
    assert files[0].summary.title.en == "Part of a bulk edit: “Studio” → “Foundry”"


@pytest.mark.parametrize(
    "change",
    [
        FileChange(path="articles/a/x.md", status="modified", patch="not a diff at all", parse_error="no hunks"),
        FileChange(path="articles/a/x.md", status="renamed", old_path=None),
        FileChange(path="articles/a/media/x.png", status="added", binary=True),
        FileChange(path="articles/a/x.md", status="modified", patch="@@ -1,1 +1,1 @@\n-" + "word " * 3000 + "\n+" + "word " * 2999 + "end"),
        FileChange(path="articles/a/x.md", status="modified", patch="@@ -1,2 +1,2 @@\n-<!--\n+<!-- x\n ```"),
    ],
    ids=["unparsed", "renamed-without-old-path", "binary", "one-huge-line", "odd-markup"],
)
def test_odd_changes_are_classified_and_summarized_without_error(change: FileChange, areas: AreaConfig) -> None:
    from digest.summarize import OfflineSummarizer

    from .conftest import PROJECT

    classified_change = classify(change, areas)
    summary = OfflineSummarizer(str(PROJECT / "templates")).summarize_file(classified_change)
    assert summary.title.en and summary.title.ja and summary.explanation.en and summary.explanation.ja
    # the file is named (an added file or an image by its name: the section's heading shows its path)
    assert change.path in summary.explanation.en or f"`{change.path.rsplit('/', 1)[-1]}`" in summary.explanation.en


def test_type_reasons_are_the_stable_rule_ids_not_function_names(areas: AreaConfig) -> None:
    from digest.classify.rubric import RUBRIC, rule_ids

    ids = [rule.id for rule in RUBRIC]
    assert len(ids) == len(set(ids))
    assert all(rule.id != rule.check.__name__.removeprefix("_") for rule in RUBRIC)  # the id is not derived from code
    for record_id, _, rule in CLAUSES:
        reason = classified(record_id, areas).facts.type_reason
        assert reason == "" or reason in rule_ids() or reason in (
            "article-added", "article-removed", "support-file-added", "support-file-removed", "not-content",
        ) or reason.startswith("noise:"), reason
