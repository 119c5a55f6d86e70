"""The input template as an ``.xlsx`` workbook: a sheet per kind of unit (row 1: the labels,
row 2: the field names and units, data from row 3), a check on every column (Có/Không, the
region names, 0-100 for a percentage, whole numbers for counts and years) with a note saying
what to write, and an instructions sheet. Given records, the same layout holds data (the
sample files). The bytes depend only on the rulesets, the language and the records."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..bounds import FIRST_YEAR, LAST_YEAR
from ..document.xlsx import FIXED_TIME, _sheet_name, _stable_zip
from ..ladder import Ladder, level_rulesets
from ..models.commune import REGIONS
from ..models.fields import KIND_BOOL, KIND_INT, KIND_TEXT
from ..models.vocabulary import FieldSpec, always_given
from ..ruleset.model import Ruleset
from ..text import Lang, Text, nfc
from ..unit_kinds import unit_kind
from ..units import unit_symbol
from .columns import TemplateSheet, template_sheets
from .instructions import HELP_SHEET, instructions_sheet
from .words import BLANK_NO, BLANK_OK, NO, REQUIRED, YES, how_to_write, number, unit_words

__all__ = [
    "FORMAT",
    "HEADER_ROWS",
    "LISTS_SHEET",
    "META_SHEET",
    "TEMPLATE_ROWS",
    "field_heading",
    "template_xlsx",
]

FORMAT = 1
"""Version of the template's layout, written in the hidden metadata sheet."""
HEADER_ROWS = 2
TEMPLATE_ROWS = 5000
"""How many rows under the header the checks cover (more when the records need it)."""
LISTS_SHEET = "_lists"
META_SHEET = "_meta"

_HEADER = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED = PatternFill("solid", fgColor="FCE4D6")
_NAMES = PatternFill("solid", fgColor="F2F2F2")
_NAMES_FONT = Font(italic=True, size=9, color="595959")
_WRAP = Alignment(wrap_text=True, vertical="top")
_PROMPT_TITLE = 32  # Excel's limits on an input message
_PROMPT = 255
_LINE_HEIGHT = 15.0


def template_xlsx(
    target: Ruleset | Ladder,
    lang: Lang = "vi",
    *,
    records: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    file_name: str = "mau.xlsx",
) -> bytes:
    """The template of ``target`` (a ruleset, or a ladder: every level), labels in ``lang``.

    ``records`` (by kind) fill the sheets, in the template's layout; ``file_name`` is the file
    the instructions tell to evaluate next."""
    from ..aggregate.assess import as_ladder

    ladder = as_ladder(target)
    rulesets = level_rulesets(ladder)
    sheets = template_sheets(target)
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    lists = _Lists(book.create_sheet(LISTS_SHEET), rulesets, lang)
    taken = {LISTS_SHEET.lower(), META_SHEET.lower(), HELP_SHEET(lang).lower()}
    titles = []
    for position, sheet in enumerate(sheets):
        heading = unit_kind(sheet.kind).heading(lang).replace(" / ", ", ")
        title = _sheet_name(heading, taken)
        data = book.create_sheet(title, position)
        rows = (records or {}).get(sheet.kind, ())
        _data_sheet(data, sheet, rows, lists, lang)
        titles.append(title)
    help_sheet = book.create_sheet(HELP_SHEET(lang), len(sheets))
    instructions_sheet(help_sheet, ladder, sheets, titles, lists.names, lang, file_name)
    lists.sheet.sheet_state = "hidden"
    meta = book.create_sheet(META_SHEET)
    meta.append(["format", FORMAT])
    meta.append(["target", ladder.id])
    meta.append(["lang", lang])
    meta.append(["header_rows", HEADER_ROWS])
    for title, sheet in zip(titles, sheets, strict=True):
        meta.append(["sheet", title, sheet.kind, unit_kind(sheet.kind).section])
    meta.sheet_state = "hidden"
    props = book.properties
    props.creator = "ntm-rules"
    props.title = nfc(ladder.title(lang))
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.lastModifiedBy = None
    return _stable_zip(book)


class _Lists:
    """The hidden sheet holding each list a column chooses from (the region names), and the
    names of each choice."""

    def __init__(self, sheet: Worksheet, rulesets: Sequence[Ruleset], lang: Lang) -> None:
        self.sheet = sheet
        self.rulesets = rulesets
        self.lang = lang
        self.names: dict[str, dict[str, str]] = {}  # field -> choice -> name
        self.ranges: dict[str, str] = {}  # field -> the range of its names

    def choices(self, spec: FieldSpec) -> str:
        """The range of the names of ``spec``'s choices, written once per field."""
        if spec.name not in self.ranges:
            names = {c: _choice_name(spec, c, self.rulesets)(self.lang) for c in spec.choices}
            column = get_column_letter(len(self.ranges) + 1)
            for row, name in enumerate(names.values(), 1):
                self.sheet[f"{column}{row}"] = nfc(name)
            self.names[spec.name] = names
            where = f"${column}$1:${column}${len(names)}"
            self.ranges[spec.name] = f"{quote_sheetname(self.sheet.title)}!{where}"
        return self.ranges[spec.name]


def _choice_name(spec: FieldSpec, choice: str, rulesets: Sequence[Ruleset]) -> Text:
    """What a choice is called: by an axis of the rulesets on that field, else the region's
    name (:data:`REGIONS`), else the choice itself."""
    for ruleset in rulesets:
        for axis in ruleset.axes.values():
            if (axis.name == spec.name or axis.field == spec.name) and choice in axis.labels:
                return axis.choice_name(choice)
    if spec.name == "region" and choice in REGIONS:
        return REGIONS[choice]
    return Text(vi=choice, en=choice)


def field_heading(spec: FieldSpec, lang: Lang) -> str:
    """Row 2 of a column: the field name, and its unit or the words it takes."""
    unit = unit_words(spec, lang)
    return f"{spec.name} ({unit})" if unit else spec.name


def _data_sheet(
    sheet: Worksheet,
    template: TemplateSheet,
    rows: Sequence[Mapping[str, Any]],
    lists: _Lists,
    lang: Lang,
) -> None:
    columns = template.columns
    sheet.append([nfc(spec.label(lang)) for spec in columns])
    sheet.append([nfc(field_heading(spec, lang)) for spec in columns])
    last_row = HEADER_ROWS + max(TEMPLATE_ROWS, len(rows))
    listed = always_given(template.model)  # blank: not on the list (ĐBKK…), not "not reported"
    lines = 1
    for n, spec in enumerate(columns, 1):
        letter = get_column_letter(n)
        label = sheet.cell(1, n)
        label.font = Font(bold=True)
        label.fill = _REQUIRED if spec.required else _HEADER
        label.alignment = Alignment(wrap_text=True, vertical="center")
        names = sheet.cell(2, n)
        names.font = _NAMES_FONT
        names.fill = _NAMES
        names.alignment = _WRAP
        width = min(max(len(str(names.value)) + 2, 12), 28)
        sheet.column_dimensions[letter].width = width
        if spec.kind == KIND_TEXT and not spec.choices:  # a code 001 stays 001, not the number 1
            sheet.column_dimensions[letter].number_format = "@"
        lines = max(lines, math.ceil(len(spec.label(lang)) * 1.15 / (width - 1)))
        validation = _validation(spec, spec.name in listed, lists, lang)
        sheet.add_data_validation(validation)
        validation.add(f"{letter}{HEADER_ROWS + 1}:{letter}{last_row}")
    sheet.row_dimensions[1].height = _LINE_HEIGHT * min(lines, 8)
    for record in rows:
        sheet.append([_cell(spec, record.get(spec.name), lists, lang) for spec in columns])
    frozen = get_column_letter(min(3, len(columns)) if template.identity >= 2 else 1)
    sheet.freeze_panes = f"{frozen}{HEADER_ROWS + 1}"
    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A{HEADER_ROWS}:{last}{HEADER_ROWS + len(rows)}"
    sheet.print_title_rows = f"1:{HEADER_ROWS}"
    sheet.page_setup.orientation = "landscape"


def _cell(spec: FieldSpec, value: Any, lists: _Lists, lang: Lang) -> Any:
    """A record's value as the office writes it: Có/Không, the region's name, a number."""
    if value is None:
        return None
    if spec.kind == KIND_BOOL:
        return (YES if value else NO)(lang)
    if spec.kind == KIND_TEXT and spec.choices:
        lists.choices(spec)
        return nfc(lists.names[spec.name].get(value, value))
    return nfc(value) if isinstance(value, str) else value


_Kind = Literal["whole", "decimal", "list"]


def _validation(spec: FieldSpec, blank_is_no: bool, lists: _Lists, lang: Lang) -> DataValidation:
    """The check on a column and the note shown when one of its cells is selected."""
    kind: _Kind | None = None
    options: dict[str, Any] = {}
    if spec.kind == KIND_BOOL:
        kind, options = "list", {"formula1": f'"{YES(lang)},{NO(lang)}"'}
    elif spec.kind == KIND_TEXT and spec.choices:
        kind, options = "list", {"formula1": lists.choices(spec)}
    elif spec.kind == KIND_INT and spec.unit == "year":
        kind = "whole"
        options = {"operator": "between", "formula1": str(FIRST_YEAR), "formula2": str(LAST_YEAR)}
    elif spec.minimum is not None:
        kind = "whole" if spec.kind == KIND_INT else "decimal"
        options = {"operator": "greaterThanOrEqual", "formula1": number(spec.minimum)}
        if spec.maximum is not None:
            options.update(operator="between", formula2=number(spec.maximum))
    rule = how_to_write(spec)
    unit = unit_symbol(spec.unit, lang)
    blank = BLANK_NO if blank_is_no and spec.kind == KIND_BOOL else BLANK_OK
    parts = [spec.label(lang) + (f" ({unit})." if unit else "."), rule(lang) if rule else ""]
    parts.append((REQUIRED if spec.required else blank)(lang))
    prompt = nfc(" ".join(part for part in parts if part))
    return DataValidation(
        type=kind,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=kind is not None,
        errorStyle="warning",
        errorTitle=Text(vi="Giá trị chưa hợp lệ", en="Value not valid")(lang),
        error=(rule or blank)(lang),
        promptTitle=_cut(spec.name, _PROMPT_TITLE),
        prompt=_cut(prompt, _PROMPT),
        **options,
    )


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
