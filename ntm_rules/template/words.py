"""The template's words: Có/Không, and how each kind of column is written."""

from __future__ import annotations

from ..bounds import FIRST_YEAR, LAST_YEAR
from ..models.fields import KIND_BOOL, KIND_INT, KIND_TEXT
from ..models.vocabulary import FieldSpec
from ..text import Lang, Text
from ..units import unit_symbol

YES = Text(vi="Có", en="Yes")
NO = Text(vi="Không", en="No")
REQUIRED = Text(vi="Bắt buộc.", en="Required.")
BLANK_OK = Text(
    vi="Để trống nếu chưa có số liệu (thiếu dữ liệu, không bị tính là chưa đạt).",
    en="Leave blank if not reported (missing data, never counted as failed).",
)

BLANK_NO = Text(vi="Để trống nghĩa là Không.", en="Blank means No.")


def number(value: float) -> str:
    """A bound as written in a check and in words: ``0``, ``100``, ``2.5``."""
    return str(int(value)) if float(value).is_integer() else str(value)


def how_to_write(spec: FieldSpec) -> Text | None:
    """What a cell of ``spec``'s column takes, in words; None for a number without bounds."""
    if spec.kind == KIND_BOOL:
        return Text(vi="Chọn Có hoặc Không.", en="Choose Yes or No.")
    if spec.name == "code":
        return Text(vi="Mã riêng của mỗi đơn vị, không trùng.", en="Each unit's own code, unique.")
    if spec.kind == KIND_TEXT and spec.choices:
        return Text(
            vi="Chọn trong danh sách (hoặc ghi mã).", en="Choose from the list (or a code)."
        )
    if spec.kind == KIND_INT and spec.unit == "year":
        return Text(
            vi=f"Một năm từ {FIRST_YEAR} đến {LAST_YEAR}.",
            en=f"A year from {FIRST_YEAR} to {LAST_YEAR}.",
        )
    whole = spec.kind == KIND_INT
    if spec.minimum is not None and spec.maximum is not None:
        low, high = number(spec.minimum), number(spec.maximum)
        if whole:
            return Text(
                vi=f"Một số nguyên từ {low} đến {high}.", en=f"A whole number, {low}-{high}."
            )
        return Text(vi=f"Một số từ {low} đến {high}.", en=f"A number from {low} to {high}.")
    if spec.minimum is not None:
        low = number(spec.minimum)
        if whole:
            return Text(
                vi=f"Một số nguyên, từ {low} trở lên.", en=f"A whole number, {low} or more."
            )
        return Text(vi=f"Một số, từ {low} trở lên.", en=f"A number, {low} or more.")
    if spec.kind == KIND_TEXT:
        return Text(vi="Văn bản.", en="Text.")
    return None


def unit_words(spec: FieldSpec, lang: Lang) -> str:
    """What a column's values are in: its unit's symbol, ``Có/Không`` for a yes/no, or ''."""
    return f"{YES(lang)}/{NO(lang)}" if spec.kind == KIND_BOOL else unit_symbol(spec.unit, lang)
