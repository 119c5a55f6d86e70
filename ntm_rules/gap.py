"""What a unit still lacks for a level: unmet requirements, how far each is, nearest first.

**Nearness.** An unmet comparison's *distance* is its shortfall relative to its threshold:
``shortfall / max(|threshold|, 1)``, to 6 decimals (income 35.2 against 39 → 3.8 / 39 ≈ 0.097); an unmet
yes/no requirement counts 1, a whole task. A criterion's distance is the sum of the distances
of the requirements it still needs (for a criterion met by ``any`` or ``at_least k`` of its
indicators, only the nearest ones it needs). Criteria are listed nearest first, and inside a
criterion its requirements nearest first; ties go by id. Missing data and an unmet
prerequisite level are listed apart: they are not distances but things to find out or to
reach first.
"""

from __future__ import annotations

from typing import Any

import attrs

from .result import (
    DIVISION_BY_ZERO,
    MET,
    MISSING,
    NOT_MET,
    OUT_OF_RANGE,
    CheckResult,
    CriterionResult,
    EvaluationResult,
    Undefined,
)
from .text import Lang, Text, format_number
from .units import unit_symbol


@attrs.frozen
class GapItem:
    """One unmet comparison and the distance to its threshold."""

    criterion_id: str
    criterion_name: Text
    indicator_id: str
    indicator_name: Text
    check: str
    op: str
    value: Any
    threshold: Any
    unit: str | None
    shortfall: float | None  # in the unit; None for yes/no and text requirements
    distance: float
    rests_on_unverified: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion_id,
            "indicator": self.indicator_id,
            "name": self.indicator_name.to_dict(),
            "check": self.check,
            "op": self.op,
            "value": self.value,
            "threshold": self.threshold,
            "unit": self.unit,
            "shortfall": self.shortfall,
            "distance": self.distance,
            "rests_on_unverified": self.rests_on_unverified,
        }

    def describe(self, lang: Lang = "vi", *, with_name: bool = True) -> str:
        """``10 Thu nhập …: còn thiếu 3,8 triệu đồng/người/năm``; without the name when short."""
        head = (
            f"{self.indicator_id} {self.indicator_name(lang)}" if with_name else self.indicator_id
        )
        text = f"{head}: {self.shortfall_text(lang)}"
        if self.rests_on_unverified:
            text += " [chưa kiểm chứng]" if lang == "vi" else " [unverified]"
        return text

    def shortfall_text(self, lang: Lang = "vi") -> str:
        if self.shortfall is None:
            return "chưa đạt" if lang == "vi" else "not met"
        if self.unit == "percent":  # a difference of shares is in percentage points
            points = "điểm phần trăm" if lang == "vi" else "percentage points"
            amount = f"{format_number(self.shortfall, lang)} {points}"
        else:
            symbol = unit_symbol(self.unit, lang)
            amount = f"{format_number(self.shortfall, lang)} {symbol}".strip()
        if lang == "vi":
            verb = "còn thiếu" if self.op in (">=", ">") else "vượt quá"
        else:
            verb = "short by" if self.op in (">=", ">") else "over by"
        return f"{verb} {amount}"


@attrs.frozen
class CriterionGap:
    criterion_id: str
    name: Text
    distance: float
    items: tuple[GapItem, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion_id,
            "name": self.name.to_dict(),
            "distance": self.distance,
            "items": [i.to_dict() for i in self.items],
        }


@attrs.frozen
class MissingData:
    criterion_id: str
    indicator_id: str
    fields: tuple[str, ...]
    undefined: tuple[Undefined, ...] = ()  # computed values that do not exist (x / 0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion_id,
            "indicator": self.indicator_id,
            "fields": list(self.fields),
            "undefined": [u.to_dict() for u in self.undefined],
        }

    def describe(self, lang: Lang) -> str:
        reasons = {
            DIVISION_BY_ZERO: ("chia cho 0", "division by zero"),
            OUT_OF_RANGE: ("vượt quá ±10^15", "beyond ±10^15"),
        }
        from .explain import default_labels

        labels = default_labels()
        parts = [
            f"{labels[name](lang)} ({name})" if name in labels else name for name in self.fields
        ]
        parts += [f"{u.expression} ({reasons[u.reason][lang == 'en']})" for u in self.undefined]
        return f"{self.indicator_id}: {', '.join(parts)}"


@attrs.frozen
class Gap:
    """The distance from a unit's current state to a ruleset's level."""

    ruleset_id: str
    level_id: str
    level_name: Text
    status: str
    criteria: tuple[CriterionGap, ...]
    missing: tuple[MissingData, ...]
    prerequisite: Text | None  # the lower level to reach first, if not held
    prerequisite_gap: Gap | None

    @property
    def closed(self) -> bool:
        """True exactly when the level is reached."""
        return self.status == MET

    @property
    def items(self) -> tuple[GapItem, ...]:
        return tuple(i for c in self.criteria for i in c.items)

    @property
    def nearest(self) -> GapItem | None:
        return self.criteria[0].items[0] if self.criteria else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ruleset": self.ruleset_id,
            "level": self.level_id,
            "level_name": self.level_name.to_dict(),
            "status": self.status,
            "closed": self.closed,
            "criteria": [c.to_dict() for c in self.criteria],
            "missing": [m.to_dict() for m in self.missing],
            "prerequisite": self.prerequisite.to_dict() if self.prerequisite else None,
            "prerequisite_gap": self.prerequisite_gap.to_dict() if self.prerequisite_gap else None,
        }

    def render(self, lang: Lang = "vi") -> str:
        vi = lang == "vi"
        lines = [("Còn thiếu để đạt: " if vi else "Missing for: ") + self.level_name(lang)]
        if self.closed:
            lines.append("  Đã đạt." if vi else "  Reached.")
            return "\n".join(lines)
        if self.prerequisite is not None:
            lines.append(
                ("  Trước hết phải đạt: " if vi else "  First reach: ") + self.prerequisite(lang)
            )
        for criterion in self.criteria:
            lines.append(
                ("  Tiêu chí " if vi else "  Criterion ")
                + f"{criterion.criterion_id} {criterion.name(lang)}"
            )
            lines.extend(f"    - {item.describe(lang)}" for item in criterion.items)
        if self.missing:
            lines.append("  Thiếu dữ liệu:" if vi else "  Missing data:")
            lines.extend(f"    - {m.describe(lang)}" for m in self.missing)
        return "\n".join(lines)


def gap(result: EvaluationResult) -> Gap:
    """What ``result``'s unit lacks for the level of the ruleset that produced it."""
    criteria = []
    missing = []
    for criterion in result.criteria:
        for indicator in criterion.indicators:
            if indicator.status == MISSING:
                missing.append(
                    MissingData(criterion.id, indicator.id, indicator.missing, indicator.undefined)
                )
        if criterion.status == MET:
            continue
        items = _criterion_items(criterion)
        if items:
            criteria.append(
                CriterionGap(criterion.id, criterion.name, sum(i.distance for i in items), items)
            )
    criteria.sort(key=lambda c: (c.distance, _id_key(c.criterion_id)))
    prerequisite = result.prerequisite
    held = prerequisite is None or prerequisite.status == MET
    lower = None
    if not held and prerequisite is not None and prerequisite.computed is not None:
        lower = gap(prerequisite.computed)
    return Gap(
        ruleset_id=result.ruleset.id,
        level_id=result.level_id,
        level_name=result.level_name,
        status=result.status,
        criteria=tuple(criteria),
        missing=tuple(missing),
        prerequisite=None if held or prerequisite is None else prerequisite.name,
        prerequisite_gap=lower,
    )


def _criterion_items(criterion: CriterionResult) -> tuple[GapItem, ...]:
    per_indicator: list[tuple[float, str, tuple[GapItem, ...]]] = []
    met = 0
    for indicator in criterion.indicators:
        if indicator.status == MET:
            met += 1
        if indicator.status != NOT_MET:
            continue
        items = tuple(
            _item(criterion, indicator.id, indicator.name, c, indicator.rests_on_unverified)
            for c in indicator.checks
            if c.passed is False
        )
        if items:
            per_indicator.append((sum(i.distance for i in items), indicator.id, items))
    per_indicator.sort(key=lambda t: (round(t[0], 6), _id_key(t[1])))
    policy = criterion.policy
    if policy == "any":
        per_indicator = per_indicator[:1]
    elif policy.startswith("at_least"):
        needed = max(int(policy.split()[1]) - met, 0)
        per_indicator = per_indicator[:needed]
    return tuple(i for _, _, items in per_indicator for i in items)


def _item(
    criterion: CriterionResult, indicator_id: str, name: Text, check: CheckResult, unverified: bool
) -> GapItem:
    shortfall = None
    distance = 1.0
    if check.margin is not None:
        shortfall = -check.margin  # already free of float noise, and never 0 when failing
        exact = shortfall / max(abs(float(check.threshold)), 1.0)
        distance = round(exact, 6) or exact  # a failing check is never at distance 0
    return GapItem(
        criterion_id=criterion.id,
        criterion_name=criterion.name,
        indicator_id=indicator_id,
        indicator_name=name,
        check=check.text,
        op=check.op,
        value=check.value,
        threshold=check.threshold,
        unit=check.unit,
        shortfall=shortfall,
        distance=distance,
        rests_on_unverified=unverified,
    )


def _id_key(identifier: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that orders "2" before "10" and "17.2" before "17.10"."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in identifier.split("."))
