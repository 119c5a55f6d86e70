"""Section 2's cases: copies of the minimal and the national ruleset with 1-3 line edits
(junk values and keys, attack conditions, broken indentation, cut files), and generated
rulesets up to 1,400 indicators and 80 criteria."""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Callable

from tests.generated_rulesets import BOOLS, NUMBERS, random_ruleset, ruleset_text, uniform

from .common import MINIMAL_TEXT, NATIONAL_TEXT, PLACES, nfd

# numbers a YAML file may hold and the engine cannot: infinite, not a number, 400 digits, 10^16
UNHOLDABLE = (
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "+.inf",
    "9" * 400,
    "-" + "9" * 400,
    "1e16",
    "-1e16",
    "1e400",
    "1.0e+16",
)
# dates that do not exist, or lie outside any ruleset's validity
JUNK_DATES = (
    "2022-02-30",
    "0001-01-01",
    "9999-12-31",
    "2030-01-01",
    "2021-13-01",
    "1900-01-01",
    "2022-3-8",
)
JUNK_VALUES = (  # the first 14: numbers; the first 26: what fits in an inline mapping
    *UNHOLDABLE,
    "0",
    "-1",
    "0.0000001",
    "''",
    "null",
    "~",
    "[]",
    "{}",
    "[1, [2, [3]]]",
    "yes",
    "'Mộc Châu'",
    '"🌾🌾"',
    *JUNK_DATES[:4],
    "!!python/object/apply:os.system ['true']",
    "!!binary aGVsbG8=",
    "&anchor 1",
    "*anchor",
    "'x' * 3",
    "{vi: Tên, en: Name}",
    "12:30",
    "0x1F",
    "1_000",
    "0o17",
    '"' + "x" * 10_001 + '"',
    "|\n  multi\n  line",
    "- a\n- b",
    "!!set {a, b}",
    "\t1",
)
JUNK_KEYS = (
    "bogus",
    "condition",
    "value",
    "by",
    "from",
    "until",
    "id",
    "axis",
    "unit",
    "verified",
    "source",
    "policy",
    "applies_if",
    "extends",
    "requires",
    "scope",
    "__class__",
    "Tên",
    "🌾",
    "<<",
    "? complex",
    "'quoted key'",
    "1",
    "null",
    "true",
)
TEXT_FIELDS = ("district", "province", "name", "code")
_KEY_LINE = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w.]*|\"[^\"]*\"):(\s*)(.*)$")
_NUMBER = re.compile(r"(?<=[\s:{,\[])(-?\d+(?:\.\d+)?)(?=[\s,}\]]|$)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CONDITION = re.compile(r"^(\s*(?:- )?(?:condition|applies_if|when|value):\s*)(.*)$")


def nested_condition(rng: random.Random, groups: int) -> str:
    condition: str = rng.choice(BOOLS)
    for n in range(1, groups + 1):
        op = " and " if n % 2 else " or "
        condition = f"({condition}{op}{BOOLS[n % len(BOOLS)]})"
    return condition


def text_literal_condition(rng: random.Random) -> str:
    place = rng.choice([p for p in PLACES if "'" not in p])
    other = rng.choice(PLACES[:4])
    name = rng.choice(TEXT_FIELDS)
    return rng.choice(
        [
            f"{name} == '{place}'",
            f"{name} != '{place}'",
            f"{name} in ['{place}', '{other}']",
            f"{name} not in ['{place}', '😀', 'Ω']",
            "region in ['tn', 'dbsh']",
            f"{name} == '{nfd(place)}'",
            f'{name} == "O\'Brien"',
            f"{name} == ''",
        ]
    )


def attack_condition(rng: random.Random, params: list[str]) -> str:
    """A condition from the issue's list: x / 0, long `or`s, deep nesting, text literals,
    numbers the engine cannot hold, injection; or an ordinary one."""
    num, other = rng.choice(NUMBERS), rng.choice(NUMBERS)
    param = rng.choice(params) if params else "income"
    return rng.choice(
        [
            f"{num} / 0 >= 1",
            f"{num} / (2 - 2) >= 1",
            f"{num} >= param.{param} / (param.{param} - param.{param})",
            f"{num} / {other} >= 1",
            f"{num} >= param.{param} * 1000000000000000",
            f"{num} >= {'9' * 400}",
            f"{num} >= 10000000000000000",
            f"{num} >= 0.0000000001",
            " or ".join(rng.choice(BOOLS) for _ in range(rng.choice([50, 100, 149, 150, 151]))),
            " or ".join(f"{num} >= {k}" for k in range(rng.choice([20, 60, 150]))),
            " and ".join(f"{n} >= 1" for n in rng.sample(NUMBERS, min(len(NUMBERS), 30))),
            nested_condition(rng, rng.randint(1, 20)),
            text_literal_condition(rng),
            text_literal_condition(rng),
            f"{rng.choice(TEXT_FIELDS)} >= 5",
            f"{num} == 'x'",
            "__import__('os').system('true')",
            "income_per_capita.__class__",
            "exec('1')",
            "lambda: 1",
            "",
            "()",
            "not",
            "and and",
            f"not ({num} >= 50)",
            f"-{num} <= -50",
            f"{num} + {other} * 2 - 1 >= param.{param}",
            "true",
            "false or true",
        ]
    )


def line_where(lines: list[str], rng: random.Random, found: Callable[[str], object]) -> int | None:
    """A random one of the lines where ``found`` finds something; None if there is none."""
    candidates = [k for k, line in enumerate(lines) if found(line)]
    return rng.choice(candidates) if candidates else None


def mutate_ruleset(text: str, rng: random.Random) -> tuple[str, list[str]]:
    """Apply 1-3 line edits; return the new text and the names of the edits."""
    lines = text.split("\n")
    params = sorted(set(re.findall(r"param\.(\w+)", text)))
    done: list[str] = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        op = rng.choice(
            [
                "delete-line",
                "delete-block",
                "replace-value",
                "replace-value",
                "insert-key",
                "duplicate-line",
                "number",
                "number",
                "condition",
                "condition",
                "condition",
                "indent",
                "swap",
                "truncate",
                "date",
                "inline",
            ]
        )
        done.append(op)
        n = rng.randrange(len(lines))
        if op == "delete-line":
            del lines[n]
        elif op == "delete-block":
            indent = len(lines[n]) - len(lines[n].lstrip())
            end = n + 1
            while end < len(lines) and (
                not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
            ):
                end += 1
            del lines[n:end]
        elif op in ("replace-value", "insert-key"):
            k = line_where(lines, rng, _KEY_LINE.match)
            match = _KEY_LINE.match(lines[k]) if k is not None else None
            if k is not None and match is not None:
                if op == "replace-value":
                    lines[k] = f"{match.group(1)}{match.group(2)}: {rng.choice(JUNK_VALUES)}"
                else:
                    spaces = " " * len(match.group(1))
                    junk = f"{rng.choice(JUNK_KEYS)}: {rng.choice(JUNK_VALUES)}"
                    lines.insert(k + 1, spaces + junk)
        elif op == "duplicate-line":
            lines.insert(n, lines[n])
        elif op == "number":
            k = line_where(lines, rng, _NUMBER.search)
            if k is not None:
                spot = rng.choice(list(_NUMBER.finditer(lines[k])))
                junk = rng.choice(JUNK_VALUES[:14])
                lines[k] = lines[k][: spot.start()] + junk + lines[k][spot.end() :]
        elif op == "condition":
            k = line_where(lines, rng, _CONDITION.match)
            match = _CONDITION.match(lines[k]) if k is not None else None
            if k is not None and match is not None:
                condition = attack_condition(rng, params)
                lines[k] = match.group(1) + json.dumps(condition, ensure_ascii=False)
        elif op == "indent":
            lines[n] = rng.choice([" ", "  ", "\t", ""]) + lines[n].lstrip(rng.choice([" ", ""]))
        elif op == "swap":
            m = rng.randrange(len(lines))
            lines[n], lines[m] = lines[m], lines[n]
        elif op == "truncate":
            cut = rng.randrange(len(text))
            lines = "\n".join(lines)[:cut].split("\n")
        elif op == "date":
            k = line_where(lines, rng, _DATE.search)
            if k is not None:
                lines[k] = _DATE.sub(rng.choice(JUNK_DATES), lines[k], count=1)
        elif op == "inline":
            k = line_where(lines, rng, lambda line: "{" in line and ":" in line)
            pairs = list(re.finditer(r"(\w+): ([^,}]+)", lines[k])) if k is not None else []
            if k is not None and pairs:
                spot = rng.choice(pairs)
                junk = rng.choice(JUNK_VALUES[:26]).replace("\n", " ")
                lines[k] = lines[k][: spot.start(2)] + junk + lines[k][spot.end(2) :]
        if not lines:
            lines = [""]
    return "\n".join(lines), done


def generated_ruleset(rng: random.Random) -> tuple[str, str]:
    """A generated ruleset: uniform with 1 to 1,400 indicators (log-uniform) in 1 to 80
    criteria, the limits of the issue, random shapes, or one built around attack conditions."""
    roll = rng.random()
    if roll < 0.35:
        if rng.random() < 0.1:
            criteria, per = rng.choice([(1, 360), (20, 70), (64, 1), (1, 300), (50, 1), (4, 90)])
        else:
            total = int(math.exp(rng.uniform(0, math.log(1400))))
            criteria = min(total, rng.choice([1, 2, 5, 10, 19, 20, 40, 50, 63, 64, 65, 80]))
            per = max(1, total // criteria)
        return f"generated:uniform {criteria}x{per}", uniform(criteria, per)
    if roll < 0.7:
        if rng.random() < 0.85:
            return "generated:random", random_ruleset(rng)
        return "generated:random-big", random_ruleset(rng, 64, 22)
    conditions = [
        [attack_condition(rng, ["income"]) for _ in range(rng.randint(1, 4))]
        for _ in range(rng.randint(1, 6))
    ]
    text = ruleset_text([[c.replace('"', '\\"') for c in group] for group in conditions])
    return "generated:attack", text


def ruleset_case(seed: int, i: int) -> tuple[str, str, str | None]:
    """Case ``i``: (label, YAML text, the text it mutates; None for a generated one)."""
    rng = random.Random(f"{seed}:rulesets:{i}")
    source = rng.choices(["minimal", "national", "generated"], weights=[60, 20, 20])[0]
    if source == "generated":
        label, text = generated_ruleset(rng)
        if rng.random() < 0.15:
            text, done = mutate_ruleset(text, rng)
            label += " + " + ",".join(done)
        return label, text, None
    base = MINIMAL_TEXT if source == "minimal" else NATIONAL_TEXT
    text, done = mutate_ruleset(base, rng)
    return f"{source}: {','.join(done)}", text, base
