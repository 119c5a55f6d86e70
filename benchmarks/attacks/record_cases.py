"""Section 1's cases: a valid record of ``vn.commune.ntm.2021``, and the mutations that turn
it into an attack, each saying what must happen (read as sent, or refused naming the field)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ntm_rules.models.commune_2021 import Commune2021
from ntm_rules.models.vocabulary import FieldSpec, field_specs
from tests.generated_rulesets import AXIS_FLAGS, BOOLS, NUMBERS

from .common import NATIONAL_ID, PLACES, SONLA_ID, nfc, nfd

SPECS = {s.name: s for s in field_specs(Commune2021)}
IDENTITY = ("code", "name", "province", "district", "region", "year")
MEASURES = [s for s in SPECS.values() if s.name not in IDENTITY and s.name not in AXIS_FLAGS]
PERCENT_FIELDS = [n for n in NUMBERS if SPECS[n].maximum == 100]
AMOUNT_FIELDS = [n for n in NUMBERS if SPECS[n].maximum is None]
COUNT_FIELDS = [s.name for s in MEASURES if s.kind == "int" and s.unit == "count"]
REGIONS = SPECS["region"].choices
TRUE_WORDS = ("true", "1", "yes", "có", "đạt", "x", "TRUE", "Có", "ĐẠT", "X")
FALSE_WORDS = ("false", "0", "no", "không", "không đạt", "chưa đạt", "KHÔNG", "Không Đạt")


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
    for flag in AXIS_FLAGS:
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


def m_text_for_number(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(NUMBERS + COUNT_FIELDS)
    if case.transport == "csv":
        case.set(name, Raw(rng.choice(["abc", "tám mươi", "N/A", "—", "50%", "~5"])))
    else:
        case.set(name, rng.choice(["80", "41.5", "abc", "Có", "1e3", "NaN"]))
    case.refuse(name)


def m_bool_for_number(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(NUMBERS + COUNT_FIELDS)
    case.set(name, rng.random() < 0.5)
    case.refuse(name)


def m_number_for_bool(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(BOOLS)
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
    name = rng.choice(NUMBERS + BOOLS)
    case.set(name, rng.choice([[1, 2], {"a": 1}, [], {}, [[[]]]]))
    case.refuse(name)


def m_out_of_range(case: RecordCase, rng: random.Random) -> None:
    if rng.random() < 0.7:
        name = rng.choice(PERCENT_FIELDS)
        value = rng.choice([100.0000001, 101, -1, -0.0001, 1e15, 100.00000000000001, 250.5])
    else:
        name = rng.choice(AMOUNT_FIELDS + COUNT_FIELDS)
        value = rng.choice([-1, -0.5, -(10**15)])
    case.set(
        name, Raw(repr(value).replace(".", rng.choice(".,"))) if case.transport == "csv" else value
    )
    case.refuse(name)


def m_magnitude(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(AMOUNT_FIELDS + COUNT_FIELDS)
    if case.transport == "csv":
        case.set(name, Raw(rng.choice(["10000000000000000", "99999999999999999999", "1" * 40])))
    elif case.transport == "json":
        case.set(name, Raw(rng.choice(["1e16", "-1e16", "10000000000000001", "1e300", "1.5e15"])))
    else:
        case.set(name, rng.choice([1e16, 10**16, -1e16, 1e300, 10**15 + 1, 2**63]))
    case.refuse(name)


def m_boundary_ok(case: RecordCase, rng: random.Random) -> None:
    if rng.random() < 0.5:
        name, value = rng.choice(AMOUNT_FIELDS), rng.choice([1e15, 10**15, 0, 0.0])
    else:
        name, value = rng.choice(PERCENT_FIELDS), rng.choice([100, 100.0, 0, 0.0, 99.9999999])
    if case.transport == "csv":
        text = str(int(value)) if float(value).is_integer() else repr(value)
        case.set(name, Raw(text), float(value))
    else:
        case.set(name, value, value)


def m_non_finite(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(NUMBERS + COUNT_FIELDS)
    if case.transport == "json":
        case.set(name, Raw(rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-1e400"])))
    elif case.transport == "csv":
        case.set(name, Raw(rng.choice(["nan", "inf", "-inf", "Infinity", "NaN"])))
    else:
        case.set(name, rng.choice([math.nan, math.inf, -math.inf]))
    case.refuse(name)


def m_huge_int(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(NUMBERS + COUNT_FIELDS + ["year"])
    if case.transport in FILES:
        digits = rng.choice([5000, 4301, 400, 309, 21])
        case.set(name, Raw(rng.choice(["", "-"]) + "9" * digits))
    else:
        case.set(name, rng.choice([10**5000, -(10**5000), 2**2000, 10**309, 10**400]))
    case.refuse(name)


def m_tiny(case: RecordCase, rng: random.Random) -> None:
    name = rng.choice(AMOUNT_FIELDS)
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
    name = rng.choice(COUNT_FIELDS)
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
    name = rng.choice(AMOUNT_FIELDS)
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
    name = rng.choice(BOOLS)
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
    name = rng.choice(NUMBERS)
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
