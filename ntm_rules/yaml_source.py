"""Safe YAML loading that keeps file, line and column for every key, and rejects duplicates.

Ruleset files are data: they are read into ruamel.yaml's round-trip tree, which holds only
plain mappings, sequences and scalars (no Python objects), and duplicate keys are errors. The
tree is built by libyaml's C parser when :mod:`.yaml_fast` can build it exactly as ruamel would,
else by ruamel's own (pure-Python) loader, which also says every syntax error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .bounds import FIRST_YEAR, LAST_YEAR, MAX_MAGNITUDE, in_range, show_number
from .errors import Message, RulesetError, RulesetErrors
from .ruleset.format_spec import TEXT
from .text import Text, closest, did_you_mean, nfc
from .yaml_fast import fast_tree
from .yaml_syntax import explain_yaml_error


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, except that dates stay text until :meth:`Node.date`
    reads them (so that 2022-02-30 is an error at its line). A subclass: ``add_constructor``
    on ruamel's own class would change every YAML loader of the process."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def ruamel_loader() -> YAML:
    """ruamel's round-trip loader as ruleset files are read: safe, duplicate keys refused."""
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    yaml.preserve_quotes = True  # so an error in a quoted condition points at the right column
    return yaml


MAX_FILE_BYTES = 10_000_000
MAX_LINE_LENGTH = 10_000  # ruamel gathers a comment character by character: quadratic


def read_source(path: Path) -> str:
    """A ruleset file's text: UTF-8 (a byte-order mark is dropped), lines ending in ``\n``."""
    file = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise RulesetError(
                Text(
                    vi=f"tệp lớn hơn {MAX_FILE_BYTES:,} byte".replace(",", "."),
                    en=f"file is larger than {MAX_FILE_BYTES:,} bytes",
                ),
                file=file,
            )
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise RulesetError(
            Text(vi=f"không đọc được tệp: {reason}", en=f"cannot read file: {reason}"), file=file
        ) from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise RulesetError(
            Text(
                vi="tệp không phải văn bản UTF-8; lưu lại tệp với bảng mã UTF-8",
                en="file is not UTF-8 text",
            ),
            file=file,
            line=line,
        ) from None


def load_yaml(path: Path) -> Node:
    """Load one YAML file into a located :class:`Node`."""
    return load_yaml_text(read_source(path), str(path))


def load_yaml_text(text: str, file: str) -> Node:
    """Load the text of the file ``file`` into a located :class:`Node`."""
    for number, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE_LENGTH:
            raise RulesetError(
                Text(
                    vi=f"dòng dài hơn {MAX_LINE_LENGTH:,} ký tự; hãy ngắt dòng".replace(",", "."),
                    en=f"line is longer than {MAX_LINE_LENGTH:,} characters; break it",
                ),
                file=file,
                line=number,
                column=MAX_LINE_LENGTH + 1,
            )
    data = fast_tree(text)
    if data is None:
        data = _ruamel_tree(text, file)
    if not isinstance(data, CommentedMap):
        raise RulesetError(
            Text(
                vi="tệp bộ tiêu chí phải là một ánh xạ YAML (các dòng `khóa: giá trị`)",
                en="a ruleset file must be a YAML mapping",
            ),
            file=file,
            line=1,
            column=1,
        )
    return Node(data, file, "", 1, 1)


def _ruamel_tree(text: str, file: str) -> Any:
    """``text`` read by ruamel: the tree, or the error said in plain words."""
    try:
        return ruamel_loader().load(text)
    except MarkedYAMLError as exc:
        message, at_line, at_column = explain_yaml_error(exc, text)
        raise RulesetError(message, file=file, line=at_line, column=at_column) from None
    except Exception as exc:  # ruamel raises several unrelated classes for bad input
        key_line, key_column = _complex_key(text)
        if key_line is not None:
            raise RulesetError(
                Text(
                    vi="khóa phải là một tên, không phải danh sách hay ánh xạ",
                    en="a key must be a plain name, not a list or a mapping",
                ),
                file=file,
                line=key_line,
                column=key_column,
            ) from None
        raise RulesetError(
            Text(vi=f"YAML không hợp lệ: {exc}", en=f"invalid YAML: {exc}"), file=file
        ) from None


class Node:
    """A value read from a YAML file, with where it stands and typed accessors."""

    __slots__ = ("column", "file", "line", "path", "value")

    def __init__(self, value: Any, file: str, path: str, line: int, column: int) -> None:
        self.value = value
        self.file = file
        self.path = path
        self.line = line
        self.column = column

    # -- errors --------------------------------------------------------------------------
    def error(
        self, message: Message | None = None, *, vi: str | None = None, en: str | None = None
    ) -> RulesetError:
        """An error at this value: ``node.error(vi=..., en=...)`` (or a ready :class:`Text`)."""
        if message is None:
            assert vi is not None and en is not None
            message = Text(vi=vi, en=en)
        return RulesetError(
            message, file=self.file, line=self.line, column=self.column, key=self.path or None
        )

    # -- mappings ------------------------------------------------------------------------
    def _child(self, key: Any, value: Any) -> Node:
        container = self.value
        line, column = self.line, self.column
        try:
            if isinstance(value, CommentedMap | CommentedSeq):
                pos = (value.lc.line, value.lc.col)
            elif isinstance(container, CommentedMap):
                pos = container.lc.value(key)
            else:
                pos = container.lc.item(key)
            line, column = pos[0] + 1, pos[1] + 1
        except (KeyError, IndexError, AttributeError, TypeError):
            pass
        if isinstance(key, int):
            path = f"{self.path}[{key}]"
        else:
            path = f"{self.path}.{key}" if self.path else str(key)
        return Node(value, self.file, path, line, column)

    def mapping(self) -> CommentedMap:
        if not isinstance(self.value, CommentedMap):
            found = _kind(self.value)
            raise self.error(
                vi=f"cần một ánh xạ (các dòng `khóa: giá trị`), nhưng gặp {found.vi}",
                en=f"expected a mapping, found {found.en}",
            )
        return self.value

    def check_keys(self, allowed: Sequence[str], required: Sequence[str] = ()) -> None:
        """Every unknown key and every missing required key, all reported at once."""
        mapping = self.mapping()
        problems: list[RulesetError] = []
        meant: set[str] = set()  # required keys a misspelt key stands for: not "missing" too
        for key in mapping:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                meant.add(closest(str(key), allowed) or "")
                node = self._child(key, mapping[key])
                line, column = _key_position(mapping, key, node)
                listed = ", ".join(allowed)
                problems.append(
                    RulesetError(
                        Text(
                            vi=f"khóa '{key}' không có trong định dạng{hint.vi}; "
                            f"các khóa được dùng: {listed}",
                            en=f"unknown key '{key}'{hint.en}; allowed: {listed}",
                        ),
                        file=self.file,
                        line=line,
                        column=column,
                        key=node.path,
                    )
                )
        problems.extend(
            self._missing(key) for key in required if key not in mapping and key not in meant
        )
        if len(problems) == 1:
            raise problems[0]
        if problems:
            raise RulesetErrors(problems)

    def key_error(self, key: str, message: Text) -> RulesetError:
        """An error standing where ``key`` is written in this mapping (not at its value)."""
        mapping = self.mapping()
        node = self._child(key, mapping[key])
        line, column = _key_position(mapping, key, node)
        return RulesetError(message, file=self.file, line=line, column=column, key=node.path)

    def _missing(self, key: str) -> RulesetError:
        return self.error(vi=f"thiếu khóa bắt buộc '{key}'", en=f"missing required key '{key}'")

    def has(self, key: str) -> bool:
        return key in self.mapping()

    def get(self, key: str) -> Node:
        mapping = self.mapping()
        if key not in mapping:
            raise self._missing(key)
        return self._child(key, mapping[key])

    def opt(self, key: str) -> Node | None:
        mapping = self.mapping()
        if key not in mapping or mapping[key] is None:
            return None
        return self._child(key, mapping[key])

    def items(self) -> Iterator[tuple[str, Node]]:
        mapping = self.mapping()
        for key, value in mapping.items():
            if not isinstance(key, str):
                found = _kind(key)
                raise self._child(key, value).error(
                    vi=f"khóa phải là chữ, nhưng gặp {found.vi}",
                    en=f"keys must be text, found {found.en}",
                )
            yield key, self._child(key, value)

    # -- sequences -----------------------------------------------------------------------
    def seq(self) -> list[Node]:
        if not isinstance(self.value, CommentedSeq):
            found = _kind(self.value)
            raise self.error(
                vi=f"cần một danh sách (các dòng bắt đầu bằng '- '), nhưng gặp {found.vi}",
                en=f"expected a list, found {found.en}",
            )
        return [self._child(i, v) for i, v in enumerate(self.value)]

    # -- scalars -------------------------------------------------------------------------
    def str(self) -> str:
        if isinstance(self.value, bool) or not isinstance(self.value, str | int | float):
            found = _kind(self.value)
            raise self.error(
                vi=f"cần văn bản, nhưng gặp {found.vi}", en=f"expected text, found {found.en}"
            )
        if not isinstance(self.value, str):
            raise self.error(
                vi=f'cần văn bản, nhưng gặp một số; đặt trong dấu nháy: "{self.value}"',
                en=f'expected text, found a number; quote it: "{self.value}"',
            )
        text = nfc(str(self.value)).strip()
        if not text:
            raise self.error(vi="không được để trống", en="must not be empty")
        return text

    def bool(self) -> bool:
        if not isinstance(self.value, bool):
            found = _kind(self.value)
            raise self.error(
                vi=f"cần true hoặc false, nhưng gặp {found.vi}",
                en=f"expected true or false, found {found.en}",
            )
        return self.value

    def number(self) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, int | float):
            found = _kind(self.value)
            raise self.error(
                vi=f"cần một số, nhưng gặp {found.vi}", en=f"expected a number, found {found.en}"
            )
        if not in_range(self.value):
            raise self.error(
                vi=f"cần một số hữu hạn trong khoảng ±{MAX_MAGNITUDE:.0e}",
                en=f"expected a finite number within ±{MAX_MAGNITUDE:.0e}",
            )
        return float(self.value)

    def int(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            found = _kind(self.value)
            raise self.error(
                vi=f"cần một số nguyên, nhưng gặp {found.vi}",
                en=f"expected a whole number, found {found.en}",
            )
        if not in_range(self.value):
            raise self.error(
                vi=f"cần một số nguyên trong khoảng ±{MAX_MAGNITUDE:.0e}",
                en=f"expected a whole number within ±{MAX_MAGNITUDE:.0e}",
            )
        return int(self.value)

    def date(self) -> dt.date:
        value = self.value
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        found = _kind(value)
        raise self.error(
            vi=f"cần một ngày viết theo dạng NNNN-TT-NN (năm-tháng-ngày), nhưng gặp {found.vi}",
            en=f"expected a date written YYYY-MM-DD, found {found.en}",
        )

    def period_date(self) -> dt.date:
        """A date of the rules' period (validity, a value's start): within the years a unit
        can be assessed in, so that every date the rules name can be evaluated."""
        value = self.date()
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise self.error(
                vi=f"ngày trong thời kỳ của bộ tiêu chí phải nằm trong các năm {FIRST_YEAR}–"
                f"{LAST_YEAR}, những năm có thể đánh giá một đơn vị",
                en=f"a date of the rules' period must lie in {FIRST_YEAR}-{LAST_YEAR}, the years "
                "a unit can be assessed in",
            )
        return value

    def text(self) -> Text:
        """A bilingual text: ``{vi: ..., en: ...}``."""
        self.check_keys(TEXT.allowed, TEXT.required)
        return Text(vi=self.get("vi").str(), en=self.get("en").str())


def _complex_key(text: str) -> tuple[int | None, int | None]:
    """Where the first key that is a list or a mapping stands (ruamel cannot hash it)."""
    with contextlib.suppress(Exception):
        pending = [ruamel_loader().compose(text)]
        while pending:
            node = pending.pop()
            if isinstance(node, MappingNode):
                for key, value in node.value:
                    if not isinstance(key, ScalarNode):
                        return key.start_mark.line + 1, key.start_mark.column + 1
                    pending.append(value)
            elif isinstance(node, SequenceNode):
                pending.extend(node.value)
    return None, None


def _key_position(mapping: CommentedMap, key: Any, node: Node) -> tuple[int, int]:
    try:
        line, column = mapping.lc.key(key)
        return line + 1, column + 1
    except (KeyError, AttributeError, TypeError):
        return node.line, node.column


def _kind(value: Any) -> Text:
    if value is None:
        return Text(vi="giá trị rỗng (null)", en="nothing (null)")
    if isinstance(value, bool):
        shown = str(value).lower()
        return Text(vi=f"'{shown}' (true/false)", en=f"'{shown}' (true/false)")
    if isinstance(value, int | float):
        shown = show_number(value)
        return Text(vi=f"số {shown}", en=f"the number {shown}")
    if isinstance(value, str):
        return Text(vi=f"văn bản '{value}'", en=f"the text '{value}'")
    if isinstance(value, dict):
        return Text(vi="một ánh xạ", en="a mapping")
    if isinstance(value, list):
        return Text(vi="một danh sách", en="a list")
    if isinstance(value, dt.date):
        return Text(vi=f"ngày {value.isoformat()}", en=f"the date {value.isoformat()}")
    return Text(vi=type(value).__name__, en=type(value).__name__)


def text_offset(node: Node) -> int:
    """Columns between a scalar's position and its first character (1 for a quoted scalar)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    return 1 if isinstance(node.value, DoubleQuotedScalarString | SingleQuotedScalarString) else 0


def scalar_text(node: Node) -> str:
    """A scalar as written: text, or ``true``/``false``."""
    return "true" if node.value is True else "false" if node.value is False else node.str()
