"""Years and amounts in the forms real pages write them, read end to end
(text in, records out): the year from a title when the box gives only the
stage, era-less and western years, 元年, ranges with the era once, kanji
numerals, 兆+億 and 億+万, decreases, +事項要求; and a page that names no year
at all is read, not refused, with its figures' year left empty."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import extract_pages
from pipeline.facts import extract_facts

OKU = 10**8


def facts_of(tmp_path: Path, *lines: str):
    path = tmp_path / "page.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return extract_facts(extract_pages(path), "page")


def one(facts) -> tuple:
    [a] = facts.amounts
    return a["program"], a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]


@pytest.mark.parametrize("title, box, year, stage", [
    ("08 科学技術・学術政策局主要事項 -令和8年度科学技術関係概算要求- (19 ページ)", "要求・要望額 22億円", 2026, "request"),
    ("令和4年度厚生労働省予算案の主要事項", "予算額(案) 22億円", 2022, "draft"),
    ("2023年度 概算要求の概要", "要求額 22億円", 2023, "request"),
], ids=["deck-title", "ministry-title", "western-year"])
def test_the_year_comes_from_the_title_when_the_box_gives_only_the_stage(tmp_path, title, box, year, stage):
    assert one(facts_of(tmp_path, title, "海洋観測推進事業", box)) == \
        ("海洋観測推進事業", "initial", stage, year, 22 * OKU)


@pytest.mark.parametrize("label, budget, stage, year", [
    ("7年度補正予算額", "supplementary", "enacted", 2025),     # era-less, in a 令和 release
    ("令和元年度補正予算額", "supplementary", "enacted", 2019),
    ("平成31年度予算額", "initial", "enacted", 2019),           # 平成31 = 令和元
    ("平成元年度予算額", "initial", "enacted", 1989),
    ("2023年度予算額", "initial", "enacted", 2023),
])
def test_year_forms(tmp_path, label, budget, stage, year):
    f = facts_of(tmp_path, "令和8年度予算案について", "海洋観測推進事業", f"{label} 10億円")
    assert one(f) == ("海洋観測推進事業", budget, stage, year, 10 * OKU)


@pytest.mark.parametrize("written, yen", [
    ("二千三百七十九億円", 2379 * OKU),
    ("四兆三三二億円", 4_033_200_000_000),
    ("1兆1,850億円", 1_185_000_000_000),
    ("91億5500万円", 9_155_000_000),
    ("861億0700万円", 86_107_000_000),
    ("9.2億円", 920_000_000),
    ("5,636百万円", 5_636_000_000),
    ("1,234,567千円", 1_234_567_000),
])
def test_amount_forms(tmp_path, written, yen):
    f = facts_of(tmp_path, "令和8年度予算案について", "海洋観測推進事業", f"令和8年度予算額(案) {written}")
    assert one(f) == ("海洋観測推進事業", "initial", "draft", 2026, yen)


def test_a_range_with_the_era_once_is_the_period(tmp_path):
    f = facts_of(tmp_path, "令和8年度予算案について", "海洋観測推進事業", "令和8年度予算額(案) 10億円",
                 "事業実施期間 令和3~11年度")
    [p] = [p for p in f.programs if p["program"] == "海洋観測推進事業"]
    assert (p["period_start"], p["period_end"]) == (2021, 2029)


def test_a_decrease_is_no_budget_and_plus_unquantified_is_a_flag(tmp_path):
    f = facts_of(tmp_path, "令和8年度概算要求について", "宇宙開発推進事業",
                 "令和8年度要求・要望額 2,060億円+事項要求", "比較増減 △5億円", "対前年度 ▲3億円")
    [a] = f.amounts
    assert (a["amount_yen"], a["plus_unquantified"]) == (2060 * OKU, True)


def test_a_page_that_names_no_year_is_read_with_the_year_left_empty(tmp_path):
    """Not refused: the figure is written with its year and stage empty, marked
    conflict, and a warning says so."""
    f = facts_of(tmp_path, "海洋観測推進事業", "予算額 10億円")
    [a] = f.amounts
    assert (a["program"], a["fiscal_year"], a["amount_yen"], a["check"]) == ("海洋観測推進事業", None, 10 * OKU,
                                                                            "conflict")
    assert any("no budget year found" in w for w in f.warnings)
