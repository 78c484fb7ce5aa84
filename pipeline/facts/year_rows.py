"""Layout strategy for tables with the years down and the stages across —
an administrative review sheet's 予算額・執行額 (行政事業レビュー):

    ※単位は100万円
    年度 | 要求額 | 当初予算 | 補正予算 | 前年度から繰越し | … | 予算計 | 執行額
    2019 | - | 9 | 0 | 0 | … | 9 | 9
    2021 | 9 | - | - | - | … | - | -

- ``header``: a line of cells (split by ``|`` or spaces) whose first cell
  names the years (struct.year_rows) and at least two of whose cells are
  stage labels; a column whose header is no stage label (繰越し, 予算計,
  執行額) gives no figure;
- ``rows``: each line under it whose first cell is a year (struct.year_cell);
  its numbers, in the unit the table's header names, are that year's
  figures at the stage of their column; a dash or 0 is no figure.
The figures have no name of their own: they are the program's the page
opens with (the sheet's 事業名, its first name line above the table).
"""
from __future__ import annotations

import regex

from pipeline.facts.context import ReleaseContext, StageContext
from pipeline.facts.figure import Figure
from pipeline.facts.layout import Slide
from pipeline.facts.lines import Amount, LineInfo, labels_of, struct, year_of
from pipeline.facts.names import clean_name, is_name_like, name_of
from pipeline.facts.titles import skippable
from pipeline.facts.units import nearest, unit_lines
from pipeline.rules import RulePack

CELL = regex.compile(r"[^|\s]+")
NUMBER = regex.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def cells(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of a table line's cells, split at ``|`` or spaces.

    >>> [c[2] for c in cells("2019 | - | 9 | 0 |")]
    ['2019', '-', '9', '0']
    """
    return [(m.start(), m.end(), m.group()) for m in CELL.finditer(text)]


def header_stages(info: LineInfo, rules: RulePack) -> list[StageContext | None] | None:
    """The stage of each column of a year-rows header line (None: a column of
    no stage), or None when the line is no such header. Cells are split at
    ``|`` or spaces; a header whose spaces normalization removed
    (「区分当初予算補正予算」) is split at its labels, and then every column
    must be one."""
    if info.amounts or len(info.labels) < 2:
        return None
    row = cells(info.text)
    if len(row) < 3:   # (Japanese cells glued together: the labels are the columns)
        head = info.text[:info.labels[0].start]
        glued = all(info.labels[n].end == info.labels[n + 1].start for n in range(len(info.labels) - 1)) \
            and info.labels[-1].end == len(info.text.rstrip())
        if not glued or not struct(rules, "year_rows", head.strip()):
            return None
        return [StageContext(lab.budget, lab.stage, None, lab.rule["id"]) for lab in info.labels]
    if not struct(rules, "year_rows", row[0][2]):
        return None
    stages: list[StageContext | None] = []
    for _, _, cell in row[1:]:
        labels = labels_of(cell, rules)
        whole = len(labels) == 1 and labels[0].start == 0 and labels[0].end == len(cell)
        stages.append(StageContext(labels[0].budget, labels[0].stage, None, labels[0].rule["id"]) if whole else None)
    return stages if sum(s is not None for s in stages) >= 2 else None


def year_row(info: LineInfo, rules: RulePack, release: ReleaseContext) -> tuple[int, list] | None:
    """(the year, the cells after it) of a row that opens with its year
    (「2019 | - | 9 | 0 |」, 「令和2年度 102.7 73.0」), else None."""
    if info.amounts:
        return None
    m = struct(rules, "year_cell", info.text.strip())
    year = year_of(m, release.era) if m else None
    if year is None:
        return None
    at = info.text.index(m.group()) + len(m.group())
    return year, [(at + s, at + e, c) for s, e, c in cells(info.text[at:])]


def year_row_follows(lines: list[LineInfo], k: int, rules: RulePack, release: ReleaseContext) -> bool:
    """Does a row that opens with a year follow the header at line k (past a
    Markdown rule line)?"""
    for info in lines[k + 1:k + 4]:
        if info.text.strip() and not set(info.text) <= set("|-: ") and any(c.isdigit() for c in info.text):
            return year_row(info, rules, release) is not None
    return False   # (a header cell wrapped onto a line of its own, 「繰越し」, has no digit)


def without_title_words(name: str, rules: RulePack) -> str:
    """A table's title as a name: 「海洋関係予算の推移」 is 海洋関係予算's."""
    for rule in rules.role("structure", "title_words"):
        name = rule["re_pattern"].sub("", name)
    return name


def sheet_program(lines: list[LineInfo], rules: RulePack) -> str:
    """The program a sheet is about: its 事業名 field (struct.program_field),
    else the first name line above the table."""
    for info in lines:
        m = struct(rules, "program_field", info.text)
        if m:
            return clean_name(m.group("name").split("\t")[0], rules)
    return next((without_title_words(name_of(t, rules), rules) for t in lines
                 if is_name_like(t, rules) and not skippable(t, rules)), "")


def year_row_figures(slide: Slide, release: ReleaseContext, rules: RulePack) -> tuple[list[Figure], set[int]]:
    """(the figures of the slide's year-rows tables, the lines they took)."""
    lines = slide.lines
    if not any("|" in info.text or "年度" in info.text for info in lines):
        return [], set()
    units = unit_lines(slide, rules)
    if not units:
        return [], set()
    figures: list[Figure] = []
    taken: set[int] = set()
    stages: list[StageContext | None] | None = None
    program, header_at = "", -1
    for k, info in enumerate(lines):
        head = header_stages(info, rules)
        if head is not None and not year_row_follows(lines, k, rules, release):
            head = None   # 「区分 8年度予算額 9年度予算額(案)」 over rows of names: another table's header
        if head is not None:
            stages, header_at = head, k
            program = sheet_program(lines[:k], rules)
            taken.add(k)
            slide.table_headers.add(k)
            continue
        if stages is None:
            continue
        if info.text.strip() and (set(info.text) <= set("|-: ") or (
                k == header_at + 1 and not any(c.isdigit() for c in info.text))):
            taken.add(k)   # 「---|---|」: a Markdown table's rule line, or a header cell wrapped (「繰越し」)
            header_at = k
            continue
        found = year_row(info, rules, release)
        if found is None:
            stages = None   # the table has ended
            continue
        year, row = found
        row_label = [lab for lab in labels_of(info.text, rules) if lab.start == 0]
        if row and row_label and row_label[0].end >= row[0][1] - 1:
            row = row[1:]   # 「令和3年度要求 25,100」: the row's own stage, in its columns' budgets
        taken.add(k)
        unit = units[nearest(k, units)]
        for (start, end, cell), stage in zip(row, stages):
            if stage is None or not NUMBER.match(cell):
                continue
            yen = round(float(cell.replace(",", "")) * unit)
            if yen == 0:
                continue   # 0 in a cell: nothing budgeted
            f = Figure(k, info, Amount(start, end, end, yen, {}, None), unit_info=lines[nearest(k, units)])
            f.ctx = StageContext(stage.budget, row_label[0].stage, year, row_label[0].rule["id"]) if row_label \
                else StageContext(stage.budget, stage.stage, year, stage.rule)
            f.how, f.row = "table", program
            figures.append(f)
    return figures, taken
