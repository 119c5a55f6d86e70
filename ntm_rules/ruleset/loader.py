"""Read a ruleset file into a validated :class:`~ntm_rules.ruleset.model.Ruleset`.

Every problem is reported as a :class:`~ntm_rules.errors.RulesetError` with file, line, column
and key. Conditions are parsed and type-checked here, once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import attrs

from ..errors import NtmRulesError, RulesetError, RulesetErrors
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
from ..text import Text, did_you_mean, nfc
from ..units import UNITS
from ..yaml_source import Node, load_yaml_text, read_source, scalar_text, text_offset
from . import cache as disk_cache
from .extension import (
    UNTIL_BEFORE_FROM,
    add_indicators,
    all_indicators,
    apply_overrides,
    check_filled,
    param_name,
)
from .files import find_ruleset_file, ruleset_files
from .format_spec import (
    AXIS,
    AXIS_CHOICE,
    AXIS_RULE,
    CELL,
    CHECKLIST_ITEM,
    CITATION,
    CRITERION,
    DEPRECATED_HEADING,
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
    REGION,
    REQUIRES,
    RULESET,
    SCOPE,
    UNIT_KINDS,
    VALIDITY,
    Shape,
)
from .members import read_aggregates, read_members
from .model import (
    GENERAL,
    Axis,
    AxisRule,
    ChecklistItem,
    ChoiceLabel,
    Citation,
    Criterion,
    Document,
    Indicator,
    Level,
    Notice,
    ParamCell,
    ParamEntry,
    Parameter,
    Policy,
    Prerequisite,
    Recognition,
    Ruleset,
    Scope,
)

_EXTENDED = Text(vi="bộ tiêu chí được mở rộng", en="extended ruleset")
_IMPORTED = Text(vi="bộ tiêu chí được nhập", en="imported ruleset")
_REQUIRED = Text(vi="bộ tiêu chí tiền đề", en="required ruleset")
UNVERIFIED_VALUE = Text(
    vi="giá trị chưa kiểm chứng (verified: false) cần `note` ghi rõ lấy từ đâu",
    en="an unverified value needs a `note` saying where it comes from",
)
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
"""What an axis and its values may be called (what an expression can name)."""
P = ParamSpec("P")
T = TypeVar("T")


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
        reason = exc.strerror or str(exc)
        raise RulesetError(
            Text(vi=f"không đọc được tệp: {reason}", en=f"cannot read file: {reason}"),
            file=str(path),
        ) from None
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

    Every independent problem of the file is reported at once: one :class:`RulesetError`, or a
    :class:`RulesetErrors` holding each. Results are cached until the file, or any file it
    draws on, changes.
    """
    path = Path(path).resolve()
    if path in _stack:
        chain = " -> ".join(p.name for p in (*_stack, path))
        raise RulesetError(
            Text(
                vi=f"các bộ tiêu chí mở rộng hoặc nhập lẫn nhau thành vòng: {chain}",
                en=f"rulesets extend or import each other in a cycle: {chain}",
            ),
            file=str(path),
        )
    stamp = _stamp(path)
    cached = _cache.get(path)
    if cached is not None and _fresh(cached, stamp):
        return cached.ruleset
    stored = disk_cache.read(path, _found)
    if stored is not None:
        ruleset, depends, references = stored
        try:
            depends_on = tuple((p, _stamp(p)) for p in depends)
        except RulesetError:  # a file removed since: load as usual, and say so
            depends_on = None
        if depends_on is not None and _stamp(path) == stamp:  # not edited while checked
            _remember(path, _Cached(stamp, ruleset, depends_on, references))
            return ruleset
    text = read_source(path)
    loader = _Loader(load_yaml_text(text, str(path)), text, path, (*_stack, path))
    try:
        ruleset = loader.ruleset()
    except RulesetError as exc:
        loader.errors.append(exc)
    except Reported:
        assert loader.errors, "a part is said to depend on a failure nobody reported"
    if loader.errors:
        raise loader.errors[0] if len(loader.errors) == 1 else RulesetErrors(loader.errors)
    entry = _Cached(stamp, ruleset, tuple(loader.depends_files.items()), _references(loader))
    _remember(path, entry)
    disk_cache.write(
        path,
        ruleset,
        loader.depends_files,
        entry.references,
        lambda: _fresh(entry, _stamp(path)),
    )
    return ruleset


def _references(loader: _Loader) -> tuple[tuple[Path, str, Path], ...]:
    """The references of a loaded file, each once."""
    return tuple(dict.fromkeys(loader.references))


def _remember(path: Path, entry: _Cached) -> None:
    if len(_cache) > 128:
        _cache.clear()
    _cache[path] = entry


class Reported(Exception):
    """A part cannot be read because a part it depends on failed, and that failure is already
    reported: nothing more to say about it."""


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
        self.errors: list[RulesetError] = []
        self.broken: set[str] = set()  # names whose definition failed (``param.x``, an axis)
        self.documents_broken = False
        self.model: type[Any] = object
        self.notices: list[Notice] = []
        self.files: dict[str, str] = {}  # id -> file of every ruleset drawn on
        self.references: list[tuple[Path, str, Path]] = []

    def attempt(self, read: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """``read(...)``, or None with its problem noted, so that the next part is read too."""
        try:
            return read(*args, **kwargs)
        except RulesetError as exc:
            self.errors.append(exc)
        except Reported:
            pass
        return None

    def is_broken(self, name: str) -> bool:
        """Whether ``name`` (``param.x``, ``param.alias.x``) depends on a failed definition."""
        return any(name == b or name.startswith(f"{b}.") for b in self.broken)

    def load_other(self, node: Node, what: Text) -> Ruleset:
        reference = node.str()
        found = find_ruleset_file(reference, self.path)
        if found is None:
            known = {*ruleset_files(), *ruleset_files(self.path.parent)}
            hint = did_you_mean(reference, known)
            raise node.error(
                vi=f"không tìm thấy {what.vi} '{reference}' (không phải tệp, cũng không phải mã "
                f"bộ tiêu chí có sẵn){hint.vi}",
                en=f"{what.en} '{reference}' not found (neither a file nor a bundled ruleset "
                f"id){hint.en}",
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
        """The whole file; every part that does not depend on a failed one is read, and the
        problems are gathered in :attr:`errors` (a problem no later part can do without is
        raised)."""
        root = self.root
        root.mapping()
        extends_node = root.opt("extends")
        if extends_node is None:
            self.attempt(root.check_keys, RULESET.allowed, RULESET.required)
        else:
            self.attempt(root.check_keys, _EXTENSION_KEYS, EXTENSION.required)
        self.attempt(lambda: self.check_format(root.get("format")))
        self.id = self.attempt(lambda: root.get("id").str()) or self.path.stem
        base = self.load_other(extends_node, _EXTENDED) if extends_node else None
        if base is not None and root.has("axes"):
            self.errors.append(root.key_error("axes", _inherited_axes(base)))

        if base is None:
            unit, inputs, model = self.unit_and_inputs()
        else:
            unit, inputs, model = base.unit, base.inputs, base.model
            self.documents.update(base.documents)
        self.model = model
        self.env = {spec.name: spec.expr_type for spec in field_specs(model)}
        self.always_given = always_given(model)

        if base is None or root.has("valid"):
            valid_from, valid_until = self.validity(root.get("valid"))
        else:
            valid_from, valid_until = base.valid_from, base.valid_until
        documents = self.attempt(lambda: list(root.get("documents").items()))
        self.documents_broken = documents is None
        for key, node in documents or []:
            self.attempt(self.add_document, key, node, base)

        axes = dict(base.axes) if base else {}
        own_axes = self.attempt(self._opt_items, "axes") if base is None else []  # else inherited
        for name, node in own_axes or []:
            axis = self.attempt(self.axis, name, node)
            if axis is None:
                self.broken.add(f"axis:{name}")
            else:
                axes[name] = axis
        scope = self.scope = self.attempt(self.read_scope, root.opt("scope"), axes)
        if scope is not None:
            self.authority = scope.province
        imports = dict(base.imports) if base else {}
        parameters = dict(base.parameters) if base else {}
        self.import_parameters(root.opt("imports"), imports, parameters, axes)
        own_parameters = self.attempt(self._opt_items, "parameters")
        if own_parameters is None:
            self.broken.add("param")
        for name, node in own_parameters or []:
            param = self.attempt(self.own_parameter, name, node, axes, parameters, valid_from)
            if param is None:
                self.broken.add(f"param.{name}")
            else:
                parameters[name] = param
        for name, param in parameters.items():
            self.env[f"param.{name}"] = ExprType("number", param.unit)
            self.attempt(self.check_first_value, name, param, valid_from)

        requires_node = root.opt("requires")
        requires = (
            self.attempt(self.requires, requires_node)
            if requires_node
            else (base.requires if base else None)
        )

        if base is None:
            criteria = self.attempt(lambda: self.criteria(root.get("criteria"))) or ()
            recognition_node = root.opt("recognition")
            recognition = (
                self.attempt(self.recognition, recognition_node) if recognition_node else None
            )
        else:
            criteria, recognition = base.criteria, base.recognition
            self.seen_indicators = {i.id for c in criteria for i in c.indicators}
            if recognition:
                self.seen_indicators.update(i.id for i in recognition.conditions)
            criteria = add_indicators(self, root.opt("add_indicators"), criteria)
            criteria, recognition, parameters = apply_overrides(
                self, root.opt("overrides"), criteria, recognition, parameters, axes
            )
        if not self.errors:  # on a partial reading these would report what is only missing
            self.check_parameters_used(parameters, criteria, recognition)
            if scope is not None:
                check_filled(self, parameters, scope, valid_from, valid_until)

        level = (
            self.attempt(lambda: self.level(root.get("level")))
            if base is None or root.has("level")
            else base.level
        )
        checklist = self.checklist(root.opt("checklist"), parameters, criteria)
        members = self.attempt(
            read_members, root.opt("members"), unit, base.members if base else {}
        )
        aggregates = (
            self.attempt(read_aggregates, root.opt("aggregates"), model, members or {}, self.expr)
            if base is None
            else base.aggregates
        )
        note_node = root.opt("note")
        version = self.attempt(lambda: root.get("version").str())
        title = self.attempt(lambda: root.get("title").text())
        note = self.attempt(lambda: note_node.str() if note_node else None)
        if self.errors:
            raise Reported
        assert version is not None and title is not None and level is not None
        return Ruleset(
            id=self.id,
            version=version,
            unit=unit,
            inputs=inputs,
            model=model,
            title=title,
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
            note=note,
            members=members or {},
            aggregates=aggregates or {},
            notices=(*(base.notices if base else ()), *self.notices),
            files={**self.files, self.id: root.file},
        )

    def check_format(self, fmt: Node) -> None:
        if fmt.int() != FORMAT_VERSION:
            raise fmt.error(
                vi=f"định dạng {fmt.value} không được hỗ trợ; thư viện này đọc định dạng "
                f"{FORMAT_VERSION}",
                en=f"unsupported format {fmt.value}; this library reads format {FORMAT_VERSION}",
            )

    def add_document(self, key: str, node: Node, base: Ruleset | None) -> None:
        if key in self.documents:
            owner = base.id if base else self.id
            raise node.error(
                vi=f"văn bản '{key}' đã được khai báo trong {owner}",
                en=f"document '{key}' is already defined by {owner}",
            )
        self.documents[key] = self.document(key, node)

    def own_parameter(
        self,
        name: str,
        node: Node,
        axes: dict[str, Axis],
        parameters: dict[str, Parameter],
        valid_from: dt.date,
    ) -> Parameter:
        """A parameter this file defines, with a value in force from the ruleset's first day."""
        if name in parameters:
            raise node.error(
                vi=f"tham số '{name}' được kế thừa; muốn thay đổi, dùng một mục `overrides`",
                en=f"parameter '{name}' is inherited; change it with an `overrides` entry",
            )
        param = self.parameter(name, node, axes)
        first = param.entries[0].start
        if first > valid_from:
            start = node.get("values").seq()[0].get("from")
            raise start.error(
                vi=f"giá trị đầu tiên áp dụng từ {first.isoformat()}, sau ngày bộ tiêu chí bắt "
                f"đầu hiệu lực ({valid_from.isoformat()}): trước ngày đó không có giá trị nào",
                en=f"the first value is from {first.isoformat()}, after the ruleset's validity "
                f"starts ({valid_from.isoformat()}): no value would be in force until then",
            )
        return param

    def check_first_value(self, name: str, param: Parameter, valid_from: dt.date) -> None:
        """An imported or inherited parameter has a value from the ruleset's first day."""
        first = param.entries[0].start
        if first > valid_from:  # imported or inherited (own ones are checked when read)
            where = self.root.get("imports") if "." in name else self.root.get("valid")
            raise where.error(
                vi=f"tham số '{name}' không có giá trị trước {first.isoformat()}, trong khi bộ "
                f"tiêu chí này có hiệu lực từ {valid_from.isoformat()}",
                en=f"parameter '{name}' has no value before {first.isoformat()}, and this "
                f"ruleset is valid from {valid_from.isoformat()}",
            )

    def unit_and_inputs(self) -> tuple[str, str, type[Any]]:
        """The kind of unit and the input vocabulary of a ruleset that extends none."""
        unit_node = self.root.get("unit")
        unit = unit_node.str()
        if unit not in UNIT_KINDS:
            kinds = ", ".join(UNIT_KINDS)
            raise unit_node.error(
                vi=f"unit (loại đơn vị) phải là một trong {kinds}",
                en=f"unit must be one of {kinds}",
            )
        inputs_node = self.root.get("inputs")
        inputs = inputs_node.str()
        try:
            model = vocabulary(inputs)
        except NtmRulesError as exc:
            raise inputs_node.error(exc.text) from None
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
            for name in [n for n in parameters if n.startswith(f"{alias}.")]:
                del parameters[name]  # an extension may point an alias to another ruleset
            found = self.attempt(self.import_one, item, axes)
            if found is None:
                self.broken.add(f"param.{alias}")
                continue
            imported, own = found
            parameters.update(
                {f"{alias}.{n}": attrs.evolve(p, name=f"{alias}.{n}") for n, p in own.items()}
            )
            imports[alias] = imported.id

    def import_one(self, item: Node, axes: dict[str, Axis]) -> tuple[Ruleset, dict[str, Parameter]]:
        """An imported ruleset and its own parameters (those it does not import itself)."""
        imported = self.load_other(item, _IMPORTED)
        own = {n: p for n, p in imported.parameters.items() if "." not in n}
        for param in own.values():
            if param.axis and param.axis not in axes:
                raise item.error(
                    vi=f"'{imported.id}' dùng trục '{param.axis}' mà bộ tiêu chí này không có",
                    en=f"'{imported.id}' uses axis '{param.axis}' which this ruleset lacks",
                )
            theirs = imported.axes.get(param.axis) if param.axis else None
            if theirs is not None and set(theirs.choices) != set(axes[theirs.name].choices):
                mine = ", ".join(axes[theirs.name].choices)
                raise item.error(
                    vi=f"trục '{theirs.name}' của '{imported.id}' có các giá trị "
                    f"{', '.join(theirs.choices)}, khác với bộ tiêu chí này ({mine})",
                    en=f"axis '{theirs.name}' of '{imported.id}' has the values "
                    f"{', '.join(theirs.choices)}, unlike this ruleset's ({mine})",
                )
        return imported, own

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
        items = (self.attempt(self.checklist_item, n, parameters, indicators) for n in node.seq())
        return tuple(item for item in items if item is not None)

    def checklist_item(
        self, item: Node, parameters: dict[str, Parameter], indicators: set[str]
    ) -> ChecklistItem:
        item.check_keys(CHECKLIST_ITEM.allowed, CHECKLIST_ITEM.required)
        if item.has("parameter") == item.has("indicator"):
            raise item.error(
                vi="mỗi mục checklist nêu một `parameter` (tham số) hoặc một `indicator` "
                "(chỉ tiêu)",
                en="a checklist item names one `parameter` or one `indicator`",
            )
        kind = "parameter" if item.has("parameter") else "indicator"
        name_node = item.get(kind)
        name = name_node.str()
        if kind == "parameter":
            self.check_known(name_node, name, parameters, param=True)
        else:
            self.check_known(name_node, name, indicators, param=False)
        return ChecklistItem(f"{kind} {name}", item.get("note").str(), item.line)

    def check_known(
        self, node: Node, name: str, known: dict[str, Parameter] | set[str], *, param: bool
    ) -> None:
        """``name`` is a known parameter (or indicator) id; otherwise an error with the closest
        id (nothing more when its own definition failed, as that is reported already)."""
        if name in known:
            return
        if (param and self.is_broken(f"param.{name}")) or (
            not param and name in self.seen_indicators
        ):
            raise Reported
        hint = did_you_mean(name, known)
        if param:
            raise node.error(
                vi=f"không có tham số '{name}'{hint.vi}", en=f"unknown parameter '{name}'{hint.en}"
            )
        raise node.error(
            vi=f"không có chỉ tiêu '{name}'{hint.vi}", en=f"unknown indicator '{name}'{hint.en}"
        )

    def level(self, node: Node) -> Level:
        node.check_keys(LEVEL.allowed, LEVEL.required)
        field_node = node.opt("recognised_field")
        field = field_node.str() if field_node else None
        if field_node is not None and field is not None:
            self.check_year_field(field_node, field)
        return Level(node.get("id").str(), node.get("name").text(), field)

    def validity(self, valid: Node) -> tuple[dt.date, dt.date | None]:
        valid.check_keys(VALIDITY.allowed, VALIDITY.required)
        valid_from = valid.get("from").period_date()
        until_node = valid.opt("until")
        valid_until = until_node.period_date() if until_node else None
        if until_node is not None and valid_until is not None and valid_until < valid_from:
            raise until_node.error(UNTIL_BEFORE_FROM)
        return valid_from, valid_until

    def read_scope(self, node: Node | None, axes: dict[str, Axis]) -> Scope | None:
        """The province, and the value it holds on an axis: ``axes: {region: tdmnpb}``, or
        ``region: tdmnpb`` for short."""
        if node is None:
            return None
        node.check_keys(SCOPE.allowed, SCOPE.required)
        values: dict[str, str] = {}
        axes_node, region_node = node.opt("axes"), node.opt(REGION)
        if axes_node is not None and region_node is not None and axes_node.has(REGION):
            raise region_node.error(
                vi="vùng được nêu hai lần (`region:` và `axes: {region: ...}`); giữ một",
                en="the region is given twice (`region:` and `axes: {region: ...}`); keep one",
            )
        pairs = list(axes_node.items()) if axes_node is not None else []
        if region_node is not None:
            pairs.append((REGION, region_node))
        for name, value_node in pairs:
            if name not in axes and self.describes_field(name, value_node.str()):
                values[name] = value_node.str()  # says where the province is; no table uses it
                continue
            if name not in axes:
                if f"axis:{name}" in self.broken:
                    raise Reported
                listed, hint = ", ".join(axes) or "-", did_you_mean(name, axes)
                raise value_node.error(
                    vi=f"phạm vi nêu trục '{name}' mà bộ tiêu chí không có{hint.vi}; các trục: "
                    f"{listed}",
                    en=f"the scope names axis '{name}', which the ruleset lacks{hint.en}; axes: "
                    f"{listed}",
                )
            value, choices = value_node.str(), axes[name].choices
            if value not in choices:
                listed, hint = ", ".join(choices), did_you_mean(value, choices)
                raise value_node.error(
                    vi=f"'{value}' không phải giá trị của trục '{name}'{hint.vi}; các giá trị: "
                    f"{listed}",
                    en=f"'{value}' is not a value of axis '{name}'{hint.en}; values: {listed}",
                )
            values[name] = value
        return Scope(node.get("province").str(), values)

    def describes_field(self, name: str, value: str) -> bool:
        """Whether a scope's value on an axis the ruleset does not declare is one its units'
        input of that name may hold (``region: tdmnpb`` of a set without regional tables)."""
        found = self.env.get(name) if f"axis:{name}" not in self.broken else None
        return found is not None and value in (found.choices or ())

    def requires(self, node: Node) -> Prerequisite:
        node.check_keys(REQUIRES.allowed, REQUIRES.required)
        lower = self.load_other(node.get("ruleset"), _REQUIRED)
        accept_node = node.get("accept")
        accept = tuple(item.str() for item in accept_node.seq())
        if not accept or any(a not in ("computed", "recognised") for a in accept):
            raise accept_node.error(
                vi="accept phải liệt kê `computed` (tính toán) và/hoặc `recognised` (đã công nhận)",
                en="accept must list `computed` and/or `recognised`",
            )
        field_node = node.opt("recognised_field")
        field = field_node.str() if field_node else None
        if "recognised" in accept:
            if field_node is None or field is None:
                raise node.error(
                    vi="chấp nhận `recognised` thì cần khai báo `recognised_field`",
                    en="accepting `recognised` needs `recognised_field`",
                )
            self.check_year_field(field_node, field)
        since = node.opt("recognised_since")
        return Prerequisite(
            ruleset=lower.id,
            accept=accept,
            recognised_field=field,
            recognised_since=since.int() if since else None,
            name=node.get("name").text(),
            source=self.citation(node.get("source")),
        )

    def check_year_field(self, node: Node, field: str) -> None:
        if field not in self.env or self.env[field].kind != "number":
            years = [n for n, t in self.env.items() if t.unit == "year"]
            hint = did_you_mean(field, years)
            raise node.error(
                vi=f"'{field}' không phải trường năm của mô hình dữ liệu{hint.vi}",
                en=f"'{field}' is not a year field of the input model{hint.en}",
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
            if self.documents_broken:
                raise Reported
            known = ", ".join(self.documents)
            hint = did_you_mean(key, self.documents)
            raise doc_node.error(
                vi=f"không có văn bản '{key}'{hint.vi}; các văn bản: {known or 'không có'}",
                en=f"unknown document '{key}'{hint.en}; documents: {known or 'none'}",
            )
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
            if not any(self.is_broken(n.dotted) for n in names_in(expr)):
                check(expr, env if env is not None else self.env, expected)
        except (ExprSyntaxError, ExprTypeError) as exc:
            raise RulesetError(
                exc.text,
                file=node.file,
                line=node.line,
                column=node.column + text_offset(node) + exc.pos,
                key=node.path,
            ) from None
        return expr

    # -- axes ------------------------------------------------------------------------------
    def axis(self, name: str, node: Node) -> Axis:
        """One axis: its values with their labels, its rules, and the input it falls back on."""
        if not NAME.fullmatch(name):
            raise node.error(
                vi=f"tên trục '{name}' chỉ gồm chữ cái không dấu, chữ số và '_' (vd. "
                "commune_group)",
                en=f"axis name '{name}' may hold only letters, digits and '_' (e.g. commune_group)",
            )
        node.check_keys(AXIS.allowed, AXIS.required)
        label_node, field_node = node.opt("name"), node.opt("field")
        label = label_node.text() if label_node else None
        choices_node = node.get("choices")
        labels = self.axis_choices(name, choices_node)
        choices = tuple(labels)
        field = field_node.str() if field_node else None
        if field_node is not None and field is not None:
            self.check_axis_field(name, field_node, field, choices)
            label = label or self.field_label(field)
        value_type = ExprType("text", None, choices)
        rules_node = node.opt("rules")
        rules = (
            [self.axis_rule(n, name, value_type) for n in rules_node.seq()] if rules_node else []
        )
        last_always = bool(rules) and _text_of(rules[-1].when) == "true"
        if field is None and not last_always:
            where = rules_node or node
            raise where.error(
                vi=f"trục '{name}' cần `field` (trường dữ liệu cho giá trị khi không quy tắc nào "
                'áp dụng), hoặc quy tắc cuối cùng có `when: "true"`, để đơn vị nào cũng có giá '
                "trị",
                en=f"axis '{name}' needs a `field` (the input giving the value when no rule "
                'applies), or a last rule with `when: "true"`, so that every unit gets a value',
            )
        return Axis(
            name,
            choices,
            tuple(rules),
            labels=labels,
            label=label,
            field=field,
        )

    def axis_choices(self, name: str, node: Node) -> dict[str, ChoiceLabel]:
        """The values of an axis, each with its name (``{vi, en}``) and column heading."""
        if isinstance(node.value, list):
            listed = [item.str() for item in node.seq()]
            first = listed[0] if listed else "nhom1"
            raise node.error(
                vi=f"mỗi giá trị của trục '{name}' cần có tên để hiện trong giải thích và bảng "
                f"tiêu chí; viết mỗi giá trị một dòng: `{first}: {{vi: ..., en: ..., short: ...}}`"
                f" (thiếu tên: {', '.join(listed)})",
                en=f"each value of axis '{name}' needs a name, shown in explanations and "
                f"criteria tables; write one value a line: `{first}: {{vi: ..., en: ..., "
                f"short: ...}}` (no name: {', '.join(listed)})",
            )
        labels: dict[str, ChoiceLabel] = {}
        for key, item in node.items():
            if key == GENERAL or not NAME.fullmatch(key):
                raise item.error(
                    vi=f"'{key}' không dùng được làm giá trị của trục: cần chữ cái không dấu, chữ "
                    f"số và '_', khác '{GENERAL}' (dành cho chỉ tiêu chung)",
                    en=f"'{key}' cannot be a value of an axis: use letters, digits and '_', not "
                    f"'{GENERAL}' (the general value)",
                )
            if not isinstance(item.value, dict):
                unnamed = Text(
                    vi=f"giá trị '{key}' của trục '{name}' thiếu tên; viết "
                    f"`{key}: {{vi: ..., en: ...}}`",
                    en=f"value '{key}' of axis '{name}' has no name; write "
                    f"`{key}: {{vi: ..., en: ...}}`",
                )
                # an empty value has no place of its own: the error stands at its key
                raise node.key_error(key, unnamed) if item.value is None else item.error(unnamed)
            item.check_keys(AXIS_CHOICE.allowed, AXIS_CHOICE.required)
            short_node = item.opt("short")
            short = None
            if short_node is not None:
                short = (
                    short_node.text()
                    if isinstance(short_node.value, dict)
                    else Text(vi=short_node.str(), en=short_node.str())
                )
            labels[key] = ChoiceLabel(Text(vi=item.get("vi").str(), en=item.get("en").str()), short)
        if not labels:
            raise node.error(
                vi=f"trục '{name}' cần ít nhất một giá trị", en=f"axis '{name}' needs a value"
            )
        return labels

    def check_axis_field(self, name: str, node: Node, field: str, choices: tuple[str, ...]) -> None:
        """The input an axis falls back on: every unit has it, and each of its values is one
        of the axis's."""
        found = self.env.get(field)
        if found is None or found.kind != "text":
            texts = [n for n, t in self.env.items() if t.kind == "text" and n in self.always_given]
            hint = did_you_mean(field, texts)
            raise node.error(
                vi=f"'{field}' không phải trường văn bản của dữ liệu đầu vào{hint.vi}",
                en=f"'{field}' is not a text input{hint.en}",
            )
        if field not in self.always_given:
            raise node.error(
                vi=f"trường '{field}' có thể bị thiếu; trục '{name}' chỉ được đọc trường mọi "
                "đơn vị đều có",
                en=f"input '{field}' may be missing; axis '{name}' may only read what every "
                "unit has",
            )
        missing = [c for c in found.choices or () if c not in choices]
        if missing:
            raise node.error(
                vi=f"trường '{field}' có thể mang giá trị {', '.join(missing)}, không có trong "
                f"choices của trục '{name}'",
                en=f"input '{field}' may be {', '.join(missing)}, which axis '{name}' does not "
                "list in its choices",
            )

    def field_label(self, field: str) -> Text | None:
        return next((s.label for s in field_specs(self.model) if s.name == field), None)

    def axis_rule(self, rule_node: Node, axis: str, value_type: ExprType) -> AxisRule:
        rule_node.check_keys(AXIS_RULE.allowed, AXIS_RULE.required)
        value_node = rule_node.get("value")
        source = rule_node.opt("source")
        when = self.expr(rule_node.get("when"))
        choices = value_type.choices or ()
        # a bare choice (`tdmnpb`) is that value; anything else is an expression (`region`)
        written = value_node.str()
        if written in choices:
            value: Expr = Literal(written)
        elif NAME.fullmatch(written) and written not in self.env:
            listed, hint = ", ".join(choices), did_you_mean(written, choices)
            raise value_node.error(
                vi=f"'{written}' không phải giá trị của trục '{axis}'{hint.vi}; các giá trị: "
                f"{listed}",
                en=f"'{written}' is not a value of axis '{axis}'{hint.en}; values: {listed}",
            )
        else:
            value = self.expr(value_node, value_type)
        for expr, expr_node in ((when, rule_node.get("when")), (value, value_node)):
            optional = [n.dotted for n in names_in(expr) if n.dotted not in self.always_given]
            if optional:
                given = ", ".join(sorted(self.always_given))
                raise expr_node.error(
                    vi=f"quy tắc của trục chỉ được đọc những trường mọi đơn vị đều có "
                    f"({given}); '{optional[0]}' có thể thiếu, khi đó không biết đơn vị dùng "
                    "dòng nào của bảng ngưỡng",
                    en=f"an axis rule may only read what every unit has ({given}); "
                    f"'{optional[0]}' may be missing, and the unit's row of the threshold "
                    "tables would be unknown",
                )
        return AxisRule(
            id=rule_node.get("id").str(),
            when=when,
            when_text=scalar_text(rule_node.get("when")),
            value=value,
            value_text=value_node.str(),
            reason=rule_node.get("reason").text(),
            source=self.citation(source) if source else None,
        )

    # -- parameters ------------------------------------------------------------------------
    def parameter(self, name: str, node: Node, axes: dict[str, Axis]) -> Parameter:
        node.check_keys(PARAMETER.allowed, PARAMETER.required)
        stricter_node = node.opt("stricter")
        stricter = stricter_node.str() if stricter_node else None
        if stricter_node is not None and stricter not in ("higher", "lower"):
            raise stricter_node.error(
                vi="stricter phải là `higher` (cao hơn là chặt hơn) hoặc `lower` (thấp hơn là "
                "chặt hơn)",
                en="stricter must be `higher` or `lower`",
            )
        unit_node = node.get("unit")
        unit = unit_node.str()
        if unit not in UNITS:
            units, hint = ", ".join(UNITS), did_you_mean(unit, UNITS)
            raise unit_node.error(
                vi=f"không có đơn vị '{unit}'{hint.vi}; các đơn vị: {units}",
                en=f"unknown unit '{unit}'{hint.en}; units: {units}",
            )
        axis_node = node.opt("axis")
        axis = axis_node.str() if axis_node else None
        if axis_node is not None and axis is not None and axis not in axes:
            if f"axis:{axis}" in self.broken:
                raise Reported
            declared = [*axes, *(b.removeprefix("axis:") for b in self.broken if b[:5] == "axis:")]
            listed, hint = ", ".join(declared) or "-", did_you_mean(axis, declared)
            raise axis_node.error(
                vi=f"không có trục '{axis}'{hint.vi}; các trục khai báo trong `axes`: {listed}",
                en=f"unknown axis '{axis}'{hint.en}; the axes declared in `axes`: {listed}",
            )
        entries: list[ParamEntry] = []
        previous: dt.date | None = None
        for entry_node in node.get("values").seq():
            entry = self.param_entry(entry_node, axis, axes.get(axis) if axis else None)
            if previous is not None and entry.start <= previous:
                start, before = entry.start.isoformat(), previous.isoformat()
                raise entry_node.get("from").error(
                    vi=f"các ngày phải tăng dần: {start} không đứng sau {before}",
                    en=f"dates must increase: {start} does not follow {before}",
                )
            previous = entry.start
            entries.append(entry)
        if not entries:
            raise node.get("values").error(
                vi="tham số cần ít nhất một giá trị có ngày áp dụng",
                en="a parameter needs at least one dated value",
            )
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
            raise node.error(UNVERIFIED_VALUE)
        exception_node = node.opt("exception")
        exception = exception_node.bool() if exception_node else False
        defaults = (verified, note, source, exception)
        cells: dict[str, ParamCell] = {}
        if axis is None:
            if node.has("by"):
                raise node.get("by").error(
                    vi="`by` cần tham số có `axis` (trục); một giá trị chung thì dùng `value`",
                    en="`by` needs an `axis`; use `value` for a single value",
                )
            cells[GENERAL] = self.cell(node.get("value"), defaults)
        else:
            assert axis_def is not None
            if node.has("value"):
                raise node.get("value").error(
                    vi=f"tham số theo trục '{axis}' dùng `by` (theo từng giá trị của trục), không "
                    "dùng `value`",
                    en=f"a parameter on axis '{axis}' takes `by`, not `value`",
                )
            by = node.get("by")
            self.check_by_keys(by, axis_def)
            for key, cell_node in by.items():
                cells[key] = self.cell(cell_node, defaults)
            uncovered = [c for c in axis_def.choices if c not in cells]
            if uncovered and GENERAL not in cells and not partial:
                missing = ", ".join(uncovered)
                raise by.error(
                    vi=f"không có giá trị cho {missing} và không có giá trị `general` (chung) "
                    "để dùng thay",
                    en=f"no value for {missing} and no `general` value to fall back on",
                )
        return ParamEntry(node.get("from").period_date(), cells)

    def check_by_keys(self, by: Node, axis: Axis) -> None:
        """Every key of ``by`` is ``general`` or a value the axis declares."""
        allowed = (GENERAL, *axis.choices)
        problems = []
        for key, item in by.items():
            if key not in allowed:
                listed, hint = ", ".join(allowed), did_you_mean(key, allowed)
                problems.append(
                    item.error(
                        vi=f"'{key}' không phải giá trị của trục '{axis.name}'{hint.vi}; các khóa "
                        f"của `by`: {listed}",
                        en=f"'{key}' is not a value of axis '{axis.name}'{hint.en}; the keys of "
                        f"`by`: {listed}",
                    )
                )
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise RulesetErrors(problems)

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
                raise node.error(UNVERIFIED_VALUE)
        value = None if value_node.value == PROVINCE_DECIDES else value_node.number()
        return ParamCell(
            value, verified, note, source, self.id, exception, value_node.line, self.authority
        )

    # -- criteria --------------------------------------------------------------------------
    def criteria(self, node: Node) -> tuple[Criterion, ...]:
        """Every criterion, each read on its own (one that fails leaves the others read)."""
        seen_criteria: set[str] = set()
        items = node.seq()
        if not items:
            raise node.error(
                vi="bộ tiêu chí cần ít nhất một tiêu chí",
                en="a ruleset needs at least one criterion",
            )
        found = (self.attempt(self.criterion, n, seen_criteria) for n in items)
        return tuple(criterion for criterion in found if criterion is not None)

    def criterion(self, crit_node: Node, seen_criteria: set[str]) -> Criterion:
        crit_node.check_keys(CRITERION.allowed, CRITERION.required)
        id_node = crit_node.get("id")
        crit_id = id_node.str()
        if crit_id in seen_criteria:
            raise id_node.error(
                vi=f"mã tiêu chí '{crit_id}' bị trùng", en=f"duplicate criterion id '{crit_id}'"
            )
        seen_criteria.add(crit_id)
        heading = self.heading_node(crit_node)
        indicators_node = crit_node.get("indicators")
        if not indicators_node.seq():
            raise indicators_node.error(
                vi="tiêu chí cần ít nhất một chỉ tiêu",
                en="a criterion needs at least one indicator",
            )
        read = [self.attempt(self.indicator, n) for n in indicators_node.seq()]
        indicators = tuple(i for i in read if i is not None)
        name = self.attempt(lambda: crit_node.get("name").text())
        heading_text = self.attempt(lambda: heading.text() if heading else None)
        source = self.attempt(self.citation, crit_node.get("source"))
        if len(indicators) < len(read) or name is None or source is None:
            raise Reported
        return Criterion(
            id=crit_id,
            name=name,
            heading=heading_text,
            source=source,
            policy=self.policy(crit_node.opt("policy"), len(indicators)),
            indicators=indicators,
        )

    def heading_node(self, crit_node: Node) -> Node | None:
        """The criterion's ``heading``; the old spelling ``group`` is read with a notice."""
        old = crit_node.opt(DEPRECATED_HEADING)
        if old is None:
            return crit_node.opt("heading")
        if crit_node.has("heading"):
            raise old.error(
                vi="`group` là cách viết cũ của `heading`; tiêu chí này có cả hai, xóa `group`",
                en="`group` is the old spelling of `heading`; this criterion has both: remove "
                "`group`",
            )
        self.notices.append(
            Notice(
                Text(
                    vi="khóa `group` (đề mục của tiêu chí) đã đổi tên thành `heading`; tệp vẫn "
                    "đọc được, nhưng nên đổi `group:` thành `heading:`",
                    en="the key `group` (the criterion's heading) is now called `heading`; the "
                    "file still loads, but rename `group:` to `heading:`",
                ),
                file=old.file,
                line=old.line,
                key=old.path,
            )
        )
        return old

    def policy(self, node: Node | None, count: int) -> Policy:
        if node is None:
            return Policy()
        if isinstance(node.value, str):
            if node.value not in ("all", "any"):
                raise node.error(
                    vi="policy phải là all (tất cả), any (ít nhất một) hoặc {at_least: N}",
                    en="policy must be all, any or {at_least: N}",
                )
            return Policy(node.value)
        node.check_keys(POLICY.allowed, POLICY.required)
        k_node = node.get("at_least")
        k = k_node.int()
        if not 1 <= k <= count:
            raise k_node.error(
                vi=f"at_least phải từ 1 đến số chỉ tiêu ({count})",
                en=f"at_least must be between 1 and the number of indicators ({count})",
            )
        return Policy("at_least", k)

    def indicator(self, node: Node, shape: Shape = INDICATOR) -> Indicator:
        node.check_keys(shape.allowed, shape.required)
        id_node = node.get("id")
        ind_id = id_node.str()
        if ind_id in self.seen_indicators:
            raise id_node.error(
                vi=f"mã chỉ tiêu '{ind_id}' bị trùng", en=f"duplicate indicator id '{ind_id}'"
            )
        self.seen_indicators.add(ind_id)
        verified = node.get("verified").bool()
        note = node.opt("note")
        if not verified and note is None:
            raise node.error(
                vi="chỉ tiêu chưa kiểm chứng (verified: false) cần `note` ghi rõ nội dung lấy "
                "từ đâu",
                en="an unverified indicator needs a `note` saying where its wording comes from",
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
        read = [self.attempt(self.indicator, n) for n in node.get("conditions").seq()]
        conditions = tuple(i for i in read if i is not None)
        if not read:
            raise node.get("conditions").error(
                vi="recognition (công nhận) cần ít nhất một điều kiện",
                en="recognition needs at least one condition",
            )
        if len(conditions) < len(read):
            raise Reported
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
                self.errors.append(
                    node.error(
                        vi=f"tham số '{name}' được khai báo nhưng không điều kiện nào dùng đến",
                        en=f"parameter '{name}' is defined but no condition uses it",
                    )
                )

    # -- extension -------------------------------------------------------------------------


_EXTENSION_KEYS = (*EXTENSION.allowed, "axes")  # `axes` is refused with its own message


def _inherited_axes(base: Ruleset) -> Text:
    listed = ", ".join(base.axes) or "-"
    return Text(
        vi=f"bộ tiêu chí mở rộng kế thừa các trục của {base.id} ({listed}) và không được khai "
        "báo hay thay đổi chúng (kể cả các giá trị của trục); phạm vi của tỉnh chọn giá trị "
        "bằng `scope: {axes: {...}}`",
        en=f"an extending ruleset inherits the axes of {base.id} ({listed}) and may not declare "
        "or change them (nor their values); a province picks its value with "
        "`scope: {axes: {...}}`",
    )


def _text_of(expr: Any) -> str:
    from ..expr.ast import to_source

    return to_source(expr)
