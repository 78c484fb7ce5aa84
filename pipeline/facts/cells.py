"""The cells of a table row line: plain numbers (amount.table_number), dashes
for empty cells, a name before them and a remark after them; a number
printed against the word after it is part of a name, not a cell."""
from __future__ import annotations

import regex

from pipeline.facts.lines import FILLER, LineInfo, flags_after, sentence, struct
from pipeline.facts.names import clean_name, header_name, is_name_like, lead_stripped
from pipeline.guard import finditer
from pipeline.normalize import is_cell_border
from pipeline.rules import RulePack

WORD_LETTER = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")


def glued_to_word(line, end: int) -> bool:
    """Is the number ending at text[end] printed right against the word after
    it (「第2子以降」: part of a name), not apart from it (「100 新規含む」: a
    cell and a remark; normalizing drops that space, the raw text keeps it)?

    >>> from pipeline.extract import make_line
    >>> line = make_line(1, 1, "第2子以降 1,250")
    >>> glued_to_word(line, line.text.index("2") + 1), glued_to_word(make_line(1, 1, "うち深海探査 100 新規含む"), 8)
    (True, False)
    """
    index_map = line.index_map
    if not index_map or end >= len(line.text):
        return False
    k = index_map[end - 1] + 1
    return k < len(line.raw_text) and WORD_LETTER.match(line.raw_text[k]) is not None


DASH_CELL = regex.compile(r"(?<!\S)[-‐―−ー－]+(?!\S)")


def number_tokens(info: LineInfo, rules: RulePack) -> list[tuple[int, int, str]] | None:
    """(start, end, text) of the cells of a table row line — plain numbers,
    and dashes for empty cells (「- - 8 33 50 84」); None when the line is not
    a row of numbers. A name may stand before them (「全体 13,351」,
    「○活断層調査の総合的推進:660(478)」)."""
    text = info.text
    rule = (rules.role("amount", "table_number") or (None,))[0]   # None when the pack has no table-number rule
    if rule is None or info.amounts or info.labels or sentence(text):
        return None
    if not text.strip()[-1:].isdigit() and struct(rules, "page_number", text):
        return None   # 「- 1 -」: the page's foot (「- - - - 10」 is a row of empty cells and a 10)
    if struct(rules, "furniture", text):
        return None   # 「ファイナンス 2023.2 33」: a periodical's running head and its page number
    enumerator = struct(rules, "enumerator", text)   # 「1議会費 612,480 …」: the 1 numbers the row
    cells = sorted([(m.start(), m.end(), m.group(0)) for m in finditer(rule["re_pattern"], text, rule["id"])
                    if (not enumerator or m.start() >= enumerator.end()) and not glued_to_word(info.line, m.end())]
                   + [(m.start(), m.end(), "-") for m in DASH_CELL.finditer(text)])
    last_tab = text.rfind("\t")
    word = WORD_LETTER.search(text, last_tab) if last_tab > 0 else None
    if word:
        cut = max(last_tab, text.rfind(" ", last_tab, word.start())) + 1   # (「\t270 1機当たり」: 270 is a cell)
        if text[cut:cut + 1] != "(" and any(c[1] < cut for c in cells if c[2] != "-"):   # (「(6年度 2,910,400)」: a cell)
            text = text[:cut]   # 「…\t7.6%\t上限5,000千円/件」: a tab table's last words are its remark (備考)
            cells = [c for c in cells if c[1] < cut]
    if not any(c[2] != "-" for c in cells) and not (len(cells) == 1 and len(text.strip()) <= 3):
        return None   # (a dash alone on its line is an empty cell of a table written one cell a line)
    head, rest = text[:cells[0][0]], text[cells[0][0]:]
    remark = text[cells[-1][1]:]
    if len(cells) >= 2 and len(remark.strip()) <= rules.settings["table_remark_chars"] and not any(c.isdigit() for c in remark):
        rest = rest[:len(rest) - len(remark)]   # a remark cell after the numbers (備考: 「新規含む」)
    for start, end, token in reversed(cells):
        if token != "-":   # a flag written in the cell (「305,800+事項要求」) is the cell's
            end = flags_after(text, end, start, rules)[1]
        rest = rest[:start - cells[0][0]] + rest[end - cells[0][0]:]
    for ratio, _, _ in rules.patterns("structure", "ratio_cell"):
        rest = ratio.sub("", rest)   # a 伸率 / 対前年度比 column's 「1.5%」 「△0.4%」 is no figure, and no word
    for year, _, _ in rules.patterns("structure", "cell_year"):
        rest = year.sub("(", rest)   # 「3,482,600 (6年度 2,910,400)」: the year the bracketed cell is of
    if FILLER.sub("", rest):
        return None   # words among the numbers: running text, not a row
    name = clean_name(head, rules)
    if FILLER.sub("", head) and (len(head) > rules.settings["max_name_length"]
                                 or (len(name) < 2 and not struct(rules, "total", name))):
        return None   # (a one-character name is an enumerator or a stray mark, except the total 計)
    return cells


def one_cell_over_two_lines(lines: list[LineInfo], k: int, rules: RulePack) -> bool:
    """On a PDF page: are lines k-1 and k one name cell written over two
    lines — the same left edge, k right under k-1 — whose row's numbers (on
    line k+1) stand between them, centred on the cell (「先端研究基盤共用」 /
    「促進事業」 beside 「1,245,310」)? A row's own one-line name stands level
    with its numbers. Tolerances: the settings ``cell_edge_slack`` (points
    the left edges may differ) and ``cell_centre_margin`` (the numbers'
    middle stands at least this share of a line height above the second
    line's).

    >>> from pipeline.extract import Line
    >>> def at(text, top):
    ...     x0 = 408.2 if text[0].isdigit() else 329.1
    ...     return LineInfo(Line(1, 0, text, text, (x0, top, x0 + 40, top + 8.5)), [], [], [])
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> one_cell_over_two_lines([at("先端研究基盤共用", 207), at("促進事業", 219), at("1,245,310", 213)], 1, rules)
    True
    >>> one_cell_over_two_lines([at("先端研究基盤共用", 207), at("促進事業", 219), at("1,245,310", 219)], 1, rules)
    False
    """
    if k + 1 >= len(lines):
        return False
    above, name, numbers = (lines[j].line.bbox for j in (k - 1, k, k + 1))
    if above is None or name is None or numbers is None:
        return False
    height = name[3] - name[1]
    middle = (numbers[1] + numbers[3]) / 2
    margin = rules.settings["cell_centre_margin"] * height
    return abs(above[0] - name[0]) <= rules.settings["cell_edge_slack"] and 0 <= name[1] - above[3] <= height \
        and (above[1] + above[3]) / 2 < middle < (name[1] + name[3]) / 2 - margin \
        and numbers[0] > name[2]


def name_column_width(lines: list[LineInfo], rules: RulePack) -> int:
    """Text of a table written one cell a line (``lines``: from its first
    row on): the width of its name column — the longest line that is a name
    cell (no number, no label, a name, short) up to its last number cell,
    in characters — as fills_name_cell() compares with it."""
    numbered = [k for k, info in enumerate(lines) if number_tokens(info, rules) is not None]
    return max((len(info.text) for info in lines[:numbered[-1]] if not info.amounts and not info.labels
                and len(info.text) <= rules.settings["max_name_length"] and number_tokens(info, rules) is None
                and is_name_like(info, rules)), default=0) if numbered else 0


def fills_name_cell(lines: list[LineInfo], k: int, width: int, rules: RulePack) -> bool:
    """In text (no positions) of a table written one cell a line: is line k
    the rest of the name cell on line k-1, the converter having wrapped it
    (「先端研究基盤共用」 / 「促進事業」 / 「1,245,310」 / 「1,302,580」)? Line k-1
    fills the name column (``width``, name_column_width(): at most one
    character short of it, and ``cell_min_chars`` or more), and the row's
    number cells follow line k one a line."""
    if k + 1 >= len(lines) or lines[k].line.bbox is not None:
        return False
    above = len(lines[k - 1].text)
    cells = number_tokens(lines[k + 1], rules)
    return width >= rules.settings["cell_min_chars"] and width - 1 <= above <= width \
        and cells is not None and len(cells) == 1 and not FILLER.sub("", lines[k + 1].text[:cells[0][0]])


def cell_value(token: str) -> float:
    """A plain number cell's value, signed (△5 and ▲5 are -5); a dash is 0.

    >>> cell_value("1,245,310"), cell_value("△1,615"), cell_value("+9"), cell_value("－")
    (1245310.0, -1615.0, 9.0, 0.0)
    """
    digits = regex.sub(r"[^\d.]", "", token)
    return (-1 if token[:1] in "△▲" else 1) * float(digits) if digits.strip(".") else 0.0


def wraps_in_cell(widths: list[int], text: str) -> bool:
    """Does a name go on in a narrow cell: the lines it was read from so far
    are two or more of one width (the cell's), and this one is no wider?

    >>> wraps_in_cell([7, 7, 7], "改革の更なる加"), wraps_in_cell([5], "深海探査費"), wraps_in_cell([7, 6], "遇改善")
    (True, False, False)
    """
    return len(widths) >= 2 and min(widths) == max(widths) >= 6 and len(text) <= widths[0]


def name_cell_rest(info: LineInfo, rules: RulePack) -> str | None:
    """A line of a ruled or tab-separated table that only goes on with the
    name cell of the row above it, the name wrapped in its cell (「│ うち地方交付税
    │16,310,200│…」 over 「│ 交付金 │ │＋事項要求 │ │」): the rest of the name (its
    first cell), when every other cell is empty or goes on with the cell
    above it (「＋事項要求」); else None.

    >>> from pipeline.extract import make_line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> name_cell_rest(analyze(make_line(1, 1, "│ 交付金         │          │＋事項要求    │        │"), rules), rules)
    '交付金'
    >>> [name_cell_rest(analyze(make_line(1, 1, t), rules), rules) for t in ("│ 野 │  │ 12 │", "│ うち地域おこし │ ―│事項要求 │")]
    [None, None]
    """
    raw = info.line.raw_text
    if "\t" not in raw and raw.count("|") < 2 and not any(is_cell_border(c) for c in raw):
        return None   # (a line of text, no table row)
    cells = [c.strip() for c in info.text.split("\t")]   # (normalizing made the borders cell breaks)
    if not cells[0] or cells[0].startswith("+") or any(c and not c.startswith("+") for c in cells[1:]) \
            or any(struct(rules, role, cells[0]) for role in ("part_of", "bullet", "enumerator")):
        return None   # (a cell of its own, 「―」 or 「事項要求」, or 「うち…」: a row of its own; 「＋事項要求」 goes on above)
    return clean_name(cells[0], rules) or None


def row_name(info: LineInfo, rules: RulePack) -> str | None:
    """The name of a table row written with its figures (names.header_name),
    or of a part row (「うちGX推進対策費 4,920億円 4,870億円 ▲50億円」: its name
    without うち, a part of the row above).

    >>> from pipeline.extract import make_line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> row_name(analyze(make_line(1, 1, "うちGX推進対策費\t4,920億円\t4,870億円"), rules), rules)
    'GX推進対策費'
    """
    name = header_name(info, rules)
    if name or not info.amounts or not struct(rules, "part_of", lead_stripped(info.text, rules)):
        return name
    return clean_name(info.text[:info.amounts[0].start], rules) or None


def stub_column(header: list[LineInfo], rules: RulePack) -> int | None:
    """The tab cell of a tab table's header that stands over its row names
    (struct.header_stub: 事業名, 事項, 区分), when other cells stand before it
    (「No.\t事業名\t担当課\t…」: 1); None otherwise.

    >>> from pipeline.extract import make_line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> stub_column([analyze(make_line(None, 1, "No.\t事業名\t担当課\t令和8年度予算案"), rules)], rules)
    1
    """
    for info in header:
        cells = info.text.split("\t")
        at = next((j for j, c in enumerate(cells) if struct(rules, "header_stub", c.strip())), None)
        if at:
            return at
    return None
