"""Step 4, pairing: every figure of a slide gets its stage context from the
first strategy that applies, in this order:

1. ``inline``   a label just before it on its line (令和8年度予算額(案) 41億円);
2. ``bracket``  the figure it is bracketed after (37億円(36億円)): the year before;
3. ``arrow``    the figure an arrow leads from (10億円 ⇒ 12億円): the year before;
4. ``sentence`` a label earlier in the same sentence (…補正予算で 11億円を計上);
5. ``table``    a column header of a table (tables.py), whose unit may be in a header;
6. ``box``      PDF: a label box beside or above its value box, by position;
7. ``order``    a label stack and a value stack, paired in order — the value
               that closes a bracket 「23億円)」 with the label that opens one
               「(前年度予算額」 — however far apart the two stacks are printed;
8. ``governed`` a sentence above whose label governs what follows (…において、以下について);
9. ``slide``    after owners (settle): the budget box of the figure's program
               on the slide, else the slide's first box, else the release's
               year and stage.

Each strategy is a function of the figure and what the slide offers; the
distances they allow are the rule pack's settings.
"""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.facts.brackets import in_closed_bracket
from pipeline.facts.column_stacks import column_stack_figures
from pipeline.facts.context import ReleaseContext, StageContext, context_of_label, prior_of
from pipeline.facts.figure import Figure
from pipeline.facts.layout import Slide, box_distance
from pipeline.facts.lines import (
    FILLER,
    WITHHELD,
    Amount,
    Label,
    LineInfo,
    hit,
    is_bare_amount,
    is_pure_label,
    label_starts_line,
    placed_amounts,
    trailing_label,
    without_leading_flags,
)
from pipeline.facts.named_values import named_value_figures
from pipeline.facts.names import header_name, is_name_like, opens_figure
from pipeline.facts.tables import table_rows
from pipeline.facts.year_rows import year_row_figures
from pipeline.rule_examples import in_context
from pipeline.rules import RulePack


@dataclass(slots=True)
class OpenLabel:
    """A label waiting for its value: a label line of its own, a label a
    title line ends with, or a governing sentence (…において、以下について)."""
    index: int
    info: LineInfo
    label: Label
    governs: bool = False
    used: bool = False


# ------------------------------------------------------------ strategies

def inline(fig: Figure) -> Label | None:
    """The label right before the amount on its line, with only filler between.

    >>> from pipeline.rules import load_rules
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.extract import Line
    >>> info = analyze(Line(None, 1, "令和9年度要求・要望額 45億円", ""), load_rules())
    >>> inline(Figure(0, info, info.amounts[0])).rule["id"]
    'stage.request'
    """
    text, start = fig.info.text, fig.amount.start
    k = start   # the filler run before the amount, read backwards: linear, however long the line
    while k > 0 and FILLER.match(text, k - 1):
        k -= 1
    return next((lb for lb in reversed(fig.info.labels) if k <= lb.end <= start), None)


def legend_rule(fig: Figure, prev: Figure | None, release: ReleaseContext) -> dict | None:
    """The stage rule of the bracket the figure opens right after the previous
    figure of its line (or after its bracket), when the release's legend
    explains that bracket (context.bracket_legend): 「385億円【425億円】〈200億円〉」."""
    if prev is None or not release.brackets:
        return None
    start = fig.amount.start if fig.amount.lead is None else fig.amount.lead   # (【約34億円】: its 約 inside)
    between = "".join(fig.info.text[prev.amount.tail:start].split()).lstrip(")】〉》〕]")
    return next((rule for opening, rule in release.brackets if between == opening), None)


def bracketed(fig: Figure, prev: Figure | None, rules: RulePack) -> bool:
    """Is the amount bracketed right after the previous figure of its line
    (37億円(36億円))? Rules of kind stage, role bracket, say what comes before."""
    if prev is None:
        return False
    # the previous amount without its flags (…2,030億円+事項要求(1,516億円)), then what stands between
    text = fig.info.text
    before = text[prev.amount.start:prev.amount.end] + text[prev.amount.tail:fig.amount.start]
    return any(in_context(rule, before + text[fig.amount.start:], len(before), len(before) + fig.amount.end - fig.amount.start)
               for rule in rules.role("stage", "bracket"))


def leads_by_arrow(fig: Figure, next_info: LineInfo | None, rules: RulePack) -> bool:
    """Is the figure followed by an arrow (⇒) on its line or on the next line?"""
    rest = fig.info.text[fig.amount.tail:]
    if FILLER.sub("", rest) == "" and next_info is not None:
        rest = next_info.text
    return hit(rules, "structure", "arrow", rest) is not None


def wholly_bracketed(fig: Figure, rules: RulePack) -> bool:
    """A line that is one bracketed figure, 「(16億円)」 / 「(約89億円の内数)」
    (a flag such as 約 before the figure is the figure's)."""
    text, a = fig.info.text, fig.amount
    head = without_leading_flags(text[:a.start], rules)
    return (len(fig.info.amounts) == 1 and not fig.info.labels and FILLER.sub("", head) == ""
            and head.strip().endswith("(") and text[a.tail:].strip() == ")")


def sentence_label(fig: Figure) -> Label | None:
    """A label earlier on the line, in the same sentence, with no other
    amount in between (「…4年度第2次補正予算で 11億円を計上」) — or only the
    amount this one is a part of (「…補正予算では、文科省分として8,920億円を計上しており、
    このうち…に1,150億円」: a part has its whole's stage)."""
    text = fig.info.text
    for lab in reversed(fig.info.labels):
        if lab.end > fig.amount.start:
            continue
        between = text[lab.end:fig.amount.start]
        others = [a for a in fig.info.amounts if lab.end <= a.start < fig.amount.start]
        if others and "。" not in between and in_closed_bracket(text[:fig.amount.start], lab.start, lab.end):
            continue   # 「…138億円(今年度110億円)を充て、うち…24億円」: the bracket's label is its figure's only
        if "。" in between or (others and "うち" not in text[others[-1].tail:fig.amount.start]):
            return None
        return lab
    return None


def starts_value(fig: Figure) -> bool:
    """A figure that opens its line (nothing but filler or other figures
    before it, or only a closed bracket: 「(前年度予算額 850億円) 176億円」, two
    columns on one line):
    a value box, the figure of a value stack — what a label elsewhere can
    pair with."""
    head = fig.info.text[:fig.amount.start]
    for a in reversed([a for a in fig.info.amounts if a.tail <= fig.amount.start]):
        head = head[:a.start] + head[a.tail:]   # 「1兆4,034億円 4,912億円」: a row of two boxes' values
    return not FILLER.sub("", head) or closed_groups("".join(head.split()))


def closed_groups(text: str) -> bool:
    """Is the text one or more whole bracketed groups (and nothing else)?

    >>> closed_groups("(前年度予算額850億円)"), closed_groups("(前年度予算額850億円")
    (True, False)
    """
    depth = 0
    for c in text:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth < 0:
                return False
        elif depth == 0:
            return False
    return depth == 0


def closes_bracket(fig: Figure) -> bool:
    """「23億円)」: the value closes a bracket its label opened."""
    rest = fig.info.text[fig.amount.tail:].lstrip()
    return rest.startswith(")") and "(" not in fig.info.text[:fig.amount.start]


def open_labels(slide: Slide, rules: RulePack) -> list[OpenLabel]:
    """The labels whose value is on another line: a line of labels only, a
    governing sentence, a title line ending in its box label, and a label
    ending a line after its figures (「令和8年度予算額(案) 852億円 令和7年度補正予算額」:
    the right column's box, its value on a line below)."""
    out = []
    for k, info in enumerate(slide.lines):
        if info.labels and info.amounts and not slide.paged:
            last = info.labels[-1]
            if last.start >= info.amounts[-1].tail and not FILLER.sub("", info.text[last.end:]) \
                    and not opens_figure(info.text[last.start:], rules):
                out.append(OpenLabel(k, info, last))
            continue
        if not info.labels or info.amounts or hit(rules, "structure", "bracket_note", info.text):
            continue   # (「※()内は前年度当初予算額」 says what brackets are; it is no label)
        if any(a.excluded_by in WITHHELD and a.start > info.labels[0].start for a in info.excluded):
            continue   # its value is on its line, withheld: the label takes no other line's figure
        if is_pure_label(info):
            out += [OpenLabel(k, info, lab) for lab in info.labels]
        elif hit(rules, "structure", "governing", info.text):
            out.append(OpenLabel(k, info, info.labels[-1], governs=True))
        else:
            lab = trailing_label(info)
            if lab is not None:
                out.append(OpenLabel(k, info, lab))
    return out


def by_position(fig: Figure, labels: list[OpenLabel], settings: dict) -> OpenLabel | None:
    """PDF: the nearest waiting label box this value box reads as the value
    of; one whose bracket agrees (「(前年度予算額」 with 「36億円)」) first."""
    best = None
    closing = closes_bracket(fig)
    for lab in labels:
        if lab.used:
            continue
        d = box_distance(lab.info.line, fig.info.line, settings)
        if d is None:
            continue
        key = (lab.label.opens_bracket != closing, d)
        if best is None or key < best[0]:
            best = (key, lab)
    return best[1] if best else None


def by_order(fig: Figure, labels: list[OpenLabel], window: int, slide: Slide, rules: RulePack) -> OpenLabel | None:
    """Text: the first waiting label before the value (or, for a line of
    figures only, after it, with no name between them) within ``window``
    lines whose bracket agrees; else the nearest one before it."""
    closing = closes_bracket(fig)
    near = [lab for lab in labels if not lab.used and abs(lab.index - fig.index) <= window
            and lab.index != fig.index]
    agree = [lab for lab in near if lab.label.opens_bracket == closing]
    before = [lab for lab in agree if lab.index < fig.index]
    if before:
        return before[0]
    after = [lab for lab in agree if lab.index > fig.index and (is_bare_amount(fig.info) or not fig.info.amounts)
             and not any(is_name_like(slide.lines[k], rules) for k in range(fig.index + 1, lab.index))]
    if after:
        return after[0]
    anyb = [lab for lab in near if lab.index < fig.index]
    return anyb[-1] if anyb else None


def governed_by(fig: Figure, governing: list[OpenLabel], window: int) -> OpenLabel | None:
    """The sentence above the figure (within ``window`` lines) whose label
    governs what follows it: 「令和5年度補正予算において、以下について基金を措置」."""
    before = [lab for lab in governing if 0 < fig.index - lab.index <= window]
    return before[-1] if before else None


def is_placeholder(info: LineInfo, rules: RulePack) -> bool:
    """A value box holding only a dash (rule role placeholder): 「－」, 「―）」."""
    if info.amounts or info.labels or len(info.text) > 6:
        return False
    m = hit(rules, "amount", "placeholder", info.text)
    return m is not None and not FILLER.sub("", info.text[:m.start()] + info.text[m.end():])


def in_box(f: Figure, rules: RulePack) -> bool:
    """A figure of a budget box: paired with its label line, or after a label
    that opens its line — not a header line's, not in running text, not a
    【…】 line of the program above."""
    if f.ctx is None or f.how not in ("inline", "box", "order") or header_name(f.info, rules) is not None:
        return False
    return f.how != "inline" or (f.label is f.info.labels[0] and label_starts_line(f.info)
                                 and not opens_figure(f.info.text, rules))


def titled_box(f: Figure, program: str) -> bool:
    """A budget box on its program's title line: 「NAME 令和8年度予算額(案) 41億円」
    (a converter put the title and the box on one line), the line's first
    label right after the program's own name."""
    return f.how == "inline" and f.ctx is not None and bool(program) and f.label is not None \
        and bool(f.info.labels) and f.label is f.info.labels[0] and program in f.info.text[:f.label.start] \
        and f.info.amounts[0].start > f.label.start   # (not 「NAME 67億円(65億円)【補正予算額 2億円】」)


def settle(figures: list[Figure], owner_of, release: ReleaseContext, rules: RulePack) -> None:
    """Step 4b, after owners: a figure nothing paired takes the stage of its
    program's budget box on the slide (its parent's, for a component), else
    of the slide's first box, else the release's (strategy ``slide``); a
    bracketed figure the year before the figure it follows; a figure an
    arrow leads from, the year before the one it leads to. ``owner_of(fig)``
    gives (program, parent)."""
    # None when the pack has no (optional) stage/bracket rule; kept typed as the dict prior_of takes
    bracket_rule = (rules.role("stage", "bracket") or [None])[0]  # type: ignore[list-item]
    boxes: dict[str, StageContext] = {}
    first = None
    first_line = -1
    for f in figures:
        if f.label is not None and f.label.opens_bracket:
            continue   # (a box's own stage, not 前年度's)
        program, _ = owner_of(f)
        if hit(rules, "structure", "reference", f.info.text):
            continue   # 「(参考)令和元年度当初予算 6兆8,609億円」: a figure for comparison sets no box
        if in_box(f, rules) or titled_box(f, program):
            assert f.ctx is not None   # both hold only for a figure with a context
            boxes.setdefault(program, f.ctx)
            if first is None:
                first, first_line = f.ctx, f.index
    for fig in figures:
        if fig.ctx is not None or fig.how in ("bracket", "arrow-from"):
            continue
        program, parent = owner_of(fig)
        fig.ctx = boxes.get(program) or boxes.get(parent) or (first if first_line <= fig.index else None) \
            or release.default()
        fig.how = "slide"
    for fig in figures:
        if fig.how == "bracket":
            base = fig.after.ctx if fig.after and fig.after.ctx else (first or release.default())
            fig.ctx = prior_of(base, fig.bracket_rule or bracket_rule)
    for fig in figures:   # 10億円 ⇒ 12億円: the first is the year before the second
        if fig.how == "arrow-from":
            to = next((g for g in figures if g.follows is fig), None)
            fig.ctx, fig.how = prior_of(to.ctx if to and to.ctx else (first or release.default()), bracket_rule), "arrow"


# ------------------------------------------------------------ the slide

def pair_slide(slide: Slide, release: ReleaseContext, rules: RulePack) -> list[Figure]:
    """Every figure of the slide with its stage context (strategies 1-7;
    ``slide`` is settled after owners, see settle())."""
    figures, waiting = on_their_lines(slide, release, rules)
    by_year, years_taken = year_row_figures(slide, release, rules)
    by_column, columns_taken = column_stack_figures(slide, release, rules)
    by_name, names_taken = named_value_figures(slide, release, rules)
    table = table_rows(slide, figures, release, rules, years_taken | columns_taken | names_taken) \
        + by_year + by_column + by_name
    if table:
        figures = sorted(figures + table, key=lambda f: (f.index, f.amount.start))
    link_arrows(figures)
    found = open_labels(slide, rules)
    with_labels_elsewhere([f for f in waiting if f.ctx is None and f.how != "bracket"],
                          [lab for lab in found if not lab.governs], slide, release, rules)
    governed([f for f in figures if f.ctx is None and f.how in ("", "slide")],
             [lab for lab in found if lab.governs], slide.lines, release, rules)
    return figures


def on_their_lines(slide: Slide, release: ReleaseContext, rules: RulePack) -> tuple[list[Figure], list[Figure]]:
    """Strategies that read a figure's own line (inline, bracket, arrow,
    sentence): (every figure, those left for a label elsewhere)."""
    figures: list[Figure] = []
    waiting: list[Figure] = []
    for k, info in enumerate(slide.lines):
        placed = placed_amounts(info)
        if not placed:
            continue
        prev = None
        next_info = slide.lines[k + 1] if k + 1 < len(slide.lines) else None
        for a in placed:
            fig = Figure(k, info, a)
            lab = inline(fig)
            if lab is not None:
                fig.label, fig.how = lab, "inline"
                fig.ctx = context_of_label(lab, info, release, rules,
                                           prev.ctx.fiscal_year if prev and prev.ctx else None)
            elif (legend := legend_rule(fig, prev, release)) is not None:
                fig.how, fig.bracket_rule = "bracket", legend   # after the figure the bracket group follows
                fig.after = prev.after if prev is not None and prev.how == "bracket" and prev.after else prev
            elif bracketed(fig, prev, rules):
                fig.how, fig.after = "bracket", prev
            elif prev is None and wholly_bracketed(fig, rules):
                fig.how = "bracket"   # 「(16億円)」 on a line of its own: the prior year of its box
            elif prev is None or prev.how != "arrow-from":   # (what an arrow leads to takes its box's)
                lab = sentence_label(fig)
                if lab is not None:
                    fig.label, fig.how = lab, "sentence"
                    fig.ctx = context_of_label(lab, info, release, rules)
                elif starts_value(fig):
                    waiting.append(fig)
            if fig.how == "" and leads_by_arrow(fig, next_info, rules):
                fig.how = "arrow-from"
                if fig in waiting:
                    waiting.remove(fig)
            figures.append(fig)
            prev = fig
    return figures, waiting


def link_arrows(figures: list[Figure]) -> None:
    """What an arrow leads to is the same program's figure."""
    for k, fig in enumerate(figures):
        if fig.how == "arrow-from":
            to = next((g for g in figures[k + 1:] if g.how != "arrow-from"), None)
            if to is not None:
                to.follows = fig


def with_labels_elsewhere(waiting: list[Figure], labels: list[OpenLabel], slide: Slide,
                          release: ReleaseContext, rules: RulePack) -> None:
    """Strategies ``box`` (PDF, by position) and ``order`` (label and value
    stacks) for the figures that open their line, in line order. A dash in a
    value's place (「－」) uses up the label it pairs with and gives no figure."""
    settings = rules.settings
    dashes = [k for k, info in enumerate(slide.lines) if len(info.text) <= 6 and is_placeholder(info, rules)]
    events = sorted([(f.index, 0, f) for f in waiting] + [(k, 1, None) for k in dashes], key=lambda e: e[:2])
    for index, _, fig in events:
        probe = fig or Figure(index, slide.lines[index], Amount(0, 0, 0, 0, {}, None))
        lab, how = None, ""
        if slide.paged:
            lab, how = by_position(probe, labels, settings), "box"
        if lab is None:
            lab, how = by_order(probe, labels, settings["stack_window"], slide, rules), "order"
        if lab is None:
            continue
        lab.used = True
        if fig is not None:
            fig.label, fig.label_info, fig.how = lab.label, lab.info, how
            fig.ctx = context_of_label(lab.label, lab.info, release, rules)


def governed(figures: list[Figure], governing: list[OpenLabel], lines: list[LineInfo], release: ReleaseContext,
             rules: RulePack) -> None:
    """Strategy ``governed``: 「令和5年度補正予算において、以下について…」 gives its
    context to the figures below it that nothing else paired."""
    for fig in figures:
        lab = governed_by(fig, governing, rules.settings["stack_window"])
        if lab is not None and not any(hit(rules, "structure", "governing", lines[j].text)
                                       for j in range(lab.index + 1, fig.index)):   # (a heading between: its own)
            fig.label, fig.label_info, fig.how = lab.label, lab.info, "governed"
            fig.ctx = context_of_label(lab.label, lab.info, release, rules)
