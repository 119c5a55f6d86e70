"""The durable-rules hazards (shared/domain/anchors-and-durable-rules.md §5 and §8) do not reach
users of the library: no crash, no thread, no leaked session or ruleset, no infinite loop, and
engine failures surface as EngineError.

Sequences that crashed durable-rules run in a subprocess, so a SIGSEGV/SIGABRT fails one test
instead of killing the whole run.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from generated_rulesets import wide_group

from ntm_rules import Evaluator, InputError, RulesetError, evaluator_for, load_ruleset
from ntm_rules.engine.durable_host import live_rulesets
from ntm_rules.models.commune import REGIONS
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.vocabulary import field_specs

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NATIONAL_ID = "vn.commune.ntm.2021"
NATIONAL_FILE = REPO / "rulesets" / "national" / "commune-ntm-2021.yaml"
STATUSES = {"met", "not_met", "missing"}


# -- helpers -----------------------------------------------------------------------------------
def run_python(code: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter that imports this checkout of ntm_rules."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def outcome(proc: subprocess.CompletedProcess[str]) -> str:
    if proc.returncode < 0:
        how = f"killed by {signal.Signals(-proc.returncode).name}"
    else:
        how = f"exit {proc.returncode}"
    return f"{how}\n--- stdout ---\n{proc.stdout[-2000:]}\n--- stderr ---\n{proc.stderr[-3000:]}"


def assert_clean_exit(proc: subprocess.CompletedProcess[str]) -> list[str]:
    assert proc.returncode == 0, outcome(proc)
    return proc.stdout.splitlines()


SPECS = field_specs(Commune2021)
IDENTITY = {"code", "name", "province", "district", "district_code", "region", "year"}
KNOWN_FLAGS = {"dbkk", "atk", "poor_district"}


def random_commune(rng: random.Random, index: int) -> dict[str, Any]:
    """A commune with a random mix of given, missing, passing and failing values."""
    row: dict[str, Any] = {
        "code": f"C{index:05d}",
        "region": rng.choice(list(REGIONS)),
        "year": rng.choice([2022, 2023, 2024, 2025]),
    }
    for flag in KNOWN_FLAGS:
        row[flag] = rng.random() < 0.1
    for spec in SPECS:
        if (
            spec.name in IDENTITY | KNOWN_FLAGS
            or spec.name.startswith("recognised_")
            or rng.random() < 0.15
        ):
            continue
        if spec.kind == "bool":
            row[spec.name] = rng.random() < 0.8
        elif spec.kind == "int":
            row[spec.name] = rng.choice([0, 0, 0, 1, 5])
        elif spec.kind == "number":
            high = spec.maximum if spec.maximum is not None else 120.0
            row[spec.name] = round(rng.uniform(0, high), 2)
    return row


def communes(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    return [random_commune(rng, seed * 100_000 + i) for i in range(count)]


# -- (a) known crash sequences, through the library, in subprocesses ---------------------------
def test_evaluating_many_communes_does_not_crash() -> None:
    proc = run_python(
        """
        import collections
        from ntm_rules import evaluator_for
        ev = evaluator_for("vn.commune.ntm.2021")
        regions = ["tdmnpb", "dbsh", "btb", "dhntb", "tn", "dnb", "dbscl"]
        seen = collections.Counter()
        for i in range(1500):
            record = {
                "code": f"C{i}", "region": regions[i % 7], "year": 2022 + i % 4,
                "dbkk": i % 11 == 0,
                "income_per_capita": float(i % 90),
                "irrigated_farmland_pct": float(i % 101),
                "temporary_houses": i % 3,
            }
            result = ev.evaluate(record)
            income = next(x for x in result.indicators if x.id == "10")
            seen[income.status] += 1
        print("evaluated", sum(seen.values()))
        print("income", seen["met"] > 0, seen["not_met"] > 0)
        """
    )
    lines = assert_clean_exit(proc)
    assert lines[-2:] == ["evaluated 1500", "income True True"]


def test_an_exception_in_the_follow_up_does_not_crash() -> None:
    proc = run_python(
        """
        from ntm_rules import evaluator_for, get_ruleset
        from ntm_rules.engine.compiler import compile_ruleset
        from ntm_rules.engine.durable_host import register, run_batch

        compiled = compile_ruleset(get_ruleset("vn.commune.ntm.2021"))
        handle = register(compiled.name, compiled.rules)
        unit_facts = [{"u": 0, marker: 1} for marker in compiled.markers]

        class Boom(Exception):
            pass

        def follow_up(fired):
            assert fired, "the catch-all rule must fire"
            raise Boom()

        raised = 0
        for _ in range(1100):  # more than the 1,024 live sessions a leak would exhaust
            try:
                run_batch(handle, [dict(f) for f in unit_facts], follow_up)
            except Boom:
                raised += 1
        print("raised", raised)
        ev = evaluator_for("vn.commune.ntm.2021")
        for i in range(50):
            ev.evaluate({"code": f"C{i}", "region": "tn", "year": 2024})
        print("status", ev.evaluate({"code": "X", "region": "tn", "year": 2024}).status)
        """
    )
    lines = assert_clean_exit(proc)
    assert lines[-2:] == ["raised 1100", "status missing"]


def test_registering_the_same_ruleset_twice() -> None:
    proc = run_python(
        f"""
        import copy
        from ntm_rules import Evaluator, evaluator_for, get_ruleset, load_ruleset
        from ntm_rules.engine.compiler import compile_ruleset
        from ntm_rules.engine.durable_host import live_rulesets, register

        ruleset = get_ruleset("vn.commune.ntm.2021")
        first = Evaluator(ruleset)
        count = live_rulesets()
        compiled = compile_ruleset(ruleset)
        rules = copy.deepcopy(compiled.rules)
        handles = {{register(compiled.name, compiled.rules) for _ in range(3)}}
        assert compiled.rules == rules, "register must not change its argument"
        others = [Evaluator(ruleset), Evaluator(load_ruleset({str(NATIONAL_FILE)!r})),
                  evaluator_for(ruleset), evaluator_for("vn.commune.ntm.2021")]
        print("handles", len(handles), "registered", live_rulesets() - count)
        record = {{"code": "A", "region": "dbsh", "year": 2024, "income_per_capita": 70.0,
                   "master_plan_approved": True, "temporary_houses": 2}}
        expected = first.evaluate(record).to_dict()
        print("same", all(e.evaluate(record).to_dict() == expected for e in others))
        """
    )
    lines = assert_clean_exit(proc)
    assert lines[-2:] == ["handles 1 registered 0", "same True"]


def test_evaluating_after_engine_errors() -> None:
    proc = run_python(
        """
        from ntm_rules import EngineError, evaluator_for
        from ntm_rules.engine.durable_host import register, run_batch

        ev = evaluator_for("vn.commune.ntm.2021")
        record = {"code": "A", "region": "btb", "year": 2023, "income_per_capita": 50.0,
                  "irrigated_farmland_pct": 79.9, "master_plan_approved": True}
        before = ev.evaluate(record).to_dict()
        messages = []
        # two facts with one id in one session (engine code 2), as if fact_ids had a bug
        import ntm_rules.engine.durable_host as host
        ids = host.fact_ids
        host.fact_ids = lambda count: ["same"] * count
        unit_fact = {"u": 0, ev.compiled.markers[0]: 1}
        try:
            run_batch(ev._handle, [dict(unit_fact)], lambda fired: [dict(unit_fact)])
        except EngineError as exc:
            messages.append(str(exc))
        host.fact_ids = ids
        # a ruleset the engine cannot build
        try:
            register("ntm_test_invalid", {"r": {"all": [{"m": {"$nosuchop": {"x": 1}}}]}})
        except EngineError as exc:
            messages.append(str(exc))
        print("errors", len(messages))
        print("readable", all(m.startswith("rule engine error ") for m in messages))
        for i in range(1100):
            ev.evaluate({"code": f"C{i}", "region": "dnb", "year": 2024})
        print("same", ev.evaluate(record).to_dict() == before)
        """
    )
    lines = assert_clean_exit(proc)
    assert lines[-3:] == ["errors 2", "readable True", "same True"]


def test_run_batch_with_an_unmatched_fact_raises_instead_of_crashing() -> None:
    proc = run_python(
        """
        from ntm_rules import EngineError, evaluator_for
        from ntm_rules.engine.durable_host import run_batch

        ev = evaluator_for("vn.commune.ntm.2021")
        try:
            run_batch(ev._handle, [{"u": 0, "unrelated": 1}], lambda fired: [{"u": 0, "sm": 1}])
        except EngineError as exc:
            print("EngineError", exc)
        print("status", ev.evaluate({"code": "A", "region": "tn", "year": 2024}).status)
        """
    )
    lines = assert_clean_exit(proc)
    assert lines[-1] == "status missing"


def test_raw_durable_rules_segfault_b_is_still_there() -> None:
    """Not a test of the library: durable-rules itself still crashes on the §8 'Segfault B'
    sequence (the reason for the catch-all rules). It fails when an upgrade or patch of
    durable-rules fixes it, so that the workarounds in durable_host.py are reviewed."""
    proc = run_python(
        """
        from durable import engine

        class Host(engine.Host):
            def get_action(self, name):
                def act(c):
                    c.s.level = name
                return act

            def _run(self):  # no background dispatcher
                pass

        host = Host()
        host.set_rulesets({"r": {"std": {"all": [{"m": {"$gte": {"x": 50}}}], "run": "std"}}})
        try:
            host.assert_fact("r", {"sid": "0", "x": 5})
        except Exception as exc:
            print("caught", type(exc).__name__)
        host.delete_state("r", "0")
        print("survived")
        """,
        timeout=60,
    )
    assert proc.returncode == -signal.SIGSEGV, (
        "raw durable-rules no longer crashes on Segfault B: it may have been fixed; review the "
        f"workarounds in ntm_rules/engine/durable_host.py ({outcome(proc)})"
    )
    assert proc.stdout.split() == ["caught", "MessageNotHandledException"]


# -- (b) no background threads -----------------------------------------------------------------
def test_no_background_threads() -> None:
    before = threading.active_count()
    names_before = {t.name for t in threading.enumerate()}
    evaluator = Evaluator(load_ruleset(FIXTURES / "minimal-valid.yaml"))
    national = evaluator_for(NATIONAL_ID)
    for row in communes(200, seed=1):
        national.evaluate(row)
    evaluator.evaluate({"code": "M", "region": "tn", "year": 2024, "income_per_capita": 50.0})
    assert threading.active_count() == before
    assert {t.name for t in threading.enumerate()} == names_before


# -- (c) no state leak -------------------------------------------------------------------------
def test_no_session_or_ruleset_leak(tmp_path: Path) -> None:
    national = evaluator_for(NATIONAL_ID)
    registered = live_rulesets()
    rows = communes(3000, seed=2)
    results = [national.evaluate(row) for row in rows]  # over the 1,024 live-session limit
    assert [r.unit.code for r in results] == [row["code"] for row in rows]
    assert {r.status for r in results} <= STATUSES
    assert {i.status for r in results for i in r.indicators} == {
        "met",
        "not_met",
        "missing",
        "not_applicable",
    }
    assert live_rulesets() == registered
    # a fresh Evaluator of the same ruleset, and of a fresh load of the same text
    again = Evaluator(national.ruleset)
    copy_path = tmp_path / "copy.yaml"
    copy_path.write_bytes(NATIONAL_FILE.read_bytes())
    reloaded = Evaluator(load_ruleset(copy_path))
    assert live_rulesets() == registered
    for row in rows[:20]:
        expected = national.evaluate(row).to_dict()
        assert again.evaluate(row).to_dict() == expected
        copied = reloaded.evaluate(row).to_dict()
        assert copied["ruleset"].pop("file") == str(copy_path.resolve())  # the file it read
        expected["ruleset"].pop("file")
        assert copied == expected
    assert live_rulesets() == registered


# -- (d) threads give the sequential results ---------------------------------------------------
def test_concurrent_evaluations_match_sequential_ones() -> None:
    """Four threads evaluate the same records (two of them in reverse order, so that the same
    record is often in flight twice at once) and each gets exactly the sequential results."""
    national = evaluator_for(NATIONAL_ID)
    rows = communes(200, seed=10)
    expected = [national.evaluate(row).to_dict() for row in rows]
    got: list[list[dict[str, Any]] | None] = [None] * 4
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def work(index: int) -> None:
        order = rows if index % 2 == 0 else rows[::-1]
        try:
            start.wait()
            found = [national.evaluate(row).to_dict() for row in order]
            got[index] = found if index % 2 == 0 else found[::-1]
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert got == [expected] * 4


def test_concurrent_first_use_of_a_new_ruleset() -> None:
    """Several threads building Evaluators of one new ruleset at once register it once."""
    ruleset = load_ruleset(FIXTURES / "negations-only.yaml")
    registered = live_rulesets()
    results: list[str] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        status = Evaluator(ruleset).evaluate({"code": f"T{index}", "region": "tn", "year": 2024})
        with lock:
            results.append(status.status)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results == ["missing"] * 4
    assert live_rulesets() - registered <= 1
    Evaluator(ruleset)
    assert live_rulesets() - registered <= 1


# -- (e) engine errors are EngineErrors with a message -----------------------------------------
def test_a_too_wide_ruleset_is_a_ruleset_error(tmp_path: Path) -> None:
    path = tmp_path / "wide.yaml"
    path.write_text(wide_group(20), encoding="utf-8")
    ruleset = load_ruleset(path)
    registered = live_rulesets()
    with pytest.raises(RulesetError) as info:
        Evaluator(ruleset)
    message = str(info.value)
    assert message.startswith(str(info.value.file))
    assert Path(info.value.file or "").name == "wide.yaml"
    assert "values in one fact" in message and "240" in message
    assert live_rulesets() == registered  # nothing was registered


def test_engine_errors_on_registration_are_engine_errors() -> None:
    proc = run_python(
        """
        from ntm_rules import EngineError
        from ntm_rules.engine.durable_host import live_rulesets, register

        count = live_rulesets()
        for rules in ({"r": {"all": [{"m": {"$nosuchop": {"x": 1}}}]}}, {"r": {"all": 5}}):
            try:
                register("ntm_test_bad", rules)
            except EngineError as exc:
                print("EngineError", str(exc)[:40])
        print("registered", live_rulesets() - count)
        """
    )
    lines = assert_clean_exit(proc)
    assert len(lines) == 3
    for line in lines[:2]:
        assert re.match(r"EngineError rule engine error \d+: ", line), line
    assert lines[-1] == "registered 0"


@pytest.mark.parametrize(
    "extra",
    [
        {"irrigated_farmland_pct": 5e-05},
        {"multidimensional_poverty_pct": 1e-05},
        {"income_per_capita": 1e15},
        {"income_per_capita": 999_999_999_999_999.9},
    ],
)
def test_valid_inputs_never_break_the_engine(extra: dict[str, Any]) -> None:
    result = evaluator_for(NATIONAL_ID).evaluate(
        {"code": "E", "region": "tn", "year": 2024, **extra}
    )
    assert result.status in STATUSES


@pytest.mark.parametrize(
    "value", [1e16, 10**16, 10**5000, float("inf")], ids=["1e16", "10**16", "10**5000", "inf"]
)
def test_numbers_beyond_the_bound_are_input_errors(value: float) -> None:
    with pytest.raises(InputError) as info:
        evaluator_for(NATIONAL_ID).evaluate(
            {"code": "E", "region": "tn", "year": 2024, "income_per_capita": value}
        )
    assert (info.value.record, info.value.field) == ("code E", "income_per_capita")


# -- (f) every evaluation terminates -----------------------------------------------------------
def test_negation_and_missing_rules_terminate() -> None:
    """Rules on missing values and negations must be anchored to the unit fact, or they match
    the engine's own session state and loop forever."""
    proc = run_python(
        f"""
        from ntm_rules import Evaluator, evaluator_for, load_ruleset

        ev = Evaluator(load_ruleset({str(FIXTURES / "negations-only.yaml")!r}))
        empty = ev.evaluate({{"code": "E", "region": "dbsh", "year": 2024}})
        print("empty", empty.status, [i.status for i in empty.indicators])
        full = ev.evaluate({{
            "code": "F", "region": "tn", "year": 2024, "temporary_houses": 0,
            "multidimensional_poverty_pct": 3.0, "has_craft_village": False,
            "craft_village_plan": False, "master_plan_approved": True,
            "planning_rules_enforced": False, "security_order_safe": False,
        }})
        print("full", full.status, [i.status for i in full.indicators])
        for i in range(300):
            ev.evaluate({{"code": f"C{{i}}", "region": "tn", "year": 2024,
                         "dbkk": i % 2 == 0, "has_craft_village": i % 3 == 0}})
        national = evaluator_for("vn.commune.ntm.2021")
        print("national", national.evaluate({{"code": "N", "region": "tn", "year": 2024}}).status)
        """,
        timeout=90,
    )
    lines = assert_clean_exit(proc)
    assert lines[-3:] == [
        "empty missing ['missing', 'missing', 'not_met', 'missing', 'missing', 'missing']",
        "full not_met ['met', 'met', 'met', 'met', 'not_met', 'met']",
        "national missing",
    ]


# -- (g) fork safety ---------------------------------------------------------------------------
def test_a_fork_while_other_threads_evaluate_never_deadlocks_the_child() -> None:
    """Two threads evaluate (and build evaluators) without pause while the main thread forks
    30 times; every child evaluates, builds a new evaluator, and gets the parent's result."""
    proc = run_python(
        f"""
        import os, threading, time
        from ntm_rules import evaluator_for, get_ruleset, load_ruleset

        national = get_ruleset("vn.commune.ntm.2021")
        record = {{"code": "F", "region": "tn", "year": 2024, "income_per_capita": 50.0,
                   "irrigated_farmland_pct": 90.0, "master_plan_approved": True}}
        expected = evaluator_for(national).evaluate(record).to_dict()
        stop = threading.Event()

        def busy():
            while not stop.is_set():
                result = evaluator_for(national).evaluate(record)
                result.rests_on_unverified
                result.to_dict()

        threads = [threading.Thread(target=busy) for _ in range(2)]
        for thread in threads:
            thread.start()
        outcomes = {{"same": 0, "different": 0, "error": 0, "hung": 0}}
        for _ in range(30):
            time.sleep(0.01)
            pid = os.fork()
            if pid == 0:
                try:
                    got = evaluator_for(national).evaluate(record).to_dict()
                    other = evaluator_for(load_ruleset({str(FIXTURES / "minimal-valid.yaml")!r}))
                    other.evaluate({{"code": "M", "region": "tn", "year": 2024}})
                    os._exit(0 if got == expected else 3)
                except BaseException:
                    os._exit(4)
            deadline = time.monotonic() + 20
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    code = os.waitstatus_to_exitcode(status)
                    outcomes[{{0: "same", 3: "different"}}.get(code, "error")] += 1
                    break
                if time.monotonic() > deadline:
                    os.kill(pid, 9)
                    os.waitpid(pid, 0)
                    outcomes["hung"] += 1
                    break
                time.sleep(0.005)
        stop.set()
        for thread in threads:
            thread.join()
        print(outcomes)
        """,
        timeout=400,
    )
    lines = assert_clean_exit(proc)
    assert lines[-1] == "{'same': 30, 'different': 0, 'error': 0, 'hung': 0}"


def test_a_stage_with_no_facts_never_reaches_the_engine() -> None:
    """durable-rules dies (SIGSEGV) when given an empty list of facts: an empty stage is
    answered without it."""
    proc = run_python(
        """
        from ntm_rules.engine.durable_host import register, run_batch

        handle = register("ntm_test_empty_stage", {"any": {"all": [{"m": {"$ex": {"g0": 1}}}]}})
        print(run_batch(handle, [{"u": 0, "g0": 1}], lambda fired: []))
        print(run_batch(handle, [], lambda fired: []))
        """
    )
    assert assert_clean_exit(proc)[-2:] == ["([('any', [0])], [])", "([], [])"]


def test_the_facts_of_a_session_never_share_the_engine_s_hash_of_their_id() -> None:
    """The engine tells a session's facts apart by a 32-bit hash of their id alone: a collision
    is "already asserted" (it happened once in a million evaluations with the ids the engine
    makes from fact contents). Ids are ours, and their hashes all differ."""
    from ntm_rules.engine.durable_host import _fnv1a32, fact_ids

    ids = fact_ids(5000)
    assert len(set(ids)) == 5000
    assert len({_fnv1a32(i) for i in ids}) == 5000
    assert len({_fnv1a32(f'"{i}"') for i in ids}) == 5000
    assert fact_ids(10) == ids[:10]  # the same ids in every session
    assert _fnv1a32("a") == 0xE40C292C  # FNV-1a, as the engine's fnv1Hash32


def test_a_fact_s_id_is_what_the_engine_tells_facts_apart_by() -> None:
    proc = run_python(
        """
        import durable_rules_engine as engine
        import json
        handle = engine.create_ruleset("ids", json.dumps({"a": {"all": [{"m": {"$ex": {"g": 1}}}]}}))
        print(engine.assert_fact(handle, json.dumps({"g": 1, "x": 1, "sid": "1", "id": "7"}))[0])
        print(engine.assert_fact(handle, json.dumps({"g": 1, "x": 2, "sid": "1", "id": "7"}))[0])
        print(engine.assert_fact(handle, json.dumps({"g": 1, "x": 2, "sid": "1", "id": "8"}))[0])
        """
    )
    assert assert_clean_exit(proc)[-3:] == ["0", "2", "0"]  # 2: "already asserted"
