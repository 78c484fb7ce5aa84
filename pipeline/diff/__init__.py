"""Year-over-year diff: what changed between two releases, with program lineage.

``python -m pipeline diff OLD NEW --out DIR`` compares two release output
folders (as written by ``extract``); ``python -m pipeline diff NEW --out DIR``
compares a release's draft figures with the prior-year figures it states.

Programs are matched in this order, and the method is kept per row:

1. ``same`` — the same name after :func:`normalize_name`;
2. ``alias`` — a reviewed crosswalk entry in rules/aliases.yaml;
3. ``predecessor`` — the NEW release's own note 「※令和N年度は…で実施」
   (programs.csv ``predecessor``) names the OLD program;
4. ``suggested`` — a fuzzy candidate (rapidfuzz ratio ≥ ``fuzzy_threshold``),
   reported for review and never applied.

Programs left over are ``new`` or ``dropped``. Totals (level ``total``) are
matched among themselves, programs among themselves; components are not
compared (their program is).

Figures are paired by (budget, stage): the old release's figure for its own
year against the new release's figure for its year, e.g. old initial/draft/
2026 against new initial/draft/2027; ``fiscal_year`` in diff.csv is the new
release's year. Where the two releases state one budget at different stages
(a request release against a draft release) the one figure of each side is
paired. Portion (内数) figures are listed but never compared; rows of a split
or merge carry no change of their own (diff.md gives the group's change).
"""
from __future__ import annotations

import shutil
import sys
from collections import defaultdict
from pathlib import Path

from pipeline.diff.compare import (
    CONSISTENCY_COLUMNS,
    DIFF_COLUMNS,
    Diff,
    DiffRow,
    Figure,
    Release,
    consistency_rows,
    diff_releases,
    diff_rows,
    diff_within,
    group_summaries,
    pair_figures,
    read_release,
)
from pipeline.diff.memo import diff_markdown
from pipeline.errors import OutputError
from pipeline.files import replaced_folder, write_csv
from pipeline.lineage import (
    METHODS,
    Alias,
    Match,
    default_aliases_path,
    load_aliases,
    match_programs,
    normalize_name,
    parse_aliases,
)

__all__ = ["Alias", "CONSISTENCY_COLUMNS", "DIFF_COLUMNS", "Diff", "DiffRow", "Figure", "Match", "Release",
           "consistency_rows", "diff_markdown", "diff_releases", "diff_rows", "diff_within", "group_summaries",
           "load_aliases", "match_programs", "normalize_name", "pair_figures", "parse_aliases", "read_release",
           "run_diff", "write_outputs"]

OUTPUT_FILES = ("diff.csv", "diff.md", "chart.png", "consistency.csv")


def write_outputs(d: Diff, out: Path) -> list[str]:
    """Write diff.csv, diff.md, chart.png (and consistency.csv with two
    releases) into the folder ``out``, all at once (files.replaced_folder).
    Outputs of an earlier run that this run does not make are gone; other
    files in ``out`` are kept."""
    from pipeline.chart import bar_chart, chart_panels
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder", "output.not-folder")
    written = []
    with replaced_folder(out) as tmp:
        if out.is_dir():
            for kept in out.iterdir():
                if kept.name not in OUTPUT_FILES:
                    (shutil.copytree if kept.is_dir() else shutil.copy2)(kept, tmp / kept.name)
        write_csv(tmp / "diff.csv", [r.csv_row() for r in d.rows], DIFF_COLUMNS)
        written.append("diff.csv")
        if d.consistency is not None:
            write_csv(tmp / "consistency.csv", d.consistency, CONSISTENCY_COLUMNS)
            written.append("consistency.csv")
        (tmp / "diff.md").write_text(diff_markdown(d), encoding="utf-8")
        written.append("diff.md")
        if not d.same_years:   # (two readings of one release: a chart of zero bars says nothing)
            title = (f"{d.old.release} → {d.new.release}" if d.old else d.new.release) + "　事業ごとの増減（億円）"
            missing = bar_chart(chart_panels(d), tmp / "chart.png", title)
            if missing:
                print(f"warning: chart.png: the font lacks {''.join(sorted(missing))}", file=sys.stderr)
            written.append("chart.png")
    return written


def run_diff(args) -> int:
    """The ``diff`` command: ``diff [OLD] NEW --out DIR [--aliases FILE]``."""
    aliases, threshold = load_aliases(args.aliases)
    aliases_path = Path(args.aliases or default_aliases_path())
    old = read_release(args.old, "OLD") if args.old is not None else None
    new = read_release(args.new, "NEW")
    if old is not None:
        d = diff_releases(old, new, aliases, threshold, aliases_path)
    else:
        d = diff_within(new, aliases, threshold, aliases_path)
    if d.same_years and old is not None:
        print(f"warning: {old.release} and {new.release} state the same years: two inputs of one release? "
              "nothing changed year over year; diff.csv compares the two readings, and no chart.png is drawn",
              file=sys.stderr)
    written = write_outputs(d, args.out)
    counts: dict[str, int] = defaultdict(int)
    for m in d.matches:
        counts[m.method] += 1
    summary = ", ".join(f"{counts[k]} {k}" for k in METHODS if counts[k])
    what = f"{d.old.release} → {d.new.release}" if d.old else f"{d.new.release} (within)"
    print(f"{what}: {summary}; {len(d.rows)} rows -> {Path(args.out)}/ ({', '.join(written)})")
    return 0
