"""The two PDF backends agree on the normalized text of every page of the bundled release.

The comparison (tests/linecompare.py): per page, the multiset of whitespace-split chunks of
line texts; a leftover chunk of one backend is accepted only where the other backend cut the
same row into two adjacent lines at a gap (vertical centers within 0.5 x font size).
"""
from __future__ import annotations

import functools

import pytest

from conftest import RAW_PDF as PDF
from linecompare import compare_pages
from pipeline.extract import Line, Page, extract_pages

PAGES = 13


@functools.cache
def pages_of(backend: str) -> list[Page]:
    return extract_pages(PDF, backend)


def test_both_backends_read_every_page():
    assert [p.number for p in pages_of("pymupdf")] == list(range(1, PAGES + 1))
    assert [p.number for p in pages_of("pdfplumber")] == list(range(1, PAGES + 1))


@pytest.mark.parametrize("number", range(1, PAGES + 1), ids=lambda n: f"page-{n:02d}")
def test_backends_agree_on_page_text(number):
    a, b = pages_of("pymupdf")[number - 1], pages_of("pdfplumber")[number - 1]
    assert a.number == b.number == number
    assert a.lines and b.lines
    diff = compare_pages(a, b)
    assert not diff, "backends differ on these lines:\n" + "\n".join(diff)


def test_pdfplumber_keeps_binds_title_apart_from_budget_box():
    p = pages_of("pdfplumber")[4]
    texts = [ln.text for ln in p.lines]
    assert "生命科学・創薬研究支援基盤事業(BINDS)" in texts
    assert not any("BINDS" in t and "億円" in t for t in texts), texts


# ------------------------------------------------------------ the comparison itself

def _line(number, text, x0, x1, y0=100.0, size=10.0):
    return Line(1, number, text, text, (x0, y0, x1, y0 + size), size)


def _page(*lines):
    return Page(1, list(lines))


def test_compare_identical_pages_agree():
    page = _page(_line(1, "令和8年度予算額(案) 37億円", 10, 200))
    assert compare_pages(page, _page(*page.lines)) == []


def test_compare_accepts_a_row_cut_at_a_gap():
    whole = _page(_line(1, "●ライフサイエンス研究基盤整備事業18億円", 10, 300))
    cut = _page(_line(1, "●", 10, 17), _line(2, "ライフサイエンス研究基盤整備事業18億円", 20, 300))
    assert compare_pages(whole, cut) == []
    assert compare_pages(cut, whole) == []


def test_compare_rejects_pieces_on_different_rows():
    whole = _page(_line(1, "令和7年度補正予算額433億円", 10, 300))
    cut = _page(_line(1, "令和7年度補正予算額", 10, 200),
                _line(2, "433億円", 205, 300, y0=120.0))
    diff = compare_pages(whole, cut)
    assert len(diff) == 3
    assert "page 1 pymupdf line 1: '令和7年度補正予算額433億円'" in diff
    assert "page 1 pdfplumber line 2: '433億円'" in diff


def test_compare_rejects_pieces_in_the_wrong_order():
    whole = _page(_line(1, "令和7年度補正予算額433億円", 10, 300))
    cut = _page(_line(1, "433億円", 10, 60), _line(2, "令和7年度補正予算額", 65, 300))
    assert len(compare_pages(whole, cut)) == 3


def test_compare_rejects_pieces_with_a_line_between():
    whole = _page(_line(1, "予算額37億円", 10, 100), _line(2, "注", 200, 210))
    cut = _page(_line(1, "予算額", 10, 40), _line(2, "注", 45, 55), _line(3, "37億円", 60, 100))
    diff = compare_pages(whole, cut)
    assert any("'予算額37億円'" in d for d in diff)


def test_compare_rejects_a_changed_character():
    a = _page(_line(1, "生命科学・創薬研究支援基盤事業(BINDS) 37億円", 10, 300))
    b = _page(_line(1, "生命科学・創薬研究支援基盤事業(BINDS) 36億円", 10, 300))
    diff = compare_pages(a, b)
    assert diff == ["page 1 pymupdf line 1: '生命科学・創薬研究支援基盤事業(BINDS) 37億円'",
                    "page 1 pdfplumber line 1: '生命科学・創薬研究支援基盤事業(BINDS) 36億円'"]


def test_compare_rejects_a_missing_line():
    a = _page(_line(1, "現状・課題", 10, 100), _line(2, "事業内容", 10, 100, y0=200.0))
    b = _page(_line(1, "現状・課題", 10, 100))
    assert compare_pages(a, b) == ["page 1 pymupdf line 2: '事業内容'"]
