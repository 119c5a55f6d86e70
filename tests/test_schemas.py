"""JSON Schemas: the input schema agrees with the model; every result validates against the
result schema; the documentation copy equals the packaged one."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped,unused-ignore]
import pytest
from records import all_met_record

from ntm_rules import Commune2021, Evaluator, InputError, evaluate, load_ruleset
from ntm_rules.models.structuring import structure
from ntm_rules.models.vocabulary import VOCABULARIES, field_specs
from ntm_rules.ruleset.registry import ruleset_files
from ntm_rules.schema import DRAFT, input_schema, result_schema

NATIONAL = "vn.commune.ntm.2021"
ROOT = Path(__file__).resolve().parent.parent
Validator: Any = jsonschema.Draft202012Validator


def national_file() -> Path:
    return ruleset_files()[NATIONAL].resolve()


@pytest.fixture(scope="module")
def inputs() -> Any:
    schema = input_schema(Commune2021)
    Validator.check_schema(schema)
    return Validator(schema)


@pytest.fixture(scope="module")
def results() -> Any:
    schema = result_schema()
    Validator.check_schema(schema)
    return Validator(schema, format_checker=Validator.FORMAT_CHECKER)


def errors(validator: Any, document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


# -- input schema ------------------------------------------------------------------------------
def test_input_schema_shape() -> None:
    schema = input_schema(Commune2021)
    assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith("/commune_2021.schema.json")
    assert "commune_2021" in schema["title"]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["code", "region"]
    props = schema["properties"]
    assert list(props) == [s.name for s in field_specs(Commune2021)]
    assert props["region"]["type"] == "string"
    assert props["region"]["enum"] == ["tdmnpb", "dbsh", "btb", "dhntb", "tn", "dnb", "dbscl"]
    assert props["income_per_capita"]["type"] == ["number", "null"]
    assert props["income_per_capita"]["minimum"] == 0
    description = props["income_per_capita"]["description"]
    assert "Thu nhập bình quân đầu người" in description
    assert "Rural income per capita" in description
    assert "triệu đồng/người/năm" in description and "million VND/person/year" in description
    assert props["temporary_houses"]["type"] == ["integer", "null"]
    assert props["year"]["minimum"] == 1990 and props["year"]["maximum"] == 2100
    assert props["master_plan_approved"]["type"] == ["boolean", "null"]
    assert props["hygienic_water_pct"]["maximum"] == 100
    assert props["hygienic_water_pct"]["x-unit"] == "percent"
    assert json.loads(json.dumps(schema)) == schema


def test_every_vocabulary_has_a_valid_schema() -> None:
    for model in VOCABULARIES.values():
        Validator.check_schema(input_schema(model))


def test_good_records_validate(inputs: Any) -> None:
    good: list[dict[str, Any]] = [
        {"code": "X", "region": "tn"},
        {"code": "X", "region": "tn", "year": 2024, "income_per_capita": None, "dbkk": True},
        all_met_record(name="Tà Xùa", province="Sơn La", district="Bắc Yên", dbkk=False),
    ]
    for record in good:
        assert errors(inputs, record) == []
        structure(Commune2021, record, "test")  # the model accepts it too


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"region": "tn"}, "code"),
        ({"code": "", "region": "tn"}, "code"),
        ({"code": "X"}, "region"),
        ({"code": "X", "region": "mekong"}, "region"),
        ({"code": "X", "region": None}, "region"),
        ({"code": "X", "region": "tn", "income_per_capita": "35"}, "income_per_capita"),
        ({"code": "X", "region": "tn", "income_per_capita": -1}, "income_per_capita"),
        ({"code": "X", "region": "tn", "hygienic_water_pct": 100.5}, "hygienic_water_pct"),
        ({"code": "X", "region": "tn", "master_plan_approved": 1}, "master_plan_approved"),
        ({"code": "X", "region": "tn", "hygienic_water_pct": True}, "hygienic_water_pct"),
        ({"code": "X", "region": "tn", "temporary_houses": 1.5}, "temporary_houses"),
        ({"code": "X", "region": "tn", "year": 1800}, "year"),
        ({"code": "X", "region": "tn", "income": 40}, "income"),
    ],
)
def test_bad_records_rejected(inputs: Any, record: dict[str, Any], field: str) -> None:
    found = errors(inputs, record)
    assert found, record
    assert any(field in message for message in found), found
    with pytest.raises(InputError):
        structure(Commune2021, record, "test")  # the model rejects it as well


# -- result schema -----------------------------------------------------------------------------
def test_result_schema_is_strict() -> None:
    schema = result_schema()
    assert schema["$schema"] == DRAFT
    assert schema["additionalProperties"] is False
    for name, definition in schema["$defs"].items():
        if definition.get("type") == "object":
            assert definition.get("additionalProperties") is False, name
    assert schema["$defs"]["status"]["enum"] == ["met", "not_met", "missing"]
    assert set(schema["$defs"]["indicator_status"]["enum"]) == {
        "met",
        "not_met",
        "missing",
        "not_applicable",
    }


def test_docs_copy_equals_package_copy() -> None:
    package = ROOT / "ntm_rules" / "result.schema.json"
    docs = ROOT / "docs" / "result.schema.json"
    assert docs.read_text(encoding="utf-8") == package.read_text(encoding="utf-8")
    assert json.loads(package.read_text(encoding="utf-8")) == result_schema()


def _communes() -> list[dict[str, Any]]:
    return [
        {"code": "EMPTY", "region": "tn", "year": 2023},
        {
            "code": "FAIL",
            "name": "Tà Xùa",
            "province": "Sơn La",
            "district": "Bắc Yên",
            "region": "dbsh",
            "dbkk": True,
            "year": 2024,
            "income_per_capita": 35.2,
            "master_plan_approved": False,
            "hygienic_water_pct": 10,
            "clean_water_pct": 5,
            "multidimensional_poverty_pct": 40,
            "temporary_houses": 3,
            "recognised_ntm_year": 2019,
            "resident_satisfaction_pct": 50,
        },
        all_met_record(),
        all_met_record(region="tdmnpb", year=2025, has_craft_village=False),
        {**all_met_record(), "income_per_capita": None, "multidimensional_poverty_pct": 99.0},
    ]


def test_results_validate(results: Any) -> None:
    statuses = set()
    for record in _communes():
        result = evaluate(NATIONAL, record)
        statuses.add(result.status)
        document = json.loads(json.dumps(result.to_dict()))
        assert errors(results, document) == [], record["code"]
    assert statuses == {"met", "not_met", "missing"}


def test_schema_rejects_changed_results(results: Any) -> None:
    document = evaluate(NATIONAL, all_met_record()).to_dict()
    extra = copy.deepcopy(document)
    extra["criteria"][0]["indicators"][0]["surprise"] = 1
    assert errors(results, extra)
    wrong = copy.deepcopy(document)
    wrong["level"]["status"] = "passed"
    assert errors(results, wrong)
    missing = copy.deepcopy(document)
    del missing["criteria"][0]["source"]
    assert errors(results, missing)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_results_of_other_rulesets_validate(results: Any, tmp_path: Path) -> None:
    source = national_file().read_text(encoding="utf-8")
    block = source.split("  employment_rate:\n", 1)[1].split("\n\n", 1)[0]
    opened = source.replace(block, block.replace("value: 90", "value: province_decides"), 1)
    opened = opened.replace(f"id: {NATIONAL}", "id: test.open", 1)
    provincial = f"""format: 1
id: test.son-la
version: "test"
extends: {national_file()}
title: {{vi: Thử Sơn La, en: Sơn La test}}
scope: {{province: Sơn La, region: tdmnpb}}
documents:
  qdsl: {{number: 1234/QĐ-UBND, date: 2022-06-01}}
overrides:
  - parameter: income_per_capita
    from: 2022-06-01
    until: 2024-12-31
    source: {{doc: qdsl, item: "10"}}
    verified: false
    note: provincial test value
    by: {{general: 60, tdmnpb: 50}}
"""
    advanced = f"""format: 1
id: test.advanced
version: "test"
extends: {national_file()}
title: {{vi: Thử NTM nâng cao, en: Advanced test}}
level: {{id: advanced, name: {{vi: Xã NTM nâng cao, en: Advanced NTM commune}}}}
documents:
  qdx: {{number: 999/QĐ-TEST}}
requires:
  ruleset: {national_file()}
  accept: [computed, recognised]
  recognised_field: recognised_ntm_year
  recognised_since: 2021
  name: {{vi: Xã đã đạt chuẩn NTM, en: Already NTM}}
  source: {{doc: qdx}}
"""
    rulesets = [
        load_ruleset(_write(tmp_path, "open.yaml", opened)),
        load_ruleset(_write(tmp_path, "son-la.yaml", provincial)),
        load_ruleset(_write(tmp_path, "advanced.yaml", advanced)),
    ]
    for ruleset in rulesets:
        evaluator = Evaluator(ruleset)  # not evaluator_for: see the report on its lock
        for record in _communes():
            record = {**record, "region": "tdmnpb", "province": "Sơn La"}
            for extra in ({}, {"recognised_ntm_year": 2022}):
                document = json.loads(json.dumps(evaluator.evaluate({**record, **extra}).to_dict()))
                assert errors(results, document) == [], (ruleset.id, record["code"])
    document = Evaluator(rulesets[2]).evaluate(all_met_record()).to_dict()
    assert document["prerequisite"]["computed"]["status"] == "met"
    document = Evaluator(rulesets[1]).evaluate(all_met_record(region="tdmnpb")).to_dict()
    params = [
        document["parameters"][name]
        for c in document["criteria"]
        for i in c["indicators"]
        for k in i["checks"]
        for name in k["parameters"]
        if document["parameters"][name]["replaces"] is not None
    ]
    assert params and params[0]["authority"] == "Sơn La"
