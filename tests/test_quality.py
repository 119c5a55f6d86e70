"""The code stays ruff- and mypy-clean, and ruleset files stay valid: part of the test suite so
that the one test command (and CI) checks them."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE = ["ntm_rules", "tests", "examples", "benchmarks"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_lint() -> None:
    proc = run("ruff", "check", *CODE)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_ruff_format() -> None:
    proc = run("ruff", "format", "--check", *CODE)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_mypy_strict() -> None:
    proc = run("mypy", "ntm_rules")
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", sorted((ROOT / "rulesets").rglob("*.yaml")), ids=lambda p: p.name)
def test_ruleset_files_are_nfc_utf8(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)


def test_library_never_prints() -> None:
    """Library code logs; only the command line writes to the terminal."""
    offenders = []
    for path in (ROOT / "ntm_rules").rglob("*.py"):
        if "cli" in path.relative_to(ROOT).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "print"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Attribute) and node.attr in ("stdout", "stderr"):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_readme_python_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    """The Python snippets of the README run as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})  # our own documentation, not a ruleset
    out = capsys.readouterr().out
    assert "not_met 0 19" in out and "Chưa đạt chuẩn nông thôn mới" in out
