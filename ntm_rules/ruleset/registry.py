"""Finding rulesets: the bundled ones by id, or any file by path."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from ..errors import NtmRulesError
from .loader import load_ruleset
from .model import Ruleset

_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z0-9_.\-]+)['\"]?\s*$", re.MULTILINE)


def bundled_dir() -> Path:
    """The rulesets shipped with the package (or the repository's ``rulesets/`` in a checkout)."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_bundled" / "rulesets"
    return installed if installed.is_dir() else here.parent / "rulesets"


def ruleset_files(directory: Path | None = None) -> dict[str, Path]:
    """Map ruleset id -> file for every ``*.yaml`` under ``directory`` (default: bundled)."""
    root = directory or bundled_dir()
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.yaml")):
        match = _ID_LINE.search(path.read_text(encoding="utf-8"))
        if match:
            found.setdefault(match.group(1), path)
    return found


def get_ruleset(id_or_path: str | Path) -> Ruleset:
    """Load a bundled ruleset by id, or a ruleset file by path (cached per file version)."""
    path = Path(id_or_path)
    if not (path.suffix in (".yaml", ".yml") and path.exists()):
        files = ruleset_files()
        if str(id_or_path) not in files:
            known = ", ".join(sorted(files)) or "none"
            raise NtmRulesError(f"unknown ruleset '{id_or_path}'; bundled rulesets: {known}")
        path = files[str(id_or_path)]
    stat = path.stat()
    return _load(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _load(path: Path, mtime: int, size: int) -> Ruleset:
    return load_ruleset(path)
