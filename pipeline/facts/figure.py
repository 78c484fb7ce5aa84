"""A figure: one amount on a line, with the stage context pairing gives it
and what it was paired with (the label line, the figure it is bracketed
after). Its ``source`` is the exact raw text it was read from, up to the
close of any bracket it opens on its line."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.facts.brackets import bracket_end
from pipeline.facts.context import StageContext
from pipeline.facts.lines import Amount, Label, LineInfo
from pipeline.normalize import source_of


@dataclass(slots=True)
class Figure:
    index: int                     # the line's index in its slide
    info: LineInfo
    amount: Amount
    ctx: StageContext | None = None
    how: str = ""
    label_info: LineInfo | None = None    # the label line a value paired with
    label: Label | None = None            # the label (inline or paired)
    after: "Figure | None" = None         # the figure this one is bracketed after
    follows: "Figure | None" = None       # the figure an arrow leads from to this one (same owner)
    row: str | None = None                # a table row's name (tables)
    unit_info: LineInfo | None = None     # a table number: the header line that gave its unit
    bracket_rule: dict | None = None      # a bracketed figure: the stage rule the release's legend gives its bracket

    @property
    def bracketed_by_label(self) -> bool:
        """Is the figure in a bracket its own label opens on its line
        (「今年度当初予算(5兆3,642億円)」): a figure given for comparison?"""
        lab, a = self.label, self.amount
        return lab is not None and self.label_info is None and lab.end <= (a.start if a.lead is None else a.lead) \
            and self.info.text[lab.end:a.start if a.lead is None else a.lead].strip() == "("

    def raw(self, start: int, end: int, brackets: str) -> str:
        """The raw text behind text[start:end] of the figure's line, to the close of a bracket it opens."""
        return source_of(self.info.line.raw_text, self.info.line.index_map, start,
                         bracket_end(self.info.line.text, start, end, brackets))

    def source(self, brackets: str) -> str:
        """The exact raw text the figure was read from (``brackets``: the
        pack's setting ``bracket_pairs``)."""
        a = self.amount
        if self.how == "inline":
            assert self.label is not None   # an inline figure has its label on the line
            return self.raw(self.label.start, a.tail, brackets)
        if self.how in ("box", "order") and self.label_info is not None:
            return self.label_info.line.raw_text + "\n" + self.raw(a.start, a.tail, brackets)
        if self.unit_info is not None:   # a plain number: its unit's header, then the number
            return self.unit_info.line.raw_text + "\n" + self.raw(a.start, a.tail, brackets)
        if self.how in ("bracket", "arrow", "slide", "sentence"):
            return self.raw(0, a.tail, brackets)
        return self.raw(a.start, a.tail, brackets)
