"""pytest collects ruleset tests: every ``*.test.yaml`` file is a module of items, one per case
(and one per problem that kept a case from being read), failing with the differences found.

Registered through the ``pytest11`` entry point, so ``pytest rulesets/`` runs the YAML tests of
an installed ntm-rules; ``-p no:ntm_rules`` turns it off.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..errors import NtmRulesError
from ..ruleset.files import is_test_file
from .loader import load_case_file
from .model import Case, explain
from .runner import run_case


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if is_test_file(file_path):
        found: pytest.Collector = CaseFileCollector.from_parent(parent, path=file_path)
        return found
    return None


class CaseFileCollector(pytest.File):
    """A ``*.test.yaml`` file."""

    def collect(self) -> Iterator[pytest.Item]:
        loaded = load_case_file(self.path)
        for case in loaded.cases:
            yield CaseItem.from_parent(self, name=case.name, case=case)
        for n, error in enumerate(loaded.errors, 1):
            yield InvalidCaseItem.from_parent(self, name=f"invalid-{n}", error=error)


class CaseFailed(Exception):
    """A case whose result differs from what it expects."""


class CaseItem(pytest.Item):
    """One case."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        result = run_case(self.case)
        if result.error is not None:
            raise CaseFailed(result.error.describe("en"))
        if not result.passed:
            lines = [f"- {line}" for line in explain(result.differences, "en")]
            raise CaseFailed("\n".join([f"{result.target_id}:", *lines]))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseFailed):
            return f"case '{self.case.name}' ({self.case.where}) failed\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self.case.where.line - 1, f"case: {self.case.name}"


class InvalidCaseItem(pytest.Item):
    """A problem that kept a case (or the whole file) from being read: always fails."""

    def __init__(self, *, error: NtmRulesError, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise CaseFailed(self.error.describe("en"))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return f"invalid test file: {excinfo.value}"

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, "invalid test file"
