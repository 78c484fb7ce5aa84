"""Items a text prints over two lines: the name of a listed item on one
line and its figures alone on the next (「○科学研究費助成事業(科研費)」 /
「2,377億円(±0)」), read as the one line the item is when it fits."""
from __future__ import annotations

from pipeline.extract import Line
from pipeline.facts.lines import FILLER, LineInfo, analyzed, hit, residue, sentence, struct
from pipeline.facts.names import is_name_like
from pipeline.rules import RulePack


def joined(a: Line, b: Line) -> Line:
    """Two lines read as one (a label split over two lines)."""
    bbox = None
    if a.bbox and b.bbox:
        bbox = (min(a.bbox[0], b.bbox[0]), min(a.bbox[1], b.bbox[1]),
                max(a.bbox[2], b.bbox[2]), max(a.bbox[3], b.bbox[3]))
    confidences = [c for c in (a.confidence, b.confidence) if c is not None]
    known = None   # each character's raw index: a's, then b's after a's raw text and the newline
    if a.index_map and b.index_map:
        known = a.index_map + [len(a.raw_text) + 1 + i for i in b.index_map]
    return Line(a.page, a.number, a.text + b.text, a.raw_text + "\n" + b.raw_text, bbox, a.font_size,
                known_map=known, ocr=a.ocr or b.ocr, confidence=min(confidences) if confidences else None)


def figures_only(info: LineInfo) -> bool:
    """A line that opens with its first amount and holds no word besides its
    amounts and labels (「1兆5,627億円(+411億円)」, 「2,377億円(±0)」: a delta
    sign or a zero change may stay)."""
    return (bool(info.amounts) and not FILLER.sub("", info.text[:info.amounts[0].start])
            and not any(c.isalpha() for c in residue(info)))


def heads_below(infos: list[LineInfo], k: int, rules: RulePack) -> bool:
    """Is line k a heading (a bullet or 「(3)」 item without a figure) whose
    own figure is not on the line after it — so that the figure above it is
    its figure, printed before its title (「10億円(新規)」 / 「(3) NAME」 / 「・…」)?"""
    if k >= len(infos) or infos[k].amounts:
        return False
    text = infos[k].text
    if not (struct(rules, "bullet", text) or struct(rules, "enumerator", text)):
        return False
    return k + 1 >= len(infos) or not figures_only(infos[k + 1])


def join_item_figures(infos: list[LineInfo], rules: RulePack) -> list[LineInfo]:
    """A listed item's name on its own line and its figures alone on the
    next line of a text (「○科学研究費助成事業(科研費)」 / 「2,377億円(±0)」:
    a converter broke the item's line, or read two columns row by row) are
    read as one line, as the item is printed when it fits (「○… 2,377億円(±0)」).
    Not when a stage label above, with no blank line since, still waits for
    its value (「令和5年度予算額(案)」 … 「○…」 / 「12億円」: a box's label and
    value), nor when more values follow (「10億円」 / 「⇒」 / 「12億円」: a stack
    of its own), nor over a blank line or above a heading whose own figure
    does not follow it (the figure of the item below, printed before its
    title). A PDF's lines keep their places: its value boxes are paired by
    position."""
    out: list[LineInfo] = []
    waiting = False   # a stage label since the last figure, its value not yet seen
    for k, info in enumerate(infos):
        prev = out[-1] if out else None
        after = infos[k + 1] if k + 1 < len(infos) else None
        next_line = prev is not None and info.line.number == prev.line.number + 1 + prev.line.raw_text.count("\n")
        waiting = waiting and (prev is None or next_line)   # a blank line ends the box whose label waits
        if (prev is not None and not waiting and info.line.bbox is None and prev.line.bbox is None and next_line
                and figures_only(info) and not prev.amounts and not prev.labels and not prev.excluded
                and len(prev.text) <= rules.settings["max_name_length"] and not sentence(prev.text)
                and struct(rules, "bullet", prev.text)
                and not (after is not None and (figures_only(after) or hit(rules, "structure", "arrow", after.text)))
                and not heads_below(infos, k + 1, rules)):
            out[-1] = analyzed(joined(prev.line, info.line), rules)
            continue
        waiting = (waiting or bool(info.labels)) and not info.amounts
        out.append(info)
    return out


def merged_item_above(above: LineInfo, item: LineInfo, rules: RulePack) -> bool:
    """Is ``item`` an item with its figure (「○ B (新規)[41億円]」) right under
    an item of the same bullet without one (``above``, 「○ A」), so that a
    figure alone on the line below is A's — two columns of items a converter
    merged line by line?"""
    mark, other = struct(rules, "bullet", above.text), struct(rules, "bullet", item.text)
    return bool(mark and other and mark.group(0).strip() == other.group(0).strip() and not above.amounts
                and not above.labels and is_name_like(above, rules))


def clause_goes_on(lines: list[LineInfo], i: int) -> bool:
    """Does line i end in a comma that the sentence on the line below goes
    on from (「②AIの安全性確保に関する取組の推進等のため、」 / 「前年度から100億円増となる
    681億円の要求を行っています。」)? Then it is that sentence's opening clause,
    no item's or title's name."""
    return lines[i].text.endswith("、") and i + 1 < len(lines) and "。" in lines[i + 1].text


def sentence_lead(lines: list[LineInfo], i: int, rules: RulePack, most: int = 6) -> str:
    """The text of the lines above line i that its sentence began on: back
    over lines with no 「。」 and no figure (at most ``most``), from after the
    「。」 of the line that ends the sentence before; "" when line i starts
    its sentence or a title stands over it (a budget bill's, struct.bill_title:
    「議案第2号 …特別会計予算」 over 「第1条 歳入歳出予算の総額は…」).

    >>> from pipeline.extract import make_line
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> lines = [analyzed(make_line(1, n, t), rules) for n, t in enumerate(
    ...     ["前の文。X関係については、", "①Aの推進", "②Bのため、", "681億円の要求を行う。"])]
    >>> sentence_lead(lines, 3, rules)
    'X関係については、①Aの推進②Bのため、'
    """
    lead: list[str] = []
    for j in range(i - 1, max(-1, i - 1 - most), -1):
        text = lines[j].text
        if "。" in text and not any(a.start > text.rindex("。") for a in lines[j].amounts):
            lead.append(text[text.rindex("。") + 1:])
            break
        if lines[j].amounts or lines[j].labels or struct(rules, "bill_title", text):
            return ""
        if struct(rules, "furniture", text) or struct(rules, "not_title", text) \
                or (struct(rules, "enumerator", text) and "、" not in text and len(text) <= rules.settings["max_name_length"]
                    and not (lead and struct(rules, "enumerator", lead[-1]))):   # (items listed in the sentence go on)
            break   # 「沿革」, 「2．研究拠点と研究基盤」 over 「その後は…」, an office's line: no part of the sentence below
        lead.append(text)
    else:
        if i - 1 - most >= 0:
            return ""   # (more lines than that: no sentence of this page's)
    return "".join(reversed(lead))
