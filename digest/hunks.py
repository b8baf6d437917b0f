"""The hunks of one file's patch as typed lines: the one parser of patch text.

`FileChange.hunks` parses its patch here once; every later stage (classify's line
views, the rank of facts, the model prompt's excerpt) reads these lines instead of
the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)")

# (sign, text): sign is "+", "-" or " "; text has neither the sign nor a trailing carriage return
DiffLine = tuple[str, str]


@dataclass
class Hunk:
    # the header line as the patch has it, and what it says
    header: str = ""
    old_start: int = 0
    new_start: int = 0
    # the text git shows after the hunk header (the enclosing section)
    section: str = ""
    lines: list[DiffLine] = field(default_factory=list)


@dataclass
class ParsedPatch:
    hunks: list[Hunk] = field(default_factory=list)
    # before the first hunk header (a diff that could not be parsed): the first line that is not
    # empty, then the diff lines right after it
    preamble: list[str] = field(default_factory=list)


def parse_hunks(patch: str) -> ParsedPatch:
    parsed = ParsedPatch()
    hunks = parsed.hunks
    for raw in patch.split("\n"):
        if raw.startswith("@@"):
            match = HUNK_HEADER.match(raw)
            if match:
                hunks.append(Hunk(raw, int(match.group(1)), int(match.group(3)), match.group(5)))
                continue
        if not hunks:
            _add_preamble(parsed.preamble, raw.rstrip("\r"))
            continue
        if not raw or raw[0] not in "+- ":
            continue  # "\ No newline at end of file" and stray text
        hunks[-1].lines.append((raw[0], raw[1:].rstrip("\r")))
    return parsed


def _add_preamble(preamble: list[str], line: str) -> None:
    if not preamble:
        if line:
            preamble.append(line)
    elif line[:1] in ("+", "-", " "):
        preamble.append(line)
