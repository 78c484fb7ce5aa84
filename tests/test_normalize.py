"""Table-driven tests of pipeline.normalize: one table per quirk of Japanese PDF text."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from pipeline.normalize import (
    extraction_failures,
    normalize,
    normalize_pairs,
    normalize_with_map,
    source_of,
    strip_markdown,
)


def case(*values, id):
    return pytest.param(*values, id=id)


# ------------------------------------------------------------ fullwidth forms

@pytest.mark.parametrize("raw, expected", [
    case("（ＢＩＮＤＳ）３７億円", "(BINDS)37億円", id="brief-example"),
    case("令和８年度", "令和8年度", id="fullwidth-digit"),
    case("２，４７９億円", "2,479億円", id="fullwidth-comma"),
    case("ＡＩ　ｆｏｒ　Ｓｃｉｅｎｃｅ", "AI for Science", id="fullwidth-letters-and-ideographic-spaces"),
    case("［令和7年度補正予算額 300億円］", "[令和7年度補正予算額300億円]", id="fullwidth-square-brackets"),
    case("（担当：研究振興局）", "(担当:研究振興局)", id="fullwidth-colon"),
    case("採択率約２７％", "採択率約27%", id="fullwidth-percent"),
])
def test_fullwidth_ascii_becomes_ascii(raw, expected):
    assert normalize(raw) == expected


# ------------------------------------------------------------ enumerators

@pytest.mark.parametrize("raw, expected", [
    case("①②⑳", "①②⑳", id="circled-1-2-20"),
    case("㉑㉟㊱㊿", "㉑㉟㊱㊿", id="circled-21-to-50"),
    case("⑴⒈", "⑴⒈", id="parenthesized-and-full-stop"),
    case("① 学習用データセット構築", "①学習用データセット構築", id="space-after-enumerator-dropped"),
])
def test_circled_numbers_survive(raw, expected):
    out = normalize(raw)
    assert out == expected
    assert unicodedata.normalize("NFKC", raw) != out  # plain NFKC would have flattened them


def test_circled_numbers_are_not_flattened_to_digits():
    assert normalize("①②⑳") != "1220"


# ------------------------------------------------------------ radicals

@pytest.mark.parametrize("raw, expected", [
    case("\u2F42", "文", id="kangxi-2F42-bun"),
    case("\u2F45", "方", id="kangxi-2F45-hou"),
    case("\u2F00", "一", id="kangxi-2F00-ichi"),
    case("⽂部科学省", "文部科学省", id="kangxi-in-word"),
    case("構を⼀つの箱内に", "構を一つの箱内に", id="kangxi-pdfjs-issue15340-line"),
    case("\u2ED1", "長", id="supplement-2ED1-naga"),
    case("\u2EC4", "西", id="supplement-2EC4-nishi"),
    case("⻑期", "長期", id="supplement-in-word"),
    case("関⻄", "関西", id="supplement-after-kanji"),
])
def test_radicals_become_unified_ideographs(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("cp", range(0x2F00, 0x2FD6), ids=lambda cp: f"U+{cp:04X}")
def test_every_kangxi_radical_becomes_a_unified_ideograph(cp):
    out = normalize(chr(cp))
    assert len(out) == 1
    assert 0x4E00 <= ord(out) <= 0x9FFF, f"U+{cp:04X} -> U+{ord(out):04X}"


_RULES = Path(__file__).resolve().parent.parent / "rules" / "normalization.yaml"
_SUPPLEMENT = sorted(yaml.safe_load(_RULES.read_text(encoding="utf-8"))["radicals_supplement"].items())


@pytest.mark.parametrize("radical, ideograph", _SUPPLEMENT, ids=[f"U+{ord(r):04X}" for r, _ in _SUPPLEMENT])
def test_radicals_supplement_table_is_applied(radical, ideograph):
    out = normalize(radical)
    assert out == ideograph
    assert not 0x2E80 <= ord(out) <= 0x2EFF


# ------------------------------------------------------------ compatibility ideographs

@pytest.mark.parametrize("raw, expected", [
    case("\uF9E4", "\u7406", id="F9E4-becomes-ri"),
    case("情報処\uF9E4", "情報処理", id="F9E4-in-word"),
    case("\uFA11", "\uFA11", id="FA11-saki-kept"),
    case("川\uFA11レディースクリニック", "川\uFA11レディースクリニック", id="FA11-in-name-kept"),
])
def test_compatibility_ideographs(raw, expected):
    assert normalize(raw) == expected


# The twelve unified ideographs that live in the compatibility block: real characters,
# (﨑 in names) with no decomposition; they must never be "normalized".
@pytest.mark.parametrize("cp", [0xFA0E, 0xFA0F, 0xFA11, 0xFA13, 0xFA14, 0xFA1F,
                                0xFA21, 0xFA23, 0xFA24, 0xFA27, 0xFA28, 0xFA29],
                         ids=lambda cp: f"U+{cp:04X}")
def test_unified_ideographs_of_compatibility_block_are_kept(cp):
    assert normalize(chr(cp)) == chr(cp)


# ------------------------------------------------------------ range marks

RANGE_FORMS = ["～", "〜", "∼", "~", "〰", "∿"]


@pytest.mark.parametrize("mark", RANGE_FORMS, ids=[f"U+{ord(m):04X}" for m in RANGE_FORMS])
def test_every_tilde_form_becomes_the_range_mark(mark):
    out = normalize(f"令和8年度{mark}令和12年度")
    assert out == "令和8年度~令和12年度"
    assert "令和8年度" in out and "令和12年度" in out


def test_fullwidth_tilde_and_wave_dash_normalize_identically():
    a = normalize("令和8年度～令和12年度")  # U+FF5E
    b = normalize("令和8年度〜令和12年度")  # U+301C
    assert a == b
    assert "令和8年度" in a and "令和12年度" in a


def test_spaces_around_range_mark_do_not_change_the_result():
    assert normalize("令和4年度 ～ 令和8年度") == normalize("令和4年度～令和8年度") == "令和4年度~令和8年度"


# ------------------------------------------------------------ spaces

@pytest.mark.parametrize("raw, expected", [
    case("令和8 年度", "令和8年度", id="digit-then-unit"),
    case("2,479 億円", "2,479億円", id="amount-then-unit"),
    case("研究振興局 ライフサイエンス課", "研究振興局ライフサイエンス課", id="inside-japanese"),
    case("令和8年度\u3000予算額", "令和8年度予算額", id="ideographic-space-inside-japanese"),
    case("令和元年11 月21 日 ", "令和元年11月21日", id="word-date-with-trailing-space"),
    case("2026年 1月 20日", "2026年1月20日", id="spaces-after-units"),
    case("  令和8年度  ", "令和8年度", id="trimmed"),
    case("2,479 2,379", "2,479 2,379", id="two-numbers-keep-space"),
    case("2,479  2,379", "2,479 2,379", id="two-numbers-one-space"),
    case("2,479   2,379", "2,479\t2,379", id="a-wide-gap-is-a-cell-boundary"),
    case("令和7年度補正予算額    176億円", "令和7年度補正予算額\t176億円", id="a-wide-gap-between-japanese-too"),
    case("合　　　計   974,547", "合計\t974,547", id="letters-spaced-out-are-one-word"),
    case("前年度予算額比   較", "前年度予算額比較", id="a-spaced-word-glued-to-the-cell-before"),
    case("推進事業    ○ 宇宙戦略基金", "推進事業\t○宇宙戦略基金", id="a-bullet-after-a-gap-starts-a-cell"),
    case("10 20 30", "10 20 30", id="multi-digit-numbers-keep-space"),
    case("1 2", "1 2", id="two-single-digits-keep-space"),
    case("AI for Science", "AI for Science", id="latin-words-keep-spaces"),
    case("AI for Scienceによる", "AI for Scienceによる", id="latin-words-before-japanese"),
    case("Top 10%", "Top 10%", id="latin-word-and-number"),
    case("A\u00a0B", "A B", id="nbsp-is-a-space"),
])
def test_spaces(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    case("健健発1 1 2 1 第1号", "健健発1121第1号", id="brief-example"),
    case("子母発1 1 2 1 第１号 ", "子母発1121第1号", id="mhlw-raw-line"),
    case("1 1 2 1", "1121", id="bare-run"),
    case("第 1 2 3 号", "第123号", id="between-kanji"),
])
def test_spaced_single_digits_are_joined(raw, expected):
    assert normalize(raw) == expected


# ------------------------------------------------------------ tabs (table cells)

@pytest.mark.parametrize("raw, expected", [
    case("予算額\t37億円", "予算額\t37億円", id="one-tab-kept"),
    case("予算額\t\t\t37億円", "予算額\t37億円", id="tab-run-becomes-one"),
    case("予算額 \t 37億円", "予算額\t37億円", id="tab-absorbs-spaces"),
    case("2,479\t2,379", "2,479\t2,379", id="tab-between-numbers"),
    case("\t予算額\t", "予算額", id="edge-tabs-trimmed"),
])
def test_tabs_are_one_cell_separator(raw, expected):
    assert normalize(raw) == expected


def test_line_breaks_inside_a_line_are_dropped():
    assert normalize("令和8年度\r\n") == "令和8年度"


# ------------------------------------------------------------ halfwidth katakana

@pytest.mark.parametrize("raw, expected", [
    case("ﾃﾞｰﾀ", "データ", id="dakuten"),
    case("ｶﾞｽ", "ガス", id="dakuten-2"),
    case("ﾊﾟﾝ", "パン", id="handakuten"),
])
def test_halfwidth_katakana_with_voiced_marks_compose(raw, expected):
    assert normalize(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    case("ｱｲｳｴｵ", "アイウエオ", id="plain-halfwidth-kana"),
    case("ﾗｲﾌｻｲｴﾝｽ", "ライフサイエンス", id="plain-halfwidth-word"),
])
def test_halfwidth_katakana_without_voiced_marks(raw, expected):
    assert normalize(raw) == expected


# ------------------------------------------------------------ extraction failures

@pytest.mark.parametrize("raw, expected", [
    case("予算(cid:1234)額", ["(cid:1234)"], id="cid"),
    case("(cid:1)(cid:22)", ["(cid:1)", "(cid:22)"], id="two-cids"),
    case("予算\x00額", ["\x00"], id="nul"),
    case("予算\ufffd額", ["\ufffd"], id="replacement-char"),
    case("(cid:7)\x00\ufffd", ["(cid:7)", "\x00", "\ufffd"], id="all-three"),
    case("令和8年度予算額(案)37億円", [], id="clean-line"),
    case("cid:12 (cid:) (cid:x)", [], id="not-cid-marks"),
])
def test_extraction_failures(raw, expected):
    assert extraction_failures(raw) == expected


# ------------------------------------------------------------ source_of / index map

@pytest.mark.parametrize("raw, span, expected_source", [
    case("（前年度予算額 ３６億円）", "36億円", "３６億円", id="fullwidth-amount"),
    case("⽂部科学省", "文", "⽂", id="kangxi-radical"),
    case("情報処\uF9E4", "理", "\uF9E4", id="compat-ideograph"),
    case("令和8 年度", "令和8年度", "令和8 年度", id="dropped-space-inside-span"),
    case("健健発1 1 2 1 第１号", "1121", "1 1 2 1", id="spaced-digits"),
    case("令和8年度～令和12年度", "~", "～", id="range-mark"),
])
def test_source_of_returns_raw_characters(raw, span, expected_source):
    text, index_map = normalize_with_map(raw)
    start = text.index(span)
    assert source_of(raw, index_map, start, start + len(span)) == expected_source


def test_source_of_empty_span_is_empty():
    text, index_map = normalize_with_map("令和８年度")
    assert source_of("令和８年度", index_map, 2, 2) == ""


@pytest.mark.parametrize("raw, span, expected_source", [
    ("\r㍻2年", "平成", "㍻"),     # CR maps to nothing, ㍻ to two characters: equal lengths
    ("a\n㍻", "平成", "㍻"),
    ("㍻\r2年", "2年", "2年"),
], ids=["cr-before-expansion", "lf-before-expansion", "cr-after-expansion"])
def test_index_map_points_at_the_right_raw_characters_when_some_vanish_and_some_expand(raw, span, expected_source):
    text, index_map = normalize_with_map(raw)
    start = text.index(span)
    assert source_of(raw, index_map, start, start + len(span)) == expected_source


@pytest.mark.parametrize("raw", [
    "（ＢＩＮＤＳ）３７億円",
    "㍻2年 ⽂部科学省",
    "健健発1 1 2 1 第１号 ",
    " 予算額 \t\t 37億円 ",
    "AI for Science ①②⑳",
], ids=["fullwidth", "expanding-nfkc", "spaced-digits", "tabs", "latin-enumerators"])
def test_index_map_is_one_index_per_char_in_raw_order(raw):
    text, index_map = normalize_with_map(raw)
    assert len(index_map) == len(text)
    assert index_map == sorted(index_map)
    assert all(0 <= i < len(raw) for i in index_map)


# ------------------------------------------------------------ Markdown

def md(raw):
    pairs = strip_markdown(raw)
    return None if pairs is None else "".join(c for c, _ in pairs)


@pytest.mark.parametrize("raw, expected", [
    case("**BINDS**", "BINDS", id="bold"),
    case("- **生命科学・創薬研究支援基盤事業（BINDS） 37億円（36億円）**",
         "生命科学・創薬研究支援基盤事業（BINDS） 37億円（36億円）", id="bullet-and-bold"),
    case("- 認知症等の克服", "認知症等の克服", id="bullet"),
    case("**ライフサイエンス研究の****変革**", "ライフサイエンス研究の変革", id="adjacent-bold-runs"),
    case("-5億円", "-5億円", id="minus-sign-is-not-a-bullet"),
    case("| 予算額 | 37億円 |", " 予算額 \t 37億円 ", id="table-row-pipes-become-tabs"),
    case("|---|---|", None, id="table-rule"),
    case("| --- | :---: |", None, id="table-rule-with-alignment"),
    case("|---------------|----------------------|-----------------|", None, id="table-rule-from-release-text"),
])
def test_strip_markdown(raw, expected):
    assert md(raw) == expected


def test_strip_markdown_keeps_raw_indices():
    raw = "- **BINDS 37億円**"
    pairs = strip_markdown(raw)
    assert [raw[i] for _, i in pairs] == [c for c, _ in pairs]
    assert pairs[0] == ("B", raw.index("B"))


@pytest.mark.parametrize("raw, expected", [
    case("| ① 学習用データセット構築 | ④ 既存モデル評価 | ⑦ 発見・設計支援 |",
         "①学習用データセット構築\t④既存モデル評価\t⑦発見・設計支援", id="release-table-row"),
    case("- **次世代医療実現バイオバンク利活用プログラム 41億円（新規）**",
         "次世代医療実現バイオバンク利活用プログラム41億円(新規)", id="release-bullet"),
    case("- | | | |", "", id="empty-table-row"),
])
def test_markdown_then_normalize(raw, expected):
    assert "".join(c for c, _ in normalize_pairs(strip_markdown(raw))) == expected


def test_dropped_categories_are_never_printable():
    """normalize looks for the dropped categories (Cf) only in text that is
    not all printable: every code point the regex module puts in them must
    be unprintable for Python (whose Unicode version may differ)."""
    from pipeline.normalize import _tables
    t = _tables()
    assert t["unprintable_categories"]
    printable = [hex(cp) for cp in range(0x110000)
                 if t["drop_categories_re"].match(chr(cp)) and chr(cp).isprintable()]
    assert printable == []
