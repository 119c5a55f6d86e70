"""Shared fixtures and Hypothesis profiles.

Profiles: ``dev`` (default) and ``ci`` (derandomised, so a CI run is reproducible; used when
``CI`` is set); choose one with ``HYPOTHESIS_PROFILE``. Tests set their own ``max_examples``; profiles only set what
must hold everywhere (no deadline: the first evaluation compiles the ruleset).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The oracle and strategies are plain modules next to the tests; make them importable whether
# or not ``tests`` is a package.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from oracle import NATIONAL_2021, Oracle

from ntm_rules import evaluator_for
from ntm_rules.evaluation import Evaluator

NATIONAL_ID = "vn.commune.ntm.2021"

# The suite tests the bundled rulesets: a rule author's NTM_RULES_PATH must not replace them.
os.environ.pop("NTM_RULES_PATH", None)
# ... and the suite never reads or writes the user's ruleset cache (child processes inherit it).
_CACHE = tempfile.mkdtemp(prefix="ntm-rules-test-cache-")
os.environ["NTM_RULES_CACHE_DIR"] = _CACHE
os.environ.pop("NTM_RULES_CACHE", None)
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(scope="session")
def national() -> Evaluator:
    """The library's evaluator of the bundled national 2021-2025 commune ruleset."""
    evaluator = evaluator_for(NATIONAL_ID)
    assert Path(evaluator.ruleset.file).resolve() == NATIONAL_2021, (
        "the oracle must read the same file the library evaluates"
    )
    return evaluator


@pytest.fixture(scope="session")
def oracle() -> Oracle:
    """The independent interpreter of the same file."""
    return Oracle(NATIONAL_2021)
