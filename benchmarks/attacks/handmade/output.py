"""``evaluate --output`` to what is not a plain file (issue item 3): a new file and one that
keeps its mode, symlinks (a chain, a dangling one), a FIFO, ``/dev/null``, a hard link; each
gets the output a new file gets, and stays what it was. A directory or a missing folder is
one error line naming the path."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import stat
import subprocess
import threading
from collections.abc import Callable
from pathlib import Path

from .. import REPO
from ..common import NATIONAL_ID, short
from .checks import Case, check, cli, error_line, json_rows, succeeded, write

OUTPUT_FORMATS = ("json", "csv", "table")
OLD = b"old content\n"
_reference: dict[str, bytes] = {}
_reference_lock = threading.Lock()


def output_data(folder: Path) -> Path:
    units = json.loads((REPO / "examples" / "sonla-communes-2023.json").read_text("utf-8"))
    units = units["units"] if isinstance(units, dict) else units
    return write(folder, "data.json", json_rows(units[:3]))


def evaluate_to(
    folder: Path, output_format: str, output: Path | str
) -> subprocess.CompletedProcess[str]:
    return cli(
        "evaluate", "-r", NATIONAL_ID, output_data(folder), "-f", output_format, "-o", output
    )


def reference_output(folder: Path, output_format: str) -> bytes:
    """What ``--output`` writes into a new regular file, once per format."""
    with _reference_lock:
        if output_format not in _reference:
            out = folder / f"reference.{output_format}"
            succeeded(evaluate_to(folder, output_format, out))
            _reference[output_format] = out.read_bytes()
        return _reference[output_format]


def to_new_file(folder: Path, output_format: str, want: bytes) -> None:
    target = folder / "new.out"
    succeeded(evaluate_to(folder, output_format, target))
    check(target.read_bytes() == want, "content differs from the reference")


def to_file_with_mode(folder: Path, output_format: str, want: bytes) -> None:
    target = write(folder, "old.out", OLD)
    target.chmod(0o640)
    succeeded(evaluate_to(folder, output_format, target))
    check(target.read_bytes() == want, "content differs")
    mode = stat.S_IMODE(target.stat().st_mode)
    check(mode == 0o640, f"mode {mode:o}, was 640")


def through_symlink(kind: str, folder: Path, output_format: str, want: bytes) -> None:
    """``kind``: a symlink, a relative symlink chain, or a dangling symlink."""
    (folder / "real").mkdir()
    target = folder / "real" / "target.out"
    if kind != "dangling symlink":
        target.write_bytes(OLD)
    link = folder / "link.out"
    if kind == "relative symlink chain":
        (folder / "mid.out").symlink_to(Path("real") / "target.out")
        link.symlink_to("mid.out")
    else:
        link.symlink_to(target)
    before = os.readlink(link)
    succeeded(evaluate_to(folder, output_format, link))
    check(link.is_symlink() and os.readlink(link) == before, "the link was replaced")
    check(target.read_bytes() == want, "the link's target was not written")
    leftovers = list((folder / "real").glob(".*.tmp")) + list(folder.glob(".*.tmp"))
    check(not leftovers, f"temporary files left: {leftovers}")


def to_fifo(folder: Path, output_format: str, want: bytes) -> None:
    fifo = folder / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with fifo.open("rb") as pipe:
            got.append(pipe.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    proc = evaluate_to(folder, output_format, fifo)
    thread.join(10)
    if thread.is_alive():  # the command never opened the FIFO: unblock the reader
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    succeeded(proc)
    check(stat.S_ISFIFO(fifo.lstat().st_mode), "the FIFO was replaced")
    check(got == [want], "the reader did not get the output")


def to_dev_null(folder: Path, output_format: str, want: bytes) -> None:
    succeeded(evaluate_to(folder, output_format, "/dev/null"))
    mode = os.lstat("/dev/null").st_mode
    if not stat.S_ISCHR(mode) and os.geteuid() == 0:  # repair what the attack broke
        with contextlib.suppress(OSError):
            os.unlink("/dev/null")
            os.mknod("/dev/null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    check(stat.S_ISCHR(mode), "/dev/null is no longer a character device")


def to_hard_link(folder: Path, output_format: str, want: bytes) -> None:
    first = write(folder, "first.out", OLD)
    second = folder / "second.out"
    os.link(first, second)
    succeeded(evaluate_to(folder, output_format, second))
    check(first.read_bytes() == want == second.read_bytes(), "a name does not see it")
    check(os.path.samefile(first, second), "the hard link was broken")


OUTPUT_KINDS: dict[str, Callable[[Path, str, bytes], None]] = {
    "new file": to_new_file,
    "file keeps its mode": to_file_with_mode,
    "symlink": functools.partial(through_symlink, "symlink"),
    "relative symlink chain": functools.partial(through_symlink, "relative symlink chain"),
    "dangling symlink": functools.partial(through_symlink, "dangling symlink"),
    "fifo": to_fifo,
    "/dev/null": to_dev_null,
    "hard link": to_hard_link,
}


def case_output(kind: str, output_format: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        OUTPUT_KINDS[kind](folder, output_format, reference_output(folder, output_format))

    return run


def case_output_error(kind: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        target = folder if kind == "directory" else folder / "missing" / "out.json"
        line = error_line(evaluate_to(folder, "json", target))
        check(str(target) in line or "missing" in line, f"path not named: {short(line)}")

    return run


def output_cases() -> list[Case]:
    cases = [
        Case("output", f"--output {kind}, {fmt}", case_output(kind, fmt))
        for kind in OUTPUT_KINDS
        for fmt in OUTPUT_FORMATS
    ]
    cases.append(Case("output", "--output a directory", case_output_error("directory")))
    cases.append(Case("output", "--output in a missing folder", case_output_error("missing")))
    return cases
