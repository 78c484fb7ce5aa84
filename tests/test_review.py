"""The review page: built from an output folder, opened in a real headless
Chromium (Debian's package, installed by `make test` / .ci/run when missing)."""
from __future__ import annotations

import base64
import csv
import io
import json
import shutil
import subprocess
import tempfile

import pytest

from conftest import RAW_PDF as PDF, RAW_TEXT as TEXT, ROOT, copy_release, run_cli as cli
from pipeline.files import read_csv
from pipeline.review import GOLDEN_AMOUNT_COLUMNS, GOLDEN_PROGRAM_COLUMNS, locate

GOLDEN = ROOT / "tests" / "golden" / "mext-lifescience-r8-draft-2026-01-20"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def reviewed(bundled, tmp_path_factory):
    out = tmp_path_factory.mktemp("review")
    folders = {PDF: copy_release(bundled["pdf"], out), TEXT: copy_release(bundled["text"], out)}
    r = cli("review", *folders.values())
    assert r.returncode == 0, r.stderr
    return folders


def browser(url: str, *extra: str) -> str:
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        r = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                            "--no-first-run", "--disable-background-networking", "--disable-component-update",
                            "--disable-sync", f"--user-data-dir={profile}", *extra, url],
                           capture_output=True, text=True, timeout=120)
        return r.stdout
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def dom_data(dom: str, name: str) -> dict:
    import html as h
    import re
    m = re.search(rf'data-{name}="([^"]*)"', dom)
    assert m, f"no data-{name} on <body>: the page's script did not run"
    return json.loads(h.unescape(m.group(1)))


def test_locate_finds_label_and_value_lines():
    lines = [{"line": 1, "raw_text": "令和8年度予算額（案）"}, {"line": 2, "raw_text": "（前年度予算額"},
             {"line": 3, "raw_text": "37億円"}, {"line": 4, "raw_text": "36億円）"}]
    assert [ln["line"] for ln in locate("令和8年度予算額（案）\n37億円", 3, lines)] == [1, 3]
    assert [ln["line"] for ln in locate("36億円", 4, lines)] == [4]


def test_page_has_one_row_and_one_png_crop_per_figure(reviewed):
    folder = reviewed[PDF]
    page = (folder / "review.html").read_text(encoding="utf-8")
    amounts = read_csv(folder / "amounts.csv")
    assert page.count('<tr data-i="') == len(amounts)
    crops = page.split('<img src="data:image/png;base64,')[1:]
    assert len(crops) == len(amounts)
    for c in crops:
        assert base64.b64decode(c.split('"', 1)[0])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Validation findings" in page and "all rows and fields match" in page


def test_text_input_shows_source_lines_instead_of_crops(reviewed):
    page = (reviewed[TEXT] / "review.html").read_text(encoding="utf-8")
    amounts = read_csv(reviewed[TEXT] / "amounts.csv")
    assert "<img" not in page
    assert page.count('<div class="ctx">') == len(amounts)
    assert page.count("<mark>") >= len(amounts)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test / .ci/run install it)")
def test_every_row_and_crop_loads_in_chromium(reviewed):
    folder = reviewed[PDF]
    url = (folder / "review.html").as_uri()
    check = dom_data(browser(url, "--virtual-time-budget=10000", "--dump-dom"), "selfcheck")
    n = len(read_csv(folder / "amounts.csv"))
    assert check == {"rows": n, "images": n, "loaded": n, "contexts": 0}
    shot = ROOT / "output" / "review-screenshot.png"
    shot.parent.mkdir(exist_ok=True)
    browser(url, "--window-size=1400,2400", "--hide-scrollbars", f"--screenshot={shot}")
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test / .ci/run install it)")
def test_text_review_loads_in_chromium(reviewed):
    folder = reviewed[TEXT]
    check = dom_data(browser((folder / "review.html").as_uri(), "--virtual-time-budget=10000", "--dump-dom"),
                     "selfcheck")
    n = len(read_csv(folder / "amounts.csv"))
    assert check == {"rows": n, "images": 0, "loaded": 0, "contexts": n}


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test / .ci/run install it)")
def test_exported_golden_from_the_page_equals_the_hand_written_golden(reviewed):
    """Ticking every row and exporting gives CSVs with the golden's columns; on
    the bundled release (which matches its golden) they hold the golden's rows."""
    url = (reviewed[PDF] / "review.html").as_uri() + "#selftest-export"
    exported = dom_data(browser(url, "--virtual-time-budget=10000", "--dump-dom"), "export")

    def rows(text):
        return sorted(tuple(r.values()) for r in csv.DictReader(io.StringIO(text)))

    amounts = list(csv.DictReader(io.StringIO(exported["amounts"])))
    assert list(amounts[0].keys()) == GOLDEN_AMOUNT_COLUMNS
    assert rows(exported["amounts"]) == rows((GOLDEN / "amounts.csv").read_text(encoding="utf-8"))
    programs = list(csv.DictReader(io.StringIO(exported["programs"])))
    assert list(programs[0].keys()) == GOLDEN_PROGRAM_COLUMNS
    assert rows(exported["programs"]) == rows((GOLDEN / "programs.csv").read_text(encoding="utf-8"))
