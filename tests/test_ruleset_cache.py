"""The on-disk ruleset cache (ntm_rules/ruleset/cache.py) and the one-liner's kept evaluator."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntm_rules.evaluation as evaluation
import ntm_rules.ruleset.loader as loader
from ntm_rules import evaluate, evaluator_for, use_rulesets
from ntm_rules.evaluation import Evaluator
from ntm_rules.ruleset import cache
from ntm_rules.ruleset.files import ruleset_files
from ntm_rules.ruleset.loader import load_ruleset
from ntm_rules.ruleset.search import bundled_dir
from ntm_rules.unit_kinds import unit_kind
from ntm_rules.workfolder import create

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = {
    "commune": ROOT / "examples" / "sonla-communes-2023.json",
    "village": ROOT / "examples" / "sonla-villages-2023.json",
}
PROVINCE_SAMPLE = ROOT / "examples" / "sonla-province-2023.json"  # districts, towns, province
SONLA_NTM = "sonla.commune.ntm.2021"
NATIONAL = bundled_dir() / "national" / "commune-ntm-2021.yaml"
SONLA = bundled_dir() / "son-la" / "commune-ntm-2021.yaml"
INCOME = "by: {general: 48, tdmnpb: 39,"


class Reads:
    """Counts the ruleset files parsed (a cache hit parses none)."""

    def __init__(self) -> None:
        self.files: list[str] = []

    def __call__(self, path: Any) -> str:
        self.files.append(str(path))
        return _read_source(path)


_read_source = loader.read_source


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    counter = Reads()
    monkeypatch.setattr(loader, "read_source", counter)
    return counter


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh cache folder and empty in-memory caches (restored afterwards)."""
    where = tmp_path / "cache"
    monkeypatch.setenv(cache.DIR_VAR, str(where))
    monkeypatch.delenv(cache.SWITCH_VAR, raising=False)
    monkeypatch.setattr(loader, "_cache", {})
    monkeypatch.setattr(evaluation, "_by_name", {})
    yield where


def forget() -> None:
    """A new process, as far as loading goes: the in-memory cache is empty."""
    loader._cache.clear()
    evaluation._by_name.clear()


def units(kind: str, count: int = 6) -> list[dict[str, Any]]:
    """Sample records of a unit kind: communes and villages from their files, the units above
    them from the province data set's sections."""
    if kind in SAMPLES:
        rows: list[dict[str, Any]] = json.loads(SAMPLES[kind].read_text("utf-8"))["units"]
    else:
        data = json.loads(PROVINCE_SAMPLE.read_text("utf-8"))
        rows = data[unit_kind(kind).section]
    return rows[:count]


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in root.rglob("*")
        if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


# -- a cached load is the same load -------------------------------------------------------------
@pytest.mark.parametrize("ruleset_id", sorted(ruleset_files()))
def test_cached_load_equals_fresh_load(folder: Path, reads: Reads, ruleset_id: str) -> None:
    path = ruleset_files()[ruleset_id]
    fresh = load_ruleset(path)
    assert reads.files, "the first load parses the files"
    forget()
    reads.files.clear()
    cached = load_ruleset(path)
    assert reads.files == [], "the second load comes from the cache"
    assert cached is not fresh
    assert cached == fresh
    assert cached.content_hash == fresh.content_hash
    one, other = Evaluator(fresh), Evaluator(cached)
    known = {f.name for f in attrs.fields(fresh.model)}
    for row in units(fresh.unit):
        record = {k: v for k, v in row.items() if k in known}  # a special district reads fewer
        year = max(record.get("year") or 0, fresh.valid_from.year + 1)  # within the set's validity
        assert (
            one.evaluate(record, year=year).to_dict() == other.evaluate(record, year=year).to_dict()
        )


def test_the_folder_and_entries_are_private(folder: Path) -> None:
    load_ruleset(SONLA)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    entries = list(folder.iterdir())
    assert len(entries) == 2  # Sơn La and the national set it extends
    for entry in entries:
        assert entry.suffix == ".pickle"
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600


# -- what misses the cache ----------------------------------------------------------------------
def test_an_edited_file_or_dependency_misses(folder: Path, reads: Reads, tmp_path: Path) -> None:
    work = tmp_path / "work"
    create(work, ["vn", "sonla"])
    sonla = work / "son-la" / "commune-ntm-2021.yaml"
    national = work / "national" / "commune-ntm-2021.yaml"
    first = load_ruleset(sonla)
    forget()
    edit(national, INCOME, "by: {general: 48, tdmnpb: 40,")  # a file Sơn La draws on
    reads.files.clear()
    second = load_ruleset(sonla)
    assert str(national) in reads.files
    assert second.content_hash != first.content_hash
    assert second.parameters["income_per_capita"] != first.parameters["income_per_capita"]
    forget()
    edit(sonla, "\nversion:", "\n# an author's comment\nversion:")  # the file itself
    reads.files.clear()
    third = load_ruleset(sonla)
    assert str(sonla) in reads.files
    assert third.content_hash != second.content_hash
    forget()
    reads.files.clear()
    assert load_ruleset(sonla) == third
    assert reads.files == []


def test_a_changed_search_path_misses(folder: Path, reads: Reads, tmp_path: Path) -> None:
    """The bundled Sơn La set refers to the national set by id: with a working folder holding
    an edited national set, that id resolves elsewhere and the stored entry does not apply."""
    bundled = load_ruleset(SONLA)
    work = tmp_path / "national-only"
    work.mkdir()
    (work / NATIONAL.name).write_text(
        NATIONAL.read_text("utf-8").replace(INCOME, "by: {general: 48, tdmnpb: 40,"), "utf-8"
    )
    forget()
    with use_rulesets([work]):
        reads.files.clear()
        edited = load_ruleset(SONLA)
        assert str(work / NATIONAL.name) in reads.files
        assert edited.content_hash != bundled.content_hash
    forget()
    assert load_ruleset(SONLA).content_hash == bundled.content_hash


# -- what is never read -------------------------------------------------------------------------
def entries(where: Path) -> list[Path]:
    return sorted(p for p in where.iterdir() if p.suffix == ".pickle")


@given(content=st.binary(max_size=200))
@settings(max_examples=25)
def test_any_damaged_entry_is_ignored(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    where = tmp_path_factory.mktemp("cache")
    saved = loader._cache.copy()
    os.environ[cache.DIR_VAR] = str(where)
    try:
        loader._cache.clear()
        fresh = load_ruleset(SONLA)
        for entry in entries(where):
            entry.write_bytes(content)
        loader._cache.clear()
        assert load_ruleset(SONLA) == fresh
    finally:
        loader._cache.clear()
        loader._cache.update(saved)


def test_a_foreign_entry_is_ignored(
    folder: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_ruleset(NATIONAL)
    forget()
    monkeypatch.setattr(cache.os, "getuid", lambda: os.geteuid() + 1)
    reads.files.clear()
    load_ruleset(NATIONAL)
    assert reads.files == [str(NATIONAL)]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_group_writable_entry_is_ignored(folder: Path, reads: Reads, what: str) -> None:
    load_ruleset(NATIONAL)
    forget()
    for path in entries(folder) if what == "file" else [folder]:
        path.chmod(0o664 if what == "file" else 0o775)
    reads.files.clear()
    load_ruleset(NATIONAL)
    assert reads.files == [str(NATIONAL)]


def test_an_entry_for_another_file_is_ignored(folder: Path, reads: Reads) -> None:
    """An entry copied over another file's name (or a name collision) is not used."""
    load_ruleset(NATIONAL)
    load_ruleset(SONLA)
    forget()
    national_entry = cache._entry_file(folder, NATIONAL.resolve())
    sonla_entry = cache._entry_file(folder, SONLA.resolve())
    sonla_entry.write_bytes(national_entry.read_bytes())
    reads.files.clear()
    assert load_ruleset(SONLA).id == SONLA_NTM
    assert str(SONLA) in reads.files


def test_disabled_by_the_environment(
    folder: Path, reads: Reads, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.SWITCH_VAR, "0")
    load_ruleset(SONLA)
    assert not folder.exists()
    monkeypatch.delenv(cache.SWITCH_VAR)
    load_ruleset(SONLA)  # from memory: still nothing stored
    forget()
    load_ruleset(SONLA)
    assert len(entries(folder)) == 2
    forget()
    monkeypatch.setenv(cache.SWITCH_VAR, "0")
    reads.files.clear()
    load_ruleset(SONLA)
    assert len(reads.files) == 2  # the entries are there but not read


def test_nothing_is_written_outside_the_cache(folder: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    create(work, ["vn", "sonla"])
    before = snapshot(tmp_path)
    with use_rulesets([work]):
        for ruleset_id in sorted(ruleset_files()):
            load_ruleset(ruleset_files()[ruleset_id])
    after = {k: v for k, v in snapshot(tmp_path).items() if not k.startswith("cache/")}
    assert after == before
    assert [p.name for p in folder.iterdir() if p.name.startswith(".tmp-")] == []


def test_old_entries_are_pruned(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 3)
    folder.mkdir(mode=0o700)
    for n in range(5):
        old = folder / f"{n:064x}.pickle"
        old.write_bytes(b"an older library's entry")
        os.utime(old, ns=(n * 10**9, n * 10**9))
    left = folder / ".tmp-left-by-a-killed-process.pickle"
    left.write_bytes(b"")
    os.utime(left, (0, 0))
    load_ruleset(NATIONAL)
    kept = [p.name for p in entries(folder)]
    assert len(kept) == 3
    assert cache._entry_file(folder, NATIONAL.resolve()).name in kept
    assert f"{4:064x}.pickle" in kept and f"{3:064x}.pickle" in kept
    assert not left.exists()
    forget()
    assert load_ruleset(NATIONAL).id == "vn.commune.ntm.2021"


# -- the one-liner keeps its evaluator ----------------------------------------------------------
def test_the_one_liner_reuses_its_evaluator(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = evaluator_for(SONLA_NTM)
    lookups: list[object] = []
    real = evaluation.get_ruleset
    monkeypatch.setattr(evaluation, "get_ruleset", lambda ref: lookups.append(ref) or real(ref))
    for row in units("commune", 3):
        assert evaluate(SONLA_NTM, row).to_dict() == first.evaluate(row).to_dict()
    assert evaluator_for(SONLA_NTM) is first
    assert lookups == [], "no lookup while nothing changed"


def test_the_one_liner_sees_an_edit_and_the_search_path(folder: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    create(work, ["sonla"])
    target = work / "son-la" / "commune-ntm-2021.yaml"
    edit(target, "\nversion:", "\n# the author's copy\nversion:")
    bundled = evaluator_for(SONLA_NTM)
    with use_rulesets([work]):
        mine = evaluator_for(SONLA_NTM)
        assert mine is not bundled
        assert Path(mine.ruleset.file) == target
        assert evaluator_for(SONLA_NTM) is mine
        edit(target, "\nversion:", "\n# edited\nversion:")
        edited = evaluator_for(SONLA_NTM)
        assert edited is not mine
        assert edited.ruleset.content_hash != mine.ruleset.content_hash
        target.unlink()
        assert evaluator_for(SONLA_NTM) is bundled  # gone: the bundled file again
    assert evaluator_for(SONLA_NTM) is bundled
