"""The extractors on the bundled release (PDF and converted text) and on small made-up inputs."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from conftest import RAW_PDF as PDF, RAW_TEXT as TEXT
from pipeline.errors import PipelineError
from pipeline.extract import BACKENDS, extract_pages
from pipeline.normalize import source_of

RADICAL_RANGES = [(0x2F00, 0x2FDF), (0x2E80, 0x2EFF)]  # Kangxi radicals, CJK Radicals Supplement


@functools.cache
def pdf_pages(backend: str):
    return extract_pages(PDF, backend)


@functools.cache
def text_pages():
    return extract_pages(TEXT)


def page(backend: str, number: int):
    pages = pdf_pages(backend)
    (p,) = [p for p in pages if p.number == number]
    return p


def the_line(p, text: str):
    found = [ln for ln in p.lines if ln.text == text]
    assert len(found) == 1, f"page {p.number}: {len(found)} lines with text {text!r}: " + \
        repr([ln.text for ln in p.lines])
    return found[0]


backends = pytest.mark.parametrize("backend", BACKENDS)


# ------------------------------------------------------------------ PDF

@backends
def test_pdf_has_13_numbered_pages(backend):
    pages = pdf_pages(backend)
    assert [p.number for p in pages] == list(range(1, 14))
    assert all(p.lines for p in pages)
    assert not any(p.failures for p in pages)
    assert all(ln.page == p.number for p in pages for ln in p.lines)


@backends
def test_max_pages_limits_the_pages(backend):
    assert [p.number for p in extract_pages(PDF, backend, max_pages=2)] == [1, 2]


@backends
@pytest.mark.parametrize("label, value", [
    ("令和8年度予算額(案)", "37億円"),
    ("(前年度予算額", "36億円)"),
], ids=["budget", "previous-year"])
def test_binds_label_and_value_are_separate_lines_on_one_row(backend, label, value):
    p = page(backend, 5)
    lab, val = the_line(p, label), the_line(p, value)
    assert lab is not val
    lx0, ly0, lx1, ly1 = lab.bbox
    vx0, vy0, vx1, vy1 = val.bbox
    assert max(ly0, vy0) < min(ly1, vy1), f"no vertical overlap: {lab.bbox} {val.bbox}"
    assert vx0 >= lx1, f"value not right of label: {lab.bbox} {val.bbox}"


def test_page1_raw_text_holds_a_kangxi_radical():
    # Checks the fixture: the PDF really emits ⽂ U+2F42 for 文 on the title slide.
    raws = [ln.raw_text for ln in page("pymupdf", 1).lines]
    assert any("\u2F42" in r for r in raws), raws


@backends
def test_no_radical_survives_normalization(backend):
    bad = [(p.number, ln.number, ln.text) for p in pdf_pages(backend) for ln in p.lines
           if any(lo <= ord(c) <= hi for c in ln.text for lo, hi in RADICAL_RANGES)]
    assert bad == []


@backends
def test_kangxi_radical_on_page1_becomes_bun(backend):
    p = page(backend, 1)
    (line,) = [ln for ln in p.lines if "\u2F42" in ln.raw_text]
    assert line.text == "文部科学省"
    k = line.text.index("文")
    assert source_of(line.raw_text, line.index_map, k, k + 1) == "\u2F42"


@backends
def test_page11_budget_label_and_amount(backend):
    texts = [ln.text for ln in page(backend, 11).lines]
    assert any("令和8年度予算額(案)" in t for t in texts), texts
    assert any("2,479億円" in t for t in texts), texts
    assert not any("令和8 年度" in t or "令和 8" in t for t in texts)


def test_page11_label_and_value_are_separate_font_spans_in_the_pdf():
    # Checks the fixture: label and value of the budget box are two spans in two fonts.
    import pymupdf

    with pymupdf.open(PDF) as doc:
        spans = [s for b in doc[10].get_text("dict")["blocks"] for ln in b.get("lines", [])
                 for s in ln["spans"]]
    label = [s for s in spans if "令和8年度予算額" in s["text"]]
    value = [s for s in spans if "2,479億円" in s["text"]]
    assert label and value
    assert label[0] is not value[0]
    assert label[0]["font"] != value[0]["font"]


def test_a_line_built_by_hand_gets_a_map_only_when_its_text_is_its_normalized_raw_text():
    """The index map is made from raw_text when asked: for a Line whose text
    is not normalize(raw_text) no map is made up (empty: sources stay empty)."""
    from pipeline.extract import Line
    raw = "ABCプログラム 37億円 (36億円)"
    assert Line(None, 1, "ABCプログラム37億円(36億円)", raw).index_map[:3] == [0, 1, 2]
    by_hand = Line(None, 1, raw, raw)   # text not normalized: the space before 37 is still there
    assert by_hand.index_map == []
    assert source_of(by_hand.raw_text, by_hand.index_map, 0, 3) == ""


@backends
def test_raw_text_is_kept_beside_text(backend):
    line = the_line(page(backend, 5), "(前年度予算額")
    assert line.raw_text == "（前年度予算額"
    assert len(line.index_map) == len(line.text)
    line = the_line(page(backend, 5), "事業実施期間令和4年度~令和8年度")
    assert line.raw_text == "事業実施期間 令和4年度～令和8年度"
    k = line.text.index("~")
    assert source_of(line.raw_text, line.index_map, k, k + 1) == "～"


@backends
def test_pdf_lines_have_positions_and_sizes(backend):
    for p in pdf_pages(backend):
        assert [ln.number for ln in p.lines] == list(range(1, len(p.lines) + 1))
        for ln in p.lines:
            x0, y0, x1, y1 = ln.bbox
            assert x0 < x1 and y0 < y1, ln
            assert ln.font_size and ln.font_size > 0, ln


# ------------------------------------------------------------------ text input

def test_text_input_is_one_unpaged_page():
    pages = text_pages()
    assert len(pages) == 1
    assert pages[0].number is None
    assert all(ln.page is None and ln.bbox is None for ln in pages[0].lines)
    assert len(pages[0].lines) > 300


def test_text_input_markdown_bold_is_gone():
    source = TEXT.read_text(encoding="utf-8")
    assert "**" in source  # the fixture has Markdown bold
    assert not [ln.text for ln in text_pages()[0].lines if "**" in ln.text]


def test_text_line_numbers_are_file_line_numbers():
    file_lines = TEXT.read_text(encoding="utf-8").split("\n")
    line = the_line(text_pages()[0], "生命科学・創薬研究支援基盤事業(BINDS) 37億円(36億円)")
    assert file_lines[line.number - 1] == "- **生命科学・創薬研究支援基盤事業（BINDS） 37億円（36億円）**"
    assert line.raw_text == file_lines[line.number - 1]
    # and every other line too
    wrong = [(ln.number, ln.raw_text) for ln in text_pages()[0].lines
             if file_lines[ln.number - 1] != ln.raw_text]
    assert wrong == []


def test_text_markdown_table_row_becomes_cells():
    texts = [ln.text for ln in text_pages()[0].lines]
    assert "①学習用データセット構築\t④既存モデル評価\t⑦発見・設計支援" in texts
    assert not any(set(t) <= set("|-: \t") for t in texts)  # no table rule survives


def write(tmp_path, name, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def test_form_feeds_are_page_breaks(tmp_path):
    path = write(tmp_path, "paged.txt", "一頁目 37億円\n\f二頁目\n二頁目の二行目\n\f三頁目\n")
    pages = extract_pages(path)
    assert [p.number for p in pages] == [1, 2, 3]
    got = [(p.number, ln.page, ln.number, ln.text) for p in pages for ln in p.lines]
    assert got == [
        (1, 1, 1, "一頁目37億円"),
        (2, 2, 2, "二頁目"),
        (2, 2, 3, "二頁目の二行目"),
        (3, 3, 4, "三頁目"),
    ]


def test_trailing_form_feed_adds_no_page(tmp_path):
    path = write(tmp_path, "pdftotext.txt", "一頁目\n\f二頁目\n\f")
    assert [p.number for p in extract_pages(path)] == [1, 2]


@pytest.mark.parametrize("sep", ["\u2028", "\x0b", "\x85"], ids=["U+2028", "VT", "NEL"])
def test_line_numbers_count_newlines_only(tmp_path, sep):
    path = write(tmp_path, "odd.txt", f"予算{sep}額\n37億円\n")
    (p,) = extract_pages(path)
    assert [(ln.number, ln.text) for ln in p.lines if ln.text == "37億円"] == [(2, "37億円")]


def test_crlf_text_keeps_line_numbers(tmp_path):
    path = write(tmp_path, "crlf.txt", "令和8年度\r\n\r\n予算額 37億円\r\n")
    (p,) = extract_pages(path)
    assert [(ln.number, ln.text) for ln in p.lines] == [(1, "令和8年度"), (3, "予算額37億円")]


@pytest.mark.parametrize("encoding", ["cp932", "shift_jis", "utf-8", "utf-8-sig"])
def test_text_encodings_are_decoded(tmp_path, encoding):
    text = "令和８年度予算額　３７億円\n文部科学省\n"
    path = write(tmp_path, f"{encoding}.txt", text.encode(encoding))
    (p,) = extract_pages(path)
    assert [ln.text for ln in p.lines] == ["令和8年度予算額37億円", "文部科学省"]


def test_cp932_only_characters_are_decoded(tmp_path):
    # ① and 髙 exist in CP932 (Windows Shift_JIS) but not in plain Shift_JIS.
    path = write(tmp_path, "cp932.txt", "① 髙橋研究室 ３億円\n".encode("cp932"))
    (p,) = extract_pages(path)
    assert [ln.text for ln in p.lines] == ["①髙橋研究室3億円"]


def test_undecodable_text_is_a_pipeline_error(tmp_path):
    path = write(tmp_path, "binary-junk.txt", b"\x81\x00\xff\xfe\x80\x81")
    with pytest.raises(PipelineError, match="binary-junk.txt"):
        extract_pages(path)


# ------------------------------------------------------------------ errors

def _missing(tmp_path):
    return tmp_path / "missing-release.pdf"


def _directory(tmp_path):
    d = tmp_path / "folder-release.pdf"
    d.mkdir()
    return d


def _empty(tmp_path):
    return write(tmp_path, "empty-release.pdf", b"")


def _not_pdf(tmp_path):
    return write(tmp_path, "fake-release.pdf", "これはPDFではありません\n")


def _empty_text(tmp_path):
    return write(tmp_path, "empty-release.txt", b"")


def _unsupported(tmp_path):
    return write(tmp_path, "release.docx", b"PK\x03\x04")


@backends
@pytest.mark.parametrize("make", [_missing, _directory, _empty, _not_pdf, _empty_text, _unsupported],
                         ids=["missing", "directory", "empty-pdf", "not-a-pdf", "empty-text", "unsupported"])
def test_bad_inputs_raise_pipeline_error_naming_the_file(tmp_path, backend, make):
    path = make(tmp_path)
    with pytest.raises(PipelineError) as err:
        extract_pages(path, backend)
    assert path.name in str(err.value)


def test_unknown_backend_is_a_pipeline_error():
    with pytest.raises(PipelineError, match="unknown backend"):
        extract_pages(PDF, "tesseract")
