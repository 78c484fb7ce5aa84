"""Step 5, owners: whose figure each figure is.

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

from dataclasses import dataclass, field

import regex

from pipeline.facts.context import StageContext
from pipeline.facts.lines import year_of
from pipeline.facts.layout import Slide, beside
from pipeline.facts.lines import (FILLER, NOTE_MARK, LineInfo, hit, is_bare_amount, is_pure_label, label_starts_line,
                                  struct, trailing_label)
from pipeline.facts.names import (PARTICLES, bigram_score, bigrams, clean_name, header_name, is_enumerated,
                                  is_name_like, name_of,
                                  lead_stripped, mention_name, opens_figure)
from pipeline.facts.figure import Figure
from pipeline.parse import period_of
from pipeline.rules import RulePack, may_match, search


@dataclass(slots=True)
class Owner:
    program: str
    parent: str = ""
    level: str = "program"
    category: str | None = None     # None: the program's own
    listed: bool = True             # False for a program only mentioned in running text (NAME【label amount】)


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
        return self.note_ctx or self.figure.ctx

    @property
    def how(self) -> str:
        return self.note_how or self.figure.how

    @property
    def source(self) -> str:
        return self.note_source or self.figure.source


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
    predecessor, range) require; None when one of them requires nothing."""
    if "_note_literals" not in rules.settings:
        found = [r for kind, role in NOTE_ROLES for r in rules.role(kind, role)]
        needs = [n for r in found for n in r.get("requires") or ()]
        rules.settings["_note_literals"] = (regex.compile("|".join(regex.escape(n) for n in needs))
                                            if all(r.get("requires") for r in found) and needs else None)
    return rules.settings["_note_literals"]


def strict_sentence(text: str) -> bool:
    """Any comma or full stop: a line that cannot be a box label or a name on
    the overview (titles may hold a comma, see lines.sentence)."""
    return "。" in text or "、" in text


# ------------------------------------------------------------ overview

def could_be_overview(slide: Slide, rules: RulePack) -> bool:
    """A cheap test before overview_headers: three lines with figures that do
    not open with a stage label (a header names its program first), or value
    cells in a PDF table."""
    minimum = rules.settings["overview_min_headers"]
    named = sum(1 for info in slide.lines if info.amounts and not label_starts_line(info))
    return named >= minimum or (slide.paged and len(beside(slide, rules)) >= minimum)


def overview_headers(slide: Slide, rules: RulePack) -> dict[int, str]:
    """Index -> program name of a slide's header lines: 'NAME <figures>' (not
    an enumerated component), or a name line followed by its 【label amount】 line."""
    lines = slide.lines
    heads: dict[int, str] = {j: name_of(lines[j], rules) for j in beside(slide, rules).values()
                             if not struct(rules, "enumerator", lines[j].text)}
    for i, info in enumerate(lines):
        name = header_name(info, rules)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if name and not struct(rules, "enumerator", info.text):
            heads[i] = name
        elif nxt is not None and nxt.amounts and is_name_like(info, rules) \
                and not struct(rules, "part_of", info.text) and label_starts_line(nxt) \
                and opens_figure(nxt.text, rules):
            heads[i] = name_of(info, rules)
    return heads


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
        if owner.program and owner.level != "total" and struct(self.rules, "total", owner.program):
            owner = Owner(owner.program, "", "total", "")   # 「合計 300億円」: the total the page states
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


class OverviewWalk(Walk):
    def run(self, headers: dict[int, str]) -> list[Claimed]:
        rules = self.rules
        first = min(headers) if headers else None
        category, last_owner = "", None
        for i, info in enumerate(self.lines):
            if i in self.skip:
                continue
            if self.notes(i, info, last_owner, self.total, "total", None):
                continue
            text = info.text
            if i in headers or self.beside.get(i) in headers:
                last_owner = headers[i] if i in headers else headers[self.beside[i]]
                self.programs.get(last_owner, category=category)
            elif is_name_like(info, rules) and i + 1 in headers:
                category = name_of(info, rules)
            elif not info.amounts and first is not None and i > first and struct(rules, "part_of", text) \
                    and not strict_sentence(name_of(info, rules)):
                last_owner = name_of(info, rules)   # うち、NAME on its own line: its figures follow in 【…】
                self.programs.get(last_owner, self.program_above(headers, i), "component", category)
            for fig in self.by_line.get(i, []):
                if id(fig) in self.owned:
                    continue
                owner = self.owner(i, info, fig, headers, first, category, last_owner)
                if owner.level != "total" and struct(rules, "part_of", lead_stripped(text, rules)):
                    last_owner = owner.program
                elif owner.level == "total" and owner.program != self.total:
                    last_owner = owner.program
                self.claim(fig, owner)
        return self.claimed

    def program_above(self, headers: dict[int, str], i: int) -> str:
        above = [k for k in headers if k <= i]
        return headers[max(above)] if above else self.total

    def owner(self, i, info, fig, headers, first, category, last_owner) -> Owner:
        rules = self.rules
        part = struct(rules, "part_of", lead_stripped(info.text, rules))
        if part:
            sub = part_name(info, fig, part, rules)
            parent = self.total if first is None or i < first else self.program_above(headers, i)
            if sub:
                level = "total" if parent == self.total else "component"
                return Owner(sub, parent, level, category if level == "component" else "")
        if fig.row is not None:
            return Owner(fig.row, "", "program", category) if fig.row else Owner("", "", "program", "")
        if first is None or i < first:
            return Owner(self.total, "", "total", "")
        if i in headers:
            return Owner(headers[i], "", "program", category)
        if self.beside.get(i) in headers:
            return Owner(headers[self.beside[i]], "", "program", category)
        if i - 1 in headers and is_bare_amount(info):
            return Owner(headers[i - 1], "", "program", category)
        mention = mention_name(info, fig.label if fig.how == "inline" else None, rules)
        if mention:
            return Owner(mention, "", "program", "", listed=False)
        owner = last_owner or self.total
        prog = self.programs.known.get(owner, {})
        return Owner(owner, prog.get("parent", ""), prog.get("level", "program"), prog.get("category", category))


def part_name(info: LineInfo, fig: Figure, part, rules: RulePack) -> str:
    """The name after うち on a line such as 「(うちAMED予算額(案) 583億円…」."""
    text = info.text
    stripped = lead_stripped(text, rules)
    head = stripped[part.end():]
    cut = min([lb.start for lb in info.labels] + [fig.amount.start]) - (len(text) - len(stripped)) - part.end()
    return clean_name(head[:max(cut, 0)], rules)


# ------------------------------------------------------------ detail slides

def skippable(info: LineInfo, rules: RulePack) -> bool:
    """Lines a title search passes over: labels, values, notes and what they
    wrap onto, office footers, page numbers, section labels."""
    text = info.text
    return (is_pure_label(info) or is_bare_amount(info) or text.isdigit() or text.startswith(NOTE_MARK)
            or text.startswith(PARTICLES) or bool(struct(rules, "office", text))
            or bool(struct(rules, "not_title", text)) or bool(struct(rules, "furniture", text))
            or (bool(info.excluded) and not info.amounts))


def name_stacks(lines: list[LineInfo], rules: RulePack) -> dict[int, str]:
    """Line -> name, where two or more name lines stand one under the other
    and the value lines below them (one stack or several, between year lines
    or section labels) are as many: the k-th value line is the k-th name's —
    a table whose rows came out as a column of names and columns of values.

    >>> from pipeline.extract import Line
    >>> from pipeline.facts.lines import analyze
    >>> from pipeline.rules import load_rules
    >>> rules = load_rules()
    >>> texts = ["海洋観測事業", "深海探査事業", "令和6年度", "13億円", "8億円の内数", "(12億円)", "(約8億円の内数)"]
    >>> name_stacks([analyze(Line(None, k, t, t), rules) for k, t in enumerate(texts)], rules)
    {3: '海洋観測事業', 4: '深海探査事業', 5: '海洋観測事業', 6: '深海探査事業'}
    """
    def value_line(info: LineInfo) -> bool:   # figures first (a 約 before one belongs to it)
        if not info.amounts:
            return False
        head = info.text[:info.amounts[0].start]
        for rule in rules.kind("flag"):
            if rule.get("re_before") is not None:
                head = rule["re_before"].sub("", head)
        return not FILLER.sub("", head)

    def name_line(info: LineInfo) -> bool:
        return is_name_like(info, rules) and not struct(rules, "subtitle", info.text)

    out: dict[int, str] = {}
    values = [k for k, info in enumerate(lines) if value_line(info)]
    k = 0
    while k < len(values):   # each run of value lines, and the name stack above it
        start = end = values[k]
        while k + 1 < len(values) and values[k + 1] == end + 1:
            k, end = k + 1, end + 1
        k += 1
        runs = [(start, end + 1)]
        top = start - 1
        while True:   # further up: more value runs of the same table, then its names
            while top >= 0 and not lines[top].amounts and not name_line(lines[top]) and skippable(lines[top], rules):
                top -= 1
            if top >= 0 and value_line(lines[top]):
                bottom = top
                while top >= 0 and value_line(lines[top]):
                    top -= 1
                runs.insert(0, (top + 1, bottom + 1))
                continue
            break
        first = top
        while first >= 0 and name_line(lines[first]):
            first -= 1
        names = [name_of(info, rules) for info in lines[first + 1:top + 1]]
        if len(names) < 2:
            continue
        for a, b in runs:
            if (b - a) % len(names) == 0:   # one column of values, or several in turn
                out.update({a + n: names[n % len(names)] for n in range(b - a)})
    return out


def just_above(name: LineInfo, box: LineInfo, rules: RulePack) -> bool:
    """PDF: does the name line stand right above the box line (or left of it
    on its row)? Drawing order can put a far-away text box before a label;
    only a name next to the box names it. Text: always."""
    a, b = name.line.bbox, box.line.bbox
    if a is None or b is None:
        return True
    h = max(a[3] - a[1], b[3] - b[1])
    above = -0.5 * h <= b[1] - a[3] <= rules.settings["pair_below_gap"] * h and min(a[2], b[2]) > max(a[0], b[0]) - h
    left = min(a[3], b[3]) - max(a[1], b[1]) > 0 and a[2] <= b[0] + 2
    return above or left


def title_lines(lines: list[LineInfo], j: int, rules: RulePack) -> str:
    """The title at line j, joined with the line before it when that one
    breaks off (it ends in a character of ``title_continues``, and, in a PDF,
    is set in the same font right above)."""
    name = name_of(lines[j], rules)
    if j > 0 and is_name_like(lines[j - 1], rules):
        prev, here = lines[j - 1].line, lines[j].line
        if prev.bbox is None or here.bbox is None:
            joins = lines[j - 1].text[-1:] in rules.settings["title_continues"]
        else:   # PDF: the line right above, in the same font, overlapping it sideways
            h = here.bbox[3] - here.bbox[1]
            joins = (abs((prev.font_size or 0) - (here.font_size or 0)) < 0.5
                     and -0.5 * h <= here.bbox[1] - prev.bbox[3] <= 0.5 * h
                     and min(prev.bbox[2], here.bbox[2]) > max(prev.bbox[0], here.bbox[0]))
        if joins:
            name = name_of(lines[j - 1], rules) + name
    return name


class DetailWalk(Walk):
    def run(self, program: str | None) -> list[Claimed]:
        rules = self.rules
        self.program, self.component = program, None
        self.item: str | None = None   # on a slide with no program of its own, the last program named
        self.parts: dict[int, str] = {}  # box label lines 「…うちエネルギー対策特別会計要求・要望額」: the part they name
        self.stacked = name_stacks(self.lines, rules)
        if program:
            self.programs.get(program)
        last_box = -99
        boxes = 0
        index = {id(info): k for k, info in enumerate(self.lines)}
        deferred: dict[int, list[Figure]] = {}
        gate, longest = note_literals(rules), rules.settings["max_name_length"]
        last_figure = max(self.by_line, default=-1)   # a component named after the last figure names nothing
        noted_lines = {k for k, info in enumerate(self.lines) if gate is None or gate.search(info.text)}
        for i, info in enumerate(self.lines):
            if i in self.skip:
                continue
            text = info.text
            noted = self.period_wait or i in noted_lines or i + 1 in noted_lines
            if not noted and not info.amounts and not info.labels and i not in deferred \
                    and (len(text) > longest or "。" in text):
                continue   # running text: no figure, label, note or name on it
            if noted and self.notes(i, info, self.program, self.program, "program", self.program):
                continue
            if i < last_figure and len(text) <= longest and is_enumerated(info, rules):
                name = header_name(info, rules) or (name_of(info, rules) if not info.amounts else None)
                if name:
                    self.component = name
            # a budget box: a label with its value, a label alone (its value elsewhere), a title
            # line ending in a label; not a deck title such as 「令和9年度概算要求主要事項」
            starts_box = bool(info.labels) and i not in self.slide.table_headers and (
                (label_starts_line(info) and not opens_figure(text, rules) and not strict_sentence(text)
                 and (bool(info.amounts) or is_pure_label(info) or bool(struct(rules, "governing", text))))
                or (trailing_label(info) is not None and not label_starts_line(info)))
            if starts_box:
                named = any(is_name_like(self.lines[j], rules) and not skippable(self.lines[j], rules)
                            for j in range(max(last_box + 1, 0), i))
                if i - last_box > rules.settings["box_gap"] or named:
                    self.find_title(i, first=boxes == 0)
                    boxes += 1
                last_box = i
            for fig in deferred.pop(i, []) + self.by_line.get(i, []):
                at = index.get(id(fig.label_info), i) if fig.label_info is not None else i
                if at > i:   # a value printed before its label: owned once the label's box is known
                    deferred.setdefault(at, []).append(fig)
                elif id(fig) not in self.owned:
                    self.claim(fig, self.follower(fig) or self.owner(fig.index, self.lines[fig.index], fig))
        for fig in (f for figs in deferred.values() for f in figs):   # their label line was a note
            self.claim(fig, self.owner(fig.index, self.lines[fig.index], fig))
        return self.claimed

    def follower(self, fig: Figure) -> Owner | None:
        """The owner of the figure an arrow leads from (10億円 ⇒ 12億円)."""
        if fig.follows is None:
            return None
        return next((c.owner for c in self.claimed if c.figure is fig.follows), None)

    @property
    def part_lines(self) -> dict[int, str]:
        return {self.lines[k].line.number: name for k, name in self.parts.items()}

    def find_title(self, i: int, first: bool) -> None:
        """The program of the budget box starting at line i: the name its
        label line begins with, the name line before it, or — for the slide's
        first box — the first name on the slide, or the name right after it."""
        rules, lines = self.rules, self.lines
        candidates: list[str] = []
        lab = trailing_label(lines[i])
        if lab is not None:
            head, part = split_part(clean_name(lines[i].text[:lines[i].labels[0].start], rules), rules)
            if len(head) >= 2 and not strict_sentence(head):
                candidates.append(head)
            if part:
                self.parts[i] = part
        if not candidates:
            for j in range(i - 1, max(-1, i - 1 - rules.settings["title_lookback"]), -1):
                info = lines[j]
                if j in self.skip or skippable(info, rules):
                    continue
                if struct(rules, "subtitle", info.text):
                    candidates.append(info.text[1:-1].strip())
                    continue
                if is_name_like(info, rules) and just_above(info, lines[i], rules):
                    candidates.insert(0, title_lines(lines, j, rules))
                break
        if not candidates and first and self.program is None:
            before = [j for j in range(i) if is_name_like(lines[j], rules) and not skippable(lines[j], rules)
                      and not struct(rules, "subtitle", lines[j].text)]
            cont = rules.settings["title_continues"]
            before = [j for j in before if lines[j].text[-1:] not in cont
                      or (j + 1 < len(lines) and is_name_like(lines[j + 1], rules))]
            if before:
                j = before[0]
                if lines[j].text[-1:] in cont:
                    j += 1   # a title over two lines: title_lines joins it from its second line
                candidates.append(title_lines(lines, j, rules))
            else:
                seen = 0
                for j in range(i + 1, len(lines)):
                    info = lines[j]
                    if skippable(info, rules) or (info.labels and not info.amounts):
                        continue
                    if is_name_like(info, rules) and not struct(rules, "subtitle", info.text):
                        candidates.append(title_lines(lines, j, rules))
                        break
                    seen += 1
                    if seen >= rules.settings["title_lookahead"]:
                        break
        if not candidates:
            return
        known = [c for c in candidates if c in self.programs.known]
        self.program = known[0] if known else candidates[0]
        self.programs.get(self.program)
        self.component = None

    def owner(self, i: int, info: LineInfo, fig: Figure) -> Owner:
        rules = self.rules
        program = self.program or ""
        if fig.label_info is not None and fig.label_info.line.number in self.part_lines:
            return Owner(self.part_lines[fig.label_info.line.number], program, "component", "")
        part = struct(rules, "part_of", lead_stripped(info.text, rules))
        if part:
            sub = part_name(info, fig, part, rules)
            if sub:
                parent = self.component or program
                return Owner(sub, parent, "component" if parent else "program", "")
        name = header_name(info, rules) if fig.row is None else (fig.row or None)
        if fig.row == "":
            return Owner("", "", "program", None)   # a table row whose name did not come through
        lab = fig.label if fig.how == "inline" else None
        mention = mention_name(info, lab, rules)
        if mention and mention != name:
            return Owner(mention, "", "program", "", listed=False)          # a mention of another program
        if not name and i in self.stacked and fig.how not in ("box", "inline"):
            name = self.stacked[i]   # a stack of names, then stacks of values in the same order
        if not (name and not (lab and label_starts_line(info))) and is_bare_amount(info) \
                and fig.how not in ("box", "order", "inline"):
            # NAME in the cell beside its figures, or on the line above them
            name = name_of(self.lines[self.beside[i]], rules) if i in self.beside else self.name_above(i)
        if name and not (lab and label_starts_line(info)):
            if not program:
                self.item = name
                return Owner(name, "", "program", None)
            self.component = name
            return Owner(name, program, "component", "")
        box = fig.how in ("box", "order") or (lab is not None and label_starts_line(info)
                                              and not opens_figure(info.text, rules))
        if self.component and not box:
            return Owner(self.component, program, "component", "")
        if not program and self.item and not box:
            return Owner(self.item, "", "program", None)
        return Owner(program, "", "program", None)

    def name_above(self, i: int) -> str | None:
        """The name line just above a line of figures (past a year line or a
        note between them), unless it is a subtitle."""
        for j in range(i - 1, max(-1, i - 3), -1):
            prev = self.lines[j]
            if is_name_like(prev, self.rules):
                return None if struct(self.rules, "subtitle", prev.text) else name_of(prev, self.rules)
            if not (struct(self.rules, "not_title", prev.text) and not prev.amounts) or j in self.skip:
                return None
        return None


def title_by_font(slide: Slide, programs: Programs, rules: RulePack) -> str | None:
    """A PDF slide's title: the largest-font name-like line in the top band of
    the page (or a subtitle there that names a known program), joined with a
    second title line in the same font just below it. Reading order may put
    it after the budget box, so position decides, not order."""
    if not slide.height or not slide.lines:
        return None
    band = rules.settings["title_band"] * slide.height
    top = [k for k, i in enumerate(slide.lines) if i.line.bbox and i.line.bbox[1] <= band and i.line.font_size]
    sizes = sorted(i.line.font_size for i in slide.lines if i.line.font_size)
    if not top or not sizes:
        return None
    median = sizes[len(sizes) // 2]
    titles = [k for k in top if is_name_like(slide.lines[k], rules)
              and slide.lines[k].line.font_size >= rules.settings["title_font_ratio"] * median]
    if not titles:
        return None
    size = max(slide.lines[k].line.font_size for k in titles)
    parts = sorted((k for k in titles if abs(slide.lines[k].line.font_size - size) < 0.5),
                   key=lambda k: slide.lines[k].line.bbox[1])
    name = clean_name("".join(slide.lines[k].text for k in parts), rules)
    subs = [slide.lines[k].text[1:-1].strip() for k in top if struct(rules, "subtitle", slide.lines[k].text)]
    for candidate in [name, name_of(slide.lines[parts[0]], rules)] + subs:
        if candidate in programs.known:
            return candidate
    return name


def resolve_untitled(slide: Slide, programs: Programs, rules: RulePack) -> str | None:
    """The known program a slide without a text title is about: the first one
    standing as a line of its own, else the first one its text contains, else
    the best character-bigram match of at least ``bigram_min``."""
    names = [n for n, p in programs.known.items() if p["level"] == "program"]
    lookup = set(names)
    for info in slide.lines:
        if info.text in lookup:
            return info.text
    text = "".join(info.text for info in slide.lines)
    inside = [(text.index(n), -len(n), n) for n in names if n in text]
    if inside:
        return min(inside)[2]
    grams = bigrams(text)
    scored = sorted(((bigram_score(n, grams), n) for n in names), reverse=True)
    return scored[0][1] if scored and scored[0][0] >= rules.settings["bigram_min"] else None
