"""Rulesets written by tests: any size and shape of conditions, over the commune_2021 inputs."""

from __future__ import annotations

import random
from typing import Any

from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.vocabulary import field_specs

SPECS = field_specs(Commune2021)
AXIS_FLAGS = ("dbkk", "atk", "poor_district")
BOOLS = [s.name for s in SPECS if s.kind == "bool" and s.name not in AXIS_FLAGS]
NUMBERS = [s.name for s in SPECS if s.kind == "number"]

HEAD = """\
format: 1
id: test.generated
version: "1"
unit: commune
inputs: commune_2021
title: {vi: Bộ tiêu chí sinh tự động, en: Generated criteria}
level: {id: ntm, name: {vi: Đạt, en: Met}}
valid: {from: 2022-01-01}
documents:
  d: {number: 1/QĐ-TEST}
parameters:
  income:
    name: {vi: Thu nhập, en: Income}
    unit: mvnd_per_person_year
    values:
      - {from: 2022-01-01, source: {doc: d}, verified: true, value: 40}
criteria:
"""


def ruleset_text(
    conditions: list[list[str]], applies: dict[tuple[int, int], str] | None = None
) -> str:
    """A ruleset with one criterion per inner list and one indicator per condition; every
    ruleset uses ``param.income`` once so that the parameter is not unused."""
    applies = applies or {}
    parts = [HEAD]
    n = 0
    for c, indicators in enumerate(conditions):
        parts.append(f"  - id: 'c{c}'\n    name: {{vi: C{c}, en: C{c}}}\n    source: {{doc: d}}\n")
        parts.append("    indicators:\n")
        for k, condition in enumerate(indicators):
            if n == 0:
                condition = f"({condition}) or income_per_capita >= param.income"
            extra = f", applies_if: '{applies[(c, k)]}'" if (c, k) in applies else ""
            parts.append(
                f"      - {{id: 'i{n}', name: {{vi: I{n}, en: I{n}}}, condition: \"{condition}\""
                f"{extra}, source: {{doc: d}}, verified: true}}\n"
            )
            n += 1
    return "".join(parts)


def uniform(
    criteria: int, per_criterion: int, condition: str = "income_per_capita >= param.income"
) -> str:
    return ruleset_text([[condition] * per_criterion for _ in range(criteria)])


def slot_heavy(criteria: int, checks: int) -> str:
    """One indicator per criterion, each comparison reading its own computed threshold
    (``param.income * k``): one fact value each, and one missing-value test each."""
    k = iter(range(1, 10_000))
    return ruleset_text(
        [
            [" and ".join(f"income_per_capita >= param.income * {next(k)}" for _ in range(checks))]
            for _ in range(criteria)
        ]
    )


def wide_group(checks: int) -> str:
    """Six indicators (one chunk of the engine's facts), each comparison reading two computed
    values of its own: ``2 * checks * 6`` values in one fact."""
    k = iter(range(1, 10_000))
    return ruleset_text(
        [
            [
                " and ".join(
                    f"income_per_capita * {next(k)} >= param.income * {next(k)}"
                    for _ in range(checks)
                )
                for _ in range(6)
            ]
        ]
    )


def random_condition(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.3:
        roll = rng.random()
        if roll < 0.4:
            return rng.choice(BOOLS)
        if roll < 0.75:
            return f"{rng.choice(NUMBERS)} >= {rng.randint(0, 100)}"
        return "income_per_capita < param.income"
    op = rng.choice([" and ", " or "])
    group = "(" + op.join(random_condition(rng, depth - 1) for _ in range(rng.randint(2, 5))) + ")"
    return f"not {group}" if rng.random() < 0.2 else group


def random_ruleset(rng: random.Random, max_criteria: int = 40, max_per: int = 12) -> str:
    criteria, per, depth = rng.randint(1, max_criteria), rng.randint(1, max_per), rng.randint(0, 3)
    conditions = [[random_condition(rng, depth) for _ in range(per)] for _ in range(criteria)]
    applies = {
        (c, k): rng.choice(BOOLS) for c in range(criteria) for k in range(per) if rng.random() < 0.2
    }
    return ruleset_text(conditions, applies)


def random_record(rng: random.Random, code: str = "X") -> dict[str, Any]:
    record: dict[str, Any] = {"code": code, "region": "tn", "year": 2024}
    for name in BOOLS:
        if rng.random() < 0.8:
            record[name] = rng.random() < 0.5
    for name in NUMBERS:
        if rng.random() < 0.8:
            record[name] = float(rng.randint(0, 100))
    return record
