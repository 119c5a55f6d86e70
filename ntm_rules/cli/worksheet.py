"""The verification worksheet from the command line: ``ntm-rules audit --format xlsx --output
SHEET.xlsx`` writes it, ``ntm-rules audit --apply SHEET.xlsx [--dry-run]`` applies it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from ..audit import AuditItem
from ..ruleset.model import Ruleset
from ..text import Lang, format_number
from .errors import CliError, print_error
from .inputs import check_file
from .messages import t
from .output import show
from .safe_write import IsDirectory, IsSocket, MissingDirectory, UnwritablePath, write_file

if TYPE_CHECKING:
    from ..worksheet.apply import Change

AUDIT_FORMATS = ("table", "json", "xlsx")


def write_worksheet(
    rulesets: Sequence[Ruleset], items: Sequence[AuditItem], output: Path | None, lang: Lang
) -> None:
    """The workbook to ``output`` (required: a workbook is binary), and a line saying so."""
    from ..worksheet import worksheet_bytes
    from ..worksheet.write import sheet_items

    if output is None:
        raise CliError(t("worksheet_needs_output", lang), usage=True)
    data = worksheet_bytes(rulesets, items, lang)
    unwritable = {
        MissingDirectory: "dir_not_found",
        IsDirectory: "output_is_dir",
        IsSocket: "output_socket",
    }
    try:
        write_file(output, data)
    except UnwritablePath as exc:
        raise CliError(t(unwritable[type(exc)], lang, path=exc.path)) from None
    count = len(sheet_items(items))
    show(RichText(t("worksheet_written", lang, path=output, count=count)), None, lang)


def apply_sheet(sheet: Path, dry_run: bool, lang: Lang) -> None:
    """Apply a filled worksheet: a table of what changed (and, for a dry run, the diff), or
    every refused row on standard error and exit code 1."""
    from ..worksheet.apply import WorksheetRefused, apply_worksheet

    check_file(sheet, lang)
    try:
        result = apply_worksheet(sheet, dry_run=dry_run, lang=lang)
    except WorksheetRefused as exc:
        for problem in exc.problems:
            print_error(lang, problem(lang))
        print_error(lang, exc.describe(lang))
        raise typer.Exit(1) from None
    parts: list[RenderableType] = []
    if result.changes:
        parts.append(_changes_table(result.changes, lang))
    for path, (old, new) in result.versions.items():
        parts.append(RichText(t("worksheet_version", lang, path=_shown(path), old=old, new=new)))
    if result.not_applied:
        rows = ", ".join(map(str, result.not_applied))
        parts.append(RichText(t("worksheet_wording_wrong", lang, rows=rows), style="yellow"))
    if dry_run:
        parts.extend(RichText(diff) for diff in result.diffs.values())
        parts.append(RichText(t("worksheet_dry_run", lang)))
    elif result.written:
        parts.append(RichText(t("worksheet_applied", lang, count=len(result.changes))))
    else:
        parts.append(RichText(t("worksheet_nothing", lang)))
    show(Group(*parts), None, lang)


def _changes_table(changes: Sequence[Change], lang: Lang) -> Table:
    table = Table(title=RichText(t("worksheet_changes", lang)), title_justify="left")
    table.add_column(t("col_sheet_row", lang), justify="right", no_wrap=True)
    table.add_column(t("col_where", lang))
    table.add_column(t("col_subject", lang))
    table.add_column(t("col_value", lang), justify="right")
    for change in changes:
        old, new = change.old, change.new
        if new is None:
            value = t("worksheet_wording_ok", lang)
        elif old is None or old == new:
            value = format_number(new, lang)
        else:
            value = f"{format_number(old, lang)} → {format_number(new, lang)}"
        table.add_row(
            RichText(str(change.row)),
            RichText(f"{_shown(change.file)}:{change.line}"),
            RichText(change.item),
            RichText(value),
        )
    return table


def _shown(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd()))
    return str(path)
