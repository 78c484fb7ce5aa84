"""Steps 3 and 4: a rendered region cut into panels at white gaps and ruled
lines (an XY cut), and the panels stacked into one image for Tesseract."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.ocr.settings import SETTINGS, OcrSettings


def _runs(profile, min_gap: int, walls=None) -> list[tuple[int, int]]:
    """(start, end) of the inked stretches of a 0/1 profile, stretches closer
    than ``min_gap`` blank cells joined — unless a wall (a ruled line, marked
    in ``walls``) stands in the blank between them.

    >>> _runs([0, 1, 1, 0, 1, 0, 0, 0, 1], 2)
    [(1, 5), (8, 9)]
    >>> _runs([0, 1, 1, 0, 1, 0, 0, 0, 1], 2, walls=[0, 0, 0, 1, 0, 0, 0, 0, 0])
    [(1, 3), (4, 5), (8, 9)]
    """
    import numpy as np
    idx = np.flatnonzero(np.asarray(profile))
    if not idx.size:
        return []
    gaps = np.diff(idx) > 1
    cut = np.flatnonzero(np.diff(idx) > min_gap)
    if walls is not None:
        wall_at = np.flatnonzero(np.asarray(walls))
        if wall_at.size:
            k = np.flatnonzero(gaps)
            lo, hi = idx[k], idx[k + 1]   # the blank between two stretches: (lo, hi)
            walled = np.searchsorted(wall_at, hi) > np.searchsorted(wall_at, lo, side="right")
            cut = np.union1d(cut, k[walled])
    starts = [int(idx[0]), *(int(idx[k + 1]) for k in cut)]
    ends = [*(int(idx[k]) + 1 for k in cut), int(idx[-1]) + 1]
    return list(zip(starts, ends))


def _spans(profile) -> int:
    """From the first to the last inked cell of a profile.

    >>> _spans([0, 1, 0, 0, 1, 0])
    4
    """
    import numpy as np
    idx = np.flatnonzero(np.asarray(profile))
    return int(idx[-1] - idx[0] + 1) if idx.size else 0


def xy_cut(ink, row_gap: int, column_gap: int, max_depth: int = SETTINGS.max_depth,
           walls=None, tall: int = 0, narrow_gap: int = 0, block_gap: int = 0) -> list[tuple[int, int, int, int]]:
    """Panels of an ink mask (rows × columns of booleans), in reading order,
    each trimmed to its ink; boxes are (x0, y0, x1, y1) in pixels. A region
    is cut, the first of these that cuts it:

    1. at blank rows at least ``block_gap`` tall (blocks far apart);
    2. when it is at least ``tall`` high, at blank columns only
       ``narrow_gap`` wide running its whole height, when the columns it
       leaves each run down at least half of it (two columns of text set
       close: a stripe through many lines is no gap inside a line, such as
       the one before 「（案）」);
    3. at blank columns at least ``column_gap`` wide;
    4. at the first blank rows at least ``row_gap`` tall: its top line
       (or band) is taken off, and the rest is cut again.

    ``walls`` — (horizontal, vertical) masks of ruled lines taken out of the
    ink — also cut, however narrow the blank they stand in, where they run
    along at least half of the region.

    >>> import numpy as np
    >>> ink = np.zeros((10, 20), bool); ink[1:3, 1:5] = ink[1:3, 12:18] = ink[7:9, 2:9] = True
    >>> xy_cut(ink, row_gap=2, column_gap=3)
    [(1, 1, 5, 3), (12, 1, 18, 3), (2, 7, 9, 9)]
    """
    out: list[tuple[int, int, int, int]] = []
    flat, upright = walls if walls is not None else (None, None)

    def wall_profile(mask, x0: int, y0: int, x1: int, y1: int, axis: int):
        if mask is None:
            return None
        sub = mask[y0:y1, x0:x1]
        return sub.sum(axis=axis) * 2 >= sub.shape[axis]

    def cut(x0: int, y0: int, x1: int, y1: int, depth: int) -> None:
        rows_ink = ink[y0:y1, x0:x1].any(axis=1)
        rows = _runs(rows_ink, block_gap or row_gap, wall_profile(flat, x0, y0, x1, y1, 1))
        if not rows:
            return
        y0, y1 = y0 + rows[0][0], y0 + rows[-1][1]
        parts: list[tuple[int, int, int, int]] = [(x0, y0 + s - rows[0][0], x1, y0 + e - rows[0][0]) for s, e in rows]
        if len(parts) == 1:
            cols_ink = ink[y0:y1, x0:x1].any(axis=0)
            walls_v = wall_profile(upright, x0, y0, x1, y1, 0)
            cols = _runs(cols_ink, narrow_gap, walls_v) if tall and narrow_gap and y1 - y0 >= tall else []
            if len(cols) > 1 and not all(_spans(ink[y0:y1, x0 + s:x0 + e].any(axis=1)) * 2 >= y1 - y0 for s, e in cols):
                cols = []   # columns each run down most of the region; a stripe beside a short line is no column gap
            if len(cols) <= 1:
                cols = _runs(cols_ink, column_gap, walls_v)
            parts = [(x0 + s, y0, x0 + e, y1) for s, e in cols]
        if len(parts) == 1 and block_gap:   # the top line peeled off: what is left may have columns
            small = _runs(ink[y0:y1, x0:x1].any(axis=1), row_gap, wall_profile(flat, x0, y0, x1, y1, 1))
            if len(small) > 1:
                parts = [(x0, y0 + small[0][0], x1, y0 + small[0][1]), (x0, y0 + small[1][0], x1, y1)]
        if len(parts) > 1 and depth < max_depth:
            for p in parts:
                cut(*p, depth + 1)
            return
        x0, y0, x1, y1 = parts[0]
        cols = _runs(ink[y0:y1, x0:x1].any(axis=0), 1)
        out.append((x0 + cols[0][0], y0, x0 + cols[-1][1], y1))

    cut(0, 0, ink.shape[1], ink.shape[0], 0)
    return out


def _long_runs(ink, length: int):
    """Cells of an ink mask that lie in a horizontal run of ink at least
    ``length`` long (sliding window sums: linear in the image)."""
    import numpy as np
    h, w = ink.shape
    if w < length:
        return np.zeros_like(ink)
    s = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(ink, axis=1, out=s[:, 1:])
    starts = (s[:, length:] - s[:, :-length]) == length          # window [j, j+length) all ink
    c = np.zeros((h, w + 1), dtype=np.int32)
    np.cumsum(np.pad(starts, ((0, 0), (0, length - 1))), axis=1, out=c[:, 1:])
    covered = c[:, 1:] - np.pad(c[:, 1:], ((0, 0), (length, 0)))[:, :w]   # starts within (j-length, j]
    return covered > 0


def ruled_lines(ink, length: int, thickness: int):
    """(horizontal, vertical): masks of the ruled lines of an ink mask — thin
    strokes at least ``length`` long (a box's border, a table's grid), which
    the cut goes through rather than around. A stroke with ink ``thickness``
    beyond either side of it is no line (the inside of a dark band).

    >>> import numpy as np
    >>> ink = np.zeros((12, 30), bool); ink[0, :] = ink[:, 0] = True; ink[4:8, 4:26] = True; ink[10, 3:6] = True
    >>> flat, upright = ruled_lines(ink, length=10, thickness=2)
    >>> bool(flat[0, 15]), bool(upright[6, 0]), bool(flat[5, 15]), bool(flat[10, 4])
    (True, True, False, False)
    """
    import numpy as np

    def thin(ink):   # in a long run, with no ink ``thickness`` above and below it
        above = np.zeros_like(ink)
        below = np.zeros_like(ink)
        above[thickness:] = ink[:-thickness]
        below[:-thickness] = ink[thickness:]
        return _long_runs(ink, length) & ~above & ~below

    return thin(ink), thin(ink.T).T   # vertical lines: the same, on the transposed mask


@dataclass(frozen=True)
class Slot:
    top: int                 # rows of the composite the panel occupies (with its padding)
    bottom: int
    panel: tuple[int, int, int, int]   # the panel in the region image, pixels


def panels_of(a, settings: OcrSettings = SETTINGS) -> list[tuple[tuple[int, int, int, int], bool]]:
    """(panel, dark) for a gray region (a numpy array): the cut of its ink,
    ruled lines cut through; a dark panel (light text on a fill) cut again
    at narrow gaps in its dark part alone — two dark header cells side by
    side are two panels, each inverted on its own."""
    px = settings.dpi / 72
    ink = a < settings.ink_level
    flat, upright = ruled_lines(ink, round(settings.rule_length_pt * px), max(1, round(settings.rule_thickness_pt * px)))
    row_gap, narrow = max(1, round(settings.row_gap_pt * px)), max(1, round(settings.narrow_column_gap_pt * px))
    least = settings.min_panel_pt * px
    out = []
    for p in xy_cut(ink & ~flat & ~upright, row_gap, max(1, round(settings.column_gap_pt * px)), settings.max_depth,
                    (flat, upright), round(settings.tall_region_pt * px), narrow, round(settings.block_gap_pt * px)):
        if min(p[2] - p[0], p[3] - p[1]) < least:
            continue
        if a[p[1]:p[3], p[0]:p[2]].mean() >= settings.dark_panel:
            out.append((p, False))
            continue
        dark = a[p[1]:p[3], p[0]:p[2]] < settings.dark_panel
        for q in xy_cut(dark, row_gap, narrow, settings.max_depth):
            box = (p[0] + q[0], p[1] + q[1], p[0] + q[2], p[1] + q[3])
            if min(box[2] - box[0], box[3] - box[1]) >= least:
                out.append((box, bool(a[box[1]:box[3], box[0]:box[2]].mean() < settings.dark_panel)))
    return out


def composite(gray, settings: OcrSettings = SETTINGS):
    """(image, slots): the panels of a region image stacked in one column,
    each padded with white and light-on-dark ones inverted; None when the
    region has no ink."""
    import numpy as np
    from PIL import Image, ImageOps
    px = settings.dpi / 72
    panels = panels_of(np.asarray(gray), settings)
    if not panels:
        return None, []
    pad = round(settings.padding_pt * px)
    width = max(p[2] - p[0] for p, _ in panels) + 2 * pad
    height = sum(p[3] - p[1] + 2 * pad for p, _ in panels)
    image = Image.new("L", (width, height), 255)
    slots, y = [], 0
    for p, dark in panels:
        crop = gray.crop(p)
        image.paste(ImageOps.invert(crop) if dark else crop, (pad, y + pad))
        slots.append(Slot(y, y + p[3] - p[1] + 2 * pad, p))
        y += p[3] - p[1] + 2 * pad
    return image, slots
