"""Shared test setup: the project's paths, a runner for the command line, the
bundled releases extracted once per test session, and the real-page score
printed at the end of `make test` (tests/test_realtext.py computes it).

Test modules import the paths and the runner (`from conftest import ROOT, run_cli`);
pytest puts tests/ on sys.path for them.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RAW_PDF = ROOT / "raw" / "mext-lifescience-r8-draft-2026-01-20.pdf"
RAW_TEXT = ROOT / "raw" / "mext-lifescience-r8-draft-2026-01-20-text.txt"
FIXTURES = ROOT / "tests" / "fixtures"
NEXT_YEAR_TEXT = FIXTURES / "diff" / "mext-lifescience-r9-draft-2027-01-19-text.txt"   # the made-up 令和9 release


def run_cli(*args, cwd: Path = ROOT, timeout: float = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m pipeline ARGS` from the repository, its output captured as text."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=timeout)


@pytest.fixture(scope="session")
def bundled(tmp_path_factory) -> dict[str, Path]:
    """{'pdf', 'text', 'next'}: release folders extracted once for the whole session,
    from the bundled PDF, its published text and the made-up 令和9 release.

    Read them only; a test that writes into a release folder takes `copy_release`."""
    out = tmp_path_factory.mktemp("bundled")
    inputs = {"pdf": RAW_PDF, "text": RAW_TEXT, "next": NEXT_YEAR_TEXT}
    r = run_cli("extract", *(p.relative_to(ROOT) for p in inputs.values()), "--out", out)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    return {kind: out / p.stem for kind, p in inputs.items()}


def copy_release(folder: Path, dest: Path) -> Path:
    """A private copy of a release folder under dest (same folder name), its
    meta.json still naming the input and golden it was extracted from (they
    are written relative to the output folder)."""
    dest.mkdir(parents=True, exist_ok=True)
    copy = Path(shutil.copytree(folder, dest / folder.name))
    repoint(copy, folder)
    return copy


def repoint(copy: Path, original: Path) -> None:
    """meta.json of a copied release folder, its input and golden paths made
    relative to the copy's output folder again."""
    import json

    from pipeline.files import portable_path, recorded_path, write_json
    path = copy / "meta.json"
    if not path.exists():
        return
    meta = json.loads(path.read_text(encoding="utf-8"))
    for key in ("input", "golden"):
        if meta.get(key):
            meta[key] = portable_path(recorded_path(meta[key], original), copy.parent)
    write_json(path, meta)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_one_error_line(r: subprocess.CompletedProcess, expected: str, code: int, regex: bool = False):
    """stderr is exactly one `error:` line (no traceback) and the exit code is the documented one."""
    assert "Traceback" not in r.stderr, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    if regex:
        assert re.fullmatch(expected, lines[0]), (lines[0], expected)
    else:
        assert lines[0] == expected
    assert r.returncode == code, (r.returncode, r.stderr)


def visible(out: Path) -> list[str]:
    """What a folder holds besides the release locks (``.NAME.lock``, documented)."""
    return sorted(p for p in os.listdir(out) if not (p.startswith(".") and p.endswith(".lock")))


def pytest_terminal_summary(terminalreporter):
    import scoring
    report = getattr(scoring, "LAST_REPORT", None)
    if report:
        terminalreporter.write_sep("=", "real-page score")
        terminalreporter.write_line(report)
