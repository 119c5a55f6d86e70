"""The parts of full results that are the same for every unit, each stated once.

:class:`Shared` cuts full results to a detail level and collects what the cut leaves out into
tables: per ruleset its reference, level, criteria and indicators (wording, source, note, the
text and parameters of each check); the lower level each ruleset requires; the reason of each
axis rule; every parameter with its value and provenance, once per distinct provenance, and the
sets of them units used; the names of a ladder's places. Two results that name the same ruleset
but word it differently cannot share it: that is an error, never a silent loss.
"""

from __future__ import annotations

from typing import Any

from ..errors import NtmRulesError
from ..text import Text
from .detail import FULL, STANDARD, SUMMARY, Full, check_detail, is_ladder, shape

TABLES = ("rulesets", "prerequisites", "axis_rules", "parameters", "parameter_sets", "places")
SUMMARY_TABLES = ("rulesets", "places")
BELOW = ""  # the key of a ladder's place under its first level


def tables_for(detail: str) -> tuple[str, ...]:
    return TABLES if detail == STANDARD else SUMMARY_TABLES if detail == SUMMARY else ()


class Shared:
    """Shapes full results at one detail level and keeps the tables they share."""

    def __init__(self, detail: str) -> None:
        self.detail = check_detail(detail)
        self.tables: dict[str, dict[str, Any]] = {name: {} for name in tables_for(detail)}
        self.kind: str | None = None  # "ruleset" or "ladder", from the first unit
        self.subject: str | None = None  # the ruleset's or the ladder's id
        self._fresh: dict[str, dict[str, Any]] = {name: {} for name in self.tables}
        self._parameter_keys: dict[str, list[str]] = {}
        self._sets: dict[tuple[str, ...], str] = {}

    def unit(self, full: Full) -> Full:
        """The record of one unit at this detail level; its shared parts go to the tables."""
        ladder = is_ladder(full)
        kind, subject = ("ladder", full["ladder"]) if ladder else ("ruleset", full["ruleset"]["id"])
        if self.kind is None:
            self.kind, self.subject = kind, subject
        elif (kind, subject) != (self.kind, self.subject):
            raise NtmRulesError(
                Text(
                    vi=f"một tài liệu chỉ chứa kết quả của một bộ tiêu chí hoặc một thang: "
                    f"{self.subject} và {subject}",
                    en=f"a document holds the results of one ruleset or one ladder: "
                    f"{self.subject} and {subject}",
                )
            )
        record = shape(full, self.detail)
        if self.detail == FULL:
            return record
        if not ladder:
            self._result(full, record if self.detail == STANDARD else None)
            return record
        results = full["results"]
        place = full["place"]
        self._put("places", place["level"] or BELOW, place["name"])
        records = record["results"] if self.detail == STANDARD else [None] * len(results)
        for result, shaped in zip(results, records, strict=True):
            self._result(result, shaped)
        if self.detail == STANDARD and full["next_gap"] is not None:
            self._gap_names(full["next_gap"])
        return record

    def fresh(self) -> dict[str, dict[str, Any]]:
        """The table entries added since the last call (what a stream has not stated yet)."""
        found = {name: entries for name, entries in self._fresh.items() if entries}
        self._fresh = {name: {} for name in self.tables}
        return found

    # -- one result -----------------------------------------------------------------------
    def _result(self, full: Full, record: Full | None) -> None:
        ruleset_id = full["ruleset"]["id"]
        self._put("rulesets", ruleset_id, ruleset_entry(full, with_indicators=record is not None))
        if record is None:
            return
        for axis in full["axes"]:
            key = f"{ruleset_id}/{axis['axis']}/{axis['rule']}"
            self._put("axis_rules", key, {"reason": axis["reason"], "source": axis["source"]})
        self._prerequisite(ruleset_id, full["prerequisite"])
        keys = tuple(self._parameter(p) for p in full["parameters"].values())
        found = self._sets.get(keys)
        if found is None:
            found = self._sets[keys] = str(len(self._sets) + 1)
            self._put("parameter_sets", found, list(keys))
        record["parameter_set"] = found

    def _prerequisite(self, ruleset_id: str, prerequisite: Full | None) -> None:
        if prerequisite is None:
            return
        entry = {key: prerequisite[key] for key in ("ruleset", "name", "accept", "source")}
        self._put("prerequisites", ruleset_id, entry)
        computed = prerequisite["computed"]
        if computed is not None:
            self._prerequisite(prerequisite["ruleset"], computed["prerequisite"])

    def _parameter(self, parameter: Full) -> str:
        """The key of a parameter with this value and provenance: its name, or ``name#2``,
        ``name#3``... for the other provenances of the same name."""
        name = parameter["parameter"]
        keys = self._parameter_keys.setdefault(name, [])
        table = self.tables["parameters"]
        for key in keys:
            if table[key] == parameter:
                return key
        key = name if not keys else f"{name}#{len(keys) + 1}"
        keys.append(key)
        self._put("parameters", key, parameter)
        return key

    def _gap_names(self, gap: Full) -> None:
        """Make sure the names a standard gap leaves out are the ones the tables give back."""
        entry = self.tables["rulesets"].get(gap["ruleset"])
        names = [] if entry is None else [(entry["level"]["name"], gap["level_name"])]
        for criterion in gap["criteria"]:
            if entry is not None:
                shared = entry["criteria"].get(criterion["criterion"], {}).get("name")
                names.append((shared, criterion["name"]))
            for item in criterion["items"]:
                if entry is not None:
                    shared = entry["indicators"].get(item["indicator"], {}).get("name")
                    names.append((shared, item["name"]))
        if entry is None or any(shared != own for shared, own in names):
            raise _conflict("gap", gap["ruleset"])
        if gap["prerequisite_gap"] is not None:
            self._gap_names(gap["prerequisite_gap"])

    def _put(self, table: str, key: str, value: Any) -> None:
        entries = self.tables[table]
        found = entries.get(key)
        if found is None:
            entries[key] = value
            self._fresh[table][key] = value
        elif found != value:
            raise _conflict(table, key)


def ruleset_entry(full: Full, *, with_indicators: bool) -> Full:
    """What a result's ruleset says whatever the unit: reference, level, criteria (and, for
    ``standard``, indicators, recognition conditions and the lower level it requires)."""
    criteria = {
        c["id"]: {
            "name": c["name"],
            "group": c["group"],
            "policy": c["policy"],
            "source": c["source"],
            **({"indicators": [i["id"] for i in c["indicators"]]} if with_indicators else {}),
        }
        for c in full["criteria"]
    }
    level = full["level"]
    entry: Full = {
        "ref": full["ruleset"],
        "level": {"id": level["id"], "name": level["name"]},
        "criteria": criteria,
    }
    if not with_indicators:
        _unique(criteria, full["criteria"], full)
        return entry
    indicators = [i for c in full["criteria"] for i in c["indicators"]]
    entry["indicators"] = {i["id"]: indicator_entry(i) for i in indicators}
    recognition = full["recognition"]
    entry["recognition"] = (
        None
        if recognition is None
        else {
            "name": recognition["name"],
            "source": recognition["source"],
            "conditions": {i["id"]: indicator_entry(i) for i in recognition["conditions"]},
        }
    )
    _unique(criteria, full["criteria"], full)
    _unique(entry["indicators"], indicators, full)
    if recognition is not None:
        _unique(entry["recognition"]["conditions"], recognition["conditions"], full)
    return entry


def indicator_entry(indicator: Full) -> Full:
    """An indicator's wording, source, note and the text, operator, unit and parameters of
    each check and applicability condition."""
    return {
        "name": indicator["name"],
        "unit": indicator["unit"],
        "source": indicator["source"],
        "verified": indicator["verified"],
        "note": indicator["note"],
        "defined_in": indicator["defined_in"],
        "checks": [_check_entry(c) for c in indicator["checks"]],
        "applicability": [_check_entry(c) for c in indicator["applicability"]],
    }


def _check_entry(check: Full) -> Full:
    return {
        "check": check["check"],
        "op": check["op"],
        "unit": check["unit"],
        "parameters": check["parameters"],
    }


def _unique(by_id: dict[str, Any], items: list[Full], full: Full) -> None:
    if len(by_id) != len(items):
        raise NtmRulesError(
            Text(
                vi=f"bộ tiêu chí {full['ruleset']['id']} có mã trùng nhau; không thể rút gọn",
                en=f"ruleset {full['ruleset']['id']} repeats an id; it cannot be made compact",
            )
        )


def _conflict(table: str, key: str) -> NtmRulesError:
    return NtmRulesError(
        Text(
            vi=f"các kết quả mang cùng tên '{key}' ({table}) nhưng nội dung khác nhau; "
            "không thể nêu chung một lần",
            en=f"results name the same '{key}' ({table}) with different content; "
            "it cannot be stated once for all",
        )
    )
