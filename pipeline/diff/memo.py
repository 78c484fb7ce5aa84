"""diff.md: the summary of a diff an analyst can paste into a memo.

One function per section, each returning its lines; :func:`diff_markdown`
puts them in order. Amounts are written exactly in 億円 (:func:`oku`).
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import cast

from pipeline.diff.compare import BUDGET_JA, STAGE_JA, Diff, DiffRow, Release
from pipeline.lineage import MATCHED, Match
from pipeline.schema import oku_text

PROJECT = Path(__file__).resolve().parent.parent.parent
TOP = 10   # rows in the largest-increases and largest-decreases tables


def oku(yen: int | None, sign: bool = False) -> str:
    """Yen as 億円 for the memo; — for no figure.

    >>> oku(247900000000), oku(-150000000, sign=True), oku(None)
    ('2,479億円', '-1.5億円', '—')
    """
    return "—" if yen is None else oku_text(yen, sign)


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


def table(head: list[str], body: list[list]) -> list[str]:
    """A Markdown table (| in a cell escaped), then a blank line.

    >>> table(["a", "b"], [["x|y", 1]])
    ['| a | b |', '| --- | --- |', '| x\\\\|y | 1 |', '']
    """
    def cell(text) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")
    out = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    out += ["| " + " | ".join(cell(c) for c in r) + " |" for r in body]
    return out + [""]


def named(r: DiffRow) -> str:
    """The program of a row, with its old name where it was renamed."""
    if r.program_old and r.program_new and r.program_old != r.program_new:
        return f"{r.program_new} (old: {r.program_old})"
    return r.program


def years_text(r: Release) -> str:
    parts = [f"当初 FY{r.years['initial']} ({STAGE_JA.get(r.stage or '', r.stage or '?')})"]
    if r.years.get("supplementary"):
        parts.append(f"補正 FY{r.years['supplementary']}")
    return ", ".join(parts)


def project_path(path: Path) -> str:
    """A path relative to the project, where it is inside it."""
    try:
        return str(Path(path).resolve().relative_to(PROJECT))
    except ValueError:
        return str(path)


# ------------------------------------------------------------------ what sections share

def program_rows(d: Diff) -> list[DiffRow]:
    """The rows of programs (totals left out)."""
    return [r for r in d.rows if r.program not in d.totals]


def renamed_matches(d: Diff) -> list[Match]:
    """Alias and predecessor matches that are one-to-one (not part of a split or merge)."""
    in_groups = {n for g in d.groups for n in g["old"] + g["new"]}
    return [m for m in d.matches if m.method in ("alias", "predecessor") and m.old not in in_groups
            and m.new not in in_groups and (m.new or m.old) not in d.totals]


def portion_rows(d: Diff) -> list[DiffRow]:
    return [r for r in program_rows(d) if r.portion]


# ------------------------------------------------------------------ the sections

SAME_YEARS = ("Both releases state the same years: they are two inputs of one release (its PDF and its text, "
              "say), or one release twice. Nothing changed year over year; the rows below compare the two "
              "readings figure by figure, and no chart is drawn.")


def heading(d: Diff) -> list[str]:
    new_year = d.years["initial"]
    if d.old:
        return [f"# Year-over-year diff: {d.old.release} → {d.new.release}", "",
                f"- Old: `{d.old.folder}` — {years_text(d.old)}",
                f"- New: `{d.new.folder}` — {years_text(d.new)}", "",
                *([f"**{SAME_YEARS}**", ""] if d.same_years else []),
                "Each program's figure in the old release for its own year is compared with its figure in "
                "the new release for the new year (same budget and stage); **fiscal_year in diff.csv is the "
                f"new release's year** (当初 FY{new_year}" + (f", 補正 FY{d.years['supplementary']}"
                                                          if d.years.get("supplementary") else "") + "). "
                "Amounts in 億円; change = new − old.", ""]
    return [f"# Year-over-year table inside {d.new.release}", "",
            f"- Release: `{d.new.folder}` — {years_text(d.new)}", "",
            f"Each program's initial-budget figure for FY{new_year} ({STAGE_JA.get(d.new.stage or '', d.new.stage)}) "
            f"is compared with the prior-year enacted figure the release itself states (FY{new_year - 1}); "
            "a program that says it continues a predecessor (※…で実施) is compared with the predecessor's "
            "figure. Supplementary (補正) figures are not compared within one release. Amounts in 億円.", ""]


def totals_section(d: Diff) -> list[str]:
    out = ["## Totals", ""]
    totals = [r for r in d.rows if r.program in d.totals]
    if not totals:
        return out + ["No total is stated in the releases.", ""]
    return out + table(["", "budget", "old", "new", "change", "%"],
                       [[r.program + (f" (old: {r.program_old})" if r.program_old and r.program_old != r.program_new else ""),
                         kind(r.budget, r.stage), oku(r.amount_old), oku(r.amount_new),
                         oku(r.change_yen, True) if r.change_yen is not None else "—", pct(r.change_pct)]
                        for r in totals])


def summary_section(d: Diff) -> list[str]:
    n_by = defaultdict(set)
    for m in d.matches:
        if (m.new or m.old) not in d.totals:
            n_by[m.method].add((m.old, m.new))
    in_groups = {n for g in d.groups for n in g["old"] + g["new"]}
    renamed = renamed_matches(d)
    portions = portion_rows(d)
    same = {p for p in n_by["same"] if p[0] not in in_groups}
    out = ["## Summary", "",
           f"- {len(same)} programs under the same name, {len(renamed)} renamed "
           f"({sum(m.method == 'alias' for m in renamed)} by the reviewed crosswalk, "
           f"{sum(m.method == 'predecessor' for m in renamed)} by the {'new ' if d.old else ''}release's own predecessor note), "
           f"{len(d.groups)} split/merge group(s), {len(n_by['new'])} new, {len(n_by['dropped'])} dropped."]
    if n_by["suggested"]:
        out.append(f"- {len(n_by['suggested'])} fuzzy suggestion(s) awaiting review — not applied (see below).")
    if portions:
        out.append(f"- {len({r.program for r in portions})} program(s) stated only as a portion (内数) of a larger "
                   "budget: listed, never compared as own budgets.")
    return out + [""]


def changes_section(d: Diff, top: int = TOP) -> list[str]:
    """Largest increases, largest decreases, unchanged."""
    compared = [r for r in program_rows(d) if r.change_yen is not None]   # change_yen is an int below
    ups = sorted([r for r in compared if cast(int, r.change_yen) > 0], key=lambda r: (-cast(int, r.change_yen), r.program))
    downs = sorted([r for r in compared if cast(int, r.change_yen) < 0], key=lambda r: (r.change_yen, r.program))
    out: list[str] = []
    for title, sel in (("Largest increases", ups), ("Largest decreases", downs)):
        out += [f"## {title}", ""]
        if not sel:
            out += ["None.", ""]
            continue
        out += table(["program", "budget", "old", "new", "change", "%"],
                     [[named(r), kind(r.budget, r.stage), oku(r.amount_old), oku(r.amount_new),
                       oku(r.change_yen, True), pct(r.change_pct)] for r in sel[:top]])
        if len(sel) > top:
            out += [f"… and {len(sel) - top} more in diff.csv.", ""]
    unchanged = [r for r in compared if r.change_yen == 0]
    if unchanged:
        out += ["Unchanged: " + "、".join(f"{named(r)} {kind(r.budget, r.stage)} {oku(r.amount_new)}"
                                          for r in unchanged), ""]
    return out


def new_section(d: Diff) -> list[str]:
    out = ["## New programs", ""]
    rows = [r for r in program_rows(d) if r.match == "new"]
    if not rows:
        return out + ["None.", ""]
    return out + table(["program", "budget", "amount", "stated as"],
                       [[r.program_new, kind(r.budget, r.stage), oku(r.amount_new),
                         "（新規）" if r.stated_new else ("内数" if r.portion else "")] for r in rows])


def dropped_section(d: Diff) -> list[str]:
    out = ["## Dropped programs", ""]
    rows = [r for r in program_rows(d) if r.match == "dropped"]
    if not rows:
        return out + ["None.", ""]
    return out + table(["program", "budget", "last amount"],
                       [[r.program_old, kind(r.budget, r.stage), oku(r.amount_old)] for r in rows]) + [
        "Not in the new release under this name, in the crosswalk or in a predecessor note: "
        "check whether it ended or continues under another name.", ""]


def renamed_section(d: Diff) -> list[str]:
    out = ["## Renamed programs", ""]
    renamed = renamed_matches(d)
    if not renamed:
        return out + ["None.", ""]
    body = []
    for m in renamed:
        rs = [r for r in program_rows(d) if (r.program_old, r.program_new) == (m.old, m.new)]
        figs = "; ".join(f"{kind(r.budget, r.stage)} {oku(r.amount_old)} → {oku(r.amount_new)}"
                         + ("（新規）" if r.stated_new else "")
                         + (f" ({oku(r.change_yen, True)}, {pct(r.change_pct)})" if r.change_yen is not None else "")
                         for r in rs)
        declared_by = (f"crosswalk: {m.note}" if m.method == "alias"
                       else f"the {'new ' if d.old else ''}release's note 「※…は{m.note}で実施」")
        body.append([m.old, m.new, declared_by, figs])
    return out + table(["old name", "new name", "declared by", "figures"], body)


def groups_section(d: Diff) -> list[str]:
    if not d.groups:
        return []
    out = ["## Splits and merges", ""]
    for g in d.groups:
        arrow = f"{' + '.join(g['old'])} → {' + '.join(g['new'])}"
        out.append(f"- **{g['kind'].capitalize()}** ({', '.join(g['methods'])}): {arrow}")
        for f in g["figures"]:
            parts = " + ".join(f"{k} {oku(v)}" for k, v in f["parts_new"].items())
            old_parts = " + ".join(f"{k} {oku(v)}" for k, v in f["parts_old"].items())
            out.append(f"  - {kind(f['budget'], f['stage'])}: {oku(f['old'])}"
                       + (f" ({old_parts})" if len(f["parts_old"]) > 1 else "")
                       + f" → {oku(f['new'])}" + (f" ({parts})" if len(f["parts_new"]) > 1 else "")
                       + (f", {oku(f['change'], True)} ({pct(f['pct'])}) for the group" if f["change"] is not None else ""))
    return out + ["", "The rows of a split or merge in diff.csv carry no change of their own: compare the group.", ""]


def portions_section(d: Diff) -> list[str]:
    portions = portion_rows(d)
    if not portions:
        return []
    out = ["## Portions (内数) — not compared", ""]
    for r in portions:
        out.append(f"- {named(r)} {kind(r.budget, r.stage)}: {portion_text(r.amount_old)} → "
                   f"{portion_text(r.amount_new)}")
    return out + ["", "A 内数 figure is the larger budget the program is part of, not the program's own budget; "
                  "its change says nothing about the program.", ""]


def portion_text(yen: int | None) -> str:
    return "—" if yen is None else f"{oku(yen)}の内数"


def one_side_section(d: Diff) -> list[str]:
    one_side = [r for r in program_rows(d) if r.match in MATCHED and not r.portion and not r.group
                and (r.amount_old is None) != (r.amount_new is None)]
    if not one_side:
        return []
    out = ["## Figures stated in one release only", ""]
    for r in one_side:
        out.append(f"- {named(r)} {kind(r.budget, r.stage)}: "
                   + (f"{oku(r.amount_old)} in the old release, none stated in the new"
                      if r.amount_new is None else f"none stated in the old release, {oku(r.amount_new)} in the new"))
    return out + [""]


def suggestions_section(d: Diff) -> list[str]:
    out = ["## Suggestions awaiting review", ""]
    suggested = [m for m in d.matches if m.method == "suggested"]
    if not suggested:
        return out + ["None.", ""]
    body = []
    for m in suggested:
        rs = [r for r in d.rows if (r.program_old, r.program_new) == (m.old, m.new)]
        figs = "; ".join(f"{kind(r.budget, r.stage)} {oku(r.amount_old)} → {oku(r.amount_new)}" for r in rs)
        body.append([m.old, m.new, f"{m.score:g}", figs])
    out += table(["old name", "new name", "similarity", "figures"], body)
    out += [f"Names at least {d.threshold:g}% similar (rapidfuzz ratio after normalization) with no other "
            "match. They are **not** applied: until reviewed, a pair is not compared (its rows in diff.csv "
            "have match `suggested` and no change) and is counted neither as new nor as dropped. If a pair is "
            f"the same program, add it to `{project_path(d.aliases_path)}`:", "", "```yaml"]
    for m in suggested:
        out += [f"  - old: {m.old}", f"    new: {m.new}", "    note: <where the releases say so>",
                "    reviewed_by: <you>", "    reviewed_on: <YYYY-MM-DD>"]
    return out + ["```", ""]


def consistency_section(d: Diff) -> list[str]:
    if d.consistency is None or d.old is None:
        return []
    out = ["## Consistency: the new release's prior-year figures vs the old release", ""]
    compared = [c for c in d.consistency if c["status"] in ("same", "differs")]
    differ = [c for c in d.consistency if c["status"] == "differs"]
    out += [f"{len(compared)} figure(s) the new release states for FY{d.old_years['initial']}"
            + (f" / 補正 FY{d.old_years['supplementary']}" if d.old_years.get("supplementary") else "")
            + f" compared with the old release's own figures: {len(compared) - len(differ)} agree, "
            f"{len(differ)} differ.", ""]
    if differ:
        out += table(["program", "budget", "FY", "old release", "new release", "difference"],
                     [[c["program_new"] + (f" (old: {c['program_old']})" if c["program_old"] != c["program_new"] else ""),
                       BUDGET_JA.get(c["budget"], c["budget"]), c["fiscal_year"],
                       f"{oku(c['amount_old'])} ({STAGE_JA.get(c['stage_old'], c['stage_old'])})",
                       f"{oku(c['amount_new'])} ({STAGE_JA.get(c['stage_new'], c['stage_new'])})",
                       oku(c["difference_yen"], True)] for c in differ])
    other = [c for c in d.consistency if c["status"] in ("not_in_old", "scope_changed")]
    if other:
        out += ["Not compared: " + "、".join(
            f"{c['program_new']} {BUDGET_JA.get(c['budget'])} {oku(c['amount_new'])} "
            f"({'no such figure in the old release' if c['status'] == 'not_in_old' else 'split/merge'})"
            for c in other), ""]
    return out


def files_line(d: Diff) -> list[str]:
    return ["Files: diff.csv (every row)" + ("" if d.same_years else ", chart.png (change per program)")
            + (", consistency.csv (every prior-year figure compared)." if d.consistency is not None else ".")]


SECTIONS = (heading, totals_section, summary_section, changes_section, new_section, dropped_section,
            renamed_section, groups_section, portions_section, one_side_section, suggestions_section,
            consistency_section, files_line)


def diff_markdown(d: Diff) -> str:
    """diff.md: the sections in order."""
    return "\n".join(line for section in SECTIONS for line in section(d)) + "\n"
