"""Evaluation results: immutable, JSON-ready (``to_dict``) and explainable (``explain``).

The JSON form is described by ``docs/result.schema.json``; keys are stable.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any, Protocol

import attrs

from .compact.detail import FULL, STANDARD, SUMMARY, check_detail, shape
from .ruleset.model import Citation, Document
from .ruleset.resolve import AxisChoice, ResolvedParam
from .text import Lang, Text

SCHEMA_VERSION = 1

MET = "met"
NOT_MET = "not_met"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"

DIVISION_BY_ZERO = "division_by_zero"
OUT_OF_RANGE = "out_of_range"


@attrs.frozen
class Undefined:
    """A computed value that does not exist for this unit: its expression and why
    (``division_by_zero``, or ``out_of_range`` beyond ±10^15). The indicator is ``missing``."""

    expression: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"expression": self.expression, "reason": self.reason}


@attrs.frozen
class CheckResult:
    """One comparison of a condition: the value found, the threshold that applied, the margin.

    ``margin`` is positive when the value clears the threshold and negative by the amount
    missing (in the value's unit); it is None for yes/no and text comparisons.
    """

    text: str
    op: str
    value: Any
    threshold: Any
    unit: str | None
    passed: bool | None  # None when a value is missing
    margin: float | None
    params: tuple[ResolvedParam, ...]
    missing: tuple[str, ...]
    undefined: tuple[Undefined, ...] = ()

    @functools.cached_property
    def rests_on_unverified(self) -> bool:
        return any(not p.verified for p in self.params)

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.text,
            "op": self.op,
            "value": jsonable(self.value),
            "threshold": jsonable(self.threshold),
            "unit": self.unit,
            "passed": self.passed,
            "margin": self.margin,
            "missing": list(self.missing),
            "undefined": [u.to_dict() for u in self.undefined],
            "parameters": [p.param.name for p in self.params],  # see the result's "parameters"
        }


@attrs.frozen
class IndicatorResult:
    id: str
    name: Text
    status: str
    checks: tuple[CheckResult, ...]
    applicability: tuple[CheckResult, ...]
    missing: tuple[str, ...]  # inputs with no value, or parameters left open
    source: Citation
    verified: bool  # is the indicator's wording verified against the decision
    note: str | None
    defined_in: str  # ruleset id that defined it (national or provincial)
    undefined: tuple[Undefined, ...] = ()  # computed values that do not exist (x / 0)

    @functools.cached_property
    def rests_on_unverified(self) -> bool:
        """Whether this outcome depends on a value or wording not checked against the law."""
        if self.status == NOT_APPLICABLE:
            return any(c.rests_on_unverified for c in self.applicability)
        if self.status not in (MET, NOT_MET):
            return False
        used = (*self.applicability, *self.checks)
        return not self.verified or any(c.rests_on_unverified for c in used)

    @property
    def primary(self) -> CheckResult | None:
        return self.checks[0] if len(self.checks) == 1 else None

    def to_dict(self) -> dict[str, Any]:
        primary = self.primary
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "status": self.status,
            "value": jsonable(primary.value) if primary else None,
            "threshold": jsonable(primary.threshold) if primary else None,
            "comparison": primary.op if primary else None,
            "unit": primary.unit if primary else None,
            "margin": primary.margin if primary else None,
            "missing": list(self.missing),
            "undefined": [u.to_dict() for u in self.undefined],
            "checks": [c.to_dict() for c in self.checks],
            "applicability": [c.to_dict() for c in self.applicability],
            "source": self.source.to_dict(),
            "verified": self.verified,
            "note": self.note,
            "defined_in": self.defined_in,
            "rests_on_unverified": self.rests_on_unverified,
        }


@attrs.frozen
class CriterionResult:
    id: str
    name: Text
    heading: Text | None
    status: str
    policy: str
    indicators: tuple[IndicatorResult, ...]
    source: Citation

    @functools.cached_property
    def rests_on_unverified(self) -> bool:
        return _rests(self.status, self.policy == "all", self.indicators)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.to_dict(),
            "group": self.heading.to_dict() if self.heading else None,  # the JSON key stays
            "status": self.status,
            "policy": self.policy,
            "rests_on_unverified": self.rests_on_unverified,
            "source": self.source.to_dict(),
            "indicators": [i.to_dict() for i in self.indicators],
        }


@attrs.frozen
class RecognitionResult:
    """The extra conditions formal recognition needs (e.g. 18/2022/QĐ-TTg), apart from criteria."""

    name: Text
    status: str
    conditions: tuple[IndicatorResult, ...]
    source: Citation

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name.to_dict(),
            "status": self.status,
            "source": self.source.to_dict(),
            "conditions": [c.to_dict() for c in self.conditions],
        }


@attrs.frozen
class RulesetRef:
    """Which rules produced a result: enough to trace a stored result to the exact file."""

    id: str
    version: str
    content_hash: str
    title: Text
    documents: tuple[Document, ...] = ()  # the legal documents its citations refer to
    file: str | None = None  # the file actually loaded
    installed_copy: bool = False  # the file is the copy inside an installed package

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "content_hash": self.content_hash,
            "title": self.title.to_dict(),
            "documents": [d.to_dict() for d in self.documents],
            "file": self.file,
            "installed_copy": self.installed_copy,
        }


@attrs.frozen
class UnitRef:
    kind: str
    code: str
    name: str | None
    province: str | None
    district: str | None
    attributes: tuple[tuple[str, Any], ...]  # region, ĐBKK, recognised years, ...

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "province": self.province,
            "district": self.district,
            "attributes": {k: jsonable(v) for k, v in self.attributes},
        }


@attrs.frozen
class PrerequisiteResult:
    """Whether the unit holds the lower level a ruleset requires, and how: computed now or
    formally recognised. Both are kept, so "recognised NTM in 2019 but no longer meets
    criterion 11" stays visible."""

    ruleset_id: str
    name: Text
    status: str  # met | not_met | missing
    satisfied_by: str | None  # "computed", "recognised" or None
    computed: EvaluationResult | None
    recognised_year: int | None
    recognition_counts: bool  # recognised within the phase the ruleset accepts
    accept: tuple[str, ...]
    source: Citation

    def to_dict(self) -> dict[str, Any]:
        computed = self.computed
        return {
            "ruleset": self.ruleset_id,
            "name": self.name.to_dict(),
            "status": self.status,
            "satisfied_by": self.satisfied_by,
            "accept": list(self.accept),
            "recognised_year": self.recognised_year,
            "recognition_counts": self.recognition_counts,
            "computed": None
            if computed is None
            else {
                "level": computed.level_id,
                "status": computed.status,
                "criteria_met": computed.criteria_met,
                "criteria_total": computed.criteria_total,
                "unmet_criteria": computed.criterion_ids(NOT_MET),
                "missing_criteria": computed.criterion_ids(MISSING),
                "prerequisite": computed.prerequisite.to_dict() if computed.prerequisite else None,
            },
            "source": self.source.to_dict(),
        }


class Detail(Protocol):
    """A result's criteria and recognition, built when first read (see :mod:`.detail`)."""

    @property
    def criterion_ids(self) -> tuple[str, ...]: ...

    @property
    def criterion_statuses(self) -> tuple[str, ...]: ...

    @property
    def recognition_status(self) -> str | None: ...

    def criterion_rests(self) -> list[bool]: ...

    def indicator_statuses(self) -> tuple[str, ...]: ...

    def criteria(self) -> tuple[CriterionResult, ...]: ...

    def recognition(self) -> RecognitionResult | None: ...


@attrs.frozen
class EvaluationResult:
    unit: UnitRef
    ruleset: RulesetRef
    level_id: str
    level_name: Text
    status: str  # met | not_met | missing: does the unit reach the ruleset's level?
    assessed_on: dt.date
    axes: tuple[AxisChoice, ...]
    detail: Detail = attrs.field(repr=False)
    prerequisite: PrerequisiteResult | None = None
    recognised_year: int | None = None  # when the unit was formally recognised at this level

    @functools.cached_property
    def criteria(self) -> tuple[CriterionResult, ...]:
        return self.detail.criteria()

    @functools.cached_property
    def recognition(self) -> RecognitionResult | None:
        return self.detail.recognition()

    @property
    def achieved(self) -> bool:
        return self.status == MET

    @functools.cached_property
    def criteria_met(self) -> int:
        return self.detail.criterion_statuses.count(MET)

    @property
    def criteria_total(self) -> int:
        return len(self.detail.criterion_statuses)

    @property
    def indicators(self) -> tuple[IndicatorResult, ...]:
        return tuple(i for c in self.criteria for i in c.indicators)

    @property
    def indicator_statuses(self) -> tuple[str, ...]:
        """The status of each indicator of :attr:`indicators`, without building them."""
        return self.detail.indicator_statuses()

    def criterion_ids(self, status: str) -> list[str]:
        """The ids of the criteria with this status, in order."""
        detail = self.detail
        return [
            c
            for c, s in zip(detail.criterion_ids, detail.criterion_statuses, strict=True)
            if s == status
        ]

    @functools.cached_property
    def rests_on_unverified(self) -> bool:
        detail = self.detail
        return rests_on(
            self.status,
            True,
            list(zip(detail.criterion_statuses, detail.criterion_rests(), strict=True)),
        )

    @property
    def recognition_eligible(self) -> str:
        """met when the level is reached and every recognition condition holds."""
        recognition = self.detail.recognition_status
        if recognition is None:
            return self.status
        statuses = {self.status, recognition}
        if NOT_MET in statuses:
            return NOT_MET
        return MISSING if MISSING in statuses else MET

    def _parameters(self) -> dict[str, dict[str, Any]]:
        """Each parameter a check used, with its value and provenance, stated once."""
        found: dict[str, dict[str, Any]] = {}
        indicators = (*self.indicators, *(self.recognition.conditions if self.recognition else ()))
        for indicator in indicators:
            for check in (*indicator.applicability, *indicator.checks):
                for param in check.params:
                    if param.param.name not in found:
                        found[param.param.name] = param.to_dict()
        return found

    def explain(self, lang: Lang = "vi") -> str:
        from .explain import render

        return render(self, lang)

    def to_dict(self, detail: str = FULL) -> dict[str, Any]:
        """The result as JSON-ready data: ``full`` (every explanation, wording and provenance),
        ``standard`` or ``summary`` (see :mod:`ntm_rules.compact`)."""
        if check_detail(detail) == FULL:
            return self._json(FULL)
        return shape(self._json(detail), detail)

    def _json(self, detail: str) -> dict[str, Any]:
        """The full JSON form, without what :func:`~ntm_rules.compact.shape` does not read at a
        lighter ``detail`` (parameters, wording, sources; at ``summary``, indicators too)."""
        json_parts = getattr(self.detail, "json_parts", None)
        if detail == SUMMARY:
            ids, statuses = self.detail.criterion_ids, self.detail.criterion_statuses
            axes, parameters, recognition = [], {}, None
            criteria = [{"id": c, "status": s} for c, s in zip(ids, statuses, strict=True)]
        elif json_parts is not None:  # a fresh copy of the shared skeleton, filled in
            axes, parameters, criteria, recognition = json_parts(detail == STANDARD)
        else:
            axes = [a.to_dict() for a in self.axes]
            parameters = self._parameters()
            criteria = [c.to_dict() for c in self.criteria]
            recognition = self.recognition.to_dict() if self.recognition else None
        return {
            "schema_version": SCHEMA_VERSION,
            "unit": self.unit.to_dict(),
            "ruleset": self.ruleset.to_dict(),
            "assessed_on": self.assessed_on.isoformat(),
            "axes": axes,
            "level": {
                "id": self.level_id,
                "name": self.level_name.to_dict(),
                "status": self.status,
                "achieved": self.achieved,
                "recognised_year": self.recognised_year,
            },
            "criteria_met": self.criteria_met,
            "criteria_total": self.criteria_total,
            "rests_on_unverified": self.rests_on_unverified,
            "recognition_eligible": self.recognition_eligible,
            "recognition": recognition,
            "prerequisite": self.prerequisite.to_dict() if self.prerequisite else None,
            "parameters": parameters,
            "criteria": criteria,
        }


def rests_on(status: str, conjunctive: bool, parts: list[tuple[str, bool]]) -> bool:
    """Whether an aggregate outcome rests on unverified values, from its parts' (status, rests
    on unverified values) pairs: a conjunction that holds, if any part rests on one; one that
    fails, if every failing part does (a single verified failure settles it). Disjunctions the
    other way round."""
    if status == MET:
        met = [rests for part, rests in parts if part == MET]
        return any(met) if conjunctive else all(met)
    if status == NOT_MET:
        failed = [rests for part, rests in parts if part == NOT_MET]
        return bool(failed) and (all(failed) if conjunctive else any(failed))
    return False


def _rests(status: str, conjunctive: bool, parts: tuple[Any, ...]) -> bool:
    return rests_on(status, conjunctive, [(p.status, p.rests_on_unverified) for p in parts])


def jsonable(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
