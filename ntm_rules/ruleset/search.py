"""The ruleset search path: where a ruleset or ladder id is looked for, in order.

1. the folders given to :func:`use_rulesets` (the command line's ``--rulesets DIR``),
2. the folders of the ``NTM_RULES_PATH`` environment variable (separated by ``os.pathsep``),
3. the rulesets bundled with the package.

The first folder holding an id wins, so a rule author's working folder shadows the bundled set
of the same id. A file that refers to another ruleset by id (``extends``, ``requires``,
``imports``, a ladder's levels) looks in its own folder first, unless it is itself a bundled
file: a bundled ladder then uses the author's edited levels, never silently the installed copy.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import attrs

from ..errors import NtmRulesError
from ..text import Text

ENV_VAR = "NTM_RULES_PATH"

OPTION = "option"
ENVIRONMENT = "environment"
BUNDLED = "bundled"

_chosen: contextvars.ContextVar[tuple[Path, ...]] = contextvars.ContextVar(
    "ntm_rules_search_path", default=()
)


@attrs.frozen
class SearchDir:
    """One folder of the search path and why it is there (``option``, ``environment``,
    ``bundled``)."""

    path: Path
    origin: str


@functools.cache
def bundled_dir() -> Path:
    """The rulesets shipped with the package (or the repository's ``rulesets/`` in a checkout)."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_bundled" / "rulesets"
    return installed if installed.is_dir() else here.parent / "rulesets"


def is_installed_copy(path: Path | str) -> bool:
    """Whether ``path`` is a ruleset file inside an installed package (not a checkout): a copy
    that an upgrade replaces and nobody should edit."""
    return _installed_dir() in Path(path).resolve().parents


@functools.cache
def _installed_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "_bundled"


def is_bundled(path: Path | str) -> bool:
    """Whether ``path`` lies in the bundled rulesets (installed or in a checkout)."""
    return bundled_dir() in Path(path).resolve().parents


@contextlib.contextmanager
def use_rulesets(folders: Iterable[Path | str] | None) -> Iterator[None]:
    """Look for ids in ``folders`` first (in order) within this block (thread- and
    context-local). A folder that does not exist is an error."""
    chosen = tuple(_checked(Path(folder), "--rulesets") for folder in folders or ())
    token = _chosen.set(chosen + _chosen.get())
    try:
        yield
    finally:
        _chosen.reset(token)


def search_key() -> tuple[tuple[Path, ...], str]:
    """What the search path is made of now (the chosen folders and the environment variable),
    without touching the file system."""
    return _chosen.get(), os.environ.get(ENV_VAR, "")


def search_path() -> tuple[SearchDir, ...]:
    """The folders ids are looked for in, first wins."""
    found = [SearchDir(path, OPTION) for path in _chosen.get()]
    for folder in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if folder.strip():
            found.append(SearchDir(_checked(Path(folder.strip()), ENV_VAR), ENVIRONMENT))
    found.append(SearchDir(bundled_dir(), BUNDLED))
    unique: dict[Path, SearchDir] = {}
    for entry in found:
        unique.setdefault(entry.path.resolve(), entry)
    return tuple(unique.values())


def _checked(folder: Path, where: str) -> Path:
    if not folder.is_dir():
        what = "không tồn tại" if not folder.exists() else "không phải là thư mục"
        what_en = "does not exist" if not folder.exists() else "is not a folder"
        raise NtmRulesError(
            Text(
                vi=f"{where}: thư mục bộ tiêu chí '{folder}' {what}",
                en=f"{where}: the rulesets folder '{folder}' {what_en}",
            )
        )
    return folder.resolve()
