"""Comparing two versions of the rules: what changed in them (:mod:`.diff`, value by value over
regions and dates in :mod:`.values`; two folders in :mod:`.folders`) and what the change does to
the units of a data file (:mod:`.impact`)."""

from .diff import Change, LadderDiff, RulesetDiff, diff_ladders, diff_rulesets
from .folders import FolderDiff, diff_folders
from .impact import Flip, Impact, Reason, Standing, UnitImpact, impact

__all__ = [
    "Change",
    "Flip",
    "FolderDiff",
    "Impact",
    "LadderDiff",
    "Reason",
    "RulesetDiff",
    "Standing",
    "UnitImpact",
    "diff_folders",
    "diff_ladders",
    "diff_rulesets",
    "impact",
]
