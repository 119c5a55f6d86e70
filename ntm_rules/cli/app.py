"""The typer application and the options several commands share."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
import typer.core

HELP_TEXT = "Xem hướng dẫn này / show this help"


class _HelpInVietnamese:
    """The ``--help`` option described in both languages (click's text is English only)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option


class Group(_HelpInVietnamese, typer.core.TyperGroup):
    pass


class Command(_HelpInVietnamese, typer.core.TyperCommand):
    pass


app = typer.Typer(
    name="ntm-rules",
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

LangOption = Annotated[
    str, typer.Option("--lang", "-l", help="Ngôn ngữ hiển thị / language: vi | en")
]
RulesetOption = Annotated[
    str,
    typer.Option(
        "--ruleset",
        "-r",
        help="Mã bộ tiêu chí hoặc thang có sẵn, hoặc đường dẫn tệp .yaml / "
        "ruleset or ladder id, or .yaml file",
    ),
]
DataArgument = Annotated[
    Path,
    typer.Argument(
        help="Tệp dữ liệu .json, .csv hoặc .xlsx / data file (.json, .csv, .xlsx)",
        show_default=False,
    ),
]
ResultFormatOption = Annotated[str, typer.Option("--format", "-f", help="table | json | csv")]
YearOption = Annotated[
    int | None,
    typer.Option("--year", "-y", help="Năm đánh giá (mặc định: cột year) / assessment year"),
]
UnitOption = Annotated[str, typer.Option("--unit", "-u", help="Mã đơn vị / unit code")]
RulesetsOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--rulesets",
        help="Thư mục bộ tiêu chí, được tìm trước các bộ có sẵn (dùng được nhiều lần; hoặc biến "
        "NTM_RULES_PATH) / a rulesets folder searched before the bundled sets (repeatable; "
        "or NTM_RULES_PATH)",
        file_okay=False,
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Ghi ra tệp thay vì màn hình / write to a file"),
]


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        sys.stdout.write(f"ntm-rules {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Phiên bản / show the version"
        ),
    ] = False,
) -> None:
    """Đánh giá xã, thôn/bản theo bộ tiêu chí nông thôn mới (NTM) khai báo trong tệp YAML.

    Evaluate communes and villages against the New Rural Development criteria (YAML rulesets).

    Kết quả bằng tiếng Việt; dùng --lang en cho tiếng Anh. / Use --lang en for English.
    """
