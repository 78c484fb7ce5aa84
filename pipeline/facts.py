"""Facts: positioned lines -> budget records with provenance, driven by rules/.

The walk over a release, in reading order:

1. Lines are cut into *segments* — a PDF page, or in unpaged text the lines
   up to a （担当：…） footer — each about one slide.
2. The *overview* segment (the one listing three or more programs with their
   figures) gives the release total (its budget box), the categories and
   the program headers.
3. Every other segment is a *detail* slide: its program is its title (the
   line before its budget box, or a subtitle naming a known program) or,
   when the title is an image, the known program it mentions.
4. Each amount gets a stage from, in this order: a label just before it on
   its line; the figure it is bracketed after (prior year); a label line it
   pairs with — by position in PDFs (to its left on the row, or above it),
   by order in text; otherwise the stage of the slide's budget box.

No program name, page or amount of any release appears here: what a label,
an amount or a header looks like is in rules/*.yaml.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.checks import in_context, stage_of, year_of
from pipeline.errors import PipelineError
from pipeline.extract import Line, Page
from pipeline.normalize import source_of
from pipeline.parse import parse_amount, period_of
from pipeline.rules import finditer, load_rules, may_match, search, watchdog

AMOUNT_COLUMNS = ["release", "program", "parent", "budget", "stage", "fiscal_year", "amount_yen",
                  "new", "portion", "approx", "page", "source", "rule"]
PROGRAM_COLUMNS = ["release", "program", "parent", "level", "category", "period_start",
                   "period_end", "office", "predecessor"]
SENTENCE_RULES = ("struct.office", "struct.period", "struct.predecessor", "struct.part_of", "fy.range")


def _struct_literals(rules: dict):
    """One pattern of the literals the office, period, predecessor, うち and
    range rules require: a line with none of them matches none of those rules."""
    if "_struct_literals" not in rules["settings"]:
        needs = [n for rid in SENTENCE_RULES for n in rules[rid].get("requires") or ()]
        if not all(rules[rid].get("requires") for rid in SENTENCE_RULES):
            needs = [""]   # a rule without literals: every line may match
        rules["settings"]["_struct_literals"] = regex.compile("|".join(regex.escape(n) for n in needs))
    return rules["settings"]["_struct_literals"]
STAGE_RULES = ("stage.supplementary", "stage.prior", "stage.request", "stage.draft", "stage.enacted")
_FILLER = regex.compile(r"[\s:()\[\]【】「」『』・,、]")
_SHORT_NOTE = regex.compile(r"\((?:[^()円]{0,10})\)")   # (5年間) after a figure


# ------------------------------------------------------------ line analysis

@dataclass
class Label:
    start: int
    end: int
    rule: dict
    match: object

    @property
    def budget(self) -> str:
        return self.rule["budget"]

    @property
    def stage(self) -> str:
        return stage_of(self.rule, self.match)

    @property
    def year(self) -> int | None:
        return year_of(self.match)


@dataclass(slots=True)
class Amount:
    start: int
    end: int          # end of the amount itself
    tail: int         # end including flags such as (新規), の内数, 程度
    yen: int
    new: bool
    portion: bool
    approx: bool
    excluded_by: str | None


@dataclass(slots=True)
class Info:
    line: Line
    labels: list[Label]
    amounts: list[Amount]        # budget candidates (exclusions removed)
    excluded: list[Amount]
    memo: dict | None = field(default=None, repr=False)    # per-line answers, computed once

    @property
    def text(self) -> str:
        return self.line.text


def _labels(text: str, rules: dict) -> list[Label]:
    found = []
    for priority, rid in enumerate(STAGE_RULES):
        if not may_match(rules[rid], text):
            continue
        for m in finditer(rules[rid]["re_pattern"], text, rid):
            if m.end() > m.start():
                found.append((m.start(), -(m.end() - m.start()), priority, Label(m.start(), m.end(), rules[rid], m)))
    found.sort(key=lambda t: t[:3])
    out: list[Label] = []
    for *_, lab in found:
        if not out or lab.start >= out[-1].end:
            out.append(lab)
    return out


FLAG_RULES = (("portion", "flag.portion"), ("new", "flag.new"), ("approx", "flag.approx"))
NOT_BUDGET_RULES = ("not.per_award", "not.market", "not.delta", "not.elsewhere")


def _amounts(text: str, rules: dict) -> tuple[list[Amount], list[Amount]]:
    """(budget candidates, excluded amounts) of a line. Flags written after an
    amount (の内数, (新規), 程度) are read in sequence and extend its ``tail``."""
    keep, dropped = [], []
    if not may_match(rules["amount.yen"], text):
        return keep, dropped
    # the flag and exclusion rules whose literals the line holds: the others cannot apply
    flag_rules = [(name, rid) for name, rid in FLAG_RULES if may_match(rules[rid], text)]
    not_rules = [rid for rid in NOT_BUDGET_RULES if may_match(rules[rid], text)]
    approx = rules["flag.approx"].get("re_before") if may_match(rules["flag.approx"], text) else None
    for m in finditer(rules["amount.yen"]["re_pattern"], text, "amount.yen"):
        tail = m.end()
        flags = dict.fromkeys(("portion", "new", "approx"), False)
        for name, rid in flag_rules:
            after = rules[rid].get("re_after")
            fm = search(after, text[tail:], rid) if after is not None else None
            flags[name] = fm is not None
            if fm:
                tail += fm.end()
        flags["approx"] = flags["approx"] or (approx is not None and
                                              search(approx, text[:m.start()], "flag.approx") is not None)
        excluded = next((rid for rid in not_rules if in_context(rules[rid], text, m.start(), m.end())), None)
        a = Amount(m.start(), m.end(), tail, parse_amount(m.group(0)),
                   flags["new"], flags["portion"], flags["approx"], excluded)
        (dropped if excluded else keep).append(a)
    return keep, dropped


_NONE: list = []   # shared by the lines that have no label and no amount; never mutated


def _literals(rules: dict):
    """A pattern of every literal an amount or a stage label requires: a line
    with none of them has neither (None when some stage rule requires nothing)."""
    if "_literals" not in rules["settings"]:
        needs = [rules[rid].get("requires") for rid in ("amount.yen", *STAGE_RULES)]
        rules["settings"]["_literals"] = (regex.compile("|".join(regex.escape(n) for ns in needs for n in ns))
                                          if all(needs) else None)
    return rules["settings"]["_literals"]


def analyze(line: Line, rules: dict) -> Info:
    text = line.text
    literals = _literals(rules)
    if literals is not None and not literals.search(text):
        return Info(line, _NONE, _NONE, _NONE)
    keep, dropped = _amounts(text, rules)
    return Info(line, _labels(text, rules), keep, dropped)


def _residue(info: Info) -> str:
    """What is left of a line once its amounts, labels, flags and brackets go."""
    text = info.text
    spans = [(a.start, a.tail) for a in info.amounts + info.excluded]
    spans += [(lab.start, lab.end) for lab in info.labels]
    for s, e in sorted(spans, reverse=True):
        text = text[:s] + text[e:]
    return _FILLER.sub("", text)


def is_pure_label(info: Info) -> bool:
    """A line that is only a stage label (a budget-box label in its own text box)."""
    return bool(info.labels) and not info.amounts and not _residue(info)


def is_bare_amount(info: Info) -> bool:
    """A line that is only figures (a value in its own text box)."""
    return bool(info.amounts) and not info.labels and not _residue(info)


def is_no_amount(info: Info, rules: dict) -> bool:
    """A value box holding only a dash placeholder (rule amount.none): 「－」, 「―）」."""
    m = hit(rules, "amount.none", info.text)
    return m is not None and not _FILLER.sub("", info.text[:m.start()] + info.text[m.end():])


def label_starts_line(info: Info) -> bool:
    return bool(info.labels) and not _FILLER.sub("", info.text[:info.labels[0].start])


# ------------------------------------------------------------------- names

def clean_name(text: str, rules: dict) -> str:
    """A program or component name without bullets, enumerators, うち, quotes.

    >>> clean_name("●「プロジェクト型」", load_rules())
    'プロジェクト型'
    >>> clean_name("I.次世代医療実現推進プラットフォーム", load_rules())
    '次世代医療実現推進プラットフォーム'
    """
    name = text.strip()
    for rid in ("struct.bullet", "struct.enumerator", "struct.part_of"):
        m = search(rules[rid]["re_pattern"], name, rid)
        if m:
            name = name[m.end():]
    name = name.strip(" \t:").rstrip("(" + rules["settings"]["figure_brackets"])
    if len(name) > 2 and name[0] in "「『" and name[-1] in "」』" and name.count(name[0]) == 1:
        name = name[1:-1]
    return name.strip()


def hit(rules: dict, rid: str, text: str, pos: int = 0):
    """The rule's first match in text (None fast when a required literal is absent)."""
    rule = rules[rid]
    return search(rule["re_pattern"], text, rid, pos) if may_match(rule, text) else None


def hit_before(rules: dict, rid: str, text: str):
    """Match of the rule's ``before`` pattern at the end of text."""
    rule = rules[rid]
    return search(rule["re_before"], text, rid) if rule.get("re_before") is not None else None


def opens_figure(text: str, rules: dict) -> bool:
    """A line such as 【令和7年度補正予算額 43億円】: a figure of the program before it."""
    return text[:1] in rules["settings"]["figure_brackets"] if text else False


def lead_stripped(text: str, rules: dict) -> str:
    """The text without the brackets that open it: (うちAMED…, 【うち…."""
    return text.lstrip("(" + rules["settings"]["figure_brackets"])


def _sentence(text: str) -> bool:
    return "。" in text or "、" in text


def _remembered(info: Info, key: str, answer, rules: dict):
    """answer(info, rules), computed once per line and kept in its memo."""
    if info.memo is None:
        info.memo = {}
    if key not in info.memo:
        info.memo[key] = answer(info, rules)
    return info.memo[key]


def is_name_like(info: Info, rules: dict) -> bool:
    """A short line with no figure, no label and no sentence punctuation."""
    if info.amounts or info.excluded or info.labels:
        return False
    return _remembered(info, "name_like", _is_name_like, rules)


def _is_name_like(info: Info, rules: dict) -> bool:
    text = info.text
    if not text or _sentence(text) or len(text) > rules["settings"]["max_name_length"]:
        return False
    if hit(rules, "struct.not_title", text):
        return False
    return len(clean_name(text, rules)) >= 2


def header_name(info: Info, rules: dict) -> str | None:
    """NAME of a line 'NAME <figures>' or 'NAME【label amount】', else None."""
    if not info.amounts:
        return None
    return _remembered(info, "header", _header_name, rules)


def _header_name(info: Info, rules: dict) -> str | None:
    first = min([a.start for a in info.amounts] + [lab.start for lab in info.labels])
    head = info.text[:first]
    approx = hit_before(rules, "flag.approx", head)     # 約 belongs to the figure, not the name
    head = (head[:approx.start()] if approx else head).rstrip(" \t:(" + rules["settings"]["figure_brackets"])
    name = clean_name(head, rules)
    if len(name) < 2 or len(name) > rules["settings"]["max_name_length"]:
        return None
    if _sentence(name) or hit(rules, "struct.part_of", lead_stripped(head, rules)):
        return None
    # after the name only figures may follow: amounts with their flags, labels,
    # brackets and short notes such as (5年間)
    tail = info.text
    spans = [(a.start, a.tail) for a in info.amounts + info.excluded] + [(lb.start, lb.end) for lb in info.labels]
    for s, e in sorted(spans, reverse=True):
        tail = tail[:s] + tail[e:]
    tail = _SHORT_NOTE.sub("", tail[first:])
    return name if not _FILLER.sub("", tail) else None


def mention_name(info: Info, lab: "Label | None", rules: dict) -> str | None:
    """NAME of 'NAME【label amount】…' — a program named with its figure inside
    running text (a mention, not a header)."""
    if lab is None:
        return None
    head = info.text[:lab.start].rstrip()
    if not head or head[-1] not in rules["settings"]["figure_brackets"]:
        return None
    name = clean_name(head[:-1], rules)
    if len(name) < 2 or len(name) > rules["settings"]["max_name_length"] or _sentence(name):
        return None
    return name


def bigrams(text: str) -> set[str]:
    """The character bigrams of a text.

    >>> sorted(bigrams("ABCA"))
    ['AB', 'BC', 'CA']
    """
    return set(map(str.__add__, text, text[1:]))


def bigram_score(name: str, text_bigrams: set[str]) -> float:
    """Share of the name's character bigrams found among a text's bigrams.

    >>> round(bigram_score("ABCD", bigrams("xxABCxx")), 2)
    0.67
    """
    grams = bigrams(name)
    return len(grams & text_bigrams) / len(grams) if grams else 0.0


# ------------------------------------------------------------------ geometry

def pairs_with(label: Line, value: Line) -> float | None:
    """Distance from a label box to a value box that reads as its value: on the
    same row to the right of it, or below it with horizontal overlap. None if
    they do not pair."""
    if not label.bbox or not value.bbox or label.page != value.page:
        return None
    lx0, ly0, lx1, ly1 = label.bbox
    vx0, vy0, vx1, vy1 = value.bbox
    lh, vh = ly1 - ly0, vy1 - vy0
    overlap_y = min(ly1, vy1) - max(ly0, vy0)
    if overlap_y >= 0.5 * min(lh, vh) and vx0 >= lx1 - 2:
        gap = vx0 - lx1
        return gap if gap <= 15 * max(lh, vh) else None
    overlap_x = min(lx1, vx1) - max(lx0, vx0)
    if overlap_x > 0 and vy0 >= ly1 - 2:
        gap = vy0 - ly1
        return gap + 0.5 if gap <= 2.5 * max(lh, vh) else None
    return None


# ------------------------------------------------------------------ walking

@dataclass
class Release:
    """What the whole release says about itself."""
    year: int                   # the initial budget year (令和8年度当初 -> 2026)
    stage: str                  # the initial budget's stage in this release
    stage_rule: str
    supplementary_year: int | None


@dataclass
class Walk:
    release: str
    ctx: Release
    rules: dict
    known: dict[str, dict] = field(default_factory=dict)   # programs by name
    observations: list[dict] = field(default_factory=list)

    def program(self, name: str, parent: str = "", level: str = "program", category: str = "") -> dict:
        if name not in self.known:
            self.known[name] = {"release": self.release, "program": name, "parent": parent, "level": level,
                                "category": category, "period_start": None, "period_end": None,
                                "office": "", "predecessor": ""}
        return self.known[name]


def release_context(infos: list[Info]) -> Release:
    """The release's own years: the first initial-budget label that names a year."""
    year = stage = rule = supp = None
    for info in infos:
        for lab in info.labels:
            if lab.year is None:
                continue
            if lab.budget == "supplementary":
                supp = supp or lab.year
            elif lab.rule["id"] != "stage.prior" and year is None:
                year, stage, rule = lab.year, lab.stage, lab.rule["id"]
        if year and supp:
            break
    if year is None:
        raise PipelineError("no budget year found (no label such as 令和N年度予算額/要求・要望額)", 7)
    return Release(year, stage, rule, supp)


def segments(pages: list[Page], infos: list[list[Info]], rules: dict) -> list[list[Info]]:
    """A PDF page is a slide; unpaged text is cut after each （担当：…） footer.
    ``infos`` holds each page's analysed lines."""
    out: list[list[Info]] = []
    for page, page_infos in zip(pages, infos):
        if page.height is not None:
            if page_infos:
                out.append(page_infos)
            continue
        current: list[Info] = []
        for info in page_infos:
            current.append(info)
            if hit(rules, "struct.office", info.text):
                out.append(current)
                current = []
        if current:
            out.append(current)
    return out


def overview_headers(seg: list[Info], rules: dict) -> dict[int, str]:
    """Index -> program name of the header lines of a segment."""
    heads: dict[int, str] = {}
    for i, info in enumerate(seg):
        name = header_name(info, rules)
        if name and not hit(rules, "struct.enumerator", info.text):
            heads[i] = name
        elif i + 1 < len(seg) and seg[i + 1].amounts and label_starts_line(seg[i + 1]) \
                and opens_figure(seg[i + 1].text, rules) and is_name_like(info, rules) \
                and not hit(rules, "struct.part_of", info.text):
            heads[i] = clean_name(info.text, rules)
    return heads


class SegmentWalker:
    """Walks one segment (one slide) and emits observations."""

    def __init__(self, walk: Walk, seg: list[Info], overview: bool, headers: dict[int, str]):
        self.w, self.seg, self.overview, self.headers = walk, seg, overview, headers
        self.rules = walk.rules
        self.program: str | None = None     # the slide's program
        self.component: str | None = None   # the current component on a detail slide
        self.last_owner: str | None = None  # overview: the last header or うち line
        self.category = ""
        self.headline: tuple | None = None  # (budget, stage, year, rule) of the slide's box
        self.pending: list[tuple[int, Info, Label]] = []   # label lines waiting for a value
        self.used_labels: set[int] = set()
        self.last_box = -99
        self.period_wait = 0
        self.skip: set[int] = set()
        self.first_header = min(headers) if headers else None
        self.struct_literals = _struct_literals(self.rules)
        self.max_name = self.rules["settings"]["max_name_length"]

    # --- helpers
    def total(self) -> str:
        return self.rules["settings"]["total_name"]

    def default_ctx(self):
        if self.headline:
            return self.headline
        c = self.w.ctx
        return ("initial", c.stage, c.year, c.stage_rule)

    def ctx_of_label(self, lab: Label, ref_year: int | None = None):
        rule = lab.rule
        year = lab.year
        if year is None:
            if rule.get("relative") == "prior":
                year = (ref_year or self.w.ctx.year) - 1
            elif lab.budget == "supplementary":
                year = self.w.ctx.supplementary_year or self.w.ctx.year - 1
            else:
                year = self.w.ctx.year
        return (lab.budget, lab.stage, year, rule["id"])

    def emit(self, owner: str, parent: str, ctx, amount: Amount, info: Info, how: str,
             source: str, level: str = "program", category: str | None = None):
        budget, stage, year, rid = ctx
        prog = self.w.program(owner, parent, level, self.category if category is None else category)
        if not prog["parent"] and parent:
            prog["parent"] = parent
        self.w.observations.append({
            "release": self.w.release, "program": owner, "parent": prog["parent"], "budget": budget,
            "stage": stage, "fiscal_year": year, "amount_yen": amount.yen, "new": amount.new,
            "portion": amount.portion, "approx": amount.approx, "page": info.line.page,
            "line": info.line.number, "source": source, "rule": f"{rid}@{how}",
        })

    def raw(self, info: Info, start: int, end: int) -> str:
        return source_of(info.line.raw_text, info.line.index_map, start, end)

    # --- titles
    def detect_title(self, i: int):
        if i - self.last_box <= 3:
            self.last_box = i
            return
        self.last_box = i
        candidates = []
        for j in range(i - 1, max(-1, i - 7), -1):
            info = self.seg[j]
            if is_pure_label(info) or is_bare_amount(info) or j in self.skip \
                    or info.text.isdigit() or hit(self.rules, "struct.office", info.text):
                continue
            if hit(self.rules, "struct.subtitle", info.text):
                candidates.append(info.text[1:-1].strip())
                continue
            if hit(self.rules, "struct.not_title", info.text):
                continue
            if is_name_like(info, self.rules):
                candidates.insert(0, clean_name(info.text, self.rules))
            break
        if not candidates:
            return
        known = [c for c in candidates if c in self.w.known]
        self.program = known[0] if known else candidates[0]
        self.w.program(self.program)
        self.component = None
        self.headline = None
        if not self.seg[i].line.bbox:
            self.pending = []   # text: labels do not carry over to the next slide

    # --- pairing a value with a label line
    def paired_label(self, i: int, info: Info):
        best = None
        for j, (k, linfo, _) in enumerate(self.pending):
            if info.line.bbox and linfo.line.bbox:
                d = pairs_with(linfo.line, info.line)
                if d is not None and (best is None or d < best[0]):
                    best = (d, j)
            elif not info.line.bbox and i - k <= 8 and best is None:
                best = (0, j)
        if best is None:
            return None
        k, linfo, lab = self.pending.pop(best[1])
        return linfo, lab

    def collect_page_labels(self):
        """In PDFs a value may come before its label: every label line of the
        slide is a candidate from the start."""
        if self.seg and self.seg[0].line.bbox:
            for k, info in enumerate(self.seg):
                if is_pure_label(info) or (info.labels and not info.amounts and
                                           hit(self.rules, "struct.governing", info.text)):
                    self.pending.append((k, info, info.labels[-1]))

    # --- the walk
    def run(self):
        self.collect_page_labels()
        quiet = self.struct_literals.search
        for i, info in enumerate(self.seg):
            if i in self.skip:
                continue
            text = info.text
            if not info.amounts and not info.labels and not self.period_wait \
                    and (_sentence(text) or len(text) > self.max_name) and not quiet(text):
                continue   # prose with no figure and no note: nothing on it can be a name, label or value
            self.line(i, info)

    def owner_of_box(self) -> tuple[str, str, str]:
        """(owner, parent, level) for a figure in a budget box."""
        if self.overview and (self.first_header is None or self.current_index < self.first_header):
            return self.total(), "", "total"
        if self.overview:
            return (self.last_owner or self.total()), "", "program"
        if self.component:
            return self.component, self.program or "", "component"
        return (self.program or self.total()), "", "program"

    def line(self, i: int, info: Info):
        r = self.rules
        self.current_index = i
        text = info.text
        noted = self.struct_literals.search(text) is not None   # office, period, predecessor, うち…
        if not info.amounts and not info.labels and not self.period_wait and not noted:
            if _sentence(text) or len(text) > self.max_name:
                return   # prose with no figure (run() skips these already)
            if not self.overview:
                self.plain_line(i, info)
                return
        # office, period, predecessor
        m = hit(r, "struct.office", text) if noted else None
        if m:
            target = self.total() if self.overview else self.program
            if target:
                prog = self.w.program(target, level="total" if self.overview else "program")
                prog["office"] = prog["office"] or m.group("office").strip()
        if not self.overview and (noted or self.period_wait):
            self.period(info)
        if (noted or may_match(r["struct.predecessor"], self.window(i))) and self.predecessor(i, info):
            return   # (a note's literal may stand on its second line)
        if self.overview and i in self.headers:
            self.last_owner = self.headers[i]
            self.w.program(self.last_owner, category=self.category)
        elif self.overview and is_name_like(info, r) and self.next_is_header(i):
            self.category = clean_name(text, r)
        elif self.overview and not info.amounts and self.first_header is not None and i > self.first_header \
                and hit(r, "struct.part_of", text) \
                and not _sentence(clean_name(text, r)):
            # うち、NAME on its own line: its figures follow in 【…】
            self.last_owner = clean_name(text, r)
            self.w.program(self.last_owner, self.last_owner_program(), "component", self.category)
        # enumerated component lines on detail slides
        if not self.overview and hit(r, "struct.enumerator", text):
            name = header_name(info, r) or (clean_name(text, r) if not info.amounts else None)
            if name:
                self.component = name
        if not self.overview and label_starts_line(info) and not opens_figure(text, r) \
                and not _sentence(text):
            self.detect_title(i)
        if is_pure_label(info) or (info.labels and not info.amounts and
                                   hit(r, "struct.governing", text)):
            if not info.line.bbox:
                self.pending.append((i, info, info.labels[-1]))
            return
        if info.amounts:
            self.figures(i, info)
        elif self.pending and not info.labels and is_no_amount(info, r):
            self.paired_label(i, info)   # a dash in the value's place: its label is used up, no figure

    def plain_line(self, i: int, info: Info):
        """A short line of a detail slide with no figure, label or note
        literal: what line() does with it, without the checks it cannot pass.
        It may start a predecessor note that wraps onto the next line, name an
        enumerated component, or be a dash in a value's place."""
        r = self.rules
        if may_match(r["struct.predecessor"], self.window(i)) and self.predecessor(i, info):
            return
        if hit(r, "struct.enumerator", info.text):
            self.component = clean_name(info.text, r) or self.component
        if self.pending and is_no_amount(info, r):
            self.paired_label(i, info)

    def window(self, i: int) -> str:
        """A line and the next one: a note may wrap onto a second line."""
        return self.seg[i].text + (self.seg[i + 1].text if i + 1 < len(self.seg) else "")

    def next_is_header(self, i: int) -> bool:
        return i + 1 in self.headers

    def period(self, info: Info):
        r = self.rules
        pm = hit(r, "struct.period", info.text)
        start = pm.end() if pm else 0
        rng = hit(r, "fy.range", info.text, start)
        if pm and not rng:
            self.period_wait = 3
            return
        if rng and (pm or self.period_wait > 0) and self.program:
            prog = self.w.program(self.program)
            if prog["period_start"] is None and prog["period_end"] is None:
                prog["period_start"], prog["period_end"] = period_of(rng.groupdict())
            self.period_wait = 0
        elif self.period_wait:
            self.period_wait -= 1

    def predecessor(self, i: int, info: Info) -> bool:
        r = self.rules
        rid = "struct.predecessor"
        text, lines = info.text, [info]
        m = search(r[rid]["re_pattern"], text, rid)
        if not m and i + 1 < len(self.seg):
            lines = [info, self.seg[i + 1]]
            text = info.text + self.seg[i + 1].text
            m = search(r[rid]["re_pattern"], text, rid)
        if not m:
            return False
        self.skip.update(range(i, i + len(lines)))
        name = m.group("name").strip()
        pred = self.w.program(name, category="")
        pred["category"] = pred["category"] or ""
        owner = self.last_owner if self.overview else self.program
        if owner:   # on the overview the note stands under its program's line
            prog = self.w.program(owner)
            prog["predecessor"] = prog["predecessor"] or name
        if m.group("amount"):
            from pipeline.parse import fiscal_year_of
            year = fiscal_year_of(m.group("era"), m.group("year"))
            amt = Amount(m.start("amount"), m.end("amount"), m.end("amount"),
                         parse_amount(m.group("amount")), False, False, False, None)
            source = "\n".join(ln.line.raw_text for ln in lines)
            self.emit(name, "", ("initial", "enacted", year, rid), amt, info, "note", source, category="")
        return True

    def figures(self, i: int, info: Info):
        r = self.rules
        text = info.text
        name = header_name(info, r)
        partof = hit(r, "struct.part_of", lead_stripped(text, r))
        prev_ctx = None
        for a in info.amounts:
            # 1. inline label
            lab = next((lb for lb in reversed(info.labels) if lb.end <= a.start
                        and not _FILLER.sub("", text[lb.end:a.start])), None)
            how = "inline"
            if lab:
                ctx = self.ctx_of_label(lab, prev_ctx[2] if prev_ctx else None)
                source = self.raw(info, lab.start, a.tail)
            elif prev_ctx and in_context(r["stage.prior_bracket"], text, a.start, a.end):
                lab_rule = r["stage.prior_bracket"]
                ctx = (lab_rule["budget"], lab_rule["stage"], prev_ctx[2] - 1, lab_rule["id"])
                how, source = "bracket", self.raw(info, 0, a.tail)
            else:
                paired = None
                if not (self.overview and name):
                    paired = self.paired_label(i, info)
                if paired:
                    linfo, lab = paired
                    ctx = self.ctx_of_label(lab)
                    how = "box" if info.line.bbox else "order"
                    source = linfo.line.raw_text + "\n" + self.raw(info, a.start, a.tail)
                else:
                    ctx = self.default_ctx()
                    how, source = "slide", self.raw(info, 0, a.tail)
            prev_ctx = ctx
            owner, parent, level, category = self.owner(i, info, a, lab, name, partof)
            if how in ("inline", "box", "order") and self.headline is None and owner == (self.program or owner) \
                    and level != "component":
                self.headline = ctx
            if self.overview and self.headline is None and level == "total":
                self.headline = ctx
            self.emit(owner, parent, ctx, a, info, how, source, level, category)

    def owner(self, i, info, a, lab, name, partof):
        """(owner, parent, level, category) of one amount."""
        text = info.text
        if partof:
            # (うちAMED予算額(案) …) in a box, or うち、NAME on a header line
            stripped = lead_stripped(text, self.rules)
            head = stripped[partof.end():]
            cut = min([lb.start for lb in info.labels] + [a.start]) - (len(text) - len(stripped)) - partof.end()
            sub = clean_name(head[:max(cut, 0)], self.rules)
            parent = self.owner_of_box()[0] if not self.overview else (
                self.total() if self.first_header is None or i < self.first_header else self.last_owner_program())
            if sub:
                level = "total" if parent == self.total() else "component"
                self.last_owner = sub
                return sub, parent, level, (self.category if level == "component" else "")
        if self.overview:
            if self.first_header is None or i < self.first_header:
                return self.total(), "", "total", ""
            if i in self.headers:
                return self.headers[i], "", "program", self.category
            mention = mention_name(info, lab, self.rules)
            if mention and i not in self.headers:
                return mention, "", "program", ""
            owner = self.last_owner or self.total()
            prog = self.w.known.get(owner, {})
            return owner, prog.get("parent", ""), prog.get("level", "program"), prog.get("category", self.category)
        # detail slide
        mention = mention_name(info, lab, self.rules)
        if mention and mention != name:
            return mention, "", "program", ""                  # a mention of another program
        if name and not (lab and label_starts_line(info)):
            self.component = name
            return name, self.program or "", "component", ""
        if is_bare_amount(info) and not lab and i > 0:
            prev = self.seg[i - 1]
            if is_name_like(prev, self.rules) and not hit(self.rules, "struct.subtitle", prev.text):
                self.component = clean_name(prev.text, self.rules)
                return self.component, self.program or "", "component", ""
        if self.component and not (lab and label_starts_line(info) and not opens_figure(info.text, self.rules)):
            return self.component, self.program or "", "component", ""
        owner = self.program or self.total()
        return owner, "", ("total" if owner == self.total() else "program"), ""

    def last_owner_program(self) -> str:
        for idx in sorted(self.headers, reverse=True):
            if idx <= self.current_index:
                return self.headers[idx]
        return self.total()


def title_by_font(seg: list[Info], height: float | None, walk: Walk) -> str | None:
    """A PDF slide's title: the largest-font name-like line in the top band of
    the page (or a subtitle there that names a known program). Reading order
    may put it after the budget box, so position decides, not order."""
    rules = walk.rules
    if not height or not seg:
        return None
    top = [i for i in seg if i.line.bbox and i.line.bbox[3] <= 0.15 * height and i.line.font_size]
    sizes = sorted(i.line.font_size for i in seg if i.line.font_size)
    if not top or not sizes:
        return None
    median = sizes[len(sizes) // 2]
    titles = [i for i in top if is_name_like(i, rules) and i.line.font_size >= 1.3 * median]
    if not titles:
        return None
    title = max(titles, key=lambda i: i.line.font_size)
    subs = [i.text[1:-1].strip() for i in top
            if hit(rules, "struct.subtitle", i.text)]
    for name in [clean_name(title.text, rules)] + subs:
        if name in walk.known:
            return name
    return clean_name(title.text, rules)


def resolve_untitled(seg: list[Info], walk: Walk) -> str | None:
    """The known program a slide without a text title is about: the first one
    standing as a line of its own, else the first one its text contains, else
    the best character-bigram match ≥ 0.75."""
    names = [n for n, p in walk.known.items() if p["level"] == "program"]
    lookup = set(names)
    for info in seg:
        if info.text in lookup:
            return info.text
    text = "".join(info.text for info in seg)
    inside = [(text.index(n), -len(n), n) for n in names if n in text]
    if inside:
        return min(inside)[2]
    grams = bigrams(text)
    scored = sorted(((bigram_score(n, grams), n) for n in names), reverse=True)
    return scored[0][1] if scored and scored[0][0] >= 0.75 else None


def extract_facts(pages: list[Page], release: str, rules: dict | None = None):
    """(amounts, programs, observations, conflicts) of one release."""
    return walk_release(pages, release, rules)[0]


def walk_release(pages: list[Page], release: str, rules: dict | None = None):
    """((amounts, programs, observations, conflicts), Release context)."""
    rules = rules or load_rules()
    with watchdog():   # one timer guards the walk's regex calls (see pipeline.rules)
        return _walk_release(pages, release, rules)


def _walk_release(pages: list[Page], release: str, rules: dict):
    literals = _literals(rules)
    if literals is None:
        infos = [[analyze(line, rules) for line in page.lines] for page in pages]
    else:   # the literal pre-check of analyze(), inlined: this loop sees every line of the release
        infos = [[analyze(line, rules) if literals.search(line.text) else Info(line, _NONE, _NONE, _NONE)
                  for line in page.lines] for page in pages]
    walk = Walk(release, release_context([i for page in infos for i in page]), rules)
    segs = segments(pages, infos, rules)
    # only a segment with three or more figure lines can be the overview
    heads = [overview_headers(seg, rules) if sum(bool(i.amounts) for i in seg) >= 3 else {} for seg in segs]
    overview = [len(h) >= 3 for h in heads]
    # the overview first: its programs are what the detail slides are matched against
    for seg, h, ov in zip(segs, heads, overview):
        if ov:
            SegmentWalker(walk, seg, True, h).run()
    heights = {page.number: page.height for page in pages}
    for seg, ov in zip(segs, overview):
        if ov:
            continue
        walker = SegmentWalker(walk, seg, False, {})
        height = heights.get(seg[0].line.page) if seg else None
        walker.program = title_by_font(seg, height, walk) or resolve_untitled(seg, walk)
        if walker.program:
            walk.program(walker.program)
        walker.run()
    return finish(walk), walk.ctx


def finish(walk: Walk):
    """One row per fact (first mention), every mention kept as an observation,
    conflicting mentions reported."""
    obs = sorted(walk.observations, key=lambda o: ((o["page"] or 0), 0))  # stable: reading order per page
    amounts: dict[tuple, dict] = {}
    conflicts = []
    for o in obs:
        key = (o["program"], o["budget"], o["stage"], o["fiscal_year"])
        if key not in amounts:
            amounts[key] = {c: o[c] for c in AMOUNT_COLUMNS}
        else:
            first = amounts[key]
            diff = [c for c in ("amount_yen", "new", "portion", "approx") if first[c] != o[c] and not (c == "new" and not o[c])]
            if diff:
                conflicts.append({"key": list(key), "fields": diff, "first": {c: first[c] for c in ("amount_yen", "page", "source")},
                                  "other": {c: o[c] for c in ("amount_yen", "page", "source")}})
    used = {a["program"] for a in amounts.values()} | {a["parent"] for a in amounts.values() if a["parent"]}
    programs = [p for p in walk.known.values()
                if p["program"] in used or p["level"] != "component" and (p["category"] or p["period_start"] or p["period_end"] or p["office"] or p["predecessor"])
                or any(q["predecessor"] == p["program"] for q in walk.known.values())]
    return list(amounts.values()), programs, obs, conflicts


def write_facts(pages: list[Page], release: str, path, folder, digest: str) -> dict:
    """Write amounts, programs and observations (CSV/JSON/Parquet) into folder;
    return what meta.json should know about them."""
    from pipeline.tables import OBSERVATION_COLUMNS, write_table
    from pipeline.validate import golden_dir_for, source_entry
    rules = load_rules()
    try:
        (amounts, programs, observations, conflicts), ctx = walk_release(pages, release, rules)
    except PipelineError as e:
        raise PipelineError(f"{path}: {e}", e.exit_code) from e
    meta = {"release": release, "input": str(path), "input_sha256": digest}
    write_table(folder, "amounts", amounts, AMOUNT_COLUMNS, meta)
    write_table(folder, "programs", programs, PROGRAM_COLUMNS, meta)
    write_table(folder, "observations", observations, OBSERVATION_COLUMNS, meta)
    golden = golden_dir_for(path)
    entry, _ = source_entry(path)
    return {"release_group": (entry or {}).get("release", release), "kind": (entry or {}).get("kind", ""),
            "amounts": len(amounts), "programs": len(programs), "observations": len(observations),
            "conflicts": len(conflicts), "release_year": ctx.year, "release_stage": ctx.stage,
            "supplementary_year": ctx.supplementary_year,
            "golden": str(golden) if golden else None}
