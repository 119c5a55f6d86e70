"""A hand-made case, and what cases check outcomes with: the command line in a fresh process
and its one error line, the exception a call must raise, the files a case writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..common import last_frames, short


class CaseFailed(Exception):
    """A hand-made case did not get its expected outcome."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CaseFailed(message)


@dataclass
class Case:
    group: str
    name: str
    run: Callable[[Path], None]  # given its own empty folder; raises CaseFailed


INTERNAL = ("internal error", "lỗi nội bộ", "Traceback")


def cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m ntm_rules ARGS`` in a fresh process."""
    env = {k: v for k, v in os.environ.items() if k != "NTM_RULES_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "ntm_rules", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        env=env,
        check=False,
    )


def error_line(proc: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The one error line of a failed command (exit ``code``), never an internal error."""
    check(
        proc.returncode == code,
        f"exit code {proc.returncode}, expected {code}; stderr: {short(proc.stderr)}",
    )
    lines = proc.stderr.strip().splitlines()
    check(len(lines) == 1, f"{len(lines)} lines on stderr: {short(proc.stderr)}")
    check(lines[0].startswith(("Lỗi: ", "Error: ")), f"not an error line: {short(lines[0])}")
    check(not any(m in lines[0] for m in INTERNAL), f"internal error: {short(lines[0])}")
    return lines[0]


def succeeded(proc: subprocess.CompletedProcess[str]) -> None:
    check(
        proc.returncode == 0,
        f"exit code {proc.returncode}; stderr: {short(proc.stderr)}",
    )
    check("Traceback" not in proc.stderr, f"traceback: {short(proc.stderr)}")


def raises(kind: type[Exception], call: Callable[[], Any]) -> Any:
    """The ``kind`` exception ``call`` raises; a failure if it raises nothing or another."""
    try:
        call()
    except kind as exc:
        return exc
    except Exception as exc:
        raise CaseFailed(f"{last_frames(exc)}, expected {kind.__name__}") from None
    raise CaseFailed(f"no error, expected {kind.__name__}")


def line_of(text: str, fragment: str) -> int:
    """The 1-based line of ``text`` that holds ``fragment`` (the first one)."""
    fragment = fragment.strip("\n")
    return next(n for n, line in enumerate(text.split("\n"), 1) if fragment in line)


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def json_rows(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=1)


def find_indicator(result: Any, indicator: str) -> Any:
    return next(i for i in result.indicators if i.id == indicator)
