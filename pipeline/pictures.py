"""The extract step after the text layer: what a PDF page shows as a picture
(a scanned page, a title band or budget box drawn as an image) read by OCR
(pipeline.ocr) into the same Line model, ``ocr`` set, after the page's
text-layer lines — so the text layer's line numbers do not move."""
from __future__ import annotations

from pathlib import Path

from pipeline.extract import Line, Page, _open_pdf
from pipeline.guard import check_budget
from pipeline.normalize import normalize_lines
from pipeline.ocr import engine, read_pages
from pipeline.progress import pages_bar


def read_pictures(path: Path, pages: list[Page], password: str | None = None, use_ocr: bool = True) -> dict:
    """Add OCR lines to the pages of a PDF and return meta.json's ``ocr``
    record: the engine, why OCR did not run (``--no-ocr``, Tesseract
    missing), the pages read wholly by OCR, the image regions read, the
    pages with text whose pictures went unread, the lines added and the
    seconds spent. Text input: {}."""
    if Path(path).suffix.lower() != ".pdf" or not pages:
        return {}
    name, why_not = engine() if use_ocr else (None, "--no-ocr")
    # a page of text that draws no picture is not looked at again: it costs nothing
    requests = [(p.number - 1, bool(p.lines), [ln.bbox for ln in p.lines if ln.bbox])
                for p in pages if p.number is not None and (p.has_images or not p.lines)]
    by_number = {p.number: p for p in pages}
    if name is not None and requests:
        with _open_pdf(path, password) as doc, pages_bar(len(requests), "OCR") as tick:
            def on_page() -> None:
                check_budget()
                tick()
            for pno, (n, found) in read_pages(doc, requests, on_page=on_page).items():
                page = by_number[pno + 1]
                page.ocr_regions, page.ocr_read = n, True
                texts = normalize_lines([ln.text for ln in found])
                for ocr_line, text in zip(found, texts):
                    if text:
                        page.lines.append(Line(page.number, len(page.lines) + 1, text, ocr_line.text, ocr_line.bbox,
                                               ocr_line.font_size, ocr=True, confidence=ocr_line.confidence))
    textless = [p for p in pages if not any(not ln.ocr for ln in p.lines)]
    return {
        "engine": name,
        "skipped": why_not,
        "pages_read": [p.number for p in textless if p.ocr_read and p.lines],
        "regions_read": sum(p.ocr_regions for p in pages if p.ocr_read),
        "pictures_unread": [p.number for p in pages if p.has_images and p.lines and not p.ocr_read],
        "lines": sum(ln.ocr for p in pages for ln in p.lines),
    }


def unread_pages(pages: list[Page]) -> list[int]:
    """Pages without a text layer that show something OCR did not read
    (it did not run, or found nothing legible): their figures are missing."""
    return [p.number for p in pages if p.number is not None and p.needs_ocr and not any(ln.ocr for ln in p.lines)]
