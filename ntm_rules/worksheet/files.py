"""Ruleset files as the worksheet sees them: their content hash, and whether a file is a copy
installed with the package (never to be edited: ``ntm-rules init`` makes a working copy)."""

from __future__ import annotations

import hashlib
from pathlib import Path

_INSTALL_DIRS = ("site-packages", "dist-packages")


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, as hex."""
    return bytes_sha256(path.read_bytes())


def bytes_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_installed_copy(path: Path) -> bool:
    """Whether ``path`` is a ruleset file installed with the package (not a checkout's
    ``rulesets/``), or lies anywhere in a ``site-packages``: a copy nobody should edit."""
    from ..ruleset.search import is_installed_copy as in_package

    real = path.resolve()
    return in_package(real) or any(part in _INSTALL_DIRS for part in real.parts)


def loaded_files(ruleset_file: Path) -> dict[str, Path]:
    """Ruleset id -> the file the loader actually reads for it, for a ruleset file and every
    ruleset it extends or imports (transitively), resolved as the loader resolves them."""
    from ..errors import NtmRulesError
    from ..ruleset.files import find_ruleset_file
    from ..ruleset.loader import load_ruleset
    from ..yaml_source import read_source
    from .yaml_edit import load

    found: dict[str, Path] = {}
    pending = [ruleset_file.resolve()]
    while pending:
        path = pending.pop()
        try:
            ruleset_id = load_ruleset(path).id
            tree = load(read_source(path))
        except NtmRulesError:
            continue
        if ruleset_id in found:
            continue
        found[ruleset_id] = path
        references = [tree.get("extends"), *(tree.get("imports") or {}).values()]
        for reference in references:
            if isinstance(reference, str):
                other = find_ruleset_file(reference, path)
                if other is not None:
                    pending.append(other.resolve())
    return found
