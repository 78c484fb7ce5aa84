"""OCR tolerances and the OCR line: what every step of pipeline.ocr shares."""
from __future__ import annotations

from dataclasses import dataclass

Box = tuple[float, float, float, float]   # x0, top, x1, bottom, in page points


@dataclass(frozen=True)
class OcrSettings:
    dpi: int = 360                  # regions are read at this resolution (a 150-dpi scan scaled up 2.4×)
    models: tuple[str, ...] = ("Japanese", "jpn")   # the first one installed is used (see PACKAGES)
    psm: int = 4                    # one column of text of varying sizes: the composite
    ink_level: int = 200            # gray below this is ink (for the cut into panels)
    dark_panel: int = 128           # a panel whose mean gray is below this is light text on a dark fill
    column_gap_pt: float = 9.0      # white at least this wide (points) separates two panels side by side ...
    narrow_column_gap_pt: float = 3.5   # ... or this wide, when it runs down a region at least
    tall_region_pt: float = 36.0        # this tall (two columns of lines set close together)
    block_gap_pt: float = 6.0       # white at least this tall separates two blocks (cut first) ...
    row_gap_pt: float = 1.5         # white at least this tall separates two panels one above the other
    rule_length_pt: float = 40.0    # a thin stroke at least this long is a ruled line (box border, grid) ...
    rule_thickness_pt: float = 2.0  # ... when no ink continues this far beside it; cut through, not read
    padding_pt: float = 8.0         # white around each panel in the composite
    min_panel_pt: float = 4.0       # panels thinner than this (rules, dots) carry no text
    min_region_pt: float = 12.0     # image blocks smaller than this on a side carry no line
    min_line_pt: float = 4.0        # lines less tall are specks of noise, not text
    min_confidence: float = 60.0    # lines Tesseract is less sure of are dropped
    text_overlap: float = 0.3       # an OCR line this much covered by text-layer lines is dropped
    font_per_height: float = 0.8    # font size (points) per point of line height: the Line model's font_size
    max_depth: int = 400            # of the cut (a line taken off is one level): no page goes deeper


SETTINGS = OcrSettings()
# Debian's engine and its Japanese models: the model of the Japanese script
# ("Japanese", tesseract-ocr-script-jpan) reads the kanji of program names
# better than the language model ("jpn", tesseract-ocr-jpn), which is the
# fallback: on the 150-dpi scanned copy of the bundled release they give 51
# and 42 of its 56 golden figures.
PACKAGES = ("tesseract-ocr", "tesseract-ocr-jpn", "tesseract-ocr-script-jpan")


@dataclass(frozen=True)
class OcrLine:
    text: str
    bbox: Box            # page points
    confidence: float    # Tesseract's, 0–100, character-weighted over the line's words
    font_size: float     # estimated from the line height
