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
    ruleset it draws on (transitively), resolved as the loader resolves them."""
    from ..errors import NtmRulesError
    from ..ruleset.loader import load_ruleset

    try:
        files = load_ruleset(ruleset_file).files
    except NtmRulesError:
        return {}
    return {key: Path(path) for key, path in files.items()}
