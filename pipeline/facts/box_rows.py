"""Layout strategy for text where a converter joined the boxes of one row of
a slide into one line with a single space between them (the plain text of
pdfplumber or PyMuPDF of a grid of numbered boxes, as a 財務省 「予算のポイント」
page draws them):

    1．学校教育の質の向上の推進 2．高等教育の修学支援の推進
    1兆5,216億円（1兆5,251億円） 5,196億円（4,804億円）

A line of k ≥ 2 headings, each opening with the next enumerator (1. 2.,
(3) (4), ③ ④, III. IV.) or each with the same bullet (「○A ○B」), right
above a line of exactly k figure groups (a figure and its bracketed figure,
the first perhaps after its own stage label), is read box by box: each heading over
its own figures. The row's last box comes first and its first box last, so
that the lines below — in joined text they open with the first box's words
— follow the box they begin in. No gap wide enough for text_columns to see
is needed; lines with positions (a PDF) are left as they are.
"""
from __future__ import annotations

import re

from pipeline.extract import Line, make_line
from pipeline.facts.lines import labels_of, struct
from pipeline.guard import search
from pipeline.normalize import normalize
from pipeline.rules import RulePack

GAP = re.compile(r"[ \u3000]+")
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
OPENERS = "(（[［【"


def rank(enumerator: str) -> int | None:
    """The number an enumerator counts (normalized text).

    >>> rank("1."), rank("(12)"), rank("③"), rank("IV."), rank("Ⅱ"), rank("一、")
    (1, 12, 3, 4, 2, None)
    """
    mark = enumerator.strip().strip(".()、 ")
    if mark.isascii() and mark.isdigit():
        return int(mark)
    if len(mark) == 1 and "①" <= mark <= "⑳":
        return ord(mark) - ord("①") + 1
    if len(mark) == 1 and "Ⅰ" <= mark <= "Ⅻ":
        return ord(mark) - ord("Ⅰ") + 1
    return ROMAN.get(mark)


def rank_at(raw: str, rules: RulePack) -> int | None:
    """The number of the enumerator a raw piece of text opens with, when
    words follow it (「2．高等教育」: 2; 「2．」 alone or 「2,377億円」: None)."""
    text = normalize(raw[:40])
    m = struct(rules, "enumerator", text)
    if m is None or not text[m.end():m.end() + 1].strip() or "円" in text[:m.end() + 4]:
        return None
    return rank(m.group(0))


def heading_row(raw: str, rules: RulePack) -> list[str] | None:
    """The k ≥ 2 headings of a line, each opening with the enumerator after
    the one before, or each with the bullet the first opens with (「○A ○B」),
    with no figure on the line; None for any other line.

    >>> from pipeline.rules import load_rules
    >>> heading_row("1．学校教育の推進 2．高等教育の推進", load_rules())
    ['1．学校教育の推進', '2．高等教育の推進']
    >>> heading_row("1．学校教育の推進 3．高等教育の推進", load_rules()) is None
    True
    >>> heading_row("○義務教育費国庫負担金 ○科学研究費助成事業（科研費）", load_rules())
    ['○義務教育費国庫負担金', '○科学研究費助成事業（科研費）']
    """
    text = raw.strip()
    if "円" in text:
        return None
    bullet = struct(rules, "bullet", normalize(text[:2]))
    mark = text[0] if bullet is not None and text[1:2].strip() else None
    first = rank_at(text, rules) if mark is None else 0
    if first is None:
        return None
    cuts, want = [0], first + 1
    for gap in GAP.finditer(text):
        rest = text[gap.end():]
        if (rest[:1] == mark and rest[1:2].strip()) if mark else rank_at(rest, rules) == want:
            cuts.append(gap.end())
            want += 1
    if len(cuts) < 2:
        return None
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)])]


def figure_groups(raw: str, rules: RulePack) -> list[str]:
    """The pieces of a line of figures between single gaps, a bracket that
    follows a figure after a gap kept with it; [] when a piece does not open
    with an amount or with a stage label right before its amount.

    >>> from pipeline.rules import load_rules
    >>> figure_groups("1兆5,216億円（1兆5,251億円） 5,196億円 （4,804億円）", load_rules())
    ['1兆5,216億円（1兆5,251億円）', '5,196億円 （4,804億円）']
    >>> figure_groups("5,196億円 を計上", load_rules())
    []
    >>> figure_groups("令和6年度補正予算（案）300億円 42億円", load_rules())
    ['令和6年度補正予算（案）300億円', '42億円']
    """
    amount = rules.role("amount", "amount")[0]
    groups: list[str] = []
    pieces = GAP.split(raw.strip())
    spaces = GAP.findall(raw.strip())
    for k, piece in enumerate(pieces):
        if groups and piece[:1] in OPENERS:
            groups[-1] += spaces[k - 1] + piece
            continue
        text = normalize(piece)
        m = search(amount["re_pattern"], text, amount["id"])
        if m is None or (m.start() and not any(lab.start == 0 and m.start() - lab.end <= 1
                                               for lab in labels_of(text, rules))):
            return []   # (a piece opens with its figure, or with its own label: 「令和6年度補正予算（案）300億円」)
        groups.append(piece)
    return groups


def split_box_rows(lines: list[Line], rules: RulePack) -> list[Line]:
    """The page's lines with each joined row of numbered or bulleted boxes
    read box by box (the module's docstring). Each piece keeps its line's number; its
    raw text is the piece."""
    out: list[Line] = []
    k = 0
    while k < len(lines):
        line = lines[k]
        heads = heading_row(line.raw_text, rules) if line.bbox is None and k + 1 < len(lines) else None
        values = figure_groups(lines[k + 1].raw_text, rules) if heads else []
        if not heads or len(values) != len(heads):
            out.append(line)
            k += 1
            continue
        below = lines[k + 1]
        for head, value in reversed(list(zip(heads, values))):
            for source, piece in ((line, head), (below, value)):
                made = make_line(source.page, source.number, piece, markdown=True)
                if made is not None:
                    out.append(made)
        k += 2
    return out
