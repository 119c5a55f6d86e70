"""A report people would rather look at than read: one self-contained HTML page with charts
(inline SVG: the distribution over the buckets, each level against its target, units by
district, the criteria most often missed), the tables, and each unit's explanation one click
away. For a ruleset, a ladder, or a data set (a province with its districts and communes).

``html = ladder_report(ladder, records, results, "vi", data="xa.json")``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..aggregate.report import DataSetReport
from ..ladder import Ladder, LadderResult, level_rulesets
from ..result import EvaluationResult
from ..ruleset.model import Ruleset
from ..text import Lang
from .collect import data_set_sections, district_of, ladder_section, ruleset_section
from .page import report_page
from .words import word

__all__ = ["data_set_report", "ladder_report", "ruleset_report"]


def ruleset_report(
    ruleset: Ruleset,
    records: Sequence[Any],
    results: Sequence[EvaluationResult],
    lang: Lang = "vi",
    *,
    data: str = "",
) -> str:
    """The page for a ruleset's results, one per record."""
    section = ruleset_section(ruleset, records, results, lang)
    facts = _facts(f"{ruleset.id} {ruleset.version}", data, lang)
    return report_page(_title(ruleset.title(lang), lang), facts, [section], lang)


def ladder_report(
    ladder: Ladder,
    records: Sequence[Any],
    results: Sequence[LadderResult],
    lang: Lang = "vi",
    *,
    data: str = "",
) -> str:
    """The page for a ladder's results, one per record."""
    districts = [district_of(record) for record in records]
    section = ladder_section(ladder, level_rulesets(ladder), results, lang, districts=districts)
    facts = _facts(ladder.id, data, lang)
    return report_page(_title(ladder.title(lang), lang), facts, [section], lang)


def data_set_report(report: DataSetReport, lang: Lang = "vi", *, data: str = "") -> str:
    """The page for a data set: a section per ladder, the target's first."""
    sections = data_set_sections(report, lang)
    facts = _facts(report.ladder.id, data or report.run.data.file or "", lang)
    return report_page(_title(report.ladder.title(lang), lang), facts, sections, lang)


def _title(title: str, lang: Lang) -> str:
    return f"{word('report', lang)}: {title}"


def _facts(rules: str, data: str, lang: Lang) -> list[tuple[str, str]]:
    facts = [(word("rules", lang), rules)]
    if data:
        facts.append((word("data", lang), data))
    return facts
