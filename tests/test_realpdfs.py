"""The extractors on real Japanese PDFs nobody here produced (tests/fixtures/realpdfs/README.md)."""
from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import pytest

from linecompare import compare_pages
from pipeline.extract import BACKENDS, extract_pages
from pipeline.normalize import extraction_failures, source_of

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "realpdfs"

# file -> (sha256, pages), from shared/realpdfs/MANIFEST.json
MANIFEST = {
    "pdfjs_issue15340.pdf": ("d4b6d8406decd678de5a004deac79f42ad7f8f2e342e8bd025612311a04ac430", 1),
    "pdfjs_issue8570.pdf": ("86b6c3c00fa7c49164c5331680bf0e19be3728845256332ddb7fdd52d45895ab", 1),
    "mhlw_000838802_table.pdf": ("ecbf02cb28d2811809743cbfb2d2d15129ab9fe10176bedf31b608bb887cb27a", 4),
    "mhlw_000610144_tsuuchi.pdf": ("ea71b71fed4684f44e7729fb3a6368fc90a45af2cdaf57955b3761fb5edf45d3", 2),
    "fujishi_r8_saishutsu01_gikai.pdf": ("29076c3f4a071186a29993450ba66a68b1254e550587d72be592e7b700378151", 2),
}
FILES = sorted(MANIFEST)

backends = pytest.mark.parametrize("backend", BACKENDS)
files = pytest.mark.parametrize("name", FILES)


@functools.cache
def pages(name: str, backend: str):
    return extract_pages(FIXTURES / name, backend)


def lines(name: str, backend: str):
    return [ln for p in pages(name, backend) for ln in p.lines]


# ------------------------------------------------------------------ the fixtures

@files
def test_fixture_is_the_manifest_file(name):
    digest = hashlib.sha256((FIXTURES / name).read_bytes()).hexdigest()
    assert digest == MANIFEST[name][0]


def test_fixtures_stay_small():
    assert sum((FIXTURES / n).stat().st_size for n in FILES) < 1_500_000


@files
def test_readme_gives_origin_of_every_fixture(name):
    readme = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert name in readme and MANIFEST[name][0] in readme


# ------------------------------------------------------------------ every file, both backends

@files
@backends
def test_extracts_every_page_without_failures(name, backend):
    got = pages(name, backend)
    assert [p.number for p in got] == list(range(1, MANIFEST[name][1] + 1))
    assert all(p.lines for p in got)
    assert [(p.number, p.failures) for p in got if p.failures] == []
    assert not any(p.needs_ocr for p in got)


def _two_backends_page_pairs(name):
    a, b = pages(name, "pymupdf"), pages(name, "pdfplumber")
    assert len(a) == len(b)
    return zip(a, b)


@pytest.mark.parametrize("name", [
    "pdfjs_issue15340.pdf",
    "pdfjs_issue8570.pdf",
    "mhlw_000838802_table.pdf",
    "fujishi_r8_saishutsu01_gikai.pdf",
    pytest.param("mhlw_000610144_tsuuchi.pdf"),
])
def test_backends_agree(name):
    diff = [row for a, b in _two_backends_page_pairs(name) for row in compare_pages(a, b)]
    assert not diff, f"{name}: backends differ on these lines:\n" + "\n".join(diff)


# ------------------------------------------------------------------ pdf.js issue 15340: ⼀ U+2F00

@backends
def test_kangxi_radical_becomes_ichi(backend):
    name = "pdfjs_issue15340.pdf"
    hit = [ln for ln in lines(name, backend) if "\u2F00" in ln.raw_text]
    assert hit, "fixture has no U+2F00 any more"
    for ln in hit:
        for j, c in enumerate(ln.text):
            if ln.raw_text[ln.index_map[j]] == "\u2F00":
                assert c == "\u4E00", (ln.raw_text, ln.text)
        assert "構を一つの箱内に収めたものは" in ln.text
    assert not [ln.text for ln in lines(name, backend) if "\u2F00" in ln.text]


# ------------------------------------------------------------------ pdf.js issue 8570: U+F9E4

@backends
def test_compatibility_ideograph_becomes_ri(backend):
    name = "pdfjs_issue8570.pdf"
    hit = [ln for ln in lines(name, backend) if "\uF9E4" in ln.raw_text]
    assert hit, "fixture has no U+F9E4 any more"
    for ln in hit:
        j = ln.text.index("\u7406")
        assert source_of(ln.raw_text, ln.index_map, j, j + 1) == "\uF9E4"
        assert ln.text.endswith("情報処\u7406")
    assert not [ln.text for ln in lines(name, backend) if "\uF9E4" in ln.text]


# ------------------------------------------------------------------ MHLW table: 﨑 U+FA11 stays

@backends
def test_saki_fa11_is_kept(backend):
    texts = [ln.text for ln in lines("mhlw_000838802_table.pdf", backend)]
    assert "川\uFA11レディースクリニック" in texts
    assert "尾\uFA11クリニック" in texts
    assert "川崎レディースクリニック" not in texts  # not folded to 崎 U+5D0E
    assert sum("\uFA11" in t for t in texts) >= 3


# ------------------------------------------------------------------ MHLW notice (Word export)

def test_notice_pdf_has_spaced_digits():
    # What the PDF contains (pymupdf raw spans): letter-spaced digits, fullwidth 第１号, spaced date.
    raws = [ln.raw_text for ln in lines("mhlw_000610144_tsuuchi.pdf", "pymupdf")]
    assert "健健発1 1 2 1 第１号 " in raws
    assert "令和元年11 月21 日 " in raws


@pytest.mark.parametrize("expected", [
    "令和元年11月21日", "健健発1121第1号", "子母発1121第1号", "医政地発1121第1号", "医政医発1121第3号",
], ids=["date", "kenkenhatsu", "boshihatsu", "iseichihatsu", "iseiihatsu"])
def test_notice_header_is_repaired_pymupdf(expected):
    texts = [ln.text for ln in lines("mhlw_000610144_tsuuchi.pdf", "pymupdf")]
    assert expected in texts


@pytest.mark.parametrize("expected", ["令和元年11月21日", "健健発1121第1号"], ids=["date", "kenkenhatsu"])
def test_notice_header_row_pdfplumber(expected):
    """Whatever pdfplumber does to these letter-spaced rows, the row, read left to
    right, carries the same repaired text."""
    page1 = pages("mhlw_000610144_tsuuchi.pdf", "pdfplumber")[0]
    starts = [ln for ln in page1.lines if len(ln.text) >= 3 and expected.startswith(ln.text)]
    assert starts, [ln.text for ln in page1.lines[:20]]
    head = max(starts, key=lambda ln: len(ln.text))
    centre = (head.bbox[1] + head.bbox[3]) / 2
    row = sorted((ln for ln in page1.lines
                  if abs((ln.bbox[1] + ln.bbox[3]) / 2 - centre) <= 0.5 * head.font_size),
                 key=lambda ln: ln.bbox[0])
    assert "".join(ln.text for ln in row) == expected


@pytest.mark.parametrize("expected", ["令和元年11月21日", "健健発1121第1号"], ids=["date", "kenkenhatsu"])
def test_notice_header_is_repaired_pdfplumber(expected):
    texts = [ln.text for ln in lines("mhlw_000610144_tsuuchi.pdf", "pdfplumber")]
    assert expected in texts


# ------------------------------------------------------------------ Fuji city budget book

@backends
def test_city_budget_book_page(backend):
    name = "fujishi_r8_saishutsu01_gikai.pdf"
    all_lines = lines(name, backend)
    assert not [ln.raw_text for ln in all_lines if extraction_failures(ln.raw_text)]
    assert not any("(cid:" in ln.text for ln in all_lines)
    assert any("千円" in ln.text for ln in all_lines)
    assert "488,451千円" in [ln.text for ln in all_lines]
