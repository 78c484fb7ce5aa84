"""The pipeline's errors: one clear line for the user, no traceback.

One class per failure family, each with its documented exit code; every
raise site adds a stable error ``code`` (``input.empty``, ``rules.example``,
…) that scripts and the README's bad-input table can rely on. The message is
what the user reads; the code is what does not change when it is reworded.
"""
from __future__ import annotations


class PipelineError(Exception):
    """A problem the user can fix. ``exit_code`` is documented in the README."""

    exit_code = 2
    family = "usage"

    def __init__(self, message: str, exit_code: int | str | None = None, code: str | None = None):
        super().__init__(message)
        if isinstance(exit_code, str):      # PipelineError(message, code) in a subclass
            exit_code, code = None, exit_code
        if exit_code is not None:
            self.exit_code = exit_code
        self.code = code or self.family


class UsageError(PipelineError):
    """A command line or an argument the pipeline cannot use (exit 2)."""
    exit_code, family = 2, "usage"


class ParseError(PipelineError):
    """A value a rule matched that cannot be read as an amount or a year (exit 2)."""
    exit_code, family = 2, "parse"


class InputError(PipelineError):
    """An input file that cannot be read: missing, empty, not a PDF, damaged (exit 3)."""
    exit_code, family = 3, "input"


class EncryptedError(InputError):
    """A PDF that needs a password, or was given the wrong one (exit 4)."""
    exit_code, family = 4, "encrypted"


class OutputError(PipelineError):
    """An output folder or file that cannot be written (exit 5)."""
    exit_code, family = 5, "output"


class RulesError(PipelineError):
    """A rule file, rule, rule pack or crosswalk that is broken (exit 6)."""
    exit_code, family = 6, "rules"


class NoBudgetError(PipelineError):
    """An input that holds no amount and no budget label at all (exit 7)."""
    exit_code, family = 7, "no-budget"


class TooLargeError(InputError):
    """A text input over the documented size limit (exit 9)."""
    exit_code, family = 9, "too-large"


class TimeBudgetError(PipelineError):
    """A release that ran past its time budget, --timeout (exit 10)."""
    exit_code, family = 10, "timeout"


VALIDATION_FAILED = 8   # extract: every output written, but validation found a conflict or a mismatch
SETUP = 11              # the Python running the pipeline is too old or lacks one of its packages (outside .venv)
INTERNAL = 70           # anything unforeseen: a bug to report
INTERRUPTED = 130
