"""Where ruleset files are: the bundled ones, and lookup of a ruleset id near a file."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from ..errors import RulesetError
from ..yaml_source import read_source

logger = logging.getLogger(__name__)

_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z0-9_.\-]+)['\"]?\s*$", re.MULTILINE)


def bundled_dir() -> Path:
    """The rulesets shipped with the package (or the repository's ``rulesets/`` in a checkout)."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_bundled" / "rulesets"
    return installed if installed.is_dir() else here.parent / "rulesets"


_LADDER_LINE = re.compile(r"^ladder:", re.MULTILINE)


def _files(directory: Path | None, ladders: bool) -> dict[str, Path]:
    root = directory or bundled_dir()
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.yaml")):
        try:
            text = read_source(path)
        except RulesetError as exc:  # a neighbour that is no ruleset (or broken): not this id
            logger.warning("skipped while looking for rulesets: %s", exc)
            continue
        match = _ID_LINE.search(text)
        if match and bool(_LADDER_LINE.search(text)) == ladders:
            found.setdefault(match.group(1), path)
    return found


def ruleset_files(directory: Path | None = None) -> dict[str, Path]:
    """Map ruleset id -> file for every ruleset ``*.yaml`` under ``directory`` (default: bundled)."""
    return _files(directory, ladders=False)


def ladder_files(directory: Path | None = None) -> dict[str, Path]:
    """Map ladder id -> file for every ladder ``*.yaml`` under ``directory`` (default: bundled)."""
    return _files(directory, ladders=True)


def is_ladder_file(path: Path) -> bool:
    """Whether the file is a ladder of rulesets (a :class:`RulesetError` if it cannot be read)."""
    return bool(_LADDER_LINE.search(read_source(path)))


def find_ruleset_file(reference: str, near: Path | None = None) -> Path | None:
    """A ruleset given by file path (relative to ``near``) or by id (next to ``near``, then bundled)."""
    if reference.endswith((".yaml", ".yml")):
        candidate = (near.parent / reference) if near else Path(reference)
        return candidate if candidate.exists() else None
    if near is not None:
        local = ruleset_files(near.parent).get(reference)
        if local is not None:
            return local
    return ruleset_files().get(reference)
