"""ntm-rules: Vietnam's New Rural Development (nông thôn mới) criteria as declarative rulesets.

Three lines from a dict to a JSON-ready result::

    from ntm_rules import evaluate
    result = evaluate("vn.commune.ntm.2021", {"code": "14103", "region": "tdmnpb", "year": 2024})
    print(result.status, result.criteria_met, result.to_dict())

Ids are looked for in the folders of ``use_rulesets(...)``, then ``NTM_RULES_PATH``, then the
bundled sets (:mod:`ntm_rules.ruleset.search`)::

    with use_rulesets(["my-rulesets"]):
        result = evaluate("sonla.commune.ntm.2021", record)

A province, its districts and towns and their communes, from one data set::

    report = evaluate_province("examples/sonla-province-2023.json", "sonla.province.2021")
    report.to_dict()  # units, aggregates with the members behind them, progress, targets
"""

from .aggregate.dataset import DataSet, read_data_set
from .aggregate.report import DataSetReport, evaluate_data_set, evaluate_province
from .batch import evaluate_many
from .errors import (
    EngineError,
    EvaluationError,
    InputError,
    NtmRulesError,
    RulesetError,
    RulesetErrors,
)
from .evaluation import Evaluator, evaluate, evaluator_for
from .models.commune import Commune
from .models.commune_2021 import Commune2021
from .result import CriterionResult, EvaluationResult, IndicatorResult
from .ruleset.loader import load_ruleset
from .ruleset.model import Ruleset
from .ruleset.registry import get_ruleset, ruleset_files
from .ruleset.search import search_path, use_rulesets

__version__ = "0.1.0"

__all__ = [
    "Commune",
    "Commune2021",
    "CriterionResult",
    "DataSet",
    "DataSetReport",
    "EngineError",
    "EvaluationError",
    "EvaluationResult",
    "Evaluator",
    "IndicatorResult",
    "InputError",
    "NtmRulesError",
    "Ruleset",
    "RulesetError",
    "RulesetErrors",
    "__version__",
    "evaluate",
    "evaluate_data_set",
    "evaluate_many",
    "evaluate_province",
    "evaluator_for",
    "get_ruleset",
    "load_ruleset",
    "read_data_set",
    "ruleset_files",
    "search_path",
    "use_rulesets",
]
