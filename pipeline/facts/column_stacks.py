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
column k // names. Anything else is left to the other table strategies.
"""
from __future__ import annotations

from pipeline.facts.cells import number_tokens
from pipeline.facts.context import ReleaseContext
from pipeline.facts.figure import Figure
from pipeline.facts.layout import Slide
from pipeline.facts.names import is_name_like, name_of
from pipeline.facts.tables import cell_figure, header_blocks
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
        values = []
        while k < len(lines) and not lines[k].amounts and len(number_tokens(lines[k], rules) or ()) == 1 \
                and not lines[k].text.strip()[:1].isalpha():
            values.append(k)
            k += 1
        if len(names) < 2 or len(values) != len(names) * len(columns):
            continue
        taken.update(names + values)
        for n, v in enumerate(values):
            column, row = columns[n // len(names)], names[n % len(names)]
            if column.ctx is None:
                continue   # a difference column: its numbers are changes
            cell = (number_tokens(lines[v], rules) or [])[0]
            if cell[2] == "-":
                continue
            f = cell_figure(v, lines[v], cell, units[nearest(v, units)], lines[nearest(v, units)], rules)
            f.row, f.ctx, f.how = name_of(lines[row], rules), column.ctx, "table"
            if f.amount.yen == 0:
                f.amount.excluded_by = "table.empty_cell"
            if f.amount.excluded_by is None:
                figures.append(f)
    return figures, taken
