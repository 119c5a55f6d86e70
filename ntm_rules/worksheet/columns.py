"""The worksheet's layout: its columns (shown, to fill in, hidden keys), sheets and words."""

from __future__ import annotations

import attrs

from ..text import Lang, Text, nfc

FORMAT = 1
"""Version of the worksheet layout, written in the hidden metadata sheet."""

ITEMS_SHEET = Text(vi="Kiểm chứng", en="Verification")
HELP_SHEET = Text(vi="Hướng dẫn", en="Instructions")
META_SHEET = "_meta"


@attrs.frozen
class Column:
    """One column: ``key`` names it in code (and, for a hidden key column, in the sheet)."""

    key: str
    header: Text
    width: float
    fill: bool = False  # the official fills it in
    hidden: bool = False  # identifies the row for ``--apply``

    def title(self, lang: Lang) -> str:
        return self.key if self.hidden else self.header(lang)


def _key(name: str) -> Column:
    return Column(f"key:{name}", Text(vi=name, en=name), 12, hidden=True)


SHOWN = (
    Column("ruleset", Text(vi="Bộ tiêu chí", en="Ruleset"), 24),
    Column("kind", Text(vi="Loại", en="Kind"), 14),
    Column("item", Text(vi="Mã", en="Id"), 22),
    Column("label", Text(vi="Tên tham số / chỉ tiêu", en="Parameter / indicator"), 48),
    # headed by the name of the axis the values are on (Vùng, Nhóm xã): see worksheet.write
    Column("axis_value", Text(vi="Vùng", en="Region"), 22),
    Column("from", Text(vi="Từ ngày", en="From"), 11),
    Column("until", Text(vi="Đến ngày", en="Until"), 11),
    Column("value", Text(vi="Giá trị hiện tại", en="Current value"), 10),
    Column("unit", Text(vi="Đơn vị", en="Unit"), 12),
    Column("note", Text(vi="Ghi chú hiện tại", en="Current note"), 48),
    Column("citation", Text(vi="Trích dẫn", en="Citation"), 28),
    Column("location", Text(vi="Tệp:dòng", en="File:line"), 40),
)
FILLED = (
    Column(
        "confirmed_value",
        Text(vi="Giá trị đúng theo văn bản", en="Confirmed value"),
        12,
        fill=True,
    ),
    Column(
        "wording_ok",
        Text(vi="Nội dung đúng văn bản? (Đúng/Sai)", en="Wording correct? (Yes/No)"),
        14,
        fill=True,
    ),
    Column("document", Text(vi="Văn bản (số hiệu)", en="Document (number)"), 20, fill=True),
    Column("article", Text(vi="Điều, khoản, mục", en="Article / item"), 16, fill=True),
    Column("page", Text(vi="Trang", en="Page"), 8, fill=True),
    Column("confirmed_by", Text(vi="Người đối chiếu", en="Checked by"), 18, fill=True),
    Column("confirmed_on", Text(vi="Ngày đối chiếu", en="Checked on"), 12, fill=True),
    Column("remarks", Text(vi="Ghi chú thêm", en="Remarks"), 36, fill=True),
)
KEYS = tuple(
    _key(name)
    for name in (
        "kind",
        "ruleset",
        "file",
        "line",
        "name",
        "criterion",
        "axis_key",
        "from",
        "value",
        "sha256",
    )
)
COLUMNS = (*SHOWN, *FILLED, *KEYS)

KIND_WORDS = {
    "parameter": Text(vi="Giá trị", en="Value"),
    "indicator": Text(vi="Nội dung chỉ tiêu", en="Indicator wording"),
    "recognition": Text(vi="Điều kiện công nhận", en="Recognition condition"),
}
YES = Text(vi="Đúng", en="Yes")
NO = Text(vi="Sai", en="No")
_YES_WORDS = {"đúng", "có", "x", "yes", "y", "true", "ok", "1"}
_NO_WORDS = {"sai", "không", "no", "n", "false", "0"}
INSTALLED = Text(vi="bản cài đặt, không sửa được", en="installed copy, not editable")


def yes_no(value: str) -> bool | None:
    """``True`` for a yes (Đúng, Có, x, Yes), ``False`` for a no (Sai, Không, No), else None."""
    word = nfc(value).strip().lower()
    if word in _YES_WORDS:
        return True
    if word in _NO_WORDS:
        return False
    return None


def column(key: str) -> Column:
    return next(c for c in COLUMNS if c.key == key)
