"""Layout strategy for a table whose rows came out as a column of names and
columns of values (the detail walk's stacks): which name each value line is."""
from __future__ import annotations

from pipeline.facts.lines import FILLER, LineInfo, struct, without_leading_flags
from pipeline.facts.names import is_name_like, name_of, opens_figure
from pipeline.facts.titles import skippable
from pipeline.rules import RulePack


def name_stacks(lines: list[LineInfo], rules: RulePack, boxed: set[int] | frozenset = frozenset()) -> dict[int, str]:
    """Line -> name, where two or more name lines stand one under the other
    and the value lines below them (one stack or several, between year lines
    or section labels) are as many: the k-th value line is the k-th name's —
    a table whose rows came out as a column of names and columns of values.
    Value lines a budget box's label stack took by order (``boxed``: the
    box's own figures, first in the run) are not rows.

    >>> from pipeline.extract import Line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> texts = ["海洋観測事業", "深海探査事業", "令和6年度", "13億円", "8億円の内数", "(12億円)", "(約8億円の内数)"]
    >>> name_stacks([analyze(Line(None, k, t, t), rules) for k, t in enumerate(texts)], rules)
    {3: '海洋観測事業', 4: '深海探査事業', 5: '海洋観測事業', 6: '深海探査事業'}
    >>> texts = ["海洋観測事業", "深海探査事業", "13億円", "8億円", "令和5年度", "[補正予算額 4億円]", "(12億円)", "(7億円)"]
    >>> sorted(name_stacks([analyze(Line(None, k, t, t), rules) for k, t in enumerate(texts)], rules).items())[2:]
    [(5, '海洋観測事業'), (6, '海洋観測事業'), (7, '深海探査事業')]
    """
    def value_line(info: LineInfo) -> bool:   # figures first (a 約 before one belongs to it)
        if not info.amounts:
            return False
        if opens_figure(info.text, rules):
            return True   # 「[ 補正予算額 43億円 ]」: a bracketed figure of a row's cell
        return not FILLER.sub("", without_leading_flags(info.text[:info.amounts[0].start], rules))

    def name_line(info: LineInfo) -> bool:
        return is_name_like(info, rules) and not struct(rules, "subtitle", info.text)

    out: dict[int, str] = {}
    values = [k for k, info in enumerate(lines) if value_line(info)]
    k = 0
    while k < len(values):   # each run of value lines, and the name stack above it
        start = end = values[k]
        while k + 1 < len(values) and values[k + 1] == end + 1:
            k, end = k + 1, end + 1
        k += 1
        runs = [(start, end + 1)]
        top = start - 1
        while True:   # further up: more value runs of the same table, then its names
            while top >= 0 and not lines[top].amounts and not name_line(lines[top]) and skippable(lines[top], rules):
                top -= 1
            if top >= 0 and value_line(lines[top]):
                bottom = top
                while top >= 0 and value_line(lines[top]):
                    top -= 1
                runs.insert(0, (top + 1, bottom + 1))
                continue
            break
        first = top
        while first >= 0 and name_line(lines[first]):
            first -= 1
        names = [name_of(info, rules) for info in lines[first + 1:top + 1]]
        if len(names) < 2:
            continue
        for a, b in runs:
            rows = value_rows(lines, range(a, b), rules)
            if len(rows) % len(names) and boxed:   # the box's own figures first in the run: the rest are the rows
                rows = value_rows(lines, [j for j in range(a, b) if j not in boxed], rules)
            if len(rows) % len(names) == 0:   # one column of values, or several in turn
                out.update({j: names[n % len(names)] for n, row in enumerate(rows) for j in row})
    return out


def value_rows(lines: list[LineInfo], run, rules: RulePack) -> list[list[int]]:
    """The rows of a run of value lines: a line wholly a bracketed figure
    (「[ 補正予算額 43億円 ]」) is a second line of a row's cell — of the row
    below when it opens the run, else of the row above."""
    run = list(run)
    rows: list[list[int]] = []
    for n, j in enumerate(run):
        if opens_figure(lines[j].text, rules) and (rows or n + 1 < len(run)):
            if rows and n:
                rows[-1].append(j)
            else:
                rows.append([j, -1])   # joined with the next line
            continue
        if rows and rows[-1][-1] == -1:
            rows[-1][-1] = j
        else:
            rows.append([j])
    return rows
