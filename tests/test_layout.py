"""The layout stays readable: no module of digest/ over 400 lines, no function over 60 (issue 10)."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import PROJECT

PACKAGE = PROJECT / "digest"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def module_lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def long_functions(path: Path, limit: int, base: Path = PACKAGE) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(base).as_posix()}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > limit
    ]


def test_no_module_over_the_limit() -> None:
    too_long = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if module_lines(path) > MAX_MODULE_LINES:
            too_long[name] = module_lines(path)
    assert not too_long, too_long


def test_no_function_over_the_limit() -> None:
    too_long = [entry for path in sorted(PACKAGE.rglob("*.py")) for entry in long_functions(path, MAX_FUNCTION_LINES)]
    assert not too_long, "\n".join(too_long)


def test_the_function_check_sees_a_long_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    sample.write_text(f"def short():\n    return 1\n\n\ndef long():\n{body}\n", encoding="utf-8")
    assert [entry.split(" ")[1] for entry in long_functions(sample, MAX_FUNCTION_LINES, tmp_path)] == ["long"]
