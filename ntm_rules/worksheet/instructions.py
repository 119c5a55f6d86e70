"""The worksheet's instructions sheet: what the rows are, how to fill them, how to apply them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..ruleset.model import Ruleset
from ..text import Lang, Text
from .columns import ITEMS_SHEET, NO, YES, column

_STEPS = (
    Text(
        vi="1. Mỗi dòng của trang “{sheet}” là một giá trị (ngưỡng) hoặc một nội dung chỉ tiêu "
        "chưa được đối chiếu với văn bản gốc. Cột “{citation}” cho biết văn bản và mục cần đọc; "
        "cột “{location}” cho biết tệp YAML và dòng chứa nó.",
        en="1. Each row of the “{sheet}” sheet is a value (threshold) or an indicator's wording "
        "not yet checked against the official text. “{citation}” names the document and item "
        "to read; “{location}” names the YAML file and line that hold it.",
    ),
    Text(
        vi="2. Mở văn bản chính thức (Công báo, vanban.chinhphu.vn, văn bản đã ký của UBND "
        "tỉnh), không dùng bài báo hay bản tóm tắt.",
        en="2. Open the official text (the Official Gazette, vanban.chinhphu.vn, the signed "
        "provincial decision), not a news article or a summary.",
    ),
    Text(
        vi="3. Với một giá trị: ghi con số theo văn bản vào cột “{value}”, kể cả khi nó bằng giá "
        "trị hiện tại. Chỉ ghi số, theo đơn vị ở cột “{unit}” (ví dụ 70 cho 70%); dấu phẩy hay "
        "dấu chấm thập phân đều được.",
        en="3. For a value: write the number the text gives in “{value}”, even when it equals "
        "the current value. A number only, in the unit of “{unit}” (70 for 70%); a decimal "
        "comma or point are both fine.",
    ),
    Text(
        vi="4. Với một nội dung chỉ tiêu: ghi “{yes}” vào cột “{wording}” nếu tên chỉ tiêu đúng "
        "với văn bản, “{no}” nếu không (và chép nội dung đúng vào cột “{remarks}”). Dòng “{no}” "
        "không được ghi vào tệp: người soạn bộ tiêu chí sửa nội dung bằng tay.",
        en="4. For an indicator's wording: write “{yes}” in “{wording}” if the name matches the "
        "text, “{no}” if not (and copy the right wording into “{remarks}”). A “{no}” row is not "
        "written to the file: the rule author corrects the wording by hand.",
    ),
    Text(
        vi="5. Ghi số hiệu văn bản đã đọc vào cột “{document}” (bắt buộc, ví dụ 318/QĐ-TTg), "
        "rồi điều, khoản, mục, trang, người đối chiếu và ngày đối chiếu.",
        en="5. Write the number of the document you read in “{document}” (required, e.g. "
        "318/QĐ-TTg), then the article or item, the page, who checked and when.",
    ),
    Text(
        vi="6. Để trống những dòng chưa đối chiếu được. Không sửa các cột khác; các cột ẩn xác "
        "định từng dòng, nên có thể sắp xếp và lọc thoải mái.",
        en="6. Leave the rows you could not check empty. Do not change the other columns; the "
        "hidden columns identify each row, so sorting and filtering are safe.",
    ),
    Text(
        vi="7. Gửi lại tệp cho người soạn bộ tiêu chí. Họ chạy: ntm-rules audit --apply TỆP.xlsx "
        "--dry-run (xem trước các thay đổi), rồi ntm-rules audit --apply TỆP.xlsx để ghi.",
        en="7. Send the file back to the rule author, who runs: ntm-rules audit --apply "
        "FILE.xlsx --dry-run (to preview the changes), then ntm-rules audit --apply FILE.xlsx.",
    ),
)
_APPLY = (
    Text(
        vi="Khi ghi, mỗi dòng đã điền đặt giá trị mới (nếu khác), verified: true và một ghi chú "
        "(note) trích văn bản, điều, trang, người và ngày đối chiếu; phiên bản (version) của mỗi "
        "tệp được sửa tăng một bậc (2022.06 → 2022.06.1 → 2022.06.2). Chú thích và bố cục của "
        "tệp YAML được giữ nguyên.",
        en="Applying sets, for each filled row, the new value (if it differs), verified: true "
        "and a note citing the document, item, page, who checked and when; the version of each "
        "file changed goes up one step (2022.06 → 2022.06.1 → 2022.06.2). Comments and layout "
        "of the YAML files are kept.",
    ),
    Text(
        vi="Không ghi gì cả nếu có một dòng bị từ chối: hai dòng cùng một mục nhưng khác giá "
        "trị, một giá trị không phải là số theo đơn vị, một dòng không ghi văn bản, một tệp đã "
        "thay đổi từ khi lập phiếu, một giá trị của tỉnh lỏng hơn mức của Trung ương, hoặc một "
        "tệp là bản cài đặt cùng phần mềm (hãy dùng ntm-rules init để có bản làm việc). Lỗi nêu "
        "rõ số dòng trong phiếu.",
        en="Nothing is written if any row is refused: two rows for the same item with different "
        "values, a value that is not a number in its unit, a row without a document, a file "
        "changed since the sheet was made, a provincial value looser than the national one, or "
        "a file installed with the software (use ntm-rules init for a working copy). Each "
        "refusal names the sheet row.",
    ),
)


def instructions(rulesets: Sequence[Ruleset], count: int, lang: Lang, today: dt.date) -> list[str]:
    """The lines of the instructions sheet."""
    names = {
        "sheet": ITEMS_SHEET(lang),
        "yes": YES(lang),
        "no": NO(lang),
        **{
            key: column(name).header(lang)
            for key, name in (
                ("citation", "citation"),
                ("location", "location"),
                ("value", "confirmed_value"),
                ("unit", "unit"),
                ("wording", "wording_ok"),
                ("remarks", "remarks"),
                ("document", "document"),
            )
        },
    }
    title = Text(
        vi="Phiếu kiểm chứng các giá trị và nội dung chưa kiểm chứng",
        en="Worksheet to verify unverified values and wordings",
    )
    made = Text(
        vi="Lập ngày {date} bằng ntm-rules; {count} dòng.",
        en="Made on {date} by ntm-rules; {count} rows.",
    )
    lines = [title(lang), made(lang).format(date=today.isoformat(), count=count), ""]
    heading = Text(vi="Bộ tiêu chí:", en="Rulesets:")
    lines.append(heading(lang))
    lines.extend(f"  {r.id} (version {r.version}): {r.file}" for r in rulesets)
    lines.append("")
    lines.extend(step(lang).format(**names) for step in _STEPS)
    lines.append("")
    lines.extend(text(lang) for text in _APPLY)
    return lines
