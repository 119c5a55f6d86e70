"""Conditions in words (labels of inputs, ``≥`` and ``và`` instead of expression syntax), and
the fixed texts of a criteria table, in Vietnamese and English."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import attrs

from .. import unit_kinds as kinds
from ..expr import Expr
from ..expr.ast import And, Binary, Compare, In, ListLit, Literal, Name, Neg, Not, Or
from ..text import Lang, Text, format_number
from ..units import unit_symbol

UNVERIFIED = "⚠"
PROVINCIAL = "◆"
EXCEPTION = "✱"

OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "!=": "≠"}
FLIPPED = {">=": "<=", "<=": ">=", ">": "<", "<": ">", "==": "==", "!=": "!="}
_ARITHMETIC = {"+": "+", "-": "−", "*": "×", "/": "÷"}

WORDS: dict[str, Text] = {
    "criteria_table": Text("Bảng tiêu chí", "Criteria table"),
    "id": Text("Mã", "Id"),
    "version": Text("phiên bản", "version"),
    "hash": Text("mã nội dung", "content hash"),
    "file": Text("Tệp", "File"),
    "unit_kind": Text("Đơn vị áp dụng", "Applies to"),
    "level": Text("Mức đạt chuẩn", "Level"),
    "valid": Text("Hiệu lực", "In force"),
    "open_ended": Text("không thời hạn", "no end date"),
    "extends": Text("Mở rộng bộ tiêu chí", "Extends"),
    "scope": Text("Phạm vi", "Scope"),
    "scope_text": Text("tỉnh {province}", "province of {province}"),
    "scope_axis": Text("{axis} {value}", "{axis} {value}"),
    "note": Text("Ghi chú", "Note"),
    "documents": Text("Văn bản căn cứ", "Legal documents"),
    "doc_note": Text("ghi chú", "note"),
    "legend": Text("Chú giải", "Legend"),
    "legend_unverified": Text(
        "chưa kiểm chứng với văn bản chính thức (giá trị hoặc nội dung chỉ tiêu)",
        "not yet checked against the official text (value or wording)",
    ),
    "legend_provincial": Text(
        "mức hoặc chỉ tiêu do tỉnh quy định (kèm mức quốc gia được thay thế)",
        "value or indicator set by the province (with the national value it replaces)",
    ),
    "legend_exception": Text(
        "ngoại lệ: mức của tỉnh được phép thấp hơn mức quốc gia",
        "exception: the provincial value may be looser than the national one",
    ),
    "legend_open": Text(
        "“{open}”: văn bản để tỉnh quy định mức này", "“{open}”: the text leaves it to the province"
    ),
    "legend_single": Text(
        "Một mức duy nhất (không phân theo {axes}) ghi ở cột “{general}”.",
        "A single value (not by {axes}) is written in the “{general}” column.",
    ),
    "province_decides": Text("tỉnh quy định", "set by province"),
    "replaces": Text("thay {value}", "was {value}"),
    "axes": Text("Chọn cột mức yêu cầu", "Which column applies"),
    "axis_rules": Text(
        "Mỗi đơn vị dùng cột của quy tắc đầu tiên đúng với nó:",
        "Each unit uses the column of the first rule that holds for it:",
    ),
    "otherwise": Text("Các trường hợp còn lại", "Every other unit"),
    "if": Text("Nếu {when}", "If {when}"),
    "use": Text("dùng cột {column}", "use the column {column}"),
    "use_field": Text("dùng cột theo {field} của đơn vị", "use the column of the unit's {field}"),
    "reason": Text("lý do", "reason"),
    "own_value": Text("giá trị ghi trong dữ liệu của đơn vị", "the value in the unit's data"),
    "general": Text("Chung", "General"),
    "policy_level": Text("Điều kiện đạt chuẩn", "To reach the level"),
    "level_all": Text("đạt tất cả {count} tiêu chí dưới đây", "meet all {count} criteria below"),
    "level_recognition": Text(
        "Để được công nhận còn cần các điều kiện công nhận ở cuối bảng.",
        "Formal recognition also needs the recognition conditions at the end.",
    ),
    "prerequisite": Text("Điều kiện tiên quyết", "Prerequisite"),
    "pre_computed": Text("đạt theo đánh giá hiện tại", "met now"),
    "pre_recognised": Text("đã được công nhận", "formally recognised"),
    "pre_since": Text("công nhận từ năm {year}", "recognised from {year}"),
    "pre_or": Text(" hoặc ", " or "),
    "policy_all": Text("đạt tất cả chỉ tiêu", "all indicators must be met"),
    "policy_any": Text("đạt ít nhất 1 chỉ tiêu", "at least 1 indicator must be met"),
    "policy_at_least": Text("đạt ít nhất {k} chỉ tiêu", "at least {k} indicators must be met"),
    "criterion": Text("Tiêu chí", "Criterion"),
    "heading": Text("Nhóm", "Group"),  # a criterion's heading, as the decisions say it
    "col_number": Text("Số", "No."),
    "col_indicator": Text("Chỉ tiêu", "Indicator"),
    "col_requirement": Text("Yêu cầu", "Requirement"),
    "col_period": Text("Thời gian áp dụng", "In force"),
    "col_unit": Text("Đơn vị", "Unit"),
    "col_source": Text("Căn cứ", "Source"),
    "col_criterion": Text("Tiêu chí", "Criterion"),
    "col_note": Text("Ghi chú", "Note"),
    "yes": Text("có", "yes"),
    "no": Text("không", "no"),
    "applies_if": Text("Chỉ áp dụng khi", "Applies only if"),
    "required_level": Text("mức yêu cầu", "the required value"),
    "required_level_n": Text("mức yêu cầu ({n})", "required value ({n})"),
    "checklist": Text(
        "Cần đối chiếu với quyết định của tỉnh", "To check in the provincial decision"
    ),
    "ladder": Text("Thang mức đạt chuẩn", "Ladder of levels"),
    "below": Text("Dưới mức thấp nhất", "Below the first level"),
    "targets": Text("Mục tiêu của tỉnh", "Provincial targets"),
    "computed": Text(
        "Dữ liệu tính từ các đơn vị thành viên", "Inputs computed from the member units"
    ),
    "index_title": Text(
        "Bảng tiêu chí các bộ tiêu chí có sẵn", "Criteria tables of the bundled rulesets"
    ),
    "index_intro": Text(
        "Tạo tự động bằng lệnh `{command}`; không sửa tay.",
        "Generated by `{command}`; do not edit by hand.",
    ),
    "index_rulesets": Text("Bộ tiêu chí", "Rulesets"),
    "index_ladders": Text("Thang", "Ladders"),
    "not_a": Text("không", "not"),
    "one_of": Text("thuộc", "is one of"),
    "none_of": Text("không thuộc", "is none of"),
    "and": Text(" và ", " and "),
    "columns": Text("Các cột", "Columns"),
    "or": Text(" hoặc ", " or "),
}


def word(key: str, lang: Lang, **values: object) -> str:
    text = WORDS[key](lang)
    return text.format(**values) if values else text


def unit_kind(unit: str, lang: Lang) -> str:
    """The kind of unit a ruleset is for, in words (``xã``)."""
    return kinds.unit_kind(unit).name(lang)


def both(build: Callable[[Lang], str]) -> Text:
    """A text built once per language."""
    return Text(vi=build("vi"), en=build("en"))


def number(value: float, unit: str | None, lang: Lang) -> str:
    text = format_number(value, lang)
    symbol = unit_symbol(unit, lang)
    if not symbol:
        return text
    return f"{text}{symbol}" if symbol == "%" else f"{text} {symbol}"


@attrs.frozen
class Phrasing:
    """What a condition's words are made of: labels and units of inputs and parameters, and
    the words that stand for a compared threshold (``mức yêu cầu (1)``)."""

    labels: Mapping[str, Text]  # input field -> label
    units: Mapping[str, str | None]  # input field or "param.x" -> unit
    param_labels: Mapping[str, Text]  # "param.x" -> the parameter's name
    refs: Mapping[Expr, Text] = attrs.field(factory=dict)  # threshold side -> its words

    def say(self, expr: Expr, lang: Lang, unit: str | None = None) -> str:
        """``expr`` in words; ``unit`` is the unit of a number it stands beside."""
        if expr in self.refs:
            return self.refs[expr](lang)
        if isinstance(expr, Literal):
            return self._literal(expr, lang, unit)
        if isinstance(expr, Name):
            if expr.is_param:
                label = self.param_labels.get(expr.dotted)
                return f"[{label(lang)}]" if label else expr.dotted
            label = self.labels.get(expr.dotted)
            return label(lang) if label else expr.dotted
        if isinstance(expr, ListLit):
            return ", ".join(self.say(item, lang, unit) for item in expr.items)
        if isinstance(expr, Neg):
            return f"−{self._wrapped(expr.operand, lang, unit)}"
        if isinstance(expr, Binary):
            side = unit or self.unit_of(expr.left) or self.unit_of(expr.right)
            if expr.op in ("*", "/"):
                side = None  # a factor or a divisor is a plain number
            left = self._wrapped(expr.left, lang, side)
            right = self._wrapped(expr.right, lang, side)
            return f"{left} {_ARITHMETIC[expr.op]} {right}"
        if isinstance(expr, Compare):
            return self._compare(expr, lang)
        if isinstance(expr, In):
            left = self.say(expr.left, lang)
            how = word("none_of" if expr.negated else "one_of", lang)
            return f"{left} {how} {{{self.say(expr.items, lang)}}}"
        if isinstance(expr, Not):
            if isinstance(expr.operand, Name):
                return f"{word('not_a', lang)}: {self.say(expr.operand, lang)}"
            return f"{word('not_a', lang)} ({self.say(expr.operand, lang)})"
        joiner = word("and" if isinstance(expr, And) else "or", lang)
        inner = Or if isinstance(expr, And) else And
        return joiner.join(
            f"({self.say(item, lang)})" if isinstance(item, inner) else self.say(item, lang)
            for item in expr.items
        )

    def unit_of(self, expr: Expr) -> str | None:
        if isinstance(expr, Name):
            return self.units.get(expr.dotted)
        if isinstance(expr, Binary):
            return self.unit_of(expr.left) or self.unit_of(expr.right)
        if isinstance(expr, Neg):
            return self.unit_of(expr.operand)
        return None

    def _compare(self, expr: Compare, lang: Lang) -> str:
        for side, other in ((expr.right, expr.left), (expr.left, expr.right)):
            if isinstance(side, Literal) and isinstance(side.value, bool):
                wanted = side.value == (expr.op == "==")
                said = self.say(other, lang)
                return said if wanted else f"{word('not_a', lang)}: {said}"
        unit = self.unit_of(expr.left) or self.unit_of(expr.right)
        left = self._wrapped(expr.left, lang, unit)
        right = self._wrapped(expr.right, lang, unit)
        return f"{left} {OPS[expr.op]} {right}"

    def _wrapped(self, expr: Expr, lang: Lang, unit: str | None) -> str:
        text = self.say(expr, lang, unit)
        nested = isinstance(expr, Binary | Compare | And | Or) and expr not in self.refs
        return f"({text})" if nested else text

    @staticmethod
    def _literal(expr: Literal, lang: Lang, unit: str | None) -> str:
        if isinstance(expr.value, bool):
            return word("yes" if expr.value else "no", lang)
        if isinstance(expr.value, str):
            return f"“{expr.value}”"
        return number(expr.value, unit, lang)
