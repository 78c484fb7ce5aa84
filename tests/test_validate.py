"""Validators: sum checks within rounding, table comparison, and
`python -m pipeline validate` on an output folder written by the CLI."""
from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import RAW_PDF as PDF, repoint, run_cli as run
from pipeline.errors import PipelineError
from pipeline.files import read_csv
from pipeline.validate import AMOUNT_FIELDS, AMOUNT_KEY, compare, compare_golden, golden_dir_for, sum_check, validate_folder

OKU = 10**8


def oku(*values) -> list[tuple[str, int]]:
    return [(f"part{k}", round(v * OKU)) for k, v in enumerate(values)]


# ------------------------------------------------------------ sum_check

@pytest.mark.parametrize("total,parts,complete,status,gap,tol", [
    # exact
    (41, (14, 27), True, "ok", 0, 1.0),
    (41, (14, 27), False, "ok", 0, 1.0),
    # short within rounding: ±0.5億円 per whole-億円 summand
    (176, (43, 1, 70, 2, 59), True, "ok", 1, 2.5),
    (176, (43, 1, 70, 2, 59), False, "ok", 1, 2.5),
    (100, (50, 49), True, "ok", 1, 1.0),          # gap exactly at the tolerance
    # over within rounding
    (100, (50, 51), True, "ok", -1, 1.0),
    (100, (50, 51), False, "ok", -1, 1.0),
    # short beyond rounding: complete list -> warn, incomplete -> ok
    (95, (30,), True, "warn", 65, 0.5),
    (100, (50, 48), True, "warn", 2, 1.0),
    (95, (30,), False, "ok", 65, 0.5),
    (852, (41, 37, 18), False, "ok", 756, 1.5),
    # over beyond rounding -> error, whether or not the list is complete
    (100, (120,), False, "error", -20, 0.5),
    (100, (120,), True, "error", -20, 0.5),
    (100, (50, 52), True, "error", -2, 1.0),
    (100, (50, 52), False, "error", -2, 1.0),
])
def test_sum_check_whole_oku(total, parts, complete, status, gap, tol):
    c = sum_check("x", total * OKU, oku(*parts), complete)
    assert c["status"] == status, c["message"]
    assert c["gap"] == round(gap * OKU)
    assert c["tolerance"] == round(tol * OKU)
    assert c["sum"] == round(sum(parts) * OKU) and c["total"] == total * OKU
    assert c["message"].startswith("x:")


@pytest.mark.parametrize("total,parts,complete,status", [
    (16.5, (8.5, 8.0), True, "ok"),        # exact
    (16.5, (8.5, 7.99), True, "warn"),     # not whole 億円: no rounding allowance
    (16.5, (8.5, 7.99), False, "ok"),
    (16.5, (8.5, 8.01), True, "error"),
])
def test_sum_check_no_tolerance_for_fractional_figures(total, parts, complete, status):
    c = sum_check("y", round(total * OKU), oku(*parts), complete)
    assert c["tolerance"] == 0
    assert c["status"] == status, c["message"]


def test_sum_check_keeps_the_parts():
    parts = oku(43, 1)
    c = sum_check("z", 44 * OKU, parts, True)
    assert c["parts"] == [list(p) for p in parts]


# ------------------------------------------------------------ compare

GOT = [
    {"program": "A事業", "budget": "initial", "stage": "draft", "fiscal_year": 2026, "parent": "",
     "amount_yen": 100, "new": True, "portion": False, "approx": False, "page": 3},
    {"program": "A事業", "budget": "initial", "stage": "enacted", "fiscal_year": 2025, "parent": "",
     "amount_yen": 90, "new": False, "portion": False, "approx": False, "page": 3},
    {"program": "B事業", "budget": "initial", "stage": "draft", "fiscal_year": 2026, "parent": "",
     "amount_yen": 50, "new": False, "portion": True, "approx": False, "page": 4},
    {"program": "C事業", "budget": "supplementary", "stage": "enacted", "fiscal_year": 2025, "parent": "",
     "amount_yen": 7, "new": False, "portion": False, "approx": False, "page": 5},
]
# as read from a CSV: every value a string, booleans true/false
WANT = [
    {"program": "A事業", "budget": "initial", "stage": "draft", "fiscal_year": "2026", "parent": "",
     "amount_yen": "100", "new": "true", "portion": "false", "approx": "false", "page": "3"},
    {"program": "A事業", "budget": "initial", "stage": "enacted", "fiscal_year": "2025", "parent": "",
     "amount_yen": "95", "new": "false", "portion": "false", "approx": "false", "page": "3"},
    {"program": "B事業", "budget": "initial", "stage": "draft", "fiscal_year": "2026", "parent": "",
     "amount_yen": "50", "new": "false", "portion": "false", "approx": "false", "page": "6"},
    {"program": "D事業", "budget": "initial", "stage": "draft", "fiscal_year": "2026", "parent": "",
     "amount_yen": "12", "new": "false", "portion": "false", "approx": "false", "page": "7"},
]


def test_compare_reports_missing_extra_and_mismatches():
    r = compare(GOT, WANT, AMOUNT_KEY, AMOUNT_FIELDS)
    # (parent, program, budget, supplementary round, stage, year)
    assert r["missing"] == [["", "D事業", "initial", "", "draft", "2026"]]
    assert r["extra"] == [["", "C事業", "supplementary", "", "enacted", "2025"]]
    assert r["compared"] == 3
    assert [(m["key"][1], m["field"], m["expected"], m["got"]) for m in r["mismatches"]] == [
        ("A事業", "amount_yen", "95", "90"),
        ("B事業", "page", "6", "4"),
        ("B事業", "portion", "false", "true"),
    ]


def test_compare_equal_tables():
    r = compare(GOT, GOT, AMOUNT_KEY, AMOUNT_FIELDS)
    assert (r["missing"], r["extra"], r["mismatches"], r["compared"]) == ([], [], [], len(GOT))


def test_compare_typed_rows_equal_their_csv_form():
    typed = [GOT[0]]
    as_csv = [dict(WANT[0])]
    assert compare(typed, as_csv, AMOUNT_KEY, AMOUNT_FIELDS)["mismatches"] == []


def write_golden(folder: Path, amounts: list[dict]) -> None:
    folder.mkdir(parents=True)
    cols = ["program", "parent", "budget", "stage", "fiscal_year", "amount_yen", "new", "portion", "approx", "page"]
    with open(folder / "amounts.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, cols)
        w.writeheader()
        w.writerows(amounts)
    (folder / "programs.csv").write_text(
        "program,parent,level,category,period_start,period_end,office,predecessor\n"
        "A事業,,program,,,,,\n", encoding="utf-8")


def test_compare_golden_compares_page_only_when_paged(tmp_path):
    golden = tmp_path / "g"
    write_golden(golden, [dict(WANT[0], page="9")])
    programs = [{"program": "A事業", "parent": "", "level": "program", "category": "", "period_start": None,
                 "period_end": None, "office": "", "predecessor": ""}]
    paged = compare_golden([GOT[0]], programs, golden, paged=True)
    assert not paged["ok"]
    assert [m["field"] for m in paged["amounts"]["mismatches"]] == ["page"]
    assert compare_golden([GOT[0]], programs, golden, paged=False)["ok"]


# ------------------------------------------------------------ the CLI on the bundled PDF

@pytest.fixture(scope="module")
def extracted(bundled):
    return bundled["pdf"]


@pytest.fixture
def release(extracted, tmp_path):
    """A private copy of the extracted folder (tests edit meta.json)."""
    folder = tmp_path / extracted.name
    shutil.copytree(extracted, folder)
    repoint(folder, extracted)
    return folder


def test_extract_validation_passes_against_the_golden(extracted):
    report = json.loads((extracted / "validation.json").read_text(encoding="utf-8"))
    assert report["status"] == "passed"
    assert report["golden"] is not None and report["golden"]["ok"] is True
    assert (extracted.parent / report["golden"]["golden"]).resolve() == golden_dir_for(PDF)   # (relative to the output)
    assert report["golden"]["amounts"]["compared"] == len(read_csv(golden_dir_for(PDF) / "amounts.csv"))
    assert not [c for c in report["checks"] if c["status"] == "error"]
    md = (extracted / "validation.md").read_text(encoding="utf-8")
    assert md.startswith(f"# Validation of {PDF.stem}: PASSED")


def test_validate_command_passes(release):
    r = run("validate", release)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "golden: match" in r.stdout


def edited_golden(release: Path, tmp_path: Path) -> tuple[Path, dict]:
    """A copy of the hand-written golden with one amount changed by 1億円."""
    source = golden_dir_for(PDF)
    golden = tmp_path / "golden-edited"
    shutil.copytree(source, golden)
    with open(golden / "amounts.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
        fields = list(rows[0])
    row = next(r for r in rows if r["program"] not in ("総額", "AMED") and r["budget"] == "initial")
    original = dict(row)
    row["amount_yen"] = str(int(row["amount_yen"]) + OKU)
    with open(golden / "amounts.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(rows)
    meta = json.loads((release / "meta.json").read_text(encoding="utf-8"))
    meta["golden"] = str(golden)
    (release / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return golden, original


def test_validate_command_fails_on_a_golden_mismatch(release, tmp_path):
    golden, row = edited_golden(release, tmp_path)
    r = run("validate", release)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "MISMATCH" in r.stdout
    report = json.loads((release / "validation.json").read_text(encoding="utf-8"))
    assert report["status"] == "failed" and report["golden"]["ok"] is False
    assert report["golden"]["golden"] == str(golden)
    mism = report["golden"]["amounts"]["mismatches"]
    assert [(m["key"][1], m["field"]) for m in mism] == [(row["program"], "amount_yen")]   # (parent, program, …)
    assert mism[0]["got"] == row["amount_yen"]
    assert mism[0]["expected"] == str(int(row["amount_yen"]) + OKU)
    md = (release / "validation.md").read_text(encoding="utf-8")
    assert "FAILED" in md.splitlines()[0]
    lines = [ln for ln in md.splitlines() if row["program"] in ln and "amount_yen" in ln]
    assert len(lines) == 1, md
    assert str(int(row["amount_yen"]) + OKU) in lines[0] and row["amount_yen"] in lines[0]


def test_validate_folder_without_golden(release):
    meta = json.loads((release / "meta.json").read_text(encoding="utf-8"))
    meta["golden"] = None
    (release / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    report = validate_folder(release)
    assert report["golden"] is None and report["status"] == "passed"
    assert "No hand-verified golden" in (release / "validation.md").read_text(encoding="utf-8")


def test_validate_folder_refuses_a_folder_without_outputs(tmp_path):
    with pytest.raises(PipelineError) as e:
        validate_folder(tmp_path)
    assert e.value.exit_code == 3 and "meta.json" in str(e.value)


def test_validate_command_on_a_folder_without_outputs(tmp_path):
    r = run("validate", tmp_path)
    assert r.returncode == 3
    assert r.stderr.startswith("error:") and "Traceback" not in r.stderr


def test_supplementary_items_vs_total_within_rounding(extracted):
    """176億円 total vs its listed supplementary items: within ±0.5億円 per item."""
    amounts = read_csv(extracted / "amounts.csv")
    programs = read_csv(extracted / "programs.csv")
    total_name = next(p["program"] for p in programs if p["level"] == "total" and not p["parent"])
    (total,) = [a for a in amounts if a["program"] == total_name and a["budget"] == "supplementary"]
    listed = {p["program"] for p in programs if p["category"] and p["level"] in ("program", "component")}
    items = [a for a in amounts if a["program"] in listed and a["budget"] == "supplementary"
             and a["fiscal_year"] == total["fiscal_year"] and a["stage"] == total["stage"]
             and a["portion"] != "true"]
    expected_gap = int(total["amount_yen"]) - sum(int(a["amount_yen"]) for a in items)
    expected_tol = len(items) * OKU // 2

    report = json.loads((extracted / "validation.json").read_text(encoding="utf-8"))
    (check,) = [c for c in report["checks"] if c["check"] == "items vs release total"
                and c["message"].startswith(f"{total_name} supplementary/")]
    assert check["status"] == "ok"
    assert check["gap"] == expected_gap == 1 * OKU
    assert check["tolerance"] == expected_tol == 25 * OKU // 10
    assert check["total"] == int(total["amount_yen"]) == 176 * OKU
    assert check["sum"] == 175 * OKU
    assert sorted(p for p, _ in check["parts"]) == sorted(a["program"] for a in items)
    assert "within rounding" in check["message"]


def test_years_are_the_release_years(extracted):
    report = json.loads((extracted / "validation.json").read_text(encoding="utf-8"))
    (check,) = [c for c in report["checks"] if c["check"] == "years vs release title"]
    assert check["status"] == "info"   # 152億円 of 令和5年度補正 is outside the release's years
    assert "2023" in check["message"]


def test_disagreeing_mentions_are_placed_by_line_in_unpaged_text():
    """A figure stated twice with two amounts: the finding says where each
    mention is — its page, or in unpaged text its line — never ``p-``."""
    from pipeline.consistency import self_checks
    mention = {"parent": "", "program": "X事業", "budget": "initial", "supplementary_round": "", "stage": "draft",
               "fiscal_year": "2026", "page": "",
               "source": "X事業 10億円"}
    observations = [{**mention, "amount_yen": "1000000000", "line": "12"},
                    {**mention, "amount_yen": "1100000000", "line": "40", "source": "X事業 11億円"}]
    findings = [f for f in self_checks([], [], observations, {"pages": None}) if f["check"] == "mentions agree"]
    assert [f["status"] for f in findings] == ["error"]
    assert "line 12 10億円" in findings[0]["message"] and "line 40 11億円" in findings[0]["message"]
    assert "p-" not in findings[0]["message"]
