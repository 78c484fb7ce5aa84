"""Pure parsers for the pieces the rules find: amounts, fiscal years, periods."""
from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

import regex

from pipeline.errors import ParseError

KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_SMALL = {"十": 10, "百": 100, "千": 1000}
UNITS = {"兆": 10**12, "億": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "千": 10**3}
UNIT_PATTERN = "|".join(sorted(UNITS, key=len, reverse=True))   # 千万|百万|兆|億|万|千, for patterns that need a unit
_TOKEN = regex.compile(
    r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[〇一二三四五六七八九十百千]+)"
    r"(兆|億|千万|百万|万|千)?")


def kanji_to_int(text: str) -> int:
    """A kanji numeral below 10,000 (units above are handled by parse_amount).

    >>> kanji_to_int("二千三百七十九"), kanji_to_int("十"), kanji_to_int("〇七")
    (2379, 10, 7)
    """
    total, digit = 0, None
    for c in text:
        if c in KANJI_DIGITS:
            digit = KANJI_DIGITS[c] if digit is None else digit * 10 + KANJI_DIGITS[c]
        elif c in _KANJI_SMALL:
            total += (digit if digit is not None else 1) * _KANJI_SMALL[c]
            digit = None
        else:
            raise ParseError(f"not a kanji numeral: {text!r}", "parse.numeral")
    return total + (digit or 0)


def _number(token: str) -> Decimal | int:
    """A number token, exact: digits with a decimal point as a Decimal (never
    a float), whole digits and kanji as an int (int arithmetic is several
    times faster than Decimal's and just as exact)."""
    if token[0].isdigit():
        digits = token.replace(",", "")
        return Decimal(digits) if "." in digits else int(digits)
    return kanji_to_int(token)


def parse_amount(text: str) -> int:
    """Yen of an amount matched by rule amount.yen.

    >>> parse_amount("2,479億円"), parse_amount("861億0700万円"), parse_amount("▲5億円")
    (247900000000, 86107000000, -500000000)
    >>> parse_amount("530.63億円"), parse_amount("二千三百七十九億円"), parse_amount("三兆十億円")
    (53063000000, 237900000000, 3001000000000)
    >>> parse_amount("9007199254740993円"), parse_amount("99999999999999兆円")   # exact: no float on the way
    (9007199254740993, 99999999999999000000000000)
    """
    body = text.strip()
    sign = -1 if body[:1] in "▲△-" else 1
    body = body.lstrip("▲△-").rstrip("円")
    total: Decimal | int = 0
    pos = 0
    for m in _TOKEN.finditer(body):
        if m.start() != pos:
            raise ParseError(f"not an amount: {text!r}", "parse.amount")
        total += _number(m.group(1)) * UNITS.get(m.group(2) or "", 1)
        pos = m.end()
    if pos != len(body) or not body:
        raise ParseError(f"not an amount: {text!r}", "parse.amount")
    if isinstance(total, Decimal):
        total = int(total.to_integral_value(rounding=ROUND_HALF_EVEN))
    return sign * total


ERAS = {"令和": 2018, "平成": 1988}


def fiscal_year_of(era: str | None, year: str) -> int:
    """Western fiscal year of an era year. No calendar logic: 令和元年度 is FY2019.

    >>> fiscal_year_of("令和", "8"), fiscal_year_of("令和", "元"), fiscal_year_of("平成", "三十")
    (2026, 2019, 2018)
    """
    if era not in ERAS:
        raise ParseError(f"unknown era {era!r}", "parse.era")
    n = 1 if year == "元" else int(year) if year.isdecimal() and year.isascii() else kanji_to_int(year)
    if n < 1:
        raise ParseError(f"no year 0 in era {era}", "parse.year")
    return ERAS[era] + n


ERA_LETTERS = {"R": "令和", "H": "平成"}   # R7補正, H30: the era by its initial
WESTERN = "西暦"   # the "era" of a page that writes its years 2025年度: 「24年度」 is 2024


def year_of_groups(g: dict, era: str | None = None) -> int | None:
    """The fiscal year the groups of a ``{fy}`` match write: 令和8年度, R7
    (令和7), 2023年度, or an era-less 7年度 in the era given; else None.

    >>> year_of_groups({"era": "令和", "year": "8"}), year_of_groups({"letter": "R", "lyear": "7"})
    (2026, 2025)
    >>> year_of_groups({"bare": "7"}), year_of_groups({"bare": "7"}, "令和"), year_of_groups({"bare": "24"}, WESTERN)
    (None, 2025, 2024)
    >>> year_of_groups({"bare": "二十一"}, "平成")
    2009
    """
    if g.get("era") and g.get("year"):
        return fiscal_year_of(g["era"], g["year"])
    if g.get("letter") and g.get("lyear"):
        return fiscal_year_of(ERA_LETTERS[g["letter"]], g["lyear"])
    if g.get("western"):
        return int(g["western"])
    if g.get("bare") and era == WESTERN:
        bare = g["bare"]
        return 2000 + (int(bare) if bare.isdecimal() and bare.isascii() else kanji_to_int(bare))   # 「24年度」: 2024
    if g.get("bare") and era:
        return fiscal_year_of(era, g["bare"])
    return None


def date_fiscal_year(g: dict) -> int | None:
    """The fiscal year (April to March) of a calendar date a year.date match
    writes: 2024年8月30日 and 令和6年8月30日 fall in FY2024, 2025年2月14日 in FY2024.

    >>> date_fiscal_year({"cy": "2024", "cm": "8"}), date_fiscal_year({"cera": "令和", "cey": "7", "cm": "2"})
    (2024, 2024)
    """
    if g.get("cy"):
        year = int(g["cy"])
    elif g.get("cera") and g.get("cey"):
        year = fiscal_year_of(g["cera"], g["cey"])
    else:
        return None
    return year if int(g.get("cm") or 4) >= 4 else year - 1


def period_of(groups: dict) -> tuple[int | None, int | None]:
    """(start, end) fiscal years from the groups of rule fy.range; the era of
    the end defaults to the start's (令和3~11年度).

    >>> period_of({"era1": "令和", "y1": "3", "era2": None, "y2": "11"})
    (2021, 2029)
    >>> period_of({"era1": "令和", "y1": "3", "era2": None, "y2": None})
    (2021, None)
    """
    start = fiscal_year_of(groups["era1"], groups["y1"]) if groups.get("y1") else None
    end = None
    if groups.get("y2"):
        end = fiscal_year_of(groups.get("era2") or groups.get("era1"), groups["y2"])
    return start, end
