"""Steps 5 to 7: Tesseract's words as lines in page points, the repairs of
rules/ocr.yaml, and which lines are kept."""
from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pipeline.ocr.panels import Slot
from pipeline.ocr.settings import SETTINGS, Box, OcrLine, OcrSettings


def _wide(c: str) -> bool:
    """Japanese (and other wide) characters are written without spaces between words."""
    return unicodedata.east_asian_width(c) in ("W", "F")


def join_words(words: list[str]) -> str:
    """Tesseract's words of one line as text: a space only between two
    narrow characters (「令和8年度予算額(案)」「852億円」 keep theirs, kanji none).

    >>> join_words(["令和8年度", "予算額(案)", "852億円"]), join_words(["AI", "for", "Science"])
    ('令和8年度予算額(案) 852億円', 'AI for Science')
    """
    text = ""
    for w in words:
        if text and not (_wide(text[-1]) or _wide(w[0])):
            text += " "
        text += w
    return text


def lines_of(data: dict[str, list], slots: list[Slot], origin: tuple[float, float],
             settings: OcrSettings = SETTINGS) -> list[OcrLine]:
    """Tesseract's word table (``image_to_data`` as a dict) as lines, each
    mapped from the composite back to page points through its panel."""
    import bisect
    px = settings.dpi / 72
    pad = round(settings.padding_pt * px)
    groups: dict[tuple, list[int]] = {}
    for i, word in enumerate(data["text"]):
        if str(word).strip() and float(data["conf"][i]) >= 0:
            groups.setdefault((data["block_num"][i], data["par_num"][i], data["line_num"][i]), []).append(i)
    tops = [s.top for s in slots]
    out = []
    for ids in groups.values():
        ids.sort(key=lambda i: data["left"][i])
        words = [str(data["text"][i]).strip() for i in ids]
        x0 = min(data["left"][i] for i in ids)
        y0 = min(data["top"][i] for i in ids)
        x1 = max(data["left"][i] + data["width"][i] for i in ids)
        y1 = max(data["top"][i] + data["height"][i] for i in ids)
        slot = slots[max(0, bisect.bisect_right(tops, (y0 + y1) / 2) - 1)]
        dx, dy = slot.panel[0] - pad, slot.panel[1] - slot.top - pad
        bbox = (origin[0] + (x0 + dx) / px, origin[1] + (y0 + dy) / px,
                origin[0] + (x1 + dx) / px, origin[1] + (y1 + dy) / px)
        chars = sum(len(w) for w in words)
        confidence = sum(float(data["conf"][i]) * len(w) for i, w in zip(ids, words)) / chars
        out.append(OcrLine(repaired(join_words(words)), tuple(round(v, 1) for v in bbox),
                           round(confidence, 1), round((bbox[3] - bbox[1]) * settings.font_per_height, 1)))
    return out


@lru_cache(maxsize=1)
def repairs() -> list[tuple[str, Any, str]]:
    """(id, compiled pattern, replacement) of rules/ocr.yaml, in order."""
    import regex

    from pipeline.rules import load_yaml
    return [(r["id"], regex.compile(r["pattern"]), r["replace"]) for r in load_yaml("ocr.yaml")["repairs"]]


def repaired(text: str) -> str:
    """An OCR line with rules/ocr.yaml's repairs applied (``{upper_i}``: the
    match with each l or | as I).

    >>> repaired("@宇宙探査ブログラム73億円|")
    '●宇宙探査プログラム73億円'
    """
    for _, pattern, replace in repairs():
        if replace == "{upper_i}":
            text = pattern.sub(lambda m: "I" * len(m.group()), text)
        else:
            text = pattern.sub(replace, text)
    return text


def covered(box: Box, others: Iterable[Box]) -> float:
    """The share of ``box`` that the boxes ``others`` overlap (summed, at most 1).

    >>> covered((0, 0, 10, 10), [(5, 0, 20, 10)])
    0.5
    """
    area = max((box[2] - box[0]) * (box[3] - box[1]), 1e-9)
    inside = sum(max(0.0, min(box[2], o[2]) - max(box[0], o[0])) * max(0.0, min(box[3], o[3]) - max(box[1], o[1]))
                 for o in others)
    return min(1.0, inside / area)


def legible(line: OcrLine, settings: OcrSettings = SETTINGS) -> bool:
    """Worth a Line: confident enough, at least ``min_line_pt`` tall (what
    Tesseract makes of a speck of noise is smaller), and with a letter or
    digit in it.

    >>> legible(OcrLine("令和8年度予算額", (0, 0, 80, 10), 91.0, 8.0)), legible(OcrLine("| ー", (0, 0, 9, 10), 93.0, 8.0))
    (True, False)
    >>> legible(OcrLine("で", (213.0, 583.8, 216.4, 587.0), 89.0, 2.6))
    False
    """
    return (line.confidence >= settings.min_confidence and line.bbox[3] - line.bbox[1] >= settings.min_line_pt
            and any(unicodedata.category(c)[0] in "LN" and c != "ー" for c in line.text))


def keep(lines: list[OcrLine], text_boxes: list[Box], settings: OcrSettings = SETTINGS) -> list[OcrLine]:
    """The OCR lines worth adding to a page: legible, and not what a
    text-layer line already says (the text layer wins)."""
    return [ln for ln in lines if legible(ln, settings) and covered(ln.bbox, text_boxes) < settings.text_overlap]
