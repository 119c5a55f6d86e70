"""Reading the tables offices really have: CSV (comma, semicolon or tab; UTF-8 with or without
BOM, UTF-16) and Excel workbooks, with Vietnamese or English column labels as well as field
names, STT and ghi chú columns ignored, and each column's number style (decimal comma or point,
thousands dots or spaces) read from its own unambiguous cells — never guessed.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from ..errors import InputError
from ..text import Text, closest, nfc
from .fields import show_text
from .vocabulary import FieldSpec

IGNORED = ("stt", "tt", "so tt", "so thu tu", "ghi chu", "note", "notes", "remarks", "no")
"""Column headings (compared as :func:`column_key`) that are read past: row numbers, notes."""


def column_key(text: str) -> str:
    """A heading as compared: no diacritics (đ as d), lower case, single spaces, without a
    trailing ``(unit)`` or ``*``."""
    text = re.sub(r"\s*(\([^()]*\)|\*)\s*$", "", nfc(text).strip())
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


@attrs.frozen
class Columns:
    """What each column of a table holds: a field name, or None for a column read past."""

    fields: tuple[str | None, ...]
    headings: tuple[str, ...]

    def heading(self, field: str) -> str:
        return self.headings[self.fields.index(field)]


def header(cells: Sequence[Any], specs: Mapping[str, FieldSpec], where: str) -> Columns:
    """Map a header row to fields: by field name, or by the Vietnamese or English label (case,
    spacing, diacritics and a trailing unit ignored). Unknown headings are listed at once."""
    names: dict[str, str] = {}
    for spec in specs.values():
        for key in (spec.name, spec.label.vi, spec.label.en):
            names.setdefault(column_key(key), spec.name)
    fields: list[str | None] = []
    headings: list[str] = []
    unknown: list[str] = []
    seen: dict[str, int] = {}
    for column, cell in enumerate(cells):
        heading = "" if cell is None else nfc(str(cell)).strip()
        headings.append(heading)
        key = column_key(heading)
        if not key or key in IGNORED:
            fields.append(None)
            continue
        name = specs[heading].name if heading in specs else names.get(key)
        if name is None:
            unknown.append(heading)
            fields.append(None)
            continue
        if name in seen:
            raise InputError(
                Text(
                    vi=f"cột bị ghi hai lần, cột {seen[name] + 1} "
                    f"('{show_text(headings[seen[name]])}') và cột {column + 1} "
                    f"('{show_text(heading)}')",
                    en=f"the column is given twice, columns {seen[name] + 1} and {column + 1} "
                    f"('{show_text(headings[seen[name]])}', '{show_text(heading)}')",
                ),
                record=f"{where} header",
                field=name,
            )
        seen[name] = column
        fields.append(name)
    if unknown:
        labels = [*specs, *(s.label.vi for s in specs.values())]
        listed = []
        for heading in unknown:
            hint = closest(heading, labels)
            listed.append(show_text(heading) + (f" (→ {hint}?)" if hint else ""))
        raise InputError(
            Text(
                vi=f"cột không có trong dữ liệu đầu vào: {', '.join(listed)}; tiêu đề cột là "
                "tên trường hoặc nhãn tiếng Việt/tiếng Anh (ntm-rules schema)",
                en=f"unknown column(s): {', '.join(listed)}; a heading is a field name or its "
                "Vietnamese or English label (ntm-rules schema)",
            ),
            record=f"{where} header",
        )
    return Columns(tuple(fields), tuple(headings))


def is_second_header(cells: Sequence[Any], columns: Columns) -> bool:
    """Whether a row under the header repeats the field names (the template's second row)."""
    named = [
        (field, cell)
        for field, cell in zip(columns.fields, cells, strict=False)
        if field is not None and cell not in (None, "")
    ]
    return bool(named) and all(
        re.sub(r"\s*\(.*\)\s*$", "", str(cell).strip()) == field for field, cell in named
    )


# -- number styles --------------------------------------------------------------------------
_DECIMAL_ONLY = re.compile(r"[+-]?\d+([.,])(\d{1,2}|\d{4,})")
_BOTH = re.compile(r"[+-]?\d{1,3}(?:([., \u00a0])\d{3})+([.,])\d+")
_GROUPS = re.compile(r"[+-]?\d{1,3}(?:([., \u00a0])\d{3}){2,}")
_SPACED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0]\d{3})+")


def decimal_mark(cells: Sequence[str]) -> str | None:
    """The decimal mark a column's cells show unambiguously (``41,5``; ``1.234,5``; two thousands
    groups ``41.500.000`` show the other mark), or None when they do not tell (or disagree)."""
    marks: set[str] = set()
    for cell in cells:
        text = cell.strip().rstrip("%").rstrip()
        both = _BOTH.fullmatch(text)
        if both and both.group(1) != both.group(2):
            marks.add(both.group(2))
        elif decimal := _DECIMAL_ONLY.fullmatch(text):
            marks.add(decimal.group(1))
        elif (groups := _GROUPS.fullmatch(text)) and groups.group(1) in ".,":
            marks.add("," if groups.group(1) == "." else ".")
    return marks.pop() if len(marks) == 1 else None


def plain_number(cell: str, mark: str | None) -> str:
    """A cell with its thousands separators removed and a ``.`` decimal point. With the column's
    decimal mark unknown, only what reads one way is rewritten (``1.234.567``, ``1 234``,
    ``1.234,5``); ``41.500`` is left for the reader to refuse as ambiguous."""
    text = cell.strip()
    if mark is None:
        both = _BOTH.fullmatch(text)
        if both and both.group(1) != both.group(2):
            mark = both.group(2)
        elif _GROUPS.fullmatch(text) or _SPACED.fullmatch(text):
            return re.sub(r"[., \u00a0]", "", text)
        else:
            return text
    other = "." if mark == "," else ","
    text = text.replace(" ", "").replace("\u00a0", "").replace(other, "")
    return text.replace(mark, ".")


# -- files ---------------------------------------------------------------------------------
def decode(raw: bytes) -> str | None:
    """The text of a CSV file: UTF-16 by its BOM, else UTF-8 (BOM or not); None if neither."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def delimiter(text: str) -> str:
    """The separator of a CSV text: comma, semicolon or tab, as its first line uses them."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {mark: first.count(mark) for mark in (",", ";", "\t")}
    best = max(counts, key=lambda mark: counts[mark])
    return best if counts[best] else ","


def csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each row of a CSV text with the line it starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    line = 0
    for row in reader:
        start, line = line + 1, reader.line_num
        yield start, row


def open_workbook(path: Path) -> Any:
    """An Excel workbook opened read-only, or an error naming the file."""
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise InputError(
            Text(
                vi=f"không đọc được tệp Excel: {exc}",
                en=f"cannot read the Excel file: {exc}",
            ),
            record=str(path),
        ) from None


def xlsx_rows(
    path: Path, sheet_name: str | None = None
) -> tuple[str, Iterator[tuple[int, list[Any]]]]:
    """A sheet of a workbook (by name, else the first that holds data) and its numbered rows."""
    book = open_workbook(path)
    if sheet_name is not None:
        sheet = book[sheet_name]
    else:
        sheet = next(
            (
                candidate
                for candidate in book.worksheets
                if column_key(candidate.title) not in ("huong dan", "instructions", "chu thich")
                and candidate.sheet_state == "visible"
            ),
            book.worksheets[0],
        )

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
            yield number, list(row)
        book.close()

    return sheet.title, rows()


def choice_aliases(spec: FieldSpec, labels: Mapping[str, Text]) -> dict[str, str]:
    """Ways an office writes a choice (its code, its name in either language, its initials)
    to the code."""
    found: dict[str, str] = {}
    for code in spec.choices:
        found[column_key(code)] = code
        label = labels.get(code)
        if label is not None:
            for text in (label.vi, label.en):
                found.setdefault(column_key(text), code)
    return found
