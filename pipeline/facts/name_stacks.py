"""Layout strategy for a table whose rows came out as a column of names and
columns of values (the detail walk's stacks): which name each value line is."""
from __future__ import annotations

from pipeline.facts.lines import FILLER, LineInfo, is_pure_label, struct, without_leading_flags
from pipeline.facts.names import is_enumerated, is_name_like, lead_stripped, name_of, opens_figure
from pipeline.facts.titles import skippable
from pipeline.rules import RulePack


def name_stacks(lines: list[LineInfo], rules: RulePack, boxed: set[int] | frozenset = frozenset()) -> dict[int, str]:
    """Line -> name, where two or more name lines stand one under the other
    and the value lines below them (one stack or several, between year lines
    or section labels) are as many: the k-th value line is the k-th name's —
    a table whose rows came out as a column of names and columns of values.
    Value lines a budget box's label stack took by order (``boxed``: the
    box's own figures, first in the run) are not rows. When each value run
    below names that are all headings (enumerated), down to the next heading
    (runs_below), is one row and there are as many runs as names, the k-th
    run is the k-th name's: two
    columns' headings read side by side (「① 科研費」 / 「② 創発」), then each
    column's figures under its own text.

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
        items = bulleted_items(lines, top, rules)
        count = sum(len(value_rows(lines, range(a, b), rules)) for a, b in runs)
        if len(items) >= 2 and len(items) == count and (not names or count % len(names)):
            names = [name_of(lines[j], rules) for j in items]   # 「○ A」 / what A does / 「○ B」 / … , then their figures
        if len(names) < 2:
            continue
        headings = len(runs) == 1 and all(is_enumerated(info, rules) for info in lines[first + 1:top + 1])
        blocks = runs + runs_below(lines, end + 1, value_line, rules, mark_kind(lines[top].text)) if headings else []
        if len(blocks) == len(names) and all(len(value_rows(lines, range(a, b), rules)) == 1 for a, b in blocks):
            out.update({j: names[n] for n, (a, b) in enumerate(blocks) for j in range(a, b)})
            continue   # headings side by side, read one after the other, then each one's figures under its text
        for a, b in runs:
            rows = value_rows(lines, range(a, b), rules)
            if len(rows) % len(names) and boxed:   # the box's own figures first in the run: the rest are the rows
                rows = value_rows(lines, [j for j in range(a, b) if j not in boxed], rules)
            if len(rows) % len(names) == 0:   # one column of values, or several in turn
                out.update({j: names[n % len(names)] for n, row in enumerate(rows) for j in row})
    return {**box_parts(lines, rules, boxed), **out} if boxed else out


def box_parts(lines: list[LineInfo], rules: RulePack, boxed: set[int] | frozenset) -> dict[int, str]:
    """Line -> name for a budget box whose label stack is followed by the
    names of its parts or items (「うち、美術工芸品の保存修理」, 「・巡回公演事業」, two or
    more), its values far below: after the box's own values (``boxed``, the
    ones its labels took) come the parts' values, one line each (an
    enumerated 「(1) 41億円(39億円)」 too) in the order the names were listed.

    >>> from pipeline.extract import Line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> texts = ["令和8年度予算額(案)", "(前年度予算額", "・巡回公演事業", "・派遣事業", "事業概要", "子供たちに公演を届ける。",
    ...          "58億円", "55億円)", "(1)41億円(39億円)", "(2)12億円(12億円)"]
    >>> box_parts([analyze(Line(None, k, t, t), rules) for k, t in enumerate(texts)], rules, {6, 7})
    {8: '巡回公演事業', 9: '派遣事業'}
    """
    out: dict[int, str] = {}
    for k in range(1, len(lines)):
        if not is_pure_label(lines[k - 1]) or is_pure_label(lines[k]):
            continue
        parts = []
        while k < len(lines) and not lines[k].amounts and is_name_like(lines[k], rules) \
                and (struct(rules, "part_of", lead_stripped(lines[k].text, rules)) or struct(rules, "bullet", lines[k].text)):
            parts.append(k)
            k += 1
        own = next((j for j in range(k, len(lines)) if j in boxed), None)
        if len(parts) < 2 or own is None:
            continue
        j = own
        while j < len(lines) and j in boxed:
            j += 1
        rows: list[int] = []
        while j < len(lines) and lines[j].amounts and len(rows) < len(parts) and not FILLER.sub(
                "", without_leading_flags(lines[j].text[:lines[j].amounts[0].start], rules).lstrip("()（）0123456789")):
            rows.append(j)
            j += 1
        if len(rows) == len(parts) and not (j < len(lines) and lines[j].amounts):
            out.update({row: name_of(lines[n], rules) for row, n in zip(rows, parts)})
    return out


def mark_kind(text: str) -> str:
    """The kind of an enumerator: circled digits (①), digits (1.), or the mark itself ((, I).

    >>> mark_kind("①科研費"), mark_kind("12.国際"), mark_kind("(3)支援")
    ('circled', 'digit', '(')
    """
    c = text.lstrip()[:1]
    return "circled" if "\u2460" <= c <= "\u2473" else "digit" if c.isdigit() else c


def runs_below(lines: list[LineInfo], start: int, value_line, rules: RulePack, kind: str = "") -> list[tuple[int, int]]:
    """The runs of value lines from line ``start`` down to the next heading
    (an enumerated name line, of the enumerator kind ``kind`` when given: a
    sub-heading 「1. …」 under 「①」 is no next heading) or the end: (first,
    past the last) of each.

    >>> from pipeline.extract import Line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> texts = ["説明の文", "[補正予算額 133億円]", "説明", "③ 次の事業", "10億円"]
    >>> runs_below([analyze(Line(None, k, t, t), rules) for k, t in enumerate(texts)], 0, lambda i: bool(i.amounts), rules)
    [(1, 2)]
    """
    runs: list[tuple[int, int]] = []
    for j in range(start, len(lines)):
        if is_enumerated(lines[j], rules) and is_name_like(lines[j], rules) and (not kind or mark_kind(lines[j].text) == kind):
            break
        if value_line(lines[j]):
            if runs and runs[-1][1] == j:
                runs[-1] = (runs[-1][0], j + 1)
            else:
                runs.append((j, j + 1))
    return runs


def bulleted_items(lines: list[LineInfo], top: int, rules: RulePack, gap: int = 2) -> list[int]:
    """The lines of a list of items with one bullet ending at line ``top``,
    each item's description (at most ``gap`` lines, no bullet, no figure)
    under its name: 「○ 半導体生産基盤整備基金」 / 「先端半導体の…を支援」 / 「○ 蓄電池…」 / … —
    the names whose figures a converter wrote after the list, in order.

    >>> from pipeline.extract import Line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> texts = ["1,000億円", "○ 半導体基金", "製造拠点を支援", "○ 蓄電池事業", "設備投資を支援", "○ 省エネ事業"]
    >>> bulleted_items([analyze(Line(None, k, t, t), rules) for k, t in enumerate(texts)], 5, rules)
    [1, 3, 5]
    """
    mark = struct(rules, "bullet", lines[top].text) if top >= 0 else None
    if mark is None or not is_name_like(lines[top], rules):
        return []
    items, between = [top], 0
    for j in range(top - 1, -1, -1):
        info = lines[j]
        if info.amounts or info.labels:
            break
        other = struct(rules, "bullet", info.text)
        if other is not None and other.group(0).strip() == mark.group(0).strip() and is_name_like(info, rules):
            items.insert(0, j)
            between = 0
        elif other is not None or between == gap:
            break
        else:
            between += 1
    return items


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
