"""Attack harness: the attacks of issue #6, re-run against the current code, with figures.

What it attacks, section by section (the counts are those of a full run):

1. records: 24,000 random rows for ``vn.commune.ntm.2021`` (valid, near-valid and junk: wrong
   types, huge and non-finite numbers, Unicode forms, lone surrogates, control characters,
   duplicate keys and columns, JSON nested 100,000 deep, ambiguous CSV numbers, short rows,
   duplicate codes) through ``evaluate``, ``Evaluator.evaluate`` and ``load_records`` on JSON
   and CSV files. Only the library's errors may escape; a row read silently wrong is counted.
2. rulesets: 2,400 mutated copies of ``tests/fixtures/minimal-valid.yaml`` and of the national
   ruleset, and generated rulesets up to 1,400 indicators and 64 criteria, each through
   ``load_ruleset``, ``prove_runs`` (what ``ntm-rules validate`` does) and, when it validates,
   5 evaluations. Run in worker processes, so that an abort or a segfault is counted.
3. hand-made files (459 cases): one group per finding of the issue (text literals, engine
   limits, numbers the engine cannot hold, division by zero, ``--output`` to links, FIFOs and
   devices, duplicate keys, ambiguous numbers, years and dates, a 4 MB comment line, non-UTF-8
   neighbours, line endings and the content hash, usage errors, messages that show numbers
   exactly, YAML tags and expression injection), each with its expected outcome.
4. one process: 200,000 evaluations of the national ruleset; memory, engine rulesets, rate.
   It runs in the background, beside sections 5-7 (one core each).
5. threads: 4 threads evaluate the same 500 records; every result equals the sequential one.
6. forks: 30 forks while 2 threads evaluate; each child evaluates and builds an evaluator.
7. kills: ``ntm-rules evaluate ... --output OUT`` killed by SIGTERM, SIGINT, SIGHUP and SIGKILL
   at random moments; OUT must be the old content or the complete new one, and no temporary
   file may be left once a later run has written OUT.

Run from the repository root, in the project's environment::

    python benchmarks/attack.py            # full run: 8 to 12 minutes on 2 cores
    python benchmarks/attack.py --quick    # smoke run: about 1.5 minutes
    python benchmarks/attack.py --json attack.json

The report is plain text, at most 80 columns; the exit code is 1 if any attack found a
failure. Every random choice derives from ``--seed``, so a failure can be replayed.

This file is the entry point; the attacks are in the package ``benchmarks/attacks/``, one
module per section (its ``__init__`` lists them). Worker processes run this file again with
``--worker``.
"""

import sys

from attacks.cli import main

if __name__ == "__main__":
    sys.exit(main())
