"""Section 2, rulesets: each case through ``load_ruleset``, ``prove_runs`` (what ``ntm-rules
validate`` does) and, when it validates, 5 evaluations, in worker processes so that an abort
is counted. A load error must name its line; validate may raise only RulesetError and
EngineError; a ruleset that validated must evaluate."""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import random
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

from ntm_rules import EngineError, NtmRulesError, RulesetError, evaluator_for, load_ruleset
from ntm_rules.models.vocabulary import field_specs
from ntm_rules.ruleset.model import Ruleset
from ntm_rules.validation import prove_runs
from tests.generated_rulesets import random_record

from .common import PLACES, Section, figures, last_frames, named, short
from .ruleset_cases import ruleset_case
from .workers import ended, run_in_workers


def edits(base: str, text: str, limit: int = 3) -> list[str]:
    """The lines a mutation changed, for a failure's report (``-12 old`` / ``+12 new``)."""
    found: list[str] = []
    matcher = difflib.SequenceMatcher(None, base.split("\n"), text.split("\n"), autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        found += [
            f"-{n + 1} {short(line, 70)}" for n, line in enumerate(base.split("\n")[a1:a2], a1)
        ]
        found += [
            f"+{n + 1} {short(line, 70)}" for n, line in enumerate(text.split("\n")[b1:b2], b1)
        ]
    return found[: 2 * limit]


def assessment_date(rng: random.Random, ruleset: Ruleset) -> dt.date:
    """A random day within the ruleset's validity (its first 3 years when it is open)."""
    start = ruleset.valid_from
    end = ruleset.valid_until or dt.date(min(9999, start.year + 3), 12, 31)
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def spec_record(rng: random.Random, ruleset: Ruleset, n: int) -> dict[str, Any]:
    """A valid record of the ruleset's model."""
    record: dict[str, Any] = {"code": f"R{n}"}
    for spec in field_specs(ruleset.model):
        if spec.name == "code" or spec.name == "year":
            continue
        if spec.kind == "text":
            if spec.choices:
                record[spec.name] = rng.choice(spec.choices)
            elif spec.name == "province" and ruleset.scope is not None:
                record[spec.name] = ruleset.scope.province
            elif spec.required or rng.random() < 0.5:
                record[spec.name] = rng.choice(PLACES)
        elif rng.random() < 0.7:
            if spec.kind == "bool":
                record[spec.name] = rng.random() < 0.5
            elif spec.unit == "year":
                first, last = int(spec.minimum or 1990), int(spec.maximum or 2100)
                record[spec.name] = rng.randint(first, last)
            else:
                low = spec.minimum if spec.minimum is not None else 0.0
                high = spec.maximum if spec.maximum is not None else 1000.0
                value = rng.uniform(low, high)
                record[spec.name] = int(value) if spec.kind == "int" else round(value, 2)
    return record


def run_ruleset_case(seed: int, i: int, scratch: Path) -> dict[str, Any]:
    label, text, base = ruleset_case(seed, i)
    generated = base is None
    rng = random.Random(f"{seed}:rulesets:{i}:records")
    folder = scratch / f"case{i}"
    folder.mkdir()
    path = folder / "ruleset.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    row: dict[str, Any] = {"label": label}
    stage = "load"
    try:
        try:
            ruleset = load_ruleset(path)
        except RulesetError as exc:
            if not exc.file or exc.line is None:
                row["unlocated"] = short(exc)
            return ended(row, "load", short(exc))
        except NtmRulesError as exc:
            return ended(row, "load-other", named(exc))
        stage = "validate"
        try:
            prove_runs(ruleset)
        except RulesetError as exc:
            return ended(row, "validate", short(exc))
        except EngineError as exc:
            return ended(row, "validate-engine", short(exc))
        except NtmRulesError as exc:
            return ended(row, "validate-other", named(exc))
        stage = "evaluate"
        evaluator = evaluator_for(ruleset)
        for n in range(5):
            on = assessment_date(rng, ruleset)
            record = random_record(rng, f"G{n}") if generated else spec_record(rng, ruleset, n)
            result = evaluator.evaluate(record, on=on)
            json.dumps(result.to_dict(), allow_nan=False)
            if n == 0:
                result.explain("vi")
                result.explain("en")
        row["outcome"] = "evaluated"
        return row
    except NtmRulesError as exc:
        outcome = "failed-at-evaluation" if stage == "evaluate" else "unexpected"
        return ended(row, outcome, f"{stage}: {last_frames(exc)}")
    except Exception as exc:
        return ended(row, "unexpected", f"{stage}: {last_frames(exc)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if "detail" in row:  # name the file as the report will: its folder is gone
            row["detail"] = row["detail"].replace(f"{folder}/", "")
        if "unlocated" in row:
            row["unlocated"] = row["unlocated"].replace(f"{folder}/", "")
        if base is not None and (row.get("unlocated") or row["outcome"] not in QUIET):
            row["edits"] = edits(base, text)


def failure_kind(message: str) -> str:
    """A message with what varies from case to case (file, record, names, numbers) left out,
    so that alike failures are counted together."""
    kind = re.sub(r"^\S*ruleset\.yaml:\s*", "", message)
    kind = re.sub(r"\[.*$", "", kind)
    kind = re.sub(r"'[^']*'", "'…'", kind)
    kind = re.sub(r"\bof [a-z][\w-]*(\.[\w-]+)+", "of …", kind)
    kind = re.sub(r"\d[\d-]*", "N", kind)
    kind = re.sub(r"\(.*?\)", "(…)", kind)
    return short(kind, 90)


# outcomes that are no news: a refusal located in the file, or a ruleset that runs
QUIET = ("load", "validate", "evaluated")


def attack_rulesets(args: argparse.Namespace, scratch: Path) -> Section:
    count = 160 if args.quick else 2_400
    section = Section("rulesets", "rulesets", count)
    chunk = max(40, count // 16)  # a worker per chunk: start-up costs against balance
    results = run_in_workers("rulesets", count, args.seed, scratch, chunk=chunk, jobs=args.jobs)
    outcomes = Counter(r["outcome"] for r in results.values())
    unlocated = [r for r in results.values() if r.get("unlocated")]
    section.counts = {
        "refused-at-load": outcomes["load"],
        "unlocated": len(unlocated),
        "load-other": outcomes["load-other"],
        "refused-by-validate": outcomes["validate"],
        "validate-other": outcomes["validate-other"],
        "validate-engine-error": outcomes["validate-engine"],
        "validated+evaluated": outcomes["evaluated"],
        "failed-at-evaluation": outcomes["failed-at-evaluation"],
        "unexpected": outcomes["unexpected"] + outcomes["harness-error"],
        "crashes": outcomes["crash"],
        "hangs": outcomes["hang"],
    }
    sources = Counter(str(r.get("label", "?")).split(":")[0] for r in results.values())
    validated = Counter(
        str(r.get("label", "?")).split(":")[0]
        for r in results.values()
        if r["outcome"] == "evaluated"
    )
    section.extra["sources"] = dict(sources)
    section.extra["validated_by_source"] = dict(validated)
    section.extra["unlocated_examples"] = [r["unlocated"] for r in unlocated[:10]]
    section.extra["load_other_examples"] = [
        r["detail"] for r in results.values() if r["outcome"] == "load-other"
    ][:10]
    if len(results) != count:
        section.fail(f"rulesets: {count - len(results)} cases without a result")
    bad = (
        "failed-at-evaluation",
        "unexpected",
        "harness-error",
        "crash",
        "hang",
        "validate-engine",
        "validate-other",  # validate is documented to raise RulesetError or EngineError only
        "load-other",
    )
    for r in sorted(results.values(), key=lambda r: r["i"]):
        edited = f" [{' | '.join(r['edits'])}]" if r.get("edits") else ""
        if r.get("unlocated"):  # every mistake in a ruleset file names its line
            section.fail(
                f"ruleset #{r['i']} ({r.get('label', '?')}): no line: {r['unlocated']}{edited}",
                f"rulesets: a load error names no line: {failure_kind(r['unlocated'])}",
            )
        if r["outcome"] in bad:
            section.fail(
                f"ruleset #{r['i']} ({r.get('label', '?')}): {r['outcome']}: "
                f"{r.get('detail')}{edited}",
                f"rulesets: {r['outcome']}: {failure_kind(str(r.get('detail')))}",
            )
    c = section.counts
    section.extra["lines"] = [
        f"refused-at-load {c['refused-at-load']} (unlocated {c['unlocated']})  "
        f"load-other {c['load-other']}",
        f"refused-by-validate {c['refused-by-validate']}  validate-other "
        f"{c['validate-other']}  validate-engine-error {c['validate-engine-error']}",
        f"validated+evaluated {c['validated+evaluated']}  failed-at-evaluation "
        f"{c['failed-at-evaluation']}",
        figures(c, ["unexpected", "crashes", "hangs"])
        + "  ("
        + ", ".join(f"{k} {sources[k]}" for k in ("minimal", "national", "generated"))
        + ")",
    ]
    return section
