"""The ``diff`` command's table: one table per pair of rulesets (or ladder), a row per change,
the item named once for its consecutive rows."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text as RichText

from ..compare.diff import ADDED, REMOVED, Change, LadderDiff, RulesetDiff, Side, Value
from ..compare.folders import FolderDiff
from ..text import Lang, Text, format_number
from .messages import t

SECTION_WORDS: dict[str, Text] = {
    "ladder": Text(vi="Thang", en="Ladder"),
    "ruleset": Text(vi="Bộ tiêu chí", en="Ruleset"),
    "level": Text(vi="Mức đạt chuẩn", en="Level"),
    "requires": Text(vi="Yêu cầu mức dưới", en="Requires"),
    "document": Text(vi="Văn bản", en="Document"),
    "axis": Text(vi="Trục phân loại", en="Axis"),
    "parameter": Text(vi="Tham số", en="Parameter"),
    "value": Text(vi="Giá trị tham số", en="Parameter value"),
    "criterion": Text(vi="Tiêu chí", en="Criterion"),
    "indicator": Text(vi="Chỉ tiêu", en="Indicator"),
    "recognition": Text(vi="Điều kiện công nhận", en="Recognition"),
}

FIELD_WORDS: dict[str, Text] = {
    "id": Text(vi="mã", en="id"),
    "version": Text(vi="phiên bản", en="version"),
    "title": Text(vi="tên", en="title"),
    "name": Text(vi="tên", en="name"),
    "unit": Text(vi="đơn vị", en="unit"),
    "inputs": Text(vi="bộ dữ liệu đầu vào", en="inputs"),
    "valid_from": Text(vi="hiệu lực từ", en="valid from"),
    "valid_until": Text(vi="hiệu lực đến", en="valid until"),
    "extends": Text(vi="mở rộng từ", en="extends"),
    "scope": Text(vi="phạm vi", en="scope"),
    "note": Text(vi="ghi chú", en="note"),
    "recognised_field": Text(vi="trường năm công nhận", en="recognition field"),
    "ruleset": Text(vi="bộ tiêu chí", en="ruleset"),
    "accept": Text(vi="chấp nhận", en="accept"),
    "recognised_since": Text(vi="công nhận từ năm", en="recognised since"),
    "source": Text(vi="nguồn", en="source"),
    "number": Text(vi="số hiệu", en="number"),
    "date": Text(vi="ngày", en="date"),
    "url": Text(vi="địa chỉ", en="address"),
    "choices": Text(vi="các giá trị", en="choices"),
    "rules": Text(vi="thứ tự quy tắc", en="rule order"),
    "when": Text(vi="khi", en="when"),
    "value": Text(vi="giá trị", en="value"),
    "reason": Text(vi="lý do", en="reason"),
    "axis": Text(vi="trục", en="axis"),
    "stricter": Text(vi="chiều chặt hơn", en="stricter"),
    "verified": Text(vi="kiểm chứng", en="verified"),
    "exception": Text(vi="ngoại lệ", en="exception"),
    "origin": Text(vi="bộ đặt giá trị", en="set by"),
    "heading": Text(vi="đề mục", en="heading"),
    "short": Text(vi="tên ngắn (tiêu đề cột)", en="short name (column heading)"),
    "field": Text(vi="trường dữ liệu", en="input field"),
    "policy": Text(vi="cách tính", en="policy"),
    "condition": Text(vi="điều kiện", en="condition"),
    "applies_if": Text(vi="áp dụng khi", en="applies if"),
    "criterion": Text(vi="thuộc tiêu chí", en="criterion"),
    "below": Text(vi="tên mức dưới cùng", en="below the first level"),
    "levels": Text(vi="các mức", en="levels"),
    "target": Text(vi="mục tiêu", en="target"),
    "target_count": Text(vi="mục tiêu: số đơn vị", en="target: units"),
    "target_year": Text(vi="mục tiêu: năm", en="target: year"),
    "target_note": Text(vi="mục tiêu: ghi chú", en="target: note"),
}

KIND_WORDS: dict[str, Text] = {
    ADDED: Text(vi="thêm mới", en="added"),
    REMOVED: Text(vi="bị bỏ", en="removed"),
}

BOOL_WORDS: dict[str, tuple[Text, Text]] = {  # field -> (true, false)
    "verified": (
        Text(vi="đã kiểm chứng", en="verified"),
        Text(vi="chưa kiểm chứng", en="unverified"),
    ),
    "exception": (Text(vi="ngoại lệ", en="exception"), Text(vi="không", en="no")),
}
YES_NO = (Text(vi="có", en="yes"), Text(vi="không", en="no"))
NOTHING = "—"


def show_value(value: Value, field: str | None, lang: Lang) -> str:
    if value is None:
        return NOTHING
    if isinstance(value, bool):
        yes, no = BOOL_WORDS.get(field or "", YES_NO)
        return (yes if value else no)(lang)
    if isinstance(value, int | float):
        return format_number(value, lang)
    if isinstance(value, Text):
        return value(lang)
    return value


def same_file_note(before: Side, after: Side, lang: Lang) -> list[RenderableType]:
    """A note when both sides are one file (an id found in the working folder, say)."""
    if Path(before.file).resolve() != Path(after.file).resolve():
        return []
    return [RichText(t("same_file", lang, file=short_path(after.file)), style="yellow")]


def side_line(found: Side) -> str:
    version = f" {found.version}" if found.version else ""
    return f"{found.id}{version} ({short_path(found.file)})"


def short_path(file: str) -> str:
    """A file relative to the working folder when it is inside it."""
    path = Path(file)
    with contextlib.suppress(ValueError):
        path = path.relative_to(Path.cwd())
    return str(path)


def period(change: Change, lang: Lang) -> str:
    """``[tdmnpb] 2022-06-06 → 2024-12-31`` (or ``từ 2025-01-01`` when open-ended)."""
    parts = [f"[{change.axis_key}]"] if change.axis_key else []
    if change.start is not None:
        if change.until is None:
            parts.append(("từ " if lang == "vi" else "from ") + change.start.isoformat())
        else:
            parts.append(f"{change.start.isoformat()} → {change.until.isoformat()}")
    return " ".join(parts)


def changes_table(changes: Sequence[Change], lang: Lang) -> Table:
    """A row per change; the item (and a value's region and dates) only where it changes."""
    table = Table(show_lines=False)
    table.add_column(t("col_item", lang), ratio=4, overflow="fold")
    table.add_column(t("col_change", lang), ratio=2, overflow="fold")
    table.add_column(t("col_before", lang), ratio=3, overflow="fold")
    table.add_column(t("col_after", lang), ratio=3, overflow="fold")
    shown_item: tuple[str, str] | None = None
    shown_period: tuple[object, ...] | None = None
    for change in changes:
        lines = []
        if (change.section, change.item) != shown_item:
            shown_item, shown_period = (change.section, change.item), None
            lines.append(f"{SECTION_WORDS[change.section](lang)} {change.item}".strip())
            if change.label is not None:
                lines.append(change.label(lang))
        where = (change.axis_key, change.start, change.until)
        if change.start is not None and where != shown_period:
            shown_period = where
            lines.append(period(change, lang))
        field = FIELD_WORDS[change.field](lang) if change.field else ""
        if change.kind in KIND_WORDS:
            field = f"{field} {KIND_WORDS[change.kind](lang)}".strip()
        table.add_row(
            RichText("\n".join(lines)),
            RichText(field),
            RichText(show_value(change.before, change.field, lang)),
            RichText(show_value(change.after, change.field, lang)),
        )
    return table


def ruleset_diff_parts(found: RulesetDiff | LadderDiff, lang: Lang) -> list[RenderableType]:
    """The heading, the table (or "no differences") and the count of one pair."""
    parts: list[RenderableType] = [
        RichText(t("diff_before", lang, what=side_line(found.before))),
        RichText(t("diff_after", lang, what=side_line(found.after))),
    ]
    if found.changes:
        parts.append(changes_table(found.changes, lang))
        parts.append(RichText(t("diff_count", lang, count=len(found.changes))))
    elif isinstance(found, RulesetDiff) or not found.levels:
        parts.append(RichText(t("diff_same", lang)))
    if isinstance(found, LadderDiff):
        for level in found.levels:
            parts.append(RichText(""))
            parts.extend(ruleset_diff_parts(level, lang))
    return parts


def diff_view(found: RulesetDiff | LadderDiff | FolderDiff, lang: Lang) -> RenderableType:
    if not isinstance(found, FolderDiff):
        note = same_file_note(found.before, found.after, lang)
        return Group(*ruleset_diff_parts(found, lang), *note)
    parts: list[RenderableType] = [
        RichText(t("diff_folders", lang, before=found.before, after=found.after))
    ]
    if found.added:
        parts.append(RichText(t("diff_added_ids", lang, ids=", ".join(found.added))))
    if found.removed:
        parts.append(RichText(t("diff_removed_ids", lang, ids=", ".join(found.removed))))
    pairs: list[RulesetDiff | LadderDiff] = [*found.rulesets, *found.ladders]
    unchanged = [p.before.id for p in pairs if p.empty]
    if unchanged:
        parts.append(RichText(t("diff_unchanged_ids", lang, ids=", ".join(unchanged))))
    for pair in pairs:
        if not pair.empty:
            parts.append(RichText(""))
            parts.extend(ruleset_diff_parts(pair, lang))
    count = sum(len(p.changes) for p in pairs)
    parts.append(RichText(""))
    parts.append(
        RichText(
            t(
                "diff_total",
                lang,
                count=count,
                pairs=len(pairs),
                added=len(found.added),
                removed=len(found.removed),
            )
        )
    )
    return Group(*parts)
