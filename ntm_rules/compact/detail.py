"""Detail levels of one result's JSON, cut from its full form (``to_dict()``) without copying.

``full`` is ``to_dict()`` itself. ``standard`` keeps what varies from unit to unit: the unit,
the ruleset's id, version and hash, the date, the axis values, every status and count, and per
indicator a row of ``INDICATOR_COLUMNS`` (``checks`` holds rows of ``CHECK_COLUMNS`` only when the
indicator's own columns do not say it all). Wording, sources, notes, policies and parameters with
their provenance are properties of the ruleset: a batch document states them once
(:mod:`.document`), and :mod:`.expand` puts them back. ``summary`` is a unit's outcome only.
The forms are described by ``compact.schema.json``; keys and columns are stable.
"""

from __future__ import annotations

from typing import Any

from ..errors import NtmRulesError
from ..text import Text

SUMMARY = "summary"
STANDARD = "standard"
FULL = "full"
DETAILS = (SUMMARY, STANDARD, FULL)

INDICATOR_COLUMNS = (
    "status",
    "value",
    "threshold",
    "comparison",
    "margin",
    "missing",
    "undefined",
    "rests_on_unverified",
    "checks",
)
CHECK_COLUMNS = ("value", "threshold", "passed", "margin", "missing", "undefined")
SUMMARY_UNIT_KEYS = ("kind", "code", "name", "province", "district")

# what a lone check's "passed" is when its indicator has this status
PASSED_BY_STATUS: dict[str, bool | None] = {"met": True, "not_met": False, "missing": None}

Full = dict[str, Any]


def is_ladder(full: Full) -> bool:
    """Whether ``full`` is a ladder result (``LadderResult.to_dict()``)."""
    return "ladder" in full and "results" in full


def check_detail(detail: str) -> str:
    if detail not in DETAILS:
        raise NtmRulesError(
            Text(
                vi=f"mức chi tiết '{detail}' không có; chọn một trong: {', '.join(DETAILS)}",
                en=f"unknown detail level '{detail}'; use one of: {', '.join(DETAILS)}",
            )
        )
    return detail


def shape(full: Full, detail: str) -> Full:
    """A result's or a ladder result's full dict at ``detail`` (``full`` returns it as is).

    The returned dict shares lists and dicts with ``full``: copy it before changing either.
    """
    if check_detail(detail) == FULL:
        return full
    if detail == STANDARD:
        return standard_ladder(full) if is_ladder(full) else standard_result(full)
    return summary_ladder(full) if is_ladder(full) else summary_result(full)


# -- standard ----------------------------------------------------------------------------------
def standard_result(full: Full) -> Full:
    ruleset = full["ruleset"]
    level = full["level"]
    recognition = full["recognition"]
    return {
        "unit": full["unit"],
        "ruleset": {
            "id": ruleset["id"],
            "version": ruleset["version"],
            "content_hash": ruleset["content_hash"],
        },
        "assessed_on": full["assessed_on"],
        "axes": [{"axis": a["axis"], "value": a["value"], "rule": a["rule"]} for a in full["axes"]],
        "level": {
            "id": level["id"],
            "status": level["status"],
            "achieved": level["achieved"],
            "recognised_year": level["recognised_year"],
        },
        "criteria_met": full["criteria_met"],
        "criteria_total": full["criteria_total"],
        "rests_on_unverified": full["rests_on_unverified"],
        "recognition_eligible": full["recognition_eligible"],
        "recognition": None
        if recognition is None
        else {"status": recognition["status"], "conditions": rows(recognition["conditions"])},
        "prerequisite": standard_prerequisite(full["prerequisite"]),
        "criteria": {
            c["id"]: {
                "status": c["status"],
                "rests_on_unverified": c["rests_on_unverified"],
                "indicators": rows(c["indicators"]),
            }
            for c in full["criteria"]
        },
    }


def rows(indicators: list[Full]) -> dict[str, list[Any]]:
    """Indicator rows (``INDICATOR_COLUMNS``) by indicator id."""
    return {
        i["id"]: [
            i["status"],
            i["value"],
            i["threshold"],
            i["comparison"],
            i["margin"],
            i["missing"],
            i["undefined"],
            i["rests_on_unverified"],
            _check_rows(i),
        ]
        for i in indicators
    }


def _check_rows(indicator: Full) -> list[list[Any]] | None:
    """None when the indicator has one check, no applicability condition, and the check's
    value, threshold, margin, missing inputs and ``passed`` are the indicator's; otherwise the
    rows (``CHECK_COLUMNS``) of its checks followed by those of its applicability conditions."""
    checks = indicator["checks"]
    applicability = indicator["applicability"]
    if not applicability and len(checks) == 1:
        check = checks[0]
        if (
            check["passed"] is PASSED_BY_STATUS.get(indicator["status"], 0)
            and check["missing"] == indicator["missing"]
            and check["undefined"] == indicator["undefined"]
            and _same(check["value"], indicator["value"])
            and _same(check["threshold"], indicator["threshold"])
            and _same(check["margin"], indicator["margin"])
        ):
            return None
    return [
        [c["value"], c["threshold"], c["passed"], c["margin"], c["missing"], c["undefined"]]
        for group in (checks, applicability)
        for c in group
    ]


def _same(a: Any, b: Any) -> bool:
    """Equal and of the same type (``True == 1`` but JSON tells them apart)."""
    return a is b or (type(a) is type(b) and a == b)


def standard_prerequisite(prerequisite: Full | None) -> Full | None:
    if prerequisite is None:
        return None
    computed = prerequisite["computed"]
    return {
        "ruleset": prerequisite["ruleset"],
        "status": prerequisite["status"],
        "satisfied_by": prerequisite["satisfied_by"],
        "recognised_year": prerequisite["recognised_year"],
        "recognition_counts": prerequisite["recognition_counts"],
        "computed": None
        if computed is None
        else {
            **{k: v for k, v in computed.items() if k != "prerequisite"},
            "prerequisite": standard_prerequisite(computed["prerequisite"]),
        },
    }


def standard_ladder(full: Full) -> Full:
    """A ladder result: the unit once, then each level's standard result without it."""
    results = [standard_result(r) for r in full["results"]]
    unit = results[0]["unit"] if results else None
    for result in results:
        if result["unit"] == unit:  # the same unit on every level
            del result["unit"]
    return {
        "ladder": full["ladder"],
        "unit": unit,
        "place": {"level": full["place"]["level"]},
        "levels": full["levels"],
        "next_gap": standard_gap(full["next_gap"]),
        "results": results,
    }


def standard_gap(gap: Full | None) -> Full | None:
    """A gap without the names of its level, criteria and indicators (the ruleset's wording)."""
    if gap is None:
        return None
    return {
        "ruleset": gap["ruleset"],
        "level": gap["level"],
        "status": gap["status"],
        "closed": gap["closed"],
        "criteria": [
            {
                "criterion": c["criterion"],
                "distance": c["distance"],
                "items": [{k: v for k, v in i.items() if k != "name"} for i in c["items"]],
            }
            for c in gap["criteria"]
        ],
        "missing": gap["missing"],
        "prerequisite": gap["prerequisite"],
        "prerequisite_gap": standard_gap(gap["prerequisite_gap"]),
    }


# -- summary -----------------------------------------------------------------------------------
def summary_result(full: Full) -> Full:
    unit = full["unit"]
    return {
        "unit": {k: unit[k] for k in SUMMARY_UNIT_KEYS},
        "ruleset": {"id": full["ruleset"]["id"], "content_hash": full["ruleset"]["content_hash"]},
        **_outcome(full),
    }


def _outcome(full: Full) -> Full:
    unmet = []
    missing = []
    for criterion in full["criteria"]:
        if criterion["status"] == "not_met":
            unmet.append(criterion["id"])
        elif criterion["status"] == "missing":
            missing.append(criterion["id"])
    return {
        "level": full["level"]["id"],
        "status": full["level"]["status"],
        "criteria_met": full["criteria_met"],
        "criteria_total": full["criteria_total"],
        "unmet_criteria": unmet,
        "missing_criteria": missing,
        "rests_on_unverified": full["rests_on_unverified"],
    }


def summary_ladder(full: Full) -> Full:
    results = full["results"]
    unit = results[0]["unit"] if results else None
    return {
        "ladder": full["ladder"],
        "unit": None if unit is None else {k: unit[k] for k in SUMMARY_UNIT_KEYS},
        "place": full["place"]["level"],
        "levels": [
            {
                "ruleset": {"id": r["ruleset"]["id"], "content_hash": r["ruleset"]["content_hash"]},
                **_outcome(r),
            }
            for r in results
        ],
    }
