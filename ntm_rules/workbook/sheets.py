"""Writing the workbook with openpyxl in write-only mode (rows go to disk as they come, so a big
run is never held twice): table sheets with a styled header, frozen panes, filters and widths;
status cells coloured; bytes that depend only on the content."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.writer.excel import ExcelWriter

from ..result import MET, MISSING, NOT_APPLICABLE, NOT_MET
from ..text import nfc
from .rows import Cell, Row, Value
from .words import RECOGNISED

FIXED_TIME = dt.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CHUNK = 1 << 20
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")

HEADING = "heading"
TONES: dict[str, tuple[PatternFill | None, Font | None]] = {
    MET: (PatternFill("solid", fgColor="C6EFCE"), Font(color="006100")),
    NOT_MET: (PatternFill("solid", fgColor="FFC7CE"), Font(color="9C0006")),
    MISSING: (PatternFill("solid", fgColor="D9D9D9"), Font(color="404040")),
    NOT_APPLICABLE: (None, Font(color="808080", italic=True)),
    RECOGNISED: (PatternFill("solid", fgColor="DDEBF7"), Font(color="1F4E79")),
    HEADING: (None, Font(bold=True, size=12)),
}
"""The fill and font of each status: green met, red not met, grey missing, blue recognised."""
HEADER_FILL = PatternFill("solid", fgColor="E8E8E8")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


Styles = dict[tuple[str | None, bool], StyleArray]
"""A workbook's cell styles by tone and wrapping (the indexes are the workbook's own)."""


def styled(sheet: Any, value: Value, tone: str | None, wrapped: bool, styles: Styles) -> SheetCell:
    """A cell with the fill and font of ``tone``, wrapped or aligned to the top; the style is
    made once per workbook and copied (setting fonts and fills cell by cell is slow)."""
    key = (tone, wrapped)
    cell = WriteOnlyCell(sheet, value)
    style = styles.get(key)
    if style is None:
        if tone is not None:
            fill, font = TONES[tone]
            if fill is not None:
                cell.fill = fill
            if font is not None:
                cell.font = font
        cell.alignment = WRAP if wrapped else TOP
        styles[key] = copy(cell._style)  # type: ignore[attr-defined]
    else:
        cell._style = copy(style)  # type: ignore[attr-defined]
    return cell


def new_book(title: str) -> Workbook:
    """A write-only workbook whose properties carry no date of today."""
    book = Workbook(write_only=True)
    props = book.properties
    props.creator = "ntm-rules"
    props.title = nfc(title)
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.lastModifiedBy = None
    return book


def sheet_name(text: str, taken: set[str]) -> str:
    """An Excel sheet name (at most 31 characters, none of []:*?/\\), unique in the book."""
    base = _SHEET_BAD.sub("_", nfc(text))[:31] or "sheet"
    name, n = base, 2
    while name.lower() in taken:
        suffix = f"~{n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


class TableSheet:
    """A sheet holding one table: the header in row 1, frozen with the first ``frozen``
    columns, a filter over every row, and the rows as they come."""

    def __init__(
        self,
        book: Workbook,
        name: str,
        header: Sequence[str],
        widths: Sequence[float],
        styles: Styles,
        *,
        frozen: int = 2,
    ) -> None:
        self.styles = styles
        sheet: Any = book.create_sheet(name)  # write-only: its stubs lack what it binds
        self.sheet = sheet
        self.width = len(header)
        self.wide = {n for n, w in enumerate(widths) if w >= 24}  # long text: wrapped
        for n, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(n)].width = width
        sheet.freeze_panes = f"{get_column_letter(frozen + 1)}2"
        sheet.print_title_rows = "1:1"  # printed: the header on every page, landscape A4,
        sheet.print_options.gridLines = True  # as wide as the page
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = 9  # A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.rows = 0
        heads = []
        for text in header:
            cell = WriteOnlyCell(sheet, nfc(text))
            cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
            heads.append(cell)
        sheet.append(heads)

    def add(self, row: Row) -> None:
        self.sheet.append([self._cell(n, cell) for n, cell in enumerate(row)])
        self.rows += 1

    def _cell(self, n: int, cell: Cell) -> object:
        value = nfc(cell.value) if isinstance(cell.value, str) else cell.value
        wrapped = n in self.wide
        if cell.tone is None and not wrapped:
            return value
        return styled(self.sheet, value, cell.tone, wrapped, self.styles)

    def close(self) -> None:
        """Set the filter over the rows written (before the book is saved)."""
        last = get_column_letter(self.width)
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows + 1}"


def text_sheet(book: Workbook, name: str) -> Any:
    """A sheet for labelled lines (the summary), to fill later with :func:`fill_text`."""
    return book.create_sheet(name)


def fill_text(sheet: Any, rows: Sequence[Row], widths: Sequence[float], styles: Styles) -> None:
    """Labelled lines: headings bold, statuses coloured, the first and last column wrapped."""
    for n, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(n)].width = width
    for row in rows:
        line = []
        for n, cell in enumerate(row):
            value = nfc(cell.value) if isinstance(cell.value, str) else cell.value
            line.append(styled(sheet, value, cell.tone, n in (0, len(row) - 1), styles))
        sheet.append(line)


def stable_bytes(book: Workbook) -> bytes:
    """The workbook's bytes, every zip entry dated 1980-01-01 (openpyxl dates them now); the
    entries are copied a piece at a time (a big sheet's XML is never whole in memory)."""
    with tempfile.TemporaryFile() as raw:
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            ExcelWriter(book, archive).save()  # save_workbook() would set "modified" to now
        raw.seek(0)
        stable = io.BytesIO()
        with (
            zipfile.ZipFile(raw) as source,
            zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as target,
        ):
            for info in source.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                with source.open(info) as part, target.open(entry, "w") as out:
                    shutil.copyfileobj(part, out, CHUNK)
        return stable.getvalue()
