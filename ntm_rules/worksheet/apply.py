"""Applying a filled worksheet: every row checked, then every file written, or none.

A row is refused (naming its row in the sheet) when it contradicts another row about the same
item, when its value is not a number in the parameter's unit, when it names no document, when
its file changed since the sheet was made (the value or the verification is no longer what the
sheet showed), when its file is a copy installed with the package, or when the edited file no
longer loads: a provincial value looser than the national one it replaces is the loader's own
tightening check. Edited files are checked by loading their new text (from a temporary file
next to the original, so ids resolve as they will) before anything is written; after writing,
every ruleset the sheet was made from is loaded again, and any failure puts back every file.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

import attrs
from ruamel.yaml.comments import CommentedMap

from ..bounds import in_range, show_number
from ..cli.safe_write import write_file
from ..errors import NtmRulesError, RulesetError
from ..ruleset.loader import load_ruleset
from ..ruleset.model import Ruleset
from ..text import Lang, Text
from ..units import unit_symbol
from . import yaml_edit
from .columns import yes_no
from .files import bytes_sha256, file_sha256, is_installed_copy
from .read import FilledRow, parse_number, read_worksheet

__all__ = ["ApplyResult", "Change", "WorksheetRefused", "apply_worksheet"]


class WorksheetRefused(NtmRulesError):
    """Rows (or files) that cannot be applied; nothing was written."""

    def __init__(self, problems: Sequence[Text]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(
            Text(
                vi=f"không ghi gì: {count} dòng của phiếu bị từ chối",
                en=f"nothing written: {count} worksheet rows refused",
            )
        )


@attrs.frozen
class Change:
    """One applied row."""

    row: int
    file: Path
    line: int
    kind: str  # parameter | indicator
    item: str  # name [axis key] from date, or indicator id
    old: float | None
    new: float | None


@attrs.frozen
class ApplyResult:
    changes: tuple[Change, ...]
    versions: dict[Path, tuple[str, str]]  # file -> (old version, new version)
    diffs: dict[Path, str]  # file -> unified diff of its text
    not_applied: tuple[int, ...]  # rows whose wording was found wrong: to correct by hand
    written: bool


@attrs.define
class _Planned:
    row: FilledRow
    number: float | None = None  # confirmed value of a parameter row
    cell: yaml_edit.Cell | None = None
    indicator: CommentedMap | None = None


@attrs.define
class _File:
    path: Path
    data: bytes
    text: str
    tree: CommentedMap
    ruleset: Ruleset
    planned: list[_Planned] = attrs.field(factory=list)
    new_text: str = ""


def apply_worksheet(sheet: Path, *, dry_run: bool = False, lang: Lang = "vi") -> ApplyResult:
    """Write the confirmed values and wordings of a filled worksheet into their YAML files.

    Raises :class:`WorksheetRefused` (every refused row, each naming its sheet row) and writes
    nothing if any row is refused."""
    worksheet = read_worksheet(sheet)
    rows = worksheet.rows
    problems: list[Text] = []
    wrong_wording: list[FilledRow] = []
    files: dict[Path, _File] = {}
    for row in rows:
        planned = _check_row(row, problems, wrong_wording)
        if planned is None:
            continue
        loaded = _file_of(row, files, problems)
        if loaded is not None and _locate(planned, loaded, problems):
            loaded.planned.append(planned)
    _drop_contradictions(files, wrong_wording, problems)
    for loaded in files.values():
        if loaded.planned:
            loaded.new_text = _edit(loaded, lang)
    for loaded in files.values():
        if loaded.planned:
            problems.extend(_load_problems(loaded, lang))
    if problems:
        raise WorksheetRefused(problems)
    changed = {p: f for p, f in files.items() if f.planned and f.new_text != f.text}
    result = ApplyResult(
        changes=tuple(_change(f.path, p) for f in files.values() for p in f.planned),
        versions={p: (f.ruleset.version, str(f.tree["version"])) for p, f in changed.items()},
        diffs={p: _diff(f) for p, f in changed.items()},
        not_applied=tuple(row.row for row in wrong_wording),
        written=not dry_run and bool(changed),
    )
    if not dry_run and changed:
        recheck = _loading(_dependents(worksheet.rulesets, changed))
        _write_all(list(changed.values()), recheck)
    return result


def _refuse(row: FilledRow, vi: str, en: str) -> Text:
    return Text(vi=f"dòng {row.row}: {vi}", en=f"row {row.row}: {en}")


def _check_row(row: FilledRow, problems: list[Text], wrong: list[FilledRow]) -> _Planned | None:
    """The row's own content: a value for a value, Yes or No for a wording, a document."""
    kind = row.key.kind
    if kind not in ("parameter", "indicator"):
        problems.append(
            _refuse(row, "cột ẩn đã bị sửa (loại)", "a hidden column was changed (kind)")
        )
        return None
    if kind == "parameter":
        if row.wording_ok is not None:
            problems.append(
                _refuse(
                    row,
                    "dòng giá trị: để trống cột nội dung",
                    "a value row: leave the wording column empty",
                )
            )
            return None
        if row.confirmed_value is None:
            problems.append(
                _refuse(
                    row,
                    "có văn bản nhưng chưa ghi giá trị đúng theo văn bản",
                    "a document is given but no confirmed value",
                )
            )
            return None
    else:
        if row.confirmed_value is not None:
            problems.append(
                _refuse(
                    row,
                    "dòng nội dung chỉ tiêu không nhận giá trị số; ghi Đúng hoặc Sai",
                    "a wording row takes no value; write Yes or No",
                )
            )
            return None
        verdict = yes_no(str(row.wording_ok)) if row.wording_ok is not None else None
        if verdict is None:
            problems.append(
                _refuse(
                    row,
                    f"cột nội dung phải là Đúng hoặc Sai (nhận được '{row.wording_ok or ''}')",
                    f"the wording column must be Yes or No (got '{row.wording_ok or ''}')",
                )
            )
            return None
        if not verdict:
            wrong.append(row)
            return None
    if not row.document:
        problems.append(
            _refuse(
                row,
                "chưa ghi văn bản (số hiệu) đã đối chiếu",
                "no document (number) is given for what was read",
            )
        )
        return None
    return _Planned(row)


def _file_of(row: FilledRow, files: dict[Path, _File], problems: list[Text]) -> _File | None:
    """The file the sheet recorded for the row's item, if it still defines that ruleset."""
    key = row.key
    path = Path(key.file) if key.file else None
    if path is None or not path.is_file() or _ruleset_id(path) != key.ruleset:
        problems.append(
            _refuse(
                row,
                f"tệp {key.file} không còn chứa bộ tiêu chí {key.ruleset}; hãy lập lại phiếu",
                f"file {key.file} no longer holds ruleset {key.ruleset}; make the sheet again",
            )
        )
        return None
    path = path.resolve()
    if is_installed_copy(path):
        problems.append(
            _refuse(
                row,
                f"{path} là bản cài đặt cùng ntm-rules, không được sửa; hãy tạo thư mục làm "
                "việc bằng ntm-rules init THƯ_MỤC --province TỈNH (thêm --national cho bộ tiêu "
                "chí quốc gia) rồi lập lại phiếu với --rulesets THƯ_MỤC",
                f"{path} is a copy installed with ntm-rules and must not be edited; make a "
                "working folder with ntm-rules init DIR --province PROVINCE (add --national for "
                "the national sets) and make the sheet again with --rulesets DIR",
            )
        )
        return None
    if path not in files:
        data = path.read_bytes()
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
        tree = yaml_edit.load(text)
        if yaml_edit.dump(tree) != text:
            problems.append(
                _refuse(
                    row,
                    f"không thể sửa {path} mà giữ nguyên bố cục; hãy sửa tay",
                    f"{path} cannot be edited with its layout kept; edit it by hand",
                )
            )
            return None
        files[path] = _File(path, data, text, tree, load_ruleset(path))
    return files[path]


def _ruleset_id(path: Path) -> str | None:
    try:
        return load_ruleset(path).id
    except NtmRulesError:
        return None


def _locate(planned: _Planned, loaded: _File, problems: list[Text]) -> bool:
    """Find the row's item in the file and check the file still shows what the sheet showed."""
    row, key = planned.row, planned.row.key
    same_file = key.sha256 == bytes_sha256(loaded.data)
    what = key.name + (f" [{key.axis_key}]" if key.axis_key else "")
    what += f" {key.start}" if key.kind == "parameter" and key.start else ""
    remake = Text(vi="; hãy lập lại phiếu", en="; make the sheet again")
    if key.kind == "indicator":
        found = yaml_edit.find_indicator(loaded.tree, key.name, key.criterion)
        line = yaml_edit.mapping_line(found) if found is not None else None
        verified = found is not None and bool(found.get("verified"))
    else:
        cell = yaml_edit.find_cell(
            loaded.tree, key.name.rsplit(".", 1)[-1], key.axis_key, key.start
        )  # an imported parameter is alias.name in the sheet, name in its file
        line = cell.line if cell is not None else None
        verified = cell is not None and cell.verified
    if line is None:
        problems.append(
            _refuse(
                row,
                f"không còn thấy {what} trong {loaded.path}" + remake.vi,
                f"{what} is no longer in {loaded.path}" + remake.en,
            )
        )
        return False
    if verified:
        problems.append(
            _refuse(
                row,
                f"{what} đã được kiểm chứng ({loaded.path}:{line}): phiếu này hoặc một phiếu "
                "khác đã được áp dụng" + remake.vi,
                f"{what} is already verified ({loaded.path}:{line}): this sheet or another "
                "was applied already" + remake.en,
            )
        )
        return False
    if key.kind == "indicator":
        planned.indicator = found
        moved = same_file and key.line is not None and line != key.line
    else:
        assert cell is not None
        current = float(cell.value) if _numeric(cell.value) else None
        if current is None or current != _sheet_number(key.value):
            problems.append(
                _refuse(
                    row,
                    f"giá trị của {what} ({loaded.path}:{line}) nay là {cell.value}, phiếu ghi "
                    f"{key.value}: tệp đã thay đổi từ khi lập phiếu" + remake.vi,
                    f"{what} ({loaded.path}:{line}) is now {cell.value}, the sheet shows "
                    f"{key.value}: the file changed since the sheet was made" + remake.en,
                )
            )
            return False
        moved = same_file and key.line is not None and line != key.line
    if moved:  # the same file, yet not where the sheet says: a hidden column was edited
        problems.append(
            _refuse(
                row,
                f"cột ẩn không khớp với {loaded.path} (dòng {key.line})",
                f"the hidden columns do not match {loaded.path} (line {key.line})",
            )
        )
        return False
    if key.kind == "indicator":
        return True
    name = key.name.rsplit(".", 1)[-1]
    param = loaded.ruleset.parameters.get(key.name) or loaded.ruleset.parameters.get(name)
    unit = param.unit if param else ""
    number = parse_number(row.confirmed_value, unit)
    if number is None or not in_range(number) or number < 0 or (unit == "percent" and number > 100):
        shown = row.confirmed_value
        vi, en = unit_symbol(unit, "vi") or unit, unit_symbol(unit, "en") or unit
        problems.append(
            _refuse(
                row,
                f"'{shown}' không phải là một số hợp lệ theo đơn vị {vi}"
                + (" (từ 0 đến 100)" if unit == "percent" else " (không âm)"),
                f"'{shown}' is not a valid number in {en}"
                + (" (0 to 100)" if unit == "percent" else " (0 or more)"),
            )
        )
        return False
    planned.number, planned.cell = number, cell
    return True


def _sheet_number(text: str | None) -> float | None:
    """The value a hidden column recorded (a spreadsheet may have turned ``100.0`` into 100)."""
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def _numeric(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _drop_contradictions(
    files: dict[Path, _File], wrong_wording: list[FilledRow], problems: list[Text]
) -> None:
    """Rows about the same item must agree (a wording found right in one row and wrong in
    another included); identical ones are applied once."""
    wrong = {row.key.item: row for row in wrong_wording}
    by_item: dict[tuple[str | None, ...], list[tuple[_File, _Planned]]] = {}
    for loaded in files.values():
        for planned in loaded.planned:
            by_item.setdefault(planned.row.key.item, []).append((loaded, planned))
    for item, group in list(by_item.items()):
        other = wrong.get(item)
        if other is not None:
            numbers = ", ".join(str(r) for r in sorted([other.row, *(p.row.row for _, p in group)]))
            problems.append(
                Text(
                    vi=f"dòng {numbers}: cùng một chỉ tiêu ({other.key.name}) vừa Đúng vừa Sai",
                    en=f"rows {numbers}: the same indicator ({other.key.name}) both Yes and No",
                )
            )
            for loaded, planned in group:
                loaded.planned.remove(planned)
            del by_item[item]
    for group in by_item.values():
        if len(group) == 1:
            continue
        values = {p.number for _, p in group}
        numbers = ", ".join(str(p.row.row) for _, p in group)
        if len(values) > 1:
            shown = ", ".join(
                f"{p.row.row}: {show_number(p.number)}" for _, p in group if p.number is not None
            )
            problems.append(
                Text(
                    vi=f"dòng {numbers}: cùng một mục ({group[0][1].row.key.name}) nhưng khác "
                    f"giá trị ({shown})",
                    en=f"rows {numbers}: the same item ({group[0][1].row.key.name}) with "
                    f"different values ({shown})",
                )
            )
            for loaded, planned in group:
                loaded.planned.remove(planned)
        else:
            for loaded, planned in group[1:]:
                loaded.planned.remove(planned)


def _citation(row: FilledRow, lang: Lang) -> str:
    """What was read, by whom and when, as a note's opening."""
    vi, en = [row.document], [row.document]
    if row.article:
        vi.append(row.article)
        en.append(row.article)
    if row.page:
        vi.append(f"trang {row.page}")
        en.append(f"page {row.page}")
    note = Text(vi="ĐÃ KIỂM CHỨNG: " + ", ".join(vi), en="VERIFIED: " + ", ".join(en))(lang)
    who = row.confirmed_by
    when = row.confirmed_on
    if who or when:
        if lang == "vi":
            note += "; người đối chiếu: " + ", ".join(filter(None, (who, when and f"ngày {when}")))
        else:
            note += "; checked" + (f" by {who}" if who else "") + (f" on {when}" if when else "")
    return note


def _note(citation: str, changes: list[str], remarks: str, lang: Lang) -> str:
    note = citation
    if changes:
        note += Text(vi="; giá trị trước đây: ", en="; previous value: ")(lang) + ", ".join(changes)
    if remarks:
        note += Text(vi=". Ghi chú: ", en=". Remarks: ")(lang) + remarks
    return note


def _edit(loaded: _File, lang: Lang) -> str:
    """Apply the file's planned rows to its tree; return the new text (version bumped)."""
    tree = loaded.tree
    by_entry: dict[int, list[_Planned]] = {}
    for planned in loaded.planned:
        if planned.indicator is not None:
            yaml_edit.set_verified(
                planned.indicator,
                _note(_citation(planned.row, lang), [], planned.row.remarks, lang),
            )
        elif planned.cell is not None:
            by_entry.setdefault(id(planned.cell.entry), []).append(planned)
    for group in by_entry.values():
        _edit_entry(group, lang)
    yaml_edit.set_version(tree, yaml_edit.bump_version(str(tree["version"])))
    return yaml_edit.dump(tree)


def _edit_entry(group: list[_Planned], lang: Lang) -> None:
    """The confirmed cells of one dated entry: the entry's own ``verified`` and ``note`` when
    every cell sharing them is confirmed from the same reading, each cell's otherwise."""
    first = group[0].cell
    assert first is not None
    shared = [c for c in yaml_edit.entry_cells(first.entry) if not c.own]
    confirmed = {(id(p.cell.holder), p.cell.key): p for p in group if p.cell and not p.cell.own}
    citations = {(_citation(p.row, lang), p.row.remarks) for p in confirmed.values()}
    whole = (
        not first.entry.get("verified")
        and shared
        and all((id(c.holder), c.key) in confirmed for c in shared)
        and len(citations) == 1
    )
    if whole:
        changes = []
        for shared_cell in shared:
            confirmation = confirmed[(id(shared_cell.holder), shared_cell.key)]
            assert confirmation.number is not None
            if float(shared_cell.value) != confirmation.number:
                label = f"{shared_cell.key} " if shared_cell.holder is not first.entry else ""
                changes.append(f"{label}{show_number(float(shared_cell.value))}")
            yaml_edit.set_number(shared_cell.holder, shared_cell.key, confirmation.number)
        citation, remarks = citations.pop()
        yaml_edit.set_verified(first.entry, _note(citation, changes, remarks, lang))
    for planned in group:
        cell = planned.cell
        assert cell is not None and planned.number is not None
        if whole and not cell.own:
            continue
        old = float(cell.value)
        changes = [show_number(old)] if old != planned.number else []
        note = _note(_citation(planned.row, lang), changes, planned.row.remarks, lang)
        if cell.own:
            yaml_edit.set_number(cell.holder, cell.key, planned.number)
            yaml_edit.set_verified(cell.holder, note)
        else:
            yaml_edit.own_cell(cell, planned.number, note)


def _load_problems(loaded: _File, lang: Lang) -> list[Text]:
    """Load the edited text from a temporary file next to the original (so the ids it extends
    or imports resolve as they will); a failure names the rows on the line it points at."""
    temp = (
        loaded.path.parent
        / f".{loaded.path.name}.ntm-rules-check-{os.getpid()}-{secrets.token_hex(4)}.tmp"
    )
    try:
        temp.write_text(loaded.new_text, encoding="utf-8")
        load_ruleset(temp)
    except RulesetError as exc:
        where = f"{loaded.path}" + (f":{exc.line}" if exc.line else "")
        lines = {exc.line} if exc.line else set()
        rows = [p.row.row for p in loaded.planned if _planned_line(p) in lines] or [
            p.row.row for p in loaded.planned
        ]
        numbers = ", ".join(map(str, rows))
        return [
            Text(
                vi=f"dòng {numbers}: sau khi sửa, {where}: {exc.text('vi')}",
                en=f"row {numbers}: once edited, {where}: {exc.text('en')}",
            )
        ]
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return []


def _planned_line(planned: _Planned) -> int | None:
    if planned.cell is not None:
        return planned.cell.line
    if planned.indicator is not None:
        return yaml_edit.mapping_line(planned.indicator)
    return None


def _change(path: Path, planned: _Planned) -> Change:
    key = planned.row.key
    if planned.cell is not None:
        item = key.name + (f" [{key.axis_key}]" if key.axis_key else "") + f" {key.start}"
        old = _sheet_number(key.value)
        return Change(planned.row.row, path, key.line or 0, "parameter", item, old, planned.number)
    return Change(planned.row.row, path, key.line or 0, "indicator", key.name, None, None)


def _diff(loaded: _File) -> str:
    return "".join(
        difflib.unified_diff(
            loaded.text.splitlines(keepends=True),
            loaded.new_text.splitlines(keepends=True),
            fromfile=str(loaded.path),
            tofile=str(loaded.path),
        )
    )


def _encoded(loaded: _File) -> bytes:
    """The new text with the original's byte-order mark and line endings."""
    text = loaded.new_text
    if b"\r\n" in loaded.data:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if loaded.data.startswith(b"\xef\xbb\xbf") else data


def _dependents(sheet_rulesets: Sequence[Path], changed: dict[Path, _File]) -> set[Path]:
    """Rulesets that may draw on the changed files: those the sheet was made from, the
    changed files themselves, the bundled ones and those beside each changed file."""
    from ..ruleset.files import ruleset_files

    paths = {*changed, *(p for p in sheet_rulesets if p.is_file())}
    paths.update(ruleset_files().values())
    for path in changed:
        paths.update(ruleset_files(path.parent).values())
    return {p.resolve() for p in paths}


def _loading(paths: set[Path]) -> list[Path]:
    """Those of ``paths`` that load now (a file already broken is not this sheet's doing)."""
    found = []
    for path in sorted(paths):
        with contextlib.suppress(NtmRulesError):
            load_ruleset(path)
            found.append(path)
    return found


def _write_all(changed: list[_File], recheck: list[Path]) -> None:
    """Write every changed file; if any write fails, or any ruleset no longer loads, put every
    file back as it was."""
    for loaded in changed:
        if file_sha256(loaded.path) != bytes_sha256(loaded.data):
            raise NtmRulesError(
                Text(
                    vi=f"{loaded.path} vừa bị thay đổi trong lúc áp dụng phiếu; không ghi gì",
                    en=f"{loaded.path} changed while the sheet was being applied; nothing written",
                )
            )
    written: list[_File] = []
    try:
        for loaded in changed:
            write_file(loaded.path, _encoded(loaded))
            written.append(loaded)
        for path in recheck:
            load_ruleset(path)
    except BaseException as exc:
        for loaded in written:
            write_file(loaded.path, loaded.data)
        if isinstance(exc, RulesetError):
            rows = ", ".join(
                str(p.row.row)
                for f in changed
                for p in f.planned
                if p.number is not None and _sheet_number(p.row.key.value) != p.number
            )
            raise WorksheetRefused(
                [
                    Text(
                        vi=f"dòng {rows}: sau khi sửa, một bộ tiêu chí khác không còn hợp lệ "
                        f"(đã khôi phục các tệp): {exc.describe('vi')}",
                        en=f"row {rows}: once edited, another ruleset is no longer valid "
                        f"(files restored): {exc.describe('en')}",
                    )
                ]
            ) from None
        raise
