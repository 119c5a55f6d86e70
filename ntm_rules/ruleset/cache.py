"""An on-disk cache of loaded rulesets, so that a new process does not parse the YAML again.

A loaded :class:`~ntm_rules.ruleset.model.Ruleset` is pickled into a private folder
(``NTM_RULES_CACHE_DIR``, else ``$XDG_CACHE_HOME/ntm-rules``, else ``~/.cache/ntm-rules``;
``NTM_RULES_CACHE=0`` turns the cache off). The folder is created with mode 0700, and a pickle is
read only if the folder and the file belong to the current user and nobody else may write them:
never from a data folder. An entry holds the SHA-256 of the content of every file the ruleset
draws on and how each id it refers to resolved; it is used only if all of these still match and
it was written by the same library code, Python and ruleset format. Anything that goes wrong is
logged at debug level and the ruleset is loaded from its files as usual. The newest
:data:`KEEP` entries are kept.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from .format_spec import FORMAT_VERSION
from .model import Ruleset

logger = logging.getLogger(__name__)

DIR_VAR = "NTM_RULES_CACHE_DIR"
SWITCH_VAR = "NTM_RULES_CACHE"
_SUFFIX = ".pickle"
KEEP = 256  # entries kept; the least recently written go first

Reference = tuple[Path, str, Path]  # (file, reference, file found)


@attrs.frozen
class Entry:
    """What is stored: the ruleset, the content hash of each file it draws on (its own first)
    and how each reference resolved."""

    code: str
    digests: tuple[tuple[Path, str], ...]
    references: tuple[Reference, ...]
    ruleset: Ruleset


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off (or this system has no file owners)."""
    if os.environ.get(SWITCH_VAR, "").strip().lower() in ("0", "false", "no", "off"):
        return None
    if not hasattr(os, "getuid"):
        return None
    chosen = os.environ.get(DIR_VAR, "").strip()
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "ntm-rules"


def digest(path: Path) -> str:
    """SHA-256 of a file's content."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def code_version() -> str:
    """What the pickled objects depend on besides the files: the library (its version and its
    modules, so that an edited checkout never reads an older layout), Python and the format."""
    from .. import __version__

    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256(f"{__version__}|{sys.version}|{FORMAT_VERSION}".encode())
    for module in sorted(package.rglob("*.py")):
        info = module.stat()
        h.update(f"|{module.relative_to(package)}:{info.st_size}:{info.st_mtime_ns}".encode())
    return h.hexdigest()


def _entry_file(folder: Path, path: Path) -> Path:
    name = hashlib.sha256(f"{code_version()}|{path}".encode()).hexdigest()
    return folder / f"{name}{_SUFFIX}"


def _private(info: os.stat_result) -> bool:
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _safe_dir(folder: Path, create: bool) -> bool:
    """Whether ``folder`` is a real folder of the current user that nobody else may write."""
    if create:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = os.lstat(folder)
    return stat.S_ISDIR(info.st_mode) and _private(info)


def read(
    path: Path, resolve: Callable[[str, Path], Path | None]
) -> tuple[Ruleset, tuple[Path, ...], tuple[Reference, ...]] | None:
    """The cached ruleset of the file ``path`` (resolved), with the files it draws on and its
    references, if a valid entry exists; ``resolve(reference, near)`` finds a reference today."""
    try:
        folder = cache_dir()
        if folder is None or not folder.exists():
            return None
        if not _safe_dir(folder, create=False):
            logger.debug("ruleset cache %s ignored: not a private folder", folder)
            return None
        entry = _load(_entry_file(folder, path))
        if entry is None or entry.code != code_version() or not entry.digests:
            return None
        if entry.digests[0][0] != path:
            return None
        if any(digest(file) != expected for file, expected in entry.digests):
            return None
        if any(resolve(ref, near) != found for near, ref, found in entry.references):
            return None
        return entry.ruleset, tuple(file for file, _ in entry.digests[1:]), entry.references
    except Exception as exc:  # a cache must never stand in the way of loading
        logger.debug("ruleset cache not used for %s: %s", path, exc)
        return None


def _load(file: Path) -> Entry | None:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(file, flags)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as stream:
        info = os.fstat(stream.fileno())
        if not stat.S_ISREG(info.st_mode) or not _private(info):
            logger.debug("ruleset cache entry %s ignored: not a private file", file)
            return None
        entry: Any = pickle.load(stream)
    return entry if isinstance(entry, Entry) else None


def write(
    path: Path,
    ruleset: Ruleset,
    depends: Iterable[Path],
    references: Iterable[Reference],
    unchanged: Callable[[], bool],
) -> None:
    """Store a freshly loaded ruleset of the file ``path`` (resolved), unless ``unchanged()``
    says that a file changed while it was loaded or hashed."""
    try:
        folder = cache_dir()
        if folder is None:
            return
        if not _safe_dir(folder, create=True):
            logger.debug("ruleset cache %s not written: not a private folder", folder)
            return
        files = (path, *(file for file in dict.fromkeys(depends) if file != path))
        entry = Entry(
            code_version(),
            tuple((file, digest(file)) for file in files),
            tuple(references),
            ruleset,
        )
        if not unchanged():
            return
        data = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=_SUFFIX)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
            os.replace(temporary, _entry_file(folder, path))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _prune(folder)
    except Exception as exc:
        logger.debug("ruleset cache not written for %s: %s", path, exc)


def _prune(folder: Path) -> None:
    """Keep the :data:`KEEP` newest entries (an older library's, or a file's that was moved,
    are never read again) and drop temporary files a killed process left an hour ago or more."""
    entries: list[tuple[int, Path]] = []
    for item in folder.iterdir():
        info = item.lstat()
        if item.name.startswith(".tmp-") and info.st_mtime < time.time() - 3600:
            item.unlink(missing_ok=True)
        elif item.suffix == _SUFFIX and not item.name.startswith(".tmp-"):
            entries.append((info.st_mtime_ns, item))
    for _, item in sorted(entries, reverse=True)[KEEP:]:
        item.unlink(missing_ok=True)
