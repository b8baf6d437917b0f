"""The rubric rules in order, each with a stable id: the id is what a record stores as `facts.type_reason`,
so renaming or moving a rule's function changes no record (issue #10, item 3).

The rubric is DESIGN.md's (first match wins): breaking change > new feature > bug fix > minor update.
The checks themselves are in type_rules.py, type_features.py (new features), type_removals.py, type_fixes.py
and type_marks.py; each judges an `Analysis` of classify.py.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from digest import classify as c
from digest.classify import type_features as features
from digest.classify import type_fixes as fixes
from digest.classify import type_marks as marks
from digest.classify import type_removals as removals
from digest.classify import type_rules as t
from digest.models import FileChange, ModificationType, Noise
from digest.classify.signals import REGION

Rule = Callable[[c.Analysis], bool]


@dataclass(frozen=True)
class RubricRule:
    id: str
    kind: ModificationType
    check: Rule


# How often a type the rules give is right on records they were not written against: the precision per type on
# the held-out half of gold-dev-2.jsonl (`digest eval --part held-out`, issue 11). The model prompt shows it beside
# the rules' guess, so a model weighs the guess rather than copies it.
HELD_OUT_PRECISION: dict[str, float] = {"new feature": 0.79, "breaking change": 0.80, "bug fix": 0.25, "minor update": 0.85}


# --- the rubric in order ------------------------------------------------------------------------------

RUBRIC: tuple[RubricRule, ...] = (
    RubricRule("retirement-announced", "breaking change", t._retirement_announced),
    RubricRule("retirement-date-moved", "breaking change", t.retirement_date_moved),
    RubricRule("restriction-widened", "new feature", removals.restriction_widened),
    RubricRule("versions-removed", "breaking change", removals.versions_removed),
    RubricRule("model-column-removed", "breaking change", removals.model_column_removed),
    RubricRule("section-removed", "breaking change", removals.section_removed),
    RubricRule("sdk-removed", "breaking change", removals.sdk_removed),
    RubricRule("regions-removed", "breaking change", removals.regions_removed),
    RubricRule("region-marks-removed", "breaking change", marks.region_marks_removed),
    RubricRule("parameters-removed", "breaking change", t._parameters_removed),
    RubricRule("required-role-added", "breaking change", t.required_role_added),
    RubricRule("limit-lowered", "breaking change", removals.limit_lowered),
    RubricRule("endpoint-changed", "breaking change", removals.endpoint_changed),
    RubricRule("content-removed", "breaking change", removals.content_removed),
    RubricRule("limitation-lifted", "new feature", features._limitation_lifted),
    RubricRule("general-availability", "new feature", features._general_availability),
    RubricRule("new-version", "new feature", features._new_version),
    RubricRule("regions-added", "new feature", features.regions_added),
    RubricRule("region-marks-added", "new feature", marks.region_marks_added),
    RubricRule("limit-raised", "new feature", removals.limit_raised),
    RubricRule("new-section", "new feature", features._new_section),
    RubricRule("new-list-entry", "new feature", features._new_list_entry),
    RubricRule("capability-announced", "new feature", features.capability_announced),
    RubricRule("code-corrected", "bug fix", t._code_corrected),
    RubricRule("name-misspelling-fixed", "bug fix", t.name_misspelling_fixed),
    RubricRule("name-matches-page", "bug fix", fixes.name_matches_page),
    RubricRule("setting-corrected", "bug fix", fixes.setting_corrected),
    RubricRule("code-syntax-corrected", "bug fix", fixes.code_syntax_corrected),
    RubricRule("link-corrected", "bug fix", t._link_corrected),
    RubricRule("link-target-misspelling-fixed", "bug fix", fixes.link_target_misspelling_fixed),
    RubricRule("link-anchor-corrected", "bug fix", fixes.link_anchor_corrected),
    RubricRule("link-syntax-repaired", "bug fix", fixes.link_syntax_repaired),
    RubricRule("import-corrected", "bug fix", fixes.import_corrected),
    RubricRule("support-matrix-corrected", "bug fix", marks.support_matrix_corrected),
    RubricRule("name-respelled-in-code", "bug fix", fixes.name_respelled_in_code),
)

# rules on an added include (a support file): a whole new how-to is a new feature, anything else minor
ADDED_INCLUDE_RULES: tuple[RubricRule, ...] = (RubricRule("include-quickstart-added", "new feature", features.quickstart_include_added),)


@functools.cache
def rule_ids() -> frozenset[str]:
    """Every id a record's type_reason may hold for a rubric rule."""
    return frozenset(rule.id for rule in RUBRIC + ADDED_INCLUDE_RULES)


def first_match(a: c.Analysis, rules: tuple[RubricRule, ...] = RUBRIC) -> RubricRule | None:
    return next((rule for rule in rules if rule.check(a)), None)


def decide_type(change: FileChange, analysis: c.Analysis, noise: Noise) -> tuple[ModificationType, str]:
    """The change type and the stable id of the rubric rule that chose it (see rubric.py)."""
    if noise != "none":
        return "minor update", f"noise:{noise}"
    article = c.is_article_path(change.path)
    if change.status == "removed":
        return ("breaking change", "article-removed") if article else ("minor update", "support-file-removed")
    if change.status == "added":
        if article:
            return "new feature", "article-added"
        rule = first_match(analysis, ADDED_INCLUDE_RULES) if c.is_include_path(change.path) else None
        return (rule.kind, rule.id) if rule else ("minor update", "support-file-added")
    if not c.is_content_path(change.path):
        return "minor update", "not-content"
    rule = first_match(analysis)
    return (rule.kind, rule.id) if rule else ("minor update", "")


__all__ = ["ADDED_INCLUDE_RULES", "HELD_OUT_PRECISION", "REGION", "RUBRIC", "RubricRule", "decide_type", "first_match", "rule_ids"]
