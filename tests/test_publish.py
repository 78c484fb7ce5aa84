"""The accumulated database and the data package, built by `python -m pipeline
publish` over release output folders."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from conftest import NEXT_YEAR_TEXT, RAW_PDF, RAW_TEXT, ROOT, copy_release, run_cli as cli
from pipeline.files import read_csv
from pipeline.publish import lineage

INPUTS = [RAW_PDF, RAW_TEXT, NEXT_YEAR_TEXT]


@pytest.fixture(scope="module")
def out(bundled, tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    for folder in bundled.values():
        copy_release(folder, out)
    r = cli("publish", "--out", out)
    assert r.returncode == 0, r.stderr
    return out


def query(out: Path, sql: str):
    with duckdb.connect(str(out / "budget.duckdb"), read_only=True) as con:
        return con.sql(sql).fetchall()


def test_database_holds_every_release_row(out):
    for table in ("amounts", "programs", "observations"):
        expected = sum(len(read_csv(out / p.stem / f"{table}.csv")) for p in INPUTS)
        assert query(out, f"SELECT count(*) FROM {table}")[0][0] == expected


def test_rebuilding_is_idempotent(out):
    before = query(out, "SELECT * FROM amounts ORDER BY ALL")
    assert cli("publish", "--out", out).returncode == 0
    assert cli("publish", "--out", out).returncode == 0
    assert query(out, "SELECT * FROM amounts ORDER BY ALL") == before


def test_series_takes_one_input_per_release(out):
    """The PDF and the text of the same release are one release in the series."""
    rows = query(out, "SELECT release_group, budget, stage, fiscal_year, count(*) FROM program_series "
                      "GROUP BY ALL HAVING count(*) > 1 AND min(series) = max(series) "
                      "AND count(DISTINCT program) = 1")
    assert rows == []
    kinds = dict(query(out, "SELECT release_group, kind FROM preferred_inputs"))
    assert kinds["mext-lifescience-r8-draft-2026-01-20"] == "pdf"


def test_series_follows_a_rename_declared_by_a_predecessor_note(out):
    """The R9 fixture renames ライフサイエンス研究基盤整備事業 with 「※令和8年度は…で実施」:
    both names belong to one series, whose figures come from both releases."""
    r9_programs = {p["program"]: p for p in read_csv(out / INPUTS[2].stem / "programs.csv")}
    new_name = next(n for n, p in r9_programs.items() if p["predecessor"] == "ライフサイエンス研究基盤整備事業")
    rows = query(out, "SELECT DISTINCT series, program, release_group FROM program_series "
                      f"WHERE program IN ('ライフサイエンス研究基盤整備事業', '{new_name}')")
    assert {r[0] for r in rows} == {new_name}
    assert {r[2] for r in rows} == {"mext-lifescience-r8-draft-2026-01-20",
                                    "mext-lifescience-r9-draft-2027-01-19-text"}


def test_lineage_stops_at_a_split():
    programs = [{"program": "B1", "predecessor": "A"}, {"program": "B2", "predecessor": "A"},
                {"program": "C", "predecessor": "B1"}]
    assert lineage(programs, []) == {"B1": "C"}


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Database", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_readme_shows_three_queries_and_each_answers(out):
    queries = readme_queries()
    assert len(queries) == 3
    for sql in queries:
        assert query(out, sql), sql


def test_datapackage_validates_with_frictionless(out):
    from frictionless import validate
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note", "rowNumber", "fieldName"])[:10]


def test_datapackage_describes_types_enums_and_keys(out):
    import json
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert names == {f"{p.stem}-{t}".lower() for p in INPUTS for t in ("amounts", "programs")}
    amounts = next(r for r in package["resources"] if r["name"].endswith("-amounts"))
    fields = {f["name"]: f for f in amounts["schema"]["fields"]}
    assert list(fields) == ["release", "program", "parent", "level", "budget", "supplementary_round", "stage",
                            "fiscal_year", "fiscal_year_label", "amount_yen", "amount_oku", "new", "portion", "approx",
                            "plus_unquantified", "page", "source", "rule", "check"]
    assert fields["check"]["constraints"]["enum"] == ["golden", "witnessed", "single", "conflict"]
    assert fields["budget"]["constraints"]["enum"] == ["initial", "supplementary"]
    assert fields["stage"]["constraints"]["enum"] == ["request", "draft", "enacted"]
    assert fields["amount_yen"]["type"] == "integer" and fields["portion"]["type"] == "boolean"
    assert amounts["schema"]["primaryKey"] == ["release", "program", "budget", "stage", "fiscal_year"]


def test_a_broken_row_fails_the_package_validation(out, tmp_path):
    """The schema is not decoration: an unknown stage makes validation fail."""
    import shutil

    from frictionless import validate
    copy = tmp_path / "pkg"
    shutil.copytree(out, copy, ignore=shutil.ignore_patterns("*.duckdb", "*.parquet", "pages.*"))
    path = copy / INPUTS[0].stem / "amounts.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",draft,", ",proposal,", 1), encoding="utf-8-sig")
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "constraint-error" in {e[0] for e in report.flatten(["type"])}


def test_workbook_holds_every_amount_cell_by_cell(out):
    """output/budget.xlsx, opened back with openpyxl: the amounts sheet is every
    release's amounts.csv, cell by cell, under two header rows (names, Japanese)."""
    import csv

    import openpyxl

    from pipeline.schema import JAPANESE
    book = openpyxl.load_workbook(out / "budget.xlsx")
    assert book.sheetnames == ["amounts", "programs", "observations", "releases"]
    sheet = book["amounts"]
    rows = []
    for p in sorted(INPUTS, key=lambda p: p.stem):
        with open(out / p.stem / "amounts.csv", encoding="utf-8-sig", newline="") as f:
            rows += list(csv.DictReader(f))
    header = [c.value for c in sheet[1]]
    assert header == list(rows[0]) and [c.value for c in sheet[2]] == [JAPANESE[c] for c in header]
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref.startswith("A2:")
    assert sheet.max_row == len(rows) + 2
    for r, want in enumerate(rows, start=3):
        for k, name in enumerate(header, start=1):
            got = sheet.cell(r, k).value
            text = "" if got is None else ("true" if got is True else "false" if got is False else str(got))
            if name == "amount_oku" and got is not None:
                text = str(Decimal(str(got)).normalize()) if "." in str(got) else str(got)
                assert Decimal(want[name]) == Decimal(text), (r, name)
                continue
            assert text == want[name], (r, name, got, want[name])
    assert sheet.cell(3, header.index("amount_oku") + 1).number_format == 'General"億円"'


def test_json_outputs_match_their_json_schemas(out):
    import json

    import jsonschema
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["schema_version"] == 2
    for table, rel in package["json_schemas"].items():
        schema = json.loads((out / rel).read_text(encoding="utf-8"))
        for p in INPUTS:
            records = json.loads((out / p.stem / f"{table}.json").read_text(encoding="utf-8"))
            jsonschema.validate(records, schema)
            broken = [dict(records[0], amount_yen="12億円")] if table == "amounts" else [{"release": 1}]
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(broken, schema)
