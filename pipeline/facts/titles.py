"""Slide titles: the largest font at the top of a PDF page (joined over
two lines), the name line just above a budget box, the known program a
slide without a text title mentions; and which lines a title search passes
over."""
from __future__ import annotations

from typing import cast

from pipeline.facts.layout import Slide
from pipeline.facts.lines import NOTE_MARK, LineInfo, is_bare_amount, is_pure_label, struct
from pipeline.facts.names import PARTICLES, bigram_score, bigrams, breaks_off, clean_name, is_name_like, name_of
from pipeline.facts.owners import Programs
from pipeline.rules import RulePack


def skippable(info: LineInfo, rules: RulePack) -> bool:
    """Lines a title search passes over: labels, values, notes and what they
    wrap onto, office footers, page numbers, section labels."""
    text = info.text
    return (is_pure_label(info) or is_bare_amount(info) or text.isdigit() or text.startswith(NOTE_MARK)
            or text.startswith(PARTICLES) or bool(struct(rules, "office", text))
            or bool(struct(rules, "not_title", text)) or bool(struct(rules, "furniture", text))
            or (bool(info.excluded) and not info.amounts))


def just_above(name: LineInfo, box: LineInfo, rules: RulePack) -> bool:
    """PDF: does the name line stand right above the box line (or left of it
    on its row)? Drawing order can put a far-away text box before a label;
    only a name next to the box names it. Text: always."""
    a, b = name.line.bbox, box.line.bbox
    if a is None or b is None:
        return True
    h = max(a[3] - a[1], b[3] - b[1])
    above = -0.5 * h <= b[1] - a[3] <= rules.settings["pair_below_gap"] * h and min(a[2], b[2]) > max(a[0], b[0]) - h
    left = min(a[3], b[3]) - max(a[1], b[1]) > 0 and a[2] <= b[0] + 2
    return above or left



def title_lines(lines: list[LineInfo], j: int, rules: RulePack) -> str:
    """The title at line j, joined with the line before it when that one
    breaks off (it ends in a character of ``title_continues``, and, in a PDF,
    is set in the same font right above)."""
    name = name_of(lines[j], rules)
    if j > 0 and is_name_like(lines[j - 1], rules):
        prev, here = lines[j - 1].line, lines[j].line
        if prev.bbox is None or here.bbox is None:
            joins = breaks_off(lines[j - 1].text, lines[j].text, rules)
        else:   # PDF: the line right above, in the same font, overlapping it sideways
            h = here.bbox[3] - here.bbox[1]
            joins = (abs((prev.font_size or 0) - (here.font_size or 0)) < 0.5
                     and -0.5 * h <= here.bbox[1] - prev.bbox[3] <= 0.5 * h
                     and min(prev.bbox[2], here.bbox[2]) > max(prev.bbox[0], here.bbox[0]))
        if joins:
            name = name_of(lines[j - 1], rules) + name
    return name


def title_after_box(name: str, lines: list[LineInfo], j: int, rules: RulePack) -> tuple[str, int | None]:
    """A title line j whose box interrupts it: the name joined with its rest,
    the first name line after the box's figures and labels (at most
    ``title_lookahead`` lines on) — when the title breaks off after a
    particle or る (「…安全性向上に資する」 / 「技術基盤等の整備・強化」), or
    in a katakana word on a bulleted line whose rest has no bullet of its
    own (「○…研究データエコ」 / 「システム構築事業」: a next program would have one).
    Returns the name and the line of its rest (None when there is none)."""
    text = lines[j].text
    for k in range(j + 1, min(len(lines), j + 1 + rules.settings["title_lookahead"] + 2)):
        info = lines[k]
        if skippable(info, rules) or not any(c.isalpha() for c in info.text):
            continue   # the box: figures, labels, arrows, (+5.8%)
        if not is_name_like(info, rules) or k == j + 1:
            return name, None   # (a line right below is title_lines' to join)
        rest = info.text
        if name[-1:] in rules.settings["title_continues"] or (
                breaks_off(name, rest, rules) and struct(rules, "bullet", text) and not struct(rules, "bullet", rest)):
            return name + name_of(info, rules), k
        return name, None
    return name, None


def body_in_title(lines: list[LineInfo], rules: RulePack) -> str | None:
    """The office a release title names beside its year and stage
    (「令和7年度 医政局 概算要求の概要」: 医政局), for the page's first budget box
    when no name stands above it; None when the title names none."""
    for info in lines[:3]:   # a title stands at the top
        if info.amounts or not info.labels:
            continue
        text = info.text
        for lab in reversed(info.labels):
            text = text[:lab.start] + " " + text[lab.end:]
        for rule in rules.role("year", "year"):
            text = rule["re_pattern"].sub(" ", text)
        for rule in rules.role("structure", "title_words"):
            text = rule["re_pattern"].sub(" ", text)
        bodies = [w for w in text.split() if struct(rules, "body", w)]
        if len(bodies) == 1:
            return bodies[0]
    return None


def title_by_font(slide: Slide, programs: Programs, rules: RulePack) -> str | None:
    """A PDF slide's title: the largest-font name-like line in the top band of
    the page (or a subtitle there that names a known program), joined with a
    second title line in the same font just below it. Reading order may put
    it after the budget box, so position decides, not order."""
    if not slide.height or not slide.lines:
        return None
    band = rules.settings["title_band"] * slide.height
    top = [k for k, i in enumerate(slide.lines) if i.line.bbox and i.line.bbox[1] <= band and i.line.font_size]
    sizes = sorted(i.line.font_size for i in slide.lines if i.line.font_size)
    if not top or not sizes:
        return None
    median = sizes[len(sizes) // 2]
    titles = [k for k in top if is_name_like(slide.lines[k], rules)
              and slide.lines[k].line.font_size >= rules.settings["title_font_ratio"] * median]
    if not titles:
        return None
    # titles are lines of top: each has a box and a font size
    size = max(cast(float, slide.lines[k].line.font_size) for k in titles)
    parts = sorted((k for k in titles if abs(cast(float, slide.lines[k].line.font_size) - size) < 0.5),
                   key=lambda k: cast("tuple[float, float, float, float]", slide.lines[k].line.bbox)[1])
    name = clean_name("".join(slide.lines[k].text for k in parts), rules)
    subs = [slide.lines[k].text[1:-1].strip() for k in top if struct(rules, "subtitle", slide.lines[k].text)]
    for candidate in [name, name_of(slide.lines[parts[0]], rules)] + subs:
        if candidate in programs.known:
            return candidate
    held = programs.containing(name, rules.settings["title_overlap"])   # 「…研究開発の推進」 for 「…研究開発」
    if held is not None:
        return held
    if any(slide.lines[k].line.ocr for k in parts):   # a title read by OCR: the known program it misspells
        return programs.closest(name, rules.settings["ocr_name_edits"]) or name
    return name


def resolve_untitled(slide: Slide, programs: Programs, rules: RulePack) -> str | None:
    """The known program a slide without a text title is about: the first one
    standing as a line of its own, else the first one its text contains, else
    the best character-bigram match of at least ``bigram_min``."""
    names = [n for n, p in programs.known.items() if p["level"] == "program"]
    lookup = set(names)
    for info in slide.lines:
        if info.text in lookup:
            return info.text
    text = "".join(info.text for info in slide.lines)
    inside = [(text.index(n), -len(n), n) for n in names if n in text]
    if inside:
        return min(inside)[2]
    grams = bigrams(text)
    scored = sorted(((bigram_score(n, grams), n) for n in names), reverse=True)
    return scored[0][1] if scored and scored[0][0] >= rules.settings["bigram_min"] else None
