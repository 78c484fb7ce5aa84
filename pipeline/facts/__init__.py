"""Facts: positioned lines -> budget records with provenance, driven by the
rule pack. Pure: pages in, records out (pipeline.run writes them).

The stage is a sequence of named steps, one module each:

1. ``lines``    line analysis: labels, amounts, flags, not-budget amounts;
2. ``context``  the release's own years and stages (from its title), and the
                stage context a label gives a figure;
3. ``layout``   slides (a PDF page, or text up to a （担当：…） footer), labels
                split over lines joined, flags on the line after their value,
                notes wrapped over lines, box geometry;
4. ``pairing``  each figure's stage context, by strategies in order: inline,
                bracket, arrow, sentence, box (PDF position), order (label and
                value stacks), table (column headers), slide (the box / release);
5. ``owners``   whose figure it is: ``overview`` walks a slide listing the
                programs (release total, categories, headers), ``detail`` a
                slide about one program (its title — ``titles`` —, components);
6. ``records``  observations, one amount row per fact, programs, and each
                fact's check (witnessed / single / conflict).

No program name, page or amount of any release appears here: what a label,
an amount or a header looks like is in the rule pack (rules/), and so are
the distances the strategies allow (its settings).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pipeline.extract import Page
from pipeline.facts.context import ReleaseContext, release_context
from pipeline.facts.detail import DetailWalk
from pipeline.facts.layout import slides as make_slides
from pipeline.facts.lines import IMPLAUSIBLE, UNREADABLE
from pipeline.facts.names import printed_names
from pipeline.facts.overview import OverviewWalk, could_be_overview, overview_headers
from pipeline.facts.owners import Programs
from pipeline.facts.pairing import pair_slide, settle
from pipeline.facts.records import (
    KEY,
    assign_checks,
    derived_columns,
    facts_of,
    listed_with_totals,
    observation,
    programs_of,
    restatements,
)
from pipeline.facts.titles import resolve_untitled, title_by_font
from pipeline.guard import check_budget, watchdog
from pipeline.rules import RulePack, load_rules
from pipeline.schema import AMOUNT_COLUMNS, PROGRAM_COLUMNS

__all__ = ["AMOUNT_COLUMNS", "PROGRAM_COLUMNS", "Facts", "extract_facts", "walk_release"]


@dataclass
class Facts:
    amounts: list[dict]
    programs: list[dict]
    observations: list[dict]
    conflicts: list[dict]
    context: ReleaseContext
    warnings: list[str]

    def __iter__(self):   # amounts, programs, observations, conflicts = extract_facts(...)
        return iter((self.amounts, self.programs, self.observations, self.conflicts))

    def __getitem__(self, k: int):
        return tuple(self)[k]


def extract_facts(pages: list[Page], release: str, rules: RulePack | None = None) -> Facts:
    """The records of one release."""
    rules = rules or load_rules()
    with watchdog():   # one timer guards the regex calls (see pipeline.rules)
        return _extract(pages, release, rules)


def walk_release(pages: list[Page], release: str, rules: RulePack | None = None):
    """((amounts, programs, observations, conflicts), release context)."""
    facts = extract_facts(pages, release, rules)
    return tuple(facts), facts.context


def keep_printed_separators(slides, amounts: list[dict], observations: list[dict], programs: list[dict],
                            conflicts: list[dict]) -> None:
    """Names as printed: where a line prints a space inside a name, between
    two Japanese words (「① 科研費 科学研究費助成事業」), the name keeps it
    (normalization dropped it), in every table at once."""
    names = {r[k] for r in programs for k in ("program", "parent") if r[k]}
    renamed = printed_names(names, [info.line for s in slides for info in s.lines])
    if not renamed:
        return
    for row in (*amounts, *observations, *programs):
        for k in ("program", "parent"):
            row[k] = renamed.get(row[k], row[k])
    for c in conflicts:
        c["key"] = [renamed.get(v, v) if isinstance(v, str) else v for v in c["key"]]


def _extract(pages: list[Page], release: str, rules: RulePack) -> Facts:
    slides = make_slides(pages, rules)
    context = release_context([info for s in slides for info in s.lines], rules)
    programs = Programs(release)
    headers = [overview_headers(s, rules) if could_be_overview(s, rules) else {} for s in slides]
    for s, h in zip(slides, headers):
        s.overview = len(h) >= rules.settings["overview_min_headers"]
    figures = []
    for s in slides:
        check_budget()
        figures.append(pair_slide(s, context, rules))
    claimed_by_slide: dict[int, list] = {}
    # the overview first: its programs are what the detail slides are matched against
    for s, f, h in zip(slides, figures, headers):
        if s.overview:
            claimed_by_slide[s.number] = OverviewWalk(s, f, programs, rules).run(h)
    for s, f in zip(slides, figures):
        if not s.overview:
            program = title_by_font(s, programs, rules) or resolve_untitled(s, programs, rules)
            claimed_by_slide[s.number] = DetailWalk(s, f, programs, rules).run(program)
    claimed = []
    for s, f in zip(slides, figures):
        owners = {id(c.figure): (c.owner.program, c.owner.parent) for c in claimed_by_slide[s.number]}
        settle(f, lambda fig, owners=owners: owners.get(id(fig), ("", "")), context, rules)
        claimed += claimed_by_slide[s.number]
    kept = [c for c in claimed if c.figure.amount.excluded_by is None]
    observations = [observation(release, c, programs, rules.settings["bracket_pairs"]) for c in kept]
    amounts, conflicts = facts_of(observations)
    amounts, restated = restatements(amounts)
    program_rows = programs_of(programs, amounts)
    told = {tuple(o[k] for k in KEY) for c, o in zip(kept, observations) if c.owner.told}
    # an owner only inferred from the lines above (the program above a 【label amount】 line), at every
    # mention: its figures may add up, but nothing confirms whose they are
    inferred = defaultdict(list)
    for c, o in zip(kept, observations):
        inferred[tuple(o[k] for k in KEY)].append(c.owner.nearby)
    told |= {key for key, nearby in inferred.items() if all(nearby)}
    assign_checks(amounts, program_rows, conflicts, listed_with_totals(claimed_by_slide), told)
    warnings = []
    if context.year is None and context.supplementary_year is None and amounts:
        warnings.append("no budget year found (no label such as 令和N年度予算額/要求・要望額): "
                        "figures are written with their year empty and check=conflict")
    for s in slides:
        for info in s.lines:
            for a in info.excluded:
                where = f"page {info.line.page}" if info.line.page is not None else f"line {info.line.number}"
                if a.excluded_by == IMPLAUSIBLE:
                    warnings.append(f"{where}: implausible amount {info.line.text[a.start:a.end]!r} "
                                    f"(over {rules.settings['implausible_yen']:,} yen) left out")
                elif a.excluded_by == UNREADABLE:
                    warnings.append(f"{where}: unreadable amount {info.line.text[a.start:a.end]!r} "
                                    "(digits split by a space or by commas that are no thousands grouping) left out")
    for row in restated:
        where = f"page {row['page']}" if row.get("page") is not None else "the text"
        warnings.append(f"{where}: {row['source']!r} restates an attributed figure of the same stage and year "
                        "(rounded or repeated, its owner unnamed): left out")
    keep_printed_separators(slides, amounts, observations, program_rows, conflicts)
    derived_columns(amounts, program_rows)
    derived_columns(observations, program_rows)
    unowned = sum(not a["program"] for a in amounts)
    if unowned:
        warnings.append(f"{unowned} figure(s) could not be attributed to a program: written with the "
                        "program empty and check=conflict")
    return Facts(amounts, program_rows, observations, conflicts, context, warnings)
