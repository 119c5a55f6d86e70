"""The ruleset search path: a rule author's edited folder always takes effect, and every place
that names a file names the one actually loaded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cli_support import failed, ok, run
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm_rules import evaluate, get_ruleset, use_rulesets
from ntm_rules.errors import NtmRulesError, RulesetError
from ntm_rules.ruleset.files import FOLDER_MARKER, catalogue, find_ruleset_file
from ntm_rules.ruleset.format_schema import ruleset_schema
from ntm_rules.ruleset.search import BUNDLED, ENV_VAR, OPTION, bundled_dir, search_path
from ntm_rules.workfolder import create

ROOT = Path(__file__).resolve().parent.parent
COMMUNES = ROOT / "examples" / "sonla-communes-2023.json"
SONLA_NTM = "sonla.commune.ntm.2021"
SONLA_LADDER = "sonla.commune.2021"
# Sơn La's 2022-2024 income level, raised above the national TDMNPB value (39) for the test
OVERRIDE = """
overrides:
  - parameter: income_per_capita
    from: 2022-06-06
    until: 2024-12-31
    by: {tdmnpb: %s}
    source: {doc: sl1002, part: "Phụ lục I", item: "10"}
    verified: false
    note: "a value for the test"
"""


def working_folder(tmp_path: Path, income: float | None = None) -> Path:
    """``ntm-rules init`` for Sơn La, with Sơn La's income level set to ``income``."""
    folder = tmp_path / "work"
    create(folder, ["sonla"])
    if income is not None:
        target = folder / "son-la" / "commune-ntm-2021.yaml"
        target.write_text(target.read_text(encoding="utf-8") + OVERRIDE % income, "utf-8")
    return folder


def record(income: float) -> dict[str, object]:
    return {"code": "X1", "region": "tdmnpb", "year": 2023, "income_per_capita": income}


def income_status(result_dict: dict[str, object]) -> str:
    for criterion in result_dict["criteria"]:  # type: ignore[attr-defined]
        for indicator in criterion["indicators"]:
            if indicator["id"] == "10":
                return str(indicator["status"])
    raise AssertionError("indicator 10 not found")


# -- resolution order ---------------------------------------------------------------------------
def test_bundled_only_by_default() -> None:
    assert [entry.origin for entry in search_path()] == [BUNDLED]
    assert Path(get_ruleset(SONLA_NTM).file).is_relative_to(bundled_dir())


def test_user_folder_wins_and_edit_takes_effect(tmp_path: Path) -> None:
    folder = working_folder(tmp_path, income=42)
    assert income_status(evaluate(SONLA_NTM, record(40)).to_dict()) == "met"  # national 39
    with use_rulesets([folder]):
        result = evaluate(SONLA_NTM, record(40)).to_dict()
        assert income_status(result) == "not_met"  # Sơn La 42
        assert Path(result["ruleset"]["file"]) == folder / "son-la" / "commune-ntm-2021.yaml"
        # an edit is read on the next call, in the same process
        target = folder / "son-la" / "commune-ntm-2021.yaml"
        target.write_text(target.read_text("utf-8").replace("tdmnpb: 42", "tdmnpb: 40"), "utf-8")
        again = evaluate(SONLA_NTM, record(40)).to_dict()
        assert income_status(again) == "met"
        assert again["ruleset"]["content_hash"] != result["ruleset"]["content_hash"]
    # outside the block: the bundled set again
    assert income_status(evaluate(SONLA_NTM, record(40)).to_dict()) == "met"


def test_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = working_folder(tmp_path, income=42)
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(tmp_path / "empty"), str(folder)]))
    (tmp_path / "empty").mkdir()
    assert [entry.origin for entry in search_path()] == ["environment", "environment", BUNDLED]
    assert income_status(evaluate(SONLA_NTM, record(40)).to_dict()) == "not_met"
    # the option comes before the variable
    other = tmp_path / "other"
    create(other, ["sonla"])
    with use_rulesets([other]):
        assert search_path()[0].origin == OPTION
        assert income_status(evaluate(SONLA_NTM, record(40)).to_dict()) == "met"


def test_a_missing_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(NtmRulesError, match="does not exist"), use_rulesets([tmp_path / "no"]):
        pass
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "typo"))
    with pytest.raises(NtmRulesError, match="NTM_RULES_PATH"):
        get_ruleset(SONLA_NTM)


def test_a_bundled_ladder_uses_the_edited_level(tmp_path: Path) -> None:
    """Only the edited level is in the user's folder: the bundled ladder and the bundled levels
    above it must still use it, never silently the installed copy."""
    folder = tmp_path / "only-one"
    folder.mkdir()
    source = bundled_dir() / "son-la" / "commune-ntm-2021.yaml"
    (folder / source.name).write_text(source.read_text("utf-8") + OVERRIDE % 42, "utf-8")
    with use_rulesets([folder]):
        upper = get_ruleset("sonla.commune.nang-cao.2021")
        lower = find_ruleset_file(SONLA_NTM, Path(upper.file))
        assert lower == folder / source.name


def test_working_folder_refers_to_itself_first(tmp_path: Path) -> None:
    """Validating a file of a working folder without --rulesets still uses the folder's copies."""
    folder = tmp_path / "work"
    create(folder, ["sonla", "vn"])
    assert (folder / FOLDER_MARKER).is_file()
    provincial = folder / "son-la" / "commune-ntm-2021.yaml"
    found = find_ruleset_file("vn.commune.ntm.2021", provincial)
    assert found == folder / "national" / "commune-ntm-2021.yaml"


def test_two_files_with_one_id_is_an_error(tmp_path: Path) -> None:
    folder = working_folder(tmp_path)
    original = folder / "son-la" / "commune-ntm-2021.yaml"
    shutil.copyfile(original, folder / "son-la" / "commune-ntm-2021 (copy).yaml")
    with use_rulesets([folder]), pytest.raises(RulesetError, match="several files"):
        get_ruleset(SONLA_NTM)


def test_catalogue_names_shadowed_files(tmp_path: Path) -> None:
    folder = working_folder(tmp_path)
    with use_rulesets([folder]):
        entries = {entry.id: entry for entry in catalogue()}
    assert entries[SONLA_NTM].file.is_relative_to(folder)
    assert entries[SONLA_NTM].shadows == (bundled_dir() / "son-la" / "commune-ntm-2021.yaml",)
    assert entries["vn.commune.ntm.2021"].installed and not entries[SONLA_NTM].installed


def test_search_path_is_local_to_each_thread(tmp_path: Path) -> None:
    folder = working_folder(tmp_path, income=42)
    seen: dict[str, str] = {}

    def other_thread() -> None:
        seen["other"] = income_status(evaluate(SONLA_NTM, record(40)).to_dict())

    with use_rulesets([folder]):
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        seen["this"] = income_status(evaluate(SONLA_NTM, record(40)).to_dict())
    assert seen == {"other": "met", "this": "not_met"}


@settings(max_examples=15, deadline=None)
@given(
    income=st.integers(min_value=39, max_value=60), value=st.integers(min_value=30, max_value=70)
)
def test_the_working_folder_decides(
    tmp_path_factory: pytest.TempPathFactory, income: int, value: int
) -> None:
    """Whatever level Sơn La sets, the edited folder's level is the one applied."""
    folder = working_folder(tmp_path_factory.mktemp("w"), income=income)
    with use_rulesets([folder]):
        status = income_status(evaluate(SONLA_NTM, record(value)).to_dict())
    assert status == ("met" if value >= income else "not_met")


# -- the command line ---------------------------------------------------------------------------
def test_cli_option_changes_evaluate_explain_and_gap(tmp_path: Path) -> None:
    folder = working_folder(tmp_path, income=55)
    for command in ("evaluate", "explain", "gap"):
        extra = ["-u", "SL-100"] if command != "evaluate" else ["-f", "csv"]
        args = [command, "-r", SONLA_LADDER, COMMUNES, *extra]
        before = ok(run(*args)).stdout
        after = ok(run(*args, "--rulesets", folder)).stdout
        assert before != after, command
        by_env = ok(run(*args, env={ENV_VAR: str(folder)})).stdout
        assert by_env == after, command


def test_cli_rulesets_lists_files_and_search_path(tmp_path: Path) -> None:
    folder = working_folder(tmp_path)
    found = json.loads(ok(run("rulesets", "-f", "json", "--rulesets", folder)).stdout)
    assert [entry["origin"] for entry in found["search_path"]] == [OPTION, BUNDLED]
    by_id = {info["id"]: info for info in found["rulesets"] + found["ladders"]}
    assert Path(by_id[SONLA_NTM]["file"]).is_relative_to(folder)
    assert by_id[SONLA_NTM]["shadows"] and not by_id[SONLA_NTM]["installed_copy"]
    assert Path(by_id[SONLA_LADDER]["file"]).is_relative_to(folder)
    table = ok(run("rulesets", "--rulesets", folder)).stdout
    assert "Thư mục được tìm" in table and "che tệp cùng mã" in table


def test_cli_bad_folder(tmp_path: Path) -> None:
    line = failed(run("evaluate", "-r", SONLA_NTM, COMMUNES, "--rulesets", tmp_path / "no"))
    assert "--rulesets" in line


def test_cli_init(tmp_path: Path) -> None:
    target = tmp_path / "ws"
    out = ok(run("init", target, "--province", "sonla")).stdout
    assert "ntm-rules validate" in out
    assert (target / "son-la" / "commune-ladder-2021.yaml").is_file()
    assert not (target / "national").exists()
    assert (target / "son-la" / "tests" / "commune-ntm-2021.test.yaml").is_file()
    schema = json.loads((target / "ruleset.schema.json").read_text("utf-8"))
    assert schema == ruleset_schema()
    settings = json.loads((target / ".vscode" / "settings.json").read_text("utf-8"))
    assert settings == {"yaml.schemas": {"./ruleset.schema.json": ["*/*.yaml"]}}
    assert ok(run("init", target, "--national")).stdout  # adds the national sets beside
    assert (target / "national" / "commune-ntm-2021.yaml").is_file()
    line = failed(run("init", target, "--province", "sonla"))
    assert "không ghi đè" in line
    assert "--province" in failed(run("init", tmp_path / "x"), code=2)
    assert "hanoi" in failed(run("init", tmp_path / "y", "-p", "hanoi", "--lang", "en"))
    assert ok(run("validate", target)).stdout.count("OK") >= 7


# -- as installed from a wheel ------------------------------------------------------------------
@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A non-editable install of this checkout, importable on its own (dependencies from the
    running environment)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return target


def run_installed(
    site: Path, cwd: Path, *args: str | Path, env: dict[str, str] | None = None
) -> str:
    code = "import sys; from ntm_rules.cli import main; sys.argv[0] = 'ntm-rules'; main()"
    environment = {**os.environ, "PYTHONPATH": str(site)}
    environment.pop(ENV_VAR, None)
    environment.update(env or {})
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_installed_package_sees_the_working_folder(installed: Path, tmp_path: Path) -> None:
    site = installed
    where = subprocess.run(
        [sys.executable, "-c", "import ntm_rules.ruleset.search as s; print(s.bundled_dir())"],
        env={**os.environ, "PYTHONPATH": str(site)},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(where).is_relative_to(site), "the test must run the installed copy"
    run_installed(site, tmp_path, "init", "work", "--province", "sonla")
    folder = tmp_path / "work"
    target = folder / "son-la" / "commune-ntm-2021.yaml"
    target.write_text(target.read_text("utf-8") + OVERRIDE % 55, "utf-8")
    data = shutil.copy(COMMUNES, tmp_path / "communes.json")
    for command, extra in (
        ("evaluate", ["-f", "csv"]),
        ("explain", ["-u", "SL-100"]),
        ("gap", ["-u", "SL-100"]),
    ):
        args = [command, "-r", SONLA_LADDER, data, *extra]
        before = run_installed(site, tmp_path, *args)
        after = run_installed(site, tmp_path, *args, "--rulesets", folder)
        assert before != after, command
        assert run_installed(site, tmp_path, *args, env={ENV_VAR: str(folder)}) == after
    listing = run_installed(site, tmp_path, "rulesets", "--lang", "en")
    assert "installed copy inside the package" in listing
    audit = run_installed(site, tmp_path, "audit", "-r", SONLA_NTM, "--rulesets", folder)
    assert "work/son-la/commune-ntm-2021.yaml" in audit


def test_a_cached_ruleset_follows_the_search_path(tmp_path: Path) -> None:
    """A bundled provincial set loaded once with the bundled national set, then with a working
    folder holding an edited national set: the second load uses the edited one."""
    folder = tmp_path / "national-only"
    folder.mkdir()
    national = bundled_dir() / "national" / "commune-ntm-2021.yaml"
    text = national.read_text("utf-8").replace(
        "by: {general: 48, tdmnpb: 39,", "by: {general: 48, tdmnpb: 40,"
    )
    assert "tdmnpb: 40," in text
    (folder / national.name).write_text(text, "utf-8")
    assert income_status(evaluate(SONLA_NTM, record(39.5)).to_dict()) == "met"
    with use_rulesets([folder]):
        assert income_status(evaluate(SONLA_NTM, record(39.5)).to_dict()) == "not_met"
    assert income_status(evaluate(SONLA_NTM, record(39.5)).to_dict()) == "met"


def test_a_file_added_or_removed_is_seen_at_once(tmp_path: Path) -> None:
    """Folder listings are cached; a file added in a subfolder, or removed, is seen on the next
    lookup."""
    folder = tmp_path / "work"
    create(folder, ["sonla"])
    with use_rulesets([folder]):
        assert Path(get_ruleset(SONLA_NTM).file).is_relative_to(folder)
        nested = folder / "son-la" / "extra" / "deeper"
        nested.mkdir(parents=True)
        source = folder / "son-la" / "commune-ntm-2021.yaml"
        text = source.read_text("utf-8").replace(f"id: {SONLA_NTM}", "id: sonla.commune.extra.2021")
        (nested / "extra.yaml").write_text(text, "utf-8")
        assert get_ruleset("sonla.commune.extra.2021").id == "sonla.commune.extra.2021"
        source.unlink()
        assert Path(get_ruleset(SONLA_NTM).file).is_relative_to(bundled_dir())
