"""``evaluate --format jsonl``: one compact JSON document per line, produced as units are
evaluated and never kept: a header line (``"kind": "header"``: the ruleset, or the ladder and
its levels' rulesets, the data file and its number of units), one line per unit (its result's
``to_dict()``, in input order), and a summary line (``"kind": "summary"``), counted as the units
pass.

With ``--detail standard`` or ``summary`` (:mod:`ntm_rules.compact`) the header also states the
form and what the units share (the tables of a batch document, as known after the first units)
and each unit line holds only what varies; a ``"kind": "definitions"`` line states the table
entries later units bring (another region's parameters) before their lines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..aggregate.tally import LadderTally, Tally
from ..batch import evaluate_many
from ..compact import FULL, STREAM_FORMAT, Shared
from ..compact.document import definitions_line, header_fields
from ..ladder import Ladder, LadderResult, level_rulesets
from ..result import EvaluationResult
from ..ruleset.model import Ruleset
from .output import compact_json
from .results import ruleset_ref

# units evaluated together before their lines are written: a batch for the engine, a few
# hundred kilobytes of results at most in memory
CHUNK = 100

Batches = Iterable[Sequence[EvaluationResult] | Sequence[LadderResult]]


def jsonl_lines(
    rules: Ruleset | Ladder,
    found: Sequence[Any],
    data: Path,
    year: int | None,
    detail: str = FULL,
) -> Iterator[str]:
    """The lines of a ruleset's or a ladder's results on the records ``found`` in ``data``."""
    starts = range(0, len(found), CHUNK)
    tally: Tally | LadderTally
    if isinstance(rules, Ladder):
        levels = level_rulesets(rules)
        reference: dict[str, Any] = {
            "ladder": rules.id,
            "ladder_file": rules.file,
            "rulesets": [ruleset_ref(level) for level in levels],
        }
        tally = LadderTally(rules, levels)
    else:
        reference = {"ruleset": ruleset_ref(rules)}
        tally = Tally(rules)
    batches: Batches = (evaluate_many(rules, found[s : s + CHUNK], year=year) for s in starts)
    header = {"kind": "header", **reference, "data": str(data), "units": len(found)}
    if detail == FULL:
        yield compact_json(header)
        for batch in batches:
            for result in batch:
                tally.add(result)  # type: ignore[arg-type]
                yield compact_json(result.to_dict())
    else:
        yield from _compact_lines(header, batches, tally, detail)
    yield compact_json({"kind": "summary", "summary": tally.summary()})


def _compact_lines(
    header: dict[str, Any], batches: Batches, tally: Tally | LadderTally, detail: str
) -> Iterator[str]:
    """The header (written after the first batch, with the tables it fills), then per batch a
    ``definitions`` line if the batch brought new table entries, and its unit lines."""
    shared = Shared(detail)
    header = {**header, "format": STREAM_FORMAT, **header_fields(shared)}
    written = False
    for batch in batches:
        records = []
        for result in batch:
            tally.add(result)  # type: ignore[arg-type]
            records.append(shared.unit(result.to_dict()))
        if not written:
            shared.fresh()
            yield compact_json({**header, "shared": shared.tables})
            written = True
        elif (definitions := definitions_line(shared)) is not None:
            yield compact_json(definitions)
        for record in records:
            yield compact_json(record)
    if not written:
        yield compact_json({**header, "shared": shared.tables})
