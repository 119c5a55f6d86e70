"""Inputs: a ruleset or a ladder named by id or file, the records of a data file, one unit."""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..ladder import Ladder, level_rulesets, load_ladder
from ..result import EvaluationResult
from ..ruleset.model import Ruleset
from ..text import Lang
from .errors import CliError
from .messages import t


def check_file(path: Path, lang: Lang) -> None:
    if not path.exists():
        raise CliError(t("file_not_found", lang, path=path))
    if not path.is_file():
        raise CliError(t("not_a_file", lang, path=path))


def _is_path(id_or_path: str) -> bool:
    suffix = Path(id_or_path).suffix.lower()
    return suffix in (".yaml", ".yml") or "/" in id_or_path or os.sep in id_or_path


def ruleset_or_ladder(id_or_path: str, lang: Lang) -> Ruleset | Ladder:
    """A bundled ruleset or ladder by id, or a ruleset or ladder file by path."""
    from ..ruleset.files import find_in_search_path, is_ladder_file, ladder_files
    from ..ruleset.registry import get_ruleset, ruleset_files, unknown_id

    path = Path(id_or_path)
    try:
        if _is_path(id_or_path):
            check_file(path, lang)
            if path.suffix.lower() not in (".yaml", ".yml"):
                raise CliError(t("ruleset_suffix", lang, path=path))
            if is_ladder_file(path):
                return load_ladder(path)
            return get_ruleset(path)
        ladder = find_in_search_path(id_or_path, ladder=True)
        if ladder is not None:
            return load_ladder(ladder)
        if find_in_search_path(id_or_path) is None:
            known = {**ruleset_files(), **ladder_files()}
            raise unknown_id(id_or_path, known, "ruleset")
        return get_ruleset(id_or_path)
    except UnicodeDecodeError:
        raise CliError(t("not_utf8", lang, path=path)) from None


def model_of(target: Ruleset | Ladder) -> type[Any]:
    """The input model records are read with: a ladder's top level reads every level's inputs."""
    if isinstance(target, Ladder):
        return level_rulesets(target)[-1].model
    return target.model


DATA_SUFFIXES = (".json", ".csv", ".xlsx", ".xlsm", ".tsv", ".txt")


def records(path: Path, model: type[Any], lang: Lang) -> list[Any]:
    """Every record of a JSON, CSV or Excel file, validated against an input model; every bad
    record is reported at once."""
    found, _ = checked_records(path, model, lang, skip_invalid=False)
    return found


def checked_records(
    path: Path, model: type[Any], lang: Lang, *, skip_invalid: bool, decimal: str | None = None
) -> tuple[list[Any], list[InputError]]:
    """The good records and, with ``skip_invalid``, the problems of the bad ones (without it,
    the problems are raised, all of them)."""
    from ..errors import InputErrors
    from ..models.structuring import load_records_checked

    check_file(path, lang)
    if path.suffix.lower() not in DATA_SUFFIXES:
        raise CliError(t("data_suffix", lang, path=path))
    found, problems = load_records_checked(path, model, decimal=decimal)
    if problems and not skip_invalid:
        raise InputErrors(problems)
    if not found:
        if problems:
            raise InputErrors(problems)
        raise CliError(t("no_records", lang, path=path))
    return found, problems


def find_unit(found: Sequence[Any], code: str, path: Path, lang: Lang) -> Any:
    """The record with ``code``, or an error that suggests close codes."""
    record = next((r for r in found if r.code == code), None)
    if record is not None:
        return record
    codes = [r.code for r in found]
    close = difflib.get_close_matches(code, codes, n=3, cutoff=0.6)
    if close:
        hint = t("close_codes", lang, codes=", ".join(close))
    else:
        shown = ", ".join(codes[:8]) + (", …" if len(codes) > 8 else "")
        hint = t("known_codes", lang, count=len(codes), codes=shown)
    raise CliError(t("unknown_unit", lang, code=code, path=path, hint=hint))


def evaluate_all(
    ruleset: Ruleset, found: Sequence[Any], year: int | None
) -> list[EvaluationResult]:
    from ..evaluation import evaluator_for

    evaluator = evaluator_for(ruleset)
    return evaluator.evaluate_many(found, year=year)
