"""Property-based tests (hypothesis) of the parsers and the rules that feed them.

Generated amounts, fiscal years and periods are written in every form the
rules support and must parse back to the value they were made from; arbitrary
text must never make the parsers or the facts walk raise anything but
PipelineError. Settings are deterministic (derandomize, no example database)
so CI sees the same examples on every run.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

from conftest import RAW_TEXT as TEXT
from pipeline.errors import PipelineError
from pipeline.extract import Page, make_line
from pipeline.facts import extract_facts
from pipeline.normalize import normalize, normalize_lines, normalize_with_map
from pipeline.parse import fiscal_year_of, kanji_to_int, parse_amount, period_of
from pipeline.rules import load_rules

SETTINGS = settings(max_examples=200, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def rules():
    return load_rules()


# ------------------------------------------------------------- number writing

KANJI_DIGITS = "〇一二三四五六七八九"


def to_kanji(n: int) -> str:
    """1 <= n < 10,000 as a conventional kanji numeral (一 is left out before 十/百/千).

    >>> [to_kanji(n) for n in (1, 10, 11, 20, 105, 1000, 2379, 9999)]
    ['一', '十', '十一', '二十', '百五', '千', '二千三百七十九', '九千九百九十九']
    """
    assert 1 <= n < 10_000, n
    out = ""
    for value, mark in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, value)
        if d:
            out += ("" if d == 1 else KANJI_DIGITS[d]) + mark
    return out + (KANJI_DIGITS[n] if n else "")


def has_digit_kanji(numeral: str) -> bool:
    """The amount rule needs one digit kanji in a numeral (so the unit note 「千円」 is no amount)."""
    return any(c in KANJI_DIGITS for c in numeral)


FULLWIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


def test_to_kanji_round_trips_through_the_pipelines_own_parser():
    assert all(kanji_to_int(to_kanji(n)) == n for n in range(1, 10_000))


# ------------------------------------------------------------------- amounts
# Each form: (text, yen, kanji-able parts or None). Parts are (number, unit)
# pairs the kanji variant writes as kanji numerals (units 兆/億/万 only, where
# each part is < 10,000 — the boundaries README says the parser splits at).

OKU, CHO, MAN = 10**8, 10**12, 10**4


@st.composite
def amount_forms(draw):
    kind = draw(st.sampled_from(["oku", "oku_commas", "oku_man", "oku_man_padded", "oku_man_commas",
                                 "cho", "hyakuman", "sen", "man", "senman", "decimal1", "decimal2",
                                 "yen"]))
    n = draw(st.integers(1, 99_999))
    if kind == "oku":
        return f"{n}億円", n * OKU, [(n, "億")]
    if kind == "oku_commas":
        n = draw(st.integers(1_000, 9_999_999))
        return f"{n:,}億円", n * OKU, None
    if kind in ("oku_man", "oku_man_padded", "oku_man_commas"):
        a, b = draw(st.integers(1, 9_999)), draw(st.integers(1, 9_999))
        text = {"oku_man": f"{a}億{b}万円", "oku_man_padded": f"{a}億{b:04d}万円",
                "oku_man_commas": f"{a:,}億{b:,}万円"}[kind]
        return text, a * OKU + b * MAN, [(a, "億"), (b, "万")]
    if kind == "cho":
        t, a, b = draw(st.integers(1, 9_999)), draw(st.integers(0, 9_999)), draw(st.integers(0, 9_999))
        parts = [(t, "兆")] + [(v, u) for v, u in ((a, "億"), (b, "万")) if v]
        text = "".join(f"{v}{u}" for v, u in parts) + "円"
        return text, t * CHO + a * OKU + b * MAN, parts
    if kind == "hyakuman":
        return f"{n:,}百万円", n * 10**6, None
    if kind == "sen":
        n = draw(st.integers(1, 9_999_999))
        return f"{n:,}千円", n * 1000, None
    if kind == "man":
        return f"{n:,}万円", n * MAN, [(n, "万")] if n < 10_000 else None
    if kind == "senman":
        return f"{n:,}千万円", n * 10**7, None
    if kind == "decimal1":
        d = draw(st.integers(0, 9))
        return f"{n}.{d}億円", n * OKU + d * 10**7, None
    if kind == "decimal2":
        d = draw(st.integers(0, 99))
        return f"{n}.{d:02d}億円", n * OKU + d * 10**6, None
    n = draw(st.integers(1, 9_999_999))
    return f"{n:,}円", n, [(n, "")] if n < 10_000 else None


@st.composite
def written_amounts(draw):
    """(raw text of an amount, yen) in one of the supported writings."""
    text, yen, parts = draw(amount_forms())
    style = draw(st.sampled_from(["ascii", "fullwidth", "kanji"]))
    if style == "kanji" and parts:
        numerals = [to_kanji(v) for v, _ in parts]
        # numerals without a digit kanji (十億, 百億) are covered by their own test below
        assume(all(has_digit_kanji(k) for k in numerals))
        text = "".join(k + u for k, (_, u) in zip(numerals, parts)) + "円"
    elif style == "fullwidth":
        text = text.translate(FULLWIDTH)
    if draw(st.booleans()):
        text, yen = "▲" + text, -yen
    return text, yen


CONTEXT_BEFORE = ["", "令和8年度予算額（案）", "（前年度予算額 ", "BINDS ", "総額："]
CONTEXT_AFTER = ["", "）", "（新規）", "の内数", " 程度"]


def find_amount(rules, raw: str):
    m = rules["amount.yen"]["re_pattern"].search(normalize(raw))
    assert m is not None, (raw, normalize(raw))
    return m


@SETTINGS
@given(amount=written_amounts(), before=st.sampled_from(CONTEXT_BEFORE),
       after=st.sampled_from(CONTEXT_AFTER))
@example(amount=("861億0700万円", 86107000000), before="", after="")
@example(amount=("▲２，４７９億円", -247900000000), before="", after="")
@example(amount=("二千三百七十九億五千万円", 237950000000), before="", after="")
@example(amount=("530.63億円", 53063000000), before="", after="")
def test_written_amounts_parse_back_to_their_yen(rules, amount, before, after):
    raw, yen = amount
    m = find_amount(rules, before + raw + after)
    assert m.group(0) == normalize(raw)          # the whole amount, nothing more or less
    assert parse_amount(m.group(0)) == yen


# Numerals without a digit kanji are read before 兆 and 億 only: before 万 or 千
# they would turn unit notes such as 「(単位:百万円)」 into amounts (rules/defs.yaml).
@pytest.mark.parametrize("raw, yen", [("十億円", 10 * OKU), ("百億円", 100 * OKU), ("千億円", 1000 * OKU),
                                      ("三兆十億円", 3 * CHO + 10 * OKU)])
def test_kanji_numerals_without_a_digit_kanji(rules, raw, yen):
    m = find_amount(rules, raw)
    assert m.group(0) == raw and parse_amount(m.group(0)) == yen


# ------------------------------------------------------------- fiscal years

def year_writings(n: int, max_kanji: int = 99) -> list[str]:
    forms = [str(n), str(n).translate(FULLWIDTH)]
    if n <= max_kanji:
        forms.append(to_kanji(n))
    if n == 1:
        forms.append("元")
    return forms


@st.composite
def era_years(draw):
    era = draw(st.sampled_from(["令和", "平成"]))
    n = draw(st.integers(1, 99 if era == "令和" else 31))
    written = draw(st.sampled_from(year_writings(n)))
    return era, n, written


@SETTINGS
@given(year=era_years(), after=st.sampled_from(["", "予算額", "補正予算額（案）", "要求・要望額"]))
@example(year=("令和", 1, "元"), after="")
@example(year=("平成", 31, "三十一"), after="")
@example(year=("令和", 99, "九十九"), after="")
def test_fiscal_years_parse_via_rule_fy_single(rules, year, after):
    era, n, written = year
    m = rules["fy.single"]["re_pattern"].search(normalize(f"{era}{written}年度{after}"))
    assert m is not None
    assert m["era"] == era
    assert fiscal_year_of(m["era"], m["year"]) == {"令和": 2018, "平成": 1988}[era] + n


def test_every_year_of_both_eras_in_every_writing(rules):
    """The same property, exhaustively (130 years x 3-4 writings)."""
    wrong = []
    for era, last, base in (("令和", 99, 2018), ("平成", 31, 1988)):
        for n in range(1, last + 1):
            for written in year_writings(n):
                m = rules["fy.single"]["re_pattern"].search(normalize(f"{era}{written}年度"))
                if m is None or fiscal_year_of(m["era"], m["year"]) != base + n:
                    wrong.append(f"{era}{written}年度")
    assert wrong == []


# ------------------------------------------------------------------ periods

TILDES = ["～", "〜", "∼", "~"]


@st.composite
def periods(draw):
    """(raw text, (start, end)) of a 事業実施期間-style period."""
    a = draw(st.integers(1, 99))
    b = draw(st.integers(a, 99))
    tilde = draw(st.sampled_from(TILDES))
    sp = draw(st.sampled_from(["", " ", "　"]))
    wa, wb = draw(st.sampled_from(year_writings(a))), draw(st.sampled_from(year_writings(b)))
    form = draw(st.sampled_from(["both", "era_once", "open_end", "open_start", "heisei_start"]))
    if form == "both":
        return f"令和{wa}年度{sp}{tilde}{sp}令和{wb}年度", (2018 + a, 2018 + b)
    if form == "era_once":
        return f"令和{wa}{sp}{tilde}{sp}{wb}年度", (2018 + a, 2018 + b)
    if form == "open_end":
        return f"令和{wa}年度{sp}{tilde}", (2018 + a, None)
    if form == "open_start":
        return f"{tilde}{sp}令和{wb}年度", (None, 2018 + b)
    h = draw(st.integers(1, 31))
    return f"平成{draw(st.sampled_from(year_writings(h)))}年度{tilde}令和{wb}年度", (1988 + h, 2018 + b)


@SETTINGS
@given(period=periods(), before=st.sampled_from(["", "事業実施期間：", "【事業期間】 "]),
       after=st.sampled_from(["", "（予定）", "\u3000"]))
@example(period=("令和3～11年度", (2021, 2029)), before="", after="")
@example(period=("令和8年度〜令和12年度", (2026, 2030)), before="", after="")
@example(period=("令和元年度∼", (2019, None)), before="", after="")
@example(period=("～令和10年度", (None, 2028)), before="", after="")
def test_periods_parse_via_rule_fy_range(rules, period, before, after):
    raw, want = period
    m = rules["fy.range"]["re_pattern"].search(normalize(before + raw + after))
    assert m is not None, normalize(before + raw + after)
    assert period_of(m.groupdict()) == want


# ------------------------------------------- arbitrary text: PipelineError only

NASTY = list("億兆万千百円令和平成元年度予算額要求要望補正案新規内数約程度前担当総額"
             "〇一二三四五六七八九十0123456789０１２３４５６７８９,，.．▲△-－―ー~～〜∼"
             "()（）[]【】「」:：・※●○ 　\t\n\r\f\x00\ufffd\u200b\u3099\uff9e｡ｱﾃﾞ①⑳⺟⼀\uf9e4﨑|*#")
ARBITRARY = st.text(alphabet=st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(NASTY)),
                    max_size=60)


def only_pipeline_errors(fn, *args):
    try:
        return fn(*args)
    except PipelineError:
        return None


@SETTINGS
@given(text=ARBITRARY)
def test_normalize_never_raises(text):
    only_pipeline_errors(normalize, text)


@SETTINGS
@given(lines=st.lists(ARBITRARY, max_size=8))
@example(lines=["令和8 年度", "\x00", "e", "\u0301"])
@example(lines=["ＡＢ", "ab"])
def test_a_page_normalized_at_once_is_its_lines_normalized_one_by_one(lines):
    assert normalize_lines(lines) == [normalize(x) for x in lines]


@SETTINGS
@given(text=ARBITRARY)
@example(text=" 予算額 \t\t 37億円 ")
@example(text="健健発1 1 2 1 第１号 ")
def test_the_text_only_normalization_is_the_mapped_one(text):
    """normalize() skips the raw-index map for speed; its text must be the
    map-keeping normalize_with_map()'s, and the map must cover that text."""
    mapped, index_map = normalize_with_map(text)
    assert normalize(text) == mapped
    assert len(index_map) == len(mapped) and index_map == sorted(index_map)


@SETTINGS
@given(text=ARBITRARY)
def test_parse_amount_raises_only_pipeline_errors(text):
    only_pipeline_errors(parse_amount, text)


@SETTINGS
@given(text=ARBITRARY)
def test_kanji_to_int_raises_only_pipeline_errors(text):
    only_pipeline_errors(kanji_to_int, text)


@SETTINGS
@given(text=ARBITRARY)
def test_fiscal_year_of_raises_only_pipeline_errors(text):
    only_pipeline_errors(fiscal_year_of, "令和", text)


@pytest.mark.parametrize("year", ["²", "¹²", "①"])
def test_fiscal_year_of_superscript_digits(year):
    only_pipeline_errors(fiscal_year_of, "令和", year)


def _real_lines() -> list[str]:
    return [ln for ln in TEXT.read_text(encoding="utf-8").splitlines() if ln.strip()]


REAL_LINES = _real_lines()
LINE_TEXT = st.one_of(ARBITRARY, st.sampled_from(REAL_LINES))
BBOX = st.one_of(st.none(), st.tuples(st.floats(0, 800), st.floats(0, 600), st.floats(0, 800),
                                      st.floats(0, 600)))


@st.composite
def pages_of_lines(draw):
    paged = draw(st.booleans())
    n_pages = draw(st.integers(1, 4)) if paged else 1
    pages = []
    for k in range(1, n_pages + 1):
        raws = draw(st.lists(st.tuples(LINE_TEXT, BBOX if paged else st.none(),
                                       st.one_of(st.none(), st.floats(4, 40))), max_size=12))
        if k == 1 and draw(st.booleans()):   # a budget year, so the walk goes past release_context
            raws.insert(0, ("令和8年度予算額（案） 852億円", None, None))
        lines = [line for i, (raw, bbox, size) in enumerate(raws, start=1)
                 if (line := make_line(k if paged else None, i, raw, bbox, size)) is not None]
        page = Page(k if paged else None, lines)
        page.height = draw(st.sampled_from([540.0, 842.0])) if paged else None
        pages.append(page)
    return pages


@SETTINGS
@given(pages=pages_of_lines())
def test_extract_facts_raises_only_pipeline_errors(rules, pages):
    result = only_pipeline_errors(extract_facts, pages, "prop", rules)
    if result is not None:
        amounts, programs, observations, conflicts = result
        assert all(isinstance(a["amount_yen"], int) for a in amounts)
        assert len(observations) >= len(amounts)
