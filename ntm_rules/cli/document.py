"""``ntm-rules document``: the printable criteria table of a ruleset or ladder (Markdown, HTML
or Excel), or of every one on the search path into a folder (``--all --output-dir``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import NtmRulesError
from ..ladder import level_rulesets
from ..ruleset.search import use_rulesets
from ..text import LANGS, Lang
from .app import LangOption, OutputOption, RulesetsOption
from .errors import CliError, choice, errors, parse_lang, print_error
from .inputs import ruleset_or_ladder
from .messages import t
from .output import _UNWRITABLE, emit
from .safe_write import UnwritablePath, write_file

ALL_COMMAND = "ntm-rules document --all --output-dir docs/criteria"
"""The command that regenerates the repository's docs/criteria."""

DocumentFormatOption = Annotated[
    str, typer.Option("--format", "-f", help="md | html | xlsx (Excel)")
]


def document_command(
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset",
            "-r",
            help="Mã bộ tiêu chí hoặc thang, hoặc tệp .yaml / ruleset or ladder id, or file",
        ),
    ] = None,
    output_format: DocumentFormatOption = "md",
    output: OutputOption = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Mọi bộ tiêu chí và thang tìm thấy, cả hai ngôn ngữ / every ruleset and ladder "
            "found, both languages",
        ),
    ] = False,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            help="Thư mục ghi (với --all): <lang>/<id>.<đuôi> và README.md / folder for --all",
        ),
    ] = None,
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
) -> None:
    """In bảng tiêu chí (Markdown, HTML, Excel). / Print a criteria table.

    Mỗi chỉ tiêu: số, nội dung, yêu cầu, mức theo trục (vùng...) và thời gian, căn cứ.
    Each indicator: number, wording, condition, value per axis (region...) and date, source.
    ⚠: giá trị chưa kiểm chứng / unverified value.
    """
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        from ..document import FORMATS

        choice(output_format, FORMATS, "--format", language)
        if every:
            if ruleset is not None or output is not None:
                raise CliError(t("document_all_alone", language), usage=True)
            if output_dir is None:
                raise CliError(t("document_all_needs_dir", language), usage=True)
            _document_all(output_dir, output_format, language)
            return
        if output_dir is not None:
            raise CliError(t("document_dir_needs_all", language), usage=True)
        if ruleset is None:
            raise CliError(t("document_needs_ruleset", language), usage=True)
        _document_one(ruleset, output_format, output, language)


def _document_one(ref: str, output_format: str, output: Path | None, lang: Lang) -> None:
    from ..document import build, render
    from ..ladder import Ladder

    target = ruleset_or_ladder(ref, lang)
    levels = level_rulesets(target) if isinstance(target, Ladder) else ()
    data = render(build(target, levels), output_format, lang)
    if output_format != "xlsx":
        emit(data.decode("utf-8"), output, lang)
    elif output is not None:
        _write(output, data, lang)
    elif sys.stdout.isatty():
        raise CliError(t("document_binary_tty", lang), usage=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


def _document_all(folder: Path, output_format: str, lang: Lang) -> None:
    """Every ruleset and ladder on the search path, in both languages, and an index."""
    from ..document import SUFFIXES, build, index_markdown, render
    from ..document.model import LadderDoc, RulesetDoc
    from ..ladder import load_ladder
    from ..ruleset.registry import get_ruleset, ladder_files, ruleset_files

    docs: list[RulesetDoc | LadderDoc] = []
    failures: list[str] = []
    for path in ruleset_files().values():
        try:
            docs.append(build(get_ruleset(path)))
        except NtmRulesError as exc:
            failures.extend(part.describe(lang) for part in exc.parts)
    for path in ladder_files().values():
        try:
            ladder = load_ladder(path)
            docs.append(build(ladder, level_rulesets(ladder)))
        except NtmRulesError as exc:
            failures.extend(part.describe(lang) for part in exc.parts)
    if folder.exists() and not folder.is_dir():
        raise CliError(t("not_a_dir", lang, path=folder))
    suffix = SUFFIXES[output_format]
    written = 0
    for language in LANGS:
        (folder / language).mkdir(parents=True, exist_ok=True)
        for doc in docs:
            _write(
                folder / language / f"{doc.id}{suffix}", render(doc, output_format, language), lang
            )
            written += 1
    command = ALL_COMMAND if output_format == "md" else f"{ALL_COMMAND} --format {output_format}"
    _write(folder / "README.md", index_markdown(docs, suffix, command).encode("utf-8"), lang)
    emit(t("document_written", lang, count=written + 1, path=folder) + "\n", None, lang)
    for failure in failures:
        print_error(lang, failure)
    if failures:
        raise typer.Exit(1)


def _write(path: Path, data: bytes, lang: Lang) -> None:
    try:
        write_file(path, data)
    except UnwritablePath as exc:
        raise CliError(t(_UNWRITABLE[type(exc)], lang, path=exc.path)) from None
