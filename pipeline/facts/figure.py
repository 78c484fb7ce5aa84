"""A figure: one amount on a line, with the stage context pairing gives it
and what it was paired with (the label line, the figure it is bracketed
after). Its ``source`` is the exact raw text it was read from."""
from __future__ import annotations

from dataclasses import dataclass

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

    def raw(self, start: int, end: int) -> str:
        return source_of(self.info.line.raw_text, self.info.line.index_map, start, end)

    @property
    def source(self) -> str:
        a = self.amount
        if self.how == "inline":
            assert self.label is not None   # an inline figure has its label on the line
            return self.raw(self.label.start, a.tail)
        if self.how in ("box", "order") and self.label_info is not None:
            return self.label_info.line.raw_text + "\n" + self.raw(a.start, a.tail)
        if self.unit_info is not None:   # a plain number: its unit's header, then the number
            return self.unit_info.line.raw_text + "\n" + self.raw(a.start, a.tail)
        if self.how in ("bracket", "arrow", "slide", "sentence"):
            return self.raw(0, a.tail)
        return self.raw(a.start, a.tail)
