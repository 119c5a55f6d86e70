"""Failures as one line on standard error and an exit code: 1, or 2 for a wrong option."""

from __future__ import annotations

import contextlib
import errno
import os
import re
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


def print_notice(lang: Lang, message: str) -> None:
    """``Lưu ý: ...`` / ``Note: ...`` on one line of standard error: something to change in a
    file that still works."""
    sys.stderr.write(nfc(f"{t('notice', lang)}: {message.strip()}\n"))
    sys.stderr.flush()


def print_notice_line(message: str) -> None:
    """One plain line on standard error (what was done: a file written)."""
    sys.stderr.write(nfc(message.strip() + "\n"))
    sys.stderr.flush()


# what the operating system says (in English), in Vietnamese
_OS_REASONS = {
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không được phép",
    errno.EISDIR: "là một thư mục",
    errno.ENOTDIR: "không phải thư mục",
    errno.ENOSPC: "hết chỗ trống trên đĩa",
    errno.EROFS: "ổ đĩa chỉ đọc",
    errno.ENOENT: "không tồn tại",
}


def os_message(exc: OSError, lang: Lang) -> str:
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return t("file_not_found", lang, path=exc.filename)
    reason = exc.strerror or str(exc)
    if lang == "vi" and exc.errno in _OS_REASONS:
        reason = _OS_REASONS[exc.errno]
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


# click's usage errors (English) and how they read in Vietnamese; the rest of a message that
# matches none is left as click wrote it
_USAGE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), vi)
    for pattern, vi in (
        (r"^No such option: (\S+)", r"không có tùy chọn \1"),
        (r"^No such command '(.+?)'\.", r"không có lệnh '\1'."),
        (r"^Missing argument '(.+?)'\.", r"thiếu đối số '\1'."),
        (r"^Missing option (.+?)\.$", r"thiếu tùy chọn \1."),
        (r"^Option '(.+?)' requires an argument\.", r"tùy chọn '\1' cần một giá trị."),
        (r"^Option '(.+?)' does not take a value\.", r"tùy chọn '\1' không nhận giá trị."),
        (r"^Got unexpected extra arguments? \((.+)\)", r"thừa đối số (\1)"),
        (r"^Invalid value for (.+?): ", r"giá trị không hợp lệ cho \1: "),
        (r"Input should be a valid integer.*$", "cần một số nguyên"),
        (r"Input should be a valid number.*$", "cần một số"),
        (r"'(.+?)' is not a valid integer(?: range)?\.", r"'\1' không phải số nguyên hợp lệ."),
        (r"'(.+?)' is not a valid float\.", r"'\1' không phải số hợp lệ."),
        (r"(?:File|Path|Directory) '(.+?)' does not exist\.", r"không có '\1'."),
        (r"'(.+?)' is not one of (.+)\.$", r"'\1' không phải một trong \2."),
        (r"Did you mean (.+?)\?", r"Có phải \1?"),
        (r"\(Possible options: (.+?)\)", r"(có phải \1?)"),
    )
)


def usage_text(message: str, lang: Lang) -> str:
    """A usage error of click (wrong option or argument) in ``lang``."""
    if lang == "en":
        return message
    for pattern, vi in _USAGE:
        message = pattern.sub(vi, message)
    return message


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
