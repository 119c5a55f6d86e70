"""A plain-Python evaluator of a ruleset, with no rule engine: the speed baseline.

It decides the same statuses as :class:`ntm_rules.Evaluator` (indicator, criterion, level and
recognition) by evaluating every condition with :func:`ntm_rules.expr.evaluate` on the
parameters in force, and builds no explanation. It mirrors the compiled rules' semantics:

* an indicator is ``missing`` when any name its condition (or its ``applies_if``) reads has no
  value, including a parameter left to the province, or when a division by zero occurs;
* ``not_applicable`` when ``applies_if`` is false, ``met``/``not_met`` otherwise;
* criteria follow their policy (``all``, ``any``, ``at_least k``) over the indicators that apply;
* the level is met when every criterion is met, not met when one is not met, else missing.

``tests/oracle.py`` (when present) is the test suite's independent oracle; this module is kept
apart so that the benchmark does not depend on the tests' layout.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from ntm_rules.expr import Expr, MissingValueError, names_in
from ntm_rules.expr import evaluate as evaluate_expr
from ntm_rules.result import MET, MISSING, NOT_APPLICABLE, NOT_MET
from ntm_rules.ruleset.model import Indicator, Policy, Ruleset
from ntm_rules.ruleset.resolve import choose_axes, resolve_params


class Outcome(NamedTuple):
    """The statuses of one unit, in ruleset order."""

    level: str
    criteria: tuple[str, ...]
    indicators: tuple[str, ...]  # criteria's indicators, then recognition conditions
    recognition: str | None


class _Plan(NamedTuple):
    condition: Expr
    condition_names: tuple[str, ...]
    applies_if: Expr | None
    applies_names: tuple[str, ...]
    group: int  # criterion index, -1 for a recognition condition


class Baseline:
    """Evaluate model instances of ``ruleset.model`` with plain Python."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self._plans: list[_Plan] = []
        groups: list[tuple[int, Indicator]] = [
            (k, ind) for k, crit in enumerate(ruleset.criteria) for ind in crit.indicators
        ]
        if ruleset.recognition:
            groups += [(-1, ind) for ind in ruleset.recognition.conditions]
        inputs: dict[str, None] = {}
        for group, indicator in groups:
            cond = _names(indicator.condition)
            applies = _names(indicator.applies_if) if indicator.applies_if is not None else ()
            inputs.update((n, None) for n in (*cond, *applies) if not n.startswith("param."))
            self._plans.append(
                _Plan(indicator.condition, cond, indicator.applies_if, applies, group)
            )
        self._inputs = tuple(inputs)
        self._axis_inputs = tuple(
            dict.fromkeys(
                n.dotted
                for axis in ruleset.axes.values()
                for rule in axis.rules
                for expr in (rule.when, rule.value)
                for n in names_in(expr)
            )
        )
        self._params: dict[tuple[Any, ...], dict[str, Any]] = {}

    def evaluate(self, record: Any, year: int | None = None) -> Outcome:
        on = dt.date(year if year is not None else record.year, 12, 31)
        scope = dict(self._param_values(record, on))
        for name in self._inputs:
            scope[name] = getattr(record, name)
        statuses = tuple(self._status(plan, scope) for plan in self._plans)
        criteria = tuple(
            _policy_status(
                criterion.policy,
                [s for s, p in zip(statuses, self._plans, strict=True) if p.group == k],
            )
            for k, criterion in enumerate(self.ruleset.criteria)
        )
        if all(c == MET for c in criteria):
            level = MET
        elif NOT_MET in criteria:
            level = NOT_MET
        else:
            level = MISSING
        recognition = None
        if self.ruleset.recognition:
            recognition = _policy_status(
                Policy("all"),
                [s for s, p in zip(statuses, self._plans, strict=True) if p.group == -1],
            )
        return Outcome(level, criteria, statuses, recognition)

    def _param_values(self, record: Any, on: dt.date) -> dict[str, Any]:
        axis_values = {name: getattr(record, name) for name in self._axis_inputs}
        key = (on, *axis_values.values())
        found = self._params.get(key)
        if found is None:
            axes = choose_axes(self.ruleset, axis_values, f"code {record.code}")
            params = resolve_params(self.ruleset, on, axes)
            found = self._params[key] = {f"param.{n}": p.value for n, p in params.items()}
        return found

    @staticmethod
    def _status(plan: _Plan, scope: dict[str, Any]) -> str:
        if plan.applies_if is not None:
            if any(scope.get(n) is None for n in plan.applies_names):
                return MISSING
            try:
                if not evaluate_expr(plan.applies_if, scope):
                    return NOT_APPLICABLE
            except (MissingValueError, ZeroDivisionError):
                return MISSING
        if any(scope.get(n) is None for n in plan.condition_names):
            return MISSING
        try:
            return MET if evaluate_expr(plan.condition, scope) else NOT_MET
        except (MissingValueError, ZeroDivisionError):
            return MISSING


def _names(expr: Expr) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.dotted for n in names_in(expr)))


def _policy_status(policy: Policy, statuses: list[str]) -> str:
    met = statuses.count(MET)
    failed = statuses.count(NOT_MET)
    missing = statuses.count(MISSING)
    if policy.kind == "all":
        if failed:
            return NOT_MET
        return MISSING if missing else MET
    if policy.kind == "any":
        if met:
            return MET
        return MISSING if missing else NOT_MET
    if met >= policy.k:
        return MET
    return MISSING if met + missing >= policy.k else NOT_MET


def outcome_of(result: Any) -> Outcome:
    """The same statuses read from an :class:`ntm_rules.EvaluationResult`, for comparison."""
    indicators = [i.status for c in result.criteria for i in c.indicators]
    recognition = None
    if result.recognition is not None:
        indicators += [i.status for i in result.recognition.conditions]
        recognition = result.recognition.status
    return Outcome(
        result.status,
        tuple(c.status for c in result.criteria),
        tuple(indicators),
        recognition,
    )
