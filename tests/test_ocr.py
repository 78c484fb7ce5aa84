"""OCR of pictures (pipeline/ocr/, pipeline/pictures.py): the image slides of
the bundled release, a scanned copy of it, the refusals that stay, and the
rules of the merge (the text layer wins, OCR witnesses).

The scanned copy is built here from the bundled PDF (every page rasterised
at 150 dpi into an image-only PDF, tests/fixtures/scanned/make_scanned.py)
and scored against the hand-verified golden of the bundled release
(tests/golden/mext-lifescience-r8-draft-2026-01-20/, written from the slides,
not from this pipeline).

Tests that need Tesseract are skipped, with the reason, when it is missing;
`make test` installs it (make ocr)."""
from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES, RAW_PDF, ROOT, assert_one_error_line, run_cli
from pipeline.ocr import engine, repaired
from pipeline.rules import load_yaml

GOLDEN = ROOT / "tests" / "golden" / "mext-lifescience-r8-draft-2026-01-20" / "amounts.csv"
KEY = ("program", "budget", "stage", "fiscal_year")
IMAGE_SLIDES = {6: "橋渡し研究プログラム", 7: "再生・細胞医療・遺伝子治療実現加速化プログラム", 9: "脳神経科学統合プログラム"}

needs_tesseract = pytest.mark.skipif(engine()[0] is None, reason=f"no OCR here: {engine()[1]}")


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def golden() -> dict[tuple, str]:
    return {tuple(r[k] for k in KEY): r["amount_yen"] for r in rows(GOLDEN)}


# ------------------------------------------------------------ the repairs are data, each shown

@pytest.mark.parametrize("repair", load_yaml("ocr.yaml")["repairs"], ids=lambda r: r["id"])
def test_every_ocr_repair_does_what_its_examples_show(repair):
    assert repair["description"] and repair["examples"]
    for before, after in repair["examples"]:
        assert repaired(before) == after, (repair["id"], before)


def test_no_ocr_repair_touches_a_digit():
    # a misread figure stays misread (and its check tells); no repair guesses a number
    for repair in load_yaml("ocr.yaml")["repairs"]:
        assert not any(c.isdigit() for c in repair["replace"]), repair["id"]
    assert repaired("2.379億円") == "2.379億円" and repaired("22人円") == "22人円"


# ------------------------------------------------------------ merge rules (no engine needed)

def _obs(amount: int, rule: str, page: int, line: int) -> dict:
    return {"program": "橋渡し研究プログラム", "parent": "", "budget": "initial", "supplementary_round": None,
            "stage": "draft", "fiscal_year": 2026, "amount_yen": amount, "new": False, "portion": False, "approx": False,
            "plus_unquantified": False, "page": page, "line": line, "source": f"{amount}", "rule": rule,
            "release": "r"}


def test_an_ocr_figure_never_overrides_the_text_layer():
    from pipeline.facts.records import assign_checks, facts_of
    ocr_first = _obs(5_300_000_000, "stage.draft@inline+ocr", 3, 70)   # OCR misread 54 as 53, on an earlier page
    text = _obs(5_400_000_000, "stage.draft@slide", 6, 12)
    amounts, conflicts = facts_of([ocr_first, text])
    assert [a["amount_yen"] for a in amounts] == [5_400_000_000]
    assert amounts[0]["rule"] == "stage.draft@slide" and amounts[0]["page"] == 6
    assert len(conflicts) == 1 and conflicts[0]["other"]["amount_yen"] == 5_300_000_000
    assign_checks(amounts, [{"program": "橋渡し研究プログラム", "level": "program"}], conflicts)
    assert amounts[0]["check"] == "conflict"


def test_an_agreeing_ocr_figure_witnesses_and_a_lone_one_is_single():
    from pipeline.facts.records import assign_checks, facts_of
    programs = [{"program": "橋渡し研究プログラム", "level": "program"}]
    amounts, conflicts = facts_of([_obs(5_400_000_000, "stage.draft@slide", 3, 28),
                                   _obs(5_400_000_000, "stage.draft@inline+ocr", 6, 28)])
    assign_checks(amounts, programs, conflicts)
    assert [a["check"] for a in amounts] == ["witnessed"] and amounts[0]["rule"] == "stage.draft@slide"
    amounts, conflicts = facts_of([_obs(5_400_000_000, "stage.draft@inline+ocr", 6, 28)])
    assign_checks(amounts, programs, conflicts)
    assert [a["check"] for a in amounts] == ["single"] and amounts[0]["rule"].endswith("+ocr")


# ------------------------------------------------------------ the bundled release's image slides

@needs_tesseract
def test_the_image_slides_give_their_own_figures(bundled):
    folder = bundled["pdf"]
    obs = rows(folder / "observations.csv")
    want = golden()
    for page, program in IMAGE_SLIDES.items():
        own = [o for o in obs if o["page"] == str(page) and o["program"] == program and o["rule"].endswith("+ocr")]
        assert {(o["stage"], o["amount_yen"]) for o in own} >= {
            ("draft", want[(program, "initial", "draft", "2026")]),
            ("enacted", want[(program, "initial", "enacted", "2025")])}, (page, own)
    # and the golden comparison is what it was without OCR: every fact, nothing else
    report = json.loads((folder / "validation.json").read_text(encoding="utf-8"))
    assert report["status"] == "passed" and report["golden"]["ok"], report["golden"]
    assert report["facts"] == len(want)


@needs_tesseract
def test_ocr_lines_are_marked_in_pages_jsonl(bundled):
    lines = [json.loads(r) for r in (bundled["pdf"] / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    ocr = [ln for ln in lines if ln["ocr"]]
    assert ocr and all(0 <= ln["confidence"] <= 100 and ln["bbox"] for ln in ocr)
    assert all(ln["confidence"] is None for ln in lines if not ln["ocr"])
    titles = {ln["page"]: ln["text"] for ln in ocr if ln["bbox"][1] < 60 and ln["font_size"] > 15}
    assert set(IMAGE_SLIDES) <= set(titles), titles
    # OCR lines follow a page's text-layer lines: the text layer's line numbers do not move
    for page in {ln["page"] for ln in ocr}:
        on_page = [ln for ln in lines if ln["page"] == page]
        assert [ln["ocr"] for ln in on_page] == sorted(ln["ocr"] for ln in on_page)


@needs_tesseract
def test_the_image_slides_witness_the_overview_in_a_release_without_golden(tmp_path):
    pdf = tmp_path / "deck.pdf"
    shutil.copyfile(RAW_PDF, pdf)
    r = run_cli("extract", pdf, "--out", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    amounts = {tuple(a[k] for k in KEY): a for a in rows(tmp_path / "out" / "deck" / "amounts.csv")}
    for program in IMAGE_SLIDES.values():
        for budget, stage, year in (("initial", "draft", "2026"), ("initial", "enacted", "2025")):
            a = amounts[(program, budget, stage, year)]
            assert a["check"] == "witnessed" and a["page"] == "3" and not a["rule"].endswith("+ocr"), a


def test_no_ocr_reads_the_text_layer_alone_and_does_not_pass(tmp_path):
    pdf = tmp_path / "deck.pdf"
    shutil.copyfile(RAW_PDF, pdf)
    r = run_cli("extract", pdf, "--out", tmp_path / "out", "--no-ocr")
    assert r.returncode == 8, r.stderr
    assert "not read (--no-ocr): figures drawn as pictures are missing" in r.stderr
    assert "validation passed" not in r.stdout + r.stderr
    folder = tmp_path / "out" / "deck"
    lines = [json.loads(x) for x in (folder / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    assert not any(ln["ocr"] for ln in lines)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["ocr"]["skipped"] == "--no-ocr" and {6, 7, 9} <= set(meta["ocr"]["pictures_unread"])
    checks = json.loads((folder / "validation.json").read_text(encoding="utf-8"))["checks"]
    assert any(c["check"] == "pages needing OCR" and c["status"] == "error" for c in checks)


def test_without_tesseract_pictures_go_unread_with_a_warning(tmp_path):
    pdf = tmp_path / "deck.pdf"
    shutil.copyfile(RAW_PDF, pdf)
    # no tesseract on PATH: the interpreter is called by its full path, so it still runs
    r = run_cli("extract", pdf, "--out", tmp_path / "out", "--lenient",
                env={"PATH": str(Path(sys.executable).parent)})
    assert r.returncode == 0, r.stderr
    assert "tesseract is not installed" in r.stderr and "Traceback" not in r.stderr
    assert "validation failed" in r.stdout


# ------------------------------------------------------------ a scanned copy of the release

@pytest.fixture(scope="session")
def scanned(tmp_path_factory) -> tuple[Path, object]:
    if engine()[0] is None:
        pytest.skip(f"no OCR here: {engine()[1]}")
    sys.path.insert(0, str(FIXTURES / "scanned"))
    from make_scanned import scanned_copy
    work = tmp_path_factory.mktemp("scanned")
    pdf = scanned_copy(RAW_PDF, work / "scanned.pdf", dpi=150)
    r = run_cli("extract", pdf, "--out", work / "out", "--lenient")
    return work / "out" / "scanned", r


def test_a_scanned_copy_gives_nine_in_ten_golden_figures(scanned):
    folder, r = scanned
    assert r.returncode == 0, r.stderr
    # names compared without their spaces: a printed separator (科研費 科学研究費助成事業) is
    # a gap in the picture, which OCR does not tell from the gaps between any two letters
    def key(row: dict) -> tuple:
        return (row["program"].replace(" ", ""), *(row[k] for k in KEY[1:]))
    want = {key(r): r["amount_yen"] for r in rows(GOLDEN)}
    got = rows(folder / "amounts.csv")
    right = {key(a) for a in got if want.get(key(a)) == a["amount_yen"]}
    assert len(right) >= 0.9 * len(want), sorted(set(want) - right)
    wrong = [a for a in got if want.get(key(a)) != a["amount_yen"]]
    assert not [a for a in wrong if a["check"] in ("witnessed", "golden")], wrong
    assert all(a["rule"].endswith("+ocr") for a in got)


def test_a_scanned_copy_is_read_with_a_warning_not_refused(scanned):
    folder, r = scanned
    pages = ", ".join(map(str, range(1, 14)))
    assert f"warning: {folder.parent.parent / 'scanned.pdf'}: no text layer on pages {pages}: read by OCR" in r.stderr
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["ocr"]["pages_read"] == list(range(1, 14)) and meta["pages_needing_ocr"] == []
    assert any("read by OCR" in w for w in meta["warnings"])


def test_a_scanned_copy_is_refused_with_no_ocr(tmp_path):
    sys.path.insert(0, str(FIXTURES / "scanned"))
    from make_scanned import scanned_copy
    pdf = scanned_copy(RAW_PDF, tmp_path / "scanned.pdf", dpi=30)
    r = run_cli("extract", pdf, "--out", tmp_path / "out", "--no-ocr")
    assert_one_error_line(r, f"error: {pdf}: no text on any page; pages 1–13 are images and need OCR (--no-ocr)", 3)
    assert not (tmp_path / "out" / "scanned").exists()


@needs_tesseract
def test_a_picture_of_noise_is_refused(tmp_path):
    import numpy as np
    import pymupdf
    rng = np.random.default_rng(7)
    noise = (rng.random((600, 800)) * 255).astype(np.uint8)
    pix = pymupdf.Pixmap(pymupdf.csGRAY, 800, 600, noise.tobytes(), False)
    pdf = tmp_path / "noise.pdf"
    with pymupdf.open() as doc:
        for _ in range(2):
            page = doc.new_page(width=800, height=600)
            page.insert_image(page.rect, pixmap=pix)
        doc.save(pdf)
    r = run_cli("extract", pdf, "--out", tmp_path / "out")
    assert_one_error_line(r, f"error: {pdf}: no text on any page; OCR found no legible text on pages 1–2 "
                          "(images of no text, or noise)", 3)
    assert not (tmp_path / "out" / "noise").exists()
