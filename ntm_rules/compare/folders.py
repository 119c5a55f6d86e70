"""Two folders of rulesets compared: ids added and removed, and each pair with the same id
diffed (both loaded by path, so two versions of one id can be compared)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from ..ladder import load_ladder
from ..ruleset.files import ladder_files, ruleset_files
from ..ruleset.loader import load_ruleset
from ..ruleset.search import use_rulesets
from .diff import LadderDiff, RulesetDiff, diff_ladders, diff_rulesets


@attrs.frozen
class FolderDiff:
    before: str
    after: str
    added: tuple[str, ...]  # ruleset and ladder ids only in ``after``
    removed: tuple[str, ...]  # ... only in ``before``
    rulesets: tuple[RulesetDiff, ...]  # every id in both folders, in id order
    ladders: tuple[LadderDiff, ...]  # a ladder's own changes (its levels are in ``rulesets``)

    @property
    def empty(self) -> bool:
        pairs: tuple[RulesetDiff | LadderDiff, ...] = (*self.rulesets, *self.ladders)
        return not self.added and not self.removed and all(p.empty for p in pairs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "folders",
            "empty": self.empty,
            "before": self.before,
            "after": self.after,
            "added": list(self.added),
            "removed": list(self.removed),
            "rulesets": [d.to_dict() for d in self.rulesets],
            "ladders": [d.to_dict() for d in self.ladders],
        }


def diff_folders(before: Path, after: Path, *, partial: bool = False) -> FolderDiff:
    """Pair the rulesets and ladders of two folders by id and diff each pair. Each folder is
    read with itself first on the search path, so the ids its files refer to (``extends``,
    ``requires``, a ladder's levels) are its own. ``partial``: ``after`` holds only the ids
    being worked on (a working folder against the bundled sets), so ids it lacks are not
    reported as removed."""
    old_sets, new_sets = ruleset_files(before), ruleset_files(after)
    old_ladders, new_ladders = ladder_files(before), ladder_files(after)
    old_ids = old_sets.keys() | old_ladders.keys()
    new_ids = new_sets.keys() | new_ladders.keys()
    shared = sorted(old_sets.keys() & new_sets.keys())
    shared_ladders = sorted(old_ladders.keys() & new_ladders.keys())
    with use_rulesets([before]):
        old_rules = [load_ruleset(old_sets[i]) for i in shared]
        old_steps = [load_ladder(old_ladders[i]) for i in shared_ladders]
    with use_rulesets([after]):
        new_rules = [load_ruleset(new_sets[i]) for i in shared]
        new_steps = [load_ladder(new_ladders[i]) for i in shared_ladders]
    rulesets = tuple(diff_rulesets(a, b) for a, b in zip(old_rules, new_rules, strict=True))
    ladders = [
        diff_ladders((a, ()), (b, ()), levels=False)
        for a, b in zip(old_steps, new_steps, strict=True)
    ]
    return FolderDiff(
        before=str(before),
        after=str(after),
        added=tuple(sorted(new_ids - old_ids)),
        removed=() if partial else tuple(sorted(old_ids - new_ids)),
        rulesets=rulesets,
        ladders=tuple(ladders),
    )
