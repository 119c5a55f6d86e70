"""The full result of one unit (exactly its ``to_dict()``) from a compact document or stream.

A ``standard`` unit holds what varies; the document's tables (or a stream's header and
``definitions`` lines) hold the rest. A ``summary`` cannot be expanded: it leaves out values.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ..errors import NtmRulesError
from ..text import Text
from .detail import FULL, PASSED_BY_STATUS, STANDARD, Full, is_ladder
from .shared import BELOW, TABLES

Tables = Mapping[str, Any]

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _fresh(found: Full) -> Full:
    """A copy sharing nothing with the document (JSON's C encoder and decoder: faster than
    ``copy.deepcopy``, and the values are JSON's anyway)."""
    copied: Full = json.loads(_ENCODER.encode(found))
    return copied


def expand(document: Tables, which: int | str) -> Full:
    """The full result of unit ``which`` (its index, or its code) of a batch document."""
    units = document["units"]
    if isinstance(which, int):
        if not -len(units) <= which < len(units):
            raise _no_unit(str(which))
        return expand_unit(document, units[which])
    for unit in units:
        if unit_code(unit) == which:
            return expand_unit(document, unit)
    raise _no_unit(which)


def expand_unit(tables: Tables, record: Full) -> Full:
    """The full result of one unit record, with the tables of its document or stream (a
    stream header without ``detail`` is followed by full results)."""
    detail = tables.get("detail", FULL)
    if detail == FULL:
        return _fresh(record)
    if detail != STANDARD:
        raise NtmRulesError(
            Text(
                vi=f"không thể dựng lại kết quả đầy đủ từ mức chi tiết '{detail}'; cần "
                "'standard' hoặc 'full'",
                en=f"a full result cannot be rebuilt from detail '{detail}'; it needs "
                "'standard' or 'full'",
            )
        )
    shared = tables["shared"]
    version = tables["result_schema_version"]
    if is_ladder(record):
        return _fresh(_ladder(shared, version, record))
    return _fresh(_result(shared, version, record))


def merge_definitions(header: Tables, definitions: Iterable[Tables]) -> Full:
    """A stream's header with the entries of its ``definitions`` lines added."""
    shared = {table: dict(header.get("shared", {}).get(table, {})) for table in TABLES}
    for line in definitions:
        for table, entries in line.get("shared", {}).items():
            shared[table].update(entries)
    return {**header, "shared": shared}


def expand_line(header: Tables, line: Full, definitions: Iterable[Tables] = ()) -> Full:
    """The full result of one unit line of a JSONL stream, from its header and the
    ``definitions`` lines before it."""
    return expand_unit(merge_definitions(header, definitions), line)


def expand_lines(lines: Iterable[str | Full]) -> Iterator[Full]:
    """Every unit's full result from the lines of a JSONL stream (text or parsed), in order."""
    tables: Full | None = None
    for line in lines:
        parsed = json.loads(line) if isinstance(line, str) else line
        kind = parsed.get("kind")
        if kind == "header":
            tables = merge_definitions(parsed, ())
        elif kind == "definitions" and tables is not None:
            tables = merge_definitions(tables, [parsed])
        elif kind is None and tables is not None:
            yield expand_unit(tables, parsed)


def unit_code(record: Full) -> str | None:
    """The code of the unit a record (of any detail) is about."""
    if "unit" in record and record["unit"] is not None:
        return record["unit"]["code"]  # type: ignore[no-any-return]
    results = record.get("results") or record.get("levels") or [{}]
    unit = results[0].get("unit")
    return None if unit is None else unit["code"]


# -- standard -> full --------------------------------------------------------------------------
def _result(tables: Tables, version: int, record: Full) -> Full:
    ruleset_id = record["ruleset"]["id"]
    entry = tables["rulesets"][ruleset_id]
    recognition = record["recognition"]
    level = record["level"]
    rules = tables["axis_rules"]
    parameters = (
        tables["parameters"][key] for key in tables["parameter_sets"][record["parameter_set"]]
    )
    criteria = []
    for criterion_id, shared in entry["criteria"].items():
        own = record["criteria"][criterion_id]
        indicators = shared["indicators"]
        criteria.append(
            {
                "id": criterion_id,
                "name": shared["name"],
                "group": shared["group"],
                "status": own["status"],
                "policy": shared["policy"],
                "rests_on_unverified": own["rests_on_unverified"],
                "source": shared["source"],
                "indicators": [
                    _indicator(i, entry["indicators"][i], own["indicators"][i]) for i in indicators
                ],
            }
        )
    return {
        "schema_version": version,
        "unit": record["unit"],
        "ruleset": entry["ref"],
        "assessed_on": record["assessed_on"],
        "axes": [
            {
                "axis": a["axis"],
                "value": a["value"],
                "rule": a["rule"],
                **rules[f"{ruleset_id}/{a['axis']}/{a['rule']}"],
            }
            for a in record["axes"]
        ],
        "level": {
            "id": level["id"],
            "name": entry["level"]["name"],
            "status": level["status"],
            "achieved": level["achieved"],
            "recognised_year": level["recognised_year"],
        },
        "criteria_met": record["criteria_met"],
        "criteria_total": record["criteria_total"],
        "rests_on_unverified": record["rests_on_unverified"],
        "recognition_eligible": record["recognition_eligible"],
        "recognition": None if recognition is None else _recognition(entry, recognition),
        "prerequisite": _prerequisite(tables, ruleset_id, record["prerequisite"]),
        "parameters": {p["parameter"]: p for p in parameters},
        "criteria": criteria,
    }


def _recognition(entry: Full, recognition: Full) -> Full:
    shared = entry["recognition"]
    rows = recognition["conditions"]
    return {
        "name": shared["name"],
        "status": recognition["status"],
        "source": shared["source"],
        "conditions": [_indicator(i, e, rows[i]) for i, e in shared["conditions"].items()],
    }


def _indicator(indicator_id: str, shared: Full, row: list[Any]) -> Full:
    status, value, threshold, comparison, margin, missing, undefined, rests, checks = row
    if checks is None:
        checks = [[value, threshold, PASSED_BY_STATUS[status], margin, missing, undefined]]
    templates = [*shared["checks"], *shared["applicability"]]
    full = [
        {
            "check": t["check"],
            "op": t["op"],
            "value": c[0],
            "threshold": c[1],
            "unit": t["unit"],
            "passed": c[2],
            "margin": c[3],
            "missing": c[4],
            "undefined": c[5],
            "parameters": t["parameters"],
        }
        for t, c in zip(templates, checks, strict=True)
    ]
    count = len(shared["checks"])
    return {
        "id": indicator_id,
        "name": shared["name"],
        "status": status,
        "value": value,
        "threshold": threshold,
        "comparison": comparison,
        "unit": shared["unit"],
        "margin": margin,
        "missing": missing,
        "undefined": undefined,
        "checks": full[:count],
        "applicability": full[count:],
        "source": shared["source"],
        "verified": shared["verified"],
        "note": shared["note"],
        "defined_in": shared["defined_in"],
        "rests_on_unverified": rests,
    }


def _prerequisite(tables: Tables, ruleset_id: str, record: Full | None) -> Full | None:
    if record is None:
        return None
    shared = tables["prerequisites"][ruleset_id]
    computed = record["computed"]
    return {
        "ruleset": record["ruleset"],
        "name": shared["name"],
        "status": record["status"],
        "satisfied_by": record["satisfied_by"],
        "accept": shared["accept"],
        "recognised_year": record["recognised_year"],
        "recognition_counts": record["recognition_counts"],
        "computed": None
        if computed is None
        else {
            **computed,
            "prerequisite": _prerequisite(tables, record["ruleset"], computed["prerequisite"]),
        },
        "source": shared["source"],
    }


def _ladder(tables: Tables, version: int, record: Full) -> Full:
    level = record["place"]["level"]
    return {
        "ladder": record["ladder"],
        "place": {"level": level, "name": tables["places"][level or BELOW]},
        "levels": record["levels"],
        "next_gap": _gap(tables, record["next_gap"]),
        "results": [
            _result(tables, version, {"unit": record["unit"], **r}) for r in record["results"]
        ],
    }


def _gap(tables: Tables, gap: Full | None) -> Full | None:
    if gap is None:
        return None
    entry = tables["rulesets"][gap["ruleset"]]
    criteria = entry["criteria"]
    indicators = entry["indicators"]
    return {
        "ruleset": gap["ruleset"],
        "level": gap["level"],
        "level_name": entry["level"]["name"],
        "status": gap["status"],
        "closed": gap["closed"],
        "criteria": [
            {
                "criterion": c["criterion"],
                "name": criteria[c["criterion"]]["name"],
                "distance": c["distance"],
                "items": [_gap_item(item, indicators) for item in c["items"]],
            }
            for c in gap["criteria"]
        ],
        "missing": gap["missing"],
        "prerequisite": gap["prerequisite"],
        "prerequisite_gap": _gap(tables, gap["prerequisite_gap"]),
    }


def _gap_item(item: Full, indicators: Full) -> Full:
    found = {"criterion": item["criterion"], "indicator": item["indicator"]}
    found["name"] = indicators[item["indicator"]]["name"]
    found.update((k, v) for k, v in item.items() if k not in found)
    return found


def _no_unit(which: str) -> NtmRulesError:
    return NtmRulesError(
        Text(vi=f"tài liệu không có đơn vị '{which}'", en=f"the document has no unit '{which}'")
    )
