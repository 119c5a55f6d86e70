"""Errors raised by ntm-rules; each says where the problem is and what it is."""

from __future__ import annotations


class NtmRulesError(Exception):
    """Base class of every error this library raises on purpose."""


class RulesetError(NtmRulesError):
    """A ruleset file is wrong: names the file, line, column and key."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file or "<ruleset>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.message}"


class InputError(NtmRulesError):
    """An input record is wrong: names the record and the field."""

    def __init__(self, message: str, *, record: str, field: str | None = None) -> None:
        self.message = message
        self.record = record
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        field = f", field '{self.field}'" if self.field else ""
        return f"record {self.record}{field}: {self.message}"


class EngineError(NtmRulesError):
    """The rule engine failed or disagreed with the compiled ruleset's invariants."""


class EvaluationError(NtmRulesError):
    """A record cannot be evaluated with a ruleset (e.g. its year is outside the ruleset's validity)."""
