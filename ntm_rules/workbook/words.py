"""The words of the results workbook: sheet names, column headers, statuses and summary labels,
in Vietnamese and English."""

from __future__ import annotations

from ..result import MET, MISSING, NOT_APPLICABLE, NOT_MET
from ..text import Text

UNVERIFIED = "⚠"
"""Marks a status or a row that rests on a value or wording not verified against the law."""
RECOGNISED = "recognised"

SHEETS: dict[str, Text] = {
    "summary": Text(vi="Tổng hợp", en="Summary"),
    "units": Text(vi="Đơn vị", en="Units"),
    "matrix": Text(vi="Ma trận tiêu chí", en="Criteria matrix"),
    "indicators": Text(vi="Chỉ tiêu", en="Indicators"),
    "errors": Text(vi="Lỗi", en="Errors"),
    "progress": Text(vi="Tiến độ theo huyện", en="Progress by district"),
    "aggregates": Text(vi="Tính từ thành viên", en="From members"),
}

COLUMNS: dict[str, Text] = {
    "code": Text(vi="Mã", en="Code"),
    "name": Text(vi="Tên", en="Name"),
    "district": Text(vi="Huyện", en="District"),
    "kind": Text(vi="Loại", en="Kind"),
    "status": Text(vi="Kết quả", en="Result"),
    "place": Text(vi="Vị trí", en="Place"),
    "level": Text(vi="Mức", en="Level"),
    "next_level": Text(vi="Mức kế tiếp", en="Next level"),
    "criteria_met": Text(vi="Tiêu chí đạt", en="Criteria met"),
    "next_met": Text(vi="Tiêu chí đạt (mức kế tiếp)", en="Criteria met (next level)"),
    "criteria_total": Text(vi="Tổng số tiêu chí", en="Criteria total"),
    "unmet": Text(vi="Tiêu chí chưa đạt", en="Criteria not met"),
    "missing_count": Text(vi="Chỉ tiêu thiếu dữ liệu", en="Indicators missing data"),
    "nearest": Text(vi="Còn thiếu gần nhất", en="Nearest shortfall"),
    "unverified": Text(vi="Chưa kiểm chứng", en="Unverified"),
    "criterion": Text(vi="Tiêu chí", en="Criterion"),
    "indicator": Text(vi="Chỉ tiêu", en="Indicator"),
    "indicator_name": Text(vi="Nội dung", en="Wording"),
    "value": Text(vi="Giá trị", en="Value"),
    "op": Text(vi="So sánh", en="Comparison"),
    "threshold": Text(vi="Ngưỡng", en="Threshold"),
    "measure": Text(vi="Đơn vị tính", en="Unit of measure"),
    "margin": Text(vi="Chênh lệch", en="Margin"),
    "missing_fields": Text(vi="Dữ liệu còn thiếu", en="Data missing"),
    "source": Text(vi="Căn cứ", en="Legal source"),
    "record": Text(vi="Bản ghi", en="Record"),
    "field": Text(vi="Cột / trường", en="Column / field"),
    "message": Text(vi="Lỗi", en="Problem"),
    "communes": Text(vi="Số xã", en="Communes"),
    "average": Text(vi="Bình quân tiêu chí đạt", en="Average criteria met"),
    "without_record": Text(vi="Xã chưa có số liệu", en="Communes without a record"),
    "aggregate": Text(vi="Chỉ tiêu tổng hợp", en="Aggregate"),
    "members": Text(vi="Số thành viên", en="Members"),
    "counted": Text(vi="Số đạt", en="Qualifying"),
    "holding_back": Text(vi="Chưa đạt (kéo lùi)", en="Not qualifying (holding back)"),
    "undecided": Text(vi="Chưa đủ dữ liệu", en="Undecided"),
    "origin": Text(vi="Nguồn số liệu", en="Origin"),
}

STATUSES: dict[str, Text] = {
    MET: Text(vi="đạt", en="met"),
    NOT_MET: Text(vi="chưa đạt", en="not met"),
    MISSING: Text(vi="thiếu dữ liệu", en="missing data"),
    NOT_APPLICABLE: Text(vi="không áp dụng", en="not applicable"),
    RECOGNISED: Text(vi="đạt (công nhận {year})", en="met (recognised {year})"),
}

SUMMARY: dict[str, Text] = {
    "ruleset": Text(vi="Bộ tiêu chí", en="Ruleset"),
    "ladder": Text(vi="Thang", en="Ladder"),
    "units": Text(vi="Số đơn vị", en="Units"),
    "met": Text(vi="Đạt chuẩn", en="Met"),
    "not_met": Text(vi="Chưa đạt", en="Not met"),
    "missing": Text(vi="Thiếu dữ liệu để kết luận", en="Not enough data to decide"),
    "distribution": Text(vi="Phân bố theo số tiêu chí đạt", en="Distribution by criteria met"),
    "average": Text(vi="Bình quân số tiêu chí đạt", en="Average criteria met"),
    "places": Text(vi="Phân bố theo vị trí", en="Distribution by place"),
    "levels": Text(vi="Các mức", en="Levels"),
    "level_met": Text(vi="Đạt mức (tính lại)", en="Meeting it now"),
    "level_recognised": Text(vi="Giữ nhờ công nhận", en="Held by recognition"),
    "at_or_above": Text(vi="Đạt mức này trở lên", en="At this level or above"),
    "slipped": Text(
        vi="Đã công nhận nhưng nay chưa đạt", en="Recognised earlier, not meeting it now"
    ),
    "targets": Text(vi="Mục tiêu", en="Targets"),
    "reached": Text(vi="Đã đạt", en="Reached"),
    "goal": Text(vi="Chỉ tiêu đặt ra", en="Goal"),
    "still_below": Text(vi="Còn dưới ngưỡng", en="Still below"),
    "done": Text(vi="Hoàn thành", en="Done"),
    "detail": Text(vi="Chi tiết", en="Detail"),
    "next_missing": Text(
        vi="Thiếu dữ liệu để kết luận mức kế tiếp", en="Not enough data to decide the next level"
    ),
    "unverified": Text(
        vi=f"{UNVERIFIED} Kết quả phụ thuộc giá trị chưa kiểm chứng (xem: ntm-rules audit)",
        en=f"{UNVERIFIED} Outcome rests on unverified values (see: ntm-rules audit)",
    ),
    "errors": Text(vi="Bản ghi lỗi, không được đánh giá", en="Records with errors, not evaluated"),
    "unit_absent": Text(vi="không có trong dữ liệu", en="not in the data"),
    "legend": Text(
        vi="Màu: xanh = đạt, đỏ = chưa đạt, xám = thiếu dữ liệu, lam = giữ nhờ công nhận; "
        f"{UNVERIFIED} = dựa trên giá trị chưa kiểm chứng",
        en="Colours: green = met, red = not met, grey = missing data, blue = held by "
        f"recognition; {UNVERIFIED} = rests on an unverified value",
    ),
    "matrix_note": Text(
        vi="Mỗi mức một trang ma trận: mọi đơn vị × các tiêu chí của mức đó",
        en="One matrix sheet per level: every unit × that level's criteria",
    ),
    "indicators_note": Text(
        vi="Trang Chỉ tiêu: các chỉ tiêu của mức kế tiếp (mức cao nhất nếu đã đạt)",
        en="Indicators sheet: the next level's indicators (the top level's once reached)",
    ),
}

YES_NO = (Text(vi="Có", en="Yes"), Text(vi="Không", en="No"))
SOURCES = {
    "computed": Text(vi="tính từ thành viên", en="computed from members"),
    "reported": Text(vi="đơn vị tự báo cáo", en="reported by the unit"),
}
