"""Year-over-year diff: what changed between two releases, with program lineage.

``python -m pipeline diff OLD NEW --out DIR`` compares two release output
folders (as written by ``extract``); ``python -m pipeline diff NEW --out DIR``
compares a release's draft figures with the prior-year figures it states.

Programs are matched in this order, and the method is kept per row:

1. ``same`` — the same name after :func:`normalize_name`;
2. ``alias`` — a reviewed crosswalk entry in rules/aliases.yaml;
3. ``predecessor`` — the NEW release's own note 「※令和N年度は…で実施」
   (programs.csv ``predecessor``) names the OLD program;
4. ``suggested`` — a fuzzy candidate (rapidfuzz ratio ≥ ``fuzzy_threshold``),
   reported for review and never applied.

Programs left over are ``new`` or ``dropped``. Totals (level ``total``) are
matched among themselves, programs among themselves; components are not
compared (their program is).

Figures are paired by (budget, stage): the old release's figure for its own
year against the new release's figure for its year, e.g. old initial/draft/
2026 against new initial/draft/2027; ``fiscal_year`` in diff.csv is the new
release's year. Where the two releases state one budget at different stages
(a request release against a draft release) the one figure of each side is
paired. Portion (内数) figures are listed but never compared; rows of a split
or merge carry no change of their own (diff.md gives the group's change).
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Mapping

import regex

from pipeline.errors import OutputError, RulesError, UsageError
from pipeline.tables import read_csv, write_csv
from pipeline.schema import OKU

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_THRESHOLD = 80
TOP = 10

DIFF_COLUMNS = ["program_old", "program_new", "match", "budget", "stage", "fiscal_year",
                "amount_old", "amount_new", "change_yen", "change_pct"]
CONSISTENCY_COLUMNS = ["program_old", "program_new", "match", "budget", "fiscal_year", "stage_old",
                       "stage_new", "amount_old", "amount_new", "difference_yen", "portion", "status"]
OUTPUT_FILES = ("diff.csv", "diff.md", "chart.png", "consistency.csv")
MATCHED = ("same", "alias", "predecessor")
METHODS = MATCHED + ("new", "dropped", "suggested")
KEY_ORDER = [("initial", "request"), ("initial", "draft"), ("initial", "enacted"),
             ("supplementary", "request"), ("supplementary", "draft"), ("supplementary", "enacted")]
BUDGET_JA = {"initial": "当初", "supplementary": "補正"}
STAGE_JA = {"request": "要求", "draft": "案", "enacted": "成立"}
ALIAS_FIELDS = ("old", "new", "note", "reviewed_by", "reviewed_on")


# ------------------------------------------------------------------ names

def normalize_name(name: str) -> str:
    """The key programs are matched on: NFKC, no spaces, Latin case folded.
    Bracketed parts such as (BINDS) are kept: they tell programs apart.

    >>> normalize_name("生命科学・創薬研究支援基盤事業 （ＢＩＮＤＳ）")
    '生命科学・創薬研究支援基盤事業(binds)'
    >>> normalize_name("AI for Science による") == normalize_name("AIforScienceによる")
    True
    """
    return regex.sub(r"\s+", "", unicodedata.normalize("NFKC", name or "")).casefold()


def similarity(a: str, b: str) -> float:
    """Fuzzy similarity (0-100) of two names after normalization (rapidfuzz ratio).

    >>> similarity("医療分野国際科学技術共同研究開発推進事業", "医療分野国際科学技術共同研究開発推進プログラム") >= 80
    True
    >>> similarity("橋渡し研究プログラム", "脳神経科学統合プログラム") < 80
    True
    """
    from rapidfuzz import fuzz
    return float(fuzz.ratio(normalize_name(a), normalize_name(b)))


# ---------------------------------------------------------------- aliases

@dataclass(frozen=True)
class Alias:
    """A reviewed crosswalk entry: ``old`` (OLD release) is ``new`` (NEW release)."""
    old: str
    new: str
    note: str = ""
    reviewed_by: str = ""
    reviewed_on: str = ""


def parse_aliases(data, where: str = "aliases") -> tuple[list[Alias], float]:
    """(aliases, fuzzy_threshold) from a loaded crosswalk; a malformed entry is a
    PipelineError naming ``where`` and the entry.

    >>> entry = {"old": "A事業", "new": "B事業", "note": "n", "reviewed_by": "x", "reviewed_on": "2026-11-26"}
    >>> parse_aliases({"fuzzy_threshold": 85, "aliases": [entry]})
    ([Alias(old='A事業', new='B事業', note='n', reviewed_by='x', reviewed_on='2026-11-26')], 85.0)
    >>> parse_aliases({"aliases": [{"old": "A事業", "new": "B事業"}]}, "rules/aliases.yaml")
    Traceback (most recent call last):
    ...
    pipeline.errors.RulesError: rules/aliases.yaml: aliases entry 1 (A事業 -> B事業): missing note, reviewed_by, reviewed_on
    """
    if data is None:
        return [], float(DEFAULT_THRESHOLD)
    if not isinstance(data, dict):
        raise RulesError(f"{where}: must be a mapping with `aliases:` (a list) and `fuzzy_threshold:`", "rules.crosswalk")
    unknown = set(data) - {"aliases", "fuzzy_threshold"}
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} "
                            "(expected aliases, fuzzy_threshold)", "rules.crosswalk")
    threshold = data.get("fuzzy_threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 100:
        raise RulesError(f"{where}: fuzzy_threshold must be a number in (0, 100], not {threshold!r}", "rules.crosswalk")
    entries = data.get("aliases") or []
    if not isinstance(entries, list):
        raise RulesError(f"{where}: `aliases` must be a list of entries", "rules.crosswalk")
    out: list[Alias] = []
    seen = set()
    for i, e in enumerate(entries, 1):
        label = f"{where}: aliases entry {i}"
        if not isinstance(e, dict):
            raise RulesError(f"{label}: must be a mapping with {', '.join(ALIAS_FIELDS)}", "rules.crosswalk-entry")
        label += f" ({e.get('old', '?')} -> {e.get('new', '?')})"
        extra = set(e) - set(ALIAS_FIELDS)
        if extra:
            raise RulesError(f"{label}: unknown field(s) {', '.join(sorted(map(str, extra)))}", "rules.crosswalk-entry")
        missing = [k for k in ALIAS_FIELDS if e.get(k) in (None, "")]
        if missing:
            raise RulesError(f"{label}: missing {', '.join(missing)}", "rules.crosswalk-entry")
        values = {}
        for k in ALIAS_FIELDS:
            v = e[k]
            if k == "reviewed_on":
                if isinstance(v, dt.datetime):
                    v = v.date()
                if isinstance(v, dt.date):
                    v = v.isoformat()
                try:
                    dt.date.fromisoformat(str(v))
                except ValueError:
                    raise RulesError(f"{label}: reviewed_on must be a date YYYY-MM-DD, not {v!r}", "rules.crosswalk-entry") from None
            elif not isinstance(v, str):
                raise RulesError(f"{label}: {k} must be text, not {v!r}", "rules.crosswalk-entry")
            values[k] = str(v).strip()
        if normalize_name(values["old"]) == normalize_name(values["new"]):
            raise RulesError(f"{label}: old and new are the same name", "rules.crosswalk-entry")
        key = (normalize_name(values["old"]), normalize_name(values["new"]))
        if key in seen:
            raise RulesError(f"{label}: duplicate of an earlier entry", "rules.crosswalk-entry")
        seen.add(key)
        out.append(Alias(**values))
    return out, float(threshold)


def _default_aliases() -> Path:
    from pipeline import rules
    return Path(rules.RULES_DIR) / "aliases.yaml"


def load_aliases(path: Path | None = None) -> tuple[list[Alias], float]:
    """Load the crosswalk (rules/aliases.yaml, or --rules DIR's, by default) with yaml.safe_load."""
    from pipeline import rules
    default = _default_aliases()
    path = Path(path or default)
    if not path.exists():
        if path == default:
            return [], float(DEFAULT_THRESHOLD)
        raise UsageError(f"{path}: no such crosswalk file", "usage.crosswalk-file")
    return parse_aliases(rules.load_yaml(path.name, path.parent), str(path))


# ---------------------------------------------------------------- matching

@dataclass(frozen=True)
class Match:
    """One line of lineage: ``old`` -> ``new`` by ``method`` (None on the missing side)."""
    old: str | None
    new: str | None
    method: str
    score: float | None = None     # similarity, for suggestions
    note: str = ""                 # the alias note, or the predecessor as printed


def match_programs(old_programs: Iterable[str], new_programs: Mapping[str, str] | Iterable[str],
                   aliases: Iterable[Alias] = (), threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
    """Match programs of an old and a new release.

    ``new_programs`` maps each new program to its predecessor as the new
    release states it ('' for none); a plain list means no predecessors.
    The result lists the new programs in their order (each with its matches,
    else a suggestion, else ``new``), then the old programs nobody matched
    (``dropped``). A split gives one old program several matches, a merge one
    new program several.

    >>> old = ["総額", "A研究事業", "B基盤事業", "C推進事業", "D育成事業"]
    >>> new = {"総額": "", "A研究事業": "", "E創出事業": "B基盤事業", "F拠点事業": "", "G連携事業": ""}
    >>> for m in match_programs(old, new, [Alias("C推進事業", "G連携事業", "renamed", "x", "2026-11-26")]):
    ...     print(m.old, m.new, m.method)
    総額 総額 same
    A研究事業 A研究事業 same
    B基盤事業 E創出事業 predecessor
    None F拠点事業 new
    C推進事業 G連携事業 alias
    D育成事業 None dropped

    A suggestion is never a match; the two programs stay apart:

    >>> ms = match_programs(["医療分野国際科学技術共同研究開発推進事業"], ["医療分野国際科学技術共同研究開発推進プログラム"])
    >>> [(m.method, m.score) for m in ms]
    [('suggested', 83.7)]
    """
    old = list(dict.fromkeys(old_programs))
    preds = dict(new_programs) if isinstance(new_programs, Mapping) else {n: "" for n in new_programs}
    new = list(preds)
    old_by_key: dict[str, str] = {}
    new_by_key: dict[str, str] = {}
    for o in old:
        old_by_key.setdefault(normalize_name(o), o)
    for n in new:
        new_by_key.setdefault(normalize_name(n), n)

    edges: list[Match] = []
    seen: set[tuple[str, str]] = set()

    def add(o: str | None, n: str | None, method: str, note: str = ""):
        if o and n and (o, n) not in seen:
            seen.add((o, n))
            edges.append(Match(o, n, method, note=note))

    for n in new:                                          # 1. same
        add(old_by_key.get(normalize_name(n)), n, "same")
    for a in aliases:                                      # 2. reviewed crosswalk
        add(old_by_key.get(normalize_name(a.old)), new_by_key.get(normalize_name(a.new)), "alias",
            f"{a.note} (reviewed by {a.reviewed_by} on {a.reviewed_on})")
    for n in new:                                          # 3. the new release's predecessor note
        if preds.get(n):
            add(old_by_key.get(normalize_name(preds[n])), n, "predecessor", preds[n])

    matched_old = {e.old for e in edges}
    matched_new = {e.new for e in edges}
    left_old = [o for o in old if o not in matched_old]
    left_new = [n for n in new if n not in matched_new]
    scored = sorted(((similarity(o, n), i, j) for i, o in enumerate(left_old) for j, n in enumerate(left_new)),
                    key=lambda t: (-t[0], t[1], t[2]))
    suggested: dict[str, Match] = {}                       # 4. fuzzy, one to one, best first
    used_old: set[str] = set()
    for score, i, j in scored:
        o, n = left_old[i], left_new[j]
        if score < threshold:
            break
        if o in used_old or n in suggested:
            continue
        used_old.add(o)
        suggested[n] = Match(o, n, "suggested", score=round(score, 1))

    out: list[Match] = []
    for n in new:
        mine = [e for e in edges if e.new == n]
        out.extend(sorted(mine, key=lambda e: METHODS.index(e.method)) if mine
                   else [suggested.get(n) or Match(None, n, "new")])
    out.extend(Match(o, None, "dropped") for o in left_old if o not in used_old)
    return out


# ------------------------------------------------------------------ figures

@dataclass(frozen=True)
class Figure:
    """One stated amount of a program: yen, the stage it was stated at, flags."""
    amount: int
    stage: str = "draft"
    fiscal_year: int | None = None
    portion: bool = False
    new: bool = False


def _groups(matches: list[Match]) -> dict[tuple[str, str], bool]:
    """(old, new) -> is the pair part of a split or merge (a program on either
    side matched more than once)?"""
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
    out = []
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
              new_figures: Mapping[str, Mapping[tuple, Figure]], years: Mapping[str, int]) -> list[dict]:
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
    ...     print(r["program_old"], r["program_new"], r["match"], r["amount_old"], r["amount_new"], r["change_yen"], r["change_pct"])
    A A same 3600000000 3800000000 200000000 5.6
    P Q1 predecessor 9200000000 6000000000 None None
    P Q2 predecessor 9200000000 3400000000 None None
    None N new None 2500000000 None None
    S None dropped 1100000000 None None None
    U U same 10600000000 10400000000 None None
    """
    grouped = _groups(matches)
    rows = []
    for m in matches:
        pairs = pair_figures(old_figures.get(m.old, {}) if m.old else {},
                             new_figures.get(m.new, {}) if m.new else {})
        for budget, stage, fo, fn in pairs:
            comparable = (m.method in MATCHED and not grouped.get((m.old, m.new))
                          and not (fo and fo.portion) and not (fn and fn.portion))
            change, pct = change_of(fo.amount if fo else None, fn.amount if fn else None) if comparable else (None, None)
            rows.append({"program_old": m.old, "program_new": m.new, "match": m.method, "budget": budget,
                         "stage": stage, "fiscal_year": years.get(budget),
                         "amount_old": fo.amount if fo else None, "amount_new": fn.amount if fn else None,
                         "change_yen": change, "change_pct": pct,
                         # not written to diff.csv; used by diff.md and the chart
                         "_portion": bool((fo and fo.portion) or (fn and fn.portion)),
                         "_group": bool(grouped.get((m.old, m.new))), "_score": m.score, "_note": m.note,
                         "_new_flag": bool(fn and fn.new)})
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
                out[a["program"]][(a["budget"], a["stage"])] = _figure(a)
        return out

    def listed(self, levels: tuple[str, ...], figures) -> list[str]:
        """The programs of these levels that state a figure, in release order."""
        names = list(dict.fromkeys([p["program"] for p in self.programs] + [a["program"] for a in self.amounts]))
        return [n for n in names if self.levels.get(n, "program") in levels and figures.get(n)]


def _figure(a: dict) -> Figure:
    return Figure(a["amount_yen"], a["stage"], a["fiscal_year"], a["portion"], a["new"])


def _bool(v) -> bool:
    return str(v).strip().lower() == "true"


def read_release(folder: Path, role: str = "release") -> Release:
    """Read a release output folder; anything else is a one-line PipelineError."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError(f"{role} {folder}: not a release output folder (no such folder)", "usage.release-folder")
    for name in ("amounts.csv", "programs.csv"):
        if not (folder / name).is_file():
            raise UsageError(f"{role} {folder}: not a release output folder (no {name}; "
                                "write one with `python -m pipeline extract`)", "usage.release-folder")
    try:
        amounts = read_csv(folder / "amounts.csv")
        programs = read_csv(folder / "programs.csv")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"{role} {folder}: cannot read its records ({e})", "usage.release-folder") from e
    for name, rows, need in (("amounts.csv", amounts, ("program", "budget", "stage", "fiscal_year", "amount_yen")),
                             ("programs.csv", programs, ("program", "level"))):
        missing = [c for c in need if rows and c not in rows[0]]
        if missing:
            raise UsageError(f"{folder / name}: not a records table (no column {', '.join(missing)})", "usage.records-table")
    try:
        for a in amounts:
            a["fiscal_year"] = int(a["fiscal_year"]) if a["fiscal_year"] else None
            a["amount_yen"] = int(a["amount_yen"])
            for flag in ("new", "portion", "approx"):
                a[flag] = _bool(a.get(flag, ""))
    except ValueError as e:
        raise UsageError(f"{folder / 'amounts.csv'}: not a records table ({e})", "usage.records-table") from e
    meta = {}
    if (folder / "meta.json").is_file():
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {}
    release = meta.get("release") or (amounts[0].get("release") if amounts else "") or folder.name
    years = {}
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
    rows: list[dict]
    matches: list[Match]
    consistency: list[dict] | None
    years: dict[str, int]
    old_years: dict[str, int]
    totals: set[str]
    aliases_path: Path
    threshold: float


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
                totals, aliases_path or _default_aliases(), threshold)


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
            new_figs[a["program"]][("initial", a["stage"])] = _figure(a)
        elif a["fiscal_year"] == year - 1 and a["stage"] == "enacted":
            old_figs[a["program"]][("initial", stage)] = _figure(a)
    matches, totals = _match_levels(release, release, old_figs, new_figs, aliases, threshold,
                                    release.predecessors)
    # a program that is stated only as a predecessor's prior-year figure is lineage, not a row of its own
    rows = diff_rows(matches, old_figs, new_figs, {"initial": year})
    return Diff(None, release, rows, matches, None, {"initial": year}, {"initial": year - 1},
                totals, aliases_path or _default_aliases(), threshold)


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
    grouped = _groups(matches)
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


# ------------------------------------------------------------------ diff.md

def oku(yen: int | None, sign: bool = False) -> str:
    """Yen as 億円 for the memo, exact (no rounding), with thousands separators.

    >>> oku(247900000000), oku(2150000000), oku(-150000000, sign=True), oku(0, sign=True), oku(None)
    ('2,479億円', '21.5億円', '-1.5億円', '±0億円', '—')
    """
    if yen is None:
        return "—"
    d = (Decimal(yen) / OKU).normalize()
    text = f"{abs(d):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if sign:
        return ("+" if d > 0 else "-" if d < 0 else "±") + text + "億円"
    return ("-" if d < 0 else "") + text + "億円"


def pct(p: float | None) -> str:
    """A change in percent for the memo.

    >>> pct(5.6), pct(-12.0), pct(None)
    ('+5.6%', '-12.0%', '—')
    """
    return "—" if p is None else f"{p:+.1f}%"


def kind(budget: str, stage: str) -> str:
    """Budget and stage in the memo's words.

    >>> kind("initial", "draft"), kind("supplementary", "enacted")
    ('当初（案）', '補正（成立）')
    """
    return f"{BUDGET_JA.get(budget, budget)}（{STAGE_JA.get(stage, stage)}）"


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], body: list[list]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in body]
    return out + [""]


def _program(r: dict) -> str:
    return r["program_new"] or r["program_old"]


def group_summaries(d: Diff) -> list[dict]:
    """Splits and merges: the old and new programs of each group, and per
    (budget, stage) the group's old and new sums and change (portions left out)."""
    by_old, by_new = defaultdict(set), defaultdict(set)
    for m in d.matches:
        if m.method in MATCHED:
            by_old[m.old].add(m.new)
            by_new[m.new].add(m.old)
    seen, out = set(), []
    for m in d.matches:
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
        olds_l = [x.old for x in d.matches if x.old in olds]
        news_l = [x.new for x in d.matches if x.new in news]
        olds_l, news_l = list(dict.fromkeys(olds_l)), list(dict.fromkeys(news_l))
        figures = []
        rows = [r for r in d.rows if r["program_old"] in olds and r["program_new"] in news]
        for budget, stage in KEY_ORDER:
            rs = [r for r in rows if (r["budget"], r["stage"]) == (budget, stage)]
            if not rs:
                continue
            old_sum = {r["program_old"]: r["amount_old"] for r in rs if r["amount_old"] is not None and not r["_portion"]}
            new_sum = {r["program_new"]: r["amount_new"] for r in rs if r["amount_new"] is not None and not r["_portion"]}
            o = sum(old_sum.values()) if old_sum else None
            n = sum(new_sum.values()) if new_sum else None
            change, p = change_of(o, n)
            figures.append({"budget": budget, "stage": stage, "old": o, "new": n, "change": change, "pct": p,
                            "parts_new": new_sum, "parts_old": old_sum})
        what = "split" if len(olds_l) == 1 else "merge" if len(news_l) == 1 else "regrouping"
        out.append({"kind": what, "old": olds_l, "new": news_l, "figures": figures,
                    "methods": sorted({x.method for x in d.matches if x.old in olds and x.new in news})})
    return out


def diff_markdown(d: Diff, top: int = TOP) -> str:
    """diff.md: a summary an analyst can paste into a memo."""
    rows = d.rows
    totals = [r for r in rows if _program(r) in d.totals]
    progs = [r for r in rows if _program(r) not in d.totals]
    new_year = d.years["initial"]
    L: list[str] = []
    if d.old:
        L.append(f"# Year-over-year diff: {d.old.release} → {d.new.release}")
        L.append("")
        L.append(f"- Old: `{d.old.folder}` — {_years_text(d.old)}")
        L.append(f"- New: `{d.new.folder}` — {_years_text(d.new)}")
        L.append("")
        L.append("Each program's figure in the old release for its own year is compared with its figure in "
                 "the new release for the new year (same budget and stage); **fiscal_year in diff.csv is the "
                 f"new release's year** (当初 FY{new_year}" + (f", 補正 FY{d.years['supplementary']}"
                                                           if d.years.get("supplementary") else "") + "). "
                 "Amounts in 億円; change = new − old.")
    else:
        L.append(f"# Year-over-year table inside {d.new.release}")
        L.append("")
        L.append(f"- Release: `{d.new.folder}` — {_years_text(d.new)}")
        L.append("")
        L.append(f"Each program's initial-budget figure for FY{new_year} ({STAGE_JA.get(d.new.stage or '', d.new.stage)}) "
                 f"is compared with the prior-year enacted figure the release itself states (FY{new_year - 1}); "
                 "a program that says it continues a predecessor (※…で実施) is compared with the predecessor's "
                 "figure. Supplementary (補正) figures are not compared within one release. Amounts in 億円.")
    L.append("")
    # totals
    L.append("## Totals")
    L.append("")
    if totals:
        L += _table(["", "budget", "old", "new", "change", "%"],
                    [[_program(r) + (f" (old: {r['program_old']})" if r["program_old"] and r["program_old"] != r["program_new"] else ""),
                      kind(r["budget"], r["stage"]), oku(r["amount_old"]), oku(r["amount_new"]),
                      oku(r["change_yen"], True) if r["change_yen"] is not None else "—", pct(r["change_pct"])]
                     for r in totals])
    else:
        L += ["No total is stated in the releases.", ""]

    # summary counts
    n_by = defaultdict(set)
    for m in d.matches:
        if (m.new or m.old) in d.totals:
            continue
        n_by[m.method].add((m.old, m.new))
    groups = group_summaries(d)
    group_names = {n for g in groups for n in g["old"] + g["new"]}
    renamed = [m for m in d.matches if m.method in ("alias", "predecessor") and m.old not in group_names
               and m.new not in group_names and (m.new or m.old) not in d.totals]
    portions = [r for r in progs if r["_portion"]]
    L.append("## Summary")
    L.append("")
    same = {p for p in n_by["same"] if p[0] not in group_names}
    L.append(f"- {len(same)} programs under the same name, {len(renamed)} renamed "
             f"({sum(m.method == 'alias' for m in renamed)} by the reviewed crosswalk, "
             f"{sum(m.method == 'predecessor' for m in renamed)} by the {'new ' if d.old else ''}release's own predecessor note), "
             f"{len(groups)} split/merge group(s), {len(n_by['new'])} new, {len(n_by['dropped'])} dropped.")
    if n_by["suggested"]:
        L.append(f"- {len(n_by['suggested'])} fuzzy suggestion(s) awaiting review — not applied (see below).")
    if portions:
        L.append(f"- {len({_program(r) for r in portions})} program(s) stated only as a portion (内数) of a larger "
                 "budget: listed, never compared as own budgets.")
    L.append("")

    compared = [r for r in progs if r["change_yen"] is not None]
    ups = sorted([r for r in compared if r["change_yen"] > 0], key=lambda r: (-r["change_yen"], _program(r)))
    downs = sorted([r for r in compared if r["change_yen"] < 0], key=lambda r: (r["change_yen"], _program(r)))
    for title, sel in (("Largest increases", ups), ("Largest decreases", downs)):
        L.append(f"## {title}")
        L.append("")
        if sel:
            L += _table(["program", "budget", "old", "new", "change", "%"],
                        [[_named(r), kind(r["budget"], r["stage"]), oku(r["amount_old"]), oku(r["amount_new"]),
                          oku(r["change_yen"], True), pct(r["change_pct"])] for r in sel[:top]])
            if len(sel) > top:
                L += [f"… and {len(sel) - top} more in diff.csv.", ""]
        else:
            L += ["None.", ""]
    unchanged = [r for r in compared if r["change_yen"] == 0]
    if unchanged:
        L += ["Unchanged: " + "、".join(f"{_named(r)} {kind(r['budget'], r['stage'])} {oku(r['amount_new'])}"
                                        for r in unchanged), ""]

    L.append("## New programs")
    L.append("")
    new_rows = [r for r in progs if r["match"] == "new"]
    if new_rows:
        L += _table(["program", "budget", "amount", "stated as"],
                    [[r["program_new"], kind(r["budget"], r["stage"]), oku(r["amount_new"]),
                      "（新規）" if r["_new_flag"] else ("内数" if r["_portion"] else "")] for r in new_rows])
    else:
        L += ["None.", ""]

    L.append("## Dropped programs")
    L.append("")
    dropped = [r for r in progs if r["match"] == "dropped"]
    if dropped:
        L += _table(["program", "budget", "last amount"],
                    [[r["program_old"], kind(r["budget"], r["stage"]), oku(r["amount_old"])] for r in dropped])
        L += ["Not in the new release under this name, in the crosswalk or in a predecessor note: "
              "check whether it ended or continues under another name.", ""]
    else:
        L += ["None.", ""]

    L.append("## Renamed programs")
    L.append("")
    if renamed:
        body = []
        for m in renamed:
            rs = [r for r in progs if (r["program_old"], r["program_new"]) == (m.old, m.new)]
            figs = "; ".join(f"{kind(r['budget'], r['stage'])} {oku(r['amount_old'])} → {oku(r['amount_new'])}"
                             + ("（新規）" if r["_new_flag"] else "")
                             + (f" ({oku(r['change_yen'], True)}, {pct(r['change_pct'])})" if r["change_yen"] is not None else "")
                             for r in rs)
            how = (f"crosswalk: {m.note}" if m.method == "alias"
                   else f"the {'new ' if d.old else ''}release's note 「※…は{m.note}で実施」")
            body.append([m.old, m.new, how, figs])
        L += _table(["old name", "new name", "declared by", "figures"], body)
    else:
        L += ["None.", ""]

    if groups:
        L.append("## Splits and merges")
        L.append("")
        for g in groups:
            arrow = f"{' + '.join(g['old'])} → {' + '.join(g['new'])}"
            L.append(f"- **{g['kind'].capitalize()}** ({', '.join(g['methods'])}): {arrow}")
            for f in g["figures"]:
                parts = " + ".join(f"{k} {oku(v)}" for k, v in f["parts_new"].items())
                old_parts = " + ".join(f"{k} {oku(v)}" for k, v in f["parts_old"].items())
                L.append(f"  - {kind(f['budget'], f['stage'])}: {oku(f['old'])}"
                         + (f" ({old_parts})" if len(f["parts_old"]) > 1 else "")
                         + f" → {oku(f['new'])}" + (f" ({parts})" if len(f["parts_new"]) > 1 else "")
                         + (f", {oku(f['change'], True)} ({pct(f['pct'])}) for the group" if f["change"] is not None else ""))
        L += ["", "The rows of a split or merge in diff.csv carry no change of their own: compare the group.", ""]

    if portions:
        L.append("## Portions (内数) — not compared")
        L.append("")
        for r in portions:
            L.append(f"- {_named(r)} {kind(r['budget'], r['stage'])}: {_portion_text(r['amount_old'])} → "
                     f"{_portion_text(r['amount_new'])}")
        L += ["", "A 内数 figure is the larger budget the program is part of, not the program's own budget; "
              "its change says nothing about the program.", ""]

    one_side = [r for r in progs if r["match"] in MATCHED and not r["_portion"] and not r["_group"]
                and (r["amount_old"] is None) != (r["amount_new"] is None)]
    if one_side:
        L.append("## Figures stated in one release only")
        L.append("")
        for r in one_side:
            L.append(f"- {_named(r)} {kind(r['budget'], r['stage'])}: "
                     + (f"{oku(r['amount_old'])} in the old release, none stated in the new"
                        if r["amount_new"] is None else f"none stated in the old release, {oku(r['amount_new'])} in the new"))
        L.append("")

    L.append("## Suggestions awaiting review")
    L.append("")
    sugg = [m for m in d.matches if m.method == "suggested"]
    if sugg:
        body = []
        for m in sugg:
            rs = [r for r in rows if (r["program_old"], r["program_new"]) == (m.old, m.new)]
            figs = "; ".join(f"{kind(r['budget'], r['stage'])} {oku(r['amount_old'])} → {oku(r['amount_new'])}" for r in rs)
            body.append([m.old, m.new, f"{m.score:g}", figs])
        L += _table(["old name", "new name", "similarity", "figures"], body)
        L += [f"Names at least {d.threshold:g}% similar (rapidfuzz ratio after normalization) with no other "
              "match. They are **not** applied: until reviewed, the old one counts as dropped and the new one "
              f"as new. If a pair is the same program, add it to `{_rel(d.aliases_path)}`:", "", "```yaml"]
        for m in sugg:
            L += [f"  - old: {m.old}", f"    new: {m.new}", "    note: <where the releases say so>",
                  "    reviewed_by: <you>", f"    reviewed_on: {dt.date.today().isoformat()}"]
        L += ["```", ""]
    else:
        L += ["None.", ""]

    if d.consistency is not None:
        L.append("## Consistency: the new release's prior-year figures vs the old release")
        L.append("")
        comp = [c for c in d.consistency if c["status"] in ("same", "differs")]
        diffs = [c for c in d.consistency if c["status"] == "differs"]
        L.append(f"{len(comp)} figure(s) the new release states for FY{d.old_years['initial']}"
                 + (f" / 補正 FY{d.old_years['supplementary']}" if d.old_years.get("supplementary") else "")
                 + f" compared with the old release's own figures: {len(comp) - len(diffs)} agree, "
                 f"{len(diffs)} differ.")
        L.append("")
        if diffs:
            L += _table(["program", "budget", "FY", "old release", "new release", "difference"],
                        [[c["program_new"] + (f" (old: {c['program_old']})" if c["program_old"] != c["program_new"] else ""),
                          BUDGET_JA.get(c["budget"], c["budget"]), c["fiscal_year"],
                          f"{oku(c['amount_old'])} ({STAGE_JA.get(c['stage_old'], c['stage_old'])})",
                          f"{oku(c['amount_new'])} ({STAGE_JA.get(c['stage_new'], c['stage_new'])})",
                          oku(c["difference_yen"], True)] for c in diffs])
        other = [c for c in d.consistency if c["status"] in ("not_in_old", "scope_changed")]
        if other:
            L.append("Not compared: " + "、".join(
                f"{c['program_new']} {BUDGET_JA.get(c['budget'])} {oku(c['amount_new'])} "
                f"({'no such figure in the old release' if c['status'] == 'not_in_old' else 'split/merge'})"
                for c in other))
            L.append("")
    L.append("Files: diff.csv (every row), chart.png (change per program)"
             + (", consistency.csv (every prior-year figure compared)." if d.consistency is not None else "."))
    return "\n".join(L) + "\n"


def _named(r: dict) -> str:
    if r["program_old"] and r["program_new"] and r["program_old"] != r["program_new"]:
        return f"{r['program_new']} (old: {r['program_old']})"
    return _program(r)


def _portion_text(yen: int | None) -> str:
    return "—" if yen is None else f"{oku(yen)}の内数"


def _years_text(r: Release) -> str:
    parts = [f"当初 FY{r.years['initial']} ({STAGE_JA.get(r.stage or '', r.stage or '?')})"]
    if r.years.get("supplementary"):
        parts.append(f"補正 FY{r.years['supplementary']}")
    return ", ".join(parts)


def _rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(PROJECT))
    except ValueError:
        return str(path)


# ------------------------------------------------------------------ chart bars

def chart_bars(d: Diff) -> dict[str, list[tuple[str, int, str]]]:
    """budget -> [(label, yen, kind)]: compared programs by their change; new
    and dropped programs by their whole amount; a split or merge by the group's
    change. Totals, portions and suggestions are left out."""
    bars: dict[str, list] = {"initial": [], "supplementary": []}
    for r in d.rows:
        name = _program(r)
        if name in d.totals or r["_portion"] or r["_group"] or r["match"] == "suggested":
            continue
        if r["change_yen"] is not None:
            label = r["program_new"]
            if r["program_old"] != r["program_new"]:
                label += f"（旧: {r['program_old']}）"
            bars[r["budget"]].append((label, r["change_yen"], "increase" if r["change_yen"] > 0 else
                                      "decrease" if r["change_yen"] < 0 else "unchanged"))
        elif r["match"] == "new":
            bars[r["budget"]].append((name, r["amount_new"], "new"))
        elif r["match"] == "dropped":
            bars[r["budget"]].append((name, -r["amount_old"], "dropped"))
    for g in group_summaries(d):
        for f in g["figures"]:
            if f["change"] is None:
                continue
            what = "分割" if g["kind"] == "split" else "統合" if g["kind"] == "merge" else "再編"
            label = f"{' + '.join(g['new'])}（{what}: 旧 {' + '.join(g['old'])}）"
            bars[f["budget"]].append((label, f["change"], "group"))
    return bars


def chart_panels(d: Diff) -> list[tuple[str, list]]:
    """[(panel title, bars)]: one panel per budget, titled with the years compared."""
    bars = chart_bars(d)
    out = []
    for budget in ("initial", "supplementary"):
        if budget not in d.years:
            continue
        new_y, old_y = d.years[budget], d.old_years.get(budget, d.years[budget] - 1)
        name = "当初予算" if budget == "initial" else "補正予算"
        new_side = f"令和{new_y - 2018}年度{_stage_note(d.new, budget)}"
        if d.old:
            old_side = f"令和{old_y - 2018}年度{_stage_note(d.old, budget)}"
        else:
            old_side = f"前年度予算額（令和{old_y - 2018}年度）"
        out.append((f"{name}: {new_side} − {old_side}", bars.get(budget, [])))
    return out


def _stage_note(release: Release, budget: str) -> str:
    """'（案）' / '（要求）' for a release whose figures of this budget are drafts
    or requests, '' for enacted ones."""
    stage = next((a["stage"] for a in release.amounts if a["budget"] == budget
                  and a["fiscal_year"] == release.years.get(budget)), None)
    return f"（{STAGE_JA[stage]}）" if stage in ("draft", "request") else ""


# ------------------------------------------------------------------ writing

def write_outputs(d: Diff, out: Path) -> list[str]:
    """Write diff.csv, diff.md, chart.png (and consistency.csv with two
    releases) into ``out``. Files are written into a temporary folder beside
    ``out`` and moved into place only when all are written; outputs of an
    earlier run that this run does not make are removed."""
    from pipeline.chart import bar_chart
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as e:
        raise OutputError(f"{out}: cannot write output folder ({e.strerror})", "output.folder") from e
    written = []
    try:
        write_csv(tmp / "diff.csv", d.rows, DIFF_COLUMNS)
        written.append("diff.csv")
        if d.consistency is not None:
            write_csv(tmp / "consistency.csv", d.consistency, CONSISTENCY_COLUMNS)
            written.append("consistency.csv")
        (tmp / "diff.md").write_text(diff_markdown(d), encoding="utf-8")
        written.append("diff.md")
        title = (f"{d.old.release} → {d.new.release}" if d.old else d.new.release) + "　事業ごとの増減（億円）"
        missing = bar_chart(chart_panels(d), tmp / "chart.png", title)
        if missing:
            print(f"warning: chart.png: the font lacks {''.join(sorted(missing))}", file=sys.stderr)
        written.append("chart.png")
        try:
            if not out.exists():
                tmp.chmod(0o755)
                os.replace(tmp, out)
            else:
                if not out.is_dir():
                    raise OutputError(f"{out}: exists and is not a folder", "output.not-folder")
                for name in written:
                    os.replace(tmp / name, out / name)
                for name in set(OUTPUT_FILES) - set(written):
                    if (out / name).is_file():
                        (out / name).unlink()
        except OSError as e:
            raise OutputError(f"{out}: cannot write output folder ({e.strerror})", "output.folder") from e
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return written


def run_diff(args) -> int:
    """The ``diff`` command: ``diff [OLD] NEW --out DIR [--aliases FILE]``."""
    aliases, threshold = load_aliases(args.aliases)
    aliases_path = Path(args.aliases or _default_aliases())
    old = read_release(args.old, "OLD") if args.old is not None else None
    new = read_release(args.new, "NEW")
    if old is not None:
        d = diff_releases(old, new, aliases, threshold, aliases_path)
    else:
        d = diff_within(new, aliases, threshold, aliases_path)
    written = write_outputs(d, args.out)
    counts = defaultdict(int)
    for m in d.matches:
        counts[m.method] += 1
    summary = ", ".join(f"{counts[k]} {k}" for k in METHODS if counts[k])
    what = f"{d.old.release} → {d.new.release}" if d.old else f"{d.new.release} (within)"
    print(f"{what}: {summary}; {len(d.rows)} rows -> {Path(args.out)}/ ({', '.join(written)})")
    return 0
