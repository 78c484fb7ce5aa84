"""Running text a converter wrapped at a fixed width (a news page saved as
text): how it was wrapped (Wrap, wrap_width) and its lines read as one
where a sentence goes on over the break (merge_wrapped_prose)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.extract import Line
from pipeline.facts.items import joined
from pipeline.facts.lines import struct
from pipeline.facts.text_columns import width as display_width
from pipeline.rules import RulePack


def merge_wrapped_prose(lines: list[Line], rules: RulePack) -> list[Line]:
    """Unpaged text with its sentences wrapped at a fixed width (a news page
    saved as text): a line of running text that stops mid-sentence goes on
    on the next (struct.wraps), a line as long as the page's wrap width goes
    on on the line right after it unless that one opens a paragraph
    (indented, a bullet, a number, ※), or an amount is broken between its
    number and its unit (struct.amount_breaks); the two are read as one line.
    A line of tab-separated cells is a table's row, never running text."""
    if not lines or lines[0].bbox is not None:
        return list(lines)   # (a PDF page: its lines are where the page put them)
    wrap = wrap_width(lines, rules)
    out: list[Line] = []
    last_raw, last_number = "", -1   # the last source line joined into out[-1]
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and prev.bbox is None and line.bbox is None and line.text \
                and "\t" not in prev.raw_text:   # (a table row ending in a remark, 「…\t新規含む」, goes on nowhere)
            opens = bool(struct(rules, "bullet", line.text) or struct(rules, "enumerator", line.text)
                         or line.text.startswith("※"))
            full = wrap is not None and wrap.fills(last_raw) and not last_raw.rstrip().endswith("。") \
                and line.number == last_number + 1 and not line.raw_text[:1].isspace() and not opens
            if full or (struct(rules, "wraps", prev.text) and not opens) \
                    or struct(rules, "amount_breaks", prev.text[-4:] + "\n" + line.text[:4]):
                out[-1] = joined(prev, line)
                last_raw, last_number = line.raw_text, line.number
                continue
        out.append(line)
        last_raw, last_number = line.raw_text, line.number
    return out


@dataclass(frozen=True)
class Wrap:
    """How a text page's running text was wrapped: at ``width`` characters
    (a wrapper counting characters: a line holds ``width`` or one less, a
    「。」 kept off the next line's start) or at display columns, a wide
    character two (``width`` is then the most common size, and a line ends a
    column short of it or over it where a wide character did not fit).

    >>> Wrap(56, columns=True).fills("会計の要求額は総額4,215億3,200万円で、令和7年度当初予算")
    True
    >>> Wrap(36, columns=False).fills("科学技術関係予算は、前年度当初予算額(9,780億円)から2,050億円")
    True
    >>> Wrap(56, columns=True).fills("る。")
    False
    """
    width: int
    columns: bool

    def size(self, raw: str) -> int:
        return display_width(raw.rstrip()) if self.columns else len(raw.rstrip())

    def fills(self, raw: str) -> bool:
        low, high = (self.width - 1, self.width + 1) if self.columns else (self.width - 1, self.width)
        return low <= self.size(raw) <= high


def wrap_width(lines: list[Line], rules: RulePack) -> Wrap | None:
    """How a text page's running text was wrapped (Wrap), counted in
    characters or in display columns, whichever more of its lines fill: the
    most common size of its long lines (``wrap_min_chars`` characters or
    more), when at least ``wrap_min_lines`` lines one after the other fill
    it, half of such lines hold a comma or a full stop, and they are a
    ``wrap_share`` of the long lines; None for a page not wrapped so. (A
    page of Japanese with half-width digits wrapped at 56 columns has lines
    of 29 to 33 characters; one wrapped at 36 characters, lines of 50 to 72
    columns.)"""
    long = [line for line in lines if line.bbox is None and "\t" not in line.raw_text
            and len(line.raw_text.rstrip()) >= rules.settings["wrap_min_chars"]]
    found = []
    for columns in (False, True):
        sizes = Counter(Wrap(0, columns).size(line.raw_text) for line in long)
        if not sizes:
            return None
        wrap = Wrap(sizes.most_common(1)[0][0], columns)
        full = [line for line in lines if line.bbox is None and wrap.fills(line.raw_text)]
        run = longest = 1
        for a, b in zip(full, full[1:]):   # lines of that length one after the other: a paragraph's
            run = run + 1 if b.number == a.number + 1 else 1
            longest = max(longest, run)
        if longest >= rules.settings["wrap_min_lines"] and 2 * sum("、" in t.text or "。" in t.text for t in full) >= len(full) \
                and len(full) >= rules.settings["wrap_share"] * len(long):
            found.append((len(full), wrap))   # (not a slide deck's text boxes: a few wrapped paragraphs among many lines)
    return max(found, key=lambda f: f[0])[1] if found else None
