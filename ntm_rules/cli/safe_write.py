"""Writing output to a path without damaging what the path is: finished output
(:func:`write_file`) or output written piece by piece as it is produced (:func:`stream_file`).

A regular file is replaced atomically: the data goes to a temporary file in the folder of the
real file (symlinks followed, so a symlink stays a symlink), which takes the old file's
permission bits and owner and is renamed over it. Anything else is written in place, never
unlinked or renamed over: a FIFO, a device (``/dev/null``, ``/dev/stdout`` to a pipe or a
terminal), and a regular file with several hard links, so every name sees the new content.

Temporary files are named ``.NAME.ntm-rules-PID-RANDOM.tmp``. They are removed on an exception,
a ``KeyboardInterrupt``, ``SIGTERM`` or ``SIGHUP``; those a ``SIGKILL`` leaves behind are removed
by the next write to the same output once their process has ended.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import secrets
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType
from typing import BinaryIO

logger = logging.getLogger(__name__)

_TAG = ".ntm-rules-"
_NAME_MAX = 255  # bytes in a file name
# what a temporary name adds to the output's name: ".", TAG, pid, "-", random, ".tmp"
_OVERHEAD = 1 + len(_TAG) + 10 + 1 + 16 + len(".tmp")
_CHUNK = 1 << 20  # bytes copied at a time from a spilled stream
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class UnwritablePath(Exception):
    """``path`` cannot receive output."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


class MissingDirectory(UnwritablePath):
    """The folder that would hold the file does not exist."""


class IsDirectory(UnwritablePath):
    """The path is a directory."""


class IsSocket(UnwritablePath):
    """The path is a socket, which cannot be opened for writing."""


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: atomically if it is (or will be) a single-link regular file,
    in place otherwise.

    In place is not atomic, but ``data`` is complete before the write begins; a regular file
    with several hard links is truncated first, then written.
    """
    status = _status(path)
    if _replaceable(status):
        _replace(path, data, status)
    else:
        _write_in_place(path, (data,))


@contextlib.contextmanager
def stream_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` piece by piece, with the guarantees of :func:`write_file`:
    a single-link regular file (or a new one) is written through a temporary file renamed over
    it when the block ends, and left untouched if the block raises; a FIFO or a device is
    written in place as the pieces come; a regular file with several hard links receives the
    data once complete (kept meanwhile in an anonymous temporary file)."""
    status = _status(path)
    if _replaceable(status):
        with _temporary(path, status) as fd, open(fd, "wb", closefd=False) as file:
            yield file
    elif status is not None and stat.S_ISREG(status.st_mode):
        with tempfile.TemporaryFile() as spill:
            yield spill
            spill.seek(0)
            _write_in_place(path, iter(lambda: spill.read(_CHUNK), b""))
    else:
        with open(os.open(path, os.O_WRONLY | os.O_NOCTTY), "wb") as file:
            yield file


def _status(path: Path) -> os.stat_result | None:
    """What ``path`` is (symlinks followed), None if nothing; a folder or a socket is refused."""
    try:
        status = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    if stat.S_ISDIR(status.st_mode):
        raise IsDirectory(path)
    if stat.S_ISSOCK(status.st_mode):
        raise IsSocket(path)
    return status


def _replaceable(status: os.stat_result | None) -> bool:
    """Whether the path is replaced by renaming: nothing there yet, or a single-link file."""
    return status is None or (stat.S_ISREG(status.st_mode) and status.st_nlink == 1)


def _replace(path: Path, data: bytes, status: os.stat_result | None) -> None:
    """Write a temporary file next to the real file, then rename it over the real file."""
    with _temporary(path, status) as fd:
        _write_all(fd, data)


@contextlib.contextmanager
def _temporary(path: Path, status: os.stat_result | None) -> Iterator[int]:
    """A temporary file next to the real file, open for writing; renamed over the real file
    when the block ends normally, removed when it raises (SIGTERM and SIGHUP included)."""
    real = Path(os.path.realpath(path))
    if not real.parent.is_dir():
        raise MissingDirectory(real.parent if path.parent.is_dir() else path.parent)
    prefix = _temp_prefix(real.name)
    _remove_leftovers(real.parent, prefix)
    temp = real.parent / f"{prefix}{os.getpid()}-{secrets.token_hex(8)}.tmp"
    with _signals_raise():
        # a new file gets 0o666 less the umask, like any file; an old one keeps its mode
        fd = os.open(
            temp,
            os.O_WRONLY | os.O_CREAT | os.O_EXCL,
            0o666 if status is None else 0o600,
        )
        try:
            try:
                if status is not None:
                    _take_owner_and_mode(fd, status)
                yield fd
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, real)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


def _write_in_place(path: Path, chunks: Iterable[bytes]) -> None:
    """Open the existing ``path`` for writing (a FIFO waits for its reader) and write."""
    fd = os.open(path, os.O_WRONLY | os.O_NOCTTY)
    try:
        regular = stat.S_ISREG(os.fstat(fd).st_mode)
        if regular:
            os.ftruncate(fd, 0)
        for chunk in chunks:
            _write_all(fd, chunk)
        if regular:
            os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _take_owner_and_mode(fd: int, status: os.stat_result) -> None:
    """Give the temporary file the old file's owner (where allowed) and permission bits."""
    if (status.st_uid, status.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(PermissionError):
            os.fchown(fd, status.st_uid, status.st_gid)
    os.fchmod(fd, stat.S_IMODE(status.st_mode) & 0o777)


def _temp_prefix(name: str) -> str:
    """``.NAME.ntm-rules-``, NAME cut (by whole characters) so that a temporary name fits in the
    255 bytes of a file name."""
    while len(os.fsencode(name)) > _NAME_MAX - _OVERHEAD:
        name = name[:-1]
    return f".{name}{_TAG}"


def _remove_leftovers(directory: Path, prefix: str) -> None:
    """Remove the temporary files of this output whose process no longer exists."""
    pattern = re.compile(re.escape(prefix) + r"([1-9][0-9]{0,9})-[0-9a-f]{16}\.tmp")
    try:
        with os.scandir(directory) as entries:
            leftovers = [
                (entry.path, int(match.group(1)))
                for entry in entries
                if (match := pattern.fullmatch(entry.name)) and entry.is_file(follow_symlinks=False)
            ]
    except OSError:  # a folder that can be written but not read: nothing to tidy
        return
    for leftover, pid in leftovers:
        if not _alive(pid):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
                logger.info("removed %s, left behind by process %d", leftover, pid)


def _alive(pid: int) -> bool:
    """Whether process ``pid`` exists (or cannot be told apart from one that does)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process; a pid beyond any
        return True
    return True


class _Terminated(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise _Terminated(signum)


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise an exception instead of ending the process at
    once, so ``finally`` clauses run; then the signal's default action ends it. Signals that are
    ignored or handled elsewhere are left alone; outside the main thread this does nothing (only
    it can set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = [signum for signum in _SIGNALS if signal.getsignal(signum) is signal.SIG_DFL]
    for signum in caught:
        signal.signal(signum, _raise_terminated)
    terminated: _Terminated | None = None
    try:
        yield
    except _Terminated as exc:
        terminated = exc
    finally:
        for signum in caught:
            signal.signal(signum, signal.SIG_DFL)
    if terminated is not None:
        signal.raise_signal(terminated.signum)
        raise terminated  # reached only if the signal is blocked: the write is abandoned
