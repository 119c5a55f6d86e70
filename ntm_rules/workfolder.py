"""A rule author's working folder: a copy of the bundled sets of a province (and their tests)
to edit, put first on the search path with ``--rulesets DIR`` or ``NTM_RULES_PATH``."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from .errors import NtmRulesError
from .ruleset.files import FOLDER_MARKER, ladder_files, ruleset_files
from .ruleset.search import bundled_dir
from .text import Text

__all__ = ["NATIONAL", "create", "sources"]

NATIONAL = "vn"
"""The id prefix of the national sets (``vn.commune.ntm.2021``); a province's is its own
(``sonla``)."""

MARKER_TEXT = """\
Thư mục làm việc của ntm-rules (tạo bởi `ntm-rules init`).
Các tệp trong thư mục này gọi nhau theo mã trước khi tìm ở nơi khác.
Dùng: ntm-rules <lệnh> --rulesets {folder} ...   hoặc đặt biến NTM_RULES_PATH={folder}

An ntm-rules working folder (made by `ntm-rules init`).
Files in it refer to each other by id before looking anywhere else.
Use: ntm-rules <command> --rulesets {folder} ...   or set NTM_RULES_PATH={folder}
"""


def sources() -> dict[str, list[Path]]:
    """Map each id prefix of the bundled sets (``vn``, ``sonla``) to the folders holding them."""
    found: dict[str, list[Path]] = {}
    root = bundled_dir()
    for key, path in sorted({**ruleset_files(root), **ladder_files(root)}.items()):
        folders = found.setdefault(key.split(".", 1)[0], [])
        if path.parent not in folders:
            folders.append(path.parent)
    return found


def create(destination: Path, prefixes: Sequence[str]) -> list[Path]:
    """Copy the bundled folders of ``prefixes`` (``sonla``, ``vn``) with their tests into
    ``destination``; returns the files written. Nothing is overwritten: if any file is already
    there, nothing is copied."""
    known = sources()
    unknown = [prefix for prefix in prefixes if prefix not in known]
    if unknown or not prefixes:
        choices = ", ".join(sorted(known))
        raise NtmRulesError(
            Text(
                vi=f"không có bộ tiêu chí có sẵn nào cho '{', '.join(unknown)}'; chọn: {choices}",
                en=f"no bundled rulesets for '{', '.join(unknown)}'; choose: {choices}",
            )
        )
    root = bundled_dir()
    copies: list[tuple[Path, Path]] = []
    for prefix in prefixes:
        for folder in known[prefix]:
            for source in sorted(folder.rglob("*")):
                if source.is_file() and source.suffix.lower() in (".yaml", ".yml"):
                    copies.append((source, destination / source.relative_to(root)))
    marker = destination / FOLDER_MARKER
    taken = [target for _, target in copies if target.exists()]
    if taken:
        raise NtmRulesError(
            Text(
                vi=f"đã có tệp {taken[0]} (và {len(taken) - 1} tệp khác); không ghi đè: "
                "chọn một thư mục mới",
                en=f"{taken[0]} already exists (and {len(taken) - 1} more); nothing is "
                "overwritten: choose a new folder",
            )
        )
    written: list[Path] = []
    for source, target in copies:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    if not marker.exists():
        marker.write_text(MARKER_TEXT.format(folder=destination.resolve()), encoding="utf-8")
        written.append(marker)
    return written
