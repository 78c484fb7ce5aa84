"""Step 1, line analysis: what one line holds — stage labels, amounts with
their flags, amounts that are no budget — and the questions later steps ask
of a line (is it only a label? only figures? a name?). Pure functions of a
line and the rule pack; nothing here knows about slides."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import regex

from pipeline.extract import Line
from pipeline.guard import finditer, first_search, may_match, search
from pipeline.normalize import range_mark
from pipeline.parse import kanji_to_int, parse_amount, year_of_groups
from pipeline.rule_examples import in_context, stage_of
from pipeline.rules import RulePack

# The Unicode White_Space characters: what \s of the regex module matches (re's \s also takes
# \x1c-\x1f). The code's own character classes below are compiled with re, which runs them in
# half the time regex does; tests/test_facts.py checks that FILLER matches what regex's did.
WHITE_SPACE = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
FILLER = re.compile("[" + WHITE_SPACE + r":()\[\]【】〈〉《》〔〕「」『』・,、]")
SHORT_NOTE = regex.compile(r"\((?:[^()円]{0,10})\)")   # (5年間) after a figure
NOTE_MARK = "※"


@dataclass(slots=True)
class Label:
    """A stage label on a line: 令和8年度予算額(案), (前年度予算額, 要求・要望額."""
    start: int
    end: int
    rule: dict
    match: Any            # the regex match of the label rule

    @property
    def budget(self) -> str:
        return self.rule["budget"]

    @property
    def stage(self) -> str:
        return stage_of(self.rule, self.match)

    def year(self, era: str | None) -> int | None:
        """The fiscal year the label writes, if any (an era-less 「7年度」 takes ``era``)."""
        return year_of(self.match, era)

    @property
    def round(self) -> int | None:
        """The round of a supplementary budget the label writes (第2次, R2補②), if any."""
        nth = self.match.groupdict().get("nth") if self.budget == "supplementary" else None
        return round_of(nth) if nth else None

    @property
    def opens_bracket(self) -> bool:
        return self.rule.get("relative") == "prior"

    @property
    def year_only(self) -> bool:
        """A year with no stage word (「8年度 1,245億円」): the stage is the release's."""
        return self.rule.get("relative") == "release"


@dataclass(slots=True)
class Amount:
    start: int
    end: int          # end of the amount itself
    tail: int         # end including flags such as (新規), の内数, 程度, +事項要求
    yen: int
    flags: dict
    excluded_by: str | None
    unit_from: str = ""   # a plain table number: the header that gave its unit
    lead: int | None = None   # where a flag written before it starts (約 of 「約36億円」)

    @property
    def new(self) -> bool:
        return self.flags.get("new", False)


@dataclass(slots=True)
class LineInfo:
    line: Line
    labels: list[Label]
    amounts: list[Amount]        # budget candidates (exclusions removed)
    excluded: list[Amount]
    memo: dict | None = field(default=None, repr=False)    # per-line answers, computed once
    text: str = field(init=False, repr=False)              # the line's normalized text

    def __post_init__(self):
        self.text = self.line.text


NONE: list = []   # shared by the lines that have no label and no amount; never mutated


ROUND_MARKS = "①②③④⑤⑥⑦⑧⑨"


def round_of(nth: str) -> int:
    """The number of a supplementary budget's round as written.

    >>> round_of("2"), round_of("三"), round_of("②")
    (2, 3, 2)
    """
    if nth in ROUND_MARKS:
        return ROUND_MARKS.index(nth) + 1
    return int(nth) if nth.isdecimal() and nth.isascii() else kanji_to_int(nth)


def year_of(m, era: str | None = None) -> int | None:
    """The fiscal year a match of the ``{fy}`` piece writes: 令和8年度, R7補正's
    令和7, 2023年度, or an era-less 7年度 in the era given."""
    return year_of_groups(m.groupdict(), era)


def labels_of(text: str, rules: RulePack) -> list[Label]:
    """The stage labels of a line; where two overlap the earliest, then the
    longest, then the earlier rule wins. A label naming only what a figure is
    compared with (「当初予算と同様に」, struct.compared_label) is none."""
    found = []
    for priority, rule in enumerate(rules.kind("stage")):
        if rule.get("re_pattern") is None or not may_match(rule, text):
            continue
        for m in finditer(rule["re_pattern"], text, rule["id"]):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), priority, Label(m.start(), m.end(), rule, m)))
    found.sort(key=lambda t: t[:3])
    out: list[Label] = []
    for *_, lab in found:
        if not out or lab.start >= out[-1].end:
            out.append(lab)
    return [lab for lab in out if struct(rules, "compared_label", text[lab.end:]) is None]


def flags_after(text: str, tail: int, start: int, rules: RulePack, candidates: list[dict] | None = None
                ) -> tuple[dict, int]:
    """The flags written around an amount — after it (の内数, (新規), 程度,
    +事項要求, in any order) or before it (約) — and the end of what follows.
    ``candidates``: the flag rules whose literals the line holds (all by default)."""
    if "_no_flags" not in rules.settings:
        rules.settings["_no_flags"] = dict.fromkeys((r["flag"] for r in rules.kind("flag")), False)
    flags = dict(rules.settings["_no_flags"])
    if candidates is None:
        candidates = [r for r in rules.kind("flag") if may_match(r, text)]
    if not candidates:
        return flags, tail
    moved = True
    while moved:
        moved = False
        for rule in candidates:
            after = rule.get("re_after")
            fm = search(after, text[tail:], rule["id"]) if after is not None else None
            if fm and fm.end():
                flags[rule["flag"]] = True
                tail += fm.end()
                moved = True
    for rule in candidates:
        before = rule.get("re_before")
        if before is not None and (bm := search(before, text[:start], rule["id"])) is not None:
            flags[rule["flag"]] = True
            flags["_lead"] = min(flags.get("_lead", start), bm.start())
    return flags, tail


IMPLAUSIBLE = "implausible"   # excluded_by of an amount beyond settings.implausible_yen
UNREADABLE = "unreadable"     # excluded_by of digits before 円 that are no amount (rule role amount/unreadable)
WITHHELD = (IMPLAUSIBLE, UNREADABLE)   # figures left out of the records that still hold their place in a box


def placed_amounts(info: LineInfo) -> list[Amount]:
    """The amounts of a line that take part in pairing: its budget candidates
    and the withheld figures (unreadable, implausible), which use up their label
    and give their box its stage, so that leaving one out changes no other
    figure; they never become records."""
    if not info.excluded or not any(a.excluded_by in WITHHELD for a in info.excluded):
        return info.amounts
    return sorted(info.amounts + [a for a in info.excluded if a.excluded_by in WITHHELD], key=lambda a: a.start)


def amounts_of(text: str, rules: RulePack, context: str = "") -> tuple[list[Amount], list[Amount]]:
    """(budget candidates, excluded amounts) of a line. ``context`` is the
    text of the lines the line continues (a note wrapped over lines), which
    the not-budget rules also read. An amount in a bracket opened after an
    excluded one, or closing a range it opens (「年額3万2,300円~13万8,000円」), is
    excluded by the same rule."""
    keep: list[Amount] = []
    dropped: list[Amount] = []
    amount = rules.role("amount", "amount")[0]
    if not may_match(amount, text):
        return keep, dropped
    matches = finditer(amount["re_pattern"], text, amount["id"])
    if matches:   # (the rules that may apply, looked for only on a line with an amount)
        full, shift = context + text, len(context)
        not_rules = [r for r in rules.kind("not_budget") if may_match(r, full)]
        flag_rules = [r for r in rules.kind("flag") if may_match(r, text)]
    prev: Amount | None = None
    for m in matches:
        flags, tail = flags_after(text, m.end(), m.start(), rules, flag_rules)
        excluded = next((r["id"] for r in not_rules
                         if (r.get("re_pattern") is not None and search(r["re_pattern"], m.group(0), r["id"]))
                         or in_context(r, full, shift + m.start(), shift + m.end())), None)
        between = text[prev.tail:m.start()] if prev is not None else ""
        if excluded is None and prev is not None and prev.excluded_by and prev.excluded_by != IMPLAUSIBLE \
                and ("(" in between and ")" not in between or between.strip() == range_mark()):
            excluded = prev.excluded_by   # 「上限額 750万円(特例適用時 1,000万円)」, 「年額3万2,300円~13万8,000円」: the same
        yen = parse_amount(m.group(0))
        if excluded is None and abs(yen) > rules.settings["implausible_yen"]:
            excluded = IMPLAUSIBLE   # no budget is that large: a misread or a joke, reported by the facts stage
        lead = flags.pop("_lead", None)
        if prev is not None and text[prev.tail:m.start()].strip() == "(" and text[tail:tail + 1] == ")":
            # 「751億円(751億円)+事項要求」: a flag after the bracket is the figure's before it
            later, after = flags_after(text, tail + 1, m.start(), rules, flag_rules)
            if after > tail + 1:
                prev.flags.update({f: True for f, on in later.items() if on and f != "_lead"})
                tail = after
        a = prev = Amount(m.start(), m.end(), tail, yen, flags, excluded, lead=lead)
        (dropped if excluded else keep).append(a)
    for rule in rules.role("amount", "unreadable"):
        if may_match(rule, text):
            taken = [(a.start, a.end) for a in keep + dropped]
            for m in finditer(rule["re_pattern"], text, rule["id"]):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    dropped.append(Amount(m.start(), m.end(), m.end(), 0, {}, UNREADABLE))
        dropped.sort(key=lambda a: a.start)
    return keep, dropped


def literals(rules: RulePack):
    """A pattern of every literal an amount or a stage label requires: a line
    with none of them has neither (None when some rule requires nothing).
    Plain literals, so compiled with ``re``: it finds them in about half the
    time the regex module takes, and every line of a release is searched."""
    if "_literals" not in rules.settings:
        needs: list[Any] = [r.get("requires") for r in [rules.role("amount", "amount")[0], *rules.kind("stage")]
                            if r.get("re_pattern") is not None]   # each a list of literals, or None
        rules.settings["_literals"] = (re.compile("|".join(re.escape(n) for ns in needs for n in ns))
                                       if all(needs) else None)
    return rules.settings["_literals"]


def analyze(line: Line, rules: RulePack, context: str = "") -> LineInfo:
    """What the line holds: labels, budget candidates and excluded amounts
    (none without a literal some amount or label rule requires)."""
    lits = literals(rules)
    if lits is not None and not lits.search(line.text):
        return LineInfo(line, NONE, NONE, NONE)
    return analyzed(line, rules, context)


def analyzed(line: Line, rules: RulePack, context: str = "") -> LineInfo:
    """analyze() without the literal gate, for a caller that has passed it."""
    keep, dropped = amounts_of(line.text, rules, context)
    return LineInfo(line, labels_of(line.text, rules), keep, dropped)


def reanalyze(info: LineInfo, rules: RulePack, context: str) -> LineInfo:
    """The line read again with the text of the lines it continues (a note
    such as 「※外に、…」 wrapped onto it), for the not-budget rules."""
    return analyze(info.line, rules, context)


# ------------------------------------------------------------ line shapes

SIGNS = "+±△▲"   # the sign before a change written as a figure (「(+411億円)」, 「(△5億円)」)


def residue(info: LineInfo) -> str:
    """What is left of a line once its amounts, labels, flags, brackets and a
    trailing ※ note go."""
    text = info.text
    if info.amounts and NOTE_MARK in text[info.amounts[-1].tail:]:   # 30百万円(15百万円)※()内は…
        text = text[:text.index(NOTE_MARK, info.amounts[-1].tail)]
    spans = [(a.start if a.lead is None else a.lead, a.tail) for a in info.amounts]
    spans += [(a.start - (a.start > 0 and text[a.start - 1] in SIGNS), a.tail) for a in info.excluded]   # 「(+411億円)」
    spans += [(lab.start, lab.end) for lab in info.labels]
    for s, e in sorted(spans, reverse=True):
        text = text[:s] + text[e:]
    return FILLER.sub("", text)


def remembered(info: LineInfo, key: str, answer, rules: RulePack):
    """answer(info, rules), computed once per line and kept in its memo."""
    memo = info.memo
    if memo is None:
        memo = info.memo = {}
    elif key in memo:
        return memo[key]
    value = memo[key] = answer(info, rules)
    return value


def is_pure_label(info: LineInfo) -> bool:
    """A line that is only a stage label (a budget-box label in its own box)."""
    return bool(info.labels) and not info.amounts and not residue(info)


def is_bare_amount(info: LineInfo) -> bool:
    """A line that is only figures (a value in its own box)."""
    return bool(info.amounts) and not info.labels and not residue(info)


def label_starts_line(info: LineInfo, rules: RulePack | None = None) -> bool:
    """Does the line open with its first label (with ``rules``, after a
    bullet too: 「○22年度予算額 1兆4,320億円」)?"""
    if not info.labels:
        return False
    head = FILLER.sub("", info.text[:info.labels[0].start])
    if head and rules is not None and (bullet := struct(rules, "bullet", head)) is not None:
        head = head[bullet.end():]
    return not head


def trailing_label(info: LineInfo) -> Label | None:
    """The label a line ends with when nothing but filler follows it and no
    amount stands on the line: 「科研費・… 令和8年度要求・要望額」 (a title
    beside its box label)."""
    if info.amounts or not info.labels:
        return None
    last = info.labels[-1]
    return last if not FILLER.sub("", info.text[last.end:]) else None


CLAUSE = re.compile(r"(?:[はがも]|おり|あり|ので|ても|れば)[、,]")   # 「…は、」, 「…急拡大しており、」: a clause goes on


def sentence(text: str) -> bool:
    """Running text: a full stop, a clause (「…は、」, 「…しており、」), or a
    comma in a line too long to be a name."""
    return "。" in text or CLAUSE.search(text) is not None or ("、" in text and len(text) > 40)


def hit(rules: RulePack, kind: str, role: str, text: str, pos: int = 0):
    """The first match of a rule of that kind and role (None fast when the
    required literals are absent)."""
    return first_search(rules.patterns(kind, role), text, pos)


def present(patterns: list[tuple], text: str) -> list[tuple]:
    """The patterns (RulePack.patterns) whose required literals the text
    holds: what a page's lines can match at all, found once per page."""
    return [p for p in patterns if p[1] is None or any(n in text for n in p[1])]


def first_hit(patterns: list[tuple], text: str, pos: int = 0):
    """hit() over the patterns given."""
    return first_search(patterns, text, pos)


def struct(rules: RulePack, role: str, text: str, pos: int = 0):
    """hit() of a structure rule (without hit()'s call: it runs ~100k times on a large deck)."""
    return first_search(rules.structures[role], text, pos)


def without_leading_flags(head: str, rules: RulePack) -> str:
    """The text before a figure without the flags that belong to the figure
    (約 of 「(約89億円の内数)」).

    >>> from pipeline.rules import load_rules
    >>> without_leading_flags("(約", load_rules())
    '('
    """
    for rule in rules.kind("flag"):
        if rule.get("re_before") is not None:
            head = rule["re_before"].sub("", head)
    return head
