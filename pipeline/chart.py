"""chart.png for the diff: horizontal bars of the change per program.

Japanese labels need a Japanese font. It comes from the PyPI package
matplotlib-fontja (a project dependency), which ships IPAexGothic; the font is
registered by path, so nothing depends on fonts installed on the machine and
no global matplotlib setting is changed (no pyplot, no rcParams).
"""
from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from pipeline.diff.compare import STAGE_JA, Diff, Release
from pipeline.errors import OutputError, UsageError
from pipeline.schema import OKU, oku_text

COLORS = {  # kind -> (colour, hatch, legend label)
    "increase": ("#2b6cb0", "", "増額"),
    "decrease": ("#c53030", "", "減額"),
    "unchanged": ("#718096", "", "増減なし"),
    "new": ("#2f855a", "//", "新規（新年度の額）"),
    "dropped": ("#a0aec0", "\\\\", "新年度資料に記載なし（旧年度の額）"),
    "group": ("#6b46c1", "..", "分割・統合（グループ計の増減）"),
}
LABEL_WIDTH = 26   # characters per label line


def japanese_font() -> Path:
    """The IPAexGothic font file shipped by matplotlib-fontja (found without
    importing the package, whose import changes matplotlib's global font)."""
    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        raise UsageError("chart.png needs the Japanese font package matplotlib-fontja "
                            "(a dependency in pyproject.toml: run `make diff` or pip install -e .)", "usage.font")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise UsageError(f"{path}: the Japanese font of matplotlib-fontja is missing", "usage.font")
    return path


def missing_glyphs(texts, font: Path | None = None) -> set[str]:
    """Characters of ``texts`` the font has no glyph for (they would show as
    boxes). Whitespace is ignored.

    >>> missing_glyphs(["次世代がん医療加速化研究事業（旧: ＡＢＣ）〔補正〕+1.5億円 ①"])
    set()
    """
    from matplotlib.ft2font import FT2Font
    cmap = FT2Font(str(font or japanese_font())).get_charmap()
    return {ch for t in texts for ch in str(t) if not ch.isspace() and ord(ch) not in cmap}


def _wrap(label: str, width: int = LABEL_WIDTH) -> str:
    """Cut a label into lines of about ``width`` fullwidth characters, between
    Japanese characters or between Latin words, never inside a Latin word.

    >>> print(_wrap("次世代医療実現バイオバンク利活用プログラム（旧: ゲノム医療実現バイオバンク利活用プログラム(B-cure)）", 20))
    次世代医療実現バイオバンク利活用プログラ
    ム（旧: ゲノム医療実現バイオバンク利活用
    プログラム(B-cure)）
    """
    import unicodedata
    lines, line, used = [], "", 0
    for token in re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-]*|.", label):
        w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in token)
        if used + w > 2 * width and line.strip():
            lines.append(line.rstrip())
            line, used = token.lstrip(), w
        else:
            line, used = line + token, used + w
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def bar_chart(panels: list[tuple[str, list[tuple[str, int, str]]]], path: Path, title: str) -> set[str]:
    """Draw each panel's bars [(label, yen, kind)] as horizontal bars in 億円,
    largest increase on top, one panel (own scale) per budget, into a PNG at
    ``path``. Returns the characters the font could not draw (empty when every
    label renders)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Patch

    font_path = japanese_font()
    fp = FontProperties(fname=str(font_path), size=9)
    fp_title = FontProperties(fname=str(font_path), size=12)
    fp_panel = FontProperties(fname=str(font_path), size=10.5)
    fp_small = FontProperties(fname=str(font_path), size=8)
    panels = [(t, sorted(b, key=lambda x: (-x[1], x[0]))) for t, b in panels if b]
    sizes = [sum(_wrap(b[0]).count("\n") + 1 for b in bars) * 0.17 + len(bars) * 0.2 + 0.9
             for _, bars in panels] or [2.0]
    fig = Figure(figsize=(11, sum(sizes) + 1.4), dpi=110)
    FigureCanvasAgg(fig)
    fig.suptitle(title, fontproperties=fp_title, x=0.01, ha="left")
    if not panels:
        fig.text(0.5, 0.5, "比較できる事業がありません（diff.md を参照）", ha="center", va="center",
                 fontproperties=fp_title)
    grid = fig.add_gridspec(max(len(panels), 1), 1, height_ratios=sizes)
    kinds_used: list[str] = []
    for i, (panel_title, bars) in enumerate(panels):
        ax = fig.add_subplot(grid[i, 0])
        ys = list(range(len(bars)))[::-1]
        values = [b[1] / OKU for b in bars]
        for y, (_label, _yen, kind), v in zip(ys, bars, values):
            color, hatch, _ = COLORS.get(kind, COLORS["unchanged"])
            ax.barh(y, v, color=color if not hatch else "white", edgecolor=color, hatch=hatch,
                    linewidth=1.2, height=0.7)
            if kind not in kinds_used:
                kinds_used.append(kind)
        span = max(abs(v) for v in values) or 1.0
        lo, hi = min(0.0, min(values)), max(0.0, max(values))
        ax.set_xlim(lo - 0.3 * span if lo < 0 else -0.05 * span, hi + 0.3 * span if hi > 0 else 0.05 * span)
        for y, (_label, yen, kind), v in zip(ys, bars, values):
            if kind == "new":
                text = "新規 " + oku_text(yen)
            elif kind == "dropped":
                text = "記載なし " + oku_text(-yen)
            else:
                text = oku_text(yen, sign=True)
            pad = 0.01 * span
            ax.text(v + pad if v >= 0 else v - pad, y, text, va="center", ha="left" if v >= 0 else "right",
                    fontproperties=fp_small)
        ax.set_yticks(ys)
        ax.set_yticklabels([_wrap(b[0]) for b in bars], fontproperties=fp)
        ax.set_ylim(-0.6, len(bars) - 0.4)
        ax.axvline(0, color="#2d3748", linewidth=0.8)
        ax.grid(axis="x", color="#e2e8f0", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(panel_title, fontproperties=fp_panel, loc="left")
        ax.set_xlabel("億円", fontproperties=fp_small)
        for tick in ax.get_xticklabels():
            tick.set_fontproperties(fp_small)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    if kinds_used:
        kinds = [k for k in COLORS if k in kinds_used]
        fig.legend(handles=[Patch(facecolor=COLORS[k][0] if not COLORS[k][1] else "white",
                                  edgecolor=COLORS[k][0], hatch=COLORS[k][1], label=COLORS[k][2]) for k in kinds],
                   prop=fp_small, loc="lower center", ncol=len(kinds), frameon=False)
    fig.tight_layout(rect=(0, 0.35 / (sum(sizes) + 1.4), 1, 1 - 0.45 / (sum(sizes) + 1.4)))
    try:
        fig.savefig(path, format="png")
    except OSError as e:
        raise OutputError(f"{path}: cannot write chart ({e.strerror})", "output.chart") from e
    texts = [title] + [t for t, _ in panels] + [b[0] for _, bars in panels for b in bars]
    return missing_glyphs(texts + [v[2] for v in COLORS.values()], font_path)


# ------------------------------------------------------------------ the bars of a diff

def chart_bars(d: Diff) -> dict[str, list[tuple[str, int, str]]]:
    """budget -> [(label, yen, kind)]: compared programs by their change; new
    and dropped programs by their whole amount; a split or merge by the group's
    change. Totals, portions and suggestions are left out."""
    bars: dict[str, list] = {"initial": [], "supplementary": []}
    for r in d.rows:
        if r.program in d.totals or r.portion or r.group or r.match == "suggested":
            continue
        if r.change_yen is not None:
            label = r.program_new or ""
            if r.program_old != r.program_new:
                label += f"（旧: {r.program_old}）"
            bars[r.budget].append((label, r.change_yen, "increase" if r.change_yen > 0 else
                                   "decrease" if r.change_yen < 0 else "unchanged"))
        elif r.match == "new" and r.amount_new is not None:
            bars[r.budget].append((r.program, r.amount_new, "new"))
        elif r.match == "dropped" and r.amount_old is not None:
            bars[r.budget].append((r.program, -r.amount_old, "dropped"))
    for g in d.groups:
        for f in g["figures"]:
            if f["change"] is None:
                continue
            what = "分割" if g["kind"] == "split" else "統合" if g["kind"] == "merge" else "再編"
            label = f"{' + '.join(g['new'])}（{what}: 旧 {' + '.join(g['old'])}）"
            bars[f["budget"]].append((label, f["change"], "group"))
    return bars


def chart_panels(d: Diff) -> list[tuple[str, list]]:
    """[(panel title, bars)]: one panel per budget, titled with the years compared."""
    bars = chart_bars(d)
    out = []
    for budget in ("initial", "supplementary"):
        if budget not in d.years:
            continue
        new_y, old_y = d.years[budget], d.old_years.get(budget, d.years[budget] - 1)
        name = "当初予算" if budget == "initial" else "補正予算"
        new_side = f"令和{new_y - 2018}年度{stage_note(d.new, budget)}"
        if d.old:
            old_side = f"令和{old_y - 2018}年度{stage_note(d.old, budget)}"
        else:
            old_side = f"前年度予算額（令和{old_y - 2018}年度）"
        out.append((f"{name}: {new_side} − {old_side}", bars.get(budget, [])))
    return out


def stage_note(release: Release, budget: str) -> str:
    """'（案）' / '（要求）' for a release whose figures of this budget are drafts
    or requests, '' for enacted ones."""
    stage = next((a["stage"] for a in release.amounts if a["budget"] == budget
                  and a["fiscal_year"] == release.years.get(budget)), None)
    return f"（{STAGE_JA[stage]}）" if stage in ("draft", "request") else ""
