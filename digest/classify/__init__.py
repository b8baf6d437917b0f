"""Classify stage: facts from a FileChange's diff, then the change type, noise kind and area.

The change types follow the rubric in DESIGN.md (first match wins):
breaking change > new feature > bug fix > minor update. The rules are in
rubric.py (each with a stable id, stored as `Facts.type_reason`); they judge
the content of the diff: lines that only moved or only changed their Markdown
form (a table turned into a list) cancel out before any rule looks at them.

    lines.py     the patch's lines, marked as front matter, code or comment
    markdown.py  what a line names: headings, cells, identifiers, links, terms
    compare.py   removed vs added lines: moves cancel, pairs, changed spans
    analysis.py  the facts of one change (`Analysis`, `Facts`)
    noise.py     changes readers can skip
    bulk.py      one edit repeated across a day's files
"""

from __future__ import annotations

from digest.classify.areas import AreaConfig
from digest.docsrepo.paths import (
    IMAGE_EXTENSIONS,
    MEDIA_FOLDER,
    is_article_path,
    is_content_path,
    is_image_path,
    is_include_path,
    is_markdown_path,
    is_toc_path,
)
from digest.models import ClassifiedChange, FileChange
from digest.text import occurs_whole
from digest.classify.analysis import NAVIGATION_LINE, Analysis, _informative, analyse
from digest.classify.bulk import BULK_MIN_FILES, edits_of, mark_bulk
from digest.classify.compare import Span, net_lines, pair_lines
from digest.classify.lines import FRONT_MATTER_NAME, ChangedLine, DiffLines, content_key, line_view, parse_lines
from digest.classify.markdown import (
    API_VERSION,
    BACKTICKED,
    BARE_URL,
    COMMAND_LINE,
    EMPHASIS,
    INCLUDE,
    LIST_ITEM,
    MD_LINK,
    MODEL_NAME,
    PACKAGE_PIN,
    PARAMETER_NAME,
    PHRASES,
    api_versions_in,
    heading_text,
    images_in,
    links_in,
    model_names_in,
    phrase_matches,
    plain_text,
    table_cells,
)
from digest.classify.noise import noise_of

# what the rules (rubric.py, type_rules.py, type_features.py, type_removals.py, type_fixes.py, type_marks.py), the
# rank of facts and the summarizers take from this stage
__all__ = [
    "API_VERSION", "BACKTICKED", "BARE_URL", "BULK_MIN_FILES", "COMMAND_LINE", "EMPHASIS", "FRONT_MATTER_NAME",
    "IMAGE_EXTENSIONS", "INCLUDE", "LIST_ITEM", "MD_LINK", "MEDIA_FOLDER", "MODEL_NAME", "NAVIGATION_LINE",
    "PACKAGE_PIN", "PARAMETER_NAME", "PHRASES", "Analysis", "ChangedLine", "DiffLines", "Span", "_informative",
    "analyse", "api_versions_in", "classify", "classify_day", "content_key", "edits_of", "heading_text", "images_in",
    "is_article_path", "is_content_path", "is_image_path", "is_include_path", "is_markdown_path", "is_toc_path",
    "line_view", "links_in", "mark_bulk", "model_names_in", "net_lines", "noise_of", "occurs_whole", "pair_lines",
    "parse_lines", "phrase_matches", "plain_text", "table_cells",
]


def classify(change: FileChange, areas: AreaConfig) -> ClassifiedChange:
    lines = line_view(change)
    analysis = analyse(change, lines)
    noise = noise_of(change, lines.changed)
    from digest.classify.rubric import decide_type  # the rubric imports this package

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


def classify_day(changes: list[FileChange], areas: AreaConfig) -> list[ClassifiedChange]:
    """The stage for one day's files: each classified, then the edits repeated across them marked as bulk."""
    return mark_bulk([classify(change, areas) for change in changes])
