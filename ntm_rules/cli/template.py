"""``ntm-rules template``: the Excel workbook an office fills in for a ruleset or ladder."""

from __future__ import annotations

import sys

from ..ruleset.search import use_rulesets
from .app import LangOption, OutputOption, RulesetOption, RulesetsOption
from .errors import CliError, errors, parse_lang
from .inputs import ruleset_or_ladder
from .messages import t
from .output import binary_out, emit


def template_command(
    ruleset: RulesetOption,
    output: OutputOption = None,
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
) -> None:
    """Mẫu Excel nhập số liệu của bộ tiêu chí hoặc thang. / Excel input template of a ruleset.

    Mỗi cột một đầu vào mà bộ tiêu chí (mọi mức của thang) đọc. / One column per input read.

    Dòng 1: tên chỉ tiêu; dòng 2: tên trường và đơn vị. / Row 1: label; row 2: field and unit.

    Huyện, tỉnh: mỗi loại đơn vị một trang. / District, province: one sheet per kind of unit.
    """
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        from ..template import template_sheets, template_xlsx

        target = ruleset_or_ladder(ruleset, language)
        if output is None and sys.stdout.isatty():
            raise CliError(t("document_binary_tty", language), usage=True)
        name = output.name if output is not None else "mau.xlsx"
        data = template_xlsx(target, language, file_name=name)
        binary_out(data, output, language)
        if output is None:
            return
        sheets = template_sheets(target)
        columns = sum(len(sheet.columns) for sheet in sheets)
        done = t("template_written", language, path=output, sheets=len(sheets), columns=columns)
        command = t("template_next", language, path=output, id=ruleset)
        emit(f"{done}\n{command}\n", None, language)
