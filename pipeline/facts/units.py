"""A table's units: the header that names them (単位:百万円, a row of unit
cells 千円 千円 千円) and the one that holds for a line."""
from __future__ import annotations

from pipeline.facts.layout import Slide
from pipeline.facts.lines import hit
from pipeline.guard import may_match
from pipeline.parse import UNITS
from pipeline.rules import RulePack


def unit_lines(slide: Slide, rules: RulePack) -> dict[int, int]:
    """Line index -> yen per unit, for each table unit header of the slide
    (単位:百万円, or a row of column units 千円 千円 千円, also one per line);
    found once per slide (three table strategies ask)."""
    if slide.units is None:
        slide.units = _unit_lines(slide, rules)
    return slide.units


def _unit_lines(slide: Slide, rules: RulePack) -> dict[int, int]:
    out = {}
    lines = slide.lines
    unit_rules = rules.role("structure", "unit")
    gate = rules.gate("structure", "unit")   # (one search for the literals of every unit rule)
    for k, info in enumerate(lines):
        if info.amounts:
            continue
        listed = gate.search(info.text) if gate is not None else any(may_match(r, info.text) for r in unit_rules)
        if ("。" in info.text and "単位" not in info.text) or not listed or hit(rules, "structure", "reference", info.text):
            continue   # a unit header is a line with no amount and no sentence, but for 「※単位:百万円。…」
        m = hit(rules, "structure", "unit", info.text)
        if m is not None and len(info.text) > 40 and "単位" not in info.text and m.start() > 0:
            continue   # a long line: a table's header row names its unit in a cell (「事項(単位:億円)\t…」,
            # 「区分(百万円)\t令和6年度…」); a unit closing a long line is a chart's or a note's
        yen = unit_yen(m.group("unit")) if m else \
            unit_yen(info.text) if k + 1 < len(lines) and info.text in UNIT_WORDS and lines[k + 1].text == info.text \
            else None
        if yen is not None:
            out[k] = yen
    return out


UNIT_WORDS = {"兆円", "億円", "百万円", "千万円", "万円", "千円"}


def unit_yen(word: str) -> int | None:
    """Yen per unit of a table's unit word (None for a word that is none).

    >>> unit_yen("百万円"), unit_yen("100万円"), unit_yen("円")
    (1000000, 1000000, 1)
    """
    word = word[:-1].replace("100万", "百万")
    return UNITS.get(word) if word else 1


def unit_for(k: int, units: dict[int, int]) -> int | None:
    above = [i for i in units if i <= k]
    if above:
        return units[max(above)]
    below = [i for i in units if i > k]
    return units[min(below)] if below else None


def nearest(k: int, units: dict[int, int]) -> int:
    above = [i for i in units if i <= k]
    return max(above) if above else min(units)
