"""evaluate_many: the same results as one evaluation after another, in input order, in this
process or in worker processes that load the rulesets themselves and leave nothing behind."""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from cli_support import ok, run
from hypothesis import given, settings
from hypothesis import strategies as st
from test_search_path import working_folder

from ntm_rules import InputError, NtmRulesError, evaluate_many, evaluator_for, get_ruleset
from ntm_rules import batch as batch_module
from ntm_rules.cli.inputs import model_of, ruleset_or_ladder
from ntm_rules.cli.progress import LONG_RUN, progress_bar
from ntm_rules.ladder import evaluate_on_ladder, get_ladder
from ntm_rules.models.structuring import load_records
from ntm_rules.ruleset.search import bundled_dir, use_rulesets

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sonla-communes-2023.json"
NATIONAL = "vn.commune.ntm.2021"
LADDER = "sonla.commune.2021"
SONLA_NTM = "sonla.commune.ntm.2021"


def sample(model: type[Any]) -> list[Any]:
    return load_records(SAMPLE, model)


def sequential(target: str, records: list[Any]) -> list[dict[str, Any]]:
    """What a plain loop gives, without evaluate_many."""
    ladder = get_ladder(target) if target == LADDER else None
    if ladder is not None:
        return [r.to_dict() for r in evaluate_on_ladder(ladder, records)]
    evaluator = evaluator_for(get_ruleset(target))
    return [evaluator.evaluate(r).to_dict() for r in records]


def unit_code(document: dict[str, Any]) -> str:
    result = document["results"][0] if "ladder" in document else document
    return str(result["unit"]["code"])


def child_processes() -> list[str]:
    """The command lines of this process's children, multiprocessing's own helpers included
    (read from /proc where there is one)."""
    found = [str(p) for p in multiprocessing.active_children()]
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            if parent == os.getpid():
                found.append((entry / "cmdline").read_bytes().decode(errors="replace"))
        except (OSError, IndexError, ValueError):  # gone meanwhile
            continue
    return found


@pytest.fixture(autouse=True)
def no_leftovers() -> Any:
    """Every test: no child process and no extra thread after it."""
    threads = threading.active_count()
    before = child_processes()
    yield
    assert child_processes() == before
    assert threading.active_count() == threads


@pytest.mark.parametrize("target", [NATIONAL, LADDER])
@pytest.mark.parametrize("workers", [1, 2])
def test_same_results_as_sequential_in_input_order(target: str, workers: int) -> None:
    records = sample(model_of(ruleset_or_ladder(target, "en")))
    records = records[::-1]  # not the file's order
    expected = sequential(target, records)
    found = [r.to_dict() for r in evaluate_many(target, records, workers=workers)]
    assert found == expected
    assert [unit_code(d) for d in found] == [r.code for r in records]


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_counts_rise_to_the_total(workers: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_module, "CHUNK", 30)
    records = sample(get_ruleset(NATIONAL).model)
    seen: list[tuple[int, int]] = []
    evaluate_many(NATIONAL, records, workers=workers, progress=lambda d, n: seen.append((d, n)))
    counts = [done for done, _ in seen]
    assert len(counts) > 2
    assert counts == sorted(set(counts))
    assert counts[-1] == len(records)
    assert {total for _, total in seen} == {len(records)}


@settings(max_examples=25)
@given(
    chunk=st.integers(1, 40),
    picks=st.lists(st.integers(0, 187), min_size=0, max_size=60),
)
def test_any_chunking_gives_the_sequential_results(chunk: int, picks: list[int]) -> None:
    records = [SAMPLE_RECORDS[n] for n in picks]
    saved = batch_module.CHUNK
    batch_module.CHUNK = chunk
    try:
        found = evaluate_many(NATIONAL, records)
    finally:
        batch_module.CHUNK = saved
    assert [r.to_dict() for r in found] == [SAMPLE_RESULTS[n] for n in picks]


SAMPLE_RECORDS = sample(get_ruleset(NATIONAL).model)
SAMPLE_RESULTS = sequential(NATIONAL, SAMPLE_RECORDS)


def test_workers_use_the_search_path(tmp_path: Path) -> None:
    """A bundled nâng cao file finds its prerequisite through the search path: in the workers
    too, the working folder's edited Sơn La NTM set is the one used."""
    folder = working_folder(tmp_path, income=90)  # Sơn La's income level: 90 million
    bundled = bundled_dir() / "son-la" / "commune-nang-cao-2021.yaml"
    records = sample(get_ruleset(bundled).model)
    before = [r.to_dict() for r in evaluate_many(get_ruleset(bundled), records, workers=2)]
    with use_rulesets([folder]):
        one = [r.to_dict() for r in evaluate_many(get_ruleset(bundled), records, workers=1)]
        two = [r.to_dict() for r in evaluate_many(get_ruleset(bundled), records, workers=2)]
    assert two == one
    assert two != before
    assert {d["prerequisite"]["computed"]["status"] for d in two} <= {"not_met", "missing"}
    assert "met" in {d["prerequisite"]["computed"]["status"] for d in before}


def test_first_bad_record_in_input_order_is_raised() -> None:
    good = {"code": "G", "region": "tdmnpb", "year": 2023}
    records: list[Any] = [good] * 150
    records[70] = {"code": "B1", "region": "zz", "year": 2023}
    records[130] = {"code": "B2", "region": "yy", "year": 2023}
    messages = []
    for workers in (1, 2):
        with pytest.raises(InputError) as caught:
            evaluate_many(NATIONAL, records, workers=workers)
        messages.append((caught.value.describe("vi"), caught.value.describe("en")))
        assert caught.value.record == "code B1"
    assert messages[0] == messages[1]


def test_wrong_worker_count() -> None:
    with pytest.raises(NtmRulesError, match="workers"):
        evaluate_many(NATIONAL, [], workers=-1)
    assert evaluate_many(NATIONAL, [], workers=2) == []


@pytest.mark.parametrize(("target", "output_format"), [(NATIONAL, "json"), (LADDER, "csv")])
def test_cli_workers_give_the_same_output(target: str, output_format: str) -> None:
    outputs = [
        ok(run("evaluate", SAMPLE, "-r", target, "-f", output_format, "--workers", n)).stdout
        for n in ("1", "2")
    ]
    assert outputs[0] == outputs[1]
    if output_format == "json":
        assert len(json.loads(outputs[0])["results"]) == len(SAMPLE_RECORDS)


def test_cli_no_progress_bar_off_a_terminal(tmp_path: Path) -> None:
    many = tmp_path / "many.json"
    document = json.loads(SAMPLE.read_text("utf-8"))
    units = document["units"]
    document["units"] = units + [{**u, "code": f"{u['code']}-2"} for u in units]  # over 200
    many.write_text(json.dumps(document), "utf-8")
    result = ok(run("evaluate", many, "-r", NATIONAL, "-f", "csv", "--workers", "2"))
    assert result.stderr == ""


def test_cli_wrong_worker_count() -> None:
    result = run("evaluate", SAMPLE, "-r", NATIONAL, "--workers", "-1")
    assert result.exit_code == 2
    assert "--workers" in result.output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_for_long_runs_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    with progress_bar(LONG_RUN, "vi") as short:
        assert short is None
    with progress_bar(LONG_RUN + 1, "vi") as bar:
        assert bar is not None
        bar(LONG_RUN + 1, LONG_RUN + 1)
    assert "Đang đánh giá" in sys.stderr.getvalue()
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with progress_bar(10 * LONG_RUN, "vi") as piped:
        assert piped is None


def test_workers_do_not_go_with_jsonl() -> None:
    data = Path(__file__).resolve().parent.parent / "examples" / "sonla-communes-2023.json"
    result = run("evaluate", "-r", "vn.commune.ntm.2021", data, "-f", "jsonl", "--workers", "2")
    assert result.exit_code == 2 and "--workers" in result.stderr


def test_a_worker_s_results_come_back_as_the_engine_left_them() -> None:
    """Workers send statuses and facts, not objects (about 1 KB a unit instead of 9 KB, and a
    hundredth of the time); the parent attaches them to its own evaluator, so they are as lazy,
    and explain and serialise as, the results of this process."""
    records = sample(model_of(ruleset_or_ladder(LADDER, "en")))[:60]
    pooled = evaluate_many(LADDER, records, workers=2)
    here = evaluate_many(LADDER, records)
    for ours, theirs in zip(pooled, here, strict=True):
        for level, same in zip(ours.results, theirs.results, strict=True):
            assert type(level.detail).__name__ == "UnitDetail"
            assert level.explain("vi") == same.explain("vi")
        assert ours.to_dict("standard") == theirs.to_dict("standard")


def test_a_detail_sent_as_the_engine_left_it_needs_the_same_evaluator() -> None:
    import pickle

    from ntm_rules import detail

    result = evaluator_for(NATIONAL).evaluate({"code": "A", "region": "tn", "year": 2024})
    detail.PORTABLE = True
    try:
        blob = pickle.dumps(result)
    finally:
        detail.PORTABLE = False
    assert len(blob) < len(pickle.dumps(result)) / 3
    again = pickle.loads(blob)
    assert again.detail.evaluator is result.detail.evaluator
    assert again.to_dict() == result.to_dict()
