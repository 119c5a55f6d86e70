"""Finding rulesets: the bundled ones by id, or any file by path."""

from __future__ import annotations

from pathlib import Path

from ..errors import NtmRulesError
from ..text import Text, did_you_mean
from .files import bundled_dir, find_ruleset_file, is_ladder_file, ladder_files, ruleset_files
from .loader import load_ruleset
from .model import Ruleset

__all__ = ["bundled_dir", "get_ruleset", "ladder_files", "ruleset_files"]


def get_ruleset(id_or_path: str | Path) -> Ruleset:
    """Load a bundled ruleset by id, or a ruleset file by path (cached per file version)."""
    path = Path(id_or_path)
    if path.suffix in (".yaml", ".yml") and path.exists():
        found: Path | None = path
    else:
        found = find_ruleset_file(str(id_or_path))
    if found is not None and is_ladder_file(found):
        raise NtmRulesError(
            Text(
                vi=f"'{id_or_path}' là một thang gồm nhiều bộ tiêu chí; hãy đánh giá theo thang",
                en=f"'{id_or_path}' is a ladder of rulesets; evaluate it as a ladder",
            )
        )
    if found is None:
        ids = sorted(ruleset_files())
        known, hint = ", ".join(ids), did_you_mean(str(id_or_path), ids)
        raise NtmRulesError(
            Text(
                vi=f"không có bộ tiêu chí '{id_or_path}'{hint.vi}; các bộ tiêu chí có sẵn: "
                f"{known or 'không có'}",
                en=f"unknown ruleset '{id_or_path}'{hint.en}; bundled rulesets: {known or 'none'}",
            )
        )
    return load_ruleset(found)
