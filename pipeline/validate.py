"""Validators: a release's records against a hand-verified golden, and against
itself (overview vs. detail slides, parts vs. totals within rounding, years
vs. the release title). A conflict is reported, never silently resolved."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.outputs import write_json
from pipeline.schema import CHECKS
from pipeline.tables import csv_value, read_csv

PROJECT = Path(__file__).resolve().parent.parent
OKU = 100_000_000
AMOUNT_KEY = ("program", "budget", "stage", "fiscal_year")
AMOUNT_FIELDS = ("parent", "amount_yen", "new", "portion", "approx", "plus_unquantified", "page")
PROGRAM_FIELDS = ("parent", "level", "category", "period_start", "period_end", "office", "predecessor")


# ------------------------------------------------------------------ golden

def source_entry(input_path: Path) -> tuple[dict | None, Path | None]:
    """(entry, manifest path) of an input in the sources.json beside it."""
    input_path = Path(input_path)
    manifest = input_path.parent / "sources.json"
    if not manifest.exists():
        return None, None
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8")).get("inputs", [])
    except (OSError, ValueError) as e:
        raise PipelineError(f"{manifest}: not a readable source manifest ({e})", 2) from e
    return next((e for e in entries if e.get("file") == input_path.name), None), manifest


def golden_dir_for(input_path: Path) -> Path | None:
    """The hand-verified golden of an input, from the sources.json beside it:
    ``golden`` of its entry (a folder with amounts.csv and programs.csv),
    ``expected`` (an amounts file alone), else tests/golden/<release>."""
    entry, manifest = source_entry(input_path)
    if not entry:
        return None
    if entry.get("expected"):
        path = (manifest.parent / entry["expected"]).resolve()
        return path if path.is_file() else None
    if entry.get("golden"):
        path = (manifest.parent / entry["golden"]).resolve()
    else:
        path = PROJECT / "tests" / "golden" / entry.get("release", Path(input_path).stem)
    return path if path.is_dir() else None


def golden_files(golden: Path) -> tuple[Path, Path | None]:
    """(amounts file, programs file or None) of a golden folder or file."""
    golden = Path(golden)
    if golden.is_file():
        return golden, None
    return golden / "amounts.csv", golden / "programs.csv"


def _norm(value) -> str:
    return csv_value(value) if not isinstance(value, str) else value


def compare(got: list[dict], want: list[dict], key: tuple, fields: tuple) -> dict:
    """Field-by-field comparison of two tables keyed by ``key``."""
    g = {tuple(_norm(r[k]) for k in key): r for r in got}
    w = {tuple(_norm(r[k]) for k in key): r for r in want}
    mismatches = []
    for k in w.keys() & g.keys():
        for f in fields:
            if _norm(g[k].get(f, "")) != _norm(w[k].get(f, "")):
                mismatches.append({"key": list(k), "field": f, "expected": _norm(w[k].get(f, "")),
                                   "got": _norm(g[k].get(f, ""))})
    return {"missing": [list(k) for k in w if k not in g],
            "extra": [list(k) for k in g if k not in w],
            "mismatches": sorted(mismatches, key=lambda m: (m["key"], m["field"])),
            "compared": len(w.keys() & g.keys())}


def _fields(rows: list[dict], fields: tuple, paged: bool) -> tuple:
    """The fields a golden holds (an older golden has no plus_unquantified column)."""
    have = set(rows[0]) if rows else set(fields)
    return tuple(f for f in fields if f in have and (paged or f != "page"))


def compare_golden(amounts: list[dict], programs: list[dict], golden: Path, paged: bool) -> dict:
    amounts_file, programs_file = golden_files(golden)
    want_amounts = read_csv(amounts_file)
    out = {"golden": str(golden),
           "amounts": compare(amounts, want_amounts, AMOUNT_KEY, _fields(want_amounts, AMOUNT_FIELDS, paged))}
    tables = ["amounts"]
    if programs_file is not None:
        out["programs"] = compare(programs, read_csv(programs_file), ("program",), PROGRAM_FIELDS)
        tables.append("programs")
    out["ok"] = all(not out[t][k] for t in tables for k in ("missing", "extra", "mismatches"))
    return out


def mark_golden(amounts: list[dict], golden: Path, paged: bool) -> None:
    """Set ``check`` against a hand-verified golden: ``golden`` for a fact it
    holds with every field equal; ``conflict`` for one it holds otherwise or
    does not hold at all (an unlabelled figure is never ``golden``)."""
    want_rows = read_csv(golden_files(golden)[0])
    fields = _fields(want_rows, AMOUNT_FIELDS, paged)
    want = {tuple(_norm(r[k]) for k in AMOUNT_KEY): r for r in want_rows}
    for a in amounts:
        w = want.get(tuple(_norm(a[k]) for k in AMOUNT_KEY))
        if w is None or any(_norm(a.get(f, "")) != _norm(w.get(f, "")) for f in fields):
            a["check"] = "conflict"
        elif a["check"] != "conflict":
            a["check"] = "golden"


# ---------------------------------------------------------- self-consistency

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


def self_checks(amounts: list[dict], programs: list[dict], observations: list[dict], meta: dict) -> list[dict]:
    checks = []
    by_key = {tuple(str(a[k]) for k in AMOUNT_KEY): a for a in amounts}
    prog = {p["program"]: p for p in programs}
    total_name = next((p["program"] for p in programs if p["level"] == "total" and not p["parent"]), None)

    # 1. every mention of a fact agrees (overview vs detail slides)
    mentions = defaultdict(list)
    for o in observations:
        if o["program"]:   # a figure without an owner is a fact of its own
            mentions[tuple(str(o[k]) for k in AMOUNT_KEY)].append(o)
    for key, obs in mentions.items():
        amounts_seen = {str(o["amount_yen"]) for o in obs}
        pages = [str(p) for p in sorted({int(o["page"]) for o in obs if o["page"] not in ("", None)})]
        if len(amounts_seen) > 1:
            checks.append({"check": "mentions agree", "status": "error",
                           "message": f"{key[0]} {key[1]}/{key[2]}/{key[3]}: pages disagree: "
                           + "; ".join(f"p{o['page'] or '-'} {int(o['amount_yen']) / OKU:g}億円 ({o['source']!r})" for o in obs)})
        elif len(pages) > 1:
            checks.append({"check": "mentions agree", "status": "ok",
                           "message": f"{key[0]} {key[1]}/{key[2]}/{key[3]}: same figure on pages {', '.join(pages)}"})

    # 2. components vs their parent
    children = defaultdict(list)
    for a in amounts:
        if a["parent"] and prog.get(a["program"], {}).get("level") == "component":
            children[(a["parent"], a["budget"], a["stage"], str(a["fiscal_year"]))].append(a)
    for (parent, budget, stage, year), parts in sorted(children.items()):
        total = by_key.get((parent, budget, stage, year))
        label = f"{parent} {budget}/{stage}/{year}"
        if not total:
            checks.append({"check": "components vs parent", "status": "info",
                           "message": f"{label}: components sum to {sum(int(p['amount_yen']) for p in parts) / OKU:g}億円; "
                           "the parent states no figure for this stage and year"})
            continue
        c = sum_check(label, int(total["amount_yen"]), [(p["program"], int(p["amount_yen"])) for p in parts],
                      complete=len(parts) > 1)
        checks.append({"check": "components vs parent", **c})

    # 3. overview programs vs the release total (supplementary: all listed items; initial: parts ≤ total)
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
            checks.append({"check": "items vs release total", **c})
        for p in programs:   # sub-totals (うちAMED) are part of the total
            if p["level"] == "total" and p["parent"] == total_name:
                for a in amounts:
                    if a["program"] == p["program"]:
                        t = by_key.get((total_name, a["budget"], a["stage"], str(a["fiscal_year"])))
                        if t:
                            checks.append({"check": "sub-total ≤ total", **sum_check(
                                f"{p['program']} {a['budget']}/{a['stage']}/{a['fiscal_year']} within {total_name}",
                                int(t["amount_yen"]), [(p["program"], int(a["amount_yen"]))], False)})

    # 4. fiscal years consistent with the release's own years
    year, supp = meta.get("release_year"), meta.get("supplementary_year")
    if year:
        expected = {("initial", "draft"): {year}, ("initial", "request"): {year},
                    ("initial", "enacted"): {year, year - 1}}
        dated = [a for a in amounts if a["fiscal_year"] not in ("", None)]
        odd = [a for a in dated if (a["budget"], a["stage"]) in expected
               and int(a["fiscal_year"]) not in expected[(a["budget"], a["stage"])]]
        odd += [a for a in dated if a["budget"] == "supplementary" and supp and int(a["fiscal_year"]) != supp]
        if odd:
            checks.append({"check": "years vs release title", "status": "info",
                           "message": f"{len(odd)} figure(s) outside the release's years (initial {year}"
                           + (f", supplementary {supp}" if supp else "") + "): "
                           + "; ".join(f"{a['program']} {a['budget']}/{a['stage']}/{a['fiscal_year']}" for a in odd)})
        else:
            checks.append({"check": "years vs release title", "status": "ok",
                           "message": f"every figure is in the release's years (initial {year}"
                           + (f", supplementary {supp}" if supp else "") + ")"})
    if meta.get("pages_needing_ocr"):
        checks.append({"check": "pages needing OCR", "status": "warn",
                       "message": f"pages {', '.join(map(str, meta['pages_needing_ocr']))} have no text layer: "
                       "their figures are missing from these records"})
    return checks


# ------------------------------------------------------------------ report

def conflict_reasons(amounts: list[dict], report: dict) -> list[str]:
    """Why each figure marked ``conflict`` is one, for the report."""
    golden = report.get("golden") or {}
    golden_keys = {tuple(m["key"]) for m in (golden.get("amounts") or {}).get("mismatches", [])}
    extra = {tuple(k) for k in (golden.get("amounts") or {}).get("extra", [])}
    out = []
    for a in amounts:
        if a.get("check") != "conflict":
            continue
        key = tuple(_norm(a[k]) for k in AMOUNT_KEY)
        what = f"{a['program'] or '(no owner)'} {a['budget']}/{a['stage'] or '?'}/{a['fiscal_year'] or '?'} " \
               f"{int(a['amount_yen']) / OKU:g}億円 ({a['source']!r}"
        what += f", p{a['page']})" if a.get("page") not in ("", None) else ")"
        if not a["program"]:
            why = "no program could be determined for it"
        elif a["stage"] in ("", None) or a["fiscal_year"] in ("", None):
            why = "its stage or fiscal year could not be determined"
        elif key in golden_keys:
            why = "it differs from the golden"
        elif key in extra:
            why = "the golden does not hold it"
        else:
            why = "a self-consistency check failed on it (see below)"
        out.append(f"{what}: {why}")
    return out


def validate_folder(folder: Path, write: bool = True) -> dict:
    """Validate an output folder (amounts.csv, programs.csv, observations.csv, meta.json)."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        amounts = read_csv(folder / "amounts.csv")
        programs = read_csv(folder / "programs.csv")
        observations = read_csv(folder / "observations.csv")
    except FileNotFoundError as e:
        raise PipelineError(f"{folder}: not a release output folder (missing {Path(e.filename).name}; "
                            "run extract first)", 3) from e
    except (OSError, ValueError) as e:
        raise PipelineError(f"{folder}: unreadable output ({e})", 3) from e
    report = {"release": meta["release"], "input": meta["input"], "input_sha256": meta["input_sha256"],
              "facts": len(amounts), "programs": len(programs)}
    golden = meta.get("golden")
    report["golden"] = (compare_golden(amounts, programs, Path(golden), meta.get("pages") is not None)
                        if golden and Path(golden).exists() else None)
    report["checks"] = self_checks(amounts, programs, observations, meta)
    report["checked"] = {c: sum(a.get("check") == c for a in amounts) for c in CHECKS}
    report["conflicts"] = conflict_reasons(amounts, report)
    errors = sum(c["status"] == "error" for c in report["checks"]) + report["checked"]["conflict"]
    if report["golden"] and not report["golden"]["ok"]:
        errors += 1
    report["status"] = "failed" if errors else "passed"
    if write:
        write_json(folder / "validation.json", report)
        (folder / "validation.md").write_text(report_markdown(report), encoding="utf-8")
    return report


def report_markdown(report: dict) -> str:
    out = [f"# Validation of {report['release']}: {report['status'].upper()}", "",
           f"Input `{report['input']}` (sha256 `{report['input_sha256']}`): {report['facts']} facts, "
           f"{report['programs']} programs.", ""]
    g = report["golden"]
    out.append("## Golden comparison")
    if not g:
        out.append("No hand-verified golden for this release.")
    else:
        out.append(f"Against `{g['golden']}`: " + ("all rows and fields match." if g["ok"] else "MISMATCH."))
        for table in [t for t in ("amounts", "programs") if t in g]:
            t = g[table]
            out.append(f"- {table}: {t['compared']} rows compared, {len(t['missing'])} missing, "
                       f"{len(t['extra'])} extra, {len(t['mismatches'])} field mismatches")
            out += [f"  - missing: {' / '.join(map(str, k))}" for k in t["missing"]]
            out += [f"  - extra: {' / '.join(map(str, k))}" for k in t["extra"]]
            out += [f"  - {' / '.join(map(str, m['key']))}: {m['field']} expected `{m['expected']}`, got `{m['got']}`"
                    for m in t["mismatches"]]
    checked = report.get("checked") or {}
    out += ["", "## How far each figure is checked", "",
            ", ".join(f"{checked.get(c, 0)} {c}" for c in CHECKS) + " (amounts.csv column `check`)."]
    for reason in report.get("conflicts", []):
        out.append(f"- **conflict**: {reason}")
    out += ["", "## Self-consistency", ""]
    for status in ("error", "warn", "info", "ok"):
        for c in report["checks"]:
            if c["status"] == status:
                out.append(f"- **{status}** ({c['check']}): {c['message']}")
    return "\n".join(out) + "\n"
