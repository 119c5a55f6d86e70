"""Evaluating units against a ruleset: the public entry points.

>>> from ntm_rules import evaluate
>>> result = evaluate("vn.commune.ntm.2021", {"code": "X1", "region": "tdmnpb", "year": 2024})
>>> result.status, result.criteria_met
('missing', 0)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import operator
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .bounds import in_range
from .engine.compiler import (
    PREREQUISITE,
    SUMMARY_MARKER,
    Check,
    CompiledRuleset,
    IndicatorPlan,
    Operand,
    compile_ruleset,
)
from .engine.durable_host import register, run_session
from .errors import EngineError, EvaluationError, RulesetError, say_label
from .expr import MissingValueError, names_in
from .expr import evaluate as evaluate_expr
from .expr.ast import to_source
from .models.fields import show_text
from .models.structuring import structure
from .models.vocabulary import field_specs, identity_fields
from .result import (
    DIVISION_BY_ZERO,
    MET,
    MISSING,
    NOT_APPLICABLE,
    NOT_MET,
    OUT_OF_RANGE,
    CheckResult,
    CriterionResult,
    EvaluationResult,
    IndicatorResult,
    PrerequisiteResult,
    RecognitionResult,
    RulesetRef,
    Undefined,
    UnitRef,
)
from .ruleset.files import Watch, find_ruleset_file, watch
from .ruleset.loader import load_ruleset
from .ruleset.model import Indicator, Ruleset
from .ruleset.registry import get_ruleset
from .ruleset.resolve import AxisChoice, ResolvedParam, choose_axes, resolve_params
from .ruleset.search import is_installed_copy, search_key
from .text import Text

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "in": lambda a, b: a in b,
    "not in": lambda a, b: a not in b,
}


@attrs.frozen
class _Context:
    """Everything that depends only on the assessment date and the axis choices."""

    axes: tuple[AxisChoice, ...]
    params: dict[str, ResolvedParam]
    thresholds: dict[str, Any]  # slot property -> value (open parameters left out)
    param_values: dict[str, float | None]  # "param.x" -> value


class Evaluator:
    """A ruleset compiled once, ready to evaluate any number of units, from any thread."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.compiled: CompiledRuleset = compile_ruleset(ruleset)
        self._handle = register(self.compiled.name, self.compiled.rules)
        self._contexts: dict[tuple[Any, ...], _Context] = {}  # no lock: a race computes twice
        self.axis_inputs = tuple(  # the inputs that choose a unit's row of each threshold table
            dict.fromkeys(
                n.dotted
                for axis in ruleset.axes.values()
                for rule in axis.rules
                for expr in (rule.when, rule.value)
                for n in names_in(expr)
            )
        )
        self._units = {spec.name: spec.unit for spec in field_specs(ruleset.model)}
        self._units.update({f"param.{n}": p.unit for n, p in ruleset.parameters.items()})
        self._measures = tuple(s for s in self.compiled.slots if s.per_unit)
        self._rule_index: dict[str, tuple[int, str]] = {}
        for n, plan in enumerate(self.compiled.indicators):
            for status in (MET, NOT_MET, MISSING, NOT_APPLICABLE):
                self._rule_index[f"{plan.key}.{status}"] = (n, status)
        self._groups = len(ruleset.criteria)
        self._slot_users: dict[str, Indicator] = {}  # threshold slot -> first indicator using it
        for plan in self.compiled.indicators:
            for check in (*plan.applies_checks, *plan.checks):
                for side in (check.left, check.right):
                    if side.kind == "slot" and side.prop is not None:
                        self._slot_users.setdefault(side.prop, plan.indicator)
        # what explanations need about each check, worked out once rather than per unit
        self._check_info = {
            id(check): _CheckInfo(
                unit=next(
                    (
                        self._units[n.dotted]
                        for side in (check.left, check.right)
                        for n in names_in(side.expr)
                        if self._units.get(n.dotted)
                    ),
                    None,
                ),
                names=tuple(
                    tuple((n.dotted, n.is_param) for n in names_in(side.expr))
                    for side in (check.left, check.right)
                ),
            )
            for plan in self.compiled.indicators
            for check in (*plan.checks, *plan.applies_checks)
        }
        self._members: dict[int, tuple[int, ...]] = {
            group: tuple(n for n, p in enumerate(self.compiled.indicators) if p.group == group)
            for group in (*range(len(ruleset.criteria)), -1)
        }
        self._unit_attributes = identity_fields(ruleset.model)
        self._lower: Evaluator | None = None
        if ruleset.requires is not None:
            found = find_ruleset_file(ruleset.requires.ruleset, Path(ruleset.file))
            if found is None:
                lower = ruleset.requires.ruleset
                raise EvaluationError(
                    Text(
                        vi=f"{ruleset.id} đòi hỏi bộ tiêu chí {lower}, nhưng không tìm thấy",
                        en=f"{ruleset.id} requires unknown ruleset {lower}",
                    )
                )
            self._lower = evaluator_for(load_ruleset(found))
        documents = {d.number: d for d in ruleset.documents.values()}
        if self._lower is not None:  # a prerequisite's citations appear in results too
            documents.update((d.number, d) for d in self._lower.ruleset.documents.values())
        self._ruleset_ref = RulesetRef(
            ruleset.id,
            ruleset.version,
            ruleset.content_hash,
            ruleset.title,
            tuple(documents.values()),
            ruleset.file,
            ruleset.file is not None and is_installed_copy(ruleset.file),
        )

    # -- public ----------------------------------------------------------------------------
    def evaluate(
        self,
        record: Any,
        *,
        year: int | None = None,
        on: dt.date | None = None,
        label: str | None = None,
    ) -> EvaluationResult:
        """Evaluate one unit (a model instance or a mapping of its fields)."""
        model = self.ruleset.model
        if isinstance(record, Mapping):
            record = structure(model, record, label or _label(record))
        elif not isinstance(record, model):
            wanted, given = model.__name__, type(record).__name__
            raise EvaluationError(
                Text(
                    vi=f"{self.ruleset.id} đánh giá bản ghi {wanted}, không phải {given}",
                    en=f"{self.ruleset.id} evaluates {wanted} records, not {given}",
                )
            )
        label = label or f"code {record.code}"
        scope = self.ruleset.scope
        if scope is not None and record.province is not None and record.province != scope.province:
            rid = self.ruleset.id
            raise EvaluationError(
                Text(
                    vi=f"bản ghi {say_label(label, 'vi')}, trường 'province': {rid} áp dụng cho "
                    f"{scope.province}, không phải {record.province}",
                    en=f"record {label}, field 'province': {rid} applies to {scope.province}, "
                    f"not {record.province}",
                )
            )
        on = self._assessment_date(record, year, on, label)
        prerequisite = self._prerequisite(record, on, label)
        context = self._context(record, on, label)
        fact, undefined = self._unit_fact(record, context)
        statuses: list[str] = []

        def summarise(fired: list[str]) -> dict[str, Any]:
            statuses.extend(self._indicator_statuses(fired, label))
            summary = self._summary_fact(statuses)
            if prerequisite is not None and prerequisite.status != MISSING:
                summary[PREREQUISITE] = 1 if prerequisite.status == MET else 0
            return summary

        _, fired_summary = run_session(self._handle, fact, summarise)
        return self._result(
            record, on, context, (fact, undefined), statuses, fired_summary, label, prerequisite
        )

    def prepare(self, record: Any, *, on: dt.date) -> None:
        """Choose ``record``'s row of every threshold table and compute every threshold in force
        on ``on`` (cached for later evaluations); a threshold that cannot be computed from the
        parameters is a :class:`RulesetError` at its indicator."""
        if isinstance(record, Mapping):
            record = structure(self.ruleset.model, record, _label(record))
        self._context(record, on, f"code {record.code}")

    def evaluate_many(
        self, records: Iterable[Any], *, year: int | None = None
    ) -> list[EvaluationResult]:
        return [self.evaluate(r, year=year) for r in records]

    def _prerequisite(self, record: Any, on: dt.date, label: str) -> PrerequisiteResult | None:
        required = self.ruleset.requires
        if required is None or self._lower is None:
            return None
        computed = self._lower.evaluate(record, on=on, label=label)
        year = getattr(record, required.recognised_field) if required.recognised_field else None
        counts = year is not None and (
            required.recognised_since is None or year >= required.recognised_since
        )
        satisfied_by = None
        if "computed" in required.accept and computed.status == MET:
            satisfied_by = "computed"
        elif "recognised" in required.accept and counts:
            satisfied_by = "recognised"
        if satisfied_by:
            status = MET
        elif "computed" in required.accept and computed.status == MISSING:
            status = MISSING
        else:
            status = NOT_MET
        return PrerequisiteResult(
            ruleset_id=required.ruleset,
            name=required.name,
            status=status,
            satisfied_by=satisfied_by,
            computed=computed,
            recognised_year=year,
            recognition_counts=counts,
            accept=required.accept,
            source=required.source,
        )

    # -- dates and context -----------------------------------------------------------------
    def _assessment_date(
        self, record: Any, year: int | None, on: dt.date | None, label: str
    ) -> dt.date:
        if on is None:
            year = year if year is not None else record.year
            if year is None:
                raise EvaluationError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}, trường 'year': chưa có năm đánh giá",
                        en=f"record {label}, field 'year': no assessment year given",
                    )
                )
            if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
                raise EvaluationError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}: năm đánh giá phải là số nguyên, "
                        f"ví dụ 2024, không phải {year!r}",
                        en=f"record {label}: the assessment year must be a whole number such as "
                        f"2024, not {year!r}",
                    )
                )
            on = dt.date(year, 12, 31)
        elif isinstance(on, dt.datetime) or not isinstance(on, dt.date):
            shown = f"{type(on).__name__} {on!r}"
            raise EvaluationError(
                Text(
                    vi=f"bản ghi {say_label(label, 'vi')}: ngày đánh giá phải là datetime.date, "
                    f"không phải {shown}",
                    en=f"record {label}: the assessment date must be a datetime.date, not {shown}",
                )
            )
        rs = self.ruleset
        if on < rs.valid_from or (rs.valid_until and on > rs.valid_until):
            start, until = rs.valid_from.isoformat(), rs.valid_until
            raise EvaluationError(
                Text(
                    vi=f"bản ghi {say_label(label, 'vi')}: ngày đánh giá {on.isoformat()} nằm "
                    f"ngoài thời gian hiệu lực của {rs.id} (từ {start} đến "
                    f"{until.isoformat() if until else 'không thời hạn'})",
                    en=f"record {label}: assessment date {on.isoformat()} is outside the "
                    f"validity of {rs.id} ({start} to {until.isoformat() if until else 'open'})",
                )
            )
        return on

    def _context(self, record: Any, on: dt.date, label: str) -> _Context:
        axis_values = {name: getattr(record, name) for name in self.axis_inputs}
        key = (on, *axis_values.values())
        context = self._contexts.get(key)
        if context is not None:
            return context
        axes = choose_axes(self.ruleset, axis_values, label)
        params = resolve_params(self.ruleset, on, axes)
        param_values = {f"param.{n}": p.value for n, p in params.items()}
        thresholds = {}
        for slot in self.compiled.slots:
            if not slot.per_unit:
                # a parameter left to the province has no value: the indicator is `missing`
                with contextlib.suppress(MissingValueError):
                    value, reason = _compute(slot.expr, param_values)
                    if reason is not None:
                        raise self._threshold_error(slot.prop, slot.expr, reason, on, axes, label)
                    thresholds[slot.prop] = value
        context = _Context(tuple(axes.values()), params, thresholds, param_values)
        if len(self._contexts) > 1024:
            self._contexts.clear()
        self._contexts[key] = context
        return context

    def _threshold_error(
        self,
        prop: str,
        expr: Any,
        reason: str,
        on: dt.date,
        axes: Mapping[str, AxisChoice],
        label: str,
    ) -> RulesetError:
        """A threshold computed from parameters alone that does not exist: the ruleset is wrong."""
        indicator = self._slot_users[prop]
        why = (
            Text(vi="chia cho 0", en="division by zero")
            if reason == DIVISION_BY_ZERO
            else Text(vi="kết quả vượt ±10^15", en="result beyond ±10^15")
        )
        where = ", ".join(f"{name} {choice.value}" for name, choice in axes.items())
        shown, day, place = to_source(expr), on.isoformat(), f" ({where})" if where else ""
        return RulesetError(
            Text(
                vi=f"không tính được ngưỡng {shown} vào ngày {day}{place}: {why.vi} (bản ghi "
                f"{say_label(label, 'vi')})",
                en=f"threshold {shown} cannot be computed on {day}{place}: {why.en} (record "
                f"{label})",
            ),
            file=indicator.file or self.ruleset.file,
            line=indicator.line,
            key=f"indicator {indicator.id}",
        )

    # -- facts -----------------------------------------------------------------------------
    def _unit_fact(self, record: Any, context: _Context) -> tuple[dict[str, Any], dict[str, str]]:
        """The unit fact, and the measures that do not exist for this unit (why, by slot)."""
        fact: dict[str, Any] = dict.fromkeys(self.compiled.markers, 1)
        fact.update(context.thresholds)
        values: dict[str, Any] = {}
        for name, prop in self.compiled.input_props:
            value = getattr(record, name)
            values[name] = value
            if value is not None:
                fact[prop] = value
        undefined: dict[str, str] = {}
        if self._measures:
            scope = {**context.param_values, **values}
            for slot in self._measures:
                with contextlib.suppress(MissingValueError):  # -> missing
                    value, reason = _compute(slot.expr, scope)
                    if reason is None:
                        fact[slot.prop] = value
                    else:
                        undefined[slot.prop] = reason
        return fact, undefined

    def _indicator_statuses(self, fired: list[str], label: str) -> list[str]:
        statuses: list[str | None] = [None] * len(self.compiled.indicators)
        for name in fired:
            hit = self._rule_index.get(name)
            if hit is None:
                continue
            n, status = hit
            if statuses[n] not in (None, status):
                ind = self.compiled.indicators[n].indicator.id
                raise EngineError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}: chỉ tiêu {ind} vừa {statuses[n]} "
                        f"vừa {status}",
                        en=f"record {label}: indicator {ind} is both {statuses[n]} and {status}",
                    )
                )
            statuses[n] = status
        for n, decided in enumerate(statuses):
            if decided is None:
                ind = self.compiled.indicators[n].indicator.id
                raise EngineError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}: không luật nào quyết định chỉ tiêu "
                        f"{ind}",
                        en=f"record {label}: no rule decided indicator {ind}",
                    )
                )
        return statuses  # type: ignore[return-value]

    def _summary_fact(self, statuses: list[str]) -> dict[str, Any]:
        counts = {g: [0, 0, 0] for g in (*range(self._groups), -1)}
        for plan, status in zip(self.compiled.indicators, statuses, strict=True):
            bucket = counts[plan.group]
            if status == MET:
                bucket[0] += 1
            elif status == NOT_MET:
                bucket[1] += 1
            elif status == MISSING:
                bucket[2] += 1
        fact: dict[str, Any] = {SUMMARY_MARKER: 1}
        for group, (met, failed, missing) in counts.items():
            prefix = "r" if group == -1 else f"c{group}"
            fact[f"{prefix}m"], fact[f"{prefix}f"], fact[f"{prefix}x"] = met, failed, missing
            fact[f"{prefix}p"] = met + missing
        return fact

    # -- results ---------------------------------------------------------------------------
    def _result(
        self,
        record: Any,
        on: dt.date,
        context: _Context,
        facts: tuple[dict[str, Any], dict[str, str]],
        statuses: list[str],
        fired: list[str],
        label: str,
        prerequisite: PrerequisiteResult | None,
    ) -> EvaluationResult:
        decided: dict[str, str] = {}
        for name in fired:
            prefix, _, status = name.partition(".")
            if status and prefix != "level" and decided.setdefault(prefix, status) != status:
                raise EngineError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}: {prefix} vừa {decided[prefix]} "
                        f"vừa {status}",
                        en=f"record {label}: {prefix} is both {decided[prefix]} and {status}",
                    )
                )
        indicator_results = [
            self._indicator_result(plan, status, facts, context)
            for plan, status in zip(self.compiled.indicators, statuses, strict=True)
        ]
        criteria = []
        for k, criterion in enumerate(self.ruleset.criteria):
            criterion_status = decided.get(f"c{k}")
            if criterion_status is None:
                raise EngineError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}: không luật nào quyết định tiêu "
                        f"chí {criterion.id}",
                        en=f"record {label}: no rule decided criterion {criterion.id}",
                    )
                )
            criteria.append(
                CriterionResult(
                    id=criterion.id,
                    name=criterion.name,
                    group=criterion.group,
                    status=criterion_status,
                    policy=criterion.policy.describe(),
                    indicators=tuple(indicator_results[n] for n in self._members[k]),
                    source=criterion.source,
                )
            )
        if "level.met" in fired:
            level_status = MET
        elif any(c.status == NOT_MET for c in criteria) or (
            prerequisite is not None and prerequisite.status == NOT_MET
        ):
            level_status = NOT_MET
        else:
            level_status = MISSING
        recognition = None
        if self.ruleset.recognition and "r" not in decided:
            raise EngineError(
                Text(
                    vi=f"bản ghi {say_label(label, 'vi')}: không luật nào quyết định các điều "
                    "kiện công nhận",
                    en=f"record {label}: no rule decided the recognition conditions",
                )
            )
        if self.ruleset.recognition:
            rec = self.ruleset.recognition
            recognition = RecognitionResult(
                name=rec.name,
                status=decided["r"],
                conditions=tuple(indicator_results[n] for n in self._members[-1]),
                source=rec.source,
            )
        return EvaluationResult(
            unit=UnitRef(
                kind=self.ruleset.unit,
                code=record.code,
                name=record.name,
                province=record.province,
                district=getattr(record, "district", None),
                attributes=tuple((a, getattr(record, a)) for a in self._unit_attributes),
            ),
            ruleset=self._ruleset_ref,
            level_id=self.ruleset.level.id,
            level_name=self.ruleset.level.name,
            status=level_status,
            assessed_on=on,
            axes=context.axes,
            criteria=tuple(criteria),
            recognition=recognition,
            prerequisite=prerequisite,
            recognised_year=getattr(record, field)
            if (field := self.ruleset.level.recognised_field)
            else None,
        )

    def _indicator_result(
        self,
        plan: IndicatorPlan,
        status: str,
        facts: tuple[dict[str, Any], dict[str, str]],
        context: _Context,
    ) -> IndicatorResult:
        checks = tuple(self._check(c, facts, context) for c in plan.checks)
        applicability = tuple(self._check(c, facts, context) for c in plan.applies_checks)
        missing: tuple[str, ...] = ()
        undefined: tuple[Undefined, ...] = ()
        if status == MISSING:
            used = (*applicability, *checks)
            missing = tuple(dict.fromkeys(m for c in used for m in c.missing))
            undefined = tuple(dict.fromkeys(u for c in used for u in c.undefined))
        indicator = plan.indicator
        return IndicatorResult(
            id=indicator.id,
            name=indicator.name,
            status=status,
            checks=checks,
            applicability=applicability,
            missing=missing,
            source=indicator.source,
            verified=indicator.verified,
            note=indicator.note,
            defined_in=indicator.origin,
            undefined=undefined,
        )

    def _check(
        self, check: Check, facts: tuple[dict[str, Any], dict[str, str]], context: _Context
    ) -> CheckResult:
        fact, undefined = facts
        info = self._check_info[id(check)]
        left, right = _side(check.left, fact), _side(check.right, fact)
        passed: bool | None = None
        margin: float | None = None
        missing: tuple[str, ...] = ()
        not_computed: tuple[Undefined, ...] = ()
        if left is not None and right is not None:
            passed = bool(_COMPARE[check.op](left, right))
            if check.op in ("<", "<=", ">", ">=") and not isinstance(left, bool):
                difference = float(left - right if check.op in (">", ">=") else right - left)
                margin = round(difference, 9)
                if margin == 0 and not passed:  # keep a failing margin visibly negative
                    margin = difference
        else:
            missing = tuple(
                m
                for side, names in zip((check.left, check.right), info.names, strict=True)
                for m in _missing(side, names, fact, context)
            )
            not_computed = tuple(
                Undefined(to_source(side.expr), undefined[side.prop])
                for side in (check.left, check.right)
                if side.prop in undefined
            )
        return CheckResult(
            text=check.text,
            op=check.op,
            value=left,
            threshold=right,
            unit=info.unit,
            passed=passed,
            margin=margin,
            params=tuple(context.params[p] for p in check.params),
            missing=missing,
            undefined=not_computed,
        )


def _compute(expr: Any, values: Mapping[str, Any]) -> tuple[Any, str | None]:
    """A computed number without binary-fraction noise (1.1 * 43 is 47.3, not
    47.300000000000004: a unit exactly at 110 % must meet "at least 110 %"), or why it does
    not exist. Raises :class:`MissingValueError` when a value it needs is absent."""
    try:
        value = evaluate_expr(expr, values)
    except ZeroDivisionError:
        return None, DIVISION_BY_ZERO
    if isinstance(value, float):
        if not in_range(value):
            return None, OUT_OF_RANGE
        value = round(value, 9)
    return value, None


@attrs.frozen
class _CheckInfo:
    unit: str | None
    names: tuple[tuple[tuple[str, bool], ...], ...]  # per side: (name, is a parameter)


def _side(operand: Operand, fact: dict[str, Any]) -> Any:
    if operand.prop is None:  # a literal
        return operand.value
    return fact.get(operand.prop)


def _missing(
    operand: Operand, names: tuple[tuple[str, bool], ...], fact: dict[str, Any], context: _Context
) -> list[str]:
    """The inputs or open parameters that leave one side of a comparison without a value."""
    if operand.kind == "literal" or operand.prop in fact:
        return []
    found = []
    for dotted, is_param in names:
        if is_param:
            if context.param_values.get(dotted) is None:
                found.append(dotted)
        elif fact.get(f"i_{dotted}") is None:
            found.append(dotted)
    return found  # empty: every value is there, the computation failed (see `undefined`)


# -- convenience API -------------------------------------------------------------------------
_evaluators: dict[tuple[str, str], Evaluator] = {}
# an id or path (with the search path and working directory it was looked up under) -> what
# its lookup depended on, and the evaluator found: a call finds it again without a lookup
_by_name: dict[tuple[object, ...], tuple[Watch, Evaluator]] = {}
_evaluators_lock = threading.RLock()  # an evaluator builds the one of its lower level


def _new_lock_in_child() -> None:
    """A forked child has only the forking thread: a lock another thread held is free again."""
    global _evaluators_lock
    _evaluators_lock = threading.RLock()


os.register_at_fork(after_in_child=_new_lock_in_child)


def evaluator_for(ruleset: Ruleset | str | Path) -> Evaluator:
    """The (cached) evaluator of a ruleset given as object, id or file path.

    An id or path is looked up again only when the search path, the working directory or a
    file or folder the lookup depends on has changed (see :class:`Watch`)."""
    if isinstance(ruleset, Ruleset):
        return _evaluator(ruleset)
    key = (str(ruleset), search_key(), os.getcwd())
    known = _by_name.get(key)
    if known is not None and known[0].unchanged():
        return known[1]
    found = _evaluator(get_ruleset(ruleset))
    files = [Path(file) for file in found.ruleset.files.values()]
    stamps = watch(files)
    if _evaluator(get_ruleset(ruleset)) is found:  # nothing changed before the stamps were taken
        if len(_by_name) > 64:
            _by_name.clear()
        _by_name[key] = (stamps, found)
    return found


def _evaluator(ruleset: Ruleset) -> Evaluator:
    key = (ruleset.id, ruleset.content_hash)
    with _evaluators_lock:
        found = _evaluators.get(key)
        if found is None:
            found = _evaluators[key] = Evaluator(ruleset)
        return found


def evaluate(
    ruleset: Ruleset | str | Path,
    record: Any,
    *,
    year: int | None = None,
    on: dt.date | None = None,
) -> EvaluationResult:
    """Evaluate one unit against a ruleset (bundled id, file path or loaded object)."""
    return evaluator_for(ruleset).evaluate(record, year=year, on=on)


def _label(row: Mapping[str, Any]) -> str:
    code = row.get("code")
    return f"code {show_text(code)}" if isinstance(code, str) and code else "(no code)"
