"""Names on a line: a program or component name without its bullet or
enumerator, whether a line can be a name at all, and the name a header line
'NAME <figures>' gives its figures."""
from __future__ import annotations

import functools

import regex

from pipeline.facts.brackets import bracket_end, unmatched_open
from pipeline.facts.lines import (
    FILLER,
    NOTE_MARK,
    SHORT_NOTE,
    LineInfo,
    remembered,
    sentence,
    struct,
)
from pipeline.guard import finditer
from pipeline.parse import UNITS
from pipeline.rules import RulePack

UNIT_TAILS = tuple(unit + "円" for unit in UNITS)   # a line opening with one (「億円、…」): the rest of a figure
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
    >>> clean_name("-研究基盤設備強化プログラム-", load_rules())
    '研究基盤設備強化プログラム'
    """
    name = text.strip()
    for pattern, needs, _ in rules.patterns("structure", "listed_bullet"):   # 「…推進や▽医療や…」: one item
        if needs is None or any(n in name for n in needs):
            name = pattern.sub(r"\g<joint>", name)
    for role in ("bullet", "speaker", "enumerator", "lead_note", "lead_conjunction", "part_of", "lead_note"):   # (うち【新規】X)
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
    marks = rules.settings.get("name_frame_marks", "")
    if len(name) > 2 and name[0] in marks and name[-1] == name[0] and name.count(name[0]) == 2:
        name = name[1:-1]   # 「-…プログラム-」: a name between two of one mark
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


def wrapped_tail(lines: list[LineInfo], i: int, rules: RulePack) -> str:
    """The closing word of the name on line i wrapped onto a line of its
    own below it (struct.name_tail: 「○ 研究機器国産化加速 33億円」 / 「プロジェクト」),
    past the items the same row of a two-column slide gave (「○ 国際頭脳… 19億円」)."""
    number = lines[i].line.number
    if i and lines[i - 1].line.number == number:
        return ""   # the second item of a row cut in two: whose word a wrapped line is, the text does not say
    j = i + 1
    while j < len(lines) and lines[j].line.number == number:
        j += 1
    return lines[j].text if j < len(lines) and struct(rules, "name_tail", lines[j].text) else ""


def _header_name(info: LineInfo, rules: RulePack) -> str | None:
    name = _name_before_figures(info, rules)
    if name and unmatched_open(name) is None:
        return name
    return _name_before_bracket(info, rules) \
        or _name_after_figure(info, rules)   # 「NAME(office、R3補:200億円)」, 「○ 486億円 NAME(前年度 305億円)」


def _name_after_figure(info: LineInfo, rules: RulePack) -> str | None:
    """NAME of '○ 486億円 NAME (前年度 305億円)': a figure opens the line
    (after a bullet at most) and the program's name follows it, up to the
    line's next figure, label or bracket.

    >>> from pipeline.extract import make_line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> info = analyze(make_line(1, 1, "○ 486億円 麦・大豆等の国産化の推進(前年度 305億円)"), rules)
    >>> _name_after_figure(info, rules)
    '麦・大豆等の国産化の推進'
    >>> _name_after_figure(analyze(make_line(1, 1, "○ 486億円を計上"), rules), rules) is None
    True
    """
    a = info.amounts[0]
    if any(lab.start < a.start for lab in info.labels) or clean_name(info.text[:a.start if a.lead is None else a.lead], rules):
        return None
    ends = [b.start if b.lead is None else b.lead for b in info.amounts[1:] + info.excluded if b.start >= a.tail]
    ends += [lab.start for lab in info.labels if lab.start >= a.tail]
    rest = info.text[a.tail:min(ends, default=len(info.text))]
    opened = unmatched_open(rest)
    rest = rest[:opened] if opened is not None else rest
    if struct(rules, "figure_word", rest) is not None or rest.lstrip()[:1] in "([【<":
        return None   # 「486億円を計上」, 「486億円規模」: the figure's own words; 「(±0)」: its note, no name
    name = clean_name(rest, rules)
    if len(name) < 2 or len(name) > rules.settings["max_name_length"] or sentence(name) \
            or name.startswith(PARTICLES) or struct(rules, "not_title", name) or struct(rules, "furniture", name):
        return None
    return name


def _name_before_bracket(info: LineInfo, rules: RulePack) -> str | None:
    """NAME of 'NAME(office、label:figure、label:figure、note)': a bracket
    after the name lists its figures (「ワクチン開発推進事業(厚労(AMED)、R2補①:
    100億円、R2補②:500億円、基金)」); after the bracket only filler."""
    first = min([a.start for a in info.amounts] + [lab.start for lab in info.labels])
    opened = unmatched_open(info.text[:first])
    if opened is None or opened < 2:
        return None
    after = bracket_end(info.text, opened, opened + 1, "()")
    close = after - 1 if after > opened + 1 else len(info.text)
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
    joint = struct(rules, "name_particle", name) if len(name) > 3 else None
    if joint is not None:
        name = name[:joint.start()]   # 「・科研費に2,600億円」: the particle joins the name to its figure
    if not name or struct(rules, "reference", name):
        return bracket_after_label(info, rules)   # 「(参考)21年度補正予算額(子育て応援特別手当) 2,495億円」
    if len(name) < 2 or len(name) > rules.settings["max_name_length"] or name.startswith(UNIT_TAILS):
        return None   # (「億円、R3補:70億円)」: the rest of a figure broken over two lines, no name)
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
    stop = tail.find("。", max(a.tail for a in info.amounts))
    if stop > 0 and is_enumerated(info, rules):   # 「(1) NAME 令和5年度予算額(案)428億円(…)。1課題当たり…」: what it does
        tail = tail[:stop]
    spans = [(a.start, a.tail) for a in info.amounts + info.excluded] + [(lb.start, lb.end) for lb in info.labels]
    for s, e in sorted(spans, reverse=True):
        tail = tail[:s] + tail[e:]
    tail = SHORT_NOTE.sub("", tail[first:])
    if "※" in tail:
        tail = tail[:tail.index("※")]
    for ratio, _, _ in rules.patterns("structure", "ratio_cell"):
        tail = ratio.sub("", tail)   # a table row's 伸率 cell (「…\t13,950億円\t4.8%」)
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




JAPANESE_LETTER = r"[\p{Han}\p{Hiragana}\p{Katakana}ー々]"
PRINTED_GAP = regex.compile(rf"{JAPANESE_LETTER}[ \u3000\t]+{JAPANESE_LETTER}")
JAPANESE_CHAR = regex.compile(JAPANESE_LETTER)


def has_gap_char(raw: str) -> bool:
    """Does the raw text hold a character PRINTED_GAP needs between its letters
    (the literal test first: the regex over every line of a release costs five times more)?"""
    return " " in raw or "\u3000" in raw or "\t" in raw


def printed_gaps(text: str, raw: str, index_map: list[int]) -> list[int]:
    """Where in the normalized ``text`` its ``raw`` line printed whitespace
    between two Japanese letters (normalization drops it): the index of the
    letter after each gap.

    >>> from pipeline.normalize import normalize_with_map
    >>> raw = "① 科研費 科学研究費助成事業"
    >>> text, index_map = normalize_with_map(raw)
    >>> text, printed_gaps(text, raw, index_map)
    ('①科研費科学研究費助成事業', [4])
    >>> printed_gaps("予備費", "予 備 費", [0, 2, 4])
    []
    """
    if len(index_map) != len(text):
        return []
    gaps = [k for k in range(1, len(text)) if index_map[k] > index_map[k - 1] + 1
            and raw[index_map[k - 1] + 1:index_map[k]].strip() == ""
            and PRINTED_GAP.match(f"{text[k - 1]} {text[k]}")]
    bounds = set(gaps)

    def letters(k: int, step: int) -> int:   # Japanese letters in a row from text[k], back (-1) or on (1), to a gap
        n = 0
        while 0 <= k < len(text) and JAPANESE_CHAR.match(text[k]):
            n += 1
            if (k if step < 0 else k + 1) in bounds:
                break
            k += step
        return n
    # two letters a side at least: 「予 備 費」 is one word set with spaced letters
    return [k for k in gaps if letters(k - 1, -1) >= 2 and letters(k, 1) >= 2]


def printed_names(names: set[str], lines: list) -> dict[str, str]:
    """Each name that a line prints with a separator inside it (「① 科研費
    科学研究費助成事業」: two names of one program side by side), mapped to
    the name with that separator kept as one space; the first line in the
    release that holds the name decides. Only text-layer lines whose raw
    text has whitespace between two Japanese letters are looked at (OCR puts
    its spaces where it guesses a word ends).

    >>> from pipeline.extract import make_line
    >>> printed_names({"科研費科学研究費助成事業", "創発"}, [make_line(1, 1, "① 科研費 科学研究費助成事業")])
    {'科研費科学研究費助成事業': '科研費 科学研究費助成事業'}
    """
    gapped = [(ln.text, printed_gaps(ln.text, ln.raw_text, ln.index_map))   # (OCR's spaces are guesses)
              for ln in lines if not ln.ocr and has_gap_char(ln.raw_text) and PRINTED_GAP.search(ln.raw_text)]
    gapped = [(text, gaps) for text, gaps in gapped if gaps]
    out: dict[str, str] = {}
    for name in names:
        at, gaps = next(((text.find(name), gaps) for text, gaps in gapped if len(name) > 1 and name in text), (-1, []))
        inside = [k - at for k in gaps if at < k < at + len(name)]
        if inside:
            out[name] = "".join(" " + c if k in inside else c for k, c in enumerate(name))
    return out
