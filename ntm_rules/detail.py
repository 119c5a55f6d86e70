"""The detail of one unit's result, kept as the engine left it and built only when asked.

An evaluation keeps what is particular to the unit: the statuses the engine decided, the fact it
was given (inputs and computed values) and the computed values that do not exist. The result
objects (:class:`~ntm_rules.result.CriterionResult` and below) are built from them the first
time they are read; ``to_dict()`` does not build them at all: it fills the unit's values into a
fresh copy of a skeleton made once per ruleset, axis values and date (:class:`Pieces`), so that
its content is exactly what the objects would give (tests/test_golden.py holds it to that).

Nothing here decides a status: indicator, criterion, level and recognition statuses are the
engine's. What is worked out here is explanation: each comparison's value, threshold and margin.
"""

from __future__ import annotations

import marshal
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from .compact.detail import CHECK_COLUMNS, INDICATOR_COLUMNS
from .engine.compiler import Check, IndicatorPlan, Operand
from .expr.ast import to_source
from .result import (
    MET,
    MISSING,
    NOT_APPLICABLE,
    NOT_MET,
    CheckResult,
    CriterionResult,
    IndicatorResult,
    RecognitionResult,
    Undefined,
    jsonable,
    rests_on,
)
from .ruleset.resolve import ResolvedParam

if TYPE_CHECKING:
    from .evaluation import Context, Evaluator

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
_ORDERED = frozenset(("<", "<=", ">", ">="))
_PLAIN = (int, float, str, bool, type(None))


@attrs.frozen
class CheckInfo:
    """What explanations need about one comparison, worked out once per ruleset."""

    unit: str | None
    names: tuple[tuple[tuple[str, bool], ...], ...]  # per side: (name, is a parameter)


@attrs.frozen
class Outcome:
    """One comparison for one unit: the value, the threshold and what became of them."""

    value: Any
    threshold: Any
    passed: bool | None
    margin: float | None
    missing: tuple[str, ...]
    undefined: tuple[Undefined, ...]


def outcome(
    check: Check,
    info: CheckInfo,
    fact: dict[str, Any],
    undefined: dict[str, str],
    param_values: dict[str, float | None],
) -> Outcome:
    left, right = _side(check.left, fact), _side(check.right, fact)
    if left is not None and right is not None:
        passed = bool(_COMPARE[check.op](left, right))
        margin = None
        if check.op in _ORDERED and not isinstance(left, bool):
            difference = float(left - right if check.op in (">", ">=") else right - left)
            margin = round(difference, 9)
            if margin == 0 and not passed:  # keep a failing margin visibly negative
                margin = difference
        return Outcome(left, right, passed, margin, (), ())
    missing = tuple(
        m
        for side, names in zip((check.left, check.right), info.names, strict=True)
        for m in _missing(side, names, fact, param_values)
    )
    not_computed = tuple(
        Undefined(to_source(side.expr), undefined[side.prop])
        for side in (check.left, check.right)
        if side.prop in undefined
    )
    return Outcome(left, right, None, None, missing, not_computed)


def _side(operand: Operand, fact: dict[str, Any]) -> Any:
    if operand.prop is None:  # a literal
        return operand.value
    return fact.get(operand.prop)


def _missing(
    operand: Operand,
    names: tuple[tuple[str, bool], ...],
    fact: dict[str, Any],
    param_values: dict[str, float | None],
) -> list[str]:
    """The inputs or open parameters that leave one side of a comparison without a value."""
    if operand.kind == "literal" or operand.prop in fact:
        return []
    found = []
    for dotted, is_param in names:
        if is_param:
            if param_values.get(dotted) is None:
                found.append(dotted)
        elif fact.get(f"i_{dotted}") is None:
            found.append(dotted)
    return found  # empty: every value is there, the computation failed (see `undefined`)


FastCheck = tuple[
    Check, CheckInfo, str | None, Any, str | None, Any, Callable[[Any, Any], Any], int
]
"""A comparison as the JSON form fills it in: the check, its info, each side's fact property (or
None and the literal), the comparison, and the margin's sign (1: value - threshold, -1: the
other way round, 0: no margin)."""


def fill_plan(
    plans: tuple[IndicatorPlan, ...], check_info: dict[int, CheckInfo]
) -> tuple[tuple[tuple[FastCheck, ...], tuple[FastCheck, ...]], ...]:
    """Per indicator plan: its applicability checks and its checks, ready to fill in."""

    def fast(check: Check) -> FastCheck:
        sign = 1 if check.op in (">", ">=") else -1 if check.op in ("<", "<=") else 0
        return (
            check,
            check_info[id(check)],
            check.left.prop,
            check.left.value,
            check.right.prop,
            check.right.value,
            _COMPARE[check.op],
            sign,
        )

    return tuple(
        (tuple(fast(c) for c in plan.applies_checks), tuple(fast(c) for c in plan.checks))
        for plan in plans
    )


def _fill(
    fast_checks: tuple[FastCheck, ...],
    filled: list[dict[str, Any]],
    fact: dict[str, Any],
    undefined: dict[str, str],
    param_values: dict[str, float | None],
    gaps: list[Outcome],
) -> None:
    """Fill one unit's values into the JSON form of some comparisons; those lacking a value
    are added to ``gaps``."""
    for (check, info, lp, lv, rp, rv, compare, sign), into in zip(fast_checks, filled, strict=True):
        left = lv if lp is None else fact.get(lp)
        right = rv if rp is None else fact.get(rp)
        if left is not None and right is not None:
            passed = bool(compare(left, right))
            into["passed"] = passed
            if sign and type(left) is not bool:
                difference = float(left - right if sign > 0 else right - left)
                margin = round(difference, 9)
                into["margin"] = difference if margin == 0 and not passed else margin
        else:
            gap = outcome(check, info, fact, undefined, param_values)
            into["missing"] = list(gap.missing)
            into["undefined"] = [u.to_dict() for u in gap.undefined]
            gaps.append(gap)
        into["value"] = left if type(left) in _PLAIN else jsonable(left)
        into["threshold"] = right if type(right) in _PLAIN else jsonable(right)


@attrs.frozen
class Pieces:
    """What every result on one context (ruleset, axis values, date) shares: a skeleton of the
    JSON form with every static key filled, kept as bytes so that each result gets its own
    fresh copy, and whether each indicator's outcome would rest on unverified values."""

    skeleton: bytes  # marshal of (axes, parameters, criteria, recognition): see _fresh
    thin: bytes  # marshal of (criteria, recognition) with only the keys that vary by unit
    rests_decided: tuple[bool, ...]  # per indicator plan, when met or not met
    rests_not_applicable: tuple[bool, ...]  # per indicator plan, when not applicable


def pieces(evaluator: Evaluator, context: Context) -> Pieces:
    plans = evaluator.compiled.indicators
    rests_decided = []
    rests_na = []
    for plan in plans:
        applicability = any(
            not context.params[p].verified for c in plan.applies_checks for p in c.params
        )
        checks = any(not context.params[p].verified for c in plan.checks for p in c.params)
        rests_decided.append(not plan.indicator.verified or applicability or checks)
        rests_na.append(applicability)
    skeletons = [_indicator_skeleton(evaluator, plan, context) for plan in plans]
    criteria: list[dict[str, Any]] = []
    for k, criterion in enumerate(evaluator.ruleset.criteria):
        criteria.append(
            {
                "id": criterion.id,
                "name": criterion.name.to_dict(),
                "group": criterion.heading.to_dict() if criterion.heading else None,
                "status": None,
                "policy": criterion.policy.describe(),
                "rests_on_unverified": None,
                "source": criterion.source.to_dict(),
                "indicators": [skeletons[n] for n in evaluator.members[k]],
            }
        )
    recognition: dict[str, Any] | None = None
    rec = evaluator.ruleset.recognition
    if rec is not None:
        recognition = {
            "name": rec.name.to_dict(),
            "status": None,
            "source": rec.source.to_dict(),
            "conditions": [skeletons[n] for n in evaluator.members[-1]],
        }
    parameters: dict[str, Any] = {}
    for plan in plans:
        for check in (*plan.applies_checks, *plan.checks):
            for name in check.params:
                param = context.params[name]
                parameters.setdefault(param.param.name, param.to_dict())
    axes = [a.to_dict() for a in context.axes]
    thin_criteria = [
        {
            "id": criterion.id,
            "status": None,
            "rests_on_unverified": None,
            "indicators": [_thin(skeletons[n]) for n in evaluator.members[k]],
        }
        for k, criterion in enumerate(evaluator.ruleset.criteria)
    ]
    thin_recognition = (
        None
        if rec is None
        else {"status": None, "conditions": [_thin(skeletons[n]) for n in evaluator.members[-1]]}
    )
    return Pieces(
        _fresh((axes, parameters, criteria, recognition)),
        _fresh((thin_criteria, thin_recognition)),
        tuple(rests_decided),
        tuple(rests_na),
    )


# what the standard and summary forms read (see .compact.detail)
_THIN_INDICATOR = ("id", "applicability", *INDICATOR_COLUMNS)
_THIN_CHECK = CHECK_COLUMNS


def _thin(indicator: dict[str, Any]) -> dict[str, Any]:
    """An indicator's skeleton without what is the same for every unit (its wording, source,
    the text and parameters of its checks): what the ``standard`` and ``summary`` forms read."""
    thin = {key: indicator[key] for key in _THIN_INDICATOR}
    for group in ("checks", "applicability"):
        thin[group] = [
            {key: [] if key in ("missing", "undefined") else check[key] for key in _THIN_CHECK}
            for check in indicator[group]
        ]
    thin["missing"], thin["undefined"] = [], []
    return thin


def _fresh(skeleton: Any) -> bytes:
    """``skeleton`` as marshal bytes; each load gives a wholly fresh copy of its containers,
    because none of them appears twice in it (marshal would then load one shared object)."""
    seen: set[int] = set()
    stack = [skeleton]
    while stack:
        item = stack.pop()
        if isinstance(item, dict | list | tuple):
            if id(item) in seen:
                raise AssertionError("a container appears twice in a result skeleton")
            seen.add(id(item))
            stack.extend(item.values() if isinstance(item, dict) else item)
    return marshal.dumps(skeleton)


def _indicator_skeleton(
    evaluator: Evaluator, plan: IndicatorPlan, context: Context
) -> dict[str, Any]:
    indicator = plan.indicator
    single = len(plan.checks) == 1
    return {
        "id": indicator.id,
        "name": indicator.name.to_dict(),
        "status": None,
        "value": None,
        "threshold": None,
        "comparison": plan.checks[0].op if single else None,
        "unit": evaluator.check_info[id(plan.checks[0])].unit if single else None,
        "margin": None,
        "missing": [],
        "undefined": [],
        "checks": [_check_skeleton(evaluator, c, context) for c in plan.checks],
        "applicability": [_check_skeleton(evaluator, c, context) for c in plan.applies_checks],
        "source": indicator.source.to_dict(),
        "verified": indicator.verified,
        "note": indicator.note,
        "defined_in": indicator.origin,
        "rests_on_unverified": None,
    }


def _check_skeleton(evaluator: Evaluator, check: Check, context: Context) -> dict[str, Any]:
    return {
        "check": check.text,
        "op": check.op,
        "value": None,
        "threshold": None,
        "unit": evaluator.check_info[id(check)].unit,
        "passed": None,
        "margin": None,
        "missing": [],
        "undefined": [],
        "parameters": [context.params[p].param.name for p in check.params],
    }


class UnitDetail:
    """One unit's detail as the engine left it (see the module docstring)."""

    __slots__ = (
        "_criteria",
        "_criterion_rests",
        "_indicator_rests",
        "_recognition",
        "context",
        "criterion_statuses",
        "evaluator",
        "fact",
        "recognition_status",
        "statuses",
        "undefined",
    )

    def __init__(
        self,
        evaluator: Evaluator,
        context: Context,
        fact: dict[str, Any],
        undefined: dict[str, str],
        statuses: list[str],
        criterion_statuses: tuple[str, ...],
        recognition_status: str | None,
    ) -> None:
        self.evaluator = evaluator
        self.context = context
        self.fact = fact
        self.undefined = undefined
        self.statuses = statuses
        self.criterion_statuses = criterion_statuses
        self.recognition_status = recognition_status
        self._criteria: tuple[CriterionResult, ...] | None = None
        self._recognition: RecognitionResult | None = None
        self._criterion_rests: list[bool] | None = None
        self._indicator_rests: list[bool] | None = None

    # -- objects ----------------------------------------------------------------------------
    def criteria(self) -> tuple[CriterionResult, ...]:
        if self._criteria is None:
            self._build()
        assert self._criteria is not None
        return self._criteria

    def recognition(self) -> RecognitionResult | None:
        if self._criteria is None:
            self._build()
        return self._recognition

    def _build(self) -> None:
        evaluator = self.evaluator
        plans = evaluator.compiled.indicators
        indicators = [
            self._indicator(plan, status) for plan, status in zip(plans, self.statuses, strict=True)
        ]
        self._criteria = tuple(
            CriterionResult(
                id=criterion.id,
                name=criterion.name,
                heading=criterion.heading,
                status=self.criterion_statuses[k],
                policy=criterion.policy.describe(),
                indicators=tuple(indicators[n] for n in evaluator.members[k]),
                source=criterion.source,
            )
            for k, criterion in enumerate(evaluator.ruleset.criteria)
        )
        rec = evaluator.ruleset.recognition
        if rec is not None:
            assert self.recognition_status is not None
            self._recognition = RecognitionResult(
                name=rec.name,
                status=self.recognition_status,
                conditions=tuple(indicators[n] for n in evaluator.members[-1]),
                source=rec.source,
            )

    def _indicator(self, plan: IndicatorPlan, status: str) -> IndicatorResult:
        checks = tuple(self._check(c) for c in plan.checks)
        applicability = tuple(self._check(c) for c in plan.applies_checks)
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

    def _check(self, check: Check) -> CheckResult:
        info = self.evaluator.check_info[id(check)]
        found = outcome(check, info, self.fact, self.undefined, self.context.param_values)
        params: tuple[ResolvedParam, ...] = tuple(self.context.params[p] for p in check.params)
        return CheckResult(
            text=check.text,
            op=check.op,
            value=found.value,
            threshold=found.threshold,
            unit=info.unit,
            passed=found.passed,
            margin=found.margin,
            params=params,
            missing=found.missing,
            undefined=found.undefined,
        )

    # -- decisions and their standing ------------------------------------------------------
    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return self.evaluator.criterion_ids

    def indicator_statuses(self) -> tuple[str, ...]:
        members = self.evaluator.members
        statuses = self.statuses
        return tuple(statuses[n] for k in range(len(self.criterion_statuses)) for n in members[k])

    def indicator_rests(self) -> list[bool]:
        """Whether each indicator's outcome rests on unverified values, in plan order."""
        if self._indicator_rests is None:
            shared = self.evaluator.pieces(self.context)
            rests = []
            for n, status in enumerate(self.statuses):
                if status == NOT_APPLICABLE:
                    rests.append(shared.rests_not_applicable[n])
                elif status in (MET, NOT_MET):
                    rests.append(shared.rests_decided[n])
                else:
                    rests.append(False)
            self._indicator_rests = rests
        return self._indicator_rests

    def criterion_rests(self) -> list[bool]:
        if self._criterion_rests is None:
            evaluator = self.evaluator
            statuses = self.statuses
            indicator_rests = self.indicator_rests()
            self._criterion_rests = [
                rests_on(
                    self.criterion_statuses[k],
                    criterion.policy.kind == "all",
                    [(statuses[n], indicator_rests[n]) for n in evaluator.members[k]],
                )
                for k, criterion in enumerate(evaluator.ruleset.criteria)
            ]
        return self._criterion_rests

    # -- the JSON form ---------------------------------------------------------------------
    def json_parts(
        self, thin: bool = False
    ) -> tuple[list[Any], dict[str, Any], list[Any], dict[str, Any] | None]:
        """Fresh ``axes``, ``parameters``, ``criteria`` and ``recognition`` of the result's
        JSON form; ``thin``: only what varies by unit (no parameters, wording or sources)."""
        evaluator = self.evaluator
        shared = evaluator.pieces(self.context)
        if thin:
            criteria, recognition = marshal.loads(shared.thin)
            axes, parameters = [a.to_dict() for a in self.context.axes], {}
        else:
            axes, parameters, criteria, recognition = marshal.loads(shared.skeleton)
        indicator_rests = self.indicator_rests()
        criterion_rests = self.criterion_rests()
        flat = [i for c in criteria for i in c["indicators"]]
        if recognition is not None:
            flat.extend(recognition["conditions"])
            recognition["status"] = self.recognition_status
        fact, undefined, param_values = self.fact, self.undefined, self.context.param_values
        for (applies, checks), status, rests, found in zip(
            evaluator.fill_plan, self.statuses, indicator_rests, flat, strict=True
        ):
            found["status"] = status
            found["rests_on_unverified"] = rests
            gaps: list[Outcome] = []
            if applies:
                _fill(applies, found["applicability"], fact, undefined, param_values, gaps)
            filled = found["checks"]
            _fill(checks, filled, fact, undefined, param_values, gaps)
            if len(filled) == 1:
                primary = filled[0]
                found["value"] = primary["value"]
                found["threshold"] = primary["threshold"]
                found["margin"] = primary["margin"]
            if status == MISSING:
                found["missing"] = list(dict.fromkeys(m for gap in gaps for m in gap.missing))
                found["undefined"] = [
                    u.to_dict() for u in dict.fromkeys(u for gap in gaps for u in gap.undefined)
                ]
        for k, criterion in enumerate(criteria):
            criterion["status"] = self.criterion_statuses[k]
            criterion["rests_on_unverified"] = criterion_rests[k]
        return axes, parameters, criteria, recognition

    # -- pickling and equality: as the objects ---------------------------------------------
    def __reduce__(self) -> tuple[Any, ...]:
        if PORTABLE:  # to a process that has the same evaluator: what the engine left
            ruleset = self.evaluator.ruleset
            return (
                _reattached,
                (
                    (ruleset.id, ruleset.content_hash),
                    self.context.key,
                    self.fact,
                    self.undefined,
                    self.statuses,
                    self.criterion_statuses,
                    self.recognition_status,
                ),
            )
        return (BuiltDetail, (self.criteria(), self.recognition()))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UnitDetail | BuiltDetail):
            return NotImplemented
        return (self.criteria(), self.recognition()) == (other.criteria(), other.recognition())

    def __hash__(self) -> int:
        return hash((self.criteria(), self.recognition()))


PORTABLE = False
"""Set in :mod:`.batch`'s worker processes: a pickled detail is what the engine left, attached
again to the evaluator of the process that reads it (its results come back lazy). Elsewhere a
pickled result carries its objects, to be read anywhere."""


def _reattached(*args: Any) -> UnitDetail:
    from .evaluation import reattached

    return reattached(*args)


@attrs.frozen(eq=False)
class BuiltDetail:
    """A unit's detail as objects (a result that was pickled and read back)."""

    built_criteria: tuple[CriterionResult, ...]
    built_recognition: RecognitionResult | None

    @property
    def criterion_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.built_criteria)

    @property
    def criterion_statuses(self) -> tuple[str, ...]:
        return tuple(c.status for c in self.built_criteria)

    @property
    def recognition_status(self) -> str | None:
        return self.built_recognition.status if self.built_recognition else None

    def criterion_rests(self) -> list[bool]:
        return [c.rests_on_unverified for c in self.built_criteria]

    def indicator_statuses(self) -> tuple[str, ...]:
        return tuple(i.status for c in self.built_criteria for i in c.indicators)

    def criteria(self) -> tuple[CriterionResult, ...]:
        return self.built_criteria

    def recognition(self) -> RecognitionResult | None:
        return self.built_recognition

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, UnitDetail | BuiltDetail):
            return NotImplemented
        return (self.criteria(), self.recognition()) == (other.criteria(), other.recognition())

    def __hash__(self) -> int:
        return hash((self.built_criteria, self.built_recognition))
