"""Running the command line in tests: each call returns typer's result; ``ok`` and ``failed``
assert the exit code and that no traceback ever reaches the user."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner, Result

from ntm_rules.cli import app


def run(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=env)


def ok(result: Result) -> Result:
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output
    return result


def failed(result: Result, code: int = 1) -> str:
    """The single error line of a failed command."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(("Lỗi: ", "Error: ")), lines[0]
    return lines[0]
