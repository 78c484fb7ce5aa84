"""The pipeline against real pages: 79 captured pages (MEXT slide decks of
令和6-8, 平成 HTML pages, MHLW, MOF and Cabinet Office pages, and 36 news and
secondary pages that tell budgets in sentences) whose expected records were
written by hand from the text alone (tests/golden/realtext/, labelled twice
and reconciled; never from the pipeline's output). The score is printed at
the end of `make test`; pages marked held_out were never read while the rules
were tuned and are reported separately (nine of the first twenty held-out pages
were opened on 2026-12-03 and count as tuned since; INDEX.json says which). The made-up probe pages
(tests/golden/probes/, other layouts, written by a helper who never saw the
pipeline) are scored too.

The bars are the ones this pipeline reaches; falling below any of them fails."""
from __future__ import annotations

import pytest

import scoring

BARS = {   # (recall, precision) at least: a little under what the pipeline reaches (README, "How well it reads")
    "mext-slide": (0.97, 0.97),
    "prose": (0.87, 0.86),
    "all (tuned)": (0.91, 0.93),
    "held-out mext-slide": (0.97, 0.97),
    "held-out prose": (0.49, 0.46),   # (0.500 / 0.469 since 2026-12-04)
    "held-out all": (0.47, 0.49),
    "all 79 pages": (0.86, 0.87),
    "made-up probes (14)": (0.94, 0.93),
    "made-up news (12)": (0.80, 0.74),
    "made-up decks (12)": (0.91, 0.89),
    "made-up ministries (12)": (0.93, 0.92),
    "made-up captures (12)": (0.98, 0.97),
    "made-up prose (12)": (0.83, 0.79),
    "made-up mixed (12)": (0.90, 0.91),
    "made-up articles (12)": (0.88, 0.82),
    "made-up tables (12)": (0.85, 0.88),
    "made-up MOF pages (12)": (0.86, 0.88),
    "made-up reports (12)": (0.79, 0.68),
    "made-up agencies (12)": (0.92, 0.91),
    "made-up aside (never tuned) (12)": (0.66, 0.67),   # kept aside: its bar stays under its first run (0.669 / 0.677)
    "made-up PDFs and texts (40)": (0.84, 0.88),
    "bundled via converters (9)": (0.94, 0.94),
}


@pytest.fixture(scope="module")
def scored():
    groups, pages = scoring.score_all()
    scoring.LAST_REPORT = scoring.report(groups)   # printed by conftest at the end of the run
    return groups, pages


@pytest.mark.parametrize("group", list(BARS))
def test_score_holds_its_bar(scored, group):
    groups, _ = scored
    recall, precision = BARS[group]
    g = groups[group]
    assert g.recall >= recall and g.precision >= precision, g.line(group)


def test_no_wrong_figure_is_marked_checked(scored):
    """A figure that differs from the hand-written golden must never say it was
    checked: it is `single` or `conflict`, not `witnessed` or `golden`."""
    _, pages = scored
    bad = [(p.stem, a["program"], a["amount_yen"], a["check"]) for p in pages for what, a, _ in p.details
           if a is not None and a.get("check") in ("witnessed", "golden")]
    assert bad == []


def test_no_page_is_refused(scored):
    """Every page gives records (or none) — none stops with an error because
    it names no year in a box."""
    _, pages = scored
    assert len(pages) == len(scoring.index()) == 79


def test_pages_with_no_budget_figure_give_few(scored):
    """Pages whose golden has no row (a pie chart of split digits, bounds and
    deltas, allocations): the figures the pipeline still reads there are
    all wrong — at most the number this pipeline reaches (tuned pages)."""
    _, pages = scored
    empty = [p for p in pages if p.expected == 0 and not p.held_out]
    assert len(empty) >= 4 and sum(p.predicted for p in empty) <= 1, [(p.stem, p.predicted) for p in empty]


def test_every_figure_names_the_rule_and_strategy_that_read_it():
    from pipeline.rules import load_rules
    rules = load_rules()
    strategies = {"inline", "bracket", "arrow", "sentence", "box", "order", "governed", "table", "slide", "note"}
    for entry in scoring.index():
        for a in scoring.run_page(entry, None):
            rid, _, how = a["rule"].partition("@")
            assert (rid in rules or rid in ("", "table.column")) and how in strategies, (entry["file"], a["rule"][:80])


# No known defect left: the two witnessed-but-wrong figures of 05-pymupdf (a text table's name wrapped
# over two lines read as its second half) went on 2026-12-03 with cells.fills_name_cell. Any such figure fails.
KNOWN_WITNESSED_WRONG: dict[str, int] = {}


def test_no_wrong_figure_on_the_probe_pages_is_marked_checked(scored):
    """The same on the made-up probe pages (but for the known defect above)."""
    groups, _ = scored
    probes = [g for name, g in groups.items() if name.startswith("made-up")]
    assert len(probes) == len(scoring.PROBE_SETS) and all(g.pages >= 12 for g in probes)
    assert {name: g.wrong_checked for name, g in groups.items() if name.startswith("made-up")
            and g.wrong_checked > KNOWN_WITNESSED_WRONG.get(name, 0)} == {}


def test_no_wrong_figure_of_the_bundled_release_through_other_converters_is_marked_checked(scored):
    """The bundled release as nine converters write it (tests/fixtures/converters):
    a figure given to the wrong program or year stays single or conflict."""
    groups, _ = scored
    converted = groups["bundled via converters (9)"]
    assert converted.pages == 9 and converted.wrong_checked == 0
