"""Layout strategy for a table a converter wrote column by column: the
header's cells, then the row names one a line, then the first column's
numbers one a line, then the second column's, … (PDF text taken in the
order the cells were drawn):

    （単位：億円）
    区分 / 令和8年度予算 / 令和9年度予算案
    海洋観測費 / 深海探査費
    1,200 / 800          <- the 令和8年度予算 column
    1,250 / 790          <- the 令和9年度予算案 column

Read only when the numbers are exactly as many as the names times the
header's columns: the k-th number is then the (k mod names)-th row's, in
column k // names. The same when each column's header stands over its own
numbers (「区分」, the names, 「令和元年度予算額」 and its numbers, 「令和2年度予算額(案)」
and its, …: headed_columns). Anything else is left to the other table
strategies.
"""
from __future__ import annotations

from pipeline.facts.cells import cell_value, number_tokens
from pipeline.facts.context import ReleaseContext
from pipeline.facts.figure import Figure
from pipeline.facts.layout import Slide
from pipeline.facts.lines import FILLER, LineInfo, hit, struct
from pipeline.facts.names import is_name_like, name_of
from pipeline.facts.table_headers import Column, header_blocks, header_columns
from pipeline.facts.tables import cell_figure
from pipeline.facts.units import nearest, unit_lines
from pipeline.rules import RulePack


def column_stack_figures(slide: Slide, release: ReleaseContext, rules: RulePack) -> tuple[list[Figure], set[int]]:
    """(the figures of the slide's column-by-column tables, the lines they took)."""
    lines = slide.lines
    units = unit_lines(slide, rules)
    if not units:
        return [], set()
    figures: list[Figure] = []
    taken: set[int] = set()
    for _, (end, columns) in sorted(header_blocks(slide, rules, release, True).items()):
        k = end + 1
        names = []
        while k < len(lines) and not lines[k].amounts and number_tokens(lines[k], rules) is None \
                and is_name_like(lines[k], rules):
            names.append(k)
            k += 1
        values = [(v, one_cell(lines[v], rules)) for v in values_below(lines, k, rules)]
        rows, width = len(names), len(columns)
        if len(names) >= 2 and len(values) == rows * width:   # a column's numbers, then the next column's
            runs = [values[c * rows:(c + 1) * rows] for c in range(width)]
        else:   # the numbers row by row, several a line (「15,210 15,248 15,228 △20 10,945 …」)
            values = grid_below(lines, k, rules)
            if len(names) < 2 or len(values) != rows * width or len({v for v, _ in values}) == len(values):
                continue
            runs = [values[c::width] for c in range(width)]
        taken.update(names + [v for v, _ in values])
        figures += column_figures(lines, names, runs, columns, units, rules)
    for stub in (k for k, info in enumerate(lines) if struct(rules, "header_stub", info.text) and k not in taken):
        found = headed_columns(lines, stub, release, rules)
        if found is not None:
            names, heads, runs, columns = found
            taken.update([stub, *names, *heads, *(v for run in runs for v in run)])
            figures += column_figures(lines, names, [[(v, one_cell(lines[v], rules)) for v in run] for run in runs],
                                      columns, units, rules)
    return figures, taken


def values_below(lines: list[LineInfo], k: int, rules: RulePack) -> list[int]:
    """The lines from k on that are one number each (a column's cells)."""
    out = []
    while k < len(lines) and not lines[k].amounts and len(number_tokens(lines[k], rules) or ()) == 1 \
            and not lines[k].text.strip()[:1].isalpha():
        out.append(k)
        k += 1
    return out


def headed_columns(lines: list[LineInfo], stub: int, release: ReleaseContext, rules: RulePack):
    """A table written a column at a time with each column's header over its
    own numbers: 「区分」, the row names one a line, then 「令和元年度予算額」 (and
    its letter, 「(A)」) and its numbers, 「令和2年度予算額(案)」 and its, 「増△減額」 and its —
    (names, header lines, each column's number lines, columns), or None
    unless every column holds as many numbers as there are names."""
    k = stub + 1
    names = []
    while k < len(lines) and not lines[k].amounts and number_tokens(lines[k], rules) is None \
            and (is_name_like(lines[k], rules) or struct(rules, "body", lines[k].text)) \
            and not hit(rules, "year", "year", lines[k].text):   # (a ministry's row, 「内閣府」, too)
        names.append(k)
        k += 1
    heads: list[int] = []   # 「区分」, the names, then every column's header, then the columns' numbers one after the other
    while len(names) >= 2 and k + len(heads) < len(lines) and column_head(lines[k + len(heads)], rules):
        heads.append(k + len(heads))
    stacked = values_below(lines, k + len(heads), rules) if len(heads) >= 2 else []
    if len(names) > 2 and stacked and len(stacked) == (len(names) - 1) * len(heads):
        names = names[:-1]   # the line after the names heads the columns (「スタートアップ育成関係予算」)
    if stacked and len(stacked) == len(names) * len(heads):
        columns = header_columns([lines[h] for h in heads], 0, rules, release, True)
        if columns is not None and len(columns) == len(heads):
            return names, heads, split_runs(stacked, lines, names, len(heads), rules), columns
    heads, runs = [], []
    while len(names) >= 2 and k < len(lines) and not lines[k].amounts and number_tokens(lines[k], rules) is None:
        first = k + 1
        while first < len(lines) and len(FILLER.sub("", lines[first].text)) <= 1:
            first += 1   # (「(A)」 under the column's name is its letter)
        run = values_below(lines, first, rules)
        if len(run) != len(names):
            break
        heads.append(k)
        runs.append(run)
        k = run[-1] + 1
    if len(heads) < 2:
        return None
    columns = header_columns([lines[h] for h in heads], 0, rules, release, True)
    if columns is None or len(columns) != len(heads):
        return None
    return names, heads, runs, columns


def split_runs(values: list[int], lines: list[LineInfo], names: list[int], width: int, rules: RulePack) -> list[list[int]]:
    """Each column's number lines, of numbers written one a line: a column
    after the other, unless the table's last row is its total and only the
    numbers taken row by row add up to it (42 / 120 / 18 / － / … / 980 / 2,789).

    >>> from pipeline.extract import make_line
    >>> from pipeline.facts.lines import analyzed
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> lines = [analyzed(make_line(1, n, t), rules) for n, t in enumerate(["A省", "B省", "計", "1", "10", "2", "20", "3", "30"])]
    >>> split_runs([3, 4, 5, 6, 7, 8], lines, [0, 1, 2], 2, rules)
    [[3, 5, 7], [4, 6, 8]]
    """
    rows = len(names)
    by_column = [values[c * rows:(c + 1) * rows] for c in range(width)]
    by_row = [values[c::width] for c in range(width)]
    if not struct(rules, "total", FILLER.sub("", lines[names[-1]].text)):
        return by_column
    return by_row if all(map(adds_up, ([cell_number(lines[v], rules) for v in run] for run in by_row))) \
        and not all(map(adds_up, ([cell_number(lines[v], rules) for v in run] for run in by_column))) else by_column


def cell_number(info: LineInfo, rules: RulePack) -> float:
    """The number a one-number line holds (a dash: 0)."""
    return cell_value(one_cell(info, rules)[2])


def adds_up(column: list[float]) -> bool:
    """Do a column's numbers but the last add up to the last, within rounding?"""
    return abs(sum(column[:-1]) - column[-1]) <= max(1.0, 0.005 * abs(column[-1]))


def column_head(info: LineInfo, rules: RulePack) -> bool:
    """A column's header cell on a line of its own: a year or a stage label
    (令和8年度予算, 予算案) or a difference column (増▲減額), no number."""
    return not info.amounts and number_tokens(info, rules) is None and bool(
        info.labels or hit(rules, "year", "year", info.text) or hit(rules, "structure", "delta_column", info.text))


def one_cell(info: LineInfo, rules: RulePack) -> tuple[int, int, str]:
    """The one cell of a line that holds one number."""
    return (number_tokens(info, rules) or [])[0]


def grid_below(lines: list[LineInfo], k: int, rules: RulePack) -> list[tuple[int, tuple[int, int, str]]]:
    """(line, cell) of each cell of the lines from k on that hold only
    numbers, several a line: a table's numbers row after row, its names
    written apart above them."""
    out = []
    while k < len(lines) and not lines[k].amounts and (cells := number_tokens(lines[k], rules)) \
            and not FILLER.sub("", lines[k].text[:cells[0][0]]):
        out += [(k, cell) for cell in cells]
        k += 1
    return out


def column_figures(lines: list[LineInfo], names: list[int], runs: list[list[tuple[int, tuple[int, int, str]]]],
                   columns: list[Column], units: dict[int, int], rules: RulePack) -> list[Figure]:
    """The figures of a table's columns: the n-th (line, cell) of each
    column's run is the n-th name's, in that column's stage context (a
    difference column's numbers are changes, no figures)."""
    figures = []
    for column, run in zip(columns, runs):
        if column.ctx is None:
            continue
        for row, (v, cell) in zip(names, run):
            if cell[2] == "-":
                continue
            f = cell_figure(v, lines[v], cell, units[nearest(v, units)], lines[nearest(v, units)], rules)
            f.row, f.ctx, f.how = name_of(lines[row], rules), column.ctx, "table"
            if f.amount.yen == 0:
                f.amount.excluded_by = "table.empty_cell"
            if f.amount.excluded_by is None:
                figures.append(f)
    return figures
