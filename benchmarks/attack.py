"""Attack harness: the attacks of issue #6, re-run against the current code, with figures.

What it attacks, section by section (the counts are those of a full run):

1. records: 24,000 random rows for ``vn.commune.ntm.2021`` (valid, near-valid and junk: wrong
   types, huge and non-finite numbers, Unicode forms, lone surrogates, control characters,
   duplicate keys and columns, JSON nested 100,000 deep, ambiguous CSV numbers, short rows,
   duplicate codes) through ``evaluate``, ``Evaluator.evaluate`` and ``load_records`` on JSON
   and CSV files. Only the library's errors may escape; a row read silently wrong is counted.
2. rulesets: 2,400 mutated copies of ``tests/fixtures/minimal-valid.yaml`` and of the national
   ruleset, and generated rulesets up to 1,400 indicators and 64 criteria, each through
   ``load_ruleset``, ``prove_runs`` (what ``ntm-rules validate`` does) and, when it validates,
   5 evaluations. Run in worker processes, so that an abort or a segfault is counted.
3. hand-made files (459 cases): one group per finding of the issue (text literals, engine
   limits, numbers the engine cannot hold, division by zero, ``--output`` to links, FIFOs and
   devices, duplicate keys, ambiguous numbers, years and dates, a 4 MB comment line, non-UTF-8
   neighbours, line endings and the content hash, usage errors, messages that show numbers
   exactly, YAML tags and expression injection), each with its expected outcome.
4. one process: 200,000 evaluations of the national ruleset; memory, engine rulesets, rate.
   It runs in the background, beside sections 5-7 (one core each).
5. threads: 4 threads evaluate the same 500 records; every result equals the sequential one.
6. forks: 30 forks while 2 threads evaluate; each child evaluates and builds an evaluator.
7. kills: ``ntm-rules evaluate ... --output OUT`` killed by SIGTERM, SIGINT, SIGHUP and SIGKILL
   at random moments; OUT must be the old content or the complete new one, and no temporary
   file may be left once a later run has written OUT.

Run from the repository root, in the project's environment::

    python benchmarks/attack.py            # full run: 8 to 12 minutes on 2 cores
    python benchmarks/attack.py --quick    # smoke run: about 1.5 minutes
    python benchmarks/attack.py --json attack.json

The report is plain text, at most 80 columns; the exit code is 1 if any attack found a
failure. Every random choice derives from ``--seed``, so a failure can be replayed.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import datetime as dt
import difflib
import functools
import hashlib
import io
import json
import logging
import math
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import attrs

import ntm_rules
from ntm_rules import (
    EngineError,
    EvaluationError,
    Evaluator,
    InputError,
    NtmRulesError,
    RulesetError,
    evaluator_for,
    load_ruleset,
)
from ntm_rules.engine.durable_host import live_rulesets
from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.structuring import load_records
from ntm_rules.models.vocabulary import FieldSpec, field_specs
from ntm_rules.ruleset.model import Ruleset
from ntm_rules.ruleset.registry import ruleset_files
from ntm_rules.validation import prove_runs

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the generators of test rulesets

from generated_rulesets import (  # noqa: E402
    BOOLS,
    NUMBERS,
    random_record,
    random_ruleset,
    ruleset_text,
    uniform,
)

NATIONAL_ID = "vn.commune.ntm.2021"
SONLA_ID = "sonla.commune.ntm.2021"
NATIONAL_FILE = REPO / "rulesets" / "national" / "commune-ntm-2021.yaml"
SONLA_FILE = REPO / "rulesets" / "son-la" / "commune-ntm-2021.yaml"
MINIMAL_FILE = REPO / "tests" / "fixtures" / "minimal-valid.yaml"
GENERATOR = REPO / "examples" / "generate_sonla.py"
WIDTH = 80
MARK = "@@"  # the prefix of a worker's result lines on its standard output

SPECS = {s.name: s for s in field_specs(Commune2021)}
IDENTITY = ("code", "name", "province", "district", "region", "year")
FLAGS = ("dbkk", "atk", "poor_district")
MEASURES = [s for s in SPECS.values() if s.name not in IDENTITY and s.name not in FLAGS]
BOOL_FIELDS = [s.name for s in MEASURES if s.kind == "bool"]
NUMBER_FIELDS = [s.name for s in MEASURES if s.kind == "number"]
PERCENT_FIELDS = [n for n in NUMBER_FIELDS if SPECS[n].maximum == 100]
AMOUNT_FIELDS = [n for n in NUMBER_FIELDS if SPECS[n].maximum is None]
COUNT_FIELDS = [s.name for s in MEASURES if s.kind == "int" and s.unit == "count"]
YEAR_FIELDS = [s.name for s in MEASURES if s.kind == "int" and s.unit == "year"]
REGIONS = SPECS["region"].choices
PLACES = (
    "Sơn La",
    "Mộc Châu",
    "Hà Nội",
    "Đắk Lắk",
    "Thừa Thiên Huế",
    "Bà Rịa - Vũng Tàu",
    "Quỳnh Nhai",
    "Mường La",
    "Sốp Cộp",
    "Phù Yên",
    "Ea H'Leo",
    "Bản Phủ 🌾",
)
TRUE_WORDS = ("true", "1", "yes", "có", "đạt", "x", "TRUE", "Có", "ĐẠT", "X")
FALSE_WORDS = ("false", "0", "no", "không", "không đạt", "chưa đạt", "KHÔNG", "Không Đạt")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def short(text: object, limit: int = 160) -> str:
    """One line, at most ``limit`` characters, unprintable characters escaped."""
    flat = " ".join(str(text).split())
    flat = "".join(c if c.isprintable() else ascii(c)[1:-1] for c in flat)
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def last_frames(exc: BaseException, frames: int = 4) -> str:
    """The exception and the last frames of its traceback, on one line."""
    where = traceback.extract_tb(exc.__traceback__)[-frames:]
    path = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(where))
    return f"{type(exc).__name__}: {short(exc, 200)} [{path}]"


def rss_mb() -> float:
    """This process's resident memory (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# ============================================================================================
# Sections, failures and the report
# ============================================================================================
@dataclass
class Section:
    """The figures of one attack: counts by outcome, extra figures, and the failures."""

    key: str
    title: str
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    kinds: list[str] = field(default_factory=list)  # one per failure, for the summary

    def fail(self, message: str, kind: str | None = None) -> None:
        """Record a failure; ``kind`` groups alike failures in the report."""
        self.failures.append(message)
        self.kinds.append(kind or message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "counts": self.counts,
            **self.extra,
            "failures": self.failures,
            "seconds": round(self.seconds, 1),
        }


def report_lines(section: Section, lines: list[str]) -> list[str]:
    """``records      24000  evaluated ...``: the section's first line, then the others
    indented under the figures, every line at most 80 columns."""
    head = f"{section.title:<13} {section.total:>6}  "
    out: list[str] = []
    indent = " " * len(head)
    for n, line in enumerate(lines):
        words = textwrap.wrap(line, WIDTH - len(head), break_long_words=True) or [""]
        for k, part in enumerate(words):
            out.append((head if n == 0 and k == 0 else indent) + part)
    return out


def figures(counts: dict[str, int], names: Iterable[str]) -> str:
    return "  ".join(f"{name} {counts.get(name, 0)}" for name in names)


# ============================================================================================
# Worker processes: cases run in chunks, a crash ends one case and not the harness
# ============================================================================================
def run_in_workers(
    kind: str,
    count: int,
    seed: int,
    scratch: Path,
    *,
    chunk: int,
    jobs: int,
    timeout: float = 180.0,
) -> dict[int, dict[str, Any]]:
    """Run cases ``0..count-1`` of ``kind`` in worker processes (``jobs`` at a time, ``chunk``
    cases each). A worker prints one line per case; when it dies (a signal, or silence for
    ``timeout`` seconds) the first case without a line is recorded as a crash or a hang and a
    new worker goes on with the next one."""
    results: dict[int, dict[str, Any]] = {}
    lock = threading.Lock()

    def run_chunk(first: int, last: int) -> None:
        start = first
        while start < last:
            errors = scratch / f"{kind}-{start}.stderr"
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "--worker",
                kind,
                "--seed",
                str(seed),
                "--first",
                str(start),
                "--last",
                str(last),
                "--scratch",
                str(scratch),
            ]
            with errors.open("wb") as err:
                proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=err, text=True)
            progress = [time.monotonic()]
            hung = threading.Event()

            def watchdog(
                proc: subprocess.Popen[str] = proc,
                progress: list[float] = progress,
                hung: threading.Event = hung,
            ) -> None:
                while proc.poll() is None:
                    if time.monotonic() - progress[0] > timeout:
                        hung.set()
                        proc.kill()
                        return
                    time.sleep(0.5)

            guard = threading.Thread(target=watchdog, daemon=True)
            guard.start()
            assert proc.stdout is not None
            reached = start
            for line in proc.stdout:
                if not line.startswith(MARK):
                    continue
                row = json.loads(line[len(MARK) :])
                progress[0] = time.monotonic()
                with lock:
                    results[row["i"]] = row
                reached = row["i"] + 1
            code = proc.wait()
            guard.join()
            tail = short(errors.read_text(errors="replace")[-600:], 300)
            errors.unlink()
            if reached >= last and code == 0:
                return
            if reached < last:
                if hung.is_set():
                    outcome, detail = "hang", f"no result for {timeout:.0f} s; killed"
                elif code < 0:
                    outcome = "crash"
                    detail = f"killed by {signal.Signals(-code).name}; stderr: {tail}"
                else:
                    outcome, detail = "crash", f"worker exited {code}; stderr: {tail}"
                with lock:
                    results[reached] = {"i": reached, "outcome": outcome, "detail": detail}
                start = reached + 1
            else:
                return

    chunks = [(a, min(a + chunk, count)) for a in range(0, count, chunk)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in [pool.submit(run_chunk, a, b) for a, b in chunks]:
            future.result()
    return results


def worker_main(kind: str, seed: int, first: int, last: int, scratch: Path) -> None:
    """The worker side of :func:`run_in_workers`: one ``@@{json}`` line per case."""
    run = {"records": run_record_case, "rulesets": run_ruleset_case}[kind]
    own = Path(tempfile.mkdtemp(prefix=f"{kind}-{first}-", dir=scratch))
    for i in range(first, last):
        try:
            row = run(seed, i, own)
        except Exception as exc:  # a bug of the harness itself: reported, never hidden
            row = {"outcome": "harness-error", "detail": last_frames(exc)}
        row["i"] = i
        sys.stdout.write(MARK + json.dumps(row, ensure_ascii=True) + "\n")
        sys.stdout.flush()
    shutil.rmtree(own, ignore_errors=True)


# ============================================================================================
# 1. Records
# ============================================================================================
@dataclass(frozen=True)
class Raw:
    """A literal written as is into a JSON or CSV file (``1e400``, 5,000 digits, ``41.500``)."""

    text: str


Pairs = list[tuple[Any, Any]]


@dataclass
class RecordCase:
    """One attack on the input path: the rows, how they are sent, and what must happen."""

    transport: str  # dict (ntm_rules.evaluate), evaluator (Evaluator.evaluate), json, csv
    tag: str
    rows: list[Pairs]
    expected: list[dict[str, Any]]  # per row: field -> value as it must be read
    expect: str = "ok"  # ok: evaluated; input: an InputError; error: any library error
    fields: frozenset[str | None] | None = None  # what InputError.field may be; None: unchecked
    ruleset: str = NATIONAL_ID
    raw: bytes | None = None  # the whole file, when the file itself is the attack
    short_row: int = 0  # CSV: cells removed from (negative: added to) the data row
    bom: bool = False

    def refuse(self, *fields: str | None, expect: str = "input") -> None:
        self.expect = expect
        self.fields = frozenset(fields) if fields else None

    def set(self, key: Any, value: Any, expected: Any = ..., row: int = 0) -> None:
        """Set ``key`` in a row (replacing it where it is), and what it must read as."""
        pairs = self.rows[row]
        for n, (name, _) in enumerate(pairs):
            if name == key:
                pairs[n] = (key, value)
                break
        else:
            pairs.append((key, value))
        if expected is not ...:
            self.expected[row][key] = expected
        else:
            self.expected[row].pop(key, None)

    def remove(self, key: str, row: int = 0) -> None:
        self.rows[row][:] = [(k, v) for k, v in self.rows[row] if k != key]
        self.expected[row].pop(key, None)


def text_variant(rng: random.Random, text: str) -> str:
    """``text`` as a user may send it: NFC or NFD, with spaces around or not."""
    form = rng.choice([nfc, nfc, nfd])
    pad = rng.choice(["", "", " ", "  ", "\t", "\u00a0", " \n"])
    return pad + form(text) + rng.choice(["", "", " ", "\u00a0"])


def valid_number(rng: random.Random, spec: FieldSpec) -> float | int:
    if spec.kind == "int":
        if spec.unit == "year":
            return rng.randint(2010, 2025)
        return rng.randint(0, 40)
    top = 100 if spec.maximum == 100 else rng.choice([100, 200, 1000])
    roll = rng.random()
    if roll < 0.3:
        return rng.randint(0, top)
    if roll < 0.4:
        return float(rng.randint(0, top))
    return round(rng.uniform(0, top), rng.randint(1, 3))


def valid_row(rng: random.Random, code: str) -> tuple[Pairs, dict[str, Any]]:
    """A valid record and what each of its fields must read as."""
    pairs: Pairs = [("code", text_variant(rng, code)), ("region", rng.choice(REGIONS))]
    pairs.append(("year", rng.randint(2022, 2025)))
    for name in ("name", "province", "district"):
        if rng.random() < 0.6:
            pairs.append((name, text_variant(rng, rng.choice(PLACES))))
    for flag in FLAGS:
        if rng.random() < 0.15:
            pairs.append((flag, rng.random() < 0.5))
    density = rng.uniform(0.1, 1.0)
    for spec in MEASURES:
        if rng.random() < density:
            if spec.kind == "bool":
                value: Any = rng.random() < 0.6
            elif rng.random() < 0.03:
                value = None
            else:
                value = valid_number(rng, spec)
            pairs.append((spec.name, value))
    rng.shuffle(pairs)
    expected = {k: (nfc(v).strip() or None) if isinstance(v, str) else v for k, v in pairs}
    return pairs, expected


# Each mutation changes a valid case into an attack and says what must happen. It is given
# the case and a random source; the transports it applies to are listed with it.
PY = frozenset({"dict", "evaluator"})
JSON_ONLY = frozenset({"json"})
CSV_ONLY = frozenset({"csv"})
FILES = frozenset({"json", "csv"})
NOT_CSV = PY | JSON_ONLY
ALL = PY | FILES

Mutation = Callable[[RecordCase, random.Random], None]


def _pick(rng: random.Random, names: list[str]) -> str:
    return rng.choice(names)


def m_text_for_number(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, NUMBER_FIELDS + COUNT_FIELDS)
    if case.transport == "csv":
        case.set(name, Raw(rng.choice(["abc", "tám mươi", "N/A", "—", "50%", "~5"])))
    else:
        case.set(name, rng.choice(["80", "41.5", "abc", "Có", "1e3", "NaN"]))
    case.refuse(name)


def m_bool_for_number(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, NUMBER_FIELDS + COUNT_FIELDS)
    case.set(name, rng.random() < 0.5)
    case.refuse(name)


def m_number_for_bool(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, BOOL_FIELDS)
    if case.transport == "csv":
        case.set(name, Raw(rng.choice(["2", "maybe", "oui", "có thể", "-1", "0.5", "đúng"])))
    else:
        case.set(name, rng.choice([1, 0, 1.0, "yes", "true", "có", [True]]))
    case.refuse(name)


def m_number_for_text(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(["code", "name", "province", "district", "region"])
    case.set(name, rng.choice([123, 1.5, True, ["Sơn La"], {"vi": "Sơn La"}, 10**20]))
    case.refuse(name)


def m_container(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, NUMBER_FIELDS + BOOL_FIELDS)
    case.set(name, rng.choice([[1, 2], {"a": 1}, [], {}, [[[]]]]))
    case.refuse(name)


def m_out_of_range(case: RecordCase, rng: random.Random) -> None:
    if rng.random() < 0.7:
        name = _pick(rng, PERCENT_FIELDS)
        value = rng.choice([100.0000001, 101, -1, -0.0001, 1e15, 100.00000000000001, 250.5])
    else:
        name = _pick(rng, AMOUNT_FIELDS + COUNT_FIELDS)
        value = rng.choice([-1, -0.5, -(10**15)])
    case.set(
        name, Raw(repr(value).replace(".", rng.choice(".,"))) if case.transport == "csv" else value
    )
    case.refuse(name)


def m_magnitude(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, AMOUNT_FIELDS + COUNT_FIELDS)
    if case.transport == "csv":
        case.set(name, Raw(rng.choice(["10000000000000000", "99999999999999999999", "1" * 40])))
    elif case.transport == "json":
        case.set(name, Raw(rng.choice(["1e16", "-1e16", "10000000000000001", "1e300", "1.5e15"])))
    else:
        case.set(name, rng.choice([1e16, 10**16, -1e16, 1e300, 10**15 + 1, 2**63]))
    case.refuse(name)


def m_boundary_ok(case: RecordCase, rng: random.Random) -> None:
    if rng.random() < 0.5:
        name, value = _pick(rng, AMOUNT_FIELDS), rng.choice([1e15, 10**15, 0, 0.0])
    else:
        name, value = _pick(rng, PERCENT_FIELDS), rng.choice([100, 100.0, 0, 0.0, 99.9999999])
    if case.transport == "csv":
        text = str(int(value)) if float(value).is_integer() else repr(value)
        case.set(name, Raw(text), float(value))
    else:
        case.set(name, value, value)


def m_non_finite(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, NUMBER_FIELDS + COUNT_FIELDS)
    if case.transport == "json":
        case.set(name, Raw(rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])))
    elif case.transport == "csv":
        case.set(name, Raw(rng.choice(["nan", "inf", "-inf", "Infinity", "NaN"])))
    else:
        case.set(name, rng.choice([math.nan, math.inf, -math.inf]))
    case.refuse(name)


def m_huge_int(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, NUMBER_FIELDS + COUNT_FIELDS + ["year"])
    if case.transport in FILES:
        digits = rng.choice([5000, 4301, 400, 309, 21])
        case.set(name, Raw(rng.choice(["", "-"]) + "9" * digits))
    else:
        case.set(name, rng.choice([10**5000, -(10**5000), 2**2000, 10**309, 10**400]))
    case.refuse(name)


def m_tiny(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, AMOUNT_FIELDS)
    if case.transport == "json":
        if rng.random() < 0.5:
            case.set(name, Raw("1e-400"))
            case.refuse(name)
        else:
            case.set(name, Raw("5e-324"), 5e-324)
    elif case.transport == "csv":
        case.set(name, Raw(rng.choice(["0,0000001", "0.0000001"])), 1e-7)
    else:
        case.set(name, 5e-324, 5e-324)


def m_unknown_field(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(["bogus", "income", "Thu nhập", "income_per_capita_", "🌾", "", " "])
    case.set(name, 1 if case.transport != "csv" else Raw("1"))
    case.refuse(None)


def m_missing_required(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(["code", "region"])
    if rng.random() < 0.5:
        case.remove(name)
    else:
        case.set(name, rng.choice(["", "   ", "\t"]))
    case.refuse(name)


def m_bad_region(case: RecordCase, rng: random.Random) -> None:
    if rng.random() < 0.25:
        value = rng.choice(["  tn\t", " dbsh", nfd("tn") + " ", "\u00a0dnb"])
        case.set("region", value, value.strip())
        return
    case.set("region", rng.choice(["Tây Nguyên", "TN", "t n", "north", "tdmnpb\u200b", "tây"]))
    case.refuse("region")


def m_control_char(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(["code", "name", "district"])
    char = rng.choice(["\x07", "\x1b", "\u200b", "\u202e", "\ufeff", "\u00ad", "\x7f"])
    if case.transport != "csv" and rng.random() < 0.3:
        char = "\x00"
    case.set(name, f"Mộc{char}Châu")
    case.refuse(name)


def m_nul_in_csv(case: RecordCase, rng: random.Random) -> None:
    case.set("name", Raw("Mộc\x00Châu"))
    case.refuse("name", None)  # the CSV reader may refuse the line before the field


def m_surrogate(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(["code", "name", "province"])
    case.set(name, rng.choice(["\ud800", "Sơn\udfffLa", "\udc80x"]))
    case.refuse(name)


def m_surrogate_bytes(case: RecordCase, rng: random.Random) -> None:
    """A lone surrogate encoded in the file as bytes: not UTF-8."""
    case.set(rng.choice(["code", "name"]), Raw("Sơn\ud800La"))
    case.refuse(None)


def m_text_forms(case: RecordCase, rng: random.Random) -> None:
    for name in rng.sample(["code", "name", "province", "district"], rng.randint(1, 3)):
        value = text_variant(rng, rng.choice(PLACES))
        value = nfd(value) if rng.random() < 0.5 else value
        case.set(name, value, nfc(value).strip())


def m_blank_text(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(["name", "province", "district"])
    case.set(name, rng.choice(["", " ", "\t", "\u00a0", "  \n "]), None)


def m_long_text(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(["code", "name", "district"])
    case.set(name, rng.choice(["x" * 501, "Sơn La " * 80, "🌾" * 600]))
    case.refuse(name)


def m_bad_year(case: RecordCase, rng: random.Random) -> None:
    values: list[Any] = [0, 10000, -1, 1989, 2101, 99999]
    if case.transport != "csv":
        values += ["2023", True, " 2023"]
    value = rng.choice(values)
    if case.transport == "json" and rng.random() < 0.3:
        value = Raw(rng.choice(["2023.5", "1e4", "-0.5"]))
    case.set("year", Raw(str(value)) if case.transport == "csv" else value)
    case.refuse("year")


def m_float_year(case: RecordCase, rng: random.Random) -> None:
    if case.transport == "json":
        case.set("year", Raw(rng.choice(["2023.0", "2023.000", "2.023e3"])), 2023)
    elif case.transport == "csv":
        case.set("year", Raw(rng.choice(["2023,0", "2023.0", " 2023 "])), 2023)
    else:
        case.set("year", 2023.0, 2023)


def m_year_outside(case: RecordCase, rng: random.Random) -> None:
    if rng.random() < 0.2:
        case.remove("year")
    else:
        year = rng.choice([1990, 2021, 2026, 2100])
        case.set("year", Raw(str(year)) if case.transport == "csv" else year)
    case.refuse(expect="error")


def m_count(case: RecordCase, rng: random.Random) -> None:
    """Whole-number fields: an integral float is that integer; anything else is refused."""
    name = _pick(rng, COUNT_FIELDS)
    read: int | None  # what the value must read as; None: refused
    if case.transport in PY:
        value = rng.choice([3.0, 3.5, 0.0, 1e3, 2.5])
        read = int(value) if value.is_integer() else None
        sent: Any = value
    else:
        choices = (
            [("1e3", 1000), ("3.0", 3), ("3.5", None), ("1.5e0", None)]
            if case.transport == "json"
            else [
                ("1e3", None),
                ("12,0", 12),
                ("12.0", 12),
                ("12,5", None),
                ("+7", 7),
                ("1E3", None),
            ]
        )
        text, read = rng.choice(choices)
        sent = Raw(text)
    if read is None:
        case.set(name, sent)
        case.refuse(name)
    else:
        case.set(name, sent, read)


CSV_AMBIGUOUS = ("41.500", "41,500", "1,234", "999.000", "-41.500", "100.000", "5,125")
CSV_STRICT = (
    "4_1.5",
    "４１",
    "1 234",
    "1.234.567",
    "١٢",
    ".5",
    "5.",
    "0x10",
    "1e3",
    "41.5%",
    "--1",
    "1,2,3",
    "12 000,5",
    "4\u00a0000",
    "IV",
)
CSV_OK = (
    ("41,5", 41.5),
    ("41.5", 41.5),
    ("041.500", 41.5),
    (" 41,5 ", 41.5),
    ("41.5000", 41.5),
    ("1234,5", 1234.5),
    ("+7", 7.0),
    ("0,0", 0.0),
    ("1000", 1000.0),
    ("12,25", 12.25),
)


def m_csv_number(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, AMOUNT_FIELDS)
    roll = rng.random()
    if roll < 0.35:
        case.set(name, Raw(rng.choice(CSV_AMBIGUOUS)))
        case.refuse(name)
    elif roll < 0.7:
        case.set(name, Raw(rng.choice(CSV_STRICT)))
        case.refuse(name)
    else:
        text, value = rng.choice(CSV_OK)
        case.set(name, Raw(text), value)


def m_csv_bool(case: RecordCase, rng: random.Random) -> None:
    name = _pick(rng, BOOL_FIELDS)
    if rng.random() < 0.6:
        value = rng.random() < 0.5
        word = rng.choice(TRUE_WORDS if value else FALSE_WORDS)
        case.set(name, Raw(nfd(word) if rng.random() < 0.3 else word), value)
    else:
        case.set(name, Raw(rng.choice(["maybe", "2", "oui", "có thể", "ok", "T", "-"])))
        case.refuse(name)


def m_csv_short_row(case: RecordCase, rng: random.Random) -> None:
    case.short_row = rng.choice([1, 2, len(case.rows[0]) - 1, -1, -3])
    case.refuse(None)


def m_duplicate_key(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice([k for k, _ in case.rows[0] if isinstance(k, str)])
    spelled = rng.choice([name, " " + name, name + " ", name + "\u00a0", "\t" + name])
    if case.transport in PY and spelled == name:
        spelled = name + " "  # a dict cannot hold one key twice
    value = dict(case.rows[0])[name]
    case.rows[0].insert(rng.randrange(len(case.rows[0]) + 1), (spelled, value))
    case.refuse(name)


def m_deep(case: RecordCase, rng: random.Random) -> None:
    depth = rng.choice([100_000, 20_000, 1_001])
    name = _pick(rng, NUMBER_FIELDS)
    if case.transport == "json":
        if rng.random() < 0.5:
            case.raw = ("[" * depth + "]" * depth).encode()
        else:
            case.set(name, Raw("[" * depth + "]" * depth))
        case.refuse(None)
        return
    nested: list[Any] = []
    for _ in range(depth):
        nested = [nested]
    case.set(name, nested)
    case.refuse(name)


def m_not_object(case: RecordCase, rng: random.Random) -> None:
    if case.transport == "json":
        text = rng.choice(['["x"]', "[42]", "[null]", "[[1, 2]]", '{"units": 5}', "5", '"x"'])
        case.raw = text.encode()
        case.refuse(None)
    else:
        case.rows[0] = [("__not_a_mapping__", rng.choice([[1, 2], "text", None, 42, ("a", 1)]))]
        case.refuse(expect="error")


def m_empty(case: RecordCase, rng: random.Random) -> None:
    case.rows[0] = []
    case.expected[0] = {}
    case.refuse("code", "region")


def m_non_text_key(case: RecordCase, rng: random.Random) -> None:
    case.rows[0].append((rng.choice([1, None, ("a",), b"code", 2.5, True]), 1))
    case.refuse(None)


def m_invalid_json(case: RecordCase, rng: random.Random) -> None:
    case.raw = rng.choice(
        [b'[{"code": "A", "region": "tn",}]', b"[{'code': 'A'}]", b'[{"code": "A"', b"", b"\xff"]
    )
    case.refuse(None)


def m_duplicate_codes(case: RecordCase, rng: random.Random) -> None:
    code = rng.choice(["Mộc Châu 01", "SL-001", "Sốp Cộp"])
    second, clash = rng.choice(
        [
            (nfd(code), True),
            (code + " ", True),
            (" " + code, True),
            (code + "\u00a0", True),
            (code, True),
            (code + "2", False),
        ]
    )
    case.rows = [
        [("code", code), ("region", "tn"), ("year", 2024), ("name", "A")],
        [("code", second), ("region", "dbsh"), ("year", 2024), ("name", "B")],
    ]
    case.expected = [{"code": nfc(code)}, {"code": nfc(second).strip()}]
    if clash:
        case.refuse("code")


def m_province(case: RecordCase, rng: random.Random) -> None:
    case.ruleset = SONLA_ID
    if rng.random() < 0.8:
        value = rng.choice([nfd("Sơn La"), " Sơn La ", "Sơn La", nfd(" Sơn La\u00a0")])
        case.set("province", value, "Sơn La")
    else:
        case.set("province", rng.choice(["Hà Nội", "Son La", "Sơn  La"]))
        case.refuse(expect="error")


MUTATIONS: list[tuple[str, frozenset[str], int, Mutation]] = [
    ("type:text-for-number", ALL, 6, m_text_for_number),
    ("type:bool-for-number", NOT_CSV, 3, m_bool_for_number),
    ("type:number-for-bool", ALL, 4, m_number_for_bool),
    ("type:number-for-text", NOT_CSV, 3, m_number_for_text),
    ("type:container", NOT_CSV, 2, m_container),
    ("range:out", ALL, 5, m_out_of_range),
    ("range:magnitude", ALL, 4, m_magnitude),
    ("range:boundary-ok", ALL, 3, m_boundary_ok),
    ("number:non-finite", ALL, 5, m_non_finite),
    ("number:huge-int", ALL, 4, m_huge_int),
    ("number:tiny", ALL, 2, m_tiny),
    ("field:unknown", ALL, 3, m_unknown_field),
    ("field:missing-required", ALL, 3, m_missing_required),
    ("field:region", ALL, 3, m_bad_region),
    ("text:control", ALL, 4, m_control_char),
    ("text:nul-csv", CSV_ONLY, 1, m_nul_in_csv),
    ("text:surrogate", NOT_CSV, 3, m_surrogate),
    ("text:surrogate-bytes", FILES, 2, m_surrogate_bytes),
    ("text:forms", ALL, 6, m_text_forms),
    ("text:blank", ALL, 2, m_blank_text),
    ("text:long", ALL, 2, m_long_text),
    ("year:bad", ALL, 4, m_bad_year),
    ("year:float", ALL, 2, m_float_year),
    ("year:outside", ALL, 2, m_year_outside),
    ("count:float", ALL, 3, m_count),
    ("csv:number", CSV_ONLY, 10, m_csv_number),
    ("csv:bool", CSV_ONLY, 4, m_csv_bool),
    ("csv:short-row", CSV_ONLY, 3, m_csv_short_row),
    ("dup:key", ALL, 5, m_duplicate_key),
    ("deep", NOT_CSV, 1, m_deep),
    ("junk:not-object", NOT_CSV, 2, m_not_object),
    ("junk:empty", NOT_CSV, 1, m_empty),
    ("junk:non-text-key", PY, 2, m_non_text_key),
    ("junk:invalid-json", JSON_ONLY, 2, m_invalid_json),
    ("dup:code", FILES, 4, m_duplicate_codes),
    ("province:sonla", ALL, 3, m_province),
]


def record_case(seed: int, i: int) -> RecordCase:
    """Case ``i``: a valid record (35 %) or one mutation of it."""
    rng = random.Random(f"{seed}:records:{i}")
    transport = rng.choices(["dict", "evaluator", "json", "csv"], weights=[30, 30, 25, 15])[0]
    pairs, expected = valid_row(rng, f"SL-{i:05d}")
    case = RecordCase(transport, "valid", [pairs], [expected])
    if transport == "csv":
        case.bom = rng.random() < 0.2
    if rng.random() < 0.35:
        if rng.random() < 0.1:
            m_province(case, rng)
            case.tag = "valid:sonla"
        return case
    usable = [m for m in MUTATIONS if transport in m[1]]
    tag, _, _, mutate = rng.choices(usable, weights=[m[2] for m in usable])[0]
    case.tag = tag
    mutate(case, rng)
    return case


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
        row["outcome"] = "input"
        if not isinstance(exc.record, str) or not exc.record:
            row["unnamed"] = f"no record in: {short(exc)}"
        elif case.fields is not None and None not in case.fields and exc.field not in case.fields:
            row["unnamed"] = (
                f"field {exc.field!r}, expected {sorted(map(str, case.fields))}: {short(exc)}"
            )
        if case.expect == "ok":
            row["refused"] = short(exc)
        row["detail"] = short(exc)
        return row
    except NtmRulesError as exc:
        row["outcome"] = "other"
        if case.expect == "ok":
            row["refused"] = f"{type(exc).__name__}: {short(exc)}"
        elif case.expect == "input":
            row["unnamed"] = f"{type(exc).__name__}, not InputError: {short(exc)}"
        row["detail"] = short(exc)
        return row
    except Exception as exc:
        row["outcome"] = "unexpected"
        row["detail"] = last_frames(exc)
        return row
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


# ============================================================================================
# 2. Rulesets
# ============================================================================================
MINIMAL_TEXT = MINIMAL_FILE.read_text(encoding="utf-8")
NATIONAL_TEXT = NATIONAL_FILE.read_text(encoding="utf-8")
JUNK_VALUES = (
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
    "2022-02-30",
    "0001-01-01",
    "9999-12-31",
    "2030-01-01",
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
        keyed = [k for k, line in enumerate(lines) if _KEY_LINE.match(line)]
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
        elif op == "replace-value" and keyed:
            k = rng.choice(keyed)
            match = _KEY_LINE.match(lines[k])
            assert match is not None
            lines[k] = f"{match.group(1)}{match.group(2)}: {rng.choice(JUNK_VALUES)}"
        elif op == "insert-key" and keyed:
            k = rng.choice(keyed)
            match = _KEY_LINE.match(lines[k])
            assert match is not None
            spaces = " " * len(match.group(1))
            lines.insert(k + 1, f"{spaces}{rng.choice(JUNK_KEYS)}: {rng.choice(JUNK_VALUES)}")
        elif op == "duplicate-line":
            lines.insert(n, lines[n])
        elif op == "number":
            candidates = [k for k, line in enumerate(lines) if _NUMBER.search(line)]
            if candidates:
                k = rng.choice(candidates)
                spots = list(_NUMBER.finditer(lines[k]))
                spot = rng.choice(spots)
                junk = rng.choice(JUNK_VALUES[:14])
                lines[k] = lines[k][: spot.start()] + junk + lines[k][spot.end() :]
        elif op == "condition":
            candidates = [k for k, line in enumerate(lines) if _CONDITION.match(line)]
            if candidates:
                k = rng.choice(candidates)
                match = _CONDITION.match(lines[k])
                assert match is not None
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
            candidates = [k for k, line in enumerate(lines) if _DATE.search(line)]
            if candidates:
                k = rng.choice(candidates)
                junk = rng.choice(
                    [
                        "2022-02-30",
                        "0001-01-01",
                        "9999-12-31",
                        "2030-01-01",
                        "2021-13-01",
                        "1900-01-01",
                        "2022-3-8",
                    ]
                )
                lines[k] = _DATE.sub(junk, lines[k], count=1)
        elif op == "inline":
            candidates = [k for k, line in enumerate(lines) if "{" in line and ":" in line]
            if candidates:
                k = rng.choice(candidates)
                pairs = list(re.finditer(r"(\w+): ([^,}]+)", lines[k]))
                if pairs:
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
            row["outcome"] = "load"
            if not exc.file or exc.line is None:
                row["unlocated"] = short(exc)
            row["detail"] = short(exc)
            return row
        except NtmRulesError as exc:
            row["outcome"] = "load-other"
            row["detail"] = f"{type(exc).__name__}: {short(exc)}"
            return row
        stage = "validate"
        try:
            prove_runs(ruleset)
        except RulesetError as exc:
            row["outcome"] = "validate"
            row["detail"] = short(exc)
            return row
        except EngineError as exc:
            row["outcome"] = "validate-engine"
            row["detail"] = short(exc)
            return row
        except NtmRulesError as exc:
            row["outcome"] = "validate-other"
            row["detail"] = f"{type(exc).__name__}: {short(exc)}"
            return row
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
        row["outcome"] = "failed-at-evaluation" if stage == "evaluate" else "unexpected"
        row["detail"] = f"{stage}: {last_frames(exc)}"
        return row
    except Exception as exc:
        row["outcome"] = "unexpected"
        row["detail"] = f"{stage}: {last_frames(exc)}"
        return row
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


# ============================================================================================
# 3. Hand-made files: one group per finding of the issue, each case with its expected outcome
# ============================================================================================
class CaseFailed(Exception):
    """A hand-made case did not get its expected outcome."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CaseFailed(message)


@dataclass
class Case:
    group: str
    name: str
    run: Callable[[Path], None]  # given its own empty folder; raises CaseFailed


INTERNAL = ("internal error", "lỗi nội bộ", "Traceback")


def cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m ntm_rules ARGS`` in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "NTM_RULES_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "ntm_rules", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=env,
        check=False,
    )


def error_line(proc: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The one error line of a failed command (exit ``code``), never an internal error."""
    check(
        proc.returncode == code,
        f"exit code {proc.returncode}, expected {code}; stderr: {short(proc.stderr)}",
    )
    lines = proc.stderr.strip().splitlines()
    check(len(lines) == 1, f"{len(lines)} lines on stderr: {short(proc.stderr)}")
    check(lines[0].startswith(("Lỗi: ", "Error: ")), f"not an error line: {short(lines[0])}")
    check(not any(m in lines[0] for m in INTERNAL), f"internal error: {short(lines[0])}")
    return lines[0]


def succeeded(proc: subprocess.CompletedProcess[str]) -> None:
    check(
        proc.returncode == 0,
        f"exit code {proc.returncode}; stderr: {short(proc.stderr)}",
    )
    check("Traceback" not in proc.stderr, f"traceback: {short(proc.stderr)}")


def raises(kind: type[Exception], call: Callable[[], Any]) -> Any:
    """The ``kind`` exception ``call`` raises; a failure if it raises nothing or another."""
    try:
        call()
    except kind as exc:
        return exc
    except Exception as exc:
        raise CaseFailed(f"{last_frames(exc)}, expected {kind.__name__}") from None
    raise CaseFailed(f"no error, expected {kind.__name__}")


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of ``text`` that holds ``fragment`` (the first one)."""
    fragment = fragment.strip("\n")
    return next(n for n, line in enumerate(text.split("\n"), 1) if fragment in line)


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def json_rows(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1)


def find_indicator(result: Any, indicator: str) -> Any:
    return next(i for i in result.indicators if i.id == indicator)


BASE = {"code": "A", "region": "tn", "year": 2024}


# -- text literals (issue item 1) --------------------------------------------------------------
LITERALS = (
    "Mộc Châu",
    "Sơn La",
    "Hà Nội",
    "Đắk Lắk",
    "Thừa Thiên Huế",
    "Bà Rịa - Vũng Tàu",
    "Bản Phủ 🌾",
    "Ea H'Leo",
)
TEXT_OPS = (("==", "district"), ("!=", "name"), ("in", "province"), ("not in", "district"))
TEXT_INPUTS = ("exact", "nfd", "padded", "other", "missing")


def literal_source(text: str) -> str:
    """A text literal inside a YAML double-quoted condition."""
    return f'\\"{text}\\"' if "'" in text else f"'{text}'"


def literal_condition(literal: str, op: str, name: str) -> str:
    other = "Hà Nội" if literal != "Hà Nội" else "Sơn La"
    if op in ("in", "not in"):
        return f"{name} {op} [{literal_source(literal)}, {literal_source(other)}]"
    return f"{name} {op} {literal_source(literal)}"


def literal_input(literal: str, variant: str) -> str | None:
    return {
        "exact": literal,
        "nfd": nfd(literal),
        "padded": f"  {literal} ",
        "other": "Mường La",
        "missing": None,
    }[variant]


def python_status(value: str | None, literal: str, op: str) -> str:
    """What the condition means in Python (the oracle): NFC, stripped, compared."""
    if value is None:
        return "missing"
    other = "Hà Nội" if literal != "Hà Nội" else "Sơn La"
    text = nfc(value).strip()
    met = {
        "==": text == literal,
        "!=": text != literal,
        "in": text in (literal, other),
        "not in": text not in (literal, other),
    }[op]
    return "met" if met else "not_met"


def literal_ruleset(folder: Path, literal: str, op: str, name: str) -> Path:
    condition = literal_condition(literal, op, name)
    return write(folder, "literal.yaml", ruleset_text([["income_per_capita >= 0", condition]]))


def case_text_literal(literal: str, op: str, name: str, variant: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        evaluator = evaluator_for(load_ruleset(literal_ruleset(folder, literal, op, name)))
        value = literal_input(literal, variant)
        record = {**BASE, "income_per_capita": 50.0}
        if value is not None:
            record[name] = value
        got = find_indicator(evaluator.evaluate(record), "i1").status
        want = python_status(value, literal, op)
        check(got == want, f"{name} {op} {literal!r} with {value!r}: {got}, Python says {want}")

    return run


def case_text_literal_cli(op: str, name: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        literal = "Mộc Châu"
        ruleset = literal_ruleset(folder, literal, op, name)
        rows = []
        for n, variant in enumerate(TEXT_INPUTS):
            row: dict[str, Any] = {**BASE, "code": f"T{n}", "income_per_capita": 50.0}
            value = literal_input(literal, variant)
            if value is not None:
                row[name] = value
            rows.append(row)
        data = write(folder, "data.json", json_rows(rows))
        proc = cli("evaluate", "--ruleset", ruleset, data, "--format", "json")
        succeeded(proc)
        results = json.loads(proc.stdout)["results"]
        for variant, result in zip(TEXT_INPUTS, results, strict=True):
            found = [
                i["status"] for c in result["criteria"] for i in c["indicators"] if i["id"] == "i1"
            ]
            want = python_status(literal_input(literal, variant), literal, op)
            check(found == [want], f"{variant}: {found}, Python says {want}")

    return run


def text_literal_cases() -> list[Case]:
    cases = []
    for literal in LITERALS:
        for op, name in TEXT_OPS:
            for variant in TEXT_INPUTS:
                cases.append(
                    Case(
                        "text-literals",
                        f"{name} {op} {literal!r}, input {variant}",
                        case_text_literal(literal, op, name, variant),
                    )
                )
    for op, name in TEXT_OPS:
        cases.append(
            Case("text-literals", f"CLI: {name} {op} 'Mộc Châu'", case_text_literal_cli(op, name))
        )
    return cases


# -- engine limits (issue item 2) --------------------------------------------------------------
def or_chain(terms: int, names: tuple[str, ...] = ("dbkk", "atk")) -> str:
    """An ``or`` of ``terms`` yes/no inputs (short names fit 150 terms in 2,000 characters)."""
    return " or ".join(names[k % len(names)] for k in range(terms))


def slot_heavy(indicators: int, checks: int) -> str:
    numbers = iter(range(1, 10_000))
    condition = [
        " and ".join(f"income_per_capita >= param.income * {next(numbers)}" for _ in range(checks))
        for _ in range(indicators)
    ]
    return str(ruleset_text([condition]))


def limit_texts() -> list[tuple[str, Callable[[], str], str]]:
    """(name, text, expectation): ``refused`` (a RulesetError naming the limit), ``runs``
    (validates and evaluates), or ``sound`` (either, never validated and then failing)."""
    rng = random.Random(1)
    return [
        ("360 indicators", lambda: uniform(1, 360), "refused"),
        ("400 indicators", lambda: uniform(1, 400), "refused"),
        ("2 x 350 indicators", lambda: uniform(2, 350), "refused"),
        ("1,400 indicators", lambda: uniform(20, 70), "refused"),
        ("64 criteria", lambda: uniform(64, 1), "refused"),
        ("80 criteria", lambda: uniform(80, 1), "refused"),
        ("a 150-term or", lambda: ruleset_text([[or_chain(150)]]), "sound"),
        (
            "a 150-term or of long names",
            lambda: ruleset_text([[or_chain(150, tuple(BOOLS))]]),
            "sound",
        ),
        ("16 nested groups", lambda: ruleset_text([[nested_condition(rng, 16)]]), "refused"),
        ("20 nested groups", lambda: ruleset_text([[nested_condition(rng, 20)]]), "refused"),
        ("a wide fact (48 x 5 slots)", lambda: slot_heavy(48, 5), "refused"),
        ("150 missing-value tests", lambda: slot_heavy(6, 25), "refused"),
        ("300 indicators", lambda: uniform(1, 300), "runs"),
        ("50 criteria", lambda: uniform(50, 1), "runs"),
        (
            "14 nested groups",
            lambda: ruleset_text([["has_craft_village", nested_condition(rng, 14)]]),
            "runs",
        ),
        ("a 100-term or", lambda: ruleset_text([[or_chain(100)]]), "sound"),
        ("12 criteria x 30", lambda: uniform(12, 30), "sound"),
    ]


def limit_message(error: RulesetError) -> bool:
    text = str(error)
    return "rule engine" in text or "limit" in text


def case_limit_api(make: Callable[[], str], expectation: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "big.yaml", make())
        try:
            ruleset = load_ruleset(path)
        except RulesetError as exc:  # e.g. a condition over 2,000 characters
            check(expectation == "sound", f"refused at load: {short(exc)}")
            check(exc.line is not None, f"no line: {short(exc)}")
            return
        try:
            prove_runs(ruleset)
        except RulesetError as exc:
            check(expectation != "runs", f"refused: {short(exc)}")
            check(limit_message(exc), f"no limit named: {short(exc)}")
            check(exc.file == str(path), f"file {exc.file!r}, not {path}")
            return
        check(expectation != "refused", "validated, expected a RulesetError naming the limit")
        evaluator = evaluator_for(ruleset)
        rng = random.Random(2)
        for n in range(20):
            evaluator.evaluate(random_record(rng, f"L{n}")).to_dict()

    return run


def case_limit_cli(make: Callable[[], str], expectation: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "big.yaml", make())
        proc = cli("validate", path)
        if expectation == "runs" or (expectation == "sound" and proc.returncode == 0):
            succeeded(proc)
            return
        line = error_line(proc)
        check(str(path) in line, f"file not named: {short(line)}")
        check(
            "rule engine" in line or "limit" in line or expectation == "sound",
            f"no limit named: {short(line)}",
        )

    return run


def limit_cases() -> list[Case]:
    cases = []
    for name, make, expectation in limit_texts():
        cases.append(Case("limits", f"{name}: {expectation}", case_limit_api(make, expectation)))
        cases.append(Case("limits", f"CLI validate, {name}", case_limit_cli(make, expectation)))
    return cases


# -- numbers the engine cannot hold (issue item 2) ---------------------------------------------
BAD_NUMBERS = (
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    ".Inf",
    "+.inf",
    "9" * 400,
    "-" + "9" * 400,
    "1e16",
    "-1e16",
    "1e400",
    "1.0e+16",
    "10000000000000001",
)


def case_bad_number(template: str, old: str, value: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        text = template.replace(old, old.replace("@", value), 1)
        path = write(folder, "numbers.yaml", text)
        error = raises(RulesetError, lambda: load_ruleset(path))
        line = line_of(text, old.replace("@", value))
        check(
            (error.file, error.line) == (str(path), line),
            f"at {error.file}:{error.line}, expected line {line}: {short(error)}",
        )

    return run


def number_cases() -> list[Case]:
    generated = ruleset_text([["income_per_capita >= 1"]]).replace("value: 40}", "value: 40@}")
    generated = generated.replace("value: 40@}", "value: @}")
    minimal_by = MINIMAL_TEXT.replace("by: {general: 48,", "by: {general: @,")
    minimal_value = MINIMAL_TEXT.replace("        value: 80\n", "        value: @\n")
    cases = []
    for value in BAD_NUMBERS:
        for place, template, old in (
            ("parameter value", generated, "value: @}"),
            ("by: general", minimal_by, "by: {general: @,"),
            ("value line", minimal_value, "value: @\n"),
        ):
            cases.append(
                Case(
                    "numbers", f"{place} {short(value, 12)}", case_bad_number(template, old, value)
                )
            )
    for literal in ("9" * 400, "10000000000000000", "99999999999999999"):
        condition = ruleset_text([[f"income_per_capita >= {literal}"]])
        cases.append(
            Case(
                "numbers",
                f"condition literal {short(literal, 12)}",
                case_bad_number(condition.replace(f">= {literal}", ">= @"), ">= @", literal),
            )
        )
    return cases


# -- division by zero and values that do not exist (issue item 2) ------------------------------
def division_ruleset(folder: Path, condition: str, income: str = "40") -> Path:
    text = ruleset_text([["income_per_capita >= 0", condition]])
    return write(folder, "division.yaml", text.replace("value: 40}", f"value: {income}}}"))


def case_division_load(condition: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = division_ruleset(folder, condition)
        error = raises(RulesetError, lambda: load_ruleset(path))
        line = line_of(path.read_text(encoding="utf-8"), "id: 'i1'")
        check("division by zero" in str(error), f"message: {short(error)}")
        check(error.line == line, f"line {error.line}, expected {line}: {short(error)}")

    return run


def case_division_validate(condition: str, phrase: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = division_ruleset(folder, condition)
        ruleset = load_ruleset(path)
        error = raises(RulesetError, lambda: prove_runs(ruleset))
        line = line_of(path.read_text(encoding="utf-8"), "id: 'i1'")
        check(phrase in str(error), f"message: {short(error)}")
        check(error.line == line and "indicator i1" in str(error), f"where: {short(error)}")
        proc = cli("validate", path)
        check(f"{path}:{line}:" in error_line(proc), f"CLI: {short(proc.stderr)}")

    return run


def case_division_runs(condition: str, record: dict[str, Any], want: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = division_ruleset(folder, condition)
        ruleset = load_ruleset(path)
        prove_runs(ruleset)
        result = evaluator_for(ruleset).evaluate({**BASE, **record})
        indicator = find_indicator(result, "i1")
        check(indicator.status == want, f"status {indicator.status}, expected {want}")
        if want == "missing":
            check(bool(indicator.undefined), "no reason given for the value that does not exist")
        json.dumps(result.to_dict(), allow_nan=False)
        result.explain("vi")

    return run


def case_division_cli(folder: Path) -> None:
    path = division_ruleset(folder, "income_per_capita / temporary_houses >= 1")
    data = write(
        folder, "d.json", json_rows([{**BASE, "income_per_capita": 9.0, "temporary_houses": 0}])
    )
    proc = cli("evaluate", "--ruleset", path, data, "--format", "json")
    succeeded(proc)
    (result,) = json.loads(proc.stdout)["results"]
    statuses = [i["status"] for c in result["criteria"] for i in c["indicators"] if i["id"] == "i1"]
    check(statuses == ["missing"], f"status {statuses}")


def division_cases() -> list[Case]:
    per_unit = "income_per_capita / temporary_houses >= 1"
    huge = "income_per_capita * 1000000000 * 1000000000 >= 1"
    return [
        Case("division", "x / 0 refused at load", case_division_load("income_per_capita / 0 >= 1")),
        Case(
            "division",
            "x / (2 - 2) refused at load",
            case_division_load("income_per_capita / (2 - 2) >= 1"),
        ),
        Case(
            "division",
            "threshold p / (p - 40) refused by validate",
            case_division_validate(
                "income_per_capita >= param.income / (param.income - 40)", "division by zero"
            ),
        ),
        Case(
            "division",
            "threshold p * 10^15 refused by validate",
            case_division_validate(
                "income_per_capita >= param.income * 1000000000000000", "beyond"
            ),
        ),
        Case(
            "division",
            "x / count with count 0: missing, not an error",
            case_division_runs(
                per_unit, {"income_per_capita": 9.0, "temporary_houses": 0}, "missing"
            ),
        ),
        Case(
            "division",
            "x / count with count 2: met",
            case_division_runs(per_unit, {"income_per_capita": 9.0, "temporary_houses": 2}, "met"),
        ),
        Case(
            "division",
            "x * 10^18 beyond the bound: missing",
            case_division_runs(huge, {"income_per_capita": 1e6}, "missing"),
        ),
        Case("division", "CLI evaluate x / 0-count", case_division_cli),
    ]


# -- --output to what is not a plain file (issue item 3) ---------------------------------------
OUTPUT_FORMATS = ("json", "csv", "table")
_reference: dict[str, bytes] = {}
_reference_lock = threading.Lock()


def output_data(folder: Path) -> Path:
    units = json.loads((REPO / "examples" / "sonla-communes-2023.json").read_text("utf-8"))
    units = units["units"] if isinstance(units, dict) else units
    return write(folder, "data.json", json_rows(units[:3]))


def reference_output(folder: Path, output_format: str) -> bytes:
    """What ``--output`` writes into a new regular file, once per format."""
    with _reference_lock:
        if output_format not in _reference:
            out = folder / f"reference.{output_format}"
            proc = cli(
                "evaluate", "-r", NATIONAL_ID, output_data(folder), "-f", output_format, "-o", out
            )
            succeeded(proc)
            _reference[output_format] = out.read_bytes()
        return _reference[output_format]


def evaluate_to(
    folder: Path, output_format: str, output: Path | str
) -> subprocess.CompletedProcess[str]:
    return cli(
        "evaluate", "-r", NATIONAL_ID, output_data(folder), "-f", output_format, "-o", output
    )


def case_output(kind: str, output_format: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        want = reference_output(folder, output_format)
        old = b"old content\n"
        if kind == "new file":
            target = folder / "new.out"
            succeeded(evaluate_to(folder, output_format, target))
            check(target.read_bytes() == want, "content differs from the reference")
        elif kind == "file keeps its mode":
            target = write(folder, "old.out", old)
            target.chmod(0o640)
            succeeded(evaluate_to(folder, output_format, target))
            check(target.read_bytes() == want, "content differs")
            mode = stat.S_IMODE(target.stat().st_mode)
            check(mode == 0o640, f"mode {mode:o}, was 640")
        elif kind in ("symlink", "relative symlink chain", "dangling symlink"):
            (folder / "real").mkdir()
            target = folder / "real" / "target.out"
            if kind != "dangling symlink":
                target.write_bytes(old)
            link = folder / "link.out"
            if kind == "relative symlink chain":
                (folder / "mid.out").symlink_to(Path("real") / "target.out")
                link.symlink_to("mid.out")
            else:
                link.symlink_to(target)
            before = os.readlink(link)
            succeeded(evaluate_to(folder, output_format, link))
            check(link.is_symlink() and os.readlink(link) == before, "the link was replaced")
            check(target.read_bytes() == want, "the link's target was not written")
            leftovers = list((folder / "real").glob(".*.tmp")) + list(folder.glob(".*.tmp"))
            check(not leftovers, f"temporary files left: {leftovers}")
        elif kind == "fifo":
            fifo = folder / "out.fifo"
            os.mkfifo(fifo)
            got: list[bytes] = []

            def reader() -> None:
                with fifo.open("rb") as pipe:
                    got.append(pipe.read())

            thread = threading.Thread(target=reader, daemon=True)
            thread.start()
            proc = evaluate_to(folder, output_format, fifo)
            thread.join(10)
            if thread.is_alive():  # the command never opened the FIFO: unblock the reader
                with contextlib.suppress(OSError):
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            succeeded(proc)
            check(stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced")
            check(got == [want], "the reader did not get the output")
        elif kind == "/dev/null":
            succeeded(evaluate_to(folder, output_format, "/dev/null"))
            mode = os.lstat("/dev/null").st_mode
            if not stat.S_ISCHR(mode) and os.geteuid() == 0:  # repair what the attack broke
                with contextlib.suppress(OSError):
                    os.unlink("/dev/null")
                    os.mknod("/dev/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            check(stat.S_ISCHR(mode), "/dev/null is no longer a character device")
        elif kind == "hard link":
            first = write(folder, "first.out", old)
            second = folder / "second.out"
            os.link(first, second)
            succeeded(evaluate_to(folder, output_format, second))
            check(first.read_bytes() == want == second.read_bytes(), "a name does not see it")
            check(os.path.samefile(first, second), "the hard link was broken")
        else:
            raise CaseFailed(f"unknown kind {kind}")

    return run


def case_output_error(kind: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        target = folder if kind == "directory" else folder / "missing" / "out.json"
        line = error_line(evaluate_to(folder, "json", target))
        check(str(target) in line or "missing" in line, f"path not named: {short(line)}")

    return run


def output_cases() -> list[Case]:
    kinds = (
        "new file",
        "file keeps its mode",
        "symlink",
        "relative symlink chain",
        "dangling symlink",
        "fifo",
        "/dev/null",
        "hard link",
    )
    cases = [
        Case("output", f"--output {kind}, {fmt}", case_output(kind, fmt))
        for kind in kinds
        for fmt in OUTPUT_FORMATS
    ]
    cases.append(Case("output", "--output a directory", case_output_error("directory")))
    cases.append(Case("output", "--output in a missing folder", case_output_error("missing")))
    return cases


# -- inputs read silently wrong, and internal errors (issue items 5 and 6) ---------------------
def records_from(folder: Path, name: str, data: str | bytes) -> list[Any]:
    return load_records(write(folder, name, data), Commune2021)


def case_input_refused(
    name: str, data: str | bytes, field_name: str | None, phrase: str | None = None
) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        error = raises(InputError, lambda: records_from(folder, name, data))
        check(bool(error.record), f"no record named: {short(error)}")
        if field_name is not None:
            check(
                error.field == field_name,
                f"field {error.field!r}, expected {field_name!r}: {short(error)}",
            )
        if phrase is not None:
            check(phrase in str(error), f"message lacks {phrase!r}: {short(error)}")

    return run


def case_input_read(name: str, data: str, field_name: str, want: Any) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        (record,) = records_from(folder, name, data)
        got = getattr(record, field_name)
        check(
            got == want and type(got) is type(want), f"{field_name} read as {got!r}, want {want!r}"
        )

    return run


def case_cli_input(
    name: str, data: str | bytes, phrases: tuple[str, ...]
) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, name, data)
        line = error_line(cli("evaluate", "-r", NATIONAL_ID, path, "-f", "json"))
        for phrase in phrases:
            check(phrase in line, f"message lacks {phrase!r}: {short(line)}")

    return run


def csv_text(header: list[str], *rows: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def duplicate_json(key: str, spelled: str) -> str:
    values = {
        "code": '"A"',
        "region": '"tn"',
        "year": "2024",
        "income_per_capita": "41.5",
        "master_plan_approved": "true",
    }
    pairs = [f'"{k}": {v}' for k, v in values.items()]
    pairs.append(f'"{spelled}": {values[key].replace("A", "B").replace("41.5", "42")}')
    return "[{" + ", ".join(pairs) + "}]"


def duplicate_csv(key: str, spelled: str) -> str:
    values = {
        "code": "A",
        "region": "tn",
        "year": "2024",
        "income_per_capita": "41,5",
        "master_plan_approved": "có",
    }
    return csv_text([*values, spelled], [*values.values(), values[key]])


def single_csv(field_name: str, cell: str) -> str:
    return csv_text(["code", "region", "year", field_name], ["A", "tn", "2024", cell])


def single_json(field_name: str, literal: str) -> str:
    return f'[{{"code": "A", "region": "tn", "year": 2024, "{field_name}": {literal}}}]'


def case_province_nfd(transport: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        row = {**BASE, "province": nfd("Sơn La")}
        if transport == "dict":
            result = ntm_rules.evaluate(SONLA_ID, row)
        else:
            text = (
                json_rows([row])
                if transport == "json"
                else csv_text(list(row), [str(v) for v in row.values()])
            )
            (record,) = records_from(folder, f"p.{transport}", text)
            result = evaluator_for(SONLA_ID).evaluate(record)
        check(result.unit.province == "Sơn La", f"province read as {result.unit.province!r}")

    return run


def input_cases() -> list[Case]:
    cases: list[Case] = []
    keys = ("code", "region", "year", "income_per_capita", "master_plan_approved")
    for key in keys:
        for spelled in (key, key + " ", " " + key):
            how = "exact" if spelled == key else repr(spelled)
            cases.append(
                Case(
                    "inputs",
                    f"JSON key {key} twice ({how})",
                    case_input_refused("d.json", duplicate_json(key, spelled), key),
                )
            )
            cases.append(
                Case(
                    "inputs",
                    f"CSV column {key} twice ({how})",
                    case_input_refused("d.csv", duplicate_csv(key, spelled), key),
                )
            )
    units_twice = '{"units": [], "units": [{"code": "A", "region": "tn", "year": 2024}]}'
    cases.append(
        Case("inputs", "JSON 'units' twice", case_input_refused("u.json", units_twice, "units"))
    )
    for cell in ("41.500", "41,500", "1,234", "999.000", "-41.500", "100,000"):
        cases.append(
            Case(
                "inputs",
                f"CSV {cell} is ambiguous",
                case_input_refused(
                    "a.csv", single_csv("income_per_capita", cell), "income_per_capita", "ambiguous"
                ),
            )
        )
    for cell, value in (("41,5", 41.5), ("41.5000", 41.5), ("1234,5", 1234.5), ("041.500", 41.5)):
        cases.append(
            Case(
                "inputs",
                f"CSV {cell} reads {value}",
                case_input_read(
                    "n.csv", single_csv("income_per_capita", cell), "income_per_capita", value
                ),
            )
        )
    for field_name, cell in (
        ("income_per_capita", "4_1.5"),
        ("income_per_capita", "４１"),
        ("income_per_capita", "1 234"),
        ("income_per_capita", "١٢"),
        ("income_per_capita", "1.234.567"),
        ("temporary_houses", "1e3"),
        ("temporary_houses", "12,5"),
    ):
        cases.append(
            Case(
                "inputs",
                f"CSV {field_name} {cell!r} refused",
                case_input_refused("s.csv", single_csv(field_name, cell), field_name),
            )
        )
    short_row = "code,region,year,income_per_capita\nA,tn,2024\n"
    long_row = "code,region,year\nA,tn,2024,41\n"
    cases.append(
        Case("inputs", "CSV short row", case_input_refused("r.csv", short_row, None, "fewer cells"))
    )
    cases.append(
        Case("inputs", "CSV long row", case_input_refused("r.csv", long_row, None, "more cells"))
    )
    for how, second in (
        ("NFD", nfd("Mộc Châu")),
        ("trailing space", "Mộc Châu "),
        ("NBSP", "Mộc Châu\u00a0"),
    ):
        rows = [{**BASE, "code": "Mộc Châu"}, {**BASE, "code": second}]
        cases.append(
            Case(
                "inputs",
                f"JSON codes equal but for {how}",
                case_input_refused("c.json", json_rows(rows), "code", "duplicate code"),
            )
        )
        text = csv_text(
            ["code", "region", "year"], ["Mộc Châu", "tn", "2024"], [second, "tn", "2024"]
        )
        cases.append(
            Case(
                "inputs",
                f"CSV codes equal but for {how}",
                case_input_refused("c.csv", text, "code", "duplicate code"),
            )
        )
    for transport in ("dict", "json", "csv"):
        cases.append(Case("inputs", f"NFD 'Sơn La' via {transport}", case_province_nfd(transport)))
    cases.append(
        Case(
            "inputs",
            "CLI: JSON key twice",
            case_cli_input("d.json", duplicate_json("year", "year"), ("year", "twice")),
        )
    )
    cases.append(
        Case(
            "inputs",
            "CLI: CSV column twice",
            case_cli_input("d.csv", duplicate_csv("region", "region "), ("region",)),
        )
    )
    cases.append(
        Case(
            "inputs",
            "CLI: CSV 41.500",
            case_cli_input(
                "a.csv",
                single_csv("income_per_capita", "41.500"),
                ("income_per_capita", "ambiguous"),
            ),
        )
    )
    # numbers and texts that were "internal errors"
    huge = {
        "5,000-digit integer": single_json("income_per_capita", "9" * 5000),
        "integer above 1.8e308": single_json("income_per_capita", "1" + "0" * 309),
        "1e400": single_json("income_per_capita", "1e400"),
        "nested 100,000 deep": single_json("income_per_capita", "[" * 100_000 + "]" * 100_000),
        "lone surrogate in code": '[{"code": "A\\ud800", "region": "tn", "year": 2024}]',
    }
    for what, text in huge.items():
        blamed = None if "nested" in what else ("code" if "code" in what else "income_per_capita")
        cases.append(Case("inputs", f"JSON {what}", case_input_refused("h.json", text, blamed)))
        cases.append(Case("inputs", f"CLI: JSON {what}", case_cli_input("h.json", text, ())))
    invalid = b'[{"code": "A\xff", "region": "tn", "year": 2024}]'
    cases.append(
        Case("inputs", "JSON code not UTF-8", case_input_refused("b.json", invalid, None, "UTF-8"))
    )
    cases.append(
        Case("inputs", "CLI: JSON code not UTF-8", case_cli_input("b.json", invalid, ("UTF-8",)))
    )

    def dict_huge(folder: Path) -> None:
        for value in (10**5000, 10**309, 2.0**1000 * 2.0**23):
            row = {**BASE, "income_per_capita": value}
            error = raises(InputError, functools.partial(ntm_rules.evaluate, NATIONAL_ID, row))
            check(error.field == "income_per_capita", f"field {error.field!r}")

    cases.append(Case("inputs", "dict: huge numbers", dict_huge))
    return cases


# -- years and dates (issue item 6) ------------------------------------------------------------
def case_record_year(value: Any, want: int | None) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        row = {**BASE, "year": value}
        if want is None:
            error = raises(InputError, lambda: ntm_rules.evaluate(NATIONAL_ID, row))
            check(error.field == "year", f"field {error.field!r}: {short(error)}")
        else:
            result = ntm_rules.evaluate(NATIONAL_ID, row)
            check(result.assessed_on.year == want, f"assessed in {result.assessed_on.year}")

    return run


def case_year_argument(**kwargs: Any) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        row = {"code": "A", "region": "tn"}
        error = raises(EvaluationError, lambda: ntm_rules.evaluate(NATIONAL_ID, row, **kwargs))
        check("internal" not in str(error), f"message: {short(error)}")

    return run


def case_cli_year(option: str | None, year_in_data: Any, code: int) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        data = write(folder, "y.json", json_rows([{**BASE, "year": year_in_data}]))
        extra = ["--year", option] if option is not None else []
        error_line(cli("evaluate", "-r", NATIONAL_ID, data, *extra), code)

    return run


def year_cases() -> list[Case]:
    cases = [
        Case("years", f"record year {value!r}", case_record_year(value, want))
        for value, want in (
            (0, None),
            (10000, None),
            (-5, None),
            ("2023", None),
            (True, None),
            (2023.5, None),
            (2023.0, 2023),
        )
    ]
    for value in (0, 10000, -1, "2023", 2023.0, True, None):
        if value is not None:
            cases.append(Case("years", f"year={value!r}", case_year_argument(year=value)))
    for on in (
        dt.datetime(2024, 1, 1),
        "2024-12-31",
        2024,
        dt.date(2021, 1, 1),
        dt.date(2030, 1, 1),
    ):
        cases.append(Case("years", f"on={on!r}", case_year_argument(on=on)))
    cases.append(Case("years", "CLI --year 0", case_cli_year("0", 2024, 1)))
    cases.append(Case("years", "CLI --year 10000", case_cli_year("10000", 2024, 1)))
    cases.append(Case("years", "CLI --year abc", case_cli_year("abc", 2024, 2)))
    cases.append(Case("years", "CLI data year 0", case_cli_year(None, 0, 1)))
    cases.append(Case("years", "CLI data year '2023'", case_cli_year(None, "2023", 1)))
    return cases


# -- big and strange ruleset files (issue item 7) ----------------------------------------------
def case_fast_refusal(
    make: Callable[[], str], phrase: str, via_cli: bool
) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "big.yaml", make())
        started = time.perf_counter()
        if via_cli:
            line = error_line(cli("validate", path))
        else:
            line = str(raises(RulesetError, lambda: load_ruleset(path)))
        took = time.perf_counter() - started
        check(took < 5, f"took {took:.1f} s")
        check(phrase in line, f"message lacks {phrase!r}: {short(line)}")

    return run


def case_fast_load(make: Callable[[], str]) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "big.yaml", make())
        started = time.perf_counter()
        load_ruleset(path)
        took = time.perf_counter() - started
        check(took < 5, f"took {took:.1f} s")

    return run


def comment_line() -> str:
    return "# " + "x" * 4_000_000 + "\n" + NATIONAL_TEXT


def one_line_value() -> str:
    version = 'version: "2024.03"'
    return NATIONAL_TEXT.replace(version, f'{version}\nnote: "{"x" * 4_000_000}"')


def eleven_megabytes() -> str:
    return NATIONAL_TEXT + ("# " + "x" * 98 + "\n") * 110_000


def short_comment_lines() -> str:
    return ("# " + "x" * 98 + "\n") * 40_000 + NATIONAL_TEXT


def big_file_cases() -> list[Case]:
    comment, note, huge, many = comment_line, one_line_value, eleven_megabytes, short_comment_lines
    return [
        Case(
            "big-files", "4 MB comment line", case_fast_refusal(comment, "10,000 characters", False)
        ),
        Case(
            "big-files",
            "CLI: 4 MB comment line",
            case_fast_refusal(comment, "10,000 characters", True),
        ),
        Case(
            "big-files", "4 MB one-line value", case_fast_refusal(note, "10,000 characters", False)
        ),
        Case("big-files", "11 MB file", case_fast_refusal(huge, "larger than", False)),
        Case("big-files", "CLI: 11 MB file", case_fast_refusal(huge, "larger than", True)),
        Case("big-files", "4 MB of short comment lines loads", case_fast_load(many)),
    ]


NEIGHBOURS: dict[str, Callable[[Path], object]] = {
    "cp1258": lambda p: p.write_bytes(b"ghi ch\xfa: Quy ho\xe1ch\n"),
    "utf-16": lambda p: p.write_bytes("id: vn.commune.ntm.2021\n".encode("utf-16")),
    "latin-1": lambda p: p.write_bytes(b"id: x\ntitle: caf\xe9\n"),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 4),
    "directory": lambda p: p.mkdir(),
    "dangling symlink": lambda p: p.symlink_to(p.parent / "nowhere"),
    "broken YAML": lambda p: p.write_text("id: [unclosed\n: : :\n", encoding="utf-8"),
}


def case_neighbour(kind: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        NEIGHBOURS[kind](folder / "a-neighbour.yaml")
        copy = write(folder, "sonla.yaml", SONLA_FILE.read_text(encoding="utf-8"))
        ruleset = load_ruleset(copy)
        check(ruleset.extends == NATIONAL_ID, f"extends {ruleset.extends!r}")
        evaluator_for(ruleset).evaluate({**BASE, "province": "Sơn La"})

    return run


def case_neighbours_cli(folder: Path) -> None:
    for n, make in enumerate(NEIGHBOURS.values()):
        make(folder / f"n{n}.yaml")
    copy = write(folder, "sonla.yaml", SONLA_FILE.read_text(encoding="utf-8"))
    succeeded(cli("validate", copy))
    data = write(folder, "d.json", json_rows([{**BASE, "province": "Sơn La"}]))
    succeeded(cli("evaluate", "-r", copy, data, "-f", "csv"))


def case_ruleset_not_utf8(via_cli: bool) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "cp1258.yaml", b"format: 1\nid: x\ntitle: Quy ho\xe1ch\n")
        if via_cli:
            check(f"{path}:3" in error_line(cli("validate", path)), "file:line not named")
        else:
            error = raises(RulesetError, lambda: load_ruleset(path))
            check((error.file, error.line) == (str(path), 3), f"at {error.file}:{error.line}")

    return run


def neighbour_cases() -> list[Case]:
    cases = [Case("neighbours", f"non-UTF-8 neighbour: {k}", case_neighbour(k)) for k in NEIGHBOURS]
    cases.append(Case("neighbours", "CLI validate and evaluate among them", case_neighbours_cli))
    cases.append(Case("neighbours", "ruleset not UTF-8", case_ruleset_not_utf8(False)))
    cases.append(Case("neighbours", "CLI: ruleset not UTF-8", case_ruleset_not_utf8(True)))
    return cases


HASH_VARIANTS: dict[str, Callable[[str], bytes]] = {
    "CRLF": lambda t: t.replace("\n", "\r\n").encode(),
    "BOM": lambda t: ("\ufeff" + t).encode(),
    "NFD": lambda t: nfd(t).encode(),
    "CR": lambda t: t.replace("\n", "\r").encode(),
    "CRLF+BOM+NFD": lambda t: ("\ufeff" + nfd(t).replace("\n", "\r\n")).encode(),
}


def case_content_hash(source: Path, variant: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        original = load_ruleset(source)
        copy = write(
            folder, source.name, HASH_VARIANTS[variant](source.read_text(encoding="utf-8"))
        )
        hashed = load_ruleset(copy).content_hash
        check(
            hashed == original.content_hash, f"hash {hashed[:12]} != {original.content_hash[:12]}"
        )

    return run


def hash_cases() -> list[Case]:
    return [
        Case("content-hash", f"{ruleset_id} {variant}", case_content_hash(path, variant))
        for ruleset_id, path in sorted(ruleset_files().items())
        for variant in HASH_VARIANTS
    ]


# -- usage errors, exact numbers, injection ----------------------------------------------------
def case_usage(*args: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        error_line(cli(*args), 2)

    return run


def usage_cases() -> list[Case]:
    commands = ("evaluate", "explain", "gap", "validate", "schema", "audit", "rulesets")
    cases = [Case("usage", f"{c} --bogus", case_usage(c, "--bogus")) for c in commands]
    data = str(REPO / "examples" / "sonla-communes-2023.json")
    for args in (
        ("evaluate", "-r", NATIONAL_ID, data, "--format", "xml"),
        ("evaluate", "-r", NATIONAL_ID, data, "--lang", "fr"),
        ("evaluate", "-r", NATIONAL_ID, data, "--year", "abc"),
        ("evaluate", "-r", NATIONAL_ID),
        ("evaluate", data),
        ("evaluate", "-Z", data),
        ("bogus-command",),
    ):
        cases.append(
            Case("usage", " ".join(a if a != data else "DATA" for a in args), case_usage(*args))
        )
    return cases


def case_exact_message(
    transport: str, field_name: str, value: Any, shown: str
) -> Callable[[Path], None]:
    def refuse(folder: Path) -> str:
        """The message refusing ``value``, through ``transport``."""
        if transport == "cli":
            path = write(folder, "x.json", single_json(field_name, value))
            return error_line(cli("evaluate", "-r", NATIONAL_ID, path))
        if transport == "dict":
            row = {**BASE, field_name: value}
            return str(raises(InputError, lambda: ntm_rules.evaluate(NATIONAL_ID, row)))
        name, text = (
            ("x.json", single_json(field_name, value))
            if transport == "json"
            else ("x.csv", single_csv(field_name, value))
        )
        return str(raises(InputError, lambda: records_from(folder, name, text)))

    def run(folder: Path) -> None:
        message = refuse(folder)
        check(shown in message, f"message lacks {shown}: {short(message)}")

    return run


def exact_number_cases() -> list[Case]:
    pct = "commune_roads_paved_pct"
    rows = [
        ("dict", pct, 100.0000001, "100.0000001"),
        ("json", pct, "100.0000001", "100.0000001"),
        ("csv", pct, "100.0000001", "100.0000001"),
        ("csv", pct, "100,0000001", "100.0000001"),
        ("dict", pct, 100.00000000000001, "100.00000000000001"),
        ("dict", "income_per_capita", -0.5, "-0.5"),
        ("dict", "temporary_houses", 3.5, "3.5"),
        ("cli", pct, "100.0000001", "100.0000001"),
    ]
    return [
        Case("exact-numbers", f"{t} {f} {v!r} shows {s}", case_exact_message(t, f, v, s))
        for t, f, v, s in rows
    ]


def case_injection(make: Callable[[Path], str], where: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        marker = folder / "marker"
        text = make(marker)
        path = write(folder, "inject.yaml", text)
        error = raises(RulesetError, lambda: load_ruleset(path))
        check(error.line is not None and error.file == str(path), f"not located: {short(error)}")
        if where:
            line = line_of(text, where)
            check(error.line == line, f"line {error.line}, expected {line}: {short(error)}")
        check(not marker.exists(), "the injected code ran")

    return run


def injection_cases() -> list[Case]:
    def tag(payload: str) -> Callable[[Path], str]:
        return lambda m: MINIMAL_TEXT.replace("note: Test value.", f"note: {payload.format(m=m)}")

    def condition(payload: str) -> Callable[[Path], str]:
        return lambda m: ruleset_text([["income_per_capita >= 0", payload.format(m=m)]])

    cases = []
    for payload in (
        '!!python/object/apply:os.system ["touch {m}"]',
        '!!python/object/new:pathlib.Path ["{m}"]',
        '!!python/name:os.system ""',
        '!!python/object/apply:subprocess.call [["touch", "{m}"]]',
        "!!binary aGVsbG8=",
    ):
        cases.append(
            Case("injection", f"YAML tag {payload[:30]}", case_injection(tag(payload), "note: !!"))
        )
    for payload in (
        "__import__('os').system('touch {m}')",
        "income_per_capita.__class__.__mro__",
        "exec('open({m})')",
        "income_per_capita >= 1; import os",
    ):
        cases.append(
            Case(
                "injection",
                f"condition {payload[:30]}",
                case_injection(condition(payload), "id: 'i1'"),
            )
        )
    return cases


def hand_made_cases() -> list[Case]:
    return [
        *text_literal_cases(),
        *limit_cases(),
        *number_cases(),
        *division_cases(),
        *output_cases(),
        *input_cases(),
        *year_cases(),
        *big_file_cases(),
        *neighbour_cases(),
        *hash_cases(),
        *usage_cases(),
        *exact_number_cases(),
        *injection_cases(),
    ]


def attack_hand_made(args: argparse.Namespace, scratch: Path) -> Section:
    cases = hand_made_cases()
    if args.quick:  # every fifth case of each group
        groups: dict[str, list[Case]] = {}
        for case in cases:
            groups.setdefault(case.group, []).append(case)
        cases = [c for members in groups.values() for c in members[::5]]
    section = Section("hand-made", "hand-made", len(cases))
    root = scratch / "hand-made"
    root.mkdir()
    outcomes: dict[int, str | None] = {}

    def run(n: int) -> None:
        folder = root / f"case{n}"
        folder.mkdir()
        try:
            cases[n].run(folder)
            outcomes[n] = None
        except CaseFailed as exc:
            outcomes[n] = str(exc)
        except Exception as exc:
            outcomes[n] = f"unexpected {last_frames(exc)}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, args.jobs)) as pool:
        list(pool.map(run, range(len(cases))))
    by_group: dict[str, list[int]] = {}
    for n, case in enumerate(cases):
        passed = outcomes.get(n, "not run") is None
        by_group.setdefault(case.group, [0, 0])[0 if passed else 1] += 1
        if not passed:
            section.fail(f"hand-made [{case.group}] {case.name}: {outcomes.get(n, 'not run')}")
    failed = sum(f for _, f in by_group.values())
    section.counts = {"passed": len(cases) - failed, "failed": failed}
    section.extra["groups"] = {g: {"passed": p, "failed": f} for g, (p, f) in by_group.items()}
    section.extra["lines"] = [
        figures(section.counts, ["passed", "failed"]),
        ", ".join(f"{g} {p + f}" for g, (p, f) in by_group.items()),
    ]
    return section


# ============================================================================================
# 4. One process, many evaluations
# ============================================================================================
def soak_worker(count: int, seed: int) -> dict[str, Any]:
    """Evaluate ``count`` random records with one evaluator; memory and engine figures."""
    rng = random.Random(f"{seed}:soak")
    pool = [dict(valid_row(rng, f"S{n}")[0]) for n in range(5_000)]
    evaluator = evaluator_for(NATIONAL_ID)
    evaluator.evaluate(pool[0])
    figures_: dict[str, Any] = {"rss_start": rss_mb(), "live_start": live_rulesets()}
    statuses: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    examples: list[str] = []
    started = time.perf_counter()
    for n in range(count):
        try:
            statuses[evaluator.evaluate(pool[n % len(pool)]).status] += 1
        except Exception as exc:
            errors["engine" if isinstance(exc, EngineError) else type(exc).__name__] += 1
            if len(examples) < 5:
                examples.append(last_frames(exc))
        if n + 1 == 10_000:
            figures_["rss_10k"] = rss_mb()
    seconds = time.perf_counter() - started
    figures_.update(
        rss_end=rss_mb(),
        live_end=live_rulesets(),
        seconds=seconds,
        rate=count / seconds,
        statuses=dict(statuses),
        errors=dict(errors),
        examples=examples,
    )
    return figures_


def worker_command(kind: str, count: int, seed: int) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--seed",
        str(seed),
        "--last",
        str(count),
    ]


def worker_json(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The JSON line a one-shot worker (soak, forks) printed, or why there is none."""
    lines = [line for line in proc.stdout.splitlines() if line.startswith(MARK)]
    if proc.returncode != 0 or not lines:
        return {"crashed": f"exit {proc.returncode}: {short(proc.stderr[-800:], 400)}"}
    result: dict[str, Any] = json.loads(lines[-1][len(MARK) :])
    return result


def start_one_process(args: argparse.Namespace) -> subprocess.Popen[str]:
    """Section 4 runs in its own process, beside sections 5-7 (one core each)."""
    count = 20_000 if args.quick else 200_000
    return subprocess.Popen(
        worker_command("soak", count, args.seed),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish_one_process(args: argparse.Namespace, proc: subprocess.Popen[str]) -> Section:
    count = 20_000 if args.quick else 200_000
    section = Section("one-process", "one-process", count)
    stdout, stderr = proc.communicate(timeout=3600)
    found = worker_json(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    section.extra.update(found)
    if "crashed" in found:
        section.fail(f"one process: the worker died: {found['crashed']}")
        section.extra["lines"] = ["the worker died"]
        return section
    errors = found["errors"]
    section.counts = {
        "evaluated": sum(found["statuses"].values()),
        "engine-errors": errors.get("engine", 0),
        "other-errors": sum(v for k, v in errors.items() if k != "engine"),
    }
    if errors:
        section.fail(f"one process: errors {errors}: {found['examples']}")
    if found["live_end"] != found["live_start"]:
        section.fail(f"one process: engine rulesets {found['live_start']} -> {found['live_end']}")
    growth = found["rss_end"] - found["rss_10k"]
    if growth > max(32.0, 0.25 * found["rss_10k"]):
        section.fail(f"one process: memory grew {growth:.0f} MB after the first 10,000")
    section.extra["lines"] = [
        f"evaluated {section.counts['evaluated']}  engine-errors "
        f"{section.counts['engine-errors']}  other {section.counts['other-errors']}",
        f"{found['rate']:.0f} evaluations/s (one core, beside sections 5-7)",
        f"RSS MB start {found['rss_start']:.0f} / 10k {found['rss_10k']:.0f} / end "
        f"{found['rss_end']:.0f}  engine rulesets {found['live_start']} -> {found['live_end']}",
    ]
    return section


# ============================================================================================
# 5. Threads
# ============================================================================================
def attack_threads(args: argparse.Namespace, scratch: Path) -> Section:
    count = 100 if args.quick else 500
    section = Section("threads", "threads", 4 * count)
    rng = random.Random(f"{args.seed}:threads")
    rows = [dict(valid_row(rng, f"T{n}")[0]) for n in range(count)]
    evaluator = evaluator_for(NATIONAL_ID)

    def encoded(row: dict[str, Any]) -> bytes:
        return json.dumps(evaluator.evaluate(row).to_dict(), sort_keys=True).encode()

    expected = [encoded(row) for row in rows]
    got: list[list[bytes | None]] = [[None] * count for _ in range(4)]
    errors: list[str] = []
    barrier = threading.Barrier(4)

    def work(index: int) -> None:
        order = list(range(count)) if index % 2 == 0 else list(range(count))[::-1]
        barrier.wait()
        for n in order:
            try:
                got[index][n] = encoded(rows[n])
            except Exception as exc:
                errors.append(last_frames(exc))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(600)
    same = sum(got[k][n] == expected[n] for k in range(4) for n in range(count))
    different = sum(
        got[k][n] is not None and got[k][n] != expected[n] for k in range(4) for n in range(count)
    )
    section.counts = {"identical": same, "different": different, "errors": len(errors)}
    if same != 4 * count:
        section.fail(f"threads: {different} different results, {len(errors)} errors: {errors[:3]}")
    section.extra["lines"] = [
        figures(section.counts, ["identical", "different", "errors"]),
        f"(4 threads x the same {count} records, compared with sequential results)",
    ]
    return section


# ============================================================================================
# 6. Forks
# ============================================================================================
def forks_worker(count: int, seed: int) -> dict[str, Any]:
    """Fork ``count`` times while two threads evaluate; every child evaluates, builds a new
    evaluator, and exits 0 if its result equals the parent's (3: different, 4: an error)."""
    rng = random.Random(f"{seed}:forks")
    record = dict(valid_row(rng, "F1")[0])
    evaluator = evaluator_for(NATIONAL_ID)
    expected = evaluator.evaluate(record).to_dict()
    stop = threading.Event()

    def busy() -> None:
        while not stop.is_set():
            evaluator_for(NATIONAL_ID).evaluate(record).to_dict()

    threads = [threading.Thread(target=busy) for _ in range(2)]
    for thread in threads:
        thread.start()
    outcomes = {"ok": 0, "hung": 0, "wrong": 0, "error": 0}
    folder = Path(tempfile.mkdtemp(prefix="forks-"))
    for n in range(count):
        time.sleep(rng.uniform(0.0, 0.03))
        pid = os.fork()
        if pid == 0:
            try:
                got = evaluator_for(NATIONAL_ID).evaluate(record).to_dict()
                path = folder / f"child{n}.yaml"
                path.write_text(MINIMAL_TEXT.replace('version: "1"', f'version: "c{n}"'), "utf-8")
                fresh = Evaluator(load_ruleset(path))
                fresh.evaluate({**BASE, "year": 2024})
                os._exit(0 if got == expected else 3)
            except BaseException:
                os._exit(4)
        deadline = time.monotonic() + 20
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                code = os.waitstatus_to_exitcode(status)
                outcomes[{0: "ok", 3: "wrong"}.get(code, "error")] += 1
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                outcomes["hung"] += 1
                break
            time.sleep(0.005)
    stop.set()
    for thread in threads:
        thread.join()
    shutil.rmtree(folder, ignore_errors=True)
    return outcomes


def attack_forks(args: argparse.Namespace, scratch: Path) -> Section:
    count = 10 if args.quick else 30
    section = Section("forks", "forks", count)
    proc = subprocess.run(
        worker_command("forks", count, args.seed),
        capture_output=True,
        text=True,
        timeout=30 * count + 120,
        check=False,
    )
    found = worker_json(proc)
    if "crashed" in found:
        section.fail(f"forks: the worker died: {found['crashed']}")
        section.extra["lines"] = ["the worker died"]
        return section
    section.counts = found
    if found["ok"] != count:
        section.fail(f"forks: {found}")
    section.extra["lines"] = [figures(found, ["ok", "hung", "wrong", "error"])]
    return section


# ============================================================================================
# 7. Kills
# ============================================================================================
KILL_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGKILL)
OLD = b'{"old": "the content before the run"}\n'


@dataclass
class Lane:
    """One folder with one OUT file, where runs happen one after another."""

    folder: Path

    @property
    def out(self) -> Path:
        return self.folder / "out.json"

    def leftovers(self) -> list[Path]:
        return sorted(self.folder.glob(".out.json.ntm-rules-*.tmp"))

    def reset(self) -> None:
        """OUT holds the old content, as a single-link regular file."""
        fresh = self.folder / "old.json"
        fresh.write_bytes(OLD)
        os.replace(fresh, self.out)


def evaluate_command(data: Path, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "ntm_rules",
        "evaluate",
        "--ruleset",
        NATIONAL_ID,
        str(data),
        "--format",
        "json",
        "--output",
        str(out),
    ]


def timed_run(data: Path, lane: Lane) -> tuple[float, float, float]:
    """A normal run: its duration, and when its temporary file appeared and went."""
    started = time.monotonic()
    proc = subprocess.Popen(
        evaluate_command(data, lane.out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    appeared = gone = 0.0
    while proc.poll() is None:
        present = bool(lane.leftovers())
        now = time.monotonic() - started
        if present and not appeared:
            appeared = now
        if appeared and not present and not gone:
            gone = now
        time.sleep(0.002)
    return time.monotonic() - started, appeared, gone or time.monotonic() - started


def attack_kills(args: argparse.Namespace, scratch: Path) -> Section:
    communes = 40 if args.quick else 150
    runs = 2 if args.quick else 20
    section = Section("kills", "kills", runs * len(KILL_SIGNALS))
    data_dir = scratch / "kills"
    data_dir.mkdir()
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--count",
            str(communes),
            "--villages",
            "0",
            "--format",
            "json",
            "--check",
            "none",
            "--out",
            str(data_dir),
            "--stem",
            "communes",
            "--quiet",
        ],
        check=True,
    )
    data = data_dir / "communes.json"
    lanes = [Lane(data_dir / f"lane{k}") for k in range(args.kill_lanes)]
    for lane in lanes:
        lane.folder.mkdir()
    duration, appeared, gone = timed_run(data, lanes[0])
    expected = hashlib.sha256(lanes[0].out.read_bytes()).hexdigest()
    size = lanes[0].out.stat().st_size
    rng = random.Random(f"{args.seed}:kills")
    counts: Counter[str] = Counter()
    per_signal: dict[str, Counter[str]] = {}
    lock = threading.Lock()
    plans: list[list[tuple[signal.Signals, int]]] = [[] for _ in lanes]
    for sig in KILL_SIGNALS:  # SIGKILL last: its leftovers must not be blamed on the others
        for k in range(runs):
            plans[k % len(lanes)].append((sig, k))

    def one_run(lane: Lane, sig: signal.Signals, k: int, moment: random.Random) -> None:
        lane.reset()
        in_write = k % 2 == 1  # odd runs aim at the write, even ones at any moment
        proc = subprocess.Popen(
            evaluate_command(data, lane.out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started = time.monotonic()
        if in_write:
            while proc.poll() is None and not lane.leftovers():
                if time.monotonic() - started > 10 * duration:
                    break
                time.sleep(0.001)
            time.sleep(moment.uniform(0, max(0.005, gone - appeared)))
        else:
            time.sleep(moment.uniform(0, duration * 1.05))
        hit = bool(lane.leftovers())
        finished = proc.poll() is not None
        if not finished:
            os.kill(proc.pid, sig)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            with lock:
                section.fail(f"kills: {sig.name} run {k}: still running 60 s after the signal")
        content = lane.out.read_bytes()
        if content == OLD:
            state = "old"
        elif hashlib.sha256(content).hexdigest() == expected:
            state = "new"
        else:
            state = "half"
        left = lane.leftovers()
        with lock:
            tally = per_signal.setdefault(sig.name, Counter())
            tally[state] += 1
            tally["completed" if finished else "signalled"] += 1
            tally["in-write"] += hit and not finished
            tally["leftovers"] += len(left)
            counts[state] += 1
            if left:
                largest = max(p.stat().st_size for p in left) / 1e6
                tally["leftover-mb-max"] = max(tally["leftover-mb-max"], round(largest))
            if state == "half":
                section.fail(
                    f"kills: {sig.name} run {k}: OUT is neither old nor complete "
                    f"({len(content)} of {size} bytes)"
                )
            if left and sig != signal.SIGKILL:
                section.fail(f"kills: {sig.name} run {k}: {len(left)} temporary file(s) left")

    def run_lane(index: int) -> None:
        lane = lanes[index]
        moment = random.Random(f"{args.seed}:kills:{index}")
        for sig, k in plans[index]:
            one_run(lane, sig, k, moment)
        before = len(lane.leftovers())
        proc = subprocess.run(evaluate_command(data, lane.out), capture_output=True, check=False)
        after = lane.leftovers()
        complete = hashlib.sha256(lane.out.read_bytes()).hexdigest() == expected
        with lock:
            counts["before-final-run"] += before
            counts["after-final-run"] += len(after)
            if proc.returncode != 0 or not complete:
                section.fail(f"kills: the final normal run failed (exit {proc.returncode})")
            if after:
                section.fail(f"kills: {len(after)} temporary file(s) left after a normal run")

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(lanes)) as pool:
        list(pool.map(run_lane, range(len(lanes))))
    del rng
    section.counts = {
        "old": counts["old"],
        "new": counts["new"],
        "half": counts["half"],
        "in-write": sum(t["in-write"] for t in per_signal.values()),
        "done-before-signal": sum(t["completed"] for t in per_signal.values()),
        "leftovers-before-final-run": counts["before-final-run"],
        "leftovers-after-final-run": counts["after-final-run"],
    }
    section.extra.update(
        communes=communes,
        output_mb=round(size / 1e6, 1),
        normal_run_s=round(duration, 2),
        write_window_s=round(gone - appeared, 3),
        per_signal={k: dict(v) for k, v in per_signal.items()},
    )
    leftovers = "  ".join(
        f"{name.removeprefix('SIG')} {per_signal.get(name, Counter())['leftovers']}"
        for name in ("SIGTERM", "SIGINT", "SIGHUP", "SIGKILL")
    )
    section.extra["lines"] = [
        figures(section.counts, ["old", "new", "half", "in-write", "done-before-signal"]),
        f"leftovers after the signal: {leftovers}",
        f"after one more normal run: {counts['after-final-run']}  ({communes} communes, "
        f"{size / 1e6:.0f} MB, run {duration:.1f} s, {len(lanes)} lane(s))",
    ]
    return section


# ============================================================================================
# Main
# ============================================================================================
SECTIONS: dict[str, tuple[str, Callable[[argparse.Namespace, Path], Section] | None]] = {
    "records": ("1", attack_records),
    "rulesets": ("2", attack_rulesets),
    "hand-made": ("3", attack_hand_made),
    "one-process": ("4", None),  # started in the background: see main()
    "threads": ("5", attack_threads),
    "forks": ("6", attack_forks),
    "kills": ("7", attack_kills),
}


def run_section(
    name: str,
    attack: Callable[[argparse.Namespace, Path], Section],
    args: argparse.Namespace,
    folder: Path,
) -> Section:
    begun = time.monotonic()
    folder.mkdir()
    try:
        section = attack(args, folder)
    except Exception as exc:  # the harness itself failed: say so, keep going
        section = Section(name, name)
        section.fail(f"{name}: the attack itself failed: {last_frames(exc, 6)}")
        section.extra["lines"] = ["the attack itself failed"]
    section.seconds = time.monotonic() - begun
    print(f"      {section.seconds:.0f} s", file=sys.stderr, flush=True)
    return section


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Re-run the attacks of issue #6 against the current code and report figures."
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run of about a minute")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also save the figures")
    parser.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 2, help="worker processes (default: CPUs)"
    )
    parser.add_argument(
        "--only", metavar="NAMES", help=f"comma-separated sections: {', '.join(SECTIONS)}"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--last", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def commit() -> str:
    """The commit under attack, ``+dirty`` when the library has uncommitted changes."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "ntm_rules", "rulesets"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
        return (head or "?") + ("+dirty" if dirty else "")
    return "?"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # the library logs what it skips (a non-UTF-8 neighbour): expected here, not news
    logging.getLogger("ntm_rules").setLevel(logging.ERROR)
    if args.worker in ("records", "rulesets"):
        worker_main(args.worker, args.seed, args.first, args.last, args.scratch)
        return 0
    if args.worker in ("soak", "forks"):
        work = soak_worker if args.worker == "soak" else forks_worker
        sys.stdout.write(MARK + json.dumps(work(args.last, args.seed)) + "\n")
        return 0
    names = list(SECTIONS) if not args.only else [n.strip() for n in args.only.split(",")]
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        sys.exit(f"unknown section(s): {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    started = time.monotonic()
    mode = "quick" if args.quick else "full"
    attacked = commit()
    header = (
        f"ntm-rules attack harness (issue #6): {mode} run, seed {args.seed}, "
        f"{args.jobs} jobs, commit {attacked}"
    )
    sections: list[Section] = []
    background: subprocess.Popen[str] | None = None
    args.kill_lanes = max(1, min(2, args.jobs))
    with tempfile.TemporaryDirectory(prefix="ntm-attack-") as tmp:
        for name in [n for n in SECTIONS if n in names]:
            number, attack = SECTIONS[name]
            if attack is None:  # one process: runs beside the next sections
                print(f"[{number}/7] {name} (in the background) ...", file=sys.stderr, flush=True)
                background, background_started = start_one_process(args), time.monotonic()
                args.kill_lanes = max(1, min(2, args.jobs - 1))
                continue
            print(f"[{number}/7] {name} ...", file=sys.stderr, flush=True)
            sections.append(run_section(name, attack, args, Path(tmp) / name))
        if background is not None:
            section = finish_one_process(args, background)
            section.seconds = time.monotonic() - background_started
            sections.append(section)
    sections.sort(key=lambda s: SECTIONS[s.key][0])
    elapsed = time.monotonic() - started
    failures = [f for s in sections for f in s.failures]
    lines = [header[:WIDTH], "=" * min(WIDTH, len(header))]
    for section in sections:
        number = SECTIONS[section.key][0]
        section.title = f"{number} {section.title}"
        lines += report_lines(section, section.extra.pop("lines", []))
    lines.append("-" * WIDTH)
    kinds = Counter(k for s in sections for k in s.kinds)
    if failures:
        lines.append(f"FAILURES by kind ({len(failures)} in all; every one in --json):")
    for kind, count in kinds.most_common():
        example = next(
            f for s in sections for f, k in zip(s.failures, s.kinds, strict=True) if k == kind
        )
        lines += textwrap.wrap(f"{count:>4} x {kind}", WIDTH, subsequent_indent=" " * 8)
        lines += textwrap.wrap(
            f"e.g. {example}",
            WIDTH,
            initial_indent=" " * 8,
            subsequent_indent=" " * 10,
            break_long_words=True,
        )
    if commit() != attacked:  # worker processes import the library afresh
        lines.append(f"WARNING: the code changed during the run ({attacked} -> {commit()})")
    minutes, seconds = divmod(round(elapsed), 60)
    verdict = "no failures" if not failures else f"{len(failures)} failure(s)"
    lines.append(f"RESULT: {verdict}  (run time {minutes}m{seconds:02d}s)")
    print("\n".join(lines))
    if args.json:
        document = {
            "mode": mode,
            "seed": args.seed,
            "jobs": args.jobs,
            "commit": attacked,
            "commit_at_end": commit(),
            "seconds": round(elapsed, 1),
            "failures": failures,
            "sections": {s.key: s.to_dict() for s in sections},
        }
        args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
