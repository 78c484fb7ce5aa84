"""Layout strategy for text a converter wrote with the page's layout
(pdftotext -layout, pdfplumber's layout text): a slide of two columns comes
out with both on each line, 「○ 先端研究設備の共用化促進事業  94億円     ○ 博士人材
キャリア開拓支援事業  28億円」. A band of such lines — each with a wide gap at one
display column, text on both sides — is read as two columns, the left one
first, as the slide is read. Lines wholly left or right of the gap belong to
that column; a line whose text crosses the gap, or a page number, ends the band. A table's
aligned columns are no text columns: the right side of most of the band's
lines must hold words, not only numbers.

Tolerances are settings: ``text_column_gap`` (spaces a gap has at least),
``text_column_lines`` (lines of a band with text on both sides, at least),
``text_column_slack`` (display columns the right side's start may wander).
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.extract import Line, make_line
from pipeline.facts.lines import struct
from pipeline.parse import UNIT_PATTERN
from pipeline.rules import RulePack

FIGURE_FIRST = re.compile(r"[\s\u3000]*[△▲+]?[\d０-９]")   # a side that opens with a figure: a name's, cut off
WORDS = re.compile(r"[\u3040-\u30ff]|[\u3400-\u9fff]{3}")   # kana, or three kanji in a row
LETTER = re.compile(r"[\u3040-\u30ff\u3400-\u9fffA-Za-z]")
AMOUNTS = re.compile(r"[\d,.]+\s*(?:%s)?円|[(（][^()（）]{0,6}[)）]" % UNIT_PATTERN)


def worded(side: str, letters: int = 6) -> bool:
    """Does one side of a gap hold a text's words — a phrase of ``letters``
    letters or more besides its figures (the setting ``text_column_letters``)
    —, not only figures and their flags, nor a form's field name (「事業名」)?

    >>> worded("○ 博士人材キャリア開拓支援事業"), worded("1,234億円（新規）"), worded("総額 312億円"), worded("担当部局庁")
    (True, False, False, False)
    """
    words = AMOUNTS.sub("", side)
    return WORDS.search(words) is not None and len(LETTER.findall(words)) >= letters


def width(text: str) -> int:
    """Display width as a layout converter counts it (a wide character is two).

    >>> width("予算 37"), width("")
    (7, 0)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def gaps(raw: str, least: int) -> list[tuple[int, int, int]]:
    """(raw start, raw end, display column of the text after it) of each
    gap at least ``least`` display columns wide between text on a line (not
    the indentation before it).

    >>> gaps("  ○ 事業  94億円      ○ 支援", 4)
    [(12, 18, 22)]
    """
    out = []
    for m in re.finditer(r"[ \u3000]+", raw):   # (its width counted as displayed: 「　　」 is four columns)
        if width(m.group()) >= least and m.start() and raw[:m.start()].strip() and raw[m.end():].strip():
            out.append((m.start(), m.end(), width(raw[:m.end()])))
    return out


def split_at(raw: str, column: int, least: int, slack: int, letters: int = 6) -> tuple[str, str, bool] | str | None:
    """The line's left and right sides at a text column (a pair, and whether
    the right side starts at the column rather than further right across a
    gap spanning it); "left" or "right" when all its text stands on one
    side; None when its text crosses the column."""
    text = raw.rstrip()
    if not text.strip():
        return None
    if width(text) <= column - 1:
        return "left"
    indent = len(raw) - len(raw.lstrip(" \u3000"))
    if width(raw[:indent]) >= column - slack:
        return "right"
    for start, end, at in gaps(raw, least):   # a gap at the column: the right side starts there, or, with
        if abs(at - column) <= slack:          # text on both sides, the gap spans it
            return raw[:start], raw[end:], True
        if width(raw[:start]) <= column <= at and worded(raw[:start], letters) and worded(raw[end:], letters):
            return raw[:start], raw[end:], False
    return None


def column_bands(lines: list[Line], rules: RulePack) -> list[tuple[int, int, int]]:
    """(first line, end, display column) of each band of lines that hold two
    text columns side by side."""
    least, need, slack, letters = (rules.settings[k] for k in ("text_column_gap", "text_column_lines",
                                                               "text_column_slack", "text_column_letters"))
    bands, k = [], 0
    while k < len(lines):
        best = None
        if lines[k].bbox is None:
            for _, _, column in gaps(lines[k].raw_text, least):
                end, both, texts, last, cut, exact = k, 0, 0, k, 0, 0
                while end < len(lines) and lines[end].bbox is None:
                    sides = split_at(lines[end].raw_text, column, least, slack, letters)
                    if sides is None or struct(rules, "page_number", lines[end].text):
                        break   # (a page's number ends its slide, and the band)
                    if isinstance(sides, tuple):
                        both += 1
                        texts += worded(sides[0], letters) and worded(sides[1], letters)
                        cut += bool(FIGURE_FIRST.match(sides[1]))
                        exact += sides[2]
                        last = end
                    end += 1
                end = last + 1   # (lines of one side after the band's last two-sided line: the next slide's)
                # the longest band that does not part names from their figures (a third of its lines at most)
                if exact >= need and texts * 2 > both and cut * 3 < both \
                        and (best is None or (end - k, -cut) > (best[1] - best[0], -best[3])):
                    best = (k, end, column, cut)
        if best is None:
            k += 1
            continue
        bands.append(best[:3])
        k = best[1]
    return bands


def split_text_columns(lines: list[Line], rules: RulePack) -> list[Line]:
    """The page's lines with each band of two text columns read as two:
    the left column's pieces, then the right column's (column_bands). Each
    piece keeps its line's number; its raw text is the piece."""
    bands = column_bands(lines, rules)
    if not bands:
        return lines
    least, slack, letters = (rules.settings[k] for k in ("text_column_gap", "text_column_slack", "text_column_letters"))
    out: list[Line] = []
    k = 0
    for first, end, column in bands:
        out += lines[k:first]
        left: list[Line] = []
        right: list[Line] = []
        for line in lines[first:end]:
            sides = split_at(line.raw_text, column, least, slack, letters)
            if sides == "left":
                left.append(line)
            elif sides == "right":
                right.append(line)
            elif isinstance(sides, tuple):
                for side, pieces in zip(sides[:2], (left, right)):
                    piece = make_line(line.page, line.number, side, markdown=True)
                    if piece is not None:
                        pieces.append(piece)
        out += left + right
        k = end
    return out + lines[k:]
