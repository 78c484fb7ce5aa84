"""Rule files in rules/: loaded safely, compiled with the regex module, and
checked against their own examples before any input is touched.

A rule is a mapping with an ``id``, a one-line ``description``, a ``pattern``
(or ``before``/``after`` context patterns), ``match`` and ``no_match``
examples, for stage labels the ``budget``/``stage`` it stands for, and
optionally ``requires``: literals one of which any match must contain (for
a rule of ``before``/``after`` context patterns: which the line must contain).
``{name}`` in a pattern is replaced by the piece of that name in defs.yaml.
"""
from __future__ import annotations

import contextlib
import functools
import signal
import threading
from pathlib import Path

import regex
import yaml

from pipeline.errors import PipelineError

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
RULE_FILES = ("amounts.yaml", "fiscal_years.yaml", "stages.yaml", "flags.yaml",
              "not_budgets.yaml", "structure.yaml")
FIELDS = {"id", "description", "pattern", "before", "after", "match", "no_match",
          "budget", "stage", "stage_if_draft", "relative", "requires"}
TIMEOUT = 1.0  # seconds per regex call; a pattern that backtracks forever fails loudly


def load_yaml(name: str, rules_dir: Path | None = None) -> dict:
    """Load one rule file with yaml.safe_load; a broken file is a PipelineError."""
    path = Path(rules_dir or RULES_DIR) / name
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except OSError as e:
        raise PipelineError(f"{path}: cannot read rule file ({e.strerror})", 6) from e
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark else ""
        raise PipelineError(f"{path}:{where} rule file is not valid YAML", 6) from e
    if not isinstance(data, dict):
        raise PipelineError(f"{path}: rule file must be a mapping", 6)
    return data


def expand(pattern: str, defs: dict[str, str]) -> str:
    """Replace ``{name}`` by its definition (recursively).

    >>> expand("{a}円", {"a": "{b}億", "b": "\\\\d+"})
    '\\\\d+億円'
    """
    for _ in range(10):
        new = regex.sub(r"\{([a-z_]+)\}", lambda m: defs.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            return new
        pattern = new
    return pattern


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
    return PipelineError(f"rule {rule_id}: pattern timed out after {TIMEOUT}s "
                         f"(catastrophic backtracking?) on: {text[:60]!r}", 6)


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
    if _guarded == threading.get_ident():
        _rule, _text, _calls = rule_id, text, _calls + 1
        try:
            return compiled.search(text, pos)
        finally:
            _rule = None
    try:
        return compiled.search(text, pos, timeout=TIMEOUT)
    except TimeoutError as e:
        raise _timed_out(rule_id, text) from e


def finditer(compiled: regex.Pattern, text: str, rule_id: str):
    """All matches (a list), under the same time limit as search()."""
    global _rule, _text, _calls
    if _guarded == threading.get_ident():
        _rule, _text, _calls = rule_id, text, _calls + 1
        try:
            return list(compiled.finditer(text))
        finally:
            _rule = None
    try:
        return list(compiled.finditer(text, timeout=TIMEOUT))
    except TimeoutError as e:
        raise _timed_out(rule_id, text) from e


def _compile(rule: dict, key: str, defs: dict, where: str):
    if key not in rule:
        return None
    try:
        return regex.compile(expand(str(rule[key]), defs))
    except regex.error as e:
        raise PipelineError(f"{where}: rule {rule['id']}: {key} does not compile ({e})", 6) from e


@functools.cache
def load_rules(rules_dir: str | None = None) -> dict[str, dict]:
    """All rules by id, compiled and self-checked. Also holds 'settings' of structure.yaml."""
    base = Path(rules_dir or RULES_DIR)
    defs = {k: str(v) for k, v in (load_yaml("defs.yaml", base).get("defs") or {}).items()}
    rules: dict[str, dict] = {}
    settings: dict = {}
    for name in RULE_FILES:
        data = load_yaml(name, base)
        where = str(base / name)
        settings.update({k: v for k, v in data.items() if k != "rules"})
        for rule in data.get("rules") or []:
            if not isinstance(rule, dict) or "id" not in rule:
                raise PipelineError(f"{where}: every rule needs an id", 6)
            unknown = set(rule) - FIELDS
            if unknown:
                raise PipelineError(f"{where}: rule {rule['id']}: unknown field(s) {', '.join(sorted(unknown))}", 6)
            if rule["id"] in rules:
                raise PipelineError(f"{where}: rule {rule['id']}: id used twice", 6)
            if not rule.get("description"):
                raise PipelineError(f"{where}: rule {rule['id']}: needs a description", 6)
            compiled = {k: _compile(rule, k, defs, where) for k in ("pattern", "before", "after")}
            if not any(compiled.values()):
                raise PipelineError(f"{where}: rule {rule['id']}: needs a pattern, before or after", 6)
            rules[rule["id"]] = {**rule, **{f"re_{k}": v for k, v in compiled.items()}, "file": name}
    rules["settings"] = settings
    from pipeline.checks import check_rule_examples
    with watchdog():
        failures = check_rule_examples(rules)
    if failures:
        raise PipelineError(f"rule {failures[0]} (fix the rule or its example; "
                            f"{len(failures)} example(s) fail)", 6)
    return rules
