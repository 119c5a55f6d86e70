"""Commands comparing two versions of the rules: ``diff`` (what changed in them) and ``impact``
(what the change does to the units of a data file).

A side is a ruleset or ladder id, a file, or a folder: two folders are compared id by id, and
files are loaded by path, so two versions of one id (a copy being edited and the original) can
be compared. ``diff`` exits with 0 whether or not it finds differences (1 on an error).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from ..aggregate.assess import as_ladder, input_models
from ..aggregate.dataset import DataSet, read_data_set
from ..aggregate.report import has_members
from ..compare.diff import LadderDiff, RulesetDiff, diff_ladders, diff_rulesets
from ..compare.folders import FolderDiff, diff_folders
from ..compare.impact import comparable, impact
from ..ladder import Ladder, level_rulesets, load_ladder
from ..ruleset.files import ladder_files, ruleset_files
from ..ruleset.loader import load_ruleset
from ..ruleset.model import Ruleset
from ..ruleset.search import bundled_dir, use_rulesets
from ..text import Lang
from .app import (
    DataArgument,
    LangOption,
    OutputOption,
    ResultFormatOption,
    RulesetsOption,
    YearOption,
)
from .diff_tables import diff_view
from .errors import CliError, choice, errors, parse_lang
from .impact_tables import impact_csv, impact_view
from .inputs import check_file, model_of, records, ruleset_or_ladder
from .messages import EVALUATE_FORMATS, TABLE_JSON, t
from .output import emit, show, to_json

Rules = Ruleset | Ladder
SideArgument = Annotated[
    str,
    typer.Argument(
        help="Mã, tệp .yaml hoặc thư mục bộ tiêu chí / ruleset or ladder id, file or folder",
        show_default=False,
    ),
]
SideOption = Annotated[
    str,
    typer.Option(
        help="Mã, tệp .yaml hoặc thư mục bộ tiêu chí / ruleset or ladder id, file or folder",
        show_default=False,
    ),
]


def diff_command(
    before: SideArgument,
    after: Annotated[
        str | None,
        typer.Argument(
            help="Mã, tệp hoặc thư mục; bỏ trống khi A là thư mục làm việc: so với các bộ có "
            "sẵn cùng mã / id, file or folder; omitted when A is a working folder: compared "
            "with the bundled sets of the same ids",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
    output: OutputOption = None,
) -> None:
    """So sánh hai bộ tiêu chí, hai thang, hoặc hai thư mục (một thư mục: với các bộ có sẵn):
    tham số (giá trị theo vùng hay trục khác, và thời gian), chỉ tiêu, tiêu chí, mức, điều kiện công nhận. Mã
    thoát 0 dù có khác biệt hay không. / Compare two rulesets, ladders or folders as loaded (one
    folder: with the bundled sets): parameters (values by region or other axis, and date), indicators,
    criteria, levels, recognition conditions. Exit code 0 whether or not they differ."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        choice(output_format, TABLE_JSON, "--format", language)
        found = compare(before, after, language)
        if output_format == "json":
            emit(to_json(found.to_dict()), output, language)
        else:
            show(diff_view(found, language), output, language)


def compare(before: str, after: str | None, lang: Lang) -> RulesetDiff | LadderDiff | FolderDiff:
    """The diff of two folders, rulesets or ladders given on the command line; of a working
    folder and the bundled sets of its ids when ``after`` is None."""
    if after is None:
        if not Path(before).is_dir():
            raise CliError(t("diff_one_folder", lang, path=before), usage=True)
        return diff_folders(bundled_dir(), Path(before), partial=True)
    folders = Path(before).is_dir(), Path(after).is_dir()
    if all(folders):
        return diff_folders(Path(before), Path(after))
    if any(folders):
        raise CliError(t("diff_mixed", lang, before=before, after=after), usage=True)
    old, new = ruleset_or_ladder(before, lang), ruleset_or_ladder(after, lang)
    if isinstance(old, Ladder) and isinstance(new, Ladder):
        return diff_ladders((old, level_rulesets(old)), (new, level_rulesets(new)))
    if isinstance(old, Ruleset) and isinstance(new, Ruleset):
        return diff_rulesets(old, new)
    raise CliError(
        t(
            "diff_kinds",
            lang,
            before=before,
            after=after,
            before_kind=_kind(old, lang),
            after_kind=_kind(new, lang),
        )
    )


def _kind(rules: Rules, lang: Lang) -> str:
    return t("kind_ladder" if isinstance(rules, Ladder) else "kind_ruleset", lang)


def impact_command(
    data: DataArgument,
    after: SideOption,
    before: Annotated[
        str | None,
        typer.Option(
            help="Phiên bản trước: mã, tệp .yaml hoặc thư mục (mặc định: bộ có sẵn cùng mã) / "
            "the version before: id, file or folder (default: the bundled set of the same id)",
            show_default=False,
        ),
    ] = None,
    ruleset: Annotated[
        str | None,
        typer.Option(
            "--ruleset",
            "-r",
            help="Mã cần so sánh khi --before / --after là thư mục / the id to compare "
            "when --before or --after is a folder",
            show_default=False,
        ),
    ] = None,
    year: YearOption = None,
    output_format: ResultFormatOption = "table",
    folders: RulesetsOption = None,
    lang: LangOption = "vi",
    output: OutputOption = None,
) -> None:
    """Tác động của một thay đổi: đánh giá mọi đơn vị với cả hai phiên bản; đơn vị nào đổi
    kết quả hoặc vị trí, tiêu chí và chỉ tiêu nào đổi, vì sao (tham số nào đã đổi). / What a
    change does: every unit evaluated with both versions; which change outcome or ladder place,
    which criteria and indicators flip, and why (the parameter that moved)."""
    language = parse_lang(lang)
    with errors(language), use_rulesets(folders):
        choice(output_format, EVALUATE_FORMATS, "--format", language)
        (old, old_folders), (new, new_folders) = impact_sides(before, after, ruleset, language)
        comparable(old, new)
        with use_rulesets(old_folders):
            old_model = model_of(old)
        with use_rulesets(new_folders):
            new_model = model_of(new)
        found: Sequence[Any] | DataSet
        again: Sequence[Any] | DataSet | None
        if has_members(level_rulesets(old) if isinstance(old, Ladder) else (old,)):
            check_file(data, language)
            with use_rulesets(old_folders):
                found = read_data_set(data, input_models(as_ladder(old)))
            again = None
        else:
            found = records(data, old_model, language)
            again = None if new_model is old_model else records(data, new_model, language)
        result = impact(
            old,
            new,
            found,
            year=year,
            after_records=again,
            before_folders=old_folders,
            after_folders=new_folders,
        )
        if output_format == "json":
            document: dict[str, Any] = {"data": str(data), **result.to_dict()}
            emit(to_json(document), output, language)
        elif output_format == "csv":
            emit(impact_csv(result, language), output, language, bom=output is not None)
        else:
            show(impact_view(result, data, language), output, language)


Version = tuple[Rules, list[Path]]  # the rules, and the folder to search first for them


def impact_sides(
    before: str | None, after: str, ruleset: str | None, lang: Lang
) -> tuple[Version, Version]:
    """The two versions ``impact`` compares: a folder side gives the ``--ruleset`` id in it;
    without ``before``, the bundled set of the after side's id."""
    if before is None:
        bundled = bundled_dir()
        new = _side(after, ruleset, lang, (bundled, Path(after)))
        return (_in_folder(bundled, new.id, lang), [bundled]), (new, _folder(after))
    folders = [Path(ref) for ref in (before, after) if Path(ref).is_dir()]
    if not folders:
        if ruleset is not None:
            raise CliError(t("impact_ruleset_unused", lang), usage=True)
        return (ruleset_or_ladder(before, lang), []), (ruleset_or_ladder(after, lang), [])
    if ruleset is None:
        _needs_ruleset(folders, lang)
    assert ruleset is not None
    old, new = (_in_folder(Path(ref), ruleset, lang) for ref in (before, after))
    return (old, _folder(before)), (new, _folder(after))


def _side(ref: str, ruleset: str | None, lang: Lang, pair: tuple[Path, Path]) -> Rules:
    """One side given alone: an id or file, or the ``--ruleset`` id of a folder."""
    if not Path(ref).is_dir():
        if ruleset is not None:
            raise CliError(t("impact_ruleset_unused", lang), usage=True)
        return ruleset_or_ladder(ref, lang)
    if ruleset is None:
        _needs_ruleset(list(pair), lang, partial=True)
    assert ruleset is not None
    return _in_folder(Path(ref), ruleset, lang)


def _needs_ruleset(folders: list[Path], lang: Lang, *, partial: bool = False) -> None:
    """Refuse a folder side without ``--ruleset``, naming the ids to choose from."""
    if len(folders) == 2:
        changed = _changed_ids(*folders, partial=partial)
        ids = t("impact_changed_ids", lang, ids=", ".join(changed) or "—")
    else:
        ids = t("impact_known_ids", lang, ids=", ".join(sorted(_ids_in(folders[0]))))
    raise CliError(t("impact_needs_ruleset", lang, folder=folders[-1], ids=ids), usage=True)


def _folder(ref: str) -> list[Path]:
    """A side's folder, to put first on the search path while it is read and evaluated."""
    return [Path(ref)] if Path(ref).is_dir() else []


def _changed_ids(before: Path, after: Path, *, partial: bool = False) -> list[str]:
    """The ids whose rules differ between two folders: rulesets, and ladders with a changed
    level."""
    found = diff_folders(before, after, partial=partial)
    changed = [d.before.id for d in found.rulesets if not d.empty]
    ladders = ladder_files(after)
    for pair in found.ladders:
        with use_rulesets([after]):
            levels = load_ladder(ladders[pair.after.id]).levels
        if not pair.empty or set(levels) & set(changed):
            changed.append(pair.after.id)
    return changed


def _ids_in(folder: Path) -> set[str]:
    return ruleset_files(folder).keys() | ladder_files(folder).keys()


def _in_folder(ref: Path, rules_id: str, lang: Lang) -> Rules:
    """The ruleset or ladder ``rules_id`` of a folder (loaded by path); a side that is no
    folder is an id or a file as usual."""
    if not ref.is_dir():
        return ruleset_or_ladder(str(ref), lang)
    ladders, rulesets = ladder_files(ref), ruleset_files(ref)
    with use_rulesets([ref]):
        if rules_id in ladders:
            return load_ladder(ladders[rules_id])
        if rules_id in rulesets:
            return load_ruleset(rulesets[rules_id])
    raise CliError(t("impact_not_in_folder", lang, id=rules_id, folder=ref))
