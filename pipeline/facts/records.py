"""Step 6, records: claimed figures become observations (every mention),
amounts (one row per fact, its first mention) and programs, and every fact
gets its ``check``: how far the release itself confirms it."""
from __future__ import annotations

from collections import defaultdict

from pipeline.facts.owners import Claimed, Programs
from pipeline.schema import AMOUNT_COLUMNS, AMOUNT_KEY, FLAGS, OKU, fiscal_year_label, oku_decimal

KEY = AMOUNT_KEY
NAME_KEY = ("program", "budget", "stage", "fiscal_year")   # a budget looked up by its name (a parent, a total)
OCR_SUFFIX = "+ocr"   # a figure read by OCR from a picture: its rule ends so


def by_ocr(o: dict) -> bool:
    return o["rule"].endswith(OCR_SUFFIX)


def observation(release: str, c: Claimed, programs: Programs, brackets: str) -> dict:
    a, info = c.figure.amount, c.figure.info
    # a mention's own parent (the same name may be a part of two budgets), else the program's
    parent = c.owner.parent or (programs.known[c.owner.program]["parent"] if c.owner.program else "")
    return {"release": release, "program": c.owner.program, "parent": parent, "budget": c.ctx.budget,
            "supplementary_round": c.ctx.round, "stage": c.ctx.stage, "fiscal_year": c.ctx.fiscal_year, "amount_yen": a.yen,
            **{f: bool(a.flags.get(f, False)) for f in FLAGS},
            "page": info.line.page, "line": info.line.number, "source": c.source(brackets),
            "rule": f"{c.ctx.rule}@{c.how}" + (OCR_SUFFIX if info.line.ocr else "")}


def fact_key(o: dict) -> tuple:
    """Mentions of the same fact share program, budget, stage and year; a
    figure without an owner is a fact of its own (its line tells it apart)."""
    key = tuple(o[k] for k in KEY)
    return key if o["program"] else key + (o["page"], o["line"], o["amount_yen"])


def last_digit(yen: int) -> int:
    """The place of an amount's last written digit, in yen.

    >>> last_digit(337_000 * 10**8), last_digit(103_249 * 10**6)
    (100000000000, 1000000)
    """
    unit = 1
    while unit < 10**12 and yen % (unit * 10) == 0:
        unit *= 10
    return unit


def rounded_of(coarse: int | None, fine: int | None) -> bool:
    """Is ``coarse`` the amount ``fine`` rounded to coarse's last written
    digit (「33兆7000億円余り」 of 33兆7300億円)?

    >>> rounded_of(337_000 * 10**8, 337_300 * 10**8), rounded_of(337_300 * 10**8, 337_000 * 10**8)
    (True, False)
    """
    if not coarse or not fine or coarse <= 0 or fine <= 0 or coarse == fine:
        return False
    unit = last_digit(coarse)
    return unit > last_digit(fine) and abs(coarse - fine) * 2 <= unit


def facts_of(observations: list[dict]) -> tuple[list[dict], list[dict]]:
    """(amounts, conflicts): one row per fact from its first mention — its
    first text-layer mention when it has one (OCR never overrides the text
    layer), its exact mention when the first is that amount rounded;
    mentions that disagree on amount or flags are reported."""
    obs = sorted(observations, key=lambda o: (o["page"] or 0))   # stable: reading order per page
    amounts: dict[tuple, dict] = {}
    conflicts = []
    for o in obs:
        key = fact_key(o)
        if key not in amounts:
            amounts[key] = {c: o.get(c) for c in AMOUNT_COLUMNS if c != "check"}
            amounts[key]["_mentions"] = [o]
            continue
        first = amounts[key]
        first["_mentions"].append(o)
        if first["amount_yen"] != o["amount_yen"] and rounded_of(o["amount_yen"], first["amount_yen"]):
            continue   # 「33兆7000億円余り」 after 「33兆7300億円」: the same figure, rounded
        if (by_ocr(first) and not by_ocr(o)) or rounded_of(first["amount_yen"], o["amount_yen"]):
            # the text layer's figure is the fact's, in the OCR one's place; the exact one, in the rounded one's
            mentions = first["_mentions"]
            first.update({c: o.get(c) for c in AMOUNT_COLUMNS if c != "check"})
            first["_mentions"] = mentions
            o = mentions[0]
        diff = [c for c in ("amount_yen", "new", "portion", "approx")
                if first[c] != o[c] and not (c == "new" and not o[c])]
        if diff:
            conflicts.append({"key": list(key[:len(KEY)]), "fields": diff,
                              "first": {c: first[c] for c in ("amount_yen", "page", "source")},
                              "other": {c: o[c] for c in ("amount_yen", "page", "source")}})
    return list(amounts.values()), conflicts


def programs_of(programs: Programs, amounts: list[dict]) -> list[dict]:
    """The programs worth a row: those with a figure, their parents, those
    the overview lists or notes describe, and those named as predecessors."""
    known = programs.known.values()
    used = {a["program"] for a in amounts} | {a["parent"] for a in amounts if a["parent"]}
    return [p for p in known
            if p["program"] in used
            or p["level"] != "component"
            and any(p[k] for k in ("category", "period_start", "period_end", "office", "predecessor"))
            or any(q["predecessor"] == p["program"] for q in known)]


def derived_columns(rows: list[dict], program_rows: list[dict]) -> None:
    """Fill the columns that follow from the others: the
    figure's ``level`` (its program's; empty without an owner), its
    ``fiscal_year_label`` and its ``amount_oku``.

    >>> rows = [{"program": "AMED", "fiscal_year": 2026, "amount_yen": 58_350_000_000}]
    >>> derived_columns(rows, [{"program": "AMED", "level": "total"}])
    >>> rows[0]["level"], rows[0]["fiscal_year_label"], rows[0]["amount_oku"]
    ('total', '令和8年度', Decimal('583.5'))
    """
    level = {p["program"]: p["level"] for p in program_rows}
    for r in rows:
        r["level"] = level.get(r["program"], "program" if r["program"] else "")
        r["fiscal_year_label"] = fiscal_year_label(r["fiscal_year"])
        r["amount_oku"] = oku_decimal(r["amount_yen"])


# ------------------------------------------------------------ checks



INFERRED_STAGE = "table.column@"   # the rule of a table column whose header writes a year and no stage


def stage_inferred(row: dict) -> bool:
    """Was the figure's stage not written but inferred (a table column headed
    by a year alone takes the release's stage)? A sum confirms such a
    figure's amount, not its stage, so it does not make it ``witnessed``.

    >>> stage_inferred({"rule": "table.column@table"}), stage_inferred({"rule": "stage.draft@table"})
    (True, False)
    """
    return row["rule"].startswith(INFERRED_STAGE)


def rounding(parts: list[int]) -> int:
    """Rounding allowance: ±0.5億円 per summand when figures are whole 億円."""
    return len(parts) * OKU // 2 if all(p % OKU == 0 for p in parts) else 0


def listed_with_totals(claimed_by_slide: dict[int, list[Claimed]]) -> dict[tuple, set[tuple]]:
    """A stated total's key -> the keys of the programs listed on its slide
    with the same budget, stage and year (the items it should add up to)."""
    out: dict[tuple, set[tuple]] = {}
    for claimed in claimed_by_slide.values():
        for t in claimed:
            if t.owner.level != "total" or t.owner.parent or not t.owner.program:
                continue
            ctx = (t.ctx.budget, t.ctx.stage, t.ctx.fiscal_year)
            same = [c for c in claimed if c.owner.program and c.owner.listed and c.owner.level != "total"
                    and (c.ctx.budget, c.ctx.stage, c.ctx.fiscal_year) == ctx]
            named = {c.owner.program for c in same}
            # a component counts when its parent states no figure of its own here (no double count)
            out.setdefault((t.owner.program, *ctx), set()).update(
                (c.owner.program, *ctx) for c in same if c.owner.level == "program" or c.owner.parent not in named)
    return out


def assign_checks(amounts: list[dict], programs: list[dict], conflicts: list[dict],
                  lists: dict[tuple, set[tuple]] | None = None, told: set[tuple] | None = None) -> None:
    """Set each fact's ``check`` from what the release says about it:

    - ``conflict``: its owner, stage or year could not be determined, or its
      mentions disagree, or its components (or, for a stated total, its
      listed programs) add up to more than it beyond rounding;
    - ``witnessed``: stated twice (on two lines) with the same figure, or a
      parent whose two or more components add up to it within rounding (the
      parent and its components both), or a stated total that its two or
      more listed programs add up to within rounding (all of them) — except
      a figure whose stage was inferred, not written (:func:`stage_inferred`);
    - ``single``: stated once, nothing to check it against — and at most
      this for a fact whose owner running text named (``told``: fact keys;
      topics.topic_name reads a sentence, and agreeing figures do not confirm
      whose they are).

    ``golden`` is set later, by the comparison with a hand-verified golden.
    """
    level = {p["program"]: p["level"] for p in programs}
    disputed = {tuple(c["key"]) for c in conflicts}
    by_key: dict[tuple, dict] = {}
    for a in amounts:
        if a["program"]:
            by_key.setdefault(tuple(a[k] for k in NAME_KEY), a)
    for a in amounts:
        mentions = a.pop("_mentions", [a])
        lines = {(m["page"], m["line"]) for m in mentions}
        if not a["program"] or a["stage"] is None or a["fiscal_year"] is None:
            a["check"] = "conflict"
        elif tuple(a[k] for k in KEY) in disputed:
            a["check"] = "conflict"
        elif len(lines) > 1:
            a["check"] = "witnessed"
        else:
            a["check"] = "single"
    for total_key, part_keys in (lists or {}).items():   # a stated total and the programs listed with it
        total = by_key.get(total_key)
        parts = [by_key[k] for k in part_keys if k in by_key and not by_key[k]["portion"]]
        if total is None or total["portion"]:
            continue
        s = sum(p["amount_yen"] for p in parts)
        tol = rounding([p["amount_yen"] for p in parts])
        if len(parts) >= 2 and abs(total["amount_yen"] - s) <= tol:   # the items add up to the stated total
            for row in [total, *parts]:
                if row["check"] == "single" and not stage_inferred(row):
                    row["check"] = "witnessed"
        elif parts and s > total["amount_yen"] + tol:
            total["check"] = "conflict"   # the items listed exceed the total stated
    children = defaultdict(list)
    for a in amounts:
        if a["parent"] and level.get(a["program"]) == "component" and not a["portion"]:
            children[(a["parent"], a["budget"], a["stage"], a["fiscal_year"])].append(a)
    for key, parts in children.items():
        total = by_key.get(key)
        if total is None or total["portion"]:
            continue
        s = sum(p["amount_yen"] for p in parts)
        gap = total["amount_yen"] - s
        if len(parts) >= 2 and abs(gap) <= rounding([p["amount_yen"] for p in parts]):
            for row in [total, *parts]:
                if row["check"] == "single" and not stage_inferred(row):
                    row["check"] = "witnessed"
        elif gap < -rounding([p["amount_yen"] for p in parts]):
            for row in [total, *parts]:
                row["check"] = "conflict"
    for a in amounts:
        if a["check"] == "witnessed" and tuple(a[k] for k in KEY) in (told or set()):
            a["check"] = "single"


def restatements(amounts: list[dict]) -> tuple[list[dict], list[dict]]:
    """(kept, dropped): a figure nobody could be named for that restates an
    attributed one of the same budget, stage and year — the same amount, or
    the amount rounded to the unrounded one's last written digit (a headline's
    「1032億円」 of the body's 1032億4900万円) — is the same fact told twice,
    not a figure of its own.

    >>> a = {"program": "", "budget": "initial", "stage": "request", "fiscal_year": 2022, "amount_yen": 103200000000}
    >>> b = dict(a, program="健康・医療分野", amount_yen=103249000000)
    >>> kept, dropped = restatements([a, b])
    >>> [r["program"] for r in kept], dropped == [a]
    (['健康・医療分野'], True)
    """
    told = [a for a in amounts if a["program"]]
    dropped = []
    for a in amounts:
        if a["program"] or a["amount_yen"] is None or a["amount_yen"] <= 0:
            continue
        unit = last_digit(a["amount_yen"])
        if any(t["budget"] == a["budget"] and t["stage"] == a["stage"] and t["fiscal_year"] == a["fiscal_year"]
               and abs(t["amount_yen"] - a["amount_yen"]) * 2 <= unit for t in told):
            dropped.append(a)
    return [a for a in amounts if not any(a is d for d in dropped)], dropped
