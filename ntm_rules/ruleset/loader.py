"""Read a ruleset file into a validated :class:`~ntm_rules.ruleset.model.Ruleset`.

Every problem is reported as a :class:`~ntm_rules.errors.RulesetError` with file, line, column
and key. Conditions are parsed and type-checked here, once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import attrs

from ..errors import NtmRulesError, RulesetError
from ..expr import (
    BOOL,
    Expr,
    ExprSyntaxError,
    ExprType,
    ExprTypeError,
    Literal,
    check,
    names_in,
    parse,
)
from ..models.vocabulary import always_given, field_specs, vocabulary
from ..text import nfc
from ..units import UNITS
from ..yaml_source import Node, load_yaml_text, read_source, scalar_text, text_offset
from .extension import add_indicators, all_indicators, apply_overrides, check_filled, param_name
from .files import find_ruleset_file
from .format_spec import (
    AXIS,
    AXIS_RULE,
    CELL,
    CHECKLIST_ITEM,
    CITATION,
    CRITERION,
    DOCUMENT,
    EXTENSION,
    FORMAT_VERSION,
    INDICATOR,
    LEVEL,
    PARAMETER,
    PARAMETER_VALUES,
    POLICY,
    PROVINCE_DECIDES,
    RECOGNITION,
    REQUIRES,
    RULESET,
    SCOPE,
    UNIT_KINDS,
    VALIDITY,
    Shape,
)
from .model import (
    GENERAL,
    Axis,
    AxisRule,
    ChecklistItem,
    Citation,
    Criterion,
    Document,
    Indicator,
    Level,
    ParamCell,
    ParamEntry,
    Parameter,
    Policy,
    Prerequisite,
    Recognition,
    Ruleset,
    Scope,
)

Stamp = tuple[int, int]  # modification time (ns) and size of a file


@attrs.frozen
class _Cached:
    stamp: Stamp
    ruleset: Ruleset
    depends_on: tuple[tuple[Path, Stamp], ...]  # every file it draws on, transitively
    # (file, reference, file found) of every id it and those files refer to: a reference may
    # resolve elsewhere under another search path, or once a file with that id is added
    references: tuple[tuple[Path, str, Path], ...] = ()


_cache: dict[Path, _Cached] = {}


def _stamp(path: Path) -> Stamp:
    try:
        stat = path.stat()
    except OSError as exc:
        raise RulesetError(f"cannot read file: {exc.strerror}", file=str(path)) from None
    return stat.st_mtime_ns, stat.st_size


def _fresh(entry: _Cached, stamp: Stamp) -> bool:
    if entry.stamp != stamp:
        return False
    try:
        if not all(_stamp(p) == s for p, s in entry.depends_on):
            return False
        return all(_found(ref, near) == found for near, ref, found in entry.references)
    except RulesetError:
        return False


def _found(reference: str, near: Path) -> Path | None:
    found = find_ruleset_file(reference, near)
    return found.resolve() if found is not None else None


def load_ruleset(path: Path | str, *, _stack: tuple[Path, ...] = ()) -> Ruleset:
    """Load, validate and type-check one ruleset file (and those it extends, imports or
    requires).

    Results are cached until the file, or any file it draws on, changes.
    """
    path = Path(path).resolve()
    if path in _stack:
        chain = " -> ".join(p.name for p in (*_stack, path))
        raise RulesetError(
            f"rulesets extend or import each other in a cycle: {chain}", file=str(path)
        )
    stamp = _stamp(path)
    cached = _cache.get(path)
    if cached is not None and _fresh(cached, stamp):
        return cached.ruleset
    text = read_source(path)
    loader = _Loader(load_yaml_text(text, str(path)), text, path, (*_stack, path))
    ruleset = loader.ruleset()
    if len(_cache) > 128:
        _cache.clear()
    _cache[path] = _Cached(
        stamp, ruleset, tuple(loader.depends_files.items()), tuple(loader.references)
    )
    return ruleset


class _Loader:
    def __init__(self, root: Node, text: str, path: Path, stack: tuple[Path, ...]) -> None:
        self.root = root
        self.text = text
        self.path = path
        self.stack = stack
        self.documents: dict[str, Document] = {}
        self.env: dict[str, ExprType] = {}
        self.always_given: frozenset[str] = frozenset()
        self.id = ""
        self.authority = "national"
        self.scope: Scope | None = None
        self.seen_indicators: set[str] = set()
        self.depends_on: dict[str, str] = {}  # id -> content hash of every ruleset drawn on
        self.depends_files: dict[Path, Stamp] = {}
        self.files: dict[str, str] = {}  # id -> file of every ruleset drawn on
        self.references: list[tuple[Path, str, Path]] = []

    def load_other(self, node: Node, what: str) -> Ruleset:
        reference = node.str()
        found = find_ruleset_file(reference, self.path)
        if found is None:
            raise node.error(
                f"{what} '{reference}' not found (neither a file nor a bundled ruleset id)"
            )
        other = load_ruleset(found, _stack=self.stack)
        self.depends_on[other.id] = other.content_hash
        self.files.update(other.files)
        resolved = found.resolve()
        self.depends_files[resolved] = _stamp(resolved)
        self.references.append((self.path, reference, resolved))
        entry = _cache.get(resolved)
        if entry is not None:
            self.depends_files.update(entry.depends_on)
            self.references.extend(entry.references)
        return other

    # -- top level -------------------------------------------------------------------------
    def ruleset(self) -> Ruleset:
        root = self.root
        root.mapping()
        extends_node = root.opt("extends")
        if extends_node is None:
            root.check_keys(RULESET.allowed, RULESET.required)
        else:
            root.check_keys(EXTENSION.allowed, EXTENSION.required)
        fmt = root.get("format")
        if fmt.int() != FORMAT_VERSION:
            raise fmt.error(
                f"unsupported format {fmt.value}; this library reads format {FORMAT_VERSION}"
            )
        self.id = root.get("id").str()
        base = self.load_other(extends_node, "extended ruleset") if extends_node else None
        scope = self.scope = self.read_scope(root.opt("scope"))
        if scope is not None:
            self.authority = scope.province

        if base is None:
            unit, inputs, model = self.unit_and_inputs()
        else:
            unit, inputs, model = base.unit, base.inputs, base.model
            self.documents.update(base.documents)
        self.env = {spec.name: spec.expr_type for spec in field_specs(model)}
        self.always_given = always_given(model)

        if base is None or root.has("valid"):
            valid_from, valid_until = self.validity(root.get("valid"))
        else:
            valid_from, valid_until = base.valid_from, base.valid_until
        for key, node in root.get("documents").items():
            if key in self.documents:
                raise node.error(
                    f"document '{key}' is already defined by {base.id if base else self.id}"
                )
            self.documents[key] = self.document(key, node)

        axes = dict(base.axes) if base else {}
        axes.update({name: self.axis(name, node) for name, node in self._opt_items("axes")})
        imports = dict(base.imports) if base else {}
        parameters = dict(base.parameters) if base else {}
        self.import_parameters(root.opt("imports"), imports, parameters, axes)
        for name, node in self._opt_items("parameters"):
            if name in parameters:
                raise node.error(
                    f"parameter '{name}' is inherited; change it with an `overrides` entry"
                )
            parameters[name] = self.parameter(name, node, axes)
            first = parameters[name].entries[0].start
            if first > valid_from:
                start = node.get("values").seq()[0].get("from")
                raise start.error(
                    f"the first value is from {first.isoformat()}, after the ruleset's validity "
                    f"starts ({valid_from.isoformat()}): no value would be in force until then"
                )
        for name, param in parameters.items():
            self.env[f"param.{name}"] = ExprType("number", param.unit)
            first = param.entries[0].start
            if first > valid_from:  # imported or inherited (own ones are checked above)
                where = root.get("imports") if "." in name else root.get("valid")
                raise where.error(
                    f"parameter '{name}' has no value before {first.isoformat()}, and this "
                    f"ruleset is valid from {valid_from.isoformat()}"
                )

        requires_node = root.opt("requires")
        requires = (
            self.requires(requires_node) if requires_node else (base.requires if base else None)
        )

        if base is None:
            criteria = self.criteria(root.get("criteria"))
            recognition_node = root.opt("recognition")
            recognition = self.recognition(recognition_node) if recognition_node else None
        else:
            criteria, recognition = base.criteria, base.recognition
            self.seen_indicators = {i.id for c in criteria for i in c.indicators}
            if recognition:
                self.seen_indicators.update(i.id for i in recognition.conditions)
            criteria = add_indicators(self, root.opt("add_indicators"), criteria)
            criteria, recognition, parameters = apply_overrides(
                self, root.opt("overrides"), criteria, recognition, parameters, axes
            )
        self.check_parameters_used(parameters, criteria, recognition)
        if scope is not None:
            check_filled(self, parameters, scope, valid_from, valid_until)

        level = self.level(root.get("level")) if base is None or root.has("level") else base.level
        checklist = self.checklist(root.opt("checklist"), parameters, criteria)
        note_node = root.opt("note")
        return Ruleset(
            id=self.id,
            version=root.get("version").str(),
            unit=unit,
            inputs=inputs,
            model=model,
            title=root.get("title").text(),
            level=level,
            valid_from=valid_from,
            valid_until=valid_until,
            documents=self.documents,
            axes=axes,
            parameters=parameters,
            criteria=criteria,
            recognition=recognition,
            file=root.file,
            content_hash=self.content_hash(),
            extends=base.id if base else None,
            scope=scope,
            requires=requires,
            imports=imports,
            checklist=checklist,
            note=note_node.str() if note_node else None,
            files={**self.files, self.id: root.file},
        )

    def unit_and_inputs(self) -> tuple[str, str, type[Any]]:
        """The kind of unit and the input vocabulary of a ruleset that extends none."""
        unit_node = self.root.get("unit")
        unit = unit_node.str()
        if unit not in UNIT_KINDS:
            raise unit_node.error(f"unit must be one of {', '.join(UNIT_KINDS)}")
        inputs_node = self.root.get("inputs")
        inputs = inputs_node.str()
        try:
            model = vocabulary(inputs)
        except NtmRulesError as exc:
            raise inputs_node.error(str(exc)) from None
        return unit, inputs, model

    def import_parameters(
        self,
        node: Node | None,
        imports: dict[str, str],
        parameters: dict[str, Parameter],
        axes: dict[str, Axis],
    ) -> None:
        """Make each imported ruleset's parameters available as ``param.<alias>.<name>``."""
        if node is None:
            return
        for alias, item in node.items():
            imported = self.load_other(item, "imported ruleset")
            for name in [n for n in parameters if n.startswith(f"{alias}.")]:
                del parameters[name]  # an extension may point an alias to another ruleset
            for name, param in imported.parameters.items():
                if "." in name:
                    continue  # only the imported ruleset's own parameters
                if param.axis and param.axis not in axes:
                    raise item.error(
                        f"'{imported.id}' uses axis '{param.axis}' which this ruleset lacks"
                    )
                parameters[f"{alias}.{name}"] = attrs.evolve(param, name=f"{alias}.{name}")
            imports[alias] = imported.id

    def content_hash(self) -> str:
        """This file and every ruleset it extends, imports or requires, so that a stored result
        traces to the exact rules even when a lower level's file changes. The text is hashed as
        read (no byte-order mark, ``\n`` line endings) and in NFC: saving the same rules with
        another editor's line endings or Unicode form keeps the hash."""
        digest = hashlib.sha256(nfc(self.text).encode("utf-8"))
        for other_id in sorted(self.depends_on):
            digest.update(f"{other_id}={self.depends_on[other_id]}".encode())
        return digest.hexdigest()

    def checklist(
        self, node: Node | None, parameters: dict[str, Parameter], criteria: tuple[Criterion, ...]
    ) -> tuple[ChecklistItem, ...]:
        if node is None:
            return ()
        indicators = {i.id for c in criteria for i in c.indicators}
        items = []
        for item in node.seq():
            item.check_keys(CHECKLIST_ITEM.allowed, CHECKLIST_ITEM.required)
            if item.has("parameter") == item.has("indicator"):
                raise item.error("a checklist item names one `parameter` or one `indicator`")
            kind = "parameter" if item.has("parameter") else "indicator"
            name_node = item.get(kind)
            name = name_node.str()
            if name not in (parameters if kind == "parameter" else indicators):
                raise name_node.error(f"unknown {kind} '{name}'")
            items.append(ChecklistItem(f"{kind} {name}", item.get("note").str(), item.line))
        return tuple(items)

    def level(self, node: Node) -> Level:
        node.check_keys(LEVEL.allowed, LEVEL.required)
        field_node = node.opt("recognised_field")
        field = field_node.str() if field_node else None
        if field_node is not None and (field not in self.env or self.env[field].kind != "number"):
            raise field_node.error(f"'{field}' is not a year field of the input model")
        return Level(node.get("id").str(), node.get("name").text(), field)

    def validity(self, valid: Node) -> tuple[dt.date, dt.date | None]:
        valid.check_keys(VALIDITY.allowed, VALIDITY.required)
        valid_from = valid.get("from").period_date()
        until_node = valid.opt("until")
        valid_until = until_node.period_date() if until_node else None
        if until_node is not None and valid_until is not None and valid_until < valid_from:
            raise until_node.error("'until' is before 'from'")
        return valid_from, valid_until

    def read_scope(self, node: Node | None) -> Scope | None:
        if node is None:
            return None
        node.check_keys(SCOPE.allowed, SCOPE.required)
        region = node.opt("region")
        return Scope(node.get("province").str(), region.str() if region else None)

    def requires(self, node: Node) -> Prerequisite:
        node.check_keys(REQUIRES.allowed, REQUIRES.required)
        lower = self.load_other(node.get("ruleset"), "required ruleset")
        accept_node = node.get("accept")
        accept = tuple(item.str() for item in accept_node.seq())
        if not accept or any(a not in ("computed", "recognised") for a in accept):
            raise accept_node.error("accept must list `computed` and/or `recognised`")
        field_node = node.opt("recognised_field")
        field = field_node.str() if field_node else None
        if "recognised" in accept:
            if field_node is None or field is None:
                raise node.error("accepting `recognised` needs `recognised_field`")
            if field not in self.env or self.env[field].kind != "number":
                raise field_node.error(f"'{field}' is not a year field of the input model")
        since = node.opt("recognised_since")
        return Prerequisite(
            ruleset=lower.id,
            accept=accept,
            recognised_field=field,
            recognised_since=since.int() if since else None,
            name=node.get("name").text(),
            source=self.citation(node.get("source")),
        )

    def _opt_items(self, key: str) -> list[tuple[str, Node]]:
        node = self.root.opt(key)
        return list(node.items()) if node else []

    # -- documents and citations -------------------------------------------------------------
    def document(self, key: str, node: Node) -> Document:
        node.check_keys(DOCUMENT.allowed, DOCUMENT.required)
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
        node.check_keys(CITATION.allowed, CITATION.required)
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
    def expr(
        self, node: Node, expected: ExprType = BOOL, env: dict[str, ExprType] | None = None
    ) -> Expr:
        text = ("true" if node.value else "false") if isinstance(node.value, bool) else node.str()
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
        node.check_keys(AXIS.allowed, AXIS.required)
        choices = tuple(item.str() for item in node.get("choices").seq())
        region = self.env.get("region")
        if region and set(choices) != set(region.choices):
            raise node.get("choices").error(
                f"choices must be the regions of the input model: {', '.join(region.choices)}"
            )
        value_type = ExprType("text", None, choices)
        rules = []
        for rule_node in node.get("rules").seq():
            rule_node.check_keys(AXIS_RULE.allowed, AXIS_RULE.required)
            value_node = rule_node.get("value")
            source = rule_node.opt("source")
            when = self.expr(rule_node.get("when"))
            # a bare choice (`tdmnpb`) is that value; anything else is an expression (`region`)
            if value_node.str() in choices:
                value: Expr = Literal(value_node.str())
            else:
                value = self.expr(value_node, value_type)
            for expr, expr_node in ((when, rule_node.get("when")), (value, value_node)):
                optional = [n.dotted for n in names_in(expr) if n.dotted not in self.always_given]
                if optional:
                    raise expr_node.error(
                        f"an axis rule may only read what every unit has "
                        f"({', '.join(sorted(self.always_given))}); '{optional[0]}' may be "
                        "missing, and the unit's row of the threshold tables would be unknown"
                    )
            rules.append(
                AxisRule(
                    id=rule_node.get("id").str(),
                    when=when,
                    when_text=scalar_text(rule_node.get("when")),
                    value=value,
                    value_text=value_node.str(),
                    reason=rule_node.get("reason").text(),
                    source=self.citation(source) if source else None,
                )
            )
        if not rules:
            raise node.get("rules").error("an axis needs at least one rule")
        if _text_of(rules[-1].when) != "true":
            raise node.get("rules").error(
                'the last rule must have `when: "true"` so every unit gets a value'
            )
        return Axis(name, choices, tuple(rules))

    # -- parameters ------------------------------------------------------------------------
    def parameter(self, name: str, node: Node, axes: dict[str, Axis]) -> Parameter:
        node.check_keys(PARAMETER.allowed, PARAMETER.required)
        stricter_node = node.opt("stricter")
        stricter = stricter_node.str() if stricter_node else None
        if stricter_node is not None and stricter not in ("higher", "lower"):
            raise stricter_node.error("stricter must be `higher` or `lower`")
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
        return Parameter(
            name, node.get("name").text(), unit, axis, tuple(entries), stricter=stricter
        )

    def param_entry(
        self,
        node: Node,
        axis: str | None,
        axis_def: Axis | None,
        shape: Shape = PARAMETER_VALUES,
        partial: bool = False,
    ) -> ParamEntry:
        node.check_keys(shape.allowed, shape.required)
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
                raise node.get("value").error(
                    f"a parameter on axis '{axis}' takes `by`, not `value`"
                )
            allowed = (GENERAL, *axis_def.choices)
            by = node.get("by")
            by.check_keys(allowed)
            for key, cell_node in by.items():
                cells[key] = self.cell(cell_node, defaults)
            uncovered = [c for c in axis_def.choices if c not in cells]
            if uncovered and GENERAL not in cells and not partial:
                raise by.error(
                    f"no value for {', '.join(uncovered)} and no `general` value to fall back on"
                )
        return ParamEntry(node.get("from").period_date(), cells)

    def cell(self, node: Node, defaults: tuple[bool, str | None, Citation, bool]) -> ParamCell:
        verified, note, source, exception = defaults
        value_node = node
        if isinstance(node.value, dict):
            node.check_keys(CELL.allowed, CELL.required)
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
        value = None if value_node.value == PROVINCE_DECIDES else value_node.number()
        return ParamCell(
            value, verified, note, source, self.id, exception, value_node.line, self.authority
        )

    # -- criteria --------------------------------------------------------------------------
    def criteria(self, node: Node) -> tuple[Criterion, ...]:
        criteria: list[Criterion] = []
        seen_criteria: set[str] = set()
        for crit_node in node.seq():
            crit_node.check_keys(CRITERION.allowed, CRITERION.required)
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
        node.check_keys(POLICY.allowed, POLICY.required)
        k_node = node.get("at_least")
        k = k_node.int()
        if not 1 <= k <= count:
            raise k_node.error(f"at_least must be between 1 and the number of indicators ({count})")
        return Policy("at_least", k)

    def indicator(self, node: Node, shape: Shape = INDICATOR) -> Indicator:
        node.check_keys(shape.allowed, shape.required)
        id_node = node.get("id")
        ind_id = id_node.str()
        if ind_id in self.seen_indicators:
            raise id_node.error(f"duplicate indicator id '{ind_id}'")
        self.seen_indicators.add(ind_id)
        verified = node.get("verified").bool()
        note = node.opt("note")
        if not verified and note is None:
            raise node.error(
                "an unverified indicator needs a `note` saying where its wording comes from"
            )
        applies = node.opt("applies_if")
        return Indicator(
            id=ind_id,
            name=node.get("name").text(),
            condition=self.expr(node.get("condition")),
            condition_text=scalar_text(node.get("condition")),
            applies_if=self.expr(applies) if applies else None,
            applies_if_text=scalar_text(applies) if applies else None,
            source=self.citation(node.get("source")),
            verified=verified,
            note=note.str() if note else None,
            origin=self.id,
            line=node.line,
            file=node.file,
        )

    def recognition(self, node: Node) -> Recognition:
        node.check_keys(RECOGNITION.allowed, RECOGNITION.required)
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
        for indicator in all_indicators(criteria, recognition):
            for expr in (indicator.condition, indicator.applies_if):
                if expr is not None:
                    used.update(param_name(n) for n in names_in(expr) if n.is_param)
        own = self.root.opt("parameters")
        for name, node in own.items() if own else []:
            if name not in used:
                raise node.error(f"parameter '{name}' is defined but no condition uses it")

    # -- extension -------------------------------------------------------------------------


def _text_of(expr: Any) -> str:
    from ..expr.ast import to_source

    return to_source(expr)
