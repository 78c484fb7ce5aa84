"""The review page: every figure beside the PDF region it came from.

``python -m pipeline review output/<release>`` writes ``review.html`` into the
folder: one self-contained file (crops are embedded PNGs, the script is
inline) that opens from disk. A reviewer ticks each row after comparing it
with its crop, then exports the ticked rows as the golden CSVs — so a new
release's golden is made from the page, not copied from the output blindly.
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

from pipeline.errors import InputError
from pipeline.files import recorded_path
from pipeline.release_folder import ReleaseFolder, read_pages, read_release_folder
from pipeline.schema import AMOUNT_KEY, OKU
from pipeline.sources import sha256_of

GOLDEN_AMOUNT_COLUMNS = ["program", "parent", "budget", "stage", "fiscal_year", "amount_yen",
                         "new", "portion", "approx", "page"]
GOLDEN_PROGRAM_COLUMNS = ["program", "parent", "level", "category", "period_start", "period_end",
                          "office", "predecessor"]
ZOOM = 2.0          # 144 dpi: small print stays readable
MARGIN = (60, 24)   # points of context around the matched lines (x, y)


def _lines_by_page(records: list[dict]) -> dict:
    pages: dict = {}
    for rec in records:
        pages.setdefault(rec["page"], []).append(rec)
    return pages


def locate(source: str, line_no: int, lines: list[dict]) -> list[dict]:
    """The extracted lines a source text came from: for each of its parts
    (label and value may be separate lines), the line holding it, preferring
    the mention's own line number and its neighbours.

    >>> ls = [{"line": 1, "raw_text": "令和8年度予算額（案）"}, {"line": 2, "raw_text": "37億円"}]
    >>> [ln["line"] for ln in locate("令和8年度予算額（案）\\n37億円", 2, ls)]
    [1, 2]
    """
    found = []
    for part in [p for p in source.split("\n") if p.strip()]:
        hits = [ln for ln in lines if part.strip() in ln["raw_text"] or ln["raw_text"].strip() in part and ln["raw_text"].strip()]
        if hits:
            found.append(min(hits, key=lambda ln: abs(ln["line"] - line_no)))
    if not found:
        found = [ln for ln in lines if ln["line"] == line_no]
    return found


def crop(doc, page_no: int, parts: list[dict], source: str) -> tuple[str, list[list[float]]]:
    """(PNG data URI of the region, highlight boxes in % of the crop)."""
    import pymupdf
    page = doc[page_no - 1]
    boxes = [pymupdf.Rect(ln["bbox"]) for ln in parts if ln.get("bbox")]
    if not boxes:
        return "", []
    area = pymupdf.Rect(boxes[0])
    for b in boxes[1:]:
        area |= b
    clip = pymupdf.Rect(area.x0 - MARGIN[0], area.y0 - MARGIN[1], area.x1 + MARGIN[0], area.y1 + MARGIN[1])
    clip &= page.rect
    marks: list[Any] = []   # pymupdf.Rect
    for part, box in zip([p for p in source.split("\n") if p.strip()], boxes):
        quads = page.search_for(part.strip(), clip=box + (-2, -2, 2, 2)) or [box]
        marks.extend(quads)
    pix = page.get_pixmap(matrix=pymupdf.Matrix(ZOOM, ZOOM), clip=clip)
    uri = "data:image/png;base64," + base64.b64encode(pix.tobytes("png")).decode()
    w, h = clip.width, clip.height
    hl = [[round((r.x0 - clip.x0) / w * 100, 2), round((r.y0 - clip.y0) / h * 100, 2),
           round(r.width / w * 100, 2), round(r.height / h * 100, 2)] for r in marks]
    return uri, hl


def text_context(source: str, line_no: int, lines: list[dict]) -> str:
    """For unpaged text: the source lines around the mention, match highlighted (HTML)."""
    near = [ln for ln in lines if abs(ln["line"] - line_no) <= 3]
    parts = [p.strip() for p in source.split("\n") if p.strip()]
    out = []
    for ln in near:
        text = html.escape(ln["raw_text"])
        for p in parts:
            if p in ln["raw_text"]:
                text = text.replace(html.escape(p), f"<mark>{html.escape(p)}</mark>", 1)
        cls = ' class="at"' if ln["line"] == line_no else ""
        out.append(f'<div{cls}><span class="ln">{ln["line"]}</span>{text}</div>')
    return "".join(out)


def golden_status(validation: dict) -> dict:
    """Per amounts key: 'match', 'mismatch: field, …', or 'extra' (not in the golden)."""
    g = (validation or {}).get("golden")
    if not g:
        return {}
    status: dict[tuple, str] = {}
    for m in g["amounts"]["mismatches"]:
        k = tuple(m["key"])
        status[k] = (status.get(k, "mismatch:") + f" {m['field']}").replace(": ", ": ", 1)
    for k in g["amounts"]["extra"]:
        status[tuple(k)] = "extra"
    return status


def build_rows(release: ReleaseFolder, page_records: list[dict], doc) -> list[dict]:
    folder, amounts, observations = release.path, release.amounts, release.observations
    pages = _lines_by_page(page_records)
    validation = json.loads((folder / "validation.json").read_text(encoding="utf-8")) \
        if (folder / "validation.json").exists() else {}
    status = golden_status(validation)
    has_golden = bool(validation.get("golden"))
    rows = []
    for a in amounts:
        key = tuple(a[k] for k in AMOUNT_KEY)
        obs = [o for o in observations if tuple(o[k] for k in AMOUNT_KEY) == key]
        first = next((o for o in obs if o["page"] == a["page"] and o["source"] == a["source"]), obs[0] if obs else None)
        line_no = int(first["line"]) if first else 0
        page = int(a["page"]) if a["page"] else None
        lines = pages.get(page if page is not None else None, [])
        marks: list[list[float]]
        image, marks, context = "", [], ""
        if doc is not None and page is not None:
            image, marks = crop(doc, page, locate(a["source"], line_no, lines), a["source"])
        else:
            context = text_context(a["source"], line_no, lines)
        flags = [f for f in ("new", "portion", "approx") if a[f] == "true"]
        rows.append({**a, "line": line_no, "image": image, "marks": marks, "context": context,
                     "flags": flags, "oku": int(a["amount_yen"]) / OKU,
                     "golden": status.get(tuple(key), "match") if has_golden else "no golden",
                     "mentions": sorted({o["page"] or "-" for o in obs}, key=lambda p: (len(p), p))})
    return rows


def write_review(folder: Path) -> Path:
    """Write folder/review.html and return its path."""
    folder = Path(folder)
    release = read_release_folder(folder)
    meta = release.meta
    page_records = read_pages(folder, meta)
    doc = None
    warning = ""
    if meta.get("pages") is not None:
        import pymupdf
        src = recorded_path(meta["input"], folder)
        if not src.exists():
            raise InputError(f"{folder}: its input {src} is not there; the crops need the PDF", "input.pdf-missing")
        if sha256_of(src) != meta["input_sha256"]:
            warning = (f"{src} has changed since extraction (sha256 differs): crops may not match; "
                       "run extract again")
        doc = pymupdf.open(src)
    rows = build_rows(release, page_records, doc)
    programs = release.programs
    validation = json.loads((folder / "validation.json").read_text(encoding="utf-8")) \
        if (folder / "validation.json").exists() else {}
    page = render_html(meta, rows, programs, validation, warning)
    out = folder / "review.html"
    tmp = folder / ".review.html.tmp"
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _findings(validation: dict, meta: dict, warning: str) -> str:
    items = []
    if warning:
        items.append(("error", "input", warning))
    g = validation.get("golden")
    if g is None:
        items.append(("info", "golden", "no hand-verified golden for this release: tick rows below and export one"))
    elif g["ok"]:
        items.append(("ok", "golden", f"all rows and fields match {g['golden']}"))
    else:
        for t in ("amounts", "programs"):
            for k in g[t]["missing"]:
                items.append(("error", f"golden {t}", "missing: " + " / ".join(map(str, k))))
            for k in g[t]["extra"]:
                items.append(("error", f"golden {t}", "extra: " + " / ".join(map(str, k))))
            for m in g[t]["mismatches"]:
                items.append(("error", f"golden {t}", f"{' / '.join(map(str, m['key']))}: {m['field']} "
                              f"expected {m['expected']!r}, got {m['got']!r}"))
    for c in validation.get("checks", []):
        if c["status"] != "ok":
            items.append((c["status"], c["check"], c["message"]))
    if meta.get("pages_needing_ocr"):
        items.append(("warn", "OCR", "pages needing OCR (no text layer): "
                      + ", ".join(map(str, meta["pages_needing_ocr"]))))
    ok = sum(c["status"] == "ok" for c in validation.get("checks", []))
    items.append(("ok", "self-consistency", f"{ok} checks passed (see validation.md)"))
    return "\n".join(f'<li class="{s}"><b>{html.escape(s)}</b> <i>{html.escape(k)}</i> {html.escape(m)}</li>'
                     for s, k, m in items)


def render_html(meta: dict, rows: list[dict], programs: list[dict], validation: dict, warning: str) -> str:
    release = meta["release"]
    trs = []
    for i, r in enumerate(rows):
        marks = "".join(f'<span class="hl" style="left:{x}%;top:{y}%;width:{w}%;height:{h}%"></span>'
                        for x, y, w, h in r["marks"])
        evidence = (f'<div class="crop"><img src="{r["image"]}" alt="page {r["page"]} crop">{marks}</div>'
                    if r["image"] else f'<div class="ctx">{r["context"]}</div>')
        golden_cls = "ok" if r["golden"] == "match" else ("none" if r["golden"] == "no golden" else "bad")
        data = {c: r[c] for c in GOLDEN_AMOUNT_COLUMNS}
        trs.append(
            f'<tr data-i="{i}" data-page="{html.escape(r["page"] or "-")}" data-program="{html.escape(r["program"])}" '
            f"data-golden=\"{golden_cls}\" data-row='{html.escape(json.dumps(data, ensure_ascii=False))}'>"
            f'<td><input type="checkbox" class="chk" aria-label="checked"></td>'
            f'<td class="prog">{html.escape(r["program"])}<div class="par">{html.escape(r["parent"])}</div></td>'
            f'<td>{r["budget"]}<br>{r["stage"]}<br>FY{r["fiscal_year"]}</td>'
            f'<td class="num">{r["oku"]:,.2f}億円<div class="yen">{int(r["amount_yen"]):,}円</div></td>'
            f'<td>{" ".join(r["flags"])}</td>'
            f'<td>{html.escape(r["page"] or "-")}<div class="par">also: {", ".join(m for m in r["mentions"] if m != (r["page"] or "-")) or "—"}</div></td>'
            f'<td class="rule">{html.escape(r["rule"])}</td>'
            f'<td class="g {golden_cls}">{html.escape(r["golden"])}</td>'
            f'<td>{evidence}<div class="src">{html.escape(r["source"])}</div></td></tr>')
    prog_rows = []
    for p in programs:
        data = {c: p.get(c, "") for c in GOLDEN_PROGRAM_COLUMNS}
        prog_rows.append(
            f"<tr data-row='{html.escape(json.dumps(data, ensure_ascii=False))}'>"
            f'<td><input type="checkbox" class="pchk" aria-label="checked"></td>'
            + "".join(f"<td>{html.escape(str(p.get(c, '')))}</td>" for c in GOLDEN_PROGRAM_COLUMNS) + "</tr>")
    page_options = "".join(f'<option value="{p}">{p}</option>'
                           for p in sorted({r["page"] or "-" for r in rows}, key=lambda p: (len(p), p)))
    return TEMPLATE.format(
        release=html.escape(release), input=html.escape(meta["input"]), sha=meta["input_sha256"],
        n=len(rows), findings=_findings(validation, meta, warning), rows="\n".join(trs),
        prog_rows="\n".join(prog_rows), page_options=page_options,
        amount_cols=json.dumps(GOLDEN_AMOUNT_COLUMNS), program_cols=json.dumps(GOLDEN_PROGRAM_COLUMNS),
        prog_head="".join(f"<th>{c}</th>" for c in GOLDEN_PROGRAM_COLUMNS),
        storage_key=json.dumps(f"review:{release}:{meta['input_sha256']}"))


TEMPLATE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
<title>Review — {release}</title>
<style>
body {{ font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 1.2em; color: #222; }}
h1 {{ font-size: 1.3em; }} h2 {{ font-size: 1.1em; margin-top: 1.5em; }}
.meta {{ color: #555; font-size: .85em; }}
ul.findings {{ list-style: none; padding: 0; }}
ul.findings li {{ padding: .25em .5em; margin: .15em 0; border-left: 4px solid #999; }}
li.error {{ border-color: #c00; background: #fee; }} li.warn {{ border-color: #d80; background: #fff4e0; }}
li.info {{ border-color: #36c; background: #eef4ff; }} li.ok {{ border-color: #2a2; background: #efe; }}
.bar {{ position: sticky; top: 0; background: #fff; padding: .5em 0; border-bottom: 1px solid #ccc; z-index: 2; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border-bottom: 1px solid #ddd; padding: .35em; vertical-align: top; font-size: .85em; }}
th {{ text-align: left; background: #f5f5f5; }}
.num {{ text-align: right; white-space: nowrap; font-weight: bold; }} .yen, .par {{ color: #666; font-weight: normal; font-size: .85em; }}
.rule {{ font-family: monospace; font-size: .75em; }}
.g.ok {{ color: #2a2; }} .g.bad {{ color: #c00; font-weight: bold; }} .g.none {{ color: #888; }}
.crop {{ position: relative; display: inline-block; max-width: 560px; }}
.crop img {{ display: block; max-width: 560px; border: 1px solid #bbb; }}
.hl {{ position: absolute; background: rgba(255, 220, 0, .35); outline: 2px solid rgba(230, 150, 0, .9); }}
.src {{ font-family: monospace; font-size: .75em; white-space: pre-wrap; color: #444; }}
.ctx {{ font-size: .8em; max-width: 560px; }} .ctx div {{ white-space: pre-wrap; }} .ctx .at {{ background: #f6f6f6; }}
.ln {{ color: #999; display: inline-block; width: 3em; }} mark {{ background: #ffe066; }}
tr.checked {{ background: #f3fff3; }} tr.hidden {{ display: none; }}
</style></head>
<body>
<h1>Review: {release}</h1>
<p class="meta">input <code>{input}</code> · sha256 <code>{sha}</code> · {n} figures.
Compare each figure with its crop, tick it, then export the ticked rows as the golden
(<code>tests/golden/&lt;release&gt;/amounts.csv</code> and <code>programs.csv</code>).</p>
<h2>Validation findings</h2>
<ul class="findings">
{findings}
</ul>
<div class="bar">
 page <select id="f-page"><option value="">all</option>{page_options}</select>
 program <input id="f-program" placeholder="part of a name">
 status <select id="f-status"><option value="">all</option><option value="unchecked">not yet checked</option>
  <option value="checked">checked</option><option value="bad">golden mismatch</option></select>
 <span id="count"></span>
 <button id="all">tick all shown</button>
 <button id="export-amounts">export checked amounts.csv</button>
 <button id="export-programs">export checked programs.csv</button>
</div>
<h2>Figures</h2>
<table id="figures"><thead><tr><th>✓</th><th>program / parent</th><th>budget / stage / year</th><th>amount</th>
<th>flags</th><th>page</th><th>rule</th><th>golden</th><th>where it came from</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<h2>Programs</h2>
<table id="programs"><thead><tr><th>✓</th>{prog_head}</tr></thead><tbody>
{prog_rows}
</tbody></table>
<script>
const KEY = {storage_key};
const AMOUNT_COLS = {amount_cols}, PROGRAM_COLS = {program_cols};
const state = JSON.parse(localStorage.getItem(KEY) || '{{"a":[],"p":[]}}');
const figRows = [...document.querySelectorAll('#figures tbody tr')];
const progRows = [...document.querySelectorAll('#programs tbody tr')];
function save() {{
  state.a = figRows.filter(r => r.querySelector('.chk').checked).map(r => r.dataset.i);
  state.p = progRows.map((r, i) => r.querySelector('.pchk').checked ? i : null).filter(i => i !== null);
  try {{ localStorage.setItem(KEY, JSON.stringify(state)); }} catch (e) {{}}
}}
figRows.forEach(r => {{ const c = r.querySelector('.chk'); c.checked = state.a.includes(r.dataset.i);
  r.classList.toggle('checked', c.checked);
  c.addEventListener('change', () => {{ r.classList.toggle('checked', c.checked); save(); filter(); }}); }});
progRows.forEach((r, i) => {{ const c = r.querySelector('.pchk'); c.checked = state.p.includes(i);
  c.addEventListener('change', save); }});
function filter() {{
  const page = document.getElementById('f-page').value, prog = document.getElementById('f-program').value,
        st = document.getElementById('f-status').value;
  let shown = 0;
  figRows.forEach(r => {{
    const checked = r.querySelector('.chk').checked;
    const ok = (!page || r.dataset.page === page) && (!prog || r.dataset.program.includes(prog)) &&
      (!st || (st === 'checked' && checked) || (st === 'unchecked' && !checked) || (st === 'bad' && r.dataset.golden === 'bad'));
    r.classList.toggle('hidden', !ok); shown += ok;
  }});
  document.getElementById('count').textContent = shown + ' shown, ' +
    figRows.filter(r => r.querySelector('.chk').checked).length + ' of ' + figRows.length + ' checked';
}}
['f-page', 'f-program', 'f-status'].forEach(id => document.getElementById(id).addEventListener('input', filter));
document.getElementById('all').addEventListener('click', () => {{
  figRows.filter(r => !r.classList.contains('hidden')).forEach(r => {{ r.querySelector('.chk').checked = true; r.classList.add('checked'); }});
  save(); filter(); }});
function csv(rows, cols) {{
  const q = v => {{ v = String(v ?? ''); return /[",\\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v; }};
  return [cols.join(',')].concat(rows.map(r => cols.map(c => q(r[c])).join(','))).join('\\n') + '\\n';
}}
function download(name, text) {{
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], {{type: 'text/csv;charset=utf-8'}}));
  a.download = name; document.body.appendChild(a); a.click(); a.remove();
}}
function checkedAmounts() {{ return figRows.filter(r => r.querySelector('.chk').checked).map(r => JSON.parse(r.dataset.row)); }}
function checkedPrograms() {{ return progRows.filter(r => r.querySelector('.pchk').checked).map(r => JSON.parse(r.dataset.row)); }}
document.getElementById('export-amounts').addEventListener('click', () => download('amounts.csv', csv(checkedAmounts(), AMOUNT_COLS)));
document.getElementById('export-programs').addEventListener('click', () => download('programs.csv', csv(checkedPrograms(), PROGRAM_COLS)));
filter();
// self-check for automated tests: rows rendered and crop images decoded
window.addEventListener('load', () => {{
  const imgs = [...document.querySelectorAll('#figures img')];
  document.body.dataset.selfcheck = JSON.stringify({{rows: figRows.length,
    images: imgs.length, loaded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
    contexts: document.querySelectorAll('#figures .ctx').length}});
  if (location.hash === '#selftest-export') {{   // used by the browser test: tick all, export
    figRows.concat(progRows).forEach(r => r.querySelector('input').checked = true);
    document.body.dataset.export = JSON.stringify(window.reviewExport());
  }}
}});
window.reviewExport = () => ({{amounts: csv(checkedAmounts(), AMOUNT_COLS), programs: csv(checkedPrograms(), PROGRAM_COLS)}});
</script>
</body></html>
"""
