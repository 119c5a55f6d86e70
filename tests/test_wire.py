"""Text literals compare in the rule engine exactly as Python compares them (after the NFC
normalisation and trimming every input and ruleset text gets): Vietnamese names, emoji, quotes,
backslashes, numbers written as text.

durable-rules compares texts byte by byte as they stand in its JSON, so this holds only because
rules and facts are written by one encoder (``ntm_rules.engine.wire``)."""

from __future__ import annotations

import itertools
import json
import unicodedata
from pathlib import Path

import pytest
from generated_rulesets import ruleset_text
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ntm_rules import EngineError, Evaluator, load_ruleset
from ntm_rules.engine.wire import encode, encode_facts

_counter = itertools.count()

# printable characters a rule author can type in a YAML file: letters (with their marks),
# digits, punctuation, symbols (emoji among them) and spaces
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")),
    min_size=1,
    max_size=12,
)


def _ruleset(directory: Path, literal: str) -> Path:
    quote = "'" if "'" not in literal else '"'
    text = f"{quote}{literal}{quote}"
    conditions = [
        "has_craft_village",  # the generated ruleset's first indicator also reads param.income
        f"district == {text}",
        f"district != {text}",
        f"district in [{text}, 'Không có huyện này']",
        f"district not in [{text}]",
    ]
    body = ruleset_text([[json.dumps(c, ensure_ascii=False)[1:-1] for c in conditions]])
    path = directory / f"literal-{next(_counter)}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("literals")


@settings(max_examples=150)
@given(literal=TEXT, other=TEXT, same=st.booleans(), decompose=st.booleans())
@example(literal="Mộc Châu", other="Mộc Châu", same=True, decompose=False)
@example(literal="Mộc Châu", other="Mộc Châu", same=True, decompose=True)
@example(literal="Sơn La", other="Sơn", same=False, decompose=False)
@example(literal="Sơn", other="Sơn La", same=False, decompose=False)
@example(literal='a"b\\c', other='a"b\\c', same=True, decompose=False)
@example(literal="80", other="80.0", same=False, decompose=False)
@example(literal="😀 Điện Biên", other="😀 Điện Biên", same=True, decompose=False)
@example(literal="true", other="true", same=True, decompose=False)
def test_text_literals_compare_as_python_does(
    directory: Path, literal: str, other: str, same: bool, decompose: bool
) -> None:
    if "'" in literal and '"' in literal:
        literal = literal.replace('"', "")
    if not literal.strip() or len(literal) > 12:
        return
    value = literal if same else other
    if decompose:  # an office file written in another Unicode form
        value = unicodedata.normalize("NFD", value)
    ruleset = load_ruleset(_ruleset(directory, literal))
    result = Evaluator(ruleset).evaluate(
        {"code": "T", "region": "tn", "year": 2024, "district": value, "income_per_capita": 1.0}
    )
    statuses = [i.status for i in result.indicators]
    expected_equal = _normal(value) == unicodedata.normalize("NFC", literal)
    if not _normal(value):  # a blank text is no value
        assert statuses[1:] == ["missing"] * 4
        return
    equal, different = ("met", "not_met") if expected_equal else ("not_met", "met")
    assert statuses[1:] == [equal, different, equal, different], (literal, value, statuses)


@given(value=st.text(max_size=30))
def test_the_wire_form_is_ascii_json_that_reads_back(value: str) -> None:
    text = encode({"t": value, "n": [1, 2.5, 0.00005, -0.0]})
    assert text.isascii()
    assert "e-" not in text.lower().replace(json.dumps(value).lower(), "")
    assert json.loads(text) == {"t": value, "n": [1, 2.5, 0.00005, -0.0]}


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 10**16, -(10**16), 1e300, None, b"bytes", "x" * 501],
)
def test_what_the_engine_cannot_hold_never_reaches_it(value: object) -> None:
    with pytest.raises(EngineError, match="'v'"):
        encode_facts([{"u": 0, "v": value}])
    with pytest.raises(EngineError):
        encode({"rule": {"v": value}})


def test_a_fact_wider_than_the_engine_holds_never_reaches_it() -> None:
    fact = {"u": 0, **{f"v{n}": n for n in range(254)}}
    with pytest.raises(EngineError, match="over 254"):
        encode_facts([fact])
    with pytest.raises(EngineError, match="over 254"):
        encode_facts([fact], vouched=True)
    assert len(encode_facts([{"u": 0, **{f"v{n}": n for n in range(253)}}])) == 1
