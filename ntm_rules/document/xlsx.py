"""A criteria table as an Excel workbook: one sheet per ruleset (a ladder: per level), header
frozen and filterable, numbers as numbers, unverified values highlighted, and a legend sheet
with the legal documents and the axis rules. The bytes depend only on the rulesets: workbook
dates are fixed and the zip entries carry a fixed time."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ..text import Lang, nfc
from .layout import Cell, Column, axis_rule, columns, date, legend, rows, validity, value_axes
from .model import IndicatorDoc, LadderDoc, RulesetDoc
from .wording import UNVERIFIED, unit_kind, word

__all__ = ["ladder_xlsx", "ruleset_xlsx"]

FIXED_TIME = dt.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
UNVERIFIED_FILL = PatternFill("solid", fgColor="FFF1B8")
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
PROVINCIAL_FONT = Font(bold=True, color="0B4F9C")
OPEN_FONT = Font(italic=True, color="8A1C7C")
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {
    "criterion": 24,
    "number": 9,
    "indicator": 44,
    "requirement": 44,
    "period": 24,
    "unit": 12,
    "value": 10,
    "source": 30,
    "note": 50,
}
HEADER_ROW = 4
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def ruleset_xlsx(doc: RulesetDoc, lang: Lang) -> bytes:
    """A workbook with the ruleset's sheet and the legend sheet."""
    return _workbook([doc], lang, None)


def ladder_xlsx(doc: LadderDoc, lang: Lang) -> bytes:
    """A workbook with one sheet per level of the ladder and the legend sheet."""
    return _workbook(doc.levels, lang, doc)


def _workbook(docs: Sequence[RulesetDoc], lang: Lang, ladder: LadderDoc | None) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    names: set[str] = set()
    for doc in docs:
        _sheet(book.create_sheet(_sheet_name(doc.id, names)), doc, lang)
    _legend_sheet(book.create_sheet(_sheet_name(word("legend", lang), names)), docs, lang, ladder)
    props = book.properties
    props.creator = "ntm-rules"
    props.title = nfc(ladder.title(lang) if ladder else docs[0].title(lang))
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.lastModifiedBy = None
    return _stable_zip(book)


def _stable_zip(book: Workbook) -> bytes:
    """The workbook's bytes, with every zip entry dated 1980-01-01 (openpyxl dates them now)."""
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(book, archive).save()  # save_workbook() would set "modified" to now
    stable = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return stable.getvalue()


def _sheet_name(text: str, taken: set[str]) -> str:
    """An Excel sheet name (at most 31 characters, none of []:*?/\\), unique in the book."""
    base = _SHEET_BAD.sub("_", text)[:31] or "sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def _sheet(sheet: Worksheet, doc: RulesetDoc, lang: Lang) -> None:
    sheet.append([nfc(doc.title(lang))])
    sheet["A1"].font = Font(bold=True, size=14)
    facts = [
        f"{word('id', lang)}: {doc.id}",
        f"{word('version', lang)} {doc.version}",
        f"{word('hash', lang)} {doc.content_hash[:12]}",
        f"{word('valid', lang)}: {validity(doc, lang)}",
        f"{word('unit_kind', lang)}: {unit_kind(doc.unit, lang)}",
        f"{word('file', lang)}: {doc.file}",
    ]
    if doc.extends:
        facts.append(f"{word('extends', lang)}: {doc.extends}")
    if doc.scope is not None:
        facts.append(f"{word('scope', lang)}: {doc.scope(lang)}")
    sheet.append([nfc(" · ".join(facts))])
    policy = f"{word('policy_level', lang)}: {doc.level_policy(lang)}"
    if doc.prerequisite is not None:
        policy += f" {word('prerequisite', lang)}: {doc.prerequisite(lang)}"
    sheet.append([nfc(policy)])
    cols = columns(doc, lang)
    headers = [word("col_criterion", lang), *(c.title for c in cols), word("col_note", lang)]
    sheet.append([nfc(h) for h in headers])
    for n in range(1, len(headers) + 1):
        cell = sheet.cell(HEADER_ROW, n)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = WRAP
    sections: list[tuple[str, Sequence[IndicatorDoc]]] = [
        (f"{c.id}. {c.name(lang)}", c.indicators) for c in doc.criteria
    ]
    if doc.recognition is not None:
        sections.append((doc.recognition.name(lang), doc.recognition.conditions))
    for label, indicators in sections:
        for indicator, row in zip(_owners(indicators), rows(indicators, cols, lang), strict=True):
            _row(sheet, label, indicator, row.cells, cols)
    widths = [WIDTHS["criterion"], *(WIDTHS[c.key] for c in cols), WIDTHS["note"]]
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    last = get_column_letter(len(headers))
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{max(sheet.max_row, HEADER_ROW)}"
    sheet.print_options.gridLines = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _owners(indicators: Sequence[IndicatorDoc]) -> list[IndicatorDoc]:
    """The indicator of each table row, in row order."""
    return [i for i in indicators for _ in (i.thresholds or (None,))]


def _row(
    sheet: Worksheet,
    label: str,
    indicator: IndicatorDoc,
    cells: Sequence[Cell],
    cols: Sequence[Column],
) -> None:
    note = indicator.note if cells[0].text else None
    values: list[object] = [nfc(label)]
    for cell, col in zip(cells, cols, strict=True):
        values.append(
            cell.number if col.key == "value" and cell.number is not None else nfc(cell.text)
        )
    values.append(nfc(note or ""))
    sheet.append(values)
    at = sheet.max_row
    for n, (cell, col) in enumerate(zip(cells, cols, strict=True), 2):
        target = sheet.cell(at, n)
        target.alignment = WRAP
        if cell.unverified:
            target.fill = UNVERIFIED_FILL
        if cell.provincial:
            target.font = PROVINCIAL_FONT
        if cell.open:
            target.font = OPEN_FONT
        if col.key == "value" and cell.replaced:
            target.comment = Comment(nfc(cell.replaced), "ntm-rules")
    sheet.cell(at, 1).alignment = WRAP
    sheet.cell(at, len(cols) + 2).alignment = WRAP


def _legend_sheet(
    sheet: Worksheet, docs: Sequence[RulesetDoc], lang: Lang, ladder: LadderDoc | None
) -> None:
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 110
    sheet.append([nfc(word("legend", lang))])
    sheet["A1"].font = Font(bold=True, size=14)
    marks = legend(tuple({a.name: a for d in docs for a in value_axes(d)}.values()), lang)
    for mark, meaning in marks:
        sheet.append([mark, nfc(meaning)])
        if mark == UNVERIFIED:
            sheet.cell(sheet.max_row, 2).fill = UNVERIFIED_FILL
    if ladder is not None:
        sheet.append([])
        sheet.append([nfc(word("ladder", lang)), nfc(ladder.title(lang))])
        sheet.append([word("below", lang), nfc(ladder.below(lang))])
        for n, level in enumerate(ladder.levels, 1):
            sheet.append([str(n), nfc(f"{level.level(lang)} ({level.id})")])
    for doc in docs:
        sheet.append([])
        sheet.append([doc.id, nfc(doc.title(lang))])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.cell(sheet.max_row, 2).font = Font(bold=True)
        sheet.append([nfc(word("documents", lang))])
        for document in doc.documents:
            parts = [document.number]
            if document.date:
                parts.append(date(document.date, lang))
            if document.title:
                parts.append(document.title(lang))
            if document.url:
                parts.append(document.url)
            sheet.append(["", nfc(" — ".join(parts))])
        for axis in doc.axes:
            sheet.append([nfc(f"{word('axes', lang)} ({axis.label(lang).lower()})")])
            for n, rule in enumerate(axis.rules, 1):
                sheet.append([str(n), nfc(axis_rule(rule, lang))])
            for key in axis.keys:
                sheet.append([nfc(key.short(lang)), nfc(key.name(lang))])
        if doc.computed:
            sheet.append([nfc(word("computed", lang))])
            for computed in doc.computed:
                sheet.append(["", nfc(computed(lang))])
    for line in sheet.iter_rows():
        for cell in line:
            cell.alignment = WRAP
