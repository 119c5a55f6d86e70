"""Records built from a ruleset for tests: one meeting every indicator exactly at its threshold."""

from __future__ import annotations

import re
from typing import Any

from ntm_rules import evaluate, get_ruleset
from ntm_rules.models.vocabulary import field_specs

NATIONAL = "vn.commune.ntm.2021"


def all_met_record(region: str = "dbsh", year: int = 2024, **extra: Any) -> dict[str, Any]:
    """A record meeting every indicator exactly at its threshold (derived from the ruleset)."""
    base: dict[str, Any] = {"code": "A1", "region": region, "year": year, **extra}
    specs = {s.name: s for s in field_specs(get_ruleset(NATIONAL).model)}
    probe = evaluate(NATIONAL, base)
    record = dict(base)
    conditions = probe.recognition.conditions if probe.recognition else ()
    for ind in (*probe.indicators, *conditions):
        for check in (*ind.applicability, *ind.checks):
            match = re.match(r"\s*(\w+)", check.text)
            assert match is not None
            name, value = match.group(1), check.threshold
            if specs[name].kind == "int":
                value = int(value)
            record.setdefault(name, value)
    return record
