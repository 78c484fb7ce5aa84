"""Hostile but fair content (issue 13): one figure of the bundled text written
in a way a converter or a careless hand may produce — a zero-width or format
character inside it, digits that are no number, an amount no budget can
have, a delta line. The figure is read right or left out with a warning; it
never crashes the run and never changes the program, stage or year of any
other figure of the release.

The expected facts are the bundled text's own (the session's extraction of
the unchanged file, which matches the hand-verified golden).
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import RAW_TEXT, run_cli

OKU = 10**8
TOTAL_DRAFT = ("総額", "initial", "draft", "2026")     # 令和8年度予算額（案） 852億円, line 67 of the text
LINE = "令和8年度予算額（案） 852億円"


def facts(folder: Path) -> dict[tuple, str]:
    """(program, budget, stage, fiscal_year) -> amount_yen, as amounts.csv holds them."""
    with open(folder / "amounts.csv", encoding="utf-8-sig", newline="") as f:
        return {(r["program"], r["budget"], r["stage"], r["fiscal_year"]): r["amount_yen"] for r in csv.DictReader(f)}


def extract_variant(tmp_path: Path, old: str, new: str):
    text = RAW_TEXT.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    src = tmp_path / "release.txt"
    src.write_text(text.replace(old, new), encoding="utf-8")
    r = run_cli("extract", src, "--out", tmp_path / "out", "--lenient")
    assert "Traceback" not in r.stderr, r.stderr
    return r, tmp_path / "out" / "release"


@pytest.fixture(scope="module")
def expected(bundled) -> dict[tuple, str]:
    got = facts(bundled["text"])
    assert got[TOTAL_DRAFT] == str(852 * OKU) and len(got) == 56
    return got


INVISIBLE = {
    "ZWJ before the unit": "852\u200d億円",
    "ZWSP inside the digits": "85\u200b2億円",
    "WORD JOINER": "8\u206052億円",
    "BOM": "\ufeff852億円",
    "SOFT HYPHEN": "85\u00ad2億円",
    "LEFT-TO-RIGHT MARK": "\u200e852億円",
    "RIGHT-TO-LEFT EMBEDDING and POP": "\u202b852\u202c億円",
    "LINE SEPARATOR inside the unit": "852億\u2028円",
    "PARAGRAPH SEPARATOR before the unit": "852\u2029億円",
}


@pytest.mark.parametrize("how", INVISIBLE)
def test_an_invisible_character_inside_a_figure_is_ignored(tmp_path, expected, how):
    r, folder = extract_variant(tmp_path, LINE, "令和8年度予算額（案） " + INVISIBLE[how])
    assert r.returncode == 0, r.stderr
    assert facts(folder) == expected


NOT_A_NUMBER = {
    "a space between digits": "85 2億円",
    "commas that are no thousands grouping": "1,2,3,4,5,6,7,8億円",
    "a comma group of two digits": "8,52億円",
}


@pytest.mark.parametrize("how", NOT_A_NUMBER)
def test_digits_that_are_no_number_give_no_figure_and_change_no_other(tmp_path, expected, how):
    r, folder = extract_variant(tmp_path, LINE, "令和8年度予算額（案） " + NOT_A_NUMBER[how])
    assert r.returncode in (0, 8), r.stderr
    got = facts(folder)
    assert TOTAL_DRAFT not in got
    assert got == {k: v for k, v in expected.items() if k != TOTAL_DRAFT}


@pytest.mark.parametrize("amount", ["99999999999999兆円", "9223372036854775808円", "20000000000000000円"])
def test_an_implausible_amount_is_refused_with_a_warning(tmp_path, expected, amount):
    r, folder = extract_variant(tmp_path, LINE, "令和8年度予算額（案） " + amount)
    assert r.returncode in (0, 8), r.stderr
    assert "implausible" in r.stderr and amount in r.stderr, r.stderr
    got = facts(folder)
    assert TOTAL_DRAFT not in got
    assert got == {k: v for k, v in expected.items() if k != TOTAL_DRAFT}


def test_a_large_amount_is_kept_exact_not_through_a_float(tmp_path, expected):
    r, folder = extract_variant(tmp_path, LINE, "令和8年度予算額（案） 9007199254740993円")
    assert r.returncode in (0, 8), r.stderr
    got = facts(folder)
    assert got[TOTAL_DRAFT] == "9007199254740993"          # a float would give ...992
    rows = json.loads((folder / "amounts.json").read_text(encoding="utf-8"))
    assert 9007199254740993 in {row["amount_yen"] for row in rows}
    assert {k: v for k, v in got.items() if k != TOTAL_DRAFT} == {k: v for k, v in expected.items() if k != TOTAL_DRAFT}


@pytest.mark.parametrize("line", ["対前年度 △5億円", "対前年度比 ▲5億円", "増減 +2億円", "比較 △1億円"])
def test_a_delta_line_is_neither_a_program_nor_a_budget(tmp_path, expected, line):
    r, folder = extract_variant(tmp_path, "（前年度予算額 850億円）", "（前年度予算額 850億円）\n" + line)
    assert r.returncode == 0, r.stderr
    assert facts(folder) == expected


# ------------------------------------------------------------ size and time

def test_a_text_joined_into_one_line_is_cut_into_bounded_lines(tmp_path):
    """The bundled text as one 15,000-character line (a converter that joined
    the lines): it is cut into lines of at most 1,000 characters, with a
    warning, so every per-line step stays linear (the run took 55 s at 8x)."""
    from pipeline.extract import MAX_LINE_CHARS, extract_pages
    src = tmp_path / "joined.txt"
    src.write_text(RAW_TEXT.read_text(encoding="utf-8").replace("\n", " ").replace("\f", " ") * 4, encoding="utf-8")
    pages = extract_pages(src)
    lines = [ln for p in pages for ln in p.lines]
    assert max(len(ln.raw_text) for ln in lines) <= MAX_LINE_CHARS
    assert len(lines) >= 4 * 15_000 // MAX_LINE_CHARS
    assert any("characters cut into" in w for p in pages for w in p.warnings)
    r = run_cli("extract", src, "--out", tmp_path / "out", "--lenient", timeout=120)
    assert r.returncode == 0, r.stderr
    assert "characters cut into" in r.stderr


def test_a_text_input_over_the_size_limit_is_refused(tmp_path):
    src = tmp_path / "huge.txt"
    with open(src, "wb") as f:
        f.truncate(20_000_001)         # sparse: no 20 MB written
    r = run_cli("extract", src, "--out", tmp_path / "out")
    assert "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [f"error: {src}: text input is 20,000,001 bytes; at most 20,000,000 "
                                     "(split it, or extract the PDF itself)"]
    assert r.returncode == 9
    assert not (tmp_path / "out").exists()


def test_a_release_over_its_time_budget_stops_with_its_own_exit_code(tmp_path):
    out = tmp_path / "out"
    src = tmp_path / "release.txt"
    src.write_text(RAW_TEXT.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("extract", src, "--out", out).returncode == 0
    before = {p.name: p.read_bytes() for p in (out / "release").iterdir()}
    r = run_cli("extract", src, "--out", out, "--timeout", "0.001")
    assert "Traceback" not in r.stderr
    assert r.stderr.splitlines() == [f"error: {src}: stopped after its time budget of 0.001 s (--timeout); "
                                     "its earlier output is left as it was"]
    assert r.returncode == 10
    assert {p.name: p.read_bytes() for p in (out / "release").iterdir()} == before
