"""Output: finished text to stdout or safely to a file; rich tables as plain text."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType

from ..text import Lang, nfc
from .errors import CliError
from .messages import t
from .safe_write import IsDirectory, IsSocket, MissingDirectory, UnwritablePath, write_file

PLAIN_WIDTH = 160
_UNWRITABLE: dict[type[UnwritablePath], str] = {
    MissingDirectory: "dir_not_found",
    IsDirectory: "output_is_dir",
    IsSocket: "output_socket",
}


def emit(text: str, output: Path | None, lang: Lang, *, bom: bool = False) -> None:
    """Write finished text to stdout, or to ``output`` through :func:`.safe_write.write_file`."""
    text = nfc(text)
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_file(output, text.encode("utf-8-sig" if bom else "utf-8"))
    except UnwritablePath as exc:
        raise CliError(t(_UNWRITABLE[type(exc)], lang, path=exc.path)) from None


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
