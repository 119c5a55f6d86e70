"""``report``: the results of a data file as one self-contained HTML page with charts."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import cast

from ..aggregate.report import evaluate_data_set, has_members
from ..batch import evaluate_many
from ..ladder import Ladder, LadderResult, level_rulesets
from ..report_html import data_set_report, ladder_report, ruleset_report
from ..result import EvaluationResult
from ..ruleset.search import use_rulesets
from ..text import Lang, nfc
from .app import DataArgument, LangOption, OutputOption, RulesetOption, RulesetsOption, YearOption
from .errors import errors, parse_lang
from .inputs import check_file, model_of, records, ruleset_or_ladder
from .messages import t
from .output import emit
from .progress import progress_bar


def report_command(
    data: DataArgument,
    ruleset: RulesetOption,
    year: YearOption = None,
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
    output: OutputOption = None,
) -> None:
    """Báo cáo HTML có biểu đồ, tự chứa (không cần mạng), in được: phân bố theo số tiêu chí,
    từng mức so với mục tiêu, theo huyện, tiêu chí chưa đạt nhiều nhất, bảng đơn vị và giải
    thích của từng đơn vị. / A self-contained, printable HTML report with charts: the
    distribution by criteria met, each level against its target, by district, the criteria
    most often missed, the units' table and each unit's explanation."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        rules = ruleset_or_ladder(ruleset, language)
        levels = level_rulesets(rules) if isinstance(rules, Ladder) else (rules,)
        name = data.name
        if has_members(levels):
            check_file(data, language)
            report = evaluate_data_set(rules, data, year=year)
            emit(data_set_report(report, language, data=name), output, language)
            ladders = [a for a in report.assessments() if a.ladder is not None]
            _written(sum(len(a.units) for a in ladders), output, language)
            return
        found = records(data, model_of(rules), language)
        with progress_bar(len(found), language) as progress:
            results = evaluate_many(rules, found, year=year, progress=progress)
        if isinstance(rules, Ladder):
            placed = cast(list[LadderResult], results)
            page = ladder_report(rules, found, placed, language, data=name)
        else:
            evaluated = cast(list[EvaluationResult], results)
            page = ruleset_report(rules, found, evaluated, language, data=name)
        emit(page, output, language)
        _written(len(found), output, language)


def _written(count: int, output: Path | None, lang: Lang) -> None:
    """Once the page is in its file: how many units it holds, on standard error."""
    if output is not None:
        sys.stderr.write(nfc(t("report_written", lang, count=count, path=output) + "\n"))
