"""``ntm-rules init``: a working folder with a copy of a province's sets to edit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import LangOption
from .errors import CliError, errors, parse_lang
from .messages import t
from .output import emit
from .rulesets import shown_path


def init_command(
    folder: Annotated[
        Path, typer.Argument(help="Thư mục làm việc mới / the new working folder", file_okay=False)
    ],
    province: Annotated[
        list[str] | None,
        typer.Option(
            "--province",
            "-p",
            help="Tỉnh có bộ tiêu chí có sẵn, ví dụ sonla (dùng được nhiều lần) / "
            "a province with bundled sets, e.g. sonla (repeatable)",
        ),
    ] = None,
    national: Annotated[
        bool,
        typer.Option(
            "--national", help="Chép cả bộ tiêu chí quốc gia / copy the national sets too"
        ),
    ] = False,
    lang: LangOption = "vi",
) -> None:
    """Tạo thư mục làm việc: chép bộ tiêu chí của tỉnh (và bộ kiểm thử) để sửa. / Copy a
    province's rulesets (and their tests) into a working folder to edit."""
    language = parse_lang(lang)
    with errors(language):
        from ..workfolder import NATIONAL, create, sources

        prefixes = [*(province or ()), *([NATIONAL] if national else [])]
        if not prefixes:
            choices = ", ".join(sorted(key for key in sources() if key != NATIONAL))
            raise CliError(t("init_needs_province", language, choices=choices), usage=True)
        written = create(folder, prefixes)
        lines = [t("init_done", language, count=len(written), folder=shown_path(folder))]
        lines += [f"  {shown_path(path)}" for path in written]
        lines.append(t("init_next", language, folder=shown_path(folder)))
        emit("\n".join(lines) + "\n", None, language)
