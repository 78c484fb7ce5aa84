"""Extractors: a release file becomes pages of positioned, normalized lines.

One object model for every input:

    Page(number, lines, failures, needs_ocr)
    Line(page, number, text, raw_text, bbox, font_size, ocr, confidence)

``text`` is normalized (pipeline.normalize), ``raw_text`` is what the PDF or
the converter gave; ``index_map`` ties each character of ``text`` to its raw
character. PDF pages are 1-based; unpaged text has page None. A line read by
OCR from a picture (pipeline.ocr) has ``ocr`` set and Tesseract's confidence;
it follows the page's text-layer lines.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from pipeline.errors import EncryptedError, InputError, TooLargeError, UsageError
from pipeline.guard import check_budget
from pipeline.normalize import (
    extraction_failures,
    has_failure,
    normalize,
    normalize_lines,
    normalize_pairs,
    normalize_with_map,
    strip_markdown,
)
from pipeline.pdf_images import draws_pictures
from pipeline.progress import pages_bar

BACKENDS = ("pymupdf", "pdfplumber")
TEXT_SUFFIXES = (".txt", ".md", ".markdown")


@dataclass(slots=True)
class Line:
    page: int | None
    number: int
    text: str
    raw_text: str
    bbox: tuple[float, float, float, float] | None = None
    font_size: float | None = None
    known_map: list[int] | None = field(default=None, repr=False, compare=False)
    ocr: bool = False                 # read by OCR from a picture, not from the text layer
    confidence: float | None = None   # OCR lines: Tesseract's confidence, 0–100

    @property
    def index_map(self) -> list[int]:
        """For each character of ``text``, the index of its raw character.
        Made when first asked (only lines that give a figure need it), unless
        the line was read with it (Markdown). Empty when ``text`` is not what
        normalizing ``raw_text`` gives (a Line built by hand), so that no
        source is made up."""
        if self.known_map is None:
            text, index_map = normalize_with_map(self.raw_text)
            self.known_map = index_map if text == self.text else []
        return self.known_map


@dataclass
class Page:
    number: int | None
    lines: list[Line]
    failures: list[str] = field(default_factory=list)
    needs_ocr: bool = False         # no text layer, and something drawn on it (an image)
    height: float | None = None     # PDF pages only, in points
    warnings: list[str] = field(default_factory=list)
    has_images: bool = False        # PDF pages that draw a picture (OCR looks only at these and textless ones)
    ocr_regions: int = 0            # what has no text layer: image blocks, or the whole page
    ocr_read: bool = False          # ... and OCR read them


def line_records(pages: list[Page], digest: str) -> list[dict]:
    """pages.jsonl's records, one per line: page, line, text, raw_text, bbox
    (rounded to 0.1 pt, all boxes at once with numpy), font_size, ocr,
    confidence, input_sha256."""
    import numpy as np
    lines = [ln for p in pages for ln in p.lines]
    boxes = [ln.bbox for ln in lines if ln.bbox]
    rounded = iter(np.round(np.array(boxes, dtype=float), 1).tolist() if boxes else ())
    return [{"page": ln.page, "line": ln.number, "text": ln.text, "raw_text": ln.raw_text,
             "bbox": next(rounded) if ln.bbox else None, "font_size": ln.font_size,
             "ocr": ln.ocr, "confidence": ln.confidence, "input_sha256": digest}
            for ln in lines]


def make_line(page: int | None, number: int, raw: str, bbox=None, font_size=None,
              markdown: bool = False) -> Line | None:
    """Normalize one raw line; None when nothing is left (blank or pure markup)."""
    if markdown:
        pairs = strip_markdown(raw)
        if pairs is None:
            return None
        pairs = normalize_pairs(pairs)
        text, index_map = "".join(c for c, _ in pairs), [i for _, i in pairs]
        if not text:
            return None
        return Line(page, number, text, raw, bbox, font_size, index_map)
    text = normalize(raw)
    return Line(page, number, text, raw, bbox, font_size) if text else None


MAX_TEXT_BYTES = 20_000_000   # a text input larger than this is refused (a 500-page deck's text is about 2 MB)
MAX_LINE_CHARS = 1000   # a text line longer than this is cut (a converter that joined lines): every step stays linear


def split_long_line(raw: str, limit: int = MAX_LINE_CHARS) -> list[str]:
    """A raw text line cut into pieces of at most ``limit`` characters, each
    ending at the last 「。」 in its second half, else at the last space not
    after a digit (so 「2,479 億円」 stays whole), else at the limit.

    >>> split_long_line("予算。" * 4, limit=7)
    ['予算。予算。', '予算。予算。']
    >>> split_long_line("37億円")
    ['37億円']
    """
    pieces = []
    while len(raw) > limit:
        window = raw[:limit]
        cut = window.rfind("。") + 1
        if cut <= limit // 2:
            cut = max((k + 1 for k in range(limit - 1, limit // 2, -1)
                       if window[k].isspace() and not window[k - 1].isdigit()), default=limit)
        pieces.append(raw[:cut])
        raw = raw[cut:]
    return [*pieces, raw]


def _finish_page(number: int | None, raws: Sequence[tuple[str, tuple | None, float | None]],
                 markdown: bool = False, has_images: bool = False, first_line: int = 1) -> Page:
    """Normalize a page's raw lines. PDF lines are numbered in reading order;
    text lines keep their line number in the file (blank lines count)."""
    page_no = number
    lines: list[Line] = []
    failures: list[str] = []
    if raws and has_failure("\n".join(raw for raw, _, _ in raws)):   # rare: look line by line only then
        failures = [f for raw, _, _ in raws for f in extraction_failures(raw)]
    warnings: list[str] = []
    if markdown:
        for k, (raw, bbox, size) in enumerate(raws):
            pieces = split_long_line(raw) if len(raw) > MAX_LINE_CHARS else [raw]
            if len(pieces) > 1:
                warnings.append(f"line {first_line + k}: {len(raw):,} characters cut into {len(pieces)} lines "
                                f"of at most {MAX_LINE_CHARS:,} (were the lines of the file joined?)")
            for piece in pieces:   # the pieces of a cut line keep its line number
                line = make_line(page_no, first_line + k, piece, bbox, size, markdown)
                if line is not None:
                    lines.append(line)
    else:   # a PDF page: its lines normalized together
        for (raw, bbox, size), text in zip(raws, normalize_lines([raw for raw, _, _ in raws])):
            if text:
                lines.append(Line(page_no, len(lines) + 1, text, raw, bbox, size))
    return Page(page_no, lines, failures, needs_ocr=has_images and not lines, warnings=warnings)


# ---------------------------------------------------------------- text input

def _plausible_japanese(text: str) -> bool:
    """A CP932 decoding that makes sense: few halfwidth katakana, control or
    unassigned characters (what UTF-8 bytes read as CP932 turn into)."""
    import unicodedata
    if not text:
        return True
    odd = sum(1 for c in text if "\uff61" <= c <= "\uff9f" or (
        unicodedata.category(c) in ("Co", "Cn", "Cc") and c not in "\t\n\r\f"))
    return odd / len(text) < 0.05


def read_text(path: Path) -> tuple[str, str]:
    """(text, encoding) of a converted text file: UTF-8 (with or without BOM),
    else Shift_JIS/CP932 when that decodes to plausible Japanese."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        bad = e.start
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible_japanese(text):
        return text, "cp932"
    raise InputError(f"{path}: invalid UTF-8 at byte {bad} and not Shift_JIS/CP932 either; "
                        "convert the file to UTF-8", "input.encoding")


def extract_text(path: Path) -> list[Page]:
    """Pages of a text or Markdown file. Form feeds are page breaks; without
    them the pages are unknown and every line has page None."""
    text, encoding = read_text(path)
    markdown = True  # converters emit Markdown artefacts even in .txt files
    chunks = text.split("\f")
    if len(chunks) > 1 and not chunks[-1].strip():
        chunks.pop()   # pdftotext ends every page, the last one too, with a form feed
    paged = len(chunks) > 1
    pages = []
    first = 1
    for k, chunk in enumerate(chunks, start=1):
        check_budget()
        raws = [(raw.rstrip("\r"), None, None) for raw in chunk.split("\n")]
        pages.append(_finish_page(k if paged else None, raws, markdown, first_line=first))
        first += chunk.count("\n")
    if encoding != "utf-8":
        pages[0].warnings.append("decoded as Shift_JIS/CP932 (not UTF-8)")
    return pages


# ----------------------------------------------------------------- PDF input

def _rounded(bbox) -> tuple[float, float, float, float]:
    # a bbox (x0, top, x1, bottom) in, its four values rounded out
    return cast("tuple[float, float, float, float]", tuple(round(float(v), 1) for v in bbox))


def _raw_lines(blocks: list[dict]) -> list[tuple[str, tuple, float]]:
    """(raw text, bbox, font size) of each line of a page's get_text("dict")
    blocks that holds more than whitespace: its spans joined, the size of the
    span with the most text, rounded to 0.1 pt."""
    raws = []
    for block in blocks:
        for ln in block.get("lines", []):
            spans = ln["spans"]
            if not spans:
                continue
            if len(spans) == 1:
                raw, size = spans[0]["text"], spans[0]["size"]
            else:   # the size of the (first) span with the most text
                texts = [s["text"] for s in spans]
                raw = "".join(texts)
                lengths = [len(t.strip()) for t in texts]
                size = spans[lengths.index(max(lengths))]["size"]
            if raw.strip():
                raws.append((raw, ln["bbox"], round(size, 1)))
    return raws


def _pymupdf_pages(path: Path, max_pages: int | None, password: str | None = None) -> list[Page]:
    """Every page's text lines first, then the rest per page (pictures, normalizing,
    height): between MuPDF's page runs that work ran with cold caches, 15% slower."""
    import pymupdf

    flags = pymupdf.TEXTFLAGS_DICT & ~pymupdf.TEXT_PRESERVE_IMAGES
    pages = []
    seen_resources: dict[str, bool] = {}
    with _open_pdf(path, password) as doc:
        read: list[tuple[int, Any, list, str | None]] = []   # (page index, page, raw lines, why it is unreadable)
        count = min(doc.page_count, max_pages or doc.page_count)
        with pages_bar(count, "reading") as tick:
            for pno in range(count):
                check_budget()
                tick()
                try:
                    page = doc[pno]
                    blocks = page.get_textpage(flags=flags).extractDICT()["blocks"]   # get_text("dict")'s, no cropbox
                except Exception as e:  # a damaged page: report it, read the others
                    read.append((pno, None, [], f"page unreadable: {e}"))
                    continue
                read.append((pno, page, _raw_lines(blocks), None))
        for pno, page, raws, unreadable in read:
            check_budget()
            if unreadable is not None:
                pages.append(Page(pno + 1, [], [unreadable]))
                continue
            images = draws_pictures(doc, page, seen_resources)
            pages.append(_finish_page(pno + 1, raws, has_images=not raws and images))
            pages[-1].height, pages[-1].has_images = round(page.rect.height, 1), images
        if doc.is_repaired and pages:
            pages[0].warnings.append("PDF was damaged (broken cross-reference table) and repaired "
                                     "by PyMuPDF; check its figures")
    return pages


def _open_pdf(path: Path, password: str | None = None):
    import pymupdf

    try:
        doc = pymupdf.open(path, filetype="pdf")
    except Exception as e:  # PyMuPDF raises several types for broken files
        raise InputError(f"{path}: not a readable PDF (no PDF structure found)", "input.not-pdf") from e
    if not doc.is_pdf:
        kind = (doc.metadata or {}).get("format") or "another format"
        doc.close()
        raise InputError(f"{path}: not a readable PDF (the content is {kind}; a failed download?)", "input.not-pdf-content")
    if doc.needs_pass and not (password and doc.authenticate(password)):
        doc.close()
        hint = "wrong --password" if password else "PDF is encrypted; give --password"
        raise EncryptedError(f"{path}: {hint}", "encrypted.password")
    if doc.page_count == 0:
        repaired = doc.is_repaired
        doc.close()
        raise InputError(f"{path}: " + ("PDF is damaged beyond repair (no readable page; truncated?)"
                                           if repaired else "PDF has no pages"), "input.damaged")
    return doc


def _pdfplumber_rows(chars: list[dict]) -> list[list[dict]]:
    """Group characters into lines: characters on one baseline, cut where two
    neighbours are far apart — more than 1.5 em, or more than 0.4 em (a space
    glyph is at most 0.3) with a change of font — so that side-by-side text
    boxes (a title and the budget box beside it, a label and its value) stay
    separate lines, as in the default backend, while letter-spaced text
    (Word's 「令和元年 1 1 月」) stays one line."""
    def center(c):
        return (c["top"] + c["bottom"]) / 2

    bands: list[list[dict]] = []
    for ch in sorted(chars, key=center):
        if bands and abs(center(ch) - center(bands[-1][0])) <= 0.3 * max(ch["size"], bands[-1][0]["size"]):
            bands[-1].append(ch)
        else:
            bands.append([ch])
    rows: list[list[dict]] = []
    for band in bands:
        band.sort(key=lambda c: c["x0"])
        row = [band[0]]
        for ch in band[1:]:
            prev = row[-1]
            em = min(ch["size"], prev["size"])
            gap = ch["x0"] - prev["x1"]
            font_change = ch["fontname"] != prev["fontname"] or abs(ch["size"] - prev["size"]) > 0.05 * em
            if gap > 1.5 * em or (gap > 0.4 * em and font_change):
                rows.append(row)
                row = []
            row.append(ch)
        rows.append(row)
    return rows


def _pdfplumber_pages(path: Path, max_pages: int | None, password: str | None = None) -> list[Page]:
    import io

    import pdfplumber
    with _open_pdf(path, password) as doc:   # same checks and messages as the default backend
        repaired = doc.is_repaired
        # pdfminer cannot read what PyMuPDF had to repair: give it PyMuPDF's clean copy
        source = io.BytesIO(doc.tobytes()) if repaired else path
    pages = []
    try:
        pdf = pdfplumber.open(source, password=password or "")
    except Exception as e:
        raise InputError(f"{path}: pdfplumber cannot read this PDF ({type(e).__name__}); "
                            "try the default backend", "input.pdfplumber") from e
    with pdf, pages_bar(len(pdf.pages[: max_pages or None]), "reading") as tick:
        for pno, page in enumerate(pdf.pages[: max_pages or None]):
            check_budget()
            tick()
            chars = [dict(c, order=k) for k, c in enumerate(page.chars) if c.get("upright", True)]
            rows = _pdfplumber_rows(chars)
            # drawing order (the content stream's), as the default backend reads text boxes:
            # sorting by position would interleave side-by-side columns
            rows.sort(key=lambda r: min(c["order"] for c in r))
            raws = []
            for row in rows:
                raw = "".join(c["text"] for c in row)
                if not raw.strip():
                    continue
                bbox = (min(c["x0"] for c in row), min(c["top"] for c in row),
                        max(c["x1"] for c in row), max(c["bottom"] for c in row))
                sizes = [round(c["size"], 1) for c in row if c["text"].strip()]
                size = max(set(sizes), key=sizes.count) if sizes else None
                raws.append((raw, _rounded(bbox), size))
            images = bool(page.images)
            pages.append(_finish_page(pno + 1, raws, has_images=not raws and images))
            pages[-1].height, pages[-1].has_images = round(float(page.height), 1), images
    if repaired and pages:
        pages[0].warnings.append("PDF was damaged (broken cross-reference table) and repaired "
                                 "by PyMuPDF; check its figures")
    return pages


def extract_pages(path: Path, backend: str = "pymupdf", max_pages: int | None = None,
                  password: str | None = None) -> list[Page]:
    """Pages of lines from a PDF, text or Markdown release file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file", "input.missing")
    if path.is_dir():
        raise InputError(f"{path}: is a folder with no release file in it (.pdf, .txt or .md)", "input.directory")
    if path.stat().st_size == 0:
        raise InputError(f"{path}: file is empty", "input.empty")
    if path.suffix.lower() in TEXT_SUFFIXES:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise TooLargeError(f"{path}: text input is {size:,} bytes; at most {MAX_TEXT_BYTES:,} "
                                "(split it, or extract the PDF itself)", "input.too-large")
        return extract_text(path)
    if path.suffix.lower() != ".pdf":
        raise InputError(f"{path}: unsupported input type (use .pdf, .txt or .md)", "input.type")
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r} (choose from {', '.join(BACKENDS)})", "usage.backend")
    if backend == "pdfplumber":
        return _pdfplumber_pages(path, max_pages, password)
    return _pymupdf_pages(path, max_pages, password)
