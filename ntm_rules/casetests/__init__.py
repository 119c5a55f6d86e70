"""Ruleset tests in YAML: ``*.test.yaml`` files beside the rulesets, each case naming a ruleset
or ladder, a date, an input record and what the result must show.

>>> from pathlib import Path
>>> from ntm_rules.casetests import find_case_files, run_file
>>> results = [run_file(path) for path in find_case_files([Path("rulesets")])]  # doctest: +SKIP
>>> all(file.passed for file in results)  # doctest: +SKIP
True

:mod:`.loader` reads the files (every problem at its line), :mod:`.runner` runs the cases,
:mod:`.model` holds both; :mod:`.pytest_plugin` lets pytest collect the files. The format is
described in ``docs/ruleset-tests.md``.
"""

from __future__ import annotations

from .loader import load_case_file
from .model import Case, CaseFile, CaseResult, Comparison, FileResult
from .runner import default_case_files, find_case_files, run_case, run_file

__all__ = [
    "Case",
    "CaseFile",
    "CaseResult",
    "Comparison",
    "FileResult",
    "default_case_files",
    "find_case_files",
    "load_case_file",
    "run_case",
    "run_file",
]
