"""Shared test setup: the project's paths, and the real-page score printed
at the end of `make test` (tests/test_realtext.py computes it)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pytest_terminal_summary(terminalreporter):
    import scoring
    report = getattr(scoring, "LAST_REPORT", None)
    if report:
        terminalreporter.write_sep("=", "real-page score")
        terminalreporter.write_line(report)
