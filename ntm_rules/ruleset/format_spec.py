"""The ruleset and ladder file format, declared once.

For each kind of mapping in a file (a :class:`Shape`): its keys, which are required, the type of
each value and what it means, in Vietnamese and English. The loader checks keys against these
shapes (``node.check_keys(SHAPE.allowed, SHAPE.required)``) and
:func:`ntm_rules.ruleset.format_schema.ruleset_schema` turns them into the JSON Schema a YAML
editor completes and checks with, so the loader and the schema cannot drift apart.

Value types are plain data: :class:`Scalar`, :class:`Choice` (fixed values),
:class:`Vocabulary` (values taken from the input models and units when the schema is built),
:class:`ListOf`, :class:`MapOf`, :class:`Ref` (another shape), :class:`AnyOf` and
:class:`Switch` (the shape depends on which key is present, as the loader decides).
"""

from __future__ import annotations

from typing import TypeAlias

import attrs

from ..text import Text
from ..unit_kinds import UNIT_KINDS as _UNIT_KINDS

FORMAT_VERSION = 1
UNIT_KINDS = _UNIT_KINDS
PROVINCE_DECIDES = "province_decides"
REGION = "region"
"""The axis the ``region:`` shorthand of a scope names."""
STRICTER = ("higher", "lower")
DEPRECATED_HEADING = "group"
"""The old name of a criterion's ``heading``: still read, with a notice."""
ACCEPT = ("computed", "recognised")
POLICIES = ("all", "any")

SCALAR_KINDS = ("text", "date", "number", "integer", "bool", "expression", "id", "name")
"""text: non-empty text; date: YYYY-MM-DD; expression: a condition (text, or true/false);
id: a ruleset or ladder id (letters, digits, ``_ . -``); name: a name an expression can use
(``param.<name>``: letters, digits and ``_``, not starting with a digit)."""

VOCABULARIES = ("units", "inputs", "regions", "axis_fields", "year_fields")
"""units: the units of measure; inputs: the input vocabularies; regions: the region codes of the
input models (suggested values of an axis); axis_fields: the inputs an axis can read (every unit
has them); year_fields: the inputs holding a year."""


@attrs.frozen
class Scalar:
    kind: str = attrs.field(validator=attrs.validators.in_(SCALAR_KINDS))


@attrs.frozen
class Const:
    value: int


@attrs.frozen
class Choice:
    values: tuple[str, ...]


@attrs.frozen
class Vocabulary:
    name: str = attrs.field(validator=attrs.validators.in_(VOCABULARIES))
    closed: bool = True  # False: the values are suggestions, any text is accepted


@attrs.frozen
class ListOf:
    item: ValueType
    non_empty: bool = False


@attrs.frozen
class MapOf:
    """A mapping whose keys the author chooses (``keys`` constrains them)."""

    value: ValueType
    keys: Scalar | Choice | Vocabulary | None = None
    closed: bool = False  # True: only ``keys`` are allowed, an unknown one is an unknown key


@attrs.frozen
class Ref:
    shape: str


@attrs.frozen
class AnyOf:
    options: tuple[ValueType, ...]


@attrs.frozen
class Switch:
    """The first case whose key is present (and not null) decides the shape."""

    cases: tuple[tuple[str, Ref], ...]
    otherwise: ValueType


ValueType: TypeAlias = Scalar | Const | Choice | Vocabulary | ListOf | MapOf | Ref | AnyOf | Switch


@attrs.frozen
class Key:
    name: str
    value: ValueType
    about: Text
    required: bool = False


@attrs.frozen
class Shape:
    """A mapping with a fixed set of keys: any other key is an error."""

    name: str
    about: Text
    keys: tuple[Key, ...]
    exactly_one: tuple[str, ...] = ()  # exactly one of these keys is present
    note_unless_verified: bool = False  # `verified: false` needs a `note`

    @property
    def allowed(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys if key.required)


def _key(name: str, value: ValueType, vi: str, en: str, *, required: bool = False) -> Key:
    return Key(name, value, Text(vi=vi, en=en), required)


TEXT_VALUE = Scalar("text")
DATE = Scalar("date")
EXPRESSION = Scalar("expression")
BILINGUAL = Ref("text")
CITED = Ref("citation")


def _source(*, required: bool = True) -> Key:
    return _key(
        "source",
        CITED,
        "Căn cứ: văn bản (khóa trong `documents`), phần và mục",
        "Where it comes from: document (a key of `documents`), part and item",
        required=required,
    )


def _verified(*, required: bool = True) -> Key:
    return _key(
        "verified",
        Scalar("bool"),
        "Đã đối chiếu với văn bản chính thức chưa; `false` cần có `note`",
        "Checked against the official text; `false` needs a `note`",
        required=required,
    )


def _note(vi: str = "Ghi chú", en: str = "A note") -> Key:
    return _key("note", TEXT_VALUE, vi, en)


def _name(vi: str, en: str, *, required: bool = True) -> Key:
    return _key("name", BILINGUAL, vi, en, required=required)


_UNVERIFIED_NOTE = _note(
    "Nguồn gốc của giá trị hoặc nội dung (bắt buộc khi `verified: false`)",
    "Where the value or wording comes from (required when `verified: false`)",
)

TEXT = Shape(
    "text",
    Text(vi="Văn bản song ngữ", en="A bilingual text"),
    (
        _key("vi", TEXT_VALUE, "Tiếng Việt", "Vietnamese", required=True),
        _key("en", TEXT_VALUE, "Tiếng Anh", "English", required=True),
    ),
)

DOCUMENT = Shape(
    "document",
    Text(vi="Văn bản pháp lý được trích dẫn", en="A legal document the ruleset cites"),
    (
        _key(
            "number",
            TEXT_VALUE,
            "Số hiệu (vd. 318/QĐ-TTg)",
            "Number (e.g. 318/QĐ-TTg)",
            required=True,
        ),
        _key("date", DATE, "Ngày ban hành (YYYY-MM-DD)", "Date of issue (YYYY-MM-DD)"),
        _key("title", BILINGUAL, "Trích yếu", "Title"),
        _key("url", TEXT_VALUE, "Địa chỉ văn bản", "Where to read it (URL)"),
        _note(),
    ),
)

CITATION = Shape(
    "citation",
    Text(vi="Căn cứ pháp lý", en="A citation"),
    (
        _key(
            "doc",
            TEXT_VALUE,
            "Khóa văn bản trong `documents`",
            "A key of `documents`",
            required=True,
        ),
        _key("part", TEXT_VALUE, "Phụ lục, điều, khoản", "Annex, article or clause"),
        _key(
            "item",
            TEXT_VALUE,
            'Số mục (vd. "17.1"; viết trong ngoặc kép)',
            'Item number (e.g. "17.1"; quoted)',
        ),
        _key("url", TEXT_VALUE, "Địa chỉ trang cụ thể", "The exact page (URL)"),
    ),
)

VALIDITY = Shape(
    "validity",
    Text(vi="Thời gian hiệu lực", en="The period the ruleset is in force"),
    (
        _key(
            "from",
            DATE,
            "Hiệu lực từ ngày (YYYY-MM-DD)",
            "In force from (YYYY-MM-DD)",
            required=True,
        ),
        _key("until", DATE, "Hiệu lực đến hết ngày (YYYY-MM-DD)", "In force until (YYYY-MM-DD)"),
    ),
)

LEVEL = Shape(
    "level",
    Text(vi="Mức đạt chuẩn mà bộ tiêu chí xét", en="The level this ruleset qualifies a unit for"),
    (
        _key("id", TEXT_VALUE, "Mã mức (vd. ntm)", "Level id (e.g. ntm)", required=True),
        _name("Tên mức", "Name of the level"),
        _key(
            "recognised_field",
            Vocabulary("year_fields", closed=False),
            "Trường dữ liệu ghi năm đơn vị được công nhận mức này",
            "The input holding the year the unit was recognised at this level",
        ),
    ),
)

SCOPE = Shape(
    "scope",
    Text(vi="Phạm vi áp dụng của bộ tiêu chí cấp tỉnh", en="Where a provincial ruleset applies"),
    (
        _key("province", TEXT_VALUE, "Tỉnh (vd. Sơn La)", "Province (e.g. Sơn La)", required=True),
        _key(
            "axes",
            MapOf(TEXT_VALUE, keys=Scalar("name")),
            "Giá trị của tỉnh trên từng trục (vd. {region: tdmnpb})",
            "The province's value on each axis (e.g. {region: tdmnpb})",
        ),
        _key(
            REGION,
            Vocabulary("regions", closed=False),
            "Vùng của tỉnh: cách viết ngắn của axes: {region: ...}",
            "The province's region: short for axes: {region: ...}",
        ),
    ),
)

AXIS_RULE = Shape(
    "axis_rule",
    Text(
        vi="Quy tắc chọn dòng của bảng ngưỡng; quy tắc đầu tiên có `when` đúng được áp dụng",
        en="A rule picking the row of threshold tables; the first whose `when` holds wins",
    ),
    (
        _key("id", TEXT_VALUE, "Mã quy tắc", "Rule id", required=True),
        _key(
            "when",
            EXPRESSION,
            'Điều kiện (chỉ đọc các trường mọi đơn vị đều có); quy tắc cuối là "true"',
            'Condition (reading only what every unit has); the last rule is "true"',
            required=True,
        ),
        _key(
            "value",
            TEXT_VALUE,
            "Một lựa chọn (vd. tdmnpb) hoặc một biểu thức (vd. region)",
            "A choice (e.g. tdmnpb) or an expression (e.g. region)",
            required=True,
        ),
        _key(
            "reason",
            BILINGUAL,
            "Lý do, hiển thị trong giải thích",
            "Why, shown in explanations",
            required=True,
        ),
        _source(required=False),
    ),
)

AXIS_CHOICE = Shape(
    "axis_choice",
    Text(vi="Tên một giá trị của trục", en="What one value of an axis is called"),
    (
        _key("vi", TEXT_VALUE, "Tên tiếng Việt", "Vietnamese name", required=True),
        _key("en", TEXT_VALUE, "Tên tiếng Anh", "English name", required=True),
        _key(
            "short",
            AnyOf((TEXT_VALUE, BILINGUAL)),
            "Tên ngắn, làm tiêu đề cột của bảng ngưỡng (mặc định: chính giá trị)",
            "Short name, the column heading of threshold tables (default: the value itself)",
        ),
    ),
)

AXIS = Shape(
    "axis",
    Text(
        vi="Cách một đơn vị chọn dòng trong bảng ngưỡng (vùng, nhóm xã...)",
        en="How a unit picks its row of threshold tables (region, commune group...)",
    ),
    (
        _name("Tên trục (vd. Vùng, Nhóm xã)", "Name of the axis (e.g. Region)", required=False),
        _key(
            "field",
            Vocabulary("axis_fields", closed=False),
            "Trường dữ liệu cho giá trị khi không quy tắc nào áp dụng (vd. region)",
            "The input giving the value when no rule applies (e.g. region)",
        ),
        _key(
            "choices",
            MapOf(Ref("axis_choice"), keys=Scalar("name")),
            "Các giá trị, mỗi giá trị kèm tên: {vi: ..., en: ..., short: ...}",
            "The values, each with its name: {vi: ..., en: ..., short: ...}",
            required=True,
        ),
        _key(
            "rules",
            ListOf(Ref("axis_rule")),
            "Các quy tắc, theo thứ tự; quy tắc đầu tiên đúng được áp dụng",
            "The rules, in order; the first that holds wins",
        ),
    ),
)

_NUMBER_OR_OPEN = AnyOf((Scalar("number"), Choice((PROVINCE_DECIDES,))))

_EXCEPTION = _key(
    "exception",
    Scalar("bool"),
    "Được phép nới lỏng so với giá trị được thay (nêu căn cứ pháp lý)",
    "Allowed to be looser than the value it replaces (cite the legal basis)",
)
_OWN = Text(vi=" (mặc định: như cả mục)", en=" (default: as the whole entry)")


def _own(key: Key) -> Key:
    """A key of one value that, when left out, is the entry's."""
    about = Text(vi=key.about.vi + _OWN.vi, en=key.about.en + _OWN.en)
    return attrs.evolve(key, about=about, required=False)


CELL = Shape(
    "cell",
    Text(vi="Một giá trị kèm thông tin riêng", en="One value with its own metadata"),
    (
        _key(
            "value",
            _NUMBER_OR_OPEN,
            "Giá trị, hoặc province_decides (để tỉnh quyết định)",
            "The value, or province_decides (left to the province)",
            required=True,
        ),
        _own(_verified()),
        _own(_note("Nguồn gốc của giá trị này", "Where this value comes from")),
        _own(_source()),
        _own(_EXCEPTION),
    ),
)

_CELL_VALUE = AnyOf((Scalar("number"), Choice((PROVINCE_DECIDES,)), Ref("cell")))

_VALUE = _key(
    "value",
    _CELL_VALUE,
    "Giá trị của tham số không theo trục; province_decides: tỉnh quyết định",
    "The value of a parameter without an axis; province_decides: left to the province",
)
_BY = _key(
    "by",
    MapOf(_CELL_VALUE, keys=Scalar("name")),
    "Giá trị theo từng giá trị của trục (general: chỉ tiêu chung, cho giá trị không nêu)",
    "Values by value of the axis (general: for every value not named)",
)
_FROM = _key(
    "from", DATE, "Áp dụng từ ngày (YYYY-MM-DD)", "In force from (YYYY-MM-DD)", required=True
)

PARAMETER_VALUES = Shape(
    "parameter_values",
    Text(
        vi="Giá trị của tham số từ một ngày đến trước mục kế tiếp",
        en="A parameter's values from a date until the next entry",
    ),
    (_FROM, _source(), _verified(), _UNVERIFIED_NOTE, _VALUE, _BY, _EXCEPTION),
    exactly_one=("value", "by"),
    note_unless_verified=True,
)

PARAMETER = Shape(
    "parameter",
    Text(vi="Một ngưỡng, theo ngày và theo trục", en="A threshold, by date and axis"),
    (
        _name("Tên tham số", "Name of the parameter"),
        _key("unit", Vocabulary("units"), "Đơn vị đo", "Unit of measure", required=True),
        _key(
            "axis",
            Scalar("name"),
            "Trục của bảng ngưỡng, một khóa của `axes` (bỏ trống nếu chỉ có một giá trị)",
            "The axis of its table, a key of `axes` (omit for a single value)",
        ),
        _key(
            "values",
            ListOf(Ref("parameter_values"), non_empty=True),
            "Các giá trị theo ngày, ngày tăng dần",
            "Dated values, dates increasing",
            required=True,
        ),
        _note(),
        _key(
            "stricter",
            Choice(STRICTER),
            "Chiều chặt hơn (higher: cao hơn là chặt hơn; lower: thấp hơn)",
            "Which way is stricter (higher or lower)",
        ),
    ),
)

INDICATOR = Shape(
    "indicator",
    Text(
        vi="Một chỉ tiêu: số hiệu, nội dung, điều kiện",
        en="An indicator: number, wording, condition",
    ),
    (
        _key(
            "id",
            TEXT_VALUE,
            'Số hiệu theo quyết định (vd. "17.1")',
            'Number as the decision gives it (e.g. "17.1")',
            required=True,
        ),
        _name("Nội dung chỉ tiêu", "Wording of the indicator"),
        _key(
            "condition",
            EXPRESSION,
            "Điều kiện đạt (vd. income_per_capita >= param.income_per_capita)",
            "Condition met (e.g. income_per_capita >= param.income_per_capita)",
            required=True,
        ),
        _key(
            "applies_if",
            EXPRESSION,
            "Chỉ áp dụng khi điều kiện này đúng",
            "Applies only when this holds",
        ),
        _source(),
        _verified(),
        _UNVERIFIED_NOTE,
    ),
    note_unless_verified=True,
)

ADDED_INDICATOR = Shape(
    "added_indicator",
    Text(
        vi="Chỉ tiêu mới thêm vào một tiêu chí kế thừa",
        en="A new indicator in an inherited criterion",
    ),
    (
        *INDICATOR.keys,
        _key(
            "criterion",
            TEXT_VALUE,
            "Tiêu chí nhận chỉ tiêu này",
            "The criterion it joins",
            required=True,
        ),
    ),
    note_unless_verified=True,
)

POLICY = Shape(
    "policy",
    Text(vi="Đạt khi ít nhất N chỉ tiêu đạt", en="Met when at least N indicators are met"),
    (
        _key(
            "at_least",
            Scalar("integer"),
            "Số chỉ tiêu tối thiểu",
            "Indicators needed",
            required=True,
        ),
    ),
)

CRITERION = Shape(
    "criterion",
    Text(vi="Một tiêu chí và các chỉ tiêu của nó", en="A criterion and its indicators"),
    (
        _key(
            "id",
            TEXT_VALUE,
            'Số tiêu chí (vd. "10")',
            'Criterion number (e.g. "10")',
            required=True,
        ),
        _name("Tên tiêu chí", "Name of the criterion"),
        _key(
            "heading",
            BILINGUAL,
            "Đề mục của nhóm tiêu chí (vd. Hạ tầng kinh tế - xã hội)",
            "The heading it is listed under (e.g. Socio-economic infrastructure)",
        ),
        _key(
            DEPRECATED_HEADING,
            BILINGUAL,
            "Cách viết cũ của `heading` (vẫn đọc được, nên đổi)",
            "Old spelling of `heading` (still read; rename it)",
        ),
        _source(),
        _key(
            "policy",
            AnyOf((Choice(POLICIES), Ref("policy"))),
            "all (mặc định): mọi chỉ tiêu; any: một chỉ tiêu; {at_least: N}",
            "all (default): every indicator; any: one; {at_least: N}",
        ),
        _key(
            "indicators",
            ListOf(Ref("indicator"), non_empty=True),
            "Các chỉ tiêu",
            "The indicators",
            required=True,
        ),
        _note(),
    ),
)

RECOGNITION = Shape(
    "recognition",
    Text(
        vi="Điều kiện công nhận ngoài các tiêu chí",
        en="Conditions for recognition besides the criteria",
    ),
    (
        _name("Tên", "Name"),
        _source(),
        _key(
            "conditions",
            ListOf(Ref("indicator"), non_empty=True),
            "Các điều kiện, viết như chỉ tiêu",
            "The conditions, written as indicators",
            required=True,
        ),
    ),
)

REQUIRES = Shape(
    "requires",
    Text(vi="Mức thấp hơn đơn vị phải đạt trước", en="A lower level the unit must hold first"),
    (
        _key(
            "ruleset",
            TEXT_VALUE,
            "Mã hoặc tệp bộ tiêu chí của mức dưới",
            "Id or file of the lower level's ruleset",
            required=True,
        ),
        _key(
            "accept",
            ListOf(Choice(ACCEPT), non_empty=True),
            "computed: đạt theo tính toán; recognised: đã được công nhận",
            "computed: meets it now; recognised: formally recognised",
            required=True,
        ),
        _key(
            "recognised_field",
            Vocabulary("year_fields", closed=False),
            "Trường ghi năm công nhận (cần khi nhận recognised)",
            "The input holding the year of recognition (needed with recognised)",
        ),
        _key(
            "recognised_since",
            Scalar("integer"),
            "Chỉ tính công nhận từ năm này",
            "Recognitions count from this year on",
        ),
        _name("Tên điều kiện", "Name of the prerequisite"),
        _source(),
    ),
)

CHECKLIST_ITEM = Shape(
    "checklist_item",
    Text(
        vi="Việc người soạn còn phải đối chiếu với quyết định của tỉnh",
        en="Something to check against the provincial decision",
    ),
    (
        _key("parameter", TEXT_VALUE, "Tham số cần đối chiếu", "The parameter to check"),
        _key("indicator", TEXT_VALUE, "Chỉ tiêu cần đối chiếu", "The indicator to check"),
        _key("note", TEXT_VALUE, "Cần đọc gì, ở đâu", "What to read, where", required=True),
    ),
    exactly_one=("parameter", "indicator"),
)

PARAMETER_OVERRIDE = Shape(
    "parameter_override",
    Text(
        vi="Thay giá trị của một tham số kế thừa trong một thời gian",
        en="New values of an inherited parameter for a period",
    ),
    (
        _key("parameter", TEXT_VALUE, "Tham số được thay", "The parameter", required=True),
        _FROM,
        _key("until", DATE, "Đến hết ngày (bỏ trống: từ đó về sau)", "Until (omit: from then on)"),
        _source(),
        _verified(),
        _UNVERIFIED_NOTE,
        _VALUE,
        _BY,
        _EXCEPTION,
    ),
    exactly_one=("value", "by"),
    note_unless_verified=True,
)

INDICATOR_OVERRIDE = Shape(
    "indicator_override",
    Text(
        vi="Thay nội dung hoặc điều kiện của một chỉ tiêu kế thừa",
        en="New wording or condition of an inherited indicator",
    ),
    (
        _key("indicator", TEXT_VALUE, "Số hiệu chỉ tiêu được thay", "The indicator", required=True),
        _name("Nội dung mới", "New wording", required=False),
        _key("condition", EXPRESSION, "Điều kiện mới", "New condition"),
        _key("applies_if", EXPRESSION, "Điều kiện áp dụng mới", "New applicability condition"),
        _source(),
        _verified(),
        _UNVERIFIED_NOTE,
    ),
    note_unless_verified=True,
)

_OVERRIDE = Switch(
    (("parameter", Ref("parameter_override")), ("indicator", Ref("indicator_override"))),
    AnyOf((Ref("parameter_override"), Ref("indicator_override"))),
)

_FORMAT = _key(
    "format",
    Const(FORMAT_VERSION),
    "Phiên bản định dạng tệp",
    "Version of this file format",
    required=True,
)
_ID = _key(
    "id",
    Scalar("id"),
    "Mã duy nhất, dùng trên dòng lệnh",
    "Unique id, used on the command line",
    required=True,
)
_VERSION = _key(
    "version",
    TEXT_VALUE,
    'Phiên bản của bộ tiêu chí, trong ngoặc kép (vd. "2024.03"); tăng khi sửa',
    'The ruleset\'s own version, quoted (e.g. "2024.03"); bump it on every change',
    required=True,
)
_TITLE = _key("title", BILINGUAL, "Tên bộ tiêu chí", "Title", required=True)
_DOCUMENTS = _key(
    "documents",
    MapOf(Ref("document")),
    "Căn cứ pháp lý, được trích dẫn bằng khóa",
    "The legal basis, cited by key",
    required=True,
)
_PARAMETERS = _key(
    "parameters",
    MapOf(Ref("parameter"), keys=Scalar("name")),
    "Các ngưỡng (param.<tên> trong điều kiện)",
    "Thresholds (param.<name> in conditions)",
)
_RULESET_NOTE = _note("Ghi chú về bộ tiêu chí", "A note on the ruleset")
_REQUIRES = _key("requires", Ref("requires"), "Mức phải đạt trước", "The level needed first")
_IMPORTS = _key(
    "imports",
    MapOf(TEXT_VALUE, keys=Scalar("name")),
    "Bộ tiêu chí khác có ngưỡng được dùng (param.<bí danh>.<tên>)",
    "Other rulesets whose thresholds are used (param.<alias>.<name>)",
)
_SCOPE = _key("scope", Ref("scope"), "Phạm vi áp dụng (cấp tỉnh)", "Where it applies (provincial)")
_CHECKLIST = _key(
    "checklist",
    ListOf(Ref("checklist_item")),
    "Việc còn phải đối chiếu",
    "What is still to check",
)
_VALID = _key("valid", Ref("validity"), "Thời gian hiệu lực", "Period in force", required=True)
_LEVEL = _key("level", Ref("level"), "Mức đạt chuẩn", "The level", required=True)
_MEMBERS = _key(
    "members",
    MapOf(Ref("member_group"), keys=Scalar("name")),
    "Các nhóm thành viên (huyện: các xã, thị trấn; tỉnh: các huyện…)",
    "Member groups (a district's communes and townships; a province's districts…)",
)

RULESET = Shape(
    "ruleset",
    Text(vi="Bộ tiêu chí", en="A ruleset"),
    (
        _FORMAT,
        _ID,
        _VERSION,
        _key(
            "unit",
            Choice(UNIT_KINDS),
            "Loại đơn vị được đánh giá",
            "Kind of unit assessed",
            required=True,
        ),
        _key(
            "inputs",
            Vocabulary("inputs"),
            "Bộ dữ liệu đầu vào (xem ntm-rules schema)",
            "Input vocabulary (see ntm-rules schema)",
            required=True,
        ),
        _TITLE,
        _LEVEL,
        _VALID,
        _DOCUMENTS,
        _key(
            "axes",
            MapOf(Ref("axis"), keys=Scalar("name")),
            "Trục chọn dòng của bảng ngưỡng",
            "How a unit picks its row of threshold tables",
        ),
        _PARAMETERS,
        _key(
            "criteria",
            ListOf(Ref("criterion"), non_empty=True),
            "Các tiêu chí",
            "The criteria",
            required=True,
        ),
        _key(
            "recognition", Ref("recognition"), "Điều kiện công nhận", "Conditions for recognition"
        ),
        _RULESET_NOTE,
        _REQUIRES,
        _IMPORTS,
        _SCOPE,
        _CHECKLIST,
        _MEMBERS,
        _key(
            "aggregates",
            MapOf(Ref("aggregate"), keys=Scalar("name")),
            "Trường dữ liệu tính từ các thành viên",
            "Input fields computed from the members",
        ),
    ),
)

EXTENSION = Shape(
    "extension",
    Text(
        vi="Bộ tiêu chí mở rộng một bộ khác (vd. cấp tỉnh)",
        en="A ruleset extending another (e.g. provincial)",
    ),
    (
        _FORMAT,
        _ID,
        _VERSION,
        _key(
            "extends",
            TEXT_VALUE,
            "Mã hoặc tệp bộ tiêu chí được mở rộng",
            "Id or file of the ruleset extended",
            required=True,
        ),
        _TITLE,
        attrs.evolve(_LEVEL, required=False),
        attrs.evolve(_VALID, required=False),
        _DOCUMENTS,
        _SCOPE,
        _PARAMETERS,
        _key(
            "overrides",
            ListOf(_OVERRIDE),
            "Giá trị và chỉ tiêu được thay",
            "Values and indicators replaced",
        ),
        _key(
            "add_indicators",
            ListOf(Ref("added_indicator")),
            "Chỉ tiêu thêm vào tiêu chí kế thừa",
            "Indicators added to inherited criteria",
        ),
        _RULESET_NOTE,
        _REQUIRES,
        _IMPORTS,
        _CHECKLIST,
        _MEMBERS,
    ),
)

LADDER_SPEC = Shape(
    "ladder",
    Text(vi="Các mức của thang, từ thấp lên cao", en="The levels of the ladder, lowest first"),
    (
        _key(
            "below",
            BILINGUAL,
            "Tên vị trí dưới mức đầu tiên",
            "Name of the place below the first level",
            required=True,
        ),
        _key(
            "levels",
            ListOf(TEXT_VALUE, non_empty=True),
            "Mã bộ tiêu chí của từng mức",
            "The ruleset id of each level",
            required=True,
        ),
    ),
)

TARGET = Shape(
    "target",
    Text(vi="Mục tiêu của tỉnh", en="A provincial target"),
    (
        _key(
            "level",
            TEXT_VALUE,
            "Mã bộ tiêu chí của mức (không cần với floor)",
            "The level's ruleset id (not with floor)",
        ),
        _key("count", Scalar("integer"), "Số đơn vị đạt mức", "How many units reach the level"),
        _key(
            "units",
            ListOf(TEXT_VALUE, non_empty=True),
            "Các đơn vị (theo mã) phải đạt mức",
            "The units (by code) that should reach the level",
        ),
        _key(
            "floor",
            Scalar("integer"),
            "Không đơn vị nào đạt dưới số tiêu chí này (của mức đầu)",
            "No unit meets fewer criteria than this (of the first level)",
        ),
        _key("year", Scalar("integer"), "Đến năm", "By the year", required=True),
        _note("Căn cứ của mục tiêu", "Where the target comes from"),
    ),
    exactly_one=("count", "units", "floor"),
)

MEMBER = Shape(
    "member_group",
    Text(
        vi="Một nhóm đơn vị thành viên (vd. các xã của huyện) và cách đánh giá chúng",
        en="A group of member units (e.g. a district's communes) and how they are assessed",
    ),
    (
        _key(
            "kind",
            Choice(UNIT_KINDS),
            "Loại đơn vị thành viên",
            "Kind of the member units",
        ),
        _key(
            "inputs",
            Vocabulary("inputs"),
            "Bộ dữ liệu đầu vào của thành viên",
            "The members' input vocabulary",
        ),
        _key(
            "ladder",
            Scalar("id"),
            "Thang (hoặc bộ tiêu chí) đánh giá các thành viên (không có: chỉ đọc dữ liệu)",
            "The ladder (or ruleset) members are assessed on (none: records are only read)",
        ),
    ),
)

AGGREGATE = Shape(
    "aggregate",
    Text(
        vi="Cách tính một trường dữ liệu của đơn vị từ kết quả các thành viên",
        en="How an input field of the unit is computed from its members' results",
    ),
    (
        _key(
            "share",
            Scalar("name"),
            "Tỷ lệ % thành viên đạt (nhóm)",
            "Percent of members qualifying (group)",
        ),
        _key("count", Scalar("name"), "Số thành viên đạt (nhóm)", "Members qualifying (group)"),
        _key(
            "all", Scalar("name"), "Mọi thành viên đều đạt (nhóm)", "Every member qualifies (group)"
        ),
        _key(
            "min",
            Scalar("name"),
            "Giá trị nhỏ nhất của các thành viên (nhóm)",
            "Lowest member value (group)",
        ),
        _key(
            "max",
            Scalar("name"),
            "Giá trị lớn nhất của các thành viên (nhóm)",
            "Highest member value (group)",
        ),
        _key(
            "level",
            Scalar("name"),
            "Thành viên đạt khi ở mức này của thang trở lên (vd. nang_cao)",
            "A member qualifies at or above this level of its ladder (e.g. nang_cao)",
        ),
        _key(
            "where",
            EXPRESSION,
            "Thành viên đạt khi điều kiện trên dữ liệu của nó đúng",
            "A member qualifies when this condition on its record holds",
        ),
        _key(
            "field",
            Scalar("name"),
            "Trường được đọc (min, max)",
            "The member field read (min, max)",
        ),
    ),
    exactly_one=("share", "count", "all", "min", "max"),
)

LADDER_FILE = Shape(
    "ladder_file",
    Text(vi="Thang các mức đạt chuẩn", en="A ladder of levels"),
    (
        _FORMAT,
        _ID,
        _TITLE,
        _key("ladder", Ref("ladder"), "Các mức", "The levels", required=True),
        _key("targets", ListOf(Ref("target")), "Mục tiêu của tỉnh", "Provincial targets"),
        _note("Ghi chú về thang", "A note on the ladder"),
    ),
)

SHAPES: tuple[Shape, ...] = (
    RULESET,
    EXTENSION,
    LADDER_FILE,
    LADDER_SPEC,
    TARGET,
    MEMBER,
    AGGREGATE,
    TEXT,
    DOCUMENT,
    CITATION,
    VALIDITY,
    LEVEL,
    SCOPE,
    AXIS,
    AXIS_CHOICE,
    AXIS_RULE,
    PARAMETER,
    PARAMETER_VALUES,
    CELL,
    CRITERION,
    POLICY,
    INDICATOR,
    RECOGNITION,
    REQUIRES,
    CHECKLIST_ITEM,
    PARAMETER_OVERRIDE,
    INDICATOR_OVERRIDE,
    ADDED_INDICATOR,
)
"""Every shape, the file kinds first."""
