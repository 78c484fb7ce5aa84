"""The installable command: `pip install .` into a clean venv gives
`budget-pipeline`, on every Python the project supports (3.11–3.13) that
this machine has, and it writes the same records as the development
environment; a Python without the packages gets a one-line hint.

Each install takes a minute or two (every pinned wheel, from the pip cache
or the registry): these are the slowest tests, and the ones that show the
package metadata, the shipped rules and the pins hold outside the checkout.
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import RAW_TEXT, ROOT, run_cli, snapshot

SUPPORTED = ("3.11", "3.12", "3.13")   # pyproject.toml: requires-python = ">=3.11,<3.14"


def interpreter(version: str) -> str | None:
    """A Python of this minor version on the machine: on PATH, else one pyenv installed."""
    candidates = [shutil.which(f"python{version}"),
                  *sorted(glob.glob(os.path.expanduser(f"~/.pyenv/versions/{version}.*/bin/python{version}")))]
    for candidate in filter(None, candidates):
        r = subprocess.run([candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                           capture_output=True, text=True)
        if r.returncode == 0 and r.stdout.strip() == version:
            return candidate
    return None


def project_copy(dest: Path) -> Path:
    """What `pip install .` reads — pyproject.toml, pipeline/, rules/ — copied
    out of the checkout, so the build leaves nothing in it."""
    dest.mkdir(parents=True)
    for name in ("pyproject.toml", "LICENSE", "README.md"):
        shutil.copy2(ROOT / name, dest / name)
    for name in ("pipeline", "rules"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def test_installed_python_versions_are_the_supported_ones():
    """pyproject.toml's range and SUPPORTED say the same thing."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'requires-python = ">=3.11,<3.14"' in text
    assert "budget-pipeline = \"pipeline.__main__:main\"" in text


@pytest.mark.parametrize("version", SUPPORTED)
def test_pip_install_gives_the_command_with_the_same_records(version, tmp_path):
    python = interpreter(version)
    if python is None:
        pytest.skip(f"no Python {version} on this machine")
    source = project_copy(tmp_path / "source")
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    install = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                              "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"), str(source)],
                             capture_output=True, text=True, timeout=1800)
    assert install.returncode == 0, install.stderr[-3000:]
    command = venv / "bin" / "budget-pipeline"
    shutil.rmtree(source)   # the installed command needs nothing of the source tree, rules included

    help_ = subprocess.run([str(command), "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert help_.returncode == 0, help_.stderr
    assert help_.stdout.startswith("usage: budget-pipeline ")
    for sub in ("extract", "validate", "review", "diff", "publish"):
        assert sub in help_.stdout

    # the same input, outside any sources.json: the installed command and the checkout write the same bytes
    work = tmp_path / "work"
    work.mkdir()
    text = Path(shutil.copy2(RAW_TEXT, work / RAW_TEXT.name))
    installed = subprocess.run([str(command), "extract", text.name, "--out", "installed", "--lenient"],
                               capture_output=True, text=True, cwd=work, timeout=600)
    assert installed.returncode == 0, installed.stderr
    checkout = run_cli("extract", text.name, "--out", "checkout", "--lenient", cwd=work)
    assert checkout.returncode == 0, checkout.stderr
    assert "Traceback" not in installed.stderr + checkout.stderr
    ours, theirs = snapshot(work / "checkout" / text.stem), snapshot(work / "installed" / text.stem)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert ours["amounts.csv"].count(b"\n") > 50   # the release's figures, not an empty table


def test_a_python_without_the_packages_gets_one_line(tmp_path):
    """`python -m pipeline extract …` with a Python that has none of the
    pipeline's packages (the system Python, outside .venv): one line naming the
    missing package and what to run, exit 11 — never a traceback."""
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    r = subprocess.run([str(bare / "bin" / "python"), "-m", "pipeline", "extract", str(RAW_TEXT),
                        "--out", str(tmp_path / "out")], capture_output=True, text=True,
                       env={**env, "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert r.returncode == 11, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the package '"), r.stderr
    assert "is not installed for" in lines[0] and "make extract" in lines[0] and "pip install ." in lines[0]
    assert not (tmp_path / "out").exists()
