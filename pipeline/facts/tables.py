"""Layout strategy for tables: a header names the unit (単位:百万円) and the
columns (平成20年度予算 / 平成21年度予算 / 対増△減), the rows hold plain numbers.

- ``unit``: the unit a slide's table header names applies to the plain
  numbers of its rows (the nearest header above a row, else the first one
  below: some tables print it under the figures);
- ``columns``: each column's stage context, from its header block
  (table_headers: years, stage labels, one difference column whose numbers
  are deltas and never budgets);
- ``rows``: the figures under a header, cell by cell (one line of numbers
  separated by spaces, or one number a line), each row named by the name
  line above it; a row written 「X (」 「Y )」 is a figure and its prior year.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.facts.cells import (
    cell_value,
    fills_name_cell,
    name_cell_rest,
    name_column_width,
    number_tokens,
    one_cell_over_two_lines,
    row_name,
    stub_column,
    wraps_in_cell,
)
from pipeline.facts.context import ReleaseContext
from pipeline.facts.figure import Figure
from pipeline.facts.layout import Slide
from pipeline.facts.lines import (
    FILLER,
    Amount,
    LineInfo,
    flags_after,
    hit,
    is_bare_amount,
    struct,
)
from pipeline.facts.names import clean_name, continues_name, is_enumerated, is_name_like, name_of
from pipeline.facts.table_headers import Column, could_hold_a_table, header_blocks
from pipeline.facts.units import nearest, unit_for, unit_lines
from pipeline.rules import RulePack


def table_rows(slide: Slide, figures: list[Figure], release: ReleaseContext, rules: RulePack,
               taken: set[int] | frozenset = frozenset()) -> list[Figure]:
    """The table strategy over one slide: the plain numbers of its rows as
    figures (in the unit its header names), and for the cells under a column
    header — plain numbers, or a run of amounts on lines of their own — the
    column's stage context (how ``table``). A row written with brackets
    (「660(478)」, 「X (」 「Y )」) keeps the bracket reading instead: the
    figure, then its prior year. Every cell is named by its row. Returns the
    new figures; the amounts' figures are updated in place. Lines another
    table strategy ``taken`` are passed over."""
    lines = slide.lines
    if not could_hold_a_table(slide, rules):
        return []
    units = unit_lines(slide, rules)
    blocks = header_blocks(slide, rules, release, bool(units))
    for start, (end, _) in blocks.items():
        slide.table_headers.update(range(start, end + 1))
    if not units and not blocks:
        return []
    by_line: dict[int, list[Figure]] = {}
    f: Figure | None   # None: an empty table cell (line_figs)
    for f in figures:
        by_line.setdefault(f.index, []).append(f)
    new: list[Figure] = []
    columns: list[Column] | None = None
    row: str | None = None
    widths: list[int] = []   # the lengths of the lines the row's name was read from
    cell, done, last, skip_to, own_units, below = 0, False, None, -1, False, -1
    last_block, unitless = -1, False
    stub: int | None = None   # the tab cell of the header's row-name column (struct.header_stub), in a tab table
    first_row = min((end for end, _ in blocks.values()), default=len(lines)) + 1
    name_width = name_column_width(lines[first_row:], rules) if not slide.paged else 0
    for k, info in enumerate(lines):
        if k <= skip_to or k in taken:
            continue
        if k in blocks:
            # a second table with no unit header of its own (above it since the first, or under its rows
            # before the next: 成果指標 after 予算額): no money
            following = min((b for b in blocks if b > k), default=len(lines))
            unitless = last_block >= 0 and not any(last_block < u < following for u in units)
            last_block = skip_to = blocks[k][0]
            columns = blocks[k][1]
            stub = stub_column(lines[k:skip_to + 1], rules)
            cell, done = 0, False
            # a 単位 column (「成果指標 単位 平成29年度 …」): each row names its own unit, no money unless 円
            own_units = any(struct(rules, "unit_column", c) for j in range(k, skip_to + 1)
                            for c in re.split(r"[\t| ]+", lines[j].text))
            continue
        if own_units and "円" not in info.text:
            continue
        if columns and last is not None and not info.amounts and is_enumerated(info, rules) \
                and is_name_like(info, rules) and number_tokens(info, rules) is None \
                and not any(number_tokens(below, rules) for below in lines[k + 1:k + 3]):
            columns, row = None, None   # 「3 主な新規事業」 after the rows, no cells under it: a new section
            continue
        cells = number_tokens(info, rules) if units else None
        named_row = row_name(info, rules) if columns and cells is None and info.amounts else None
        values = by_line.get(k, []) if columns and (is_bare_amount(info) or named_row) \
            and not any(f.ctx for f in by_line.get(k, [])) else []
        if values and named_row:
            row, cell, done = named_row, 0, False   # 「文教関係予算 4兆303億円 4兆250億円 ▲53億円」
        if cells is None and not values:
            if row and last is not None and k in (last.index + 1, below) and (rest := name_cell_rest(info, rules)):
                old, row, below = row, clean_name(row + rest, rules), k + 1   # 「│うち地方交付税│16,310,200│」/「│交付金│ │」
                for g in [*new, *by_line.get(last.index, [])]:
                    g.row = row if g.row == old and g.index == last.index else g.row
                continue
            if row and cell == 0 and not done and k and not info.amounts and not info.labels \
                    and len(info.text) <= rules.settings["max_name_length"] \
                    and (continues_name(lines[k - 1].text, info.text, rules) or wraps_in_cell(widths, info.text)
                         or fills_name_cell(lines, k, name_width, rules) or one_cell_over_two_lines(lines, k, rules)):
                row = clean_name(row + info.text, rules)   # a row name over lines (「教育の質の向上」 「に向けた、学校」 …)
                widths.append(len(info.text))
                continue
            if (is_name_like(info, rules) or (not info.amounts and not info.labels and struct(rules, "body", info.text))) \
                    and not hit(rules, "structure", "subtitle", info.text):   # (a ministry's row: 「内閣府」, no logo here)
                name = name_of(info, rules)
                if row and k and cell == 0 and (lines[k - 1].text[-1:] in rules.settings["title_continues"]
                                                or one_cell_over_two_lines(lines, k, rules)):
                    name = row + name    # a row name broken over two lines
                    widths.append(len(info.text))
                else:
                    widths = [len(info.text)]
                row, cell, done = name, 0, False
            continue
        text = info.text
        if cells and FILLER.sub("", text[:cells[0][0]]):
            # the name cell is the last before the numbers (「注記\t義務教育費国庫負担金\t1,562,735」)
            head = [c for c in text[:cells[0][0]].split("\t") if FILLER.sub("", c)]
            tabbed = text[:cells[0][0]].split("\t")   # (「No.\t事業名\t担当課」 over it: the 事業名 cell names the row)
            own = clean_name(tabbed[stub] if stub is not None and stub < len(tabbed) - 1
                             and FILLER.sub("", tabbed[stub]) else head[-1], rules)
            broken = bool(row) and cell == 0 and not done and k > 0 and not lines[k - 1].amounts \
                and continues_name(lines[k - 1].text, own, rules)   # 「次世代スーパーコンピュータ」 / 「の開発 14,510 …」
            row, cell, done = (row + own) if broken and row else own, 0, False
        first_cell = cells[0][0] if cells else values[0].amount.start if values else 0
        bracket_row = "(" in text[first_cell:] and (cells is not None or values)   # (not 「(1)」 numbering the row)
        opens_line = text.rstrip().endswith("(")
        closes_line = last is not None and text.rstrip().endswith(")") and lines[last.index].text.rstrip().endswith("(")
        line_figs: Sequence[Figure | None]
        if cells is not None:
            unit = None if unitless else unit_for(k, units)
            line_figs = []
            for start, end, token in cells:
                if token == "-" or unit is None:
                    line_figs.append(None)
                    continue
                line_figs.append(cell_figure(k, info, (start, end, token), unit, lines[nearest(k, units)], rules))
        else:
            line_figs = values
        year_columns = sum(1 for c in columns or [] if c.ctx is not None)
        if columns and not (bracket_row or opens_line) and cell == 0 and 2 <= len(line_figs) < year_columns:
            cell = year_columns - len(line_figs)   # a row short of cells on one line: its last columns
        prev_on_line = None
        for f in line_figs:
            if f is None:           # an empty cell
                cell += 1
                continue
            if done and not closes_line and prev_on_line is None:
                row, done = None, False     # a second figure group under one name: its name did not come through
            f.row = row or ""   # "": a table cell whose row has no name
            bracketed = (prev_on_line is not None and "(" in text[prev_on_line.amount.tail:f.amount.start]) \
                or (prev_on_line is None and closes_line)
            if bracketed:
                f.how, f.after = "bracket", (prev_on_line or last)
                done = True
            elif columns and not (bracket_row or opens_line) and cell < len(columns):
                col = columns[cell]
                if col.ctx is None:
                    f.amount.excluded_by = f.amount.excluded_by or "table.delta_column"
                else:
                    f.ctx, f.how = col.ctx, "table"
                cell += 1
            if f.amount.yen == 0:
                f.amount.excluded_by = "table.empty_cell"   # 0 in a cell: nothing budgeted
            if f.amount.excluded_by is None and f not in figures:
                new.append(f)
            prev_on_line = last = f
    return new


def cell_figure(k: int, info: LineInfo, cell: tuple[int, int, str], unit: int, unit_info: LineInfo,
                rules: RulePack) -> Figure:
    """The figure of one table cell (start, end, token) of line k, in the
    unit its header names, with the flags written in its cell (+事項要求); a
    signed cell is a change (△5 a decrease, +5 an increase), never a budget."""
    start, end, token = cell
    sign = -1 if token[:1] in "△▲" else 1
    yen = round(cell_value(token) * unit)
    flags, tail = flags_after(info.text, end, start, rules)
    flags.pop("_lead", None)
    a = Amount(start, end, tail, yen, flags,
               "not.decrease" if sign < 0 else "table.increase" if token[:1] == "+" else None)
    return Figure(k, info, a, unit_info=unit_info)
