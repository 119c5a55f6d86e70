"""Compact results (issue 8 item 3): detail levels, batch documents, ``expand`` back to the very
``to_dict()`` of every sample unit, compact JSONL streams, the JSON Schemas of each form, and
``evaluate --detail`` / ``schema --compact`` on the command line."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest
from cli_support import failed, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st
from records import all_met_record
from strategies import communes, ladder_communes

import ntm_rules.cli.stream
from ntm_rules import NtmRulesError, evaluator_for
from ntm_rules.cli.output import compact_json
from ntm_rules.cli.stream import jsonl_lines
from ntm_rules.compact import (
    COMPACT_FORMS,
    DETAILS,
    INDICATOR_COLUMNS,
    batch_document,
    compact_schema,
    expand,
    expand_line,
    expand_lines,
    shape,
)
from ntm_rules.ladder import evaluate_on_ladder, get_ladder, level_rulesets
from ntm_rules.models.structuring import load_records
from ntm_rules.result import MISSING, NOT_MET

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "examples" / "sonla-communes-2023.json"
VILLAGES = ROOT / "examples" / "sonla-villages-2023.json"
NATIONAL = "vn.commune.ntm.2021"
RUNS = {  # id: (is a ladder, data file): every sample unit on rulesets and ladders
    NATIONAL: (False, COMMUNES),
    "sonla.commune.ntm.2021": (False, COMMUNES),
    "sonla.commune.kieu-mau.2021": (False, COMMUNES),
    "sonla.village.ntm.2021": (False, VILLAGES),
    "sonla.commune.2021": (True, COMMUNES),
    "sonla.village.2021": (True, VILLAGES),
    "vn.commune.2021": (True, COMMUNES),
}
Validator: Any = jsonschema.Draft202012Validator
_CACHE: dict[str, list[Any]] = {}


def evaluated(key: str) -> list[Any]:
    """The results (objects) of every sample unit on a ruleset or ladder, computed once."""
    if key not in _CACHE:
        ladder, data = RUNS[key]
        if ladder:
            target = get_ladder(key)
            records = load_records(data, level_rulesets(target)[-1].model)
            _CACHE[key] = list(evaluate_on_ladder(target, records))
        else:
            evaluator = evaluator_for(key)
            _CACHE[key] = [
                evaluator.evaluate(r) for r in load_records(data, evaluator.ruleset.model)
            ]
    return _CACHE[key]


def through_json(document: dict[str, Any]) -> dict[str, Any]:
    """A document as a reader gets it: written as compact JSON and read back."""
    found: dict[str, Any] = json.loads(compact_json(document))
    return found


@functools.cache
def validator(form: str) -> Any:
    schema = compact_schema(form)
    Validator.check_schema(schema)
    return Validator(schema, format_checker=Validator.FORMAT_CHECKER)


def errors(form: str, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator(form).iter_errors(document)]


def size(document: Any) -> int:
    return len(compact_json(document).encode("utf-8"))


# -- expand(batch_document(results), i) == results[i].to_dict(), for every sample unit ----------
@pytest.mark.parametrize("key", sorted(RUNS))
def test_expand_gives_back_every_sample_unit_exactly(key: str) -> None:
    results = evaluated(key)
    full = [r.to_dict() for r in results]
    document = through_json(batch_document(results, "standard"))
    assert document["kind"] == ("ladder" if RUNS[key][0] else "ruleset")
    assert len(document["units"]) == len(full)
    for n, expected in enumerate(full):
        rebuilt = expand(document, n)
        assert rebuilt == expected, (key, n)
        assert compact_json(rebuilt) == compact_json(expected)  # key order too: same bytes
    code = full[-1]["results"][0]["unit"]["code"] if RUNS[key][0] else full[-1]["unit"]["code"]
    assert expand(document, code) == full[-1]


@pytest.mark.parametrize("key", sorted(RUNS))
def test_documents_validate_against_their_schemas(key: str) -> None:
    results = evaluated(key)[:40]
    for detail in DETAILS:
        document = through_json(batch_document(results, detail))
        assert errors("batch", document) == []
        assert document["detail"] == detail
        if detail != "full":
            assert all(errors(detail, unit) == [] for unit in document["units"])


def test_a_broken_unit_fails_its_schema() -> None:
    document = through_json(batch_document(evaluated(NATIONAL)[:2], "standard"))
    unit = document["units"][0]
    first = next(iter(unit["criteria"].values()))
    row = next(iter(first["indicators"].values()))
    row.append("extra column")
    assert errors("standard", unit)
    assert errors("batch", document)


def test_full_documents_hold_the_full_results() -> None:
    results = evaluated(NATIONAL)[:5]
    document = through_json(batch_document(results, "full"))
    assert document["shared"] == {}
    assert [expand(document, n) for n in range(5)] == [r.to_dict() for r in results]


def test_a_summary_cannot_be_expanded() -> None:
    document = batch_document(evaluated(NATIONAL)[:3], "summary")
    with pytest.raises(NtmRulesError, match="standard"):
        expand(document, 0)


def test_unknown_units_and_details_are_errors() -> None:
    document = batch_document(evaluated(NATIONAL)[:3], "standard")
    with pytest.raises(NtmRulesError, match="no unit 'nowhere'"):
        expand(document, "nowhere")
    with pytest.raises(NtmRulesError, match="no unit '3'"):
        expand(document, 3)
    with pytest.raises(NtmRulesError, match="unknown detail level 'medium'"):
        shape(evaluated(NATIONAL)[0].to_dict(), "medium")


def test_one_document_holds_one_ruleset_or_ladder() -> None:
    mixed = [evaluated(NATIONAL)[0], evaluated("sonla.commune.ntm.2021")[0]]
    with pytest.raises(NtmRulesError, match="one ruleset or one ladder"):
        batch_document(mixed, "standard")


# -- what each level keeps ----------------------------------------------------------------------
@pytest.mark.parametrize("key", [NATIONAL, "sonla.commune.2021"])
def test_summary_states_each_units_outcome(key: str) -> None:
    results = evaluated(key)
    document = batch_document(results, "summary")
    for result, unit in zip(results, document["units"], strict=True):
        levels = result.results if RUNS[key][0] else [result]
        outcomes = unit["levels"] if RUNS[key][0] else [unit]
        for level, outcome in zip(levels, outcomes, strict=True):
            assert outcome["status"] == level.status
            assert outcome["criteria_met"] == level.criteria_met
            assert outcome["unmet_criteria"] == [
                c.id for c in level.criteria if c.status == NOT_MET
            ]
            assert outcome["missing_criteria"] == [
                c.id for c in level.criteria if c.status == MISSING
            ]
            assert outcome["rests_on_unverified"] == level.rests_on_unverified
            assert outcome["ruleset"]["content_hash"] == level.ruleset.content_hash


def test_standard_keeps_values_and_leaves_wording_to_the_document() -> None:
    result = evaluated(NATIONAL)[7]
    full = result.to_dict()
    record = shape(full, "standard")
    assert record["ruleset"] == {
        "id": result.ruleset.id,
        "version": result.ruleset.version,
        "content_hash": result.ruleset.content_hash,
    }
    for criterion in result.criteria:
        own = record["criteria"][criterion.id]
        assert own["status"] == criterion.status
        for indicator in criterion.indicators:
            row = dict(zip(INDICATOR_COLUMNS, own["indicators"][indicator.id], strict=True))
            primary = indicator.to_dict()
            for column in ("status", "value", "threshold", "comparison", "margin", "missing"):
                assert row[column] == primary[column]
    text = compact_json(record)
    for criterion in result.criteria:
        assert criterion.name.vi not in text
        for indicator in criterion.indicators:
            assert indicator.source.doc.number not in text


def test_shape_shares_instead_of_copying() -> None:
    full = evaluated(NATIONAL)[0].to_dict()
    assert shape(full, "full") is full
    record = shape(full, "standard")
    assert record["unit"] is full["unit"]
    criterion = full["criteria"][0]
    indicator = criterion["indicators"][0]
    row = record["criteria"][criterion["id"]]["indicators"][indicator["id"]]
    assert row[5] is indicator["missing"]


def test_sizes_per_unit_shrink_with_the_detail_level() -> None:
    """The aim of issue 8: at most 6 KB per commune at ``standard`` (national NTM, compact
    JSON, the shared part included), and each level smaller than the next."""
    results = evaluated(NATIONAL)
    per_unit = {d: size(batch_document(results, d)) / len(results) for d in DETAILS}
    assert per_unit["summary"] < per_unit["standard"] < per_unit["full"] / 10
    assert per_unit["standard"] <= 6000


# -- parameters: one entry per provenance -------------------------------------------------------
def test_parameters_of_other_regions_get_their_own_entries() -> None:
    evaluator = evaluator_for(NATIONAL)
    base = {region: all_met_record(region=region) for region in ("dbsh", "tdmnpb", "dbscl")}
    regions = ("dbsh", "tdmnpb", "dbsh", "dbscl")
    results = [evaluator.evaluate({**base[r], "code": f"A{n}"}) for n, r in enumerate(regions)]
    document = through_json(batch_document(results, "standard"))
    shared = document["shared"]
    names = {p["parameter"] for p in shared["parameters"].values()}
    assert len(shared["parameters"]) > len(names)  # some values differ by region
    assert len(shared["parameter_sets"]) == 3
    units = document["units"]
    assert units[0]["parameter_set"] == units[2]["parameter_set"] != units[1]["parameter_set"]
    assert [expand(document, n) for n in range(4)] == [r.to_dict() for r in results]


# -- hypothesis: any commune, any ladder place --------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(batch=st.lists(communes(), min_size=1, max_size=4))
def test_expand_rebuilds_generated_communes(batch: list[dict[str, Any]]) -> None:
    evaluator = evaluator_for(NATIONAL)
    results = [evaluator.evaluate({**r, "code": f"G{n}"}) for n, r in enumerate(batch)]
    document = through_json(batch_document(results, "standard"))
    assert errors("batch", document) == []
    for n, result in enumerate(results):
        assert expand(document, n) == result.to_dict()


@settings(max_examples=15, deadline=None)
@given(batch=st.lists(ladder_communes(), min_size=1, max_size=3))
def test_expand_rebuilds_generated_ladder_results(batch: list[dict[str, Any]]) -> None:
    ladder = get_ladder("vn.commune.2021")
    records = [{**r, "code": f"L{n}"} for n, r in enumerate(batch)]
    results = evaluate_on_ladder(ladder, records)
    document = through_json(batch_document(results, "standard"))
    for n, result in enumerate(results):
        assert expand(document, n) == result.to_dict()


# -- the command line ---------------------------------------------------------------------------
@pytest.mark.parametrize("key", [NATIONAL, "sonla.commune.2021"])
def test_cli_json_at_standard_expands_to_the_full_output(key: str) -> None:
    data = RUNS[key][1]
    full = json.loads(ok(run("evaluate", data, "-r", key, "-f", "json")).stdout)
    assert "format" not in full  # the default output is today's
    compact = json.loads(
        ok(run("evaluate", data, "-r", key, "-f", "json", "--detail", "standard")).stdout
    )
    assert compact["format"] == "ntm-rules.batch"
    assert compact["summary"] == full["summary"]
    assert errors("batch", {**compact, "units": compact["units"][:20]}) == []
    assert [expand(compact, n) for n in range(len(full["results"]))] == full["results"]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(ntm_rules.cli.stream, "CHUNK", 50)
    return 50


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("key", [NATIONAL, "sonla.commune.2021"])
@pytest.mark.parametrize("detail", ["standard", "summary"])
def test_cli_jsonl_at_a_detail_level(key: str, detail: str) -> None:
    data = RUNS[key][1]
    full = [r.to_dict() for r in evaluated(key)]
    text = ok(run("evaluate", data, "-r", key, "-f", "jsonl", "--detail", detail)).stdout
    lines = [json.loads(line) for line in text.splitlines()]
    header, last = lines[0], lines[-1]
    assert header["kind"] == "header" and header["detail"] == detail
    assert header["format"] == "ntm-rules.jsonl"
    assert errors("jsonl-header", header) == []
    assert last["kind"] == "summary"
    units = [line for line in lines if "kind" not in line]
    assert len(units) == len(full)
    assert all(errors(detail, unit) == [] for unit in units[:20])
    others = [line for line in lines if "kind" in line]
    assert all(errors("jsonl-line", line) == [] for line in others)
    if detail == "standard":
        assert list(expand_lines(text.splitlines())) == full
        assert expand_line(header, lines[1]) == full[0]
        assert size(units) < size(full) / 10


@pytest.mark.usefixtures("small_chunks")
def test_jsonl_states_later_parameters_in_a_definitions_line(tmp_path: Path) -> None:
    base = {region: all_met_record(region=region) for region in ("dbsh", "dbscl")}
    regions = ["dbsh"] * 50 + ["dbscl"] * 3
    rows = [{**base[r], "code": f"A{n}"} for n, r in enumerate(regions)]
    data = tmp_path / "units.json"
    data.write_text(json.dumps(rows), encoding="utf-8")
    text = ok(run("evaluate", data, "-r", NATIONAL, "-f", "jsonl", "-d", "standard")).stdout
    lines = [json.loads(line) for line in text.splitlines()]
    definitions = [line for line in lines if line.get("kind") == "definitions"]
    assert len(definitions) == 1
    assert definitions[0]["shared"]["parameters"]
    assert lines.index(definitions[0]) == 51  # before the first unit of the second chunk
    evaluator = evaluator_for(NATIONAL)
    expected = [evaluator.evaluate(r).to_dict() for r in rows]
    assert list(expand_lines(text.splitlines())) == expected
    assert expand_line(lines[0], lines[-2], definitions) == expected[-1]


@pytest.mark.parametrize("detail", DETAILS)
def test_expand_lines_reads_a_stream_at_any_detail(detail: str) -> None:
    evaluator = evaluator_for(NATIONAL)
    found = load_records(COMMUNES, evaluator.ruleset.model)[:12]
    lines = list(jsonl_lines(evaluator.ruleset, found, COMMUNES, None, detail))
    assert len(lines) == len(found) + 2
    if detail == "summary":
        with pytest.raises(NtmRulesError, match="standard"):
            list(expand_lines(lines))
    else:
        assert list(expand_lines(lines)) == [evaluator.evaluate(r).to_dict() for r in found]


def test_cli_detail_goes_with_json_and_jsonl_only() -> None:
    line = failed(run("evaluate", COMMUNES, "-r", NATIONAL, "--detail", "standard"), 2)
    assert "--detail" in line and "json" in line
    line = failed(
        run("evaluate", COMMUNES, "-r", NATIONAL, "-f", "csv", "-d", "summary", "--lang", "en"), 2
    )
    assert line == (
        "Error: --detail only goes with --format json or jsonl (table and CSV do not change)"
    )
    line = failed(run("evaluate", COMMUNES, "-r", NATIONAL, "-f", "json", "-d", "medium"), 2)
    assert "summary | standard | full" in line


@pytest.mark.parametrize("form", COMPACT_FORMS)
def test_cli_prints_each_compact_schema(form: str) -> None:
    printed = json.loads(ok(run("schema", "--compact", form)).stdout)
    assert printed == compact_schema(form)
    assert printed["$ref"] == f"#/$defs/{form}"


def test_cli_compact_schema_goes_alone() -> None:
    line = failed(run("schema", "--compact", "batch", "--result", "--lang", "en"), 2)
    assert "--compact" in line


def test_documentation_copy_of_the_schema_is_the_packaged_one() -> None:
    package = ROOT / "ntm_rules" / "compact" / "compact.schema.json"
    docs = ROOT / "docs" / "compact.schema.json"
    assert package.read_text(encoding="utf-8") == docs.read_text(encoding="utf-8")
