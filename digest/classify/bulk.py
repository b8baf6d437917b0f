"""Bulk edits across a day's files: one edit made in many files (a product rename, a date bump)."""

from __future__ import annotations

from collections import Counter

from digest.models import ClassifiedChange, FileChange, Replacement
from digest.text import clip_words
from digest.classify.analysis import Analysis
from digest.classify.lines import FRONT_MATTER_NAME
from digest.classify.markdown import MAX_PHRASE_LINE

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
