"""A list of the models (regions ...) a feature holds for, replaced by "available for all ... models": the
availability widened (a new feature, rule `restriction-widened`), titled as such in both languages, never as
the models it no longer lists one by one (the false breaking alarm of the fixture's 2025-02-21
content-filter-configurability.md). Look-alikes that keep a restriction or send the list elsewhere stay removals."""

from __future__ import annotations

import subprocess

from digest.classify import classify
from digest.classify.areas import AreaConfig
from digest.diff import parse_git_diff
from digest.models import ClassifiedChange
from digest.summarize import OfflineSummarizer

from .gitrepo import RepoBuilder, utc

PATH = "articles/ai-services/openai/includes/content-filter-configurability.md"
HEAD = "---\nms.topic: include\nms.date: 09/25/2024\n---\n\nAll customers can configure content filters.\n\n"
TAIL = "\nContent filtering configurations are created within a resource and associated with deployments.\n"
LISTED = (
    "Configurable content filters for inputs (prompts) and outputs (completions) are available for the following Azure OpenAI models:\n"
    "* GPT model series\n* GPT-4 Turbo Vision GA<sup>*</sup> (`turbo-2024-04-09`)\n* GPT-4o\n* GPT-4o mini\n* DALL-E 2 and 3\n\n"
    "Configurable content filters are not available for \n- o1-preview\n- o1-mini \n\n"
    "<sup>*</sup>Only available for GPT-4 Turbo Vision GA, does not apply to GPT-4 Turbo Vision preview \n"
)


def committed_change(builder: RepoBuilder, areas: AreaConfig, old: str, new: str) -> ClassifiedChange:
    """The file written as `old`, then as `new`, in two commits of a real repository; the change classified."""
    builder.write(PATH, HEAD + old + TAIL)
    base = builder.commit("initial", utc(2025, 2, 20))
    builder.write(PATH, HEAD + new + TAIL)
    head = builder.commit("Update content-filter-configurability.md", utc(2025, 2, 21))
    raw = subprocess.run(["git", "-C", str(builder.path), "diff", "--find-renames", base, head], capture_output=True, check=True).stdout
    (change,) = parse_git_diff(raw)
    return classify(change, areas)


def test_a_model_list_replaced_by_all_models_is_a_widened_availability(repo_builder: RepoBuilder, areas: AreaConfig, summarizer: OfflineSummarizer) -> None:
    widened = "Configurable content filters for inputs (prompts) and outputs (completions) are available for all Azure OpenAI models.\n"
    change = committed_change(repo_builder, areas, LISTED, widened)
    assert (change.modification_type, change.facts.type_reason) == ("new feature", "restriction-widened")
    summary = summarizer.summarize_file(change)
    assert summary.title.en == "Configurable content filters now available for all Azure OpenAI models"
    assert summary.title.ja == "Configurable content filters がすべての Azure OpenAI モデルで利用可能に"
    for text in (summary.title.en, summary.explanation.en):
        assert "Removes" not in text and "o1-preview" not in text
    for text in (summary.title.ja, summary.explanation.ja):
        assert "削除" not in text and "o1-preview" not in text
    assert "no longer limits it to a list of models" in summary.explanation.en
    assert "モデルの一覧に限る記述はなくなりました" in summary.explanation.ja


def test_a_list_replaced_by_a_restriction_or_a_pointer_is_no_widening(repo_builder: RepoBuilder, areas: AreaConfig) -> None:
    regions = "Stored completions are available in these regions:\n\n- East US 2\n- Sweden Central\n- West US 3\n"
    narrowed = committed_change(repo_builder, areas, regions, "Stored completions aren't available in all regions yet.\n")
    assert narrowed.facts.type_reason != "restriction-widened"
    assert narrowed.modification_type == "breaking change"  # the regions it named are gone from the page


def test_a_list_moved_behind_a_pointer_is_no_widening(repo_builder: RepoBuilder, areas: AreaConfig) -> None:
    moved = "For the list of all supported models, see [Azure OpenAI models](../concepts/models.md).\n"
    change = committed_change(repo_builder, areas, LISTED, moved)
    assert change.facts.type_reason != "restriction-widened"
    assert change.modification_type == "breaking change"


def test_a_sentence_that_said_all_models_before_widens_nothing(repo_builder: RepoBuilder, areas: AreaConfig) -> None:
    # the examples that followed "all models" went, the sentence was reworded: the scope is not new
    before = "Configurable content filters are available for all Azure OpenAI models, for example:\n\n* GPT-4o\n* GPT-4o mini\n* DALL-E 3\n"
    after = "Configurable content filters are available for all Azure OpenAI models in every deployment.\n"
    change = committed_change(repo_builder, areas, before, after)
    assert change.facts.type_reason != "restriction-widened"
