"""The one code-span pattern (digest.plaintext.CODE_SPAN) does what each of its callers needs."""

from __future__ import annotations

from digest.evaluate.score import invented_identifiers
from digest.plaintext import CODE_SPAN, plain
from digest.render.templating import md_inline
from digest.summarize.titletext import _tidy, verified_code


def spans(text: str) -> list[str]:
    return [match.group(2) for match in CODE_SPAN.finditer(text)]


def test_inline_code_with_and_without_inner_spaces():
    assert spans("set `top_p` and ` max_tokens ` now") == ["top_p", "max_tokens"]
    assert spans("a `two words` span") == ["two words"]


def test_double_backticks_hold_a_single_backtick():
    assert spans("the ``a`b`` token and `` ` `` alone") == ["a`b", "`"]


def test_a_span_does_not_run_across_a_newline_and_an_unpaired_backtick_is_text():
    assert spans("`open\nclose`") == []
    assert spans("one ` alone") == []


def test_plain_keeps_the_code_text_bare():
    assert plain("Use ` top_p ` or ``a`b``.") == "Use top_p or a`b."
    assert plain("Use `top_p`.", keep_code=True) == "Use `top_p`."


def test_plain_strips_every_line_marker_and_emphasis_it_looks_for():
    # plain() skips a pattern when the line holds none of the characters it needs: each such line still comes out plain
    assert plain("\u3000- item with **bold**") == "item with bold"
    assert plain("\u0661. an Arabic-Indic numbered item") == "an Arabic-Indic numbered item"
    assert plain("> ## quoted heading") == "quoted heading"
    assert plain("~~gone~~ and _kept_ and snake_case_name") == "gone and kept and snake_case_name"
    assert plain("| --- | :---: |") == ""
    assert plain("2025 was the year") == "2025 was the year"
    assert plain("3. step three") == "step three"


def test_verified_code_unwraps_a_span_the_diff_does_not_hold():
    assert verified_code("Sets `top_p` and `made_up`.", "+ top_p: 1") == "Sets `top_p` and made_up."


def test_tidy_leaves_a_code_span_alone():
    assert _tidy("Set `a ,b` , then") == "Set `a ,b`, then"


def test_md_inline_keeps_spans_and_escapes_the_rest():
    assert md_inline("Use `a*b` and *c*") == "Use `a*b` and \\*c\\*"
    assert md_inline("a ``x`y`` b") == "a `` x`y `` b"
    assert md_inline("`two\nlines`") == "`two lines`"


def test_eval_counts_a_span_missing_from_the_diff():
    from digest.evaluate.corpus import EvalRecord
    from digest.models import FileSummary

    record = EvalRecord.model_validate(
        {"id": "r1", "path": "articles/a.md", "status": "modified", "additions": 1, "deletions": 0,
         "patch": "@@ -1 +1 @@\n+Set top_p now", "label": "minor update"}
    )
    summary = FileSummary(
        modification_type="minor update",
        title={"en": "Set `top_p` and ` ghost `", "ja": "`top_p`"},
        explanation={"en": "x", "ja": "x"},
        summarizer="offline",
    )
    assert invented_identifiers(record, summary) == ["ghost"]
