"""The template's instructions sheet: what the sheets and columns are, which are required, how
to write numbers, yes/no and regions, what a blank cell means, and the command to run next."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..ladder import Ladder, level_rulesets
from ..models.fields import KIND_BOOL
from ..models.vocabulary import FieldSpec, always_given, field_specs
from ..text import Lang, Text, nfc
from ..unit_kinds import unit_kind
from .columns import TemplateSheet
from .words import NO, YES, how_to_write, unit_words

HELP_SHEET = Text(vi="Hướng dẫn", en="Instructions")
"""The sheet's name; readers of data files skip a sheet of this name."""

_TITLE = Text(vi="Mẫu nhập số liệu: {title}", en="Input template: {title}")
_TARGET = Text(vi="Bộ tiêu chí hoặc thang: {id}", en="Ruleset or ladder: {id}")
_LEVELS = Text(vi="Các mức: {levels}", en="Levels: {levels}")
_STEPS = (
    Text(
        vi="1. Số liệu bắt đầu từ dòng 3 của mỗi trang ({sheets}). Dòng 1 là tên chỉ tiêu, "
        "dòng 2 là tên trường và đơn vị: không sửa hai dòng này. Có thể thêm cột STT hoặc Ghi "
        "chú: chúng được bỏ qua.",
        en="1. Data starts on row 3 of each sheet ({sheets}). Row 1 holds the labels, row 2 the "
        "field names and units: do not change these two rows. You may add an STT (row number) "
        "or Ghi chú (notes) column: it is read past.",
    ),
    Text(
        vi="2. Cột có tiêu đề màu cam là bắt buộc: {required}.",
        en="2. The columns with an orange heading are required: {required}.",
    ),
    Text(
        vi="3. Số: viết 41,5 hoặc 41.5 (dấu phẩy hay dấu chấm thập phân đều được); không cần dấu "
        "phân cách hàng nghìn. Tỷ lệ phần trăm là một số từ 0 đến 100 (85 hoặc 85%). Số đếm là "
        "số nguyên không âm; năm viết đủ bốn chữ số (2023).",
        en="3. Numbers: write 41.5 or 41,5 (a decimal point or comma are both fine); no thousands "
        "separators are needed. A percentage is a number from 0 to 100 (85 or 85%). Counts are "
        "whole numbers, 0 or more; years have four digits (2023).",
    ),
    Text(
        vi="4. Có/Không: chọn “{yes}” hoặc “{no}” trong danh sách (x cũng được đọc là Có).",
        en="4. Yes/no: choose “{yes}” or “{no}” from the list (Có/Không and x are read too).",
    ),
    Text(
        vi="5. Vùng: chọn tên vùng trong danh sách, hoặc ghi mã vùng: {regions}.",
        en="5. Region: choose the region's name from the list, or write its code: {regions}.",
    ),
    Text(
        vi="6. Ô để trống nghĩa là chưa có số liệu: chỉ tiêu dùng ô đó là “thiếu dữ liệu”, không "
        "bao giờ bị tính là chưa đạt.{listed}",
        en="6. A blank cell means not reported: the indicators that read it are “missing data”, "
        "never counted as failed.{listed}",
    ),
)
_COMPUTED = Text(
    vi="7. Các giá trị sau được ntm-rules tính từ trang của các đơn vị thành viên nên không có "
    "cột: {fields}. Mỗi đơn vị thành viên ghi tên hoặc mã của huyện, thị xã hay tỉnh chứa nó.",
    en="7. These values are computed by ntm-rules from the member units' sheets, so they have "
    "no column: {fields}. Each member unit names (or gives the code of) the district, town or "
    "province it lies in.",
)
_ROW_OF = Text(vi="“{sheet}”: mỗi dòng một {unit}", en="“{sheet}”: one row per {unit}")
_NEXT = Text(
    vi="Sau khi điền, lưu tệp rồi chạy:  ntm-rules evaluate {file} --ruleset {id}",
    en="When it is filled in, save the file and run:  ntm-rules evaluate {file} --ruleset {id}",
)
_LISTED = Text(
    vi=" Riêng các cột cho biết đơn vị thuộc một danh sách ({labels}): để trống nghĩa là Không.",
    en=" Except the columns saying whether the unit is on a list ({labels}): blank there means No.",
)
_COLUMNS = Text(vi="Các cột của trang “{sheet}”", en="The columns of sheet “{sheet}”")
_HEADINGS = (
    Text(vi="Tiêu đề (dòng 1)", en="Heading (row 1)"),
    Text(vi="Trường (dòng 2)", en="Field (row 2)"),
    Text(vi="Đơn vị", en="Unit"),
    Text(vi="Bắt buộc", en="Required"),
    Text(vi="Cách ghi", en="How to write it"),
)
_WIDTHS = {"A": 60, "B": 34, "C": 22, "D": 10, "E": 44}
_HEADER = PatternFill("solid", fgColor="DDEBF7")


def instructions_sheet(
    sheet: Worksheet,
    ladder: Ladder,
    sheets: Sequence[TemplateSheet],
    titles: Sequence[str],
    choice_names: Mapping[str, Mapping[str, str]],
    lang: Lang,
    file_name: str,
) -> None:
    """Fill ``sheet`` with the instructions for a template of ``ladder``."""
    for column, width in _WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.append([nfc(_TITLE(lang).format(title=ladder.title(lang)))])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([_TARGET(lang).format(id=ladder.id)])
    levels = level_rulesets(ladder)
    if len(levels) > 1:
        names = " → ".join(level.level.name(lang) for level in levels)
        sheet.append([nfc(_LEVELS(lang).format(levels=names))])
    sheet.append([])
    regions = "; ".join(f"{code}: {name}" for code, name in choice_names.get("region", {}).items())
    rows = "; ".join(
        _ROW_OF(lang).format(sheet=title, unit=unit_kind(template.kind).name(lang))
        for title, template in zip(titles, sheets, strict=True)
    )
    required = ", ".join(
        dict.fromkeys(s.label(lang) for t in sheets for s in t.columns if s.required)
    )
    listed = ", ".join(
        dict.fromkeys(
            spec.label(lang)
            for template in sheets
            for spec in template.columns
            if spec.kind == KIND_BOOL and spec.name in always_given(template.model)
        )
    )
    values = {
        "listed": _LISTED(lang).format(labels=listed) if listed else "",
        "sheets": rows,
        "required": required,
        "yes": YES(lang),
        "no": NO(lang),
        "regions": regions,
    }
    for step in _STEPS:
        if "{regions}" in step.vi and not regions:
            continue
        sheet.append([nfc(step(lang).format(**values))])
    computed = [
        f"“{title}”: "
        + ", ".join(
            f"{spec.label(lang)} ({spec.name})"
            for spec in field_specs(template.model)
            if spec.name in template.computed
        )
        for title, template in zip(titles, sheets, strict=True)
        if template.computed
    ]
    if computed:
        sheet.append([nfc(_COMPUTED(lang).format(fields="; ".join(computed)))])
    sheet.append([])
    sheet.append([nfc(_NEXT(lang).format(file=file_name, id=ladder.id))])
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    for row in sheet.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    for title, template in zip(titles, sheets, strict=True):
        sheet.append([])
        sheet.append([nfc(_COLUMNS(lang).format(sheet=title))])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True, size=12)
        sheet.append([heading(lang) for heading in _HEADINGS])
        for n in range(1, len(_HEADINGS) + 1):
            sheet.cell(sheet.max_row, n).font = Font(bold=True)
            sheet.cell(sheet.max_row, n).fill = _HEADER
        for spec in template.columns:
            sheet.append([nfc(cell) for cell in _column_row(spec, lang)])
            for n in range(1, len(_HEADINGS) + 1):
                sheet.cell(sheet.max_row, n).alignment = Alignment(wrap_text=True, vertical="top")


def _column_row(spec: FieldSpec, lang: Lang) -> list[str]:
    unit = unit_words(spec, lang)
    rule = how_to_write(spec)
    yes_no = (YES if spec.required else NO)(lang)
    return [spec.label(lang), spec.name, unit, yes_no, rule(lang) if rule else ""]
