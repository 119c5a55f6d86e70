"""Plain-text explanation of an evaluation result, for a provincial official.

The text says who was assessed, on which date, under which rules and regional thresholds, the
outcome, and for every failing indicator the value, the threshold, the shortfall, where the
threshold comes from and whether it was verified against the law. Missing data and the
recognition conditions of 18/2022/QĐ-TTg are listed apart.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from typing import Any

from .models.vocabulary import VOCABULARIES, field_specs
from .result import (
    MET,
    MISSING,
    NOT_MET,
    CheckResult,
    CriterionResult,
    EvaluationResult,
    IndicatorResult,
)
from .ruleset.model import GENERAL, Citation
from .ruleset.resolve import AxisChoice, ResolvedParam
from .text import Lang, Text, format_number, nfc
from .unit_kinds import unit_kind
from .units import unit_symbol

__all__ = ["default_labels", "render"]

_T = {
    "title": Text("KẾT QUẢ ĐÁNH GIÁ", "ASSESSMENT RESULT"),
    "code": Text("mã", "code"),
    "date": Text("Ngày đánh giá", "Assessment date"),
    "ruleset": Text("Bộ tiêu chí", "Ruleset"),
    "version": Text("phiên bản", "version"),
    "hash": Text("mã nội dung", "content hash"),
    "file": Text("tệp", "file"),
    "installed": Text("bản cài sẵn trong gói", "the copy inside the installed package"),
    "axes": Text("Mức yêu cầu áp dụng", "Thresholds applied"),
    "reason": Text("lý do", "reason"),
    "outcome": Text("Kết luận", "Outcome"),
    "met": Text("Đạt chuẩn", "Achieved"),
    "not_met": Text("Chưa đạt chuẩn", "Not achieved"),
    "missing": Text("Chưa đủ dữ liệu để kết luận", "Not enough data to conclude"),
    "level": Text("mức xét", "level assessed"),
    "criteria_met": Text("Số tiêu chí đạt", "Criteria met"),
    "list_met": Text("Các tiêu chí đạt", "Met"),
    "list_not_met": Text("Các tiêu chí chưa đạt", "Not met"),
    "list_missing": Text("Các tiêu chí chưa đủ dữ liệu", "Lacking data"),
    "recognised": Text(
        "Công nhận trước đây (thông tin khai báo)", "Earlier recognition (as declared)"
    ),
    "recognised_level": Text(
        "Đã được công nhận: {level} (năm {year})", "Recognised: {level} ({year})"
    ),
    "no_longer": Text(
        "Lưu ý: đã công nhận nhưng hiện chưa đạt {what}",
        "Note: recognised, but does not currently meet {what}",
    ),
    "prerequisite": Text("Điều kiện tiên quyết", "Prerequisite"),
    "satisfied_computed": Text(
        "đáp ứng theo kết quả đánh giá hiện tại", "held according to the current assessment"
    ),
    "satisfied_recognised": Text("đáp ứng do đã được công nhận", "held through formal recognition"),
    "pre_recognised": Text("Năm được công nhận: {year}", "Year recognised: {year}"),
    "pre_not_counted": Text(
        "(không được tính: công nhận thuộc giai đoạn trước)",
        "(does not count: recognised in an earlier phase)",
    ),
    "pre_computed": Text(
        "Đánh giá lại theo bộ tiêu chí mức dưới: {status}, đạt {met}/{total} tiêu chí",
        "Re-assessed against the lower level: {status}, {met}/{total} criteria met",
    ),
    "pre_blocks": Text(
        "Chưa đáp ứng điều kiện tiên quyết thì chưa thể đạt mức này.",
        "This level cannot be reached until the prerequisite is held.",
    ),
    "criterion_one": Text("tiêu chí {ids}", "criterion {ids}"),
    "criterion_many": Text("các tiêu chí {ids}", "criteria {ids}"),
    "failing": Text("CÁC TIÊU CHÍ CHƯA ĐẠT", "CRITERIA NOT MET"),
    "criterion": Text("Tiêu chí", "Criterion"),
    "indicator": Text("Chỉ tiêu", "Indicator"),
    "condition": Text("Điều kiện", "Condition"),
    "see_reason": Text("xem lý do ở phần đầu", "see the reason above"),
    "policy_any": Text("cần đạt ít nhất 1 chỉ tiêu", "at least 1 indicator must be met"),
    "policy_at_least": Text(
        "cần đạt ít nhất {k} chỉ tiêu, hiện đạt {m}", "at least {k} indicators must be met; {m} are"
    ),
    "also_missing": Text(
        "Chỉ tiêu chưa đủ dữ liệu: {ids} (xem mục dữ liệu còn thiếu)",
        "Indicators lacking data: {ids} (see missing data)",
    ),
    "value": Text("Giá trị", "Value"),
    "required": Text("yêu cầu", "required"),
    "short": Text("còn thiếu", "short by"),
    "over": Text("vượt mức tối đa", "over the maximum by"),
    "no_data": Text("không có dữ liệu", "no data"),
    "open_value": Text("chưa có mức do tỉnh quy định", "no value set by the province"),
    "check_met": Text("đạt", "met"),
    "check_not_met": Text("không đạt", "not met"),
    "check_missing": Text("thiếu dữ liệu", "missing data"),
    "basis": Text("Căn cứ mức yêu cầu", "Threshold basis"),
    "citation": Text("Căn cứ", "Legal basis"),
    "effective": Text("áp dụng từ", "in force from"),
    "general": Text("mức chung", "general value"),
    "single": Text("mức chung (không phân vùng)", "single value (no regional table)"),
    "fallback": Text(
        "mức chung (không có mức riêng cho {key})", "general value (no specific value for {key})"
    ),
    "axis_value": Text("mức {axis} {abbr} ({name})", "value for {axis} {abbr} ({name})"),
    "axis_key": Text("mức {axis} = {key}", "value for {axis} = {key}"),
    "national": Text("quy định cấp quốc gia", "national rule"),
    "provincial": Text("quy định của tỉnh {province}", "provincial rule ({province})"),
    "replaces": Text("thay cho mức {value} của {id}", "replacing {value} set by {id}"),
    "defined_in": Text("tại bộ tiêu chí {id}", "in ruleset {id}"),
    "exception": Text(
        "ngoại lệ: mức của tỉnh được phép thấp hơn mức quốc gia",
        "exception: the provincial value may be looser than the national one",
    ),
    "unverified_value": Text("[giá trị chưa được kiểm chứng]", "[unverified value]"),
    "unverified_wording": Text("[nội dung chỉ tiêu chưa được kiểm chứng]", "[unverified wording]"),
    "missing_title": Text("DỮ LIỆU CÒN THIẾU", "MISSING DATA"),
    "missing_none": Text("Không thiếu dữ liệu.", "No data missing."),
    "missing_inputs": Text("thiếu dữ liệu", "missing"),
    "undefined_division_by_zero": Text(
        "không tính được {expr} (chia cho 0)", "{expr} cannot be computed (division by zero)"
    ),
    "undefined_out_of_range": Text(
        "không tính được {expr} (kết quả vượt quá ±10^15)",
        "{expr} cannot be computed (result beyond ±10^15)",
    ),
    "recognition_title": Text("ĐIỀU KIỆN CÔNG NHẬN", "RECOGNITION CONDITIONS"),
    "recognition_status": Text("Tình trạng", "Status"),
    "eligible": Text("Đủ điều kiện đề nghị công nhận", "Eligible for recognition"),
    "eligible_met": Text("có", "yes"),
    "eligible_not_met": Text("không", "no"),
    "eligible_missing": Text("chưa đủ dữ liệu để kết luận", "not enough data to conclude"),
    "status_met": Text("đạt", "met"),
    "status_not_met": Text("chưa đạt", "not met"),
    "status_missing": Text("chưa đủ dữ liệu", "lacking data"),
    "status_not_applicable": Text("không áp dụng", "not applicable"),
    "closing_unverified": Text(
        "LƯU Ý: kết luận này dựa trên giá trị hoặc nội dung chưa được kiểm chứng với văn bản "
        "chính thức; cần đối chiếu trước khi sử dụng (danh sách: lệnh `ntm-rules audit`).",
        "NOTE: this outcome rests on values or wording not yet checked against the official "
        "text; check them before relying on it (list: `ntm-rules audit`).",
    ),
    "closing_some_unverified": Text(
        "Lưu ý: các dòng đánh dấu {mark} dựa trên giá trị chưa được kiểm chứng với văn bản "
        "chính thức.",
        "Note: lines marked {mark} rest on values not yet checked against the official text.",
    ),
}

_DISTRICT = Text("Huyện", "District")
_PROVINCE = Text("Tỉnh", "Province")

_OPS = {
    ">=": "≥",
    "<=": "≤",
    ">": ">",
    "<": "<",
    "==": "=",
    "!=": "≠",
    "in": "∈",
    "not in": "∉",
}


def default_labels() -> dict[str, Text]:
    """Labels of every input field of every known vocabulary, by field name."""
    return dict(_labels())


@functools.cache
def _labels() -> tuple[tuple[str, Text], ...]:
    labels: dict[str, Text] = {}
    for model in VOCABULARIES.values():
        for spec in field_specs(model):
            labels.setdefault(spec.name, spec.label)
    return tuple(labels.items())


def render(
    result: EvaluationResult, lang: Lang = "vi", *, labels: Mapping[str, Text] | None = None
) -> str:
    """Explain ``result`` in plain text, in Vietnamese (default) or English; NFC-normalised.

    ``labels`` maps input field names to their labels; by default the labels of every known
    input vocabulary are used.
    """
    return _Renderer(result, lang, labels if labels is not None else default_labels()).render()


_LEFT_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:[<>=!]=?|in\b|not\s+in\b)")
_BULLET = "•"
NATIONAL = "national"


class _Renderer:
    def __init__(self, result: EvaluationResult, lang: Lang, labels: Mapping[str, Text]) -> None:
        self.r = result
        self.lang = lang
        self.labels = labels
        self.lines: list[str] = []
        self.any_unverified_mark = False

    def t(self, name: str, /, **kwargs: Any) -> str:
        text = _T[name](self.lang)
        return text.format(**kwargs) if kwargs else text

    def add(self, line: str = "", indent: int = 0) -> None:
        self.lines.append("  " * indent + line if line else "")

    def render(self) -> str:
        self.header()
        self.outcome()
        self.prerequisite()
        self.recognised()
        self.failing()
        self.missing()
        self.recognition()
        self.closing()
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return nfc("\n".join(self.lines) + "\n")

    # -- sections --------------------------------------------------------------------------
    def header(self) -> None:
        r, lang = self.r, self.lang
        self.add(self.t("title"))
        unit = r.unit
        kind = unit_kind(unit.kind).heading(lang)
        who = (
            f"{unit.name} ({self.t('code')} {unit.code})"
            if unit.name
            else (f"{self.t('code')} {unit.code}")
        )
        parts = [f"{kind}: {who}"]
        if unit.district:
            parts.append(f"{_DISTRICT(lang)}: {unit.district}")
        if unit.province:
            parts.append(f"{_PROVINCE(lang)}: {unit.province}")
        self.add(" – ".join(parts))
        self.add(f"{self.t('date')}: {self.date(r.assessed_on)}")
        rs = r.ruleset
        self.add(
            f"{self.t('ruleset')}: {rs.title(lang)} ({rs.id}, {self.t('version')} {rs.version}, "
            f"{self.t('hash')} {rs.content_hash[:12]})"
        )
        if rs.file is not None:
            installed = f" ({self.t('installed')})" if rs.installed_copy else ""
            self.add(f"{self.t('file')}: {rs.file}{installed}", 1)
        for choice in r.axes:
            self.add(f"{self.t('axes')}: {self.axis_value(choice.axis, choice.value)}")
            reason = f"{self.t('reason')}: {choice.reason(lang)}"
            if choice.source is not None:
                reason += f" ({choice.source.render(lang)})"
            self.add(reason, 1)
        self.add()

    def outcome(self) -> None:
        r, lang = self.r, self.lang
        status = r.status if r.status in (MET, NOT_MET, MISSING) else MISSING
        if status == MET:
            self.add(f"{self.t('outcome')}: {self.t('met')} – {r.level_name(lang)}")
        else:
            level = f"{self.t('level')}: {r.level_name(lang)}"
            self.add(f"{self.t('outcome')}: {self.t(status)} ({level})")
        self.add(f"{self.t('criteria_met')}: {r.criteria_met}/{r.criteria_total}")
        for listed in (MET, NOT_MET, MISSING):
            ids = [c.id for c in r.criteria if c.status == listed]
            if ids:
                self.add(f"{self.t('list_' + listed)}: {', '.join(ids)}")
        self.add()

    def prerequisite(self) -> None:
        pre = self.r.prerequisite
        if pre is None:
            return
        lang = self.lang
        status = self.t("status_" + pre.status)
        head = f"{self.t('prerequisite')}: {pre.name(lang)} ({pre.source.render(lang)})"
        self.add(f"{head}: {status}")
        if pre.satisfied_by is not None:
            self.add(self.t("satisfied_" + pre.satisfied_by), 1)
        if pre.recognised_year is not None:
            line = self.t("pre_recognised", year=pre.recognised_year)
            if not pre.recognition_counts:
                line += " " + self.t("pre_not_counted")
            self.add(line, 1)
        computed = pre.computed
        if computed is not None:
            line = self.t(
                "pre_computed",
                status=self.t("status_" + computed.status),
                met=computed.criteria_met,
                total=computed.criteria_total,
            )
            self.add(line, 1)
            failed = [c.id for c in computed.criteria if c.status == NOT_MET]
            if pre.recognised_year is not None and failed:
                key = "criterion_one" if len(failed) == 1 else "criterion_many"
                self.add(self.t("no_longer", what=self.t(key, ids=", ".join(failed))), 1)
        if pre.status != MET and self.r.status != MET:
            self.add(self.t("pre_blocks"), 1)
        self.add()

    def recognised(self) -> None:
        year = self.r.recognised_year
        if year is None:
            return
        self.add(f"{self.t('recognised')}:")
        self.add(
            f"{_BULLET} {self.t('recognised_level', level=self.r.level_name(self.lang), year=year)}",
            1,
        )
        failed = [c.id for c in self.r.criteria if c.status == NOT_MET]
        if self.r.status == NOT_MET and failed:
            key = "criterion_one" if len(failed) == 1 else "criterion_many"
            what = self.t(key, ids=", ".join(failed))
            self.add(self.t("no_longer", what=what), 1)
        self.add()

    def failing(self) -> None:
        failed = [c for c in self.r.criteria if c.status == NOT_MET]
        if not failed:
            return
        self.add(f"{self.t('failing')}:")
        for criterion in failed:
            self.criterion(criterion)
        self.add()

    def criterion(self, criterion: CriterionResult) -> None:
        lang = self.lang
        line = f"{self.t('criterion')} {criterion.id} – {criterion.name(lang)}"
        if criterion.policy == "any":
            line += f" ({self.t('policy_any')})"
        elif criterion.policy.startswith("at_least"):
            k = criterion.policy.split()[-1]
            met = sum(1 for i in criterion.indicators if i.status == MET)
            line += f" ({self.t('policy_at_least', k=k, m=met)})"
        self.add()
        self.add(line + ":", 1)
        for indicator in criterion.indicators:
            if indicator.status == NOT_MET:
                self.indicator(indicator, 2)
        lacking = [i.id for i in criterion.indicators if i.status == MISSING]
        if lacking:
            self.add(self.t("also_missing", ids=", ".join(lacking)), 2)

    def indicator(self, indicator: IndicatorResult, indent: int, word: str = "indicator") -> None:
        lang = self.lang
        head = f"{_BULLET} {self.t(word)} {indicator.id} – {indicator.name(lang)}"
        if not indicator.verified:
            head += " " + self.t("unverified_wording")
            self.any_unverified_mark = True
        self.add(head, indent)
        multi = len(indicator.checks) > 1
        for check in indicator.checks:
            if multi:
                status = (
                    "check_missing"
                    if check.passed is None
                    else "check_met"
                    if check.passed
                    else "check_not_met"
                )
                self.add(f"- {self.check_label(check)}: {self.t(status)}", indent + 1)
                self.check(check, indent + 2, indicator.source)
            else:
                self.check(check, indent + 1, indicator.source)
        self.add(f"{self.t('citation')}: {indicator.source.render(lang)}", indent + 1)

    def check(self, check: CheckResult, indent: int, cited: Citation) -> None:
        value = self.value(check.value, check.unit)
        line = f"{self.t('value')}: {value}; {self.requirement(check)}"
        if check.margin is not None and check.margin < 0:
            amount = self.value(abs(check.margin), check.unit)
            key = "over" if check.op in ("<", "<=") else "short"
            line += f"; {self.t(key)} {amount}"
        if check.rests_on_unverified:
            line += " " + self.t("unverified_value")
            self.any_unverified_mark = True
        self.add(line, indent)
        for param in check.params:
            basis = self.provenance(param, len(check.params) > 1, cited)
            self.add(f"{self.t('basis')}: {basis}", indent)

    def missing(self) -> None:
        lacking = [i for i in self._all_indicators() if i.status == MISSING]
        self.add(f"{self.t('missing_title')}:")
        if not lacking:
            self.add(self.t("missing_none"), 1)
            self.add()
            return
        for indicator in lacking:
            inputs = [m for m in indicator.missing if not m.startswith("param.")]
            opened = [m for m in indicator.missing if m.startswith("param.")]
            pieces = []
            if inputs:
                names = "; ".join(self.input_name(m) for m in inputs)
                pieces.append(f"{self.t('missing_inputs')} {names}")
            if opened:
                names = "; ".join(self.open_param(indicator, m) for m in opened)
                pieces.append(f"{self.t('open_value')}: {names}")
            pieces.extend(
                self.t(f"undefined_{u.reason}", expr=u.expression) for u in indicator.undefined
            )
            head = f"{_BULLET} {indicator.id} – {indicator.name(self.lang)}"
            self.add(f"{head}: {' – '.join(pieces)}", 1)
        self.add()

    def recognition(self) -> None:
        rec = self.r.recognition
        if rec is None:
            return
        lang = self.lang
        self.add(f"{self.t('recognition_title')} – {rec.name(lang)} ({rec.source.render(lang)}):")
        self.add(f"{self.t('recognition_status')}: {self.t('status_' + rec.status)}", 1)
        for condition in rec.conditions:
            if condition.status == NOT_MET:
                self.indicator(condition, 1, "condition")
            elif condition.status == MISSING:
                self.add(
                    f"{_BULLET} {condition.id} – {condition.name(lang)}: "
                    f"{self.t('status_missing')}",
                    1,
                )
        eligible = self.r.recognition_eligible
        self.add(f"{self.t('eligible')}: {self.t('eligible_' + eligible)}", 1)
        self.add()

    def closing(self) -> None:
        if self.r.rests_on_unverified:
            self.add(self.t("closing_unverified"))
        elif self.any_unverified_mark:
            self.add(self.t("closing_some_unverified", mark=self.t("unverified_value")))

    # -- pieces ----------------------------------------------------------------------------
    def _all_indicators(self) -> list[IndicatorResult]:
        found = list(self.r.indicators)
        if self.r.recognition is not None:
            found.extend(self.r.recognition.conditions)
        return found

    def date(self, day: dt.date) -> str:
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()

    def number(self, value: float, unit: str | None) -> str:
        text = format_number(value, self.lang)
        symbol = unit_symbol(unit, self.lang)
        if not symbol:
            return text
        return f"{text}{symbol}" if symbol == "%" else f"{text} {symbol}"

    def value(self, value: Any, unit: str | None) -> str:
        if value is None:
            return self.t("no_data")
        if isinstance(value, bool):
            if self.lang == "vi":
                return "Đạt" if value else "Không đạt"
            return "yes" if value else "no"
        if isinstance(value, int | float):
            return self.number(value, unit)
        if isinstance(value, tuple | list):
            return ", ".join(self.value(v, unit) for v in value)
        return str(value)

    def requirement(self, check: CheckResult) -> str:
        if check.threshold is None:
            return f"{self.t('required')}: {self.t('open_value')}"
        threshold = self.value(check.threshold, check.unit)
        if isinstance(check.threshold, bool) and check.op in ("==", "!="):
            if check.op == "!=":
                threshold = self.value(not check.threshold, check.unit)
            return f"{self.t('required')}: {threshold}"
        return f"{self.t('required')} {_OPS.get(check.op, check.op)} {threshold}"

    def check_label(self, check: CheckResult) -> str:
        match = _LEFT_NAME.match(check.text)
        if match and match.group(1) in self.labels:
            return self.labels[match.group(1)](self.lang)
        text = check.text
        for op, symbol in _OPS.items():
            if len(op) == 2 and op not in ("in",):
                text = text.replace(f" {op} ", f" {symbol} ")
        return text

    def axis_value(self, axis: str, key: str) -> str:
        """The value ``key`` of ``axis`` as the ruleset names it: "mức vùng TDMNPB (Trung du và
        miền núi phía Bắc)"."""
        declared = next((c.declared for c in self.r.axes if c.axis == axis and c.declared), None)
        if declared is not None and key in declared.labels:
            return self.t(
                "axis_value",
                axis=declared.title(self.lang).lower(),
                abbr=declared.choice_short(key)(self.lang),
                name=declared.choice_name(key)(self.lang),
            )
        if key == GENERAL:
            return self.t("general")
        return self.t("axis_key", axis=axis, key=key)

    def provenance(self, param: ResolvedParam, labelled: bool, cited: Citation) -> str:
        lang = self.lang
        pieces = [param.param.label(lang)] if labelled else []
        choice = param.axis_choice
        if param.axis_key is None:
            pieces.append(self.t("single"))
        elif param.axis_key == GENERAL and choice is not None and choice.value != GENERAL:
            pieces.append(self.t("fallback", key=self.axis_value(choice.axis, choice.value)))
        else:
            where = self.axis_value(param.param.axis or "", param.axis_key)
            if choice is not None and self._overridden(choice):
                where += f" ({self.t('see_reason')})"
            pieces.append(where)
        pieces.append(f"{self.t('effective')} {self.date(param.effective_from)}")
        cell = param.cell
        if cell.authority == NATIONAL:
            scope = self.t("national")
        else:
            scope = self.t("provincial", province=cell.authority)
        pieces.append(f"{scope} {self.t('defined_in', id=cell.origin)}")
        if param.replaces is not None:
            old = param.replaces
            value = (
                self.value(old.value, param.param.unit)
                if old.value is not None
                else (self.t("open_value"))
            )
            pieces.append(
                self.t("replaces", value=value, id=f"{old.origin}, {old.source.render(lang)}")
            )
        if cell.exception:
            pieces.append(self.t("exception"))
        text = ", ".join(pieces)
        if param.cell.source != cited:
            text += f"; {self.t('citation').lower()}: {param.cell.source.render(lang)}"
        return text

    def _overridden(self, choice: AxisChoice) -> bool:
        """Whether a rule gave the unit another value than its own ``field`` holds."""
        field = choice.declared.field if choice.declared else choice.axis
        own = dict(self.r.unit.attributes).get(field or choice.axis)
        return own is not None and own != choice.value

    def input_name(self, name: str) -> str:
        label = self.labels.get(name)
        return f"{name} ({label(self.lang)})" if label else name

    def open_param(self, indicator: IndicatorResult, name: str) -> str:
        param_name = name.removeprefix("param.")
        for check in (*indicator.applicability, *indicator.checks):
            for param in check.params:
                if param.param.name == param_name:
                    return f"{param.param.label(self.lang)} ({name})"
        return name
