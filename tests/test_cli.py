"""`python -m pipeline` as a user runs it (subprocess, from the project folder)."""
from __future__ import annotations

import hashlib
import json

import pytest

from conftest import RAW_TEXT as TEXT, ROOT, run_cli as run

RECORD_KEYS = {"page", "line", "text", "raw_text", "bbox", "font_size", "input_sha256"}


def test_help_lists_extract():
    r = run("--help")
    assert r.returncode == 0, r.stderr
    assert "extract" in r.stdout
    assert "usage:" in r.stdout


def test_extract_help_lists_its_options():
    r = run("extract", "--help")
    assert r.returncode == 0, r.stderr
    for option in ("--out", "--backend", "--pages-only", "--max-pages"):
        assert option in r.stdout


def test_make_help_lists_every_target():
    """`make help` (also plain `make`) names each target of the Makefile's .PHONY line."""
    import re
    import subprocess
    phony = re.search(r"^\.PHONY:(.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1).split()
    r = subprocess.run(["make", "-s", "--no-print-directory", "help"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    listed = {line.split()[1] for line in r.stdout.splitlines() if line.startswith("make ")}
    assert len(phony) > 10 and sorted(set(phony) - listed) == []


@pytest.fixture(scope="module")
def text_release(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    r = run("extract", TEXT, "--out", out, "--pages-only")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    return out / TEXT.stem


def test_pages_only_writes_pages_files(text_release):
    assert (text_release / "pages.jsonl").is_file()
    assert (text_release / "pages.txt").is_file()


def test_pages_jsonl_records(text_release):
    digest = hashlib.sha256(TEXT.read_bytes()).hexdigest()
    rows = (text_release / "pages.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) > 300
    for row in rows:
        record = json.loads(row)
        assert isinstance(record, dict)
        assert RECORD_KEYS <= record.keys(), record
        assert record["input_sha256"] == digest
        assert record["page"] is None  # converted text: pages unknown
        assert record["bbox"] is None and record["font_size"] is None


def test_pages_jsonl_line_numbers_point_into_the_file(text_release):
    file_lines = TEXT.read_text(encoding="utf-8").split("\n")
    records = [json.loads(r) for r in (text_release / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    wrong = [r["line"] for r in records if file_lines[r["line"] - 1] != r["raw_text"]]
    assert wrong == []
    assert {"line": 91, "text": "生命科学・創薬研究支援基盤事業(BINDS) 37億円(36億円)"}.items() <= \
        next(r for r in records if r["line"] == 91).items()


def test_pages_txt_names_the_input_and_its_digest(text_release):
    digest = hashlib.sha256(TEXT.read_bytes()).hexdigest()
    head = (text_release / "pages.txt").read_text(encoding="utf-8").splitlines()[0]
    assert TEXT.name in head and digest in head


@pytest.fixture
def missing_run(tmp_path):
    out = tmp_path / "out"
    missing = tmp_path / "no-such-release-2026.pdf"
    r = run("extract", missing, "--out", out, "--pages-only")
    return r, out, missing


def test_missing_input_fails_cleanly(missing_run):
    r, out, missing = missing_run
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert lines and missing.name in lines[0]
    assert lines[0].startswith("error:")
    assert not (out / missing.stem).exists()


def test_missing_input_message_is_one_line(missing_run):
    r, _, missing = missing_run
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and missing.name in lines[0], r.stderr


def test_one_bad_input_does_not_stop_the_others(tmp_path):
    out = tmp_path / "out"
    missing = tmp_path / "missing-first.txt"
    r = run("extract", missing, TEXT, "--out", out, "--pages-only")
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert missing.name in r.stderr
    assert (out / TEXT.stem / "pages.jsonl").is_file()
    assert not (out / missing.stem).exists()


def test_a_failed_validation_exits_8_after_writing_everything(tmp_path):
    """A figure nobody can be named for is a conflict: validation fails, every
    output is written, and extract exits 8 (--lenient: 0)."""
    page = tmp_path / "untitled.txt"
    page.write_text("令和6年度補正予算額(案)\n94億円\n", encoding="utf-8")
    r = run("extract", page, "--out", tmp_path / "out")
    assert r.returncode == 8, r.stderr
    assert "validation failed" in r.stderr and "--lenient" in r.stderr
    assert (tmp_path / "out" / "untitled" / "amounts.csv").exists()
    assert (tmp_path / "out" / "untitled" / "validation.md").exists()
    r = run("extract", page, "--out", tmp_path / "out", "--lenient")
    assert r.returncode == 0, r.stderr


def test_rules_option_takes_a_pack_name(tmp_path):
    r = run("--rules", "mext-slides", "extract", ROOT / "raw" / "mext-lifescience-r8-draft-2026-01-20-text.txt",
            "--out", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    meta = json.loads((tmp_path / "out" / "mext-lifescience-r8-draft-2026-01-20-text" / "meta.json").read_text())
    assert meta["rules"] == "mext-slides"


def on_a_terminal(code: str, timeout: float = 120) -> tuple[int, str]:
    """Run python -c CODE with stdout and stderr on a pseudo-terminal: (exit code, what it drew)."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))   # 100 columns (a new pty has 0)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=follower, stderr=follower, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:   # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    return proc.wait(timeout=timeout), b"".join(chunks).decode("utf-8", "replace")


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory):
    """600 pages of one short line each (the run lasts a second or two: the bar's delay is set to 0)."""
    import pymupdf
    path = tmp_path_factory.mktemp("long") / "long.pdf"
    with pymupdf.open() as doc:
        for k in range(1, 601):
            doc.new_page(width=200, height=100).insert_text((20, 50), f"page {k}")
        doc.save(path)
    return path


def extract_on_a_terminal(*inputs, out) -> tuple[int, str]:
    args = ["extract", *map(str, inputs), "--out", str(out), "--pages-only", "--jobs", "1"]
    return on_a_terminal("import sys, pipeline.progress as p; p.DELAY_SECONDS = 0\n"
                         f"from pipeline.__main__ import main; sys.exit(main({args!r}))")


def test_one_long_input_shows_its_pages_on_a_terminal(long_pdf, tmp_path):
    code, drawn = extract_on_a_terminal(long_pdf, out=tmp_path)
    assert code == 0, drawn
    assert "reading" in drawn and "/600" in drawn and "page/s" in drawn, drawn[-500:]


def test_no_page_bar_in_a_pipe_or_in_a_batch(long_pdf, tmp_path):
    piped = run("extract", long_pdf, "--out", tmp_path / "piped", "--pages-only")
    assert piped.returncode == 0 and "reading" not in piped.stderr and "\r" not in piped.stderr
    second = tmp_path / "second.pdf"
    second.write_bytes(long_pdf.read_bytes())
    code, drawn = extract_on_a_terminal(long_pdf, second, out=tmp_path / "batch")
    assert code == 0, drawn
    assert "reading" not in drawn   # a batch has its bar of releases, not one per input
