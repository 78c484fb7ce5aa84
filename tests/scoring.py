"""Scoring the pipeline against the hand-written expected records of real
pages (tests/golden/realtext/, conventions and scoring in its README).

    python tests/scoring.py            # the score table, as make test prints it
    python tests/scoring.py 103 112    # what went wrong on these pages (not on held-out pages)
"""
from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from conftest import ROOT

PAGES = ROOT / "tests" / "fixtures" / "realtext"
GOLDEN = ROOT / "tests" / "golden" / "realtext"
# made-up pages (pages and records by helpers who never saw the pipeline; README.md in each golden folder)
PROBE_SETS = (("made-up probes", ROOT / "tests" / "fixtures" / "probes", ROOT / "tests" / "golden" / "probes"),
              ("made-up news", ROOT / "tests" / "fixtures" / "probes-news", ROOT / "tests" / "golden" / "probes-news"),
              ("made-up decks", ROOT / "tests" / "fixtures" / "probes-decks", ROOT / "tests" / "golden" / "probes-decks"),
              ("made-up ministries", ROOT / "tests" / "fixtures" / "probes-ministries",
               ROOT / "tests" / "golden" / "probes-ministries"),
              ("made-up captures", ROOT / "tests" / "fixtures" / "probes-captured",
               ROOT / "tests" / "golden" / "probes-captured"),
              ("made-up prose", ROOT / "tests" / "fixtures" / "probes-prose", ROOT / "tests" / "golden" / "probes-prose"),
              ("made-up mixed", ROOT / "tests" / "fixtures" / "probes-mixed", ROOT / "tests" / "golden" / "probes-mixed"),
              ("made-up articles", ROOT / "tests" / "fixtures" / "probes-articles",
               ROOT / "tests" / "golden" / "probes-articles"),
              ("made-up tables", ROOT / "tests" / "fixtures" / "probes-tables", ROOT / "tests" / "golden" / "probes-tables"),
              ("made-up MOF pages", ROOT / "tests" / "fixtures" / "probes-mof", ROOT / "tests" / "golden" / "probes-mof"),
              ("made-up reports", ROOT / "tests" / "fixtures" / "probes-reports", ROOT / "tests" / "golden" / "probes-reports"),
              ("made-up agencies", ROOT / "tests" / "fixtures" / "probes-agencies",
               ROOT / "tests" / "golden" / "probes-agencies"),
              # kept aside: scored, never tuned to (tests/golden/probes-aside/README.md)
              ("made-up aside (never tuned)", ROOT / "tests" / "fixtures" / "probes-aside",
               ROOT / "tests" / "golden" / "probes-aside"),
              # pages printed to PDF, scored as the PDF and as four converters' texts (NN.pdf, NN-<converter>.txt: golden NN.csv)
              ("made-up PDFs and texts", ROOT / "tests" / "fixtures" / "probes-converted",
               ROOT / "tests" / "golden" / "probes-converted"))
# the bundled release's PDF as text by other converters, scored against the bundled release's golden
CONVERTED = ROOT / "tests" / "fixtures" / "converters"
BUNDLED_GOLDEN = ROOT / "tests" / "golden" / "mext-lifescience-r8-draft-2026-01-20" / "amounts.csv"
FIELDS = ("budget", "stage", "fiscal_year")


def index() -> list[dict]:
    return json.loads((PAGES / "INDEX.json").read_text(encoding="utf-8"))["pages"]


def name_key(text: str) -> str:
    from pipeline.facts.names import clean_name
    from pipeline.normalize import normalize
    from pipeline.rules import load_rules
    return clean_name(normalize(text or ""), load_rules()).replace(" ", "")


def golden_rows(stem: str, folder: Path | None = None) -> list[dict]:
    path = folder if folder is not None and folder.suffix == ".csv" else (folder or GOLDEN) / f"{stem}.csv"
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def same_owner(got: str, want: str) -> bool:
    names = [w for w in (want or "").split(" | ")]
    if not any(n.strip() for n in names):
        return not got
    return bool(got) and name_key(got) in {name_key(n) for n in names if n.strip()}


def as_int(v) -> int | None:
    return None if v in ("", None) else int(v)


@dataclass
class PageScore:
    stem: str
    kind: str
    held_out: bool
    expected: int = 0
    predicted: int = 0
    right: int = 0
    wrong: dict = field(default_factory=lambda: {"stage": 0, "year": 0, "owner": 0})
    wrong_checked: int = 0          # wrong figures marked witnessed or golden (must stay 0)
    details: list = field(default_factory=list)


def score_page(stem: str, amounts: list[dict], kind: str = "", held_out: bool = False,
               golden: Path | None = None) -> PageScore:
    """Match the pipeline's figures of a page with its golden rows."""
    want = golden_rows(stem, golden)
    s = PageScore(stem, kind, held_out, expected=len(want), predicted=len(amounts))
    free = list(range(len(want)))
    rest = []
    for a in amounts:
        hit = next((k for k in free if as_int(want[k]["amount_yen"]) == as_int(a["amount_yen"])
                    and all(str(want[k][f] or "") == str(a[f] if a[f] is not None else "") for f in FIELDS)
                    and same_owner(a["program"], want[k]["program"])), None)
        if hit is None:
            rest.append(a)
        else:
            free.remove(hit)
            s.right += 1
    for a in rest:
        near = [k for k in free if as_int(want[k]["amount_yen"]) == as_int(a["amount_yen"])]
        if not near:
            s.details.append(("extra", a, None))
            if a.get("check") in ("witnessed", "golden"):
                s.wrong_checked += 1
            continue
        k = near[0]
        free.remove(k)
        w = want[k]
        if str(w["stage"] or "") != str(a["stage"] or "") or w["budget"] != a["budget"]:
            s.wrong["stage"] += 1
        if str(w["fiscal_year"] or "") != str(a["fiscal_year"] if a["fiscal_year"] is not None else ""):
            s.wrong["year"] += 1
        if not same_owner(a["program"], w["program"]):
            s.wrong["owner"] += 1
        if a.get("check") in ("witnessed", "golden"):
            s.wrong_checked += 1
        s.details.append(("wrong", a, w))
    for k in free:
        s.details.append(("missed", None, want[k]))
    return s


def probe_golden(golden: Path, stem: str) -> Path:
    """A probe page's golden file: NN.csv for NN.txt, NN.pdf and NN-<converter>.txt."""
    own = golden / f"{stem}.csv"
    return own if own.exists() else golden / f"{stem.split('-')[0]}.csv"


def run_page(entry: dict, tmp: Path, folder: Path | None = None) -> list[dict]:
    """The page through the pipeline on its own, as a user would run it."""
    from pipeline.extract import extract_pages
    from pipeline.facts import extract_facts
    path = (folder or PAGES) / entry["file"]
    return extract_facts(extract_pages(path), path.stem).amounts


@dataclass
class Total:
    expected: int = 0
    predicted: int = 0
    right: int = 0
    wrong_checked: int = 0
    wrong: dict = field(default_factory=lambda: {"stage": 0, "year": 0, "owner": 0})
    pages: int = 0

    def add(self, s: PageScore) -> None:
        self.expected += s.expected
        self.predicted += s.predicted
        self.right += s.right
        self.wrong_checked += s.wrong_checked
        self.pages += 1
        for k in self.wrong:
            self.wrong[k] += s.wrong[k]

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.expected if self.expected else 1.0

    def line(self, name: str) -> str:
        w = self.wrong
        return (f"{name:<22} pages {self.pages:>2}  golden {self.expected:>3}  found {self.predicted:>3}  "
                f"right {self.right:>3}  recall {self.recall:.3f}  precision {self.precision:.3f}  "
                f"wrong stage/year/owner {w['stage']}/{w['year']}/{w['owner']}  wrong but checked {self.wrong_checked}")


GROUPS = ("mext-slide", "prose", "all (tuned)", "held-out mext-slide", "held-out prose", "held-out all")


def score_all(tmp: Path | None = None) -> tuple[dict[str, Total], list[PageScore]]:
    """Scores by group: MEXT slide pages, prose pages (news, columns), all —
    the pages tuned to and the held-out pages apart —, every page, and the
    made-up probe pages of other layouts, and the bundled release as other
    converters write it (against the bundled release's golden)."""
    entries = index()
    groups = {k: Total() for k in GROUPS + (f"all {len(entries)} pages",)}
    pages = []
    for entry in entries:
        stem = Path(entry["file"]).stem
        s = score_page(stem, run_page(entry, tmp or Path("/tmp")), entry["kind"], entry["held_out"])
        pages.append(s)
        prefix = "held-out " if s.held_out else ""
        groups[prefix + ("all" if s.held_out else "all (tuned)")].add(s)
        groups[f"all {len(entries)} pages"].add(s)
        if s.kind in ("mext-slide", "prose"):
            groups[prefix + s.kind].add(s)
    for name, folder, golden in PROBE_SETS:
        probes = sorted(folder.glob("*.txt")) + sorted(folder.glob("*.pdf"))
        total = groups[f"{name} ({len(probes)})"] = Total()
        for path in probes:
            total.add(score_page(path.stem, run_page({"file": path.name}, tmp or Path("/tmp"), folder), "probe",
                                 False, probe_golden(golden, path.stem)))
    converted = sorted(CONVERTED.glob("*.txt"))
    total = groups[f"bundled via converters ({len(converted)})"] = Total()
    for path in converted:
        total.add(score_page(path.stem, run_page({"file": path.name}, tmp or Path("/tmp"), CONVERTED), "converted",
                             False, BUNDLED_GOLDEN))
    return groups, pages


def report(groups: dict[str, Total]) -> str:
    return "\n".join(["real pages scored against hand-written goldens (tests/golden/realtext):"]
                     + [g.line(name) for name, g in groups.items()])


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    groups, pages = score_all()
    print(report(groups))
    wanted = set(sys.argv[1:])
    for s in pages:
        if s.held_out or (wanted and s.stem not in wanted) or (not wanted and not s.details):
            continue
        if not wanted:
            print(f"{s.stem}: golden {s.expected} found {s.predicted} right {s.right}")
            continue
        print(f"--- {s.stem} ({s.kind}): golden {s.expected} found {s.predicted} right {s.right}")
        for what, a, w in s.details:
            got = (f"{a['program']!r} {a['budget']}/{a['stage']}/{a['fiscal_year']} {a['amount_yen']} {a['rule']} [{a['check']}]"
                   if a else "")
            exp = f"{w['program']!r} {w['budget']}/{w['stage']}/{w['fiscal_year']} {w['amount_yen']} ({w['source']})" if w else ""
            print(f"  {what:<6} got {got}\n         want {exp}" if a and w else f"  {what:<6} {got or exp}")
