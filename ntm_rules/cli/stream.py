"""``evaluate --format jsonl``: one compact JSON document per line, produced as units are
evaluated and never kept: a header line (``"kind": "header"``: the ruleset, or the ladder and
its levels' rulesets, the data file and its number of units), one line per unit (its result's
``to_dict()``, in input order), and a summary line (``"kind": "summary"``), counted as the units
pass."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..ladder import Ladder, evaluate_on_ladder, level_rulesets
from ..ruleset.model import Ruleset
from .inputs import evaluate_all
from .ladders import LadderTally
from .output import compact_json
from .results import Tally, ruleset_ref

# units evaluated together before their lines are written: a batch for the engine, a few
# hundred kilobytes of results at most in memory
CHUNK = 100


def jsonl_lines(
    rules: Ruleset | Ladder, found: Sequence[Any], data: Path, year: int | None
) -> Iterator[str]:
    """The lines of a ruleset's or a ladder's results on the records ``found`` in ``data``."""
    if isinstance(rules, Ladder):
        return _ladder_lines(rules, found, data, year)
    return _ruleset_lines(rules, found, data, year)


def _ruleset_lines(
    ruleset: Ruleset, found: Sequence[Any], data: Path, year: int | None
) -> Iterator[str]:
    yield _header({"ruleset": ruleset_ref(ruleset)}, found, data)
    tally = Tally(ruleset)
    for start in range(0, len(found), CHUNK):
        for result in evaluate_all(ruleset, found[start : start + CHUNK], year):
            tally.add(result)
            yield compact_json(result.to_dict())
    yield compact_json({"kind": "summary", "summary": tally.summary()})


def _ladder_lines(
    ladder: Ladder, found: Sequence[Any], data: Path, year: int | None
) -> Iterator[str]:
    levels = level_rulesets(ladder)
    reference = {
        "ladder": ladder.id,
        "ladder_file": ladder.file,
        "rulesets": [ruleset_ref(level) for level in levels],
    }
    yield _header(reference, found, data)
    tally = LadderTally(ladder, levels)
    for start in range(0, len(found), CHUNK):
        for result in evaluate_on_ladder(ladder, found[start : start + CHUNK], year=year):
            tally.add(result)
            yield compact_json(result.to_dict())
    yield compact_json({"kind": "summary", "summary": tally.summary()})


def _header(reference: dict[str, Any], found: Sequence[Any], data: Path) -> str:
    return compact_json({"kind": "header", **reference, "data": str(data), "units": len(found)})
