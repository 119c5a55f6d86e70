"""The report: plain text, at most 80 columns (a block of figures per section, then the
failures grouped by kind, then the verdict), and the JSON document of ``--json``."""

from __future__ import annotations

import contextlib
import subprocess
import textwrap
from collections import Counter
from typing import Any

from . import REPO
from .common import Section

WIDTH = 80


def git(*args: str) -> str:
    """What ``git ARGS`` prints in the repository."""
    command = ["git", "-C", str(REPO), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()


def commit() -> str:
    """The commit under attack, ``+dirty`` when the library has uncommitted changes."""
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", "ntm_rules", "rulesets")
        return (head or "?") + ("+dirty" if dirty else "")
    return "?"


def section_lines(section: Section, lines: list[str]) -> list[str]:
    """``records      24000  evaluated ...``: the section's first line, then the others
    indented under the figures, every line at most 80 columns."""
    head = f"{section.title:<13} {section.total:>6}  "
    out: list[str] = []
    indent = " " * len(head)
    for n, line in enumerate(lines):
        words = textwrap.wrap(line, WIDTH - len(head), break_long_words=True) or [""]
        for k, part in enumerate(words):
            out.append((head if n == 0 and k == 0 else indent) + part)
    return out


def failure_lines(sections: list[Section]) -> list[str]:
    """The failures by kind, most frequent first, each with its first example."""
    failures = [f for s in sections for f in s.failures]
    lines = [f"FAILURES by kind ({len(failures)} in all; every one in --json):"] if failures else []
    kinds = Counter(k for s in sections for k in s.kinds)
    for kind, count in kinds.most_common():
        example = next(
            f for s in sections for f, k in zip(s.failures, s.kinds, strict=True) if k == kind
        )
        lines += textwrap.wrap(f"{count:>4} x {kind}", WIDTH, subsequent_indent=" " * 8)
        lines += textwrap.wrap(
            f"e.g. {example}",
            WIDTH,
            initial_indent=" " * 8,
            subsequent_indent=" " * 10,
            break_long_words=True,
        )
    return lines


def text_report(header: str, sections: list[Section], attacked: str, elapsed: float) -> str:
    """The report of ``sections``, numbered and in order; their report lines are taken out of
    their extra figures (``--json`` has the figures themselves)."""
    lines = [header[:WIDTH], "=" * min(WIDTH, len(header))]
    for section in sections:
        lines += section_lines(section, section.extra.pop("lines", []))
    lines.append("-" * WIDTH)
    lines += failure_lines(sections)
    if commit() != attacked:  # worker processes import the library afresh
        lines.append(f"WARNING: the code changed during the run ({attacked} -> {commit()})")
    minutes, seconds = divmod(round(elapsed), 60)
    failures = sum(len(s.failures) for s in sections)
    verdict = "no failures" if not failures else f"{failures} failure(s)"
    lines.append(f"RESULT: {verdict}  (run time {minutes}m{seconds:02d}s)")
    return "\n".join(lines)


def json_document(
    how: dict[str, Any], sections: list[Section], attacked: str, elapsed: float
) -> dict[str, Any]:
    """What ``--json`` saves: how the run was made (``how``: mode, seed, jobs), then every
    section's figures and every failure."""
    return {
        **how,
        "commit": attacked,
        "commit_at_end": commit(),
        "seconds": round(elapsed, 1),
        "failures": [f for s in sections for f in s.failures],
        "sections": {s.key: s.to_dict() for s in sections},
    }
