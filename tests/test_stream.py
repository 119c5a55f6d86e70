"""Streaming output: ``evaluate --format jsonl`` (a header line, one line per unit in input
order, a summary line: the content of ``--format json``), written as units are evaluated
through :func:`ntm_rules.cli.safe_write.stream_file`; compact JSON by json's C encoder unless
``--pretty``."""

from __future__ import annotations

import json
import json.encoder
import os
import re
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from cli_support import failed, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st

import ntm_rules.cli.stream
from ntm_rules.cli.safe_write import IsDirectory, stream_file

REPO = Path(__file__).resolve().parent.parent
COMMUNES = REPO / "examples" / "sonla-communes-2023.json"
VILLAGES = REPO / "examples" / "sonla-villages-2023.json"
NATIONAL = "vn.commune.ntm.2021"
LADDER = "sonla.commune.2021"
VILLAGE_LADDER = "sonla.village.2021"
TEMP = re.compile(r"\..+\.ntm-rules-[0-9]+-[0-9a-f]{16}\.tmp", re.DOTALL)


def temps(folder: Path) -> list[str]:
    return [name for name in os.listdir(folder) if TEMP.fullmatch(name)]


def lines_of(text: str) -> list[dict[str, Any]]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def as_json(*args: str | Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(ok(run("evaluate", *args, "-f", "json")).stdout)
    return document


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    """Units evaluated 50 at a time, so the sample's 188 communes end with a partial chunk."""
    monkeypatch.setattr(ntm_rules.cli.stream, "CHUNK", 50)
    return 50


# content: the same as --format json, line by line


@pytest.mark.usefixtures("small_chunks")
def test_ruleset_lines_are_the_json_document() -> None:
    document = as_json("-r", NATIONAL, COMMUNES)
    lines = lines_of(ok(run("evaluate", "-r", NATIONAL, COMMUNES, "-f", "jsonl")).stdout)
    header, *units, last = lines
    assert header == {
        "kind": "header",
        "ruleset": document["ruleset"],
        "data": str(COMMUNES),
        "units": len(document["results"]),
    }
    assert units == document["results"]
    assert last == {"kind": "summary", "summary": document["summary"]}
    codes = [r["code"] for r in json.loads(COMMUNES.read_text(encoding="utf-8"))["units"]]
    assert [unit["unit"]["code"] for unit in units] == codes  # input order


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize(("ladder", "data"), [(LADDER, COMMUNES), (VILLAGE_LADDER, VILLAGES)])
def test_ladder_lines_are_the_json_document(ladder: str, data: Path) -> None:
    document = as_json("-r", ladder, data)
    header, *units, last = lines_of(ok(run("evaluate", "-r", ladder, data, "-f", "jsonl")).stdout)
    assert header == {
        "kind": "header",
        "ladder": document["ladder"],
        "ladder_file": document["ladder_file"],
        "rulesets": document["rulesets"],
        "data": str(data),
        "units": len(document["results"]),
    }
    assert units == document["results"]
    assert last == {"kind": "summary", "summary": document["summary"]}


def test_year_applies_to_the_lines() -> None:
    document = as_json("-r", NATIONAL, COMMUNES, "--year", "2025")
    lines = lines_of(
        ok(run("evaluate", "-r", NATIONAL, COMMUNES, "-f", "jsonl", "--year", "2025")).stdout
    )
    assert lines[1:-1] == document["results"]
    assert {unit["assessed_on"][:4] for unit in lines[1:-1]} == {"2025"}


# compact JSON, by the C encoder; --pretty


def test_json_is_compact_unless_pretty() -> None:
    compact = ok(run("evaluate", "-r", NATIONAL, COMMUNES, "-f", "json")).stdout
    pretty = ok(run("evaluate", "-r", NATIONAL, COMMUNES, "-f", "json", "--pretty")).stdout
    document = json.loads(compact)
    assert compact.count("\n") == 1
    assert compact == json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert pretty == json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    assert "Xã" in compact and "\\u" not in compact  # Vietnamese as is, not escaped
    assert len(pretty) > len(compact) * 1.2


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_compact_output_uses_the_c_encoder(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    real = json.encoder.c_make_encoder
    assert real is not None, "this Python's json has no C encoder"
    made: list[object] = []

    def counting(*args: Any) -> Any:
        made.append(args)
        return real(*args)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the pure-Python JSON encoder was used")

    monkeypatch.setattr(json.encoder, "c_make_encoder", counting)
    monkeypatch.setattr(json.encoder, "_make_iterencode", refused)
    ok(run("evaluate", "-r", NATIONAL, COMMUNES, "-f", fmt))
    assert len(made) >= (1 if fmt == "json" else 190)
    # and --pretty does go through the Python encoder (so the check above can fail)
    result = run("evaluate", "-r", NATIONAL, COMMUNES, "-f", "json", "--pretty")
    assert result.exit_code == 1 and "pure-Python" in result.stderr


@pytest.mark.parametrize(
    ("lang", "start"), [("vi", "Lỗi: --pretty chỉ"), ("en", "Error: --pretty")]
)
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_pretty_only_with_json(fmt: str, lang: str, start: str) -> None:
    line = failed(run("evaluate", "-r", NATIONAL, COMMUNES, "-f", fmt, "--pretty", "-l", lang), 2)
    assert line.startswith(start)


# --output: replaced only when complete


def test_output_file_written_whole(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    result = ok(run("evaluate", "-r", NATIONAL, COMMUNES, "-f", "jsonl", "-o", out))
    assert result.stdout == ""
    shown = ok(run("evaluate", "-r", NATIONAL, COMMUNES, "-f", "jsonl")).stdout
    assert out.read_text(encoding="utf-8") == shown
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert temps(tmp_path) == []


@pytest.mark.parametrize("ladder", [NATIONAL, LADDER])
def test_failure_midway_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, small_chunks: int, ladder: str
) -> None:
    name = "evaluate_many"  # a ruleset's and a ladder's chunks alike
    real = getattr(ntm_rules.cli.stream, name)
    calls: list[int] = []
    written: list[int] = []

    def failing(rules: Any, found: Any, *args: Any, **kwargs: Any) -> Any:
        calls.append(len(found))
        if len(calls) == 3:
            written.append(sum(1 for n in os.listdir(tmp_path) if TEMP.fullmatch(n)))
            raise RuntimeError(f"record {found[0].code} broke")
        return real(rules, found, *args, **kwargs)

    monkeypatch.setattr(ntm_rules.cli.stream, name, failing)
    out = tmp_path / "out.jsonl"
    out.write_text("old\n", encoding="utf-8")
    line = failed(run("evaluate", "-r", ladder, COMMUNES, "-f", "jsonl", "-o", out))
    assert "broke" in line
    assert calls == [small_chunks] * 3  # it failed after two chunks had been written
    assert written == [1]  # ... to a temporary file
    assert out.read_text(encoding="utf-8") == "old\n"
    assert temps(tmp_path) == []


# stdout: lines as they come; a reader that goes away


def test_head_stops_quietly() -> None:
    """``... -f jsonl | head -1``: the header at once, then exit code 1 and nothing on stderr."""
    command = [sys.executable, "-m", "ntm_rules", "evaluate", "-r", NATIONAL, str(COMMUNES)]
    with subprocess.Popen(
        [*command, "-f", "jsonl"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        first = child.stdout.readline()
        child.stdout.close()  # more than a pipe holds is still to come
        assert child.wait(timeout=120) == 1
        assert child.stderr.read() == b""
    assert json.loads(first)["kind"] == "header"


# the streaming writer


def test_stream_file_new_file_and_folder(tmp_path: Path) -> None:
    out = tmp_path / "new.jsonl"
    with stream_file(out) as file:
        file.write(b"a\n")
        assert not out.exists() and len(temps(tmp_path)) == 1
        file.write(b"b\n")
    assert out.read_bytes() == b"a\nb\n"
    assert temps(tmp_path) == []
    with pytest.raises(IsDirectory), stream_file(tmp_path):
        pass


@settings(max_examples=40, deadline=None)
@given(
    pieces=st.lists(st.binary(max_size=3000), max_size=8),
    fail_at=st.none() | st.integers(min_value=0, max_value=8),
    hard_link=st.booleans(),
)
def test_stream_file_all_or_nothing(
    pieces: list[bytes], fail_at: int | None, hard_link: bool
) -> None:
    """A file (single or hard-linked) ends with the old content if the block raises, with every
    piece otherwise; no temporary file is left either way."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.jsonl"
        out.write_bytes(b"old")
        other = Path(folder) / "other-name"
        if hard_link:
            os.link(out, other)
        failing = fail_at is not None and fail_at < len(pieces)
        try:
            with stream_file(out) as file:
                for n, piece in enumerate(pieces):
                    if n == fail_at:
                        raise KeyboardInterrupt
                    file.write(piece)
        except KeyboardInterrupt:
            assert failing
        expected = b"old" if failing else b"".join(pieces)
        assert out.read_bytes() == expected
        if hard_link:
            assert other.read_bytes() == expected and out.stat().st_nlink == 2
        assert temps(Path(folder)) == []


def test_stream_file_fifo_gets_pieces_as_they_come(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    first = threading.Event()
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as reader:
            received.append(reader.readline())
            first.set()
            received.append(reader.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    with stream_file(fifo) as file:
        file.write(b"header\n")
        file.flush()
        assert first.wait(timeout=10)  # read before the writer is done
        file.write(b"rest\n")
    reader.join(timeout=10)
    assert received == [b"header\n", b"rest\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert temps(tmp_path) == []


@pytest.mark.parametrize("output_format", ["csv", "table"])
@pytest.mark.parametrize("target", [NATIONAL, LADDER])
def test_table_and_csv_do_not_keep_every_result(
    output_format: str, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk's results are gone before the chunk after next is evaluated: a run of any size
    holds a few hundred results at most (10,000 communes on a ladder: 175 MB for CSV)."""
    import gc
    import importlib
    import weakref

    command = importlib.import_module("ntm_rules.cli.evaluate")  # the package's name is the command

    monkeypatch.setattr(command, "CHUNK", 40)
    real = command.evaluate_many
    chunks: list[list[weakref.ref[Any]]] = []

    def watched(*args: Any, **kwargs: Any) -> Any:
        gc.collect()
        if len(chunks) >= 2:
            assert not [r for r in chunks[-2] if r() is not None], "an older chunk is kept"
        found = real(*args, **kwargs)
        chunks.append([weakref.ref(r) for r in found])
        return found

    monkeypatch.setattr(command, "evaluate_many", watched)
    ok(run("evaluate", COMMUNES, "--ruleset", target, "--format", output_format))
    assert len(chunks) == 5  # 188 communes in chunks of 40


@pytest.mark.parametrize("target", [NATIONAL, LADDER])
def test_json_is_written_a_result_at_a_time_with_the_same_bytes(
    target: str, tmp_path: Path
) -> None:
    """``--format json`` streams its one line (the results are never one string in memory),
    byte for byte the document json's C encoder makes of the whole."""
    from ntm_rules.aggregate.tally import summary
    from ntm_rules.cli.inputs import model_of, records, ruleset_or_ladder
    from ntm_rules.cli.ladders import ladder_document
    from ntm_rules.cli.output import to_json
    from ntm_rules.cli.results import ruleset_ref
    from ntm_rules.ladder import Ladder, evaluate_on_ladder, level_rulesets

    rules = ruleset_or_ladder(target, "en")
    found = records(COMMUNES, model_of(rules), "en")
    if isinstance(rules, Ladder):
        placed = evaluate_on_ladder(rules, found)
        document = ladder_document(rules, level_rulesets(rules), placed)
    else:
        results = ntm_rules.evaluator_for(rules).evaluate_many(found)
        document = {
            "ruleset": ruleset_ref(rules),
            "summary": summary(results, rules),
            "results": [r.to_dict() for r in results],
        }
    out = tmp_path / "out.json"
    ok(run("evaluate", COMMUNES, "--ruleset", target, "--format", "json", "--output", out))
    assert out.read_text(encoding="utf-8") == to_json(document, pretty=False)
    assert ok(run("evaluate", COMMUNES, "-r", target, "-f", "json")).stdout == to_json(
        document, pretty=False
    )
