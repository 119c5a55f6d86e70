"""The report's own words, in Vietnamese and English."""

from __future__ import annotations

from ..result import MET, MISSING, NOT_MET
from ..text import Lang, Text

STATUS: dict[str, Text] = {
    MET: Text(vi="Đạt", en="Met"),
    NOT_MET: Text(vi="Chưa đạt", en="Not met"),
    MISSING: Text(vi="Thiếu dữ liệu", en="Missing data"),
}

WORDS: dict[str, Text] = {
    "report": Text(vi="Báo cáo đánh giá", en="Assessment report"),
    "data": Text(vi="Dữ liệu", en="Data"),
    "rules": Text(vi="Bộ tiêu chí", en="Rules"),
    "units": Text(vi="Số đơn vị", en="Units"),
    "met": Text(vi="Đạt chuẩn", en="Met"),
    "not_met": Text(vi="Chưa đạt", en="Not met"),
    "missing": Text(vi="Thiếu dữ liệu", en="Missing data"),
    "average": Text(vi="Bình quân tiêu chí đạt", en="Average criteria met"),
    "recognised_not_met": Text(
        vi="Đã công nhận nhưng nay chưa đạt", en="Recognised but no longer met"
    ),
    "unverified": Text(
        vi="Kết quả dựa trên giá trị chưa kiểm chứng", en="Results resting on unverified values"
    ),
    "next_missing": Text(vi="Thiếu dữ liệu cho mức kế tiếp", en="Missing data for the next level"),
    "distribution": Text(
        vi="Phân bố theo số tiêu chí đạt", en="Distribution by number of criteria met"
    ),
    "distribution_of": Text(vi="tiêu chí của {level}", en="criteria of {level}"),
    "bucket_exact": Text(vi="Đạt {n} tiêu chí", en="{n} criteria"),
    "bucket_range": Text(vi="Đạt {low}–{high} tiêu chí", en="{low}–{high} criteria"),
    "bucket_below": Text(vi="Dưới {n} tiêu chí", en="Fewer than {n} criteria"),
    "places": Text(vi="Vị trí của các đơn vị", en="Where the units stand"),
    "statuses": Text(vi="Kết quả", en="Results"),
    "levels": Text(vi="Số đơn vị đạt từng mức và mục tiêu", en="Units at each level and targets"),
    "at_or_above": Text(vi="đạt mức này trở lên", en="at this level or above"),
    "target": Text(vi="mục tiêu", en="target"),
    "targets": Text(vi="Mục tiêu", en="Targets"),
    "target_floor": Text(
        vi="{text}: còn {below} {units} dưới mức sàn", en="{text}: {below} {units} below the floor"
    ),
    "target_count": Text(
        vi="{text}: đã có {reached}/{count}", en="{text}: {reached} of {count} so far"
    ),
    "target_units": Text(vi="{text}: {units}", en="{text}: {units}"),
    "below_floor": Text(vi="{text}: số {units} còn dưới mức sàn", en="{text}: {units} still below"),
    "target_reached": Text(vi="đạt", en="reached"),
    "target_not_reached": Text(vi="chưa đạt", en="not yet"),
    "target_absent": Text(vi="không có trong dữ liệu", en="not in the data"),
    "districts": Text(vi="Theo huyện", en="By district"),
    "districts_title": Text(
        vi="{units} của từng huyện theo vị trí", en="{units} of each district by place"
    ),
    "missed": Text(vi="Tiêu chí chưa đạt nhiều nhất", en="Criteria most often missed"),
    "missed_title": Text(
        vi="{level}: số {units} chưa đạt từng tiêu chí (trong {count} {units} hướng tới mức này)",
        en="{level}: {units} not meeting each criterion (of {count} {units} aiming for it)",
    ),
    "missed_more": Text(vi="và {count} tiêu chí khác", en="and {count} more criteria"),
    "summary": Text(vi="Tổng hợp", en="Summary"),
    "table": Text(vi="Danh sách đơn vị", en="The units"),
    "code": Text(vi="Mã", en="Code"),
    "name": Text(vi="Tên", en="Name"),
    "district": Text(vi="Huyện", en="District"),
    "place": Text(vi="Vị trí", en="Place"),
    "status": Text(vi="Kết quả", en="Result"),
    "criteria_met": Text(vi="Tiêu chí đạt", en="Criteria met"),
    "criteria_next": Text(vi="Tiêu chí đạt (mức kế tiếp)", en="Criteria met (next level)"),
    "nearest": Text(vi="Còn thiếu gần nhất", en="Nearest gap"),
    "explain_hint": Text(
        vi="Bấm vào tên một đơn vị để xem giải thích chi tiết.",
        en="Click a unit's name to see its full explanation.",
    ),
    "aggregates": Text(vi="Tính từ các đơn vị thành viên", en="Computed from member units"),
    "top": Text(vi="Đã ở mức cao nhất của thang.", en="At the top of the ladder."),
    "missing_count": Text(
        vi="thiếu dữ liệu: {count} chỉ tiêu", en="missing data: {count} indicators"
    ),
    "count": Text(vi="Số lượng", en="Count"),
    "total": Text(vi="Tổng", en="Total"),
    "contents": Text(vi="Nội dung", en="Contents"),
    "generated": Text(
        vi="Tạo bởi ntm-rules; mọi số liệu tính từ tệp dữ liệu trên.",
        en="Made by ntm-rules; every number is computed from the data file above.",
    ),
}


def word(key: str, lang: Lang) -> str:
    return WORDS[key](lang)


def bucket_label(low: int, high: int, lang: Lang) -> str:
    if low == high:
        return word("bucket_exact", lang).format(n=low)
    if low == 0:
        return word("bucket_below", lang).format(n=high + 1)
    return word("bucket_range", lang).format(low=low, high=high)
