"""Errors a rule author can act on (issue #7, item 6).

Every independent mistake of a file is reported in one run, each with its file and line; YAML
syntax errors are said in plain words; conditions written with another language's operators
get a hint; unknown ids get the closest known one; a looser provincial value names the dates
that clash and, when the clash is only in time, suggests `until:` (or `from:`); and every
message is Vietnamese by default and English with ``--lang en``.
"""

from __future__ import annotations

import ast
import errno
import re
import unicodedata
from pathlib import Path

import pytest
from cli_support import run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ntm_rules import RulesetError, RulesetErrors, load_ruleset
from ntm_rules.cli.errors import os_message, usage_text
from ntm_rules.expr import ExprSyntaxError, parse
from ntm_rules.yaml_source import load_yaml_text

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "ntm_rules"
NATIONAL = REPO / "rulesets" / "national" / "commune-ntm-2021.yaml"
MINIMAL = Path(__file__).resolve().parent / "fixtures" / "minimal-valid.yaml"
SOURCE = NATIONAL.read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "commune-ntm-2021.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> RulesetError:
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    return info.value


def line_of(text: str, fragment: str, occurrence: int = 0) -> int:
    """1-based line of the ``occurrence``-th line containing ``fragment`` (-1: the last)."""
    found = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    assert found and len(found) > occurrence, fragment
    return found[occurrence]


def is_nfc(text: str) -> bool:
    return unicodedata.normalize("NFC", text) == text


# -- YAML syntax in plain words ------------------------------------------------------------------
MAPPING = "documents:\n  qd318:\n    number: 318/QĐ-TTg\n    date: 2022-03-08\n"


@pytest.mark.parametrize(
    ("bad", "line", "column", "vi", "en"),
    [
        pytest.param(
            MAPPING.replace("    date", "\tdate"),
            4,
            1,
            "có ký tự tab",
            "a tab character; YAML indents with spaces only",
            id="tab",
        ),
        pytest.param(
            MAPPING.replace("    date", "   date"),
            4,
            4,
            "thụt lề không khớp với dòng trên: dòng này thụt 3 dấu cách, dòng 3 thụt 4",
            "the indentation does not match the lines above: this line is indented by 3",
            id="indentation",
        ),
        pytest.param(
            MAPPING.replace("number: 318/QĐ-TTg", "number 318/QĐ-TTg"),
            3,
            5,
            "thiếu dấu hai chấm (:) sau khóa 'number 318/QĐ-TTg'",
            "missing colon (:) after the key 'number 318/QĐ-TTg'",
            id="missing colon",
        ),
        pytest.param(
            MAPPING.replace("number: 318/QĐ-TTg", "number: '318/QĐ-TTg"),
            3,
            13,
            "dấu nháy mở ở dòng 3, cột 13 không được đóng",
            "the quote opened at line 3, column 13 is never closed",
            id="unclosed quote",
        ),
        pytest.param(
            MAPPING.replace("number: 318/QĐ-TTg", "number: [318/QĐ-TTg"),
            3,
            13,
            "dấu '[' mở ở dòng 3, cột 13 không được đóng bằng ']'",
            "the '[' opened at line 3, column 13 is not closed with ']'",
            id="unclosed bracket",
        ),
        pytest.param(
            MAPPING + "    number: 319/QĐ-TTg\n",
            5,
            5,
            "khóa 'number' xuất hiện hai lần trong cùng một ánh xạ (lần đầu ở dòng 3)",
            "duplicate key 'number' (first at line 3)",
            id="duplicate key",
        ),
        pytest.param(
            MAPPING.replace("date: 2022-03-08", "date: 2022-03-08\n      url: x"),
            5,
            10,
            "dòng này thụt lề sâu hơn dòng 4, nhưng dòng 4 đã có giá trị",
            "this line is indented deeper than line 4, which already has a value",
            id="deeper after a value",
        ),
    ],
)
def test_yaml_syntax_errors_are_said_in_plain_words(
    tmp_path: Path, bad: str, line: int, column: int, vi: str, en: str
) -> None:
    path = write(tmp_path, bad)
    error = load_error(path)
    assert (error.line, error.column) == (line, column), str(error)
    assert error.describe("vi").startswith(f"{path}:{line}:{column}: ")
    assert vi in error.describe("vi") and is_nfc(error.describe("vi"))
    assert en in error.describe("en") and en in str(error)


def test_a_yaml_error_is_shown_in_vietnamese_by_default(tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE.replace("\nunit: commune\n", "\nunit:\tcommune\n", 1))
    line = line_of(SOURCE, "unit: commune")
    vi = run("validate", path)
    assert vi.exit_code == 1
    assert f"Lỗi: {path}:{line}:6: có ký tự tab" in vi.stderr
    en = run("validate", path, "--lang", "en")
    assert f"Error: {path}:{line}:6: a tab character" in en.stderr


# -- every independent error in one run ----------------------------------------------------------
# (what to replace, by what, the fragment that marks the line, what the message says)
EDITS = (
    (
        "    unit: mvnd_per_person_year",
        "    unit: mvnd_per_persn_year",
        "mvnd_per_persn_year",
        "unit",
    ),
    (
        "condition: income_per_capita >= param.income_per_capita",
        "condition: income_per_capita = param.income_per_capita",
        "income_per_capita = param",
        "'=='",
    ),
    ("source: {doc: qd318, part: ", "source: {doc: qd381, part: ", "qd381", "qd318"),
    ("    verified: true\n", "    verifed: true\n", "verifed", "verified"),
    ('  - id: "19"', '  - id: "18"', '  - id: "18"', "duplicate criterion id '18'"),
)


def _edited(chosen: list[int]) -> str:
    text = SOURCE
    for n in sorted(chosen, key=lambda k: SOURCE.index(EDITS[k][0]), reverse=True):
        old, new, _, _ = EDITS[n]
        at = SOURCE.index(old)
        text = text[:at] + new + text[at + len(old) :]
    return text


def test_the_edits_are_where_the_test_expects() -> None:
    for old, _, _, _ in EDITS:
        assert old in SOURCE, old


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.sets(st.integers(0, len(EDITS) - 1), min_size=1))
def test_each_independent_mistake_is_reported_once_at_its_line(
    tmp_path: Path, chosen: set[int]
) -> None:
    text = _edited(sorted(chosen))
    path = write(tmp_path, text)
    error = load_error(path)
    errors = error.errors if isinstance(error, RulesetErrors) else (error,)
    assert isinstance(error, RulesetErrors) == (len(chosen) > 1)
    assert len(errors) == len(chosen), error.describe("en")
    found = {e.line for e in errors}
    for n in chosen:
        _, _, marker, said = EDITS[n]
        line = line_of(text, marker, -1)
        hits = [e for e in errors if e.line == line]
        assert hits, (line, error.describe("en"))
        assert said in hits[0].describe("en")
    assert len(found) == len(chosen)
    lines = error.describe("vi").splitlines()
    assert len(lines) == len(chosen)
    assert all(line.startswith(f"{path}:") for line in lines)


def test_validate_prints_each_problem_on_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, _edited([0, 1, 2]))
    result = run("validate", path)
    assert result.exit_code == 1, result.stderr
    problems = [line for line in result.stderr.splitlines() if line.startswith("Lỗi: ")]
    assert len(problems) == 3, result.stderr
    assert all(f"{path}:" in line for line in problems)
    assert "không dùng được trong điều kiện; viết '=='" in result.stderr
    assert "không có văn bản 'qd381' (có phải 'qd318'?)" in result.stderr
    evaluate = run(
        "evaluate",
        "--ruleset",
        path,
        REPO / "examples" / "sonla-communes-2023.json",
        "--lang",
        "en",
    )
    assert evaluate.stderr.count("Error: ") == 3, evaluate.stderr


def test_a_failed_part_is_not_reported_again_where_it_is_used(tmp_path: Path) -> None:
    # a broken parameter: its conditions are not said to name an unknown parameter, and a
    # broken document is not said to be unknown wherever it is cited
    text = SOURCE.replace("    unit: mvnd_per_person_year", "    unit: 12", 1)
    text = text.replace("  qd318:\n", "  qd318: [\n", 1)
    error = load_error(write(tmp_path, text))
    assert not isinstance(error, RulesetErrors), error.describe("en")
    text = SOURCE.replace("    unit: mvnd_per_person_year", "    unit: 12", 1)
    error = load_error(write(tmp_path, text))
    assert not isinstance(error, RulesetErrors), error.describe("en")
    assert "quote it" in str(error)


def test_an_unknown_extends_stops_the_reading(tmp_path: Path) -> None:
    text = (
        "format: 1\nid: x\nversion: '1'\nextends: vn.commune.ntm.2012\n"
        "title: {vi: X, en: X}\ndocuments: {}\nbogus: 1\n"
    )
    error = load_error(write(tmp_path, text, "x.yaml"))
    said = error.describe("en")
    assert "unknown key 'bogus'" in said
    assert "extended ruleset 'vn.commune.ntm.2012' not found" in said
    assert "(did you mean 'vn.commune.ntm.2021'?)" in said
    assert "không tìm thấy bộ tiêu chí được mở rộng" in error.describe("vi")
    assert len(error.describe("en").splitlines()) == 2


# -- hints in conditions -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("condition", "wrote", "use"),
    [
        ("a = 1", "=", "=="),
        ("a > 1 && b", "&&", "and"),
        ("a > 1 || b", "||", "or"),
        ("a > 1 và b", "và", "and"),
        ("a > 1 hoặc b", "hoặc", "or"),
        ("không a", "không", "not"),
        ("a ≥ 3", "≥", ">="),
        ("a ≤ 3", "≤", "<="),
        ("a ≠ 3", "≠", "!="),
        ("a => 3", "=>", ">="),
        ("a > 1 AND b", "AND", "and"),
        ("!a", "!", "not"),
    ],
)
def test_operators_of_other_languages_get_a_hint(condition: str, wrote: str, use: str) -> None:
    with pytest.raises(ExprSyntaxError) as info:
        parse(condition)
    assert info.value.pos == condition.index(wrote)
    assert info.value.text.en == f"'{wrote}' is not part of the condition language; write '{use}'"
    assert info.value.text.vi == f"'{wrote}' không dùng được trong điều kiện; viết '{use}'"


@pytest.mark.parametrize(
    "condition", ["a == 1 and android", "not b or c != 2", "x >= 1 and y <= 2"]
)
def test_the_condition_language_itself_gets_no_hint(condition: str) -> None:
    parse(condition)


def test_a_condition_hint_points_at_the_column(tmp_path: Path) -> None:
    old = "condition: income_per_capita >= param.income_per_capita"
    new = "condition: income_per_capita >= param.income_per_capita và true"
    text = SOURCE.replace(old, new, 1)
    error = load_error(write(tmp_path, text))
    line = line_of(text, new)
    column = text.splitlines()[line - 1].index("và") + 1
    assert (error.line, error.column) == (line, column)
    assert "'và' không dùng được trong điều kiện; viết 'and'" in error.describe("vi")


def test_an_unknown_field_gets_the_closest_name(tmp_path: Path) -> None:
    old = "condition: income_per_capita >= param.income_per_capita"
    text = SOURCE.replace(old, old.replace("income_per_capita >=", "income_per_capta >="), 1)
    error = load_error(write(tmp_path, text))
    assert "unknown name 'income_per_capta' (did you mean 'income_per_capita'?)" in str(error)
    assert "không có tên 'income_per_capta' (có phải 'income_per_capita'?)" in error.describe("vi")


# -- did-you-mean for ids ------------------------------------------------------------------------
PROVINCE_HEAD = """format: 1
id: test.sonla.ntm.2021
version: "1"
extends: vn.commune.ntm.2021
scope: {province: Sơn La, region: tdmnpb}
title: {vi: Bộ tiêu chí thử của tỉnh Sơn La, en: Test Sơn La criteria}
documents:
  sl1002: {number: 1002/QĐ-UBND, date: 2022-06-06}
"""


def override(parameter: str, start: str, by: str, until: str | None = None) -> str:
    lines = [f"  - parameter: {parameter}", f"    from: {start}"]
    if until:
        lines.append(f"    until: {until}")
    lines += [f"    by: {by}", "    source: {doc: sl1002}", "    verified: true"]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("section", "vi", "en"),
    [
        (
            "overrides:\n" + override("income_per_capta", "2022-06-06", "{tdmnpb: 45}"),
            "không có tham số 'income_per_capta' (có phải 'income_per_capita'?)",
            "unknown parameter 'income_per_capta' (did you mean 'income_per_capita'?)",
        ),
        (
            'overrides:\n  - indicator: "17,10"\n    source: {doc: sl1002}\n    verified: true\n',
            "không có chỉ tiêu '17,10' (có phải '17.10'?)",
            "unknown indicator '17,10' (did you mean '17.10'?)",
        ),
        (
            "checklist:\n  - parameter: income_per_capit\n    note: check it\n",
            "không có tham số 'income_per_capit' (có phải 'income_per_capita'?)",
            "unknown parameter 'income_per_capit' (did you mean 'income_per_capita'?)",
        ),
        (
            "imports:\n  national: vn.commune.ntm.2012\n",
            "không tìm thấy bộ tiêu chí được nhập 'vn.commune.ntm.2012'",
            "imported ruleset 'vn.commune.ntm.2012' not found (neither a file nor a bundled "
            "ruleset id) (did you mean 'vn.commune.ntm.2021'?)",
        ),
    ],
)
def test_unknown_ids_get_the_closest_known_one(
    tmp_path: Path, section: str, vi: str, en: str
) -> None:
    error = load_error(write(tmp_path, PROVINCE_HEAD + section, "sonla.yaml"))
    assert vi in error.describe("vi"), error.describe("vi")
    assert en in error.describe("en"), error.describe("en")


# -- a looser value: the dates that clash, and the fix -------------------------------------------
def test_a_value_looser_for_its_whole_period_needs_an_exception(tmp_path: Path) -> None:
    text = (
        PROVINCE_HEAD
        + "overrides:\n"
        + override("income_per_capita", "2022-06-06", "{tdmnpb: 35}", "2024-12-31")
    )
    error = load_error(write(tmp_path, text, "sonla.yaml"))
    en, vi = error.describe("en"), error.describe("vi")
    assert "35 is looser than the value 39 (tdmnpb) set by vn.commune.ntm.2021" in en
    assert "in force from 2022-03-08 to 2024-12-31" in en
    assert "this override is in force from 2022-06-06 to 2024-12-31" in en
    assert "needs `exception: true`" in en and "until:" not in en
    assert "35 lỏng hơn giá trị 39 (tdmnpb) do vn.commune.ntm.2021 quy định" in vi
    assert "áp dụng từ 2022-03-08 đến 2024-12-31" in vi
    assert "cần ghi `exception: true`" not in vi and "chỉ được phép khi ghi `exception: true`" in vi
    assert is_nfc(vi)


def test_a_value_that_clashes_only_with_a_later_value_is_told_to_end(tmp_path: Path) -> None:
    # 41 is stricter than the 2022 value 39 but looser than the 2025 value 48
    text = (
        PROVINCE_HEAD + "overrides:\n" + override("income_per_capita", "2022-06-06", "{tdmnpb: 41}")
    )
    error = load_error(write(tmp_path, text, "sonla.yaml"))
    en, vi = error.describe("en"), error.describe("vi")
    assert "41 is looser than the value 48 (tdmnpb)" in en
    assert "in force from 2025-01-01 onwards" in en
    assert "this override is in force from 2022-06-06 onwards" in en
    assert "The clash is only in time: against the value 39 in force from 2022-03-08" in en
    assert "`until: 2024-12-31`" in en and "rather than marking it `exception: true`" in en
    assert "Chỉ vênh về thời gian" in vi and "`until: 2024-12-31`" in vi
    # what it suggests works
    fixed = (
        PROVINCE_HEAD
        + "overrides:\n"
        + override("income_per_capita", "2022-06-06", "{tdmnpb: 41}", "2024-12-31")
    )
    load_ruleset(write(tmp_path, fixed, "fixed.yaml"))


def test_a_value_that_clashes_only_with_an_earlier_value_is_told_to_start_later(
    tmp_path: Path,
) -> None:
    base = MINIMAL.read_text(encoding="utf-8").replace(
        "        value: 80\n",
        '        value: 80\n      - from: 2025-01-01\n        source: {doc: doc1, item: "1.1"}\n'
        "        verified: true\n        value: 70\n",
    )
    write(tmp_path, base, "base.yaml")
    head = (
        "format: 1\nid: test.province\nversion: '1'\nextends: base.yaml\n"
        "title: {vi: Tỉnh, en: Province}\ndocuments:\n  p1: {number: 1/QĐ-UBND}\n"
        "overrides:\n  - parameter: irrigation\n    from: {start}\n    value: 75\n"
        "    source: {doc: p1}\n    verified: true\n"
    )
    error = load_error(write(tmp_path, head.replace("{start}", "2022-06-01"), "p.yaml"))
    en, vi = error.describe("en"), error.describe("vi")
    assert "75 is looser than the value 80 set by test.minimal" in en
    assert "in force from 2022-01-01 to 2024-12-31" in en
    assert "against the value 70 in force from 2025-01-01 onwards it is not looser" in en
    assert "Start the override with `from: 2025-01-01`" in en
    assert "`from: 2025-01-01`" in vi and "Chỉ vênh về thời gian" in vi
    load_ruleset(write(tmp_path, head.replace("{start}", "2025-01-01"), "fixed.yaml"))


# -- Vietnamese by default, for every message ----------------------------------------------------
def test_ruleset_errors_are_vietnamese_by_default_and_english_on_request(tmp_path: Path) -> None:
    path = write(tmp_path, SOURCE.replace("    unit: mvnd_per_person_year", "    unit: tien", 1))
    vi = run("validate", path)
    assert "Lỗi: " in vi.stderr and "không có đơn vị 'tien'" in vi.stderr
    assert "unknown unit" not in vi.stderr
    en = run("validate", path, "--lang", "en")
    assert "Error: " in en.stderr and "unknown unit 'tien'" in en.stderr


def test_input_errors_are_vietnamese_by_default(tmp_path: Path) -> None:
    data = tmp_path / "data.csv"
    data.write_text("code,region,year,income_per_capita\nX1,tdmnpb,2024,41.500\n", "utf-8")
    vi = run("evaluate", "--ruleset", "vn.commune.ntm.2021", data)
    assert vi.exit_code == 1
    assert f"Lỗi: bản ghi {data}:2 (mã X1), trường 'income_per_capita':" in vi.stderr
    assert "không rõ nghĩa" in vi.stderr
    en = run("evaluate", "--ruleset", "vn.commune.ntm.2021", data, "--lang", "en")
    assert f"Error: record {data}:2 (code X1), field 'income_per_capita':" in en.stderr
    assert "is ambiguous" in en.stderr


def test_an_unknown_ruleset_id_gets_the_closest_one() -> None:
    result = run(
        "evaluate",
        "--ruleset",
        "vn.commune.ntm.2012",
        REPO / "examples" / "sonla-communes-2023.json",
    )
    assert "không tìm thấy bộ tiêu chí 'vn.commune.ntm.2012' (có phải 'vn.commune.ntm.2021'?)" in (
        result.stderr
    )


# -- no message left untranslated ---------------------------------------------------------------
ERRORS = {
    "RulesetError",
    "NtmRulesError",
    "InputError",
    "EvaluationError",
    "EngineError",
    "FieldValueError",
    "ExprSyntaxError",
    "ExprTypeError",
    "CliError",  # its message comes from t(key, lang)
    "error",  # Node.error and the compiler's error
}


def _plain_text(node: ast.expr) -> bool:
    """A message written as an English-only string (a literal, an f-string, or their sum)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _plain_text(node.left) or _plain_text(node.right)
    return False


def _untranslated(source: str) -> list[str]:
    """``line: name(...)`` for each error built from an English-only string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            plain = [arg for arg in node.args if _plain_text(arg)]
            if name in ERRORS and len(plain) == 1:  # two are a (vi, en) pair
                found.append(f"{node.lineno}: {name}(...)")
    return found


def test_every_error_message_is_bilingual() -> None:
    """An error raised with a plain string would show English in a Vietnamese run: every
    message is a ``Text(vi=..., en=...)`` (or ``node.error(vi=..., en=...)``)."""
    found = [
        f"{path.relative_to(REPO)}:{hit}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for hit in _untranslated(path.read_text(encoding="utf-8"))
    ]
    assert not found, "messages without Vietnamese:\n" + "\n".join(found)


def test_the_scan_finds_a_plain_message() -> None:
    sample = (
        "raise RulesetError(f'bad {x}', file=f)\nraise node.error('x' + y)\n"
        "raise node.error(vi='a', en='b')\nraise InputError(Text(vi='a', en='b'), record=r)\n"
        "raise error(node, f'sai {x}', f'wrong {x}')\n"
    )
    assert _untranslated(sample) == ["1: RulesetError(...)", "2: error(...)"]


# -- the command line's own messages -------------------------------------------------------------
@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("No such option: --bogus", "không có tùy chọn --bogus"),
        (
            "No such option: --rulset (Possible options: --ruleset)",
            "không có tùy chọn --rulset (có phải --ruleset?)",
        ),
        (
            "No such command 'evaluat'. Did you mean 'evaluate'?",
            "không có lệnh 'evaluat'. Có phải 'evaluate'?",
        ),
        ("Missing argument 'data'.", "thiếu đối số 'data'."),
        ("Missing option '--ruleset' / '-r'.", "thiếu tùy chọn '--ruleset' / '-r'."),
        ("Option '--ruleset' requires an argument.", "tùy chọn '--ruleset' cần một giá trị."),
        ("Got unexpected extra argument (x.json)", "thừa đối số (x.json)"),
        (
            "Invalid value for '--year' / '-y': 'năm' is not a valid integer.",
            "giá trị không hợp lệ cho '--year' / '-y': 'năm' không phải số nguyên hợp lệ.",
        ),
    ],
)
def test_usage_errors_are_said_in_vietnamese(english: str, vietnamese: str) -> None:
    assert usage_text(english, "vi") == vietnamese
    assert usage_text(english, "en") == english


def test_an_operating_system_error_is_said_in_vietnamese(tmp_path: Path) -> None:
    denied = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "x.csv"))
    assert os_message(denied, "vi") == f"{tmp_path / 'x.csv'}: không có quyền truy cập"
    assert os_message(denied, "en") == f"{tmp_path / 'x.csv'}: Permission denied"


def test_an_unknown_field_of_a_record_gets_the_closest_name(tmp_path: Path) -> None:
    data = tmp_path / "d.json"
    data.write_text('[{"code": "1", "region": "tdmnpb", "yaer": 2024}]', encoding="utf-8")
    vi = run("evaluate", "--ruleset", "vn.commune.ntm.2021", data)
    assert "trường không có trong mô hình dữ liệu: yaer (có phải 'year'?)" in vi.stderr
    en = run("evaluate", "--ruleset", "vn.commune.ntm.2021", data, "--lang", "en")
    assert "unknown field(s): yaer (did you mean 'year'?)" in en.stderr


def test_validate_says_a_shared_problem_once(tmp_path: Path) -> None:
    # nâng cao requires the NTM set next to it: its broken file fails both, said once
    write(tmp_path, SOURCE.replace("    unit: mvnd_per_person_year", "    unit: tien", 1))
    higher = REPO / "rulesets" / "national" / "commune-nang-cao-2021.yaml"
    write(tmp_path, higher.read_text(encoding="utf-8"), higher.name)
    result = run("validate", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.count("không có đơn vị 'tien'") == 1, result.stderr
    assert "Hợp lệ: 0/2 tệp" in result.stdout


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_a_tab_is_found_on_whatever_line_it_is(data: st.DataObject) -> None:
    lines = SOURCE.split("\n")[:200]
    key = re.compile(r"^ +(- )?[A-Za-z_]\w*:")  # an indented key, not a comment or a text's line
    indented = [n for n, line in enumerate(lines) if key.match(line)]
    n = data.draw(st.sampled_from(indented))
    lines[n] = "\t" + lines[n].lstrip(" ")
    with pytest.raises(RulesetError) as info:
        load_yaml_text("\n".join(lines), "f.yaml")
    assert (info.value.line, info.value.column) == (n + 1, 1)
    assert "có ký tự tab" in info.value.describe("vi")
