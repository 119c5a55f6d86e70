"""Many units per rule-engine session, and results built only when read.

A batch must give every unit exactly the result it gets alone; a bad record stops the batch with
an error naming that record, as a loop of single evaluations would; the JSON form assembled from
the shared skeleton equals the one the result objects give.
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import communes, ladder_communes

from ntm_rules import EngineError, EvaluationError, InputError, evaluation, evaluator_for
from ntm_rules.compact.detail import shape
from ntm_rules.engine import compiler, durable_host
from ntm_rules.evaluation import Evaluator
from ntm_rules.ladder import evaluate_on_ladder, get_ladder

NATIONAL = "vn.commune.ntm.2021"
MODEL = "vn.commune.kieu-mau.2021"


def one_by_one(evaluator: Evaluator, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [evaluator.evaluate(record).to_dict() for record in records]


@settings(max_examples=15, deadline=None)
@given(records=st.lists(communes(), min_size=1, max_size=12), cut=st.integers(1, 5))
def test_a_batch_gives_each_unit_its_result_alone(records: list[dict[str, Any]], cut: int) -> None:
    evaluator = evaluator_for(NATIONAL)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(evaluation, "BATCH", cut)  # several sessions, the last one partial
        batched = [r.to_dict() for r in evaluator.evaluate_many(records)]
    assert batched == one_by_one(evaluator, records)


@settings(max_examples=10, deadline=None)
@given(records=st.lists(ladder_communes(), min_size=1, max_size=8))
def test_a_batch_on_a_level_with_prerequisites_gives_each_unit_its_result(
    records: list[dict[str, Any]],
) -> None:
    evaluator = evaluator_for(MODEL)  # requires nâng cao, which requires NTM: three sessions
    batched = evaluator.evaluate_many(records)
    alone = [evaluator.evaluate(record) for record in records]
    assert [r.to_dict() for r in batched] == [r.to_dict() for r in alone]
    assert [r.explain("en") for r in batched] == [r.explain("en") for r in alone]


@settings(max_examples=25, deadline=None)
@given(record=communes())
def test_the_json_form_equals_the_one_the_result_objects_give(record: dict[str, Any]) -> None:
    result = evaluator_for(NATIONAL).evaluate(record)
    fast = result.to_dict()
    as_objects = pickle.loads(pickle.dumps(result))  # carries the built objects, not the engine
    assert type(as_objects.detail).__name__ == "BuiltDetail"
    assert as_objects.to_dict() == fast
    assert as_objects == result
    assert as_objects.explain("vi") == result.explain("vi")


def test_each_json_form_is_a_fresh_copy() -> None:
    evaluator = evaluator_for(NATIONAL)
    first, second = evaluator.evaluate_many(
        [{"code": "A", "region": "tn", "year": 2024}, {"code": "B", "region": "tn", "year": 2024}]
    )
    one = first.to_dict()
    one["criteria"][0]["name"]["vi"] = "changed"
    one["parameters"].clear()
    one["criteria"][0]["indicators"][0]["checks"].clear()
    again = first.to_dict()
    assert again["criteria"][0]["name"]["vi"] != "changed"
    assert again["parameters"] and again["criteria"][0]["indicators"][0]["checks"]
    assert second.to_dict()["criteria"][0]["name"] == again["criteria"][0]["name"]


def test_a_bad_record_stops_the_batch_naming_itself() -> None:
    evaluator = evaluator_for(NATIONAL)
    records: list[dict[str, Any]] = [
        {"code": f"C{n}", "region": "tn", "year": 2024} for n in range(250)
    ]
    records[137] = {"code": "BAD", "region": "tn", "year": 2024, "income_per_capita": "many"}
    with pytest.raises(InputError, match="BAD"):
        evaluator.evaluate_many(records)
    records[137] = {"code": "EARLY", "region": "tn", "year": 1990}
    with pytest.raises(EvaluationError, match="EARLY"):
        evaluator.evaluate_many(records)
    # the records around it are unharmed: a batch after the error gives their results
    del records[137]
    assert [r.unit.code for r in evaluator.evaluate_many(records)] == [r["code"] for r in records]


def test_an_engine_contradiction_names_the_unit_it_hit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The statuses of each unit are read from the rules fired for it alone: a contradiction
    (never seen; checked at run time) names that unit's record, not its batch."""
    evaluator = evaluator_for(NATIONAL)
    records = [{"code": f"C{n}", "region": "tn", "year": 2024} for n in range(5)]
    real = durable_host.run_batch

    def twice_for_unit_3(handle: int, facts: Any, follow_up: Any, **kw: Any) -> Any:
        def doctored(fired: durable_host.Fired) -> Any:
            return follow_up([*fired, ("i0.met", [3])])  # unit 3's indicator 0 also met

        return real(handle, facts, doctored, **kw)

    monkeypatch.setattr(evaluation, "run_batch", twice_for_unit_3)
    with pytest.raises(EngineError, match=r"C3.*both"):
        evaluator.evaluate_many(records)


def test_every_rule_gathers_a_whole_batch_in_one_action() -> None:
    rules = evaluator_for(NATIONAL).compiled.rules
    assert {rule["cap"] for rule in rules.values()} == {compiler.BATCH}


def test_a_batch_costs_a_few_engine_calls_not_a_few_per_unit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    evaluator = evaluator_for(NATIONAL)
    records = [{"code": f"C{n}", "region": "tn", "year": 2024} for n in range(100)]
    evaluator.evaluate_many(records)
    calls: list[str] = []
    real = durable_host._engine

    class Counting:
        def __getattr__(self, name: str) -> Any:
            calls.append(name)
            return getattr(real, name)

    monkeypatch.setattr(durable_host, "_engine", Counting())
    evaluator.evaluate_many(records)
    actions = calls.count("complete_and_start_action")
    rules = len(evaluator.compiled.rules)
    assert actions <= rules  # one action per rule that fired, whatever the number of units
    assert calls.count("delete_state") == 1


@settings(max_examples=20, deadline=None)
@given(record=communes(), detail=st.sampled_from(["standard", "summary"]))
def test_a_lighter_detail_is_the_full_form_cut(record: dict[str, Any], detail: str) -> None:
    """``to_dict(detail)`` skips the wording and provenance it would drop: the same as cutting
    the full form, whether the result was built by the engine here or read back from a pickle."""
    result = evaluator_for(NATIONAL).evaluate(record)
    expected = shape(result.to_dict(), detail)
    assert result.to_dict(detail) == expected
    assert pickle.loads(pickle.dumps(result)).to_dict(detail) == expected


@settings(max_examples=8, deadline=None)
@given(record=ladder_communes(), detail=st.sampled_from(["standard", "summary"]))
def test_a_lighter_detail_of_a_ladder_result_is_its_full_form_cut(
    record: dict[str, Any], detail: str
) -> None:
    (placed,) = evaluate_on_ladder(get_ladder("vn.commune.2021"), [record])
    assert placed.to_dict(detail) == shape(placed.to_dict(), detail)
