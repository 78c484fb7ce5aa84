"""Command line: ``budget-pipeline COMMAND ...`` (after ``pip install .``) or
``python -m pipeline COMMAND ...``; ``--help`` lists the commands.

This module imports nothing outside the standard library before it runs a
command, so a Python that lacks the pipeline's packages (the system one,
outside .venv) gets a one-line hint instead of a traceback."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.errors import INTERNAL, INTERRUPTED, SETUP, OutputError, PipelineError, UsageError

MIN_PYTHON = (3, 11)


class _Parser(argparse.ArgumentParser):
    """argparse, with a usage error as one line (``error: …``) and exit 2 like every other error."""

    def error(self, message: str):
        self.exit(2, f"error: {message} ({self.prog} --help)\n")


def positive_int(text: str) -> int:
    """A count given on the command line: a whole number of at least 1.

    >>> positive_int("3")
    3
    """
    if not text.strip().isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number, not {text!r}")
    return int(text)


DEFAULT_TIMEOUT = 600.0   # seconds per release: a 500-page deck takes about 3


def positive_seconds(text: str) -> float:
    """A time on the command line: a number of seconds above 0.

    >>> positive_seconds("0.5")
    0.5
    """
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text!r}")
    return value


def program_name(argv0: str) -> str:
    """How the user called the pipeline, for its usage lines.

    >>> program_name("/usr/local/bin/budget-pipeline")
    'budget-pipeline'
    >>> program_name("/work/pipeline/__main__.py")
    'python -m pipeline'
    """
    return "budget-pipeline" if Path(argv0).stem == "budget-pipeline" else "python -m pipeline"


def missing_package_hint(module: str) -> str:
    """The one line for a Python without the pipeline's packages installed.

    >>> missing_package_hint("tqdm").startswith("the package 'tqdm' is not installed for ")
    True
    """
    return (f"the package {module!r} is not installed for {sys.executable} (Python {sys.version.split()[0]}); "
            "run the pipeline in its environment: make extract (it builds .venv; then .venv/bin/python -m "
            "pipeline …), or pip install . (it gives the budget-pipeline command)")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog=program_name(sys.argv[0]),
        description="Japanese ministry budget releases -> verified, year-comparable records.",
    )
    p.add_argument("--version", action="version", version=__version__)
    p.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    p.add_argument("--rules", default=None, metavar="PACK|DIR",
                   help="a rule pack for every input (a name in rules/packs/, or a folder with pack.yaml), "
                   "or a whole rule folder to use instead of rules/ (one with defs.yaml)")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser(
        "extract",
        help="extract pages, facts and validation for each input",
        description="For each INPUT (PDF, .txt or .md) write output/<release>/ with pages.jsonl, "
        "pages.txt, amounts/programs/observations (CSV, JSON, Parquet), validation.json/.md and "
        "meta.json. The release id is the input's file stem.",
    )
    ex.add_argument("inputs", nargs="+", metavar="INPUT", type=Path)
    ex.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    ex.add_argument("--backend", choices=("pymupdf", "pdfplumber"), default="pymupdf",
                    help="PDF text backend (default: pymupdf)")
    ex.add_argument("--max-pages", type=positive_int, default=None, help="read at most this many pages per PDF")
    ex.add_argument("--password", default=None, help="password for an encrypted PDF")
    ex.add_argument("--pages-only", action="store_true", help="stop after pages.jsonl / pages.txt")
    ex.add_argument("--no-ocr", action="store_true",
                    help="do not read pictures by OCR (pages without a text layer, image regions): an "
                    "all-image PDF is then refused, and validation fails while anything went unread")
    ex.add_argument("--jobs", type=positive_int, default=None,
                    help="worker processes for several inputs (default: all cores)")
    ex.add_argument("--timeout", type=positive_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                    help=f"time budget of each release (default: {DEFAULT_TIMEOUT:g} s); past it the release "
                    "stops with exit 10 and its earlier output is kept")
    ex.add_argument("--lenient", action="store_true",
                    help="exit 0 even when validation fails (for exploring a new release); "
                    "without it a failed validation exits 8 after every output is written")

    pb = sub.add_parser(
        "publish",
        help="rebuild budget.duckdb and datapackage.json over every release in --out",
        description="Rebuild OUT/budget.duckdb (tables releases, amounts, programs, observations, "
        "lineage; views preferred_inputs and program_series) and OUT/datapackage.json (a Frictionless "
        "data package of every release's amounts.csv and programs.csv) from the release folders in OUT.",
    )
    pb.add_argument("--out", type=Path, default=Path("output"), help="output folder (default: output/)")
    va = sub.add_parser(
        "validate",
        help="check an output folder against its golden and against itself",
        description="Compare output/<release>/ with its hand-verified golden (where raw/sources.json "
        "names one) field by field, and check the release against itself: overview vs. detail "
        "slides, components vs. parent, items vs. the release total (within rounding), years vs. "
        "the release title. Writes validation.json and validation.md; exit 1 on any mismatch.",
    )
    va.add_argument("folders", nargs="+", metavar="FOLDER", type=Path)
    di = sub.add_parser(
        "diff",
        help="year-over-year diff of two release output folders, with program lineage",
        description="Compare release output folders OLD and NEW (written by extract): programs are "
        "matched by name, then by the reviewed crosswalk rules/aliases.yaml, then by the NEW "
        "release's predecessor notes (※令和N年度は…で実施); fuzzy look-alikes are only suggested. "
        "Writes diff.csv, diff.md, chart.png and consistency.csv into --out. With NEW alone: the "
        "release's own draft figures vs. the prior-year figures it states.",
    )
    di.add_argument("old", nargs="?", metavar="OLD", type=Path, help="the earlier release's output folder")
    di.add_argument("new", metavar="NEW", type=Path, help="the later release's output folder")
    di.add_argument("--out", type=Path, default=Path("output/diff"), help="output folder (default: output/diff/)")
    di.add_argument("--aliases", type=Path, default=None,
                    help="crosswalk file (default: rules/aliases.yaml)")

    rv = sub.add_parser(
        "review",
        help="write review.html: every figure beside the PDF region it came from",
        description="Write output/<release>/review.html, a self-contained page (opens from disk) "
        "with the validation findings and one row per figure: its fields, a crop of the PDF region "
        "with the matched text highlighted (or the source lines for text input), filters, and "
        "check boxes whose ticked rows export as the golden CSVs.",
    )
    rv.add_argument("folders", nargs="+", metavar="FOLDER", type=Path)
    for sp in sub.choices.values():   # --debug also after the command: `extract --debug …`
        sp.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show tracebacks instead of one-line errors")
    return p


def main(argv: list[str] | None = None) -> int:
    if sys.version_info < MIN_PYTHON:
        print(f"error: the pipeline needs Python {'.'.join(map(str, MIN_PYTHON))} or newer, not "
              f"{sys.version.split()[0]} ({sys.executable}); make extract builds .venv with python3.11", file=sys.stderr)
        return SETUP
    args = _parser().parse_args(argv)
    try:
        if args.rules is not None:
            import pipeline.rules
            pipeline.rules.use_rules(str(args.rules))
        if args.command == "extract":
            from pipeline.run import run_extract
            return run_extract(args)
        if args.command == "review":
            from pipeline.review import write_review
            for folder in args.folders:
                print(f"{write_review(folder)}")
            return 0
        if args.command == "diff":
            from pipeline.diff import run_diff
            return run_diff(args)
        if args.command == "publish":
            from pipeline.run import run_publish
            return run_publish(args)
        if args.command == "validate":
            from pipeline.run import run_validate
            return run_validate(args)
        raise UsageError(f"unknown command {args.command}", "usage.command")
    except PipelineError as e:
        if args.debug:
            raise
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("error: interrupted; earlier outputs are left as they were", file=sys.stderr)
        return INTERRUPTED
    except OSError as e:   # the file system refused (disk full, permissions, a folder in a file's place)
        if args.debug:
            raise
        print(f"error: {e.filename2 or e.filename or args.command}: cannot write ({e.strerror or e})", file=sys.stderr)
        return OutputError.exit_code
    except Exception as e:  # a bug: one line, not a traceback, for every command
        if args.debug:
            raise
        if isinstance(e, ModuleNotFoundError) and e.name and e.name.split(".")[0] != "pipeline":
            print(f"error: {missing_package_hint(e.name.split('.')[0])}", file=sys.stderr)   # outside its environment
            return SETUP
        print(f"error: {args.command}: internal error ({type(e).__name__}: {e}); rerun with --debug and report it",
              file=sys.stderr)
        return INTERNAL


if __name__ == "__main__":
    sys.exit(main())
