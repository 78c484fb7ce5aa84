"""The regex guard: every rule pattern runs through ``search`` / ``finditer``
here, under a time limit, so that a pattern that backtracks for ever stops
the run with a message naming its rule. ``may_match`` is the cheap literal
pre-check (a rule's ``requires``) before a pattern runs.

Owned here, apart from the rule loader (pipeline.rules) and the example
checker (pipeline.rule_examples), so that both use it without importing each other.
"""
from __future__ import annotations

import contextlib
import signal
import threading

import regex

from pipeline.errors import PipelineError, RulesError, TimeBudgetError

TIMEOUT = 1.0  # seconds per regex call; a pattern that backtracks forever fails loudly


def may_match(rule: dict, text: str) -> bool:
    """False when the text lacks every literal the rule ``requires`` (a cheap
    pre-check before running the pattern on each of thousands of lines)."""
    needs = rule.get("requires")
    if not needs:
        return True
    for n in needs:
        if n in text:
            return True
    return False


def _timed_out(rule_id: str, text: str) -> PipelineError:
    return RulesError(f"rule {rule_id}: pattern timed out after {TIMEOUT}s "
                         f"(catastrophic backtracking?) on: {text[:60]!r}", "rules.timeout")


# The per-call ``timeout=`` of the regex module costs about 0.5 µs a call, a
# quarter of the facts walk over a large deck. Inside ``watchdog()`` one
# SIGALRM interval timer guards every call instead: the wrappers below note the
# rule they are running, and a call still running at two ticks in a row is
# stopped (the regex module checks for signals while it backtracks).
_guarded: int | None = None   # the thread a watchdog guards (its calls go without timeout=)
_rule: str | None = None      # the rule whose call runs now in that thread (None between calls)
_text = ""
_calls = 0                    # calls started so far
_seen = -1                    # _calls at the previous tick
_ident = threading.get_ident  # (looked up once: search() runs tens of thousands of times per release)


def _on_tick(signum, frame) -> None:
    global _seen
    if _rule is not None and _calls == _seen:
        raise _timed_out(_rule, _text)
    _seen = _calls


@contextlib.contextmanager
def watchdog():
    """Guard the regex calls of a block with one interval timer instead of a
    timeout per call. Only in the main thread and when nobody else uses
    SIGALRM; otherwise (and when nested) the per-call timeout stays, as it
    does for calls from other threads meanwhile.

    >>> with watchdog():
    ...     search(regex.compile("年度"), "令和8年度", "fy.example") is not None
    True
    """
    global _guarded, _rule, _seen
    if (_guarded is not None or threading.current_thread() is not threading.main_thread()
            or not hasattr(signal, "setitimer") or signal.getitimer(signal.ITIMER_REAL) != (0.0, 0.0)
            or signal.getsignal(signal.SIGALRM) not in (signal.SIG_DFL, None)):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_tick)
    try:
        _rule, _seen, _guarded = None, -1, threading.get_ident()
        signal.setitimer(signal.ITIMER_REAL, TIMEOUT, TIMEOUT)
        yield
    finally:
        _guarded, _rule = None, None   # first: from here on no call counts on the timer
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def search(compiled: regex.Pattern, text: str, rule_id: str, pos: int = 0):
    """compiled.search under a time limit (per call, or the watchdog's);
    a pattern that runs too long stops the run with a message naming the rule."""
    global _rule, _text, _calls
    if _guarded == _ident():
        _rule, _text, _calls = rule_id, text, _calls + 1
        try:
            return compiled.search(text, pos)
        finally:
            _rule = None
    try:
        return compiled.search(text, pos, timeout=TIMEOUT)
    except TimeoutError as e:
        raise _timed_out(rule_id, text) from e


def first_search(patterns: list[tuple], text: str, pos: int = 0):
    """The first match of (compiled, required literals or None, rule id)
    patterns in turn (RulePack.patterns), a pattern whose literals the text
    lacks skipped; search() in one call, for the hot loops of the facts stage."""
    global _rule, _text, _calls
    guarded = _guarded == _ident()
    for compiled, needs, rule_id in patterns:
        if needs is not None:
            for n in needs:
                if n in text:
                    break
            else:
                continue
        if not guarded:
            m = search(compiled, text, rule_id, pos)
        else:
            _rule, _text, _calls = rule_id, text, _calls + 1
            try:
                m = compiled.search(text, pos)
            finally:
                _rule = None
        if m:
            return m
    return None


def finditer(compiled: regex.Pattern, text: str, rule_id: str):
    """All matches (a list), under the same time limit as search()."""
    global _rule, _text, _calls
    if _guarded == _ident():
        _rule, _text, _calls = rule_id, text, _calls + 1
        try:
            return list(compiled.finditer(text))
        finally:
            _rule = None
    try:
        return list(compiled.finditer(text, timeout=TIMEOUT))
    except TimeoutError as e:
        raise _timed_out(rule_id, text) from e


# ------------------------------------------------------------ a release's time budget

_deadline: float | None = None
_budget: float | None = None


def start_budget(seconds: float | None) -> None:
    """Give the release now starting ``seconds`` to finish (None: no limit)."""
    global _deadline, _budget
    import time
    _budget = seconds
    _deadline = time.monotonic() + seconds if seconds else None


def check_budget() -> None:
    """Stop the release (TimeBudgetError) once its budget is spent; called
    between pages and between slides, so the cost of a check is nothing."""
    if _deadline is not None:
        import time
        if time.monotonic() > _deadline:
            raise TimeBudgetError(f"stopped after its time budget of {_budget:g} s (--timeout); "
                                  "its earlier output is left as it was", "timeout.release")
