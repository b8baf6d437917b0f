"""Classify stage: facts from a FileChange's diff, then the change type, noise kind and area.

The change types follow the rubric in DESIGN.md (first match wins):
breaking change > new feature > bug fix > minor update.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .areas import AreaConfig
from .models import ClassifiedChange, Facts, FileChange, ModificationType, Noise, Replacement

# --- lines of a patch ---------------------------------------------------------

HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


@dataclass
class ChangedLine:
    sign: str  # "+" or "-"
    text: str
    front_matter: bool
    in_code: bool


@dataclass
class Hunk:
    lines: list[tuple[str, str]] = field(default_factory=list)  # (sign, text), sign in "+- "
    old_start: int = 0
    new_start: int = 0


def split_hunks(patch: str) -> list[Hunk]:
    hunks: list[Hunk] = []
    for raw in patch.split("\n"):
        match = HUNK_HEADER.match(raw)
        if match:
            hunks.append(Hunk(old_start=int(match.group(1)), new_start=int(match.group(3))))
            continue
        if not hunks or not raw or raw[0] not in "+- ":
            continue  # "\ No newline at end of file" and stray text
        hunks[-1].lines.append((raw[0], raw[1:].rstrip("\r")))
    return hunks


FRONT_MATTER_KEY = re.compile(
    r"^\s*(?:-\s+)?(?:ms\.[\w.-]+|title|titleSuffix|description|author|manager|reviewer|"
    r"keywords|ROBOTS|robots|recommendations|zone_pivot_groups|monikerRange|ai-usage|"
    r"show_latex|uid|adobe-target|feedback_system|feedback_product_url|#?services|layout)\s*:"
)
YAML_LINE = re.compile(r"^\s*(?:-\s+)?[\w.#-]+\s*:|^\s+-\s+\S")
FRONT_MATTER_NAME = re.compile(r"^\s*(?:-\s+)?([\w.#-]+)\s*:")
FENCE = re.compile(r"^\s*(```|~~~)")
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
    return False


def changed_lines(patch: str, is_markdown: bool) -> list[ChangedLine]:
    """The + and - lines of a patch, each marked as front matter or code when that can be seen."""
    result: list[ChangedLine] = []
    for hunk in split_hunks(patch):
        in_front = _hunk_opens_in_front_matter(hunk) if is_markdown else False
        top = min(hunk.old_start, hunk.new_start)
        in_code = False
        for offset, (sign, text) in enumerate(hunk.lines):
            stripped = text.strip()
            if in_front is None and stripped == "---":  # the opening delimiter
                in_front = True
                continue
            if in_front and stripped == "---":  # the closing delimiter
                in_front = False
                if sign != " ":
                    result.append(ChangedLine(sign, text, True, False))
                continue
            if not in_front and FENCE.match(text):
                in_code = not in_code
            if sign == " ":
                continue
            # metadata keys outside a visible front matter: near the top of an
            # article, or anywhere in a YAML page's metadata block
            keyed = FRONT_MATTER_KEY.match(text) is not None and (not is_markdown or top + offset <= FRONT_MATTER_REACH)
            is_front = bool(in_front) or keyed
            result.append(ChangedLine(sign, text, is_front, in_code and not is_front))
    return result


# --- facts ----------------------------------------------------------------------

HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(?!\[[^\]]*\]\(#tab/)(.+?)\s*#*\s*$")  # not tab labels
TABLE_ROW = re.compile(r"^\s*\|(.*)\|?\s*$")
TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
BACKTICKED = re.compile(r"(?<!`)`([^`\n]+?)`(?!`)")
MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
BARE_URL = re.compile(r"(?<![(\"'=])\bhttps?://[^\s)\"'<>\]]+")
IMAGE_MD = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
IMAGE_TRIPLE = re.compile(r":::image\b[^\n]*?\bsource=\"([^\"]+)\"", re.IGNORECASE)
INCLUDE = re.compile(r"\[!INCLUDE\s*\[[^\]]*\]\(\s*<?([^)\s>]+)>?\s*\)\s*\]", re.IGNORECASE)
FRONT_TITLE = re.compile(r"^\s*title\s*:\s*['\"]?(.+?)['\"]?\s*$")
API_VERSION = re.compile(r"\b20\d\d-\d\d-\d\d(?:-preview)?\b")
MODEL_NAME = re.compile(
    r"\b(?:gpt-[\w.]+(?:-[\w.]+)*|o[1-9](?:-[a-z]+)*|dall-e(?:-\d)?|whisper(?:-\d)?|tts(?:-hd)?(?:-\d)?"
    r"|text-embedding-[\w.-]+|sora(?:-\d)?|codex-[\w.-]+|computer-use-[\w.-]+|model-router"
    r"|(?:Phi|phi|Llama|llama|Meta-Llama|Mistral|mistral|Cohere|cohere|DeepSeek|deepseek|grok|Grok|MAI-DS)-[\w.-]+)"
)
PHRASES: dict[str, re.Pattern[str]] = {
    "retirement": re.compile(
        r"\bretir(?:e|ed|es|ing|ement)\b|end of (?:life|support)|no longer (?:available|supported)"
        r"|(?:will be|is being) (?:removed|discontinued)|\bdiscontinu\w*|\bsunset\w*",
        re.IGNORECASE,
    ),
    "deprecation": re.compile(r"\bdeprecat\w*", re.IGNORECASE),
    "preview": re.compile(r"\bpreview\b", re.IGNORECASE),
    "ga": re.compile(r"generally available|general availability|\(GA\)|\bGA\b"),
}
MAX_FACT_ITEMS = 40
MAX_PHRASE_LINE = 240


def _unique(items: list[str], limit: int = MAX_FACT_ITEMS) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        item = item.strip()
        if item and item not in seen:
            seen[item] = None
        if len(seen) >= limit:
            break
    return list(seen)


def _difference(first: list[str], second: list[str]) -> list[str]:
    """Items of `first` that are not in `second`, in order, without repeats."""
    others = set(second)
    return _unique([item for item in first if item not in others])


def first_cell(line: str) -> str | None:
    if TABLE_SEPARATOR.match(line) or not TABLE_ROW.match(line):
        return None
    cells = line.strip().strip("|").split("|")
    cell = plain_text(cells[0]) if cells else ""
    if not cell and len(cells) > 1:
        cell = plain_text(cells[1])
    return cell or None


def plain_text(markdown: str) -> str:
    """Inline Markdown as the words a reader sees: links and emphasis unwrapped, code kept."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"(\*\*|__|\*)(\S(?:.*?\S)?)\1", r"\2", text)
    return " ".join(text.split())


def identifiers_in(text: str) -> list[str]:
    found = [match.group(1).strip() for match in BACKTICKED.finditer(text)]
    found += [match.group(0) for match in API_VERSION.finditer(text)]
    found += [match.group(0).rstrip(".-") for match in MODEL_NAME.finditer(text)]
    return [item for item in found if item]


def links_in(text: str) -> list[str]:
    links = [match.group(1) for match in MD_LINK.finditer(text)]
    links += [match.group(0).rstrip(".,;:") for match in BARE_URL.finditer(text)]
    return [link for link in links if not IMAGE_EXTENSIONS.search(link)]


def images_in(text: str) -> list[str]:
    return [m.group(1) for m in IMAGE_MD.finditer(text)] + [m.group(1) for m in IMAGE_TRIPLE.finditer(text)]


WORD = re.compile(r"\s+|[^\s]+")


def replacements_in(removed: list[str], added: list[str], limit: int = 20) -> list[Replacement]:
    """Word-level changed spans between paired removed and added lines."""
    pairs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=removed, b=added, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace":
            for old, new in zip(removed[i1:i2], added[j1:j2]):
                if difflib.SequenceMatcher(a=old, b=new, autojunk=False).quick_ratio() >= 0.5:
                    pairs.append((old, new))
    result: list[Replacement] = []
    for old_line, new_line in pairs:
        old_words, new_words = WORD.findall(old_line), WORD.findall(new_line)
        words = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
        for tag, i1, i2, j1, j2 in words.get_opcodes():
            if tag == "equal":
                continue
            old = "".join(old_words[i1:i2]).strip()
            new = "".join(new_words[j1:j2]).strip()
            if (old or new) and old != new and (old.strip() or new.strip()):
                replacement = Replacement(old=old[:MAX_PHRASE_LINE], new=new[:MAX_PHRASE_LINE])
                if replacement not in result:
                    result.append(replacement)
            if len(result) >= limit:
                return result
    return result


def is_markdown_path(path: str) -> bool:
    return path.lower().endswith((".md", ".markdown"))


def extract_facts(change: FileChange, lines: list[ChangedLine]) -> Facts:
    is_markdown = is_markdown_path(change.path)
    content_added = [line.text for line in lines if line.sign == "+" and not line.front_matter and line.text.strip()]
    content_removed = [line.text for line in lines if line.sign == "-" and not line.front_matter and line.text.strip()]

    def added_and_removed(finder: Callable[[str], list[str]]) -> tuple[list[str], list[str]]:
        """What the finder sees in added lines but not removed ones, and the reverse."""
        found_added = [item for text in content_added for item in finder(text)]
        found_removed = [item for text in content_removed for item in finder(text)]
        return _difference(found_added, found_removed), _difference(found_removed, found_added)

    def headings(text: str) -> list[str]:
        match = HEADING.match(text) if is_markdown else None
        return [plain_text(match.group(2))] if match else []

    def first_cells(text: str) -> list[str]:
        cell = first_cell(text)
        return [cell] if cell else []

    def phrases(texts: list[str]) -> dict[str, list[str]]:
        found = {kind: _unique([t.strip()[:MAX_PHRASE_LINE] for t in texts if rx.search(t)], 10) for kind, rx in PHRASES.items()}
        return {kind: found_lines for kind, found_lines in found.items() if found_lines}

    front_keys = [m.group(1) for line in lines if line.front_matter for m in [FRONT_MATTER_NAME.match(line.text)] if m]
    headings_added, headings_removed = added_and_removed(headings)
    rows_added, rows_removed = added_and_removed(first_cells)
    identifiers_added, identifiers_removed = added_and_removed(identifiers_in)
    links_added, links_removed = added_and_removed(links_in)
    images_added, images_removed = added_and_removed(images_in)
    includes_added, includes_removed = added_and_removed(includes_in)
    return Facts(
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
        phrases_added=phrases(content_added),
        phrases_removed=phrases(content_removed),
        replacements=replacements_in(content_removed, content_added),
        page_title=_page_title([text for hunk in split_hunks(change.patch) for _, text in hunk.lines], is_markdown),
        content_lines_added=len(content_added),
        content_lines_removed=len(content_removed),
    )


def includes_in(text: str) -> list[str]:
    return [m.group(1) for m in INCLUDE.finditer(text)]


def _page_title(texts: list[str], is_markdown: bool) -> str | None:
    for text in texts:
        match = FRONT_TITLE.match(text)
        if match:
            return plain_text(match.group(1))
    if is_markdown:
        for text in texts:
            match = HEADING.match(text)
            if match and len(match.group(1)) == 1:
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


# --- change type ------------------------------------------------------------------


def _versions(items: list[str]) -> list[str]:
    return [item for item in items if API_VERSION.search(item) or MODEL_NAME.search(item)]


def modification_type_of(change: FileChange, facts: Facts, noise: Noise) -> ModificationType:
    if noise != "none":
        return "minor update"
    article = is_article_path(change.path)
    if change.status == "removed":
        return "breaking change" if article else "minor update"
    if change.status == "added":
        return "new feature" if article else "minor update"
    if _is_breaking(facts):
        return "breaking change"
    if _is_new_feature(facts):
        return "new feature"
    if _is_bug_fix(facts):
        return "bug fix"
    return "minor update"


def _is_breaking(facts: Facts) -> bool:
    newly_retired = facts.phrases_added.get("retirement", []) + facts.phrases_added.get("deprecation", [])
    if newly_retired:
        return True
    removed_versions = _versions(facts.identifiers_removed + facts.table_rows_removed)
    big_removal = facts.content_lines_removed >= 2 * max(facts.content_lines_added, 1)
    return bool(removed_versions) and big_removal and bool(facts.table_rows_removed or facts.headings_removed)


def _is_new_feature(facts: Facts) -> bool:
    if facts.phrases_added.get("ga") and not facts.phrases_removed.get("ga"):
        return True
    new_versions = _versions(facts.identifiers_added + facts.table_rows_added)
    if new_versions and (facts.table_rows_added or facts.headings_added):
        return True
    return bool(facts.headings_added) and facts.content_lines_added >= 15 and facts.content_lines_removed * 3 < facts.content_lines_added


def _is_bug_fix(facts: Facts) -> bool:
    if not facts.replacements or facts.content_lines_added > 10 or facts.headings_added:
        return False
    for replacement in facts.replacements:
        old, new = replacement.old, replacement.new
        if not old or not new or API_VERSION.search(old) or API_VERSION.search(new):
            continue
        similar = difflib.SequenceMatcher(a=old, b=new, autojunk=False).ratio() >= 0.6
        code_like = bool(re.search(r"[#/_.=()`]|[a-z][A-Z]", old + new))
        if similar and code_like:
            return True
    return False


# --- the stage --------------------------------------------------------------------


def classify(change: FileChange, areas: AreaConfig) -> ClassifiedChange:
    lines = changed_lines(change.patch, is_markdown_path(change.path)) if change.patch else []
    facts = extract_facts(change, lines)
    noise = noise_of(change, lines)
    return ClassifiedChange(
        change=change,
        facts=facts,
        modification_type=modification_type_of(change, facts, noise),
        noise=noise,
        area=areas.resolve(change.path),
    )
