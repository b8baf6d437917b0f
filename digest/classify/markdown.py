"""Inline Markdown: what a changed line names (headings, table cells, identifiers, links, terms, phrases)."""

from __future__ import annotations

import re
from functools import lru_cache

from digest.docsrepo.paths import IMAGE_EXTENSIONS
from digest.text import clip_words
from digest.classify.lines import ChangedLine

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


INLINE_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
INLINE_EMPHASIS = re.compile(r"(\*\*|__|\*)(\S(?:.*?\S)?)\1")


# pure, and the same cells and headings come back from several fact finders
@lru_cache(maxsize=1 << 14)
def plain_text(markdown: str) -> str:
    """Inline Markdown as the words a reader sees: links and emphasis unwrapped, code kept."""
    text = markdown
    if "](" in text:
        text = INLINE_LINK.sub(r"\1", text)
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    if "*" in text or "__" in text:
        text = INLINE_EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def _plain_term(markdown: str) -> str:
    """A short span as a reader sees it, without the code ticks or emphasis around it."""
    text = plain_text(markdown).strip(" *_:")
    return text[1:-1].strip() if len(text) > 1 and text[0] == "`" and text[-1] == "`" and "`" not in text[1:-1] else text


# pure, and the rules, the facts and the rank read the same lines again and again (~4 calls per distinct line)
@lru_cache(maxsize=1 << 16)
def heading_text(text: str) -> str | None:
    """The words of a heading line, a tab label's text included; None when the line is no heading."""
    match = HEADING.match(text)
    if not match:
        return None
    title = match.group(2).strip()
    tab = TAB_LABEL.match(title)
    return plain_text(tab.group(1) if tab else title) or None


CELL_BORDER = re.compile(r"(?<!\\)\|")
LINE_BREAK_TAG = re.compile(r"<br\s*/?>", re.IGNORECASE)


def is_table_separator(line: str) -> bool:
    """Whether a line is a table's separator row (`|---|:--|`), the row under its column names."""
    return "|" in line and bool(TABLE_SEPARATOR.match(line))


def table_cells(line: str, parts: bool = False) -> list[str] | None:
    """The cells of a table row as plain text; with `parts`, cells are also split at line breaks (<br>)."""
    cells = _table_cells(line, parts)
    return None if cells is None else list(cells)


# as heading_text: ~4 calls per distinct line
@lru_cache(maxsize=1 << 16)
def _table_cells(line: str, parts: bool) -> tuple[str, ...] | None:
    if not TABLE_ROW.match(line) or TABLE_SEPARATOR.match(line) or line.count("|") < 2:
        return None
    row = line.strip().lstrip(">").strip().strip("|")
    cells = CELL_BORDER.split(row)
    if parts:
        cells = [part for cell in cells for part in LINE_BREAK_TAG.split(cell)]
    return tuple(plain_text(cell) for cell in cells)


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
    prose = MD_LINK.sub("]", line.text) if "](" in line.text else line.text
    prose = BARE_URL.sub(" ", prose) if "http" in prose else prose
    return CODE_LINE.search(prose) is not None


@lru_cache(maxsize=1 << 16)
def _line_terms(text: str, is_markdown: bool) -> tuple[str, ...]:
    return tuple(_terms_of_line(text, is_markdown))


def _terms_of_line(text: str, is_markdown: bool) -> list[str]:
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
