"""Names on a line: a program or component name without its bullet or
enumerator, whether a line can be a name at all, and the name a header line
'NAME <figures>' gives its figures."""
from __future__ import annotations

import functools

import regex

from pipeline.facts.lines import (
    FILLER,
    NOTE_MARK,
    SHORT_NOTE,
    LineInfo,
    hit,
    in_closed_bracket,
    remembered,
    sentence,
    struct,
    unmatched_open,
)
from pipeline.guard import finditer, search
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
    for pattern, needs, _ in rules.patterns("structure", "listed_bullet"):   # 「…推進や▽医療や…」: one item
        if needs is None or any(n in name for n in needs):
            name = pattern.sub(r"\g<joint>", name)
    for role in ("bullet", "enumerator", "lead_note", "lead_conjunction", "part_of"):
        m = struct(rules, role, name)
        if m:
            name = name[m.end():]
    if NOTE_MARK in name[2:]:
        name = name[:name.index(NOTE_MARK, 2)]   # 「文部科学省 ※運営費交付金中の推計額含む」: a note beside the name
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
    if any(struct(rules, role, t) for role in ("not_title", "furniture") for t in {text, name}):
        return False   # (「1 事業の目的」 as well as 「事業の目的」)
    if name.count("」") > name.count("「") or name.count(")") > name.count("("):
        return False   # the end of a quotation or bracket opened on an earlier line
    rule = (rules.role("amount", "table_number") or (None,))[0]
    if rule is not None and text[-1:].isdigit():
        cells = finditer(rule["re_pattern"], text, rule["id"])
        if cells and cells[-1].end() == len(text) and (len(cells) >= 2 or "," in cells[-1].group(0)):
            return False   # a table row: its name, then its cells (「科学技術振興費14,000 14,150」)
    return (len(name) >= 2 or struct(rules, "total", name) is not None) \
        and not name.replace(",", "").replace(".", "").isdigit()   # (計, the one name of one character)


def header_name(info: LineInfo, rules: RulePack) -> str | None:
    """NAME of a line 'NAME <figures>' or 'NAME【label amount】', else None."""
    if not info.amounts:
        return None
    return remembered(info, "header", _header_name, rules)


def _header_name(info: LineInfo, rules: RulePack) -> str | None:
    name = _name_before_figures(info, rules)
    if name and unmatched_open(name) is None:
        return name
    return _name_before_bracket(info, rules)   # 「NAME(office、R3補:200億円)」: the name before the bracket


def _name_before_bracket(info: LineInfo, rules: RulePack) -> str | None:
    """NAME of 'NAME(office、label:figure、label:figure、note)': a bracket
    after the name lists its figures (「ワクチン開発推進事業(厚労(AMED)、R2補①:
    100億円、R2補②:500億円、基金)」); after the bracket only filler."""
    first = min([a.start for a in info.amounts] + [lab.start for lab in info.labels])
    opened = unmatched_open(info.text[:first])
    if opened is None or opened < 2:
        return None
    depth, close = 0, len(info.text)
    for k in range(opened, len(info.text)):
        depth += {"(": 1, ")": -1}.get(info.text[k], 0)
        if depth == 0:
            close = k
            break
    inside = info.text[opened:close]
    if "。" in inside or len(inside) > rules.settings["max_name_length"] or FILLER.sub("", info.text[close + 1:]):
        return None
    name = clean_name(info.text[:opened], rules)
    if len(name) < 2 or len(name) > rules.settings["max_name_length"] or sentence(name) \
            or name.startswith(PARTICLES) or struct(rules, "part_of", lead_stripped(name, rules)) \
            or struct(rules, "not_title", name) or struct(rules, "furniture", name):
        return None
    return name


def _name_before_figures(info: LineInfo, rules: RulePack) -> str | None:
    brackets = rules.settings.get("figure_brackets", "")
    first = min([a.start for a in info.amounts] + [lab.start for lab in info.labels])
    head = info.text[:first]
    for rule in rules.kind("flag"):   # 約 belongs to the figure, not the name
        before = rule.get("re_before")
        m = before.search(head) if before is not None else None
        if m:
            head = head[:m.start()]
    head = head.rstrip(" \t:(" + brackets)
    boxed = struct(rules, "boxed_name", head)
    if boxed:
        head = boxed.group("name")   # 「【科学技術振興費】 1兆4,100億円」: the name in its brackets
    name = clean_name(head, rules)
    if not name or struct(rules, "reference", name):
        return bracket_after_label(info, rules)   # 「(参考)21年度補正予算額(子育て応援特別手当) 2,495億円」
    if len(name) < 2 or len(name) > rules.settings["max_name_length"]:
        return None
    if sentence(name) or name.startswith(PARTICLES) or struct(rules, "part_of", lead_stripped(head, rules)):
        return None
    if struct(rules, "not_title", name) or struct(rules, "furniture", name):
        return None
    a = info.amounts[0]
    if first == a.start and first and info.text[first - 1] in brackets and info.text[a.tail:a.tail + 1] in "】]":
        return name   # 「NAME【3,000億円】what it does…」: the bracket holds the figure, a description follows
    # after the name only figures may follow: amounts with their flags, labels,
    # brackets and short notes such as (5年間)
    tail = info.text
    spans = [(a.start, a.tail) for a in info.amounts + info.excluded] + [(lb.start, lb.end) for lb in info.labels]
    for s, e in sorted(spans, reverse=True):
        tail = tail[:s] + tail[e:]
    tail = SHORT_NOTE.sub("", tail[first:])
    if "※" in tail:
        tail = tail[:tail.index("※")]
    return name if not FILLER.sub("", tail).strip("⇒→+") else None   # (+: the sign of a change, 「+9億円」)


BRACKETED = regex.compile(r"\(([^()]{2,40})\)")


def bracket_after_label(info: LineInfo, rules: RulePack) -> str | None:
    """NAME of 「LABEL (NAME) amount」: the bracket between a line's first
    label and its first amount names the program."""
    if not info.labels or not info.amounts or info.labels[0].end > info.amounts[0].start:
        return None
    m = BRACKETED.fullmatch(info.text[info.labels[0].end:info.amounts[0].start].strip())
    name = clean_name(m.group(1), rules) if m else ""
    return name if len(name) >= 2 and not sentence(name) else None


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


def topic_name(text: str, start: int, end: int, rules: RulePack, after: int | None = None) -> tuple[str, bool] | None:
    """Whose figure running text says text[end:] is, reading text[start:end]
    (the clause before the figure, from the figure before it): a quoted name
    with its particle (「「X」に、…59億円」), else the name just before the
    figure (「…Xで 1,092億円」, 「Xとして 93億円」), else the last topic of the
    clause (「…Xは、5兆3,912億円」); and whether the clause names it as a part
    (このうち / うち) of the budget named before. A name right after the
    figure (text[after:], 「147億円の「X」プロジェクト」: struct.topic_after) comes
    first. Scope words (years, offices, stage words: struct.scope) are not
    names.

    >>> from pipeline.rules import load_rules
    >>> t = "一般会計の2年度の文教及び科学振興費(「臨時・特別の措置」除き)は、5兆3,912億円"
    >>> topic_name(t, 0, t.index("5兆"), load_rules())
    ('文教及び科学振興費', False)
    >>> t = "。このうち、文教関係費は4兆346億円"
    >>> topic_name(t, 0, t.index("4兆"), load_rules())
    ('文教関係費', True)
    >>> t = "文科省は2020年度予算案で健康・医療分野に860億円"
    >>> topic_name(t, 0, t.index("860"), load_rules())
    ('健康・医療分野', False)
    >>> t = "臨床研究の分野では、体制を構築する「橋渡しプログラム」に、前年度よりも9億円多い59億円"
    >>> topic_name(t, 0, t.index("59億"), load_rules())
    ('橋渡しプログラム', False)
    >>> t = "橋渡しを実施する147億円の「明日に架ける橋」プロジェクトも盛り込んだ"
    >>> topic_name(t, 0, t.index("147"), load_rules(), after=t.index("円") + 1)
    ('「明日に架ける橋」プロジェクト', False)
    >>> t = "厚生労働省は、バイオ関連予算に前年度比で3億円増の537億円を要求した"
    >>> topic_name(t, 0, t.index("537"), load_rules(), after=t.index("537") + 5)
    ('バイオ関連予算', False)
    >>> t = "本事業は、研究を支援するため、5億円を計上"
    >>> topic_name(t, 0, t.index("5億"), rules=load_rules()) is None
    True
    """
    for pattern, _, rid in rules.patterns("structure", "topic_after"):   # 「147億円の「X」プロジェクト」
        m = search(pattern, text[after:], rid)
        if m and (name := topic_words(m.group("name"), rules)):
            return name, False
    offset = start + text[start:end].rfind("。") + 1   # the clause: from the figure before, within the sentence
    clause = text[offset:end]
    m = struct(rules, "set_object", clause) if after is not None and struct(rules, "set_to", text[after:]) \
        else struct(rules, "launched", clause)   # 「Xを…1兆1,145億円とした」, 「Xを新規事業として立ち上げ、N」
    if m and (name := topic_words(m.group("name"), rules)):
        return name, False
    adverb = struct(rules, "figure_adverb", clause)   # 「…事業として新たに 1億円」
    if adverb:
        clause = clause[:adverb.start()]
    found = [m for pattern, _, rid in rules.patterns("structure", "topic") for m in finditer(pattern, clause, rid)]
    quoted = [m for m in found if m.group("quoted")]
    near = [m for m in found if m.group("name") and not m.group("particle") and m.end() >= len(clause.rstrip()) - 4]
    topics = [m for m in found if m.group("particle")
              and not (m.group("particle") == "が" and struct(rules, "subordinate", clause[m.end():]))
              and not in_closed_bracket(clause, m.start(), m.end())]   # (「(Xの一部は事項要求)で、…」)
    if after is not None and struct(rules, "allots", text[after:]):   # 「Xに…537億円を要求した」
        last_topic = max((m.end() for m in quoted + near + topics
                          if topic_words(m.group("quoted") or m.group("name") or "", rules)), default=-1)
        given = [name for pattern, _, rid in rules.patterns("structure", "recipient")
                 for m in finditer(pattern, clause, rid)
                 if m.end() > last_topic and (name := topic_words(m.group("name"), rules))]
        if given:   # (a topic closer to the figure, 「「X」には、…10億円を要求」, is the name)
            opened = text.rfind("。", 0, end) + 1
            return given[-1], "うち" in text[opened:end]
    named = []
    for group in (quoted, near, topics):   # the last of each kind that names something
        named += [(name, m) for m in group[::-1] if (name := topic_words(m.group("quoted") or m.group("name"), rules))][:1]
    named = named[:2]
    if len(named) == 2 and struct(rules, "body", named[0][0]):
        named.reverse()   # 「文科省は…健康・医療分野に 860億円」: the office only when nothing narrower is named
    if not named:
        return None
    name, m = named[0]
    opened = text.rfind("。", 0, end) + 1      # このうち anywhere earlier in the sentence: 「このうち、AはX、BはY」
    return name, "うち" in text[opened:offset + m.end()]


def sentence_subject(text: str, rules: RulePack) -> str | None:
    """The first topic marked with は in running text (「文部科学省は、…」), the
    subject the whole sentence is about.

    >>> from pipeline.rules import load_rules
    >>> sentence_subject("文部科学省は、学校の感染症対策等支援に341億円、", load_rules())
    '文部科学省'
    """
    for pattern, _, rid in rules.patterns("structure", "topic"):
        for m in finditer(pattern, text, rid):
            if m.group("particle") == "は" and (name := topic_words(m.group("name") or "", rules)):
                return name
    return None


def topic_words(raw: str, rules: RulePack) -> str | None:
    """The name in a topic: after its last inner particle (struct.inner_particle),
    without a verb opening it (struct.adnominal) and the scope words
    (struct.scope) at either end of its の-pieces, and cleaned as a name.

    >>> from pipeline.rules import load_rules
    >>> topic_words("2020年度予算案では健康・医療分野", load_rules())
    '健康・医療分野'
    >>> topic_words("世界最先端医療の実現を目指す「健康・医療分野の研究開発の推進」", load_rules())
    '健康・医療分野の研究開発の推進'
    >>> topic_words("行うインハウス研究機関経費", load_rules())
    'インハウス研究機関経費'
    >>> topic_words("2年度", load_rules()) is None
    True
    >>> topic_words("厚生労働省医政局の2023年度予算概算要求", load_rules())
    '厚生労働省医政局'
    """
    raw = raw.strip()
    if raw.endswith("」") and "「" in raw:
        raw = raw[raw.rindex("「") + 1:-1]   # 「…を目指す「X」」: the quoted name is the name, one name
    elif "「" not in raw:
        for pattern, _, _ in rules.patterns("structure", "inner_particle"):   # 「予算案では健康・医療分野」
            raw = pattern.split(raw)[-1]
    for pattern, _, _ in rules.patterns("structure", "adnominal"):   # 「…自らの独法等で行うインハウス研究予算」
        raw = pattern.sub("", raw)
    pieces = raw.split("の")
    for pattern, _, _ in rules.patterns("structure", "adnominal"):   # 「…などが行うインハウス研究機関経費」
        pieces[0] = pattern.sub("", pieces[0])
    bodies = [p for p in pieces if struct(rules, "body", p)] \
        + [p[:-1] for p in pieces if p.endswith("分") and struct(rules, "body", p[:-1])]   # 「厚生労働省分の」
    year = hit(rules, "year", "year", pieces[0]) if pieces else None
    if year and year.start() == 0 and year.end() < len(pieces[0]) \
            and not struct(rules, "scope", pieces[0][year.end():]):
        pieces[0] = pieces[0][year.end():]   # 「令和7年度農林水産予算として」: the budget, its year aside
    while pieces and struct(rules, "scope", pieces[0]):
        pieces.pop(0)
    while pieces and struct(rules, "scope", pieces[-1]):
        pieces.pop()   # 「…予算の2023年度概算要求の総額」
    name = clean_name("の".join(pieces), rules) or (bodies[0] if bodies else "")
    if bodies and struct(rules, "account", name):
        name = bodies[0]   # 「厚生労働省分の一般会計総額は」: the ministry's account
    for pattern, _, _ in rules.patterns("structure", "stage_suffix"):   # 「インハウス研究予算案も…734億円」
        name = pattern.sub("", name) if len(name) > 5 else name
    if len(name) < 2 or len(name) > rules.settings["max_name_length"] \
            or (struct(rules, "scope", name) and name not in bodies) \
            or name.replace(",", "").replace(".", "").isdigit() \
            or (regex.match(r"\p{Hiragana}", name[-1]) and not name.endswith("など")):
        return None   # (a name ending in kana such as 新た of 新たに is an adverb or a verb's stem; 「費用など」 is one)
    return name


KATAKANA = regex.compile(r"[\p{Katakana}ー]")


def breaks_off(text: str, following: str, rules: RulePack) -> bool:
    """Does a name line go on on the next line: it ends in a character of
    ``title_continues`` (a particle, a verb's る or た before its noun), or a
    katakana word is cut between the two (「…研究データエコ」 「システム構築事業」).

    >>> from pipeline.rules import load_rules
    >>> breaks_off("AI等の活用を推進する研究データエコ", "システム構築事業", load_rules())
    True
    >>> breaks_off("深海探査技術開発事業", "海洋観測事業", load_rules())
    False
    """
    last, first = text[-1:], following[:1]
    return bool(last) and (last in rules.settings["title_continues"]
                           or (KATAKANA.match(last) is not None and KATAKANA.match(first) is not None))


def continues_name(before: str, text: str, rules: RulePack) -> bool:
    """Is ``text`` the rest of a name whose line before was ``before``: the
    name breaks off there (breaks_off), or this line opens with a particle or
    other kana no name starts with (「教育の質の向上」 「に向けた、学校」 …).

    >>> from pipeline.rules import load_rules
    >>> continues_name("の充実の一体的", "な推進", load_rules())
    True
    >>> continues_name("海洋観測事業", "深海探査事業", load_rules())
    False
    """
    if not text or "。" in before or "。" in text:
        return False
    return breaks_off(before, text, rules) or text.startswith(PARTICLES) \
        or struct(rules, "continues_line", text) is not None


def without_closing_title_words(name: str, rules: RulePack) -> str:
    """A page title as its program's name: the words a title closes with
    (struct.title_words) go, when a name of two characters or more is left.

    >>> from pipeline.rules import load_rules
    >>> without_closing_title_words("子ども手当の概要", load_rules()), without_closing_title_words("概要調査事業", load_rules())
    ('子ども手当', '概要調査事業')
    """
    for pattern, _, rid in rules.patterns("structure", "title_words"):
        last = None
        for m in finditer(pattern, name, rid):
            last = m
        if last is not None and last.end() == len(name) and len(name[:last.start()].strip()) >= 2:
            name = name[:last.start()].rstrip()
    return name

