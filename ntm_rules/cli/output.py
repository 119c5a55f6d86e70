"""Output: finished text, or lines as they come, to stdout or safely to a file; rich tables as
plain text; JSON, indented or compact."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType

from ..text import Lang, nfc
from .errors import CliError
from .messages import t
from .safe_write import (
    IsDirectory,
    IsSocket,
    MissingDirectory,
    UnwritablePath,
    stream_file,
    write_file,
)

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
        sys.stdout.write("\ufeff" + text if bom else text)
        sys.stdout.flush()
        return
    try:
        write_file(output, text.encode("utf-8-sig" if bom else "utf-8"))
    except UnwritablePath as exc:
        raise CliError(t(_UNWRITABLE[type(exc)], lang, path=exc.path)) from None


def binary_out(data: bytes, output: Path | None, lang: Lang) -> None:
    """A workbook to ``output``, or to stdout when it is not a terminal (checked before)."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_file(output, data)
    except UnwritablePath as exc:
        raise CliError(t(_UNWRITABLE[type(exc)], lang, path=exc.path)) from None


def shown_width(output: Path | None) -> int:
    """How many columns :func:`show` will draw in: the terminal's, or ``$COLUMNS`` (default
    160) for a pipe or a file."""
    if output is None and sys.stdout.isatty():
        return Console().width
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= 40 else PLAIN_WIDTH


def render_text(renderable: RenderableType) -> str:
    """A rich renderable as plain text, for a pipe or a file: tables keep their natural width
    up to ``$COLUMNS`` (default 160) characters and wrap within their cells beyond it."""
    width = shown_width(Path())
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


# compact: one line, UTF-8 as is; without ``indent`` json uses its C encoder (c_make_encoder)
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def to_json(document: Any, *, pretty: bool = True) -> str:
    """A JSON document and a newline: indented by two spaces (Python's slower encoder), or
    compact on one line."""
    if not pretty:
        return compact_json(document) + "\n"
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def compact_json(document: Any) -> str:
    """A JSON document on one line, with no space after separators, by json's C encoder."""
    return _COMPACT.encode(document)


@contextlib.contextmanager
def lines_out(
    output: Path | None, lang: Lang, *, end: str = "\n"
) -> Iterator[Callable[[str], None]]:
    """A function that writes one line of text (NFC, newline added) at a time, as it comes: to
    stdout (flushed line by line), or to ``output`` through :func:`.safe_write.stream_file`
    (a regular file is replaced only when the block ends without an error)."""
    if output is None:

        def to_stdout(line: str) -> None:
            sys.stdout.write(nfc(line) + end)
            sys.stdout.flush()

        yield to_stdout
        return
    try:
        with stream_file(output) as file:

            def to_file(line: str) -> None:
                file.write((nfc(line) + end).encode("utf-8"))

            yield to_file
    except UnwritablePath as exc:
        raise CliError(t(_UNWRITABLE[type(exc)], lang, path=exc.path)) from None


def document_out(
    head: dict[str, Any], items: Iterable[Any], output: Path | None, lang: Lang
) -> None:
    """The compact JSON of ``{**head, "results": [item.to_dict(), ...]}`` and a newline, the
    same bytes as :func:`to_json`, written a result at a time: no big run's document is ever
    whole in memory."""
    opening = compact_json(head)
    with lines_out(output, lang, end="") as write:
        write(opening[:-1] + (',"results":[' if head else '"results":['))
        for n, item in enumerate(items):
            write(("," if n else "") + compact_json(item.to_dict()))
        write("]}\n")


def with_newline(text: str) -> str:
    return text if text.endswith("\n") else text + "\n"
