"""Self-consistency: the checks a release is run against itself, each
registered under a stable id (as frictionless registers its checks) and run
in order. A check reads the release's records and returns its findings:
``{"check": title, "status": ok|info|warn|error, "message": …}``.

- ``mentions-agree``: every mention of a fact states the same figure;
- ``parts-vs-total``: a program's components add up to it;
- ``items-vs-total``: the overview's listed programs against the release total;
- ``subtotal-within-total``: a sub-total (うちAMED) stays within the total;
- ``years-vs-title``: every figure in the release's own years;
- ``pages-need-ocr``: pages without a text layer (their figures are missing).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable

from pipeline.schema import AMOUNT_KEY, OKU, place


@dataclass
class Release:
    """What a check reads: the release's records and its meta.json."""
    amounts: list[dict]
    programs: list[dict]
    observations: list[dict]
    meta: dict

    def __post_init__(self):
        self.by_key: dict[tuple, dict] = {}   # a budget by its name (a parent, the total): its first row
        for a in self.amounts:
            self.by_key.setdefault(tuple(str(a[k]) for k in ("program", "budget", "stage", "fiscal_year")), a)
        self.program = {p["program"]: p for p in self.programs}
        self.total_name = next((p["program"] for p in self.programs if p["level"] == "total" and not p["parent"]),
                               None)


CHECKS: dict[str, tuple[str, Callable[[Release], list[dict]]]] = {}


def check(check_id: str, title: str):
    """Register a self-check under its id; ``title`` is what the report names it."""
    def register(fn):
        CHECKS[check_id] = (title, fn)
        return fn
    return register


def self_checks(amounts: list[dict], programs: list[dict], observations: list[dict], meta: dict) -> list[dict]:
    """Every registered check's findings, in registration order."""
    release = Release(amounts, programs, observations, meta)
    found = []
    for title, fn in CHECKS.values():
        found += [{"check": title, **f} for f in fn(release)]
    return found


def _int(v) -> int | None:
    return None if v in ("", None) else int(v)


def _tolerance(parts: list[int]) -> int:
    """Rounding allowance: ±0.5億円 per summand when figures are whole 億円."""
    return len(parts) * OKU // 2 if all(p % OKU == 0 for p in parts) else 0


def sum_check(name: str, total: int, parts: list[tuple[str, int]], complete: bool) -> dict:
    """Compare a total with the sum of its parts.

    >>> sum_check("x", 41 * 10**8, [("a", 14 * 10**8), ("b", 27 * 10**8)], True)["status"]
    'ok'
    >>> parts = [(k, v * 10**8) for k, v in zip("abcde", (43, 1, 70, 2, 59))]   # 175
    >>> sum_check("x", 176 * 10**8, parts, True)["status"]                         # ±2.5 for 5 figures
    'ok'
    >>> sum_check("x", 100 * 10**8, [("a", 120 * 10**8)], False)["status"]
    'error'
    >>> sum_check("x", 95 * 10**8, [("a", 30 * 10**8)], True)["status"]
    'warn'
    """
    s = sum(a for _, a in parts)
    tol = _tolerance([a for _, a in parts])
    gap = total - s
    detail = {"total": total, "sum": s, "gap": gap, "tolerance": tol, "parts": [list(p) for p in parts]}
    if gap == 0:
        return {"status": "ok", "message": f"{name}: parts add up exactly ({s / OKU:g}億円)", **detail}
    if abs(gap) <= tol:
        return {"status": "ok", "message": f"{name}: parts {s / OKU:g}億円 vs total {total / OKU:g}億円, "
                f"within rounding (±{tol / OKU:g}億円 for {len(parts)} figures in whole 億円)", **detail}
    if not complete and s < total:
        return {"status": "ok", "message": f"{name}: listed parts {s / OKU:g}億円 ≤ total {total / OKU:g}億円 "
                "(not every part is listed)", **detail}
    if s < total:
        return {"status": "warn", "message": f"{name}: parts {s / OKU:g}億円 fall short of total "
                f"{total / OKU:g}億円 by {gap / OKU:g}億円, beyond rounding (items not listed?)", **detail}
    return {"status": "error", "message": f"{name}: parts {s / OKU:g}億円 vs total {total / OKU:g}億円 "
            f"differ by {gap / OKU:g}億円, beyond rounding", **detail}




@check("mentions-agree", "mentions agree")
def mentions_agree(r: Release) -> list[dict]:
    """Every mention of a fact (overview and detail slides) states the same figure."""
    out = []
    mentions = defaultdict(list)
    for o in r.observations:
        if o["program"]:   # a figure without an owner is a fact of its own
            mentions[tuple(str(o[k]) for k in AMOUNT_KEY)].append(o)
    for key, obs in mentions.items():
        amounts_seen = {str(o["amount_yen"]) for o in obs}
        pages = [str(p) for p in sorted({int(o["page"]) for o in obs if o["page"] not in ("", None)})]
        if len(amounts_seen) > 1:
            out.append({"status": "error",
                           "message": f"{key[1]} {key[2]}/{key[3]}/{key[4]}: pages disagree: "
                           + "; ".join(f"{place(o)} {int(o['amount_yen']) / OKU:g}億円 ({o['source']!r})" for o in obs)})
        elif len(pages) > 1:
            out.append({"status": "ok",
                           "message": f"{key[1]} {key[2]}/{key[3]}/{key[4]}: same figure on pages {', '.join(pages)}"})

    return out


@check("parts-vs-total", "components vs parent")
def components_vs_parent(r: Release) -> list[dict]:
    """A program's components add up to it, within rounding."""
    out = []
    children = defaultdict(list)
    for a in r.amounts:
        if a["parent"] and r.program.get(a["program"], {}).get("level") == "component":
            children[(a["parent"], a["budget"], a["stage"], str(a["fiscal_year"]))].append(a)
    for (parent, budget, stage, year), parts in sorted(children.items()):
        total = r.by_key.get((parent, budget, stage, year))
        label = f"{parent} {budget}/{stage}/{year}"
        if not total:
            out.append({"status": "info",
                           "message": f"{label}: components sum to {sum(int(p['amount_yen']) for p in parts) / OKU:g}億円; "
                           "the parent states no figure for this stage and year"})
            continue
        c = sum_check(label, int(total["amount_yen"]), [(p["program"], int(p["amount_yen"])) for p in parts],
                      complete=len(parts) > 1)
        out.append(c)

    return out


@check("items-vs-total", "items vs release total")
def items_vs_total(r: Release) -> list[dict]:
    """The overview's listed programs against the release total (supplementary:
    all items listed; initial: the listed items stay within the total)."""
    out = []
    amounts, programs, by_key, total_name = r.amounts, r.programs, r.by_key, r.total_name
    if total_name:
        listed = [p["program"] for p in programs if p["category"] and p["level"] in ("program", "component")]
        for a in amounts:
            if a["program"] != total_name:
                continue
            budget, stage, year = a["budget"], a["stage"], str(a["fiscal_year"])
            parts = [(n, int(by_key[(n, budget, stage, year)]["amount_yen"])) for n in listed
                     if (n, budget, stage, year) in by_key
                     and by_key[(n, budget, stage, year)]["portion"] not in ("true", True)]
            if not parts:
                continue
            complete = budget == "supplementary"
            c = sum_check(f"{total_name} {budget}/{stage}/{year} vs listed programs", int(a["amount_yen"]),
                          parts, complete)
            out.append(c)
    return out


@check("subtotal-within-total", "sub-total ≤ total")
def subtotal_within_total(r: Release) -> list[dict]:
    """A sub-total of the release total (うちAMED) stays within it."""
    out = []
    amounts, programs, by_key, total_name = r.amounts, r.programs, r.by_key, r.total_name
    if total_name:
        for p in programs:   # sub-totals (うちAMED) are part of the total
            if p["level"] == "total" and p["parent"] == total_name:
                for a in amounts:
                    if a["program"] == p["program"]:
                        t = by_key.get((total_name, a["budget"], a["stage"], str(a["fiscal_year"])))
                        if t:
                            out.append({**sum_check(
                                f"{p['program']} {a['budget']}/{a['stage']}/{a['fiscal_year']} within {total_name}",
                                int(t["amount_yen"]), [(p["program"], int(a["amount_yen"]))], False)})
    return out


@check("years-vs-title", "years vs release title")
def years_vs_title(r: Release) -> list[dict]:
    """Every figure in the release's own years (others are listed as info)."""
    out = []
    amounts, meta = r.amounts, r.meta
    year, supp = meta.get("release_year"), meta.get("supplementary_year")
    if year:
        expected = {("initial", "draft"): {year}, ("initial", "request"): {year},
                    ("initial", "enacted"): {year, year - 1}}
        dated = [a for a in amounts if a["fiscal_year"] not in ("", None)]
        odd = [a for a in dated if (a["budget"], a["stage"]) in expected
               and int(a["fiscal_year"]) not in expected[(a["budget"], a["stage"])]]
        odd += [a for a in dated if a["budget"] == "supplementary" and supp and int(a["fiscal_year"]) != supp]
        if odd:
            out.append({"status": "info",
                           "message": f"{len(odd)} figure(s) outside the release's years (initial {year}"
                           + (f", supplementary {supp}" if supp else "") + "): "
                           + "; ".join(f"{a['program']} {a['budget']}/{a['stage']}/{a['fiscal_year']}" for a in odd)})
        else:
            out.append({"status": "ok",
                           "message": f"every figure is in the release's years (initial {year}"
                           + (f", supplementary {supp}" if supp else "") + ")"})
    return out


@check("pages-need-ocr", "pages needing OCR")
def pages_need_ocr(r: Release) -> list[dict]:
    """Pages without a text layer, or image regions, that went unread: their
    figures are missing, so the release cannot pass. Pages read by OCR are
    noted."""
    out = []
    meta = r.meta
    ocr = meta.get("ocr") or {}
    if meta.get("pages_needing_ocr"):
        out.append({"status": "error",
                       "message": f"pages {', '.join(map(str, meta['pages_needing_ocr']))} have no text layer and "
                       + (f"were not read by OCR ({ocr['skipped']})" if ocr.get("skipped") else "OCR found no legible text")
                       + ": their figures are missing from these records"})
    if ocr.get("pictures_unread"):
        out.append({"status": "error",
                       "message": f"the pictures on pages {', '.join(map(str, ocr['pictures_unread']))} were not read by "
                       f"OCR ({ocr['skipped']}): figures drawn as pictures are missing from these records"})
    if ocr.get("pages_read"):
        out.append({"status": "info",
                       "message": f"pages {', '.join(map(str, ocr['pages_read']))} have no text layer and were read "
                       f"by OCR ({ocr['engine']}): their figures carry +ocr in rule"})
    return out
