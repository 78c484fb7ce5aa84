"""The new-release workflow: `extract DIR` reads every release file of a
folder; a file its sources.json does not list is added to it (sha256, kind)
with a warning; `publish` leaves out releases whose folder or input is gone.

The inputs are two real pages of tests/fixtures/realtext/ under new names;
what is checked is the bookkeeping around them, not their figures.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import FIXTURES, ROOT, run_cli

PAGES = FIXTURES / "realtext"


def new_folder(tmp_path: Path, manifest: bool = True) -> Path:
    """raw/ as a user has it after downloading two releases: a sources.json
    that lists neither, the two text files, a spreadsheet of notes and a hidden file."""
    raw = tmp_path / "raw"
    raw.mkdir()
    if manifest:
        (raw / "sources.json").write_text('{"inputs": []}\n', encoding="utf-8")
    shutil.copy2(PAGES / "001.txt", raw / "alpha.txt")
    shutil.copy2(PAGES / "002.txt", raw / "beta.txt")
    (raw / "notes.csv").write_text("not,a,release\n", encoding="utf-8")
    (raw / ".draft.txt").write_text("令和8年度予算額 1億円\n", encoding="utf-8")
    return raw


def releases_in(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [r[0] for r in con.execute("select release from releases order by release").fetchall()]


def test_extract_a_folder_registers_new_files_and_publish_drops_what_is_gone(tmp_path):
    raw, out = new_folder(tmp_path), tmp_path / "output"
    r = run_cli("extract", raw, "--out", out, "--lenient", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["alpha", "beta"]   # not notes, not .draft

    added = [line for line in r.stderr.splitlines() if "not listed in" in line]
    assert len(added) == 2 and all(line.startswith("warning: ") for line in added), r.stderr
    entries = {e["file"]: e for e in json.loads((raw / "sources.json").read_text(encoding="utf-8"))["inputs"]}
    assert sorted(entries) == ["alpha.txt", "beta.txt"]
    for name, entry in entries.items():
        assert entry["sha256"] == hashlib.sha256((raw / name).read_bytes()).hexdigest()
        assert (entry["release"], entry["kind"]) == (Path(name).stem, "text")
        assert json.loads((out / entry["release"] / "meta.json").read_text(encoding="utf-8"))["kind"] == "text"

    manifest = (raw / "sources.json").read_bytes()
    again = run_cli("extract", raw, "--out", out, "--lenient", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "not listed in" not in again.stderr
    assert (raw / "sources.json").read_bytes() == manifest   # listed once, never twice

    assert run_cli("publish", "--out", out, cwd=tmp_path).returncode == 0
    assert releases_in(out / "budget.duckdb") == ["alpha", "beta"]

    (raw / "beta.txt").unlink()                 # the input removed from raw/
    shutil.rmtree(out / "alpha")                # and a release folder deleted
    shutil.copy2(PAGES / "003.txt", raw / "gamma.txt")
    assert run_cli("extract", raw / "gamma.txt", "--out", out, "--lenient", cwd=tmp_path).returncode == 0
    p = run_cli("publish", "--out", out, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert "its input" in p.stderr and "is gone" in p.stderr
    db = out / "budget.duckdb"
    assert releases_in(db) == ["gamma"]
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from amounts where release <> 'gamma'").fetchone() == (0,)
        assert con.execute("select count(*) from amounts").fetchone()[0] > 0


def test_a_folder_without_sources_json_gets_none(tmp_path):
    raw = new_folder(tmp_path, manifest=False)
    r = run_cli("extract", raw, "--out", tmp_path / "output", "--lenient", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "not listed in" not in r.stderr
    assert not (raw / "sources.json").exists()


def test_two_runs_adding_files_at_once_both_land(tmp_path):
    raw = new_folder(tmp_path)
    runs = [subprocess.Popen([sys.executable, "-m", "pipeline", "extract", str(raw / name), "--out",
                              str(tmp_path / f"out-{name}"), "--lenient"], cwd=tmp_path,
                             env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for name in ("alpha.txt", "beta.txt")]
    assert [run.wait(timeout=300) for run in runs] == [0, 0]
    entries = json.loads((raw / "sources.json").read_text(encoding="utf-8"))["inputs"]
    assert sorted(e["file"] for e in entries) == ["alpha.txt", "beta.txt"]
    assert [p.name for p in raw.iterdir() if p.name.endswith(".tmp")] == []


def test_an_empty_folder_is_one_line_and_exit_3(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run_cli("extract", tmp_path / "empty", "--out", tmp_path / "output", cwd=tmp_path)
    assert r.returncode == 3
    assert r.stderr.strip() == f"error: {tmp_path / 'empty'}: is a folder with no release file in it (.pdf, .txt or .md)"
