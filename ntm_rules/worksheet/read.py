"""Reading a filled worksheet: the rows an official filled in, with their hidden keys."""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import attrs
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..errors import NtmRulesError
from ..text import Text, nfc
from .columns import COLUMNS, FILLED, ITEMS_SHEET, KEYS, META_SHEET

__all__ = ["FilledRow", "SheetKey", "Worksheet", "parse_number", "read_worksheet"]


@attrs.frozen
class SheetKey:
    """What a row is about, as the hidden key columns recorded it when the sheet was made."""

    kind: str
    ruleset: str
    file: str | None
    line: int | None
    name: str
    criterion: str | None
    axis_key: str | None
    start: str | None  # effective_from, ISO
    value: str | None  # repr of the value then
    sha256: str | None  # of the file then

    @property
    def item(self) -> tuple[str | None, ...]:
        """The item the row is about, whatever its line or file: two rows with the same item
        are about the same value or wording."""
        return (self.ruleset, self.kind, self.name, self.criterion, self.axis_key, self.start)


@attrs.frozen
class FilledRow:
    """A row with something filled in; ``row`` is its number in the sheet."""

    row: int
    key: SheetKey
    confirmed_value: Any
    wording_ok: Any
    document: str
    article: str
    page: str
    confirmed_by: str
    confirmed_on: str
    remarks: str


@attrs.frozen
class Worksheet:
    rows: tuple[FilledRow, ...]  # the filled rows (rows with nothing filled are left out)
    rulesets: tuple[Path, ...]  # the files of the rulesets the sheet was made from


def read_worksheet(path: Path) -> Worksheet:
    """The filled rows of the worksheet at ``path`` and the rulesets it was made from."""
    try:
        book = load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise NtmRulesError(
            Text(
                vi=f"{path}: không đọc được tệp Excel (.xlsx): {exc}",
                en=f"{path}: cannot read the Excel (.xlsx) file: {exc}",
            )
        ) from None
    try:
        names = {ITEMS_SHEET("vi"), ITEMS_SHEET("en")}
        sheet = next((book[n] for n in book.sheetnames if n in names), None)
        rows = list(sheet.iter_rows(values_only=True)) if sheet is not None else []
        meta = list(book[META_SHEET].iter_rows(values_only=True)) if META_SHEET in book else []
    finally:
        book.close()
    if not rows:
        raise _not_a_worksheet(path)
    positions = _positions(rows[0], path)
    filled = []
    for number, values in enumerate(rows[1:], start=2):
        row = _row(number, values, positions)
        if row is not None:
            filled.append(row)
    rulesets = tuple(
        Path(str(line[3])) for line in meta if len(line) > 3 and line[0] == "ruleset" and line[3]
    )
    return Worksheet(tuple(filled), rulesets)


def _not_a_worksheet(path: Path) -> NtmRulesError:
    return NtmRulesError(
        Text(
            vi=f"{path}: không phải phiếu kiểm chứng do ntm-rules audit --format xlsx lập "
            "(thiếu trang hoặc cột ẩn)",
            en=f"{path}: not a worksheet made by ntm-rules audit --format xlsx "
            "(a sheet or a hidden column is missing)",
        )
    )


def _positions(header: tuple[Any, ...], path: Path) -> dict[str, int]:
    """Column key -> index, found by header (in either language): columns may be moved."""
    titles = {nfc(str(v)).strip(): n for n, v in enumerate(header) if v is not None}
    positions: dict[str, int] = {}
    for col in COLUMNS:
        for lang in ("vi", "en"):
            found = titles.get(col.title(lang))
            if found is not None:
                positions[col.key] = found
                break
    if any(c.key not in positions for c in (*KEYS, *FILLED)):
        raise _not_a_worksheet(path)
    return positions


def _row(number: int, values: tuple[Any, ...], positions: dict[str, int]) -> FilledRow | None:
    def get(key: str) -> Any:
        n = positions[key]
        value = values[n] if n < len(values) else None
        return nfc(value).strip() or None if isinstance(value, str) else value

    def text(key: str) -> str:
        value = get(key)
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return "" if value is None else str(value)

    if get("confirmed_value") is None and get("wording_ok") is None and not text("document"):
        return None
    line = get("key:line")
    key = SheetKey(
        kind=text("key:kind"),
        ruleset=text("key:ruleset"),
        file=text("key:file") or None,
        line=int(line) if isinstance(line, int | float) else None,
        name=text("key:name"),
        criterion=text("key:criterion") or None,
        axis_key=text("key:axis_key") or None,
        start=text("key:from") or None,
        value=text("key:value") or None,
        sha256=text("key:sha256") or None,
    )
    return FilledRow(
        row=number,
        key=key,
        confirmed_value=get("confirmed_value"),
        wording_ok=get("wording_ok"),
        **{k: text(k) for k in ("document", "article", "page", "confirmed_by", "remarks")},
        confirmed_on=text("confirmed_on"),
    )


_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


def parse_number(raw: Any, unit: str) -> float | None:
    """A confirmed value as a number: a number cell, or text such as ``72``, ``72,5``, ``72.5``
    (``72%`` for a percentage); None if it is not a number."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str):
        text = raw.replace("\u00a0", " ").strip()
        if unit == "percent" and text.endswith("%"):
            text = text[:-1].strip()
        if not _NUMBER.fullmatch(text):
            return None
        number = float(text.replace(",", "."))
    else:
        return None
    return number if math.isfinite(number) else None
