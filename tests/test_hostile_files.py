"""Hostile but fair file-system cases (issue 13): concurrent runs of one
release, names that are globs or path parts, symlinked or immutable release
folders, an input inside the output folder, a full disk. Each case gives one
clear line and a documented exit code, and no earlier output is lost.

The full-disk and immutable cases need root (a small tmpfs, chattr); they
are skipped, saying so, where the machine does not allow them.
"""
from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW_TEXT, ROOT, assert_one_error_line, repoint, run_cli, snapshot, visible

FACTS = 56   # facts of the bundled release
OUTPUT_FILES = {f"{t}.{ext}" for t in ("amounts", "programs", "observations") for ext in ("csv", "json", "parquet")} | {
    "validation.json", "validation.md", "pages.jsonl", "pages.txt", "meta.json"}


def complete(folder: Path) -> bool:
    """A release folder with every output and every fact of the bundled release."""
    if not folder.is_dir() or not OUTPUT_FILES <= set(os.listdir(folder)):
        return False
    with open(folder / "amounts.csv", encoding="utf-8-sig", newline="") as f:
        return len(list(csv.DictReader(f))) == FACTS


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock"))


def popen(*args) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")


@pytest.fixture
def release_txt(tmp_path) -> Path:
    src = tmp_path / "in" / "release.txt"
    src.parent.mkdir()
    shutil.copyfile(RAW_TEXT, src)
    return src


# ------------------------------------------------------------ concurrent runs

def test_two_concurrent_extracts_of_one_release_both_succeed(release_txt, tmp_path):
    """Bounded stress: 5 rounds of two simultaneous runs into one --out."""
    out = tmp_path / "out"
    for _ in range(5):
        runs = [popen("extract", release_txt, "--out", out) for _ in range(2)]
        results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
        for p in runs:
            p.stdout.close()
            p.stderr.close()
        assert [rc for rc, _ in results] == [0, 0], results
        assert complete(out / "release")
        assert leftovers(out) == []


def test_a_glob_character_in_a_name_touches_no_other_release(tmp_path):
    """`r[1]` as a glob matches `r1`: another run's live temporary folder must survive."""
    out = tmp_path / "out"
    live = out / ".r1.tmp-live"          # what a run of release r1 writes into right now
    live.mkdir(parents=True)
    (live / "pages.jsonl").write_text("{}\n")
    src = tmp_path / "r[1].txt"
    shutil.copyfile(RAW_TEXT, src)
    r = run_cli("extract", src, "--out", out)
    assert r.returncode == 0, r.stderr
    assert complete(out / "r[1]")
    assert (live / "pages.jsonl").read_text() == "{}\n"


# ------------------------------------------------------------ names and places

@pytest.mark.parametrize("name,stem", [("..txt", "."), ("...txt", "..")])
def test_a_stem_that_is_a_path_part_is_refused(tmp_path, name, stem):
    src = tmp_path / "in" / name
    src.parent.mkdir()
    shutil.copyfile(RAW_TEXT, src)
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("an analyst's file\n")
    r = run_cli("extract", src, "--out", out)
    assert_one_error_line(r, f"error: {src}: release id {stem!r} cannot name a folder; rename the file", 2)
    assert visible(out) == ["keep.txt"]
    assert (out / "keep.txt").read_text() == "an analyst's file\n"


def test_an_input_inside_the_output_folder_is_refused_and_kept(tmp_path):
    out = tmp_path / "out"
    src = out / "x" / "x.txt"
    src.parent.mkdir(parents=True)
    shutil.copyfile(RAW_TEXT, src)
    r = run_cli("extract", src, "--out", out)
    assert_one_error_line(r, f"error: {src}: the input lies inside the output folder {out}; "
                             "move it out first", 2)
    assert src.read_bytes() == RAW_TEXT.read_bytes()
    assert visible(out) == ["x"] and os.listdir(out / "x") == ["x.txt"]


def test_a_symlinked_release_folder_is_refused(release_txt, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "notes.txt").write_text("not ours\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "release").symlink_to(elsewhere, target_is_directory=True)
    for _ in range(2):          # and the next run says the same, nothing left behind
        r = run_cli("extract", release_txt, "--out", out)
        assert_one_error_line(r, f"error: {out / 'release'}: is a symbolic link; a release folder is replaced "
                                 "whole, so remove the link or choose another --out", 5)
        assert visible(out) == ["release"] and (out / "release").is_symlink()
    assert sorted(os.listdir(elsewhere)) == ["notes.txt"]


# ------------------------------------------------------------ what the machine refuses

def _chattr(flag: str, path: Path) -> bool:
    return shutil.which("chattr") is not None and subprocess.run(
        ["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_an_immutable_release_folder_gives_exit_5_and_stays(release_txt, tmp_path):
    out = tmp_path / "out"
    r = run_cli("extract", release_txt, "--out", out)
    assert r.returncode == 0, r.stderr
    before = snapshot(out / "release")
    if not _chattr("+i", out / "release"):
        pytest.skip("chattr +i is not available here (needs root and a file system that supports it)")
    try:
        r = run_cli("extract", release_txt, "--out", out)
    finally:
        _chattr("-i", out / "release")
    assert_one_error_line(r, re.escape(f"error: {out / 'release'}: cannot replace the release folder (")
                          + r"Operation not permitted\)", 5, regex=True)
    assert snapshot(out / "release") == before
    assert leftovers(out) == []


def mount_tmpfs(where: Path, size: str) -> Path:
    where.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                                           capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    return where


@pytest.fixture
def small_disk(tmp_path):
    """A 160 kB tmpfs: room for a folder, not for a release's outputs."""
    yield mount_tmpfs(tmp_path / "disk", "160k")
    subprocess.run(["umount", "-l", str(tmp_path / "disk")], capture_output=True)


@pytest.fixture
def publish_disk(tmp_path):
    """An 8 MB tmpfs: room for a release's tables and a database, which the test then fills up."""
    yield mount_tmpfs(tmp_path / "disk", "8m")
    subprocess.run(["umount", "-l", str(tmp_path / "disk")], capture_output=True)


def test_a_full_disk_during_extract_gives_exit_5_and_no_leftovers(release_txt, small_disk):
    out = small_disk / "out"
    r = run_cli("extract", release_txt, "--out", out)
    assert_one_error_line(r, re.escape(f"error: {out / 'release'}: cannot write the release folder (")
                          + r"No space left on device\)", 5, regex=True)
    assert not (out / "release").exists()
    assert leftovers(out) == []


def test_a_command_that_cannot_write_gives_one_line_and_exit_5(bundled, tmp_path):
    """Not only extract: review whose page cannot be written (a folder stands in its place)."""
    from conftest import copy_release
    folder = copy_release(bundled["text"], tmp_path)
    (folder / "review.html").mkdir()
    r = run_cli("review", folder)
    assert_one_error_line(r, re.escape(f"error: {folder / 'review.html'}: cannot write (") + r"Is a directory\)", 5,
                          regex=True)


@pytest.mark.parametrize("value", ["-1", "0", "x"])
@pytest.mark.parametrize("option", ["--max-pages", "--jobs"])
def test_a_count_option_takes_only_a_positive_integer(release_txt, tmp_path, option, value):
    """--max-pages -1 once meant "no budget year found", and with --pages-only replaced an earlier output."""
    out = tmp_path / "out"
    r = run_cli("extract", release_txt, "--out", out, "--pages-only")
    assert r.returncode == 0, r.stderr
    before = snapshot(out / "release")
    r = run_cli("extract", release_txt, "--out", out, "--pages-only", option, value)
    assert_one_error_line(r, f"error: argument {option}: must be a positive whole number, not {value!r} "
                             "(python -m pipeline extract --help)", 2)
    assert snapshot(out / "release") == before


# ------------------------------------------------------------ publish

def db_tables(db: Path) -> dict[str, int]:
    import duckdb
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.sql(f"SELECT count(*) FROM {t}").fetchall()[0][0]
                for (t,) in con.sql("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")
                .fetchall()}


@pytest.fixture
def published_out(bundled, tmp_path) -> Path:
    from conftest import copy_release
    out = tmp_path / "out"
    copy_release(bundled["text"], out)
    return out


def test_two_concurrent_publishes_leave_a_complete_database(published_out):
    """Bounded stress: 5 rounds of two simultaneous publishes of one folder."""
    out = published_out
    for _ in range(5):
        runs = [popen("publish", "--out", out) for _ in range(2)]
        results = [(p.wait(timeout=300), p.stderr.read()) for p in runs]
        for p in runs:
            p.stdout.close()
            p.stderr.close()
        assert [rc for rc, _ in results] == [0, 0], results
        tables = db_tables(out / "budget.duckdb")
        assert tables["amounts"] == FACTS and tables["releases"] == 1 and tables["programs"] > 0, tables
        assert leftovers(out) == []
        assert not (out / "budget.duckdb.wal").exists()


def test_publish_on_a_full_disk_keeps_the_earlier_database(bundled, publish_disk):
    out = publish_disk / "out"
    folder = out / bundled["text"].name
    folder.mkdir(parents=True)
    for name in ("meta.json", "amounts.csv", "programs.csv", "observations.csv"):
        shutil.copyfile(bundled["text"] / name, folder / name)
    repoint(folder, bundled["text"])
    r = run_cli("publish", "--out", out)
    assert r.returncode == 0, r.stderr
    before = (out / "budget.duckdb").read_bytes()
    filler = publish_disk / "filler"
    with open(filler, "wb", buffering=0) as f:      # fill the disk to the last block
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass
    r = run_cli("publish", "--out", out)
    assert_one_error_line(r, re.escape(f"error: {out / 'budget.duckdb'}: cannot write the database (")
                          + r".+\); the earlier one is kept", 5, regex=True)
    assert (out / "budget.duckdb").read_bytes() == before
    assert leftovers(out) == []


# ------------------------------------------------------------ Ctrl-C

def test_ctrl_c_stops_a_batch_at_once_and_touches_no_queued_output(tmp_path):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) during a
    batch of 8 with --jobs 2: the run ends within seconds with exit 130, and
    every release folder is either its earlier output, untouched, or a
    complete new one the run reported as done."""
    import signal
    import time
    text = RAW_TEXT.read_text(encoding="utf-8")
    inputs, out = [], tmp_path / "out"
    for k in range(8):
        src = tmp_path / "in" / f"r{k}.txt"
        src.parent.mkdir(exist_ok=True)
        src.write_text((text + "\n") * 25, encoding="utf-8")     # a few seconds each
        inputs.append(src)
        earlier = out / f"r{k}"
        earlier.mkdir(parents=True)
        (earlier / "meta.json").write_text('{"earlier": true}\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", *map(str, inputs), "--out", str(out),
                          "--jobs", "2", "--lenient"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, encoding="utf-8", start_new_session=True)
    time.sleep(4)
    os.killpg(p.pid, signal.SIGINT)
    sent = time.monotonic()
    try:
        stdout, stderr = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    stopped_after = time.monotonic() - sent
    assert stopped_after < 5, (stopped_after, stderr)
    assert p.returncode == 130, stderr
    assert "Traceback" not in stderr, stderr
    reported = {line.split(":")[0] for line in stdout.splitlines() if "->" in line}
    assert len(reported) < 8                      # it did stop half-way
    for k in range(8):
        folder = out / f"r{k}"
        if f"r{k}" in reported:
            assert complete(folder)
        else:   # untouched — or, when its worker renamed it the instant Ctrl-C came, complete
            assert (folder / "meta.json").read_text(encoding="utf-8") == '{"earlier": true}\n' or complete(folder), k
