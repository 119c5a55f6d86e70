"""Every text the command line prints, in Vietnamese (the default) and English."""

from __future__ import annotations

from typing import Any

from ..result import MET, MISSING, NOT_MET
from ..text import Lang, Text
from ..unit_kinds import unit_kind

MESSAGES: dict[str, tuple[str, str]] = {
    "error": ("Lỗi", "Error"),
    "internal": (
        "lỗi nội bộ, xin báo cho nhóm phát triển: {error}",
        "internal error, please report it: {error}",
    ),
    "file_not_found": ("không tìm thấy tệp: {path}", "file not found: {path}"),
    "not_a_file": ("không phải là tệp: {path}", "not a file: {path}"),
    "not_utf8": (
        "tệp không phải văn bản UTF-8: {path} (hãy lưu lại với mã hóa UTF-8)",
        "the file is not UTF-8 text: {path} (save it again as UTF-8)",
    ),
    "ruleset_suffix": (
        "tệp bộ tiêu chí phải có đuôi .yaml hoặc .yml: {path}",
        "a ruleset file must end in .yaml or .yml: {path}",
    ),
    "data_suffix": (
        "tệp dữ liệu phải có đuôi .json, .csv hoặc .xlsx: {path}",
        "the data file must end in .json, .csv or .xlsx: {path}",
    ),
    "no_records": (
        "tệp dữ liệu không có bản ghi nào: {path}",
        "the data file has no records: {path}",
    ),
    "bad_choice": (
        "{option} phải là một trong {choices} (nhận được '{value}')",
        "{option} must be one of {choices} (got '{value}')",
    ),
    "unknown_unit": (
        "không có đơn vị mã '{code}' trong {path}; {hint}",
        "no unit with code '{code}' in {path}; {hint}",
    ),
    "close_codes": ("có phải là: {codes}?", "did you mean: {codes}?"),
    "known_codes": (
        "các mã có trong tệp ({count}): {codes}",
        "codes in the file ({count}): {codes}",
    ),
    "unknown_target": (
        "--target phải là một mức của {what}: {levels} (nhận được '{value}')",
        "--target must be one of the levels of {what}: {levels} (got '{value}')",
    ),
    "no_yaml": ("không có tệp .yaml nào trong thư mục {path}", "no .yaml file in directory {path}"),
    "dir_not_found": ("thư mục không tồn tại: {path}", "directory not found: {path}"),
    "output_is_dir": ("--output là một thư mục: {path}", "--output is a directory: {path}"),
    "output_socket": ("--output là một socket: {path}", "--output is a socket: {path}"),
    "validate_ok": (
        "OK  {file}: {id} {version} — {criteria} tiêu chí, {indicators} chỉ tiêu, "
        "{parameters} tham số",
        "OK  {file}: {id} {version} — {criteria} criteria, {indicators} indicators, "
        "{parameters} parameters",
    ),
    "validate_ladder_ok": (
        "OK  {file}: thang {id} — {count} mức: {levels}",
        "OK  {file}: ladder {id} — {count} levels: {levels}",
    ),
    "validate_summary": ("Hợp lệ: {ok}/{total} tệp", "Valid: {ok}/{total} files"),
    # tables
    "col_id": ("Mã bộ tiêu chí", "Ruleset id"),
    "col_ladder_id": ("Mã thang", "Ladder id"),
    "col_version": ("Phiên bản", "Version"),
    "col_unit_kind": ("Đơn vị", "Unit"),
    "col_level": ("Mức đạt chuẩn", "Level"),
    "col_levels": ("Các mức (từ thấp lên cao)", "Levels (lowest first)"),
    "col_targets": ("Mục tiêu", "Targets"),
    "col_title": ("Tên", "Title"),
    "col_valid": ("Hiệu lực", "Valid"),
    "col_counts": ("Tiêu chí /\nchỉ tiêu", "Criteria /\nindicators"),
    "col_unverified": ("Chưa\nkiểm chứng", "Unverified"),
    "col_open": ("Tỉnh\nquyết định", "Province\ndecides"),
    "col_code": ("Mã", "Code"),
    "col_name": ("Tên", "Name"),
    "col_status": ("Kết quả", "Result"),
    "col_met": ("Tiêu chí đạt", "Criteria met"),
    "col_unmet": ("Tiêu chí chưa đạt", "Criteria not met"),
    "col_missing": ("Chỉ tiêu thiếu dữ liệu", "Indicators missing data"),
    "col_place": ("Vị trí", "Place"),
    "col_next_met": ("Tiêu chí đạt\n(mức kế tiếp)", "Criteria met\n(next level)"),
    "col_nearest": ("Còn thiếu gần nhất (mức kế tiếp)", "Nearest shortfall (next level)"),
    "col_line": ("Dòng", "Line"),
    "col_kind": ("Loại", "Kind"),
    "col_subject": ("Mục", "Item"),
    "col_value": ("Giá trị", "Value"),
    "col_note": ("Ghi chú", "Note"),
    "open_ended": ("không thời hạn", "open-ended"),
    "rulesets_title": ("Bộ tiêu chí", "Rulesets"),
    "search_path_title": (
        "Thư mục được tìm, theo thứ tự (thư mục trước thắng):",
        "Folders searched, in order (the first wins):",
    ),
    "origin_option": ("tùy chọn --rulesets", "option --rulesets"),
    "origin_environment": ("biến NTM_RULES_PATH", "variable NTM_RULES_PATH"),
    "origin_bundled": ("có sẵn trong gói", "bundled with the package"),
    "files_title": ("Tệp của từng mã:", "File of each id:"),
    "installed_copy": (
        "bản cài sẵn trong gói: đừng sửa tệp này (lần nâng cấp sau sẽ ghi đè); "
        "dùng ntm-rules init THƯ_MỤC để có bản sửa được",
        "installed copy inside the package: do not edit it (an upgrade replaces it); "
        "run ntm-rules init FOLDER for a copy to edit",
    ),
    "init_needs_province": (
        "chọn --province (có: {choices}) và/hoặc --national",
        "choose --province (bundled: {choices}) and/or --national",
    ),
    "init_done": ("Đã chép {count} tệp vào {folder}:", "Copied {count} files into {folder}:"),
    "init_next": (
        "Tiếp theo: sửa các tệp .yaml, rồi\n"
        "  ntm-rules validate {folder}\n"
        "  ntm-rules test {folder}\n"
        "  ntm-rules evaluate --rulesets {folder} --ruleset <mã> <dữ liệu.json>\n"
        "(hoặc đặt biến NTM_RULES_PATH={folder} để mọi lệnh dùng thư mục này trước bộ có sẵn)",
        "Next: edit the .yaml files, then\n"
        "  ntm-rules validate {folder}\n"
        "  ntm-rules test {folder}\n"
        "  ntm-rules evaluate --rulesets {folder} --ruleset <id> <data.json>\n"
        "(or set NTM_RULES_PATH={folder} so every command uses this folder before the bundled sets)",
    ),
    "shadows": ("che tệp cùng mã: {path}", "shadows the file with the same id: {path}"),
    "ladders_title": ("Thang mức đạt chuẩn", "Ladders"),
    # summary
    "summary_met": ("Đạt chuẩn: {met}/{total} {unit}", "Met: {met}/{total} {units}"),
    "summary_missing": (
        "Chưa đủ dữ liệu để kết luận: {count} {unit}",
        "Not enough data to decide: {count} {units}",
    ),
    "summary_distribution": ("Phân bố theo số tiêu chí đạt", "Distribution by criteria met"),
    "bucket_exact": ("{n} tiêu chí", "{n} criteria"),
    "bucket_range": ("{low}–{high} tiêu chí", "{low}–{high} criteria"),
    "bucket_below": ("dưới {n} tiêu chí", "fewer than {n} criteria"),
    "summary_average": (
        "Bình quân số tiêu chí đạt: {average}/{total}",
        "Average criteria met: {average}/{total}",
    ),
    "summary_recognised": (
        "Đã được công nhận đạt chuẩn nhưng nay chưa đạt: {count} {unit}",
        "Recognised earlier but not met now: {count} {units}",
    ),
    "summary_unverified": (
        "* kết quả phụ thuộc vào giá trị hoặc nội dung chưa được kiểm chứng với văn bản gốc "
        "({count} {unit}; xem: ntm-rules audit)",
        "* the outcome depends on values or wording not verified against the official text "
        "({count} {units}; see: ntm-rules audit)",
    ),
    # ladders
    "ladder_places": ("Phân bố theo vị trí", "Distribution by place"),
    "ladder_target": (
        "Mục tiêu · {level}: đạt {reached} / mục tiêu {count} (năm {year})",
        "Target · {level}: {reached} reached / target {count} (by {year})",
    ),
    # data sets (issue 9)
    "aggregates_title": ("Tính từ các đơn vị thành viên", "Computed from the member units"),
    "progress_title": (
        "Tiến độ theo huyện, thị xã, thành phố: số xã theo mức và theo số tiêu chí đạt",
        "Progress by district and town: communes by level and by criteria met",
    ),
    "col_communes": ("Xã", "Communes"),
    "more_members": (
        "→ {indicator}: cần thêm {count} {units} đạt",
        "→ {indicator}: {count} more {units} must qualify",
    ),
    "place_below": ("chưa đạt", "not yet"),
    "progress_caption": (
        "NTM, NC, KM: số xã đạt chuẩn NTM, NTM nâng cao, NTM kiểu mẫu trở lên; 19, 15–18…: "
        "số xã theo số tiêu chí NTM đạt; TB: bình quân số tiêu chí đạt; vị trí của huyện, thị "
        "xã: NTM, NC (nâng cao), HTNV (hoàn thành nhiệm vụ)",
        "NTM, NC, KM: communes at or above NTM, advanced, model NTM; 19, 15–18…: communes by "
        "NTM criteria met; Avg: average criteria met; place of the district or town: NTM, NC "
        "(advanced), HTNV (task completed)",
    ),
    "col_average": ("TB", "Avg"),
    "total": ("Tổng", "Total"),
    "links_title": (
        "Dữ liệu chưa khớp ({count}): đơn vị thiếu, thừa hoặc không thuộc đơn vị nào",
        "Data that does not link ({count}): missing, extra or unlinked units",
    ),
    "data_set_jsonl": (
        "--format jsonl chưa dùng được cho dữ liệu nhiều cấp; dùng table, json hoặc csv",
        "--format jsonl is not available for a multi-level data set; use table, json or csv",
    ),
    "data_set_workers": (
        "--workers chưa dùng được cho dữ liệu nhiều cấp (được đánh giá trong một tiến trình)",
        "--workers is not available for a multi-level data set (it is evaluated in one process)",
    ),
    "rows_shown": (
        "Hiện {shown}/{total} {units} cần chú ý nhất (đã công nhận nhưng sụt giảm, thiếu dữ "
        "liệu, gần mức kế tiếp nhất); thêm --all để xem tất cả",
        "Showing the {shown} of {total} {units} that matter most (recognised but slipped, "
        "lacking data, nearest to the next level); add --all for every one",
    ),
    "decimal_mark": (
        "--decimal là ',' hoặc '.', không phải '{value}'",
        "--decimal is ',' or '.', not '{value}'",
    ),
    "wrote_units": ("Đã ghi {count} đơn vị vào {path}", "Wrote {count} unit(s) to {path}"),
    "skipped_invalid": (
        "Bỏ qua {count} bản ghi có lỗi (--skip-invalid); đánh giá {good} bản ghi còn lại:",
        "Skipped {count} invalid record(s) (--skip-invalid); evaluated the other {good}:",
    ),
    "ladder_target_floor": (
        "Mục tiêu · {text}: còn {below}",
        "Target · {text}: {below} still below",
    ),
    "ladder_target_units": ("Mục tiêu · {text} · {units}", "Target · {text} · {units}"),
    "target_unit_yes": ("đạt", "reached"),
    "target_unit_no": ("chưa đạt", "not yet"),
    "target_unit_absent": ("không có trong dữ liệu", "not in the data"),
    "ladder_recognised": (
        "Đã được công nhận “{level}” nhưng nay chưa đạt: {count} {unit}",
        "Recognised as “{level}” earlier but not met now: {count} {units}",
    ),
    "ladder_missing": (
        "Chưa đủ dữ liệu để kết luận mức kế tiếp: {count} {unit}",
        "Not enough data to decide the next level: {count} {units}",
    ),
    "ladder_place_line": ("Vị trí trên thang “{ladder}”: {place}", "Place on “{ladder}”: {place}"),
    "ladder_top": ("Đã đạt mức cao nhất của thang.", "The top level of the ladder is reached."),
    "missing_data_count": ("thiếu dữ liệu: {count} chỉ tiêu", "missing data: {count} indicators"),
    "recognised_mark": ("✓ (công nhận {year})", "✓ (recognised {year})"),
    "unit_line": ("Đơn vị: {unit}", "Unit: {unit}"),
    "audit_summary": (
        "Tổng cộng: {total} mục chưa kiểm chứng hoặc để tỉnh quyết định",
        "Total: {total} items unverified or left to the province",
    ),
    "audit_none": ("Không có mục nào chưa kiểm chứng.", "Nothing unverified."),
    # -- ntm-rules test (issue 7, item 2: ruleset tests in YAML) --------------------------------
    "col_case": ("Ca kiểm thử", "Case"),
    "col_ruleset": ("Bộ tiêu chí", "Ruleset"),
    "col_expected": ("Mong đợi", "Expected"),
    "col_actual": ("Thực tế", "Actual"),
    "casetests_error": ("lỗi", "error"),
    "casetests_invalid": ("tệp kiểm thử không hợp lệ", "invalid test file"),
    "casetests_none": (
        "không có tệp kiểm thử *.test.yaml nào trong: {paths}",
        "no *.test.yaml test files in: {paths}",
    ),
    "casetests_summary": (
        "{cases} ca trong {files} tệp: {passed} đạt, {failed} không đạt",
        "{cases} cases in {files} files: {passed} passed, {failed} failed",
    ),
    "casetests_summary_invalid": (
        "{cases} ca trong {files} tệp: {passed} đạt, {failed} không đạt, {invalid} lỗi trong tệp kiểm thử",
        "{cases} cases in {files} files: {passed} passed, {failed} failed, {invalid} errors in test files",
    ),
    # -- document (issue #7 item 4: printable criteria tables) --
    "document_needs_ruleset": (
        "cần --ruleset MÃ (bộ tiêu chí hoặc thang), hoặc --all --output-dir THƯ_MỤC",
        "give --ruleset ID (a ruleset or ladder), or --all --output-dir DIR",
    ),
    "document_all_needs_dir": (
        "--all cần --output-dir THƯ_MỤC (ghi một tệp cho mỗi bộ tiêu chí và ngôn ngữ)",
        "--all needs --output-dir DIR (one file per ruleset and language)",
    ),
    "document_all_alone": (
        "--all không dùng cùng --ruleset hoặc --output (dùng --output-dir)",
        "--all does not go with --ruleset or --output (use --output-dir)",
    ),
    "document_dir_needs_all": (
        "--output-dir chỉ dùng với --all; với một bộ tiêu chí hãy dùng --output TỆP",
        "--output-dir goes with --all; for one ruleset use --output FILE",
    ),
    "document_binary_tty": (
        "tệp Excel không in ra màn hình được: thêm --output TỆP.xlsx",
        "an Excel file cannot be shown on the terminal: add --output FILE.xlsx",
    ),
    "not_a_dir": ("không phải là thư mục: {path}", "not a directory: {path}"),
    "document_written": ("Đã ghi {count} tệp vào {path}", "Wrote {count} files to {path}"),
    # -- verification worksheet (issue #7 item 5: audit --format xlsx / --apply) --
    "worksheet_needs_output": (
        "--format xlsx cần --output TỆP.xlsx (bảng tính là tệp nhị phân)",
        "--format xlsx needs --output FILE.xlsx (a workbook is a binary file)",
    ),
    "worksheet_written": (
        "Đã ghi phiếu kiểm chứng {path}: {count} dòng cần đối chiếu",
        "Worksheet written to {path}: {count} rows to check",
    ),
    "worksheet_apply_options": (
        "--apply không dùng cùng --ruleset, --format hay --output",
        "--apply does not go with --ruleset, --format or --output",
    ),
    "worksheet_dry_run_alone": (
        "--dry-run chỉ dùng cùng --apply",
        "--dry-run goes only with --apply",
    ),
    "worksheet_changes": ("Các dòng sẽ ghi vào tệp", "Rows to write"),
    "col_sheet_row": ("Dòng\nphiếu", "Sheet\nrow"),
    "col_where": ("Tệp:dòng", "File:line"),
    "worksheet_wording_ok": ("nội dung đúng", "wording correct"),
    "worksheet_version": ("Phiên bản {path}: {old} → {new}", "Version of {path}: {old} → {new}"),
    "worksheet_wording_wrong": (
        "Dòng {rows}: nội dung được ghi là Sai, không ghi vào tệp; hãy sửa nội dung bằng tay "
        "(xem cột Ghi chú thêm)",
        "Rows {rows}: the wording was marked wrong and is not written; correct it by hand "
        "(see the Remarks column)",
    ),
    "worksheet_dry_run": (
        "Chạy thử (--dry-run): chưa ghi tệp nào.",
        "Dry run (--dry-run): no file written.",
    ),
    "worksheet_applied": (
        "Đã ghi {count} dòng. Kiểm tra lại: ntm-rules validate",
        "{count} rows written. Check with: ntm-rules validate",
    ),
    "worksheet_nothing": (
        "Phiếu chưa có dòng nào được điền: không ghi gì.",
        "No row of the sheet is filled in: nothing written.",
    ),
    # -- compare (issue #7 item 3: `diff` and `impact`) ---------------------------------------
    "diff_before": ("Trước: {what}", "Before: {what}"),
    "diff_after": ("Sau:   {what}", "After:  {what}"),
    "diff_folders": ("So sánh thư mục {before} → {after}", "Comparing folders {before} → {after}"),
    "diff_same": ("Không có khác biệt.", "No differences."),
    "diff_count": ("{count} thay đổi.", "{count} changes."),
    "diff_added_ids": ("Chỉ có ở thư mục sau: {ids}", "Only in the after folder: {ids}"),
    "diff_removed_ids": ("Chỉ có ở thư mục trước: {ids}", "Only in the before folder: {ids}"),
    "diff_unchanged_ids": ("Không đổi: {ids}", "Unchanged: {ids}"),
    "diff_total": (
        "Tổng cộng: {count} thay đổi trong {pairs} cặp; thêm {added}, bỏ {removed}.",
        "Total: {count} changes in {pairs} pairs; {added} added, {removed} removed.",
    ),
    "diff_mixed": (
        "{before} và {after}: phải là hai thư mục, hoặc hai bộ tiêu chí / thang (mã hoặc tệp)",
        "{before} and {after}: give two folders, or two rulesets or ladders (ids or files)",
    ),
    "diff_one_folder": (
        "chỉ một đối số thì đó phải là một thư mục (so với các bộ có sẵn): {path}",
        "with one argument, it must be a folder (compared with the bundled sets): {path}",
    ),
    "diff_kinds": (
        "{before} là {before_kind}, {after} là {after_kind}: hãy so sánh hai cái cùng loại",
        "{before} is a {before_kind}, {after} is a {after_kind}: compare two of one kind",
    ),
    "kind_ruleset": ("bộ tiêu chí", "ruleset"),
    "kind_ladder": ("thang", "ladder"),
    "col_item": ("Mục", "Item"),
    "col_change": ("Thay đổi", "Change"),
    "col_before": ("Trước", "Before"),
    "col_after": ("Sau", "After"),
    "col_why": ("Vì sao", "Why"),
    "col_lost": ("Mất\n(đạt → chưa)", "Lost\n(met → not)"),
    "col_gained": ("Được\n(→ đạt)", "Gained\n(→ met)"),
    "col_other": ("Khác", "Other"),
    "impact_title": ("Tác động của thay đổi", "Impact of the change"),
    "impact_data": (
        "Dữ liệu: {path} — {count} {unit}, {year}",
        "Data: {path} — {count} {units}, {year}",
    ),
    "impact_year": ("năm {year}", "year {year}"),
    "impact_year_column": ("năm theo cột year", "year from the year column"),
    "impact_changed": (
        "Đơn vị có thay đổi: {count}/{total} {unit}",
        "Units with a change: {count}/{total} {units}",
    ),
    "impact_outcome": (
        "Đổi kết quả: {count} (lên {up}, xuống {down}, chưa đạt ↔ thiếu dữ liệu {other})",
        "Outcome changed: {count} (up {up}, down {down}, not met ↔ missing data {other})",
    ),
    "impact_place": (
        "Đổi vị trí trên thang: {count} (lên {up}, xuống {down})",
        "Place on the ladder changed: {count} (up {up}, down {down})",
    ),
    "impact_none": ("Không đơn vị nào thay đổi.", "No unit changes."),
    "impact_units": ("Thay đổi theo đơn vị", "Changes by unit"),
    "impact_criteria": ("Tiêu chí thay đổi (số đơn vị)", "Criteria that flip (units)"),
    "impact_parameters": (
        "Tham số đã đổi, theo số đơn vị bị ảnh hưởng",
        "Parameters that moved, by units affected",
    ),
    "impact_needs_ruleset": (
        "{folder} là một thư mục: chọn bộ tiêu chí hoặc thang bằng --ruleset ID ({ids})",
        "{folder} is a folder: choose the ruleset or ladder with --ruleset ID ({ids})",
    ),
    "impact_changed_ids": ("các mã đã đổi: {ids}", "ids that changed: {ids}"),
    "impact_known_ids": ("các mã có: {ids}", "ids in it: {ids}"),
    "impact_not_in_folder": (
        "không có bộ tiêu chí hoặc thang mã '{id}' trong thư mục {folder}",
        "no ruleset or ladder with id '{id}' in folder {folder}",
    ),
    "same_file": (
        "Lưu ý: hai bên là cùng một tệp ({file}). Một mã được tìm trong --rulesets và "
        "NTM_RULES_PATH trước bộ có sẵn; để so thư mục làm việc với bộ có sẵn: "
        "ntm-rules diff THƯ_MỤC, hoặc ntm-rules impact không có --before.",
        "Note: both sides are the same file ({file}). An id is looked for in --rulesets and "
        "NTM_RULES_PATH before the bundled sets; to compare a working folder with the bundled "
        "sets: ntm-rules diff FOLDER, or ntm-rules impact without --before.",
    ),
    "impact_ruleset_unused": (
        "--ruleset chỉ dùng khi --before hoặc --after là thư mục",
        "--ruleset is only used when --before or --after is a folder",
    ),
    # -- issue 7, editor support: the schema of ruleset files ----------------------------------
    "schema_one_kind": (
        "chọn một trong --result, --ruleset-format và --report",
        "choose one of --result, --ruleset-format and --report",
    ),
    # -- issue 8 item 4, streaming output (evaluate --format jsonl, --pretty) -----------------
    "pretty_json_only": (
        "--pretty chỉ dùng với --format json (mỗi dòng jsonl luôn gọn)",
        "--pretty only goes with --format json (jsonl lines are always compact)",
    ),
    # -- issue 8 item 5, batch API with cores: evaluate --workers and its progress bar ----------
    "progress_evaluating": ("Đang đánh giá", "Evaluating"),
    "workers_not_jsonl": (
        "--workers chưa dùng được với --format jsonl (jsonl đánh giá và ghi dần trong một "
        "tiến trình)",
        "--workers does not go with --format jsonl yet (jsonl evaluates and writes as it goes, "
        "in one process)",
    ),
    # -- issue 8 item 3, compact results: evaluate --detail, schema --compact ------------------
    "detail_json_only": (
        "--detail chỉ dùng với --format json hoặc jsonl (bảng và CSV không đổi)",
        "--detail only goes with --format json or jsonl (table and CSV do not change)",
    ),
    "schema_compact_alone": (
        "--compact không đi cùng --result hay --ruleset-format",
        "--compact does not go with --result or --ruleset-format",
    ),
    # issue 9 item 6 (axes; `heading` renamed from `group`): validate's notices
    "notice": ("Lưu ý", "Note"),
    # issue 10 item 1 (input template): ntm-rules template
    "template_written": (
        "Đã ghi mẫu nhập số liệu {path}: {sheets} trang dữ liệu, {columns} cột",
        "Input template written to {path}: {sheets} data sheet(s), {columns} columns",
    ),
    "template_next": (
        "Điền số liệu từ dòng 3 rồi chạy: ntm-rules evaluate {path} --ruleset {id}",
        "Fill it in from row 3, then run: ntm-rules evaluate {path} --ruleset {id}",
    ),
    # -- issue 10 item 4, the HTML report: report ----------------------------------------------
    "report_written": (
        "Đã ghi báo cáo ({count} đơn vị) vào {path}",
        "Wrote the report ({count} units) to {path}",
    ),
}

STATUS: dict[str, Text] = {
    MET: Text(vi="Đạt chuẩn", en="Met"),
    NOT_MET: Text(vi="Chưa đạt", en="Not met"),
    MISSING: Text(vi="Thiếu dữ liệu", en="Missing data"),
}
STATUS_STYLE = {MET: "green", NOT_MET: "red", MISSING: "yellow"}

LEVEL_MARK: dict[str, Text] = {
    MET: Text(vi="✓ đạt", en="✓ met"),
    NOT_MET: Text(vi="✗ chưa đạt", en="✗ not met"),
    MISSING: Text(vi="? thiếu dữ liệu", en="? missing data"),
}


LANGS = ("vi", "en")
EVALUATE_FORMATS = ("table", "json", "csv")
STREAM_FORMATS = ("table", "json", "jsonl", "csv", "xlsx")  # evaluate (issue 8 item 4; 10 item 3)
TABLE_JSON = ("table", "json")
TEXT_JSON = ("text", "json")


def t(key: str, lang: Lang, **values: Any) -> str:
    """The message ``key`` in ``lang``, filled in with ``values``."""
    vi, en = MESSAGES[key]
    return (en if lang == "en" else vi).format(**values)


CSV_HEADINGS: dict[str, str] = {
    "code": "Mã",
    "name": "Tên",
    "kind": "Loại đơn vị",
    "status": "Kết quả",
    "criteria_met": "Số tiêu chí đạt",
    "criteria_total": "Tổng số tiêu chí",
    "rests_on_unverified": "Dựa trên giá trị chưa kiểm chứng",
    "place": "Vị trí",
    "place_name": "Tên vị trí",
    "next_level": "Mức kế tiếp",
    "nearest_requirement": "Còn thiếu gần nhất",
    "distance": "Khoảng cách",
    "communes": "Số xã",
    "average_criteria_met": "Bình quân số tiêu chí đạt",
    "communes_without_record": "Xã được kê nhưng không có dữ liệu",
}
"""Vietnamese CSV headings; English CSV keeps the field-like names (stable for programs)."""
CSV_STATUS: dict[str, str] = {
    "met": "đạt",
    "not_met": "chưa đạt",
    "missing": "thiếu dữ liệu",
    "recognised": "đã công nhận",
    "not_applicable": "không áp dụng",
}


def csv_heading(key: str, lang: Lang, *, suffix: str = "") -> str:
    """A CSV column's heading: ``criterion_10`` in English, ``Tiêu chí 10`` in Vietnamese."""
    if lang == "en":
        return key + suffix
    if key == "criterion":
        return f"Tiêu chí {suffix.removeprefix('_')}"
    if key == "level":
        return f"Mức {suffix.removeprefix('_')}"
    return CSV_HEADINGS.get(key, key) + suffix


def csv_status(status: str, lang: Lang) -> str:
    """A status in a CSV cell: the machine name in English, words in Vietnamese."""
    return status if lang == "en" else CSV_STATUS.get(status, status)


def csv_flag(value: bool, lang: Lang) -> str:
    if lang == "en":
        return "true" if value else "false"
    return "có" if value else "không"


def unit_words(kind: str, lang: Lang) -> dict[str, str]:
    """``unit`` / ``units`` for a unit kind, to fill a message with."""
    return unit_kind(kind).words(lang)
