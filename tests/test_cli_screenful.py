"""More units than a screen holds: the table lists those that matter most (recognised but
slipped, lacking data, nearest to the next level) and says how many it left out."""

from __future__ import annotations

import re
from pathlib import Path

from ntm_rules import evaluator_for
from ntm_rules.cli.ladders import ladder_rank, ladder_table
from ntm_rules.cli.output import render_text
from ntm_rules.cli.results import result_rank, results_table
from ntm_rules.ladder import evaluate_on_ladder, get_ladder, level_rulesets
from ntm_rules.models.structuring import load_records

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "sonla-communes-2023.json"


def test_a_ladder_table_lists_the_units_that_matter_most() -> None:
    ladder = get_ladder("sonla.commune.2021")
    levels = level_rulesets(ladder)
    placed = evaluate_on_ladder(ladder, load_records(SAMPLE, levels[-1].model))
    text = render_text(ladder_table(ladder, levels, placed, "vi", 200, 10))
    codes = set(re.findall(r"\bSL-\d{3}\b", text))
    shown = [p for p in placed if p.results[0].unit.code in codes]
    assert len(shown) == 10 and "Hiện 10/188 xã cần chú ý nhất" in text
    ranks = sorted(ladder_rank(p) for p in placed)
    assert sorted(ladder_rank(p) for p in shown) == ranks[:10]
    slipped = [p for p in placed if ladder_rank(p)[0] == 0]
    assert slipped and all(p in shown for p in slipped)  # recognised but slipped: always
    whole = render_text(ladder_table(ladder, levels, placed, "vi", 200))
    assert "cần chú ý nhất" not in whole


def test_a_ruleset_table_lists_the_units_that_matter_most() -> None:
    evaluator = evaluator_for("vn.commune.ntm.2021")
    results = evaluator.evaluate_many(load_records(SAMPLE, evaluator.ruleset.model))
    text = render_text(results_table(results, evaluator.ruleset, "en", 15))
    codes = set(re.findall(r"\bSL-\d{3}\b", text))
    shown = [r for r in results if r.unit.code in codes]
    assert len(shown) == 15 and "Showing the 15 of 188 communes" in text
    assert sorted(result_rank(r) for r in shown) == sorted(result_rank(r) for r in results)[:15]
