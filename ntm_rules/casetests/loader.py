"""Reading ``*.test.yaml`` files: every problem at its file and line, in Vietnamese and English.

A case that cannot be read is reported and the others are kept, so one run shows every
problem of a file. The format is described in ``docs/ruleset-tests.md``.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..bounds import FIRST_YEAR, LAST_YEAR, in_range, is_number
from ..errors import NtmRulesError, RulesetError
from ..text import Text, nfc
from ..yaml_source import Node, load_yaml
from .model import (
    BELOW,
    LADDER,
    RULESET,
    STATUSES,
    Case,
    CaseFile,
    CountExpectation,
    DataRecord,
    Expectation,
    IndicatorExpectation,
    LadderExpectation,
    RecordSpec,
    Target,
    Where,
)

FORMAT = 1
TOP_KEYS = ("format", "ruleset", "ladder", "title", "note", "records", "cases")
CASE_KEYS = ("name", "ruleset", "ladder", "year", "date", "record", "changes", "expect", "note")
EXPECT_KEYS = (
    "status",
    "criteria_met",
    "criteria",
    "indicators",
    "axes",
    "recognition",
    "prerequisite",
)
LADDER_EXPECT_KEYS = ("place", "levels")
# Vietnamese words a rule author may write for a status
STATUS_ALIASES = {
    "đạt": "met",
    "chưa đạt": "not_met",
    "không đạt": "not_met",
    "thiếu dữ liệu": "missing",
    "thiếu": "missing",
    "không áp dụng": "not_applicable",
}

T = TypeVar("T")


def error(node: Node, vi: str, en: str) -> RulesetError:
    """A problem at ``node``'s line, in both languages."""
    return RulesetError(
        Text(vi=vi, en=en),
        file=node.file,
        line=node.line,
        column=node.column,
        key=node.path or None,
    )


def where(node: Node) -> Where:
    return Where(node.file, node.line)


def _kind(value: Any) -> Text:
    if value is None:
        return Text(vi="giá trị rỗng (null)", en="nothing (null)")
    if isinstance(value, bool):
        return Text(vi=f"'{str(value).lower()}'", en=f"'{str(value).lower()}'")
    if isinstance(value, int | float):
        return Text(vi=f"số {value}", en=f"the number {value}")
    if isinstance(value, str):
        return Text(vi=f"chữ '{value}'", en=f"the text '{value}'")
    if isinstance(value, CommentedMap):
        return Text(vi="một bảng khóa: giá trị", en="a mapping")
    if isinstance(value, CommentedSeq):
        return Text(vi="một danh sách", en="a list")
    return Text(vi=type(value).__name__, en=type(value).__name__)


def mapping(node: Node) -> CommentedMap:
    if not isinstance(node.value, CommentedMap):
        found = _kind(node.value)
        raise error(
            node,
            f"cần một bảng khóa: giá trị, nhưng gặp {found.vi}",
            f"expected a mapping (key: value), found {found.en}",
        )
    return node.value


def check_keys(node: Node, allowed: Sequence[str], required: Sequence[str] = ()) -> None:
    """Unknown keys (with a did-you-mean) and missing required keys."""
    found = mapping(node)
    for key in found:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint_vi = f" (có phải '{close[0]}'?)" if close else ""
            hint_en = f" (did you mean '{close[0]}'?)" if close else ""
            child = node._child(key, found[key])
            try:
                line, column = found.lc.key(key)
                child = Node(child.value, node.file, child.path, line + 1, column + 1)
            except (KeyError, AttributeError, TypeError):
                pass
            raise error(
                child,
                f"khóa '{key}' không hợp lệ{hint_vi}; các khóa được dùng: {', '.join(allowed)}",
                f"unknown key '{key}'{hint_en}; allowed: {', '.join(allowed)}",
            )
    for key in required:
        if key not in found or found[key] is None:
            raise error(node, f"thiếu khóa bắt buộc '{key}'", f"missing required key '{key}'")


def items(node: Node) -> list[tuple[str, Node]]:
    """The entries of a mapping; keys are read as text (``10:`` is the id "10"). A key such as
    ``17.10`` must be quoted: YAML would read it as the number 17.1."""
    found = []
    for key, value in mapping(node).items():
        child = node._child(key, value)
        if isinstance(key, bool) or not isinstance(key, str | int):
            raise error(
                child,
                f'hãy đặt mã trong dấu ngoặc kép: "{key}" (YAML đọc {key} là một số)',
                f'put the id in quotes: "{key}" (YAML reads {key} as a number)',
            )
        found.append((nfc(str(key)).strip(), child))
    return found


def seq(node: Node) -> list[Node]:
    if not isinstance(node.value, CommentedSeq):
        found = _kind(node.value)
        raise error(
            node, f"cần một danh sách, nhưng gặp {found.vi}", f"expected a list, found {found.en}"
        )
    return node.seq()


def text(node: Node) -> str:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, str):
        found = _kind(value)
        raise error(
            node, f"cần một đoạn chữ, nhưng gặp {found.vi}", f"expected text, found {found.en}"
        )
    result = nfc(str(value)).strip()
    if not result:
        raise error(node, "không được để trống", "must not be empty")
    return result


def ident(node: Node) -> str:
    """An id written as text, or as a whole number (``"10"`` or ``10``; ``"2.1"`` quoted)."""
    value = node.value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        raise error(
            node,
            f'hãy đặt mã trong dấu ngoặc kép: "{value}" (YAML đọc nó là một số)',
            f'put the id in quotes: "{value}" (YAML reads it as a number)',
        )
    return text(node)


def number(node: Node) -> float:
    value = node.value
    if not is_number(value) or not in_range(value):
        found = _kind(value)
        raise error(
            node, f"cần một số, nhưng gặp {found.vi}", f"expected a number, found {found.en}"
        )
    return float(value)


def status(node: Node) -> str:
    """A status: met, not_met, missing, not_applicable (or the Vietnamese words)."""
    value = node.value
    word = nfc(str(value)).strip().lower() if isinstance(value, str) else None
    found = STATUS_ALIASES.get(word, word) if word is not None else None
    if found not in STATUSES:
        shown = _kind(value)
        raise error(
            node,
            f"trạng thái phải là met, not_met, missing hoặc not_applicable (hay: đạt, chưa đạt, "
            f"thiếu dữ liệu, không áp dụng), nhưng gặp {shown.vi}",
            f"a status must be met, not_met, missing or not_applicable, found {shown.en}",
        )
    assert found is not None
    return found


def _numbers(node: Node) -> tuple[float, ...]:
    if isinstance(node.value, CommentedSeq):
        return tuple(number(item) for item in node.seq())
    return (number(node),)


def _ids(node: Node) -> tuple[str, ...]:
    found = tuple(ident(item) for item in seq(node))
    duplicates = sorted({i for i in found if found.count(i) > 1})
    if duplicates:
        raise error(node, f"lặp lại: {', '.join(duplicates)}", f"repeated: {', '.join(duplicates)}")
    return found


# -- the file ---------------------------------------------------------------------------------
def load_case_file(path: Path | str) -> CaseFile:
    """Read a test file. A problem with the whole file (YAML, ``format``, ``records``) leaves no
    cases; a problem with one case is kept in ``errors`` and the other cases are read."""
    path = Path(path)
    try:
        root = load_yaml(path)
        check_keys(root, TOP_KEYS, ("format", "cases"))
        fmt = root.get("format")
        if fmt.value != FORMAT or isinstance(fmt.value, bool):
            raise error(fmt, f"'format' phải là {FORMAT}", f"'format' must be {FORMAT}")
        default = _target(root, None)
        records = _named_records(root.opt("records"))
        case_nodes = seq(root.get("cases"))
        if not case_nodes:
            raise error(root.get("cases"), "chưa có ca kiểm thử nào", "there are no cases")
    except NtmRulesError as exc:
        return CaseFile(str(path), (), (exc,))
    cases: list[Case] = []
    problems: list[NtmRulesError] = []
    names: dict[str, Where] = {}
    for node in case_nodes:
        try:
            case = _case(node, default, records)
            if case.name in names:
                raise error(
                    node.get("name"),
                    f"tên ca '{case.name}' đã dùng ở dòng {names[case.name].line}",
                    f"the case name '{case.name}' is already used at line {names[case.name].line}",
                )
            names[case.name] = case.where
            cases.append(case)
        except NtmRulesError as exc:
            problems.append(exc)
    return CaseFile(str(path), tuple(cases), tuple(problems))


def _target(node: Node, default: Target | None) -> Target | None:
    given = [key for key in (RULESET, LADDER) if node.opt(key) is not None]
    if len(given) > 1:
        raise error(
            node.get(LADDER),
            "chỉ ghi một trong hai khóa 'ruleset' hoặc 'ladder'",
            "give either 'ruleset' or 'ladder', not both",
        )
    if not given:
        return default
    value = node.get(given[0])
    return Target(given[0], text(value), where(value))


def _named_records(node: Node | None) -> dict[str, tuple[Node, Any]]:
    if node is None:
        return {}
    return {name: (value, _record_fields(value)) for name, value in items(node)}


def _record_fields(node: Node) -> dict[str, Any] | DataRecord:
    """A record written out (field: value), or ``{file: ..., code: ...}``: a data file's record."""
    found = mapping(node)
    if "file" in found:
        check_keys(node, ("file", "code"), ("file", "code"))
        return DataRecord(text(node.get("file")), ident(node.get("code")))
    return {name: _field_value(value) for name, value in items(node)}


def _field_value(node: Node) -> Any:
    value = node.value
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return nfc(str(value))
    found = _kind(value)
    raise error(
        node,
        f"giá trị của một trường phải là số, chữ, true/false hoặc null, nhưng gặp {found.vi}",
        f"a field's value must be a number, text, true/false or null, found {found.en}",
    )


def _case(node: Node, default: Target | None, records: dict[str, tuple[Node, Any]]) -> Case:
    check_keys(node, CASE_KEYS, ("name", "record", "expect"))
    name = text(node.get("name"))
    target = _target(node, default)
    if target is None:
        raise error(
            node,
            "không rõ bộ tiêu chí: ghi 'ruleset:' (hoặc 'ladder:') ở đầu tệp hoặc trong ca",
            "no ruleset: write 'ruleset:' (or 'ladder:') at the top of the file or in the case",
        )
    year_node, date_node = node.opt("year"), node.opt("date")
    if year_node is not None and date_node is not None:
        raise error(date_node, "chỉ ghi 'year' hoặc 'date'", "give either 'year' or 'date'")
    year = _year(year_node) if year_node is not None else None
    on = _date(date_node) if date_node is not None else None
    record = _record(node, records)
    expect_node = node.get("expect")
    expect: Expectation | LadderExpectation
    if target.kind == LADDER:
        expect = _ladder_expectation(expect_node)
    else:
        expect = _expectation(expect_node, EXPECT_KEYS)
    note = node.opt("note")
    return Case(name, target, year, on, record, expect, where(node), text(note) if note else None)


def _year(node: Node) -> int:
    value = node.value
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not FIRST_YEAR <= value <= LAST_YEAR
    ):
        raise error(
            node,
            f"năm đánh giá phải là số nguyên từ {FIRST_YEAR} đến {LAST_YEAR}",
            f"the assessment year must be a whole number from {FIRST_YEAR} to {LAST_YEAR}",
        )
    return int(value)


def _date(node: Node) -> dt.date:
    value = node.value
    try:
        found = dt.date.fromisoformat(str(value)) if isinstance(value, str) else None
    except ValueError:
        found = None
    if found is None or not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise error(
            node,
            "ngày đánh giá phải viết dạng YYYY-MM-DD (ví dụ 2024-12-31)",
            "the assessment date must be written YYYY-MM-DD (e.g. 2024-12-31)",
        )
    return found


def _record(node: Node, records: dict[str, tuple[Node, Any]]) -> RecordSpec:
    record = node.get("record")
    changes_node = node.opt("changes")
    changes = {} if changes_node is None else _changes(changes_node)
    if isinstance(record.value, str):
        name = text(record)
        if name not in records:
            close = difflib.get_close_matches(name, list(records), n=1)
            hint_vi = f" (có phải '{close[0]}'?)" if close else ""
            hint_en = f" (did you mean '{close[0]}'?)" if close else ""
            known = ", ".join(records) or "-"
            raise error(
                record,
                f"không có bản ghi mẫu '{name}' trong 'records'{hint_vi}; có: {known}",
                f"no base record '{name}' in 'records'{hint_en}; known: {known}",
            )
        base_node, fields = records[name]
        return RecordSpec(fields, changes, name, where(base_node))
    return RecordSpec(_record_fields(record), changes, None, where(record))


def _changes(node: Node) -> dict[str, Any]:
    mapping(node)
    return {name: _field_value(value) for name, value in items(node)}


def _expectation(node: Node, allowed: Sequence[str]) -> Expectation:
    check_keys(node, allowed)
    if not mapping(node):
        raise error(node, "chưa ghi điều gì được mong đợi", "nothing is expected")
    return Expectation(
        status=_opt(node, "status", status),
        criteria_met=_opt(node, "criteria_met", _criteria_met),
        criteria={
            key: (status(value), where(value)) for key, value in _opt_items(node, "criteria")
        },
        indicators=tuple(_indicator(key, value) for key, value in _opt_items(node, "indicators")),
        axes={key: (ident(value), where(value)) for key, value in _opt_items(node, "axes")},
        recognition=_opt(node, "recognition", status),
        prerequisite=_opt(node, "prerequisite", status),
    )


def _opt(node: Node, key: str, read: Callable[[Node], T]) -> T | None:
    found = node.opt(key)
    return read(found) if found is not None else None


def _opt_items(node: Node, key: str) -> list[tuple[str, Node]]:
    found = node.opt(key)
    return items(found) if found is not None else []


def _criteria_met(node: Node) -> CountExpectation:
    """``[1, 2, ...]`` (exactly these), or ``{includes: [...], excludes: [...], count: N}``."""
    if isinstance(node.value, CommentedSeq):
        return CountExpectation(_ids(node), (), (), None, where(node))
    if is_number(node.value):
        return CountExpectation(None, (), (), _count(node), where(node))
    check_keys(node, ("includes", "excludes", "count"))
    count = node.opt("count")
    return CountExpectation(
        None,
        _ids(node.get("includes")) if node.opt("includes") is not None else (),
        _ids(node.get("excludes")) if node.opt("excludes") is not None else (),
        _count(count) if count is not None else None,
        where(node),
    )


def _count(node: Node) -> int:
    value = node.value
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise error(node, "cần một số nguyên không âm", "expected a whole number, 0 or more")
    return int(value)


def _indicator(key: str, node: Node) -> IndicatorExpectation:
    """``"10": not_met`` or ``"10": {status: not_met, threshold: 39, value: 38}``."""
    if isinstance(node.value, CommentedMap):
        check_keys(node, ("status", "threshold", "value"))
        if not node.value:
            raise error(node, "chưa ghi điều gì được mong đợi", "nothing is expected")
        return IndicatorExpectation(
            key,
            _opt(node, "status", status),
            _opt(node, "threshold", _numbers),
            _opt(node, "value", _numbers),
            where(node),
        )
    return IndicatorExpectation(key, status(node), None, None, where(node))


def _ladder_expectation(node: Node) -> LadderExpectation:
    check_keys(node, LADDER_EXPECT_KEYS)
    if not mapping(node):
        raise error(node, "chưa ghi điều gì được mong đợi", "nothing is expected")
    place = node.opt("place")
    levels = {}
    for key, value in _opt_items(node, "levels"):
        if isinstance(value.value, CommentedMap):
            levels[key] = (_expectation(value, EXPECT_KEYS), where(value))
        else:
            levels[key] = (Expectation(status=status(value)), where(value))
    return LadderExpectation(
        place=ident(place) if place is not None else None,
        place_where=where(place) if place is not None else None,
        levels=levels,
    )


__all__ = ["BELOW", "FORMAT", "load_case_file"]
