"""Ruleset test cases as read from a ``*.test.yaml`` file, and the outcome of running them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from ..errors import NtmRulesError
from ..result import MET, MISSING, NOT_APPLICABLE, NOT_MET
from ..text import Lang, Text

STATUSES: tuple[str, ...] = (MET, NOT_MET, MISSING, NOT_APPLICABLE)
STATUS_WORDS: dict[str, Text] = {
    MET: Text(vi="đạt", en="met"),
    NOT_MET: Text(vi="chưa đạt", en="not met"),
    MISSING: Text(vi="thiếu dữ liệu", en="missing data"),
    NOT_APPLICABLE: Text(vi="không áp dụng", en="not applicable"),
}
BELOW = "below"
"""The ladder place of a unit that reaches no level."""

RULESET = "ruleset"
LADDER = "ladder"


@attrs.frozen
class Where:
    """A place in a test file."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@attrs.frozen
class Target:
    """What a case is run against: a ruleset or a ladder, by id or by path (relative to the
    test file)."""

    kind: str  # RULESET or LADDER
    reference: str
    where: Where


@attrs.frozen
class DataRecord:
    """A record of a data file (JSON or CSV), found by its code."""

    file: str  # as written, relative to the test file
    code: str


@attrs.frozen
class RecordSpec:
    """A case's input: fields written out (partial records allowed), or a named base record,
    with changes applied (``None`` makes a field missing)."""

    fields: Mapping[str, Any] | DataRecord
    changes: Mapping[str, Any]
    base: str | None  # the name of the base record, if the case used one
    where: Where


@attrs.frozen
class IndicatorExpectation:
    id: str
    status: str | None
    threshold: tuple[float, ...] | None  # one per comparison of the condition
    value: tuple[float, ...] | None
    where: Where


@attrs.frozen
class CountExpectation:
    """Criteria met: an exact list, criteria that must be among them, and/or their number."""

    exact: tuple[str, ...] | None
    includes: tuple[str, ...]
    excludes: tuple[str, ...]
    count: int | None
    where: Where


@attrs.frozen
class Expectation:
    """What one ruleset's result must show; every part is optional."""

    status: str | None = None
    criteria_met: CountExpectation | None = None
    criteria: Mapping[str, tuple[str, Where]] = attrs.field(factory=dict)
    indicators: tuple[IndicatorExpectation, ...] = ()
    axes: Mapping[str, tuple[str, Where]] = attrs.field(factory=dict)
    recognition: str | None = None
    prerequisite: str | None = None


@attrs.frozen
class LadderExpectation:
    """What a ladder result must show: the place, and any level's result."""

    place: str | None = None
    place_where: Where | None = None
    levels: Mapping[str, tuple[Expectation, Where]] = attrs.field(factory=dict)


@attrs.frozen
class Case:
    name: str
    target: Target
    year: int | None
    on: dt.date | None
    record: RecordSpec
    expect: Expectation | LadderExpectation
    where: Where
    note: str | None = None


@attrs.frozen
class CaseFile:
    """A ``*.test.yaml`` file: its cases (those that could be read) and the problems of the
    others."""

    file: str
    cases: tuple[Case, ...]
    errors: tuple[NtmRulesError, ...] = ()


@attrs.frozen
class Comparison:
    """One expectation compared with the result: what, expected and actual, whether they
    agree, and why (an indicator's value and threshold)."""

    kind: str  # status, place, level, criteria_met, criterion, indicator, threshold, value, axis...
    matched: bool
    subject: Text
    expected: Text
    actual: Text
    detail: Text | None = None
    key: str | None = None
    data: Mapping[str, Any] = attrs.field(factory=dict)  # machine-readable values

    def describe(self, lang: Lang = "vi", *, detail: bool = True) -> str:
        """``subject: expected X, got Y (detail)``; ``detail=False`` leaves the why out (when
        it was just said for the same indicator)."""
        words = ("mong đợi", "thực tế") if lang == "vi" else ("expected", "got")
        text = (
            f"{self.subject(lang)}: {words[0]} {self.expected(lang)}, {words[1]} "
            f"{self.actual(lang)}"
        )
        return text + (f" ({self.detail(lang)})" if self.detail and detail else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "matched": self.matched,
            "subject": self.subject.to_dict(),
            "expected": self.expected.to_dict(),
            "actual": self.actual.to_dict(),
            "detail": self.detail.to_dict() if self.detail else None,
            **{k: v for k, v in self.data.items() if k not in ("kind", "key")},
        }


def explain(differences: tuple[Comparison, ...], lang: Lang) -> list[str]:
    """Each difference in words; the why of an indicator is said once, at its first difference."""
    said: set[Text] = set()
    lines = []
    for difference in differences:
        lines.append(difference.describe(lang, detail=difference.detail not in said))
        if difference.detail is not None:
            said.add(difference.detail)
    return lines


@attrs.frozen
class CaseResult:
    """The outcome of one case: passed, or the differences; or an error when it could not be
    run (an unknown ruleset or indicator, a wrong field, a date outside the rules' validity)."""

    case: Case
    target_id: str | None
    comparisons: tuple[Comparison, ...] = ()
    error: NtmRulesError | None = None

    @property
    def differences(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if not c.matched)

    @property
    def passed(self) -> bool:
        return self.error is None and all(c.matched for c in self.comparisons)

    def to_dict(self, lang: Lang = "vi") -> dict[str, Any]:
        case = self.case
        return {
            "name": case.name,
            "file": case.where.file,
            "line": case.where.line,
            "target": {"kind": case.target.kind, "reference": case.target.reference},
            "ruleset": self.target_id,
            "passed": self.passed,
            "comparisons": [c.to_dict() for c in self.comparisons],
            "error": self.error.describe(lang) if self.error else None,
        }


@attrs.frozen
class FileResult:
    """Every case of one test file run, or the problems that kept some from being read."""

    file: str
    results: tuple[CaseResult, ...]
    errors: tuple[NtmRulesError, ...] = ()

    @property
    def passed(self) -> bool:
        return not self.errors and all(r.passed for r in self.results)
