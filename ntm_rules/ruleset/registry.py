"""Finding rulesets: by id along the search path (:mod:`.search`), or any file by path."""

from __future__ import annotations

from pathlib import Path

from ..errors import NtmRulesError
from ..text import Text, did_you_mean
from .files import (
    bundled_dir,
    find_in_search_path,
    is_ladder_file,
    ladder_files,
    ruleset_files,
)
from .loader import load_ruleset
from .model import Ruleset
from .search import search_path

__all__ = ["bundled_dir", "get_ruleset", "ladder_files", "ruleset_files", "unknown_id"]


def get_ruleset(id_or_path: str | Path) -> Ruleset:
    """Load a ruleset by id (along the search path) or a ruleset file by path (cached per file
    version: an edited file is read again)."""
    path = Path(id_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        found: Path | None = path
    else:
        found = find_in_search_path(str(id_or_path))
    if found is not None and is_ladder_file(found):
        raise NtmRulesError(
            Text(
                vi=f"'{id_or_path}' là một thang gồm nhiều bộ tiêu chí; hãy đánh giá nó như một thang",
                en=f"'{id_or_path}' is a ladder of rulesets; evaluate it as a ladder",
            )
        )
    if found is None:
        raise unknown_id(str(id_or_path), ruleset_files(), "ruleset")
    return load_ruleset(found)


def unknown_id(key: str, known: dict[str, Path], kind: str) -> NtmRulesError:
    """An unknown ruleset or ladder id: the folders searched and the ids there."""
    folders = "; ".join(str(entry.path) for entry in search_path())
    ids = ", ".join(sorted(known)) or "—"
    vi_kind = "bộ tiêu chí" if kind == "ruleset" else "thang"
    hint = did_you_mean(key, known)
    return NtmRulesError(
        Text(
            vi=f"không tìm thấy {vi_kind} '{key}'{hint.vi} (đã tìm trong: {folders}); có: {ids}",
            en=f"unknown {kind} '{key}'{hint.en} (searched: {folders}); known: {ids}",
        )
    )
