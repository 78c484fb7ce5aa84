"""Layouts real slides use, one fixture each: PDFs where the layout is about
positions (tests/fixtures/layouts/, drawn by make_layouts.py, expected
records typed by hand from the drawn pages), small texts where it is about
the order a converter writes the lines in (made up here, with the records a
reader would write). Real pages of each kind are in tests/test_realtext.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from pipeline.extract import extract_pages
from pipeline.facts import extract_facts
from pipeline.validate import compare_golden, golden_dir_for

LAYOUTS = ROOT / "tests" / "fixtures" / "layouts"
PDFS = sorted(LAYOUTS.glob("*.pdf"))
OKU = 10**8


@pytest.mark.parametrize("backend", ["pymupdf", "pdfplumber"])
@pytest.mark.parametrize("path", PDFS, ids=[p.stem for p in PDFS])
def test_pdf_layout_gives_its_hand_written_records(path, backend):
    """Each one-slide layout gives its expected records, and the bundled
    release re-laid out (16:9, the overview in table cells, values drawn
    before their labels, fullwidth digits, a title over two lines) gives the
    bundled release's golden exactly, pages included."""
    facts = extract_facts(extract_pages(path, backend), path.stem)
    report = compare_golden(facts.amounts, facts.programs, golden_dir_for(path), paged=True)
    assert report["ok"], {t: {k: report[t][k] for k in ("missing", "extra", "mismatches") if report[t][k]}
                          for t in ("amounts", "programs") if t in report}


def test_the_fixture_set_is_complete():
    assert {p.stem for p in PDFS} >= {"mext-lifescience-r8-draft-2026-01-20-tables", "stack-apart", "amount-first",
                                      "program-then-box", "several-programs", "hosei-list", "unit-table",
                                      "one-slide"}


# ------------------------------------------------------------ text: the order lines come in

def facts_of_text(tmp_path: Path, text: str, name: str = "page"):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return extract_facts(extract_pages(path), name)


def rows(facts) -> set[tuple]:
    return {(a["program"], a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in facts.amounts}


def owner_by_amount(facts) -> dict[int, str]:
    """amount in yen -> its figure's program (for pages whose amounts differ)."""
    return {a["amount_yen"]: a["program"] for a in facts.amounts}


def test_label_stack_and_value_stack_apart_with_text_between(tmp_path):
    """The two labels, then a note and a section label, then the two values:
    the first value takes the first label; the value closing the bracket the
    label that opens it."""
    f = facts_of_text(tmp_path, "\n".join([
        "10 海洋局主要事項 -令和9年度概算要求- (3 ページ)",
        "深海探査技術開発事業",
        "令和9年度要求・要望額",
        "(前年度予算額",
        "※運営費交付金中の推計額含む",
        "背景・課題",
        "25億円",
        "23億円)",
        "○深海の資源を調査する。",
    ]))
    assert rows(f) == {("深海探査技術開発事業", "initial", "request", 2027, 25 * OKU),
                       ("深海探査技術開発事業", "initial", "enacted", 2026, 23 * OKU)}


def test_values_before_their_labels_and_the_title_after_the_box(tmp_path):
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度要求・要望額",
        "92億円",
        "(前年度予算額",
        "47億円)",
        "※運営費交付金中の推計額含む",
        "極域観測の戦略的推進",
        "背景・課題",
        "○極域の観測を進める。",
    ]))
    assert rows(f) == {("極域観測の戦略的推進", "initial", "request", 2027, 92 * OKU),
                       ("極域観測の戦略的推進", "initial", "enacted", 2026, 47 * OKU)}


def test_a_label_split_over_two_lines(tmp_path):
    """「令和6年度予算額」 / 「(案)」 is one label (a draft), and 「平成」 / 「29年度予算額」 one year."""
    f = facts_of_text(tmp_path, "\n".join(["港湾防災推進事業", "令和6年度予算額", "(案)", "18億円"]), "a")
    assert rows(f) == {("港湾防災推進事業", "initial", "draft", 2024, 18 * OKU)}
    f = facts_of_text(tmp_path, "\n".join(["港湾防災推進事業", "平成", "29年度予算額 18億円"]), "b")
    assert rows(f) == {("港湾防災推進事業", "initial", "enacted", 2017, 18 * OKU)}


def test_a_two_line_slide_gives_its_figures_to_its_program(tmp_path):
    """●program, then its label-and-amount line: both figures are the
    program's, and there is no release total."""
    f = facts_of_text(tmp_path, "●森林資源循環利用促進事業\n令和9年度概算要求額 45億円（前年度予算額 40億円）\n")
    assert rows(f) == {("森林資源循環利用促進事業", "initial", "request", 2027, 45 * OKU),
                       ("森林資源循環利用促進事業", "initial", "enacted", 2026, 40 * OKU)}


def test_several_programs_each_with_its_own_box_line(tmp_path):
    f = facts_of_text(tmp_path, "\n".join([
        "医療DXの推進",
        "●情報基盤構築事業",
        "令和9年度概算要求額 120億円(前年度予算額 95億円)",
        "うち、共有サービス整備 32億円",
        "基盤を構築し、情報連携を円滑化する。",
        "●サイバー対策支援事業",
        "令和9年度概算要求額 18億円(前年度予算額 18億円)",
        "●改定DX推進事業",
        "令和9年度概算要求額 9.5億円(新規)",
    ]))
    assert rows(f) == {
        ("情報基盤構築事業", "initial", "request", 2027, 120 * OKU),
        ("情報基盤構築事業", "initial", "enacted", 2026, 95 * OKU),
        ("共有サービス整備", "initial", "request", 2027, 32 * OKU),
        ("サイバー対策支援事業", "initial", "request", 2027, 18 * OKU),
        ("サイバー対策支援事業", "initial", "enacted", 2026, 18 * OKU),
        ("改定DX推進事業", "initial", "request", 2027, 950_000_000)}
    assert next(a for a in f.amounts if a["program"] == "改定DX推進事業")["new"] is True


def test_a_supplementary_list_takes_the_year_from_its_title(tmp_path):
    f = facts_of_text(tmp_path, "\n".join([
        "令和6年度補正予算(案)の概要",
        "○防災情報システム強化 94億円",
        "○通信網の耐災害性向上 68億円",
        "○消防団装備の充実 52億円",
    ]))
    assert rows(f) == {(name, "supplementary", "draft", 2024, oku * OKU) for name, oku in
                       (("防災情報システム強化", 94), ("通信網の耐災害性向上", 68), ("消防団装備の充実", 52))}


def test_a_table_with_its_unit_in_a_header_one_cell_a_line(tmp_path):
    """(単位:百万円) under the table, columns 平成20年度予算 / 平成21年度予算 /
    対増△減 in a 予算案 release: the last column is a delta, never a budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "港湾分野の研究開発に係る予算案の概要",
        "平成20年度予算", "平成21年度予算", "対増△減",
        "全体", "13,351", "13,064", "△287",
        "(単位:百万円)",
    ]))
    assert rows(f) == {("全体", "initial", "enacted", 2008, 13_351_000_000),
                       ("全体", "initial", "draft", 2009, 13_064_000_000)}


def test_a_single_program_page_never_makes_a_total(tmp_path):
    f = facts_of_text(tmp_path, "\n".join([
        "09 研究振興局主要事項 -令和9年度科学技術関係概算要求- (2 ページ)",
        "素粒子研究拠点の強化 令和9年度要求・要望額",
        "40億円",
        "38億円)",
        "(前年度予算額",
    ]))
    assert rows(f) == {("素粒子研究拠点の強化", "initial", "request", 2027, 40 * OKU),
                       ("素粒子研究拠点の強化", "initial", "enacted", 2026, 38 * OKU)}
    assert not [p for p in f.programs if p["level"] == "total"]


# ------------------------------------------------------------ how far each figure is checked

def test_items_that_add_up_to_their_stated_total_are_witnessed(tmp_path):
    """Without a golden: the 補正 list's six items add up to its 合計, so all
    seven figures are `witnessed`; nothing else could check them."""
    import shutil
    copy = tmp_path / "hosei-list.pdf"   # away from sources.json: no golden
    shutil.copy(LAYOUTS / "hosei-list.pdf", copy)
    facts = extract_facts(extract_pages(copy), copy.stem)
    assert {a["program"]: a["check"] for a in facts.amounts} == {a["program"]: "witnessed" for a in facts.amounts}
    assert len(facts.amounts) == 7


def test_checks_of_the_bundled_release_without_its_golden():
    """Stated twice (overview and detail slide) or adding up with parts:
    `witnessed`; stated once with nothing to check it against: `single`;
    nothing in the bundled release is a conflict."""
    path = ROOT / "raw" / "mext-lifescience-r8-draft-2026-01-20.pdf"
    checks = {(a["program"], a["budget"], a["stage"], a["fiscal_year"]): a["check"]
              for a in extract_facts(extract_pages(path), path.stem).amounts}
    assert set(checks.values()) == {"witnessed", "single"}
    assert checks[("総額", "supplementary", "enacted", 2025)] == "witnessed"        # 43+1+70+2+59 ≈ 176
    assert checks[("次世代医療実現推進プラットフォーム", "initial", "draft", 2026)] == "witnessed"   # I+II+III = 41
    assert checks[("生命科学・創薬研究支援基盤事業(BINDS)", "initial", "draft", 2026)] == "witnessed"  # pages 3 and 5
    assert checks[("ヒューマン・フロンティア・サイエンス・プログラム", "initial", "draft", 2026)] == "single"


def test_a_table_row_on_one_line_with_era_less_years_and_signed_changes(tmp_path):
    """A 政府案 table whose header names two era-less years on one line and a
    change column; each row is a name with its cells (normalization glues
    the first to the name). The changes (+150, ▲100) are never budgets, and
    the title, which names the release, names no program."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度文教予算のポイント(政府案)",
        "(単位:億円)",
        "区分 8年度予算 9年度予算案 増減額",
        "科学技術振興費 14,000 14,150 +150",
        "文教関係費 40,000 40,100 ▲100",
    ]))
    assert rows(f) == {("科学技術振興費", "initial", "enacted", 2026, 14_000 * OKU),
                       ("科学技術振興費", "initial", "draft", 2027, 14_150 * OKU),
                       ("文教関係費", "initial", "enacted", 2026, 40_000 * OKU),
                       ("文教関係費", "initial", "draft", 2027, 40_100 * OKU)}


def test_running_text_names_each_figure_by_the_topic_of_its_clause(tmp_path):
    """An article: the figure of 「Xは、…」 is X's, 「このうち、Yは…」 a part
    of X, a delta (+300億円) nothing; owners read from sentences are at
    most `single`."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算案について",
        "一般会計の9年度の海洋開発関係費(特別枠除き)は、4,200億円(前年度当初予算比+300億円)を計上している。"
        "このうち、海洋調査費は1,900億円、深海開発費は2,300億円である。",
    ]))
    assert rows(f) == {("海洋開発関係費", "initial", "draft", 2027, 4_200 * OKU),
                       ("海洋調査費", "initial", "draft", 2027, 1_900 * OKU),
                       ("深海開発費", "initial", "draft", 2027, 2_300 * OKU)}
    parents = {a["program"]: a["parent"] for a in f.amounts}
    assert parents["海洋調査費"] == parents["深海開発費"] == "海洋開発関係費"
    assert {a["check"] for a in f.amounts} <= {"single", "conflict"}


def test_several_programs_each_with_era_less_years_before_their_figures(tmp_path):
    """Two programs on one page, each a name line and then 「8年度 X億円 → 9年度
    Y億円」: a year alone before a figure is the release's stage for its own
    year and enacted for an earlier one; the ※ note is the program's 補正."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度 主要事業の予算案",
        "海洋調査船の運航事業",
        "8年度 1,245 億円 → 9年度 1,260 億円 (+1.2%)",
        "※ この他、8年度補正予算で 120 億円を計上",
        "宇宙輸送システム開発事業",
        "8年度 300 億円 → 9年度 300 億円 (+0.0%)",
    ]))
    assert rows(f) == {("海洋調査船の運航事業", "initial", "enacted", 2026, 1_245 * OKU),
                       ("海洋調査船の運航事業", "initial", "draft", 2027, 1_260 * OKU),
                       ("海洋調査船の運航事業", "supplementary", "enacted", 2026, 120 * OKU),
                       ("宇宙輸送システム開発事業", "initial", "enacted", 2026, 300 * OKU),
                       ("宇宙輸送システム開発事業", "initial", "draft", 2027, 300 * OKU)}


def test_a_headline_restating_the_body_figure_is_one_fact(tmp_path):
    """A news item: the headline rounds the body's figure and names nobody;
    the body's figure is the fact, the headline's is left out with a warning."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁、12%増の412億円を要求",
        "海洋庁は2027年度概算要求で、深海探査研究に411億8200万円(前年度予算比44億円増)を要求した。",
    ]))
    assert rows(f) == {("深海探査研究", "initial", "request", 2027, 41_182_000_000)}
    assert any("restates" in w for w in f.warnings)


def test_an_article_whose_only_year_is_the_budget_it_compares_with(tmp_path):
    """A news item on a request that writes no year of its own: the request
    is for the year after the enacted budget it is compared with (「2026年度の
    当初予算…と比べ」); the figure 「Xに…を要求した」 gives is X's, not the
    ministry's the sentence opens with; 「新たに」 is read past; the baseline
    is the budget's the sentence before names."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁、約412億円を要求",
        "海洋庁は、深海探査研究に前年度比で3億円増の411億8200万円を要求した。"
        "海洋観測網の整備事業として新たに2億5000万円を計上した。"
        "海洋庁全体の要求額は、5,210億円。2026年度の当初予算5,150億円と比べ1.2%増となる。",
    ]))
    assert rows(f) == {("深海探査研究", "initial", "request", 2027, 41_182_000_000),
                       ("海洋観測網の整備事業", "initial", "request", 2027, 250_000_000),
                       ("海洋庁全体", "initial", "request", 2027, 5_210 * OKU),
                       ("海洋庁全体", "initial", "enacted", 2026, 5_150 * OKU)}   # (the change, 3億円増, is no budget)


def test_a_page_that_names_a_stage_but_no_year(tmp_path):
    """No year anywhere: the figures take the stage the page names and an
    empty year (a conflict), never a guessed one."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋研究開発の概算要求・要望について、総額980億円とすることを決めた。",
        "深海探査研究は、410億円となった。",
    ]))
    assert {(a["stage"], a["fiscal_year"]) for a in f.amounts} == {("request", None)}
    assert {a["check"] for a in f.amounts} == {"conflict"}


@pytest.mark.parametrize("layout", ["glued", "one-cell-a-line"])
def test_a_table_a_converter_glued_or_wrote_one_cell_a_line(tmp_path, layout):
    """The same 億円 table two ways converters write it: every cell of a row
    glued together (told apart by their thousands commas, 「40,30340,250▲53」),
    or every header cell and every value on a line of its own. The years come
    from the header's era-less labels under the title's era; the signed
    difference column is no budget."""
    header = ["8年度予算額", "9年度予算額(案)", "増▲減額"]
    table = [("文教関係予算", "40,303", "40,250", "▲53"), ("科学技術振興費", "13,639", "13,648", "+9")]
    if layout == "glued":
        body = ["区分" + "".join(header)] + ["".join(row) for row in table]
    else:
        body = ["区分", *header] + [cell for row in table for cell in row]
    f = facts_of_text(tmp_path, "\n".join(["令和9年度文教・科学技術予算のポイント", "(単位:億円)", *body]), layout)
    assert rows(f) == {("文教関係予算", "initial", "enacted", 2026, 40_303 * OKU),
                       ("文教関係予算", "initial", "draft", 2027, 40_250 * OKU),
                       ("科学技術振興費", "initial", "enacted", 2026, 13_639 * OKU),
                       ("科学技術振興費", "initial", "draft", 2027, 13_648 * OKU)}


def test_a_table_run_into_the_prose_with_no_space_at_all(tmp_path):
    """A converter that dropped every space and line break: the prose, the
    caption, the header and the rows run together, each row's cells glued to
    its name and to each other (told apart by their thousands commas and
    signs), a remark between two rows. The rows keep their own names (not
    the header's words, not the remark), 「8年度予算(当初)」 is the enacted
    budget, and 「9年度予算」 is the draft the text says awaits the Diet."""
    text = ("令和9年度予算は、国会での御審議を経て速やかに成立することが期待されている。令和9年度予算の主要経費(単位:億円)"
            "8年度予算(当初)9年度予算増減額増減率備考文教関係予算40,30340,250▲53▲0.1%うち科学技術振興費13,63913,648+9+0.1%"
            "重点化:+2.0%(基金分を除く。)防衛関係費1,2341,300+66+5.3%予備費5,0005,000--")
    table = {"文教関係予算": (40_303, 40_250), "科学技術振興費": (13_639, 13_648), "防衛関係費": (1_234, 1_300),
             "予備費": (5_000, 5_000)}   # (8年度予算(当初), 9年度予算) in 億円
    assert rows(facts_of_text(tmp_path, text)) == {
        row for name, (before, after) in table.items()
        for row in ((name, "initial", "enacted", 2026, before * OKU), (name, "initial", "draft", 2027, after * OKU))}


def test_two_columns_of_items_merged_line_by_line_give_a_lone_figure_to_the_item_without_one(tmp_path):
    """Two columns of ○ items a converter merged line by line: the right
    column's item and its figure come on the line under the left one's
    heading, and the left one's figure alone on the line after. That figure
    is the left item's (the one above without a figure), not the item's
    that already has one."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算政府案 重要分野の推進",
        "○ 海洋研究開発機構の研究開発",
        "○ 次世代データ基盤プログラム (新規)[35億円]",
        "[410億円]",
        "研究船の建造等を推進。 データ駆動型研究を支える基盤を強化。"]))
    assert rows(f) == {("海洋研究開発機構の研究開発", "initial", "draft", 2027, 410 * OKU),
                       ("次世代データ基盤プログラム", "initial", "draft", 2027, 35 * OKU)}


def test_a_sentence_over_lines_gives_its_figure_to_the_topic_it_opened_with(tmp_path):
    """Running text whose sentence opens with its topic (「Xについては、」),
    lists numbered items over lines (the last ending in a comma) and only
    then states its figure: the figure is the topic's, not the last item's
    nor nobody's."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算概算要求について",
        "主な政策は以下のとおりです。",
        "防災・減災関係については、基本計画を踏まえ、",
        "①観測網の整備による早期警戒の推進",
        "②被災地支援の体制強化等のため、",
        "前年度から20億円増となる310億円の要求を行っています。"]))
    assert rows(f) == {("防災・減災関係", "initial", "request", 2027, 310 * OKU)}


def test_numbered_clauses_name_their_figures_with_what_a_compound_particle_joins(tmp_path):
    """Numbered clauses of running text, each ending in its figure in
    brackets: the name is the words a compound particle (による, に向けた,
    に関する) joins to the head noun, not the bare 「経費」; the last clause
    goes on with 「など、」."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算概算要求について",
        "防災関係については、",
        "①観測体制の整備・強化に関する経費(12億円)",
        "②地域防災基金による支援の拡充に向けた経費(8億円)など、",
        "を要求しています。"]))
    assert rows(f) == {("観測体制の整備・強化に関する経費", "initial", "request", 2027, 12 * OKU),
                       ("地域防災基金による支援の拡充に向けた経費", "initial", "request", 2027, 8 * OKU)}


@pytest.mark.parametrize("header", [("前年度 令和9年度", "事 項 比較増減 備 考", "予算額 要求額"),
                                    ("事 項          前年度         令和9年度        比較増減   備 考",
                                     "                予算額          要求額")], ids=["three-lines", "layout"])
def test_a_header_whose_column_labels_are_split_over_lines(tmp_path, header):
    """A text converter that wrote a table header line by line as printed:
    「前年度 令和9年度」 / 「事 項 比較増減 備 考」 / 「予算額 要求額」, or with the
    page's layout, 「事 項 前年度 令和9年度 比較増減 備 考」 / 「予算額 要求額」. The
    first column is the prior year's budget, the second the request; the
    difference column is no budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度 概算要求の概要",
        "(単位:百万円)",
        *header,
        "1 海洋観測網の整備 4,520 5,010 490",
        "2 防災研究の推進 2,300 2,250 △50",
        "合 計 6,820 7,260 440"]))
    assert {r for r in rows(f) if r[0] != "合計"} == {
        ("海洋観測網の整備", "initial", "enacted", 2026, 4_520_000_000),
        ("海洋観測網の整備", "initial", "request", 2027, 5_010_000_000),
        ("防災研究の推進", "initial", "enacted", 2026, 2_300_000_000),
        ("防災研究の推進", "initial", "request", 2027, 2_250_000_000)}


def test_a_table_one_cell_a_line_whose_rows_are_ministries(tmp_path):
    """A table a converter wrote one cell a line whose rows are ministries
    (内閣府, 総務省: names that elsewhere are a slide's logo, never a title):
    inside the table each is its row's name; 「－」 is an empty cell."""
    f = facts_of_text(tmp_path, "\n".join([
        "防災関係予算の府省別内訳", "(単位:億円)", "府 省 名",
        "令和8年度当初予算額", "令和7年度補正予算額",
        "内閣府", "42", "120", "総務省", "18", "－", "国土交通省", "186", "432"]))
    assert rows(f) == {("内閣府", "initial", "enacted", 2026, 42 * OKU), ("内閣府", "supplementary", "enacted", 2025, 120 * OKU),
                       ("総務省", "initial", "enacted", 2026, 18 * OKU),
                       ("国土交通省", "initial", "enacted", 2026, 186 * OKU),
                       ("国土交通省", "supplementary", "enacted", 2025, 432 * OKU)}


def test_a_table_whose_numbers_one_a_line_go_row_by_row_and_add_up_to_its_total(tmp_path):
    """pdftotext's order for a table of ministries: the stub, the row names
    (the last its total 「計」), a line heading the columns, the columns'
    headers, then the numbers one a line — row by row, which only the total
    tells (taken a column at a time they would not add up)."""
    f = facts_of_text(tmp_path, "\n".join([
        "防災関係予算の府省別内訳", "(単位:億円)", "府 省 名", "内閣府", "総務省", "国土交通省", "計",
        "防災関係予算", "令和8年度当初予算額", "令和7年度補正予算額",
        "42", "120", "18", "－", "186", "432", "246", "552"]))
    assert {r for r in rows(f) if r[0] != "計"} == {
        ("内閣府", "initial", "enacted", 2026, 42 * OKU), ("内閣府", "supplementary", "enacted", 2025, 120 * OKU),
        ("総務省", "initial", "enacted", 2026, 18 * OKU),
        ("国土交通省", "initial", "enacted", 2026, 186 * OKU), ("国土交通省", "supplementary", "enacted", 2025, 432 * OKU)}


def test_listed_items_with_descriptions_then_their_figures_in_order(tmp_path):
    """A list slide a converter wrote column by column: the first items with
    their figures, then items each with a description line but no figure,
    then those items' figures one a line in the same order (and the scale of
    the projects, 事業規模, which is no budget)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和8年度補正予算(案)の概要", "国土交通省関係 令和8年度補正予算(案)総額", "9,000億円",
        "○ 道路防災事業", "3,000億円", "○ 港湾強靱化事業", "1,000億円",
        "○ 河川整備基金", "流域の治水対策を支援", "○ 空港機能強化事業", "滑走路の改修を支援", "○ 鉄道耐震化事業",
        "2,500億円", "1,200億円", "300億円", "※ 上記施策による事業規模は 約3兆円。"]))
    got = {r[0]: r[4] for r in rows(f)}
    assert got == {"総額": 9_000 * OKU, "道路防災事業": 3_000 * OKU, "港湾強靱化事業": 1_000 * OKU,
                   "河川整備基金": 2_500 * OKU, "空港機能強化事業": 1_200 * OKU, "鉄道耐震化事業": 300 * OKU}


def test_a_newspaper_list_of_items_equal_to_bare_numbers_under_a_unit_note(tmp_path):
    """A newspaper's list of a budget's main items: 「◆NAME=二、六一二(…%)」, the
    number bare (positional kanji or digits) in the unit a note above declares
    (「金額単位・百万円」); the year written without its era, the page dated
    2016-02-02 (so 二十八年度 is 平成28年度); a (新規) after the name is the
    figure's flag. A line with no bullet, or no unit note above, gives nothing."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁の二十八年度予算案主要事項( 2016-02-02付)",
        "海洋庁の二十八年度予算案主要事項はつぎのとおり(金額単位・百万円。カッコ内%は前年度予算比)。",
        "◆深海探査の推進=二、六一二(一一九・三%)",
        "探査船による調査を進める。",
        "▽沿岸観測網の整備(新規)=269(観測事業の一部)",
        "なお、令和N=2018+N である。"]))
    assert rows(f) == {("深海探査の推進", "initial", "draft", 2016, 2_612_000_000),
                       ("沿岸観測網の整備", "initial", "draft", 2016, 269_000_000)}
    assert {a["program"]: a["new"] for a in f.amounts} == {"深海探査の推進": False, "沿岸観測網の整備": True}


def test_a_table_with_a_rate_column_and_a_part_row(tmp_path):
    """A 主要経費別内訳 table: two difference columns (増▲減額, 伸率), a 「うち」
    row that is a part of the row above; neither difference is a budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和3年度予算の主要経費別内訳", "(単位:億円)", "区分 2年度予算 3年度予算(政府案) 増▲減額 伸率",
        "社会保障関係費 358,608 358,421 ▲187 0.5", "文教及び科学振興費 55,055 53,969 ▲1,086 2.0",
        "うち科学技術振興費 13,639 13,648 9 0.1"]))
    assert rows(f) == {("社会保障関係費", "initial", "enacted", 2020, 358_608 * OKU),
                       ("社会保障関係費", "initial", "draft", 2021, 358_421 * OKU),
                       ("文教及び科学振興費", "initial", "enacted", 2020, 55_055 * OKU),
                       ("文教及び科学振興費", "initial", "draft", 2021, 53_969 * OKU),
                       ("科学技術振興費", "initial", "enacted", 2020, 13_639 * OKU),
                       ("科学技術振興費", "initial", "draft", 2021, 13_648 * OKU)}
    assert {a["parent"] for a in f.amounts if a["program"] == "科学技術振興費"} == {"文教及び科学振興費"}


def test_a_one_line_header_with_the_prior_year_and_a_remark_column(tmp_path):
    """(単位:百万円) over 「事項 前年度予算額 令和9年度予算案 対前年度増▲減額 備考」:
    one header line with two labels; a row may end in a remark (新規含む)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度 海洋関係予算案の概要", "(単位:百万円)", "事項 前年度予算額 令和9年度予算案 対前年度増▲減額 備考",
        "海洋調査の推進 12,345 12,500 155", "うち深海探査 3,000 3,100 100 新規含む", "海洋人材の育成 800 750 ▲50"]))
    mil = 10**6
    assert rows(f) == {("海洋調査の推進", "initial", "enacted", 2026, 12_345 * mil),
                       ("海洋調査の推進", "initial", "draft", 2027, 12_500 * mil),
                       ("深海探査", "initial", "enacted", 2026, 3_000 * mil),
                       ("深海探査", "initial", "draft", 2027, 3_100 * mil),
                       ("海洋人材の育成", "initial", "enacted", 2026, 800 * mil),
                       ("海洋人材の育成", "initial", "draft", 2027, 750 * mil)}


def test_table_cells_written_with_their_units_and_bracketed_names(tmp_path):
    """Rows of amounts with their units under a one-line header (兆 and 億,
    a signed change with +), and 【name】 lines with 「(対前年度+461億円)」."""
    table = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算政府案のポイント", "区分 8年度予算 9年度予算案 増減",
        "文教関係予算 4兆303億円 4兆250億円 ▲53億円", "科学技術振興費 1兆3,639億円 1兆3,648億円 +9億円"]), "cells")
    assert rows(table) == {("文教関係予算", "initial", "enacted", 2026, 40_303 * OKU),
                           ("文教関係予算", "initial", "draft", 2027, 40_250 * OKU),
                           ("科学技術振興費", "initial", "enacted", 2026, 13_639 * OKU),
                           ("科学技術振興費", "initial", "draft", 2027, 13_648 * OKU)}
    boxed = facts_of_text(tmp_path, "\n".join([
        "令和9年度 概算要求の概要", "【科学技術振興費】 1兆4,100億円(対前年度+461億円)",
        "【文教関係予算】 4兆1,000億円(対前年度+697億円)"]), "boxed")
    assert rows(boxed) == {("科学技術振興費", "initial", "request", 2027, 14_100 * OKU),
                           ("文教関係予算", "initial", "request", 2027, 41_000 * OKU)}


def test_a_list_of_numbered_items_under_a_note_on_what_brackets_are(tmp_path):
    """A 厚生労働省-style list: 「１ がん対策の推進 …３６１億円（３５０億円）」 under
    「※（ ）内は令和7年度当初予算額」 — the note names no program, the bare
    number is an enumerator, the bracket is the prior year's."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和8年度予算案の主要事項", "※（ ）内は令和7年度当初予算額",
        "１ がん対策の推進　　　　　　３６１億円（３５０億円）",
        "２ 難病対策の推進　　　　　　１，２３０億円（１，２００億円）"]))
    assert rows(f) == {("がん対策の推進", "initial", "draft", 2026, 361 * OKU),
                       ("がん対策の推進", "initial", "enacted", 2025, 350 * OKU),
                       ("難病対策の推進", "initial", "draft", 2026, 1_230 * OKU),
                       ("難病対策の推進", "initial", "enacted", 2025, 1_200 * OKU)}


def test_years_written_by_the_era_initial_and_a_bare_prior_year(tmp_path):
    """「R7補正 300億円 + R8当初 2,479億円」: R7 is 令和7 and 補正 its
    supplementary budget; R8当初 in a 令和8年度予算案 release is the draft;
    「(前年度 160億円)」 is the prior year's."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和8年度 研究振興局 予算案のポイント", "科研費 R7補正 300億円 + R8当初 2,479億円",
        "ムーンショット型研究開発制度 令和8年度予算案 150億円(前年度 160億円)"]))
    assert rows(f) == {("科研費", "supplementary", "enacted", 2025, 300 * OKU),
                       ("科研費", "initial", "draft", 2026, 2_479 * OKU),
                       ("ムーンショット型研究開発制度", "initial", "draft", 2026, 150 * OKU),
                       ("ムーンショット型研究開発制度", "initial", "enacted", 2025, 160 * OKU)}


def test_a_title_its_budget_box_interrupts(tmp_path):
    """A converter writes a two-line title around the box drawn beside it:
    「…安全性向上に資する」 then the box's labels and values, then 「技術基盤等の
    整備・強化」; 「○…研究データエコ」 then its figures, then 「システム構築事業」
    (no bullet of its own: not a next program). Each title is one name."""
    box = facts_of_text(tmp_path, "\n".join([
        "10 海洋局主要事項 -令和9年度科学技術関係概算要求-", "230億円",
        "次世代海洋観測網の開発及び安全性向上に資する うちエネルギー対策特別会計要求・要望額",
        "(前年度予算額", "71億円)", "技術基盤等の整備・強化", "※運営費交付金中の推計額含む",
        "令和9年度要求・要望額", "", "248億円", "概要", "海洋観測網を整備する。"]), "box")
    whole = "次世代海洋観測網の開発及び安全性向上に資する技術基盤等の整備・強化"
    assert {(r[0], r[2], r[3], r[4]) for r in rows(box) if r[4] in (71 * OKU, 248 * OKU)} == {
        (whole, "enacted", 2026, 71 * OKU), (whole, "request", 2027, 248 * OKU)}
    bullets = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算案のポイント", "○AI等の活用を推進する海洋データエコ", "10 億円", "⇒", "12 億円", "(+20.0%)",
        "システム構築事業", "各分野のデータ基盤と連携する。", "○次世代海洋センサー開発事業", "9 億円", "⇒", "9 億円"]), "bullets")
    assert {r[0] for r in rows(bullets)} == {"AI等の活用を推進する海洋データエコシステム構築事業", "次世代海洋センサー開発事業"}


def test_running_text_names_figures_in_brackets_and_by_the_sentence_topic(tmp_path):
    """「X(410億円)やY(120億円)」: each bracketed figure is the name's before it;
    a figure whose clause names nobody (「…の380億円から410億円に増えた」) is the
    sentence's topic's."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁の2027年度予算案",
        "深海探査事業(410億円)や海洋観測網の整備(120億円)などを盛り込んだ。"
        "海洋研究船の予算は、前年度当初予算の380億円から395億円に増えた。"]))
    assert rows(f) == {("深海探査事業", "initial", "draft", 2027, 410 * OKU),
                       ("海洋観測網の整備", "initial", "draft", 2027, 120 * OKU),
                       ("海洋研究船", "initial", "enacted", 2026, 380 * OKU),
                       ("海洋研究船", "initial", "draft", 2027, 395 * OKU)}


def test_a_bracketed_breakdown_after_a_figure_is_its_parts(tmp_path):
    """「海洋予算が980億円(海洋庁600億円、気象庁380億円)、研究機関経費が300億円
    (海洋庁200億円、気象庁100億円)」: each bracket lists the parts of the figure
    it follows; the same office in both is two facts, one under each budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度予算案",
        "海洋予算が980億円(海洋庁600億円、気象庁380億円)となる一方、研究機関経費は300億円"
        "(海洋庁200億円、気象庁100億円)となった。"]))
    got = {(a["program"], a["parent"], a["amount_yen"]) for a in f.amounts}
    assert got == {("海洋予算", "", 980 * OKU), ("海洋庁", "海洋予算", 600 * OKU), ("気象庁", "海洋予算", 380 * OKU),
                   ("研究機関経費", "", 300 * OKU), ("海洋庁", "研究機関経費", 200 * OKU),
                   ("気象庁", "研究機関経費", 100 * OKU)}
    assert {a["check"] for a in f.amounts} == {"single"}   # (they add up, but a sentence named the owners)


def test_a_figure_compared_with_the_prior_year_keeps_its_own_label(tmp_path):
    """「概算要求額は、前年度当初予算比5.2%増の5兆9000億円」 is the request:
    前年度当初予算比 is what it is compared with, not its label. A ▽ item named
    「…の費用など」 is a name."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度概算要求",
        "海洋庁の概算要求額は、前年度当初予算比5.2%増の5兆9000億円となった。",
        "▽深海探査を進めるための費用などとしておよそ140億円を計上しています。"]))
    assert rows(f) == {("海洋庁", "initial", "request", 2027, 59_000 * OKU),
                       ("深海探査を進めるための費用など", "initial", "request", 2027, 140 * OKU)}


def test_running_text_stage_words_are_no_names_and_a_fund_after_its_figure(tmp_path):
    """「Xは、第2次補正予算で100億円、2027年度当初予算案で300億円」: both are
    X's (the stage words scope them); 「総額1兆円の海洋研究基金を創設」: the fund
    named right after its figure."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁の予算", "深海探査事業は、2026年度第2次補正予算で100億円、2027年度当初予算案で300億円を確保した。",
        "政府は、総額1兆円の海洋研究基金を創設する。"]))
    got = {(a["program"], a["amount_yen"]) for a in f.amounts}
    assert got == {("深海探査事業", 100 * OKU), ("深海探査事業", 300 * OKU), ("海洋研究基金", 10_000 * OKU)}


def test_a_size_is_no_figure_and_a_fund_named_after_its_scale(tmp_path):
    """「数百億円」 is a size (several hundred 億), never 100億円; 「約1兆円規模の
    海洋研究基金」 is the fund's figure, approximate."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度予算案", "政府は、約1兆円規模の海洋研究基金を創設する。海洋観測事業には数百億円を投じる。"]))
    assert [(a["program"], a["amount_yen"], a["approx"]) for a in f.amounts] == [("海洋研究基金", 10_000 * OKU, True)]


def test_a_figure_named_like_an_earlier_budget_and_a_baseline_in_the_next_sentence(tmp_path):
    """「当初予算と同様に予備費5兆円」: the enacted budget is only compared with, the
    figure is the release's draft; 「Xの現時点での要求額は、N」 is X's (a time
    scopes the name); the baseline the next sentence compares with is X's too;
    「そのうちYは」 names a part; 「5.9%(2477億円)増」 is a change."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度予算案",
        "海洋対応では、2026年度当初予算と同様に予備費5兆円を計上した。",
        "なお、海洋庁全体の現時点での要求額は、3兆9895億円。2026年度の当初予算3兆9861億円と比べ0.1%増となる。",
        "海洋庁は、一般会計で5兆8949億円となる。そのうち海洋観測予算は、前年度比5.9%(321億円)増の2兆4020億円となった。"]))
    assert rows(f) == {("予備費", "initial", "draft", 2027, 50_000 * OKU),
                       ("海洋庁全体", "initial", "request", 2027, 39_895 * OKU),
                       ("海洋庁全体", "initial", "enacted", 2026, 39_861 * OKU),
                       ("海洋庁", "initial", "draft", 2027, 58_949 * OKU),
                       ("海洋観測予算", "initial", "draft", 2027, 24_020 * OKU)}
    assert {(a["program"], a["parent"]) for a in f.amounts if a["program"] == "海洋観測予算"} == {("海洋観測予算", "海洋庁")}


def test_figures_listed_in_a_bracket_after_their_name_and_two_columns_on_one_line(tmp_path):
    """A council slide: 「○ A(厚労(AMED)、R2補:100億円、基金)」 gives A its
    figure; a converter joined two columns, 「○ A(…) ○ B(…)」, read as two
    items; a figure with no label of its own (「ワクチン(1兆1,700億円程度)」)
    does not take the stage of a label some other figure carries, nor the
    year of 「令和2年度以降」."""
    f = facts_of_text(tmp_path, "\n".join([
        "ワクチン・治療薬の研究開発等",
        "○ 令和2年度以降、各省庁が多額の関連予算を計上。",
        "ワクチン(1兆1,700億円程度)",
        "○ 海洋ワクチン開発事業(海洋庁(機構)、R2補:100億円、基金) ○ 海洋治療薬開発事業(内閣(機構)、R3補:200億円)",
    ]))
    got = {(a["program"], a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert ("海洋ワクチン開発事業", "supplementary", "enacted", 2020, 100 * OKU) in got
    assert ("海洋治療薬開発事業", "supplementary", "enacted", 2021, 200 * OKU) in got
    vaccine = [a for a in f.amounts if a["program"] == "ワクチン"]
    assert [(a["stage"], a["fiscal_year"], a["check"]) for a in vaccine] == [(None, None, "conflict")]


def test_running_text_items_over_two_bullets_a_reason_clause_and_a_rounded_restatement(tmp_path):
    """News prose: 「▽Aや」 「▽Bに170億円」 is one item; in 「Xは、…Yが増えた
    ことなどから、…N億円を要求」 the figure is X's (Y is the reason clause's);
    「一般会計の総額でおよそ…」 is the ministry's account; 「3兆7000億円余り」 and
    「およそ3兆7300億円」 are one figure, the exact one kept; 「より…多い」 is a change."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁 2027年度概算要求",
        "海洋庁は、2027年度予算案の概算要求で、観測の拡大に伴って運用費が増えたことなどから、"
        "2026年度の当初予算よりおよそ590億円多い、3兆7000億円余りを要求する方針を固めました。",
        "海洋庁がまとめた概算要求によりますと、一般会計の総額でおよそ3兆7300億円を計上しています。",
        "そのほかの事業としては",
        "▽深海探査の推進や",
        "▽観測データの基盤整備に、あわせておよそ170億円を計上しています。",
    ]))
    got = {(a["program"], a["amount_yen"]) for a in f.amounts}
    assert got == {("海洋庁", 37_300 * OKU), ("深海探査の推進や観測データの基盤整備", 170 * OKU)}
    assert {a["stage"] for a in f.amounts} == {"request"} and {a["fiscal_year"] for a in f.amounts} == {2027}


def test_a_review_sheet_table_with_the_years_down_and_the_stages_across(tmp_path):
    """行政事業レビュー: 「※単位は100万円」, then 「年度 | 要求額 | 当初予算 | 補正予算 | 予算計 |
    執行額」 and one row a year: each number is its row's year at its column's
    stage, the sheet's program's; a dash, a 0, 予算計 and 執行額 give none."""
    f = facts_of_text(tmp_path, "\n".join([
        "深海探査技術の確立に係る事業費",
        "府省庁: 海洋庁",
        "予算額・執行額",
        "※単位は100万円",
        "年度 | 要求額 | 当初予算 | 補正予算 | 前年度から繰越し | 予算計 | 執行額 |",
        "---|---|---|---|---|---|---|",
        "2025 | - | 120 | 30 | 0 | 150 | 140 |",
        "2026 | - | 110 | 0 | 0 | 110 | - |",
        "2027 | 125 | - | - | - | - | - |",
    ]))
    assert rows(f) == {("深海探査技術の確立に係る事業費", "initial", "enacted", 2025, 120 * 10**6),
                       ("深海探査技術の確立に係る事業費", "supplementary", "enacted", 2025, 30 * 10**6),
                       ("深海探査技術の確立に係る事業費", "initial", "enacted", 2026, 110 * 10**6),
                       ("深海探査技術の確立に係る事業費", "initial", "request", 2027, 125 * 10**6)}


def test_a_city_budget_book_table_drawn_with_box_characters(tmp_path):
    """A 歳出予算 table drawn with ┌─┬┐│ (cell borders, read as spaces), its
    unit in the header (単位 千円), columns 本年度予算額 / 前年度予算額 / 比較: each
    row (「１ 議会費」, numbered) gives the release's year and the year before,
    the 比較 column no figure; the row number is no cell."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和９年度 海浜市一般会計予算",
        "２ 歳 出                       （単位 千円）",
        "┌──────────┬──────┬──────┬─────┐",
        "  款           本年度予算額    前年度予算額      比 較",
        "├──────────┼──────┼──────┼─────┤",
        "１ 議会費            612,480         598,215       14,265",
        "２ 総務費          6,847,381       6,565,428      281,953",
        "３ 民生費         26,497,243      26,305,290    △191,953",
        "└──────────┴──────┴──────┴─────┘",
    ]))
    assert rows(f) == {("議会費", "initial", "enacted", 2027, 612_480_000),
                       ("議会費", "initial", "enacted", 2026, 598_215_000),
                       ("総務費", "initial", "enacted", 2027, 6_847_381_000),
                       ("総務費", "initial", "enacted", 2026, 6_565_428_000),
                       ("民生費", "initial", "enacted", 2027, 26_497_243_000),
                       ("民生費", "initial", "enacted", 2026, 26_305_290_000)}


def test_tables_with_years_but_no_stage_words_units_in_the_columns_and_numbered_rows(tmp_path):
    """「令和8年度予算(A)」 over its column is that year's enacted budget, written
    one cell a line; 「予算額(千円) 予算案(千円)」 names the unit in each column;
    rows numbered 「(1)」 are no bracket rows; 対前年度比 is a ratio column; the
    計 of a total row is no part of its name."""
    one_a_line = facts_of_text(tmp_path, "\n".join([
        "令和９年度 海洋予算のポイント", "（単位：億円）", "区 分", "令和８年度予算(A)", "令和９年度予算（案）(B)",
        "増▲減額(B)－(A)", "海洋観測費", "１，２００", "１，２５０", "５０",
        "海洋予算 計", "３，４００", "３，３００", "▲１００"]))
    assert rows(one_a_line) == {("海洋観測費", "initial", "enacted", 2026, 1_200 * OKU),
                                ("海洋観測費", "initial", "draft", 2027, 1_250 * OKU),
                                ("海洋予算", "initial", "enacted", 2026, 3_400 * OKU),
                                ("海洋予算", "initial", "draft", 2027, 3_300 * OKU)}
    columns = facts_of_text(tmp_path, "\n".join([
        "令和９年度 海洋振興予算（案）の概要",
        "令和８年度 令和９年度 比較増減 対前年度比",
        "事 項 予算額(千円) 予算案(千円) (千円) (％)",
        "(1) 海洋観測交付金 41,197,000 40,920,000 △277,000 99.3"]))
    assert rows(columns) == {("海洋観測交付金", "initial", "enacted", 2026, 41_197_000_000),
                             ("海洋観測交付金", "initial", "draft", 2027, 40_920_000_000)}


def test_a_news_page_wrapped_at_a_fixed_width_with_two_digit_western_years(tmp_path):
    """A news article saved as text, its sentences wrapped mid-line: the lines
    of a sentence are read as one; a page that writes 2027年度 means 2026 by
    「26年度」 (never 令和26年度)."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁、深海探査に230億円要求 27年度概算",
        "海洋庁は2027年度予算の概算要求で、深海探査の研究開発に前年度比12%増の230億円を",
        "盛り込む方針を固めた。26年度当初予算では205億円だった。",
    ]))
    got = {(a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert ("initial", "request", 2027, 230 * OKU) in got and ("initial", "enacted", 2026, 205 * OKU) in got
    assert {a["program"] for a in f.amounts if a["amount_yen"] == 230 * OKU} == {"深海探査の研究開発"}


def test_running_text_clauses_that_describe_a_name_and_a_cap_per_award(tmp_path):
    """「26年度補正予算で措置した X の300億円」: X's (the clause describing it is no
    part of the name); 「自らの機関で行う Y 予算案も…73億円」: Y予算's; 「1件当たり最大
    8000万円」 is a cap per award, no budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度予算案",
        "26年度補正予算で措置した深海探査推進事業の300億円と合わせ、切れ目ない支援を図る。"
        "同事業の観測補助金は補助上限額を1件当たり最大8000万円に引き上げる。",
        "また海洋庁が自らの機関で行う観測研究予算案も2億円増の73億円となった。"]))
    got = {(a["program"], a["budget"], a["amount_yen"]) for a in f.amounts}
    assert got == {("深海探査推進事業", "supplementary", 300 * OKU), ("観測研究予算", "initial", 73 * OKU)}


@pytest.mark.parametrize("order", ["header-first", "names-first"])
def test_a_table_written_column_by_column(tmp_path, order):
    """A converter wrote the table a column at a time: the header's cells, the
    row names (or the stub and the row names, then the header's cells: the
    order pdftotext takes them in), then each column's numbers in the rows'
    order. With exactly names × columns numbers, each is its row's at its
    column's stage; the difference column gives none."""
    head, names = ["令和8年度予算", "令和9年度予算案", "増▲減額"], ["海洋観測費", "深海探査費"]
    cells = head + names if order == "header-first" else names + head
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度 海洋関係予算", "（単位：億円）", "区分", *cells, "1,200", "800", "1,250", "790", "50", "▲10"]))
    assert rows(f) == {("海洋観測費", "initial", "enacted", 2026, 1_200 * OKU),
                       ("深海探査費", "initial", "enacted", 2026, 800 * OKU),
                       ("海洋観測費", "initial", "draft", 2027, 1_250 * OKU),
                       ("深海探査費", "initial", "draft", 2027, 790 * OKU)}
    short = facts_of_text(tmp_path, "\n".join([   # one number too few: not read as columns
        "令和9年度 海洋関係予算", "（単位：億円）", "区分", "令和8年度予算", "令和9年度予算案",
        "海洋観測費", "深海探査費", "1,200", "800", "1,250"]))
    assert not any(a["check"] in ("witnessed", "golden") and a["program"] == "深海探査費" and a["amount_yen"] == 1_250 * OKU
                   for a in short.amounts)


def test_years_by_their_era_initial_as_columns_and_as_rows(tmp_path):
    """「区分 R7年度 R8年度 R9年度(案)」: three columns, the last the draft; a table of
    「区分 当初予算 補正予算」 over rows 「令和2年度 102 73」 (years down, stages across,
    the spaces between its Japanese cells gone) is the table title's budget."""
    across = facts_of_text(tmp_path, "\n".join([
        "海洋関係予算", "（単位：億円）", "区分 R7年度 R8年度 R9年度(案)", "海洋観測費 1,100 1,200 1,250"]))
    assert rows(across) == {("海洋観測費", "initial", "enacted", 2025, 1_100 * OKU),
                            ("海洋観測費", "initial", "enacted", 2026, 1_200 * OKU),
                            ("海洋観測費", "initial", "draft", 2027, 1_250 * OKU)}
    down = facts_of_text(tmp_path, "\n".join([
        "海洋関係予算の推移", "（単位：億円）", "区分 当初予算 補正予算", "令和2年度 102 73", "令和3年度 106 36"]))
    assert rows(down) == {("海洋関係予算", "initial", "enacted", 2020, 102 * OKU),
                          ("海洋関係予算", "supplementary", "enacted", 2020, 73 * OKU),
                          ("海洋関係予算", "initial", "enacted", 2021, 106 * OKU),
                          ("海洋関係予算", "supplementary", "enacted", 2021, 36 * OKU)}


def test_two_supplementary_budgets_of_one_year_are_two_facts(tmp_path):
    """「R2補①:100億円、R2補②:500億円」 and 「第2次補正予算 50億円、第3次補正予算 50億円」:
    the rounds of one year's supplementary budgets are facts of their own
    (supplementary_round), not one fact stated twice with two amounts."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋研究の推進",
        "○ 深海探査推進事業(海洋庁(機構)、R2補①:100億円、R2補②:500億円、基金)",
        "○ 海洋観測事業(令和2年度第2次補正予算 50億円、令和2年度第3次補正予算 50億円)"]))
    got = {(a["program"], a["supplementary_round"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert got == {("深海探査推進事業", 1, 2020, 100 * OKU), ("深海探査推進事業", 2, 2020, 500 * OKU),
                   ("海洋観測事業", 2, 2020, 50 * OKU), ("海洋観測事業", 3, 2020, 50 * OKU)}
    assert not f.conflicts


def test_a_row_name_wrapped_in_a_narrow_cell(tmp_path):
    """A table's row name wrapped at the width of its cell, seven characters a
    line, some breaks inside a word (「…改革の更なる加」 「速化、教師の処」): the lines
    of one width are one name."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度概算要求", "(単位:千円)", "前年度予算額 令和9年度要求・要望額 比較増△減額",
        "海洋の質の向上", "に向けた、観測", "における働き方", "改革の更なる加", "速化、調査船の", "な推進",
        "1,575,034 1,597,476 22,442"]))
    assert {a["program"] for a in f.amounts} == {"海洋の質の向上に向けた、観測における働き方改革の更なる加速化、調査船のな推進"}


def test_a_figure_named_by_what_it_is_spent_on(tmp_path):
    """「新たに38億円を投入し、…Xに取り組む」 and 「50億円をかけ、Yを…支援する」: the clause
    before the figure names nobody, the text after it says what it pays for."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度概算要求",
        "新たに38億円を投入し、深海探査機や観測ブイなど、次世代の海洋観測を実現する研究に取り組む。"
        "また、50億円をかけ、深海生物研究を気象庁との協働で一貫して支援する。"]))
    assert {(a["program"], a["amount_yen"]) for a in f.amounts} == {
        ("次世代の海洋観測を実現する研究", 38 * OKU), ("深海生物研究", 50 * OKU)}


def test_a_total_after_a_list_of_figures_is_the_subjects(tmp_path):
    """「海洋庁は、Aに341億円、Bに259億円など、合計1兆1,830億円を計上した」: the total is
    海洋庁's, not the last item's."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度第3次補正予算案",
        "海洋庁は、深海探査に341億円、観測網整備に259億円、海洋基金創設に5,000億円など、合計1兆1,830億円を計上した。"]))
    assert {(a["program"], a["amount_yen"]) for a in f.amounts} == {
        ("深海探査", 341 * OKU), ("観測網整備", 259 * OKU), ("海洋基金創設", 5_000 * OKU), ("海洋庁", 11_830 * OKU)}


def test_a_sentence_opening_with_its_total_and_a_topic_told_with_nitsuite(tmp_path):
    """「…海洋研究関連予算をまとめた。総額は1248億円」: the total of the budget the
    sentence before put together; 「本部は、海洋分野の研究開発予算の概算要求・要望について、
    …総額2296億円」: the budget the sentence is about, not the body."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度概算要求",
        "海洋戦略本部は、4月に設立する「海洋研究機構」(OMA)に投入する海洋研究関連予算をまとめた。総額は1248億円と、前年度比で2.7%の増額となった。",
        "海洋戦略本部は、海洋分野の研究開発予算の概算要求・要望について、16.5%増の総額2296億円とすることを決めた。"]))
    assert {(a["program"], a["amount_yen"]) for a in f.amounts} == {
        ("海洋研究関連予算", 1_248 * OKU), ("海洋分野の研究開発予算", 2_296 * OKU)}


def test_a_total_after_a_clause_is_the_decided_budgets_and_page_furniture_no_name(tmp_path):
    """「…の海洋予算が内定した。新規テーマとして「A」と「B」の2点が新たに加わって総額は
    29億700万円」: the total of the budget decided (the count and the year scope no
    name); a news page's 【カテゴリー】 line is furniture; the headline's rounded
    29億円 is that figure again."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁、13年度海洋予算内定", "深海探査の推進などで総額29億円に", "【カテゴリー】:行政/団体",
        "海洋庁による平成13年度の海洋予算が内定した。新規テーマとして「深海探査の推進」と「観測網の整備」"
        "の2点が新たに加わって総額は29億700万円となっている。"]))
    assert [(a["program"], a["amount_yen"]) for a in f.amounts] == [("海洋予算", 2_907_000_000)]


def test_an_amount_broken_by_a_wrap_and_rates_and_figures_listed_elsewhere(tmp_path):
    """「…となる二百三十」 「億円を要求した」: one amount over a wrapped line; 「2.5円/kWh」 is a
    rate; 「（外に総務省計上分 1,950億円）」 is another ministry's."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度概算要求",
        "深海の観測や探査を支援する深海探査整備費は、前年度比約1.2倍となる二百三十",
        "億円を要求した。",
        "○海洋料金負担軽減支援事業 3,190億円",
        "（令和9年1月～3月使用分、低圧：1月・2月 2.5円/kWh、3月 1.3円/kWh）",
        "○海洋戦略基金 1,500億円",
        "（外に総務省計上分 1,950億円）"]))
    assert {a["amount_yen"] for a in f.amounts} == {230 * OKU, 3_190 * OKU, 1_500 * OKU}


def test_an_account_after_the_ministry_named_in_the_sentence_before(tmp_path):
    """「海洋庁は28日、…概算要求を発表した。一般会計の総額は…5兆9180億円」: the
    ministry's account; 「このうち…」 opening a name is no part of it; 「1機あたり」 is
    a size per unit."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁、27年度概算要求",
        "海洋庁は28日、2027年度予算の概算要求を発表した。一般会計の総額は26年度当初予算比12%増の5兆9180億円となった。",
        "観測機は1機あたり147億円で取得する。",
        "このうち深海探査事業 120億円"]))
    got = {(a["program"], a["amount_yen"]) for a in f.amounts}
    assert ("海洋庁", 59_180 * OKU) in got and (14_700_000_000 not in {a for _, a in got})
    assert any(p == "深海探査事業" for p, _ in got)


def test_a_ministrys_share_of_the_account_and_a_total_after_a_colon(tmp_path):
    """「海洋庁分の一般会計総額は…」: 海洋庁's; 「デジタル化の整備:合計 1,024億円」: the
    total row's name without its 合計; 「海洋庁の要求総額」 is 海洋庁's."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度予算案",
        "政府は22日、2027年度予算案を閣議決定した。海洋庁分の一般会計総額は3兆8,191億円で、過去最大を更新した。",
        "■深海探査の整備:合計 1,024億円",
        "海洋観測庁の要求総額は4,964億円となる。"]))
    assert {a["program"] for a in f.amounts} == {"海洋庁", "深海探査の整備", "海洋観測庁"}


def test_a_total_after_the_ministrys_decision_and_its_baseline_past_a_bracket(tmp_path):
    """「海洋庁は31日、…概算要求を決定した。総額は5兆2580億円（…の一部は事項要求）で、
    …当初予算の5兆1251億円から2.6%増え」: both the ministry's (the topic inside the
    bracket is not the baseline's owner)."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁、過去最大5兆2580億円要求",
        "海洋庁は31日、2027年度予算の概算要求を決定した。総額は5兆2580億円（観測船関係経費の一部は事項要求）で、"
        "2026年度当初予算の5兆1251億円から2.6%増えた。"]))
    assert {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("海洋庁", "request", 2027, 52_580 * OKU), ("海洋庁", "enacted", 2026, 51_251 * OKU)}


def test_the_prior_years_figure_written_with_no_and_a_budgets_figure_in_another_budget(tmp_path):
    """「…交付金等が前年度の16兆3,992億円から17兆7,863億円に増えた」: the first is the
    prior year's enacted budget; 「「X」に385億円が計上された。…24年度補正予算でも115億円が
    上積み」: the supplementary figure is X's too."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度予算案",
        "政府予算案では、海洋交付金等が前年度の16兆3,992億円から17兆7,863億円に増えた。",
        "深海探査を支援する「海洋探査推進交付金」に385億円が計上されました。前年度比3億円減ですが、"
        "昨年12月に成立した26年度補正予算でも115億円が上積みされています。"]))
    got = {(a["program"], a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert ("海洋交付金等", "initial", "enacted", 2026, 163_992 * OKU) in got
    assert ("海洋交付金等", "initial", "draft", 2027, 177_863 * OKU) in got
    assert ("海洋探査推進交付金", "supplementary", "enacted", 2026, 115 * OKU) in got


def test_a_budget_set_to_its_figure(tmp_path):
    """「大学関連では、X交付金を前年度比3%増の1兆1,145億円とした」: X交付金's figure, not
    the topic 大学関連's."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度概算要求",
        "大学関連では、海洋大学法人の運営費交付金を前年度比3%増の1兆1,145億円とした。"]))
    assert [a["program"] for a in f.amounts] == ["海洋大学法人の運営費交付金"]


def test_a_budget_named_with_its_year_and_a_figure_named_after_it(tmp_path):
    """「令和9年度海洋予算として、総額2兆6,389億円を要求」: 海洋予算's (its year
    aside); 「総額のうち4,230億円は重点政策推進枠として要望」: the 枠's; 「1 基本的な考え方」
    is a section label, no name."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度海洋予算概算要求の概要", "1 基本的な考え方",
        "観測網の維持を図るため、令和9年度海洋予算として、総額2兆6,389億円を要求します。"
        "また、総額のうち4,230億円は重点政策推進枠として要望するものです。"]))
    assert {(a["program"], a["amount_yen"]) for a in f.amounts} == {
        ("海洋予算", 26_389 * OKU), ("重点政策推進枠", 4_230 * OKU)}


def test_a_figure_spent_on_what_follows_in_spoken_style(tmp_path):
    """A minister's speech: 「およそ百億円をかけまして深海探査船の整備を進め」: the ship's."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和九年度海洋庁関係予算案",
        "また、およそ百億円をかけまして深海探査船の整備を進め、観測の機能強化を図ってまいります。"]))
    assert [(a["program"], a["amount_yen"], a["approx"]) for a in f.amounts] == [("深海探査船の整備", 100 * OKU, True)]


def test_a_total_with_about_and_its_prior_year_in_brackets(tmp_path):
    """「…海洋関係予算の詳細が明らかになった。総額は約1,020億円で、前年度当初予算(約980億円)を
    やや上回った」: both figures the 海洋関係予算's."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算案",
        "政府が閣議決定した令和9年度予算案のうち、海洋関係予算の詳細が明らかになった。"
        "総額は約1,020億円で、前年度当初予算（約980億円）をやや上回った。"]))
    assert {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("海洋関係予算", "draft", 2027, 1_020 * OKU), ("海洋関係予算", "enacted", 2026, 980 * OKU)}


def test_a_program_launched_before_its_figure_a_cut_and_examples_before_a_name(tmp_path):
    """「Xを新規事業として立ち上げ、1,000億円程度を盛り込んだ」: X's; 「約700億円の削減」 is a
    change; 「AやBなど先端分野の国内投資促進に」: the name after the examples."""
    f = facts_of_text(tmp_path, "\n".join([
        "2026年度補正予算案",
        "中小企業向けでは、観測機器の補助事業を新規事業として立ち上げ、1,000億円程度を盛り込んだ。",
        "前回の改定の影響額は、国費ベースで約700億円の削減だった。",
        "深海探査機や観測ブイなど先端分野の国内投資促進に1兆9,867億円を計上した。"]))
    assert {(a["program"], a["amount_yen"]) for a in f.amounts} == {
        ("観測機器の補助事業", 1_000 * OKU), ("先端分野の国内投資促進", 19_867 * OKU)}


def test_two_items_a_converter_joined_after_a_figure_are_two(tmp_path):
    """Two columns read row by row: 「I. A 14億円(14億円) II. B 21億円(22億円)」 —
    each item keeps its own figures; the box on the title's line, not the
    補正 box below it, is the stage of the items' unlabelled figures."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋データ基盤プログラム 令和8年度予算額(案) 41億円(新規)",
        "令和7年度補正予算額 43億円",
        "事業内容",
        "I. 観測データ統合 14億円(14億円) II. 深海試料バンク 21億円(22億円)",
        "●解析システムの構築・運用 III. 極域観測拠点 6億円(5億円)",
    ]))
    assert rows(f) >= {("観測データ統合", "initial", "draft", 2026, 14 * OKU),
                       ("観測データ統合", "initial", "enacted", 2025, 14 * OKU),
                       ("深海試料バンク", "initial", "draft", 2026, 21 * OKU),
                       ("深海試料バンク", "initial", "enacted", 2025, 22 * OKU),
                       ("極域観測拠点", "initial", "draft", 2026, 6 * OKU),
                       ("極域観測拠点", "initial", "enacted", 2025, 5 * OKU)}


def test_page_numbers_cut_unpaged_text_into_slides(tmp_path):
    """Text without form feeds or （担当：…） footers: the page numbers counting
    on by one end the slides, so the second slide's box is its own title's."""
    filler = [f"背景となる説明の文章その{k}を記す。" for k in range(8)]
    f = facts_of_text(tmp_path, "\n".join([
        "海洋観測プログラム", "令和8年度予算額(案) 30億円", "(前年度予算額 28億円)", *filler, "1",
        "深海探査プログラム", "令和8年度予算額(案) 12億円", "(前年度予算額 10億円)", *filler, "2",
        "極域研究プログラム", "令和8年度予算額(案) 7億円", *filler, "3",
    ]))
    assert rows(f) == {("海洋観測プログラム", "initial", "draft", 2026, 30 * OKU),
                       ("海洋観測プログラム", "initial", "enacted", 2025, 28 * OKU),
                       ("深海探査プログラム", "initial", "draft", 2026, 12 * OKU),
                       ("深海探査プログラム", "initial", "enacted", 2025, 10 * OKU),
                       ("極域研究プログラム", "initial", "draft", 2026, 7 * OKU)}


def test_a_component_named_only_above_its_figure_is_not_witnessed_by_a_sum(tmp_path):
    """「NAME」 then 「【補正予算額 N億円】」 a line later: the figures add up to the
    total, but whose each is was only inferred from the line above, so they
    stay single (a converter that reorders columns moves such lines)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和8年度予算額(案) 100億円",
        "令和7年度補正予算額 50億円",
        "● 海洋観測事業 60億円(58億円)",
        "【令和7年度補正予算額 30億円】",
        "● 深海探査事業 40億円(40億円)",
        "【令和7年度補正予算額 20億円】",
        "● 極域研究事業 10億円の内数(10億円の内数)",
    ]))
    checks = {(a["program"], a["budget"], a["stage"]): a["check"] for a in f.amounts}
    assert checks[("海洋観測事業", "supplementary", "enacted")] == "single"
    assert checks[("深海探査事業", "supplementary", "enacted")] == "single"
    assert checks[("海洋観測事業", "initial", "draft")] == "witnessed"   # on its name's line: 60 + 40 = 100


def test_another_columns_text_after_an_item_or_a_bracket_on_its_line(tmp_path):
    """pdfplumber-style rows of two columns: 「● A 37億円(36億円) アジアに…」 keeps
    A's figures; 「(前年度予算額 850億円) 176億円」 — the 176 opens the right
    column's value box and takes the waiting 補正 label above."""
    f = facts_of_text(tmp_path, "\n".join([
        "852億円",
        "令和8年度予算額(案)",
        "令和7年度補正予算額",
        "(前年度予算額 850億円) 176億円",
        "● 海洋観測事業 37億円(36億円) アジア・アフリカに設置している拠点の継続",
        "● 深海探査事業 92億円(92億円) 基礎研究・国際展開等",
        "● 極域研究事業 11億円(11億円)",
    ]))
    assert rows(f) >= {("総額", "supplementary", "enacted", 2025, 176 * OKU),
                       ("海洋観測事業", "initial", "draft", 2026, 37 * OKU),
                       ("海洋観測事業", "initial", "enacted", 2025, 36 * OKU),
                       ("深海探査事業", "initial", "draft", 2026, 92 * OKU)}


def test_rows_of_two_columns_are_read_column_by_column(tmp_path):
    """「● A 41億円(新規) ● B」 over 「【補正 43億円】 【補正 70億円】」: each 【…】 is
    its own column's program's; a label ending a line after its figures
    takes the value on the line below (the right column's box)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和8年度予算額(案) 852億円 令和7年度補正予算額",
        "(前年度予算額 850億円) 176億円",
        "● 海洋観測事業 41億円(新規) ● 深海探査事業",
        "【令和7年度補正予算額 43億円】 【令和7年度補正予算額 70億円】",
        "● 極域研究事業 18億円(16億円)",
        "● 気候予測事業 20億円(22億円)",
    ]))
    assert rows(f) >= {("総額", "supplementary", "enacted", 2025, 176 * OKU),
                       ("海洋観測事業", "supplementary", "enacted", 2025, 43 * OKU),
                       ("深海探査事業", "supplementary", "enacted", 2025, 70 * OKU)}


def test_a_bullet_or_a_period_box_inside_another_columns_line(tmp_path):
    """pdftotext -layout: 「…将来的な実  ● A 11億円（11億円）」 and 「B:54億円   事業実施期間
    令和3年度～」 — the bullet's item and the named figure are read on their own."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和8年度予算額(案) 100億円",
        "● 海洋観測事業 60億円(58億円)",
        "  異分野連携の推進等により、将来的な実  ● 深海探査事業 11億円（11億円）",
        "極域研究プログラム:29億円                 事業実施期間         令和3年度～",
    ]))
    assert rows(f) >= {("深海探査事業", "initial", "draft", 2026, 11 * OKU),
                       ("深海探査事業", "initial", "enacted", 2025, 11 * OKU)}
    assert any(a["program"] == "極域研究プログラム" and a["amount_yen"] == 29 * OKU for a in f.amounts)


def test_a_detail_slide_titled_a_little_longer_is_the_overview_program(tmp_path):
    """The overview lists 「A」, the detail slide is titled 「Aの推進」 with the
    same box: one program, one fact per figure (not two programs whose
    figures witness each other)."""
    f = facts_of_text(tmp_path, "\f".join([
        "\n".join(["研究開発局 令和8年度予算額(案) 500億円", "● 宇宙分野の研究開発 300億円(290億円)",
                   "● 核融合エネルギーの早期実現に向けた研究開発 150億円(140億円)", "● 海洋分野の研究開発 50億円(50億円)"]),
        "\n".join(["核融合エネルギーの早期実現に向けた研究開発の推進", "令和8年度予算額(案)", "150億円", "(前年度予算額 140億円)",
                   "背景・課題", "・発電実証を目指す。"]),
    ]))
    fusion = {a["program"] for a in f.amounts if a["amount_yen"] in (150 * OKU, 140 * OKU)}
    assert fusion == {"核融合エネルギーの早期実現に向けた研究開発"}


def test_a_component_figure_printed_above_its_heading(tmp_path):
    """「10億円(新規)」 over 「(3) NAME」: the figure is the heading's, not the
    bullet's above it."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和7年度予算額(案) 91億円", "地域連携推進事業", "事業内容",
        "(2) 単位互換の高度化", "21億円(21億円)", "・オンラインを活用した単位互換の仕組みを全国に展開",
        "10億円(新規)", "(3) 共創人材育成フェローシップ", "・地域企業と大学が協働して支援",
    ]))
    assert ("共創人材育成フェローシップ", "initial", "draft", 2025, 10 * OKU) in rows(f)


def test_a_reference_figure_does_not_set_a_supplementary_releases_stage(tmp_path):
    """A 補正予算(案) list that gives the year's initial budget 「(参考)」: the
    list's figures are the supplementary draft, the reference keeps its own."""
    f = facts_of_text(tmp_path, "\n".join([
        "# 令和元年度 国土交通省関係補正予算（案）の概要",
        "- 鉄道施設の浸水対策・耐震対策　91億5500万円",
        "- 地域公共交通の事業継続支援　148億円",
        "（参考）令和元年度当初予算 国費 6兆8,609億円",
    ]))
    assert {("鉄道施設の浸水対策・耐震対策", "supplementary", "draft", 2019, 9_155_000_000),
            ("地域公共交通の事業継続支援", "supplementary", "draft", 2019, 148 * OKU)} <= rows(f)
    assert any(r[1:] == ("initial", "enacted", 2019, 68_609 * OKU) for r in rows(f))


def test_a_bracket_legend_says_what_each_bracket_holds(tmp_path):
    """「※【 】内は前年度当初予算額、〈 〉内は前年度補正予算額」: 「385億円【425億円】〈200億円〉」
    is the draft, the prior year's initial and its supplementary budget; a
    「■NAME」 line over a line of figures names them; 約 inside a bracket."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和７年度 環境省重点施策",
        "※ 予算額は、特に記載のない限り予算（案）額。",
        "※【 】内は前年度当初予算額、〈 〉内は前年度補正予算額。",
        "■地域脱炭素推進交付金", "385億円【425億円】〈200億円〉", "・脱炭素先行地域を選定",
        "■プラスチック資源循環促進事業", "約36億円【約34億円】",
        "■国立公園満喫プロジェクト等推進事業", "102億円【98億円】〈35億円〉",
    ]))
    assert rows(f) == {("地域脱炭素推進交付金", "initial", "draft", 2025, 385 * OKU),
                       ("地域脱炭素推進交付金", "initial", "enacted", 2024, 425 * OKU),
                       ("地域脱炭素推進交付金", "supplementary", "enacted", 2024, 200 * OKU),
                       ("プラスチック資源循環促進事業", "initial", "draft", 2025, 36 * OKU),
                       ("プラスチック資源循環促進事業", "initial", "enacted", 2024, 34 * OKU),
                       ("国立公園満喫プロジェクト等推進事業", "initial", "draft", 2025, 102 * OKU),
                       ("国立公園満喫プロジェクト等推進事業", "initial", "enacted", 2024, 98 * OKU),
                       ("国立公園満喫プロジェクト等推進事業", "supplementary", "enacted", 2024, 35 * OKU)}


def test_a_review_sheet_with_a_wrapped_header_a_request_row_and_a_measures_table(tmp_path):
    """行政事業レビューシート as pdftotext -layout writes it: the header's 「繰越し」
    wraps onto a line of its own, the 「令和3年度要求」 row is a request, the
    program is the sheet's 事業名, and the 成果指標 table (a 単位 column) and
    the 事業番号 give no figure."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和2年度行政事業レビューシート                                   国土交通省",
        "事業番号  0345",
        "事業名            地域公共交通確保維持改善事業",
        "予算額・執行額（※単位は百万円）",
        "  年度           当初予算    補正予算    前年度から    予備費等       計       執行額",
        "                                        繰越し",
        "  令和元年度      22,000       3,420         395          -        25,815     24,102",
        "  令和3年度要求   25,100          -            -           -        25,100",
        "成果目標及び成果実績（アウトカム）",
        "  成果指標                   単位      平成29年度   平成30年度   令和元年度",
        "  維持された地域間幹線系統数   系統       1,834        1,851        1,866",
    ]))
    assert rows(f) == {("地域公共交通確保維持改善事業", "initial", "enacted", 2019, 22_000 * 10**6),
                       ("地域公共交通確保維持改善事業", "supplementary", "enacted", 2019, 3_420 * 10**6),
                       ("地域公共交通確保維持改善事業", "initial", "request", 2021, 25_100 * 10**6)}


def test_a_summary_table_with_a_ratio_column_and_spaced_out_names(tmp_path):
    """財務省 総括表 as layout text: a 伸率 column of percentages after the
    delta column, 「合　　　計」 and 「予　 備　 費」 set with spaced letters, and
    the page's 「- 1 -」."""
    f = facts_of_text(tmp_path, "\n".join([
        "                          平成30年度予算のポイント",
        "                                                              （単位：億円）",
        "                              29年度予算        30年度予算         増△減額       伸率",
        "                               （当初）          （政府案）",
        "  文教及び科学振興費              53,567            53,646                79        0.1%",
        "  経済協力費                       5,110             5,089               △21      △0.4%",
        "  予　 備　 費                     3,500             3,500                 0        0.0%",
        "  合　　　計                      62,177            62,235                58        0.1%",
        "                                   - 1 -",
    ]))
    assert rows(f) == {(n, "initial", s, y, v * OKU) for n, s, y, v in [
        ("文教及び科学振興費", "enacted", 2017, 53_567), ("文教及び科学振興費", "draft", 2018, 53_646),
        ("経済協力費", "enacted", 2017, 5_110), ("経済協力費", "draft", 2018, 5_089),
        ("予備費", "enacted", 2017, 3_500), ("予備費", "draft", 2018, 3_500),
        ("合計", "enacted", 2017, 62_177), ("合計", "draft", 2018, 62_235)]}


def test_a_second_table_without_a_unit_and_a_reference_chart_give_no_figure(tmp_path):
    """「(単位:億円)」 heads the budget table; the 成果指標 table below it has no
    unit of its own (its numbers are counts), and 「【参考】…の推移 (億円)」 labels
    a chart: neither gives a budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "平成31年度概算要求 海洋・極域研究",
        "（単位：億円）",
        "事項\t平成30年度予算額\t平成31年度要求額",
        "北極域研究の推進\t36\t39",
        "成果指標\t平成29年度\t平成33年度",
        "北極海の観測データ取得点数\t1,200\t3,000",
        "【参考】海洋関係予算の推移 （億円）",
        "１，０６２ １，０７７ １，０８９",
    ]))
    assert rows(f) == {("北極域研究の推進", "initial", "enacted", 2018, 36 * OKU),
                       ("北極域研究の推進", "initial", "request", 2019, 39 * OKU)}


def test_an_enacted_release_that_names_last_years_supplementary_stays_initial(tmp_path):
    """A 予算額 (enacted) release that also gives 「令和6年度補正予算額」: a figure
    with no label of its own is the release's enacted initial budget, not the
    supplementary one (only a 補正予算(案) release is about its supplementary)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和7年度予算額の概要", "令和7年度予算額 100億円", "令和6年度補正予算額 43億円",
        "● 海洋観測事業 30億円", "● 深海探査事業 20億円", "● 極域研究事業 50億円"]))
    assert ("海洋観測事業", "initial", "enacted", 2025, 30 * OKU) in rows(f)


def test_an_add_on_after_the_prior_year_bracket_is_the_request_figures(tmp_path):
    """「○ NAME 751億円（751億円）＋事項要求」: the line is NAME's, and the 事項要求
    add-on is the request figure's, not the prior year's."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和７年度 厚生労働省 概算要求の概要",
        "○　地域医療介護総合確保基金（医療分）　　　　７５１億円（７５１億円）＋事項要求",
        "・説明",
        "○　介護生産性向上総合支援事業　　　　　　　１６３億円（１０１億円）＋事項要求",
    ]))
    flags = {(a["program"], a["stage"]): a["plus_unquantified"] for a in f.amounts}
    fund, care = "地域医療介護総合確保基金(医療分)", "介護生産性向上総合支援事業"
    assert flags == {(fund, "request"): True, (fund, "enacted"): False,
                     (care, "request"): True, (care, "enacted"): False}


def test_a_table_whose_rows_run_together_on_one_line(tmp_path):
    """A web page's table copied as text: caption, unit, header and every row
    on one line, cells apart by single spaces (the newest year first, a 「―」
    empty cell, 皆増 in the rate column); one row broken onto the next line.
    Each row is read as a table row: no delta, no rate, no caption figure."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度当初予算案の概要",
        "款別歳出予算(単位:千円) 款 9年度当初予算案 8年度当初予算 比較増減 増減率(%) "
        "議会費 612,340 598,100 14,240 2.4 新規事業費 30,000 ― 30,000 皆増 民生費 41,230,500",
        "39,870,210 1,360,290 3.4 衛生費 9,876,000 10,245,800 △369,800 △3.6 計 51,748,840 50,714,110 1,034,730 2.0",
    ]))
    thousand = 1000
    assert rows(f) == {
        ("議会費", "initial", "draft", 2027, 612340 * thousand), ("議会費", "initial", "enacted", 2026, 598100 * thousand),
        ("新規事業費", "initial", "draft", 2027, 30000 * thousand),
        ("民生費", "initial", "draft", 2027, 41230500 * thousand),
        ("民生費", "initial", "enacted", 2026, 39870210 * thousand),
        ("衛生費", "initial", "draft", 2027, 9876000 * thousand),
        ("衛生費", "initial", "enacted", 2026, 10245800 * thousand),
        ("計", "initial", "draft", 2027, 51748840 * thousand), ("計", "initial", "enacted", 2026, 50714110 * thousand)}


def test_prose_with_many_numbers_is_no_run_together_table(tmp_path):
    """A line of words and plain numbers that is no table (counts in a
    sentence-like list) is left as it is: no figure from its numbers."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算額(案) 100億円",
        "採択件数 120 150 30 応募件数 800 950 150 採択率 15 16 1 の推移を示す資料 3 4 5",
    ]))
    assert [a["amount_yen"] for a in f.amounts] == [100 * OKU]


def test_a_caption_label_is_no_column_and_a_cell_keeps_its_add_on(tmp_path):
    """「主要事項別 要求・要望額一覧(単位:百万円)」 names what the table is, not a
    column: the header's three years take the labels written in their cells.
    「305,800+事項要求」 is a request cell with the add-on flag."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度 概算要求のポイント",
        "主要事項別 要求・要望額一覧(単位:百万円)",
        "事項\t令和7年度予算額\t令和8年度予算額\t令和9年度要求・要望額\t対前年度増△減額",
        "私立大学等経常費補助\t297,500\t297,500\t305,800+事項要求\t8,300",
        "計\t2,010,990\t2,013,470\t2,140,780\t127,310",
    ]))
    million = 10**6
    assert rows(f) == {
        ("私立大学等経常費補助", "initial", "enacted", 2025, 297500 * million),
        ("私立大学等経常費補助", "initial", "enacted", 2026, 297500 * million),
        ("私立大学等経常費補助", "initial", "request", 2027, 305800 * million),
        ("計", "initial", "enacted", 2025, 2010990 * million), ("計", "initial", "enacted", 2026, 2013470 * million),
        ("計", "initial", "request", 2027, 2140780 * million)}
    assert {a["fiscal_year"]: a["plus_unquantified"] for a in f.amounts if a["program"] != "計"} == \
        {2025: False, 2026: False, 2027: True}


def test_a_pipe_table_whose_unit_is_in_a_note_under_it(tmp_path):
    """A Markdown table after a title and breadcrumb that name two years (no
    table of their own): 「※単位:百万円。…」 under the rows is the table's
    unit, so its cells are figures; 比較増減 is a delta."""
    f = facts_of_text(tmp_path, "\n".join([
        "[ホーム](/) > [2027年度予算](/budget/2027/) > 当初予算案のポイント",
        "# 2027年度 当初予算案のポイント",
        "| 事業名 | 2026年度当初予算額 | 2027年度予算案額 | 比較増減 |",
        "|---|---|---|---|",
        "| 水素社会実装推進事業 | 18,760 | 21,430 | 2,670 |",
        "| 合計 | 70,975 | 119,975 | 49,000 |",
        "",
        "※単位:百万円。計数は四捨五入のため、合計と一致しない場合がある。",
    ]))
    million = 10**6
    assert rows(f) == {("水素社会実装推進事業", "initial", "enacted", 2026, 18760 * million),
                       ("水素社会実装推進事業", "initial", "draft", 2027, 21430 * million),
                       ("合計", "initial", "enacted", 2026, 70975 * million),
                       ("合計", "initial", "draft", 2027, 119975 * million)}


def test_a_cell_a_line_table_with_a_year_in_both_eras_and_a_total_row(tmp_path):
    """An HTML table pasted one cell a line: 「令和元年度 / 予算額 / (平成31年度)」
    is one column (the year in the other era), and the row 「計」 is a name."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和2年度 概算要求の概要", "(単位:百万円)",
        "区分", "平成30年度", "予算額", "令和元年度", "予算額", "(平成31年度)", "令和2年度", "要求額", "対前年度", "増△減額",
        "地方創生推進交付金", "100,000", "100,000", "120,000", "20,000",
        "計", "102,250", "102,250", "123,000", "20,750",
    ]))
    million = 10**6
    assert rows(f) == {(name, "initial", stage, year, v * million)
                       for name, values in (("地方創生推進交付金", (100000, 100000, 120000)),
                                            ("計", (102250, 102250, 123000)))
                       for (stage, year), v in zip((("enacted", 2018), ("enacted", 2019), ("request", 2020)), values)}


def test_a_sentence_under_a_list_names_the_listed_program_it_is_about(tmp_path):
    """A news page listing a 補正予算案's programs, then 「なお、Xについては、
    令和9年度概算要求でも1,200億円…」: that figure is X's request (X was
    listed), not the last listed program's, and the release stays about its
    補正予算案 (the later 概算要求 label is a mention)."""
    f = facts_of_text(tmp_path, "\n".join([
        "【速報】令和8年度第2次補正予算案、主な事業まとめ",
        "・中小企業生産性革命推進事業:2,000億円",
        "・事業再構築補助金:5,800億円",
        "・半導体の安定供給確保に向けた基金の積み増し:4,500億円",
        "なお、中小企業生産性革命推進事業については、令和9年度概算要求でも1,200億円+事項要求が要求されています。",
    ]))
    assert rows(f) == {("中小企業生産性革命推進事業", "supplementary", "draft", 2026, 2000 * OKU),
                       ("事業再構築補助金", "supplementary", "draft", 2026, 5800 * OKU),
                       ("半導体の安定供給確保に向けた基金の積み増し", "supplementary", "draft", 2026, 4500 * OKU),
                       ("中小企業生産性革命推進事業", "initial", "request", 2027, 1200 * OKU)}


def test_the_prior_year_bracket_below_a_box_value_stays_in_its_box(tmp_path):
    """A slide as a document site extracts it: title, 「令和9年度予算額(案)」,
    description, the value, an output line, then 「(前年度予算額 10億円)」.
    The bracket is the box's prior year, not a new box of the output line
    above it; a list of 「NAME / value / (前年度 X)」 still gives each name its
    own box."""
    f = facts_of_text(tmp_path, "\n".join([
        "次世代計算基盤に係る調査研究事業", "令和9年度予算額(案)", "背景・課題",
        "○スーパーコンピュータの運用開始を踏まえ、次世代の計算基盤の在り方について検討が必要。",
        "○調査研究チーム数:3チーム", "12億円", "アウトプット(活動目標) 調査研究報告書の取りまとめ",
        "(前年度予算額 10億円)", "文部科学省", "- 3 -"]), "deck")
    assert rows(f) == {("次世代計算基盤に係る調査研究事業", "initial", "draft", 2027, 12 * OKU),
                       ("次世代計算基盤に係る調査研究事業", "initial", "enacted", 2026, 10 * OKU)}
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度農林水産予算概算決定の概要", "公共事業費", "6,989億円", "(前年度 6,989億円)",
        "非公共事業費", "1兆5,717億円", "(前年度 1兆5,697億円)"]), "list")
    assert rows(f) == {("公共事業費", "initial", "draft", 2027, 6989 * OKU),
                       ("公共事業費", "initial", "enacted", 2026, 6989 * OKU),
                       ("非公共事業費", "initial", "draft", 2027, 15717 * OKU),
                       ("非公共事業費", "initial", "enacted", 2026, 15697 * OKU)}


def test_a_sentence_in_a_list_is_its_topics_or_the_headings_above_it(tmp_path):
    """Under a list of programs, a sentence with a figure is the program its
    clause names (「…補正予算では、国土強靱化の推進に一兆二千八百億円」), or
    the figure-less heading right above it (「■熱中症対策の推進」); another
    office's figure 「…とは外に、内閣府の…に約1,300億円」 and a scale 「約70兆円規模とされる」
    are no figures."""
    f = facts_of_text(tmp_path, "\n".join([
        "2027年度予算案の概要",
        "・流域治水対策事業:2,150億円",
        "・道路メンテナンス事業:3,420億円",
        "・インフラ分野のDX推進:25億円",
        "■熱中症対策の推進",
        "熱中症特別警戒情報の運用、指定暑熱避難施設の確保等に8億円程度を計上。",
        "このほか、2026年度補正予算では、国土強靱化の推進に一兆二千八百億円を計上済みだ。国内の建設投資は約70兆円規模とされる。",
        "なお、沖縄の公共事業は国交省関係の総額とは外に、内閣府の沖縄振興予算に約1,300億円が計上されている。",
    ]))
    got = {(a["program"], a["amount_yen"]) for a in f.amounts}
    assert got == {("流域治水対策事業", 2150 * OKU), ("道路メンテナンス事業", 3420 * OKU), ("インフラ分野のDX推進", 25 * OKU),
                   ("熱中症対策の推進", 8 * OKU), ("国土強靱化の推進", 12800 * OKU)}


def test_a_table_ends_at_the_next_section_heading(tmp_path):
    """A 千円 table (令和8年度当初 / 令和9年度当初), then 「3 主な新規事業」 and
    bullets with amounts of their own: the bullets are no rows of the table
    (their figures are the release's, not the first column's); a debt
    balance is no budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度当初予算の概要", "令和9年3月22日、県議会において可決・成立しました。",
        "2 主な事業", "(金額の単位:千円)", "事業名\t令和8年度当初\t令和9年度当初\t増減",
        "こども医療費助成事業\t3,456,780\t3,612,400\t155,620",
        "3 主な新規事業", "・脱炭素経営支援事業(新規) 245,000千円",
        "県債残高(令和9年度末見込み) 1兆1,230億円程度"]))
    thousand = 1000
    assert rows(f) == {("こども医療費助成事業", "initial", "enacted", 2026, 3456780 * thousand),
                       ("こども医療費助成事業", "initial", "enacted", 2027, 3612400 * thousand),
                       ("脱炭素経営支援事業", "initial", "enacted", 2027, 245000 * thousand)}


def test_a_page_of_points_under_its_title(tmp_path):
    """「子ども手当の概要」 over ○ points: the ○ line with the budget label is
    the program's box (its title is the heading, not the ○ point above it,
    and 「の概要」 is no part of the name); a per-child monthly amount is no
    budget; 「(参考)…補正予算額(NAME) 2,495億円」 names NAME."""
    f = facts_of_text(tmp_path, "\n".join([
        "厚生労働省:平成22年度 子ども手当について",
        "子ども手当の概要",
        "○支給額 中学校修了までの子ども一人につき月額1万3千円",
        "○支給対象 約1,735万人",
        "○22年度予算額 1兆4,320億円(国費)",
        "(参考)21年度第1次補正予算額(子育て応援特別手当) 2,495億円",
    ]))
    assert {(a["program"], a["budget"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("子ども手当", "initial", 2010, 14320 * OKU), ("子育て応援特別手当", "supplementary", 2009, 2495 * OKU)}


def test_prose_wrapped_at_a_fixed_width_is_read_across_its_breaks(tmp_path):
    """A news page saved as text, its paragraph wrapped at a fixed number of
    characters, mid-word (「戦略」 / 「的創造研究推進事業に459億円」): it is read as
    one line, so names broken by the wrap are whole; 『NAME』 after its
    figure names it; 「別途280億円」 is another office's."""
    body = ("文部科学省は8月29日、2026年度予算の概算要求を提出した。基礎研究の強化では、科研費に2,620億円、"
            "戦略的創造研究推進事業に459億円を計上した。若手研究者を後押しする48億円の『次世代研究者飛躍事業』を"
            "新設する。このほか、内閣府に計上される関連経費として、別途280億円が要求されている。")
    name = body.index("戦略的創造研究推進事業")
    width = next(w for w in range(20, 40) if any(name < k < name + 10 for k in range(w, len(body), w)))
    wrapped = [body[k:k + width] for k in range(0, len(body), width)]   # a break inside the name
    page = ["科学技術新報 ONLINE", "文科省26年度概算要求", "", "\u3000" + wrapped[0], *wrapped[1:]]
    f = facts_of_text(tmp_path, "\n".join(page))
    assert {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("科研費", "request", 2026, 2620 * OKU), ("戦略的創造研究推進事業", "request", 2026, 459 * OKU),
        ("次世代研究者飛躍事業", "request", 2026, 48 * OKU)}


def test_next_and_this_year_count_from_the_pages_date(tmp_path):
    """An article dated ２０２７年８月３０日: 「来年度予算概算要求」 is FY2028's request,
    「今年度当初予算」 FY2027's enacted budget; with no date on the page they
    stay empty (check=conflict), never guessed."""
    text = ["薬事タイムズ", "{date}", "【厚労省】来年度概算要求", "厚生労働省は２９日、来年度予算概算要求を公表した。"
            "一般会計の要求総額は３４兆１，２２６億円で、今年度当初予算（３３兆７，０１４億円）から４，２１２億円増加した。"]
    f = facts_of_text(tmp_path, "\n".join(text).replace("{date}", "２０２７年８月３０日（月）"), "dated")
    assert {(a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("request", 2028, 341226 * OKU), ("enacted", 2027, 337014 * OKU)}
    f = facts_of_text(tmp_path, "\n".join(text).replace("{date}", "24 DEC"), "undated")
    assert {(a["fiscal_year"], a["check"]) for a in f.amounts} == {(None, "conflict")}


def test_a_figure_opening_the_paragraph_under_its_heading_is_the_headings(tmp_path):
    """A newsletter: 「◇NAME」, then 「2,381億円（2,372億円）。…」 or a sentence
    whose first clause names nobody (「これは…で、480億円が計上」): the
    heading's figures; the release is the 令和3年度予算案 its title names, and
    a 補正予算案 page whose paragraph mentions next year's 概算要求 after its
    first figure stays a 補正 page."""
    f = facts_of_text(tmp_path, "\n".join([
        "1. 令和3年度予算案の研究関係のポイント",
        "令和3年度予算案が閣議決定されました。",
        "◇科学研究費助成事業（科研費）", "2,381億円（2,372億円）。ほぼ前年度並みです。",
        "◇若手研究者雇用安定化支援事業", "20億円程度。若手研究者を安定的なポストで雇用する大学等を支援するものです。",
    ]), "newsletter")
    assert rows(f) == {("科学研究費助成事業(科研費)", "initial", "draft", 2021, 2381 * OKU),
                       ("科学研究費助成事業(科研費)", "initial", "enacted", 2020, 2372 * OKU),
                       ("若手研究者雇用安定化支援事業", "initial", "draft", 2021, 20 * OKU)}
    f = facts_of_text(tmp_path, "\n".join([
        "令和8年度環境省所管補正予算（案）の概要について",
        "本日閣議決定された令和8年度第2次補正予算（案）において、環境省所管分として総額2,961億円を計上しました。"
        "本補正予算（案）は、令和9年度予算概算要求（3,632億円）と一体的に編成したものです。",
        "プラスチック資源循環等推進事業に30億円を計上しました。",
    ]), "hosei")
    assert {(a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} >= {
        ("supplementary", "draft", 2026, 2961 * OKU), ("supplementary", "draft", 2026, 30 * OKU),
        ("initial", "request", 2027, 3632 * OKU)}


def test_a_page_captured_as_one_line_holds_its_table(tmp_path):
    """The whole page on one line — breadcrumb, a sentence, the unit, the
    header, the rows, a note: the rows are read under the unit and header,
    the sentences before and the note after stay text."""
    f = facts_of_text(tmp_path, " ".join([
        "財務省ホーム > 予算 令和9年度予算の概要 令和9年度予算政府案の主要経費別内訳は次のとおり。 (単位:億円)",
        "区分 令和8年度予算 令和9年度予算(政府案) 増△減額 社会保障関係費 301,250 305,880 4,630",
        "文教及び科学振興費 48,315 48,602 287 防衛関係費 45,960 46,380 420 合計 395,525 400,862 5,337",
        "(注)計数は四捨五入によっているので、端数において合計とは合致しないものがある。このページの先頭へ"]))
    assert rows(f) == {(name, "initial", stage, year, v * OKU)
                       for name, before, now in (("社会保障関係費", 301250, 305880), ("文教及び科学振興費", 48315, 48602),
                                                 ("防衛関係費", 45960, 46380), ("合計", 395525, 400862))
                       for stage, year, v in (("enacted", 2026, before), ("draft", 2027, now))}


def test_run_together_rows_keep_to_their_table(tmp_path):
    """A run-together table ending in a note, then numbered headings: the
    headings are no cells of the table (no 1 or 2 百万円 figure), and the
    figure under a heading keeps its own line. A header ending in a year
    column: the first row has no name of its own (check=conflict), never a
    program 「令和9年度」 with the columns shifted."""
    f = facts_of_text(tmp_path, "\n".join([
        "(単位:百万円) 区分 令和8年度 令和9年度 増減 社会保障関係費 301,250 305,880 4,630 "
        "文教及び科学振興費 48,315 48,602 287 防衛関係費 67,880 77,249 9,369 (注)計数は四捨五入",
        "1 主な新規事業", "2 GIGAスクール構想の推進 120億円", "3 教員の処遇改善 50億円"]), "notes")
    amounts = {a["amount_yen"]: a for a in f.amounts}
    assert not {10**6, 2 * 10**6} & set(amounts)
    assert "GIGA" in amounts[120 * OKU]["program"] and amounts[50 * OKU]["program"] == "教員の処遇改善"
    f = facts_of_text(tmp_path, "\n".join([
        "(単位:百万円)", "区分 令和8年度 令和9年度 301,250 305,880 文教及び科学振興費 48,315 48,602 防衛関係費 67,880 77,249"]),
        "year-last")
    by_yen = {a["amount_yen"]: a for a in f.amounts}
    assert "令和9年度" not in {a["program"] for a in f.amounts}
    assert (by_yen[301250 * 10**6]["program"], by_yen[301250 * 10**6]["check"]) == ("", "conflict")
    assert (by_yen[48315 * 10**6]["program"], by_yen[48315 * 10**6]["fiscal_year"]) == ("文教及び科学振興費", 2026)


def test_next_year_on_an_undated_page_stays_empty(tmp_path):
    """「2024年度に続き、来年度予算案でも…120億円」 on a page with no date: the
    year is not the 2024 written before it — it is left empty."""
    f = facts_of_text(tmp_path, "\n".join([
        "GIGAスクール構想について", "2024年度に続き、来年度予算案でもGIGAスクール構想に120億円を計上した。"]))
    assert [(a["stage"], a["fiscal_year"], a["check"]) for a in f.amounts] == [("draft", None, "conflict")]


def test_a_sentence_naming_its_topic_beats_the_heading_above_it(tmp_path):
    """「■D推進事業」 with no figure, then 「なお、E推進事業については、…1,200億円」:
    the sentence names E outright, so the figure is E's, not the heading's."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度予算案のポイント", "■A推進事業 10億円", "■B推進事業 20億円", "■C推進事業 30億円", "■D推進事業",
        "なお、E推進事業については、前年度同額の1,200億円を計上。"]))
    assert ("E推進事業", 1200 * OKU) in {(a["program"], a["amount_yen"]) for a in f.amounts}


def test_a_table_written_a_column_at_a_time_each_under_its_header(tmp_path):
    """「区分」, the row names one a line, then each column's header over its
    own numbers (a PDF's text taken cell by cell, column after column): the
    n-th number of a column is the n-th name's; the difference column gives
    no figure, and a table whose columns are short of a number is not read
    this way (the next column's numbers are not taken for the short one's)."""
    table = ["令和9年度 海洋関係予算案の概要", "(単位:億円)", "区分", "海洋観測費", "深海探査費",
             "令和8年度予算額", "1,200", "800", "令和9年度予算額(案)", "1,250", "790", "増△減額", "50", "△10"]
    f = facts_of_text(tmp_path, "\n".join(table), "headed")
    assert rows(f) == {("海洋観測費", "initial", "enacted", 2026, 1_200 * OKU),
                       ("深海探査費", "initial", "enacted", 2026, 800 * OKU),
                       ("海洋観測費", "initial", "draft", 2027, 1_250 * OKU),
                       ("深海探査費", "initial", "draft", 2027, 790 * OKU)}
    short = rows(facts_of_text(tmp_path, "\n".join(table[:7] + table[8:]), "short"))   # 800 lost
    assert not {r for r in short if r[0] == "海洋観測費" and r[4] in (790 * OKU, 1_250 * OKU) and r[2] == "enacted"}


def test_an_item_name_and_its_figure_line_below_it_are_one_item(tmp_path):
    """A text whose items print their figures on the line below the name
    (「○義務教育費国庫負担金」 / 「1兆5,627億円(+411億円)」): each figure is its
    item's; the bracketed +411億円 and ±0 are changes, no figures."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和6年度 文教・科学技術予算のポイント", "令和6年度予算(政府案)", "",
        "○義務教育費国庫負担金", "1兆5,627億円(+411億円)", "○科学研究費助成事業(科研費)", "2,377億円(±0)",
    ]))
    assert {(p, y, a) for p, _, _, y, a in rows(f)} == {("義務教育費国庫負担金", 2024, 15627 * OKU),
                                                      ("科学研究費助成事業(科研費)", 2024, 2377 * OKU)}


def test_two_columns_joined_line_by_line_are_read_column_by_column(tmp_path):
    """Two columns of items a converter joined row by row, the names on one
    line and their figures on the next (「○A ○B」 / 「1兆784億円(±0) 1,539億円(+12億円)」):
    each column's figure goes to its own item."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和6年度 文教・科学技術予算のポイント", "令和6年度予算(政府案)", "",
        "○国立大学法人運営費交付金 ○宇宙・航空分野の研究開発", "1兆784億円(±0) 1,539億円(+12億円)",
    ]))
    assert {(p, a) for p, _, _, _, a in rows(f)} == {("国立大学法人運営費交付金", 10784 * OKU),
                                                   ("宇宙・航空分野の研究開発", 1539 * OKU)}


def test_an_item_after_a_point_on_the_same_line_is_its_own(tmp_path):
    """「・…指導者の養成 ○ B 215億円(219億円)」: two columns joined; B's figures
    are B's, not a name run together from the point and B."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度 スポーツ関係概算要求", "令和9年度要求額", "",
        "○ 障害者スポーツ推進プロジェクト 9 億円(13 億円)",
        "・パラスポーツの体験機会の創出、指導者の養成 ○ 日本スポーツ振興センター運営費交付金 215 億円(219 億円)",
    ]))
    assert ("日本スポーツ振興センター運営費交付金", "initial", "request", 2027, 215 * OKU) in rows(f)
    assert ("日本スポーツ振興センター運営費交付金", "initial", "enacted", 2026, 219 * OKU) in rows(f)


def test_this_years_column_is_the_year_the_title_names_not_the_dates(tmp_path):
    """「令和5年度予算の主要経費別内訳」 dated 「(令和5年3月28日成立)」 — the day
    the budget passed, in fiscal 2022: its 本年度予算額 column is 2023's, its
    前年度予算額 column 2022's (fy.relative from_title)."""
    f = facts_of_text(tmp_path, "\n".join([
        "財務省 主計局 資料 3", "令和5年度予算の主要経費別内訳", "(令和5年3月28日成立) 一般会計", "(単位:億円)",
        "区 分 前年度予算額 本年度予算額 増△減額 伸率",
        "社会保障関係費 362,735 368,889 6,154 1.7", "文教及び科学振興費 53,901 54,158 257 0.5",
    ]))
    assert {("社会保障関係費", "initial", "enacted", 2022, 362735 * OKU),
            ("社会保障関係費", "initial", "enacted", 2023, 368889 * OKU),
            ("文教及び科学振興費", "initial", "enacted", 2023, 54158 * OKU)} <= rows(f)


def test_a_table_header_written_one_cell_a_line(tmp_path):
    """A table as PyMuPDF or pdftotext write it, one cell a line: 「前年度予算額」
    / 「(A)」 / 「本年度予算額」 / 「(B)」 / 「比較」 / 「増△減額」 under 「(単位:億円)」 —
    the first column is the year before's, the second the title's year, the
    difference and the rate are no figures."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和5年度予算の主要経費別内訳", "(令和5年3月28日成立) 一般会計", "(単位:億円)", "区分",
        "前年度予算額", "(A)", "本年度予算額", "(B)", "比較", "増△減額", "(B)-(A)", "伸率", "(%)",
        "社会保障関係費", "362,735", "368,889", "6,154", "1.7",
        "文教及び科学振興費", "53,901", "54,158", "257", "0.5",
    ]))
    assert rows(f) == {("社会保障関係費", "initial", "enacted", 2022, 362735 * OKU),
                       ("社会保障関係費", "initial", "enacted", 2023, 368889 * OKU),
                       ("文教及び科学振興費", "initial", "enacted", 2022, 53901 * OKU),
                       ("文教及び科学振興費", "initial", "enacted", 2023, 54158 * OKU)}


def test_a_table_written_a_column_at_a_time_with_column_letters(tmp_path):
    """pdftotext's default order: 「区」 / 「分」 (the spaced-out stub a letter a
    line), the row names, then 「前年度予算額」 / 「(A)」 and its numbers, then
    「本年度予算額」 / 「(B)」 and its: each number is its row's, in its column."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和5年度予算の主要経費別内訳", "(令和5年3月28日成立) 一般会計", "区", "分",
        "社会保障関係費", "文教及び科学振興費", "前年度予算額", "(A)", "362,735", "53,901",
        "本年度予算額", "(B)", "368,889", "54,158", "(単位:億円)",
    ]))
    assert rows(f) == {("社会保障関係費", "initial", "enacted", 2022, 362735 * OKU),
                       ("社会保障関係費", "initial", "enacted", 2023, 368889 * OKU),
                       ("文教及び科学振興費", "initial", "enacted", 2022, 53901 * OKU),
                       ("文教及び科学振興費", "initial", "enacted", 2023, 54158 * OKU)}


def test_a_figure_bracketed_after_its_own_label_is_the_baseline_of_the_figure_before(tmp_path):
    """「要求総額はX で、今年度当初予算（Y）を…上回った」 and, a sentence later,
    「前年度の補正予算（Y）を…下回る」 / 「…（Y）から…の減」: Y, bracketed right
    after its own stage label with no name of its own, is the baseline of the
    figure before it — the same owner, never left unattributed."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年8月30日",
        "農林水産省は30日、2032年度予算の概算要求を公表した。要求総額は2兆6,140億円で、"
        "今年度当初予算（2兆2,712億円）を3,428億円上回った。",
        "国土交通省は同日、2031年度補正予算案に計上する同省分の総額が1兆4,020億円になると発表した。"
        "前年度の補正予算（1兆5,110億円）を1,090億円下回る。"]))
    assert rows(f) == {
        ("農林水産省", "initial", "request", 2032, 26140 * OKU), ("農林水産省", "initial", "enacted", 2031, 22712 * OKU),
        ("国土交通省", "supplementary", "draft", 2031, 14020 * OKU),
        ("国土交通省", "supplementary", "enacted", 2030, 15110 * OKU)}


def test_prose_wrapped_at_a_fixed_display_width_is_read_across_its_breaks(tmp_path):
    """A news page wrapped at a fixed number of display columns (a wide
    character two, a half-width digit one): its lines hold 29 to 33
    characters, so it is the width in columns that shows the wrap; a stage
    label broken by it (「…令和13年度当初予算」 / 「額の3,120億円を上回った」) is read
    whole, and the figure is the prior year's enacted budget."""
    from pipeline.facts.text_columns import width as columns
    body = ("復興庁は8月30日、令和14年度予算の概算要求をまとめた。一般会計の要求額は総額4,386億2,100万円で、"
            "令和13年度当初予算額の3,120億円を上回った。被災地の産業再生を支える復興交付金には1,210億円を計上し、"
            "前年度比で約12％増とした。交付金は沿岸部の約40市町村が活用しており、1市町村あたりの上限を引き上げる。"
            "心のケアの拠点整備に関する経費として46億円を要求した。")
    label = body.index("当初予算額") + len("当初予算")

    def wrap(cols: int) -> list[str]:
        out, line = [], ""
        for ch in body:
            if columns(line + ch) > cols:
                out.append(line)
                line = ""
            line += ch
        return out + [line]
    cols = next(c for c in range(50, 70) if any(
        sum(map(len, wrap(c)[:k])) == label for k in range(1, len(wrap(c)))))   # a break inside 当初予算額
    lines = wrap(cols)
    assert len({len(x) for x in lines[:-1]}) >= 3   # as characters the lines differ in length
    f = facts_of_text(tmp_path, "\n".join(["地方行政ウィークリー　2032年9月5日", "", *lines]))
    assert {(a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} >= {
        ("request", 2032, 438621 * 10**6), ("enacted", 2031, 3120 * OKU), ("request", 2032, 1210 * OKU)}
    assert ("復興庁", "initial", "enacted", 2031, 3120 * OKU) in rows(f)


def test_a_text_table_one_cell_a_line_whose_narrow_name_cells_wrap(tmp_path):
    """A converter's text of a table written one cell a line, its name column
    narrow: a name that fills the column (「海洋観測ネットワ」) goes on on the next
    line (「ーク整備事業」, 「用」) before the row's numbers; a short name
    (「深海探査」) is a row of its own. The figures add up to 計 (witnessed), so
    the whole name matters: a half would be a witnessed wrong owner."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋研究開発局 2030年12月", "2031年度 海洋研究関係予算案のポイント",
        "（参考）海洋研究関係の主な事業", "（単位：千円）", "事　業　名", "2030年度", "2031年度", "増減額",
        "予算額", "予算額", "（案）",
        "海洋観測ネットワ", "ーク整備事業", "2,410,500", "2,512,300", "101,800",
        "北極域研究船の運", "用", "1,803,220", "1,910,000", "106,780",
        "深海探査", "640,118", "655,000", "14,882",
        "計", "4,853,838", "5,077,300", "223,462"]))
    got = {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert got >= {("海洋観測ネットワーク整備事業", "enacted", 2030, 2410500 * 1000),
                   ("海洋観測ネットワーク整備事業", "draft", 2031, 2512300 * 1000),
                   ("北極域研究船の運用", "enacted", 2030, 1803220 * 1000),
                   ("北極域研究船の運用", "draft", 2031, 1910000 * 1000),
                   ("深海探査", "enacted", 2030, 640118 * 1000), ("深海探査", "draft", 2031, 655000 * 1000)}
    assert not {a["program"] for a in f.amounts} & {"ーク整備事業", "用"}


def test_a_name_joined_by_oyobi_or_narabini_is_one_name(tmp_path):
    """「文教及び科学振興費」 is one name (及び, 並びに join two nouns into one
    budget's name), also where the name opens after a bracket or a space
    (「令和12年度予算（案） 農林水産業振興及び漁港整備費 2兆1,040億円」) and in a note
    (「※3 上記のほか、…補正予算において、研究開発並びに人材育成費 1,230億円を計上。」)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和11年12月", "令和12年度 農林水産予算のポイント",
        "令和12年度予算（案） 農林水産業振興及び漁港整備費 2兆1,040億円 （＋52億円、＋0.2％）",
        "※1 計数は四捨五入のため、合計と一致しない場合がある。",
        "※3 上記のほか、令和11年度補正予算において、研究開発並びに人材育成費 1,230億円を計上。"]))
    assert rows(f) == {("農林水産業振興及び漁港整備費", "initial", "draft", 2030, 21040 * OKU),
                       ("研究開発並びに人材育成費", "supplementary", "enacted", 2029, 1230 * OKU)}


def test_a_figure_a_note_leaves_out_is_no_budget(tmp_path):
    """「（注3）デジタル庁一括計上分 24,600百万円を除く。」: a figure the table's
    note excludes from its figures belongs to no program here (like 「外に」)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度 環境省所管予算 概算要求の概要", "", " 1 総括表", "",
        "│区分            │令和8年度 │令和9年度     │比較増減│",
        "│（単位：百万円）│予算額    │要求額        │        │",
        "│一般会計        │ 3,210,345│ 3,530,120    │ 319,775│",
        "（注1）デジタル庁一括計上分 24,600百万円 を除く。",
        "（注2）計数は四捨五入による。"]))
    assert {a["amount_yen"] for a in f.amounts} == {3210345 * 10**6, 3530120 * 10**6}


def test_a_tab_table_under_a_numbered_heading_with_remarks_and_parts(tmp_path):
    """A tab-separated table under 「1. 総括表」: a row whose last cell is a
    remark ending in kana (「…\\t新規含む」) is a row, not running text going on
    on the next line; a 「うち…」 row is a part of the row above it, not of the
    section heading; 「うち【新規】X」 is X's (a new item). The rows then add up
    to 合計 (witnessed)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和10年度 復興庁予算（案）の概要", "", "1. 総括表", "\t\t\t\t（単位：千円）",
        "事項\t令和9年度予算額\t令和10年度予算額（案）\t比較増△減額\t備考",
        "被災者支援経費\t21,300,450\t20,110,300\t△1,190,150",
        "住宅再建・復興まちづくり経費\t310,220,100\t322,480,900\t12,260,800\t各府省分を含む",
        "　うち災害公営住宅整備\t41,200,000\t45,300,000\t4,100,000",
        "　うち【新規】移転元地活用支援\t－\t2,150,000\t2,150,000\t新規",
        "合計\t331,520,550\t342,591,200\t11,070,650"]))
    got = {(a["program"], a["parent"], a["stage"], a["amount_yen"], a["check"]) for a in f.amounts}
    assert {("住宅再建・復興まちづくり経費", "", "draft", 322480900 * 1000, "witnessed"),
            ("災害公営住宅整備", "住宅再建・復興まちづくり経費", "draft", 45300000 * 1000, "single"),
            ("移転元地活用支援", "住宅再建・復興まちづくり経費", "draft", 2150000 * 1000, "single"),
            ("合計", "", "draft", 342591200 * 1000, "witnessed")} <= got


def test_a_budget_bills_first_article_is_the_account_its_title_names(tmp_path):
    """Budget bills: 「議案第2号 令和12年度南浜町水道事業特別会計予算」 over 「第1条 歳入歳出
    予算の総額は、歳入歳出それぞれ四十二億三千万円と定める。」 — the article's figure is
    the titled account's (「第1条」 and 「歳入歳出予算の総額」 name nothing), one
    account a bill, never merged into one conflicting 「第1条歳入歳出予算」."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年度 南浜町当初予算案の概要", "南浜町 総務課", "令和12年2月", "",
        "議案第1号　令和12年度南浜町一般会計予算",
        "　第１条　歳入歳出予算の総額は、歳入歳出それぞれ百八十五億円と定める。", "",
        "議案第2号　令和12年度南浜町水道事業特別会計予算",
        "　第１条　歳入歳出予算の総額は、歳入歳出それぞれ四十二億三千万円と定める。"]))
    assert rows(f) == {("南浜町一般会計", "initial", "draft", 2030, 185 * OKU),
                       ("南浜町水道事業特別会計", "initial", "draft", 2030, 4230 * 10**6)}


def test_a_ruled_table_whose_name_cells_wrap_onto_a_row_of_their_own(tmp_path):
    """A table drawn with box characters: a name too long for its cell goes on
    on the next text row, every other cell empty or going on with the cell
    above (「│ 交付金 │ │＋事項要求 │」): the row's name is whole (「地方譲与税交付金」,
    「観光振興分野」); a row of its own with a dash or 事項要求 in its cells
    (「│ うち離島振興 │ ―│事項要求 │」) is no rest of the row above."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和11年度 国土交通省所管予算 概算要求の概要", "", " 1 総括表", "",
        "┌────────────────┬──────────┬──────────────┬────────┐",
        "│区分            │令和10年度│令和11年度    │比較増減│",
        "│（単位：百万円）│予算額    │要求額        │        │",
        "├────────────────┼──────────┼──────────────┼────────┤",
        "│一般会計        │ 6,102,345│ 6,530,120    │ 427,775│",
        "│ うち地方譲与税 │ 1,310,200│ 1,340,800    │  30,600│",
        "│ 交付金         │          │＋事項要求    │        │",
        "│ うち観光振興分 │    48,540│    61,300    │  12,760│",
        "│ 野             │          │              │        │",
        "│ うち離島振興   │        ―│事項要求      │      ―│",
        "└────────────────┴──────────┴──────────────┴────────┘"]))
    got = {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert {("地方譲与税交付金", "enacted", 2028, 1310200 * 10**6), ("地方譲与税交付金", "request", 2029, 1340800 * 10**6),
            ("観光振興分野", "enacted", 2028, 48540 * 10**6), ("観光振興分野", "request", 2029, 61300 * 10**6)} <= got
    assert not {a["program"] for a in f.amounts} & {"地方譲与税", "観光振興分", "観光振興分野離島振興"}


def test_a_budget_named_by_the_budget_it_is_in_keeps_only_its_own_name(tmp_path):
    """「令和12年度予算（政府案）における農林水産関係予算は2兆3,140億円」: the year's
    budget it is part of (における after a scope) is no part of its name."""
    f = facts_of_text(tmp_path, "\n".join([
        "ファイナンス 2030.2 ｜ 特集 令和12年度予算",
        "　令和12年度予算（政府案）における農林水産関係予算は2兆3,140億円となっている。"]))
    assert rows(f) == {("農林水産関係予算", "initial", "draft", 2030, 23140 * OKU)}


def test_per_person_fees_and_grants_and_the_end_of_their_range_are_no_budgets(tmp_path):
    """「授業料の標準額は年額53万5,800円」 and 「給付額は年額3万2,300円～13万8,000円」: a
    fee or grant per person a year (年額, 月額), and the amount closing a range
    that such an amount opens, are no budget figures."""
    f = facts_of_text(tmp_path, "\n".join([
        "ファイナンス 2031.2 ｜ 特集 令和13年度予算",
        "　令和13年度予算（政府案）における文教関係予算は4兆1,250億円となっている。"
        "授業料の標準額は年額53万5,800円に据え置いている。奨学給付金の給付額は年額3万2,300円～13万8,000円である。"]))
    assert {a["amount_yen"] for a in f.amounts} == {41250 * OKU}


def test_a_count_before_its_figure_is_no_name(tmp_path):
    """「…輸送機C2は3機分として1,140億円」: 「3機分」 counts what is bought, it
    names nothing; the figure is the topic's (the clause's は)."""
    f = facts_of_text(tmp_path, "\n".join([
        "防衛省、2030年度概算要求", "2029年8月31日",
        "防衛省は31日、2030年度予算の概算要求を決めた。航空自衛隊の輸送機C2は3機分として1,140億円を求めた。"]))
    assert {a["program"] for a in f.amounts if a["amount_yen"] == 1140 * OKU} == {"航空自衛隊の輸送機C2"}


def test_a_grant_the_text_says_is_distributed_is_a_budget_not_an_allocation(tmp_path):
    """「地方に配分する地方交付税交付金が15兆3,820億円となり、前年度当初（14兆9,316億円）から…」:
    配分する says what the grant is for, not money already handed out (配分した,
    配分額): both figures are the grant's budgets."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年4月2日 更新", "　3月28日に成立した令和13年度予算が1日、執行段階に入った。",
        "総務省関係では、地方に配分する地方交付税交付金が17兆1,230億円となり、前年度当初（16兆9,020億円）から2,210億円増えた。"]))
    assert rows(f) == {("地方交付税交付金", "initial", "enacted", 2031, 171230 * OKU),
                       ("地方交付税交付金", "initial", "enacted", 2030, 169020 * OKU)}


def test_two_columns_headings_read_side_by_side_then_each_columns_figures(tmp_path):
    """A converter that reads a two-column slide row by row writes both
    columns' headings first (「① 海洋…」, 「② 極域…」), then the first column's
    figures and text, then the second's: the k-th figure block under the
    headings, down to the next heading of their kind (a sub-heading 「1. …」 is
    none), is the k-th heading's."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋・極域研究の推進", "令和13年度予算額(案) 428億円", "令和12年度補正予算及び令和13年度予算(案)の骨子",
        "① 海洋 海洋観測事業", "② 極域 極域研究推進事業",
        "410億円(前年度予算額 395億円)", "[令和12年度補正予算額 52億円]",
        "全海域の観測を支援する研究者の自由な発想に基づく観測", "● 観測船による長期の定点観測を実施",
        "1. 観測網の強化", "ブイと衛星による観測網を拡充し、データを公開",
        "[令和12年度補正予算額 18億円]", "(※ 令和元年度補正予算から基金により支援実施中)"]))
    got = {(a["program"].replace(" ", ""), a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert {("海洋海洋観測事業", "initial", "draft", 2031, 410 * OKU),
            ("海洋海洋観測事業", "initial", "enacted", 2030, 395 * OKU),
            ("海洋海洋観測事業", "supplementary", "enacted", 2030, 52 * OKU),
            ("極域極域研究推進事業", "supplementary", "enacted", 2030, 18 * OKU)} <= got


def test_a_notes_mark_is_no_part_of_the_name_the_note_gives(tmp_path):
    """「※2 公立高校施設整備費は、別途令和13年度補正予算（案）において412億円を計上」:
    the note's mark and number are no part of the name its sentence gives."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和14年度 文部科学関係予算（案）のポイント",
        "※2 公立高校施設整備費は、別途令和13年度補正予算（案）において412億円を計上。"]))
    assert rows(f) == {("公立高校施設整備費", "supplementary", "draft", 2031, 412 * OKU)}


def test_a_boxs_parts_listed_under_its_labels_take_the_values_after_the_boxs_own(tmp_path):
    """A box's label stack, then its parts (「うち、X」, 「うち、Y（新規）」), then
    text, then the values: the box's own three, then one line for each part in
    the order the parts were listed."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和13年度 観光庁予算（案）の概要", "観光地の再生と高付加価値化", "令和13年度予算額（案）", "（前年度予算額",
        "令和12年度補正予算額（案）", "うち、観光地の廃屋撤去", "うち、宿泊施設の改修支援（新規）",
        "背景・課題", "・観光地の多くで老朽化した施設の撤去が課題となっている。",
        "118億円", "104億円）", "95億円", "32億円", "27億円（新規）"]))
    got = {(a["program"], a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert {("観光地の廃屋撤去", "initial", "draft", 2031, 32 * OKU),
            ("宿泊施設の改修支援", "initial", "draft", 2031, 27 * OKU)} <= got
    assert ("観光地の再生と高付加価値化", "initial", "draft", 2031, 118 * OKU) in got


def test_an_undated_page_about_next_years_draft_is_not_made_a_past_years_enacted_one(tmp_path):
    """A blog with no date: 「来年度予算案が決まりました」 names the stage it is about
    (a draft, its year unknown); 「ちなみに、令和4年度当初予算は4,720億円でした」 after
    the figures is a mention, not the release — so 「…に412億円」 is a draft of
    no known year (check=conflict), never FY2022's enacted budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "来年度予算案が決まりました（観光関係）", "",
        "　観光庁の来年度予算案は、受入環境整備の推進に412億円、地方誘客の促進に約200億円です。",
        "　ちなみに、令和4年度当初予算は4,720億円でした。"]))
    got = {(a["stage"], a["fiscal_year"], a["amount_yen"], a["check"]) for a in f.amounts}
    assert ("draft", None, 412 * OKU, "conflict") in got and ("draft", None, 200 * OKU, "conflict") in got
    assert ("enacted", 2022, 4720 * OKU) in {g[:3] for g in got}


def test_a_part_said_with_uchi_has_the_stage_of_its_whole_in_the_sentence(tmp_path):
    """「先月成立した今年度の補正予算では、環境省分として4,210億円を計上しており、このうち
    浄化槽の整備に320億円」: the part has the whole's stage (the supplementary
    budget); a bracketed label of another figure (「(今年度90億円)」) gives a
    part after it nothing (「…120億円(今年度90億円)を充て、うちXに15億円」: the release's)."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年12月27日", "政府は27日、2032年度予算案を閣議決定した。",
        "先月成立した今年度の補正予算では、環境省分として4,210億円を計上しており、このうち浄化槽の整備に320億円を充てた。",
        "来年度は、循環経済の推進には120億円（今年度90億円）を充て、うち資源回収の高度化に15億円を計上した。"]))
    got = {(a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert {("supplementary", "enacted", 2031, 4210 * OKU), ("supplementary", "enacted", 2031, 320 * OKU),
            ("initial", "draft", 2032, 120 * OKU), ("initial", "enacted", 2031, 90 * OKU),
            ("initial", "draft", 2032, 15 * OKU)} <= got


def test_another_bodys_share_listed_as_to_ni_is_no_budget_and_ends_its_note(tmp_path):
    """「なお、放課後児童対策は、こども家庭庁計上分として外に1,120億円」 and 「※このほか、地方
    負担分として外に5,650億円」: another body's share listed 外に is no budget here;
    a 「（参考）…」 line below such a note opens a line of its own (its figure stays)."""
    f = facts_of_text(tmp_path, "\n".join([
        "平成32年度 子育て支援について", "○32年度予算額　１兆２，１００億円（国費）",
        "　※このほか、地方負担分として外に５，６５０億円",
        "（参考）31年度第1次補正予算額（子育て応援特別給付）　１，４９５億円",
        "なお、放課後児童対策は、こども家庭庁計上分として外に1,120億円がある。"]))
    assert {a["amount_yen"] for a in f.amounts} == {12100 * OKU, 1495 * OKU}


def test_a_bond_issue_is_revenue_not_a_budget(tmp_path):
    """「国が25兆円規模の「脱炭素移行債」を発行して先行投資を支える」: the money a bond
    raises is revenue, no programme's budget; the budget of the same sentence stays."""
    f = facts_of_text(tmp_path, "\n".join([
        "2032年度予算案 Q&A", "2031年12月28日",
        "政府は脱炭素投資を目標にしており、国が25兆円規模の「脱炭素移行債」を発行して先行投資を支える。"
        "2032年度予算案では環境省分の脱炭素関連予算が820億円となった。"]))
    assert {a["amount_yen"] for a in f.amounts} == {820 * OKU}


def test_whose_budget_a_topic_names_stays_in_its_name(tmp_path):
    """「政府の科学技術関係予算の2031度概算要求の総額が…4兆6,120億円」 and 「…そのうち
    科学技術関係予算は2兆5,010億円」 of 文部科学省: two budgets of one name, told
    apart by whose they are (政府の, not dropped as a scope word; the account
    「一般会計の」 and a year are), never one conflicting figure; 「2031度」 (sic)
    is a year, no name."""
    f = facts_of_text(tmp_path, "\n".join([
        "2030.09.09 政策",
        "内閣府は、政府の科学技術関係予算の2031度概算要求の総額が、4兆6,120億円になると公表した。",
        "文部科学省は、一般会計で6兆1,030億円となる、2031年度予算概算要求を財務省に提出した。"
        "そのうち科学技術関係予算は、2兆5,010億円となった。"]))
    got = {(a["program"], a["amount_yen"], a["check"]) for a in f.amounts}
    assert ("政府の科学技術関係予算", 46120 * OKU, "single") in got
    assert ("科学技術関係予算", 25010 * OKU, "single") in got


def test_an_enumerated_item_with_its_figures_then_what_it_does(tmp_path):
    """「(1) NAME 令和13年度予算額（案）412億円（前年度予算額 398億円）。1課題当たり…」: the
    sentence after the item's figures says what it does; the figures are NAME's."""
    f = facts_of_text(tmp_path, "\n".join([
        "ファイナンス 2031.2", "2．主な事項",
        "(1) 海洋研究推進事業 令和13年度予算額（案）412億円（前年度予算額 398億円）。"
        "1課題当たり年間最大1億円程度、新規採択は約80課題を予定。",
        "(2) 極域観測の基盤整備（新規） 令和13年度予算額（案）21億円。"]))
    assert rows(f) == {("海洋研究推進事業", "initial", "draft", 2031, 412 * OKU),
                       ("海洋研究推進事業", "initial", "enacted", 2030, 398 * OKU),
                       ("極域観測の基盤整備", "initial", "draft", 2031, 21 * OKU)}


def test_a_settled_account_is_no_budget(tmp_path):
    """「(令和11年度決算額 182億円)」, 「・令和11年度決算額 1兆5,198億円」, 「平成30年度決算額は
    3,158億円」: what was spent after a year (決算額) is no budget at a stage."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和13年度 文教・科学技術予算のポイント",
        "(3) 計算基盤の運用 令和13年度予算額（案）178億円（令和11年度決算額 182億円）。",
        "・令和11年度決算額 1兆5,198億円", "　なお、平成30年度決算額は3,158億円である。"]))
    assert {a["amount_yen"] for a in f.amounts} == {178 * OKU}


def test_two_boxes_side_by_side_their_values_run_together(tmp_path):
    """「科学技術振興費」 over 「令和13年度予算額（案） 令和12年度補正予算（案）」 over
    「1兆4,512億円 5,210億円」: normalizing runs the two values together
    (「…億円5,210億円」); the second value is no name of the first — both are the
    name's above."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和13年度 文教・科学技術予算のポイント", "科学技術振興費",
        "令和13年度予算額（案） 令和12年度補正予算（案）", "1兆4,512億円 5,210億円", "（前年度比 +108億円、+0.8％）"]))
    assert {a["program"] for a in f.amounts} == {"科学技術振興費"}
    assert {(a["budget"], a["amount_yen"]) for a in f.amounts} == {("initial", 14512 * OKU), ("supplementary", 5210 * OKU)}


def test_two_columns_of_points_joined_line_by_line_are_read_as_two(tmp_path):
    """「・海洋観測事業（基金） ・極域研究の推進」 over 「410億円（+2億円） 95億円（+6億円）」:
    a second ・ after a space starts the other column's point (a ・ with no
    space before it joins words of one name: 「宇宙・海洋」): the right column's
    point takes the figure under it, and no name holds both points."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和13年度 文教・科学技術予算のポイント", "令和13年度予算（政府案）",
        "○海洋研究の強化 ○宇宙・極域の重要分野の研究開発",
        "・海洋観測事業（基金） ・極域研究の推進", "410億円（+2億円） 95億円（+6億円）"]))
    assert ("極域研究の推進", 95 * OKU) in {(a["program"], a["amount_yen"]) for a in f.amounts}
    assert not any("海洋観測" in a["program"] and "極域" in a["program"] for a in f.amounts)


def test_a_name_listing_words_with_a_middle_dot_then_a_comma_is_one_name(tmp_path):
    """「防災・減災、国土強靱化の推進につきましては、四千九百九十五億円」: a name that lists
    words (防災・減災) and goes on after a comma (、国土強靱化の推進) is one name;
    the comma a clause ends with still ends it."""
    f = facts_of_text(tmp_path, "\n".join([
        "○国土交通大臣 令和12年度の国土交通省関係予算について御説明申し上げます。",
        "まず、防災・減災、国土強靱化の推進につきましては、四千九百九十五億円を計上しております。"]))
    assert {a["program"] for a in f.amounts} == {"防災・減災、国土強靱化の推進"}


def test_an_initial_budget_of_a_year_the_page_is_dated_in_is_enacted(tmp_path):
    """「（環境、R11補正：135億円、R12当初：425億円）」 on a page dated 令和12年4月16日:
    R12当初 is the initial budget of a year the page is dated in — enacted (the
    page says no stage of its own)."""
    f = facts_of_text(tmp_path, "\n".join([
        "財政制度等審議会 財政制度分科会 令和12年4月16日", "予算執行の効率化・適正化",
        "○ 地域脱炭素推進交付金", "（環境、R11補正：135億円、R12当初：425億円）"]))
    got = {(a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert ("initial", "enacted", 2030, 425 * OKU) in got and ("supplementary", "enacted", 2029, 135 * OKU) in got


def test_a_part_joined_to_its_figure_by_a_particle_loses_it(tmp_path):
    """「うち、省力化投資補助金の拡充に500億円」: the part's name without the particle
    that joins it to its figure (as 「・科研費に2,600億円」 is 科研費's)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年度補正予算（案）の概要 経済産業省", "○中小企業生産性革命推進事業 2,000億円",
        "　うち、省力化投資補助金の拡充に500億円"]))
    assert "省力化投資補助金の拡充" in {a["program"] for a in f.amounts}


def test_a_tables_part_row_with_its_unit_figures_is_a_part_of_the_row_above(tmp_path):
    """「　うちGX推進対策費  4,920億円  4,870億円  ▲50億円」 under a header
    「2031年度当初予算 2032年度予算案 増減」: the part row's figures take their
    columns' stages and years, and the part belongs to the row above it."""
    f = facts_of_text(tmp_path, "\n".join([
        "（参考）経済産業省関係 2032年度予算案の全体像",
        "                               2031年度当初予算    2032年度予算案     増減",
        " 一般会計                          3,092億円          3,041億円       ▲51億円",
        " エネルギー対策特別会計            7,282億円          7,135億円      ▲147億円",
        " 　うちGX推進対策費                4,920億円          4,870億円       ▲50億円"]))
    got = {(a["program"], a["parent"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert {("GX推進対策費", "エネルギー対策特別会計", "enacted", 2031, 4920 * OKU),
            ("GX推進対策費", "エネルギー対策特別会計", "draft", 2032, 4870 * OKU)} <= got


def test_payments_a_grant_has_made_are_no_budget(tmp_path):
    """「支給決定額　12億4,600万円（前週比 △8.7％）」: what a grant has paid out (支給
    決定額) is no budget at a stage, like 執行額 or 配分額."""
    f = facts_of_text(tmp_path, "\n".join([
        "雇用調整助成金等の支給決定状況について（5月24日時点）", "令和12年5月31日",
        "2　直近1週間の状況", "　　支給決定額　　　12億4,600万円（前週比 △8.7％）",
        "令和12年度予算額 1,520億円"]))
    assert {a["amount_yen"] for a in f.amounts} == {1520 * OKU}


def test_a_body_said_as_a_sentence_of_its_own_owns_the_next_sentences_figures(tmp_path):
    """A column or a speech: 「まず観光庁。来年度予算案は812億円で、今年度当初予算（790億円）
    から…」 — the sentence that is only a body's name is the heading of the figures
    of the sentence after it that names nobody."""
    f = facts_of_text(tmp_path, "\n".join([
        "来年度予算案が決まりました（観光関係）",
        "　まず観光庁。来年度予算案は812億円で、今年度当初予算（790億円）から22億円の増となりました。"]))
    assert {(a["program"], a["amount_yen"]) for a in f.amounts} == {("観光庁", 812 * OKU), ("観光庁", 790 * OKU)}


def test_a_ministry_in_lenticular_brackets_heads_its_section_and_owns_its_total(tmp_path):
    """A blog's list of ministries' requests: 「【文部科学省】総額6兆1,204億円を要求。」 is
    文部科学省's figure (not the page's 総額), 「【厚生労働省】総額は約34兆7,000億円で、…」
    厚生労働省's; the items under each keep their own names."""
    f = facts_of_text(tmp_path, "\n".join([
        "2030年9月2日", "各省の概算要求が出そろいました",
        "8月末に各省庁から来年度（令和13年度）予算の概算要求が出そろいました。", "",
        "【文部科学省】総額6兆1,204億円を要求。", "・科研費に2,600億円（前年度2,379億円）", "",
        "【厚生労働省】総額は約34兆7,000億円で、前年度比5％増。", "・医師偏在対策に180億円（前年度120億円）"]))
    got = {(a["program"], a["amount_yen"]) for a in f.amounts}
    assert {("文部科学省", 61204 * OKU), ("厚生労働省", 347000 * OKU), ("科研費", 2600 * OKU),
            ("医師偏在対策", 180 * OKU)} <= got


def test_a_total_of_what_the_sentence_before_summarized_points_back_written_out(tmp_path):
    """「国土交通省は10日、2031年度補正予算案の同省関係分を公表した。総額は2兆1,420億円」:
    the total is of 同省関係分, written out as the ministry named before it."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年11月10日",
        "国土交通省は10日、2031年度補正予算案の同省関係分を公表した。総額は2兆1,420億円で、防災対策が柱となる。"]))
    assert {a["program"] for a in f.amounts if a["amount_yen"] == 21420 * OKU} == {"国土交通省関係分"}


def test_a_figure_named_after_it_with_toshite_and_a_verb_is_that_names(tmp_path):
    """「…推進費500億円のうち、35%に相当する175億円を調整費として充てる」: the figure is
    the name it is set aside as (として充てる / 計上 / 要望)."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年2月10日",
        "さらに、内閣府が計上した科学技術振興推進費600億円のうち、30%に相当する180億円を調整費として充てる。"]))
    assert ("調整費", 180 * OKU) in {(a["program"], a["amount_yen"]) for a in f.amounts}


def test_a_row_of_numbered_boxes_joined_into_one_line_is_read_box_by_box(tmp_path):
    """Plain text of a grid of numbered boxes: 「1．A 2．B」 over 「X（Y） Z（W）」 (one
    space between the boxes). Each heading owns the figures under it; the
    うち line below, which opens with the first box's words, is the first box's part."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年度 農林水産予算のポイント", "令和12年度予算（案） 農林水産関係予算 2兆2,700億円",
        "1．スマート農業の推進 2．水産業の成長産業化",
        "1,210億円（1,180億円） 845億円（830億円）",
        "うち農業データ連携基盤 60億円（55億円） 漁船の省エネ化を支援",
        "※ （ ）内は前年度予算額。"]))
    assert {("スマート農業の推進", "draft", 2030, 1210 * OKU), ("スマート農業の推進", "enacted", 2029, 1180 * OKU),
            ("水産業の成長産業化", "draft", 2030, 845 * OKU), ("水産業の成長産業化", "enacted", 2029, 830 * OKU)} \
        <= {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    parts = {a["program"]: a["parent"] for a in f.amounts if a["amount_yen"] == 60 * OKU}
    assert parts == {"農業データ連携基盤": "スマート農業の推進"}


def test_a_part_row_of_cells_under_an_overview_list_is_read(tmp_path):
    """An overview list, then a unit header and 「うち X\t―\t180\t180」 (a part row whose
    first cell is empty): the run went on (it stopped with an internal error) and
    the part's name is no cell."""
    f = facts_of_text(tmp_path, "\n".join([
        "　沖縄振興予算　R8予算（案） 2,702億円（R7当初 2,735億円）",
        "　準天頂衛星システムの開発・整備・運用　R8予算（案） 198億円（R7当初 176億円）",
        "　科学技術イノベーション創造推進費 555億円の内数",
        "【地方創生】（単位：億円）", "うち 地域産業基盤整備型\t―\t180\t180"]))
    assert "地域産業基盤整備型" in {a["program"] for a in f.amounts if a["amount_yen"] == 180 * OKU}


def test_a_pdf_table_row_name_wrapped_in_its_cell_is_joined_over_its_centred_numbers(tmp_path):
    """A PDF table whose row name wraps in its cell (「うち地域医療介護総合確保基金(医療」 /
    「分)」) with the row's numbers centred between its two lines: the row is named
    by both lines, not by the first alone."""
    import pymupdf
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    put = lambda x, y, s, size=10: page.insert_text((x, y), s, fontname="japan", fontsize=size)  # noqa: E731
    put(185, 90, "令和9年度医政局概算要求の概要", 15)
    put(480, 138, "(単位:百万円)", 9.5)
    put(118, 168, "事項"), put(255, 168, "前年度予算額"), put(330, 168, "令和9年度要求額"), put(400, 168, "比較増減")
    put(46, 200, "1地域医療提供体制の確保"), put(268, 200, "98,520"), put(340, 200, "105,300"), put(422, 200, "6,780")
    put(60, 226, "うち地域医療介護総合確保基金(医療", 9.5), put(60, 240, "分)", 9.5)
    put(268, 233, "75,100"), put(346, 233, "79,800"), put(422, 233, "4,700")
    put(46, 270, "2医療従事者の確保・養成"), put(268, 270, "12,340"), put(346, 270, "13,120"), put(430, 270, "780")
    path = tmp_path / "wrapped-cell.pdf"
    doc.save(path)
    f = extract_facts(extract_pages(path), path.stem)
    got = {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert {("地域医療介護総合確保基金(医療分)", "enacted", 2026, 75100 * 10**6),
            ("地域医療介護総合確保基金(医療分)", "request", 2027, 79800 * 10**6)} <= got


def test_era_less_years_on_a_page_that_writes_western_years_are_western(tmp_path):
    """A column that writes 「2030年度は…、31年度は…、32年度予算案では…」 and no 令和 year:
    31年度 is 2031 (not 令和31 = 2049)."""
    f = facts_of_text(tmp_path, "\n".join([
        "2032年1月20日", "政府の海洋関係予算は、当初予算ベースで2030年度は1,210億円、31年度は1,260億円だった。"
        "32年度予算案では1,330億円が計上された。"]))
    assert {a["fiscal_year"] for a in f.amounts} <= {2030, 2031, 2032, None}
    assert (2031, 1260 * OKU) in {(a["fiscal_year"], a["amount_yen"]) for a in f.amounts}


def test_same_programme_said_as_dou_jigyou_is_the_one_named_before(tmp_path):
    """「同事業に115億円を措置」: the 事業 the text named last, written out — a quoted name
    whole (「こどもの居場所づくり支援事業」, kana inside), never a word inside a longer one
    (「行政事業レビュー」) nor a bare 「新規事業」."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年3月17日",
        "令和12年度予算案で、スマート農業加速化事業に246億円を計上した。令和11年度の行政事業レビューを受け、"
        "新規事業の立ち上げは見送った。令和11年度補正予算で、同事業に115億円を措置した。",
        "「こどもの居場所づくり支援事業」が対象です。来年度予算案では同事業に62億円が計上されています。"]))
    got = owner_by_amount(f)
    assert got[115 * OKU] == "スマート農業加速化事業" and got[62 * OKU] == "こどもの居場所づくり支援事業"


def test_a_polite_toshite_in_a_diet_answer_names_the_figure(tmp_path):
    """A 国会 answer: 「…事業といたしまして二百四十六億三千万円を計上」 is that 事業's figure,
    as 「…事業として」 is."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年3月17日", "○政府参考人（山田一郎君）　お答え申し上げます。",
        "　令和十二年度予算案におきましては、林業成長産業化推進事業といたしまして百二十一億五千万円を計上しているところで"
        "ございます。"]))
    assert ("林業成長産業化推進事業", 12150000000) in {(a["program"], a["amount_yen"]) for a in f.amounts}


def test_a_dateline_is_no_name_and_tax_revenue_is_no_budget(tmp_path):
    """A news page: headline 「補正予算案9.1兆円を閣議決定」, a dateline 「2031年11月28日 19:42　北国新聞デジタル
    （経済部）」, the body's exact 9兆1,400億円: the headline's rounded figure is not the dateline's
    (it restates the body's), and 「税収の上振れ分1兆2,000億円」 is revenue."""
    f = facts_of_text(tmp_path, "\n".join([
        "補正予算案9.1兆円を閣議決定　物価高対策に重点", "", "2031年11月28日 19:42　北国新聞デジタル（経済部）", "",
        "　政府は28日、2031年度補正予算案を閣議決定した。一般会計の歳出総額は9兆1,400億円で、"
        "税収の上振れ分1兆2,000億円も充てる。"]))
    assert {a["amount_yen"] for a in f.amounts} == {91400 * OKU}


def test_a_tab_table_row_is_named_by_its_jigyoumei_column_and_its_remark_is_no_cell(tmp_path):
    """「No.\t事業名\t担当課\t…」: each row is named by its 事業名 cell (not the 担当課 cell before its
    numbers); a numbered row (「8\t…」) is a row, not a new section; the last cell of words (備考:
    「上限5,000千円/件」, 「うち移住支援金 120,000」) is a remark, and the row's cells are still read."""
    f = facts_of_text(tmp_path, "\n".join([
        "南浜県 令和12年度当初予算案の概要", "（単位：千円）",
        "No.\t事業名\t担当課\t令和12年度当初予算案\t令和11年度当初予算\t比較増減\t増減率\t備考",
        "1\t第2子以降保育料無償化事業\tこども未来課\t1,284,500\t1,102,300\t182,200\t16.5%\t",
        "4\t中小企業脱炭素経営支援補助金\t産業政策課\t450,000\t300,000\t150,000\t50.0%\t上限5,000千円/件",
        "6\t移住・定住促進事業\t地域振興課\t152,380\t160,000\t△7,620\t△4.8%\tうち移住支援金 120,000",
        "8\t木造住宅耐震化促進事業\t建築住宅課\t188,900\t175,500\t13,400\t7.6%\t約300戸"]))
    got = {(a["program"], a["stage"], a["amount_yen"] // 1000) for a in f.amounts}
    assert got == {("第2子以降保育料無償化事業", "draft", 1284500), ("第2子以降保育料無償化事業", "enacted", 1102300),
                   ("中小企業脱炭素経営支援補助金", "draft", 450000), ("中小企業脱炭素経営支援補助金", "enacted", 300000),
                   ("移住・定住促進事業", "draft", 152380), ("移住・定住促進事業", "enacted", 160000),
                   ("木造住宅耐震化促進事業", "draft", 188900), ("木造住宅耐震化促進事業", "enacted", 175500)}


def test_a_section_heading_naming_a_stage_governs_the_list_under_it(tmp_path):
    """「■ 令和11年度補正予算（案）（令和11年11月28日閣議決定）」 over 「合計 1,286億円」 and 「・X 655億円」
    items, on a page about the 令和12年度予算案: the items are supplementary drafts of 令和11, the
    total is that section's (「令和11年度補正予算(案) 合計」); the next heading ends the section."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年度 海洋庁予算案の概要", "■ 総額", "令和12年度予算案　2,012.6億円（前年度当初予算額 1,863.2億円）",
        "■ 令和11年度補正予算（案）（令和11年11月28日閣議決定）", "合計　1,286億円",
        "・海洋観測網の更新　　　 655億円", "・海洋データ基盤の整備　　　 421億円", "・沿岸監視体制の強化　 210億円",
        "■ 参考", "・海洋調査船の運航　　30億円"]))
    got = {a["program"]: (a["budget"], a["stage"], a["fiscal_year"]) for a in f.amounts}
    assert got["令和11年度補正予算(案) 合計"] == ("supplementary", "draft", 2029)
    assert got["海洋観測網の更新"][:3] == got["沿岸監視体制の強化"][:3] == ("supplementary", "draft", 2029)
    assert got["海洋調査船の運航"][:3] == ("initial", "draft", 2030)


def test_numbered_items_under_a_total_on_a_list_page_are_their_own(tmp_path):
    """A page whose total box comes first, then 「1. X 1,102.5億円（1,046.0億円）」 items, then a bulleted list:
    the numbered items are programs of their own (parts of the total), never the total's figures."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年度 海洋庁予算案の概要", "■ 総額", "令和12年度予算案　2,012.6億円（前年度当初予算額 1,863.2億円）",
        "■ 主な事項", "1. 海洋観測網の整備　　　 1,102.5億円（1,046.0億円）", "2. 海洋人材の育成　　 231.0億円（268.4億円）",
        "■ 令和11年度補正予算（案）", "・観測船の更新　 655億円", "・沿岸レーダーの整備　 421億円",
        "・離島監視の強化　 210億円"]))
    got = {(a["program"], a["stage"], a["amount_yen"]) for a in f.amounts}
    assert {("海洋観測網の整備", "draft", 110250000000), ("海洋観測網の整備", "enacted", 104600000000),
            ("海洋人材の育成", "draft", 23100000000)} <= got
    assert {a["amount_yen"] for a in f.amounts if a["program"] == "総額"} == {201260000000, 186320000000}


def test_a_paragraph_that_opens_with_a_budget_as_its_subject_owns_its_unnamed_figures(tmp_path):
    """「政府の海洋関係予算が急拡大している。…当初予算ベースで2030年度は1,210億円、…」: the figures are the
    subject's; a sentence that turns away (「一方で、…補正予算で総額860億円」) is not."""
    f = facts_of_text(tmp_path, "\n".join([
        "2032年1月20日",
        "　政府の海洋関係予算が急拡大している。事務局のとりまとめによれば、当初予算ベースで2030年度は1,210億円、"
        "31年度は1,260億円だった。",
        "　沿岸の漁業は厳しい。一方で、2031年度の補正予算で総額860億円が認められた。"]))
    got = owner_by_amount(f)
    assert got[1210 * OKU] == got[1260 * OKU] == "政府の海洋関係予算" and got.get(860 * OKU) != "政府の海洋関係予算"


def test_a_question_names_the_budget_its_answer_gives(tmp_path):
    """A Q&A page: 「Q1. 海洋庁の来年度予算案はいくら？」 over 「A. …2,421億円です。今年度当初の2,296億円より…」:
    both figures are 海洋庁's, the second this fiscal year's enacted initial budget (今年度当初, from the date)."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年1月15日更新", "Q1. 海洋庁の来年度予算案はいくら？",
        "A. 一般会計と特別会計を合わせて2,421億円です。今年度当初の2,296億円より125億円（5.4％）増えました。",
        "Q2. いちばん大きいのは？", "A. 海洋観測です。"]))
    assert {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("海洋庁", "draft", 2031, 2421 * OKU), ("海洋庁", "enacted", 2030, 2296 * OKU)}


def test_the_whole_of_an_account_is_the_accounts(tmp_path):
    """「一般会計の歳出総額は9兆1,400億円」 is 一般会計's figure (as 「デジタル庁の要求総額」 is デジタル庁's)."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年11月28日", "　政府は28日、2031年度補正予算案を閣議決定した。",
        "一般会計の歳出総額は9兆1,400億円で、前年度を上回った。"]))
    assert {a["program"] for a in f.amounts if a["amount_yen"] == 91400 * OKU} == {"一般会計"}


def test_an_encyclopedia_page_on_one_programme(tmp_path):
    """An encyclopedia page about a programme: its title, a first sentence naming it with its reading in
    brackets; 「その後は令和5年度の予算額が44億円」 is the programme's (その後 is no name); a cumulative sum
    (累計予算額), a market value (時価総額) and a figure in a footnote's cited headline are no budgets."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋資源探査推進事業", "出典: フリー百科事典『ウィキペディア（Wikipedia）』",
        "海洋資源探査推進事業（かいようしげんたんさすいしんじぎょう）は、海洋庁が実施している事業。",
        "", "沿革", "", "その後は令和5年度の予算額が44億円、令和6年度が45億3,000万円と漸増した。",
        "", "評価", "", "令和元年度から令和6年度までの累計予算額は約260億円にのぼり、",
        "関連企業の時価総額の合計は約900億円とされる。",
        "", "脚注", "", "1. ^ 「海洋探査に36億円 海洋庁が新事業」『海事新報』2018年12月26日"]))
    assert {(a["program"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("海洋資源探査推進事業", 2023, 44 * OKU), ("海洋資源探査推進事業", 2024, 4530000000)}


def test_a_years_budget_named_in_running_text_is_that_years(tmp_path):
    """A programme's history in sentences: 「平成24年度予算において新規事業として36億円が計上され」 is the enacted
    budget of 2012, 「令和元年度予算では前年度と同額の41億5,000万円が措置された」 of 2019, on a page whose latest
    budget is a 令和7年度概算要求."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋探査事業", "", "海洋探査事業は、海洋庁が実施している制度。",
        "平成24年度予算において新規事業として36億円が計上された。",
        "令和元年度予算では前年度と同額の41億5,000万円が措置された。",
        "令和7年度概算要求では58億円を要求したが、政府案では46億円にとどまった。"]))
    assert {(a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("enacted", 2012, 36 * OKU), ("enacted", 2019, 4150000000), ("request", 2025, 58 * OKU),
        ("draft", 2025, 46 * OKU)}


def test_a_cleft_names_its_figure_and_a_bare_hosei_is_no_name(tmp_path):
    """「1,268億円を計上したのが、無人アセット防衛能力だ。」: that name's; 「伸びを支えるのが宇宙戦略基金だ。31年度補正で
    3,000億円を計上して始まり」: the fund's; 「30年度補正では海洋庁に826億円が計上され」: 海洋庁's (補正 is no name);
    「関連の総額は1兆円を優に超える」 is a bound."""
    f = facts_of_text(tmp_path, "\n".join([
        "2032年2月7日", "　1,268億円を計上したのが、無人アセット防衛能力だ。3年前の約5倍の規模である。",
        "　伸びを支えるのが宇宙戦略基金だ。31年度補正で3,000億円を計上して始まった。",
        "　30年度補正では海洋庁に826億円が計上された。ミサイル関連の総額は1兆円を優に超える。"]))
    got = owner_by_amount(f)
    assert got == {1268 * OKU: "無人アセット防衛能力", 3000 * OKU: "宇宙戦略基金", 826 * OKU: "海洋庁"}


def test_a_title_line_ending_in_an_adnominal_verb_goes_on_below(tmp_path):
    """A slide title broken after 「…を担う」: the name is both lines, and the components adding up to
    its figure do not vouch for a cut name."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和9年度概算要求", "次世代蓄電池の開発を担う", "人材育成拠点形成事業",
        "令和9年度要求・要望額 48億円（新規）", "① 拠点形成 30億円", "② 人材育成 18億円"]))
    assert {a["program"] for a in f.amounts if a["amount_yen"] == 48 * OKU} == {"次世代蓄電池の開発を担う人材育成拠点形成事業"}


def test_a_tab_table_of_amounts_under_a_stub_header_and_year_labels(tmp_path):
    """「区分\t令和11年度当初予算額\t令和12年度予算案」 over rows of amounts with their units (no unit header, no
    difference column): each column gives its stage and year; 「★」 marks an item, no part of its name; a
    「令和11年12月」 line under the title is no name."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年度海洋財政の概要", "令和11年12月　海洋庁財政課",
        "区分\t令和11年度当初予算額\t令和12年度予算案",
        "海洋交付金\t18兆2,300億円\t18兆5,650億円", "★海洋特例交付金\t1,520億円\t1,260億円"]))
    assert {(a["program"], a["stage"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts} == {
        ("海洋交付金", "enacted", 2029, 182300 * OKU), ("海洋交付金", "draft", 2030, 185650 * OKU),
        ("海洋特例交付金", "enacted", 2029, 1520 * OKU), ("海洋特例交付金", "draft", 2030, 1260 * OKU)}


def test_examples_before_nado_no_are_no_part_of_the_name(tmp_path):
    """「装備品の購入や施設整備などの物件費は3兆835億円」: the figure is 物件費's (「…などの事業」 keeps its examples:
    a bare generic head names nothing)."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年08月31日", "　このうち人件・糧食費は2兆1745億円、装備品の購入や施設整備などの物件費は3兆835億円。"]))
    assert ("物件費", 30835 * OKU) in {(a["program"], a["amount_yen"]) for a in f.amounts}


def test_a_quoted_programmes_fund_is_the_programmes_and_a_per_project_cap_no_budget(tmp_path):
    """「『海洋ベンチャー強化事業』の基金に1,200億円」 is that 事業's figure; 「1プロジェクト最大50億円」 is a cap per
    project, no budget."""
    f = facts_of_text(tmp_path, "\n".join([
        "2031年2月10日", "　2030年度補正予算では『海洋ベンチャー強化事業』の基金に1,200億円を積み増した。",
        "　新目標の公募は1プロジェクト最大50億円で、5年間支援する。"]))
    assert {(a["program"], a["amount_yen"]) for a in f.amounts} == {("海洋ベンチャー強化事業", 1200 * OKU)}


def test_a_periodicals_running_head_and_a_breadcrumb_are_no_rows_and_an_aside_note_is_no_budget(tmp_path):
    """「ファイナンス 2031.2 33」 between a table's rows is the magazine's running head and its page number, not a
    row 「ファイナンス 2031.2」 of 33; 「(注2)上記の外に、…68億円がある。」 is another body's figure."""
    f = facts_of_text(tmp_path, "\n".join([
        "ファイナンス 2031.2", "令和13年度 海洋振興費について", "表3 海洋振興費の府省別内訳（単位：億円）",
        "事項 令和12年度予算額 令和13年度予算額（案） 増△減額", "海洋振興費 計 13,788 13,942 154", "ファイナンス 2031.2 33",
        "海洋庁 1,230 1,255 25", "（注2）上記の外に、デジタル庁計上の情報システム関係経費68億円がある。"]))
    assert {a["program"] for a in f.amounts} == {"海洋振興費 計", "海洋庁"} or \
        {a["program"] for a in f.amounts} == {"海洋振興費", "海洋庁"}
    assert not [a for a in f.amounts if a["amount_yen"] in (33 * OKU, 68 * OKU)]


def test_a_row_of_bulleted_boxes_joined_into_one_line_is_read_box_by_box(tmp_path):
    """Two columns of bulleted boxes joined line by line: 「○A ○B」 over 「X億円（+411億円） Y億円（±0）」, a line of
    points, then the next row 「○C ○D」 over its figures: each bullet's heading owns the figure under it."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年度 海洋予算のポイント", "令和12年度予算額（案）: 5,384億円（前年度比 +113億円）",
        "【海洋関係】 【科学技術関係】",
        "○海洋観測費国庫負担金 ○海洋研究助成事業（海研費）", "1兆5,627億円（+411億円） 2,377億円（±0）",
        "・観測員定数の改善 +2,430人 ・新規採択率 30％を目指す",
        "○海洋大学法人運営費交付金 ○海洋航空分野の研究開発", "1兆784億円（±0） 1,539億円（+12億円）"]))
    got = {a["program"]: a["amount_yen"] for a in f.amounts}
    assert got.get("海洋観測費国庫負担金") == 15627 * OKU and got.get("海洋研究助成事業(海研費)") == 2377 * OKU
    assert got.get("海洋大学法人運営費交付金") == 10784 * OKU and got.get("海洋航空分野の研究開発") == 1539 * OKU


def test_a_joined_row_whose_first_box_holds_its_own_label(tmp_path):
    """「・A ・B」 over 「令和11年度補正予算（案）300億円 42億円」: A's figure is its supplementary draft, B's the
    release's own (the first box carries its own label)."""
    f = facts_of_text(tmp_path, "\n".join([
        "令和12年度 海洋予算のポイント", "令和12年度予算額（案） 1兆4,034億円",
        "・海洋研究支援事業（基金） ・次世代観測基盤の開発（新規）", "令和11年度補正予算（案）300億円 42億円"]))
    got = {a["program"]: (a["budget"], a["fiscal_year"], a["amount_yen"]) for a in f.amounts}
    assert got.get("海洋研究支援事業(基金)") == ("supplementary", 2029, 300 * OKU)
    assert got.get("次世代観測基盤の開発") == ("initial", 2030, 42 * OKU)


def test_a_numbered_heading_over_its_paragraph_owns_the_figure_that_names_nobody(tmp_path):
    """「1．X事業」 over 「　要求額84億円（前年度62億円）。…」: X's figures; and a numbered heading over a sentence
    that names its own topic (「2．研究基盤」 / 「Yには…59億円」) is no part of that topic's name."""
    f = facts_of_text(tmp_path, "\n".join([
        "海洋庁 令和9年度概算要求の概要（当会まとめ）", "2026年9月5日",
        "1．洋上観測の導入促進に向けた調査事業", "　要求額84億円（前年度62億円）。22億円の増額で、調査を拡充します。",
        "2．研究拠点と研究基盤", "海洋研究拠点プログラムには、前年度比2億円減の59億円を要求した。"]))
    got = {(a["program"], a["stage"], a["amount_yen"]) for a in f.amounts}
    name = "洋上観測の導入促進に向けた調査事業"
    assert {(name, "request", 84 * OKU), (name, "enacted", 62 * OKU), ("海洋研究拠点プログラム", "request", 59 * OKU)} <= got
