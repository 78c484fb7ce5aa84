"""Progress of one long input, on a terminal: a bar of its pages on stderr,
shown only once the step has taken a few seconds (tqdm's ``delay``), never
into a file or a pipe, and off in a batch (which has its own bar of releases).
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

DELAY_SECONDS = 3.0
ON = False   # set by run_extract: one input, read in this process, stderr a terminal


@contextmanager
def pages_bar(total: int, step: str, stream=None, delay: float | None = None,
              on: bool | None = None) -> Iterator[Callable[[], object]]:
    """A ``tick()`` to call once per page of a step (``reading``, ``OCR``);
    it draws nothing unless progress is on and the stream is a terminal.

    >>> with pages_bar(3, "reading") as tick:   # off: nothing is drawn
    ...     _ = [tick() for _ in range(3)]
    """
    stream = stream or sys.stderr
    if not ((ON if on is None else on) and total > 1 and stream.isatty()):
        yield lambda: None
        return
    from tqdm import tqdm
    with tqdm(total=total, unit="page", desc=step, delay=DELAY_SECONDS if delay is None else delay, file=stream,
              leave=False) as bar:
        yield bar.update
