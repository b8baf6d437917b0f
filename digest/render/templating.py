"""The Jinja2 environment shared by the offline summarizer and the renderer.

All text that comes from a diff, the documentation or a model is untrusted:
the filters here make it inert in Markdown (no raw HTML, no links, no
breaking out of a fenced block).
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from digest.docsrepo.links import pull_request_url, short_commits
from digest.plaintext import CODE_SPAN

# characters that start HTML or Markdown constructs in running text, and how each is shown literally
PLAIN_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{char: "\\" + char for char in "\\`*_{}[]()#!|"}}
)
UNSAFE_URL = re.compile(r"^\s*(javascript|data|vbscript|file):", re.IGNORECASE)


def _escape_plain(text: str) -> str:
    """Plain text shown literally: HTML escaped, Markdown punctuation backslash-escaped."""
    return text.translate(PLAIN_ESCAPES)


def _code_span(content: Any) -> str:
    """`content` as an inline code span that no backtick inside can close."""
    content = str(content if content is not None else "").replace("\n", " ")
    if not content.strip():
        return ""
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if content.startswith("`") or content.endswith("`") or longest else ""
    return f"{fence}{pad}{content}{pad}{fence}"


def md_inline(text: Any) -> str:
    """Untrusted one-line text for a Markdown paragraph or table cell.

    Code spans written by our summarizers (`like this`) stay code spans;
    everything else is shown literally. Newlines become spaces.
    """
    text = " ".join(str(text if text is not None else "").split())
    parts: list[str] = []
    position = 0
    for match in CODE_SPAN.finditer(text):
        parts.append(_escape_plain(text[position : match.start()]))
        parts.append(_code_span(match.group(2).strip() or match.group(2)))
        position = match.end()
    parts.append(_escape_plain(text[position:]))
    return "".join(parts)


def attr_text(text: Any) -> str:
    """Untrusted text for an HTML attribute inside a Markdown table cell (a `|` would end the cell)."""
    return html.escape(str(text if text is not None else ""), quote=True).replace("|", "&#124;")


def html_inline(text: Any) -> str:
    """Untrusted one-line text for raw HTML in the Markdown (no Markdown is read there): HTML-escaped, one line."""
    return html.escape(" ".join(str(text if text is not None else "").split()), quote=True)


def pre_text(text: Any) -> str:
    """Untrusted text as the content of a raw `<pre>` element: `&`, `<`, `>` escaped (quotes need not be there)."""
    return html.escape(str(text if text is not None else ""), quote=False)


def safe_url(url: Any) -> str:
    """A URL for a Markdown link target, or "#" when it could run script."""
    url = str(url or "")
    if UNSAFE_URL.match(url) or any(c in url for c in "<>\"'`\n\r\t ()"):
        return "#"
    return url


def summary_json(modification_type: str, title: str) -> str:
    """The Summary JSON block of a file, as json.dumps(indent=2) writes it, without its general machinery."""
    return (
        f'{{\n  "modification_type": {json.dumps(modification_type)},\n'
        f'  "modification_title": {json.dumps(title, ensure_ascii=False)}\n}}'
    )


def shared_basenames(paths: Iterable[str]) -> set[str]:
    """The base names that more than one of `paths` has (two `quickstart.md` in different folders)."""
    counts = Counter(PurePosixPath(path).name for path in paths)
    return {name for name, count in counts.items() if count > 1}


def indent_all(text: str, width: int = 4) -> str:
    """Indent every line, blank ones too, so a block stays inside its container."""
    pad = " " * width
    return "\n".join(pad + line if line else pad.rstrip() for line in text.split("\n"))


@functools.lru_cache(maxsize=8)
def environment(templates_dir: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(templates_dir)),
        autoescape=False,  # the output is Markdown; untrusted text goes through the md_* filters
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        md_inline=md_inline,
        attr_text=attr_text,
        html_inline=html_inline,
        pre_text=pre_text,
        safe_url=safe_url,
        summary_json=summary_json,
        shared_basenames=shared_basenames,
        indent_all=indent_all,
        code=_code_span,
        basename=lambda path: PurePosixPath(path).name,
        # a GitHub blob or compare address with abbreviated commit ids (the records keep the full ones)
        short_commits=short_commits,
        # a pull request's URL: {{ record.repo|pull_request_url(number) }}
        pull_request_url=pull_request_url,
    )
    return env
