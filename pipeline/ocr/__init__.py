"""OCR: what a PDF page shows without a text layer, read by Tesseract's
Japanese model (Debian's ``tesseract-ocr-jpn``) through pytesseract.

Only what has no text layer is read: a page without text, and the image
regions of a page with text. The stage, as named steps:

1. ``regions_to_read``  the whole page when it has no text, else its image
                        blocks (large enough to hold a line, overlaps merged);
2. ``render``           each region at ``dpi`` in gray (what the reader sees,
                        masks and rotation applied by MuPDF);
3. ``xy_cut``           the region cut into panels at white gaps, so that a
                        title band and the budget box beside it are not read as
                        one line;
4. ``composite``        the panels stacked in one column, light-on-dark ones
                        (a white title on a dark band) inverted, one Tesseract
                        call per page;
5. ``lines_of``         Tesseract's words joined into lines with a bbox in page
                        points and the engine's confidence (0–100);
6. ``repair``           what the model misreads on slides (a ● read as @, a box
                        border read as |), from rules/ocr.yaml — never a digit;
7. ``keep``             lines a text-layer line covers dropped (the text layer
                        wins), illegible ones (low confidence, no letter or
                        digit) dropped.

Tolerances are in ``OcrSettings``. Results are cached by the rendered image
(``ocr_cache_dir``): the same page read again costs one rendering.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from pipeline.ocr.lines import covered, join_words, keep, legible, lines_of, repaired, repairs
from pipeline.ocr.panels import composite, panels_of, ruled_lines, xy_cut
from pipeline.ocr.settings import PACKAGES, SETTINGS, Box, OcrLine, OcrSettings
from pipeline.ocr.tesseract import engine, model, ocr_cache_dir, tesseract_words

__all__ = ["PACKAGES", "SETTINGS", "Box", "OcrLine", "OcrSettings", "composite", "covered",
           "engine", "join_words", "keep", "legible", "lines_of", "model", "native_dpi", "ocr_cache_dir",
           "panels_of", "read_pages", "read_region", "regions_to_read", "render", "repaired", "repairs",
           "ruled_lines", "tesseract_words", "xy_cut"]


def regions_to_read(page_rect: Box, image_boxes: Iterable[Box], has_text: bool,
                    settings: OcrSettings = SETTINGS) -> list[Box]:
    """What of a page has no text layer: the whole page when it has no text,
    else its image blocks, clipped to the page, large enough to hold a line,
    overlapping ones merged.

    >>> regions_to_read((0, 0, 800, 600), [], has_text=False)
    [(0, 0, 800, 600)]
    >>> regions_to_read((0, 0, 800, 600), [(10, 10, 400, 90), (300, 50, 500, 95), (700, 2, 705, 4)], has_text=True)
    [(10, 10, 500, 95)]
    """
    if not has_text:
        return [page_rect]
    px0, py0, px1, py1 = page_rect
    boxes = []
    for x0, y0, x1, y1 in image_boxes:
        b = (max(x0, px0), max(y0, py0), min(x1, px1), min(y1, py1))
        if b[2] - b[0] >= settings.min_region_pt and b[3] - b[1] >= settings.min_region_pt:
            boxes.append(b)
    merged: list[Box] = []
    for b in sorted(boxes, key=lambda b: (b[1], b[0])):
        for k, m in enumerate(merged):
            if min(b[2], m[2]) > max(b[0], m[0]) and min(b[3], m[3]) > max(b[1], m[1]):
                merged[k] = (min(b[0], m[0]), min(b[1], m[1]), max(b[2], m[2]), max(b[3], m[3]))
                break
        else:
            merged.append(b)
    return merged


def read_region(gray, origin: tuple[float, float], text_boxes: list[Box],
                settings: OcrSettings = SETTINGS) -> list[OcrLine]:
    """The lines OCR adds for one rendered region (origin: its top-left in page points)."""
    image, slots = composite(gray, settings)
    if image is None:
        return []
    lines = lines_of(tesseract_words(image, settings), slots, origin, settings)
    return keep(lines, text_boxes, settings)


def native_dpi(box: Box, images: list[dict], settings: OcrSettings = SETTINGS) -> float:
    """The resolution the pictures of a region were made at (the sharpest
    one overlapping it), at most ``settings.dpi``; ``settings.dpi`` when no
    picture overlaps it (vector drawings render sharp at any size).

    >>> native_dpi((0, 0, 100, 100), [{"bbox": (0, 0, 612, 792), "width": 1275, "height": 1650}])
    150.0
    """
    dpis = [info["width"] / max(info["bbox"][2] - info["bbox"][0], 1e-9) * 72 for info in images
            if min(box[2], info["bbox"][2]) > max(box[0], info["bbox"][0])
            and min(box[3], info["bbox"][3]) > max(box[1], info["bbox"][1])]
    return float(round(min(max(dpis), settings.dpi))) if dpis else float(settings.dpi)   # scanners work in whole dpi


def render(page: Any, box: Box, dpi: float, settings: OcrSettings = SETTINGS):
    """A region of a PyMuPDF page in gray at ``settings.dpi``, as a PIL image:
    drawn at ``dpi`` (its pictures' own resolution) and scaled up with a
    Lanczos filter — a 150-dpi scan read so reads better than drawn at 300
    dpi by MuPDF, which repeats pixels."""
    import pymupdf
    from PIL import Image
    pix = page.get_pixmap(matrix=pymupdf.Matrix(dpi / 72, dpi / 72), clip=pymupdf.Rect(box),
                          colorspace=pymupdf.csGRAY, alpha=False)
    image = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    if dpi < settings.dpi:
        k = settings.dpi / dpi
        image = image.resize((round(pix.width * k), round(pix.height * k)), Image.Resampling.LANCZOS)
    return image


# ------------------------------------------------------------ a document

def read_pages(doc: Any, requests: list[tuple[int, bool, list[Box]]], settings: OcrSettings = SETTINGS,
               on_page=None) -> dict[int, tuple[int, list[OcrLine]]]:
    """OCR of a PyMuPDF document: for each request (page index, has text,
    its text-layer line boxes), (the regions found, the OCR lines kept).
    Pages are rendered one after the other (MuPDF is not thread-safe) and
    read by Tesseract processes side by side, a few renderings ahead at most.
    ``on_page`` is called before each page (the run's time budget)."""
    from concurrent.futures import Future, ThreadPoolExecutor
    workers = max(1, min(os.cpu_count() or 1, 4))
    pending: list[tuple[int, int, list[Future]]] = []
    with ThreadPoolExecutor(workers) as pool:
        for pno, has_text, text_boxes in requests:
            if on_page:
                on_page()
            page = doc[pno]
            infos = page.get_image_info()
            regions = regions_to_read(tuple(page.rect), [tuple(i["bbox"]) for i in infos], has_text, settings)
            jobs = [pool.submit(read_region, render(page, box, native_dpi(box, infos, settings), settings),
                                (box[0], box[1]), text_boxes, settings)
                    for box in regions]
            pending.append((pno, len(regions), jobs))
            in_flight = [j for _, _, js in pending for j in js if not j.done()]
            if len(in_flight) > 2 * workers:   # bound the renderings held in memory
                in_flight[0].result()
        return {pno: (n, [ln for j in jobs for ln in j.result()]) for pno, n, jobs in pending}
