"""durable-rules' structural limits, checked on a compiled ruleset before it is registered.

The engine has fixed-size tables (``src/rules/{rete,events,state}.h`` of durable-rules 2.0.28)
and some of them overflow silently: a ruleset past a limit can register and then abort the
process at the first evaluation (``free(): invalid pointer``). This module rebuilds the
engine's alpha network from the compiled rules the way ``rete.c`` does (one chain per
``$and``, a shared *forward* node per ``$or``, identical tests under one parent merged) and
checks every limit on it, so a ruleset that passes can never hit one at evaluation:

====================================  ========  =================================================
limit                                 engine    what it counts
====================================  ========  =================================================
alpha stack (``MAX_STACK_SIZE``)      64        tests pending while one fact is matched: an upper
                                                bound over every possible fact
expressions per rule                  31        ``$and`` and ``$or`` groups, 2 each
``$nex`` tests under one test         127       (``NEXT_LIST_LENGTH``, overflows at 128)
tests under one test                  511       (``NEXT_BUCKET_LENGTH``)
rules ending at one test              255       (``BETA_LIST_LENGTH``, overflows at 256)
rules per ruleset                     4,095     (``MAX_ACTIONS``)
values per fact                       255       (``MAX_OBJECT_PROPERTIES``), ``sid`` included
====================================  ========  =================================================

Our limits keep a margin below the engine's (:data:`LIMITS`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import attrs

Json = dict[str, Any]

LIMITS = {
    "stack": 60,
    "expressions": 31,
    "nex_children": 120,
    "children": 480,
    "rules_per_test": 240,
    "rules": 4000,
    "fact_values": 240,
}
_OPERATORS = {"$lt", "$lte", "$gt", "$gte", "$neq", "$ex", "$nex"}


@attrs.define(eq=False)
class _Alpha:
    """One test of the alpha network."""

    key: tuple[str, str, str]  # property, operator, value (as text)
    operand: Any = None  # the value compared with: a literal, or {"$m": slot}
    hashed: dict[tuple[str, str, str], _Alpha] = attrs.field(factory=dict)  # present-property tests
    nex: dict[tuple[str, str, str], _Alpha] = attrs.field(factory=dict)  # absent-property tests
    forwards: list[_Alpha] = attrs.field(factory=list)  # `$or` joins: always pushed
    rules: list[str] = attrs.field(factory=list)  # rules ending here

    @property
    def prop(self) -> str:
        return self.key[0]


@attrs.frozen
class Violation:
    """A limit exceeded: which, by how much, and the rule (if one rule is to blame)."""

    limit: str
    value: int
    maximum: int
    rule: str | None = None


@attrs.frozen
class Measure:
    """The largest value of every limited quantity of one compiled ruleset."""

    stack: int
    expressions: int
    nex_children: int
    children: int
    rules_per_test: int
    rules: int
    worst_rule: str | None  # the rule with the most expressions


class _Network:
    def __init__(self) -> None:
        self.root = _Alpha(("", "", ""))
        self.nodes: list[_Alpha] = [self.root]
        self.expressions: dict[str, int] = {}

    def add_rule(self, name: str, rule: Json) -> None:
        self.expressions[name] = 0
        for item in rule.get("all", []):
            end = self.add(item["m"], self.root, name)
            end.rules.append(name)

    def add(self, condition: Json, parent: _Alpha, rule: str) -> _Alpha:
        ((key, value),) = condition.items()
        if key == "$and":
            self.expressions[rule] += 2
            node = parent
            for item in value:
                node = self.add(item, node, rule)
            return node
        if key == "$or":
            self.expressions[rule] += 2
            forward = self.new(("$forward", "$nex", str(len(self.nodes))))
            for item in value:
                self.add(item, parent, rule).forwards.append(forward)
            return forward
        if key in _OPERATORS:
            ((prop, operand),) = value.items()
            op = key
        else:
            prop, operand, op = key, value, "$eq"
        test = (prop, op, repr(operand))
        children = parent.nex if op == "$nex" else parent.hashed
        found = children.get(test)
        if found is None:
            found = children[test] = self.new(test, operand)
        return found

    def new(self, key: tuple[str, str, str], operand: Any = None) -> _Alpha:
        node = _Alpha(key, operand)
        self.nodes.append(node)
        return node

    def stack_bound(self) -> int:
        """The most tests pending at once while any fact is matched (``handleAlpha``'s stack).

        A node pushes its forward joins, and per property either its ``$nex`` tests (absent)
        or those of its other tests that pass (present), never both; then pops them one by
        one, last first."""
        bound: dict[int, int] = {}
        order = list(self._post_order())
        for node in order:
            present: dict[str, list[_Alpha]] = {}
            absent: dict[str, int] = {}
            for child in node.hashed.values():
                present.setdefault(child.prop, []).append(child)
            for child in node.nex.values():
                absent[child.prop] = absent.get(child.prop, 0) + 1
            pushed = len(node.forwards) + sum(
                max(_passing(present.get(prop, [])), absent.get(prop, 0))
                for prop in {*present, *absent}
            )
            children = [*node.hashed.values(), *node.nex.values(), *node.forwards]
            deepest = max((bound[id(c)] for c in children), default=0)
            bound[id(node)] = max(pushed, pushed - 1 + deepest) if pushed else 0
        return bound[id(self.root)]

    def _post_order(self) -> Iterator[_Alpha]:
        seen: set[int] = set()
        stack: list[tuple[_Alpha, bool]] = [(self.root, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                yield node
                continue
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.append((node, True))
            for child in (*node.hashed.values(), *node.nex.values(), *node.forwards):
                if id(child) not in seen:
                    stack.append((child, False))


_PASSES = {
    "$eq": lambda x, v: x == v,
    "$neq": lambda x, v: x != v,
    "$lt": lambda x, v: x < v,
    "$lte": lambda x, v: x <= v,
    "$gt": lambda x, v: x > v,
    "$gte": lambda x, v: x >= v,
}


def _passing(tests: list[_Alpha]) -> int:
    """The most of ``tests`` (on one property) one value can pass: every ``$ex``, plus the
    largest overlap among the comparisons with literals, plus that among the comparisons with
    each slot (slots are unknown numbers: each group is counted at its worst on its own)."""
    exists = sum(1 for t in tests if t.key[1] == "$ex")
    groups: dict[str, list[tuple[str, Any]]] = {}
    for test in tests:
        op = test.key[1]
        if op == "$ex":
            continue
        if isinstance(test.operand, dict):  # {"$m": slot}: place the slot at 0
            groups.setdefault(repr(test.operand), []).append((op, 0))
        else:
            groups.setdefault("", []).append((op, test.operand))
    return exists + sum(_overlap(group) for group in groups.values())


def _overlap(tests: list[tuple[str, Any]]) -> int:
    """The most of ``(operator, value)`` tests a single value passes."""
    values = {v for _, v in tests}
    numbers = sorted(v for v in values if isinstance(v, int | float) and not isinstance(v, bool))
    candidates: list[Any] = [*values, object()]  # each value, and one equal to none of them
    if numbers:
        candidates += [numbers[0] - 1, numbers[-1] + 1]
        candidates += [(a + b) / 2 for a, b in itertools.pairwise(numbers)]
    best = 0
    for x in candidates:
        passed = 0
        for op, v in tests:
            try:
                passed += bool(_PASSES[op](x, v))
            except TypeError:  # an ordering between unrelated types: count it as passing
                passed += 1
        best = max(best, passed)
    return best


def measure(rules: Json) -> Measure:
    """Rebuild the engine's network of ``rules`` and measure it."""
    network = _Network()
    for name, rule in rules.items():
        network.add_rule(name, rule)
    worst = max(network.expressions, key=network.expressions.__getitem__, default=None)
    nodes = network.nodes
    return Measure(
        stack=network.stack_bound(),
        expressions=network.expressions[worst] if worst else 0,
        nex_children=max(len(n.nex) + len(n.forwards) for n in nodes),
        children=max(len(n.hashed) for n in nodes),
        rules_per_test=max(len(n.rules) for n in nodes),
        rules=len(rules),
        worst_rule=worst,
    )


def violations(found: Measure, fact_values: dict[str, int]) -> list[Violation]:
    """Every limit ``found`` (and the facts, by name -> values incl. ``sid``) exceeds, the
    plainest first."""
    out = [
        Violation("fact_values", count, LIMITS["fact_values"], fact)
        for fact, count in fact_values.items()
        if count > LIMITS["fact_values"]
    ]
    out += [
        Violation(limit, value, LIMITS[limit], found.worst_rule if limit == "expressions" else None)
        for limit, value in (
            ("rules", found.rules),
            ("expressions", found.expressions),
            ("nex_children", found.nex_children),
            ("children", found.children),
            ("rules_per_test", found.rules_per_test),
            ("stack", found.stack),
        )
        if value > LIMITS[limit]
    ]
    return out
