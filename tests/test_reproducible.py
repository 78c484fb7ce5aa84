"""The same input gives the same bytes on two machines: two checkouts at
different paths, run at different times in different time zones, locales and
home folders, write byte-identical release folders, budget.xlsx,
datapackage.json and JSON Schemas — no absolute path and no clock in any of
them. budget.duckdb is the one file compared by content, table by table:
DuckDB writes a fresh database identifier into every file it creates.
"""
from __future__ import annotations

import os
import shutil
import stat
import time
from pathlib import Path

import duckdb

from conftest import RAW_PDF, RAW_TEXT, ROOT, run_cli, snapshot


def checkout(dest: Path) -> Path:
    """What a clone holds that extract reads: the code, the rules, raw/ and the goldens."""
    dest.mkdir(parents=True)
    for name in ("pipeline", "rules", "raw", "tests/golden"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def extract_and_publish(root: Path, env: dict) -> Path:
    inputs = [f"raw/{RAW_PDF.name}", f"raw/{RAW_TEXT.name}"]
    env = {**env, "PYTHONPATH": str(root)}
    r = run_cli("extract", *inputs, "--out", "output", "--jobs", "1", cwd=root, env=env)
    assert r.returncode == 0, r.stderr
    p = run_cli("publish", "--out", "output", cwd=root, env=env)
    assert p.returncode == 0, p.stderr
    return root / "output"


def tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(db), read_only=True) as con:
        names = [r[0] for r in con.execute("select table_name from information_schema.tables order by 1").fetchall()]
        return {name: con.execute(f'select * from "{name}" order by all').fetchall() for name in names}


def test_two_checkouts_write_the_same_bytes(tmp_path):
    one = extract_and_publish(checkout(tmp_path / "a" / "budget-pipeline"),
                              {"TZ": "UTC", "LANG": "C.UTF-8", "HOME": str(tmp_path / "home-a")})
    time.sleep(1.1)   # another second on the clock: a time stamp anywhere would show
    two = extract_and_publish(checkout(tmp_path / "elsewhere" / "deeper" / "clone"),
                              {"TZ": "Asia/Tokyo", "LANG": "ja_JP.UTF-8", "HOME": str(tmp_path / "home-b")})
    first, second = snapshot(one), snapshot(two)
    assert sorted(first) == sorted(second)
    files = [name for name in first if name != "budget.duckdb"]
    assert len(files) > 30 and {"budget.xlsx", "datapackage.json"} <= set(files)
    assert [name for name in files if first[name] != second[name]] == []
    for name in files:   # and no path of either checkout inside any file
        assert str(tmp_path).encode() not in first[name], name
    assert tables(one / "budget.duckdb") == tables(two / "budget.duckdb")
    assert len(tables(one / "budget.duckdb")["amounts"]) > 100

    # every file lands with the umask's mode, as release folders do (a private
    # temporary file renamed into place would keep 0600)
    umask = os.umask(0)
    os.umask(umask)
    modes = {name: stat.S_IMODE((one / name).stat().st_mode) for name in files}
    assert set(modes.values()) == {0o666 & ~umask}, modes

