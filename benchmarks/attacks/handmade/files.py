"""Ruleset files (issue item 7): big and strange files (a 4 MB comment line, an 11 MB file)
are refused at once, a ruleset loads among non-UTF-8 neighbours, and line endings, a
byte-order mark or the Unicode form leave the content hash as it is."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ntm_rules import RulesetError, evaluator_for, load_ruleset
from ntm_rules.ruleset.registry import ruleset_files

from ..common import BASE, NATIONAL_ID, NATIONAL_TEXT, SONLA_FILE, nfd, short
from .checks import Case, check, cli, error_line, json_rows, raises, succeeded, write


def case_fast_refusal(
    make: Callable[[], str], phrase: str, via_cli: bool
) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "big.yaml", make())
        started = time.perf_counter()
        if via_cli:
            line = error_line(cli("validate", path))
        else:
            line = str(raises(RulesetError, lambda: load_ruleset(path)))
        took = time.perf_counter() - started
        check(took < 5, f"took {took:.1f} s")
        check(phrase in line, f"message lacks {phrase!r}: {short(line)}")

    return run


def case_fast_load(make: Callable[[], str]) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "big.yaml", make())
        started = time.perf_counter()
        load_ruleset(path)
        took = time.perf_counter() - started
        check(took < 5, f"took {took:.1f} s")

    return run


def comment_line() -> str:
    return "# " + "x" * 4_000_000 + "\n" + NATIONAL_TEXT


def one_line_value() -> str:
    version = 'version: "2024.03"'
    return NATIONAL_TEXT.replace(version, f'{version}\nnote: "{"x" * 4_000_000}"')


def eleven_megabytes() -> str:
    return NATIONAL_TEXT + ("# " + "x" * 98 + "\n") * 110_000


def short_comment_lines() -> str:
    return ("# " + "x" * 98 + "\n") * 40_000 + NATIONAL_TEXT


def big_file_cases() -> list[Case]:
    comment, note, huge, many = comment_line, one_line_value, eleven_megabytes, short_comment_lines
    return [
        Case(
            "big-files", "4 MB comment line", case_fast_refusal(comment, "10,000 characters", False)
        ),
        Case(
            "big-files",
            "CLI: 4 MB comment line",
            case_fast_refusal(comment, "10,000 characters", True),
        ),
        Case(
            "big-files", "4 MB one-line value", case_fast_refusal(note, "10,000 characters", False)
        ),
        Case("big-files", "11 MB file", case_fast_refusal(huge, "larger than", False)),
        Case("big-files", "CLI: 11 MB file", case_fast_refusal(huge, "larger than", True)),
        Case("big-files", "4 MB of short comment lines loads", case_fast_load(many)),
    ]


NEIGHBOURS: dict[str, Callable[[Path], object]] = {
    "cp1258": lambda p: p.write_bytes(b"ghi ch\xfa: Quy ho\xe1ch\n"),
    "utf-16": lambda p: p.write_bytes("id: vn.commune.ntm.2021\n".encode("utf-16")),
    "latin-1": lambda p: p.write_bytes(b"id: x\ntitle: caf\xe9\n"),
    "binary": lambda p: p.write_bytes(bytes(range(256)) * 4),
    "directory": lambda p: p.mkdir(),
    "dangling symlink": lambda p: p.symlink_to(p.parent / "nowhere"),
    "broken YAML": lambda p: p.write_text("id: [unclosed\n: : :\n", encoding="utf-8"),
}


def case_neighbour(kind: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        NEIGHBOURS[kind](folder / "a-neighbour.yaml")
        copy = write(folder, "sonla.yaml", SONLA_FILE.read_text(encoding="utf-8"))
        ruleset = load_ruleset(copy)
        check(ruleset.extends == NATIONAL_ID, f"extends {ruleset.extends!r}")
        evaluator_for(ruleset).evaluate({**BASE, "province": "Sơn La"})

    return run


def case_neighbours_cli(folder: Path) -> None:
    for n, make in enumerate(NEIGHBOURS.values()):
        make(folder / f"n{n}.yaml")
    copy = write(folder, "sonla.yaml", SONLA_FILE.read_text(encoding="utf-8"))
    succeeded(cli("validate", copy))
    data = write(folder, "d.json", json_rows([{**BASE, "province": "Sơn La"}]))
    succeeded(cli("evaluate", "-r", copy, data, "-f", "csv"))


def case_ruleset_not_utf8(via_cli: bool) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        path = write(folder, "cp1258.yaml", b"format: 1\nid: x\ntitle: Quy ho\xe1ch\n")
        if via_cli:
            check(f"{path}:3" in error_line(cli("validate", path)), "file:line not named")
        else:
            error = raises(RulesetError, lambda: load_ruleset(path))
            check((error.file, error.line) == (str(path), 3), f"at {error.file}:{error.line}")

    return run


def neighbour_cases() -> list[Case]:
    cases = [Case("neighbours", f"non-UTF-8 neighbour: {k}", case_neighbour(k)) for k in NEIGHBOURS]
    cases.append(Case("neighbours", "CLI validate and evaluate among them", case_neighbours_cli))
    cases.append(Case("neighbours", "ruleset not UTF-8", case_ruleset_not_utf8(False)))
    cases.append(Case("neighbours", "CLI: ruleset not UTF-8", case_ruleset_not_utf8(True)))
    return cases


HASH_VARIANTS: dict[str, Callable[[str], bytes]] = {
    "CRLF": lambda t: t.replace("\n", "\r\n").encode(),
    "BOM": lambda t: ("\ufeff" + t).encode(),
    "NFD": lambda t: nfd(t).encode(),
    "CR": lambda t: t.replace("\n", "\r").encode(),
    "CRLF+BOM+NFD": lambda t: ("\ufeff" + nfd(t).replace("\n", "\r\n")).encode(),
}


def case_content_hash(source: Path, variant: str) -> Callable[[Path], None]:
    def run(folder: Path) -> None:
        original = load_ruleset(source)
        copy = write(
            folder, source.name, HASH_VARIANTS[variant](source.read_text(encoding="utf-8"))
        )
        hashed = load_ruleset(copy).content_hash
        check(
            hashed == original.content_hash, f"hash {hashed[:12]} != {original.content_hash[:12]}"
        )

    return run


def hash_cases() -> list[Case]:
    return [
        Case("content-hash", f"{ruleset_id} {variant}", case_content_hash(path, variant))
        for ruleset_id, path in sorted(ruleset_files().items())
        for variant in HASH_VARIANTS
    ]
