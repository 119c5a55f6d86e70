"""Compile a ruleset into one durable-rules ruleset plus the plan to build facts for it.

Thresholds are not baked into the rules: every comparison reads its threshold from a *slot* of
the fact (``{"$gte": {"i_x": {"$m": "s3"}}}``), filled per unit from the parameters in force.
One compiled ruleset therefore serves every region, year and provincial override.

Units are evaluated in batches of up to :data:`BATCH`, each batch in its own session, in two
stages; every fact starts with its unit's number ``u`` within the batch:

* the **chunk facts**: for every chunk of :data:`CHUNK` indicators, one fact with the chunk's
  marker and the inputs and slots those indicators read; for every indicator exactly one of its
  rules ``<n>.met``, ``<n>.not_met``, ``<n>.missing`` or ``<n>.not_applicable`` fires;
* the **summary fact**: per criterion the number of indicators met / not met / missing, and
  whether the prerequisite level is held; one of ``c<k>.met``, ``c<k>.not_met``,
  ``c<k>.missing`` fires per criterion, ``level.met`` when all criteria are met and the
  prerequisite (if any) is held, and the same three for the recognition conditions.

Every rule has ``cap`` = :data:`BATCH`: the engine gathers all the units a rule fired for into
one action, so a batch costs a few dozen engine calls, not a few per unit.

Every rule is anchored to a marker field only these facts carry, so the engine's own session
state can never match a rule (an infinite-loop hazard of durable-rules).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs

from ..errors import RulesetError
from ..expr import And, Compare, Expr, In, Literal, Name, Not, Or, names_in
from ..expr.ast import to_source
from ..ruleset.model import Criterion, Indicator, Ruleset
from ..text import Text
from . import limits

CHUNK = 6  # indicators per marker: keeps durable's alpha-node stack (64 deep) far from full
BATCH = 100  # units per session at most (benchmarks/bench_engine.py measures the choice)
SUMMARY_MARKER = "sm"
PREREQUISITE = "pq"

_INVERSE = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}
_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
_DURABLE_OP = {"<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte", "!=": "$neq"}

Json = dict[str, Any]


@attrs.frozen
class Operand:
    """One side of a comparison: an input field, a computed slot or a literal."""

    kind: str  # input | slot | literal
    prop: str | None  # fact property for input and slot
    value: Any  # for literals (a tuple of values for `in`)
    expr: Expr


@attrs.frozen
class Check:
    """One comparison inside a condition, kept for explanations."""

    text: str
    op: str
    left: Operand
    right: Operand
    params: tuple[str, ...]  # parameters the comparison reads


@attrs.frozen
class Slot:
    prop: str
    expr: Expr
    per_unit: bool  # True: depends on inputs (a measure); False: parameters only (a threshold)


@attrs.frozen
class IndicatorPlan:
    key: str  # rule-name prefix, e.g. "i12"
    indicator: Indicator
    criterion: int  # index of its criterion, or -1 for a recognition condition
    checks: tuple[Check, ...]
    applies_checks: tuple[Check, ...]
    props: tuple[str, ...]  # fact properties it reads


@attrs.frozen
class CompiledRuleset:
    ruleset: Ruleset
    name: str  # durable ruleset name (content addressed)
    rules: Json
    input_props: tuple[tuple[str, str], ...]  # (input field, fact property)
    slots: tuple[Slot, ...]
    indicators: tuple[IndicatorPlan, ...]
    markers: tuple[str, ...]
    chunk_props: tuple[tuple[str, ...], ...]  # per marker: the properties its indicators read
    max_properties: int

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return self.ruleset.criteria


def compile_ruleset(ruleset: Ruleset) -> CompiledRuleset:
    return _Compiler(ruleset).compile()


class _Compiler:
    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.inputs: dict[str, str] = {}
        self.slots: dict[str, Slot] = {}
        self.rules: Json = {}

    def compile(self) -> CompiledRuleset:
        plans: list[IndicatorPlan] = []
        numbered: list[tuple[int, Indicator]] = [  # (criterion index or -1, indicator)
            (k, ind) for k, crit in enumerate(self.ruleset.criteria) for ind in crit.indicators
        ]
        if self.ruleset.recognition:
            numbered += [(-1, ind) for ind in self.ruleset.recognition.conditions]
        markers: list[str] = []  # one per chunk of CHUNK indicators
        for n, (criterion, indicator) in enumerate(numbered):
            if n % CHUNK == 0:
                markers.append(f"g{len(markers)}")
            plans.append(self.indicator(f"i{n}", criterion, indicator, markers[-1]))
        self.summary_rules()
        self.rules["catch_all"] = _rule([_any([{"$ex": {marker: 1}} for marker in markers])])
        self.rules["catch_all_summary"] = _rule([{"$ex": {SUMMARY_MARKER: 1}}])
        for rule in self.rules.values():
            rule["cap"] = BATCH  # one action gathers every unit the rule fired for
        chunk_props = tuple(
            tuple(dict.fromkeys(p for plan in plans[n : n + CHUNK] for p in plan.props))
            for n in range(0, len(plans), CHUNK)
        )
        max_props = 4 + max(len(props) for props in chunk_props)  # unit, session, id, marker
        self.check_limits(plans, max_props)
        digest = hashlib.sha256(json.dumps(self.rules, sort_keys=True).encode()).hexdigest()
        return CompiledRuleset(
            ruleset=self.ruleset,
            name=f"ntm_{digest[:24]}",
            rules=self.rules,
            input_props=tuple(self.inputs.items()),
            slots=tuple(self.slots.values()),
            indicators=tuple(plans),
            markers=tuple(markers),
            chunk_props=chunk_props,
            max_properties=max_props,
        )

    # -- the engine's limits ----------------------------------------------------------------
    def check_limits(self, plans: list[IndicatorPlan], unit_values: int) -> None:
        """Refuse a ruleset that could reach one of durable-rules' limits at evaluation."""
        rs = self.ruleset
        summary_values = 5 + 4 * (len(rs.criteria) + 1)  # u, sid, id, sm, pq; m/f/x/p each
        found = limits.measure(self.rules)
        problems = limits.violations(found, {"unit": unit_values, "summary": summary_values})
        if not problems:
            return
        problem = problems[0]
        value, maximum = problem.value, problem.maximum
        count = len(plans)
        blamed: Indicator | None = None
        if problem.limit == "expressions" and problem.rule and problem.rule.startswith("i"):
            blamed = plans[int(problem.rule[1:].split(".")[0])].indicator
            message = Text(
                vi=f"điều kiện quá phức tạp với bộ máy luật: {value} biểu thức trong một luật "
                f"(giới hạn {maximum}; mỗi nhóm and/or tính 2, phép phủ định và phép kiểm tra "
                "thiếu dữ liệu của nó cũng được tính). Hãy tách thành nhiều chỉ tiêu",
                en=f"condition too complex for the rule engine: {value} expressions in one rule "
                f"(limit {maximum}; each and/or group counts 2, its negation and the "
                "missing-data test count too). Split it into several indicators",
            )
        elif problem.limit == "fact_values" and problem.rule == "summary":
            message = Text(
                vi=f"{len(rs.criteria)} tiêu chí cần {value} giá trị trong bản tổng hợp của bộ "
                f"máy luật; giới hạn là {maximum} (4 cho mỗi tiêu chí): hãy tách bộ tiêu chí",
                en=f"{len(rs.criteria)} criteria need {value} values in the rule engine's summary "
                f"fact; it allows {maximum} (4 per criterion): split the ruleset",
            )
        elif problem.limit == "fact_values":
            message = Text(
                vi=f"bộ tiêu chí cần {value} giá trị trong một bản ghi của bộ máy luật (dữ liệu "
                f"vào và ngưỡng đã tính mà một khối {CHUNK} chỉ tiêu đọc); giới hạn là {maximum}. "
                "Hãy tách bộ tiêu chí",
                en=f"ruleset needs {value} values in one fact (the inputs and computed thresholds "
                f"a chunk of {CHUNK} indicators reads); the rule engine allows {maximum}. "
                "Split the ruleset",
            )
        elif problem.limit == "rules":
            message = Text(
                vi=f"bộ tiêu chí biên dịch thành {value} luật ({count} chỉ tiêu); bộ máy luật "
                f"cho phép {maximum}. Hãy tách bộ tiêu chí",
                en=f"ruleset compiles to {value} rules ({count} indicators); the rule engine "
                f"allows {maximum}. Split the ruleset",
            )
        else:
            blamed = _widest_chunk(plans)
            what = {
                "stack": Text(
                    vi="phép kiểm tra chờ khi khớp một đơn vị (ngăn xếp 64 của bộ máy)",
                    en="tests pending while one unit is matched (engine stack of 64)",
                ),
                "nex_children": Text(
                    vi="phép kiểm tra thiếu giá trị dưới một phép kiểm tra (danh sách 127)",
                    en="missing-value tests under one test (engine list of 127)",
                ),
                "children": Text(
                    vi="phép kiểm tra dưới một phép kiểm tra (bảng 511 của bộ máy)",
                    en="tests under one test (engine table of 511)",
                ),
                "rules_per_test": Text(
                    vi="luật kết thúc ở một phép kiểm tra (danh sách 255 của bộ máy)",
                    en="rules ending at one test (engine list of 255)",
                ),
            }[problem.limit]
            message = Text(
                vi=f"bộ tiêu chí quá lớn với bộ máy luật: tới {value} {what.vi}, giới hạn "
                f"{maximum}; {count} chỉ tiêu, khớp theo khối {CHUNK} chỉ tiêu (khối lớn nhất bắt đầu ở "
                f"chỉ tiêu {blamed.id}). Hãy tách bộ tiêu chí hoặc rút gọn các điều kiện dùng "
                "nhiều dữ liệu vào nhất",
                en=f"ruleset too large for the rule engine: up to {value} {what.en}, limit "
                f"{maximum}; {count} indicators, matched in chunks of {CHUNK} (the largest "
                f"starts with indicator {blamed.id}). Split the ruleset or simplify the "
                "conditions with the most inputs",
            )
        if blamed is not None and problem.limit == "expressions":
            raise RulesetError(
                message,
                file=blamed.file or rs.file,
                line=blamed.line,
                key=f"indicator {blamed.id}",
            )
        raise RulesetError(message, file=rs.file)

    # -- operands --------------------------------------------------------------------------
    def operand(self, expr: Expr) -> Operand:
        if isinstance(expr, Literal):
            return Operand("literal", None, expr.value, expr)
        if isinstance(expr, Name) and not expr.is_param:
            prop = self.inputs.setdefault(expr.dotted, f"i_{expr.dotted}")
            return Operand("input", prop, None, expr)
        key = to_source(expr)
        slot = self.slots.get(key)
        if slot is None:
            per_unit = any(not n.is_param for n in names_in(expr))
            for name in names_in(expr):
                if not name.is_param:
                    self.inputs.setdefault(name.dotted, f"i_{name.dotted}")
            slot = Slot(f"s{len(self.slots)}", expr, per_unit)
            self.slots[key] = slot
        return Operand("slot", slot.prop, None, expr)

    def checks(self, expr: Expr, indicator: Indicator) -> tuple[Check, ...]:
        if isinstance(expr, And | Or):
            return tuple(c for item in expr.items for c in self.checks(item, indicator))
        if isinstance(expr, Not):
            return self.checks(expr.operand, indicator)
        if isinstance(expr, Compare):
            left, right = self.operand(expr.left), self.operand(expr.right)
            if left.kind == "literal" and right.kind == "literal":
                shown = to_source(expr)
                raise self.error(
                    indicator,
                    Text(
                        vi=f"'{shown}' so sánh hai hằng số", en=f"'{shown}' compares two constants"
                    ),
                )
            return (Check(to_source(expr), expr.op, left, right, _params(expr)),)
        if isinstance(expr, In):
            left = self.operand(expr.left)
            if left.kind == "literal":
                shown = to_source(expr)
                raise self.error(
                    indicator,
                    Text(vi=f"'{shown}' kiểm tra một hằng số", en=f"'{shown}' tests a constant"),
                )
            values = tuple(item.value for item in expr.items.items)
            op = "not in" if expr.negated else "in"
            right = Operand("literal", None, values, expr.items)
            return (Check(to_source(expr), op, left, right, _params(expr)),)
        if isinstance(expr, Name):
            return (
                Check(
                    expr.dotted, "==", self.operand(expr), Operand("literal", None, True, expr), ()
                ),
            )
        shown = to_source(expr)
        raise self.error(
            indicator,
            Text(vi=f"'{shown}' là một điều kiện hằng", en=f"'{shown}' is a constant condition"),
        )

    def error(self, indicator: Indicator, message: Text) -> RulesetError:
        return RulesetError(message, file=self.ruleset.file, key=f"indicator {indicator.id}")

    # -- lowering to durable JSON ----------------------------------------------------------
    def lower(self, expr: Expr, negate: bool = False) -> Json:
        if isinstance(expr, And | Or):
            use_and = isinstance(expr, And) != negate
            items = [self.lower(item, negate) for item in expr.items]
            return {"$and" if use_and else "$or": items}
        if isinstance(expr, Not):
            return self.lower(expr.operand, not negate)
        if isinstance(expr, Name):
            prop = self.operand(expr).prop
            assert prop is not None
            return {prop: not negate}
        if isinstance(expr, In):
            prop = self.operand(expr.left).prop
            assert prop is not None
            values = [item.value for item in expr.items.items]
            if expr.negated != negate:
                return _all([{"$neq": {prop: v}} for v in values])
            return _any([{prop: v} for v in values])
        assert isinstance(expr, Compare)
        left, right = self.operand(expr.left), self.operand(expr.right)
        op = _INVERSE[expr.op] if negate else expr.op
        if left.kind == "literal":
            left, right, op = right, left, _FLIP[op]
        assert left.prop is not None
        value: Any = right.value if right.kind == "literal" else {"$m": right.prop}
        if op == "==":
            return {left.prop: value}
        return {_DURABLE_OP[op]: {left.prop: value}}

    def indicator(
        self, key: str, criterion: int, indicator: Indicator, marker: str
    ) -> IndicatorPlan:
        anchor = {"$ex": {marker: 1}}
        checks = self.checks(indicator.condition, indicator)
        cond_props = _props(checks)
        applies_checks: tuple[Check, ...] = ()
        guard: list[Json] = []
        missing: list[Json] = [{"$nex": {p: 1}} for p in cond_props]
        if indicator.applies_if is not None:
            applies_checks = self.checks(indicator.applies_if, indicator)
            applies_props = _props(applies_checks)
            present = [{"$ex": {p: 1}} for p in applies_props]
            guard = [*present, self.lower(indicator.applies_if)]
            self.rules[f"{key}.not_applicable"] = _rule(
                [anchor, *present, self.lower(indicator.applies_if, negate=True)]
            )
            missing = [{"$nex": {p: 1}} for p in applies_props] + [_all([*guard, _any(missing)])]
        present = [{"$ex": {p: 1}} for p in cond_props]
        self.rules[f"{key}.met"] = _rule(
            [anchor, *guard, *present, self.lower(indicator.condition)]
        )
        self.rules[f"{key}.not_met"] = _rule(
            [anchor, *guard, *present, self.lower(indicator.condition, negate=True)]
        )
        self.rules[f"{key}.missing"] = _rule([anchor, _any(missing)])
        return IndicatorPlan(
            key=key,
            indicator=indicator,
            criterion=criterion,
            checks=checks,
            applies_checks=applies_checks,
            props=tuple(dict.fromkeys((*_props(applies_checks), *cond_props))),
        )

    def summary_rules(self) -> None:
        anchor = {"$ex": {SUMMARY_MARKER: 1}}
        level: list[Json] = []
        for k, criterion in enumerate(self.ruleset.criteria):
            conditions = _policy_conditions(f"c{k}", criterion.policy.kind, criterion.policy.k)
            for status, condition in conditions.items():
                self.rules[f"c{k}.{status}"] = _rule([anchor, *condition])
            level.extend(conditions["met"])
        if self.ruleset.requires is not None:
            level.append(
                {PREREQUISITE: 1}
            )  # 1 when the lower level is held (computed or recognised)
        self.rules["level.met"] = _rule([anchor, *level])
        if self.ruleset.recognition:
            for status, condition in _policy_conditions("r", "all", 0).items():
                self.rules[f"r.{status}"] = _rule([anchor, *condition])


def _widest_chunk(plans: list[IndicatorPlan]) -> Indicator:
    """The first indicator of the chunk of :data:`CHUNK` indicators reading the most values."""
    chunks = [plans[n : n + CHUNK] for n in range(0, len(plans), CHUNK)]
    widest = max(chunks, key=lambda chunk: len({p for plan in chunk for p in plan.props}))
    return widest[0].indicator


def _policy_conditions(prefix: str, kind: str, k: int) -> dict[str, list[Json]]:
    """Conditions on the counts met (``m``), not met (``f``), missing (``x``) and met-or-missing
    (``p``) that decide a criterion's status under its policy."""
    m, f, x, p = (f"{prefix}{s}" for s in ("m", "f", "x", "p"))
    if kind == "all":
        return {
            "met": [{f: 0}, {x: 0}],
            "not_met": [{"$gt": {f: 0}}],
            "missing": [{f: 0}, {"$gt": {x: 0}}],
        }
    if kind == "any":
        return {
            "met": [{"$gt": {m: 0}}],
            "not_met": [{m: 0}, {x: 0}],
            "missing": [{m: 0}, {"$gt": {x: 0}}],
        }
    return {
        "met": [{"$gte": {m: k}}],
        "not_met": [{"$lt": {p: k}}],
        "missing": [{"$lt": {m: k}}, {"$gte": {p: k}}],
    }


def _props(checks: tuple[Check, ...]) -> tuple[str, ...]:
    props: dict[str, None] = {}
    for check in checks:
        for side in (check.left, check.right):
            if side.prop is not None:
                props[side.prop] = None
    return tuple(props)


def _params(expr: Expr) -> tuple[str, ...]:
    return tuple(dict.fromkeys(".".join(n.parts[1:]) for n in names_in(expr) if n.is_param))


def _all(items: list[Json]) -> Json:
    return items[0] if len(items) == 1 else {"$and": items}


def _any(items: list[Json]) -> Json:
    return items[0] if len(items) == 1 else {"$or": items}


def _rule(conditions: list[Json]) -> Json:
    return {"all": [{"m": _all(conditions)}]}
