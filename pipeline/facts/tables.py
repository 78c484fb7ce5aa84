"""Layout strategy for tables: a header names the unit (単位:百万円) and the
columns (平成20年度予算 / 平成21年度予算 / 対増△減), the rows hold plain numbers.

- ``unit``: the unit a slide's table header names applies to the plain
  numbers of its rows (the nearest header above a row, else the first one
  below: some tables print it under the figures);
- ``columns``: a header block of years, stage labels and difference words
  gives each column a stage context — years in the order written, stage
  labels filling them in order, one difference column (比較増減) whose numbers
  are deltas and never budgets; a year without a label is the release's own
  stage when it is the release's year, enacted when earlier;
- ``rows``: the figures under a header, cell by cell (one line of numbers
  separated by spaces, or one number a line), each row named by the name
  line above it; a row written 「X (」 「Y )」 is a figure and its prior year.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.facts.cells import (
    cell_value,
    fills_name_cell,
    name_cell_rest,
    name_column_width,
    number_tokens,
    one_cell_over_two_lines,
    row_name,
    wraps_in_cell,
)
from pipeline.facts.context import ReleaseContext, StageContext, label_year
from pipeline.facts.figure import Figure
from pipeline.facts.layout import Slide, same_row
from pipeline.facts.lines import (
    FILLER,
    Amount,
    LineInfo,
    flags_after,
    hit,
    is_bare_amount,
    struct,
    year_of,
)
from pipeline.facts.names import clean_name, continues_name, is_enumerated, is_name_like, name_of
from pipeline.facts.units import nearest, unit_for, unit_lines
from pipeline.guard import finditer
from pipeline.rules import RulePack


@dataclass(slots=True)
class Column:
    ctx: StageContext | None     # None: a difference column


def two_years_and_a_change(text: str, year_literals: list[str], rules: RulePack) -> bool:
    """A header line of a whole table: two years and a difference column
    (「区分 8年度予算 9年度予算案 増減」), not a title naming two budgets
    (「令和7年度補正予算及び令和8年度予算(案)の骨子」)."""
    # (map and filter, not a generator: this is asked of nearly every line of a large deck)
    return sum(map(text.count, filter(None, year_literals))) >= 2 \
        and hit(rules, "structure", "delta_column", text) is not None


def could_hold_a_table(slide: Slide, rules: RulePack) -> bool:
    """One cheap pass: a line with no amount holds a unit rule's literal, or
    two lines with neither amount nor stage label hold a year rule's literal
    (a header's columns; a budget box's years stand in its labels)."""
    unit_literals = [n for r in rules.role("structure", "unit") for n in (r.get("requires") or ("",))]
    year_literals = [n for r in rules.role("year", "year") for n in (r.get("requires") or ("",))]
    range_literals = [n for r in rules.role("year", "range") for n in (r.get("requires") or ())]
    unit_gate, year_gate = rules.gate("structure", "unit"), rules.gate("year", "year")   # (None: one requires nothing)
    years = 0
    for info in slide.lines:
        text = info.text
        if info.amounts or info.excluded or "。" in text or len(text) > rules.settings["max_name_length"]:
            continue   # header cells are short and hold no figure
        if unit_gate and year_gate and not unit_gate.search(text) and not year_gate.search(text):
            continue   # no unit literal and no year literal: none of the tests below counts the line
        for n in unit_literals:
            if n in text:
                return True
        if any(n in text for n in range_literals):
            continue   # (a period is no header)
        if two_years_and_a_change(text, year_literals, rules):
            return True   # 「区分 8年度予算 9年度予算案 増減」: a header on one line
        if not info.labels:
            for n in year_literals:
                if n in text:
                    years += 1
                    break
            if years >= 2:
                return True
    return False


def header_columns(lines: list[LineInfo], k: int, rules: RulePack, release: ReleaseContext,
                   has_unit: bool) -> list[Column] | None:
    """The columns of a header block starting at line k (consecutive lines of
    years, stage labels and difference words, no figures), or None."""
    years: list[tuple[int | None, str]] = []      # (year, how written: year / prior)
    stages: list[tuple[str, str, str]] = []       # (budget, stage, rule id)
    # difference (増▲減額, 伸率) and total (計) columns: (the year column it stands before, order written, a total?)
    inserted: list[tuple[int, int, bool]] = []
    placed: dict[int, tuple[str, str, str]] = {}   # year index -> the stage label written in its cell
    other: set[int] = set()   # year indexes whose cell says its figures are no budget (決算額)
    stacked = header_stack(lines, k, rules, has_unit)   # 8年度予算額 / 9年度予算額(案) / 増▲減額, a line each
    j = k
    while j < len(lines) and j - k < 6:
        info = lines[j]
        text = info.text
        if info.amounts or number_tokens(info, rules) or struct(rules, "enumerator", text) \
                or struct(rules, "bracket_note", text) or hit(rules, "year", "range", text):
            break   # (a period 令和4年度~令和8年度 is no pair of columns)
        beside_previous = j > k and info.line.bbox and lines[j - 1].line.bbox \
            and same_row(info.line.bbox, lines[j - 1].line.bbox)
        written_at = sorted((m.start(), year_of(m, release.era)) for rule in rules.role("year", "year")
                            for m in finditer(rule["re_pattern"], text, rule["id"]))
        # 「増減(8年度-7年度)」: the years a difference column explains are no columns of their own
        explained = [(d.end(), text.find(")", d.end())) for rule in rules.role("structure", "delta_column")
                     for d in finditer(rule["re_pattern"], text, rule["id"]) if text[d.end():].lstrip().startswith("(")]
        written_at = [(at, y) for at, y in written_at if not any(start <= at < end for start, end in explained)]
        # 「令和元年度 (平成31年度)」: the year again in the other era, in brackets, is the same column
        written_at = [(at, y) for n, (at, y) in enumerate(written_at)
                      if not (text[:at].rstrip().endswith("(") and y is not None
                              and y == (written_at[n - 1][1] if n else years[-1][0] if years else None))]
        written = [y for _, y in written_at]
        for n, (at, _) in enumerate(written_at):   # 「令和4年度決算額」: a year's column of no budget
            if struct(rules, "other_column", text[at:written_at[n + 1][0] if n + 1 < len(written_at) else None]):
                other.add(len(years) + n)
        if any(label_year(lab, info, rules, release.era, release.dated, release.titled) is not None for lab in info.labels) \
                and not beside_previous \
                and len(written) < 2 and not stacked and not (len(info.labels) >= 2 and (
                    has_unit or hit(rules, "structure", "delta_column", text))):
            break   # 令和8年度予算額(案) over its value: a budget box's label, not a column header
            # (「事項 前年度予算額 令和9年度予算案 対前年度増▲減額」 over a table is one)
        if j == k and len(written) == 1 and any(
                sum(1 for rule in rules.role("year", "year")
                    for _ in finditer(rule["re_pattern"], below.text, rule["id"])) >= 2 for below in lines[j + 1:j + 3]):
            return None   # 「令和9年度 海洋関係予算の概要」 (a breadcrumb, then it) over 「区分 8年度予算 9年度予算案 増▲減」
        found, line_start = bool(written), len(years)
        this_year = [m.start() for rule in rules.role("structure", "this_year")
                     for m in finditer(rule["re_pattern"], text, rule["id"])]
        priors: list[tuple[int, int | None, str]] = [(lab.start, None, "prior") for lab in info.labels
                  if lab.rule.get("relative") == "prior" and lab.year(release.era) is None]
        if this_year or (has_unit and priors and not written and not bracketed_label(text, priors[0][0])):
            # 「本年度予算額 前年度予算額 比較」, or under a unit header a cell a line (「前年度予算額」 / 「(A)」 /
            # 「本年度予算額」): the release's year and the one before, in their order
            marks = sorted([(at, release.year, "year") for at in this_year] + priors)
            years += [(y, how) for _, y, how in marks]
            found = True
        else:
            years += [(y, "year") for y in written]
        prior = any(how == "prior" for _, how in years)
        alone = struct(rules, "prior_column", text) if not info.labels and not prior else None
        if alone is not None:   # 「前年度 令和7年度」, 「事 項 前年度 令和7年度 比較増減」: a column where it is written
            years.insert(line_start + sum(1 for at, _ in written_at if at < alone.start()), (None, "prior"))
            found = True
        by_cell = (2 <= len(written_at) >= len(info.labels) or len(written_at) == 1 == len(info.labels)) and not this_year
        for lab in info.labels:
            if lab.opens_bracket and not prior \
                    and label_year(lab, info, rules, release.era, release.dated, release.titled) is None:
                years.insert(0, (None, "prior"))
            cell = [n for n, (at, _) in enumerate(written_at) if at <= lab.start] \
                if by_cell and not lab.opens_bracket else []
            if cell:   # years and labels on one line: a label is the cell of the year before it
                placed[len(years) - len(written_at) + cell[-1]] = (lab.budget, lab.stage, lab.rule["id"])
            else:
                stages.append((lab.budget, lab.stage, lab.rule["id"]))
            found = True
        written_deltas = sorted(d.start() for rule in rules.role("structure", "delta_column")
                                for d in finditer(rule["re_pattern"], text, rule["id"]))
        if written_deltas:   # each where it is written among the line's years (「令和7年度 比較増減 令和6年度補正」)
            line_years = [at for at, _, _ in marks] if this_year else [at for at, _ in written_at]
            base = len(years) - len(line_years)
            inserted += [(base + sum(1 for at in line_years if at < d), len(inserted), False) for d in written_deltas]
            found = True
        if not found and years and j > k and struct(rules, "total", FILLER.sub("", text)):
            inserted.append((len(years), len(inserted), True))   # 「令和7年度要求額 / 令和7年度要望額 / 計」
            found = True
        if not found and len(FILLER.sub("", text)) > 1:
            break
        j += 1
    explicit = sum(how == "year" for _, how in years)
    deltas = [at for at, _, total in inserted if not total]
    if not (explicit >= 2 or (has_unit and len(years) + bool(deltas) >= 2 and years)):
        return None   # a budget box's label stack (a year and 前年度) is no table header
    columns = []
    padded = [None] * (len(years) - len(stages)) + stages[:len(years)]   # fewer labels than years: the last columns'
    stage: str | None
    for n, (year, how) in enumerate(years):
        if n in other:
            columns.append(Column(None))
            continue
        if how == "prior":
            year = release.year - 1 if release.year is not None else None
        given = placed.get(n) or padded[n]
        if given is not None:
            budget, stage, rid = given
        elif year is not None and release.year is not None and year < release.year:
            budget, stage, rid = "initial", "enacted", "table.column"
        else:
            budget, stage, rid = "initial", release.stage, "table.column"
        columns.append(Column(StageContext(budget, stage, year, rid)))
    for n, (at, _, total) in enumerate(sorted(inserted)):
        before = columns[at + n - 1].ctx if total and at + n else None
        columns.insert(at + n, Column(before))
    return columns


def bracketed_label(text: str, start: int) -> bool:
    """Is the label at ``start`` inside a bracket opened before it on its
    line (「(前年度予算額」: a budget box's prior-year label, not a column)?

    >>> bracketed_label("(前年度予算額", 1), bracketed_label("前年度予算額", 0)
    (True, False)
    """
    return "(" in text[:start]


def header_stack(lines: list[LineInfo], k: int, rules: RulePack, has_unit: bool) -> bool:
    """Do the lines from k on form a table header written one cell a line —
    year labels (8年度予算額 / 9年度予算額(案), 前年度予算額 / (A) / 本年度予算額), at least two, then a
    difference column (増▲減額) or under a unit header — rather than a
    budget box's label stack, whose values follow its labels?"""
    years, delta = 0, False
    for info in lines[k:k + 6]:
        if info.amounts or number_tokens(info, rules):
            break
        if hit(rules, "structure", "delta_column", info.text):
            delta = True
        elif (info.labels or struct(rules, "header_word", info.text)) and (
                hit(rules, "year", "year", info.text) or struct(rules, "this_year", info.text)
                or any(lab.rule.get("relative") == "prior" and not bracketed_label(info.text, lab.start) for lab in info.labels)):
            years += 1   # (「令和6年度予算(A)」: a year's budget, no stage label; 「前年度予算額」, 「本年度予算額」)
        elif len(FILLER.sub("", info.text)) > 1:
            break   # (「(A)」 under a column's name is its letter)
    return years >= 2 and (delta or has_unit)


def header_blocks(slide: Slide, rules: RulePack, release: ReleaseContext,
                  has_unit: bool) -> dict[int, tuple[int, list[Column]]]:
    """Line index of each header block -> (its last line, its columns)."""
    out: dict[int, tuple[int, list[Column]]] = {}
    k = 0
    lines = slide.lines
    # a header names two years (or a unit stands over it): most slides' years are in box labels and periods
    year_literals = [n for r in rules.role("year", "year") for n in (r.get("requires") or ("",))]
    if not has_unit and not any(not info.amounts and two_years_and_a_change(info.text, year_literals, rules)
                                for info in lines) \
            and sum("年度" in info.text and not info.amounts
                    and not any(lab.year(release.era) is not None for lab in info.labels)
                    and not hit(rules, "year", "range", info.text) for info in lines) < 2:
        return out
    while k < len(lines):
        cols = header_columns(lines, k, rules, release, has_unit) \
            if not lines[k].amounts and struct(rules, "header_word", lines[k].text) else None
        if cols:
            end = k
            while end + 1 < len(lines) and not lines[end + 1].amounts and not number_tokens(lines[end + 1], rules) \
                    and (hit(rules, "year", "year", lines[end + 1].text) or lines[end + 1].labels
                         or hit(rules, "structure", "delta_column", lines[end + 1].text)
                         or len(FILLER.sub("", lines[end + 1].text)) <= 1):
                end += 1
            out[k] = (end, cols)
            k = end + 1
        else:
            k += 1
    return out


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
            cell, done = 0, False
            # a 単位 column (「成果指標 単位 平成29年度 …」): each row names its own unit, no money unless 円
            own_units = any(struct(rules, "unit_column", c) for j in range(k, skip_to + 1)
                            for c in re.split(r"[\t| ]+", lines[j].text))
            continue
        if own_units and "円" not in info.text:
            continue
        if columns and last is not None and not info.amounts and is_enumerated(info, rules) \
                and is_name_like(info, rules) and not any(number_tokens(below, rules) for below in lines[k + 1:k + 3]):
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
            own = clean_name(head[-1], rules)
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
