"""Damaged output folders (issue 13): every command that reads a release
folder — validate, review, diff, publish — refuses a damaged one with one
line and exit 3 (diff: exit 2 for a folder that is no release folder at all,
as documented), never a traceback and never a partial read; publish leaves
the earlier database byte-identical.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import repoint, run_cli


def cut_mid_row(folder: Path) -> None:
    p = folder / "amounts.csv"
    data = p.read_bytes()
    middle = data.index(b"\n", len(data) // 2) + 10        # inside the row after the middle
    p.write_bytes(data[:middle])


def cut_in_a_character(folder: Path) -> None:
    p = folder / "amounts.csv"
    data = p.read_bytes()
    at = data.index("総額".encode()) + 1                   # inside the 3 bytes of 総
    p.write_bytes(data[:at])


def cut_at_a_row(folder: Path) -> None:
    """Whole rows, 31 of 56: only meta.json's record of the file shows it."""
    p = folder / "amounts.csv"
    text = p.read_text(encoding="utf-8-sig")
    import csv
    import io
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows[:32])
    p.write_text(out.getvalue(), encoding="utf-8-sig", newline="")


def emptied(folder: Path) -> None:
    (folder / "amounts.csv").write_bytes(b"")


def renamed_column(folder: Path) -> None:
    p = folder / "amounts.csv"
    p.write_text(p.read_text(encoding="utf-8-sig").replace(",amount_yen,", ",amount,", 1), encoding="utf-8-sig")


def yen_as_float(folder: Path) -> None:
    p = folder / "amounts.csv"
    p.write_text(p.read_text(encoding="utf-8-sig").replace(",85200000000,", ",8.52e10,", 1), encoding="utf-8-sig")


def in_cp932(folder: Path) -> None:
    p = folder / "amounts.csv"
    p.write_bytes(p.read_text(encoding="utf-8-sig").encode("cp932", errors="replace"))


def meta_missing(folder: Path) -> None:
    (folder / "meta.json").unlink()


def meta_truncated(folder: Path) -> None:
    p = folder / "meta.json"
    p.write_bytes(p.read_bytes()[:40])


def meta_nan(folder: Path) -> None:
    p = folder / "meta.json"
    p.write_text(re.sub(r'"lines": \d+', '"lines": NaN', p.read_text(encoding="utf-8")), encoding="utf-8")


def meta_a_list(folder: Path) -> None:
    (folder / "meta.json").write_text("[1, 2]\n", encoding="utf-8")


def meta_without_release(folder: Path) -> None:
    p = folder / "meta.json"
    meta = json.loads(p.read_text(encoding="utf-8"))
    del meta["release"]
    p.write_text(json.dumps(meta), encoding="utf-8")


def programs_missing(folder: Path) -> None:
    (folder / "programs.csv").unlink()


def pages_truncated(folder: Path) -> None:
    p = folder / "pages.jsonl"
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])


DAMAGES = [cut_mid_row, cut_in_a_character, cut_at_a_row, emptied, renamed_column, yen_as_float, in_cp932,
           meta_missing, meta_truncated, meta_nan, meta_a_list, meta_without_release, programs_missing]
NO_RELEASE_FOLDER = {meta_missing, programs_missing}   # for diff: not a release folder at all (exit 2)


@pytest.fixture
def damaged_copy(bundled, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    folder = Path(shutil.copytree(bundled["text"], out / bundled["text"].name))
    repoint(folder, bundled["text"])
    return out, folder


def assert_refused(r, folder: Path, code: int = 3):
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(folder) in lines[0], r.stderr
    assert r.returncode == code, (r.returncode, r.stderr)


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
def test_validate_refuses_a_damaged_folder(damaged_copy, damage):
    _, folder = damaged_copy
    damage(folder)
    assert_refused(run_cli("validate", folder), folder)


@pytest.mark.parametrize("damage", [*DAMAGES, pages_truncated], ids=lambda d: d.__name__)
def test_review_refuses_a_damaged_folder(damaged_copy, damage):
    _, folder = damaged_copy
    damage(folder)
    assert_refused(run_cli("review", folder), folder)
    assert not (folder / "review.html").exists()


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
def test_diff_refuses_a_damaged_folder(damaged_copy, tmp_path, damage):
    _, folder = damaged_copy
    damage(folder)
    r = run_cli("diff", folder, "--out", tmp_path / "diff")
    assert_refused(r, folder, 2 if damage in NO_RELEASE_FOLDER else 3)
    assert not (tmp_path / "diff").exists()


@pytest.mark.parametrize("damage", [d for d in DAMAGES if d is not meta_missing] + [meta_missing],
                         ids=lambda d: d.__name__)
def test_publish_refuses_a_damaged_release_and_keeps_the_database(damaged_copy, damage):
    out, folder = damaged_copy
    r = run_cli("publish", "--out", out)
    assert r.returncode == 0, r.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.endswith(".lock")}
    damage(folder)
    r = run_cli("publish", "--out", out)
    assert_refused(r, folder)
    assert "nothing published" in r.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and not p.name.endswith(".lock")} == before
