"""Validators: a release's records against a hand-verified golden, and against
itself (overview vs. detail slides, parts vs. totals within rounding, years
vs. the release title). A conflict is reported, never silently resolved."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.consistency import self_checks, sum_check  # noqa: F401 (sum_check: callers use it here)
from pipeline.files import csv_value, read_csv, recorded_path, write_json
from pipeline.release_folder import read_release_folder
from pipeline.schema import AMOUNT_KEY, CHECKS, OKU
from pipeline.sources import golden_dir_for, golden_files, source_entry  # noqa: F401 (callers look them up here)

AMOUNT_FIELDS = ("parent", "amount_yen", "new", "portion", "approx", "plus_unquantified", "page")
PROGRAM_FIELDS = ("parent", "level", "category", "period_start", "period_end", "office", "predecessor")


# ------------------------------------------------------------------ golden

def _norm(value) -> str:
    return csv_value(value) if not isinstance(value, str) else value


def compare(got: list[dict], want: list[dict], key: tuple, fields: tuple) -> dict:
    """Field-by-field comparison of two tables keyed by ``key``."""
    g = {tuple(_norm(r.get(k)) for k in key): r for r in got}
    w = {tuple(_norm(r.get(k)) for k in key): r for r in want}   # (a golden may predate a key column)
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


def compare_golden(amounts: list[dict], programs: list[dict], golden: Path, paged: bool,
                   shown: str | None = None) -> dict:
    """The release's tables against the golden; ``shown`` is how the report
    names the golden (as meta.json does: relative to the output folder)."""
    amounts_file, programs_file = golden_files(golden)
    want_amounts = read_csv(amounts_file)
    out: dict[str, Any] = {"golden": shown or str(golden),
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
    want = {tuple(_norm(r.get(k)) for k in AMOUNT_KEY): r for r in want_rows}
    for a in amounts:
        w = want.get(tuple(_norm(a.get(k)) for k in AMOUNT_KEY))
        if w is None or any(_norm(a.get(f, "")) != _norm(w.get(f, "")) for f in fields):
            a["check"] = "conflict"
        elif a["check"] != "conflict":
            a["check"] = "golden"


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
        key = tuple(_norm(a.get(k)) for k in AMOUNT_KEY)
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
    release = read_release_folder(folder)   # the whole folder, checked, or a one-line InputError
    meta, amounts, programs, observations = release.meta, release.amounts, release.programs, release.observations
    report = {"release": meta["release"], "input": meta["input"], "input_sha256": meta["input_sha256"],
              "facts": len(amounts), "programs": len(programs)}
    golden = recorded_path(meta["golden"], folder) if meta.get("golden") else None
    report["golden"] = (compare_golden(amounts, programs, golden, meta.get("pages") is not None, meta["golden"])
                        if golden and golden.exists() else None)
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
