"""Reading ``members:`` and ``aggregates:``: the units a unit counts, and the input fields of the
unit computed from them (shares, counts, "all", lowest and highest member values)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import NtmRulesError
from ..expr import ExprType
from ..models.fields import KIND_BOOL, KIND_INT, KIND_NUMBER
from ..models.vocabulary import FieldSpec, field_specs, vocabulary
from ..text import Text, did_you_mean
from ..unit_kinds import descendant_kinds, unit_kind
from ..yaml_source import Node
from .files import find_in_search_path, find_ruleset_file, ladder_files, ruleset_files
from .format_spec import AGGREGATE, MEMBER
from .model import AGGREGATE_OPS, Aggregate, MemberGroup

BOOL = ExprType("bool")


def read_members(
    node: Node | None, unit: str, inherited: Mapping[str, MemberGroup]
) -> dict[str, MemberGroup]:
    """The member groups of a ruleset of ``unit`` kind; an extension may only change a group's
    ladder (its kind and inputs are the base's)."""
    groups = dict(inherited)
    if node is None:
        return groups
    allowed = descendant_kinds(unit)
    for name, item in node.items():
        item.check_keys(MEMBER.allowed)
        ladder_node = item.opt("ladder")
        ladder = ladder_node.str() if ladder_node else None
        if ladder_node is not None and ladder is not None:
            _check_assessor(ladder_node, ladder)
        base = inherited.get(name)
        if base is not None:
            for key in ("kind", "inputs"):
                if item.has(key):
                    raise item.get(key).error(
                        vi=f"nhóm thành viên '{name}' kế thừa '{key}' từ bộ được mở rộng; chỉ "
                        "được thay thang (ladder)",
                        en=f"member group '{name}' inherits '{key}' from the extended ruleset; "
                        "only its ladder may change",
                    )
            groups[name] = MemberGroup(
                name,
                base.kind,
                base.inputs,
                base.model,
                ladder or base.ladder,
                item.file,
                item.line,
            )
            continue
        if inherited:
            hint = did_you_mean(name, inherited)
            raise item.error(
                vi=f"bộ được mở rộng không có nhóm thành viên '{name}'{hint.vi}",
                en=f"the extended ruleset has no member group '{name}'{hint.en}",
            )
        for key in ("kind", "inputs"):
            if not item.has(key):
                raise item.error(vi=f"thiếu khóa '{key}'", en=f"missing key '{key}'")
        kind_node = item.get("kind")
        kind = kind_node.str()
        if kind not in allowed:
            listed = ", ".join(allowed) or "—"
            raise kind_node.error(
                vi=f"một {unit_kind(unit).name.vi} không chứa đơn vị loại '{kind}'; được phép: "
                f"{listed}",
                en=f"a {unit_kind(unit).name.en} does not contain units of kind '{kind}'; "
                f"allowed: {listed}",
            )
        inputs_node = item.get("inputs")
        try:
            model = vocabulary(inputs_node.str())
        except NtmRulesError as exc:
            raise inputs_node.error(exc.text) from None
        groups[name] = MemberGroup(
            name, kind, inputs_node.str(), model, ladder, item.file, item.line
        )
    return groups


def _check_assessor(node: Node, reference: str) -> None:
    """A member group's ladder (or ruleset) must be found, as the evaluation will look for it."""
    near = Path(node.file)
    if find_ruleset_file(reference, near) is not None:
        return
    if reference.endswith((".yaml", ".yml")) or find_in_search_path(reference, ladder=True):
        return
    known = [*ladder_files(), *ruleset_files()]
    hint = did_you_mean(reference, known)
    raise node.error(
        vi=f"không tìm thấy thang hay bộ tiêu chí '{reference}'{hint.vi}",
        en=f"no ladder or ruleset '{reference}'{hint.en}",
    )


def read_aggregates(
    node: Node | None,
    model: type[Any],
    groups: Mapping[str, MemberGroup],
    expr: Any,
) -> dict[str, Aggregate]:
    """The aggregates of a ruleset, each filling an input field of ``model``; ``expr`` is the
    loader's expression reader (``expr(node, expected, env)``)."""
    if node is None:
        return {}
    specs = {spec.name: spec for spec in field_specs(model)}
    found = {}
    for field, item in node.items():
        item.check_keys(AGGREGATE.allowed)
        found[field] = _aggregate(field, item, specs, groups, expr)
    return found


def _aggregate(
    field: str,
    item: Node,
    specs: Mapping[str, FieldSpec],
    groups: Mapping[str, MemberGroup],
    expr: Any,
) -> Aggregate:
    target = specs.get(field)
    if target is None:
        hint = did_you_mean(field, specs)
        raise item.error(
            vi=f"'{field}' không phải một trường của dữ liệu đầu vào{hint.vi}",
            en=f"'{field}' is not an input field{hint.en}",
        )
    ops = [op for op in AGGREGATE_OPS if item.has(op)]
    if len(ops) != 1:
        listed = ", ".join(AGGREGATE_OPS)
        raise item.error(vi=f"cần đúng một trong {listed}", en=f"needs exactly one of {listed}")
    op = ops[0]
    group_node = item.get(op)
    group = groups.get(group_node.str())
    if group is None:
        hint = did_you_mean(group_node.str(), groups)
        raise group_node.error(
            vi=f"không có nhóm thành viên '{group_node.str()}'{hint.vi} (khai báo ở members)",
            en=f"no member group '{group_node.str()}'{hint.en} (declare it under members)",
        )
    level_node, where_node, field_node = item.opt("level"), item.opt("where"), item.opt("field")
    member_specs = {spec.name: spec for spec in field_specs(group.model)}
    if op in ("min", "max"):
        if field_node is None or level_node or where_node:
            raise item.error(
                vi=f"'{op}' cần 'field' (trường số của thành viên), không dùng level/where",
                en=f"'{op}' needs 'field' (a numeric member field), not level/where",
            )
        member = member_specs.get(field_node.str())
        if member is None or member.kind not in (KIND_NUMBER, KIND_INT):
            hint = did_you_mean(field_node.str(), member_specs)
            raise field_node.error(
                vi=f"'{field_node.str()}' không phải trường số của {group.inputs}{hint.vi}",
                en=f"'{field_node.str()}' is not a numeric field of {group.inputs}{hint.en}",
            )
        _expect(item, target, member.kind, member.unit)
        return Aggregate(
            field,
            op,
            group.name,
            member_field=member.name,
            name=target.label,
            file=item.file,
            line=item.line,
        )
    if field_node is not None or (level_node is None) == (where_node is None):
        raise item.error(
            vi=f"'{op}' cần đúng một trong 'level' (mức của thang) hoặc 'where' (điều kiện)",
            en=f"'{op}' needs exactly one of 'level' (a ladder level) or 'where' (a condition)",
        )
    if op == "share":
        _expect(item, target, KIND_NUMBER, "percent")
    elif op == "count":
        _expect(item, target, KIND_INT, "count")
    else:
        _expect(item, target, KIND_BOOL, None)
    if level_node is not None:
        if group.ladder is None:
            raise level_node.error(
                vi=f"nhóm '{group.name}' không có thang (ladder) nên không có mức để xét",
                en=f"group '{group.name}' has no ladder, so no level to test",
            )
        return Aggregate(
            field,
            op,
            group.name,
            level=level_node.str(),
            name=target.label,
            file=level_node.file,
            line=level_node.line,
        )
    assert where_node is not None
    env = {spec.name: spec.expr_type for spec in member_specs.values()}
    condition = expr(where_node, BOOL, env)
    return Aggregate(
        field,
        op,
        group.name,
        where=condition,
        where_text=where_node.str(),
        name=target.label,
        file=item.file,
        line=item.line,
    )


def _expect(item: Node, target: FieldSpec, kind: str, unit: str | None) -> None:
    """The field an aggregate fills must hold what the aggregate gives."""
    same_kind = target.kind == kind or {target.kind, kind} <= {KIND_NUMBER, KIND_INT}
    if same_kind and (unit is None or target.unit == unit):
        return
    wanted = Text(vi=f"{kind} ({unit or '-'})", en=f"{kind} ({unit or '-'})")
    raise item.error(
        vi=f"trường '{target.name}' không chứa được kết quả này: cần {wanted.vi}",
        en=f"field '{target.name}' cannot hold this result: it needs {wanted.en}",
    )
