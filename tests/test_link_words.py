"""The words of a link to a target, found without a pattern per target (issue 10's speed): the same as the
search of !?\\[(?:!\\[(alt)\\]\\(image\\)|(words))\\]\\(\\s*<?target that link_name compiled for every link."""

from __future__ import annotations

import re

import pytest

from digest.summarize.rank.content import _link_words, link_name


def searched(line: str, target: str) -> str:
    match = re.search(r"!?\[(?:!\[([^\]\n]{2,100})\]\([^)\s]*\)|([^\]\n]{2,100}))\]\(\s*<?" + re.escape(target), line)
    return (match.group(1) or match.group(2)) if match else ""


@pytest.mark.parametrize(
    ("line", "target", "words"),
    [
        ("See [Deploy a model](../deploy.md).", "../deploy.md", "Deploy a model"),
        ("[![Deploy to Azure](https://aka.ms/button)](https://go/x) ok", "https://go/x", "Deploy to Azure"),
        ("[![Deploy to Azure](https://aka.ms/button)](https://go/x)", "https://aka.ms/button", "![Deploy to Azure"),
        ("[first](a.md) and [second](b.md)", "b.md", "second"),
        ("[spaced]( \t<b.md>)", "b.md", "spaced"),
        ("[x](b.md)", "b.md", ""),  # one letter is no link text
        ("[words] (b.md)", "b.md", ""),
        ("[words](  c.md)", " c.md", "words"),  # a target that starts with a space: the spaces give one back
    ],
)
def test_link_words_are_what_the_per_target_search_found(line: str, target: str, words: str) -> None:
    assert _link_words(line, target) == words == searched(line, target)


def test_a_link_is_named_by_its_words_and_target_tail() -> None:
    assert link_name("../how-to/deploy.md", ["- [Deploy a model](../how-to/deploy.md)"]) == "Deploy a model (how-to/deploy.md)"
