"""Errors raised by ntm-rules; each says where the problem is and what it is.

A message is a :class:`~ntm_rules.text.Text` (Vietnamese and English), or a plain string while
a message has no Vietnamese yet. ``str(error)`` is English (for logs and developers);
``error.describe("vi")`` is what the command line shows by default.
"""

from __future__ import annotations

import re

from .text import Lang, Text

Message = str | Text

_CODE = re.compile(r"^code |(?<=\()code (?=[^)]*\)$)")


def say_label(label: str, lang: Lang) -> str:
    """A record's label (``file:3 (code X)``, ``code X``, ``(no code)``) in ``lang``."""
    if lang != "vi":
        return label
    return _CODE.sub("mã ", label).replace("(no code)", "(không có mã)")


def as_text(message: Message) -> Text:
    """A message as bilingual text (a plain string stands for both languages)."""
    return message if isinstance(message, Text) else Text(vi=message, en=message)


class NtmRulesError(Exception):
    """Base class of every error this library raises on purpose."""

    def __init__(self, message: Message = "") -> None:
        self.text = as_text(message)
        super().__init__(self.describe("en"))

    @property
    def message(self) -> str:
        """The English message, without the place it refers to."""
        return self.text.en

    def describe(self, lang: Lang = "en") -> str:
        """The whole message (with the file, record or field it is about) in ``lang``."""
        return self.text(lang)

    def __str__(self) -> str:
        return self.describe("en")

    @property
    def parts(self) -> tuple[NtmRulesError, ...]:
        """The separate problems this error reports (itself, unless it gathers several)."""
        return (self,)


class RulesetError(NtmRulesError):
    """A ruleset file is wrong: names the file, line, column and key."""

    def __init__(
        self,
        message: Message,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        key: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        super().__init__(message)

    def describe(self, lang: Lang = "en") -> str:
        where = self.file or ("<bộ tiêu chí>" if lang == "vi" else "<ruleset>")
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        key = f" {self.key}:" if self.key else ""
        return f"{where}:{key} {self.text(lang)}{_installed_note(self.file, lang)}"


def _installed_note(file: str | None, lang: Lang) -> str:
    """Says so when the file at fault is the copy inside an installed package."""
    from .ruleset.search import is_installed_copy

    if file is None or not is_installed_copy(file):
        return ""
    if lang == "vi":
        return " (đây là bản cài sẵn trong gói, đừng sửa: dùng ntm-rules init THƯ_MỤC để có bản sửa được)"
    return " (this is the copy inside the installed package, not to be edited: run ntm-rules init FOLDER for a copy to edit)"


class RulesetErrors(RulesetError):
    """Several independent problems found in one run over a ruleset file, each on its own line.

    Its file, line, column and key are those of the first problem, so code that looks at one
    error still sees a place."""

    def __init__(self, errors: list[RulesetError]) -> None:
        flat: dict[str, RulesetError] = {}  # a problem found twice is reported once
        for error in errors:
            for part in error.parts:
                if isinstance(part, RulesetError):
                    flat.setdefault(part.describe("en"), part)
        self.errors = tuple(
            sorted(flat.values(), key=lambda e: (e.file or "", e.line or 0, e.column or 0))
        )
        first = self.errors[0]
        super().__init__(
            first.text, file=first.file, line=first.line, column=first.column, key=first.key
        )

    def describe(self, lang: Lang = "en") -> str:
        return "\n".join(error.describe(lang) for error in self.errors)

    @property
    def parts(self) -> tuple[NtmRulesError, ...]:
        return self.errors


class InputError(NtmRulesError):
    """An input record is wrong: names the record and the field."""

    def __init__(self, message: Message, *, record: str, field: str | None = None) -> None:
        self.record = record
        self.field = field
        super().__init__(message)

    def describe(self, lang: Lang = "en") -> str:
        if lang == "vi":
            field = f", trường '{self.field}'" if self.field else ""
            return f"bản ghi {say_label(self.record, lang)}{field}: {self.text(lang)}"
        field = f", field '{self.field}'" if self.field else ""
        return f"record {self.record}{field}: {self.text(lang)}"


class InputErrors(InputError):
    """Every bad cell or record of a file, found in one run, each on its own line. Its record
    and field are those of the first problem."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors: tuple[InputError, ...] = tuple(
            part for error in errors for part in error.parts if isinstance(part, InputError)
        )
        first = self.errors[0]
        super().__init__(first.text, record=first.record, field=first.field)

    def describe(self, lang: Lang = "en") -> str:
        if len(self.errors) == 1:
            return self.errors[0].describe(lang)
        head = (
            f"{len(self.errors)} lỗi trong dữ liệu:"
            if lang == "vi"
            else f"{len(self.errors)} problems in the data:"
        )
        return "\n".join([head, *(f"  {error.describe(lang)}" for error in self.errors)])

    @property
    def parts(self) -> tuple[NtmRulesError, ...]:
        return self.errors


class EngineError(NtmRulesError):
    """The rule engine failed or disagreed with the compiled ruleset's invariants."""


class EvaluationError(NtmRulesError):
    """A record cannot be evaluated with a ruleset (e.g. its year is outside the ruleset's validity)."""
