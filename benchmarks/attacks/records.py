"""Section 1, records: random and malformed rows through ``evaluate``, ``Evaluator.evaluate``
and ``load_records`` (JSON and CSV files); only the library's errors may escape, and a row read
silently wrong is a failure."""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

import attrs

import ntm_rules
from ntm_rules import Evaluator, InputError, NtmRulesError, evaluator_for
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.structuring import load_records

from .common import Section, figures, last_frames, named, short
from .record_cases import FALSE_WORDS, PY, TRUE_WORDS, Raw, RecordCase, record_case
from .workers import ended, run_in_workers


def json_value(value: Any, rng: random.Random) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{json.dumps(k)}: {json_value(v, rng)}" for k, v in value.items())
            + "}"
        )
    if isinstance(value, list):
        return "[" + ", ".join(json_value(v, rng) for v in value) + "]"
    if isinstance(value, str):
        lone = any(0xD800 <= ord(c) <= 0xDFFF for c in value)
        return json.dumps(value, ensure_ascii=lone or rng.random() < 0.3)
    return json.dumps(value)


def json_file(case: RecordCase, rng: random.Random) -> bytes:
    if case.raw is not None:
        return case.raw
    rows = [
        "{" + ", ".join(f"{json.dumps(k)}: {json_value(v, rng)}" for k, v in row) + "}"
        for row in case.rows
    ]
    body = "[\n" + ",\n".join(rows) + "\n]"
    if rng.random() < 0.3:
        body = '{"units": ' + body + "}"
    return body.encode("utf-8", "surrogatepass")


def csv_cell(value: Any, rng: random.Random) -> str:
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return ""
    if isinstance(value, bool):
        return rng.choice(TRUE_WORDS if value else FALSE_WORDS)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        whole, _, decimals = text.partition(".")
        if len(decimals) == 3 and len(whole) <= 3 and not whole.startswith("0"):
            text += "0"  # 41.123 reads as ambiguous; 41.1230 is the same decimal
        return text.replace(".", rng.choice(".,"))
    return str(value)


def csv_file(case: RecordCase, rng: random.Random) -> bytes:
    header = [k for k, _ in case.rows[0]]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=rng.choice(["\n", "\r\n"]))
    writer.writerow(header)
    for n, row in enumerate(case.rows):
        values = dict(row)
        cells = (
            [csv_cell(v, rng) for _, v in row]
            if n == 0
            else [csv_cell(values.get(k), rng) for k in header]
        )
        if case.short_row > 0:
            cells = cells[: max(1, len(cells) - case.short_row)]
        elif case.short_row < 0:
            cells += ["1"] * -case.short_row
        writer.writerow(cells)
    text = out.getvalue()
    return ("\ufeff" if case.bom else "").encode() + text.encode("utf-8", "surrogatepass")


_CHECK = re.compile(r"(\w+)(?: (?:<|<=|>|>=|==|!=|in|not in) .*)?")


def misread(result: Any, expected: dict[str, Any]) -> str | None:
    """A field the result shows with another value than the one sent, if any."""
    unit = result.unit
    for name in ("code", "name", "province", "district"):
        if name in expected and getattr(unit, name) != expected[name]:
            return f"{name} read as {getattr(unit, name)!r}, sent {expected[name]!r}"
    attributes = dict(unit.attributes)
    for name, value in attributes.items():
        if name in expected and expected[name] is not None and value != expected[name]:
            return f"{name} read as {value!r}, sent {expected[name]!r}"
    for indicator in result.indicators:
        for check in (*indicator.applicability, *indicator.checks):
            match = _CHECK.fullmatch(check.text)
            if match is None or match.group(1) not in expected:
                continue
            want = expected[match.group(1)]
            if not same_value(check.value, want):
                return f"{match.group(1)} read as {check.value!r}, sent {want!r}"
    return None


def same_value(got: Any, want: Any) -> bool:
    if want is None or got is None:
        return got is want
    if isinstance(want, bool) or isinstance(got, bool):
        return got is want
    return bool(got == want)


def record_misread(record: Any, expected: dict[str, Any]) -> str | None:
    values = attrs.asdict(record)
    for name, want in expected.items():
        if name in values and not same_value(values[name], want):
            return f"{name} read as {values[name]!r}, sent {want!r}"
    return None


_EVALUATORS: dict[str, Evaluator] = {}


def held_evaluator(ruleset_id: str) -> Evaluator:
    """The evaluator of a bundled ruleset, held as a caller of ``Evaluator.evaluate`` would."""
    if ruleset_id not in _EVALUATORS:
        _EVALUATORS[ruleset_id] = evaluator_for(ruleset_id)
    return _EVALUATORS[ruleset_id]


def run_record_case(seed: int, i: int, scratch: Path) -> dict[str, Any]:
    case = record_case(seed, i)
    rng = random.Random(f"{seed}:records:{i}:io")
    row: dict[str, Any] = {"tag": case.tag, "transport": case.transport, "outcome": "evaluated"}
    wrong: str | None = None
    mapping: Any = dict(case.rows[0])
    if list(mapping) == ["__not_a_mapping__"]:
        mapping = mapping["__not_a_mapping__"]
    path = scratch / f"r{i}.{case.transport}"
    if case.transport == "json":
        path.write_bytes(json_file(case, rng))
    elif case.transport == "csv":
        path.write_bytes(csv_file(case, rng))
    try:
        if case.transport in PY:
            if case.transport == "dict":
                result = ntm_rules.evaluate(case.ruleset, mapping)
            else:
                result = held_evaluator(case.ruleset).evaluate(mapping)
            json.dumps(result.to_dict(), allow_nan=False)
            if rng.random() < 0.05:
                result.explain("vi")
            wrong = misread(result, case.expected[0])
        else:
            try:
                records = load_records(path, Commune2021)
            finally:
                path.unlink()
            evaluator = held_evaluator(case.ruleset)
            if len(records) != len(case.expected):
                wrong = f"{len(records)} records read from {len(case.expected)} rows"
            for record, expected in zip(records, case.expected, strict=False):
                wrong = wrong or record_misread(record, expected)
                result = evaluator.evaluate(record)
                json.dumps(result.to_dict(), allow_nan=False)
                wrong = wrong or misread(result, expected)
    except InputError as exc:
        if not isinstance(exc.record, str) or not exc.record:
            row["unnamed"] = f"no record in: {short(exc)}"
        elif case.fields is not None and None not in case.fields and exc.field not in case.fields:
            row["unnamed"] = (
                f"field {exc.field!r}, expected {sorted(map(str, case.fields))}: {short(exc)}"
            )
        if case.expect == "ok":
            row["refused"] = short(exc)
        return ended(row, "input", short(exc))
    except NtmRulesError as exc:
        if case.expect == "ok":
            row["refused"] = named(exc)
        elif case.expect == "input":
            row["unnamed"] = f"{type(exc).__name__}, not InputError: {short(exc)}"
        return ended(row, "other", short(exc))
    except Exception as exc:
        return ended(row, "unexpected", last_frames(exc))
    if case.expect != "ok":
        wrong = f"accepted, should be refused ({case.expect})"
    if wrong:
        row["wrong"] = wrong
    return row


def attack_records(args: argparse.Namespace, scratch: Path) -> Section:
    count = 1_200 if args.quick else 24_000
    section = Section("records", "records", count)
    results = run_in_workers(
        "records", count, args.seed, scratch, chunk=max(200, count // 16), jobs=args.jobs
    )
    outcomes = Counter(r["outcome"] for r in results.values())
    transports = Counter(r.get("transport", "?") for r in results.values())
    wrong = [r for r in results.values() if r.get("wrong")]
    refused = [r for r in results.values() if r.get("refused")]
    unnamed = [r for r in results.values() if r.get("unnamed")]
    section.counts = {
        "evaluated": outcomes["evaluated"],
        "input-errors": outcomes["input"],
        "other-errors": outcomes["other"],
        "unexpected": outcomes["unexpected"] + outcomes["harness-error"],
        "crashes": outcomes["crash"] + outcomes["hang"],
        "silently-wrong": len(wrong),
        "wrongly-refused": len(refused),
        "unnamed": len(unnamed),
    }
    section.extra["transports"] = dict(transports)
    section.extra["tags"] = dict(Counter(r.get("tag", "?") for r in results.values()))
    if len(results) != count:
        section.fail(f"records: {count - len(results)} cases without a result")
    for r in sorted(results.values(), key=lambda r: r["i"]):
        where = f"record #{r['i']} {r.get('transport', '')} {r.get('tag', '')}"
        if r["outcome"] in ("unexpected", "crash", "hang", "harness-error"):
            section.fail(
                f"{where}: {r['outcome']}: {r.get('detail')}",
                f"records: {r['outcome']} ({r.get('tag', '?')})",
            )
        for key in ("wrong", "refused", "unnamed"):
            if r.get(key):
                section.fail(f"{where}: {key}: {r[key]}", f"records: {key} ({r.get('tag', '?')})")
    section.extra["lines"] = [
        figures(section.counts, ["evaluated", "input-errors", "other-errors"]),
        figures(section.counts, ["unexpected", "crashes", "silently-wrong"]),
        figures(section.counts, ["wrongly-refused", "unnamed"])
        + "  ("
        + ", ".join(f"{k} {transports[k]}" for k in ("dict", "evaluator", "json", "csv"))
        + ")",
    ]
    return section
