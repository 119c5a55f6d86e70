"""From a loaded ruleset (or ladder) to the document model: every criterion and indicator in
the decision's order, each condition in words, and each threshold it compares with, value by
value for every axis key (and ``general``) and every period in which the values differ."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import attrs

from ..expr import Expr, MissingValueError, evaluate
from ..expr.ast import Compare, Literal, Name, names_in, to_source, walk
from ..ladder import Ladder, Target
from ..models.vocabulary import field_specs
from ..ruleset.files import bundled_dir
from ..ruleset.model import GENERAL, Aggregate, Axis, Criterion, Indicator, Policy, Ruleset
from ..ruleset.resolve import FIELD_RULE, AxisChoice, ResolvedParam, resolve_params
from ..text import Lang, Text
from ..unit_kinds import unit_kind
from .model import (
    AxisDoc,
    AxisKey,
    AxisRuleDoc,
    ChecklistDoc,
    CriterionDoc,
    IndicatorDoc,
    LadderDoc,
    RecognitionDoc,
    Replaced,
    RulesetDoc,
    TargetDoc,
    Threshold,
    ValueCell,
)
from .wording import FLIPPED, OPS, Phrasing, both, word

__all__ = ["build_ladder_document", "build_ruleset_document"]

_DAY = dt.timedelta(days=1)


def build_ruleset_document(ruleset: Ruleset) -> RulesetDoc:
    """The criteria table of one ruleset."""
    return _Builder(ruleset).document()


def build_ladder_document(ladder: Ladder, rulesets: Sequence[Ruleset]) -> LadderDoc:
    """The criteria tables of a ladder: one per level (``rulesets``, lowest first)."""
    return LadderDoc(
        id=ladder.id,
        title=ladder.title,
        below=ladder.below,
        file=display_path(ladder.file),
        levels=tuple(build_ruleset_document(r) for r in rulesets),
        targets=tuple(_target(t, rulesets) for t in ladder.targets),
    )


def computed_line(ruleset: Ruleset, aggregate: Aggregate) -> Text:
    """``communes_ntm_pct (Tỷ lệ xã…): tỷ lệ % các xã ở mức ntm trở lên trên thang …``."""
    group = ruleset.members[aggregate.of]
    kind = unit_kind(group.kind)
    what = {
        "share": Text(vi=f"tỷ lệ % các {kind.plural.vi}", en=f"percent of the {kind.plural.en}"),
        "count": Text(vi=f"số {kind.plural.vi}", en=f"number of {kind.plural.en}"),
        "all": Text(
            vi=f"mọi {kind.plural.vi} đều", en=f"whether every one of the {kind.plural.en}"
        ),
        "min": Text(vi="giá trị nhỏ nhất", en="lowest value"),
        "max": Text(vi="giá trị lớn nhất", en="highest value"),
    }[aggregate.op]
    if aggregate.member_field is not None:
        how = Text(
            vi=f"của {aggregate.member_field} trong các {kind.plural.vi}",
            en=f"of {aggregate.member_field} among the {kind.plural.en}",
        )
    elif aggregate.level is not None:
        how = Text(
            vi=f"ở mức {aggregate.level} trở lên trên thang {group.ladder}",
            en=f"at or above level {aggregate.level} of ladder {group.ladder}",
        )
    elif aggregate.where_text in (None, "true"):
        how = Text(vi="", en="")
    else:
        how = Text(vi=f"có {aggregate.where_text}", en=f"with {aggregate.where_text}")
    name = aggregate.name or Text(vi="", en="")
    return Text(
        vi=f"{aggregate.field} ({name.vi}): {what.vi} {how.vi}".rstrip(),
        en=f"{aggregate.field} ({name.en}): {what.en} {how.en}".rstrip(),
    )


def _target(target: Target, rulesets: Sequence[Ruleset]) -> TargetDoc:
    names = {r.id: r.level.name for r in rulesets}
    name = names.get(target.level or "", Text(vi=target.level or "", en=target.level or ""))
    kind = rulesets[0].unit if rulesets else None
    text = Text(vi=target.describe(name.vi, "vi", kind), en=target.describe(name.en, "en", kind))
    return TargetDoc(target.level, target.count, target.year, target.note, text)


def display_path(file: str) -> str:
    """A ruleset file as a reader can find it: ``rulesets/…`` for a bundled one, relative to the
    working folder when inside it, else as loaded."""
    path = Path(file)
    for root, prefix in ((bundled_dir(), Path("rulesets")), (Path.cwd(), Path())):
        with contextlib.suppress(ValueError):
            return (prefix / path.resolve().relative_to(root.resolve())).as_posix()
    return path.as_posix()


@attrs.frozen
class _Spec:
    """A threshold of a condition: the parameter side and the words of the other side."""

    side: Expr
    op: str | None  # the comparison, read "subject op threshold"; None: a bare parameter
    subject: Expr | None


class _Builder:
    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        specs = field_specs(ruleset.model)
        self.base = Phrasing(
            labels={s.name: s.label for s in specs},
            units={
                **{s.name: s.unit for s in specs},
                **{f"param.{n}": p.unit for n, p in ruleset.parameters.items()},
            },
            param_labels={f"param.{n}": _param_label(ruleset, n) for n in ruleset.parameters},
        )
        self.dates = _boundaries(ruleset)
        self._resolved: dict[tuple[dt.date, str | None, str], dict[str, ResolvedParam]] = {}

    def document(self) -> RulesetDoc:
        r = self.ruleset
        recognition = None
        if r.recognition is not None:
            recognition = RecognitionDoc(
                name=r.recognition.name,
                source=r.recognition.source,
                conditions=tuple(self.indicator(i) for i in r.recognition.conditions),
            )
        return RulesetDoc(
            id=r.id,
            version=r.version,
            content_hash=r.content_hash,
            file=display_path(r.file),
            unit=r.unit,
            title=r.title,
            level=r.level.name,
            valid_from=r.valid_from,
            valid_until=r.valid_until,
            extends=r.extends,
            scope=self.scope(),
            note=r.note,
            documents=tuple(r.documents.values()),
            axes=tuple(self.axis(a) for a in r.axes.values()),
            level_policy=both(
                lambda lang: (
                    word("level_all", lang, count=len(r.criteria))
                    + ("" if r.recognition is None else ". " + word("level_recognition", lang))
                )
            ),
            prerequisite=self.prerequisite(),
            criteria=tuple(self.criterion(c) for c in r.criteria),
            computed=tuple(computed_line(r, a) for a in r.aggregates.values()),
            recognition=recognition,
            checklist=tuple(self.checklist()),
        )

    def scope(self) -> Text | None:
        scope = self.ruleset.scope
        if scope is None:
            return None

        axes = self.ruleset.axes

        def say(lang: Lang) -> str:
            text = word("scope_text", lang, province=scope.province)
            for name, value in scope.axes.items():
                axis = axes.get(name)
                if axis is not None:
                    title, short = axis.title(lang).lower(), axis.choice_short(value)(lang)
                else:  # an input of the units, not an axis of this ruleset: its code
                    title, short = (
                        self.base.labels.get(name, Text(name, name))(lang).lower(),
                        value.upper(),
                    )
                text += ", " + word("scope_axis", lang, axis=title, value=short)
            return text

        return both(say)

    def prerequisite(self) -> Text | None:
        pre = self.ruleset.requires
        if pre is None:
            return None

        def say(lang: Lang) -> str:
            ways = []
            if "computed" in pre.accept:
                ways.append(word("pre_computed", lang))
            if "recognised" in pre.accept:
                recognised = word("pre_recognised", lang)
                if pre.recognised_since is not None:
                    recognised += f" ({word('pre_since', lang, year=pre.recognised_since)})"
                ways.append(recognised)
            return f"{pre.name(lang)} ({pre.ruleset}): {word('pre_or', lang).join(ways)}"

        return both(say)

    def axis(self, axis: Axis) -> AxisDoc:
        keys = tuple(AxisKey(k, axis.choice_short(k), axis.choice_name(k)) for k in axis.choices)
        rules = []
        for rule in axis.rules:
            always = isinstance(rule.when, Literal) and rule.when.value is True
            when = None if always else self.say(rule.when)
            literal = isinstance(rule.value, Literal) and isinstance(rule.value.value, str)
            value = (
                axis.choice_short(str(rule.value.value))  # type: ignore[union-attr]
                if literal
                else self.say(rule.value)
            )
            rules.append(AxisRuleDoc(rule.id, when, value, not literal, rule.reason, rule.source))
        if axis.field is not None:
            field = self.base.labels.get(axis.field, Text(axis.field, axis.field))
            rules.append(
                AxisRuleDoc(
                    FIELD_RULE, None, field, True, both(lambda lang: word("own_value", lang)), None
                )
            )
        return AxisDoc(axis.name, axis.title, keys, tuple(rules))

    def say(self, expr: Expr) -> Text:
        return both(lambda lang: self.base.say(expr, lang))

    def criterion(self, criterion: Criterion) -> CriterionDoc:
        return CriterionDoc(
            id=criterion.id,
            name=criterion.name,
            heading=criterion.heading,
            source=criterion.source,
            policy=_policy(criterion.policy),
            indicators=tuple(self.indicator(i) for i in criterion.indicators),
        )

    def indicator(self, indicator: Indicator) -> IndicatorDoc:
        exprs = [indicator.condition, *([indicator.applies_if] if indicator.applies_if else [])]
        specs = _dedupe([spec for expr in exprs for spec in _specs(expr)])
        refs: dict[Expr, Text] = {}
        for n, spec in enumerate(specs, 1):
            if spec.op is not None:
                refs[spec.side] = self.reference(spec.side, n if len(specs) > 1 else None)
        phrasing = attrs.evolve(self.base, refs=refs)
        thresholds = [
            threshold
            for n, spec in enumerate(specs, 1)
            for threshold in self.thresholds(spec, n, phrasing)
        ]
        applies = indicator.applies_if
        r = self.ruleset
        return IndicatorDoc(
            id=indicator.id,
            name=indicator.name,
            requirement=both(lambda lang: phrasing.say(indicator.condition, lang)),
            applies_if=both(lambda lang: phrasing.say(applies, lang)) if applies else None,
            source=indicator.source,
            verified=indicator.verified,
            note=indicator.note,
            origin=indicator.origin,
            provincial=r.extends is not None and indicator.origin == r.id,
            thresholds=tuple(thresholds),
        )

    def reference(self, side: Expr, n: int | None) -> Text:
        """The words standing for a threshold in a condition: ``mức yêu cầu (1)``, and the
        formula of a computed one (``= 1,1 × [Thu nhập …]``)."""

        def say(lang: Lang) -> str:
            level = (
                word("required_level", lang) if n is None else word("required_level_n", lang, n=n)
            )
            if isinstance(side, Name):
                return level
            formula = self.base.say(side, lang)
            return f"{level} (= {formula})"

        return both(say)

    def thresholds(self, spec: _Spec, number: int, phrasing: Phrasing) -> Iterator[Threshold]:
        params = [n.dotted.removeprefix("param.") for n in names_in(spec.side)]
        axis = next((a for p in params if (a := self.ruleset.parameters[p].axis)), None)
        keys = (GENERAL, *self.ruleset.axes[axis].choices) if axis else (GENERAL,)
        unit = phrasing.unit_of(spec.side)
        subject = both(
            lambda lang: (
                phrasing.say(spec.subject, lang) + f" {OPS[spec.op]}"
                if spec.subject is not None and spec.op is not None
                else phrasing.say(spec.side, lang)
            )
        )
        rows: list[tuple[dt.date, dict[str, ValueCell]]] = []
        for on in self.dates:
            cells = {}
            for key in keys:
                cell = self.cell(spec.side, params, on, axis, key)
                if cell is not None:
                    cells[key] = cell
            if not rows or rows[-1][1] != cells:
                rows.append((on, cells))
        for n, (start, cells) in enumerate(rows):
            if not cells:
                continue
            until = rows[n + 1][0] - _DAY if n + 1 < len(rows) else self.ruleset.valid_until
            yield Threshold(number, subject, unit, axis, start, until, cells)

    def cell(
        self, side: Expr, params: list[str], on: dt.date, axis: str | None, key: str
    ) -> ValueCell | None:
        resolved = self.resolved(on, axis, key)
        found = [resolved[p] for p in params if p in resolved]
        if len(found) < len(params):
            return None
        first = found[0]
        if isinstance(side, Name):
            value = first.value
            replaced = first.replaces
            replaces = (
                Replaced(replaced.value, replaced.origin, replaced.source) if replaced else None
            )
        else:
            value = _compute(side, {f"param.{r.param.name}": r.value for r in found})
            replaces = None
            if any(r.replaces for r in found):
                before = {f"param.{r.param.name}": (r.replaces or r.cell).value for r in found}
                old = next(r.replaces for r in found if r.replaces)
                replaces = Replaced(_compute(side, before), old.origin, old.source)
        provincial = next((r.cell for r in found if r.cell.authority != "national"), first.cell)
        return ValueCell(
            value=value,
            verified=all(r.cell.verified for r in found),
            authority=provincial.authority,
            exception=any(r.cell.exception for r in found),
            source=provincial.source,
            note=provincial.note,
            origin=provincial.origin,
            replaces=replaces,
        )

    def resolved(self, on: dt.date, axis: str | None, key: str) -> dict[str, ResolvedParam]:
        """Every parameter with a value on ``on`` for the unit that uses column ``key`` (a
        parameter on an axis without a ``general`` value has none in the general column)."""
        index = (on, axis, key)
        if index not in self._resolved:
            ruleset = self.ruleset
            present = {}
            for name, param in ruleset.parameters.items():
                entries = [e for e in param.entries if e.start <= on]
                chosen = param.axis is not None and param.axis == axis and key != GENERAL
                if entries and (param.axis is None or chosen or GENERAL in entries[-1].cells):
                    present[name] = param
            choices = {}
            if axis is not None and key != GENERAL:
                choices[axis] = AxisChoice(axis, key, "document", Text(key, key), None)
            self._resolved[index] = resolve_params(
                attrs.evolve(ruleset, parameters=present), on, choices
            )
        return self._resolved[index]

    def checklist(self) -> Iterator[ChecklistDoc]:
        indicators = {i.id: i for i in self.ruleset.indicators}
        for item in self.ruleset.checklist:
            kind, name = item.target.split(" ", 1)
            if kind == "parameter" and name in self.ruleset.parameters:
                label = self.ruleset.parameters[name].label
            elif name in indicators:
                label = indicators[name].name
            else:
                label = Text(name, name)
            yield ChecklistDoc(item.target, label, item.note)


def _boundaries(ruleset: Ruleset) -> tuple[dt.date, ...]:
    """The days on which some value may change, within the ruleset's validity."""
    days = {ruleset.valid_from}
    for param in ruleset.parameters.values():
        days.update(e.start for e in param.entries)
        for override in param.overrides:
            days.add(override.start)
            if override.until is not None:
                days.add(override.until + _DAY)
    last = ruleset.valid_until
    return tuple(sorted(d for d in days if d >= ruleset.valid_from and (last is None or d <= last)))


def _specs(expr: Expr) -> Iterator[_Spec]:
    """The thresholds of a condition: each comparison of a parameter-only side with a side
    reading the unit's inputs; a parameter compared any other way is shown on its own."""
    for node in walk(expr):
        if not isinstance(node, Compare):
            continue
        left, right = _params_only(node.left), _params_only(node.right)
        if right and not _params_only(node.left, allow_none=True):
            yield _Spec(node.right, node.op, node.left)
        elif left and not _params_only(node.right, allow_none=True):
            yield _Spec(node.left, FLIPPED[node.op], node.right)
        else:
            for name in names_in(node):
                if name.is_param:
                    yield _Spec(name, None, None)


def _params_only(expr: Expr, *, allow_none: bool = False) -> bool:
    """Whether ``expr`` reads parameters and no input (or, with ``allow_none``, no input at
    all: a constant counts)."""
    names = names_in(expr)
    if any(not n.is_param for n in names):
        return False
    return allow_none or bool(names)


def _dedupe(specs: list[_Spec]) -> list[_Spec]:
    seen: set[tuple[str, str | None, str | None]] = set()
    found = []
    for spec in specs:
        key = (
            to_source(spec.side),
            spec.op,
            to_source(spec.subject) if spec.subject is not None else None,
        )
        if key not in seen:
            seen.add(key)
            found.append(spec)
    return found


def _compute(side: Expr, values: Mapping[str, float | None]) -> float | None:
    with contextlib.suppress(MissingValueError, ZeroDivisionError, TypeError):
        value = evaluate(side, values)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return round(float(value), 9)  # 1.1 × 53 is shown as 58.3, not 58.300000000000004
    return None


def _param_label(ruleset: Ruleset, name: str) -> Text:
    """A parameter's name; an imported one's with the ruleset it comes from."""
    label = ruleset.parameters[name].label
    alias = name.split(".")[0] if "." in name else None
    if alias is None or alias not in ruleset.imports:
        return label
    origin = ruleset.imports[alias]
    return Text(f"{label.vi}, {origin}", f"{label.en}, {origin}")


def _policy(policy: Policy) -> Text:
    if policy.kind == "any":
        return both(lambda lang: word("policy_any", lang))
    if policy.kind == "at_least":
        return both(lambda lang: word("policy_at_least", lang, k=policy.k))
    return both(lambda lang: word("policy_all", lang))
