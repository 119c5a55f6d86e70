"""durable-rules' structural limits are checked before a ruleset reaches the engine, and the
check is sound: what it accepts runs, what the engine cannot run it refuses, with a message
that names the limit and the file (and the line, when one indicator is to blame)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from cli_support import failed, run
from generated_rulesets import (
    BOOLS,
    random_record,
    random_ruleset,
    ruleset_text,
    slot_heavy,
    uniform,
    wide_group,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_safety import assert_clean_exit, run_python

from ntm_rules import (
    Evaluator,
    NtmRulesError,
    RulesetError,
    get_ruleset,
    load_ruleset,
    ruleset_files,
)
from ntm_rules.engine.compiler import compile_ruleset
from ntm_rules.engine.durable_host import live_rulesets
from ntm_rules.engine.limits import LIMITS, measure
from ntm_rules.validation import prove_runs

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def nested(groups: int) -> str:
    """A condition with ``groups`` nested and/or groups."""
    condition = BOOLS[0]
    for n in range(1, groups + 1):
        op = " and " if n % 2 else " or "
        condition = f"({condition}{op}{BOOLS[n % len(BOOLS)]})"
    return condition


CASES = {
    "360 indicators": (uniform(1, 360), "tests pending while one unit is matched"),
    "1,400 indicators": (uniform(20, 70), "rules (1400 indicators); the rule engine allows"),
    "64 criteria": (uniform(64, 1), "64 criteria need"),
    "a wide fact": (wide_group(20), "values in one fact"),
    "16 nested groups": (ruleset_text([[nested(16)]]), "expressions in one rule"),
    "150 missing-value tests": (slot_heavy(6, 25), "missing-value tests under one test"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_ruleset_past_a_limit_is_a_ruleset_error(tmp_path: Path, name: str) -> None:
    text, phrase = CASES[name]
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    ruleset = load_ruleset(path)
    registered = live_rulesets()
    with pytest.raises(RulesetError) as info:
        Evaluator(ruleset)
    assert phrase in str(info.value)
    assert info.value.file == str(path)
    assert live_rulesets() == registered  # refused before the engine saw it
    line = failed(run("validate", path, "--lang", "en"))
    assert phrase in line and str(path) in line
    vietnamese = failed(run("validate", path))
    assert vietnamese.startswith(f"Lỗi: {path}") and phrase not in vietnamese


def test_a_too_complex_condition_names_its_indicator_and_line(tmp_path: Path) -> None:
    text = ruleset_text([["has_craft_village", nested(16)]])
    path = tmp_path / "deep.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError) as info:
        compile_ruleset(load_ruleset(path))
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "id: 'i1'" in row)
    assert (info.value.file, info.value.line, info.value.key) == (str(path), line, "indicator i1")


def test_the_largest_accepted_sizes_run(tmp_path: Path) -> None:
    """Just inside the limits: 300 indicators, 14 nested groups, 50 criteria all evaluate."""
    for name, text in {
        "wide": uniform(1, 300),
        "deep": ruleset_text([["has_craft_village", nested(14)]]),
        "criteria": uniform(50, 1),
    }.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        evaluator = Evaluator(load_ruleset(path))
        rng = random.Random(name)
        for n in range(30):
            assert evaluator.evaluate(random_record(rng, f"R{n}")).status in {
                "met",
                "not_met",
                "missing",
            }


def test_the_limits_are_an_upper_bound_of_what_the_engine_needs(tmp_path: Path) -> None:
    """With the library's limits lifted, random rulesets go to the engine: every one the engine
    fails on is one the limits refuse (and some of each kind occur, so this is not vacuous).
    Rulesets that would overflow the engine's heap (127 missing-value tests) are not run."""
    proc = run_python(
        f"""
        import json, random, sys
        sys.path.insert(0, "tests")
        from generated_rulesets import random_record, random_ruleset, uniform
        import ntm_rules.engine.limits as limits
        from ntm_rules import EngineError, Evaluator, RulesetError, load_ruleset
        from ntm_rules.engine.compiler import compile_ruleset

        real = dict(limits.LIMITS)
        limits.LIMITS.update(dict.fromkeys(limits.LIMITS, 10**9))
        rng = random.Random(7)
        texts = [uniform(1, 340), uniform(1, 360), uniform(1, 420)]
        texts += [random_ruleset(rng) for _ in range(25)]
        for n, text in enumerate(texts):
            path = {str(tmp_path)!r} + f"/r{{n}}.yaml"
            open(path, "w", encoding="utf-8").write(text)
            try:
                ruleset = load_ruleset(path)
            except RulesetError:  # e.g. a condition over 2,000 characters
                continue
            found = limits.measure(compile_ruleset(ruleset).rules)
            within = all(getattr(found, k) <= real[k] for k in real if hasattr(found, k))
            if found.nex_children > 127:
                print(json.dumps({{"within": within, "ran": False}}))
                continue
            try:
                evaluator = Evaluator(ruleset)
                for i in range(15):
                    evaluator.evaluate(random_record(rng, f"C{{i}}"))
                failed = None
            except EngineError as exc:
                failed = str(exc)[:60]
            print(json.dumps({{"within": within, "ran": True, "failed": failed}}))
        """,
        timeout=600,
    )
    rows = [json.loads(line) for line in assert_clean_exit(proc)]
    ran = [r for r in rows if r["ran"]]
    assert not [r for r in ran if r["within"] and r["failed"]], rows
    assert any(r["failed"] for r in ran)  # the engine does fail past the limits
    assert any(r["within"] for r in ran)


def test_an_engine_failure_mid_session_does_not_crash_the_process() -> None:
    """When the engine itself fails on an assert (here a fact of over 255 values: the library
    refuses to send one, so the check is switched off as a bug would), the error is an
    EngineError in words;
    the session is left alone (deleting it after a failed assert corrupts durable-rules' heap),
    that ruleset is retired, and the others keep working past the 1,024 sessions a leak would
    exhaust."""
    proc = run_python(
        """
        import json
        import ntm_rules.engine.durable_host as host
        from ntm_rules import EngineError, evaluator_for
        from ntm_rules.engine.durable_host import register, run_batch

        checked = host.encode_facts
        host.encode_facts = lambda facts, vouched: [json.dumps(fact) for fact in facts]
        rules = {"any": {"all": [{"m": {"$ex": {"g0": 1}}}]}}
        handle = register("ntm_test_wide_fact", rules)
        wide = {"u": 0, "g0": 1, **{f"v{n}": n for n in range(300)}}
        for _ in range(3):
            try:
                run_batch(handle, [dict(wide)], lambda fired: [{"u": 0, "g0": 1}])
            except EngineError as exc:
                print("EngineError", exc)
        host.encode_facts = checked
        national = evaluator_for("vn.commune.ntm.2021")
        for i in range(1100):
            national.evaluate({"code": f"C{i}", "region": "tn", "year": 2024})
        print("after", national.evaluate({"code": "X", "region": "tn", "year": 2024}).status)
        """
    )
    lines = assert_clean_exit(proc)
    assert len(lines) == 4 and lines[-1] == "after missing", lines
    for line in lines[:3]:
        assert line.startswith("EngineError rule engine error 302: a fact has more"), line
    assert "retired" not in lines[0] and "retired" in lines[1] and "retired" in lines[2]


# -- validate proves a ruleset runs ------------------------------------------------------------
@pytest.mark.parametrize("ruleset_id", sorted(ruleset_files()))
def test_every_bundled_ruleset_is_proven_to_run(ruleset_id: str) -> None:
    assert prove_runs(get_ruleset(ruleset_id)) >= 8


def _with_threshold(tmp_path: Path, threshold: str, income: str) -> Path:
    text = ruleset_text([["income_per_capita >= 1"]]).replace(
        "income_per_capita >= param.income", f"income_per_capita >= {threshold}"
    )
    path = tmp_path / "threshold.yaml"
    path.write_text(text.replace("value: 40}", f"value: {income}}}"), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("threshold", "income", "phrase"),
    [
        ("param.income / (param.income / param.income)", "0", "division by zero"),
        ("param.income * 1000000000000000", "40", "beyond ±10^15"),
    ],
)
def test_a_threshold_that_cannot_be_computed_is_found_by_validate(
    tmp_path: Path, threshold: str, income: str, phrase: str
) -> None:
    path = _with_threshold(tmp_path, threshold, income)
    load_ruleset(path)  # reads well: the parameter is a number like any other
    error = failed(run("validate", path, "--lang", "en"))
    line = next(n for n, row in enumerate(path.read_text().splitlines(), 1) if "'i0'" in row)
    assert f"{path}:{line}:" in error and phrase in error and "indicator i0" in error


@pytest.mark.parametrize(
    "when", ["name not in ['Quỳnh Nhai']", "income_per_capita > 10", "dbkk and district == 'X'"]
)
def test_an_axis_rule_may_only_read_what_every_unit_has(tmp_path: Path, when: str) -> None:
    """Else a unit lacking that input has no row in the threshold tables: its evaluation would
    fail after the ruleset validated."""
    text = (FIXTURES / "minimal-valid.yaml").read_text(encoding="utf-8")
    text = text.replace('when: "dbkk or (atk and poor_district)"', f'when: "{when}"')
    path = tmp_path / "axis.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesetError, match="an axis rule may only read what every unit has"):
        load_ruleset(path)


def test_a_literal_division_by_zero_is_refused_at_load(tmp_path: Path) -> None:
    path = tmp_path / "zero.yaml"
    path.write_text(ruleset_text([["income_per_capita / (2 - 2) >= 1"]]), encoding="utf-8")
    with pytest.raises(RulesetError, match="division by zero"):
        load_ruleset(path)


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "9" * 400, "1e16"])
def test_a_parameter_value_the_engine_cannot_hold_is_refused_at_load(
    tmp_path: Path, value: str
) -> None:
    path = tmp_path / "value.yaml"
    path.write_text(
        ruleset_text([["income_per_capita >= 1"]]).replace("value: 40}", f"value: {value}}}"),
        encoding="utf-8",
    )
    with pytest.raises(RulesetError, match="finite number within"):
        load_ruleset(path)


# -- fuzz: rulesets through validate and evaluate ----------------------------------------------
@settings(max_examples=400)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_rulesets_only_raise_library_errors(
    tmp_path_factory: pytest.TempPathFactory, seed: int
) -> None:
    rng = random.Random(seed)
    path = tmp_path_factory.mktemp("fuzz") / "r.yaml"
    path.write_text(random_ruleset(rng, max_criteria=8, max_per=8), encoding="utf-8")
    try:
        ruleset = load_ruleset(path)
        if rng.random() < 0.1:
            prove_runs(ruleset)
        evaluator = Evaluator(ruleset)
        for n in range(5):
            result = evaluator.evaluate(random_record(rng, f"F{n}"))
            json.dumps(result.to_dict())
            result.explain("vi")
    except NtmRulesError:
        return


def test_measure_counts_what_the_compiler_emits() -> None:
    """The bundled rulesets sit well inside every limit (headroom for provincial additions)."""
    for ruleset_id in ruleset_files():
        found = measure(compile_ruleset(get_ruleset(ruleset_id)).rules)
        assert found.stack <= LIMITS["stack"] * 3 // 4, (ruleset_id, found)
        assert found.expressions <= LIMITS["expressions"] // 2, (ruleset_id, found)
