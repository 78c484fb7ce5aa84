"""Facts: the bundled release and the fixture release against their
hand-written goldens, the semantics the issue spells out, and small made-up
releases that guard generality (they share no name or figure with the
bundled release)."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from conftest import RAW_PDF as PDF, RAW_TEXT as TEXT, ROOT
from pipeline.extract import extract_pages
from pipeline.facts import AMOUNT_COLUMNS, PROGRAM_COLUMNS, extract_facts
from pipeline.normalize import normalize
from pipeline.parse import parse_amount
from pipeline.rules import load_rules

FIX_PDF = ROOT / "tests" / "fixtures" / "releases" / "moe-kankyo-r9-request-2026-08-29.pdf"
FIX_MD = ROOT / "tests" / "fixtures" / "releases" / "moe-kankyo-r9-request-2026-08-29-text.md"
INPUTS = [PDF, TEXT, FIX_PDF, FIX_MD]
OKU = 10**8
RULE_SUFFIXES = ("inline", "bracket", "arrow", "sentence", "box", "order", "governed", "table", "slide", "note")

BIOBANK = "次世代医療実現バイオバンク利活用プログラム"
BINDS = "生命科学・創薬研究支援基盤事業(BINDS)"
SEDAI = "「世代をつなぐ生命科学」に関する研究"


@functools.cache
def pages_of(path: Path):
    return extract_pages(path)


@functools.cache
def facts_of(path: Path):
    return extract_facts(pages_of(path), path.stem)


def rows(table, **where):
    return [r for r in table if all(r[k] == v for k, v in where.items())]


def one(table, **where):
    found = rows(table, **where)
    assert len(found) == 1, f"{len(found)} rows with {where}: {found}"
    return found[0]


# ------------------------------------------------------------ golden

@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_matches_golden(path):
    from pipeline.validate import compare_golden, golden_dir_for
    golden = golden_dir_for(path)
    assert golden is not None and (golden / "amounts.csv").is_file(), f"no golden for {path.name}"
    pages = pages_of(path)
    amounts, programs, _, _ = facts_of(path)
    paged = pages[0].number is not None
    assert paged == (path.suffix == ".pdf")
    result = compare_golden(amounts, programs, golden, paged)
    if not result["ok"]:
        for table in ("amounts", "programs"):
            for kind in ("missing", "extra", "mismatches"):
                for item in result[table][kind]:
                    print(f"{table} {kind}: {item}")
    assert result["ok"]
    assert result["amounts"]["compared"] > 0 and result["programs"]["compared"] > 0


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_no_conflicting_mentions(path):
    _, _, _, conflicts = facts_of(path)
    assert conflicts == []


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_rows_have_every_column_and_one_row_per_fact(path):
    amounts, programs, _, _ = facts_of(path)
    assert all(list(r) == AMOUNT_COLUMNS for r in amounts)
    assert all(list(r) == PROGRAM_COLUMNS for r in programs)
    keys = [(r["program"], r["budget"], r["stage"], r["fiscal_year"]) for r in amounts]
    assert len(keys) == len(set(keys))
    assert len({p["program"] for p in programs}) == len(programs)
    assert {r["release"] for r in amounts + programs} == {path.stem}
    known = {p["program"] for p in programs}
    assert {r["program"] for r in amounts} <= known
    assert {r["parent"] for r in amounts if r["parent"]} <= known


# ------------------------------------------------------------ provenance

def page_lines(path: Path) -> dict:
    """page -> raw lines (text input: page None -> every line of the file)."""
    if path.suffix == ".pdf":
        return {p.number: [ln.raw_text for ln in p.lines] for p in pages_of(path)}
    return {None: path.read_text(encoding="utf-8").split("\n")}


@pytest.mark.parametrize("table", ["amounts", "observations"])
@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_source_is_raw_text_of_its_page(path, table):
    """The README: `source` is the exact raw text matched, label and value
    joined by a newline when they sit in separate boxes. So each piece is
    verbatim raw text of one line of the page the row names."""
    amounts, _, observations, _ = facts_of(path)
    lines = page_lines(path)
    bad = []
    for r in amounts if table == "amounts" else observations:
        assert r["source"] and r["rule"], r
        pieces = r["source"].split("\n")
        if not all(p and any(p in ln for ln in lines[r["page"]]) for p in pieces):
            bad.append((r["program"], r["page"], r["source"]))
    assert bad == []


OPENING, CLOSING = "(（[［【〔「『", ")）]］】〕」』"


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_source_keeps_the_whole_bracket(path):
    """A source that opens a bracket its line closes ends at that close:
    「…37億円（36億円）」, never 「…37億円（36億円」."""
    amounts, _, observations, _ = facts_of(path)
    lines = page_lines(path)
    cut = []
    for r in amounts + observations:
        last = r["source"].split("\n")[-1]
        opened = sum(c in OPENING for c in last) - sum(c in CLOSING for c in last)
        line = next(ln for ln in lines[r["page"]] if last in ln)
        rest = line[line.index(last) + len(last):]
        if opened > 0 and any(c in CLOSING for c in rest):
            cut.append(r["source"])
    assert cut == []
    assert any("億円（" in r["source"] and r["source"].endswith("億円）") for r in amounts)


@pytest.mark.parametrize("path", [PDF, FIX_PDF], ids=["mext", "moe"])
def test_single_line_source_occurs_in_the_joined_page_text(path):
    amounts, _, _, _ = facts_of(path)
    pages = {p.number: "\n".join(ln.raw_text for ln in p.lines) for p in pages_of(path)}
    for r in amounts:
        if "\n" not in r["source"] or r["rule"].endswith("@note"):
            assert r["source"] in pages[r["page"]], r


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_source_states_the_amount_and_rule_exists(path):
    rules = load_rules()
    amounts, _, observations, _ = facts_of(path)
    for r in amounts + observations:
        rid, _, how = r["rule"].partition("@")
        assert rid in rules and how in RULE_SUFFIXES, r["rule"]
        text = normalize(r["source"].replace("\n", " "))
        found = [parse_amount(m.group(0)) for m in rules["amount.yen"]["re_pattern"].finditer(text)]
        assert r["amount_yen"] in found, (r["program"], r["source"], r["amount_yen"])


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_amount_row_is_the_first_observation(path):
    amounts, _, observations, _ = facts_of(path)
    for a in amounts:
        obs = rows(observations, program=a["program"], budget=a["budget"], stage=a["stage"],
                   fiscal_year=a["fiscal_year"])
        assert obs and a["amount_yen"] in {o["amount_yen"] for o in obs}
        if a["page"] is not None:
            assert a["page"] == min(o["page"] for o in obs)


# ------------------------------------------------------------ semantics on the bundled PDF

@pytest.fixture(scope="module")
def mext():
    return facts_of(PDF)


def test_draft_label_with_new(mext):
    # 令和8年度予算額（案） 41億円（新規）
    amounts = mext[0]
    r = one(amounts, program=BIOBANK, budget="initial", stage="draft", fiscal_year=2026)
    assert r["amount_yen"] == 41 * OKU
    assert r["new"] is True and r["portion"] is False and r["approx"] is False
    assert rows(amounts, program=BIOBANK, budget="initial", stage="enacted") == []   # 新規: no prior year


def test_bracketed_figure_is_the_prior_year(mext):
    # 37億円（36億円）
    amounts = mext[0]
    assert one(amounts, program=BINDS, budget="initial", stage="draft", fiscal_year=2026)["amount_yen"] == 37 * OKU
    prior = one(amounts, program=BINDS, budget="initial", stage="enacted", fiscal_year=2025)
    assert prior["amount_yen"] == 36 * OKU
    assert prior["new"] is False


def test_supplementary_label_with_year(mext):
    # 【令和7年度補正予算額 43億円】
    r = one(mext[0], program=BIOBANK, budget="supplementary")
    assert (r["stage"], r["fiscal_year"], r["amount_yen"]) == ("enacted", 2025, 43 * OKU)


def test_portion_keeps_the_amount(mext):
    # 106億円の内数（108億円の内数）
    amounts = mext[0]
    draft = one(amounts, program=SEDAI, budget="initial", stage="draft", fiscal_year=2026)
    assert draft["amount_yen"] == 10_600_000_000 and draft["portion"] is True
    prior = one(amounts, program=SEDAI, budget="initial", stage="enacted", fiscal_year=2025)
    assert prior["amount_yen"] == 108 * OKU and prior["portion"] is True


@pytest.mark.parametrize("program,parent,budget,stage,year,oku", [
    ("総額", "", "initial", "draft", 2026, 852),
    ("総額", "", "initial", "enacted", 2025, 850),
    ("AMED", "総額", "initial", "draft", 2026, 583),
    ("AMED", "総額", "initial", "enacted", 2025, 583),
    ("総額", "", "supplementary", "enacted", 2025, 176),
])
def test_totals(mext, program, parent, budget, stage, year, oku):
    amounts, programs, _, _ = mext
    r = one(amounts, program=program, budget=budget, stage=stage, fiscal_year=year)
    assert r["amount_yen"] == oku * OKU and r["parent"] == parent
    p = one(programs, program=program)
    assert p["level"] == "total" and p["parent"] == parent and p["category"] == ""


def test_only_the_two_totals_are_level_total(mext):
    assert sorted(p["program"] for p in mext[1] if p["level"] == "total") == ["AMED", "総額"]


def test_first_mention_page_and_every_mention_kept(mext):
    amounts, _, observations, _ = mext
    for stage, year in (("draft", 2026), ("enacted", 2025)):
        assert one(amounts, program=BINDS, budget="initial", stage=stage, fiscal_year=year)["page"] == 3
        obs = rows(observations, program=BINDS, budget="initial", stage=stage, fiscal_year=year)
        assert {o["page"] for o in obs} == {3, 5}
        assert len({o["amount_yen"] for o in obs}) == 1


def test_observations_are_a_superset_of_amounts(mext):
    amounts, _, observations, _ = mext
    def key(r):
        return (r["program"], r["budget"], r["stage"], r["fiscal_year"], r["amount_yen"], r["page"])
    assert {key(a) for a in amounts} <= {key(o) for o in observations}
    assert len(observations) > len(amounts)


@pytest.mark.parametrize("yen", [5_000_000, 7_000_000, 21 * 10**12, 76 * OKU],
                         ids=["500万円程度/件", "年間700万円", "約21兆円", "76億円を別途計上"])
def test_non_budget_amounts_are_not_facts(mext, yen):
    amounts, _, observations, _ = mext
    assert [r for r in amounts + observations if r["amount_yen"] == yen] == []


@pytest.mark.parametrize("marker", ["程度/件", "支援規模", "年間700", "兆円", "別途計上", "件程度"])
def test_non_budget_lines_are_no_source(mext, marker):
    amounts, _, observations, _ = mext
    assert [r["source"] for r in amounts + observations if marker in r["source"]] == []


def test_the_per_award_and_market_lines_are_in_the_pdf():
    """Guard for the two tests above: the non-budget figures really are on the slides."""
    raw = "\n".join(ln.raw_text for p in pages_of(PDF) for ln in p.lines)
    for text in ("20億円程度/件", "500万円程度/件", "年間700万円", "約21兆円", "76億円を別途計上"):
        assert text in normalize(raw) or text in raw, text


def test_no_approximate_figures_in_the_bundled_release(mext):
    # the only 約/程度 amounts on its slides are per-award sizes and a market size
    assert [r for r in mext[0] + mext[2] if r["approx"]] == []


# ------------------------------------------------------------ made-up releases

OVERVIEW = """# 海洋研究分野の令和9年度概算要求・令和8年度補正予算（案）について

2026年8月30日

海洋庁
海洋局総務課

## 海洋研究の推進

令和9年度要求・要望額 300億円
（前年度予算額 280億円）

海洋観測の推進

- **海洋観測基盤整備事業 120億円（110億円）**

全国の観測網を維持し、観測データを公開する。

- **深海探査技術開発事業 100億円（95億円）**

- **{third}**

（担当：海洋局総務課）

"""
THIRD = "沿岸生態系保全研究 80億円（75億円）"
DETAIL = "海底資源調査事業"


def made_up(tmp_path: Path, detail: str = "", third: str = THIRD):
    """A minimal release: title naming the year, an overview budget box, a
    category heading and three program lines, then one detail slide."""
    path = tmp_path / "kaiyo-r9-request-2026-08-30.md"
    path.write_text(OVERVIEW.format(third=third) + detail, encoding="utf-8")
    return extract_facts(extract_pages(path), path.stem)


def detail_slide(*lines: str, title: str = DETAIL) -> str:
    return "\n\n".join([f"## {title}", *lines, "（担当：海洋局資源課）"]) + "\n"


def test_made_up_overview(tmp_path):
    amounts, programs, _, conflicts = made_up(tmp_path)
    assert conflicts == []
    facts = {(r["program"], r["budget"], r["stage"], r["fiscal_year"]): r["amount_yen"] for r in amounts}
    assert facts == {
        ("総額", "initial", "request", 2027): 300 * OKU,
        ("総額", "initial", "enacted", 2026): 280 * OKU,
        ("海洋観測基盤整備事業", "initial", "request", 2027): 120 * OKU,
        ("海洋観測基盤整備事業", "initial", "enacted", 2026): 110 * OKU,
        ("深海探査技術開発事業", "initial", "request", 2027): 100 * OKU,
        ("深海探査技術開発事業", "initial", "enacted", 2026): 95 * OKU,
        ("沿岸生態系保全研究", "initial", "request", 2027): 80 * OKU,
        ("沿岸生態系保全研究", "initial", "enacted", 2026): 75 * OKU,
    }
    assert one(programs, program="総額")["level"] == "total"
    assert one(programs, program="総額")["office"] == "海洋局総務課"
    for name in ("海洋観測基盤整備事業", "深海探査技術開発事業", "沿岸生態系保全研究"):
        p = one(programs, program=name)
        assert (p["level"], p["category"], p["parent"]) == ("program", "海洋観測の推進", "")


def detail_fact(tmp_path, *lines, third=THIRD):
    amounts, programs, observations, conflicts = made_up(tmp_path, detail_slide(*lines), third)
    assert conflicts == []
    return rows(amounts, program=DETAIL), programs, amounts


def test_label_and_value_separated_by_other_lines(tmp_path):
    facts, programs, _ = detail_fact(
        tmp_path, "令和9年度要求・要望額", "※運営費交付金中の推計額含む",
        "海底資源の分布と賦存量を調査する。", "88億円")
    assert [(r["budget"], r["stage"], r["fiscal_year"], r["amount_yen"]) for r in facts] == \
        [("initial", "request", 2027, 88 * OKU)]
    assert facts[0]["source"].split("\n") == ["令和9年度要求・要望額", "88億円"]
    assert one(programs, program=DETAIL)["office"] == "海洋局資源課"


@pytest.mark.parametrize("line,budget,stage,year,yen", [
    ("令和8年度補正予算額（案） 12億円", "supplementary", "draft", 2026, 12 * OKU),
    ("令和6年度第2次補正予算額 7億円", "supplementary", "enacted", 2024, 7 * OKU),
    ("令和元年度補正予算額 5億円", "supplementary", "enacted", 2019, 5 * OKU),
    ("令和9年度概算要求額 88億円", "initial", "request", 2027, 88 * OKU),
    ("令和9年度要求・要望額 ８８億円（新規）", "initial", "request", 2027, 88 * OKU),
    ("令和9年度要求・要望額 3兆26億円", "initial", "request", 2027, 3_002_600_000_000),
])
def test_detail_budget_box(tmp_path, line, budget, stage, year, yen):
    facts, _, _ = detail_fact(tmp_path, line, "海底資源の分布と賦存量を調査する。")
    assert [(r["budget"], r["stage"], r["fiscal_year"], r["amount_yen"]) for r in facts] == \
        [(budget, stage, year, yen)]
    assert facts[0]["new"] is ("新規" in line)


def test_hyakuman_yen_program_line(tmp_path):
    amounts, _, _, conflicts = made_up(tmp_path, third="沿岸生態系保全研究 850百万円（800百万円）")
    assert conflicts == []
    got = {(r["stage"], r["fiscal_year"]): r["amount_yen"] for r in rows(amounts, program="沿岸生態系保全研究")}
    assert got == {("request", 2027): 850_000_000, ("enacted", 2026): 800_000_000}


def test_kanji_amount_in_a_header_line(tmp_path):
    amounts, _, _, conflicts = made_up(tmp_path, third="沿岸生態系保全研究 三十五億円（三十億円）")
    assert conflicts == []
    got = {(r["stage"], r["fiscal_year"]): r["amount_yen"] for r in rows(amounts, program="沿岸生態系保全研究")}
    assert got == {("request", 2027): 35 * OKU, ("enacted", 2026): 30 * OKU}


def test_kanji_amounts_in_component_lines(tmp_path):
    _, programs, amounts = detail_fact(
        tmp_path, "令和9年度要求・要望額 八十八億円（八十億円）",
        "① 観測網整備 二十億円（十八億円）", "② 解析高度化 六十八億円")
    got = {(r["program"], r["parent"], r["stage"], r["fiscal_year"]): r["amount_yen"]
           for r in amounts if r["program"] in (DETAIL, "観測網整備", "解析高度化")}
    assert got == {
        (DETAIL, "", "request", 2027): 88 * OKU, (DETAIL, "", "enacted", 2026): 80 * OKU,
        ("観測網整備", DETAIL, "request", 2027): 20 * OKU, ("観測網整備", DETAIL, "enacted", 2026): 18 * OKU,
        ("解析高度化", DETAIL, "request", 2027): 68 * OKU,
    }
    for name in ("観測網整備", "解析高度化"):
        assert one(programs, program=name)["level"] == "component"


def test_kanji_increase_in_prose_is_no_fact(tmp_path):
    _, _, amounts = detail_fact(
        tmp_path, "令和9年度要求・要望額 15億円",
        "- 令和9年度は、観測経費を前年度から二億円増額し、調査海域を拡大する。")
    assert [r for r in amounts if r["amount_yen"] == 2 * OKU] == []
    assert [(r["stage"], r["amount_yen"]) for r in rows(amounts, program=DETAIL)] == [("request", 15 * OKU)]


def test_per_award_size_and_market_size_are_no_facts(tmp_path):
    _, _, amounts = detail_fact(
        tmp_path, "令和9年度要求・要望額 15億円", "支援規模：3,000万円程度/件",
        "海洋資源の市場規模は約5兆円と推計。", "※別途、観測船の整備として9億円を別途計上。")
    assert sorted(r["amount_yen"] for r in rows(amounts, program=DETAIL)) == [15 * OKU]
    assert [r for r in amounts if r["amount_yen"] in (30_000_000, 5 * 10**12, 9 * OKU)] == []


def test_dash_is_no_amount(tmp_path):
    facts, _, _ = detail_fact(tmp_path, "令和9年度要求・要望額 88億円（前年度予算額 ―）")
    assert [(r["stage"], r["amount_yen"]) for r in facts] == [("request", 88 * OKU)]


def test_period_with_wave_dash(tmp_path):
    _, programs, _ = detail_fact(tmp_path, "令和9年度要求・要望額 15億円", "事業実施期間 令和3〜11年度")
    p = one(programs, program=DETAIL)
    assert (p["period_start"], p["period_end"]) == (2021, 2029)


def test_approx_mark_is_not_part_of_the_name(tmp_path):
    amounts, programs, _, _ = made_up(tmp_path, third="沿岸生態系保全研究 約80億円（75億円）")
    assert "沿岸生態系保全研究" in {p["program"] for p in programs}
    assert not [p for p in programs if p["program"].endswith("約")]
    r = one(amounts, program="沿岸生態系保全研究", stage="request")
    assert r["amount_yen"] == 80 * OKU and r["approx"] is True


def test_bracket_after_approx_amount_is_the_prior_year(tmp_path):
    amounts, _, _, conflicts = made_up(tmp_path, third="沿岸生態系保全研究 80億円程度（75億円）")
    assert conflicts == []
    got = {(r["stage"], r["fiscal_year"]): (r["amount_yen"], r["approx"])
           for r in rows(amounts, program="沿岸生態系保全研究")}
    assert got == {("request", 2027): (80 * OKU, True), ("enacted", 2026): (75 * OKU, False)}


@pytest.mark.parametrize("path", [
    ROOT / "raw" / "mext-lifescience-r8-draft-2026-01-20.pdf",
    ROOT / "tests" / "fixtures" / "releases" / "moe-kankyo-r9-request-2026-08-29.pdf",
], ids=["bundled", "fixture"])
def test_pdfplumber_backend_gives_the_golden_records_too(path):
    """The second backend reads lines in drawing order as the default one does,
    so the same rules give the same records."""
    from pipeline.validate import compare_golden, golden_dir_for
    amounts, programs, _, _ = extract_facts(extract_pages(path, backend="pdfplumber"), path.stem)
    report = compare_golden(amounts, programs, golden_dir_for(path), paged=True)
    assert report["ok"], {t: {k: report[t][k] for k in ("missing", "extra", "mismatches")}
                          for t in ("amounts", "programs")}


def _converted(tmp_path, name: str, pages: list[str]) -> Path:
    path = tmp_path / f"{name}.txt"
    path.write_text("\f".join(pages), encoding="utf-8")
    return path


def test_text_from_another_converter_with_page_breaks_gives_the_golden_with_pages(tmp_path):
    """Plain text as PyMuPDF's converter writes it (one page per form feed, no
    Markdown): the same 56 facts, and the pages come from the form feeds."""
    import pymupdf

    from pipeline.validate import compare_golden
    with pymupdf.open(ROOT / "raw" / "mext-lifescience-r8-draft-2026-01-20.pdf") as doc:
        path = _converted(tmp_path, "converted", [p.get_text() for p in doc])
    pages = extract_pages(path)
    assert [p.number for p in pages] == list(range(1, 14))
    amounts, programs, _, _ = extract_facts(pages, path.stem)
    report = compare_golden(amounts, programs, ROOT / "tests" / "golden" / "mext-lifescience-r8-draft-2026-01-20",
                            paged=True)
    assert report["ok"], {t: {k: report[t][k] for k in ("missing", "extra", "mismatches")}
                          for t in ("amounts", "programs")}


def test_text_whose_converter_merged_two_columns_fails_validation_loudly(tmp_path):
    """pdfplumber's extract_text puts the overview's two columns on one line: the
    figures cannot be attributed from text alone. The run must not pass quietly:
    self-consistency reports the conflicts."""
    import subprocess
    import sys

    import pdfplumber
    with pdfplumber.open(ROOT / "raw" / "mext-lifescience-r8-draft-2026-01-20.pdf") as pdf:
        path = _converted(tmp_path, "merged-columns", [p.extract_text() or "" for p in pdf.pages])
    out = tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(path), "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 8, r.stderr   # every output written, then the documented exit for a failed validation
    assert "validation failed" in r.stdout
    import json
    report = json.loads((out / path.stem / "validation.json").read_text(encoding="utf-8"))
    assert any(c["status"] == "error" and c["check"] == "mentions agree" for c in report["checks"])


def test_a_dash_in_the_value_box_uses_up_its_label(tmp_path):
    """「令和7年度補正予算額」 over 「－」: no supplementary figure, and the label is
    not left waiting to pair with the next figure (the component 20億円 below)."""
    text = "\n".join([
        "環境研究分野の令和9年度概算要求について",
        "令和9年度要求・要望額 100億円", "(前年度予算額 90億円)",
        "分野A", "甲事業 40億円(30億円)", "乙事業 30億円(30億円)", "丙事業 30億円(30億円)",
        "(担当:総務課)",
        "甲事業", "令和9年度要求・要望額", "40億円", "令和8年度補正予算額", "－",
        "「基盤型」", "20億円", "(担当:研究課)",
    ])
    path = tmp_path / "dash.md"
    path.write_text(text, encoding="utf-8")
    amounts, _, _, _ = extract_facts(extract_pages(path), "dash")
    rows = {(a["program"], a["budget"], a["stage"], a["fiscal_year"]): a["amount_yen"] for a in amounts}
    assert not [k for k in rows if k[1] == "supplementary"], rows
    assert rows[("基盤型", "initial", "request", 2027)] == 2_000_000_000


def test_filler_matches_what_regex_matched():
    """FILLER is compiled with re and spells out the White_Space characters:
    it must match exactly the characters that regex's \\s class matched."""
    import regex

    from pipeline.facts.lines import FILLER
    before = regex.compile(r"[\s:()\[\]【】〈〉《》〔〕「」『』・,、]")
    differ = [hex(cp) for cp in range(0x110000) if bool(FILLER.match(chr(cp))) != bool(before.match(chr(cp)))]
    assert differ == []
