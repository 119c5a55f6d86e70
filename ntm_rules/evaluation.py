"""Evaluating units against a ruleset: the public entry points.

>>> from ntm_rules import evaluate
>>> result = evaluate("vn.commune.ntm.2021", {"code": "X1", "region": "tdmnpb", "year": 2024})
>>> result.status, result.criteria_met
('missing', 0)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .bounds import in_range
from .detail import CheckInfo, Pieces, UnitDetail, fill_plan, pieces
from .engine.compiler import BATCH, PREREQUISITE, SUMMARY_MARKER, CompiledRuleset, compile_ruleset
from .engine.durable_host import Fired, register, run_batch
from .engine.wire import check_flat
from .errors import EngineError, EvaluationError, NtmRulesError, RulesetError, say_label
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
    EvaluationResult,
    PrerequisiteResult,
    RulesetRef,
    UnitRef,
)
from .ruleset.files import Watch, find_ruleset_file, watch
from .ruleset.loader import load_ruleset
from .ruleset.model import Indicator, Ruleset
from .ruleset.registry import get_ruleset
from .ruleset.resolve import AxisChoice, ResolvedParam, choose_axes, resolve_params
from .ruleset.search import is_installed_copy, search_key
from .text import Text


@attrs.frozen
class Context:
    """Everything that depends only on the assessment date and the axis choices."""

    axes: tuple[AxisChoice, ...]
    params: dict[str, ResolvedParam]
    thresholds: dict[str, Any]  # slot property -> value (open parameters left out)
    param_values: dict[str, float | None]  # "param.x" -> value
    key: tuple[Any, ...]  # the date, then the value of each axis input
    shared: list[Pieces] = attrs.field(factory=list, eq=False)  # its results' pieces, once built


@attrs.frozen
class _Unit:
    """A unit admitted for evaluation: its record, date, label and everything the engine gets."""

    record: Any
    on: dt.date
    label: str
    context: Context
    fact: dict[str, Any]  # fact property -> value, for the values present
    undefined: dict[str, str]  # computed values that do not exist: slot property -> why
    positional: bool  # a value of the fact must be sent in positional notation (see .wire)


class Evaluator:
    """A ruleset compiled once, ready to evaluate any number of units, from any thread."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.compiled: CompiledRuleset = compile_ruleset(ruleset)
        self._handle = register(self.compiled.name, self.compiled.rules)
        self._contexts: dict[tuple[Any, ...], Context] = {}  # no lock: a race computes twice
        self.axis_inputs = tuple(  # the inputs that choose a unit's row of each threshold table
            dict.fromkeys(
                [
                    *(
                        n.dotted
                        for axis in ruleset.axes.values()
                        for rule in axis.rules
                        for expr in (rule.when, rule.value)
                        for n in names_in(expr)
                    ),
                    *(axis.field for axis in ruleset.axes.values() if axis.field),
                ]
            )
        )
        self._units = {spec.name: spec.unit for spec in field_specs(ruleset.model)}
        self._units.update({f"param.{n}": p.unit for n, p in ruleset.parameters.items()})
        self._measures = tuple(s for s in self.compiled.slots if s.per_unit)
        self._rule_index: dict[str, tuple[int, str]] = {}
        for n, plan in enumerate(self.compiled.indicators):
            for status in (MET, NOT_MET, MISSING, NOT_APPLICABLE):
                self._rule_index[f"{plan.key}.{status}"] = (n, status)
        self._slot_users: dict[str, Indicator] = {}  # threshold slot -> first indicator using it
        for plan in self.compiled.indicators:
            for check in (*plan.applies_checks, *plan.checks):
                for side in (check.left, check.right):
                    if side.kind == "slot" and side.prop is not None:
                        self._slot_users.setdefault(side.prop, plan.indicator)
        # what explanations need about each check, worked out once rather than per unit
        self.check_info = {
            id(check): CheckInfo(
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
        self.fill_plan = fill_plan(self.compiled.indicators, self.check_info)
        self.members: dict[int, tuple[int, ...]] = {  # criterion index (-1: recognition)
            k: tuple(n for n, p in enumerate(self.compiled.indicators) if p.criterion == k)
            for k in (*range(len(ruleset.criteria)), -1)
        }
        self.criterion_ids = tuple(c.id for c in ruleset.criteria)
        self._summary_counts = tuple(  # summary fact prefix, indicators counted under it
            ("r" if k == -1 else f"c{k}", members) for k, members in self.members.items()
        )
        self._chunks = tuple(zip(self.compiled.markers, self.compiled.chunk_props, strict=True))
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
        return self._evaluate([record], year, on, label)[0]

    def evaluate_many(
        self, records: Iterable[Any], *, year: int | None = None, on: dt.date | None = None
    ) -> list[EvaluationResult]:
        """Evaluate units in input order, :data:`BATCH` to a rule engine session. An error
        names its record; it is the error of the first bad record, as in a loop of
        :meth:`evaluate`."""
        results: list[EvaluationResult] = []
        batch: list[Any] = []
        for record in records:
            batch.append(record)
            if len(batch) == BATCH:
                results.extend(self._evaluate(batch, year, on, None))
                batch = []
        results.extend(self._evaluate(batch, year, on, None))
        return results

    def prepare(self, record: Any, *, on: dt.date) -> None:
        """Choose ``record``'s row of every threshold table and compute every threshold in force
        on ``on`` (cached for later evaluations); a threshold that cannot be computed from the
        parameters is a :class:`RulesetError` at its indicator."""
        if isinstance(record, Mapping):
            record = structure(self.ruleset.model, record, _label(record))
        self._context(record, on, f"code {record.code}")

    def pieces(self, context: Context) -> Pieces:
        """What every result on ``context`` shares (built once per context)."""
        if not context.shared:
            context.shared.append(pieces(self, context))
        return context.shared[0]

    # -- a batch ---------------------------------------------------------------------------
    def _evaluate(
        self, records: list[Any], year: int | None, on: dt.date | None, label: str | None
    ) -> list[EvaluationResult]:
        units: list[_Unit] = []
        failure: NtmRulesError | None = None
        for record in records:
            try:
                units.append(self._admit(record, year, on, label))
            except NtmRulesError as exc:
                failure = exc  # the units before it are still evaluated: their errors come first
                break
        results = self._decide(units)
        if failure is not None:
            raise failure
        return results

    def _admit(self, record: Any, year: int | None, on: dt.date | None, label: str | None) -> _Unit:
        """Check a record and build what the engine is given for it."""
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
        context = self._context(record, on, label)
        fact, undefined = self._unit_fact(record, context)
        return _Unit(record, on, label, context, fact, undefined, check_flat(fact))

    def _decide(self, units: list[_Unit]) -> list[EvaluationResult]:
        """Run the engine on up to :data:`BATCH` admitted units in one session."""
        if not units:
            return []
        prerequisites = self._prerequisites(units)
        statuses: list[list[str]] = []

        def summarise(fired: Fired) -> list[dict[str, Any]]:
            statuses.extend(self._indicator_statuses(fired, units))
            summaries = []
            for u, found in enumerate(statuses):
                summary = self._summary_fact(u, found)
                prerequisite = prerequisites[u]
                if prerequisite is not None and prerequisite.status != MISSING:
                    summary[PREREQUISITE] = 1 if prerequisite.status == MET else 0
                summaries.append(summary)
            return summaries

        vouched = not any(unit.positional for unit in units)  # summaries are small counts
        _, fired = run_batch(self._handle, self._chunk_facts(units), summarise, vouched=vouched)
        decided = self._decisions(fired, units)
        return [
            self._result(unit, statuses[u], decided[u], prerequisites[u])
            for u, unit in enumerate(units)
        ]

    def _prerequisites(self, units: list[_Unit]) -> list[PrerequisiteResult | None]:
        required = self.ruleset.requires
        if required is None or self._lower is None:
            return [None] * len(units)
        lower = [self._lower._admit(u.record, None, u.on, u.label) for u in units]
        found: list[PrerequisiteResult | None] = []
        for unit, computed in zip(units, self._lower._decide(lower), strict=True):
            record = unit.record
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
            found.append(
                PrerequisiteResult(
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
            )
        return found

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

    def _context(self, record: Any, on: dt.date, label: str) -> Context:
        axis_values = {name: getattr(record, name) for name in self.axis_inputs}
        return self.context_of(on, axis_values, label)

    def context_of(self, on: dt.date, axis_values: dict[str, Any], label: str) -> Context:
        """The thresholds and parameters in force on ``on`` for these axis inputs (cached)."""
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
        context = Context(tuple(axes.values()), params, thresholds, param_values, key)
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
    def _unit_fact(self, record: Any, context: Context) -> tuple[dict[str, Any], dict[str, str]]:
        """The unit fact, and the measures that do not exist for this unit (why, by slot)."""
        fact: dict[str, Any] = dict(context.thresholds)
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

    def _chunk_facts(self, units: list[_Unit]) -> list[dict[str, Any]]:
        """Per unit, one fact per chunk of indicators with the values they read."""
        facts = []
        chunks = self._chunks
        for u, unit in enumerate(units):
            fact = unit.fact
            for marker, props in chunks:
                chunk: dict[str, Any] = {"u": u, marker: 1}
                for prop in props:
                    if prop in fact:
                        chunk[prop] = fact[prop]
                facts.append(chunk)
        return facts

    def _indicator_statuses(self, fired: Fired, units: list[_Unit]) -> list[list[str]]:
        count = len(self.compiled.indicators)
        found: list[list[str | None]] = [[None] * count for _ in units]
        index = self._rule_index
        clash: tuple[int, int, str] | None = None
        for name, fired_for in fired:
            hit = index.get(name)
            if hit is None:
                continue
            n, status = hit
            for u in fired_for:
                row = found[u]
                if row[n] is not None and row[n] != status:
                    clash = min(clash or (u, n, status), (u, n, status))
                row[n] = status
        for u, row in enumerate(found):
            if clash is not None and clash[0] == u:
                n, status = clash[1], clash[2]
                ind, label = self.compiled.indicators[n].indicator.id, units[u].label
                raise EngineError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}: chỉ tiêu {ind} vừa {row[n]} "
                        f"vừa {status}",
                        en=f"record {label}: indicator {ind} is both {row[n]} and {status}",
                    )
                )
            if None in row:
                ind = self.compiled.indicators[row.index(None)].indicator.id
                label = units[u].label
                raise EngineError(
                    Text(
                        vi=f"bản ghi {say_label(label, 'vi')}: không luật nào quyết định chỉ tiêu "
                        f"{ind}",
                        en=f"record {label}: no rule decided indicator {ind}",
                    )
                )
        return found  # type: ignore[return-value]

    def _summary_fact(self, u: int, statuses: list[str]) -> dict[str, Any]:
        fact: dict[str, Any] = {"u": u, SUMMARY_MARKER: 1}
        for prefix, members in self._summary_counts:
            found = [statuses[n] for n in members]
            met, missing = found.count(MET), found.count(MISSING)
            fact[f"{prefix}m"], fact[f"{prefix}f"] = met, found.count(NOT_MET)
            fact[f"{prefix}x"], fact[f"{prefix}p"] = missing, met + missing
        return fact

    def _decisions(self, fired: Fired, units: list[_Unit]) -> list[dict[str, str]]:
        """Per unit: criterion (``c<k>``), recognition (``r``) and level statuses decided."""
        decided: list[dict[str, str]] = [{} for _ in units]
        clashes: list[tuple[int, str, str]] = []
        for name, fired_for in fired:
            prefix, _, status = name.partition(".")
            if not status:
                continue  # the catch-all
            for u in fired_for:
                if decided[u].setdefault(prefix, status) != status:
                    clashes.append((u, prefix, status))
        for u, prefix, status in sorted(clashes)[:1]:
            label = units[u].label
            raise EngineError(
                Text(
                    vi=f"bản ghi {say_label(label, 'vi')}: {prefix} vừa {decided[u][prefix]} "
                    f"vừa {status}",
                    en=f"record {label}: {prefix} is both {decided[u][prefix]} and {status}",
                )
            )
        return decided

    # -- results ---------------------------------------------------------------------------
    def _result(
        self,
        unit: _Unit,
        statuses: list[str],
        decided: dict[str, str],
        prerequisite: PrerequisiteResult | None,
    ) -> EvaluationResult:
        label = unit.label
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
            criteria.append(criterion_status)
        if decided.get("level") == MET:
            level_status = MET
        elif NOT_MET in criteria or (prerequisite is not None and prerequisite.status == NOT_MET):
            level_status = NOT_MET
        else:
            level_status = MISSING
        recognition = decided.get("r")
        if self.ruleset.recognition and recognition is None:
            raise EngineError(
                Text(
                    vi=f"bản ghi {say_label(label, 'vi')}: không luật nào quyết định các điều "
                    "kiện công nhận",
                    en=f"record {label}: no rule decided the recognition conditions",
                )
            )
        record = unit.record
        context = unit.context
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
            assessed_on=unit.on,
            axes=context.axes,
            detail=UnitDetail(
                self,
                context,
                unit.fact,
                unit.undefined,
                statuses,
                tuple(criteria),
                recognition if self.ruleset.recognition else None,
            ),
            prerequisite=prerequisite,
            recognised_year=getattr(record, field)
            if (field := self.ruleset.level.recognised_field)
            else None,
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


def reattached(
    ruleset: tuple[str, str],
    key: tuple[Any, ...],
    fact: dict[str, Any],
    undefined: dict[str, str],
    statuses: list[str],
    criterion_statuses: tuple[str, ...],
    recognition_status: str | None,
) -> UnitDetail:
    """A unit's detail sent by a worker process, attached to this process's evaluator of the
    same ruleset (``(id, content hash)``), which must exist (see :mod:`.batch`)."""
    evaluator = _evaluators.get(ruleset)
    if evaluator is None:
        raise EvaluationError(
            Text(
                vi=f"không có bộ đánh giá {ruleset[0]} ({ruleset[1][:12]}) để nhận kết quả",
                en=f"no evaluator of {ruleset[0]} ({ruleset[1][:12]}) to take the result",
            )
        )
    on, *values = key
    context = evaluator.context_of(on, dict(zip(evaluator.axis_inputs, values, strict=True)), "")
    return UnitDetail(
        evaluator, context, fact, undefined, statuses, criterion_statuses, recognition_status
    )


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
