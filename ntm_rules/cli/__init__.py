"""The ``ntm-rules`` command line: list, validate and audit rulesets and ladders; evaluate and
explain units and what they lack for a level.

Text is Vietnamese by default (``--lang en`` for English). Every error is one line on standard
error (``Lỗi: ...`` / ``Error: ...``) with exit code 1, or 2 for a wrong option; never a
traceback. Output is built whole before anything is printed. ``--output`` replaces a regular file
atomically (through a temporary file in the real file's folder, so a failure never leaves half a
file and a symlink stays a symlink) and writes a FIFO, a device or a hard-linked file in place
(:mod:`.safe_write`).

Modules: :mod:`.app` (the typer application and shared options), :mod:`.messages` (every text),
:mod:`.errors`, :mod:`.inputs` (rulesets, ladders, data files), :mod:`.output` and
:mod:`.safe_write`, :mod:`.results` (tables of one ruleset), :mod:`.ladders` (tables of a ladder),
:mod:`.rulesets` (``rulesets``, ``validate``, ``audit``, ``schema``) and :mod:`.evaluate`
(``evaluate``, ``explain``, ``gap``).
"""

from __future__ import annotations

import contextlib
import sys

from .app import app
from .evaluate import evaluate, explain, gap_command
from .rulesets import audit_command, rulesets_command, schema, validate

__all__ = ["app", "main"]

app.command("rulesets")(rulesets_command)
app.command("validate")(validate)
app.command("evaluate")(evaluate)
app.command("explain")(explain)
app.command("gap")(gap_command)
app.command("schema")(schema)
app.command("audit")(audit_command)


def main() -> None:
    """Entry point of the ``ntm-rules`` console script and of ``python -m ntm_rules``."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and encoding != "utf8":
            with contextlib.suppress(Exception):
                reconfigure(encoding="utf-8")
    app(prog_name="ntm-rules")
