"""``--output`` is path-safe: regular files are replaced atomically in the real file's folder
(symlinks stay symlinks, mode and owner kept), FIFOs, devices and hard-linked files are written
in place, temporary files never outlive the write (exceptions, SIGTERM, SIGHUP) and those of a
killed run are removed by the next one."""

from __future__ import annotations

import errno
import os
import re
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_support import failed, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules.cli.safe_write import (
    IsDirectory,
    IsSocket,
    MissingDirectory,
    write_file,
)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "sonla-communes-2023.json"
NATIONAL = "vn.commune.ntm.2021"
TEMP = re.compile(r"\.(.+)\.ntm-rules-([0-9]+)-[0-9a-f]{16}\.tmp", re.DOTALL)
ROOT = os.geteuid() == 0


def temps(*folders: Path) -> list[str]:
    return sorted(n for folder in folders for n in os.listdir(folder) if TEMP.fullmatch(n))


@pytest.fixture
def replaced(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every ``os.replace(source, destination)`` during the test."""
    calls: list[tuple[str, str]] = []
    real = os.replace

    def spy(source: str, destination: str) -> None:
        calls.append((os.fspath(source), os.fspath(destination)))
        real(source, destination)

    monkeypatch.setattr(os, "replace", spy)
    return calls


def on_write(monkeypatch: pytest.MonkeyPatch, action: Callable[[], None]) -> None:
    """Run ``action`` before every ``os.write``."""
    real = os.write

    def spy(fd: int, data: bytes) -> int:
        action()
        return real(fd, data)

    monkeypatch.setattr(os, "write", spy)


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)
    return child.pid


# regular files


def test_new_file_gets_the_umask_mode(tmp_path: Path) -> None:
    out = tmp_path / "new.csv"
    previous = os.umask(0o027)
    try:
        write_file(out, b"a,b\n")
    finally:
        os.umask(previous)
    assert out.read_bytes() == b"a,b\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["new.csv"]


def test_regular_file_replaced_atomically_mode_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, replaced: list[tuple[str, str]]
) -> None:
    out = tmp_path / "out.csv"
    out.write_bytes(b"old")
    out.chmod(0o604)
    inode = out.stat().st_ino
    during: list[tuple[bytes, list[str]]] = []
    on_write(monkeypatch, lambda: during.append((out.read_bytes(), temps(tmp_path))))
    write_file(out, b"new content")
    # while the data is written, the old file is whole and the data goes to a temporary file
    assert during and all(old == b"old" and len(names) == 1 for old, names in during)
    assert [(Path(s).parent, d) for s, d in replaced] == [(tmp_path, str(out))]
    assert out.read_bytes() == b"new content"
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
    assert out.stat().st_ino != inode
    assert os.listdir(tmp_path) == ["out.csv"]


@pytest.mark.skipif(not ROOT, reason="only root can give a file to another user")
def test_owner_kept(tmp_path: Path) -> None:
    out = tmp_path / "theirs.csv"
    out.write_bytes(b"old")
    os.chown(out, 1234, 5678)
    write_file(out, b"new")
    status = out.stat()
    assert (status.st_uid, status.st_gid) == (1234, 5678)
    assert out.read_bytes() == b"new"


@pytest.mark.parametrize("existing", [True, False])
@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "No space left"), KeyboardInterrupt()])
def test_failed_write_leaves_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, existing: bool, error: BaseException
) -> None:
    out = tmp_path / "out.json"
    if existing:
        out.write_bytes(b"previous")
    real = os.write
    seen: list[list[str]] = []

    def half_then_fail(fd: int, data: bytes) -> int:
        seen.append(temps(tmp_path))
        if len(seen) > 1:
            raise error
        return real(fd, data[: len(data) // 2])

    monkeypatch.setattr(os, "write", half_then_fail)
    with pytest.raises(type(error)):
        write_file(out, b"x" * 10_000)
    assert len(seen) == 2 and all(len(names) == 1 for names in seen)
    assert os.listdir(tmp_path) == (["out.json"] if existing else [])
    if existing:
        assert out.read_bytes() == b"previous"


names = (
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="/\x00"), min_size=1)
    .map(lambda name: name.encode()[:255].decode(errors="ignore"))
    .filter(lambda name: name not in ("", ".", ".."))
)


@settings(max_examples=40)
@given(name=names, data=st.binary(max_size=4000))
def test_any_name_round_trips_and_its_leftovers_are_found(
    dead_pid: int, name: str, data: bytes
) -> None:
    """Long names (up to 255 bytes of UTF-8) too: the temporary name is cut to fit, and the
    cleanup finds what a killed run of the same output left."""
    real_replace = os.replace
    sources: list[str] = []

    def spy(source: str, destination: str) -> None:
        sources.append(os.path.basename(source))
        real_replace(source, destination)

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / name
        os.replace = spy  # type: ignore[assignment]
        try:
            write_file(out, data)
        finally:
            os.replace = real_replace
        assert out.read_bytes() == data and os.listdir(folder) == [name]
        (temp,) = sources
        match = TEMP.fullmatch(temp)
        assert match and int(match.group(2)) == os.getpid()
        assert len(os.fsencode(temp)) <= 255
        assert name.startswith(match.group(1))
        leftover = Path(folder) / temp.replace(f"-{os.getpid()}-", f"-{dead_pid}-")
        leftover.write_bytes(b"partial")
        write_file(out, data[::-1])
        assert out.read_bytes() == data[::-1] and os.listdir(folder) == [name]


# symlinks


@pytest.mark.parametrize("kind", ["absolute, same folder", "relative, other folder", "chain"])
def test_symlink_stays_a_symlink_and_its_target_is_written(
    tmp_path: Path, replaced: list[tuple[str, str]], kind: str
) -> None:
    real_dir, link_dir, middle_dir = (tmp_path / d for d in ("real", "links", "middle"))
    for folder in (real_dir, link_dir, middle_dir):
        folder.mkdir()
    target = real_dir / "results.csv"
    target.write_bytes(b"old")
    target.chmod(0o640)
    inode = target.stat().st_ino
    if kind == "absolute, same folder":
        link = real_dir / "latest.csv"
        link.symlink_to(target)
    elif kind == "relative, other folder":
        link = link_dir / "results.csv"
        link.symlink_to(Path("..") / "real" / "results.csv")
    else:
        (middle_dir / "step").symlink_to(Path("..") / "real" / "results.csv")
        link = link_dir / "results.csv"
        link.symlink_to(Path("..") / "middle" / "step")
    pointer = os.readlink(link)

    write_file(link, b"new")

    assert link.is_symlink() and os.readlink(link) == pointer
    assert target.read_bytes() == b"new" and target.stat().st_ino != inode
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    # the temporary file was in the target's folder, renamed onto the target
    assert [(Path(s).parent, d) for s, d in replaced] == [(real_dir, str(target))]
    assert temps(real_dir, link_dir, middle_dir) == []


def test_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    link = tmp_path / "out.csv"
    link.symlink_to(Path("real") / "new.csv")
    write_file(link, b"new")
    assert link.is_symlink() and (tmp_path / "real" / "new.csv").read_bytes() == b"new"


# FIFOs, devices, hard links: written in place


@pytest.mark.parametrize("via_link", [False, True])
def test_fifo_written_in_place(tmp_path: Path, via_link: bool) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    path = fifo
    if via_link:
        path = tmp_path / "link"
        path.symlink_to(fifo)
    data = bytes(range(256)) * 1200  # more than a pipe holds: written in several parts
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as reader:
            received.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    write_file(path, data)
    reader.join(timeout=10)
    assert received == [data]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert temps(tmp_path) == []


def test_dev_null_stays_a_device(tmp_path: Path) -> None:
    """Run as root, a rename would replace ``/dev/null`` itself."""
    before = os.lstat("/dev/null")
    link = tmp_path / "null"
    link.symlink_to("/dev/null")
    write_file(Path("/dev/null"), b"discarded")
    write_file(link, b"discarded")
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert link.is_symlink()
    assert not [n for n in os.listdir("/dev") if n.startswith(".null.")]


@pytest.mark.skipif(not ROOT, reason="only root can make a device node")
def test_device_node_written_in_place(tmp_path: Path) -> None:
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    inode = node.stat().st_ino
    write_file(node, b"discarded")
    assert stat.S_ISCHR(node.lstat().st_mode) and node.stat().st_ino == inode
    assert os.listdir(tmp_path) == ["null"]


WRITE_STDOUT = (
    "import sys; from pathlib import Path; from ntm_rules.cli.safe_write import write_file; "
    "write_file(Path('/dev/stdout'), sys.argv[1].encode())"
)


@pytest.mark.skipif(not os.path.islink("/dev/stdout"), reason="no /dev/stdout symlink")
def test_dev_stdout_to_a_pipe_or_terminal() -> None:
    piped = subprocess.run(
        [sys.executable, "-c", WRITE_STDOUT, "through the pipe"],
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert piped.stdout == b"through the pipe"
    terminal, child_side = os.openpty()
    try:
        with os.fdopen(child_side, "wb") as child_stdout:
            subprocess.run(
                [sys.executable, "-c", WRITE_STDOUT, "to the terminal"],
                stdout=child_stdout,
                timeout=60,
                check=True,
            )
        assert os.read(terminal, 1000) == b"to the terminal"
    finally:
        os.close(terminal)
    assert os.path.islink("/dev/stdout")
    assert not [n for n in os.listdir("/dev") if n.startswith(".stdout.")]


@pytest.mark.parametrize("through", ["first", "second"])
def test_hard_link_written_in_place(tmp_path: Path, through: str) -> None:
    first = tmp_path / "first.csv"
    second = tmp_path / "second.csv"
    first.write_bytes(b"old content, longer than the new one")
    first.chmod(0o640)
    os.link(first, second)
    inode = first.stat().st_ino
    write_file(first if through == "first" else second, b"new")
    for name in (first, second):
        status = name.stat()
        assert name.read_bytes() == b"new"
        assert (status.st_ino, status.st_nlink) == (inode, 2)
        assert stat.S_IMODE(status.st_mode) == 0o640
    assert sorted(os.listdir(tmp_path)) == ["first.csv", "second.csv"]


# what cannot be written


def test_unwritable_paths(tmp_path: Path) -> None:
    with pytest.raises(MissingDirectory) as missing:
        write_file(tmp_path / "no" / "out.csv", b"x")
    assert missing.value.path == tmp_path / "no"
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "gone" / "out.csv")
    with pytest.raises(MissingDirectory) as dangling:
        write_file(link, b"x")
    assert dangling.value.path == tmp_path / "gone"
    with pytest.raises(IsDirectory):
        write_file(tmp_path, b"x")
    (tmp_path / "file.csv").write_bytes(b"")
    with pytest.raises(MissingDirectory) as under_a_file:
        write_file(tmp_path / "file.csv" / "out.csv", b"x")
    assert under_a_file.value.path == tmp_path / "file.csv"


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        yield path
    finally:
        server.close()


def test_socket_is_an_error(unix_socket: Path) -> None:
    with pytest.raises(IsSocket):
        write_file(unix_socket, b"x")
    line = failed(run("evaluate", "-r", NATIONAL, EXAMPLE, "--lang", "en", "-o", unix_socket))
    assert line == f"Error: --output is a socket: {unix_socket}"
    assert stat.S_ISSOCK(os.lstat(unix_socket).st_mode)


def test_cli_output_is_a_directory(tmp_path: Path) -> None:
    line = failed(run("evaluate", "-r", NATIONAL, EXAMPLE, "-o", tmp_path))
    assert line == f"Lỗi: --output là một thư mục: {tmp_path}"


# leftovers of a killed run


def test_leftovers_of_dead_processes_removed(tmp_path: Path, dead_pid: int) -> None:
    random = "0123456789abcdef"
    removed = f".out.csv.ntm-rules-{dead_pid}-{random}.tmp"
    kept = [
        f".out.csv.ntm-rules-{os.getpid()}-{random}.tmp",  # a live process: this one
        f".out.csv.ntm-rules-1-{random}.tmp",  # and init
        f".other.csv.ntm-rules-{dead_pid}-{random}.tmp",  # another output
        f".out.csv.ntm-rules-{dead_pid}-{random.upper()}.tmp",  # not the exact pattern
        f".out.csv.ntm-rules-{dead_pid}-{random[:-1]}.tmp",
        f".out.csv.ntm-rules-0{dead_pid}-{random}.tmp",
        f".out.csv.ntm-rules-{dead_pid}-{random}.tmp.bak",
        f"out.csv.ntm-rules-{dead_pid}-{random}.tmp",
        f".out.csv.{dead_pid}.tmp",
        ".out.csv.swp",
        ".hidden",
    ]
    for name in [removed, *kept]:
        (tmp_path / name).write_bytes(b"partial")
    (tmp_path / f".out.csv.ntm-rules-{dead_pid}-{'f' * 16}.tmp").mkdir()  # not a file
    write_file(tmp_path / "out.csv", b"new")
    assert sorted(os.listdir(tmp_path)) == sorted(
        [*kept, "out.csv", f".out.csv.ntm-rules-{dead_pid}-{'f' * 16}.tmp"]
    )


def test_leftovers_removed_in_the_real_folder(tmp_path: Path, dead_pid: int) -> None:
    (tmp_path / "real").mkdir()
    leftover = tmp_path / "real" / f".out.csv.ntm-rules-{dead_pid}-{'a' * 16}.tmp"
    leftover.write_bytes(b"partial")
    link = tmp_path / "link.csv"
    link.symlink_to(Path("real") / "out.csv")
    write_file(link, b"new")
    assert not leftover.exists() and (tmp_path / "real" / "out.csv").read_bytes() == b"new"


# signals


BLOCKED_WRITE = """
import os, signal, sys, time
from pathlib import Path
from ntm_rules.cli.safe_write import write_file

signal.signal(signal.SIGTERM, signal.SIG_DFL)
signal.signal(signal.SIGHUP, signal.SIG_DFL)

def blocked(fd, data):
    sys.stdout.write("writing\\n")
    sys.stdout.flush()
    time.sleep(60)
    raise AssertionError("not interrupted")

os.write = blocked
write_file(Path(sys.argv[1]), b"new")
"""


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_signal_during_write_leaves_no_temporary(tmp_path: Path, signum: int) -> None:
    out = tmp_path / "out.csv"
    out.write_bytes(b"old")
    child = subprocess.Popen(
        [sys.executable, "-c", BLOCKED_WRITE, str(out)], stdout=subprocess.PIPE
    )
    try:
        assert child.stdout is not None and child.stdout.readline() == b"writing\n"
        (temp,) = temps(tmp_path)
        assert TEMP.fullmatch(temp) and f"-{child.pid}-" in temp
        child.send_signal(signum)
        assert child.wait(timeout=30) == -signum  # and the process still ends by the signal
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        assert child.stdout is not None
        child.stdout.close()
    assert os.listdir(tmp_path) == ["out.csv"] and out.read_bytes() == b"old"


def test_handlers_only_during_the_write_and_ignored_signals_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGHUP ignored (as under ``nohup``) stays ignored; SIGTERM is caught only while the
    temporary file exists."""
    previous = (signal.signal(signal.SIGTERM, signal.SIG_DFL), signal.getsignal(signal.SIGHUP))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    during: list[tuple[object, object]] = []
    on_write(
        monkeypatch,
        lambda: during.append((signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))),
    )
    try:
        write_file(tmp_path / "out.csv", b"new")
        after = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGHUP))
    finally:
        signal.signal(signal.SIGTERM, previous[0] or signal.SIG_DFL)
        signal.signal(signal.SIGHUP, previous[1] or signal.SIG_DFL)
    ((term, hup),) = during
    assert callable(term) and hup is signal.SIG_IGN
    assert after == (signal.SIG_DFL, signal.SIG_IGN)


def test_write_from_another_thread(tmp_path: Path) -> None:
    """Handlers can only be set in the main thread; elsewhere the write goes on without them."""
    errors: list[BaseException] = []

    def write() -> None:
        try:
            write_file(tmp_path / "out.csv", b"from a thread")
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=write)
    worker.start()
    worker.join(timeout=30)
    assert errors == [] and (tmp_path / "out.csv").read_bytes() == b"from a thread"


# the command line


def test_cli_output_through_a_symlink(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "links").mkdir()
    target = tmp_path / "reports" / "sonla.txt"
    target.write_text("last year\n", encoding="utf-8")
    link = tmp_path / "links" / "latest.txt"
    link.symlink_to(Path("..") / "reports" / "sonla.txt")
    args: list[str | Path] = ["evaluate", "--ruleset", NATIONAL, EXAMPLE]
    result = ok(run(*args, "--output", link))
    assert result.stdout == ""
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "reports" / "sonla.txt")
    assert target.read_text(encoding="utf-8") == ok(run(*args)).stdout
    assert "Đạt chuẩn" in target.read_text(encoding="utf-8")
    assert temps(tmp_path / "reports", tmp_path / "links") == []
