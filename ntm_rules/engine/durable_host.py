"""A safe way to drive durable-rules (see docs/engine.md for the hazards it avoids).

durable-rules' own ``Host`` starts background threads that never stop, swallows exceptions
raised in actions and can segfault when a session is deleted while its dispatcher runs. This
module drives the engine's C extension directly instead:

* no ``Host`` and no thread: nothing outlives a call;
* no Python actions: a rule that fires is only *read* (its name), so there is no action whose
  exception could be swallowed; any engine error becomes an :class:`EngineError` with a message;
* one fresh session (``sid``) per batch of units, deleted in ``finally`` (the engine allows 1,024
  live sessions per ruleset; we hold at most one) -- unless an engine call failed in it:
  deleting a session after a failed assert corrupts the heap (``free(): invalid pointer``), so
  it is left alone and the ruleset is retired for the rest of the process;
* every compiled ruleset has catch-all rules, so no assert is ever "not handled" (deleting
  such a session is a known segfault);
* everything sent to the engine is encoded by :mod:`.wire` (one spelling for texts and
  numbers in rules and facts alike), one fact per ``assert_fact`` (the engine's own list call
  drops unreadable facts silently, and dies of an empty list);
* one process-wide lock around every engine call: the C core has no locks of its own. A fork
  waits for the lock, so a child never inherits it held by a thread it does not have.
"""

from __future__ import annotations

import copy
import itertools
import os
import re
import threading
from collections.abc import Callable
from typing import Any

import durable_rules_engine as _engine

from ..errors import EngineError
from ..text import Text
from .wire import encode, encode_facts

_ERRORS = {
    1: Text(vi="một bản ghi không khớp luật nào", en="a fact matched no rule"),
    2: Text(
        vi="cùng một bản ghi được đưa vào hai lần trong một phiên",
        en="the same fact was asserted twice in one session",
    ),
    101: Text(vi="hết bộ nhớ", en="out of memory"),
    102: Text(
        vi="kiểu không mong đợi trong luật hoặc bản ghi", en="unexpected type in a rule or fact"
    ),
    103: Text(vi="một định danh quá dài", en="an identifier is too long"),
    104: Text(vi="giá trị không mong đợi trong luật", en="unexpected value in a rule"),
    105: Text(vi="tên không mong đợi trong luật", en="unexpected name in a rule"),
    106: Text(vi="quá nhiều luật trong một bộ luật", en="too many rules in one ruleset"),
    107: Text(
        vi="quá nhiều phép kiểm tra 'exists' trong một bộ luật",
        en="too many 'exists' tests in one ruleset",
    ),
    108: Text(vi="quá nhiều phép nối trong một bộ luật", en="too many joins in one ruleset"),
    112: Text(vi="quá nhiều bộ luật đang mở", en="too many open handles"),
    113: Text(vi="quá nhiều biểu thức trong một luật", en="too many expressions in one rule"),
    201: Text(vi="không đọc được một giá trị", en="a value could not be parsed"),
    202: Text(vi="không đọc được một văn bản", en="a text could not be parsed"),
    203: Text(vi="không đọc được một số", en="a number could not be parsed"),
    204: Text(vi="không đọc được một đối tượng", en="an object could not be parsed"),
    205: Text(vi="không đọc được một danh sách", en="a list could not be parsed"),
    302: Text(vi="một bản ghi có hơn 255 giá trị", en="a fact has more than 255 values"),
    303: Text(
        vi="quá nhiều luật dùng chung một phép kiểm tra (tràn ngăn xếp của bộ máy)",
        en="too many rules share one test (engine stack exceeded)",
    ),
    309: Text(vi="phiên không tồn tại", en="unknown session"),
}
_UNKNOWN = Text(vi="lỗi không rõ của bộ máy luật", en="unknown engine error")


def _coded(code: int | None, meaning: Text, detail: str = "") -> EngineError:
    extra = f" ({detail})" if detail else ""
    return EngineError(
        Text(
            vi=f"lỗi bộ máy luật {code}: {meaning.vi}{extra}",
            en=f"rule engine error {code}: {meaning.en}{extra}",
        )
    )


_lock = threading.RLock()
_handles: dict[str, int] = {}
_retired: dict[int, EngineError] = {}  # handle -> the failure that retired it
_sids = itertools.count(1)
_NAME = re.compile(r'^\{"([A-Za-z0-9_.]+)"')
# each fact a rule fired for, as the engine writes it back: the unit number ``u`` comes first
_UNIT = re.compile(r'\{"m":\{"u": ?([0-9]+),')


def _before_fork() -> None:
    _lock.acquire()  # no session is half-done in the engine's memory the child copies


def _after_fork() -> None:
    _lock.release()


os.register_at_fork(before=_before_fork, after_in_parent=_after_fork, after_in_child=_after_fork)


class _NotHandledError(Exception):
    """A fact matched no rule; its session must not be deleted (a durable-rules segfault)."""


class _SessionBrokenError(Exception):
    """An engine call failed inside a session: the session must never be touched again."""

    def __init__(self, error: EngineError) -> None:
        super().__init__(str(error))
        self.error = error


def _translate(exc: Exception) -> EngineError:
    text = str(exc)
    match = re.search(r"error code: (\d+)", text)
    code = int(match.group(1)) if match else None
    return _coded(code, _ERRORS.get(code or -1, _UNKNOWN), text)


def register(name: str, rules: dict[str, Any]) -> int:
    """Create (once per process) the durable ruleset ``name``; names are content hashes."""
    with _lock:
        handle = _handles.get(name)
        if handle is None:
            try:
                handle = _engine.create_ruleset(name, encode(copy.deepcopy(rules)))
            except Exception as exc:
                raise _translate(exc) from None
            _handles[name] = handle
        return handle


Fired = list[tuple[str, list[int]]]
"""The rules that fired in one stage of a batch: (rule name, the units it fired for)."""


def run_batch(
    handle: int,
    facts: list[dict[str, Any]],
    follow_up: Callable[[Fired], list[dict[str, Any]]],
    *,
    vouched: bool = False,
) -> tuple[Fired, Fired]:
    """Assert ``facts`` in one fresh session, then the facts ``follow_up`` builds from the rules
    that fired; return the rules fired at each stage, with the units (each fact's ``u``) they
    fired for. Every fact must start with its unit number ``u``. ``vouched``: the caller checked
    the facts of both stages as :func:`.wire.encode_facts` says. The session is deleted, unless
    an engine call failed in it (then the ruleset is retired: see the module docstring).
    """
    with _lock:
        retired = _retired.get(handle)
        if retired is not None:
            raise EngineError(
                Text(
                    vi=f"{retired.text.vi} (bộ luật này đã ngừng dùng sau lỗi đó)",
                    en=f"{retired.text.en} (this ruleset was retired after that failure)",
                )
            )
        sid = str(next(_sids))
        broken = False
        try:
            first = _assert(handle, facts, sid, vouched, 0)
            second = _assert(handle, follow_up(first), sid, vouched, len(facts))
        except _NotHandledError:
            broken = True
            raise _coded(1, _ERRORS[1]) from None
        except _SessionBrokenError as exc:
            broken = True
            _retired[handle] = exc.error
            raise exc.error from None
        finally:
            if not broken:
                _delete(handle, sid)
        return first, second


def _delete(handle: int, sid: str) -> None:
    try:
        _engine.delete_state(handle, sid)
    except Exception as exc:
        if "error code: 309" not in str(exc):  # 309: no session was created
            raise _translate(exc) from None


_ids: list[str] = []  # fact ids, in the order they are given out within a session
_id_hashes: set[int] = set()
_id_candidates = itertools.count()


def _fnv1a32(text: str) -> int:
    """The engine's ``fnv1Hash32``: how it indexes the facts of a session."""
    found = 0x811C9DC5
    for byte in text.encode():
        found = ((found ^ byte) * 16777619) & 0xFFFFFFFF
    return found


def fact_ids(count: int) -> list[str]:
    """``count`` fact ids whose 32-bit hashes all differ. The engine tells the facts of a
    session apart by that hash alone (``storeMessage``: an equal hash is "already asserted",
    error 2), and an id it makes itself from a fact's content is hashed the same way: among
    the ~1,200 facts of a batch two collide about once in 7,000 sessions. Ids given by us are
    checked instead."""
    with _lock:
        while len(_ids) < count:
            text = str(next(_id_candidates))
            hashes = (_fnv1a32(text), _fnv1a32(f'"{text}"'))  # as the engine reads it, or quoted
            if not _id_hashes.intersection(hashes):
                _id_hashes.update(hashes)
                _ids.append(text)
        return _ids[:count]


def _assert(
    handle: int, facts: list[dict[str, Any]], sid: str, vouched: bool, first_id: int
) -> Fired:
    """Assert ``facts`` one by one (durable-rules' own ``assert_facts`` skips a fact it cannot
    read without a word, and answers a fact that is too wide with a state that crashes the
    next call), then run the actions they raised."""
    if not facts:
        return []
    ids = fact_ids(first_id + len(facts))
    for n, fact in enumerate(facts, first_id):
        fact["sid"] = sid
        fact["id"] = ids[n]
    texts = encode_facts(facts, vouched=vouched)  # an EngineError here: the session is deletable
    state = None
    for text in texts:
        try:
            result = _engine.assert_fact(handle, text)
        except Exception as exc:
            raise _SessionBrokenError(_translate(exc)) from None
        code, state = result[0], result[1]
        if code == 1:
            raise _NotHandledError
        if code == 2:
            raise _coded(code, _ERRORS[code])
    fired: Fired = []
    try:
        started = _engine.start_action_for_state(handle, state)
        message = started[1] if started else None
        while message:
            match = _NAME.match(message)
            if match is None:
                shown = repr(message[:80])
                raise EngineError(
                    Text(
                        vi=f"thông điệp không mong đợi từ bộ máy luật: {shown}",
                        en=f"unexpected engine message: {shown}",
                    )
                )
            fired.append((match.group(1), [int(u) for u in _UNIT.findall(message)]))
            message = _engine.complete_and_start_action(handle, state)
    except EngineError:
        raise
    except Exception as exc:
        raise _SessionBrokenError(_translate(exc)) from None
    return fired


def live_rulesets() -> int:
    """How many compiled rulesets this process has registered (for tests and monitoring)."""
    with _lock:
        return len(_handles)
