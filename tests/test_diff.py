"""Year-over-year diff: extract two releases, diff them, check every row.

The pair is the bundled converted text (R8, 2026-01-20) and a hand-written
next-year variant (tests/fixtures/diff/, R9, 2027-01-19) whose expected diff
was written by hand (tests/fixtures/diff/expected/).
"""
from __future__ import annotations

import pytest

from conftest import ROOT, run_cli as run, visible
from pipeline.diff import Alias, Figure, diff_rows, group_summaries, load_aliases, match_programs, normalize_name, parse_aliases
from pipeline.errors import PipelineError
from pipeline.files import read_csv

FIXTURES = ROOT / "tests" / "fixtures" / "diff"
EXPECTED = FIXTURES / "expected"
ALIASES = FIXTURES / "aliases.yaml"   # the fixture pair's reviewed crosswalk
OKU = 100_000_000


@pytest.fixture(scope="module")
def releases(bundled):
    return bundled["text"], bundled["next"]


@pytest.fixture(scope="module")
def pair(releases, tmp_path_factory):
    out = tmp_path_factory.mktemp("diff") / "r8-r9"
    r = run("diff", *releases, "--out", out, "--aliases", ALIASES)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr and "warning" not in r.stderr, r.stderr
    return out


@pytest.fixture(scope="module")
def rows(pair):
    return read_csv(pair / "diff.csv")


def row(rows, old, new, budget="initial"):
    found = [r for r in rows if (r["program_old"], r["program_new"], r["budget"]) == (old, new, budget)]
    assert len(found) == 1, (old, new, budget, found)
    return found[0]


def as_set(table):
    return sorted(tuple(sorted(r.items())) for r in table)


# ------------------------------------------------------------ the fixture's records

def test_the_variant_extracts_to_its_hand_written_records(releases):
    got = read_csv(releases[1] / "amounts.csv")
    want = read_csv(EXPECTED / "r9-amounts.csv")
    cols = list(want[0])
    assert as_set([{c: r[c] for c in cols} for r in got]) == as_set(want)


def test_the_variant_records_its_predecessor_notes(releases):
    preds = {p["program"]: p["predecessor"] for p in read_csv(releases[1] / "programs.csv")}
    assert preds["ライフサイエンス研究基盤高度化事業"] == "ライフサイエンス研究基盤整備事業"
    assert preds["再生・細胞医療実現加速化プログラム"] == "再生・細胞医療・遺伝子治療実現加速化プログラム"
    assert preds["遺伝子治療実現加速化プログラム"] == "再生・細胞医療・遺伝子治療実現加速化プログラム"   # ※…までは…として実施
    assert preds["バイオ医薬品研究開発基盤事業"] == ""                                              # crosswalk only


# ------------------------------------------------------------ diff.csv, row by row

def test_diff_csv_is_the_hand_written_expectation(rows):
    assert list(rows[0]) == ["program_old", "program_new", "match", "budget", "stage", "fiscal_year",
                             "amount_old", "amount_new", "change_yen", "change_pct"]
    assert as_set(rows) == as_set(read_csv(EXPECTED / "diff.csv"))


def test_changed_amount(rows):
    r = row(rows, "生命科学・創薬研究支援基盤事業(BINDS)", "生命科学・創薬研究支援基盤事業(BINDS)")
    assert (r["match"], r["stage"], r["fiscal_year"]) == ("same", "draft", "2027")   # the NEW release's year
    assert (r["amount_old"], r["amount_new"], r["change_yen"], r["change_pct"]) == \
        ("3700000000", "3900000000", "200000000", "5.4")


def test_rename_declared_by_a_predecessor_note(rows):
    r = row(rows, "ライフサイエンス研究基盤整備事業", "ライフサイエンス研究基盤高度化事業")
    assert r["match"] == "predecessor"
    assert (r["change_yen"], r["change_pct"]) == ("200000000", "11.1")
    assert not [x for x in rows if x["program_new"] == "ライフサイエンス研究基盤整備事業"]  # the note's name is no program of R9


def test_rename_declared_only_in_the_crosswalk(rows):
    r = row(rows, "スマートバイオ創薬等研究支援事業", "バイオ医薬品研究開発基盤事業")
    assert r["match"] == "alias"
    assert (r["change_yen"], r["change_pct"]) == ("100000000", "6.7")


def test_dropped_program(rows):
    r = row(rows, "医療機器等研究成果展開事業", "")
    assert (r["match"], r["amount_old"], r["amount_new"], r["change_yen"]) == ("dropped", "1100000000", "", "")


def test_new_program(rows):
    r = row(rows, "", "AI駆動型創薬研究推進事業")
    assert (r["match"], r["amount_old"], r["amount_new"], r["change_yen"]) == ("new", "", "2500000000", "")


def test_split_into_two_programs(rows):
    old = "再生・細胞医療・遺伝子治療実現加速化プログラム"
    split = [r for r in rows if r["program_old"] == old]
    assert sorted(r["program_new"] for r in split) == ["再生・細胞医療実現加速化プログラム", "遺伝子治療実現加速化プログラム"]
    assert {r["match"] for r in split} == {"predecessor"}
    assert {r["change_yen"] for r in split} == {""}          # no change of their own: the group is compared


def test_unit_change_oku_to_hyakuman(rows):
    r = row(rows, "新興・再興感染症研究基盤創生事業", "新興・再興感染症研究基盤創生事業")
    assert (r["amount_old"], r["amount_new"], r["change_yen"], r["change_pct"]) == \
        ("2000000000", "2150000000", "150000000", "7.5")


def test_portion_is_listed_but_not_compared(rows):
    r = row(rows, "「世代をつなぐ生命科学」に関する研究", "「世代をつなぐ生命科学」に関する研究")
    assert (r["amount_old"], r["amount_new"]) == ("10600000000", "10400000000")
    assert (r["change_yen"], r["change_pct"]) == ("", "")


def test_fuzzy_candidate_is_only_suggested(rows):
    r = row(rows, "医療分野国際科学技術共同研究開発推進事業", "医療分野国際科学技術共同研究開発推進プログラム")
    assert (r["match"], r["change_yen"]) == ("suggested", "")
    assert sum(x["program_new"] == "医療分野国際科学技術共同研究開発推進プログラム" for x in rows) == 1


def test_a_suggestion_is_said_to_be_neither_new_nor_dropped(pair):
    """diff.md says what the tables do: the suggested pair is in neither the
    new nor the dropped list, and the memo says so; the crosswalk snippet
    carries a date placeholder, not the day it was written (no clock in an output)."""
    md = (pair / "diff.md").read_text(encoding="utf-8")
    new = md[md.index("## New programs"):md.index("## Dropped programs")]
    dropped = md[md.index("## Dropped programs"):md.index("## Renamed programs")]
    suggestions = md[md.index("## Suggestions awaiting review"):]
    assert "医療分野国際科学技術共同研究開発推進プログラム" in suggestions
    assert "医療分野国際科学技術共同研究開発推進プログラム" not in new
    assert "医療分野国際科学技術共同研究開発推進事業" not in dropped
    assert "counted neither as new nor as dropped" in suggestions and "counts as dropped" not in md
    assert "reviewed_on: <YYYY-MM-DD>" in suggestions


def test_two_inputs_of_one_release_warn_and_draw_no_chart(bundled, tmp_path):
    """The PDF and the text of one release state the same years: the diff
    warns, says so in diff.md, and draws no chart of zero bars."""
    out = tmp_path / "same"
    (out).mkdir()
    (out / "chart.png").write_bytes(b"an earlier chart")
    r = run("diff", bundled["pdf"], bundled["text"], "--out", out)
    assert r.returncode == 0, r.stderr
    warnings = [line for line in r.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "state the same years" in warnings[0] and "no chart.png" in warnings[0]
    assert not (out / "chart.png").exists()   # nor the earlier run's
    md = (out / "diff.md").read_text(encoding="utf-8")
    assert "Both releases state the same years" in md and "chart.png" not in md
    assert (out / "diff.csv").is_file()


def test_totals_and_supplementary_compared_year_to_year(rows):
    assert row(rows, "総額", "総額")["change_yen"] == str(18 * OKU)
    supp = row(rows, "総額", "総額", "supplementary")
    assert (supp["fiscal_year"], supp["amount_old"], supp["amount_new"]) == ("2026", str(176 * OKU), str(95 * OKU))
    one_sided = row(rows, "脳神経科学統合プログラム", "脳神経科学統合プログラム", "supplementary")
    assert (one_sided["amount_new"], one_sided["change_yen"]) == ("", "")


# ------------------------------------------------------------ consistency.csv

def test_consistency_is_the_hand_written_expectation(pair):
    got = read_csv(pair / "consistency.csv")
    assert as_set(got) == as_set(read_csv(EXPECTED / "consistency.csv"))
    differs = [r for r in got if r["status"] == "differs"]
    assert [(r["program_new"], r["difference_yen"]) for r in differs] == [("革新的先端研究開発支援事業", "-100000000")]


# ------------------------------------------------------------ diff.md and chart.png

def test_diff_md_reads_as_a_memo(pair):
    md = (pair / "diff.md").read_text(encoding="utf-8")
    sections = ["## Totals", "## Summary", "## Largest increases", "## Largest decreases", "## New programs",
                "## Dropped programs", "## Renamed programs", "## Splits and merges", "## Portions (内数)",
                "## Suggestions awaiting review", "## Consistency"]
    positions = [md.index(s) for s in sections]
    assert positions == sorted(positions)
    assert "fiscal_year in diff.csv is the new release's year" in md
    assert "| 総額 | 当初（案） | 852億円 | 870億円 | +18億円 | +2.1% |" in md
    assert "| 新興・再興感染症研究基盤創生事業 | 当初（案） | 20億円 | 21.5億円 | +1.5億円 | +7.5% |" in md
    assert "**Split** (predecessor): 再生・細胞医療・遺伝子治療実現加速化プログラム → " \
           "再生・細胞医療実現加速化プログラム + 遺伝子治療実現加速化プログラム" in md
    assert "92億円 → 94億円" in md and "+2億円 (+2.2%) for the group" in md
    assert "106億円の内数 → 104億円の内数" in md
    assert "- old: 医療分野国際科学技術共同研究開発推進事業" in md           # ready to paste into the crosswalk
    assert "| 革新的先端研究開発支援事業 | 当初 | 2026 | 111億円 (案) | 110億円 (成立) | -1億円 |" in md
    increases = md[md.index("## Largest increases"):md.index("## Largest decreases")]
    assert "「世代をつなぐ生命科学」" not in increases and "医療機器" not in increases


def test_chart_is_a_png_drawn_with_the_packaged_japanese_font(pair):
    from pipeline.chart import japanese_font
    png = (pair / "chart.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    assert japanese_font().name == "ipaexg.ttf"        # from matplotlib-fontja, not the machine's fonts


def test_chart_labels_render_in_the_japanese_font(releases):
    from pipeline.chart import chart_panels, missing_glyphs
    from pipeline.diff import diff_releases, read_release
    aliases, threshold = load_aliases(ALIASES)
    d = diff_releases(read_release(releases[0]), read_release(releases[1]), aliases, threshold)
    panels = chart_panels(d)
    labels = [t for t, _ in panels] + [b[0] for _, bars in panels for b in bars]
    assert any("バイオ医薬品研究開発基盤事業（旧: スマートバイオ創薬等研究支援事業）" == x for x in labels)
    assert not any("世代をつなぐ" in x for x in labels)        # portions are not charted
    assert missing_glyphs(labels) == set()


# ------------------------------------------------------------ one release

def test_single_release_year_over_year(releases, tmp_path):
    out = tmp_path / "within"
    r = run("diff", releases[0], "--out", out)
    assert r.returncode == 0, r.stderr
    rows = read_csv(out / "diff.csv")
    biobank = row(rows, "ゲノム医療実現バイオバンク利活用プログラム(B-cure)", "次世代医療実現バイオバンク利活用プログラム")
    assert (biobank["match"], biobank["amount_old"], biobank["amount_new"], biobank["change_yen"],
            biobank["change_pct"]) == ("predecessor", "4300000000", "4100000000", "-200000000", "-4.7")
    kaken = row(rows, "科研費・創発事業による若手・新領域支援の一体改革", "科研費・創発事業による若手・新領域支援の一体改革")
    assert (kaken["stage"], kaken["fiscal_year"], kaken["change_yen"], kaken["change_pct"]) == \
        ("draft", "2026", "10000000000", "4.2")
    portion = row(rows, "「世代をつなぐ生命科学」に関する研究", "「世代をつなぐ生命科学」に関する研究")
    assert portion["change_yen"] == ""
    assert {r["budget"] for r in rows} == {"initial"}
    assert len(rows) == 17
    assert not (out / "consistency.csv").exists()
    assert (out / "chart.png").is_file() and "Year-over-year table inside" in (out / "diff.md").read_text(encoding="utf-8")


def test_single_release_lists_new_programs(releases, tmp_path):
    r = run("diff", releases[1], "--out", tmp_path / "within")
    assert r.returncode == 0, r.stderr
    rows = read_csv(tmp_path / "within" / "diff.csv")
    new = sorted(r["program_new"] for r in rows if r["match"] == "new")
    assert new == ["AI駆動型創薬研究推進事業"]
    split = [r for r in rows if r["program_old"] == "再生・細胞医療・遺伝子治療実現加速化プログラム"]
    assert len(split) == 2 and {r["match"] for r in split} == {"predecessor"}
    assert row(rows, "ライフサイエンス研究基盤整備事業", "ライフサイエンス研究基盤高度化事業")["change_yen"] == "200000000"


# ------------------------------------------------------------ outputs, errors

def test_outputs_are_replaced_whole_and_stale_ones_removed(releases, tmp_path):
    out = tmp_path / "d"
    assert run("diff", *releases, "--out", out).returncode == 0
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert run("diff", releases[1], "--out", out).returncode == 0
    assert not (out / "consistency.csv").exists()                    # from the earlier two-release run
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"  # not ours: kept
    assert visible(tmp_path) == ["d"]         # no temporary folder left (the lock .d.lock stays)


def test_not_an_output_folder_is_a_one_line_error(releases, tmp_path):
    r = run("diff", tmp_path, releases[1], "--out", tmp_path / "d")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: OLD ") and "not a release output folder" in lines[0]
    assert not (tmp_path / "d").exists()
    r = run("diff", releases[0], tmp_path / "missing", "--out", tmp_path / "d")
    assert r.returncode == 2 and r.stderr.startswith("error: NEW ") and "Traceback" not in r.stderr


def test_malformed_crosswalk_names_file_and_entry(releases, tmp_path):
    bad = tmp_path / "aliases.yaml"
    bad.write_text("aliases:\n  - old: A事業\n    new: B事業\n    note: n\n    reviewed_by: x\n"
                   "  - old: C事業\n    new: D事業\n    note: n\n", encoding="utf-8")
    r = run("diff", *releases, "--out", tmp_path / "d", "--aliases", bad)
    assert r.returncode == 6
    assert r.stderr.strip() == f"error: {bad}: aliases entry 1 (A事業 -> B事業): missing reviewed_on"
    bad.write_text("aliases: [\n", encoding="utf-8")
    r = run("diff", *releases, "--out", tmp_path / "d", "--aliases", bad)
    assert r.returncode == 6 and "not valid YAML" in r.stderr


def test_an_empty_crosswalk_leaves_the_rename_unmatched(releases, tmp_path):
    empty = tmp_path / "aliases.yaml"
    empty.write_text("fuzzy_threshold: 80\naliases: []\n", encoding="utf-8")
    assert run("diff", *releases, "--out", tmp_path / "d", "--aliases", empty).returncode == 0
    rows = read_csv(tmp_path / "d" / "diff.csv")
    assert row(rows, "スマートバイオ創薬等研究支援事業", "")["match"] == "dropped"
    assert row(rows, "", "バイオ医薬品研究開発基盤事業")["match"] == "new"


# ------------------------------------------------------------ pure functions

def test_shipped_crosswalk_is_valid_and_reviewed():
    aliases, threshold = load_aliases(ALIASES)
    assert threshold == 80
    assert Alias("スマートバイオ創薬等研究支援事業", "バイオ医薬品研究開発基盤事業") in \
        [Alias(a.old, a.new) for a in aliases]
    assert all(a.note and a.reviewed_by and a.reviewed_on for a in aliases)


@pytest.mark.parametrize("entry, message", [
    ("not a mapping", "aliases entry 1: must be a mapping"),
    ({"old": "A", "new": "A", "note": "n", "reviewed_by": "x", "reviewed_on": "2026-11-26"}, "old and new are the same"),
    ({"old": "A", "new": "B", "note": "n", "reviewed_by": "x", "reviewed_on": "yesterday"}, "reviewed_on must be a date"),
    ({"old": "A", "new": "B", "note": "n", "reviewed_by": "x", "reviewed_on": "2026-11-26", "by": 1}, "unknown field"),
])
def test_crosswalk_entry_checks(entry, message):
    with pytest.raises(PipelineError, match=message) as e:
        parse_aliases({"aliases": [entry]}, "rules/aliases.yaml")
    assert str(e.value).startswith("rules/aliases.yaml: aliases entry 1")


def test_merge_of_two_programs_by_crosswalk():
    aliases = [Alias("X事業", "XY統合事業", "n", "r", "2026-11-26"), Alias("Y事業", "XY統合事業", "n", "r", "2026-11-26")]
    ms = match_programs(["X事業", "Y事業"], {"XY統合事業": ""}, aliases)
    assert [(m.old, m.new, m.method) for m in ms] == [("X事業", "XY統合事業", "alias"), ("Y事業", "XY統合事業", "alias")]
    old = {"X事業": {("initial", "draft"): Figure(10 * OKU)}, "Y事業": {("initial", "draft"): Figure(5 * OKU)}}
    new = {"XY統合事業": {("initial", "draft"): Figure(16 * OKU)}}
    rows = diff_rows(ms, old, new, {"initial": 2027})
    assert [r.change_yen for r in rows] == [None, None]
    [g] = group_summaries(ms, rows)
    assert (g["kind"], g["old"], g["new"]) == ("merge", ["X事業", "Y事業"], ["XY統合事業"])
    assert (g["figures"][0]["old"], g["figures"][0]["new"], g["figures"][0]["change"]) == (15 * OKU, 16 * OKU, OKU)


def test_same_name_wins_over_later_methods():
    ms = match_programs(["A事業", "B事業"], {"A事業": "B事業"}, [Alias("A事業", "A事業2", "n", "r", "2026-11-26")])
    assert [(m.old, m.new, m.method) for m in ms] == [("A事業", "A事業", "same"), ("B事業", "A事業", "predecessor")]


def test_normalization_ignores_width_and_spaces_but_keeps_brackets():
    assert normalize_name("ＢＩＮＤＳ 事業（第２期）") == normalize_name("BINDS事業(第2期)")
    assert normalize_name("事業(BINDS)") != normalize_name("事業")
