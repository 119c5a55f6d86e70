"""Running ruleset test cases: resolve the ruleset or ladder, build the record, evaluate it and
compare the result with what the case expects.

A case's ruleset id is looked for beside the test file first (the folder above ``tests/``), so
the copy being edited is the one tested, then along the search path.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..errors import NtmRulesError, RulesetError
from ..ladder import Ladder, LadderResult, level_not_found, load_ladder
from ..result import EvaluationResult, IndicatorResult
from ..ruleset.files import (
    find_in_search_path,
    find_ruleset_file,
    is_ladder_file,
    is_test_file,
    ladder_files,
    ruleset_files,
)
from ..ruleset.loader import load_ruleset
from ..ruleset.model import Ruleset
from ..ruleset.search import BUNDLED, is_bundled, search_path
from ..text import Text, format_number
from ..units import unit_symbol
from .loader import load_case_file
from .model import (
    BELOW,
    LADDER,
    STATUS_WORDS,
    Case,
    CaseResult,
    Comparison,
    CountExpectation,
    DataRecord,
    Expectation,
    FileResult,
    LadderExpectation,
    RecordSpec,
    Target,
    Where,
)

TOLERANCE = 1e-9
_OPS = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}


def find_case_files(paths: Iterable[Path]) -> list[Path]:
    """The test files among ``paths`` (a folder: every ``*.test.yaml`` under it), sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and is_test_file(p)))
        else:
            found.append(path)
    return list(dict.fromkeys(found))


def default_case_files() -> list[Path]:
    """The tests of the rulesets on the search path, first folder first. A bundled test file is
    left out when a set it names is shadowed by a folder of the user's (that folder's own copy
    of the tests runs instead)."""
    found: list[Path] = []
    for entry in search_path():
        for file in find_case_files([entry.path]):
            if entry.origin != BUNDLED or not _shadowed(file):
                found.append(file)
    return found


def _shadowed(file: Path) -> bool:
    for case in load_case_file(file).cases:
        target = case.target
        if target.reference.lower().endswith((".yaml", ".yml")) or "/" in target.reference:
            continue
        winner = find_in_search_path(target.reference, ladder=target.kind == LADDER)
        if winner is not None and not is_bundled(winner):
            return True
    return False


def run_file(path: Path | str) -> FileResult:
    """Every case of one test file."""
    loaded = load_case_file(path)
    return FileResult(loaded.file, tuple(run_case(case) for case in loaded.cases), loaded.errors)


def run_case(case: Case) -> CaseResult:
    """One case: its comparisons, or the error that kept it from running."""
    target_id = None
    try:
        target = resolve_target(case.target)
        target_id = target.id
        record = build_record(case.record, target, case.name)
        if isinstance(target, Ladder):
            assert isinstance(case.expect, LadderExpectation)
            ladder_result = evaluate_on(target, record, case.year, case.on)
            comparisons = compare_ladder(ladder_result, case.expect)
        else:
            assert isinstance(case.expect, Expectation)
            from ..evaluation import evaluator_for

            result = evaluator_for(target).evaluate(record, year=case.year, on=case.on)
            comparisons = compare(result, case.expect, "")
    except NtmRulesError as exc:
        return CaseResult(case, target_id, (), _located(exc, case.where))
    return CaseResult(case, target_id, tuple(comparisons))


def _located(exc: NtmRulesError, at: Where) -> NtmRulesError:
    """An error of the library, said at the case that caused it."""
    if isinstance(exc, RulesetError) and exc.file is not None:
        return exc
    return RulesetError(
        Text(vi=exc.describe("vi"), en=exc.describe("en")), file=at.file, line=at.line
    )


def _error(at: Where, vi: str, en: str) -> RulesetError:
    return RulesetError(Text(vi=vi, en=en), file=at.file, line=at.line)


# -- what the case runs against -----------------------------------------------------------------
def _home(test_file: Path) -> Path:
    """The folder whose rulesets a test file tests: the folder above ``tests/``, or its own."""
    folder = test_file.parent
    return folder.parent if folder.name == "tests" else folder


def resolve_target(target: Target) -> Ruleset | Ladder:
    """The ruleset or ladder a case names: a path relative to the test file, or an id beside
    the test file, then along the search path."""
    test_file = Path(target.where.file)
    reference = target.reference
    ladder = target.kind == LADDER
    if reference.lower().endswith((".yaml", ".yml")) or "/" in reference:
        path = test_file.parent / reference
        if not path.is_file():
            raise _error(
                target.where,
                f"không tìm thấy tệp {path}",
                f"file not found: {path}",
            )
        if is_ladder_file(path) != ladder:
            raise _error(
                target.where,
                f"{path} không phải là {'thang' if ladder else 'bộ tiêu chí'}; "
                f"dùng khóa '{'ruleset' if ladder else 'ladder'}'",
                f"{path} is not a {'ladder' if ladder else 'ruleset'}; "
                f"use the key '{'ruleset' if ladder else 'ladder'}'",
            )
        return load_ladder(path) if ladder else load_ruleset(path)
    home = _home(test_file)
    if ladder:
        found = ladder_files(home).get(reference) or ladder_files().get(reference)
    else:
        found = ruleset_files(home).get(reference) or find_ruleset_file(reference, test_file)
    if found is None:
        other = ruleset_files(home).get(reference) if ladder else ladder_files(home).get(reference)
        other = other or (ruleset_files() if ladder else ladder_files()).get(reference)
        if other is not None:
            raise _error(
                target.where,
                f"'{reference}' là {'bộ tiêu chí' if ladder else 'thang'}; "
                f"dùng khóa '{'ruleset' if ladder else 'ladder'}'",
                f"'{reference}' is a {'ruleset' if ladder else 'ladder'}; "
                f"use the key '{'ruleset' if ladder else 'ladder'}'",
            )
        raise _error(
            target.where,
            f"không tìm thấy {'thang' if ladder else 'bộ tiêu chí'} '{reference}' "
            f"(đã tìm trong {home} và các thư mục bộ tiêu chí)",
            f"no {'ladder' if ladder else 'ruleset'} '{reference}' (looked in {home} and the "
            "rulesets folders)",
        )
    return load_ladder(found) if ladder else load_ruleset(found)


def _model(target: Ruleset | Ladder) -> type[Any]:
    if isinstance(target, Ladder):
        top = find_ruleset_file(target.levels[-1], Path(target.file))
        if top is None:
            raise RulesetError(level_not_found(target.levels[-1]), file=target.file)
        return load_ruleset(top).model
    return target.model


def build_record(spec: RecordSpec, target: Ruleset | Ladder, name: str) -> dict[str, Any]:
    """The case's input as a mapping of fields: the base record with the changes applied. A
    record without a code gets the case's name as its code."""
    if isinstance(spec.fields, DataRecord):
        fields = _data_record(spec.fields, spec.where, _model(target))
    else:
        fields = dict(spec.fields)
    fields.update(spec.changes)
    fields.setdefault("code", name[:200])
    return fields


def _data_record(data: DataRecord, at: Where, model: type[Any]) -> dict[str, Any]:
    from ..models.structuring import load_records, unstructure

    path = Path(at.file).parent / data.file
    if not path.is_file():
        raise _error(at, f"không tìm thấy tệp dữ liệu {path}", f"data file not found: {path}")
    for record in load_records(path, model):
        if record.code == data.code:
            return unstructure(record)
    raise _error(
        at,
        f"không có bản ghi mã '{data.code}' trong {path}",
        f"no record with code '{data.code}' in {path}",
    )


def evaluate_on(ladder: Ladder, record: Any, year: int | None, on: dt.date | None) -> LadderResult:
    """A unit on every level of a ladder, on a date or in a year."""
    from ..evaluation import evaluator_for

    top = load_ruleset(_top_file(ladder))
    chain = [evaluator_for(top).evaluate(record, year=year, on=on)]
    while chain[-1].prerequisite is not None and chain[-1].prerequisite.computed is not None:
        chain.append(chain[-1].prerequisite.computed)
    return LadderResult(ladder, tuple(reversed(chain)))


def _top_file(ladder: Ladder) -> Path:
    top = find_ruleset_file(ladder.levels[-1], Path(ladder.file))
    if top is None:
        raise RulesetError(level_not_found(ladder.levels[-1]), file=ladder.file)
    return top


# -- comparing ----------------------------------------------------------------------------------
def _status(value: str | None) -> Text:
    if value is None:
        return Text(vi="không có", en="none")
    word = STATUS_WORDS.get(value)
    return word if word is not None else Text(vi=value, en=value)


def _plain(value: str) -> Text:
    return Text(vi=value, en=value)


def _subject(vi: str, en: str, prefix: str) -> Text:
    if not prefix:
        return Text(vi=vi, en=en)
    return Text(vi=f"{prefix} › {vi}", en=f"{prefix} › {en}")


def compare(result: EvaluationResult, expect: Expectation, prefix: str) -> list[Comparison]:
    """Every expectation of one ruleset's result, compared."""
    found: list[Comparison] = []
    if expect.status is not None:
        found.append(
            Comparison(
                "status",
                result.status == expect.status,
                _subject("mức", "level", prefix),
                _status(expect.status),
                _status(result.status),
                _level_detail(result),
                key=result.ruleset.id,
                data={"expected_status": expect.status, "actual_status": result.status},
            )
        )
    if expect.criteria_met is not None:
        found.extend(_criteria_met(result, expect.criteria_met, prefix))
    criteria = {c.id: c for c in result.criteria}
    for criterion_id, (expected, at) in expect.criteria.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise _unknown(at, "tiêu chí", "criterion", criterion_id, list(criteria))
        failing = [i for i in criterion.indicators if i.status != "met"]
        detail = "; ".join(f"{i.id}: {_status(i.status).vi}" for i in failing)
        detail_en = "; ".join(f"{i.id}: {_status(i.status).en}" for i in failing)
        found.append(
            Comparison(
                "criterion",
                criterion.status == expected,
                _subject(f"tiêu chí {criterion_id}", f"criterion {criterion_id}", prefix),
                _status(expected),
                _status(criterion.status),
                Text(vi=detail, en=detail_en) if failing else None,
                key=criterion_id,
                data={"expected_status": expected, "actual_status": criterion.status},
            )
        )
    indicators = {i.id: i for i in result.indicators}
    if result.recognition is not None:
        indicators.update({c.id: c for c in result.recognition.conditions})
    for item in expect.indicators:
        indicator = indicators.get(item.id)
        if indicator is None:
            raise _unknown(item.where, "chỉ tiêu", "indicator", item.id, list(indicators))
        found.extend(_indicator(indicator, item.status, item.threshold, item.value, prefix))
    axes = {a.axis: a for a in result.axes}
    for axis, (expected, at) in expect.axes.items():
        choice = axes.get(axis)
        if choice is None:
            raise _unknown(at, "trục", "axis", axis, list(axes))
        found.append(
            Comparison(
                "axis",
                choice.value == expected,
                _subject(f"trục {axis}", f"axis {axis}", prefix),
                _plain(expected),
                _plain(choice.value),
                Text(
                    vi=f"{choice.rule_id}: {choice.reason.vi}",
                    en=f"{choice.rule_id}: {choice.reason.en}",
                ),
                key=axis,
                data={"expected_value": expected, "actual_value": choice.value},
            )
        )
    if expect.recognition is not None:
        if result.recognition is None:
            raise NtmRulesError(
                Text(
                    vi=f"{result.ruleset.id} không có điều kiện công nhận ('recognition')",
                    en=f"{result.ruleset.id} has no recognition conditions",
                )
            )
        found.append(
            _status_comparison(
                "recognition",
                ("công nhận", "recognition"),
                expect.recognition,
                result.recognition.status,
                prefix,
            )
        )
    if expect.prerequisite is not None:
        if result.prerequisite is None:
            raise NtmRulesError(
                Text(
                    vi=f"{result.ruleset.id} không đòi hỏi mức nào trước ('requires')",
                    en=f"{result.ruleset.id} requires no lower level",
                )
            )
        found.append(
            _status_comparison(
                "prerequisite",
                ("mức trước", "prerequisite"),
                expect.prerequisite,
                result.prerequisite.status,
                prefix,
            )
        )
    return found


def _status_comparison(
    kind: str, words: tuple[str, str], expected: str, actual: str, prefix: str
) -> Comparison:
    return Comparison(
        kind,
        expected == actual,
        _subject(words[0], words[1], prefix),
        _status(expected),
        _status(actual),
        key=kind,
        data={"expected_status": expected, "actual_status": actual},
    )


def _unknown(at: Where, vi: str, en: str, key: str, known: Sequence[str]) -> RulesetError:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1)
    hint_vi = f" (có phải '{close[0]}'?)" if close else ""
    hint_en = f" (did you mean '{close[0]}'?)" if close else ""
    shown = ", ".join(known[:30]) + (", …" if len(known) > 30 else "")
    return _error(
        at,
        f"không có {vi} '{key}'{hint_vi}; có: {shown}",
        f"there is no {en} '{key}'{hint_en}; known: {shown}",
    )


def _level_detail(result: EvaluationResult) -> Text | None:
    """Which criteria are not met or lack data, and the prerequisite when it fails."""
    parts_vi: list[str] = []
    parts_en: list[str] = []
    for status in ("not_met", "missing"):
        ids = [c.id for c in result.criteria if c.status == status]
        if ids:
            parts_vi.append(f"{_status(status).vi}: {', '.join(ids)}")
            parts_en.append(f"{_status(status).en}: {', '.join(ids)}")
    prerequisite = result.prerequisite
    if prerequisite is not None and prerequisite.status != "met":
        parts_vi.append(f"mức trước {prerequisite.ruleset_id}: {_status(prerequisite.status).vi}")
        parts_en.append(
            f"prerequisite {prerequisite.ruleset_id}: {_status(prerequisite.status).en}"
        )
    if not parts_vi:
        return None
    return Text(vi="; ".join(parts_vi), en="; ".join(parts_en))


def _criteria_met(
    result: EvaluationResult, expect: CountExpectation, prefix: str
) -> Iterator[Comparison]:
    met = [c.id for c in result.criteria if c.status == "met"]
    known = [c.id for c in result.criteria]
    for key in (*(expect.exact or ()), *expect.includes, *expect.excludes):
        if key not in known:
            raise _unknown(expect.where, "tiêu chí", "criterion", key, known)
    subject = _subject("tiêu chí đạt", "criteria met", prefix)
    actual = _plain(", ".join(met) or "-")
    if expect.exact is not None:
        extra = [c for c in met if c not in expect.exact]
        lacking = [c for c in expect.exact if c not in met]
        parts = [
            (f"thừa: {', '.join(extra)}", f"met, not expected: {', '.join(extra)}")
            if extra
            else None,
            (f"thiếu: {', '.join(lacking)}", f"not met: {', '.join(lacking)}") if lacking else None,
        ]
        said = [part for part in parts if part is not None]
        detail = None
        if said:
            detail = Text(vi="; ".join(p[0] for p in said), en="; ".join(p[1] for p in said))
        yield Comparison(
            "criteria_met",
            not extra and not lacking,
            subject,
            _plain(", ".join(expect.exact) or "-"),
            actual,
            detail,
            data={"expected": list(expect.exact), "actual": met},
        )
    if expect.includes or expect.excludes:
        lacking = [c for c in expect.includes if c not in met]
        extra = [c for c in expect.excludes if c in met]
        wanted_vi = ", ".join(
            [*(f"có {c}" for c in expect.includes), *(f"không có {c}" for c in expect.excludes)]
        )
        wanted_en = ", ".join(
            [*(f"with {c}" for c in expect.includes), *(f"without {c}" for c in expect.excludes)]
        )
        yield Comparison(
            "criteria_met",
            not lacking and not extra,
            subject,
            Text(vi=wanted_vi, en=wanted_en),
            actual,
            data={
                "includes": list(expect.includes),
                "excludes": list(expect.excludes),
                "actual": met,
            },
        )
    if expect.count is not None:
        yield Comparison(
            "criteria_met_count",
            len(met) == expect.count,
            _subject("số tiêu chí đạt", "number of criteria met", prefix),
            _plain(str(expect.count)),
            _plain(f"{len(met)}/{len(known)}"),
            data={"expected": expect.count, "actual": len(met)},
        )


def _close(a: Sequence[Any], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(
        isinstance(x, int | float)
        and not isinstance(x, bool)
        and math.isclose(float(x), y, rel_tol=TOLERANCE, abs_tol=TOLERANCE)
        for x, y in zip(a, b, strict=True)
    )


def _shown(values: Sequence[Any], lang: str) -> str:
    shown = []
    for value in values:
        if isinstance(value, int | float) and not isinstance(value, bool):
            shown.append(format_number(value, "en" if lang == "en" else "vi"))
        else:
            shown.append("-" if value is None else str(value))
    return ", ".join(shown) or "-"


def _indicator(
    indicator: IndicatorResult,
    status: str | None,
    threshold: tuple[float, ...] | None,
    value: tuple[float, ...] | None,
    prefix: str,
) -> Iterator[Comparison]:
    detail = indicator_detail(indicator)
    data = _indicator_data(indicator)
    if status is not None:
        yield Comparison(
            "indicator",
            indicator.status == status,
            _subject(f"chỉ tiêu {indicator.id}", f"indicator {indicator.id}", prefix),
            _status(status),
            _status(indicator.status),
            detail,
            key=indicator.id,
            data={**data, "expected_status": status, "actual_status": indicator.status},
        )
    for kind, expected, actual in (
        ("threshold", threshold, [c.threshold for c in indicator.checks]),
        ("value", value, [c.value for c in indicator.checks]),
    ):
        if expected is None:
            continue
        words = ("ngưỡng", "threshold") if kind == "threshold" else ("giá trị", "value")
        yield Comparison(
            kind,
            _close(actual, expected),
            _subject(
                f"{words[0]} của chỉ tiêu {indicator.id}",
                f"{words[1]} of indicator {indicator.id}",
                prefix,
            ),
            Text(vi=_shown(expected, "vi"), en=_shown(expected, "en")),
            Text(vi=_shown(actual, "vi"), en=_shown(actual, "en")),
            detail,
            key=indicator.id,
            data={**data, "expected": list(expected)},
        )


def _indicator_data(indicator: IndicatorResult) -> dict[str, Any]:
    return {
        "status": indicator.status,
        "checks": [
            {
                "check": c.text,
                "value": c.value,
                "op": c.op,
                "threshold": c.threshold,
                "unit": c.unit,
                "parameters": [p.param.name for p in c.params],
            }
            for c in indicator.checks
        ],
        "missing": list(indicator.missing),
    }


def indicator_detail(indicator: IndicatorResult) -> Text | None:
    """The indicator's value against its threshold (and the parameter that set it), or the
    data it lacks: ``giá trị 38 < ngưỡng 39 triệu đồng/người/năm (income_per_capita, tdmnpb)``."""
    parts_vi: list[str] = []
    parts_en: list[str] = []
    if indicator.status == "not_applicable":
        for check in indicator.applicability:
            parts_vi.append(f"không áp dụng: {check.text}")
            parts_en.append(f"does not apply: {check.text}")
    for check in indicator.checks:
        if check.value is None and check.threshold is None:
            continue
        for lang, parts in (("vi", parts_vi), ("en", parts_en)):
            symbol = unit_symbol(check.unit, lang)
            unit = "" if not symbol else (symbol if symbol == "%" else f" {symbol}")
            value = _shown([check.value], lang)
            threshold = _shown([check.threshold], lang)
            params = [
                p.param.name + (f", {p.axis_key}" if p.axis_key else "") for p in check.params
            ]
            origin = f" [{'; '.join(params)}]" if params else ""
            op = _OPS.get(check.op, check.op)
            words = ("giá trị", "ngưỡng") if lang == "vi" else ("value", "threshold")
            shown = f"{words[1]} {op} {threshold}{unit}{origin}"
            if check.value is not None:
                shown = f"{words[0]} {value}{unit}, {shown}"
            parts.append(shown)
    if indicator.missing:
        parts_vi.append(f"thiếu dữ liệu: {', '.join(indicator.missing)}")
        parts_en.append(f"missing: {', '.join(indicator.missing)}")
    for undefined in indicator.undefined:
        parts_vi.append(f"không tính được {undefined.expression} ({undefined.reason})")
        parts_en.append(f"cannot compute {undefined.expression} ({undefined.reason})")
    if not parts_vi:
        return None
    return Text(vi="; ".join(parts_vi), en="; ".join(parts_en))


def compare_ladder(result: LadderResult, expect: LadderExpectation) -> list[Comparison]:
    """The place and the levels a ladder case expects, compared."""
    found: list[Comparison] = []
    levels = result.results

    def level_of(key: str) -> int | None:
        for n, level in enumerate(levels):
            if key in (level.ruleset.id, level.level_id):
                return n
        return None

    known = [BELOW, *(r.ruleset.id for r in levels)]
    if expect.place is not None:
        at = expect.place_where or Where(result.ladder.file, 0)
        wanted = -1 if expect.place == BELOW else level_of(expect.place)
        if wanted is None:
            raise _unknown(at, "mức", "level", expect.place, known)
        reached = result.reached
        shown = [BELOW, *(r.ruleset.id for r in levels)]
        statuses_vi = "; ".join(f"{r.ruleset.id}: {_status(r.status).vi}" for r in levels)
        statuses_en = "; ".join(f"{r.ruleset.id}: {_status(r.status).en}" for r in levels)
        place = result.place
        found.append(
            Comparison(
                "place",
                wanted == reached,
                Text(vi="vị trí", en="place"),
                _plain(shown[wanted + 1]),
                _plain(shown[reached + 1]),
                Text(vi=f"{place.vi}; {statuses_vi}", en=f"{place.en}; {statuses_en}"),
                data={"expected": shown[wanted + 1], "actual": shown[reached + 1]},
            )
        )
    for key, (expectation, at) in expect.levels.items():
        n = level_of(key)
        if n is None:
            raise _unknown(at, "mức", "level", key, known[1:])
        found.extend(compare(levels[n], expectation, levels[n].ruleset.id))
    return found
