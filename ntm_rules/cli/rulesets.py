"""Commands about rulesets themselves: ``rulesets``, ``validate``, ``audit`` and ``schema``."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from ..errors import NtmRulesError
from ..ladder import Ladder
from ..ruleset.files import CatalogueEntry, yaml_files
from ..ruleset.model import Ruleset
from ..ruleset.search import is_installed_copy, use_rulesets

if TYPE_CHECKING:
    from ..audit import AuditItem
from ..ladder import level_rulesets
from ..text import Lang, Text, format_number
from .app import LangOption, OutputOption, RulesetsOption
from .errors import CliError, choice, errors, parse_lang, print_error, print_notice
from .inputs import ruleset_or_ladder
from .ladders import ladder_info, ladders_table
from .messages import TABLE_JSON, t, unit_words
from .output import emit, show, to_json
from .results import ruleset_ref
from .worksheet import AUDIT_FORMATS, apply_sheet, write_worksheet

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table | json")]


# -- rulesets -----------------------------------------------------------------------------------
def rulesets_command(
    output_format: FormatOption = "table",
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
) -> None:
    """Liệt kê các bộ tiêu chí và thang tìm thấy, và tệp của từng mã. / List the rulesets and
    ladders on the search path, and the file each id comes from."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        choice(output_format, TABLE_JSON, "--format", language)
        from ..ladder import load_ladder
        from ..ruleset.files import catalogue
        from ..ruleset.loader import load_ruleset
        from ..ruleset.search import search_path

        infos: list[dict[str, Any]] = []
        ladders: list[dict[str, Any]] = []
        failures: list[str] = []
        entries = catalogue()
        for entry in entries:
            try:
                if entry.ladder:
                    ladder = load_ladder(entry.file)
                    ladders.append(
                        {**ladder_info(ladder, level_rulesets(ladder)), **_origin(entry)}
                    )
                else:
                    infos.append({**ruleset_info(load_ruleset(entry.file)), **_origin(entry)})
            except NtmRulesError as exc:
                failures.extend(part.describe(language) for part in exc.parts)
        folders_found = [
            {"path": str(entry.path), "origin": entry.origin} for entry in search_path()
        ]
        if output_format == "json":
            document = {"search_path": folders_found, "rulesets": infos, "ladders": ladders}
            emit(to_json(document), None, language)
        else:
            parts = [rulesets_table(infos, language)]
            if ladders:
                parts.append(ladders_table(ladders, language))
            parts.append(sources_list(folders_found, [*infos, *ladders], language))
            show(Group(*parts), None, language)
        for failure in failures:
            print_error(language, failure)
        if failures:
            raise typer.Exit(1)


def _origin(entry: CatalogueEntry) -> dict[str, Any]:
    return {
        "file": str(entry.file),
        "origin": entry.folder.origin,
        "installed_copy": is_installed_copy(entry.file),
        "shadows": [str(path) for path in entry.shadows],
    }


def sources_list(
    folders: Sequence[dict[str, Any]], infos: Sequence[dict[str, Any]], lang: Lang
) -> RenderableType:
    """The folders searched, in order, then the file of each id (and what it shadows)."""
    lines = [RichText(t("search_path_title", lang), style="bold")]
    for number, folder in enumerate(folders, 1):
        origin = t(f"origin_{folder['origin']}", lang)
        lines.append(RichText(f"  {number}. {shown_path(folder['path'])} ({origin})"))
    lines.append(RichText(t("files_title", lang), style="bold"))
    for info in infos:
        lines.append(RichText(f"  {info['id']}: {shown_path(info['file'])}"))
        if info["installed_copy"]:
            lines.append(RichText(f"    {t('installed_copy', lang)}", style="yellow"))
        for shadowed in info["shadows"]:
            lines.append(RichText(f"    {t('shadows', lang, path=shown_path(shadowed))}"))
    return Group(*lines)


def shown_path(path: str | Path) -> str:
    """A path relative to the working directory when it is below it, else as it is."""
    found = Path(path)
    with contextlib.suppress(ValueError):
        return str(found.resolve().relative_to(Path.cwd().resolve()))
    return str(found)


def _audit_counts(ruleset: Ruleset) -> tuple[int, int]:
    """(unverified values and wordings, values left to the province) of one ruleset."""
    from ..audit import audit, summarise

    summary = summarise(audit(ruleset))
    return int(summary["unverified"]), int(summary["by_kind"].get("open", 0))


def ruleset_info(ruleset: Ruleset) -> dict[str, Any]:
    unverified, open_values = _audit_counts(ruleset)
    return {
        "id": ruleset.id,
        "version": ruleset.version,
        "unit": ruleset.unit,
        "level": {"id": ruleset.level.id, "name": ruleset.level.name.to_dict()},
        "title": ruleset.title.to_dict(),
        "valid_from": ruleset.valid_from.isoformat(),
        "valid_until": ruleset.valid_until.isoformat() if ruleset.valid_until else None,
        "criteria": len(ruleset.criteria),
        "indicators": len(ruleset.indicators),
        "unverified": unverified,
        "province_decides": open_values,
        "file": ruleset.file,
    }


def rulesets_table(infos: Sequence[dict[str, Any]], lang: Lang) -> RenderableType:
    table = Table(title=RichText(t("rulesets_title", lang)), title_justify="left")
    table.add_column(t("col_id", lang), no_wrap=True)
    table.add_column(t("col_version", lang))
    table.add_column(t("col_unit_kind", lang))
    table.add_column(t("col_level", lang), min_width=12)
    table.add_column(t("col_title", lang), min_width=20)
    table.add_column(t("col_valid", lang))
    table.add_column(t("col_counts", lang), justify="right")
    table.add_column(t("col_unverified", lang), justify="right")
    table.add_column(t("col_open", lang), justify="right")
    for info in infos:
        until = info["valid_until"] or t("open_ended", lang)
        table.add_row(
            RichText(info["id"]),
            RichText(info["version"]),
            RichText(unit_words(info["unit"], lang)["unit"]),
            RichText(info["level"]["name"][lang]),
            RichText(info["title"][lang]),
            RichText(f"{info['valid_from']}\n→ {until}"),
            RichText(f"{info['criteria']} / {info['indicators']}"),
            RichText(str(info["unverified"]), style="yellow" if info["unverified"] else ""),
            RichText(str(info["province_decides"])),
        )
    return table


# -- validate -----------------------------------------------------------------------------------
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Tệp .yaml hoặc thư mục / ruleset or ladder files, or directories"),
    ],
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
) -> None:
    """Kiểm tra tệp bộ tiêu chí hoặc thang. / Check ruleset and ladder files (a directory:
    every .yaml in it)."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        files: list[Path] = []
        problems: list[str] = []
        for path in paths:
            if path.is_dir():
                found = yaml_files(path)
                if not found:
                    problems.append(t("no_yaml", language, path=path))
                files.extend(found)
            elif not path.exists():
                problems.append(t("file_not_found", language, path=path))
            else:
                files.append(path)
        passed: list[str] = []
        notices: list[str] = []
        for file in files:
            try:
                passed.append(_validate_file(file, language, notices))
            except NtmRulesError as exc:
                problems.extend(part.describe(language) for part in exc.parts)
            except UnicodeDecodeError:
                problems.append(t("not_utf8", language, path=file))
        total = len(files) + sum(1 for path in paths if not path.exists())
        summary = t("validate_summary", language, ok=len(passed), total=total)
        emit("\n".join([*passed, summary]) + "\n", None, language)
        for notice in dict.fromkeys(notices):  # deprecated spellings: the file still loads
            print_notice(language, notice)
        for problem in dict.fromkeys(problems):  # a file's problem once, not per file using it
            print_error(language, problem)
        if problems:
            raise typer.Exit(1)


def _validate_file(file: Path, lang: Lang, notices: list[str]) -> str:
    """The OK line of a valid ruleset or ladder file (its notices added to ``notices``); raises
    on the first problem."""
    from ..ladder import load_ladder
    from ..ruleset.files import is_ladder_file
    from ..ruleset.loader import load_ruleset
    from ..validation import prove_runs

    if is_ladder_file(file):
        ladder = load_ladder(file)
        return t(
            "validate_ladder_ok",
            lang,
            file=file,
            id=ladder.id,
            count=len(ladder.levels),
            levels=" → ".join(ladder.levels),
        )
    ruleset = load_ruleset(file)
    prove_runs(ruleset)
    notices.extend(notice.describe(lang) for notice in ruleset.notices)
    return t(
        "validate_ok",
        lang,
        file=file,
        id=ruleset.id,
        version=ruleset.version,
        criteria=len(ruleset.criteria),
        indicators=len(ruleset.indicators),
        parameters=len(ruleset.parameters),
    )


# -- schema -------------------------------------------------------------------------------------
def schema(
    inputs: Annotated[
        str, typer.Option("--inputs", "-i", help="Bộ dữ liệu đầu vào / input vocabulary")
    ] = "commune_2021",
    result: Annotated[
        bool, typer.Option("--result", help="Lược đồ của kết quả / the schema of results")
    ] = False,
    ruleset_format: Annotated[
        bool,
        typer.Option(
            "--ruleset-format",
            help="Lược đồ của tệp bộ tiêu chí và tệp thang, cho trình soạn thảo YAML / "
            "the schema of ruleset and ladder files, for YAML editors",
        ),
    ] = False,
    report: Annotated[
        bool,
        typer.Option(
            "--report",
            help="Lược đồ của báo cáo dữ liệu nhiều cấp (tỉnh, huyện) / the schema of a "
            "multi-level data-set report (province, districts)",
        ),
    ] = False,
    compact: Annotated[
        str | None,
        typer.Option(
            "--compact",
            help="Lược đồ của một dạng kết quả gọn: summary | standard | batch | jsonl-header | "
            "jsonl-line / the schema of a compact result form",
        ),
    ] = None,
    output: OutputOption = None,
    lang: LangOption = "vi",
) -> None:
    """In JSON Schema của dữ liệu, kết quả hoặc tệp bộ tiêu chí. / Print a JSON Schema."""
    language = parse_lang(lang)
    with errors(language):
        if result + ruleset_format + report > 1:
            raise CliError(t("schema_one_kind", language), usage=True)
        if compact is not None:
            from ..compact import COMPACT_FORMS, compact_schema

            if result or ruleset_format or report:
                raise CliError(t("schema_compact_alone", language), usage=True)
            document = compact_schema(choice(compact, COMPACT_FORMS, "--compact", language))
        elif result:
            document = _result_schema()
        elif report:
            from ..aggregate.report import REPORT_SCHEMA

            document = REPORT_SCHEMA
        elif ruleset_format:
            from ..ruleset.format_schema import ruleset_schema

            document = ruleset_schema()
        else:
            from ..models.vocabulary import vocabulary
            from ..schema import input_schema

            document = input_schema(vocabulary(inputs))
        emit(to_json(document), output, language)


def _result_schema() -> dict[str, Any]:
    from .. import schema as schema_module

    build = getattr(schema_module, "result_schema", None)
    if build is not None:
        return cast(dict[str, Any], build())
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "result.schema.json", here.parent / "docs" / "result.schema.json"):
        if candidate.is_file():
            return cast(dict[str, Any], json.loads(candidate.read_text(encoding="utf-8")))
    raise NtmRulesError(
        Text(
            vi="bản cài đặt này không có lược đồ kết quả (result schema)",
            en="the result schema is not available in this installation",
        )
    )


# -- audit --------------------------------------------------------------------------------------
def audit_command(
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset",
            "-r",
            help="Mã hoặc tệp bộ tiêu chí hay thang (mặc định: tất cả) / ruleset or ladder",
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option("--format", "-f", help="table | json | xlsx (phiếu kiểm chứng / worksheet)"),
    ] = "table",
    output: OutputOption = None,
    apply: Annotated[
        Path | None,
        typer.Option(
            "--apply",
            help="Ghi phiếu kiểm chứng đã điền vào các tệp YAML / apply a filled worksheet",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Với --apply: chỉ xem trước / with --apply: preview only"),
    ] = False,
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
) -> None:
    """Liệt kê những gì chưa kiểm chứng hoặc để tỉnh quyết định; lập và áp dụng phiếu kiểm
    chứng (.xlsx). / List what is unverified; make and apply a verification worksheet."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        choice(output_format, AUDIT_FORMATS, "--format", language)
        if apply is not None:
            if ruleset is not None or output is not None or output_format != "table":
                raise CliError(t("worksheet_apply_options", language), usage=True)
            apply_sheet(apply, dry_run, language)
            return
        if dry_run:
            raise CliError(t("worksheet_dry_run_alone", language), usage=True)
        if output_format == "xlsx" and output is None:
            raise CliError(t("worksheet_needs_output", language), usage=True)
        from ..audit import audit, summarise
        from ..ruleset.registry import get_ruleset, ruleset_files

        failures: list[str] = []
        rulesets: list[Ruleset] = []
        if ruleset is not None:
            found = ruleset_or_ladder(ruleset, language)
            rulesets = list(level_rulesets(found)) if isinstance(found, Ladder) else [found]
        else:
            for path in ruleset_files().values():
                try:
                    rulesets.append(get_ruleset(path))
                except NtmRulesError as exc:
                    failures.extend(part.describe(language) for part in exc.parts)
        items = unique_items([(rules, audit(rules)) for rules in rulesets])
        summary = summarise(items)
        if output_format == "xlsx":
            write_worksheet(rulesets, items, output, language)
        elif output_format == "json":
            document = {
                "rulesets": [ruleset_ref(r) for r in rulesets],
                "summary": summary,
                "items": [item.to_dict() for item in items],
            }
            emit(to_json(document), output, language)
        else:
            show(audit_table(items, summary, language), output, language)
        for failure in failures:
            print_error(language, failure)
        if failures:
            raise typer.Exit(1)


def unique_items(audited: Sequence[tuple[Ruleset, Sequence[AuditItem]]]) -> list[AuditItem]:
    """Each audit item once. A provincial ruleset repeats the national items it inherits (and a
    higher level the values it imports), each under the ruleset that defines it
    (``item.ruleset``): the item is kept once, in the order first met, as the defining ruleset's
    own audit gives it when that ruleset is audited too."""
    own = {
        _item_key(item): item
        for ruleset, items in audited
        for item in items
        if item.ruleset == ruleset.id
    }
    seen: set[tuple[Any, ...]] = set()
    found = []
    for _, items in audited:
        for item in items:
            key = _item_key(item)
            if key not in seen:
                seen.add(key)
                found.append(own.get(key, item))
    return found


def _item_key(item: AuditItem) -> tuple[Any, ...]:
    return (
        item.kind,
        item.ruleset,
        item.name,
        item.axis,
        item.axis_key,
        item.effective_from,
        item.criterion,
        item.file,
        item.line,
    )


AUDIT_KINDS: dict[str, Text] = {
    "parameter": Text(vi="Giá trị chưa kiểm chứng", en="Unverified value"),
    "indicator": Text(vi="Nội dung chưa kiểm chứng", en="Unverified wording"),
    "open": Text(vi="Tỉnh quyết định", en="Left to the province"),
    "check": Text(vi="Cần đối chiếu quyết định của tỉnh", en="To check in the provincial decision"),
}


def audit_table(items: Sequence[Any], summary: dict[str, Any], lang: Lang) -> RenderableType:
    """One table per file (line, kind, item, value, note), then the counts."""
    if not items:
        return RichText(t("audit_none", lang))
    by_file: dict[str, list[Any]] = {}
    for item in items:
        by_file.setdefault(_where(item.file, None, item.ruleset), []).append(item)
    parts: list[RenderableType] = []
    for where, group in by_file.items():
        title = RichText(where)
        if group[0].file is not None and is_installed_copy(group[0].file):
            title.append(f"\n{t('installed_copy', lang)}", style="yellow")
        table = Table(title=title, title_justify="left")
        table.add_column(t("col_line", lang), justify="right", no_wrap=True)
        table.add_column(t("col_kind", lang))
        table.add_column(t("col_subject", lang))
        table.add_column(t("col_value", lang), justify="right", no_wrap=True)
        table.add_column(t("col_note", lang))
        for item in group:
            kind = AUDIT_KINDS[item.kind](lang) if item.kind in AUDIT_KINDS else item.kind
            table.add_row(
                RichText("" if item.line is None else str(item.line)),
                RichText(kind, style="magenta" if item.kind == "open" else ""),
                RichText(_audit_subject(item, lang)),
                RichText(_audit_value(item.value, item.unit, lang)),
                RichText(item.note or ""),
            )
        parts.append(table)
    by_kind = summary.get("by_kind", {})
    counts = ", ".join(
        f"{AUDIT_KINDS[kind](lang).lower()}: {by_kind.get(kind, 0)}" for kind in AUDIT_KINDS
    )
    line = f"{t('audit_summary', lang, total=summary.get('total', len(items)))} ({counts})"
    return Group(*parts, RichText(line))


def _where(file: str | None, line: int | None, fallback: str) -> str:
    if file is None:
        return fallback
    path = Path(file)
    with contextlib.suppress(ValueError):
        path = path.relative_to(Path.cwd())
    return f"{path}:{line}" if line is not None else str(path)


def _audit_subject(item: Any, lang: Lang) -> str:
    if item.kind == "indicator":
        criterion = item.criterion
        prefix = item.name if criterion != "recognition" else f"{criterion} {item.name}"
        return f"{prefix} {item.label(lang)}"
    subject = f"{item.name}"
    if item.axis_key:
        subject += f" [{item.axis_key}]"
    if item.effective_from is not None:
        subject += (" từ " if lang == "vi" else " from ") + item.effective_from.isoformat()
    return f"{subject}\n{item.label(lang)}"


def _audit_value(value: Any, unit: str | None, lang: Lang) -> str:
    from ..units import unit_symbol

    if value is None:
        return ""
    if value == "province_decides":
        return AUDIT_KINDS["open"](lang).lower()
    if isinstance(value, int | float) and not isinstance(value, bool):
        symbol = unit_symbol(unit, lang)
        return format_number(value, lang) + (f" {symbol}" if symbol and symbol != "%" else symbol)
    return str(value)
