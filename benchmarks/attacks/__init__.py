"""The attack harness of ``benchmarks/attack.py``, one module per section and what they share:

- ``common``: the files attacked, text helpers, :class:`~attacks.common.Section` (the figures);
- ``workers``: cases run in worker processes (this harness re-run with ``--worker``);
- ``record_cases``, ``records``: section 1, random and malformed records;
- ``ruleset_cases``, ``rulesets``: section 2, mutated and generated rulesets;
- ``handmade``: section 3, one module per finding of issue #6, run by ``handmade.section``;
- ``process``: sections 4-6, one process, threads and forks;
- ``kills``: section 7, ``evaluate --output`` killed by signals;
- ``report``: the text report and the JSON document; ``cli``: the command line.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # the generators of test rulesets: tests/generated_rulesets.py
    sys.path.append(str(REPO))
