"""Evaluating many units at once, in this process or over a pool of worker processes.

>>> from ntm_rules.batch import evaluate_many
>>> results = evaluate_many("vn.commune.ntm.2021", records, workers=2)  # doctest: +SKIP

With ``workers > 1`` the records go in chunks to ``workers`` processes started with the
``spawn`` method (never ``fork``: the rule engine is a C library with process-wide state, see
``docs/engine.md``). Each worker loads the ruleset or ladder itself from its file, with the
parent's search path (``use_rulesets`` folders and ``NTM_RULES_PATH``), and checks that it
loaded the same content (same content hashes) as the parent. Nothing of the engine is shared.
As with any ``spawn`` pool, a script that calls it with ``workers > 1`` must do so under
``if __name__ == "__main__":`` (the workers import the script's main module).

Results come back as result objects (:class:`EvaluationResult`, :class:`LadderResult`), the same
types as ``workers=1``: a worker sends each as the engine left it (statuses and fact, about 1 KB)
and this process attaches it to its own evaluator of the same ruleset, built before the pool
starts, so that it is as lazy and as explainable as a local result (``docs/performance.md``).

Errors: as in a sequential loop, the error of the first bad record in input order is raised
(an :class:`InputError` or :class:`EvaluationError` naming that record); the chunks after it
are cancelled and no partial list is returned. The pool is shut down before the call returns,
whatever happens: no process or thread outlives it (nor ``multiprocessing``'s resource tracker,
when the call started it).
"""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import resource_tracker
from pathlib import Path
from typing import Any, overload

import attrs

from . import detail
from .errors import NtmRulesError
from .evaluation import evaluator_for
from .ladder import Ladder, LadderResult, evaluate_on_ladder, level_rulesets, load_ladder
from .result import EvaluationResult
from .ruleset.files import find_in_search_path, is_ladder_file
from .ruleset.loader import load_ruleset
from .ruleset.model import Ruleset
from .ruleset.registry import get_ruleset
from .ruleset.search import BUNDLED, search_path, use_rulesets
from .text import Text

__all__ = ["CHUNK", "Progress", "cpu_count", "evaluate_many"]

CHUNK = 100
"""Records per task sent to a worker (at most; fewer so that every worker gets several tasks).
Measured in ``benchmarks/bench_batch.py``: 50 to 200 give the same rate within noise."""

Progress = Callable[[int, int], None]
"""Called in the calling process as ``progress(done, total)`` after each chunk."""


@attrs.frozen
class _Spec:
    """What a worker needs to load the same ruleset or ladder as the parent."""

    ladder: bool
    file: str
    hashes: tuple[str, ...]  # the content hash of the ruleset, or of each level of the ladder
    folders: tuple[str, ...]  # the search path before the bundled sets, in order


@attrs.frozen
class _Failure:
    """An error of the library raised by one record, carried back to the parent by value
    (some error classes take keyword arguments and do not pickle by themselves)."""

    index: int  # in the whole input
    kind: type[NtmRulesError]
    args: tuple[Any, ...]
    state: dict[str, Any]

    def error(self) -> NtmRulesError:
        error = self.kind.__new__(self.kind)
        Exception.__init__(error, *self.args)
        error.__dict__.update(self.state)
        return error


def cpu_count() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else os.cpu_count() or 1


@overload
def evaluate_many(
    target: Ruleset,
    records: Sequence[Any],
    *,
    year: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[EvaluationResult]: ...
@overload
def evaluate_many(
    target: Ladder,
    records: Sequence[Any],
    *,
    year: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[LadderResult]: ...
@overload
def evaluate_many(
    target: str | Path,
    records: Sequence[Any],
    *,
    year: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[EvaluationResult] | list[LadderResult]: ...
def evaluate_many(
    target: Ruleset | Ladder | str | Path,
    records: Sequence[Any],
    *,
    year: int | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> list[EvaluationResult] | list[LadderResult]:
    """Evaluate ``records`` (model instances or mappings) against a ruleset or a ladder (an
    object, an id or a file path), results in input order. ``workers=1`` evaluates in this
    process, ``workers=N`` in N worker processes, ``0`` in one per CPU."""
    rules = resolve(target) if isinstance(target, str | Path) else target
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise NtmRulesError(
            Text(
                vi=f"số tiến trình phải là số nguyên ≥ 0, không phải {workers!r}",
                en=f"workers must be a whole number ≥ 0, not {workers!r}",
            )
        )
    records = list(records)
    total = len(records)
    workers = min(workers or cpu_count(), max(total, 1))
    size = max(1, min(CHUNK, math.ceil(total / (workers * 4))))
    starts = range(0, total, size)
    if workers <= 1 or len(starts) <= 1:
        found: list[Any] = []
        for start in starts:
            found.extend(_evaluate(rules, records[start : start + size], year))
            if progress is not None:
                progress(len(found), total)
        return found
    spec = _spec(rules)
    _evaluators_of(rules)  # the workers' results come back attached to these
    tracker_running = _tracker_running()
    try:
        return _in_pool(spec, records, starts, size, year, min(workers, len(starts)), progress)
    finally:
        if not tracker_running:
            _stop_tracker()


def resolve(target: str | Path) -> Ruleset | Ladder:
    """A ladder or ruleset given by id or file."""
    path = Path(target)
    if path.suffix.lower() in (".yaml", ".yml") and path.is_file():
        return load_ladder(path) if is_ladder_file(path) else get_ruleset(path)
    ladder = find_in_search_path(str(target), ladder=True)
    return load_ladder(ladder) if ladder is not None else get_ruleset(str(target))


def _evaluate(rules: Ruleset | Ladder, chunk: Sequence[Any], year: int | None) -> list[Any]:
    if isinstance(rules, Ladder):
        return evaluate_on_ladder(rules, chunk, year=year)
    evaluator = evaluator_for(rules)
    return evaluator.evaluate_many(chunk, year=year)


def _hashes(rules: Ruleset | Ladder) -> tuple[str, ...]:
    if isinstance(rules, Ladder):
        return tuple(r.content_hash for r in level_rulesets(rules))
    return (rules.content_hash,)


def _spec(rules: Ruleset | Ladder) -> _Spec:
    if rules.file is None:
        raise NtmRulesError(
            Text(
                vi=f"{rules.id} không được đọc từ tệp: các tiến trình con không nạp được nó; "
                "dùng workers=1",
                en=f"{rules.id} was not loaded from a file, so worker processes cannot load "
                "it; use workers=1",
            )
        )
    folders = tuple(str(d.path) for d in search_path() if d.origin != BUNDLED)
    return _Spec(isinstance(rules, Ladder), rules.file, _hashes(rules), folders)


def _in_pool(
    spec: _Spec,
    records: list[Any],
    starts: range,
    size: int,
    year: int | None,
    workers: int,
    progress: Progress | None,
) -> list[Any]:
    total = len(records)
    found: list[Any] = [None] * total
    failures: list[_Failure] = []
    done = 0
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    try:
        pending: dict[Future[list[Any] | _Failure], int] = {
            pool.submit(_work, spec, start, records[start : start + size], year): start
            for start in starts
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                start = pending.pop(future)
                if future.cancelled():
                    continue
                outcome = future.result()  # an unexpected error (a bug) is raised here
                if isinstance(outcome, _Failure):
                    failures.append(outcome)
                    for other, other_start in pending.items():
                        if other_start > outcome.index:  # sequentially never reached
                            other.cancel()
                    continue
                found[start : start + len(outcome)] = outcome
                done += len(outcome)
                if progress is not None and not failures:
                    progress(done, total)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if failures:
        raise min(failures, key=lambda f: f.index).error()
    return found


def _tracker_running() -> bool:
    return getattr(resource_tracker._resource_tracker, "_fd", None) is not None


def _stop_tracker() -> None:
    """Stop the helper process that ``multiprocessing`` starts beside a spawn pool to remove
    its semaphores, once the pool's semaphores are collected: a call leaves no process behind.
    (It would otherwise wait, idle, until this process exits.)"""
    gc.collect()
    stop = getattr(resource_tracker._resource_tracker, "_stop", None)
    if stop is not None:
        stop()


# -- in the worker processes ------------------------------------------------------------------
_loaded: dict[_Spec, Ruleset | Ladder] = {}


def _evaluators_of(rules: Ruleset | Ladder) -> None:
    """Build (or find) this process's evaluators of ``rules`` (a ladder: of every level)."""
    if isinstance(rules, Ladder):
        for level in level_rulesets(rules):
            evaluator_for(level)
    else:
        evaluator_for(rules)


def _work(spec: _Spec, start: int, chunk: list[Any], year: int | None) -> list[Any] | _Failure:
    """Evaluate one chunk in a worker: its results (sent as the engine left them, see
    :data:`.detail.PORTABLE`), or the first record's error."""
    detail.PORTABLE = True
    with use_rulesets(spec.folders):
        rules = _loaded.get(spec)
        if rules is None:
            rules = _loaded[spec] = _load(spec)
        try:
            return _evaluate(rules, chunk, year)
        except NtmRulesError as exc:
            failed = exc
        for offset, record in enumerate(chunk):  # which record failed first
            try:
                _evaluate(rules, [record], year)
            except NtmRulesError as exc:
                return _Failure(start + offset, type(exc), exc.args, dict(exc.__dict__))
        raise failed  # not reproduced record by record: report it as it came


def _load(spec: _Spec) -> Ruleset | Ladder:
    rules: Ruleset | Ladder = load_ladder(spec.file) if spec.ladder else load_ruleset(spec.file)
    if _hashes(rules) != spec.hashes:
        raise NtmRulesError(
            Text(
                vi=f"{spec.file} đã thay đổi trong lúc đánh giá; hãy chạy lại",
                en=f"{spec.file} changed during the evaluation; run it again",
            )
        )
    return rules
