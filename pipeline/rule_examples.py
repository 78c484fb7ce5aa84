"""Rules test themselves: every `match` example must match (and give the
values it names), every `no_match` example must not."""
from __future__ import annotations

from pipeline.guard import finditer, may_match, search
from pipeline.parse import date_fiscal_year, parse_amount, period_of, year_of_groups


def stage_of(rule: dict, m) -> str:
    """The stage a stage-label match stands for ((案) turns enacted into draft;
    so does an empty ``draft`` group, a lookahead such as 「…の閣議決定」)."""
    if rule.get("stage_if_draft") and m.groupdict().get("draft") is not None:
        return rule["stage_if_draft"]
    return rule["stage"]


def year_of(m) -> int | None:
    """The fiscal year a match writes (令和8年度, R7, 2023年度); None for none or an era-less one."""
    return year_of_groups(m.groupdict())


def in_context(rule: dict, text: str, start: int, end: int) -> bool:
    """Does the text around text[start:end] satisfy the rule's before/after
    patterns? (Never, when the line lacks every literal the rule requires.)"""
    if not may_match(rule, text):
        return False
    before, after = rule.get("re_before"), rule.get("re_after")
    return bool((before and search(before, text[:start], rule["id"]))
                or (after and search(after, text[end:], rule["id"])))


def _value(key: str, m, rule: dict):
    if key == "span":   # the text the first match covers
        return m.group(0)
    if key == "yen":
        return parse_amount(m.group(0))
    if key == "year":
        return year_of(m)
    if key in ("start", "end"):
        return period_of(m.groupdict())[0 if key == "start" else 1]
    if key == "stage":
        return stage_of(rule, m)
    if key == "fiscal_year":
        return date_fiscal_year(m.groupdict())
    if key == "offset":
        return rule.get("offsets", {}).get(m.group("relative"))
    value = m.groupdict().get(key)
    return value.strip() if isinstance(value, str) else value


def _example_matches(rule: dict, rules: dict, text: str):
    """(matched?, match object or None)."""
    if rule.get("re_pattern") is not None:
        m = search(rule["re_pattern"], text, rule["id"])
        return m is not None, m
    ungated = {**rule, "requires": None}   # whether requires is right is checked by the caller
    for m in finditer(rules["amount.yen"]["re_pattern"], text, "amount.yen"):
        if in_context(ungated, text, m.start(), m.end()):
            return True, m
    return False, None


def check_rule_examples(rules: dict) -> list[str]:
    """'<id>: <what failed>' for every failing example (empty when all pass)."""
    failures = []
    for rid, rule in rules.items():
        if rid == "settings":
            continue
        if not rule.get("match"):
            failures.append(f"{rid}: has no match example")
        if not rule.get("no_match"):
            failures.append(f"{rid}: has no no_match example")
        for ex in rule.get("match") or []:
            ex = ex if isinstance(ex, dict) else {"text": ex}
            ok, m = _example_matches(rule, rules, str(ex["text"]))
            # a pattern's match must hold a required literal; a context rule's line must
            where = m.group(0) if ok and rule.get("re_pattern") is not None else str(ex["text"])
            if ok and rule.get("requires") and not any(n in where for n in rule["requires"]):
                failures.append(f"{rid}: example {ex['text']!r} matches {where!r}, which holds none "
                                f"of requires {rule['requires']}")
                continue
            if not ok:
                failures.append(f"{rid}: example {ex['text']!r} does not match")
                continue
            for key, want in ex.items():
                if key == "text" or m is None:
                    continue
                got = _value(key, m, rule)
                if got != want:
                    failures.append(f"{rid}: example {ex['text']!r} gives {key}={got!r}, expected {want!r}")
        for text in rule.get("no_match") or []:
            ok, _ = _example_matches(rule, rules, str(text))
            if ok:
                failures.append(f"{rid}: no_match example {text!r} matches")
    return failures
