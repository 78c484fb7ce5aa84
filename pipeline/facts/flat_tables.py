"""Layout strategy for a table whose line breaks were lost (a web page's
table copied as text, a capture that joined every cell with a space): its
rows run together on one line — 「社会保障関係費 301,250 305,880 4,630 1.5
文教及び科学振興費 48,315 48,602 287 0.6 …」, the header and its caption
often before the first row. The line is cut into its caption, its unit, its
header and a line a row, which the table strategy (tables.py) then reads as
any other table.

A run of cells is whitespace-separated tokens that are each a plain number
(amount.table_number, the whole token), an empty cell (amount.placeholder),
a ratio (struct.ratio_cell) or a word standing for a number
(struct.cell_word: 皆増). A row is a name and its cells; the line is a
table's rows when at least ``flat_rows_min`` rows have the same number of
cells (two or more). A row broken over two lines (its last cells start the
next line) is read whole. A line whose spaces a converter dropped
(「一般歳出617,184669,020+51,837+8.4%社会保障関係費…」) is cut the same way
once its tokens are cut around the cells glued into them (glued_tokens).
"""
from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from pipeline.extract import Line, make_line
from pipeline.facts.lines import hit, struct
from pipeline.normalize import normalize, normalize_pairs
from pipeline.parse import UNIT_PATTERN
from pipeline.rules import RulePack

TOKEN = re.compile(r"\S+")
UNIT_AMOUNT = re.compile(r"\d[\d,.]*\s*(?:%s)?円" % UNIT_PATTERN)
# a cheap first look: enough numbers (bare, or with their unit: 「291,220億円」)?
NUMBER_TOKEN = re.compile(r"(?<!\S)[△▲+\-]?\d[\d,.，．]*(?:%s)?円?(?!\S)" % UNIT_PATTERN)
# ... and in a line whose spaces were dropped, numbers with thousands commas (glued or not)
GLUED_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+")


def is_cell(token: str, rules: RulePack, units: bool = True) -> bool:
    """A table cell that is no word: a plain number, an amount with its unit
    (「291,220億円」, 「△710億円」: a table that writes 億円 in every cell), a
    dash, a ratio, 皆増.

    >>> from pipeline.rules import load_rules
    >>> [is_cell(t, load_rules()) for t in ("301,250", "△780", "1.5", "―", "皆増", "予備費", "2024", "△710億円")]
    [True, True, True, True, True, False, False, True]
    """
    m = hit(rules, "amount", "table_number", token)
    if m is not None and m.start() == 0 and m.end() == len(token):
        return True
    signed = token[1:] if token[:1] in "△▲+-" else token
    for kind, role, text in ((("amount", "amount", signed),) if units else ()) + (
            ("amount", "placeholder", token), ("structure", "ratio_cell", token), ("structure", "cell_word", token)):
        m = hit(rules, kind, role, text)
        if m is not None and m.start() == 0 and m.end() == len(text):
            return True
    return False


Span = tuple[int, int]


class TableCut(NamedTuple):
    """Where flat_rows cuts a line (offsets in its raw text)."""
    unit: Span | None          # the caption's unit, the token naming it (「(単位:千円)」)
    top: int                   # where the column header begins ...
    head: int                  # ... and where it ends
    rows: list[list[Span]]     # each row: the span of its name, then those of its cells
    short: bool                # the last row has some cells but fewer than the others: it may go on below
    rest: int | None           # where the text after the last row begins (a line of its own), if any


def glued_tokens(raw: str, rules: RulePack) -> tuple[list[tuple[int, int, str]], set[int]]:
    """The tokens of a line whose spaces a converter dropped — (start, end
    in raw, normalized text) —, each whitespace token cut around the table
    cells glued into it (struct.glued_cell) and after what ends run-in text
    before a row's name (a sentence, the unit caption, a column header's
    word, a remark's figure: struct.glued_name_end, unit, delta_column);
    with the indices of the tokens that end such text.

    >>> from pipeline.rules import load_rules
    >>> tokens, ends = glued_tokens("増減率備考一般歳出617,184669,020+51,837+8.4%", load_rules())
    >>> [t for _, _, t in tokens], sorted(ends)
    (['増減率', '備考', '一般歳出', '617,184', '669,020', '+51,837', '+8.4%'], [0, 1])
    """
    tokens: list[tuple[int, int, str]] = []
    ends: set[int] = set()
    closers = rules.settings["bracket_pairs"][1::2]
    for m in TOKEN.finditer(raw):
        pairs = normalize_pairs([(c, m.start() + i) for i, c in enumerate(m.group())])
        text = "".join(c for c, _ in pairs)
        cuts, stops = {0, len(text)}, set()
        for role in ("glued_cell", "glued_name_end", "unit", "delta_column"):
            pos = 0
            while pos < len(text) and (c := struct(rules, role, text, pos)) is not None and c.end() > c.start():
                pos = c.end()
                if role == "glued_cell":
                    cuts |= {c.start(), pos}
                    continue
                while pos < len(text) and text[pos] in closers:   # (「(単位:億円)」 ends after its bracket)
                    pos += 1
                cuts.add(pos)
                stops.add(pos)
        cuts_in_order = sorted(cuts)
        for a, b in zip(cuts_in_order, cuts_in_order[1:]):
            if b in stops:
                ends.add(len(tokens))
            tokens.append((pairs[a][1], pairs[b - 1][1] + 1, text[a:b]))
    return tokens, ends


def flat_rows(raw: str, rules: RulePack, glued: bool = False) -> TableCut | None:
    """How a line holding a table's rows one after the other is cut, or None. Spans are offsets
    in the raw text: its tokens are the raw text's (normalizing drops the
    spaces between Japanese words and numbers). The header ends after its
    last token holding a year or a difference word and begins after the
    last sentence before it, at its 区分 if it has one; text before it (a page
    captured as one line: its sentences, then the table) is the caption's,
    and text after the last row is a line of its own.

    >>> from pipeline.rules import load_rules
    >>> raw = "区分 2年度 3年度 増減 A費 10 12 2 B 費 20 19 △1 C費 5 ― 皆減"
    >>> cut = flat_rows(raw, load_rules())
    >>> raw[cut.top:cut.head].strip(), [[raw[s:e] for s, e in row] for row in cut.rows], cut.short
    ('区分 2年度 3年度 増減', [['A費', '10', '12', '2'], ['B 費', '20', '19', '△1'], ['C費', '5', '―', '皆減']], False)
    """
    if len(raw) < 20 or len((GLUED_NUMBER if glued else NUMBER_TOKEN).findall(raw)) < 2 * rules.settings["flat_rows_min"]:
        return None
    if glued:   # (ends: the tokens that end run-in text before a row's name)
        tokens, ends = glued_tokens(raw, rules)
    else:
        tokens, ends = [(m.start(), m.end(), normalize(m.group())) for m in TOKEN.finditer(raw)], set()
    if len(tokens) < 3 * rules.settings["flat_rows_min"]:
        return None
    groups: list[tuple[int, int, int]] = []   # (first name token, first cell token, end)
    leads: list[int] = []   # where each group's text begins (its name, or run-in text and its name)
    k = 0
    while k < len(tokens):
        name = k
        leads.append(k)
        while k < len(tokens) and not is_cell(tokens[k][2], rules):
            k += 1
            name = k if k - 1 in ends else name
        cells = k
        while k < len(tokens) and is_cell(tokens[k][2], rules):
            k += 1
        groups.append((name, cells, k))
    limit = rules.settings["max_name_length"]

    def row_name(first: int, cells: int) -> bool:   # a row's name: short, no sentence (running text has both)
        return sum(len(t[2]) for t in tokens[first:cells]) <= limit and not any("。" in t[2] for t in tokens[first:cells])

    widths = Counter(end - cells for first, cells, end in groups if cells > first and row_name(first, cells))
    if not widths:
        return None
    width, count = widths.most_common(1)[0]
    if width < 2 or count < rules.settings["flat_rows_min"]:
        return None
    named = [row_name(first, cells) for first, cells, _ in groups]
    run = table_run(named, [end - cells for _, cells, end in groups], width)
    if run is None or run[1] - run[0] < rules.settings["flat_rows_min"]:
        return None   # no rows one after the other: running text with numbers in it
    trailing = tokens[groups[run[1] - 1][2]][0] if run[1] < len(groups) and groups[run[1] - 1][2] < len(tokens) else None
    lead = leads[run[0]]
    groups = groups[run[0]:run[1]]   # (text before the table is the caption's; text after it a line of its own)
    if trailing is not None:
        groups.append((len(tokens) - 1, len(tokens) - 1, len(tokens) - 1))
    _, cells, _ = groups[0]
    first = lead
    for j in range(first, cells):   # the header: up to its last year or difference word
        token = tokens[j][2]
        if hit(rules, "year", "year", token) is not None or struct(rules, "delta_column", token) is not None \
                or struct(rules, "unit", token) is not None or j in ends:
            first = j + 1   # (a header ending in a year column: the first row has no name of its own, "")
    if first == lead and cells - first > 1 \
            and struct(rules, "header_word", "".join(t[2] for t in tokens[first:cells - 1])):
        first = cells - 1   # 「区分 当初予算 補正後 社会保障関係費 …」: no year, but header words; the row's name is one token
    head = tokens[first][0] if first < len(tokens) else len(raw)
    caption = next(((t[0], t[1]) for t in reversed(tokens[lead:first]) if struct(rules, "unit", t[2])), None)
    top = lead   # where the header begins: after the caption's last sentence, at its 区分 when it has one
    for j in range(lead, first):
        if "。" in tokens[j][2]:
            top = j + 1
    top = next((j for j in range(top, first) if struct(rules, "header_stub", tokens[j][2])),
               next((j for j in range(top, first) if struct(rules, "header_word", tokens[j][2])), top))
    start = tokens[top][0] if top < first else head
    rows = [[(tokens[a][0], tokens[c - 1][1]) if c > a else (tokens[c][0], tokens[c][0])]
            + [(t[0], t[1]) for t in tokens[c:e]]
            for a, c, e in [(first, cells, groups[0][2]), *groups[1:]]]
    if trailing is not None:   # the text after the table's last row: cut on its own (TableCut.rest)
        return TableCut(caption, start, head, rows[:-1], False, trailing)
    return TableCut(caption, start, head, rows, 0 < groups[-1][2] - groups[-1][1] < width, None)


def table_run(named: list[bool], widths: list[int], width: int) -> tuple[int, int] | None:
    """(first, end) of the longest run of groups that are rows — a row's
    name (``named``) and ``width`` cells —, with the group before it when it
    has as many cells (the caption and header run into the first row's
    name) and, when it ends the line, the row after it with fewer (a last
    row going on on the next line).

    >>> table_run([False, False, True, True, True, False], [1, 4, 4, 4, 4, 1], 4)
    (1, 5)
    >>> table_run([False, True, True, True, True], [4, 4, 4, 4, 2], 4)
    (0, 5)
    """
    fits = [n and w == width for n, w in zip(named, widths)]
    best, k = None, 0
    while k < len(fits):
        if not fits[k]:
            k += 1
            continue
        end = k
        while end < len(fits) and fits[end]:
            end += 1
        start = k - 1 if k and widths[k - 1] == width else k
        if end + 1 == len(fits) and named[end] and 0 < widths[end] < width:
            end += 1
        if best is None or end - start > best[1] - best[0]:
            best = (start, end)
        k = end
    return best


def split_flat_tables(lines: list[Line], rules: RulePack, depth: int = 0) -> list[Line]:
    """The page's lines with each line of run-together table rows cut into
    its caption, its header and one line a row (flat_rows), its cells apart
    by tabs; a row broken over two such lines (its last cells on the next
    line) is joined first, and a caption is cut again (the rows before a
    page's foot that interrupts the table). Every piece keeps its line's
    number and box."""
    out: list[Line] = []
    k = 0
    fewest = 2 * rules.settings["flat_rows_min"]
    while k < len(lines):
        line = lines[k]
        raw = line.raw_text
        glued = len(GLUED_NUMBER.findall(raw)) >= fewest
        if len(NUMBER_TOKEN.findall(raw)) < 2 <= fewest and not glued:
            out.append(line)   # (fewer than two numbers: no row on it, nor one going on below; most lines)
            k += 1
            continue
        found = flat_rows(raw, rules) or (flat_rows(raw, rules, glued=True) if glued else None)
        segments = [(0, line)]   # (offset in raw, the line it came from) of each line joined
        while (found is not None and found.short or found is None and len(NUMBER_TOKEN.findall(raw)) >= 2) \
                and k + 1 < len(lines):   # its last row goes on on the line below
            following = lines[k + 1].raw_text
            first = NUMBER_TOKEN.match(following.lstrip())
            if first is None or not is_cell(normalize(first.group()), rules, units=False) \
                    or (UNIT_AMOUNT.search(following) and not UNIT_AMOUNT.search(raw)):
                break   # (a row's last cells go on as its others; 「2 GIGA… 120億円」 under plain numbers is a line of its own)
            longer = raw.rstrip() + " " + following.lstrip()
            again = flat_rows(longer, rules)
            if again is None:
                break
            segments.append((len(raw.rstrip()) + 1, lines[k + 1]))
            raw, found, k = longer, again, k + 1
        if found is None:
            out.append(line)
            k += 1
            continue
        cuts = sorted({0, found.top, found.head, *(found.unit or ())})   # the caption, its unit, the column header
        for s, e in zip(cuts, cuts[1:]):
            out += piece_lines(line, raw[s:e], rules, depth, again=e <= found.top)   # (its first rows, a foot between)
        out += [row_line(next(ln for at, ln in reversed(segments) if at <= row[0][0]), raw, row) for row in found.rows]
        if found.rest is not None:   # after the rows: notes, or a page's foot and the table's next rows
            out += piece_lines(segments[-1][1], raw[found.rest:], rules, depth, again=True)
        k += 1
    return out


def piece_lines(line: Line, raw: str, rules: RulePack, depth: int, again: bool) -> list[Line]:
    """A piece of a cut line as a line of its own, cut again when it may
    hold rows of the same table (``again``, at most twice over)."""
    piece = make_line(line.page, line.number, raw.strip(), line.bbox, line.font_size, markdown=line.bbox is None)
    if piece is None:
        return []
    return split_flat_tables([piece], rules, depth + 1) if again and depth < 2 else [piece]


def row_line(line: Line, raw: str, row: list[Span]) -> Line:
    """One row of a run-together table: its name and its cells, normalized
    one by one and apart by tabs (cell boundaries), each character mapped
    to its raw one."""
    text, index = "", list[int]()
    for k, (s, e) in enumerate(row):
        piece = make_line(line.page, line.number, raw[s:e], markdown=line.bbox is None)
        if piece is None or not piece.index_map:
            continue
        if k and text:
            text, index = text + "\t", index + [s - 1]
        text, index = text + piece.text, index + [s + i for i in piece.index_map]
    return Line(line.page, line.number, text, raw, line.bbox, line.font_size, index,
                ocr=line.ocr, confidence=line.confidence)
