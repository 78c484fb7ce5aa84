"""The record tables' columns: name, type, allowed values and meaning, once.

Everything that writes, reads or checks a table takes its columns from here:
the facts stage (record building), the CSV/JSON/Parquet writers, the rule
loader (a stage rule's ``budget``/``stage`` must be one of the enums below)
and validation.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

SCHEMA_VERSION = 2   # of the record tables below; CHANGELOG.md says what each version changed


@dataclass(frozen=True)
class Column:
    name: str
    type: str                       # string | integer | decimal | boolean
    description: str
    enum: tuple[str, ...] | None = None
    required: bool = False          # never empty in a table extract writes


# the Japanese header of each column (budget.xlsx's second header row)
JAPANESE = {"release": "リリース", "program": "事業名", "parent": "親事業", "level": "階層", "budget": "予算区分",
            "supplementary_round": "補正回次", "stage": "段階", "fiscal_year": "年度", "fiscal_year_label": "年度（和暦）",
            "amount_yen": "金額（円）", "amount_oku": "金額（億円）", "new": "新規", "portion": "内数", "approx": "概数",
            "plus_unquantified": "事項要求あり", "page": "ページ", "source": "出典テキスト", "rule": "ルール", "check": "検証",
            "category": "区分（概要の見出し）", "period_start": "実施期間（開始年度）", "period_end": "実施期間（終了年度）",
            "office": "担当", "predecessor": "前身事業", "line": "行"}


OKU = 100_000_000   # yen in one 億円, the unit the reports and memos speak in


def oku_text(yen: int, sign: bool = False) -> str:
    """Yen as 億円, exact (no rounding), with thousands separators; ``sign``
    writes + / - / ± in front (a change).

    >>> oku_text(247900000000), oku_text(2150000000), oku_text(-150000000, sign=True), oku_text(0, sign=True)
    ('2,479億円', '21.5億円', '-1.5億円', '±0億円')
    """
    d = oku_decimal(yen)
    assert d is not None
    text = f"{abs(d):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if sign:
        return ("+" if d > 0 else "-" if d < 0 else "±") + text + "億円"
    return ("-" if d < 0 else "") + text + "億円"

def fiscal_year_label(year: int | None) -> str:
    """A western fiscal year as the Japanese era writes it (令和 from 2019, 平成
    from 1989, 昭和 before); the first year of an era is 元年.

    >>> fiscal_year_label(2026), fiscal_year_label(2019), fiscal_year_label(2004), fiscal_year_label(1989)
    ('令和8年度', '令和元年度', '平成16年度', '平成元年度')
    >>> fiscal_year_label(None)
    ''
    """
    if year is None:
        return ""
    for era, first in (("令和", 2019), ("平成", 1989), ("昭和", 1926)):
        if year >= first:
            n = year - first + 1
            return f"{era}{'元' if n == 1 else n}年度"
    return f"{year}年度"


def oku_decimal(yen: int | None) -> Decimal | None:
    """Yen as an exact decimal number of 億円 (no float rounding).

    >>> oku_decimal(85200000000), oku_decimal(3650000), oku_decimal(None)
    (Decimal('852'), Decimal('0.0365'), None)
    """
    if yen is None:
        return None
    d = (Decimal(yen) / OKU).normalize()
    return d.quantize(Decimal(1)) if d == d.to_integral() else d


BUDGETS = ("initial", "supplementary")
STAGES = ("request", "draft", "enacted")
LEVELS = ("total", "program", "component")
CHECKS = ("golden", "witnessed", "single", "conflict")
RELATIVE = ("prior", "release")   # the year before the figure compared; the release's stage for its year

LEVEL = Column("level", "string", "total: the release total (総額) and its sub-totals (うち…, an agency’s share); program; "
               "component: a part listed inside a program. Sum one level only (README: summing safely)", LEVELS)
AMOUNTS = (
    Column("release", "string", "the input's file stem", required=True),
    Column("program", "string", "program, component or total the figure belongs to, as printed (normalized); "
           "empty when the page does not say (check is then conflict)"),
    Column("parent", "string", "the program a component belongs to; the release total (総額) for a sub-total (うち…)"),
    Column(LEVEL.name, LEVEL.type, LEVEL.description + "; empty when the owner is undetermined", LEVEL.enum),
    Column("budget", "string", "initial (当初) or supplementary (補正)", BUDGETS, required=True),
    Column("supplementary_round", "integer", "the round of a supplementary budget (第2次補正予算, R2補② = 2); "
           "empty for the initial budget and where no round is written"),
    Column("stage", "string", "request (要求・要望額), draft (予算額（案）), enacted (予算額, 前年度予算額); "
           "empty when undetermined", STAGES),
    Column("fiscal_year", "integer", "western fiscal year (令和N = 2018+N, 平成N = 1988+N); empty when undetermined"),
    Column("fiscal_year_label", "string", "fiscal_year in the Japanese era (令和8年度, 令和元年度, 平成16年度); "
           "empty when undetermined"),
    Column("amount_yen", "integer", "the amount in yen", required=True),
    Column("amount_oku", "decimal", "the amount in 億円 (amount_yen / 100,000,000), exact: 852, 21.5, 0.0365",
           required=True),
    Column("new", "boolean", "the figure carries （新規）"),
    Column("portion", "boolean", "…億円の内数: a part of this budget, never to be added up"),
    Column("approx", "boolean", "約 / 程度"),
    Column("plus_unquantified", "boolean", "…億円+事項要求: an unquantified add-on requested besides the figure"),
    Column("page", "integer", "1-based PDF page of the first mention; empty for unpaged text"),
    Column("source", "string", "the exact raw text matched (label and value joined by a newline when apart)"),
    Column("rule", "string", "<stage rule>@<pairing strategy>"),
    Column("check", "string", "how far the figure was checked: golden, witnessed, single or conflict", CHECKS),
)
FLAGS = tuple(c.name for c in AMOUNTS if c.type == "boolean")

PROGRAMS = (
    Column("release", "string", "the input's file stem", required=True),
    Column("program", "string", "program, component or total name", required=True),
    Column("parent", "string", "the program a component belongs to"),
    Column(LEVEL.name, LEVEL.type, LEVEL.description, LEVEL.enum, required=True),
    Column("category", "string", "the overview heading the program is listed under"),
    Column("period_start", "integer", "事業実施期間: first fiscal year"),
    Column("period_end", "integer", "事業実施期間: last fiscal year"),
    Column("office", "string", "（担当：…）"),
    Column("predecessor", "string", "※令和N年度は…で実施: the program this one continues"),
)

_OBSERVED = [c for c in AMOUNTS if c.name not in ("source", "rule", "check")]
OBSERVATIONS = (*_OBSERVED,
                Column("line", "integer", "line number of the mention on its page (or in the file)"),
                AMOUNTS[[c.name for c in AMOUNTS].index("source")],
                AMOUNTS[[c.name for c in AMOUNTS].index("rule")])

# Within a release, a fact is one (parent, program, budget, supplementary_round, stage,
# fiscal_year) — the same name may be a part of two budgets (文部科学省's share of AMED and of
# インハウス研究機関経費), a year may have two supplementary budgets (R2補① and R2補②) —; a
# program one name (programs.csv keeps the parent it was first seen under).
AMOUNT_KEY = ("parent", "program", "budget", "supplementary_round", "stage", "fiscal_year")
PROGRAM_KEY = ("program",)

AMOUNT_COLUMNS = [c.name for c in AMOUNTS]
PROGRAM_COLUMNS = [c.name for c in PROGRAMS]
OBSERVATION_COLUMNS = [c.name for c in OBSERVATIONS]
COLUMN_TYPES = {c.name: c.type for t in (AMOUNTS, PROGRAMS, OBSERVATIONS) for c in t}


def place(row: dict) -> str:
    """Where a mention stands, for messages: its page, or in unpaged text its line.

    >>> place({"page": 12, "line": 3}), place({"page": "", "line": "34"}), place({"page": None})
    ('p12', 'line 34', 'the text')
    """
    if row.get("page") not in ("", None):
        return f"p{row['page']}"
    return f"line {row['line']}" if row.get("line") not in ("", None) else "the text"


JSON_TYPES = {"string": "string", "integer": "integer", "decimal": "number", "boolean": "boolean"}


def json_schema(name: str, columns: tuple[Column, ...]) -> dict:
    """The JSON Schema of a table's .json file (a list of records, every
    column a key), from the columns above: types, enums, which may be null.

    >>> s = json_schema("amounts", AMOUNTS)
    >>> s["items"]["properties"]["fiscal_year"]["type"], s["items"]["properties"]["budget"]["enum"]
    (['integer', 'null'], ['initial', 'supplementary'])
    """
    props = {}
    for c in columns:
        if c.type == "string":   # an optional one is "" or null where the value is undetermined
            prop: dict = {"type": "string" if c.required else ["string", "null"], "description": c.description}
            if c.enum:
                prop["enum"] = list(c.enum) if c.required else [*c.enum, "", None]
        else:
            prop = {"type": JSON_TYPES[c.type] if c.required or c.type == "boolean" else [JSON_TYPES[c.type], "null"],
                    "description": c.description}
        props[c.name] = prop
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{name}.schema.json", "title": f"{name}.json of a release folder (record schema {SCHEMA_VERSION})",
            "type": "array",
            "items": {"type": "object", "properties": props, "required": [c.name for c in columns],
                      "additionalProperties": False}}
