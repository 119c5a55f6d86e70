"""Where ruleset files are: ids found along the search path, and lookup of an id near a file.

See :mod:`.search` for the order. Files named ``*.test.yaml`` are ruleset tests, not rulesets.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from pathlib import Path

import attrs

from ..errors import RulesetError
from ..text import Text
from ..yaml_source import read_source
from .search import BUNDLED, SearchDir, bundled_dir, is_bundled, search_path

__all__ = [
    "FOLDER_MARKER",
    "CatalogueEntry",
    "Watch",
    "bundled_dir",
    "catalogue",
    "find_in_search_path",
    "find_ruleset_file",
    "is_ladder_file",
    "is_test_file",
    "ladder_files",
    "ruleset_files",
    "watch",
    "yaml_files",
]

logger = logging.getLogger(__name__)

_ID_LINE = re.compile(r"^id:\s*['\"]?([A-Za-z0-9_.\-]+)['\"]?\s*$", re.MULTILINE)
_LADDER_LINE = re.compile(r"^ladder:", re.MULTILINE)

FOLDER_MARKER = "ntm-rules-folder.txt"
"""A file at the top of a working folder (``ntm-rules init`` writes it): the files in it refer
to each other by id before looking along the search path."""


def is_test_file(path: Path) -> bool:
    """Whether ``path`` holds ruleset tests (``*.test.yaml``) rather than a ruleset."""
    return path.name.lower().endswith((".test.yaml", ".test.yml"))


def yaml_files(directory: Path) -> list[Path]:
    """Every ruleset or ladder file under ``directory`` (tests left out), sorted.

    The listing is kept while no folder under ``directory`` changes (a file added, removed or
    renamed changes its folder's modification time), so finding an id does not walk the tree
    on every evaluation."""
    key = directory.resolve()
    with _listings_lock:
        cached = _listings.get(key)
    if cached is not None and _unchanged(cached[0]):
        return list(cached[1])
    folders: list[tuple[Path, int]] = []
    found: list[Path] = []
    for folder, subfolders, names in os.walk(key):
        subfolders.sort()
        try:
            folders.append((Path(folder), os.stat(folder).st_mtime_ns))
        except OSError:
            continue
        for name in names:
            path = Path(folder) / name
            suffix = path.suffix.lower()
            if suffix in (".yaml", ".yml") and not is_test_file(path) and path.is_file():
                found.append(path)
    listing = sorted(found)
    with _listings_lock:
        if len(_listings) > 256:
            _listings.clear()
        _listings[key] = (tuple(folders), tuple(listing))
    return listing


def _unchanged(folders: tuple[tuple[Path, int], ...]) -> bool:
    try:
        return all(os.stat(folder).st_mtime_ns == stamp for folder, stamp in folders)
    except OSError:
        return False


_listings: dict[Path, tuple[tuple[tuple[Path, int], ...], tuple[Path, ...]]] = {}
_listings_lock = threading.Lock()


@attrs.frozen
class _Header:
    id: str | None
    ladder: bool


_headers: dict[Path, tuple[tuple[int, int, int], _Header]] = {}
_headers_lock = threading.Lock()


def _header(path: Path) -> _Header | None:
    """The id of a file and whether it is a ladder (read again only when the file changes)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    with _headers_lock:
        cached = _headers.get(path)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        text = read_source(path)
    except RulesetError as exc:  # a neighbour that is no ruleset (or broken): not this id
        logger.warning("skipped while looking for rulesets: %s", exc)
        return None
    match = _ID_LINE.search(text)
    header = _Header(match.group(1) if match else None, bool(_LADDER_LINE.search(text)))
    with _headers_lock:
        if len(_headers) > 4096:
            _headers.clear()
        _headers[path] = (stamp, header)
    return header


def _files(directory: Path, ladders: bool) -> dict[str, Path]:
    return {key: paths[0] for key, paths in _all_files(directory, ladders).items()}


def _all_files(directory: Path, ladders: bool) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in yaml_files(directory):
        header = _header(path)
        if header is not None and header.id is not None and header.ladder == ladders:
            found.setdefault(header.id, []).append(path)
    return found


def _one(key: str, directory: Path, ladders: bool) -> Path | None:
    """The file of ``key`` in ``directory``; two files with one id there is an error (a copy
    left beside the original would otherwise be chosen silently)."""
    paths = _all_files(directory, ladders).get(key)
    if not paths:
        return None
    if len(paths) > 1:
        shown = ", ".join(str(path) for path in paths)
        raise RulesetError(
            Text(
                vi=f"'{key}' được khai báo trong nhiều tệp: {shown}; đổi id hoặc xóa bản thừa",
                en=f"'{key}' is declared by several files: {shown}; rename the id or remove the copy",
            ),
            file=str(paths[1]),
        )
    return paths[0]


def find_in_search_path(key: str, *, ladder: bool = False) -> Path | None:
    """The file of a ruleset (or ladder) id along the search path, first folder wins."""
    for entry in search_path():
        found = _one(key, entry.path, ladder)
        if found is not None:
            return found
    return None


def _merged(ladders: bool) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for entry in search_path():
        for key, path in _files(entry.path, ladders).items():
            found.setdefault(key, path)
    return found


def ruleset_files(directory: Path | None = None) -> dict[str, Path]:
    """Map ruleset id -> file under ``directory``, or along the search path (first wins)."""
    return _files(directory, ladders=False) if directory is not None else _merged(ladders=False)


def ladder_files(directory: Path | None = None) -> dict[str, Path]:
    """Map ladder id -> file under ``directory``, or along the search path (first wins)."""
    return _files(directory, ladders=True) if directory is not None else _merged(ladders=True)


def is_ladder_file(path: Path) -> bool:
    """Whether the file is a ladder of rulesets (a :class:`RulesetError` if it cannot be read)."""
    return bool(_LADDER_LINE.search(read_source(path)))


def _working_folder(path: Path) -> Path | None:
    """The nearest folder above ``path`` marked as a working folder, if any."""
    for parent in path.resolve().parents:
        if (parent / FOLDER_MARKER).is_file():
            return parent
    return None


def find_ruleset_file(reference: str, near: Path | None = None) -> Path | None:
    """A ruleset given by file path (relative to ``near``) or by id.

    An id is looked for next to ``near`` (its folder, then its working folder) unless ``near`` is
    a bundled file, then along the search path."""
    if reference.endswith((".yaml", ".yml")):
        candidate = (near.parent / reference) if near else Path(reference)
        return candidate if candidate.exists() else None
    if near is not None and not is_bundled(near):
        for folder in (near.parent, _working_folder(near)):
            if folder is not None:
                local = _one(reference, folder, False)
                if local is not None:
                    return local
    return find_in_search_path(reference)


@attrs.frozen
class CatalogueEntry:
    """A ruleset or ladder id, the file it resolves to, and the files it shadows."""

    id: str
    ladder: bool
    file: Path
    folder: SearchDir
    shadows: tuple[Path, ...]

    @property
    def installed(self) -> bool:
        return self.folder.origin == BUNDLED


def catalogue() -> list[CatalogueEntry]:
    """Every id on the search path, in search order, with the file that wins."""
    entries: dict[tuple[str, bool], CatalogueEntry] = {}
    for folder in search_path():
        for ladders in (False, True):
            for key, path in _files(folder.path, ladders).items():
                entry = entries.get((key, ladders))
                if entry is None:
                    entries[(key, ladders)] = CatalogueEntry(key, ladders, path, folder, ())
                else:
                    entries[(key, ladders)] = attrs.evolve(entry, shadows=(*entry.shadows, path))
    return list(entries.values())


@attrs.frozen
class Watch:
    """The stamps of everything finding a ruleset and the files it draws on depends on: every
    folder and ruleset file of the search path, the files themselves, and, for a file outside
    the bundled set, the folders it looks in for the ids it refers to and the folders above it
    (where a working folder's marker may appear)."""

    stamps: tuple[tuple[str, tuple[int, int]], ...]

    def unchanged(self) -> bool:
        """Whether nothing watched was added, removed or edited since."""
        try:
            for path, stamp in self.stamps:
                info = os.stat(path)
                if (info.st_mtime_ns, info.st_size) != stamp:
                    return False
        except OSError:
            return False
        return True


def watch(files: list[Path]) -> Watch:
    """A :class:`Watch` over the current search path and ``files`` (stamped now)."""
    trees = [entry.path for entry in search_path()]
    paths: list[Path] = []
    for file in files:
        file = file.resolve()
        paths.append(file)
        if not is_bundled(file):
            trees.append(file.parent)
            paths.extend(file.parents)
            working = _working_folder(file)
            if working is not None:
                trees.append(working)
    for tree in dict.fromkeys(trees):
        for folder, subfolders, names in os.walk(tree):
            subfolders.sort()
            paths.append(Path(folder))
            paths.extend(
                Path(folder) / name
                for name in sorted(names)
                if name.lower().endswith((".yaml", ".yml")) and not is_test_file(Path(name))
            )
    stamps: list[tuple[str, tuple[int, int]]] = []
    for path in dict.fromkeys(paths):
        try:
            info = os.stat(path)
        except OSError:
            continue
        stamps.append((str(path), (info.st_mtime_ns, info.st_size)))
    return Watch(tuple(stamps))
