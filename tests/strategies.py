"""Hypothesis strategies: random ``Commune2021`` records whose values sit near the thresholds.

Numeric inputs are drawn mostly from the thresholds written in the ruleset file (every date,
every region) plus or minus small deltas, including exact equality, so that both outcomes of
every comparison occur. A per-record *quality* (mixed / good / perfect) makes whole-level
``met`` results occur too, which independent draws over ~60 indicators would almost never give.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st
from oracle import NATIONAL_2021, Oracle, comparisons, names

from ntm_rules.expr.ast import Binary, Compare, Literal, Name
from ntm_rules.models.commune import REGIONS
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.fields import KIND_BOOL, KIND_INT, KIND_NUMBER, KIND_TEXT
from ntm_rules.models.vocabulary import FieldSpec, field_specs

ORACLE = Oracle(NATIONAL_2021)
SPECS: dict[str, FieldSpec] = {spec.name: spec for spec in field_specs(Commune2021)}
REGION_KEYS: tuple[str, ...] = tuple(REGIONS)
UNIT_FLAGS = ("dbkk", "atk", "poor_district")
IDENTITY = ("code", "name", "province", "district", "district_code", "region", "year", *UNIT_FLAGS)
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "!=": "!="}
DELTAS = (0.0, 1e-6, 0.001, 0.1, 1.0, 5.0)


def valid_years(oracle: Oracle = ORACLE) -> list[int]:
    """Assessment years whose 31 December lies in the ruleset's validity."""
    last = oracle.valid_until.year if oracle.valid_until else oracle.valid_from.year + 10
    return [y for y in range(oracle.valid_from.year, last + 1) if oracle.covers(dt.date(y, 12, 31))]


def simple_comparison(expr: Any) -> tuple[str, str, str | None, float | None] | None:
    """``(input, op, param, literal)`` with the input on the left, for ``input op param|number``."""
    if not isinstance(expr, Compare):
        return None
    left, right, op = expr.left, expr.right, expr.op
    if isinstance(left, Literal) or (isinstance(left, Name) and left.is_param):
        left, right, op = right, left, FLIP[op]
    if not (isinstance(left, Name) and not left.is_param):
        return None
    if isinstance(right, Name) and right.is_param:
        return left.dotted, op, right.parts[1], None
    if isinstance(right, Literal) and not isinstance(right.value, bool | str):
        return left.dotted, op, None, float(right.value)
    return None


def _comparisons(oracle: Oracle) -> list[tuple[str, str, str | None, float | None]]:
    found = []
    for ind in oracle.indicators:
        for expr in (ind["condition"], ind["applies_if"]):
            if expr is None:
                continue
            for part in comparisons(expr):
                simple = simple_comparison(part)
                if simple:
                    found.append(simple)
    return found


COMPARISONS = _comparisons(ORACLE)
HIGHER_BETTER = sorted({c[0] for c in COMPARISONS if c[1] in (">", ">=")})
LOWER_BETTER = sorted({c[0] for c in COMPARISONS if c[1] in ("<", "<=")})
APPLICABILITY_INPUTS = sorted(
    {
        n
        for ind in ORACLE.indicators
        if ind["applies_if"] is not None
        for n in names(ind["applies_if"])
    }
)
BARE_FLAGS = sorted(
    {
        ind["condition"].dotted
        for ind in ORACLE.indicators
        if isinstance(ind["condition"], Name) and not ind["condition"].is_param
    }
    - set(APPLICABILITY_INPUTS)
)
MEASURES = [name for name in SPECS if name not in IDENTITY and not name.startswith("recognised_")]
READ_BY_RULESET = {
    n
    for ind in ORACLE.indicators
    for expr in (ind["condition"], ind["applies_if"])
    if expr is not None
    for n in names(expr)
    if not n.startswith("param.")
}
# Inputs of the model the ruleset never reads (other criteria sets share the model): left None,
# which keeps the random records small and quick to shrink.
UNREAD = [name for name in MEASURES if name not in READ_BY_RULESET]


def bounds(name: str) -> tuple[float, float | None]:
    spec = SPECS[name]
    return (spec.minimum if spec.minimum is not None else 0.0), spec.maximum


def _thresholds_of(name: str) -> list[float]:
    found: set[float] = set()
    for input_name, _, param, literal in COMPARISONS:
        if input_name != name:
            continue
        found.update(ORACLE.all_values(param) if param else [literal])  # type: ignore[list-item]
    return sorted(found)


def _candidates(name: str) -> list[float | int]:
    spec = SPECS[name]
    low, high = bounds(name)
    values: set[float | int] = set()
    for threshold in _thresholds_of(name):
        for delta in DELTAS:
            for value in (threshold - delta, threshold + delta):
                if spec.kind == KIND_INT:
                    value = round(value)
                if value >= low and (high is None or value <= high):
                    values.add(int(value) if spec.kind == KIND_INT else float(value))
    values.add(int(low) if spec.kind == KIND_INT else float(low))
    if high is not None:
        values.add(float(high))
    return sorted(values)


CANDIDATES: dict[str, list[float | int]] = {
    name: _candidates(name)
    for name in MEASURES
    if name in READ_BY_RULESET and SPECS[name].kind in (KIND_NUMBER, KIND_INT)
}


def ceiling(name: str) -> float:
    """The largest value drawn for an input (its maximum, or well above every threshold)."""
    _, high = bounds(name)
    if high is not None:
        return float(high)
    return max([*_thresholds_of(name), 1.0]) * 1.5 + 10


def best(name: str) -> float | int:
    """A value that clears every comparison the input takes part in."""
    spec = SPECS[name]
    if name in LOWER_BETTER:
        return int(bounds(name)[0]) if spec.kind == KIND_INT else float(bounds(name)[0])
    return int(ceiling(name)) if spec.kind == KIND_INT else ceiling(name)


def free_value(name: str) -> st.SearchStrategy[Any]:
    spec = SPECS[name]
    low = bounds(name)[0]
    if spec.kind == KIND_INT:
        return st.integers(int(low), int(ceiling(name)))
    return st.floats(float(low), ceiling(name), allow_nan=False, allow_infinity=False)


@st.composite
def measure_value(draw: st.DrawFn, name: str, quality: str) -> Any:
    spec = SPECS[name]
    if spec.kind == KIND_BOOL:
        if name in APPLICABILITY_INPUTS or quality == "mixed":
            return draw(st.booleans())
        return quality == "perfect" or draw(st.integers(0, 99)) < 95
    if spec.kind in (KIND_NUMBER, KIND_INT):
        if quality == "perfect" or (quality == "good" and draw(st.integers(0, 99)) < 95):
            return best(name)
        if draw(st.integers(0, 3)) == 0:
            return draw(free_value(name))
        value = draw(st.sampled_from(CANDIDATES[name]))
        if spec.kind == KIND_NUMBER and float(value).is_integer() and draw(st.booleans()):
            return int(value)  # JSON input often writes 80, not 80.0
        return value
    if spec.kind == KIND_TEXT and spec.choices:
        return draw(st.sampled_from(spec.choices))
    raise AssertionError(f"unexpected input kind {spec.kind} for {name}")


def identity(
    years: list[int] | None = None, regions: tuple[str, ...] = REGION_KEYS
) -> st.SearchStrategy[dict[str, Any]]:
    """Who the commune is: code, names, region, assessment year, ĐBKK / ATK / poor district."""
    names = st.none() | st.text(
        st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1, max_size=12
    )
    flag = st.integers(0, 99).map(lambda n: n < 20)
    return st.fixed_dictionaries(
        {
            "code": st.from_regex(r"[A-Z0-9]{1,8}", fullmatch=True),
            "name": names,
            "province": names,
            "district": names,
            "region": st.sampled_from(regions),
            "year": st.sampled_from(years or valid_years()),
            "dbkk": flag,
            "atk": flag,
            "poor_district": flag,
            **{
                name: st.none() | st.integers(int(SPECS[name].minimum), int(SPECS[name].maximum))
                for name in SPECS
                if name.startswith("recognised_")
            },
        }
    )


@st.composite
def communes(
    draw: st.DrawFn,
    years: list[int] | None = None,
    regions: tuple[str, ...] = REGION_KEYS,
    qualities: tuple[str, ...] = ("mixed", "mixed", "good", "perfect"),
    missing_rates: tuple[int, ...] = (0, 0, 2, 10, 30),
) -> dict[str, Any]:
    """A full ``Commune2021`` record as a dict (every field present, measures maybe None)."""
    record = draw(identity(years, regions))
    quality = draw(st.sampled_from(qualities))
    missing_rate = draw(st.sampled_from(missing_rates))
    for name in MEASURES:
        if name in UNREAD or draw(st.integers(0, 99)) < missing_rate:
            record[name] = None
        else:
            record[name] = draw(measure_value(name, quality))
    return record


assert set(SPECS) == {*IDENTITY, *MEASURES, *(n for n in SPECS if n.startswith("recognised_"))}
assert not READ_BY_RULESET - {*MEASURES, "region", "dbkk", "atk", "poor_district"}


# -- the national ladder: NTM, nâng cao and kiểu mẫu read together ------------------------------
NATIONAL_DIR = NATIONAL_2021.parent
LADDER_FILES = tuple(
    NATIONAL_DIR / f"commune-{level}-2021.yaml" for level in ("ntm", "nang-cao", "kieu-mau")
)


class InputSpace:
    """The inputs several ruleset files read, which way each is better, and values near
    every threshold it meets (a threshold may be ``k * param.alias.x`` of an imported file)."""

    def __init__(self, oracles: tuple[Oracle, ...]) -> None:
        self.oracles = oracles
        by_id = {o.id: o for o in oracles}
        self.thresholds: dict[str, set[float]] = {}
        self.higher_better: set[str] = set()
        self.lower_better: set[str] = set()
        self.applicability: set[str] = set()
        self.read: set[str] = set()
        self.read_by: dict[str, list[str]] = {}
        for oracle in oracles:
            own = {
                n for c in oracle.criteria for i in c["indicators"] for n in names(i["condition"])
            }
            self.read_by[oracle.id] = sorted(n for n in own if n in MEASURES)
            imports = {alias: by_id[i] for alias, i in oracle.data.get("imports", {}).items()}
            for ind in oracle.indicators:
                for expr in (ind["condition"], ind["applies_if"]):
                    if expr is None:
                        continue
                    self.read.update(n for n in names(expr) if not n.startswith("param."))
                    for part in comparisons(expr):
                        self._comparison(part, oracle, imports)
                if ind["applies_if"] is not None:
                    self.applicability.update(names(ind["applies_if"]))
        assert not self.higher_better & self.lower_better, "an input is better both ways"
        self.measures = [m for m in MEASURES if m in self.read]
        self.candidates = {
            name: self._candidates(name)
            for name in self.measures
            if SPECS[name].kind in (KIND_NUMBER, KIND_INT)
        }

    def _comparison(self, expr: Any, oracle: Oracle, imports: dict[str, Oracle]) -> None:
        if not isinstance(expr, Compare):
            return
        left, right, op = expr.left, expr.right, expr.op
        if not (isinstance(left, Name) and not left.is_param):
            left, right, op = right, left, FLIP[op]
        if not (isinstance(left, Name) and not left.is_param):
            return
        factor = 1.0
        if isinstance(right, Binary) and right.op == "*" and isinstance(right.left, Literal):
            factor, right = float(right.left.value), right.right
        if isinstance(right, Literal) and not isinstance(right.value, bool | str):
            values = [float(right.value)]
        elif isinstance(right, Name) and right.is_param:
            parts = right.parts[1:]
            source = imports[parts[0]] if len(parts) == 2 else oracle
            values = source.all_values(parts[-1])
        else:
            return
        name = left.dotted
        self.thresholds.setdefault(name, set()).update(factor * v for v in values)
        (self.higher_better if op in (">", ">=") else self.lower_better).add(name)

    def ceiling(self, name: str) -> float:
        _, high = bounds(name)
        if high is not None:
            return float(high)
        return max([*self.thresholds.get(name, ()), 1.0]) * 1.5 + 10

    def best(self, name: str) -> float | int | bool:
        if SPECS[name].kind == KIND_BOOL:
            return True
        integer = SPECS[name].kind == KIND_INT
        value = bounds(name)[0] if name in self.lower_better else self.ceiling(name)
        return int(value) if integer else float(value)

    def _candidates(self, name: str) -> list[float | int]:
        integer = SPECS[name].kind == KIND_INT
        low, high = bounds(name)
        values: set[float | int] = {self.best(name), int(low) if integer else float(low)}
        for threshold in self.thresholds.get(name, ()):
            for delta in DELTAS:
                for value in (threshold - delta, threshold + delta):
                    if integer:
                        value = round(value)
                    if value >= low and (high is None or value <= high):
                        values.add(int(value) if integer else float(value))
        return sorted(values)

    def value(self, draw: st.DrawFn, name: str, quality: str) -> Any:
        spec = SPECS[name]
        if spec.kind == KIND_BOOL:
            if name in self.applicability or quality == "mixed":
                return draw(st.booleans())
            return quality == "perfect" or draw(st.integers(0, 99)) < 97
        if spec.kind in (KIND_NUMBER, KIND_INT):
            if quality == "perfect" or (quality == "good" and draw(st.integers(0, 99)) < 97):
                return self.best(name)
            return draw(st.sampled_from(self.candidates[name]))
        if spec.kind == KIND_TEXT and spec.choices:
            return draw(st.sampled_from(spec.choices))
        raise AssertionError(f"unexpected input kind {spec.kind} for {name}")

    def worse(self, draw: st.DrawFn, name: str) -> Any:
        """A value that fails at least one comparison of the input (a flag: false)."""
        if SPECS[name].kind == KIND_BOOL:
            return False
        limits = self.thresholds[name]
        failing = [
            v
            for v in self.candidates[name]
            if (v < max(limits) if name in self.higher_better else v > min(limits))
        ]
        return draw(st.sampled_from(failing))

    def perfect(self, **fields: Any) -> dict[str, Any]:
        """A commune that clears every comparison of every file (flags all true)."""
        record: dict[str, Any] = {
            "code": "P1",
            "region": "tdmnpb",
            "year": 2024,
            **dict.fromkeys((n for n in SPECS if n.startswith("recognised_")), None),
        }
        for name in self.measures:
            record[name] = self.best(name)
        record.update(fields)
        return record


LADDER_SPACE = InputSpace(tuple(Oracle(path) for path in LADDER_FILES))


@st.composite
def ladder_communes(
    draw: st.DrawFn,
    space: InputSpace = LADDER_SPACE,
    years: list[int] | None = None,
    regions: tuple[str, ...] = REGION_KEYS,
    qualities: tuple[str, ...] = ("mixed", "good", "near", "near", "perfect"),
    missing_rates: tuple[int, ...] = (0, 0, 0, 2),
) -> dict[str, Any]:
    """A commune for every level of the national ladder, never formally recognised (every
    ``recognised_*`` year None), so each prerequisite is held only as computed.

    Quality ``near`` is a perfect commune with one to three inputs drawn freely: it makes
    every place on the ladder (NTM only, nâng cao only, ...) occur often.
    """
    record = draw(identity(years, regions))
    record.update(dict.fromkeys((n for n in SPECS if n.startswith("recognised_")), None))
    quality = draw(st.sampled_from(qualities))
    missing_rate = draw(st.sampled_from(missing_rates))
    worse: list[str] = []
    if quality == "near":  # degrade inputs of one level, so each level fails alone at times
        level = draw(st.sampled_from(sorted(space.read_by)))
        worse = draw(st.lists(st.sampled_from(space.read_by[level]), min_size=1, max_size=3))
    for name in MEASURES:
        if name not in space.read or draw(st.integers(0, 99)) < missing_rate:
            record[name] = None
        elif quality == "near":
            record[name] = space.worse(draw, name) if name in worse else space.best(name)
        else:
            record[name] = space.value(draw, name, quality)
    return record
