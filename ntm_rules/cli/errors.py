"""Failures as one line on standard error and an exit code: 1, or 2 for a wrong option."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from typing import cast

import typer

from ..errors import NtmRulesError
from ..text import Lang, nfc
from .messages import LANGS, t


class CliError(Exception):
    """A problem the command line itself found (file not found, unknown code, bad option)."""

    def __init__(self, message: str, *, usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = 2 if usage else 1


def print_error(lang: Lang, message: str) -> None:
    """``Lỗi: ...`` / ``Error: ...`` on one line of standard error."""
    line = " ".join(part.strip() for part in str(message).splitlines() if part.strip())
    sys.stderr.write(nfc(f"{t('error', lang)}: {line}\n"))
    sys.stderr.flush()


def os_message(exc: OSError, lang: Lang) -> str:
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return t("file_not_found", lang, path=exc.filename)
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


@contextlib.contextmanager
def errors(lang: Lang) -> Iterator[None]:
    """Turn every failure into one line on stderr and an exit code; never a traceback."""
    try:
        yield
    except typer.Exit:
        raise
    except CliError as exc:
        print_error(lang, exc.message)
        raise typer.Exit(exc.exit_code) from None
    except NtmRulesError as exc:
        for part in exc.parts:  # several problems of a ruleset file: one line each
            print_error(lang, part.describe(lang))
        raise typer.Exit(1) from None
    except BrokenPipeError:
        # the reader went away (``ntm-rules ... | head``): stop quietly
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(1) from None
    except OSError as exc:
        print_error(lang, os_message(exc, lang))
        raise typer.Exit(1) from None
    except Exception as exc:
        if os.environ.get("NTM_RULES_DEBUG"):
            raise
        print_error(lang, t("internal", lang, error=f"{type(exc).__name__}: {exc}"))
        raise typer.Exit(1) from None


def parse_lang(value: str) -> Lang:
    """The ``--lang`` option, checked before anything else (its own error is bilingual)."""
    if value not in LANGS:
        print_error("vi", f"--lang: '{value}' không hợp lệ / is not valid; chọn / use: vi | en")
        raise typer.Exit(2)
    return cast(Lang, value)


def choice(value: str, choices: Sequence[str], option: str, lang: Lang) -> str:
    """``value`` if it is one of ``choices``; otherwise a usage error (exit code 2)."""
    if value not in choices:
        raise CliError(
            t("bad_choice", lang, option=option, choices=" | ".join(choices), value=value),
            usage=True,
        )
    return value
