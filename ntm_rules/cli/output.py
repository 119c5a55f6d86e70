"""Output: finished text to stdout or atomically to a file; rich tables as plain text."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType

from ..text import Lang, nfc
from .errors import CliError
from .messages import t

PLAIN_WIDTH = 160


def emit(text: str, output: Path | None, lang: Lang, *, bom: bool = False) -> None:
    """Write finished text to stdout, or atomically to ``output``."""
    text = nfc(text)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text.encode("utf-8-sig" if bom else "utf-8"), lang)


def write_atomic(output: Path, data: bytes, lang: Lang) -> None:
    """Write ``data`` to a temporary file next to ``output`` and rename it: all or nothing."""
    directory = output.parent
    if not directory.is_dir():
        raise CliError(t("dir_not_found", lang, path=directory))
    if output.is_dir():
        raise CliError(t("output_is_dir", lang, path=output))
    if output.exists():
        mode = output.stat().st_mode & 0o777
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{output.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def render_text(renderable: RenderableType) -> str:
    """A rich renderable as plain text, for a pipe or a file: tables keep their natural width
    up to ``$COLUMNS`` (default 160) characters and wrap within their cells beyond it."""
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) >= 40 else PLAIN_WIDTH
    console = Console(
        file=io.StringIO(), width=width, color_system=None, highlight=False, emoji=False
    )
    with console.capture() as capture:
        console.print(renderable)
    return "\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n"


def show(renderable: RenderableType, output: Path | None, lang: Lang) -> None:
    """A rich renderable to the terminal (coloured, fitted to its width), or as plain text to a
    pipe or a file."""
    if output is None and sys.stdout.isatty():
        Console(highlight=False, emoji=False).print(renderable)
    else:
        emit(render_text(renderable), output, lang)


def to_json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"
