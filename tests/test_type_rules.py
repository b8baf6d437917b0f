"""The change-type checks on the edge each one must tell apart: what the rubric names (a removed SDK, a
lowered limit, a changed endpoint form, a removed section, a name corrected to the page's own usage)
against the look-alike that is routine (a helper library dropped, a list renumbered, a resource name
changed, a section moved into an include, a deliberate rename)."""

from __future__ import annotations

from digest.classify.areas import AreaConfig
from digest.classify import analyse, classify, line_view
from digest.models import ClassifiedChange, FileChange


def change_of(areas: AreaConfig, *lines: str, path: str = "articles/ai-services/openai/how-to/page.md") -> ClassifiedChange:
    """A modified article whose one hunk holds `lines` (each starting with " ", "-" or "+")."""
    old = sum(1 for line in lines if line[0] in " -")
    new = sum(1 for line in lines if line[0] in " +")
    patch = f"@@ -20,{old} +20,{new} @@\n" + "\n".join(lines)
    added = sum(1 for line in lines if line[0] == "+")
    removed = sum(1 for line in lines if line[0] == "-")
    return classify(FileChange(path=path, status="modified", additions=added, deletions=removed, patch=patch), areas)


def decided(change: ClassifiedChange) -> tuple[str, str]:
    return change.modification_type, change.facts.type_reason


def test_an_sdk_package_switch_is_breaking_but_a_helper_library_dropped_is_not(areas: AreaConfig) -> None:
    switched = change_of(
        areas, " Install the client library:", " ", "-    npm install @azure/openai dotenv", "+    npm install openai dotenv", " ", " Then run it.",
    )
    assert decided(switched) == ("breaking change", "sdk-removed")
    helper = change_of(
        areas, " Install the client library:", " ", "-    npm install openai dotenv @azure/identity", "+    npm install openai @azure/identity", " ",
    )
    assert helper.facts.type_reason != "sdk-removed"
    assert helper.modification_type != "breaking change"


def test_a_lowered_quota_is_breaking_but_a_renumbered_list_is_not(areas: AreaConfig) -> None:
    lowered = change_of(
        areas, " ## Quota limits", " ", " | Model | Tokens per minute |", " |---|---|", "-| gpt-4o | 30 K |", "+| gpt-4o | 8 K |",
        path="articles/ai-services/openai/quotas-limits.md",
    )
    assert decided(lowered) == ("breaking change", "limit-lowered")
    raised = change_of(
        areas, " ## Quota limits", " ", " | Model | Tokens per minute |", " |---|---|", "-| gpt-4o | 8 K |", "+| gpt-4o | 30 K |",
        path="articles/ai-services/openai/quotas-limits.md",
    )
    assert decided(raised) == ("new feature", "limit-raised")
    corrected = change_of(
        areas, " ## Quota limits", " ", " | Model | Max input tokens |", " |---|---|", "-| text-embedding-3-large | 8,191 |", "+| text-embedding-3-large | 8,192 |",
        path="articles/ai-services/openai/quotas-limits.md",
    )
    assert corrected.facts.type_reason not in ("limit-raised", "limit-lowered")  # a figure corrected by one
    renumbered = change_of(
        areas, " Check the quota limits of your requests.", " ", "-2. Send the requests per minute you need.", "+1. Send the requests per minute you need.",
        path="articles/ai-services/openai/quotas-limits.md",
    )
    assert renumbered.modification_type == "minor update"


def test_a_new_endpoint_form_is_breaking_but_another_resource_name_is_not(areas: AreaConfig) -> None:
    new_form = change_of(
        areas, " ```bash", "-curl https://my-resource.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21 \\",
        "+curl https://my-resource.openai.azure.com/openai/v1/chat/completions \\", "   -H \"api-key: $KEY\"", " ```",
    )
    assert decided(new_form) == ("breaking change", "endpoint-changed")
    renamed = change_of(
        areas, " ```bash", "-curl https://my-resource.openai.azure.com/openai/v1/chat/completions \\",
        "+curl https://contoso.openai.azure.com/openai/v1/chat/completions \\", "   -H \"api-key: $KEY\"", " ```",
    )
    assert renamed.facts.type_reason != "endpoint-changed"


SECTION = [
    "-## Use vision enhancement",
    "-",
    "-Vision enhancement adds optical character recognition to the chat.",
    "-It also adds object grounding for the objects in an image.",
    "-Turn it on in the Configuration tab under Enhancements.",
    "-Select a Computer Vision resource and save.",
    "-Send an image and ask about the text in it.",
    "-The answer names the text and where it is.",
    "-Each enhancement is billed on its own.",
]


def test_a_capability_section_taken_out_is_breaking_but_one_moved_into_an_include_is_not(areas: AreaConfig) -> None:
    removed = change_of(areas, " ## Chat with images", " ", " Send images to the model.", " ", *SECTION)
    assert decided(removed) == ("breaking change", "section-removed")
    moved = change_of(areas, " ## Chat with images", " ", " Send images to the model.", " ", *SECTION, "+[!INCLUDE [vision](../includes/vision.md)]")
    assert moved.modification_type != "breaking change"
    setup = change_of(areas, " ## Chat with images", " ", " Send images to the model.", " ", *[line.replace("Use vision enhancement", "Set up your environment") for line in SECTION])
    assert setup.modification_type != "breaking change"  # a setup section: it supports the reader, it is no capability


def test_a_name_corrected_to_the_one_the_page_uses_is_a_bug_fix_but_a_rename_everywhere_is_not(areas: AreaConfig) -> None:
    # in a long edit of wording, where the small-diff checks do not look
    reworded = [f"{sign}Step {n} of the sample {word} the documents." for n in range(12) for sign, word in (("-", "loads"), ("+", "uploads"))]
    corrected = change_of(
        areas, *reworded, " ", " ```javascript", " const results = await searchClient.uploadDocuments(batch);", " console.log(results);",
        "-await searchClient.upload_documents(more);", "+await searchClient.uploadDocuments(more);", " ```",
    )
    assert decided(corrected) == ("bug fix", "name-matches-page")
    renamed = change_of(
        areas, " ```javascript", "-const results = await searchClient.uploadDocuments(batch);", "+const results = await searchClient.mergeOrUploadDocuments(batch);",
        " console.log(results);", " ```",
    )
    assert renamed.facts.type_reason != "name-matches-page"


def test_a_link_to_the_retirement_page_announces_no_retirement(areas: AreaConfig) -> None:
    link = change_of(areas, " ## Related content", " ", " - [Models](models.md)", "+- [Model deprecation and retirement](retirements.md)")
    assert link.modification_type != "breaking change"
    said = change_of(areas, " ## Models", " ", " The gpt-4o model is available.", "+The gpt-35-turbo 0613 model will be retired on March 31, 2026.")
    assert decided(said) == ("breaking change", "retirement-announced")


def test_sample_data_a_name_in_code_and_a_policy_announce_no_retirement(areas: AreaConfig) -> None:
    data = change_of(
        areas, " ```json", " {", '+    "Description": "A quiet inn beside the retirement village, with a rooftop bar.",', '     "Rating": 4.5', " }", " ```",
    )
    assert data.facts.type_reason != "retirement-announced"
    named = change_of(areas, " Subscribe to health advisories:", " ", "+- `Health advisories = Upgrade, Deprecation, & Retirement Notifications`")
    assert named.facts.type_reason != "retirement-announced"
    policy = change_of(areas, " ## Model lifecycle", " ", "+Older models may be retired in the model catalog when a newer version is available.")
    assert policy.facts.type_reason != "retirement-announced"
    announced = change_of(areas, " ## Model lifecycle", " ", "+The gpt-4 0613 model will be retired on June 6, 2026.")
    assert decided(announced) == ("breaking change", "retirement-announced")


def test_a_removed_requirement_is_not_a_removed_capability(areas: AreaConfig) -> None:
    requirement = change_of(
        areas, " ## Prerequisites", " ", " - An Azure subscription.", "-- You need the **Azure AI Developer** role on the hub.",
        "-  - If your role is **Owner**, you can create the hub here.", " - A project.",
    )
    assert requirement.modification_type == "minor update"
    entity = change_of(areas, " ## Entities", " ", " - `USSocialSecurityNumber`", "-- `BENationalNumberV2`: Belgium national number.")
    assert decided(entity) == ("breaking change", "content-removed")


def test_a_region_row_is_removed_only_when_the_region_is_gone(areas: AreaConfig) -> None:
    gone = change_of(
        areas, " | Region | gpt-4o |", " |---|---|", " | eastus | ✅ |", "-| canadacentral | ✅ |", " | westus | ✅ |",
        path="articles/ai-services/openai/includes/model-matrix/standard.md",
    )
    assert decided(gone) == ("breaking change", "regions-removed")
    footnote = change_of(
        areas, " | Region | Semantic ranker |", " |---|---|", "-| East US <sup>1</sup> | ✅ |", "+| East US | ✅ |", " | West US | ✅ |",
        path="articles/search/search-region-support.md",
    )
    assert footnote.modification_type == "minor update"


def test_a_role_name_spelled_right_is_no_new_required_role(areas: AreaConfig) -> None:
    typo = change_of(areas, " ## Permissions", " ", "-1. Assign the *Contributer* role to the resource, as it must have it.", "+1. Assign the *Contributor* role to the resource, as it must have it.")
    assert typo.modification_type != "breaking change"
    new_role = change_of(areas, " ## Permissions", " ", " 1. Open the resource.", "+1. You must assign the **Search Index Data Reader** role to the identity.")
    assert decided(new_role) == ("breaking change", "required-role-added")


def test_the_prompt_states_the_rubric_of_design_md() -> None:
    """The model is asked by the same rubric as the rules: each clause of DESIGN.md's rubric is in the prompt."""
    from digest.summarize.prompts import PromptBuilder

    from .conftest import PROJECT, SHARED

    design = " ".join((SHARED / "DESIGN.md").read_text(encoding="utf-8").split())
    prompt = " ".join(PromptBuilder(str(PROJECT / "templates"), diff_tokens=800).file_system().split())
    clauses = [
        "a model, model version, API version, SDK, feature, region, parameter or tool removed, retired or deprecated,",
        "or given a retirement / end-of-support date, or that date moves",
        "a lowered limit, a changed endpoint or URL form, a renamed or removed parameter, changed required steps or required roles",
        "a published article page (not an include, media file or toc) deleted",
        "a new model / version / region / API version / parameter / tool / capability, preview to GA, a new quota tier",
        "a broken link fixed; wrong instructions corrected (typos and grammar are minor updates)",
        "small added explanations that introduce no new capability, deleted includes or media",
        "An added include that only moves existing text is a minor update",
    ]
    for clause in clauses:
        assert clause in design, clause  # DESIGN.md changed: bring the prompt (and this list) in line
        assert clause in prompt, clause
    assert "`ms.date`" in prompt and "first that matches wins" in prompt
    order = [prompt.index(f"{n}. {kind}:") for n, kind in enumerate(("breaking change", "new feature", "bug fix", "minor update"), 1)]
    assert order == sorted(order)


def test_the_prompt_says_how_reliable_the_rules_guess_is(areas: AreaConfig) -> None:
    from digest.classify.rubric import HELD_OUT_PRECISION
    from digest.summarize.prompts import PromptBuilder

    from .conftest import PROJECT

    change = change_of(areas, " ## Models", " ", " The gpt-4o model is available.", "+The gpt-35-turbo 0613 model will be retired on March 31, 2026.")
    _system, user = PromptBuilder(str(PROJECT / "templates"), diff_tokens=800).file_messages(change)
    lines = user["content"].split("\n")
    guess = lines.index("Type by the rules: breaking change")
    percent = round(HELD_OUT_PRECISION["breaking change"] * 100)
    assert "(rule retirement-announced)" in lines[guess + 1] and f"{percent}% of their \"breaking change\" labels were right" in lines[guess + 1]
    assert "Decide the type by the rubric" in lines[guess + 1]


def test_a_model_column_dropped_from_a_model_matrix_is_breaking_but_a_model_named_in_passing_is_not(areas: AreaConfig) -> None:
    dropped = change_of(
        areas,
        "-| **Region**   | **dall-e-2**, **2.0**   | **dall-e-3**, **3.0**   |",
        "-|:-----------------|:---------------------:|:---------------------:|",
        "-| eastus           | ✅                  | ✅                  |",
        "+| **Region**   | **dall-e-3**, **3.0**   |",
        "+|:-----------------|:---------------------:|",
        "+| eastus           | ✅                  |",
        path="articles/ai-services/openai/includes/model-matrix/standard-image-generation.md",
    )
    assert decided(dropped) == ("breaking change", "model-column-removed")
    # a row that names one model in passing loses a cell and the model: the two versions of the row are compared
    # (they share most words) and the model is named nowhere else, so only the guard (a header names two or more
    # models) tells it from a model matrix's header
    passing = change_of(
        areas,
        "-| Fine-tuned model | The name of the fine-tuned model that your training job created in your resource, for example gpt-35-turbo-0125.ft-b044 | Required |",
        "+| Fine-tuned model | The name of the fine-tuned model that your training job created in your resource |",
    )
    assert any("gpt-35-turbo-0125.ft-b044" in span.old_line for span in analyse(passing.change, line_view(passing.change)).spans)
    assert passing.facts.type_reason != "model-column-removed"
    assert passing.modification_type != "breaking change"


def test_a_key_with_a_stray_space_or_a_number_of_the_wrong_sign_corrected_is_a_fix_but_a_new_value_is_not(areas: AreaConfig) -> None:
    key = change_of(
        areas, " ```json", " {", '-    "rerankerThreshold " : 2.5,', '+    "rerankerThreshold" : 2.5,', '     "maxDocsForReranker": 250', " }", " ```",
    )
    assert decided(key) == ("bug fix", "setting-corrected")
    sign = change_of(areas, " ```json", " {", '-    "boost": -2.0,', '+    "boost": 2.0,', '     "interpolation": "quadratic"', " }", " ```")
    assert decided(sign) == ("bug fix", "setting-corrected")
    value = change_of(areas, " ```json", " {", '-    "maxDocsForReranker": 250,', '+    "maxDocsForReranker": 50,', " }", " ```")
    assert value.facts.type_reason != "setting-corrected"  # another value a reader may choose, not a wrong one
    spaced = change_of(areas, " ```python", "-top_k = 5", "+top_k  = 5", '-name = "docs"', '+name = "my-docs"', " ```")
    assert spaced.facts.type_reason != "setting-corrected"  # spaces around a name in code are only layout


def test_a_link_target_misspelling_fixed_in_a_larger_edit_is_a_fix_but_a_moved_portal_is_not(areas: AreaConfig) -> None:
    fixed = change_of(
        areas,
        "-Learn more about [integrated vectorization](/azure/search/vector-search-integrated-vectorization.md).",
        "+Learn more about [integrated vectorization](/azure/search/vector-search-integrated-vectorization).",
        "-Vectors are created when you index.",
        "+Vectors are created when you index content.",
        "+A new line of explanation that pairs with nothing removed.",
    )
    assert decided(fixed) == ("bug fix", "link-target-misspelling-fixed")
    portal = change_of(
        areas,
        "-Sign in to the [portal](https://oai.azure.com/portal).",
        "+Sign in to the [portal](https://ai.azure.com/portal).",
        "-Vectors are created when you index.",
        "+Vectors are created when you index content.",
        "+A new line of explanation that pairs with nothing removed.",
    )
    assert portal.facts.type_reason != "link-target-misspelling-fixed"  # another site, not a typo
    moved = change_of(
        areas,
        "-See [the overview](../concepts/overview.md).",
        "+See [the overview](../../foundry/concepts/models-overview.md).",
        "+A new line of explanation that pairs with nothing removed.",
    )
    assert moved.facts.type_reason != "link-target-misspelling-fixed"


def test_an_anchor_pointed_at_a_heading_the_page_keeps_is_a_fix_but_one_that_follows_a_renamed_heading_is_not(areas: AreaConfig) -> None:
    fixed = change_of(
        areas,
        " ## Feature availability by tier",
        " ",
        "-Premium features are listed in [feature availability](#premium-features).",
        "+Premium features are listed in [feature availability](#feature-availability-by-tier).",
        "+A new line of explanation that pairs with nothing removed.",
    )
    assert decided(fixed) == ("bug fix", "link-target-misspelling-fixed")
    renamed = change_of(
        areas,
        "-## Premium features",
        "+## Features by tier",
        " ",
        "-Premium features are listed in [feature availability](#premium-features).",
        "+Premium features are listed in [feature availability](#features-by-tier).",
        "+A new line of explanation that pairs with nothing removed.",
    )
    assert renamed.facts.type_reason != "link-target-misspelling-fixed"  # the link follows the heading's rename


# --- changes of symbols only: a ✅ or a JSON comma has no words, so such lines cancel out of the net lines ---

MATRIX = [" | **Region** | **gpt-4o**, **2024-08-06** | **gpt-4o-mini**, **2024-07-18** |", " |:---|:---:|:---:|"]


def test_a_region_row_that_gains_marks_is_a_new_feature_and_one_that_loses_them_is_breaking_not_a_fix(areas: AreaConfig) -> None:
    path = "articles/ai-services/openai/includes/model-matrix/standard-models.md"
    gained = change_of(areas, *MATRIX, "-| eastus2 | - | ✅ |", "+| eastus2 | ✅ | ✅ |", " | westus3 | ✅ | ✅ |", path=path)
    assert decided(gained) == ("new feature", "region-marks-added")
    government = change_of(areas, *MATRIX, "-| usgovarizona | - | ✅ |", "+| usgovarizona | ✅ | ✅ |", path=path)
    assert decided(government) == ("new feature", "region-marks-added")
    lost = change_of(areas, *MATRIX, "-| eastus2 | ✅ | ✅ |", "+| eastus2 | - | ✅ |", path=path)
    # a model leaving a region is a region removed (DESIGN.md), not a correction to guess at
    assert decided(lost) == ("breaking change", "region-marks-removed")
    mixed = change_of(areas, *MATRIX, "-| eastus2 | - | ✅ |", "+| eastus2 | ✅ | - |", path=path)
    assert decided(mixed) == ("breaking change", "region-marks-removed")  # first match: the loss


def test_symbol_marks_corrected_in_a_support_table_are_a_fix(areas: AreaConfig) -> None:
    header = [" | Task | Reader | Contributor |", " |---|---|---|"]
    corrected = change_of(areas, *header, "-|Read/query an index |✅|❌|", "+|Read/query an index |✅|✅|", path="articles/search/search-security-rbac.md")
    assert decided(corrected) == ("bug fix", "support-matrix-corrected")
    reworded = change_of(
        areas, *header, "-|Read/query an index |✅|❌|", "+|Read or query an index |✅|✅|", "+|Upload data |❌|✅|",
        path="articles/search/search-security-rbac.md",
    )
    assert reworded.facts.type_reason != "support-matrix-corrected"  # a row added: more than marks changed


def test_json_made_valid_is_a_fix_but_a_comma_moved_by_a_new_property_is_not(areas: AreaConfig) -> None:
    body = [" ```json", " {"]
    typed = change_of(areas, *body, '-    "top": "10",', '-    "count": "true"', '+    "top": 10,', '+    "count": true', " }", " ```")
    assert decided(typed) == ("bug fix", "code-syntax-corrected")
    trailing = change_of(areas, *body, '     "kind": "binaryQuantization",', '-    "defaultOversampling": 10.0,', '+    "defaultOversampling": 10.0', " }", " ```")
    assert decided(trailing) == ("bug fix", "code-syntax-corrected")
    extended = change_of(
        areas, *body, '-    "defaultOversampling": 10.0', '+    "defaultOversampling": 10.0,', '+    "rescoreStorageMethod": "preserveOriginals"', " }", " ```",
    )
    assert extended.facts.type_reason != "code-syntax-corrected"
    doubled = change_of(areas, " ```java", "-    client.close();;", "+    client.close();", " ```")
    assert doubled.facts.type_reason != "code-syntax-corrected"  # ";;" ran as well: tidied, not fixed


def test_a_link_target_changed_on_a_line_too_short_to_pair_is_a_fix(areas: AreaConfig) -> None:
    video = change_of(
        areas,
        " For more examples, demos, and videos:",
        " ",
        "-* [Video: Secure your apps with Microsoft Entra](https://build.microsoft.com/en-US/sessions/b5636ca7-64c2-493c-9b30-4a35852acfbe?source=/speakers/cc9b56a0)",
        "+* [Video: Secure your apps with Microsoft Entra](https://www.youtube.com/watch?v=e5aR_52oeBY)",
    )
    assert decided(video) == ("bug fix", "link-corrected")
    retitled = change_of(
        areas,
        " For more examples, demos, and videos:",
        " ",
        "-* [Video: Secure your apps with Microsoft Entra](https://build.microsoft.com/en-US/sessions/b5636ca7-64c2-493c-9b30-4a35852acfbe?source=/speakers/cc9b56a0)",
        "+* [Watch: Entra for intelligent apps](https://www.youtube.com/watch?v=e5aR_52oeBY)",
    )
    assert retitled.facts.type_reason != "link-corrected"


def test_fields_sent_to_a_schema_are_not_removed_parameters(areas: AreaConfig) -> None:
    table = [" ## Field extractions", " ", "-| Field | Type | Description |", "-|:------|:-----|:------------|"]
    rows = ["-|`accountNumber`|`string`|Account number|", "-|`accountType`|`string`|Type of account|", "-|`bankAddress`|`address`|Address of the bank|"]
    moved = change_of(areas, *table, *rows, "+For the extracted fields, refer to the [bank statement schema](https://github.com/Azure-Samples/schema/bank-statement.json).")
    assert moved.facts.type_reason != "parameters-removed"
    dropped = change_of(areas, *table, *rows, " ", " ## Supported locales", " ", "+See [locales](../language-support/prebuilt.md) for the locales.")
    assert decided(dropped) == ("breaking change", "parameters-removed")  # the pointer sits elsewhere: the fields went


def test_a_dated_model_still_in_a_table_by_model_and_version_is_not_removed(areas: AreaConfig) -> None:
    listed = change_of(
        areas, " ### Model support", " ", "-- `gpt-4o-2024-08-06`", " - `gpt-4o-2024-05-13`", " ", " | **Region** | **gpt-4o**, **2024-08-06** |", " |:---|:---:|",
    )
    assert listed.facts.type_reason != "versions-removed"
    gone = change_of(areas, " ### Model support", " ", "-- `gpt-4o-2024-08-06`", " - `gpt-4o-2024-05-13`", " ", " | **Region** | **gpt-4o**, **2024-05-13** |", " |:---|:---:|")
    assert decided(gone) == ("breaking change", "versions-removed")


def test_a_name_or_value_misspelled_in_a_string_of_code_is_a_fix_but_sample_data_and_placeholders_are_not(areas: AreaConfig) -> None:
    body = [" ```json", ' "algorithms": [', "   {"]
    misspelled = change_of(areas, *body, '-    "name": "hsnw-1",', '+    "name": "hnsw-1",', '     "kind": "hnsw"', "   }", " ```")
    assert decided(misspelled) == ("bug fix", "code-corrected")
    method = change_of(areas, " ```http", "-POST https://[service name].search.windows.net/synonymmaps/my-synonymmap?api-version=2024-07-01", "+PUT https://[service name].search.windows.net/synonymmaps/my-synonymmap?api-version=2024-07-01", " ```")
    assert decided(method) == ("bug fix", "code-corrected")
    data = change_of(areas, *body, '-    "HotelName": "Arcadia Resort",', '+    "HotelName": "Arcadian Resort",', '     "Rating": 4', "   }", " ```")
    assert data.facts.type_reason != "code-corrected"  # a hotel's name in sample data
    placeholder = change_of(areas, " ```python", '-    workspace_name="<ai_studio_project_name>",', '+    workspace_name="<ai_foundry_project_name>",', " )", " ```")
    assert placeholder.facts.type_reason != "code-corrected"


# --- issue 11, item 5: corrections as a diff shows them (one token of a line, the token code, a link or a name) ---

WORDING = ["-Vectors are created when you index.", "+Vectors are created when you index content.", "+A new line of explanation that pairs with nothing removed."]


def test_a_link_sent_to_another_anchor_of_its_page_is_a_fix_but_one_that_follows_the_prose_rename_or_a_portal_route_is_not(areas: AreaConfig) -> None:
    fixed = change_of(
        areas,
        "-See the [models and versions documentation](../concepts/models.md#gpt-4o-realtime-preview) for more information.",
        "+See the [models and versions documentation](../concepts/models.md#gpt-4o-audio) for more information.",
        *WORDING,
    )
    assert decided(fixed) == ("bug fix", "link-anchor-corrected")
    renamed = change_of(
        areas,
        "-You can manage Azure AI Studio hubs and projects from the management center.",
        "+You can manage Azure AI Foundry portal hubs and projects from the management center.",
        "-For more information, see [hub](../how-to/create-azure-ai-resource.md#create-a-hub-in-ai-studio).",
        "+For more information, see [hub](../how-to/create-azure-ai-resource.md#create-a-hub-in-ai-foundry-portal).",
        *WORDING,
    )
    assert renamed.modification_type != "bug fix"  # the headings were renamed with the rest of the prose
    portal = change_of(
        areas,
        "-Open your [search service](https://portal.azure.com/#blade/HubsExtension/BrowseResourceBlade) in the portal.",
        "+Open your [search service](https://portal.azure.com/#view/Microsoft_Azure_ProjectOxford/CognitiveSearch) in the portal.",
        *WORDING,
    )
    assert portal.modification_type != "bug fix"  # a portal's route, not a heading's anchor


def test_a_link_whose_markdown_was_broken_made_a_link_is_a_fix_but_a_bare_address_linked_is_not(areas: AreaConfig) -> None:
    broken = change_of(
        areas,
        "-ACL systems, such as [Azure Data Lake Storage (ADLS) Gen2].(/azure/storage/blobs/data-lake-storage-introduction).",
        "+ACL systems, such as [Azure Data Lake Storage (ADLS) Gen2](/azure/storage/blobs/data-lake-storage-introduction).",
        *WORDING,
    )
    assert decided(broken) == ("bug fix", "link-syntax-repaired")
    bare = change_of(areas, "-Read more at https://aka.ms/oai/docs today.", "+Read more at [the docs](https://aka.ms/oai/docs) today.", *WORDING)
    assert bare.facts.type_reason != "link-syntax-repaired"  # a working address given words: formatting


def test_an_import_from_the_packages_own_module_is_a_fix_but_another_package_is_not(areas: AreaConfig) -> None:
    body = [" ```javascript", '     import { DefaultAzureCredential } from "@azure/identity";']
    fixed = change_of(areas, *body, '-    import { AzureOpenAI } from "openai/index.mjs";', '+    import { AzureOpenAI } from "openai";', " ```")
    assert decided(fixed) == ("bug fix", "import-corrected")
    switched = change_of(areas, *body, '-    import { AzureOpenAI } from "@azure/openai";', '+    import { AzureOpenAI } from "openai";', " ```")
    assert switched.facts.type_reason != "import-corrected"  # another package: a switch, not a repair


def test_a_key_respelled_in_the_apis_convention_is_a_fix_but_another_key_is_not(areas: AreaConfig) -> None:
    body = [" ```json", " {", '     "messages": [],']
    respelled = change_of(areas, *body, '-    "dataSources": [', '+    "data_sources": [', "     ]", " }", " ```")
    assert decided(respelled) == ("bug fix", "setting-corrected")
    other = change_of(areas, *body, '-    "max_tokens": 800,', '+    "max_completion_tokens": 800,', " }", " ```")
    assert other.facts.type_reason != "setting-corrected"  # another parameter, not the same one respelled
    commented = change_of(areas, " ```powershell", "-  api_key     = $Env:AZURE_OPENAI_API_KEY", "+  #'api-key' = $Env:AZURE_OPENAI_API_KEY", " ```")
    assert commented.facts.type_reason != "setting-corrected"  # a line commented out sets nothing


def test_a_class_name_corrected_in_code_is_a_fix_but_a_plain_word_is_not(areas: AreaConfig) -> None:
    fixed = change_of(areas, " ```csharp", "-OpenAIClient openAIClient = new (oaiEndpoint, credentials);", "+AzureOpenAIClient openAIClient = new (oaiEndpoint, credentials);", " ```")
    assert decided(fixed) == ("bug fix", "code-corrected")
    word = change_of(areas, " ```python", '-print("Hello world")', '+print("Hello there")', " ```")
    assert word.modification_type != "bug fix"


def test_an_api_versions_date_in_code_is_no_retirement_date(areas: AreaConfig) -> None:
    lead = "Preview APIs are periodically deprecated. To migrate from a preview API version to the"
    ga = change_of(areas, f"-{lead} `2023-07-31 (GA)` API version, update the SDK.", f"+{lead} `2023-11-30 (GA)` API version, update the SDK.")
    assert ga.facts.type_reason != "retirement-date-moved"
    moved = change_of(areas, "-The model is deprecated and retires on January 30, 2026.", "+The model is deprecated and retires on March 1, 2026.")
    assert decided(moved) == ("breaking change", "retirement-date-moved")


def test_a_heading_that_lost_its_preview_mark_is_generally_available_but_a_renamed_one_is_not(areas: AreaConfig) -> None:
    ga = change_of(areas, "-## Azure AI Search (preview)", "+## Azure AI Search", " ", " The following example creates a connection.")
    assert decided(ga) == ("new feature", "general-availability")
    renamed = change_of(areas, "-## Azure AI Search (preview)", "+## Azure AI Search connections", " ", " The following example creates a connection.")
    assert renamed.facts.type_reason != "general-availability"


def test_links_retargeted_with_words_that_follow_the_target_are_a_fix_but_another_thing_or_include_linked_is_not(areas: AreaConfig) -> None:
    fixed = change_of(
        areas,
        "-The REST API for this task is [Add, Update, or Delete Documents](/rest/api/searchservice/addupdate-or-delete-documents).",
        "+The REST API for this task is [Index Documents](/rest/api/searchservice/documents).",
    )
    assert decided(fixed) == ("bug fix", "link-corrected")
    version = change_of(
        areas,
        "-| Mistral AI | December 15, 2024 | [Mistral-large-2407](https://aka.ms/azureai/landing/Mistral-Large-2407) |",
        "+| Mistral AI | December 15, 2024 | [Mistral-large-2411](https://aka.ms/aistudio/landing/Mistral-Large-2411) |",
    )
    assert version.facts.type_reason != "link-corrected"  # the link now names another model version
    other = change_of(
        areas,
        "-Deploy it with [Azure AI Studio online endpoints](/azure/machine-learning/concept-endpoints-online).",
        "+Deploy it with [Azure Container Apps](/azure/container-apps/overview).",
    )
    assert other.facts.type_reason != "link-corrected"  # another service linked: a change of content
    include = change_of(areas, "-[!INCLUDE [Use Language Studio](../includes/use-language-studio.md)]", "+[!INCLUDE [Use Microsoft Foundry](../includes/use-microsoft-foundry.md)]")
    assert include.facts.type_reason != "link-corrected"
