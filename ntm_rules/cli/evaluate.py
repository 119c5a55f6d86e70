"""Commands about units: ``evaluate``, ``explain`` and ``gap``, for a ruleset or a ladder."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, cast

import typer
from rich.console import Console

from ..aggregate.assess import Assessed
from ..aggregate.report import evaluate_data_set, has_members
from ..aggregate.tally import ladder_summary, summary
from ..batch import Progress, evaluate_many
from ..compact import DETAILS, FULL, batch_document
from ..errors import InputError
from ..gap import Gap, gap
from ..ladder import Ladder, LadderResult, evaluate_ladder, level_rulesets
from ..result import EvaluationResult
from ..ruleset.model import Ruleset
from ..ruleset.search import use_rulesets
from ..text import Lang
from ..unit_kinds import unit_kind
from ..workbook import RowError, data_set_workbook, ladder_workbook, ruleset_workbook
from .app import (
    DataArgument,
    LangOption,
    OutputOption,
    RulesetOption,
    RulesetsOption,
    UnitOption,
    YearOption,
)
from .data_set import progress_csv, report_view
from .errors import CliError, choice, errors, parse_lang, print_notice, print_notice_line
from .inputs import (
    check_file,
    checked_records,
    evaluate_all,
    find_unit,
    model_of,
    records,
    ruleset_or_ladder,
)
from .ladders import ladder_csv, ladder_document, ladder_table
from .messages import STREAM_FORMATS, TEXT_JSON, t
from .output import (
    binary_out,
    document_out,
    emit,
    lines_out,
    show,
    shown_width,
    to_json,
    with_newline,
)
from .progress import progress_bar
from .results import results_csv, results_table, ruleset_ref
from .stream import CHUNK, jsonl_lines

EvaluateFormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        "-f",
        help="table | json | jsonl | csv | xlsx (Excel, cần --output / needs --output). jsonl: một dòng JSON cho mỗi đơn vị, ghi dần khi đánh "
        "giá, dòng đầu mô tả, dòng cuối tổng hợp; cho các lượt lớn / one JSON line per unit, "
        "written as units are evaluated, a header line first and a summary line last; for "
        "big runs",
    ),
]
PrettyOption = Annotated[
    bool,
    typer.Option(
        "--pretty",
        help="JSON thụt lề cho người đọc (chậm hơn; mặc định: JSON gọn) / indented JSON for "
        "reading (slower: Python's own encoder; default: compact JSON)",
    ),
]
DetailOption = Annotated[
    str | None,
    typer.Option(
        "--detail",
        "-d",
        help="summary | standard | full (json, jsonl). full (mặc định): kết quả đầy đủ; "
        "standard: mỗi đơn vị chỉ giữ những gì thay đổi (trạng thái, giá trị, ngưỡng, mức "
        "chênh), phần chung (văn bản, nguồn, tham số) nêu một lần; summary: chỉ kết luận của "
        "từng đơn vị / full (default): whole results; standard: per unit only what varies "
        "(statuses, values, thresholds, margins), what units share (wording, sources, "
        "parameters) stated once; summary: each unit's conclusion only",
    ),
]


def evaluate(
    data: DataArgument,
    ruleset: RulesetOption,
    year: YearOption = None,
    output_format: EvaluateFormatOption = "table",
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
    output: OutputOption = None,
    pretty: PrettyOption = False,
    detail: DetailOption = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=0,
            help="Số tiến trình đánh giá song song (0: một cho mỗi CPU) / worker processes "
            "(0: one per CPU)",
        ),
    ] = 1,
    all_units: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Bảng: mọi đơn vị, kể cả khi nhiều hơn một màn hình (mặc định: các đơn vị cần "
            "chú ý nhất) / table: every unit, even beyond a screenful (default: those that "
            "matter most)",
        ),
    ] = False,
    decimal: Annotated[
        str | None,
        typer.Option(
            "--decimal",
            help="Dấu thập phân của tệp CSV/Excel: ',' hoặc '.' (mặc định: đọc từ các ô của "
            "từng cột) / the CSV or Excel file's decimal mark (default: read from each "
            "column's cells)",
        ),
    ] = None,
    bom: Annotated[
        bool,
        typer.Option(
            "--excel",
            help="CSV ra màn hình/ống có BOM để Excel mở đúng tiếng Việt (tệp -o luôn có) / "
            "CSV to stdout with a BOM so Excel opens Vietnamese right (files always have one)",
        ),
    ] = False,
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Đánh giá các bản ghi hợp lệ, liệt kê các bản ghi lỗi (mặc định: dừng, báo mọi "
            "lỗi) / evaluate the valid records and list the invalid ones (default: stop and "
            "report every problem)",
        ),
    ] = False,
) -> None:
    """Đánh giá các đơn vị trong tệp dữ liệu, theo một bộ tiêu chí hoặc một thang. / Evaluate
    every unit of a data file against a ruleset or a ladder."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        choice(output_format, STREAM_FORMATS, "--format", language)
        if pretty and output_format != "json":
            raise CliError(t("pretty_json_only", language), usage=True)
        if workers != 1 and output_format == "jsonl":
            raise CliError(t("workers_not_jsonl", language), usage=True)
        if detail is not None:
            choice(detail, DETAILS, "--detail", language)
            if output_format not in ("json", "jsonl"):
                raise CliError(t("detail_json_only", language), usage=True)
        if output_format == "xlsx" and output is None and sys.stdout.isatty():
            raise CliError(t("document_binary_tty", language), usage=True)
        level = detail or FULL
        rules = ruleset_or_ladder(ruleset, language)
        levels_of = level_rulesets(rules) if isinstance(rules, Ladder) else (rules,)
        if has_members(levels_of):
            if output_format == "jsonl":
                raise CliError(t("data_set_jsonl", language), usage=True)
            if workers != 1:
                raise CliError(t("data_set_workers", language), usage=True)
            check_file(data, language)
            report = evaluate_data_set(rules, data, year=year)
            if output_format == "json":
                emit(to_json(report.to_dict(level), pretty=pretty), output, language)
            elif output_format == "xlsx":
                binary_out(data_set_workbook(report, language), output, language)
            elif output_format == "csv":
                emit(
                    progress_csv(report, language), output, language, bom=bom or output is not None
                )
            else:
                show(report_view(report, language, shown_width(output)), output, language)
            wrote(output, len(report.units), language)
            return
        if decimal not in (None, ",", "."):
            raise CliError(t("decimal_mark", language, value=decimal), usage=True)
        found, skipped = checked_records(
            data, model_of(rules), language, skip_invalid=skip_invalid, decimal=decimal
        )
        if skipped:
            print_notice(
                language, t("skipped_invalid", language, count=len(skipped), good=len(found))
            )
            for problem in skipped:
                print_notice(language, problem.describe(language))
        if output_format == "jsonl":
            with lines_out(output, language) as write:
                for line in jsonl_lines(rules, found, data, year, level):
                    write(line)
            wrote(output, len(found), language)
            return
        if output_format in ("csv", "table", "xlsx"):
            with progress_bar(len(found), language) as progress:
                # read once as they come: a big run's results are never all kept
                streamed = evaluated_in_chunks(rules, found, year, workers, progress)
                if output_format == "xlsx":
                    rejected = [(p.record, p.field or "", p.text(language)) for p in skipped]
                    book = results_workbook(rules, streamed, language, rejected)
                elif isinstance(rules, Ladder):
                    levels = level_rulesets(rules)
                    placed_stream = cast(Iterator[LadderResult], streamed)
                    if output_format == "csv":
                        text = ladder_csv(rules, levels, placed_stream, language)
                    else:
                        width = shown_width(output)
                        table = ladder_table(
                            rules,
                            levels,
                            placed_stream,
                            language,
                            width,
                            screen_rows(all_units, output),
                        )
                else:
                    result_stream = cast(Iterator[EvaluationResult], streamed)
                    if output_format == "csv":
                        text = results_csv(result_stream, rules, language)
                    else:
                        table = results_table(
                            result_stream, rules, language, screen_rows(all_units, output)
                        )
            if output_format == "xlsx":
                binary_out(book, output, language)
            elif output_format == "csv":
                emit(text, output, language, bom=bom or output is not None)
            else:
                show(table, output, language)
            wrote(output, len(found), language)
            return
        with progress_bar(len(found), language) as progress:
            evaluated = evaluate_many(rules, found, year=year, workers=workers, progress=progress)
        if isinstance(rules, Ladder):
            levels = level_rulesets(rules)
            placed = cast(list[LadderResult], evaluated)
            if output_format == "json" and level != FULL:
                counts = ladder_summary(rules, levels, placed)
                document = batch_document(placed, level, summary=counts)
                emit(to_json(document, pretty=pretty), output, language)
            elif pretty:
                document = ladder_document(rules, levels, placed)
                emit(to_json(document, pretty=True), output, language)
            else:
                head = ladder_document(rules, levels, placed, with_results=False)
                head.update(skipped_part(skipped))
                document_out(head, placed, output, language)
            wrote(output, len(found), language)
            return
        results = cast(list[EvaluationResult], evaluated)
        if output_format == "json" and level != FULL:
            document = batch_document(results, level, summary=summary(results, rules))
            emit(to_json(document, pretty=pretty), output, language)
        elif pretty:
            document = {
                "ruleset": ruleset_ref(rules),
                "summary": summary(results, rules),
                "results": [r.to_dict() for r in results],
            }
            emit(to_json(document, pretty=True), output, language)
        else:
            head = {"ruleset": ruleset_ref(rules), "summary": summary(results, rules)}
            head.update(skipped_part(skipped))
            document_out(head, results, output, language)
        wrote(output, len(found), language)


def skipped_part(skipped: Sequence[InputError]) -> dict[str, Any]:
    """The records ``--skip-invalid`` left out, for a JSON document (nothing when none)."""
    if not skipped:
        return {}
    return {
        "skipped": [
            {"record": p.record, "field": p.field, "message": p.text.to_dict()} for p in skipped
        ]
    }


def screen_rows(all_units: bool, output: Path | None) -> int | None:
    """How many units a table shown on a terminal lists (the rest are summed up); None: all
    (``--all``, a file, a pipe)."""
    if all_units or output is not None or not sys.stdout.isatty():
        return None
    return max(20, Console().height - 15)


def wrote(output: Path | None, count: int, lang: Lang) -> None:
    """``Đã ghi 188 đơn vị vào FILE`` on stderr once a file is written (nothing on stdout)."""
    if output is not None:
        print_notice_line(t("wrote_units", lang, count=count, path=output))


def evaluated_in_chunks(
    rules: Ruleset | Ladder,
    found: Sequence[Any],
    year: int | None,
    workers: int,
    progress: Progress | None,
) -> Iterator[EvaluationResult | LadderResult]:
    """Results in input order: in this process a chunk at a time, so that a caller reading them
    once never holds them all; with worker processes, all from one pool."""
    if workers != 1:
        yield from evaluate_many(rules, found, year=year, workers=workers, progress=progress)
        return
    for start in range(0, len(found), CHUNK):
        yield from evaluate_many(rules, found[start : start + CHUNK], year=year)
        if progress is not None:
            progress(min(start + CHUNK, len(found)), len(found))


def results_workbook(
    rules: Ruleset | Ladder,
    streamed: Iterator[EvaluationResult | LadderResult],
    lang: Lang,
    errors: Sequence[RowError] = (),
) -> bytes:
    """The results workbook of a ruleset or a ladder, from results read once; ``errors``: the
    records that could not be read, for its errors sheet."""
    if isinstance(rules, Ladder):
        placed = cast(Iterator[LadderResult], streamed)
        return ladder_workbook(placed, rules, level_rulesets(rules), lang, errors=errors)
    results = cast(Iterator[EvaluationResult], streamed)
    return ruleset_workbook(results, rules, lang, errors=errors)


def explain(
    data: DataArgument,
    ruleset: RulesetOption,
    unit: UnitOption,
    year: YearOption = None,
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
) -> None:
    """Giải thích kết quả của một đơn vị. / Explain one unit's result, criterion by criterion
    (on a ladder: its place, the next level's result and what it lacks for it)."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        from ..explain import render

        rules = ruleset_or_ladder(ruleset, language)
        assessed = _data_set_unit(rules, data, unit, year, language)
        if assessed is not None:
            assert assessed.placed is not None
            parts = _ladder_explanation(assessed.placed.ladder, assessed.placed, language)
            if assessed.aggregates:
                lines = [t("aggregates_title", language) + ":"]
                lines += [
                    f"- {value.describe(language, limit=50)}" for value in assessed.aggregates
                ]
                lines += more_members(assessed, language)
                parts.insert(2, "\n".join(lines))
            emit("\n\n".join(parts) + "\n", None, language)
            return
        record = find_unit(records(data, model_of(rules), language), unit, data, language)
        if not isinstance(rules, Ladder):
            (result,) = evaluate_all(rules, [record], year)
            emit(with_newline(render(result, language)), None, language)
            return
        placed = evaluate_ladder(rules, record, year=year)
        emit("\n\n".join(_ladder_explanation(rules, placed, language)) + "\n", None, language)


def _data_set_unit(
    rules: Ruleset | Ladder, data: Path, code: str, year: int | None, lang: Lang
) -> Assessed | None:
    """The unit ``code`` of a data set, evaluated with its members, when ``rules`` judge units
    that contain others; None for other rules (their file holds the units themselves)."""
    if not has_members(level_rulesets(rules) if isinstance(rules, Ladder) else (rules,)):
        return None
    check_file(data, lang)
    report = evaluate_data_set(rules, data, year=year)
    record = find_unit([u.record for u in report.units], code, data, lang)
    return next(u for u in report.units if u.record is record)


def more_members(assessed: Assessed, lang: Lang) -> list[str]:
    """For each unmet requirement on a share or count of members: how many more must qualify."""
    placed = assessed.placed
    found = placed.next_gap if placed is not None else None
    if found is None:
        return []
    values = {value.field: value for value in assessed.aggregates}
    lines = []
    for item in found.items:
        value = values.get(item.check.split(" ", 1)[0])
        if value is None or not isinstance(item.threshold, int | float):
            continue
        needed = value.more_needed(item.op, float(item.threshold))
        if needed:
            words = unit_kind(value.kind).plural(lang)
            lines.append(
                t("more_members", lang, indicator=item.indicator_id, count=needed, units=words)
            )
    return lines


def _ladder_explanation(ladder: Ladder, placed: LadderResult, lang: Lang) -> list[str]:
    """A unit's place, the result of the next level (or the top one) and what it lacks."""
    from ..explain import render

    following = placed.next_result
    shown = following if following is not None else placed.results[-1]
    found = placed.next_gap
    return [
        t("ladder_place_line", lang, ladder=ladder.title(lang), place=placed.place(lang)),
        render(shown, lang).rstrip("\n"),
        render_gap(found, lang) if found is not None else t("ladder_top", lang),
    ]


def gap_command(
    data: DataArgument,
    ruleset: RulesetOption,
    unit: UnitOption,
    year: YearOption = None,
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
    output_format: Annotated[str, typer.Option("--format", "-f", help="text | json")] = "text",
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            "-t",
            help="Mức cần đạt (mã bộ tiêu chí của một mức) / the level to reach (its ruleset id)",
        ),
    ] = None,
) -> None:
    """Còn thiếu gì để đạt mức kế tiếp (hoặc --target), gần nhất trước. / What a unit still
    lacks for a level (on a ladder: the next one, or --target), nearest first."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        choice(output_format, TEXT_JSON, "--format", language)
        rules = ruleset_or_ladder(ruleset, language)
        assessed = _data_set_unit(rules, data, unit, year, language)
        if assessed is not None and assessed.placed is not None:
            record, rules = assessed.record, assessed.placed.ladder
        else:
            record = find_unit(records(data, model_of(rules), language), unit, data, language)
        document: dict[str, Any] = {"unit": {"code": record.code, "name": record.name}}
        lines = [t("unit_line", language, unit=_unit_label(record.code, record.name))]
        if isinstance(rules, Ladder):
            placed = (
                assessed.placed
                if assessed is not None and assessed.placed is not None
                else evaluate_ladder(rules, record, year=year)
            )
            chain = list(placed.results)
            following = placed.next_result
            chosen = following if following is not None else chain[-1]
            what = rules.id
            reached = placed.results[placed.reached] if placed.reached >= 0 else None
            document["ladder"] = rules.id
            document["place"] = {
                "level": reached.level_id if reached else None,
                "name": placed.place.to_dict(),
            }
            lines.append(
                t(
                    "ladder_place_line",
                    language,
                    ladder=rules.title(language),
                    place=placed.place(language),
                )
            )
        else:
            (chosen,) = evaluate_all(rules, [record], year)
            chain = _prerequisite_chain(chosen)
            what = rules.id
        if target is not None:
            chosen = _target(chain, target, what, language)
        found = gap(chosen)
        if output_format == "json":
            emit(to_json({**document, **found.to_dict()}), None, language)
        else:
            emit("\n".join([*lines, render_gap(found, language)]) + "\n", None, language)


def render_gap(found: Gap, lang: Lang) -> str:
    """A gap's text, followed by the gaps of the lower levels to reach first."""
    parts = [found.render(lang)]
    lower = found.prerequisite_gap
    while lower is not None:
        parts.append(lower.render(lang))
        lower = lower.prerequisite_gap
    return "\n\n".join(parts)


def _unit_label(code: str, name: str | None) -> str:
    return f"{code} {name}" if name else code


def _prerequisite_chain(result: EvaluationResult) -> list[EvaluationResult]:
    """A result and the computed results of the levels it requires, lowest first."""
    chain = [result]
    while chain[-1].prerequisite is not None and chain[-1].prerequisite.computed is not None:
        chain.append(chain[-1].prerequisite.computed)
    return chain[::-1]


def _target(chain: list[EvaluationResult], target: str, what: str, lang: Lang) -> EvaluationResult:
    """The level ``--target`` names, by ruleset id or level id."""
    for result in chain:
        if target in (result.ruleset.id, result.level_id):
            return result
    levels = ", ".join(r.ruleset.id for r in chain)
    raise CliError(t("unknown_target", lang, what=what, levels=levels, value=target))
