"""Names on a line: a program or component name without its bullet or
enumerator, whether a line can be a name at all, and the name a header line
'NAME <figures>' gives its figures."""
from __future__ import annotations

import functools

from pipeline.facts.lines import FILLER, SHORT_NOTE, LineInfo, remembered, sentence, struct
from pipeline.rules import RulePack

PARTICLES = ("の", "に", "を", "は", "へ", "より")   # a line starting with one continues the line before (not が: がん)


def clean_name(text: str, rules: RulePack) -> str:
    """A program or component name without bullets, enumerators, うち, quotes,
    and without a subtitle between range marks.

    >>> from pipeline.rules import load_rules
    >>> clean_name("●「プロジェクト型」", load_rules())
    'プロジェクト型'
    >>> clean_name("I.次世代医療実現推進プラットフォーム", load_rules())
    '次世代医療実現推進プラットフォーム'
    >>> clean_name("先端研究基盤刷新事業~研究環境を実現~", load_rules())
    '先端研究基盤刷新事業'
    >>> clean_name("23.再生医療の実現化プロジェクト(拡充) 【達成目標10-1-2】", load_rules())
    '再生医療の実現化プロジェクト'
    """
    name = text.strip()
    for role in ("bullet", "enumerator", "part_of"):
        m = struct(rules, role, name)
        if m:
            name = name[m.end():]
    brackets = rules.settings.get("figure_brackets", "")
    name = name.strip(" \t:").rstrip("(" + brackets)
    if "~" in name and name.endswith("~") and not name.startswith("~"):
        name = name[:name.index("~")]          # NAME~subtitle~
    for _ in range(3):   # NAME(拡充)【達成目標…】: notes after the name
        m = struct(rules, "name_note", name)
        if not m or m.start() == 0:
            break
        name = name[:m.start()]
    if len(name) > 2 and name[0] in "「『" and name[-1] in "」』" and name.count(name[0]) == 1:
        name = name[1:-1]
    return name.strip()


def name_of(info: LineInfo, rules: RulePack) -> str:
    """clean_name of a whole line, computed once per line."""
    return remembered(info, "name", lambda i, r: clean_name(i.text, r), rules)


def is_enumerated(info: LineInfo, rules: RulePack) -> bool:
    """Does the line open with a component enumerator (①, (1), I.)? Once per line."""
    return remembered(info, "enumerated", lambda i, r: struct(r, "enumerator", i.text) is not None, rules)


def is_name_like(info: LineInfo, rules: RulePack) -> bool:
    """A short line with no figure, no label and no sentence punctuation,
    that is not page furniture, a section label or the continuation of a
    line before it."""
    if info.amounts or info.excluded or info.labels:
        return False
    return remembered(info, "name_like", _is_name_like, rules)


def _is_name_like(info: LineInfo, rules: RulePack) -> bool:
    text = info.text
    if not text or len(text) > rules.settings["max_name_length"] or "。" in text \
            or text.startswith(PARTICLES) or text.startswith("※"):
        return False
    name = name_of(info, rules)
    if sentence(name):
        return False
    if struct(rules, "not_title", text) or struct(rules, "furniture", text):
        return False
    if name.count("」") > name.count("「") or name.count(")") > name.count("("):
        return False   # the end of a quotation or bracket opened on an earlier line
    return len(name) >= 2 and not name.replace(",", "").replace(".", "").isdigit()


def header_name(info: LineInfo, rules: RulePack) -> str | None:
    """NAME of a line 'NAME <figures>' or 'NAME【label amount】', else None."""
    if not info.amounts:
        return None
    return remembered(info, "header", _header_name, rules)


def _header_name(info: LineInfo, rules: RulePack) -> str | None:
    brackets = rules.settings.get("figure_brackets", "")
    first = min([a.start for a in info.amounts] + [lab.start for lab in info.labels])
    head = info.text[:first]
    for rule in rules.kind("flag"):   # 約 belongs to the figure, not the name
        before = rule.get("re_before")
        m = before.search(head) if before is not None else None
        if m:
            head = head[:m.start()]
    head = head.rstrip(" \t:(" + brackets)
    name = clean_name(head, rules)
    if len(name) < 2 or len(name) > rules.settings["max_name_length"]:
        return None
    if sentence(name) or name.startswith(PARTICLES) or struct(rules, "part_of", lead_stripped(head, rules)):
        return None
    if struct(rules, "not_title", name) or struct(rules, "furniture", name):
        return None
    # after the name only figures may follow: amounts with their flags, labels,
    # brackets and short notes such as (5年間)
    tail = info.text
    spans = [(a.start, a.tail) for a in info.amounts + info.excluded] + [(lb.start, lb.end) for lb in info.labels]
    for s, e in sorted(spans, reverse=True):
        tail = tail[:s] + tail[e:]
    tail = SHORT_NOTE.sub("", tail[first:])
    if "※" in tail:
        tail = tail[:tail.index("※")]
    return name if not FILLER.sub("", tail).strip("⇒→") else None


def mention_name(info: LineInfo, label, rules: RulePack) -> str | None:
    """NAME of 'NAME【label amount】…' — a program named with its figure inside
    running text (a mention, not a header)."""
    if label is None:
        return None
    brackets = rules.settings.get("figure_brackets", "")
    head = info.text[:label.start].rstrip()
    if not head or head[-1] not in brackets:
        return None
    name = clean_name(head[:-1], rules)
    if len(name) < 2 or len(name) > rules.settings["max_name_length"] or sentence(name) \
            or any(a.start < label.start for a in info.amounts):   # 「13億円 [補正予算額 46億円]」 names nobody
        return None
    return name


def opens_figure(text: str, rules: RulePack) -> bool:
    """A line such as 【令和7年度補正予算額 43億円】: a figure of the program before it."""
    return text[:1] in rules.settings.get("figure_brackets", "") if text else False


def lead_stripped(text: str, rules: RulePack) -> str:
    """The text without the brackets that open it: (うちAMED…, 【うち…."""
    return text.lstrip("(" + rules.settings.get("figure_brackets", ""))


def bigrams(text: str) -> set[str]:
    """The character bigrams of a text.

    >>> sorted(bigrams("ABCA"))
    ['AB', 'BC', 'CA']
    """
    return set(map(str.__add__, text, text[1:]))


def bigram_score(name: str, text_bigrams: set[str]) -> float:
    """Share of the name's character bigrams found among a text's bigrams.

    >>> round(bigram_score("ABCD", bigrams("xxABCxx")), 2)
    0.67
    """
    grams = _name_bigrams(name)
    return len(grams & text_bigrams) / len(grams) if grams else 0.0


@functools.lru_cache(maxsize=4096)
def _name_bigrams(name: str) -> frozenset[str]:
    return frozenset(bigrams(name))

