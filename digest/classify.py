"""Classify stage: facts from a FileChange's diff, then the change type, noise kind and area.

The change types follow the rubric in DESIGN.md (first match wins):
breaking change > new feature > bug fix > minor update. Each rule below
names the rubric clause it implements; `Facts.type_reason` records which
rule decided. The rules judge the content of the diff: lines that only
moved or only changed their Markdown form (a table turned into a list)
cancel out before any rule looks at them.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .areas import AreaConfig
from .hunks import Hunk
from .models import ClassifiedChange, Facts, FileChange, Noise, Replacement

# --- lines of a patch ---------------------------------------------------------

@dataclass
class ChangedLine:
    sign: str  # "+" or "-"
    text: str
    front_matter: bool
    in_code: bool
    # the run of consecutive changed lines (a "block") the line belongs to
    block: int = 0
    # inside an HTML comment (<!-- ... -->): not shown to readers
    comment: bool = False


@dataclass
class DiffLines:
    changed: list[ChangedLine] = field(default_factory=list)
    # unchanged lines shown around the changes
    context: list[str] = field(default_factory=list)
    # per block: the text just before it (the hunk's section text, then the context lines above)
    leads: dict[int, str] = field(default_factory=dict)


def line_view(change: FileChange) -> DiffLines:
    """The change's lines as classify sees them (computed once per change; the rank of facts reads them too)."""
    return change.derived("lines", lambda c: parse_lines(c.parsed_patch.hunks, is_markdown_path(c.path)) if c.patch else DiffLines())


FRONT_MATTER_KEY = re.compile(
    r"^\s*(?:-\s+)?(?:ms\.[\w.-]+|title|titleSuffix|description|author|manager|reviewer|"
    r"keywords|ROBOTS|robots|recommendations|zone_pivot_groups|monikerRange|ai-usage|"
    r"show_latex|uid|adobe-target|feedback_system|feedback_product_url|#?services|layout)\s*:"
)
YAML_LINE = re.compile(r"^\s*(?:-\s+)?[\w.#-]+\s*:|^\s+-\s+\S")
FRONT_MATTER_NAME = re.compile(r"^\s*(?:-\s+)?([\w.#-]+)\s*:")
YAML_ITEM = re.compile(r"^\s+-\s+\S")
FENCE = re.compile(r"^\s*(```|~~~)")
BARE_FENCE = re.compile(r"^\s*(```|~~~)\s*$")
# how far from the top of a Markdown file front matter can reach
FRONT_MATTER_REACH = 40


def _hunk_opens_in_front_matter(hunk: Hunk) -> bool | None:
    """Whether a Markdown hunk starts inside the front matter; None when it starts on the opening '---'."""
    top = min(hunk.old_start, hunk.new_start)
    texts = [text.strip() for _, text in hunk.lines]
    if top <= 1 and texts[:1] == ["---"]:
        return None
    if top <= FRONT_MATTER_REACH and "---" in texts:
        before = hunk.lines[: texts.index("---")]
        return all(not text.strip() or YAML_LINE.match(text) for _, text in before)
    if (
        top <= FRONT_MATTER_REACH
        and any(FRONT_MATTER_KEY.match(text) for text in texts)
        and all(not text or YAML_LINE.match(text) or re.match(r"#\S", text) for text in texts)
    ):
        return True  # a hunk of metadata lines only, its delimiters out of view
    return False


def parse_lines(hunks: list[Hunk], is_markdown: bool) -> DiffLines:
    """The + and - lines of a patch's hunks, each marked as front matter or code when that can be seen, with their context."""
    result = DiffLines()
    block = -1
    for hunk in hunks:
        in_front = _hunk_opens_in_front_matter(hunk) if is_markdown else False
        top = min(hunk.old_start, hunk.new_start)
        in_code = False
        fences_seen = 0
        hunk_changed_from = len(result.changed)
        lead: list[str] = [hunk.section] if hunk.section else []
        previous_sign = " "
        previous_blank = False
        run_from = hunk_changed_from
        in_comment = False
        for offset, (sign, text) in enumerate(hunk.lines):
            stripped = text.strip()
            comment = in_comment
            if "<!--" in text or "-->" in text or in_comment:
                opened, closed = text.rfind("<!--"), text.rfind("-->")
                comment = in_comment or (stripped.startswith("<!--") and (closed < 0 or stripped.endswith("-->")))
                in_comment = opened > closed if opened >= 0 or closed >= 0 else in_comment
            if not stripped:
                previous_blank = True
                run_from = len(result.changed) + (sign != " ")
            if in_front is None and stripped == "---":  # the opening delimiter
                in_front = True
                continue
            if in_front and stripped == "---":  # the closing delimiter
                in_front = False
                if sign != " ":
                    block += previous_sign == " "
                    result.changed.append(ChangedLine(sign, text, True, False, block))
                    previous_sign = sign
                continue
            if not in_front and ("```" in text or "~~~" in text) and FENCE.match(text):
                if fences_seen == 0 and not in_code and BARE_FENCE.match(text) and not previous_blank:
                    # the hunk opened inside a code block and this fence closes it: the lines
                    # right above it (back to the last blank line) were code
                    for line in result.changed[max(hunk_changed_from, run_from) :]:
                        line.in_code = not line.front_matter
                in_code = not in_code
                fences_seen += 1
            if stripped:
                previous_blank = False
            if sign == " ":
                result.context.append(text)
                if stripped:
                    lead = (lead + [stripped])[-4:]
                previous_sign = sign
                continue
            if previous_sign == " ":
                block += 1
                result.leads[block] = " ".join(lead)
            previous_sign = sign
            # metadata keys outside a visible front matter: near the top of an
            # article, or anywhere in a YAML page's metadata block
            keyed = (not is_markdown or top + offset <= FRONT_MATTER_REACH) and FRONT_MATTER_KEY.match(text) is not None
            # the items of a metadata list (ms.custom:, then "  - build-2025")
            continued = bool(result.changed) and result.changed[-1].front_matter and YAML_ITEM.match(text) is not None
            is_front = bool(in_front) or keyed or continued
            result.changed.append(ChangedLine(sign, text, is_front, in_code and not is_front, block, comment))
    return result


# --- inline Markdown ------------------------------------------------------------

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
TAB_LABEL = re.compile(r"^\[([^\]]+)\]\(#tab/[^)]*\)$")
TABLE_ROW = re.compile(r"^\s*>?\s*\|(.*)\|?\s*$")
TABLE_SEPARATOR = re.compile(r"^\s*>?\s*\|?\s*:?-{2,}")
LIST_ITEM = re.compile(r"^\s*(?:>\s*)?(?:[-*+]|\d+\.)\s+(.+)$")
BACKTICKED = re.compile(r"(?<!`)`([^`\n]+?)`(?!`)")
EMPHASIS = re.compile(r"\*\*(.+?)\*\*|(?<!\w)__(.+?)__(?!\w)")
LINK_TEXT = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^)\s>]*)")
LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
BARE_URL = re.compile(r"https?://[^\s)\"'<>\]`]+")
IMAGE_MD = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
IMAGE_TRIPLE = re.compile(r":::image\b[^\n]*?\bsource=\"([^\"]+)\"", re.IGNORECASE)
INCLUDE = re.compile(r"\[!INCLUDE\s*\[[^\]]*\]\(\s*<?([^)\s>]+)>?\s*\)\s*\]", re.IGNORECASE)
FRONT_TITLE = re.compile(r"^\s*title\s*:\s*['\"]?(.+?)['\"]?\s*$")
YAML_VALUE = re.compile(r"^\s*(?:-\s+)?(?:text|title|name|displayName|url|href|question)\s*:\s*['\"]?([^'\"|>].*?)['\"]?\s*$")
DIRECTIVE = re.compile(r"^\s*(?:>\s*)*(?:\[!(?:div|NOTE|TIP|IMPORTANT|CAUTION|WARNING)\b[^\]]*\]|:::\s*[\w-]+|::: ?zone|---+|\|?[\s:|-]+\|?)\s*$", re.I)
# real HTML tags only: placeholders such as <your-resource-name> are text
HTML_TAG = re.compile(
    r"</?(?:a|b|i|u|s|em|strong|br|hr|sup|sub|span|div|p|img|code|kbd|pre|ul|ol|li|table|thead|tbody|tr|td|th|small|big|center"
    r"|font|section|details|summary|iframe|video|source|nobr|wbr|mark|del|ins|abbr|cite|q|var|samp|dl|dt|dd)\b[^>]*>",
    re.IGNORECASE,
)
# names that look like code even without backticks: snake_case, camelCase, dotted.names
CODE_WORD = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[a-z]+(?:[A-Z][a-z0-9]+)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+){2,}|[a-z][a-z0-9]+(?:\.[a-z][a-z0-9_]+)+")
# where a code-like word can be seen: an underscore or dot inside a word, a lower-to-upper case step
CODE_WORD_MARK = re.compile(r"[a-z0-9][_.][a-z]|[a-z][A-Z]")
WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.")
QUOTED = re.compile(r"\"([A-Za-z][^\"\n{}=:;]{2,60} [^\"\n{}=:;]{1,60})\"")
GENERIC_LINK_TEXT = re.compile(r"^(?:here|this|link|this article|learn more|more|see|read more|details)$", re.IGNORECASE)
API_VERSION = re.compile(r"\b20\d\d-\d\d-\d\d(?:-preview)?\b")
# the same, led by a literal so the regex engine can skip ahead fast; the word boundary before is checked by hand
API_VERSION_FAST = re.compile(r"20\d\d-\d\d-\d\d(?:-preview)?\b")
MODEL_NAME = re.compile(
    r"\b(?=[gotdwscbmPpLlMCDGAJjFK])(?:gpt-[\w.]+(?:-[\w.]+)*"
    r"|o[1-9](?:-(?:mini|pro|preview|deep-research|high|low|medium))*(?:-20\d\d-\d\d-\d\d)?(?![\w-])|dall-e(?:-\d)?|whisper(?:-\d)?|tts(?:-hd)?(?:-\d)?"
    r"|text-embedding-[\w.-]+|(?:davinci|babbage)-\d+|sora(?:-\d)?|codex-[\w.-]+|computer-use-[\w.-]+|model-router"
    r"|(?:Phi|phi|Llama|llama|Meta-Llama|Mistral|mistral|Ministral|Codestral|Cohere|cohere|DeepSeek|deepseek|grok|Grok"
    r"|MAI-DS|AI21-Jamba|Jamba|jais|FLUX|Kimi)-[\w.-]+)"
)
# substrings one of which a text must hold to name a model (a cheap test before MODEL_NAME)
MODEL_HINTS = (
    "gpt-", "o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8", "o9", "dall-e", "whisper", "tts", "text-embedding-", "davinci-",
    "babbage-", "sora", "codex-", "computer-use-", "model-router", "hi-", "lama-", "istral-", "Codestral-", "ohere-",
    "eepSeek-", "eepseek-", "rok-", "MAI-DS", "Jamba", "jais-", "FLUX-", "Kimi-",
)
# a pinned package: openai==0.28.1, azure-ai-inference>=1.0.0b5
PACKAGE_PIN = re.compile(r"(?<![\w.-])[A-Za-z][\w.-]*(?:==|>=|<=|~=)[\w.*]+")
# names a parameter or field takes in code: camelCase, PascalCase with 2+ humps, snake_case
PARAMETER_NAME = re.compile(r"^(?:[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*){2,}|[a-z][a-z0-9]*(?:_[a-z0-9]+)+)$")
CODE_LINE = re.compile(
    r"[;{]\s*$|^\s*(?:[$!]\s|pip3? |az |curl |npm |dotnet |git |docker |kubectl |python3? |import |from \w|const |let |var |def |return )"
    r"|^\s*[\"'][\w.-]+[\"']\s*:|\w\([^)]*\)\s*[;:]?\s*$|\s(?:=|==|\|\||&&)\s"
)
COMMAND_LINE = re.compile(r"^\s*(?:[$!]\s*)?(?:pip3?|az|curl|npm|dotnet|git|docker|kubectl|python3?|winget|brew|apt(?:-get)?)\s")
# phrase kinds, matched on lower-cased text ("ga": on the text as written); each pattern starts with
# a literal so the regex engine skips ahead fast, and the word boundary before it is checked by hand
PHRASES: dict[str, re.Pattern[str]] = {
    "retirement": re.compile(
        r"retir(?:e|ed|es|ing|ement)\b|end of (?:life|support)|no longer (?:available|supported)"
        r"|(?:will be|is being|are being) (?:removed|discontinued)|discontinu\w*|sunset\w*"
    ),
    "deprecation": re.compile(r"deprecat\w*"),
    "preview": re.compile(r"preview\b"),
    "ga": re.compile(r"GA\b|general(?:ly available| availability)"),
}
# substrings one of which a text must hold for the phrase to be there: a cheap test before the regex
PHRASE_HINTS: dict[str, tuple[str, ...]] = {
    "retirement": ("retir", "end of", "no longer", "removed", "discontinu", "sunset"),
    "deprecation": ("deprecat",),
    "preview": ("preview",),
    "ga": ("GA", "eneral"),
}
CASED_PHRASES = ("ga",)


def phrase_matches(kind: str, text: str, lower: str | None = None) -> list[re.Match[str]]:
    """The places `text` uses a phrase kind (`lower`: the text lower-cased, when already at hand)."""
    subject = text if kind in CASED_PHRASES else (lower if lower is not None else text.lower())
    if not any(hint in subject for hint in PHRASE_HINTS[kind]):
        return []
    return [
        match
        for match in PHRASES[kind].finditer(subject)
        if match.start() == 0 or not (subject[match.start() - 1].isalnum() or subject[match.start() - 1] == "_")
    ]


def hinted(text: str, hints: tuple[str, ...]) -> bool:
    return any(hint in text for hint in hints)


MAX_FACT_ITEMS = 40
MAX_PHRASE_LINE = 240
MAX_TERM = 90
# work done per file is bounded so one huge diff cannot stall a run
MAX_PAIRS = 80
MAX_TERM_LINES = 120
MAX_CODE_WORD_LINES = 40
MAX_SCAN_LINES = 3000


def _unique(items: list[str], limit: int = MAX_FACT_ITEMS) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip()
        if item and item not in seen:
            seen[item] = None
        if len(seen) >= limit:
            break
    return list(seen)


def _difference(first: list[str], second: list[str], limit: int = MAX_FACT_ITEMS) -> list[str]:
    """Items of `first` that are not in `second`, in order, without repeats."""
    others = set(second)
    return _unique([item for item in first if item not in others], limit)


def plain_text(markdown: str) -> str:
    """Inline Markdown as the words a reader sees: links and emphasis unwrapped, code kept."""
    text = markdown
    if "](" in text:
        text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    if "*" in text or "__" in text:
        text = re.sub(r"(\*\*|__|\*)(\S(?:.*?\S)?)\1", r"\2", text)
    return " ".join(text.split())


def _plain_term(markdown: str) -> str:
    """A short span as a reader sees it, without the code ticks or emphasis around it."""
    text = plain_text(markdown).strip(" *_:")
    return text[1:-1].strip() if len(text) > 1 and text[0] == "`" and text[-1] == "`" and "`" not in text[1:-1] else text


def heading_text(text: str) -> str | None:
    """The words of a heading line, a tab label's text included; None when the line is no heading."""
    match = HEADING.match(text)
    if not match:
        return None
    title = match.group(2).strip()
    tab = TAB_LABEL.match(title)
    return plain_text(tab.group(1) if tab else title) or None


def table_cells(line: str, parts: bool = False) -> list[str] | None:
    """The cells of a table row as plain text; with `parts`, cells are also split at line breaks (<br>)."""
    if not TABLE_ROW.match(line) or TABLE_SEPARATOR.match(line) or line.count("|") < 2:
        return None
    row = line.strip().lstrip(">").strip().strip("|")
    cells = re.split(r"(?<!\\)\|", row)
    if parts:
        cells = [part for cell in cells for part in re.split(r"<br\s*/?>", cell, flags=re.IGNORECASE)]
    return [plain_text(cell) for cell in cells]


def table_row_text(line: str) -> str | None:
    cells = table_cells(line)
    if not cells or not any(cells):
        return None
    return " | ".join(cells).strip(" |")


def identifiers_in(text: str) -> list[str]:
    found = [match.group(1).strip() for match in BACKTICKED.finditer(text)] if "`" in text else []
    models = model_names_in(text)
    # a version that ends a model name (gpt-4o-2024-08-06) is part of that name, not an identifier of its own
    found += [v for v in api_versions_in(text) if not any(model.endswith("-" + v) for model in models)]
    found += models
    if "==" in text or ">=" in text or "<=" in text or "~=" in text:
        found += [match.group(0).rstrip(".") for match in PACKAGE_PIN.finditer(text)]
    return [item for item in found if item]


def api_versions_in(text: str) -> list[str]:
    return [
        m.group(0) for m in API_VERSION_FAST.finditer(text) if m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_")
    ]


def model_names_in(text: str) -> list[str]:
    if not hinted(text, MODEL_HINTS):
        return []
    return [m.group(0).rstrip(".-") for m in MODEL_NAME.finditer(text)]


def is_version(item: str) -> bool:
    """An API version or a model name, as a whole."""
    return API_VERSION.fullmatch(item) is not None or MODEL_NAME.fullmatch(item) is not None


def links_in(text: str) -> list[str]:
    links = [match.group(1) for match in MD_LINK.finditer(text)]
    if "http" in text:
        links += [m.group(0).rstrip(".,;:") for m in BARE_URL.finditer(text) if m.start() == 0 or text[m.start() - 1] not in "(\"'=" and not text[m.start() - 1].isalnum()]
    return [link for link in links if not IMAGE_EXTENSIONS.search(link)]


def images_in(text: str) -> list[str]:
    return [m.group(1) for m in IMAGE_MD.finditer(text)] + [m.group(1) for m in IMAGE_TRIPLE.finditer(text)]


def includes_in(text: str) -> list[str]:
    return [m.group(1) for m in INCLUDE.finditer(text)]


def looks_like_code(line: ChangedLine) -> bool:
    if line.in_code:
        return True
    prose = BARE_URL.sub(" ", MD_LINK.sub("]", line.text))
    return CODE_LINE.search(prose) is not None


def _line_terms(text: str, is_markdown: bool) -> list[str]:
    """The terms that only the shape of a whole line shows: heading, table cells, short list item, YAML value."""
    stripped = text.lstrip()
    if not stripped:
        return []
    first = stripped[0]
    if first == "#" and is_markdown:
        heading = heading_text(text)
        if heading:
            return [heading]
    if "|" in text:
        cells = table_cells(text, parts=True)
        if cells:
            return [cell for cell in cells if cell]
    if first in "-*+>" or first.isdigit():
        item = LIST_ITEM.match(text)
        if item:
            words = plain_text(item.group(1))
            if len(words.split()) <= 8:
                return [words.rstrip(".")]
            if ":" in words[:60]:
                return [words.split(":", 1)[0]]
    if ":" in text and not is_markdown:
        yaml_value = YAML_VALUE.match(text)
        if yaml_value:
            return [plain_text(yaml_value.group(1))]
    if is_markdown and first.isalnum() and text[-1:] not in ".:,;!?)" and not DIRECTIVE.match(text):
        words = plain_text(text)
        if 1 < len(words.split()) <= 8:
            return [words]  # a line of its own that names something: a label, an entity, an option
    return []


def terms_of(texts: list[str], is_markdown: bool, identifiers: list[str] | None = None) -> list[str]:
    """The notable verbatim spans of some lines, the most telling kinds first: headings and other
    whole-line names, then identifiers, then code-like words, quoted phrases, emphasis and link texts.
    `identifiers`, when given, are those of the lines, already found."""
    joined = "\n".join(texts)
    terms = [term for text in texts for term in _line_terms(text, is_markdown)]
    terms += identifiers_in(joined) if identifiers is None else identifiers
    terms += code_words_in("\n".join(texts[:MAX_CODE_WORD_LINES]))
    if '"' in joined:
        terms += QUOTED.findall(joined)
    if "**" in joined or "__" in joined:
        terms += [_plain_term(m.group(1) or m.group(2)) for m in EMPHASIS.finditer(joined)]
    if "](" in joined:
        terms += [plain_text(m.group(1)) for m in LINK_TEXT.finditer(joined) if not GENERIC_LINK_TEXT.match(m.group(1).strip())]
    return [term for term in (t.strip(" ,;") for t in terms) if term and len(term) <= MAX_TERM]


def code_words_in(text: str) -> list[str]:
    """snake_case, camelCase, PascalCase and dotted.names of a text that are not parts of a path or URL."""
    words: list[str] = []
    done = -1
    for mark in CODE_WORD_MARK.finditer(text):
        if mark.start() < done:
            continue
        start, end = mark.start(), mark.end()
        while start > 0 and text[start - 1] in WORD_CHARS:
            start -= 1
        while end < len(text) and text[end] in WORD_CHARS:
            end += 1
        done = end
        if (start and text[start - 1] in "/-") or (end < len(text) and text[end] in "/-"):
            continue  # the middle of a path, a URL or a hyphenated name
        word = text[start:end].rstrip(".")
        if CODE_WORD.fullmatch(word):
            words.append(word)
    return words


SENTENCE_END = re.compile(r"(?<=[.!?。])\s")


def opening_words(text: str, limit: int = 160) -> str | None:
    """The first sentence of a prose line, or None for lines that are not prose."""
    stripped = text.lstrip()
    if stripped[:1] == "#" and heading_text(text) or "|" in text and table_cells(text) or DIRECTIVE.match(text):
        return None
    if "[!" in text and INCLUDE.search(text) or ("![" in text or ":::image" in text) and images_in(text):
        return None
    plain = plain_text(re.sub(r"^\s*(?:>\s*)*(?:[-*+]|\d+\.)?\s*", "", text))
    if len(plain.split()) < 4:
        return None
    sentence = SENTENCE_END.split(plain, maxsplit=1)[0]
    return clip_words(sentence, limit)


def clip_words(text: str, limit: int) -> str:
    """`text` cut at a word boundary to about `limit` characters, never inside a word.

    A long word (a URL, a path) that straddles the limit is kept whole when it
    ends soon after it, rather than lost.
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    end = text.find(" ", limit)
    if 0 < end <= limit + LONG_WORD or (end < 0 and len(text) <= limit + LONG_WORD):
        cut = end if end > 0 else len(text)
        straddling = text.rfind(" ", 0, limit) + 1
        if cut - straddling > 20:  # the word at the limit is long: keep it whole
            return text[:cut].rstrip(" ,;:") + ("…" if cut < len(text) else "")
    cut = text.rfind(" ", 0, limit)
    if cut <= 0:
        first = text.split(" ", 1)[0]
        return first + ("…" if len(first) < len(text) else "")
    return text[:cut].rstrip(" ,;:") + "…"


LONG_WORD = 120


def occurs_whole(token: str, text: str) -> bool:
    """`token` occurs in `text` as a whole: not cut out of a longer word (a hyphen or dot may border it)."""
    check_before = token[:1].isalnum() or token[:1] == "_"
    check_after = token[-1:].isalnum() or token[-1:] == "_"
    start = text.find(token)
    while start >= 0:
        end = start + len(token)
        before_ok = not check_before or start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")
        after_ok = not check_after or end == len(text) or not (text[end].isalnum() or text[end] == "_")
        if before_ok and after_ok:
            return True
        start = text.find(token, start + 1)
    return False


# --- comparing the removed and the added lines -----------------------------------

WORD_RUN = re.compile(r"\w+")


def content_key(text: str) -> str:
    """What is left of a line without its Markdown form: its words, in order, case kept."""
    return " ".join(WORD_RUN.findall(text))


def net_lines(removed: list[ChangedLine], added: list[ChangedLine]) -> tuple[list[ChangedLine], list[ChangedLine]]:
    """Removed and added lines whose words do not come back on the other side (moves and reformatting cancel)."""
    removed_keys = [content_key(line.text) for line in removed]
    added_keys = [content_key(line.text) for line in added]

    def keep(lines: list[ChangedLine], keys: list[str], others: Counter[str]) -> list[ChangedLine]:
        kept = []
        for line, key in zip(lines, keys, strict=True):
            if not key:
                continue
            if others[key] > 0:
                others[key] -= 1
                continue
            kept.append(line)
        return kept

    return keep(removed, removed_keys, Counter(added_keys)), keep(added, added_keys, Counter(removed_keys))


def pair_lines(removed: list[ChangedLine], added: list[ChangedLine]) -> list[tuple[ChangedLine, ChangedLine]]:
    """Removed and added lines of the same block that are versions of one line (half their words shared)."""
    by_block: dict[int, tuple[list[ChangedLine], list[ChangedLine]]] = {}
    for line in removed:
        by_block.setdefault(line.block, ([], []))[0].append(line)
    for line in added:
        by_block.setdefault(line.block, ([], []))[1].append(line)
    pairs: list[tuple[ChangedLine, ChangedLine]] = []
    for old_lines, new_lines in by_block.values():
        if not old_lines or not new_lines:
            continue
        new_words = [set(WORD_RUN.findall(line.text)) for line in new_lines]
        start = 0
        for old in old_lines[:MAX_PAIRS]:
            old_words = set(WORD_RUN.findall(old.text))
            for index in range(start, min(len(new_lines), start + 12)):
                shared = len(old_words & new_words[index])
                if old_words and shared * 2 >= max(len(old_words), len(new_words[index])):
                    pairs.append((old, new_lines[index]))
                    start = index + 1
                    break
            if len(pairs) >= MAX_PAIRS:
                return pairs
    return pairs


@dataclass
class Span:
    old: str
    new: str
    old_line: str
    new_line: str
    in_code: bool
    # inside a quoted string of the code (data, not a name), and whether the line is a shell command
    in_string: bool = False
    command: bool = False
    # the span with up to two words of context on each side, for a short span that alone says little
    old_context: str = ""
    new_context: str = ""
    # the edit as the same edit in another file would give it: an insertion or deletion with the word after it
    edit: tuple[str, str] = ("", "")


def _word_changes(old_words: list[str], new_words: list[str]) -> list[tuple[int, int, int, int]]:
    """The differing word runs of two versions of a line, as (old start, old end, new start, new end)."""
    head = 0
    while head < min(len(old_words), len(new_words)) and old_words[head] == new_words[head]:
        head += 1
    tail = 0
    while tail < min(len(old_words), len(new_words)) - head and old_words[-1 - tail] == new_words[-1 - tail]:
        tail += 1
    old_middle, new_middle = old_words[head : len(old_words) - tail], new_words[head : len(new_words) - tail]
    if len(old_middle) <= 1 or len(new_middle) <= 1:
        return [(head, len(old_words) - tail, head, len(new_words) - tail)]
    matcher = difflib.SequenceMatcher(a=old_middle, b=new_middle, autojunk=False)
    return [(i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


MAX_SPAN_WORDS = 600


def changed_spans(pairs: list[tuple[ChangedLine, ChangedLine]]) -> list[Span]:
    """The word runs that differ between the two versions of each paired line."""
    spans: list[Span] = []
    for old_line, new_line in pairs:
        old_words, new_words = old_line.text.split(), new_line.text.split()
        if len(old_words) > MAX_SPAN_WORDS or len(new_words) > MAX_SPAN_WORDS:
            continue
        code_line = looks_like_code(old_line) or looks_like_code(new_line)
        command = COMMAND_LINE.match(old_line.text) is not None
        for i1, i2, j1, j2 in _word_changes(old_words, new_words):
            old, new = " ".join(old_words[i1:i2]), " ".join(new_words[j1:j2])
            if old == new:
                continue
            # where the words really start to differ: quotes and ticks before that point tell the context
            before = " ".join(old_words[:i1]) + " " + old[: len(_common_prefix(old, new))]
            code = code_line or before.count("`") % 2 == 1
            in_string = before.count('"') % 2 == 1 or before.count("'") % 2 == 1
            short = not old or not new or len(old) + len(new) <= 24 or max(i2 - i1, j2 - j1) <= 2
            pad = 2 if short else 0
            old_context = " ".join(old_words[max(0, i1 - pad) : i2 + pad])
            new_context = " ".join(new_words[max(0, j1 - pad) : j2 + pad])
            edit = (old, new)
            if (not old or not new) and i2 < len(old_words) and j2 < len(new_words):
                edit = ((old + " " + old_words[i2]).strip(), (new + " " + new_words[j2]).strip())
            spans.append(
                Span(old, new, old_line.text.strip(), new_line.text.strip(), code, in_string, command, old_context, new_context, edit)
            )
    return spans


def _common_prefix(first: str, second: str) -> str:
    size = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        size += 1
    return first[:size]


SHORT_LINE = 110


def replacements_of(spans: list[Span], limit: int = 20) -> list[Replacement]:
    """Changed spans as a reader should see them.

    A change made several times (a rename) is shown once with its count; a
    change on a short line shows the whole line before and after; any other
    change shows the span with a little context.
    """
    counts: Counter[tuple[str, str]] = Counter((span.old, span.new) for span in spans)
    result: dict[tuple[str, str, str], Replacement] = {}
    for span in spans:
        short_lines = len(plain_text(span.old_line)) <= SHORT_LINE and len(plain_text(span.new_line)) <= SHORT_LINE
        repeated = counts[(span.old, span.new)]
        if span.old and span.new and (repeated > 2 or (repeated == 2 and not short_lines)) and WORD_RUN.search(span.old + span.new):
            key = ("span", span.old, span.new)
            shown = Replacement(old=clip_words(span.old, MAX_PHRASE_LINE), new=clip_words(span.new, MAX_PHRASE_LINE), count=counts[(span.old, span.new)])
        elif short_lines:
            key = ("line", span.old_line, span.new_line)
            shown = Replacement(old=_strip_marker(span.old_line), new=_strip_marker(span.new_line))
        else:
            key = ("context", span.old_context, span.new_context)
            shown = Replacement(old=clip_words(span.old_context, MAX_PHRASE_LINE), new=clip_words(span.new_context, MAX_PHRASE_LINE))
        if key in result:
            result[key].count += 1
            continue
        if not (shown.old or shown.new):
            continue
        result[key] = shown
        if len(result) >= limit:
            break
    renames = [r for r in result.values() if r.count > 1]
    return renames + [r for r in result.values() if r.count == 1]


def _strip_marker(line: str) -> str:
    """A line without its list, quote or heading marker, whitespace collapsed."""
    return " ".join(re.sub(r"^\s*(?:>\s*)*(?:[-*+]\s+|\d+\.\s+|#{1,6}\s+)?", "", line).split())


# --- facts ----------------------------------------------------------------------


@dataclass
class Analysis:
    """Everything the rules look at for one change; `facts` is the part that is kept."""

    facts: Facts
    lines: DiffLines
    net_removed: list[ChangedLine]
    net_added: list[ChangedLine]
    spans: list[Span]
    unpaired_removed: list[ChangedLine]
    unpaired_added: list[ChangedLine]
    # the net removed / added lines as one text each
    removed_text: str = ""
    added_text: str = ""
    # every changed line was looked at (no limit cut the comparison short)
    complete: bool = True

    @functools.cached_property
    def informative_added(self) -> list[ChangedLine]:
        return [line for line in self.net_added if _informative(line)]

    @functools.cached_property
    def informative_removed(self) -> list[ChangedLine]:
        return [line for line in self.net_removed if _informative(line)]

    @functools.cached_property
    def context_text(self) -> str:
        return "\n".join(self.lines.context)

    # every identifier of the net removed / added lines (see identifiers_in)
    removed_identifiers: list[str] = field(default_factory=list)
    added_identifiers: list[str] = field(default_factory=list)

    # versions named in the text itself, not only inside a link target (an anchor, a view parameter)
    @functools.cached_property
    def removed_versions(self) -> list[str]:
        return [v for v in _unique(self.removed_identifiers, 400) if is_version(v) and v in self.removed_prose]

    @functools.cached_property
    def added_versions(self) -> list[str]:
        return [v for v in _unique(self.added_identifiers, 400) if is_version(v) and v in self.added_prose]

    @functools.cached_property
    def removed_prose(self) -> str:
        return LINK_TARGET.sub("]", self.removed_text) if "](" in self.removed_text else self.removed_text

    @functools.cached_property
    def added_prose(self) -> str:
        return LINK_TARGET.sub("]", self.added_text) if "](" in self.added_text else self.added_text


def is_markdown_path(path: str) -> bool:
    return path.lower().endswith((".md", ".markdown"))


HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}\s+.+$", re.MULTILINE)


def _headings(joined: str, is_markdown: bool) -> list[str]:
    if not is_markdown or "#" not in joined:
        return []
    return [h for m in HEADING_LINE.finditer(joined) if (h := heading_text(m.group(0)))]


def _rows(texts: list[str]) -> list[str]:
    return [row for text in texts if "|" in text and (row := table_row_text(text))]


def _phrases(texts: list[str], joined: str) -> dict[str, list[str]]:
    """For each phrase kind, the lines that use it (found in one pass over the joined lines)."""
    result: dict[str, list[str]] = {}
    starts: list[int] | None = None
    lower = joined.lower()
    for kind in PHRASES:
        hits: list[str] = []
        for match in phrase_matches(kind, joined, lower):
            if starts is None:
                starts = list(itertools.accumulate((len(text) + 1 for text in texts), initial=0))
            line = texts[bisect.bisect_right(starts, match.start()) - 1].strip()[:MAX_PHRASE_LINE]
            if line not in hits:
                hits.append(line)
            if len(hits) >= 10:
                break
        if hits:
            result[kind] = hits
    return result


def analyse(change: FileChange, lines: DiffLines) -> Analysis:
    is_markdown = is_markdown_path(change.path)
    content = [line for line in lines.changed if not line.front_matter and line.text.strip()]
    removed = [line for line in content if line.sign == "-"]
    added = [line for line in content if line.sign == "+"]
    if removed and added:
        net_removed, net_added = net_lines(removed, added)
    else:  # a new or deleted file, or a pure addition or removal: nothing can cancel
        net_removed, net_added = removed, added
    pairs = pair_lines(net_removed, net_added) if net_removed and net_added else []
    paired_old = {id(old) for old, _ in pairs}
    paired_new = {id(new) for _, new in pairs}
    spans = changed_spans(pairs)
    added_texts = [line.text for line in net_added[:MAX_SCAN_LINES]]
    removed_texts = [line.text for line in net_removed[:MAX_SCAN_LINES]]
    added_joined, removed_joined = "\n".join(added_texts), "\n".join(removed_texts)
    # everything the other side still says: a term found there was not added or removed
    all_added = "\n".join(line.text for line in added) if len(added) != len(net_added) else added_joined
    all_removed = "\n".join(line.text for line in removed) if len(removed) != len(net_removed) else removed_joined

    def both(finder) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
        """What the finder sees in added lines but not removed ones, and the reverse."""
        in_added, in_removed = finder(added_joined), finder(removed_joined)
        return _difference(in_added, in_removed), _difference(in_removed, in_added)

    def terms(texts: list[str], identifiers: list[str], other_side: str) -> list[str]:
        found = _unique(terms_of(texts[:MAX_TERM_LINES], is_markdown, identifiers), 200)
        return [term for term in found if term not in other_side][:MAX_FACT_ITEMS]

    front_keys = [m.group(1) for line in lines.changed if line.front_matter for m in [FRONT_MATTER_NAME.match(line.text)] if m]
    # sections that came or went; a heading that was only reworded shows among the replacements
    unpaired_added_text = "\n".join(line.text for line in net_added if id(line) not in paired_new)
    unpaired_removed_text = "\n".join(line.text for line in net_removed if id(line) not in paired_old)
    headings_added = _difference(_headings(unpaired_added_text, is_markdown), _headings(unpaired_removed_text, is_markdown))
    headings_removed = _difference(_headings(unpaired_removed_text, is_markdown), _headings(unpaired_added_text, is_markdown))
    all_rows_added, all_rows_removed = _rows(added_texts), _rows(removed_texts)
    rows_added, rows_removed = _difference(all_rows_added, all_rows_removed), _difference(all_rows_removed, all_rows_added)
    all_identifiers_added, all_identifiers_removed = identifiers_in(added_joined), identifiers_in(removed_joined)
    identifiers_added = _difference(all_identifiers_added, all_identifiers_removed)
    identifiers_removed = _difference(all_identifiers_removed, all_identifiers_added)
    links_added, links_removed = both(links_in)
    images_added, images_removed = both(lambda joined: images_in(joined) if "![" in joined or ":::image" in joined else [])
    includes_added, includes_removed = both(lambda joined: includes_in(joined) if "[!" in joined else [])
    unpaired_added = [line for line in net_added if id(line) not in paired_new]
    unpaired_removed = [line for line in net_removed if id(line) not in paired_old]
    facts = Facts(
        front_matter_keys=_unique(front_keys),
        headings_added=headings_added,
        headings_removed=headings_removed,
        table_rows_added=rows_added,
        table_rows_removed=rows_removed,
        identifiers_added=identifiers_added,
        identifiers_removed=identifiers_removed,
        links_added=links_added,
        links_removed=links_removed,
        images_added=images_added,
        images_removed=images_removed,
        includes_added=includes_added,
        includes_removed=includes_removed,
        phrases_added=_phrases(added_texts, added_joined),
        phrases_removed=_phrases(removed_texts, removed_joined),
        replacements=replacements_of(spans),
        page_title=_page_title(lines, is_markdown),
        content_lines_added=len(net_added),
        content_lines_removed=len(net_removed),
        terms_added=terms(added_texts, all_identifiers_added, all_removed),
        terms_removed=terms(removed_texts, all_identifiers_removed, all_added),
        text_added=_opening_words(unpaired_added),
        text_removed=_opening_words(unpaired_removed),
    )
    return Analysis(
        facts, lines, net_removed, net_added, spans, unpaired_removed, unpaired_added,
        removed_text=removed_joined,
        added_text=added_joined,
        removed_identifiers=all_identifiers_removed,
        added_identifiers=all_identifiers_added,
        complete=len(pairs) < MAX_PAIRS and len(net_removed) + len(net_added) <= MAX_SCAN_LINES
        and all(len(old.text.split()) <= MAX_SPAN_WORDS and len(new.text.split()) <= MAX_SPAN_WORDS for old, new in pairs),
    )


def _opening_words(lines: list[ChangedLine], limit: int = 5) -> list[str]:
    """The opening words of the first few prose lines."""
    found: list[str] = []
    for line in lines[:50]:
        words = opening_words(line.text)
        if words and words not in found:
            found.append(words)
            if len(found) >= limit:
                break
    return found


def _page_title(lines: DiffLines, is_markdown: bool) -> str | None:
    """The article's title as it is after the change: from the front matter, else the first level-1 heading."""
    texts = lines.context + [line.text for line in lines.changed if line.sign == "+"]
    texts += [line.text for line in lines.changed if line.sign == "-"]
    for text in texts:
        match = FRONT_TITLE.match(text) if "title" in text else None
        if match:
            return plain_text(match.group(1))
    if is_markdown:
        for text in texts:
            match = HEADING.match(text) if text.lstrip(" ").startswith("# ") else None
            if match:
                return plain_text(match.group(2))
    return None


# --- noise ----------------------------------------------------------------------

IMAGE_EXTENSIONS = re.compile(r"\.(png|jpe?g|gif|svg|webp|bmp|ico|tiff?)$", re.IGNORECASE)
MEDIA_FOLDER = re.compile(r"(^|/)media/")


def is_image_path(path: str) -> bool:
    return bool(IMAGE_EXTENSIONS.search(path))


def is_toc_path(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return name in ("toc.yml", "toc.md", "toc.json") or name.startswith("breadcrumb")


def is_include_path(path: str) -> bool:
    parts = path.lower().split("/")
    return "includes" in parts[:-1] or "include" in parts[:-1]


def is_content_path(path: str) -> bool:
    """A file whose text readers read: Markdown or YAML pages and includes (not redirects, configs or samples)."""
    lower = path.lower()
    return lower.endswith((".md", ".markdown", ".yml", ".yaml")) and "/.openpublishing" not in lower and not lower.startswith(".")


def is_article_path(path: str) -> bool:
    """A file that is published as a page of its own on Learn."""
    lower = path.lower()
    return (
        lower.endswith((".md", ".yml"))
        and not is_include_path(path)
        and not is_toc_path(path)
        and not MEDIA_FOLDER.search(lower)
        and lower.startswith("articles/")
        and "/.openpublishing" not in lower
    )


def noise_of(change: FileChange, lines: list[ChangedLine]) -> Noise:
    if is_image_path(change.path) or (change.binary and MEDIA_FOLDER.search(change.path)):
        return "image"
    if is_toc_path(change.path):
        return "toc"
    if change.status in ("added", "removed"):
        return "none"
    if change.binary or not change.patch:
        return "none"
    content = [line for line in lines if not line.front_matter]
    if lines and not [line for line in content if line.text.strip()]:
        return "metadata" if any(line.front_matter for line in lines) else "whitespace"
    removed = sorted(" ".join(line.text.split()) for line in lines if line.sign == "-")
    added = sorted(" ".join(line.text.split()) for line in lines if line.sign == "+")
    if removed == added:
        return "whitespace"
    changed_content = [line.text for line in content if line.text.strip()]
    if changed_content and all(images_in(text) and not _without_images(text).strip() for text in changed_content):
        return "image"
    return "none"


def _without_images(text: str) -> str:
    text = re.sub(r":::image\b.*?:::", "", text, flags=re.IGNORECASE)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    return text.strip().strip(">").strip()


# --- what a line tells a reader ----------------------------------------------------

# lines that navigate rather than inform: a lone link, a call-to-action div, a directive
NAVIGATION_LINE = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+)?\[[^\]]*\]\([^)]*\)\s*\.?\s*$")
HTML_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def _informative(line: ChangedLine) -> bool:
    """A line that tells the reader something (not a directive, a lone link, a comment or a heading)."""
    return not (line.comment or DIRECTIVE.match(line.text) or NAVIGATION_LINE.match(line.text) or HTML_COMMENT_LINE.match(line.text))


# --- the stage --------------------------------------------------------------------


def classify(change: FileChange, areas: AreaConfig) -> ClassifiedChange:
    lines = line_view(change)
    analysis = analyse(change, lines)
    noise = noise_of(change, lines.changed)
    from .rubric import decide_type  # the rubric imports this module

    kind, reason = decide_type(change, analysis, noise)
    analysis.facts.type_reason = reason
    return ClassifiedChange(
        change=change,
        facts=analysis.facts,
        modification_type=kind,
        noise=noise,
        area=areas.resolve(change.path),
        edits=edits_of(change, analysis),
    )


# --- bulk edits across a day's files ------------------------------------------------

# an edit made in this many files of a day is a bulk edit (a product rename, a date bump)
BULK_MIN_FILES = 5
MAX_EDITS = 30


def edits_of(change: FileChange, a: Analysis) -> list[tuple[str, str]] | None:
    """The distinct edits of a modified file as (old, new) text; None when there are too many to tell."""
    if change.status not in ("modified", "renamed") or not change.patch or not a.complete:
        return None
    edits: dict[tuple[str, str], None] = {}
    for span in a.spans:
        edits[span.edit] = None
    for line in a.unpaired_removed:
        edits[(" ".join(line.text.split()), "")] = None
    for line in a.unpaired_added:
        edits[("", " ".join(line.text.split()))] = None
    for line in a.lines.changed:
        if line.front_matter and line.sign == "+" and (key := FRONT_MATTER_NAME.match(line.text)):
            # metadata: the value a key was set to, whatever it was before (a date bump)
            edits[(key.group(1) + ":", line.text.split(":", 1)[1].strip())] = None
        if len(edits) > MAX_EDITS:
            return None
    return list(edits) if len(edits) <= MAX_EDITS else None


def _is_metadata_edit(edit: tuple[str, str]) -> bool:
    return edit[0].endswith(":") and FRONT_MATTER_NAME.match(edit[0]) is not None and " " not in edit[0]


def mark_bulk(changes: list[ClassifiedChange], min_files: int = BULK_MIN_FILES) -> list[ClassifiedChange]:
    """The day's changes, those made only of edits repeated in `min_files` or more files marked as bulk.

    A bulk file becomes a minor update with noise "bulk" and names the edit it
    shares with the most files. A breaking change is never folded into a bulk
    line: a reader must see each one.
    """
    files_per_edit: Counter[tuple[str, str]] = Counter()
    for change in changes:
        for edit in change.edits or []:
            files_per_edit[edit] += 1
    if not files_per_edit or files_per_edit.most_common(1)[0][1] < min_files:
        return changes
    result = []
    for change in changes:
        edits = change.edits
        eligible = edits and change.noise in ("none", "metadata") and change.modification_type != "breaking change"
        if not eligible or any(files_per_edit[edit] < min_files for edit in edits or []):
            result.append(change)
            continue
        # name a content edit before a metadata one, then the edit the most files share
        edit = max(edits or [], key=lambda e: (not _is_metadata_edit(e), files_per_edit[e], bool(e[0] and e[1])))
        facts = change.facts.model_copy(
            update={
                "bulk_edit": Replacement(old=clip_words(edit[0], MAX_PHRASE_LINE), new=clip_words(edit[1], MAX_PHRASE_LINE)),
                "bulk_files": files_per_edit[edit],
                "type_reason": "bulk",
            }
        )
        result.append(change.model_copy(update={"facts": facts, "noise": "bulk", "modification_type": "minor update"}))
    return result
