"""Step 3, layout: a release's lines as slides, with what the page's
arrangement says before any figure is paired — labels split over two lines
joined again, a flag printed on the line after its value, the lines a ※ note
wraps onto, and the geometry of label and value boxes."""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from pipeline.extract import Line, Page
from pipeline.facts.box_rows import split_box_rows
from pipeline.facts.flat_tables import split_flat_tables
from pipeline.facts.items import join_item_figures, joined
from pipeline.facts.lines import (
    FILLER,
    NONE,
    LineInfo,
    analyzed,
    first_hit,
    hit,
    is_bare_amount,
    literals,
    present,
    struct,
)
from pipeline.facts.text_columns import split_text_columns
from pipeline.facts.wrapped_prose import merge_wrapped_prose
from pipeline.guard import finditer, may_match, search
from pipeline.rules import RulePack


@dataclass
class Slide:
    """One slide: a PDF page, or in unpaged text the lines up to a （担当：…）
    footer or a page number."""
    number: int
    lines: list[LineInfo]
    height: float | None = None      # PDF pages only, in points
    overview: bool = False
    table_headers: set = field(default_factory=set)   # lines of table column headers (no box labels)
    beside: dict | None = None       # value line -> name line beside it (computed once, see beside())
    units: dict | None = None        # line index -> yen per unit of the table unit headers (units.unit_lines)

    @property
    def paged(self) -> bool:
        return bool(self.lines) and self.lines[0].line.bbox is not None


# ------------------------------------------------------------ before analysis

def continues(a: Line, b: Line, rules: RulePack) -> bool:
    """Does line b finish a label that line a breaks off (「令和6年度予算額」 /
    「(案)」, 「平成」 / 「29年度」)? Asked of rule role label_continues at the
    join. In a PDF the two boxes must touch (b just below a, overlapping it).
    A sentence breaks no box label."""
    if "。" in a.text or len(a.text) > rules.settings["max_name_length"]:
        return False
    w = rules.settings["join_window"]   # the label must run over the join: a few characters each side
    head = a.text[-w:]
    joint = head + "\n" + b.text[:w]
    candidates = [r for r in rules.role("structure", "label_continues") if may_match(r, joint)]
    if not candidates:
        return False
    if a.bbox and b.bbox:
        height = max(a.bbox[3] - a.bbox[1], b.bbox[3] - b.bbox[1])
        if not (0 <= b.bbox[1] - a.bbox[3] <= height and min(a.bbox[2], b.bbox[2]) > max(a.bbox[0], b.bbox[0])):
            return False
    for rule in candidates:
        m = search(rule["re_pattern"], joint, rule["id"])
        if m and m.start() <= len(head) < m.end():
            return True
    return False


def merge_split_labels(lines: list[Line], rules: RulePack) -> list[Line]:
    """The page's lines with each label broken over two lines joined. The
    rules run once over the page's text (lines joined by newlines); only the
    breaks they match are looked at."""
    rules_ = [r for r in rules.role("structure", "label_continues") if r.get("re_pattern") is not None]
    text = "\n".join(line.text for line in lines)
    breaks: set[int] = set()   # k: a match runs over the break after line k
    for rule in rules_:
        if not may_match(rule, text):
            continue
        for m in finditer(rule["re_pattern"], text, rule["id"]):
            at = text.find("\n", m.start(), m.end())
            if at >= 0:
                breaks.add(text.count("\n", 0, at))   # the break after line k: k newlines stand before it
    if not breaks:
        return list(lines)
    out: list[Line] = []
    for k, line in enumerate(lines):
        if out and k - 1 in breaks and continues(out[-1], line, rules):
            out[-1] = joined(out[-1], line)
        else:
            out.append(line)
    return out


def split_joined_items(lines: list[Line], rules: RulePack) -> list[Line]:
    """The page's lines with each line holding two items (struct.item_break:
    two columns joined) cut before the second; both keep the line's number
    and box. Consecutive lines cut into as many items are rows of the same
    columns: they are read column by column (「● A 41億円 ● B」 over
    「【補正 43億円】 【補正 70億円】」: A, its 【…】, B, its 【…】). Inside such
    a run a line is also cut where struct.column_row_break finds the next
    column's row (a second figure group), when that gives as many items."""
    patterns = present(rules.patterns("structure", "item_break"), "\n".join(line.text for line in lines))
    if not patterns:
        return list(lines)
    gate = rules.gate("structure", "item_break")   # a line without any of their literals is one item
    row_breaks = rules.patterns("structure", "column_row_break")
    out: list[Line] = []
    columns: list[list[Line]] = []   # the rows so far of consecutive lines cut into len(columns) items
    for line in lines:
        items = split_items(line, patterns) if gate is None or gate.search(line.text) else [line]
        if len(items) == 1 and columns:   # inside a run of columns: a row's weaker cuts (struct.column_row_break)
            cut = split_items(line, row_breaks)
            items = cut if len(cut) == len(columns) else items
        if len(items) > 1 and len(items) == len(columns):
            for column, item in zip(columns, items):
                column.append(item)
            continue
        out.extend(item for column in columns for item in column)
        columns = [[item] for item in items] if len(items) > 1 else []
        if not columns:
            out.append(line)
    out.extend(item for column in columns for item in column)
    return out


def split_items(line: Line, patterns: list[tuple]) -> list[Line]:
    """A line cut before each second item the struct.item_break patterns
    given find on it."""
    out: list[Line] = []
    while (m := first_hit(patterns, line.text)) is not None:
        at = m.start("at")
        raw_at = line.index_map[at] if line.index_map else None
        if raw_at is None:
            break   # (no raw position to cut the source at)
        out.append(Line(line.page, line.number, line.text[:at].rstrip(), line.raw_text[:raw_at].rstrip(),
                        line.bbox, line.font_size, ocr=line.ocr, confidence=line.confidence))
        line = Line(line.page, line.number, line.text[at:], line.raw_text[raw_at:], line.bbox, line.font_size,
                    ocr=line.ocr, confidence=line.confidence)
    out.append(line)
    return out


def merge_listed_items(lines: list[Line], rules: RulePack) -> list[Line]:
    """The page's lines with an item written over two bullets
    (struct.list_continues: 「▽Aや」 「▽Bに170億円」) read as one line."""
    if not present(rules.patterns("structure", "list_continues"), "\n".join(line.text for line in lines)):
        return list(lines)   # (no line can continue a list: what most pages are)
    out: list[Line] = []
    for line in lines:
        if out and struct(rules, "list_continues", out[-1].text) and struct(rules, "bullet", line.text):
            out[-1] = joined(out[-1], line)
        else:
            out.append(line)
    return out


# ------------------------------------------------------------ analysis in context

def continues_note(prev: LineInfo, line: Line, rules: RulePack) -> bool:
    """A line that goes on with a ※ note begun above it: no full stop yet, no
    new bullet or enumerator (「(3)…」), and the line above did not already
    end the note after its figure (「…として123億円がある」)."""
    text = prev.text
    if text.endswith("。") or line.text[:1] in "※○●◆■・-" or len(text) <= 10:
        return False
    if struct(rules, "enumerator", line.text) or struct(rules, "bullet", line.text) or struct(rules, "reference", line.text):
        return False   # (「(参考)…」 opens a line of its own)
    said = prev.amounts or prev.excluded
    return not (said and text[-1] in "るたすいだ" and (said[-1].tail < len(text) - 1))


def analyze_page(lines: list[Line], rules: RulePack) -> list[LineInfo]:
    """Each line analysed; a line that continues a ※ note is read with the
    note's beginning, so 「※外に、…に係る / 100億円を計上」 is seen as one note."""
    lits = literals(rules)
    infos: list[LineInfo] = []
    note = ""
    for k, line in enumerate(lines):
        text = line.text
        if text.startswith("※"):
            note = text
        elif note and k and continues_note(infos[-1], line, rules):
            note_before = note
            note += text
            if lits is None or lits.search(text):
                infos.append(analyzed(line, rules, note_before))
                continue
        else:
            note = ""
        infos.append(analyzed(line, rules) if lits is None or lits.search(text) else LineInfo(line, NONE, NONE, NONE))
    return infos


def carry_trailing_flags(infos: list[LineInfo], rules: RulePack) -> None:
    """A flag printed on its own line right after a value line (「16億円」 /
    「(新規)」) belongs to that value's last amount."""
    for prev, info in zip(infos, infos[1:]):
        if not is_bare_amount(prev) or info.amounts or info.labels:
            continue
        for rule in rules.kind("flag"):
            after = rule.get("re_after")
            m = search(after, info.text, rule["id"]) if after is not None else None
            if m and not FILLER.sub("", info.text[m.end():]):
                prev.amounts[-1].flags[rule["flag"]] = True


def slides(pages: list[Page], rules: RulePack) -> list[Slide]:
    """A PDF page is a slide; unpaged text is cut after each （担当：…） footer
    and after each page number (page_ends), and before each slide mark a
    portal wrote (struct.slide_start: 「[2/4]」)."""
    out: list[Slide] = []
    for page in pages:
        lines = split_box_rows(split_text_columns(page.lines, rules), rules)
        lines = split_joined_items(split_flat_tables(lines, rules), rules)
        lines = merge_listed_items(merge_wrapped_prose(lines, rules), rules)
        infos = join_item_figures(analyze_page(merge_split_labels(lines, rules), rules), rules)
        carry_trailing_flags(infos, rules)
        if page.height is not None:
            if infos:
                out.append(Slide(len(out), infos, page.height))
            continue
        current: list[LineInfo] = []
        ends = page_ends(infos, rules)
        for k, info in enumerate(infos):
            if k in ends and not current and out:   # the number under a （担当：…） footer: that page's foot
                out[-1].lines.append(info)
                continue
            if current and struct(rules, "slide_start", info.text):   # 「[2/4]」: a portal's mark over a slide
                out.append(Slide(len(out), current))
                current = []
            current.append(info)
            if k in ends or struct(rules, "office", info.text):
                out.append(Slide(len(out), current))
                current = []
        if current:
            out.append(Slide(len(out), current))
    return out


def page_ends(infos: list[LineInfo], rules: RulePack) -> set[int]:
    """Unpaged text: the indices of the lines that are page numbers — the
    longest run of number-only lines (struct.page_number) that count on by
    one, each at least ``page_run_gap`` lines after the one before, when it
    has ``page_run_min`` lines or more. A lone 「10」 in a table is no page end.

    >>> from pipeline.extract import Line
    >>> from pipeline.rules import load_rules
    >>> texts = ["表題", "1", *["本文"] * 8, "2", "3", *["本文"] * 8, "3"]
    >>> infos = [LineInfo(Line(None, k, t, t, None, None), (), (), ()) for k, t in enumerate(texts)]
    >>> sorted(page_ends(infos, load_rules()))
    [1, 10, 20]
    """
    numbers = []
    for k, info in enumerate(infos):
        m = struct(rules, "page_number", info.text) if len(info.text) <= 12 else None
        if m:
            numbers.append((k, int(m.group("n"))))
    gap = rules.settings["page_run_gap"]
    # the longest run ending at each number line: one pass, by value the runs so far (line, length, best so far)
    by_value: dict[int, list[tuple[int, int, int]]] = {}
    length, before = [0] * len(numbers), [-1] * len(numbers)
    for j, (k, n) in enumerate(numbers):
        runs = by_value.get(n - 1, [])
        cut = bisect_right(runs, (k - gap, len(numbers), len(numbers)))
        if cut:   # the longest run on value n - 1 that ends gap lines or more before this one
            before[j] = runs[cut - 1][2]
        length[j] = 1 + (length[before[j]] if before[j] >= 0 else 0)
        best = j if not by_value.get(n) or length[j] > length[by_value[n][-1][2]] else by_value[n][-1][2]
        by_value.setdefault(n, []).append((k, j, best))
    if not numbers or max(length) < rules.settings["page_run_min"]:
        return set()
    j, out = length.index(max(length)), set()
    while j >= 0:
        out.add(numbers[j][0])
        j = before[j]
    return out


# ------------------------------------------------------------ geometry

def box_distance(label: Line, value: Line, settings: dict) -> float | None:
    """Distance from a label box to a value box that reads as its value: on
    the same row to the right of it, or below it with horizontal overlap, or
    (a layout that prints the value first) on the row to its left or just
    above it. None if they do not pair. Tolerances are the pack's settings
    (in line heights)."""
    if not label.bbox or not value.bbox or label.page != value.page:
        return None
    lx0, ly0, lx1, ly1 = label.bbox
    vx0, vy0, vx1, vy1 = value.bbox
    h = max(ly1 - ly0, vy1 - vy0)
    overlap_y = min(ly1, vy1) - max(ly0, vy0)
    on_row = overlap_y >= 0.5 * min(ly1 - ly0, vy1 - vy0)
    if on_row and vx0 >= lx1 - 2:
        gap = vx0 - lx1
        return gap if gap <= settings["pair_row_gap"] * h else None
    overlap_x = min(lx1, vx1) - max(lx0, vx0)
    if overlap_x > 0 and vy0 >= ly1 - 2:
        gap = vy0 - ly1
        return gap + 0.5 if gap <= settings["pair_below_gap"] * h else None
    if on_row and vx1 <= lx0 + 2:   # value left of its label
        gap = lx0 - vx1
        return gap + 1.0 if gap <= settings["pair_before_gap"] * h else None
    if overlap_x > 0 and vy1 <= ly0 + 2:   # value just above its label
        gap = ly0 - vy1
        return gap + 1.5 if gap <= settings["pair_above_gap"] * h else None
    return None


def unit_of(info: LineInfo, rules: RulePack):
    """The unit a table header names (単位:百万円), as the rule's match."""
    return hit(rules, "structure", "unit", info.text)


def beside(slide: Slide, rules: RulePack) -> dict[int, int]:
    """PDF: value line -> the name line to its left on the same row (a table
    row of cells, 「NAME」 | 「41億円(新規)」): the name a value box stands beside."""
    from pipeline.facts.lines import is_bare_amount
    from pipeline.facts.names import is_name_like
    if not slide.paged:
        return {}
    if slide.beside is None:
        slide.beside = _beside(slide, rules, is_bare_amount, is_name_like)
    return slide.beside


def _beside(slide: Slide, rules: RulePack, is_bare_amount, is_name_like) -> dict[int, int]:
    boxes = [info.line.bbox for info in slide.lines]
    values = [k for k, info in enumerate(slide.lines) if info.amounts and boxes[k] and is_bare_amount(info)]
    out: dict[int, int] = {}
    gap = rules.settings["beside_gap"]
    for k in values:
        box = boxes[k]
        assert box is not None   # values are lines with a box
        vx0, vy0, _, vy1 = box
        vh = vy1 - vy0
        left = [(vx0 - b[2], j) for j, b in enumerate(boxes) if b and j != k and b[2] <= vx0 + 2
                and min(b[3], vy1) - max(b[1], vy0) >= 0.5 * min(b[3] - b[1], vh)]
        if not left:
            continue
        distance, j = min(left)   # the nearest box to its left on the row: its name, or nothing
        near = boxes[j]
        assert near is not None   # left holds boxes only
        if distance <= gap * max(vh, near[3] - near[1]) and is_name_like(slide.lines[j], rules):
            out[k] = j
    return out


def same_row(a, b) -> bool:
    """Two boxes on one row: they overlap vertically by half the smaller one's height."""
    return min(a[3], b[3]) - max(a[1], b[1]) >= 0.5 * min(a[3] - a[1], b[3] - b[1])
