"""The audit: every unverified value and wording, and every value left to the province."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ntm_rules import get_ruleset, load_ruleset
from ntm_rules.audit import KINDS, AuditItem, audit, summarise
from ntm_rules.ruleset.model import Ruleset
from ntm_rules.ruleset.registry import ruleset_files

NATIONAL = "vn.commune.ntm.2021"
REGIONS = {"general", "tdmnpb", "dbsh", "btb", "dhntb", "tn", "dnb", "dbscl"}


def national_file() -> Path:
    return ruleset_files()[NATIONAL].resolve()


@pytest.fixture(scope="module")
def ruleset() -> Ruleset:
    return get_ruleset(NATIONAL)


@pytest.fixture(scope="module")
def items(ruleset: Ruleset) -> list[AuditItem]:
    return audit(ruleset)


def test_income_cells_listed(ruleset: Ruleset, items: list[AuditItem]) -> None:
    income = [i for i in items if i.name == "income_per_capita"]
    param = ruleset.parameters["income_per_capita"]
    expected = [(e.start, key) for e in param.entries for key in e.cells]
    assert [(i.effective_from, i.axis_key) for i in income] == expected
    assert {i.axis_key for i in income} == REGIONS
    assert {i.effective_from for i in income} >= {dt.date(2022, 3, 8), dt.date(2025, 1, 1)}
    lines = national_file().read_text(encoding="utf-8").splitlines()
    for item in income:
        assert item.kind == "parameter" and not item.verified
        assert item.ruleset == NATIONAL and item.authority == "national"
        assert item.file is not None and Path(item.file).resolve() == national_file()
        assert item.line is not None
        assert "by:" in lines[item.line - 1] or "value:" in lines[item.line - 1]
        assert isinstance(item.value, float)
        assert item.unit == "mvnd_per_person_year"
        assert item.note and "318" in item.note
        assert item.source.render() == "318/QĐ-TTg, Phụ lục I, mục 10"
        assert item.label.vi == "Thu nhập bình quân đầu người khu vực nông thôn"
    tdmnpb = next(i for i in income if i.axis_key == "tdmnpb")
    assert tdmnpb.value == param.entries[0].cells["tdmnpb"].value
    assert tdmnpb.effective_until == dt.date(2024, 12, 31)


def test_verified_values_not_listed(ruleset: Ruleset, items: list[AuditItem]) -> None:
    assert ruleset.parameters["irrigation_share"].entries[0].cells["general"].verified
    assert not [i for i in items if i.name == "irrigation_share"]
    assert all(not i.verified for i in items)  # the national set has no open value


def test_unverified_indicator_wording(ruleset: Ruleset, items: list[AuditItem]) -> None:
    wording = [i for i in items if i.kind == "indicator"]
    expected = [i.id for i in ruleset.indicators if not i.verified]
    assert ruleset.recognition is not None
    expected += [c.id for c in ruleset.recognition.conditions if not c.verified]
    assert [i.name for i in wording] == expected
    income = next(i for i in wording if i.name == "10")
    assert income.criterion == "10" and income.note
    assert income.value is None and income.axis_key is None
    assert "R1" not in {i.name for i in wording}  # verified recognition condition


def test_summary_counts(items: list[AuditItem]) -> None:
    summary = summarise(items)
    assert summary["total"] == len(items)
    assert set(summary["by_kind"]) == set(KINDS)
    assert sum(summary["by_kind"].values()) == len(items)
    assert summary["by_kind"]["parameter"] == sum(1 for i in items if i.kind == "parameter")
    assert summary["by_kind"]["indicator"] == sum(1 for i in items if i.kind == "indicator")
    assert summary["by_kind"]["open"] == 0
    assert summary["unverified"] == len(items)
    assert summary["by_ruleset"] == {NATIONAL: len(items)}
    assert summary["parameters"] == len({i.name for i in items if i.kind == "parameter"})
    assert summarise([]) == {
        "total": 0,
        "by_kind": {"parameter": 0, "indicator": 0, "open": 0, "check": 0},
        "by_ruleset": {},
        "unverified": 0,
        "parameters": 0,
        "indicators": 0,
    }


def test_deterministic_file_order(ruleset: Ruleset, items: list[AuditItem]) -> None:
    assert audit(ruleset) == items
    kinds = [i.kind for i in items]
    assert kinds == sorted(kinds, key=lambda k: k == "indicator")  # values, then wording
    lines = [i.line for i in items if i.kind != "indicator"]
    assert all(isinstance(n, int) for n in lines)
    assert lines == sorted(lines)  # type: ignore[type-var]


def test_to_dict_is_json(items: list[AuditItem]) -> None:
    document = json.loads(json.dumps([i.to_dict() for i in items], ensure_ascii=False))
    first = document[0]
    assert set(first) >= {
        "kind",
        "name",
        "label",
        "verified",
        "note",
        "source",
        "citation",
        "ruleset",
        "file",
        "line",
        "axis_key",
        "effective_from",
        "value",
        "unit",
    }
    income = next(d for d in document if d["name"] == "income_per_capita")
    assert income["effective_from"] == "2022-03-08"
    assert income["citation"] == "318/QĐ-TTg, Phụ lục I, mục 10"
    assert income["source"]["document"] == "318/QĐ-TTg"


def test_open_value(tmp_path: Path) -> None:
    source = national_file().read_text(encoding="utf-8")
    block = source.split("  employment_rate:\n", 1)[1].split("\n\n", 1)[0]
    changed = source.replace(block, block.replace("value: 90", "value: province_decides"), 1)
    changed = changed.replace(f"id: {NATIONAL}", "id: test.open", 1)
    path = tmp_path / "open.yaml"
    path.write_text(changed, encoding="utf-8")
    items = audit(load_ruleset(path))
    (opened,) = [i for i in items if i.kind == "open"]
    assert opened.name == "employment_rate" and opened.value == "province_decides"
    assert opened.ruleset == "test.open" and opened.file == str(path.resolve())
    assert opened.line is not None
    assert "province_decides" in path.read_text(encoding="utf-8").splitlines()[opened.line - 1]
    assert summarise(items)["by_kind"]["open"] == 1
    assert opened.location == f"{path.resolve()}:{opened.line}"


def test_provincial_overrides(tmp_path: Path) -> None:
    path = tmp_path / "son-la.yaml"
    path.write_text(
        f"""format: 1
id: test.son-la
version: "test"
extends: {national_file()}
title: {{vi: Thử Sơn La, en: Sơn La test}}
scope: {{province: Sơn La, region: tdmnpb}}
documents:
  qdsl: {{number: 1234/QĐ-UBND, date: 2022-06-01}}
overrides:
  - parameter: income_per_capita
    from: 2022-03-08
    until: 2024-12-31
    source: {{doc: qdsl, item: "10"}}
    verified: false
    note: provincial test value
    by: {{general: 60, tdmnpb: 50}}
  - parameter: solid_houses
    from: 2022-03-08
    source: {{doc: qdsl, item: "9.2"}}
    verified: true
    by: {{general: 90}}
""",
        encoding="utf-8",
    )
    items = audit(load_ruleset(path))
    income = [i for i in items if i.name == "income_per_capita"]
    provincial = [i for i in income if i.ruleset == "test.son-la"]
    assert [(i.axis_key, i.value) for i in provincial] == [("general", 60), ("tdmnpb", 50)]
    assert all(i.authority == "Sơn La" and i.file == str(path.resolve()) for i in provincial)
    assert all(i.effective_until == dt.date(2024, 12, 31) for i in provincial)
    inherited = [i for i in income if i.ruleset == NATIONAL]
    # the 2022 national values are replaced for their whole period; the 2025 ones are not
    assert {i.effective_from for i in inherited} == {dt.date(2025, 1, 1)}
    assert not [i for i in items if i.name == "solid_houses"]  # verified, replaces all
    assert items.index(provincial[0]) > items.index(inherited[-1])  # inherited first
    summary = summarise(items)
    assert summary["by_ruleset"]["test.son-la"] == 2


def test_provincial_checklist_is_listed() -> None:
    items = audit(get_ruleset("sonla.commune.ntm.2021"))
    checks = [i for i in items if i.kind == "check"]
    assert [c.name for c in checks][:2] == ["village_roads_hardened", "alleys_clean"]
    assert all(c.ruleset == "sonla.commune.ntm.2021" and c.line for c in checks)
    assert "1002/QĐ-UBND" in checks[0].note
    assert summarise(items)["by_kind"]["check"] == len(checks) == 7
