"""The comparison itself: figures paired by budget and stage, diff rows,
split and merge groups, and the consistency of prior-year figures.

Pure functions over :class:`Release` objects read from extract's output
folders; nothing here writes a file.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from pipeline.errors import InputError, UsageError
from pipeline.lineage import MATCHED, Alias, Match, default_aliases_path, match_programs, normalize_name
from pipeline.release_folder import read_release_folder
from pipeline.schema import OKU  # noqa: F401 (the doctests of change_of and diff_rows use it)

DIFF_COLUMNS = ["program_old", "program_new", "match", "budget", "stage", "fiscal_year",
                "amount_old", "amount_new", "change_yen", "change_pct"]
CONSISTENCY_COLUMNS = ["program_old", "program_new", "match", "budget", "fiscal_year", "stage_old",
                       "stage_new", "amount_old", "amount_new", "difference_yen", "portion", "status"]
KEY_ORDER = [("initial", "request"), ("initial", "draft"), ("initial", "enacted"),
             ("supplementary", "request"), ("supplementary", "draft"), ("supplementary", "enacted")]
BUDGET_JA = {"initial": "当初", "supplementary": "補正"}
STAGE_JA = {"request": "要求", "draft": "案", "enacted": "成立"}


@dataclass(frozen=True)
class Figure:
    """One stated amount of a program: yen, the stage it was stated at, flags."""
    amount: int
    stage: str = "draft"
    fiscal_year: int | None = None
    portion: bool = False
    new: bool = False


@dataclass(frozen=True)
class DiffRow:
    """One row of diff.csv (the first ten fields, DIFF_COLUMNS) and what the
    memo and the chart need to know about it."""
    program_old: str | None
    program_new: str | None
    match: str
    budget: str
    stage: str
    fiscal_year: int | None
    amount_old: int | None
    amount_new: int | None
    change_yen: int | None
    change_pct: float | None
    portion: bool = False          # either side is a 内数 figure
    group: bool = False            # the pair is part of a split or merge
    stated_new: bool = False       # the new release marks the program （新規）

    @property
    def program(self) -> str:
        """The new name, else the old one."""
        return self.program_new or self.program_old or ""

    def csv_row(self) -> dict:
        return {c: getattr(self, c) for c in DIFF_COLUMNS}


def split_or_merge(matches: list[Match]) -> dict[tuple[str | None, str | None], bool]:
    """(old, new) -> is the pair part of a split or merge (a program on either
    side matched more than once)?

    >>> split_or_merge([Match("A", "A", "same"), Match("P", "Q1", "predecessor"), Match("P", "Q2", "predecessor")])
    {('A', 'A'): False, ('P', 'Q1'): True, ('P', 'Q2'): True}
    """
    by_old, by_new = defaultdict(set), defaultdict(set)
    for m in matches:
        if m.method in MATCHED:
            by_old[m.old].add(m.new)
            by_new[m.new].add(m.old)
    return {(m.old, m.new): len(by_old[m.old]) > 1 or len(by_new[m.new]) > 1
            for m in matches if m.method in MATCHED}
def pair_figures(old: Mapping[tuple, Figure], new: Mapping[tuple, Figure]) -> list[tuple]:
    """[(budget, stage, old figure or None, new figure or None)], figures keyed by
    (budget, stage). Same keys pair; where each side has a single figure for a
    budget at different stages, those two pair (stage: the new one's).

    >>> pairs = pair_figures({("initial", "request"): Figure(5, "request")},
    ...                      {("initial", "draft"): Figure(4), ("supplementary", "enacted"): Figure(2, "enacted")})
    >>> [(b, s, o and o.amount, n and n.amount) for b, s, o, n in pairs]
    [('initial', 'draft', 5, 4), ('supplementary', 'enacted', None, 2)]
    """
    out: list[tuple[str, str, Figure | None, Figure | None]] = []
    for budget in ("initial", "supplementary"):
        o = {k[1]: f for k, f in old.items() if k[0] == budget}
        n = {k[1]: f for k, f in new.items() if k[0] == budget}
        if len(o) == 1 and len(n) == 1 and o.keys() != n.keys():
            out.append((budget, next(iter(n)), next(iter(o.values())), next(iter(n.values()))))
            continue
        for stage in [s for b, s in KEY_ORDER if b == budget]:
            if stage in o or stage in n:
                out.append((budget, stage, o.get(stage), n.get(stage)))
    return out


def change_of(old: int | None, new: int | None) -> tuple[int | None, float | None]:
    """(change in yen, change in % rounded to 1 decimal); None where not comparable.

    >>> change_of(36 * OKU, 38 * OKU)
    (200000000, 5.6)
    >>> change_of(None, 5), change_of(0, 5)
    ((None, None), (5, None))
    """
    if old is None or new is None:
        return None, None
    change = new - old
    return change, (round(change * 100 / old, 1) if old else None)


def diff_rows(matches: list[Match], old_figures: Mapping[str, Mapping[tuple, Figure]],
              new_figures: Mapping[str, Mapping[tuple, Figure]], years: Mapping[str, int]) -> list[DiffRow]:
    """diff.csv rows: one per matched pair (or lone program) and paired figure.

    ``*_figures`` map a program to its figures keyed by (budget, stage);
    ``years`` maps a budget to the new release's year (the ``fiscal_year`` of
    every row). A change is given only where both figures are stated, neither
    is a portion (内数), and the pair is a plain one-to-one match.

    >>> ms = [Match("A", "A", "same"), Match("P", "Q1", "predecessor"), Match("P", "Q2", "predecessor"),
    ...       Match(None, "N", "new"), Match("S", None, "dropped"), Match("U", "U", "same")]
    >>> old = {"A": {("initial", "draft"): Figure(36 * OKU)}, "P": {("initial", "draft"): Figure(92 * OKU)},
    ...        "S": {("initial", "draft"): Figure(11 * OKU)},
    ...        "U": {("initial", "draft"): Figure(106 * OKU, portion=True)}}
    >>> new = {"A": {("initial", "draft"): Figure(38 * OKU)}, "Q1": {("initial", "draft"): Figure(60 * OKU)},
    ...        "Q2": {("initial", "draft"): Figure(34 * OKU)}, "N": {("initial", "draft"): Figure(25 * OKU)},
    ...        "U": {("initial", "draft"): Figure(104 * OKU, portion=True)}}
    >>> for r in diff_rows(ms, old, new, {"initial": 2027}):
    ...     print(r.program_old, r.program_new, r.match, r.amount_old, r.amount_new, r.change_yen, r.change_pct)
    A A same 3600000000 3800000000 200000000 5.6
    P Q1 predecessor 9200000000 6000000000 None None
    P Q2 predecessor 9200000000 3400000000 None None
    None N new None 2500000000 None None
    S None dropped 1100000000 None None None
    U U same 10600000000 10400000000 None None
    """
    grouped = split_or_merge(matches)
    rows = []
    for m in matches:
        pairs = pair_figures(old_figures.get(m.old, {}) if m.old else {},
                             new_figures.get(m.new, {}) if m.new else {})
        for budget, stage, fo, fn in pairs:
            comparable = (m.method in MATCHED and not grouped.get((m.old, m.new))
                          and not (fo and fo.portion) and not (fn and fn.portion))
            change, pct = change_of(fo.amount if fo else None, fn.amount if fn else None) if comparable else (None, None)
            rows.append(DiffRow(m.old, m.new, m.method, budget, stage, years.get(budget),
                                fo.amount if fo else None, fn.amount if fn else None, change, pct,
                                portion=bool((fo and fo.portion) or (fn and fn.portion)),
                                group=bool(grouped.get((m.old, m.new))), stated_new=bool(fn and fn.new)))
    return rows


# ------------------------------------------------------------------ releases


@dataclass
class Release:
    """A release output folder: its records and its own years."""
    folder: Path
    release: str
    amounts: list[dict]
    programs: list[dict]
    years: dict[str, int]           # budget -> the release's own year for it
    stage: str | None
    levels: dict[str, str] = field(default_factory=dict)
    predecessors: dict[str, str] = field(default_factory=dict)

    def figures(self) -> dict[str, dict[tuple, Figure]]:
        """program -> (budget, stage) -> Figure, for the release's own years."""
        out: dict[str, dict[tuple, Figure]] = defaultdict(dict)
        for a in self.amounts:
            if a["fiscal_year"] == self.years.get(a["budget"]):
                out[a["program"]][(a["budget"], a["stage"])] = figure_of(a)
        return out

    def listed(self, levels: tuple[str, ...], figures) -> list[str]:
        """The programs of these levels that state a figure, in release order."""
        names = list(dict.fromkeys([p["program"] for p in self.programs] + [a["program"] for a in self.amounts]))
        return [n for n in names if self.levels.get(n, "program") in levels and figures.get(n)]


def figure_of(a: dict) -> Figure:
    """The Figure of a row of amounts.csv (as read_release types it)."""
    return Figure(a["amount_yen"], a["stage"], a["fiscal_year"], a["portion"], a["new"])


def is_true(v) -> bool:
    """A CSV boolean: 'true' in any case."""
    return str(v).strip().lower() == "true"


def read_release(folder: Path, role: str = "release") -> Release:
    """Read a release output folder; anything else is a one-line UsageError."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{role} {folder}: not a release output folder (no such folder)", "usage.release-folder")
    for name in ("meta.json", "amounts.csv", "programs.csv"):
        if not (folder / name).is_file():
            raise UsageError(f"{role} {folder}: not a release output folder (no {name}; "
                             "write one with `python -m pipeline extract`)", "usage.release-folder")
    try:
        read = read_release_folder(folder, ("amounts", "programs"))
    except InputError as e:   # a damaged folder: exit 3, named as OLD or NEW
        raise InputError(f"{role} {e}", e.exit_code, e.code) from None
    meta, amounts, programs = read.meta, read.amounts, read.programs
    for a in amounts:
        a["fiscal_year"] = int(a["fiscal_year"]) if a["fiscal_year"] else None
        a["amount_yen"] = int(a["amount_yen"])
        for flag in ("new", "portion", "approx"):
            a[flag] = is_true(a.get(flag, ""))
    release = meta.get("release") or (amounts[0].get("release") if amounts else "") or folder.name
    years: dict[str, Any] = {}
    for budget, key in (("initial", "release_year"), ("supplementary", "supplementary_year")):
        stated = [a["fiscal_year"] for a in amounts if a["budget"] == budget and a["fiscal_year"]]
        years[budget] = meta.get(key) or (max(stated) if stated else None)
    years = {k: int(v) for k, v in years.items() if v}
    if "initial" not in years:
        raise UsageError(f"{role} {folder}: the release states no initial-budget year", "usage.release-year")
    stage = meta.get("release_stage") or next(
        (a["stage"] for a in amounts if a["budget"] == "initial" and a["fiscal_year"] == years["initial"]), None)
    levels = {a["program"]: "component" if a.get("parent") else "program" for a in amounts}
    levels.update({p["program"]: p.get("level") or "program" for p in programs})
    return Release(folder, release, amounts, programs, years, stage, levels=levels,
                   predecessors={p["program"]: p.get("predecessor") or "" for p in programs})


# ------------------------------------------------------------------ the diff

@dataclass
class Diff:
    """Everything diff.csv, diff.md, chart.png and consistency.csv are made of."""
    old: Release | None
    new: Release
    rows: list[DiffRow]
    matches: list[Match]
    consistency: list[dict] | None
    years: dict[str, int]
    old_years: dict[str, int]
    totals: set[str]
    aliases_path: Path
    threshold: float

    @property
    def same_years(self) -> bool:
        """Do both releases state the same years (two inputs of one release,
        such as its PDF and its text)? Then nothing changed year over year."""
        return self.old is not None and self.old.years == self.new.years

    @cached_property
    def groups(self) -> list[dict]:
        """The splits and merges (see :func:`group_summaries`)."""
        return group_summaries(self.matches, self.rows)


def _match_levels(old: Release, new: Release, old_figs, new_figs, aliases, threshold, preds):
    matches = []
    totals = set()
    for levels in (("total",), ("program",)):
        o = old.listed(levels, old_figs)
        n = new.listed(levels, new_figs)
        if levels == ("total",):
            totals = set(o) | set(n)
        matches += match_programs(o, {name: preds.get(name, "") for name in n}, aliases, threshold)
    return matches, totals


def diff_releases(old: Release, new: Release, aliases: list[Alias], threshold: float,
                  aliases_path: Path | None = None) -> Diff:
    """Compare two releases (see the module docstring)."""
    old_figs, new_figs = old.figures(), new.figures()
    years = dict(new.years)
    shift = new.years["initial"] - old.years["initial"]
    for budget, year in old.years.items():
        years.setdefault(budget, year + shift)
    matches, totals = _match_levels(old, new, old_figs, new_figs, aliases, threshold, new.predecessors)
    rows = diff_rows(matches, old_figs, new_figs, years)
    return Diff(old, new, rows, matches, consistency_rows(old, new, matches), years, dict(old.years),
                totals, aliases_path or default_aliases_path(), threshold)


def diff_within(release: Release, aliases: list[Alias], threshold: float,
                aliases_path: Path | None = None) -> Diff:
    """One release against itself: each program's initial figure for the
    release's year against its prior-year enacted figure (or, for a program
    whose predecessor note states one, the predecessor's)."""
    year = release.years["initial"]
    stage = release.stage or "draft"
    new_figs: dict[str, dict] = defaultdict(dict)
    old_figs: dict[str, dict] = defaultdict(dict)
    for a in release.amounts:
        if a["budget"] != "initial":
            continue
        if a["fiscal_year"] == year:
            new_figs[a["program"]][("initial", a["stage"])] = figure_of(a)
        elif a["fiscal_year"] == year - 1 and a["stage"] == "enacted":
            old_figs[a["program"]][("initial", stage)] = figure_of(a)
    matches, totals = _match_levels(release, release, old_figs, new_figs, aliases, threshold,
                                    release.predecessors)
    # a program that is stated only as a predecessor's prior-year figure is lineage, not a row of its own
    rows = diff_rows(matches, old_figs, new_figs, {"initial": year})
    return Diff(None, release, rows, matches, None, {"initial": year}, {"initial": year - 1},
                totals, aliases_path or default_aliases_path(), threshold)


def consistency_rows(old: Release, new: Release, matches: list[Match]) -> list[dict]:
    """The new release's figures for the old release's years (its prior-year
    figures) against the old release's own figures for the same program, budget
    and year. ``status``: same | differs | scope_changed (split or merge: not
    comparable) | not_in_old (the old release states no such figure)."""
    old_by: dict[tuple, dict] = {}
    for a in old.amounts:
        if a["fiscal_year"] == old.years.get(a["budget"]):
            old_by.setdefault((normalize_name(a["program"]), a["budget"], a["fiscal_year"]), a)
    lineage = defaultdict(list)
    grouped = split_or_merge(matches)
    for m in matches:
        if m.method in MATCHED:
            lineage[m.new].append(m)
    rows = []
    for a in new.amounts:
        year = old.years.get(a["budget"])
        if a["fiscal_year"] != year or year == new.years.get(a["budget"]):
            continue
        key = (normalize_name(a["program"]), a["budget"], year)
        found, method, scope = old_by.get(key), "same", False
        if not found:
            for m in lineage.get(a["program"], []):
                assert m.old is not None  # a matched program has both sides
                cand = old_by.get((normalize_name(m.old), a["budget"], year))
                if cand:
                    found, method, scope = cand, m.method, grouped.get((m.old, m.new), False)
                    break
        row = {"program_old": found["program"] if found else None, "program_new": a["program"],
               "match": method if found else None, "budget": a["budget"], "fiscal_year": year,
               "stage_old": found["stage"] if found else None, "stage_new": a["stage"],
               "amount_old": found["amount_yen"] if found else None, "amount_new": a["amount_yen"],
               "difference_yen": None, "portion": a["portion"] or bool(found and found["portion"])}
        if not found:
            row["status"] = "not_in_old"
        elif scope:
            row["status"] = "scope_changed"
        else:
            row["difference_yen"] = a["amount_yen"] - found["amount_yen"]
            same = row["difference_yen"] == 0 and a["portion"] == found["portion"]
            row["status"] = "same" if same else "differs"
        rows.append(row)
    return rows


def group_summaries(matches: list[Match], rows: list[DiffRow]) -> list[dict]:
    """Splits and merges: the old and new programs of each group, and per
    (budget, stage) the group's old and new sums and change (portions left out)."""
    by_old, by_new = defaultdict(set), defaultdict(set)
    for m in matches:
        if m.method in MATCHED:
            by_old[m.old].add(m.new)
            by_new[m.new].add(m.old)
    seen, out = set(), []
    for m in matches:
        if m.method not in MATCHED or (len(by_old[m.old]) < 2 and len(by_new[m.new]) < 2) or m.old in seen:
            continue
        olds, news, todo = set(), set(), [("old", m.old)]
        while todo:                       # the connected group of old and new programs
            side, name = todo.pop()
            if side == "old" and name not in olds:
                olds.add(name)
                todo += [("new", n) for n in by_old[name]]
            elif side == "new" and name not in news:
                news.add(name)
                todo += [("old", o) for o in by_new[name]]
        seen |= olds
        olds_l = [x.old for x in matches if x.old in olds]
        news_l = [x.new for x in matches if x.new in news]
        olds_l, news_l = list(dict.fromkeys(olds_l)), list(dict.fromkeys(news_l))
        figures = []
        mine = [r for r in rows if r.program_old in olds and r.program_new in news]
        for budget, stage in KEY_ORDER:
            rs = [r for r in mine if (r.budget, r.stage) == (budget, stage)]
            if not rs:
                continue
            old_sum = {r.program_old: r.amount_old for r in rs if r.amount_old is not None and not r.portion}
            new_sum = {r.program_new: r.amount_new for r in rs if r.amount_new is not None and not r.portion}
            o = sum(old_sum.values()) if old_sum else None
            n = sum(new_sum.values()) if new_sum else None
            change, p = change_of(o, n)
            figures.append({"budget": budget, "stage": stage, "old": o, "new": n, "change": change, "pct": p,
                            "parts_new": new_sum, "parts_old": old_sum})
        what = "split" if len(olds_l) == 1 else "merge" if len(news_l) == 1 else "regrouping"
        out.append({"kind": what, "old": olds_l, "new": news_l, "figures": figures,
                    "methods": sorted({x.method for x in matches if x.old in olds and x.new in news})})
    return out
