"""Names in running text: whose figure a sentence says it is — a quoted
name with its particle, the name just before the figure, the topic of its
clause, the subject of its sentence (struct.topic and the roles around it)."""
from __future__ import annotations

import regex

from pipeline.facts.brackets import in_closed_bracket
from pipeline.facts.lines import NOTE_MARK, LineInfo, hit, struct
from pipeline.facts.names import clean_name
from pipeline.guard import finditer, search
from pipeline.rules import RulePack


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
        named += [(name, m) for m in group[::-1] if (name := topic_words(
            with_modifiers(clause, m, rules) if group is near else m.group("quoted") or m.group("name"), rules))][:1]
    named = named[:2]
    if len(named) == 2 and struct(rules, "body", named[0][0]):
        named.reverse()   # 「文科省は…健康・医療分野に 860億円」: the office only when nothing narrower is named
    if not named:
        return None
    name, m = named[0]
    opened = text.rfind("。", 0, end) + 1      # このうち anywhere earlier in the sentence: 「このうち、AはX、BはY」
    return name, "うち" in text[opened:offset + m.end()]


def with_modifiers(clause: str, m, rules: RulePack) -> str:
    """The name a topic match found just before its figure, with the words
    before it that a compound particle joins to it (struct.name_modifier).

    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> clause = "③宇宙戦略基金による支援の拡充・強化に向けた経費("
    >>> m = [m for p, _, _ in rules.patterns("structure", "topic") for m in p.finditer(clause)][-1]
    >>> m.group("name"), with_modifiers(clause, m, rules)
    ('経費', '宇宙戦略基金による支援の拡充・強化に向けた経費')
    """
    start = m.start("name")
    while (joint := struct(rules, "name_modifier", clause[:start])) is not None:
        start = joint.start()
    return clause[start:m.end("name")]


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
    >>> topic_words("平成30年度予算(政府案)における文教及び科学振興費", load_rules())
    '文教及び科学振興費'
    >>> topic_words("※公立学校施設整備費", load_rules())
    '公立学校施設整備費'
    """
    raw = raw.strip().lstrip(NOTE_MARK + "0123456789 ") if raw.startswith(NOTE_MARK) else raw.strip()   # (「※2 Xは、」)
    joints = [m for p, _, rid in rules.patterns("structure", "within") for m in finditer(p, raw, rid)]
    if joints and raw[joints[-1].end():] and struct(rules, "scope", raw[:joints[-1].start()]):
        raw = raw[joints[-1].end():]   # 「令和5年度予算(案)における科学技術振興費」: the budget it is in
    if (owned := struct(rules, "quoted_owner", raw)) is not None:
        return owned.group("name")   # 「『X』の基金」: X's budget
    if raw.endswith("」") and "「" in raw:
        raw = raw[raw.rindex("「") + 1:-1]   # 「…を目指す「X」」: the quoted name is the name, one name
    elif "「" not in raw:
        for pattern, _, _ in rules.patterns("structure", "inner_particle"):   # 「予算案では健康・医療分野」
            raw = pattern.split(raw)[-1]
    for pattern, _, _ in rules.patterns("structure", "adnominal"):   # 「…自らの独法等で行うインハウス研究予算」
        raw = pattern.sub("", raw)
    if points_back(raw, rules):
        return raw   # 「同事業」: written out by its reader (antecedent()), no scope word
    pieces = raw.split("の")
    if len(pieces) >= 2 and struct(rules, "total_word", pieces[-1]) \
            and (struct(rules, "account", pieces[-2]) or is_body(pieces[-2], rules)):
        return clean_name(pieces[-2], rules)   # 「一般会計の歳出総額」, 「デジタル庁の要求総額」: the account's, the body's
    for pattern, _, _ in rules.patterns("structure", "adnominal"):   # 「…などが行うインハウス研究機関経費」
        pieces[0] = pattern.sub("", pieces[0])
    bodies = [p for p in pieces if struct(rules, "body", p)] \
        + [p[:-1] for p in pieces if p.endswith("分") and struct(rules, "body", p[:-1])]   # 「厚生労働省分の」
    year = hit(rules, "year", "year", pieces[0]) if pieces else None
    if year and year.start() == 0 and year.end() < len(pieces[0]) \
            and not struct(rules, "scope", pieces[0][year.end():]):
        pieces[0] = pieces[0][year.end():]   # 「令和7年度農林水産予算として」: the budget, its year aside
    while pieces and struct(rules, "scope", pieces[0]) and not (
            len(pieces) > 1 and (head := clean_name(pieces[0], rules)) and (head == "政府" or is_body(head, rules))):
        pieces.pop(0)   # (「内閣府の科学技術関係予算」: whose budget it is stays; 「2020年度の」 goes)
    while pieces and struct(rules, "scope", pieces[-1]):
        pieces.pop()   # 「…予算の2023年度概算要求の総額」
    name = clean_name("の".join(pieces), rules) or (bodies[0] if bodies else "")
    if bodies and struct(rules, "account", name):
        name = bodies[0]   # 「厚生労働省分の一般会計総額は」: the ministry's account
    for pattern, _, _ in rules.patterns("structure", "stage_suffix"):   # 「インハウス研究予算案も…734億円」
        name = pattern.sub("", name) if len(name) > 5 else name
    bare = name[1:-1] if name[:1] == "(" and name[-1:] == ")" else name   # 「(平成8年度)」: a year in brackets
    if len(name) < 2 or len(name) > rules.settings["max_name_length"] \
            or (struct(rules, "scope", bare) and name not in bodies) \
            or name.replace(",", "").replace(".", "").isdigit() \
            or (regex.match(r"\p{Hiragana}", name[-1]) and not name.endswith("など")):
        return None   # (a name ending in kana such as 新た of 新たに is an adverb or a verb's stem; 「費用など」 is one)
    return name


def points_back(name: str, rules: RulePack) -> bool:
    """Is the name wholly one that points back (「同事業」, 「同交付金」: struct.anaphora)?
    A topic keeps it for its reader to write out (antecedent()).

    >>> from pipeline.rules import load_rules
    >>> points_back("同事業", load_rules()), points_back("同時接種推進事業", load_rules())
    (True, False)
    """
    m = struct(rules, "anaphora", name)
    return m is not None and m.end() == len(name)


def antecedent(name: str, before: str, rules: RulePack) -> str | None:
    """A name that points back (struct.anaphora: 「同省関係分」, 「同交付金」)
    written out with the last name the text before it gave that noun, else
    with the last name it quoted (「…の目玉が、「東北メディカル・メガバンク」
    である。同施策には…」); else None for a name that only points back
    (「同事業」: nobody named), the name as it is for any other.

    >>> from pipeline.rules import load_rules
    >>> antecedent("同省関係分", "経済産業省は10日、2023年度補正予算案の", load_rules())
    '経済産業省関係分'
    >>> antecedent("同交付金", "減収分は、地方特例交付金で全額補塡する。", load_rules())
    '地方特例交付金'
    >>> antecedent("同事業", "予算の話。", load_rules()) is None
    True
    >>> antecedent("同施策", "復興のための施策の目玉が、「メディカル・バンク」である。", load_rules())
    'メディカル・バンク'
    """
    m = struct(rules, "anaphora", name)
    if m is None:
        return name
    noun = m.group("noun")
    named = [(w.end(), len(w.group()), w.group()) for w in regex.finditer(
        r"[\p{Han}\p{Katakana}ー・A-Za-z]+?" + regex.escape(noun) + r"(?![\p{Han}\p{Katakana}ー])", before)
        if not w.group().startswith("同") and len(w.group()) > len(noun)
        and (not struct(rules, "scope", w.group()) or is_body(w.group(), rules))]   # (not 「新規事業」)
    quoted = [(q.end(1), len(q.group(1)), q.group(1)) for q in regex.finditer(r"「([^「」。]{2,40})」", before)]
    named += [q for q in quoted if q[2].endswith(noun)]   # (「こどもの居場所づくり支援事業」: kana inside, the whole)
    if named:
        return max(named)[2] + name[m.end():]   # the last named, the longest of those ending there
    return quoted[-1][2] if quoted else None if points_back(name, rules) else name


def bill_budget(info: LineInfo, rules: RulePack) -> str | None:
    """The account a budget bill's title line names (struct.bill_title), its
    year aside: the owner of the figure of the article below it.

    >>> from pipeline.extract import make_line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> bill_budget(analyze(make_line(1, 1, "議案第２号　令和７年度北浜市介護保険事業特別会計予算"), rules), rules)
    '北浜市介護保険事業特別会計'
    """
    m = struct(rules, "bill_title", info.text) if not info.amounts else None
    return clean_name(m.group("name"), rules) if m else None


def named_before(text: str, rules: RulePack) -> str | None:
    """The body a heading names before a figure (``text``: its line up to
    it) — a heading in brackets opening the line (bracket_heading:
    「【文部科学省】総額6兆1,204億円を要求。」), or a speaker's or a column's heading said
    as a sentence of its own, 「まずデジタル庁。来年度予算案は4,962億円で…」: the sentence
    before the figure's is only a ministry's or agency's name (struct.body),
    after an opening word at most (struct.heading_lead).

    >>> from pipeline.rules import load_rules
    >>> named_before("まずデジタル庁。来年度予算案は", load_rules()), named_before("前の文。来年度予算案は", load_rules())
    ('デジタル庁', None)
    """
    if (body := bracket_heading(text, rules)) is not None:
        return body
    end = text.rfind("。")
    if end < 0:
        return None
    before = text[text.rfind("。", 0, end) + 1:end].strip()
    for pattern, _, _ in rules.patterns("structure", "heading_lead"):
        before = pattern.sub("", before)
    if is_body(before, rules):
        return before
    return None if struct(rules, "contrast_lead", text[end + 1:]) else paragraph_subject(text[:end], rules)


def paragraph_subject(text: str, rules: RulePack) -> str | None:
    """The budget a sentence with no figure makes its subject, the last such
    sentence of ``text`` (a paragraph up to the figure's sentence): 「政府の宇宙関係予算が
    急拡大している。…2024年度は3,210億円」 (struct.budget_subject).

    >>> from pipeline.rules import load_rules
    >>> paragraph_subject("政府の宇宙関係予算が急拡大している。当初予算ベースで", load_rules())
    '政府の宇宙関係予算'
    """
    amount = rules.role("amount", "amount")[0]
    for said in reversed(text.split("。")):
        m = struct(rules, "budget_subject", said.strip())
        if m and not finditer(amount["re_pattern"], said, amount["id"]) and (name := topic_words(m.group("name"), rules)):
            return name
    return None


def asked_about(text: str, rules: RulePack) -> str | None:
    """The budget a question line asks about (struct.question, its Q mark
    gone): 「Q1. こども家庭庁の来年度予算案はいくら？」 → こども家庭庁, whose figures the
    answer below it gives.

    >>> from pipeline.rules import load_rules
    >>> asked_about("Q1.こども家庭庁の来年度予算案はいくら?", load_rules()), asked_about("Q2.いちばん大きいのは?", load_rules())
    ('こども家庭庁', None)
    """
    m = struct(rules, "question", clean_name(text, rules))
    return topic_words(m.group("name"), rules) if m else None


def bracket_heading(text: str, rules: RulePack) -> str | None:
    """The body a line's opening heading in lenticular brackets names
    (struct.section_heading: 「【文部科学省】総額6兆1,204億円を要求。」), whose figure a
    line naming nothing narrower gives.

    >>> from pipeline.rules import load_rules
    >>> bracket_heading("【厚生労働省】総額は約34兆7,000億円", load_rules()), bracket_heading("【事業概要】", load_rules())
    ('厚生労働省', None)
    """
    m = struct(rules, "section_heading", text)
    name = m.group("heading").strip() if m else ""
    return name if name and is_body(name, rules) else None


def is_body(name: str, rules: RulePack) -> bool:
    """Is the name a ministry's, agency's or office's (struct.body), not an
    account's (struct.account: 一般会計 is no body)?

    >>> from pipeline.rules import load_rules
    >>> is_body("内閣府", load_rules()), is_body("一般会計", load_rules())
    (True, False)
    """
    return bool(struct(rules, "body", name)) and not struct(rules, "account", name)

