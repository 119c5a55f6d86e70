"""The ``ntm-rules`` command line: list, validate and audit rulesets and ladders; evaluate and
explain units and what they lack for a level.

Text is Vietnamese by default (``--lang en`` for English). Every error is one line on standard
error (``Lỗi: ...`` / ``Error: ...``) with exit code 1, or 2 for a wrong option (typer's own
usage errors included: :func:`main` runs the application without typer's error boxes); never a
traceback. Output is built whole before anything is printed, except ``evaluate --format jsonl``,
written line by line as units are evaluated (:mod:`.stream`). ``--output`` replaces a regular file
atomically (through a temporary file in the real file's folder, so a failure never leaves half a
file and a symlink stays a symlink) and writes a FIFO, a device or a hard-linked file in place
(:mod:`.safe_write`).

Modules: :mod:`.app` (the typer application and shared options), :mod:`.messages` (every text),
:mod:`.errors`, :mod:`.inputs` (rulesets, ladders, data files), :mod:`.output` and
:mod:`.safe_write`, :mod:`.results` (tables of one ruleset), :mod:`.ladders` (tables of a ladder),
:mod:`.rulesets` (``rulesets``, ``validate``, ``audit``, ``schema``), :mod:`.worksheet` (the
verification worksheet of ``audit``), :mod:`.evaluate` (``evaluate``, ``explain``, ``gap``),
:mod:`.casetests` (``test``), :mod:`.workfolder` (``init``), :mod:`.document` (``document``), :mod:`.template`
(``template``)
and :mod:`.compare` (``diff``, ``impact``; tables in :mod:`.diff_tables` and
:mod:`.impact_tables`).
"""

from __future__ import annotations

import contextlib
import sys

import typer

from ..text import Lang
from .app import Command, app
from .casetests import test_command
from .compare import diff_command, impact_command
from .document import document_command
from .errors import print_error, usage_text
from .evaluate import evaluate, explain, gap_command
from .report import report_command
from .rulesets import audit_command, rulesets_command, schema, validate
from .template import template_command
from .workfolder import init_command

__all__ = ["app", "main"]

COMMANDS = (
    ("rulesets", rulesets_command, "Bộ tiêu chí, thang và tệp của từng mã / rulesets and files"),
    ("init", init_command, "Tạo thư mục làm việc để sửa / make a working folder to edit"),
    ("validate", validate, "Kiểm tra tệp bộ tiêu chí / check ruleset files"),
    ("test", test_command, "Chạy ca kiểm thử *.test.yaml / run the ruleset tests"),
    ("evaluate", evaluate, "Đánh giá các đơn vị / evaluate the units of a data file"),
    ("report", report_command, "Báo cáo HTML có biểu đồ / HTML report with charts"),
    ("explain", explain, "Giải thích một đơn vị / explain one unit"),
    ("gap", gap_command, "Còn thiếu gì để đạt mức / what a unit lacks for a level"),
    ("diff", diff_command, "So sánh hai phiên bản / compare two versions of the rules"),
    ("impact", impact_command, "Tác động của thay đổi / what a change does to the units"),
    ("document", document_command, "In bảng tiêu chí / print the criteria tables"),
    ("audit", audit_command, "Giá trị chưa kiểm chứng, phiếu .xlsx / unverified values"),
    ("schema", schema, "JSON Schema của dữ liệu, kết quả, tệp / JSON Schemas"),
    ("template", template_command, "Mẫu Excel nhập số liệu / Excel input template"),
)
for name, command, short_help in COMMANDS:
    app.command(name, short_help=short_help, cls=Command)(command)


def main() -> None:
    """Entry point of the ``ntm-rules`` console script and of ``python -m ntm_rules``."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and encoding != "utf8":
            with contextlib.suppress(Exception):
                reconfigure(encoding="utf-8")
    command = typer.main.get_command(app)
    try:
        code = command.main(prog_name="ntm-rules", standalone_mode=False)
    except typer.TyperException as exc:  # a wrong option or argument: one line, exit code 2
        context = getattr(exc, "ctx", None)
        where = context.command_path if context is not None else "ntm-rules"
        lang: Lang = "en" if _asks_for_english(sys.argv[1:]) else "vi"
        help_word = "xem" if lang == "vi" else "see"
        print_error(lang, f"{usage_text(exc.format_message(), lang)} ({help_word} {where} --help)")
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


def _asks_for_english(args: list[str]) -> bool:
    pairs = zip(args, [*args[1:], ""], strict=True)
    return any(
        (arg in ("--lang", "-l") and value == "en") or arg == "--lang=en" for arg, value in pairs
    )
