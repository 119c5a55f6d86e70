"""A data set: the records of every kind of unit an evaluation needs (a province, its districts
and towns, their communes, townships and wards), read from one file or from Python data.

The file is a JSON object whose keys are the kinds' sections (``provinces``, ``districts``,
``towns``, ``townships``, ``wards``, ``communes``, ``villages``). A section is a list of records,
or the path of a JSON or CSV file of records, relative to the data set's file. A record of a
unit that contains others may name them: ``"members": {"communes": ["SL-001", …]}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ..errors import InputError, InputErrors
from ..models.fields import show_text
from ..models.normalise import JsonObject, normalise_name
from ..models.structuring import (
    read_json,
    read_table,
    record_label,
    rows_from_csv,
    rows_from_json,
)
from ..models.tables import column_key, open_workbook
from ..text import Text, did_you_mean
from ..unit_kinds import KINDS

MEMBERS_KEY = "members"
SECTIONS = {kind.section: kind.id for kind in KINDS.values()}


@attrs.frozen
class Row:
    """One record of a data set, as read: its kind, where it comes from, its values."""

    kind: str
    label: str
    values: Mapping[str, Any]
    members: Mapping[str, tuple[str, ...]] | None = None  # declared members by section

    @property
    def code(self) -> str:
        code = self.values.get("code")
        return normalise_name(code) if isinstance(code, str) else ""


@attrs.frozen
class DataSet:
    """The rows of a data set by kind, in file order."""

    rows: Mapping[str, tuple[Row, ...]]
    file: str | None = None

    def of(self, kind: str) -> tuple[Row, ...]:
        return self.rows.get(kind, ())

    def has(self, kind: str) -> bool:
        return kind in self.rows

    @classmethod
    def from_sections(
        cls, sections: Mapping[str, Any], *, models: Mapping[str, type[Any]], where: str = ""
    ) -> DataSet:
        """A data set from Python data: ``{"districts": [{...}], "communes": [...]}``."""
        return _read_sections(sections, models, Path("."), where or "data")


def read_data_set(path: Path, models: Mapping[str, type[Any]]) -> DataSet:
    """Read a data set file; ``models`` gives each kind's input model (for its CSV files)."""
    if not path.exists():
        raise InputError(Text(vi="không tìm thấy tệp", en="file not found"), record=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_workbook(path, models)
    data = read_json(path)
    if not isinstance(data, dict):
        raise InputError(
            Text(
                vi="tệp dữ liệu nhiều cấp cần một đối tượng JSON có các mục " + ", ".join(SECTIONS),
                en="a data set needs a JSON object with sections " + ", ".join(SECTIONS),
            ),
            record=str(path),
        )
    found = _read_sections(data, models, path.parent, str(path))
    return attrs.evolve(found, file=str(path))


def _read_workbook(path: Path, models: Mapping[str, type[Any]]) -> DataSet:
    """A workbook with one sheet per kind of unit (as ``ntm-rules template`` makes it): a sheet
    is a kind's section when its hidden ``_meta`` sheet says so, or when its title is the kind's
    name (Xã, Huyện, communes…). Every bad cell of every sheet is reported at once."""
    book = open_workbook(path)
    titles = [sheet.title for sheet in book.worksheets]
    kinds: dict[str, str] = {}
    if "_meta" in titles:
        for row in book["_meta"].iter_rows(values_only=True):
            if row and row[0] == "sheet" and len(row) >= 3 and row[2] in KINDS:
                kinds[str(row[1])] = str(row[2])
    else:
        names = {
            column_key(text): kind.id
            for kind in KINDS.values()
            for text in (kind.section, kind.id, kind.heading.vi, kind.heading.en)
        }
        for title in titles:
            kind_id = names.get(column_key(title))
            if kind_id is not None:
                kinds[title] = kind_id
    book.close()
    rows: dict[str, tuple[Row, ...]] = {}
    problems: list[InputError] = []
    for title, kind in kinds.items():
        model = models.get(kind)
        if model is None:
            continue  # a kind no unit of this evaluation needs
        table = read_table(path, model, title)
        found = []
        for label, values, unreadable in table.rows:
            problems.extend(unreadable)
            if not unreadable:
                found.append(Row(kind, label, values))
        rows[kind] = tuple(_unique(found))
    if problems:
        raise InputErrors(problems)
    if not rows:
        raise InputError(
            Text(
                vi="không có trang nào mang tên một loại đơn vị (Xã, Huyện, Tỉnh…)",
                en="no sheet is named after a kind of unit (Commune, District, Province…)",
            ),
            record=str(path),
        )
    return DataSet(rows, file=str(path))


_IGNORED = ("synthetic", "note", "generator", "year", "title")


def _read_sections(
    data: Mapping[str, Any], models: Mapping[str, type[Any]], folder: Path, where: str
) -> DataSet:
    rows: dict[str, tuple[Row, ...]] = {}
    pairs = data.pairs if isinstance(data, JsonObject) else list(data.items())
    seen: set[str] = set()
    for section, value in pairs:
        if section in _IGNORED:
            continue
        if section in seen:
            raise InputError(
                Text(vi="mục bị ghi hai lần", en="the section is given twice"),
                record=where,
                field=section,
            )
        seen.add(section)
        kind = SECTIONS.get(section)
        if kind is None:
            hint = did_you_mean(section, SECTIONS)
            raise InputError(
                Text(
                    vi=f"không có mục '{show_text(section)}'{hint.vi}; các mục: "
                    + ", ".join(SECTIONS),
                    en=f"unknown section '{show_text(section)}'{hint.en}; sections: "
                    + ", ".join(SECTIONS),
                ),
                record=where,
                field=section,
            )
        rows[kind] = tuple(_unique(_section_rows(kind, section, value, models, folder, where)))
    return DataSet(rows)


def _section_rows(
    kind: str,
    section: str,
    value: Any,
    models: Mapping[str, type[Any]],
    folder: Path,
    where: str,
) -> Iterable[Row]:
    if isinstance(value, str):
        path = folder / value
        if not path.exists():
            raise InputError(
                Text(vi=f"không tìm thấy tệp {path}", en=f"file not found: {path}"),
                record=where,
                field=section,
            )
        if path.suffix.lower() in (".csv", ".xlsx", ".xlsm", ".tsv", ".txt"):
            model = models.get(kind)
            if model is None:
                raise InputError(
                    Text(
                        vi="không đơn vị nào cần mục này, nên không biết các cột của nó",
                        en="no unit evaluated needs this section, so its columns are unknown",
                    ),
                    record=where,
                    field=section,
                )
            found: Iterable[tuple[str, Any]] = rows_from_csv(path, model)
        else:
            found = rows_from_json(path)
        for label, row in found:
            yield _row(kind, label, row)
        return
    if not isinstance(value, list):
        raise InputError(
            Text(
                vi="cần một danh sách bản ghi hoặc đường dẫn một tệp",
                en="expected a list of records or the path of a file",
            ),
            record=where,
            field=section,
        )
    for index, row in enumerate(value):
        label = f"{where} {section} {record_label(row, index) if isinstance(row, dict) else index}"
        if not isinstance(row, dict):
            raise InputError(Text(vi="cần một đối tượng", en="expected an object"), record=label)
        yield _row(kind, label, row)


def _row(kind: str, label: str, row: Mapping[str, Any]) -> Row:
    values = {k: v for k, v in row.items() if k != MEMBERS_KEY}
    declared = row.get(MEMBERS_KEY)
    if declared is None:
        return Row(kind, label, values)
    if not isinstance(declared, dict):
        raise InputError(
            Text(
                vi='cần một đối tượng, vd. {"communes": ["SL-001"]}',
                en='expected an object, e.g. {"communes": ["SL-001"]}',
            ),
            record=label,
            field=MEMBERS_KEY,
        )
    members: dict[str, tuple[str, ...]] = {}
    for section, codes in declared.items():
        if section not in SECTIONS or not isinstance(codes, list):
            raise InputError(
                Text(
                    vi=f"'{show_text(section)}': cần một mục ({', '.join(SECTIONS)}) với danh "
                    "sách mã",
                    en=f"'{show_text(section)}': expected a section ({', '.join(SECTIONS)}) "
                    "with a list of codes",
                ),
                record=label,
                field=MEMBERS_KEY,
            )
        if not all(isinstance(code, str) for code in codes):
            raise InputError(
                Text(vi="mã phải là văn bản", en="codes must be texts"),
                record=label,
                field=f"{MEMBERS_KEY}.{section}",
            )
        members[SECTIONS[section]] = tuple(normalise_name(code) for code in codes)
    return Row(kind, label, values, members)


def _unique(rows: Iterable[Row]) -> Iterable[Row]:
    seen: dict[str, str] = {}
    for row in rows:
        code = row.code
        if code and code in seen:
            raise InputError(
                Text(
                    vi=f"mã '{show_text(code)}' bị trùng, đã là mã của bản ghi {seen[code]}",
                    en=f"duplicate code '{show_text(code)}', already the code of record "
                    f"{seen[code]}",
                ),
                record=row.label,
                field="code",
            )
        seen[code] = row.label
        yield row
