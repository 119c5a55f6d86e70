"""``ntm-rules test``: run the ruleset tests (``*.test.yaml``) and show what passed and why the
others failed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from ..casetests.model import CaseResult, Comparison, FileResult, explain
from ..errors import NtmRulesError
from ..ruleset.search import use_rulesets
from ..text import Lang
from .app import LangOption, RulesetsOption
from .errors import CliError, choice, errors, parse_lang
from .messages import TABLE_JSON, t
from .output import emit, show, to_json
from .rulesets import shown_path

PathsArgument = Annotated[
    list[Path] | None,
    typer.Argument(
        help="Tệp *.test.yaml hoặc thư mục (mặc định: kiểm thử của các bộ tiêu chí trên đường "
        "tìm kiếm) / test files or folders (default: the tests of the search path's rulesets)",
        show_default=False,
    ),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table | json")]


def test_command(
    paths: PathsArgument = None,
    output_format: FormatOption = "table",
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
) -> None:
    """Chạy các ca kiểm thử bộ tiêu chí (*.test.yaml). / Run the ruleset tests (*.test.yaml)."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        choice(output_format, TABLE_JSON, "--format", language)
        from ..casetests.runner import default_case_files, find_case_files, run_file
        from ..ruleset.search import search_path

        for path in paths or ():
            if not path.exists():
                raise CliError(t("file_not_found", language, path=path))
        files = find_case_files(paths) if paths else default_case_files()
        if not files:
            looked = paths or [entry.path for entry in search_path()]
            shown = ", ".join(shown_path(path) for path in looked)
            raise CliError(t("casetests_none", language, paths=shown))
        results = [run_file(file) for file in files]
        if output_format == "json":
            emit(to_json(results_document(results, language)), None, language)
        else:
            show(results_view(results, language), None, language)
        if not all(result.passed for result in results):
            raise typer.Exit(1)


def _counts(results: Sequence[FileResult]) -> dict[str, int]:
    cases = [case for result in results for case in result.results]
    return {
        "cases": len(cases),
        "passed": sum(case.passed for case in cases),
        "failed": sum(not case.passed for case in cases),
        "files": len(results),
        "invalid": sum(len(result.errors) for result in results),
    }


def results_document(results: Sequence[FileResult], lang: Lang) -> dict[str, Any]:
    return {
        "summary": _counts(results),
        "files": [
            {
                "file": result.file,
                "passed": result.passed,
                "errors": [error.describe(lang) for error in result.errors],
                "cases": [case.to_dict(lang) for case in result.results],
            }
            for result in results
        ],
    }


def _headline(case: CaseResult) -> Comparison | None:
    """The comparison a row shows: the first that failed, or the first."""
    return next(iter(case.differences), None) or next(iter(case.comparisons), None)


def _cell(comparison: Comparison | None, value: str, more: int, lang: Lang) -> str:
    if comparison is None:
        return "-"
    text = f"{comparison.subject(lang)}: {value}"
    return text + (f" (+{more})" if more > 0 else "")


def results_view(results: Sequence[FileResult], lang: Lang) -> RenderableType:
    """One table per file (case, ruleset, expected, actual, ✓/✗), the failures explained under
    it, then a summary line."""
    parts: list[RenderableType] = []
    for result in results:
        title = shown_path(result.file)
        if result.results:
            table = Table(title=RichText(title), title_justify="left", expand=False)
            table.add_column(t("col_case", lang), ratio=3)
            table.add_column(t("col_ruleset", lang), ratio=2, overflow="fold")
            table.add_column(t("col_expected", lang), ratio=3, overflow="fold")
            table.add_column(t("col_actual", lang), ratio=3, overflow="fold")
            table.add_column("", no_wrap=True, width=1)
            for case in result.results:
                shown = _headline(case)
                more = len(case.comparisons) - 1
                actual = t("casetests_error", lang) if case.error else None
                table.add_row(
                    RichText(case.case.name),
                    RichText(case.target_id or case.case.target.reference),
                    RichText(_cell(shown, shown.expected(lang), more, lang) if shown else "-"),
                    RichText(
                        actual or (_cell(shown, shown.actual(lang), 0, lang) if shown else "-")
                    ),
                    RichText("✓", style="green") if case.passed else RichText("✗", style="red"),
                )
            parts.append(table)
        else:
            parts.append(RichText(title))
        explained = _explanations(result, lang)
        if explained is not None:
            parts.append(explained)
    counts = _counts(results)
    key = "casetests_summary" if counts["invalid"] == 0 else "casetests_summary_invalid"
    parts.append(RichText(t(key, lang, **counts), style="bold"))
    return Group(*parts)


def _describe(error: NtmRulesError, lang: Lang) -> str:
    """An error's message, its file shown relative to the current folder."""
    text = error.describe(lang)
    file = getattr(error, "file", None)
    return text.replace(file, shown_path(file), 1) if isinstance(file, str) else text


def _explanations(result: FileResult, lang: Lang) -> RenderableType | None:
    """Each failed case with its differences, and each problem of the file; wrapped lines stay
    indented under their mark."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=3, justify="right")
    grid.add_column()
    for case in result.results:
        if case.passed:
            continue
        where = f"{shown_path(case.case.where.file)}:{case.case.where.line}"
        grid.add_row(RichText("✗", style="red"), RichText(f"{case.case.name} ({where})"))
        if case.error is not None:
            grid.add_row(RichText("-"), RichText(_describe(case.error, lang)))
        for line in explain(case.differences, lang):
            grid.add_row(RichText("-"), RichText(line))
    for error in result.errors:
        invalid = f"{t('casetests_invalid', lang)}: {_describe(error, lang)}"
        grid.add_row(RichText("✗", style="red"), RichText(invalid))
    return grid if grid.row_count else None
