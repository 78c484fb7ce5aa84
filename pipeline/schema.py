"""The record tables' columns: name, type, allowed values and meaning, once.

Everything that writes, reads or checks a table takes its columns from here:
the facts stage (record building), the CSV/JSON/Parquet writers, the rule
loader (a stage rule's ``budget``/``stage`` must be one of the enums below)
and validation.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Column:
    name: str
    type: str                       # string | integer | boolean
    description: str
    enum: tuple[str, ...] | None = None


OKU = 100_000_000   # yen in one 億円, the unit the reports and memos speak in


def oku_text(yen: int, sign: bool = False) -> str:
    """Yen as 億円, exact (no rounding), with thousands separators; ``sign``
    writes + / - / ± in front (a change).

    >>> oku_text(247900000000), oku_text(2150000000), oku_text(-150000000, sign=True), oku_text(0, sign=True)
    ('2,479億円', '21.5億円', '-1.5億円', '±0億円')
    """
    d = (Decimal(yen) / OKU).normalize()
    text = f"{abs(d):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if sign:
        return ("+" if d > 0 else "-" if d < 0 else "±") + text + "億円"
    return ("-" if d < 0 else "") + text + "億円"

BUDGETS = ("initial", "supplementary")
STAGES = ("request", "draft", "enacted")
LEVELS = ("total", "program", "component")
CHECKS = ("golden", "witnessed", "single", "conflict")
RELATIVE = ("prior", "release")   # the year before the figure compared; the release's stage for its year

AMOUNTS = (
    Column("release", "string", "the input's file stem"),
    Column("program", "string", "program, component or total the figure belongs to, as printed (normalized); "
           "empty when the page does not say (check is then conflict)"),
    Column("parent", "string", "the program a component belongs to; the release total (総額) for a sub-total (うち…)"),
    Column("budget", "string", "initial (当初) or supplementary (補正)", BUDGETS),
    Column("supplementary_round", "integer", "the round of a supplementary budget (第2次補正予算, R2補② = 2); "
           "empty for the initial budget and where no round is written"),
    Column("stage", "string", "request (要求・要望額), draft (予算額（案）), enacted (予算額, 前年度予算額); "
           "empty when undetermined", STAGES),
    Column("fiscal_year", "integer", "western fiscal year (令和N = 2018+N, 平成N = 1988+N); empty when undetermined"),
    Column("amount_yen", "integer", "the amount in yen"),
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
    Column("release", "string", "the input's file stem"),
    Column("program", "string", "program, component or total name"),
    Column("parent", "string", "the program a component belongs to"),
    Column("level", "string", "total, program or component", LEVELS),
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
INT_COLUMNS = {c.name for t in (AMOUNTS, PROGRAMS, OBSERVATIONS) for c in t if c.type == "integer"}
BOOL_COLUMNS = {c.name for t in (AMOUNTS, PROGRAMS, OBSERVATIONS) for c in t if c.type == "boolean"}
