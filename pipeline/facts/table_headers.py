"""Table headers, the first half of the table strategy (tables.py reads the
rows under them): where a table's header stands on a slide and the stage
context each of its columns gives its cells —

- a header line of a whole table (two years and a difference column), or
  a header written one cell a line (header_stack);
- ``columns``: a header block of years, stage labels and difference words
  gives each column a stage context — years in the order written, stage
  labels filling them in order, one difference column (比較増減) whose numbers
  are deltas and never budgets; a year without a label is the release's own
  stage when it is the release's year, enacted when earlier.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.facts.cells import (
    number_tokens,
)
from pipeline.facts.context import ReleaseContext, StageContext, label_year
from pipeline.facts.layout import Slide, same_row
from pipeline.facts.lines import (
    FILLER,
    LineInfo,
    hit,
    struct,
    year_of,
)
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


def stub_header(info: LineInfo, rules: RulePack) -> bool:
    """A tab table's header line: its first cell stands over the row names
    (struct.header_stub: 区分, 事項) and two or more stage labels stand in the
    others (「区分\t令和7年度当初予算額\t令和8年度予算案」) — a header with no
    difference column and no unit of its own (its cells carry 億円)."""
    if "\t" not in info.text or info.amounts or len(info.labels) < 2:
        return False
    return struct(rules, "header_stub", info.text.split("\t", 1)[0].strip()) is not None


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
        if stub_header(info, rules):
            return True
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
                                or stub_header(info, rules) for info in lines) \
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
