"""Read a ruleset file into a validated :class:`~ntm_rules.ruleset.model.Ruleset`.

Every problem is reported as a :class:`~ntm_rules.errors.RulesetError` with file, line, column
and key. Conditions are parsed and type-checked here, once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from ..errors import NtmRulesError, RulesetError
from ..expr import BOOL, Expr, Literal, ExprSyntaxError, ExprType, ExprTypeError, check, names_in, parse
from ..models.vocabulary import field_specs, vocabulary
from ..units import UNITS
from ..yaml_source import Node, load_yaml, text_offset
from .model import (
    GENERAL,
    Axis,
    AxisRule,
    Citation,
    Criterion,
    Document,
    Indicator,
    Level,
    Parameter,
    ParamCell,
    ParamEntry,
    Policy,
    Recognition,
    Ruleset,
)

FORMAT_VERSION = 1
UNIT_KINDS = ("commune", "village", "district", "province")
PROVINCE_DECIDES = "province_decides"

_TOP_KEYS = (
    "format", "id", "version", "unit", "inputs", "title", "level", "valid", "documents",
    "axes", "parameters", "criteria", "recognition", "note",
)


def load_ruleset(path: Path | str) -> Ruleset:
    """Load, validate and type-check one ruleset file."""
    path = Path(path)
    root = load_yaml(path)
    return _Loader(root, path.read_bytes()).ruleset()


class _Loader:
    def __init__(self, root: Node, raw: bytes) -> None:
        self.root = root
        self.raw = raw
        self.documents: dict[str, Document] = {}
        self.env: dict[str, ExprType] = {}
        self.id = ""

    # -- top level -------------------------------------------------------------------------
    def ruleset(self) -> Ruleset:
        root = self.root
        root.check_keys(
            _TOP_KEYS,
            ("format", "id", "version", "unit", "inputs", "title", "level", "valid",
             "documents", "criteria"),
        )
        fmt = root.get("format")
        if fmt.int() != FORMAT_VERSION:
            raise fmt.error(f"unsupported format {fmt.value}; this library reads format {FORMAT_VERSION}")
        self.id = root.get("id").str()
        unit_node = root.get("unit")
        unit = unit_node.str()
        if unit not in UNIT_KINDS:
            raise unit_node.error(f"unit must be one of {', '.join(UNIT_KINDS)}")
        inputs_node = root.get("inputs")
        try:
            model = vocabulary(inputs_node.str())
        except NtmRulesError as exc:
            raise inputs_node.error(str(exc)) from None
        self.env = {spec.name: spec.expr_type for spec in field_specs(model)}
        valid = root.get("valid")
        valid.check_keys(("from", "until"), ("from",))
        valid_from = valid.get("from").date()
        until_node = valid.opt("until")
        valid_until = until_node.date() if until_node else None
        if valid_until and valid_until < valid_from:
            raise until_node.error("'until' is before 'from'")  # type: ignore[union-attr]
        for key, node in root.get("documents").items():
            self.documents[key] = self.document(key, node)
        axes = {name: self.axis(name, node) for name, node in self._opt_items("axes")}
        parameters = {
            name: self.parameter(name, node, axes) for name, node in self._opt_items("parameters")
        }
        for name, param in parameters.items():
            self.env[f"param.{name}"] = ExprType("number", param.unit)
        criteria = self.criteria(root.get("criteria"))
        recognition_node = root.opt("recognition")
        recognition = self.recognition(recognition_node) if recognition_node else None
        self.check_parameters_used(parameters, criteria, recognition)
        level = root.get("level")
        level.check_keys(("id", "name"), ("id", "name"))
        return Ruleset(
            id=self.id,
            version=root.get("version").str(),
            unit=unit,
            inputs=inputs_node.str(),
            model=model,
            title=root.get("title").text(),
            level=Level(level.get("id").str(), level.get("name").text()),
            valid_from=valid_from,
            valid_until=valid_until,
            documents=self.documents,
            axes=axes,
            parameters=parameters,
            criteria=criteria,
            recognition=recognition,
            file=root.file,
            content_hash=hashlib.sha256(self.raw).hexdigest(),
        )

    def _opt_items(self, key: str) -> list[tuple[str, Node]]:
        node = self.root.opt(key)
        return list(node.items()) if node else []

    # -- documents and citations -------------------------------------------------------------
    def document(self, key: str, node: Node) -> Document:
        node.check_keys(("number", "date", "title", "url", "note"), ("number",))
        title = node.opt("title")
        date = node.opt("date")
        url = node.opt("url")
        note = node.opt("note")
        return Document(
            key=key,
            number=node.get("number").str(),
            date=date.date() if date else None,
            title=title.text() if title else None,
            url=url.str() if url else None,
            note=note.str() if note else None,
        )

    def citation(self, node: Node) -> Citation:
        node.check_keys(("doc", "part", "item", "url"), ("doc",))
        doc_node = node.get("doc")
        key = doc_node.str()
        if key not in self.documents:
            known = ", ".join(self.documents) or "none"
            raise doc_node.error(f"unknown document '{key}'; documents: {known}")
        part, item, url = node.opt("part"), node.opt("item"), node.opt("url")
        return Citation(
            doc=self.documents[key],
            part=part.str() if part else None,
            item=item.str() if item else None,
            url=url.str() if url else None,
        )

    # -- expressions -----------------------------------------------------------------------
    def expr(self, node: Node, expected: ExprType = BOOL, env: dict[str, ExprType] | None = None) -> Expr:
        if isinstance(node.value, bool):
            text = "true" if node.value else "false"
        else:
            text = node.str()
        try:
            expr = parse(text)
            check(expr, env if env is not None else self.env, expected)
        except (ExprSyntaxError, ExprTypeError) as exc:
            raise RulesetError(
                exc.message,
                file=node.file,
                line=node.line,
                column=node.column + text_offset(node) + exc.pos,
                key=node.path,
            ) from None
        return expr

    # -- axes ------------------------------------------------------------------------------
    def axis(self, name: str, node: Node) -> Axis:
        if name != "region":
            raise node.error(f"unknown axis '{name}'; this format knows: region")
        node.check_keys(("choices", "rules"), ("choices", "rules"))
        choices = tuple(item.str() for item in node.get("choices").seq())
        region = self.env.get("region")
        if region and set(choices) != set(region.choices):
            raise node.get("choices").error(
                f"choices must be the regions of the input model: {', '.join(region.choices)}"
            )
        value_type = ExprType("text", None, choices)
        rules = []
        for rule_node in node.get("rules").seq():
            rule_node.check_keys(
                ("id", "when", "value", "reason", "source"), ("id", "when", "value", "reason")
            )
            value_node = rule_node.get("value")
            source = rule_node.opt("source")
            when = self.expr(rule_node.get("when"))
            # a bare choice (`tdmnpb`) is that value; anything else is an expression (`region`)
            if value_node.str() in choices:
                value: Expr = Literal(value_node.str())
            else:
                value = self.expr(value_node, value_type)
            rules.append(
                AxisRule(
                    id=rule_node.get("id").str(),
                    when=when,
                    when_text=_text(rule_node.get("when")),
                    value=value,
                    value_text=value_node.str(),
                    reason=rule_node.get("reason").text(),
                    source=self.citation(source) if source else None,
                )
            )
        if not rules:
            raise node.get("rules").error("an axis needs at least one rule")
        if _text_of(rules[-1].when) != "true":
            raise node.get("rules").error("the last rule must have `when: \"true\"` so every unit gets a value")
        return Axis(name, choices, tuple(rules))

    # -- parameters ------------------------------------------------------------------------
    def parameter(self, name: str, node: Node, axes: dict[str, Axis]) -> Parameter:
        node.check_keys(("name", "unit", "axis", "values", "note"), ("name", "unit", "values"))
        unit_node = node.get("unit")
        unit = unit_node.str()
        if unit not in UNITS:
            raise unit_node.error(f"unknown unit '{unit}'; units: {', '.join(UNITS)}")
        axis_node = node.opt("axis")
        axis = axis_node.str() if axis_node else None
        if axis is not None and axis not in axes:
            raise axis_node.error(f"unknown axis '{axis}'")  # type: ignore[union-attr]
        entries: list[ParamEntry] = []
        previous: dt.date | None = None
        for entry_node in node.get("values").seq():
            entry = self.param_entry(entry_node, axis, axes.get(axis) if axis else None)
            if previous is not None and entry.start <= previous:
                raise entry_node.get("from").error(
                    f"dates must increase: {entry.start.isoformat()} does not follow {previous.isoformat()}"
                )
            previous = entry.start
            entries.append(entry)
        if not entries:
            raise node.get("values").error("a parameter needs at least one dated value")
        return Parameter(name, node.get("name").text(), unit, axis, tuple(entries))

    def param_entry(self, node: Node, axis: str | None, axis_def: Axis | None) -> ParamEntry:
        node.check_keys(
            ("from", "source", "verified", "note", "value", "by", "exception"),
            ("from", "source", "verified"),
        )
        source = self.citation(node.get("source"))
        verified = node.get("verified").bool()
        note_node = node.opt("note")
        note = note_node.str() if note_node else None
        if not verified and not note:
            raise node.error("an unverified value needs a `note` saying where it comes from")
        exception_node = node.opt("exception")
        exception = exception_node.bool() if exception_node else False
        defaults = (verified, note, source, exception)
        cells: dict[str, ParamCell] = {}
        if axis is None:
            if node.has("by"):
                raise node.get("by").error("`by` needs an `axis`; use `value` for a single value")
            cells[GENERAL] = self.cell(node.get("value"), defaults)
        else:
            assert axis_def is not None
            if node.has("value"):
                raise node.get("value").error(f"a parameter on axis '{axis}' takes `by`, not `value`")
            allowed = (GENERAL, *axis_def.choices)
            by = node.get("by")
            by.check_keys(allowed)
            for key, cell_node in by.items():
                cells[key] = self.cell(cell_node, defaults)
            uncovered = [c for c in axis_def.choices if c not in cells]
            if uncovered and GENERAL not in cells:
                raise by.error(f"no value for {', '.join(uncovered)} and no `general` value to fall back on")
        return ParamEntry(node.get("from").date(), cells)

    def cell(self, node: Node, defaults: tuple[bool, str | None, Citation, bool]) -> ParamCell:
        verified, note, source, exception = defaults
        value_node = node
        if isinstance(node.value, dict):
            node.check_keys(("value", "verified", "note", "source", "exception"), ("value",))
            value_node = node.get("value")
            if node.has("verified"):
                verified = node.get("verified").bool()
            if node.has("note"):
                note = node.get("note").str()
            if node.has("source"):
                source = self.citation(node.get("source"))
            if node.has("exception"):
                exception = node.get("exception").bool()
            if not verified and not note:
                raise node.error("an unverified value needs a `note` saying where it comes from")
        if value_node.value == PROVINCE_DECIDES:
            value = None
        else:
            value = value_node.number()
        return ParamCell(value, verified, note, source, self.id, exception, value_node.line)

    # -- criteria --------------------------------------------------------------------------
    def criteria(self, node: Node) -> tuple[Criterion, ...]:
        criteria: list[Criterion] = []
        seen_criteria: set[str] = set()
        self.seen_indicators: set[str] = set()
        for crit_node in node.seq():
            crit_node.check_keys(
                ("id", "name", "group", "source", "policy", "indicators", "note"),
                ("id", "name", "source", "indicators"),
            )
            id_node = crit_node.get("id")
            crit_id = id_node.str()
            if crit_id in seen_criteria:
                raise id_node.error(f"duplicate criterion id '{crit_id}'")
            seen_criteria.add(crit_id)
            group = crit_node.opt("group")
            indicators = tuple(self.indicator(n) for n in crit_node.get("indicators").seq())
            if not indicators:
                raise crit_node.get("indicators").error("a criterion needs at least one indicator")
            policy = self.policy(crit_node.opt("policy"), len(indicators))
            criteria.append(
                Criterion(
                    id=crit_id,
                    name=crit_node.get("name").text(),
                    group=group.text() if group else None,
                    source=self.citation(crit_node.get("source")),
                    policy=policy,
                    indicators=indicators,
                )
            )
        if not criteria:
            raise node.error("a ruleset needs at least one criterion")
        return tuple(criteria)

    def policy(self, node: Node | None, count: int) -> Policy:
        if node is None:
            return Policy()
        if isinstance(node.value, str):
            if node.value not in ("all", "any"):
                raise node.error("policy must be all, any or {at_least: N}")
            return Policy(node.value)
        node.check_keys(("at_least",), ("at_least",))
        k_node = node.get("at_least")
        k = k_node.int()
        if not 1 <= k <= count:
            raise k_node.error(f"at_least must be between 1 and the number of indicators ({count})")
        return Policy("at_least", k)

    def indicator(self, node: Node) -> Indicator:
        node.check_keys(
            ("id", "name", "condition", "applies_if", "source", "verified", "note"),
            ("id", "name", "condition", "source", "verified"),
        )
        id_node = node.get("id")
        ind_id = id_node.str()
        if ind_id in self.seen_indicators:
            raise id_node.error(f"duplicate indicator id '{ind_id}'")
        self.seen_indicators.add(ind_id)
        verified = node.get("verified").bool()
        note = node.opt("note")
        if not verified and note is None:
            raise node.error("an unverified indicator needs a `note` saying where its wording comes from")
        applies = node.opt("applies_if")
        return Indicator(
            id=ind_id,
            name=node.get("name").text(),
            condition=self.expr(node.get("condition")),
            condition_text=_text(node.get("condition")),
            applies_if=self.expr(applies) if applies else None,
            applies_if_text=_text(applies) if applies else None,
            source=self.citation(node.get("source")),
            verified=verified,
            note=note.str() if note else None,
            origin=self.id,
        )

    def recognition(self, node: Node) -> Recognition:
        node.check_keys(("name", "source", "conditions"), ("name", "source", "conditions"))
        conditions = tuple(self.indicator(n) for n in node.get("conditions").seq())
        if not conditions:
            raise node.get("conditions").error("recognition needs at least one condition")
        return Recognition(node.get("name").text(), self.citation(node.get("source")), conditions)

    def check_parameters_used(
        self,
        parameters: dict[str, Parameter],
        criteria: tuple[Criterion, ...],
        recognition: Recognition | None,
    ) -> None:
        used: set[str] = set()
        indicators = [i for c in criteria for i in c.indicators]
        indicators += list(recognition.conditions) if recognition else []
        for indicator in indicators:
            for expr in (indicator.condition, indicator.applies_if):
                if expr is not None:
                    used.update(n.parts[1] for n in names_in(expr) if n.is_param)
        unused = [name for name in parameters if name not in used]
        if unused:
            node = self.root.get("parameters").get(unused[0])
            raise node.error(f"parameter '{unused[0]}' is defined but no condition uses it")


def _text(node: Node) -> str:
    return "true" if node.value is True else "false" if node.value is False else node.str()


def _text_of(expr: Any) -> str:
    from ..expr.ast import to_source

    return to_source(expr)
