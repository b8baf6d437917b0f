"""Nothing changes for users: the fixture range writes byte-identical records and Markdown pages.

The golden digests were written by the code before the issue-10 refactor (see tests/support/golden.py
for how to write them anew when an output changes on purpose).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .support.golden import differences, output_digests, read_golden, run_fixture_range


@pytest.fixture(scope="module")
def digests(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return output_digests(run_fixture_range(tmp_path_factory.mktemp("golden") / "project"))


def test_the_run_writes_records_and_pages_in_both_languages(digests: dict[str, str]) -> None:
    names = set(digests)
    assert "data/state.json" in names
    assert any(name.startswith("data/digests/") and name.endswith(".json") for name in names)
    assert any(name.startswith("site/ja/posts/") for name in names) and any(name.startswith("site/en/posts/") for name in names)


def test_records_and_pages_are_byte_identical_to_the_golden(digests: dict[str, str]) -> None:
    changed = differences(read_golden(), digests)
    assert not changed, "\n".join(changed[:40])


def test_a_changed_file_is_named() -> None:
    assert differences({"a": "1", "b": "2"}, {"b": "3", "c": "4"}) == ["missing: a", "new: c", "differs: b"]


def test_gzipped_output_is_compared_by_content(tmp_path: Path) -> None:
    import gzip

    from .support.golden import file_digest

    first, second = tmp_path / "a.txt.gz", tmp_path / "b.txt.gz"
    first.write_bytes(gzip.compress(b"same", mtime=1))
    second.write_bytes(gzip.compress(b"same", mtime=2))
    assert first.read_bytes() != second.read_bytes()
    assert file_digest(first) == file_digest(second)


def test_the_render_key_alone_is_left_out(tmp_path: Path) -> None:
    from .support.golden import file_digest

    first, second, third = tmp_path / "a.md", tmp_path / "b.md", tmp_path / "c.md"
    first.write_text('---\nx:\n  render: "06ec06f27b"\n---\nText\n')
    second.write_text('---\nx:\n  render: "ab5f0570f8"\n---\nText\n')
    third.write_text('---\nx:\n  render: "ab5f0570f8"\n---\nText!\n')
    assert file_digest(first) == file_digest(second) != file_digest(third)


def test_the_checkout_location_is_left_out(tmp_path: Path) -> None:
    import json

    from .support.golden import BUNDLE, file_digest

    here, elsewhere = tmp_path / "a.json", tmp_path / "b.json"
    here.write_text('{"repo": ' + json.dumps(str(BUNDLE)) + "}")
    elsewhere.write_text('{"repo": "<bundle>"}')
    assert file_digest(here) == file_digest(elsewhere)
