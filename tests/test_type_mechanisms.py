"""Change-type mechanisms found on a fresh random sample of dev records (issue 11, task i11h, sample 3): each
test holds the shape the rules must call by the rubric beside the look-alike they called wrongly."""

from __future__ import annotations

from digest.classify.areas import AreaConfig
from tests.test_type_rules import change_of, decided

WHATS_NEW = "articles/ai-services/document-intelligence/whats-new.md"
RETIRED_LEAD = " > Preview API versions are retired once the GA API is released."


def test_links_under_a_new_dated_heading_retire_nothing(areas: AreaConfig) -> None:
    links = change_of(
        areas, RETIRED_LEAD, " ", "+## April 2025", "+**The v4.0 container is now available.**", "+For more information, see:",
        "+* [Install and run containers](containers/install-run.md)", "+* [Container image tags](containers/image-tags.md)",
        path=WHATS_NEW,
    )
    assert links.modification_type != "breaking change"
    items = change_of(
        areas, RETIRED_LEAD, " ", "+## April 2025", "+* Layout model in the v4.0 container", "+* Read model in the v4.0 container",
        path=WHATS_NEW,
    )
    assert items.facts.type_reason != "retirement-announced"  # they sit under "April 2025", not under the retirement note
    retired = change_of(areas, RETIRED_LEAD, " ", "+* 2023-02-28-preview", "+* 2022-06-30-preview", path=WHATS_NEW)
    assert decided(retired) == ("breaking change", "retirement-announced")


def test_a_role_that_a_new_capability_section_names_is_no_new_requirement(areas: AreaConfig) -> None:
    body = [
        "+Several enterprise scenarios are supported for fine-tuning with your own storage account and network settings.",
        "+For the portal, you might need to add the Storage Blob Data Reader role to your user account on the storage account.",
        "+Storage networking can be changed in the Networking page of the storage account, and auth in its Configuration page.",
    ]
    scenarios = change_of(areas, " ## Fine-tune a model", " ", "+## Supported enterprise scenarios for fine-tuning", "+", *body)
    assert scenarios.facts.type_reason != "required-role-added"
    assert scenarios.modification_type != "breaking change"
    permissions = change_of(
        areas, " ## Enable caching", " ", "+## Permissions", "+",
        "+Azure AI Search needs write access: make sure its identity is assigned the **Storage Blob Data Contributor** role.",
    )
    assert decided(permissions) == ("breaking change", "required-role-added")


def test_parameters_the_unchanged_lines_still_name_are_not_removed(areas: AreaConfig) -> None:
    removed = [
        "-The histograms compare chunk lengths for `textSplitMode` of `sentences`, a `maximumPageLength` of 2000 and a",
        "-`pageOverlapLength` of 500, measured in characters and in tokens.",
    ]
    still = change_of(
        areas, " Set `textSplitMode`, `maximumPageLength` and `pageOverlapLength` on the Text Split skill.", " ", *removed, " ", " ## Next steps",
    )
    assert still.facts.type_reason != "parameters-removed"
    gone = change_of(areas, " Set the Text Split skill's parameters.", " ", *removed, " ", " ## Next steps")
    assert decided(gone) == ("breaking change", "parameters-removed")


def test_a_link_inside_code_is_not_a_name_corrected_in_code(areas: AreaConfig) -> None:
    link = change_of(
        areas, " ```csharp", "-// see [the client](https://github.com/Azure/sdk/tree/FormRecognizer_4.0.0-beta.4/sdk#client)",
        "+// see [the client](https://github.com/Azure/sdk/tree/FormRecognizer_4.0.0/sdk#client)", " var client = new Client();", " ```",
    )
    assert link.facts.type_reason != "code-corrected"
    name = change_of(areas, " ```csharp", "-var client = new DocumentAnalysisClent(endpoint);", "+var client = new DocumentAnalysisClient(endpoint);", " ```")
    assert name.modification_type == "bug fix"


def test_a_capability_announced_in_prose_is_a_new_feature_but_a_step_that_says_now_is_not(areas: AreaConfig) -> None:
    announced = change_of(
        areas, " ## What's new", " ", "+The Realtime API now supports WebRTC, for low-latency audio streaming in the browser.", " ", " ## Next steps",
    )
    assert decided(announced) == ("new feature", "capability-announced")
    step = change_of(
        areas, " ## Generate tokens", " ", "+Once the prerequisites are met and your documents are uploaded, you can now generate SAS tokens.", " ",
    )
    assert step.modification_type == "minor update"
    reworded = change_of(
        areas, " ## What's new", " ", "-The Realtime API now supports WebRTC for audio streaming.",
        "+The Realtime API now supports WebRTC, for low-latency audio streaming in the browser.", " ",
    )
    assert reworded.facts.type_reason != "capability-announced"


def test_a_name_of_code_respelled_on_a_line_of_its_own_is_a_bug_fix(areas: AreaConfig) -> None:
    # the hunk starts inside a JSON sample: its lines share no word with their old form, so no other check pairs them
    key = change_of(areas, '         "innererror": {', '-            "content_filter_result": {', '+            "content_filter_results": {', '                 "filtered": true')
    assert decided(key) == ("bug fix", "name-respelled-in-code")
    field = change_of(areas, " See the usage object:", "-The cached tokens are in `prompt_token_details`.", "+The cached tokens are in `prompt_tokens_details`.")
    assert field.modification_type == "bug fix"
    word = change_of(areas, " ## Overview", "-Azure AI Search supports Sharepoint sources.", "+Azure AI Search supports SharePoint sources.")
    assert word.modification_type == "minor update"  # a case, in prose
    placeholder = change_of(areas, " ```python", '-search_key = "placeholder-search-service-api-key"', '+search_key = "placeholder-search-service-admin-api-key"', " ```")
    assert placeholder.facts.type_reason != "name-respelled-in-code"


MATRIX = "articles/ai-services/openai/includes/model-matrix/standard-global.md"


def test_a_region_that_loses_a_model_is_breaking_even_when_the_table_gains_columns(areas: AreaConfig) -> None:
    widened = change_of(
        areas,
        "-| **Region** | **gpt-4o**, **2024-08-06** | **gpt-4o-mini-tts**, **2025-03-20** |",
        "-|:---|:---:|:---:|",
        "-| eastus2 | ✅ | ✅ |",
        "-| swedencentral | ✅ | ✅ |",
        "+| **Region** | **o3**, **2025-04-16** | **gpt-4o**, **2024-08-06** | **gpt-4o-mini-tts**, **2025-03-20** |",
        "+|:---|:---:|:---:|:---:|",
        "+| eastus2 | ✅ | ✅ | ✅ |",
        "+| swedencentral | ✅ | ✅ | - |",
        path=MATRIX,
    )
    assert decided(widened) == ("breaking change", "region-marks-removed")
    lost = change_of(
        areas, " | **Region** | **gpt-35-turbo**, **1106** | **gpt-4o**, **2024-05-13** |", " |:---|:---:|:---:|",
        "-| usgovarizona | ✅ | ✅ |", "+| usgovarizona | - | ✅ |", path=MATRIX,
    )
    assert decided(lost) == ("breaking change", "region-marks-removed")
    gained = change_of(
        areas,
        "-| **Region** | **gpt-4o**, **2024-08-06** |", "-|:---|:---:|", "-| eastus2 | ✅ |", "-| swedencentral | - |",
        "+| **Region** | **o3**, **2025-04-16** | **gpt-4o**, **2024-08-06** |", "+|:---|:---:|:---:|", "+| eastus2 | ✅ | ✅ |", "+| swedencentral | - | ✅ |",
        path=MATRIX,
    )
    assert gained.modification_type == "new feature"
