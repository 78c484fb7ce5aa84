"""Layout strategy for a list whose items give their figure as a bare
number after the name and an equals sign, in the unit a note above
declares — a newspaper's list of a budget's main items:

    文部科学省の二十八年度予算案主要事項はつぎのとおり(金額単位・百万円。…)。
    ◆学校をプラットフォームとした総合的な子どもの貧困対策の推進=二、六一二(一一九・三%)
    ▽地域未来塾による学習支援の充実=二六九(…の一部。補助率1/3)

Each such line of a list (a bullet first; struct.named_value) is one figure of the item it names, in
the release's own stage and year; the number is written in digits or in
positional kanji (二、六一二 is 2,612). Without a unit note above it, a line
gives nothing (a bare number is no amount).
"""
from __future__ import annotations

from pipeline.facts.context import ReleaseContext
from pipeline.facts.figure import Figure
from pipeline.facts.layout import Slide
from pipeline.facts.lines import flags_after, struct
from pipeline.facts.names import clean_name
from pipeline.facts.tables import cell_figure
from pipeline.facts.units import unit_lines
from pipeline.parse import KANJI_DIGITS
from pipeline.rules import RulePack

POSITIONAL = str.maketrans({**{k: str(v) for k, v in KANJI_DIGITS.items()}, "、": ","})


def digits(number: str) -> str:
    """A bare number's digits, positional kanji turned into figures.

    >>> digits("二、六一二"), digits("二八"), digits("1,245")
    ('2,612', '28', '1,245')
    """
    return number.translate(POSITIONAL)


def named_value_figures(slide: Slide, release: ReleaseContext, rules: RulePack) -> tuple[list[Figure], set[int]]:
    """(the figures of the slide's 「NAME=number」 lines under a unit note, the lines they took)."""
    units = unit_lines(slide, rules)
    if not units:
        return [], set()
    figures, taken = [], set()
    for k, info in enumerate(slide.lines):
        if info.amounts or info.labels or "=" not in info.text or not struct(rules, "bullet", info.text):
            continue   # (an item of a list: 「◆…」, 「▽…」)
        above = [u for u in units if u < k]
        m = struct(rules, "named_value", info.text) if above else None
        if m is None or not (name := clean_name(m.group("name"), rules)):
            continue
        f = cell_figure(k, info, (m.start("number"), m.end("number"), digits(m.group("number"))),
                        units[above[-1]], slide.lines[above[-1]], rules)
        f.row, f.ctx, f.how = name, release.default(), "table"
        note = m.group("name").rfind("(")   # 「…支援事業(新規)=二八」: the name's flags are the figure's
        if note > 0 and m.group("name").rstrip().endswith(")"):
            noted, _ = flags_after(info.text, m.start("name") + note, m.start("name") + note, rules)
            f.amount.flags.update({flag: True for flag, on in noted.items() if on and flag != "_lead"})
        if f.amount.yen and f.amount.excluded_by is None:
            figures.append(f)
            taken.add(k)
    return figures, taken
