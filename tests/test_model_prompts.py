"""What goes into a prompt: the diff cut to a token budget on hunk boundaries, the facts, the answer checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from digest.classify.areas import AreaConfig
from digest.classify import classify
from digest.diff import parse_patch
from digest.models import DigestRecord
from digest.render.pages import render_posts
from digest.hunks import parse_hunks
from digest.summarize.answers import FileAnswer, PageAnswer
from digest.summarize.prompts import PromptBuilder, cut_diff, estimate_tokens

from .conftest import CORPUS, PROJECT


def hunk(start: int, lines: list[str], section: str = "") -> str:
    header = f"@@ -{start},{len(lines)} +{start},{len(lines)} @@" + (f" {section}" if section else "")
    return "\n".join([header, *lines])


def test_whole_hunks_fit_and_the_cut_is_marked() -> None:
    hunks = [hunk(i * 100, [" context", f"-old line {i} " + "word " * 30, f"+new line {i} " + "word " * 30, " context"], "## Section")
             for i in range(1, 6)]
    patch = "\n".join(hunks)
    whole = cut_diff(parse_hunks(patch), 10_000)
    assert not whole.cut and whole.hunks_shown == whole.hunks_total == 5
    assert whole.text.count("@@ ## Section") == 5  # line numbers dropped, the section kept
    cut = cut_diff(parse_hunks(patch), 100)
    assert cut.cut and 0 < cut.hunks_shown < 5 and cut.hunks_total == 5
    assert cut.lines_hidden == 2 * (5 - cut.hunks_shown)
    assert estimate_tokens(cut.text) <= 100
    # whole hunks only: every shown hunk has both its lines
    assert cut.text.count("-old line") == cut.text.count("+new line") == cut.hunks_shown


def test_a_first_hunk_bigger_than_the_budget_is_cut_by_lines() -> None:
    patch = hunk(1, [f"+line {i} of a new article with some words in it" for i in range(400)])
    excerpt = cut_diff(parse_hunks(patch), 200)
    assert excerpt.cut and excerpt.hunks_shown == 1
    shown = excerpt.text.count("\n+line")
    assert 0 < shown < 400 and excerpt.lines_hidden == 400 - shown
    assert estimate_tokens(excerpt.text) <= 200


def test_far_context_and_table_padding_are_dropped() -> None:
    lines = ([f" far context {i}" for i in range(10)] + ["-| a      | b       |", "+| a      | c       |"]
             + [f" between {i}" for i in range(10)] + ["+added"] + [f" after {i}" for i in range(10)])
    text = cut_diff(parse_hunks(hunk(1, lines)), 10_000).text.split("\n")
    assert text == [
        "@@", " far context 8", " far context 9", "-| a | b |", "+| a | c |", " between 0", " between 1",
        " …", " between 8", " between 9", "+added", " after 0", " after 1",
    ]


def test_the_file_prompt_holds_facts_and_a_budgeted_diff(areas: AreaConfig) -> None:
    records = [json.loads(line) for line in (CORPUS / "gold-dev.jsonl").read_text(encoding="utf-8").splitlines()]
    big = max(records, key=lambda r: len(r["patch"] or ""))
    small = next(r for r in records if r["patch"] and 300 < len(r["patch"]) < 1000 and r["status"] == "modified")
    builder = PromptBuilder(str(PROJECT / "templates"), diff_tokens=800)
    system, user = builder.file_messages(classify(parse_patch(big["path"], big["status"], big["patch"]), areas))
    assert system["role"] == "system" and "minor update: everything else" in system["content"]
    assert user["content"].startswith(f"File: {big['path']}")
    assert "Type by the rules: " in user["content"] and "[… cut: " in user["content"]
    assert "Facts from the whole diff:" in user["content"]
    diff = user["content"].split("\nDiff:\n", 1)[1]
    assert estimate_tokens(diff) <= 800 + 40 and len(diff) < len(big["patch"]) / 2
    _system, user = builder.file_messages(classify(parse_patch(small["path"], small["status"], small["patch"]), areas))
    assert "[… cut" not in user["content"] and "Facts from the whole diff" not in user["content"]


def test_a_deleted_file_sends_only_its_beginning(areas: AreaConfig) -> None:
    patch = hunk(1, ["----", "-title: Old article", "----", *[f"-paragraph {i} " + "text " * 20 for i in range(200)]])
    builder = PromptBuilder(str(PROJECT / "templates"), diff_tokens=4000)
    _system, user = builder.file_messages(classify(parse_patch("articles/x/old.md", "removed", patch), areas))
    assert "-title: Old article" in user["content"] and estimate_tokens(user["content"]) < 450


def answer(**overrides: object) -> dict:
    base = {
        "explanation": {"en": "Adds `gpt-4o` to the table.", "ja": "表に `gpt-4o` を追加しました。"},
        "title": {"en": "gpt-4o added", "ja": "gpt-4o を追加"},
        "modification_type": "new feature",
    }
    return {**base, **overrides}


@pytest.mark.parametrize(
    "bad",
    [
        {"modification_type": "major update"},
        {"title": {"en": "", "ja": "追加"}},
        {"explanation": {"en": "Added.", "ja": "Added."}},  # no Japanese in the Japanese explanation
        {"title": {"en": "x" * 300, "ja": "追加"}},
        {"extra": 1},
    ],
)
def test_answers_are_validated(bad: dict) -> None:
    FileAnswer.model_validate_json(json.dumps(answer()))
    FileAnswer.model_validate_json(json.dumps(answer(title={"en": "GPT-4o mini", "ja": "GPT-4o mini"})))
    with pytest.raises(ValidationError):
        FileAnswer.model_validate_json(json.dumps(answer(**bad)))


def test_a_page_answer_needs_japanese_and_no_blank_items() -> None:
    text = {"highlight": "h", "new_features": [], "breaking_changes": [], "other_updates": ["a"], "insight": "i"}
    ja = {**text, "highlight": "ハイライト", "insight": "洞察"}
    PageAnswer.model_validate({"en": text, "ja": ja})
    with pytest.raises(ValidationError):
        PageAnswer.model_validate({"en": text, "ja": text})
    with pytest.raises(ValidationError):
        PageAnswer.model_validate({"en": {**text, "other_updates": [" "]}, "ja": ja})


@pytest.fixture(scope="module")
def model_record() -> DigestRecord:
    patch = hunk(10, [" a", "-old value", "+new value", " b"])
    file = {
        "path": "articles/ai-services/openai/overview.md", "old_path": None, "status": "modified", "additions": 1,
        "deletions": 1, "binary": False, "noise": "none", "modification_type": "bug fix",
        "title": {"ja": "値を修正", "en": "Value fixed"}, "explanation": {"ja": "値を修正しました。", "en": "Fixed a value."},
        "links": {"github": "https://github.com/MicrosoftDocs/azure-ai-docs/blob/x/a.md"}, "summarizer": "model:m",
        "facts": {}, "patch": patch,
    }
    text = {"highlight": "h", "new_features": [], "breaking_changes": [], "other_updates": [], "insight": "i"}
    return DigestRecord.model_validate({
        "date": "2025-02-03", "timezone": "Asia/Tokyo", "area": "openai", "area_name": {"ja": "A", "en": "A"},
        "repo": "https://github.com/MicrosoftDocs/azure-ai-docs", "branch": "main", "base": "a", "head": "b",
        "compare_url": "https://github.com/MicrosoftDocs/azure-ai-docs/compare/a...b", "commits": [],
        "summary": {"ja": text, "en": text, "summarizer": "model:m"},
        "files": [file, {**file, "path": "articles/ai-services/openai/other.md", "summarizer": "offline"}],
    })


def test_the_notice_names_the_files_that_fell_back(model_record: DigestRecord) -> None:
    en = render_posts(str(PROJECT / "templates"), model_record)["en"]
    ja = render_posts(str(PROJECT / "templates"), model_record)["ja"]
    assert '!!! warning "Some summaries were written without the language model"' in en
    assert "the 1 file below were written by rules from the diff: [other.md](#file-2)" in en
    assert "次の 1 ファイルの要約は差分から規則で作成しています: [other.md](#file-2)" in ja
    assert "highlight and insight" not in en


def test_the_notice_for_a_page_text_that_fell_back(model_record: DigestRecord) -> None:
    record = model_record.model_copy(deep=True)
    record.summary.summarizer = "offline"
    record.files[1].summarizer = "model:m"
    en = render_posts(str(PROJECT / "templates"), record)["en"]
    assert "the highlight and insight were written by rules from the diff" in en and "file(s)" not in en.split("## Insight")[0]
    assert "ハイライトとインサイトは差分から規則で作成しています" in render_posts(str(PROJECT / "templates"), record)["ja"]


def test_no_notice_when_everything_is_offline_or_everything_is_by_the_model(model_record: DigestRecord) -> None:
    offline = model_record.model_copy(deep=True)
    offline.summary.summarizer = "offline"
    for file in offline.files:
        file.summarizer = "offline"
    by_model = model_record.model_copy(deep=True)
    by_model.files[1].summarizer = "model:m"
    for record in (offline, by_model):
        assert "!!! warning" not in render_posts(str(PROJECT / "templates"), record)["en"]


def test_project_templates_exist() -> None:
    for name in ("rubric", "file_system", "file_user", "page_system", "page_user"):
        assert (Path(PROJECT) / "templates" / "prompts" / f"{name}.j2").exists()


def test_model_text_stays_inert_on_the_page(model_record: DigestRecord) -> None:
    record = model_record.model_copy(deep=True)
    record.files[0].title.en = "<script>alert(1)</script> [x](javascript:alert(1))"
    record.files[0].explanation.en = "<img src=x onerror=alert(1)>"
    record.summary.en.highlight = "<iframe src=//evil></iframe>"
    record.summary.en.new_features = ["![i](javascript:alert(1))"]
    page = render_posts(str(PROJECT / "templates"), record)["en"]
    # outside the Summary JSON blocks (raw <pre> blocks, which Markdown reads nothing in: they show the title
    # as text, HTML-escaped) and any fenced code
    blocks = re.findall(r'^<pre class="json">(.*?)</pre>$', page, flags=re.S | re.M)
    assert blocks and all("<" not in block for block in blocks)
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))" in block for block in blocks)
    outside, fenced = [], False
    for line in re.sub(r'^<pre class="json">.*?</pre>$', "", page, flags=re.S | re.M).split("\n"):
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced:
            outside.append(line)
    text = "\n".join(outside)
    assert "alert(1)" in page and "&lt;script&gt;" in text
    for raw in ("<script>", "<img", "<iframe", "](javascript:"):
        assert raw not in text
