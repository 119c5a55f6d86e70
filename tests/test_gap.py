"""Gap analysis: what a unit still lacks for a level, nearest first (ntm_rules/gap.py).

The documented nearness: an unmet comparison's distance is ``shortfall / max(|threshold|, 1)``
(an unmet yes/no requirement counts 1); a criterion's distance is the sum of its items'; criteria
nearest first, inside a criterion indicators nearest first. Missing data and an unmet
prerequisite are listed apart.
"""

from __future__ import annotations

import json
import math
from itertools import groupby
from typing import Any

import pytest
from hypothesis import assume, given, settings
from strategies import LADDER_SPACE, SPECS, communes, ladder_communes

from ntm_rules import evaluator_for
from ntm_rules.expr import parse
from ntm_rules.expr.ast import Compare, Name
from ntm_rules.gap import Gap, gap
from ntm_rules.models.fields import KIND_BOOL, KIND_INT
from ntm_rules.result import EvaluationResult

MET, NOT_MET, MISSING = "met", "not_met", "missing"
NTM = "vn.commune.ntm.2021"
NANG_CAO = "vn.commune.nang-cao.2021"
KIEU_MAU = "vn.commune.kieu-mau.2021"


def evaluate(ruleset: str, record: dict[str, Any]) -> EvaluationResult:
    return evaluator_for(ruleset).evaluate(record)


def id_key(identifier: str) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in identifier.split("."))


def vi_number(value: float) -> str:
    """A number as Vietnamese writes it: at most two decimals, decimal comma, thousands dot."""
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    fraction = fraction.rstrip("0")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = ".".join(groups) + (f",{fraction}" if fraction else "")
    return ("-" if value < 0 and text.strip("0.,") else "") + text


# -- the invariants every gap has --------------------------------------------------------------
def check_gap(result: EvaluationResult, found: Gap) -> None:
    """Everything the documentation promises about ``gap(result)``."""
    assert found.closed == (result.status == MET)
    assert found.status == result.status
    assert found.ruleset_id == result.ruleset.id and found.level_id == result.level_id
    criteria = {c.id: c for c in result.criteria}
    indicators = {i.id: i for i in result.indicators}

    # never a met criterion; items only from failing checks of not_met indicators
    for criterion_gap in found.criteria:
        assert criteria[criterion_gap.criterion_id].status != MET
        assert criterion_gap.items, "a listed criterion has something to do"
        assert criterion_gap.distance == pytest.approx(
            sum(i.distance for i in criterion_gap.items), abs=1e-5
        )
        for item in criterion_gap.items:
            assert item.criterion_id == criterion_gap.criterion_id
            ind = indicators[item.indicator_id]
            assert ind.status == NOT_MET
            assert item.check in [c.text for c in ind.checks if c.passed is False]
    # every not_met criterion of policy `all` lists every failing check of its failing indicators
    listed = {c.criterion_id: c for c in found.criteria}
    for criterion in result.criteria:
        if criterion.status != NOT_MET or criterion.policy != "all":
            continue
        expected = {
            (i.id, c.text)
            for i in criterion.indicators
            if i.status == NOT_MET
            for c in i.checks
            if c.passed is False
        }
        got = {(i.indicator_id, i.check) for i in listed[criterion.id].items}
        assert got == expected

    # nearness: criteria, then indicators inside a criterion, nearest first; ties by id
    keys = [(c.distance, id_key(c.criterion_id)) for c in found.criteria]
    assert keys == sorted(keys)
    for criterion_gap in found.criteria:
        per_indicator = [
            (round(sum(i.distance for i in items), 6), id_key(ind_id))
            for ind_id, items in (
                (k, list(g)) for k, g in groupby(criterion_gap.items, lambda i: i.indicator_id)
            )
        ]
        assert per_indicator == sorted(per_indicator)
        assert len({k for _, k in per_indicator}) == len(per_indicator)  # one run per indicator

    # shortfall and distance
    for item in found.items:
        if item.shortfall is None:
            assert item.distance == 1.0
            continue
        if item.op in (">=", ">"):
            assert item.shortfall == pytest.approx(item.threshold - item.value, abs=1e-5)
        else:
            assert item.op in ("<=", "<")
            assert item.shortfall == pytest.approx(item.value - item.threshold, abs=1e-5)
        assert item.shortfall > 0
        expected = item.shortfall / max(abs(item.threshold), 1.0)
        assert item.distance == pytest.approx(expected, abs=1e-5)
    if found.criteria:
        assert found.nearest == found.criteria[0].items[0]

    # missing data apart, never a gap item
    missing = [
        (c.id, i.id, i.missing)
        for c in result.criteria
        for i in c.indicators
        if i.status == MISSING
    ]
    assert [(m.criterion_id, m.indicator_id, m.fields) for m in found.missing] == missing
    missing_ids = {ind_id for _, ind_id, _ in missing}
    assert not missing_ids & {i.indicator_id for i in found.items}
    for m in found.missing:
        assert m.fields, "missing data names what is missing"

    # the prerequisite
    pre = result.prerequisite
    if pre is None or pre.status == MET:
        assert found.prerequisite is None and found.prerequisite_gap is None
    else:
        assert found.prerequisite == pre.name
        assert pre.computed is not None
        assert found.prerequisite_gap == gap(pre.computed)

    # a gap that is not closed always says what is lacking
    if found.closed:
        assert found.criteria == () and found.prerequisite is None
    else:
        assert found.criteria or found.missing or found.prerequisite is not None


@settings(max_examples=60, deadline=None)
@given(record=communes())
def test_ntm_gap_invariants(record: dict[str, Any]) -> None:
    result = evaluate(NTM, record)
    check_gap(result, gap(result))


@settings(max_examples=40, deadline=None)
@given(record=ladder_communes())
def test_ladder_gap_invariants(record: dict[str, Any]) -> None:
    for ruleset in (NANG_CAO, KIEU_MAU):
        result = evaluate(ruleset, record)
        check_gap(result, gap(result))


# -- closing every reported gap reaches the level ------------------------------------------------
def input_of(check: str) -> str:
    expr = parse(check)
    if isinstance(expr, Name):
        return expr.dotted
    assert isinstance(expr, Compare) and isinstance(expr.left, Name), check
    assert not expr.left.is_param
    return expr.left.dotted


def closed_record(record: dict[str, Any], found: Gap) -> dict[str, Any]:
    """Set each failing check's input to its threshold (a flag to true)."""
    wanted: dict[str, list[tuple[str, Any]]] = {}
    for item in found.items:
        wanted.setdefault(input_of(item.check), []).append((item.op, item.threshold))
    closed = dict(record)
    for name, needs in wanted.items():
        spec = SPECS[name]
        if spec.kind == KIND_BOOL:
            assert needs == [("==", True)] * len(needs)
            closed[name] = True
            continue
        ops = {op for op, _ in needs}
        assert ops in ({">="}, {"<="}), needs
        if ops == {">="}:
            value = max(t for _, t in needs)
            closed[name] = math.ceil(value) if spec.kind == KIND_INT else value
        else:
            value = min(t for _, t in needs)
            closed[name] = math.floor(value) if spec.kind == KIND_INT else value
    return closed


@settings(max_examples=60, deadline=None)
@given(record=communes(missing_rates=(0,), qualities=("mixed", "good", "good")))
def test_closing_every_ntm_gap_reaches_ntm(record: dict[str, Any]) -> None:
    result = evaluate(NTM, record)
    assert result.prerequisite is None
    found = gap(result)
    assert found.missing == ()
    assume(not found.closed)
    after = evaluate(NTM, closed_record(record, found))
    assert after.status == MET, [(c.id, c.status) for c in after.criteria if c.status != MET]
    assert gap(after).closed


@settings(max_examples=40, deadline=None)
@given(record=ladder_communes(missing_rates=(0,), qualities=("mixed", "good", "near")))
def test_closing_every_nang_cao_gap_reaches_nang_cao(record: dict[str, Any]) -> None:
    record = {**record, "recognised_ntm_year": 2023}
    result = evaluate(NANG_CAO, record)
    assert result.prerequisite is not None and result.prerequisite.status == MET
    found = gap(result)
    assert found.prerequisite is None and found.missing == ()
    assume(not found.closed)
    after = evaluate(NANG_CAO, closed_record(record, found))
    assert after.status == MET, [(c.id, c.status) for c in after.criteria if c.status != MET]


# -- examples ----------------------------------------------------------------------------------
def test_a_failing_check_never_has_a_zero_shortfall() -> None:
    record = LADDER_SPACE.perfect(villages_culture_house_pct=100 - 1e-14)
    result = evaluate(NTM, record)
    assert result.status == NOT_MET
    (item,) = gap(result).items
    assert item.indicator_id == "6.3"
    assert item.shortfall is not None and item.shortfall > 0
    assert item.distance > 0


def test_an_example_gap_in_vietnamese_and_english() -> None:
    record = LADDER_SPACE.perfect(
        region="tdmnpb",
        year=2024,
        income_per_capita=35.2,  # NTM tdmnpb 39: short by 3.8, distance 3.8 / 39
        multidimensional_poverty_pct=13.25,  # at most 13: over by 0.25, distance 0.25 / 13
        master_plan_approved=False,  # a yes/no requirement: distance 1
    )
    result = evaluate(NTM, record)
    found = gap(result)
    assert [c.criterion_id for c in found.criteria] == ["11", "10", "1"]
    income = found.criteria[1].items[0]
    assert (income.value, income.threshold, income.op) == (35.2, 39.0, ">=")
    assert income.shortfall == pytest.approx(3.8)
    assert income.distance == pytest.approx(3.8 / 39, abs=1e-6)
    poverty = found.nearest
    assert poverty is not None and poverty.indicator_id == "11"
    assert poverty.shortfall == pytest.approx(0.25)
    assert found.criteria[2].items[0].shortfall is None
    assert found.criteria[2].items[0].distance == 1.0

    vietnamese = found.render("vi")
    assert "còn thiếu 3,8 triệu đồng/người/năm" in vietnamese
    assert "vượt quá 0,25" in vietnamese
    assert "3.8" not in vietnamese and "0.25" not in vietnamese
    english = found.render("en")
    assert "short by 3.8 million VND/person/year" in english
    assert "over by 0.25" in english
    assert vietnamese.index("11 ") < vietnamese.index("10 ") < vietnamese.index("1.1 ")


def test_thousands_and_decimals_in_vietnamese() -> None:
    assert vi_number(1234.5) == "1.234,5"
    assert vi_number(3.8) == "3,8"
    assert vi_number(0.25) == "0,25"
    assert vi_number(7.0) == "7"


@settings(max_examples=40, deadline=None)
@given(record=communes(missing_rates=(0, 5)))
def test_render_vi_writes_every_shortfall_with_a_decimal_comma(record: dict[str, Any]) -> None:
    found = gap(evaluate(NTM, record))
    text = found.render("vi")
    head, _, _ = text.partition("\n  Thiếu dữ liệu:")
    lines = [x for x in head.splitlines() if x.startswith("    - ")]
    assert len(lines) == len(found.items)  # one line per item, in the gap's order
    for item, line in zip(found.items, lines, strict=True):
        label, _, said = line.partition(": ")
        assert label == f"    - {item.indicator_id} {item.indicator_name.vi}"
        if item.shortfall is None:
            assert said.startswith("chưa đạt")
            continue
        verb = "còn thiếu" if item.op in (">=", ">") else "vượt quá"
        assert said.startswith(f"{verb} {vi_number(item.shortfall)} "), line
        number = said.removeprefix(verb).split()[0]
        assert "." not in number or "," in number  # no decimal point, only thousands dots


def test_an_unmet_prerequisite_is_named_with_the_lower_gap() -> None:
    record = LADDER_SPACE.perfect(year=2024, field_roads_pct=10.0)  # fails NTM 2.4 only
    result = evaluate(NANG_CAO, record)
    assert result.prerequisite is not None and result.prerequisite.status == NOT_MET
    found = gap(result)
    assert found.prerequisite == result.prerequisite.name
    lower = found.prerequisite_gap
    assert lower is not None and lower.ruleset_id == NTM
    assert [(i.criterion_id, i.indicator_id) for i in lower.items] == [("2", "2.4")]
    assert not found.closed
    # nâng cao's own field_roads_hardened_pct is met, so the only obstacle is the prerequisite
    assert found.criteria == ()
    assert "Trước hết phải đạt: " + result.prerequisite.name.vi in found.render("vi")
    # held through a recognition of this phase: nothing to reach first
    recognised = evaluate(NANG_CAO, {**record, "recognised_ntm_year": 2022})
    assert gap(recognised).prerequisite is None and gap(recognised).closed


# -- to_dict -----------------------------------------------------------------------------------
GAP_KEYS = {
    "ruleset",
    "level",
    "level_name",
    "status",
    "closed",
    "criteria",
    "missing",
    "prerequisite",
    "prerequisite_gap",
}
ITEM_KEYS = {
    "criterion",
    "indicator",
    "name",
    "check",
    "op",
    "value",
    "threshold",
    "unit",
    "shortfall",
    "distance",
    "rests_on_unverified",
}


def check_dict(data: dict[str, Any]) -> None:
    assert set(data) == GAP_KEYS
    for criterion in data["criteria"]:
        assert set(criterion) == {"criterion", "name", "distance", "items"}
        for item in criterion["items"]:
            assert set(item) == ITEM_KEYS
    for missing in data["missing"]:
        assert set(missing) == {"criterion", "indicator", "fields", "undefined"}
    if data["prerequisite_gap"] is not None:
        check_dict(data["prerequisite_gap"])


@settings(max_examples=40, deadline=None)
@given(record=ladder_communes(missing_rates=(0, 5)))
def test_to_dict_is_json_and_stable(record: dict[str, Any]) -> None:
    result = evaluate(NANG_CAO, record)
    data = gap(result).to_dict()
    check_dict(data)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    assert json.loads(text) == data
    again = gap(evaluator_for(NANG_CAO).evaluate(dict(record))).to_dict()
    assert json.dumps(again, ensure_ascii=False, sort_keys=True) == text
    assert data["closed"] == (result.status == MET)
