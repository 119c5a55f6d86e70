"""Golden results: the full result (``to_dict()``) and the explanations in both languages of every
unit of the bundled sample, on a ruleset and on both ladders, and the province evaluated from its
data set (the report, and every district, town and province), stay exactly what they are.

A speed-up (batched sessions, lazy results, caches) must not change one byte of what users see.
The golden file holds a hash of each part per unit (the whole results would be ~20 MB). When a
change is *meant* to change results, regenerate it and say why in the commit::

    python tests/test_golden.py --write
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from ntm_rules import evaluate_data_set, evaluator_for
from ntm_rules.ladder import evaluate_on_ladder, get_ladder, level_rulesets
from ntm_rules.models.structuring import load_records

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "sample-results.json"
RUNS = {  # what is evaluated: (ruleset or ladder id, is a ladder, data file)
    "vn.commune.ntm.2021": (False, ROOT / "examples" / "sonla-communes-2023.json"),
    "sonla.commune.2021": (True, ROOT / "examples" / "sonla-communes-2023.json"),
    "sonla.village.2021": (True, ROOT / "examples" / "sonla-villages-2023.json"),
}

DATA_SETS = {"sonla.province.2021": ROOT / "examples" / "sonla-province-2023.json"}


def _portable(value: Any) -> Any:
    """The result without the ruleset files' paths, which differ from machine to machine."""
    if isinstance(value, dict):
        return {
            key: _portable(item)
            for key, item in value.items()
            if not (key == "file" and "content_hash" in value)
        }
    if isinstance(value, list):
        return [_portable(item) for item in value]
    return value


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _explained(text: str, files: list[str]) -> str:
    for file in files:
        text = text.replace(file, "<file>")
    return text


def current() -> dict[str, dict[str, dict[str, str]]]:
    """The hashes of every unit's result and explanations, as the library gives them now."""
    found: dict[str, dict[str, dict[str, str]]] = {}
    for key, (ladder, data) in RUNS.items():
        if ladder:
            target = get_ladder(key)
            levels = level_rulesets(target)
            records = load_records(data, levels[-1].model)
            results: list[Any] = evaluate_on_ladder(target, records)
            files = [level.file for level in levels]
        else:
            evaluator = evaluator_for(key)
            records = load_records(data, evaluator.ruleset.model)
            results = [evaluator.evaluate(record) for record in records]
            files = [evaluator.ruleset.file]
        found[key] = {
            record.code: {
                "result": _digest(json.dumps(_portable(result.to_dict()), sort_keys=True)),
                "vi": _digest(_explained(result.explain("vi"), files)),
                "en": _digest(_explained(result.explain("en"), files)),
            }
            for record, result in zip(records, results, strict=True)
        }
    for key, path in DATA_SETS.items():
        report = evaluate_data_set(key, path)
        document = {**report.to_dict(), "data": path.name}
        units: dict[str, dict[str, str]] = {
            "(report)": {"result": _digest(json.dumps(_portable(document), sort_keys=True))}
        }
        for assessment in report.assessments():
            if assessment.kind == "commune":
                continue  # the communes' results are the ladder run's above
            files = [level.file for level in assessment.levels]
            for unit in assessment.units:
                assert unit.placed is not None
                units[unit.ref.code] = {
                    "result": _digest(json.dumps(_portable(unit.placed.to_dict()), sort_keys=True)),
                    "vi": _digest(_explained(unit.placed.explain("vi"), files)),
                    "en": _digest(_explained(unit.placed.explain("en"), files)),
                }
        found[f"{key} (data set)"] = units
    return found


def test_results_and_explanations_are_unchanged() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = current()
    assert sorted(now) == sorted(golden)
    changed = [
        f"{key} {code} {part}"
        for key in golden
        for code in sorted(set(golden[key]) | set(now[key]))
        for part in ("result", "vi", "en")
        if golden[key].get(code, {}).get(part) != now[key].get(code, {}).get(part)
    ]
    if changed:
        shown = ", ".join(changed[:10]) + (f" (+{len(changed) - 10} more)" if changed[10:] else "")
        pytest.fail(
            f"{len(changed)} results or explanations changed: {shown}. If the change is meant, "
            "run `python tests/test_golden.py --write` and say why in the commit."
        )


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.parent.mkdir(exist_ok=True)
    GOLDEN.write_text(json.dumps(current(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
