"""Comparing two backends' lines of one page (used by test_backends.py and test_realpdfs.py).

Compared per page: the multiset of whitespace-split chunks of the line texts. The one
legitimate difference is line segmentation at a gap: where one backend cuts a row into two
lines (a bullet ● set apart, a label box and its value box), the other may keep one line. So
a leftover chunk of one backend is accepted only if it equals the concatenation of two
leftover chunks of the other backend that end / start two lines on the same row (vertical
centers within 0.5 x font size) that are adjacent in x (no other line between them).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.extract import Line, Page

ROW_TOLERANCE = 0.5   # x font size: vertical centers of one row
MAX_GAP = 2.0         # x font size: horizontal gap between two adjacent boxes of one row
X_TOLERANCE = 1.0     # points of overlap allowed between adjacent boxes


@dataclass(frozen=True)
class Chunk:
    text: str
    line: Line
    first: bool  # first chunk of its line
    last: bool   # last chunk of its line


def chunks_of(page: Page) -> list[Chunk]:
    out = []
    for line in page.lines:
        parts = line.text.split()
        out += [Chunk(t, line, k == 0, k == len(parts) - 1) for k, t in enumerate(parts)]
    return out


def _center(line: Line) -> float:
    return (line.bbox[1] + line.bbox[3]) / 2


def same_row(a: Line, b: Line) -> bool:
    size = min(a.font_size, b.font_size)
    return abs(_center(a) - _center(b)) <= ROW_TOLERANCE * size


def adjacent(left: Line, right: Line, page: Page) -> bool:
    """``right`` starts where ``left`` ends on the same row, with no other line between."""
    if left is right or not same_row(left, right):
        return False
    gap = right.bbox[0] - left.bbox[2]
    if gap < -X_TOLERANCE or gap > MAX_GAP * min(left.font_size, right.font_size):
        return False
    return not any(
        other is not left and other is not right and same_row(other, left)
        and other.bbox[0] >= left.bbox[2] - X_TOLERANCE and other.bbox[2] <= right.bbox[0] + X_TOLERANCE
        for other in page.lines)


def _explain(whole: Counter, parts: Counter, part_chunks: list[Chunk], page: Page) -> None:
    """Remove from ``whole`` (and ``parts``) every chunk that is two adjacent chunks of ``parts``."""
    candidates = [c for c in part_chunks if parts[c.text] > 0]
    for text in list(whole.elements()):
        for left in candidates:
            if not (left.last and text.startswith(left.text) and len(text) > len(left.text)
                    and parts[left.text] > 0):
                continue
            rest = text[len(left.text):]
            right = next((c for c in candidates if c.first and c.text == rest
                          and parts[c.text] > (1 if c.text == left.text else 0)
                          and adjacent(left.line, c.line, page)), None)
            if right is not None:
                whole[text] -= 1
                parts[left.text] -= 1
                parts[right.text] -= 1
                break
    whole += Counter()  # drop zero counts
    parts += Counter()


def compare_pages(a: Page, b: Page, names=("pymupdf", "pdfplumber")) -> list[str]:
    """Unexplained differences as (page, backend, line, text) rows; empty when the pages agree."""
    ca, cb = chunks_of(a), chunks_of(b)
    count_a, count_b = Counter(c.text for c in ca), Counter(c.text for c in cb)
    only_a, only_b = count_a - count_b, count_b - count_a
    _explain(only_a, only_b, cb, b)   # a keeps one line where b cut it
    _explain(only_b, only_a, ca, a)   # b keeps one line where a cut it
    rows = []
    for name, page, left, chunks in ((names[0], a, only_a, ca), (names[1], b, only_b, cb)):
        lines = {}
        for c in chunks:
            if left[c.text] > 0:
                lines[id(c.line)] = c.line
        rows += [f"page {page.number} {name} line {ln.number}: {ln.text!r}" for ln in lines.values()]
    return rows
