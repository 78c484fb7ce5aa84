"""Step 5, owners: whose figure each figure is — what both walks share
(the owner, the programs learnt, the notes of a slide). The walks are in
overview.py and detail.py, the slide titles in titles.py.

Two walks, one per kind of slide:

- the **overview** (a slide listing three or more programs with their
  figures): its budget box before the first program is the release's own
  total (``total_name``, 総額 by default) — the only place a total is made;
  each header line 「NAME 41億円(新規)」 (or a name line with its value line
  under it) is a program, listed under the category heading before it;
  「【令和7年度補正予算額43億円】」 lines and 「うち、NAME」 lines belong to the
  program above them;
- a **detail** slide: its budget box belongs to the slide's program — its
  title (the largest font at the top of a PDF page, else the name line
  before its budget box, else the first name on the slide, else the name
  just after the box), or, when the title is a picture, the known program
  the slide mentions; header lines and enumerated lines on it are its
  components. A figure nobody can be named for is left without an owner
  (and marked a conflict later), never given to the total.

Both walks also read the slide's notes: （担当：…） offices, 事業実施期間
periods and ※令和N年度は…で実施 predecessor notes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.facts.context import StageContext
from pipeline.facts.figure import Figure
from pipeline.facts.layout import Slide, beside
from pipeline.facts.lines import LineInfo, hit, struct, year_of
from pipeline.facts.names import PARTICLES, clean_name, lead_stripped
from pipeline.guard import may_match, search
from pipeline.parse import period_of
from pipeline.rules import RulePack


@dataclass(slots=True)
class Owner:
    program: str
    parent: str = ""
    level: str = "program"
    category: str | None = None     # None: the program's own
    listed: bool = True             # False for a program only mentioned in running text (NAME【label amount】)
    told: bool = False              # named by running text (a sentence's topic: topics.topic_name)
    nearby: bool = False            # the program above the figure's line, not a name on or beside it


@dataclass
class Programs:
    """The programs of a release by name, as the walks learn about them."""
    release: str
    known: dict[str, dict] = field(default_factory=dict)

    def get(self, name: str, parent: str = "", level: str = "program", category: str = "") -> dict:
        if name not in self.known:
            self.known[name] = {"release": self.release, "program": name, "parent": parent, "level": level,
                                "category": category, "period_start": None, "period_end": None,
                                "office": "", "predecessor": ""}
        return self.known[name]

    def containing(self, name: str, ratio: float) -> str | None:
        """The one known program whose name holds this one or is held by it,
        the shorter at least ``ratio`` of the longer: a detail slide titled
        「…研究開発の推進」 for the overview's 「…研究開発」. None when none or
        several are.

        >>> p = Programs("r"); _ = p.get("核融合エネルギーの早期実現に向けた研究開発"); _ = p.get("研究開発")
        >>> p.containing("核融合エネルギーの早期実現に向けた研究開発の推進", 0.75), p.containing("研究開発の推進", 0.75)
        ('核融合エネルギーの早期実現に向けた研究開発', None)
        """
        found = [known for known, p in self.known.items() if p["level"] == "program" and known != name
                 and (known in name or name in known) and min(len(known), len(name)) >= ratio * max(len(known), len(name))]
        return found[0] if len(found) == 1 else None

    def closest(self, name: str, edits_per_char: float) -> str | None:
        """The known program a name read by OCR misspells: the one within
        ``edits_per_char`` × its length character edits (at least one), the
        nearest when several are; None when none is that close.

        >>> p = Programs("r"); _ = p.get("海洋生物・深海探査・極域観測推進加速化プログラム"); _ = p.get("宇宙探査推進")
        >>> p.closest("海洋生物・深海探査・極域観測推進加速修プログラム", 0.08), p.closest("宇宙探査推進(チャレンジ型)", 0.08)
        ('海洋生物・深海探査・極域観測推進加速化プログラム', None)
        """
        from rapidfuzz.distance import Levenshtein
        limit = max(1, int(edits_per_char * len(name)))
        scored = [(d, known) for known in self.known
                  if (d := Levenshtein.distance(name, known, score_cutoff=limit)) <= limit]
        return min(scored)[1] if scored else None


@dataclass(slots=True)
class Claimed:
    """A figure with its owner, ready to become an observation. ``ctx``,
    ``how`` and ``source`` are the figure's own unless a note set them."""
    figure: Figure
    owner: Owner
    note_ctx: StageContext | None = None
    note_how: str | None = None
    note_source: str | None = None

    @property
    def ctx(self) -> StageContext:
        ctx = self.note_ctx or self.figure.ctx
        assert ctx is not None   # read after settle(), which gives every figure a context
        return ctx

    @property
    def how(self) -> str:
        return self.note_how or self.figure.how

    def source(self, brackets: str) -> str:
        return self.note_source or self.figure.source(brackets)


def split_part(head: str, rules: RulePack) -> tuple[str, str]:
    """A box label's head that names a part of the program after 「うち」:
    (program, part), else (head, "").

    >>> from pipeline.rules import load_rules
    >>> split_part("次世代革新炉の開発に資するうちエネルギー対策特別会計", load_rules())
    ('次世代革新炉の開発に資する', 'エネルギー対策特別会計')
    """
    at = head.find("うち", 1)
    while at > 0:
        m = struct(rules, "part_of", head[at:])
        if m and not head[at + m.end():at + m.end() + 1].isspace() and head[at + m.end():][:1] not in PARTICLES:
            return head[:at].strip(), clean_name(head[at:], rules)
        at = head.find("うち", at + 1)
    return head, ""


NOTE_ROLES = (("structure", "office"), ("structure", "period"), ("structure", "predecessor"), ("year", "range"))


def note_literals(rules: RulePack):
    """One pattern of the literals the note rules (office, period,
    predecessor, range) require; None when one of them requires nothing.
    Plain literals, compiled with ``re`` (about twice as fast as the regex
    module at them): every line of a detail slide is searched."""
    if "_note_literals" not in rules.settings:
        found = [r for kind, role in NOTE_ROLES for r in rules.role(kind, role)]
        needs = [n for r in found for n in r.get("requires") or ()]
        rules.settings["_note_literals"] = (re.compile("|".join(re.escape(n) for n in needs))
                                            if all(r.get("requires") for r in found) and needs else None)
    return rules.settings["_note_literals"]


def strict_sentence(text: str) -> bool:
    """Any comma or full stop: a line that cannot be a box label or a name on
    the overview (titles may hold a comma, see lines.sentence)."""
    return "。" in text or "、" in text


class Walk:
    """What both walks share: the slide, its figures by line, the notes."""

    def __init__(self, slide: Slide, figures: list[Figure], programs: Programs, rules: RulePack):
        self.slide, self.rules, self.programs = slide, rules, programs
        self.lines = slide.lines
        self.by_line: dict[int, list[Figure]] = {}
        for f in figures:
            self.by_line.setdefault(f.index, []).append(f)
        self.claimed: list[Claimed] = []
        self.owned: set[int] = set()      # ids of the figures claimed
        self.skip: set[int] = set()
        self.total = rules.settings["total_name"]
        self.period_wait = 0
        self.beside = beside(slide, rules)

    def claim(self, fig: Figure, owner: Owner, ctx: StageContext | None = None, how: str | None = None,
              source: str | None = None) -> None:
        if owner.parent == owner.program:   # a header repeating the slide's own program
            owner = Owner(owner.program, "", "program", owner.category)
        if owner.program and owner.level != "total" and struct(self.rules, "total", owner.program.rsplit(" ", 1)[-1]):
            owner = Owner(owner.program, "", "total", "")   # 「合計 300億円」 (「令和7年度補正予算(案) 合計」): a stated total
        prog = self.programs.get(owner.program, owner.parent, owner.level,
                                 owner.category if owner.category is not None else "") if owner.program else None
        if prog is not None and not prog["parent"] and owner.parent:
            prog["parent"] = owner.parent
        self.claimed.append(Claimed(fig, owner, ctx, how, source))
        self.owned.add(id(fig))

    def office(self, info: LineInfo, target: str | None, level: str) -> None:
        m = struct(self.rules, "office", info.text)
        if m and target:
            prog = self.programs.get(target, level=level)
            prog["office"] = prog["office"] or m.group("office").strip()

    def period(self, info: LineInfo, program: str | None) -> None:
        """事業実施期間 and its range, on one line or the range within a few lines after."""
        pm = struct(self.rules, "period", info.text)
        rng = hit(self.rules, "year", "range", info.text, pm.end() if pm else 0)
        if pm and not rng:
            self.period_wait = self.rules.settings["period_wait"]
            return
        if rng and (pm or self.period_wait > 0) and program:
            prog = self.programs.get(program)
            if prog["period_start"] is None and prog["period_end"] is None:
                prog["period_start"], prog["period_end"] = period_of(rng.groupdict())
            self.period_wait = 0
        elif self.period_wait:
            self.period_wait -= 1

    def predecessor(self, i: int, owner: str | None) -> bool:
        """A ※令和7年度は…(43億円)で実施 note on this line (and maybe the next):
        the predecessor's name for the owner, and its figure as a fact of the
        predecessor (initial / enacted / that year)."""
        rules = self.rules
        for rule in rules.role("structure", "predecessor"):
            lines = [i]
            text = self.lines[i].text
            m = search(rule["re_pattern"], text, rule["id"])
            if not m and i + 1 < len(self.lines):
                lines = [i, i + 1]
                text += self.lines[i + 1].text
                m = search(rule["re_pattern"], text, rule["id"])
            if not m:
                continue
            self.skip.update(lines)
            name = m.group("name").strip()
            self.programs.get(name, category="")
            if owner:
                prog = self.programs.get(owner)
                prog["predecessor"] = prog["predecessor"] or name
            if m.group("amount"):
                from pipeline.parse import parse_amount
                yen = parse_amount(m.group("amount"))
                year = year_of(m, None)
                source = "\n".join(self.lines[k].line.raw_text for k in lines)
                for k in lines:
                    for fig in self.by_line.get(k, []):
                        if fig.amount.yen == yen:
                            self.claim(fig, Owner(name, category=""),
                                       StageContext("initial", "enacted", year, rule["id"]), "note", source)
                            return True
            return True
        return False

    def notes(self, i: int, info: LineInfo, owner: str | None, office_target: str | None, level: str,
              period_owner: str | None) -> bool:
        """Office, period and predecessor notes of a line; True when the line
        was a predecessor note (its figures are claimed). A line with none of
        the literals those rules require, and no period pending, holds none."""
        window = info.text + (self.lines[i + 1].text if i + 1 < len(self.lines) else "")
        gate = note_literals(self.rules)
        if gate is not None and not self.period_wait and not gate.search(window):
            return False
        self.office(info, office_target, level)
        if period_owner is not None or self.period_wait:
            self.period(info, period_owner)
        if any(may_match(r, window) for r in self.rules.role("structure", "predecessor")):
            return self.predecessor(i, owner)
        return False


def row_above(claimed: list[Claimed], rules: RulePack) -> str | None:
    """The table row a 「うち…」 row is part of: the last row claimed so far
    that is itself no part (its line opens with no うち), when it is newer
    than any heading (a section heading 「1. 総括表」 above the table is no
    row: 「うちガバメントクラウド」 is a part of the row above it)."""
    for c in reversed(claimed):
        if not c.figure.row:
            return None
        if not struct(rules, "part_of", lead_stripped(c.figure.info.text, rules)):
            return c.owner.program or None
    return None


def part_name(info: LineInfo, fig: Figure, part, rules: RulePack) -> str:
    """The name after うち on a line such as 「(うちAMED予算額(案) 583億円…」."""
    text = info.text
    stripped = lead_stripped(text, rules)
    head = stripped[part.end():]
    first = min([lb.start for lb in info.labels] + [a.start for a in info.amounts if a.start <= fig.amount.start]
                + [fig.amount.start])   # (a table cell's figure is none of the line's amounts)
    cut = first - (len(text) - len(stripped)) - part.end()   # (the line's first figure or label ends the name)
    name = clean_name(head[:max(cut, 0)].split("\t")[0], rules)   # (a tab: the next cell, 「うち X\t―\t180」)
    joint = struct(rules, "name_particle", name) if len(name) > 3 else None
    return name[:joint.start()] if joint is not None else name   # 「うち、ものづくり補助金の拡充に500億円」
