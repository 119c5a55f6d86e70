"""YAML syntax errors in plain words: ruamel's parser messages said as a rule author would.

A tab, a line indented out of step with the lines above, a key without its colon, a quote or
bracket left open, a key written twice: each is named with the line (and column) where the
author should look, and what to do.
"""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

from .text import Text

Place = tuple[Text, int | None, int | None]


def explain_yaml_error(exc: MarkedYAMLError, text: str) -> Place:
    """The message, line and column (1-based) of a YAML syntax error."""
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    at = exc.problem_mark or exc.context_mark
    line = at.line + 1 if at else None
    column = at.column + 1 if at else None
    opened = exc.context_mark
    lines = text.split("\n")
    if "'\\t'" in problem:
        return _TAB, line, column
    if "duplicate key" in problem:
        return _duplicate(problem, lines, line), line, column
    if "could not find expected ':'" in problem and opened is not None:
        return _missing_colon(lines, opened.line + 1, opened.column + 1)
    if "quoted scalar" in context and opened is not None:
        return (
            Text(
                vi=f"dấu nháy mở ở dòng {opened.line + 1}, cột {opened.column + 1} không được "
                "đóng; thêm dấu nháy đóng ở cuối giá trị",
                en=f"the quote opened at line {opened.line + 1}, column {opened.column + 1} is "
                "never closed; add the closing quote at the end of the value",
            ),
            opened.line + 1,
            opened.column + 1,
        )
    if ("flow sequence" in context or "flow mapping" in context) and opened is not None:
        bracket, closing = ("[", "]") if "sequence" in context else ("{", "}")
        return (
            Text(
                vi=f"dấu '{bracket}' mở ở dòng {opened.line + 1}, cột {opened.column + 1} không "
                f"được đóng bằng '{closing}' (hoặc thiếu dấu phẩy giữa các phần tử)",
                en=f"the '{bracket}' opened at line {opened.line + 1}, column "
                f"{opened.column + 1} is not closed with '{closing}' (or a comma between items "
                "is missing)",
            ),
            opened.line + 1,
            opened.column + 1,
        )
    if "expected <block end>" in problem and line is not None:
        return _indentation(lines, line, problem), line, column
    if "mapping values are not allowed" in problem and line is not None:
        return _stray_colon(lines, line, column)
    if "undefined alias" in problem:
        return (
            Text(
                vi="tham chiếu '*' tới một neo (&) chưa được định nghĩa; nếu đây là văn bản, "
                "hãy đặt nó trong dấu nháy",
                en="a '*' refers to an anchor (&) that is not defined; if it is text, quote it",
            ),
            line,
            column,
        )
    said = problem or context or "invalid YAML"
    return Text(vi=f"lỗi cú pháp YAML: {said}", en=said), line, column


_TAB = Text(
    vi="có ký tự tab; YAML chỉ thụt lề bằng dấu cách: thay tab bằng dấu cách",
    en="a tab character; YAML indents with spaces only: replace the tab with spaces",
)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous(lines: list[str], number: int) -> int | None:
    """The 1-based number of the last line with content before line ``number``."""
    for n in range(number - 1, 0, -1):
        stripped = lines[n - 1].strip()
        if stripped and not stripped.startswith("#"):
            return n
    return None


def _indentation(lines: list[str], number: int, problem: str) -> Text:
    here = _indent(lines[number - 1])
    before = _previous(lines, number)
    above = _indent(lines[before - 1]) if before is not None else None
    if "'<scalar>'" in problem and above in (None, here):
        return Text(
            vi="có chữ thừa sau một giá trị (thường là dấu nháy trong giá trị có nháy: viết "
            "'' cho một dấu nháy đơn, hoặc đặt giá trị trong dấu nháy kép)",
            en="unexpected text after a value (often a quote inside a quoted value: write '' "
            "for a single quote, or put the value in double quotes)",
        )
    if before is None:
        return Text(vi="thụt lề không khớp", en="the indentation does not match")
    if above == here and lines[before - 1].lstrip().startswith("- "):
        return Text(
            vi=f"một khóa đứng ngang hàng với mục danh sách ở dòng {before}: nếu là mục mới, "
            "bắt đầu dòng bằng '- '; nếu thuộc mục đó, thụt lề thẳng hàng với khóa sau '- '",
            en=f"a key stands level with the list item on line {before}: start the line with "
            "'- ' if it is a new item, or indent it to line up with the key after '- '",
        )
    return Text(
        vi=f"thụt lề không khớp với dòng trên: dòng này thụt {here} dấu cách, dòng {before} "
        f"thụt {above} (một trong hai dòng bị lệch); các khóa cùng cấp phải thẳng hàng, mỗi mục danh sách bắt đầu bằng '- '",
        en=f"the indentation does not match the lines above: this line is indented by {here} "
        f"spaces, line {before} by {above} (one of the two is out of step); keys at one level must line up, and each list item "
        "starts with '- '",
    )


def _missing_colon(lines: list[str], number: int, column: int) -> Place:
    key = lines[number - 1][column - 1 :].strip()
    return (
        Text(
            vi=f"thiếu dấu hai chấm (:) sau khóa '{key}'; viết `{key}: giá trị`",
            en=f"missing colon (:) after the key '{key}'; write `{key}: value`",
        ),
        number,
        column,
    )


def _stray_colon(lines: list[str], number: int, column: int | None) -> Place:
    before = _previous(lines, number)
    here = _indent(lines[number - 1])
    previous = lines[before - 1].rstrip() if before is not None else ""
    plain = previous.strip()
    if before is not None and ":" not in plain and not plain.startswith(("-", "#", "[", "{")):
        # ``number 318`` then ``date: ...``: YAML read both lines as one text, up to the colon
        return _missing_colon(lines, before, _indent(previous) + 1)
    if (
        before is not None
        and here > _indent(previous)
        and not previous.endswith(":")
        and not plain.startswith("-")
    ):
        text = Text(
            vi=f"dòng này thụt lề sâu hơn dòng {before}, nhưng dòng {before} đã có giá trị; "
            "thụt lề bằng dòng trên, hoặc bỏ giá trị ở dòng trên nếu đây là các khóa con",
            en=f"this line is indented deeper than line {before}, which already has a "
            "value; line it up with the line above, or remove that value if these are its "
            "sub-keys",
        )
        return text, number, column
    return (
        Text(
            vi="dấu hai chấm (:) ở chỗ không được phép; nếu giá trị có chứa ': ', hãy đặt cả "
            "giá trị trong dấu nháy",
            en="mapping values are not allowed here: a value containing ': ' must be quoted",
        ),
        number,
        column,
    )


def _duplicate(problem: str, lines: list[str], number: int | None) -> Text:
    match = re.search(r'duplicate key "([^"]*)"', problem)
    key = match.group(1) if match else "?"
    first = None
    if number is not None:
        here = _indent(lines[number - 1])
        for n in range(number - 1, 0, -1):
            line = lines[n - 1]
            if _indent(line) < here and line.strip():
                break
            if _indent(line) == here and re.match(rf"\s*['\"]?{re.escape(key)}['\"]?\s*:", line):
                first = n
    where_vi = f" (lần đầu ở dòng {first})" if first else ""
    where_en = f" (first at line {first})" if first else ""
    return Text(
        vi=f"khóa '{key}' xuất hiện hai lần trong cùng một ánh xạ{where_vi}; xóa hoặc đổi tên "
        "một trong hai",
        en=f"duplicate key '{key}'{where_en}: remove or rename one of them",
    )
