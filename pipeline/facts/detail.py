"""Step 5b, the detail walk: a slide about one program. Its budget box
belongs to the slide's program — its title (titles.py), or, when the title
is a picture, the known program the slide mentions; a later box may name
another program or a part (the name line before it, 「…うち<part>要求・要望額」);
header lines, enumerated lines, names beside or above value lines and
stacks of names over stacks of values name components. A figure nobody can
be named for is left without an owner (a conflict later), never given to the
total."""
from __future__ import annotations

from pipeline.facts.figure import Figure
from pipeline.facts.items import clause_goes_on, merged_item_above, sentence_lead
from pipeline.facts.lines import (
    FILLER,
    LineInfo,
    hit,
    is_bare_amount,
    is_pure_label,
    label_starts_line,
    sentence,
    struct,
    trailing_label,
)
from pipeline.facts.name_stacks import name_stacks
from pipeline.facts.names import (
    breaks_off,
    clean_name,
    header_name,
    is_enumerated,
    is_name_like,
    lead_stripped,
    mention_name,
    name_of,
    opens_figure,
    without_closing_title_words,
    wrapped_tail,
)
from pipeline.facts.owners import Claimed, Owner, Walk, note_literals, part_name, row_above, split_part, strict_sentence
from pipeline.facts.titles import body_in_title, just_above, skippable, title_after_box, title_lines
from pipeline.facts.topics import antecedent, asked_about, bill_budget, named_before, sentence_subject, topic_name, topic_words
from pipeline.rules import RulePack


def sibling_item(info: LineInfo, box: LineInfo, rules: RulePack) -> bool:
    """Does the line open with the bullet the box's line opens with (an item
    of the same list, not the box's title)?"""
    mark = struct(rules, "bullet", box.text)
    return mark is not None and info.text[:1] == box.text[:1]


class DetailWalk(Walk):
    def run(self, program: str | None) -> list[Claimed]:
        rules = self.rules
        self.program, self.component = program, None
        self.item: str | None = None   # on a slide with no program of its own, the last program named
        self.parts: dict[int, str] = {}  # box label lines 「…うちエネルギー対策特別会計要求・要望額」: the part they name
        boxed = {f.index for figs in self.by_line.values() for f in figs if f.how == "order" and f.label_info is not None}
        self.stacked = name_stacks(self.lines, rules, boxed)
        self.topic: str | None = None    # in running text, the last budget a sentence named as a whole
        self.subject: str | None = None  # what the page is about (page_subject), once asked
        self.topic_sentence: tuple = ()  # ... and which sentence (line, position of the 。 before it)
        self.continued: set[int] = set()  # lines that are the rest of a title a box interrupted
        if program:
            self.programs.get(program)
        last_box = -99
        boxes = 0
        by_line = self.by_line
        paired_elsewhere = any(f.label_info is not None for figs in by_line.values() for f in figs)
        index = {id(info): k for k, info in enumerate(self.lines)} if paired_elsewhere else {}
        deferred: dict[int, list[Figure]] = {}
        gate, longest = note_literals(rules), rules.settings["max_name_length"]
        last_figure = max(self.by_line, default=-1)   # a component named after the last figure names nothing
        noted_lines = {k for k, info in enumerate(self.lines) if gate is None or gate.search(info.text)}
        for i, info in enumerate(self.lines):
            if i in self.skip:
                continue
            text = info.text
            noted = self.period_wait or i in noted_lines or i + 1 in noted_lines
            if not noted and not info.amounts and not info.labels and i not in deferred and i not in by_line \
                    and (len(text) > longest or "。" in text):
                continue   # running text: no figure, label, note or name on it (a long line of table cells has figures)
            if noted and self.notes(i, info, self.program, self.program, "program", self.program):
                continue
            if i < last_figure and len(text) <= longest and is_enumerated(info, rules) and not clause_goes_on(self.lines, i):
                name = header_name(info, rules) or (name_of(info, rules) if is_name_like(info, rules) else None)
                if name:
                    self.component = name
            # a budget box: a label with its value, a label alone (its value elsewhere), a title
            # line ending in a label; not a deck title such as 「令和9年度概算要求主要事項」
            starts_box = bool(info.labels) and i not in self.slide.table_headers \
                and not (struct(rules, "bracket_note", text) and not info.amounts) and (   # (「※( )内は…」: a note)
                (label_starts_line(info, rules) and not opens_figure(text, rules) and not strict_sentence(text)
                 and (bool(info.amounts) or is_pure_label(info) or bool(struct(rules, "governing", text))))
                or (trailing_label(info) is not None and not label_starts_line(info)))
            if starts_box and is_pure_label(info) and self.restated_below(i):
                starts_box = False   # 「令和7年度概算要求」 over 「X 令和7年度要求・要望額」: the page's heading
            if starts_box and boxes and info.labels[0].opens_bracket and any(
                    f.label_info is self.lines[last_box] for k in range(last_box + 1, i) for f in by_line.get(k, [])):
                starts_box = False   # 「(前年度予算額 10億円)」 lines below the value its box's label took: that box
                last_box = i
            if starts_box:
                named = any(is_name_like(self.lines[j], rules) and not skippable(self.lines[j], rules)
                            and j not in self.continued for j in range(max(last_box + 1, 0), i))
                if i - last_box > rules.settings["box_gap"] or named:
                    self.find_title(i, first=boxes == 0)
                    boxes += 1
                last_box = i
            if i not in deferred and i not in by_line:
                continue
            for fig in deferred.pop(i, []) + by_line.get(i, []):
                at = index.get(id(fig.label_info), i) if fig.label_info is not None else i
                if at > i:   # a value printed before its label: owned once the label's box is known
                    deferred.setdefault(at, []).append(fig)
                elif id(fig) not in self.owned:
                    self.claim(fig, self.follower(fig) or self.owner(fig.index, self.lines[fig.index], fig))
        for fig in (f for figs in deferred.values() for f in figs):   # their label line was a note
            self.claim(fig, self.owner(fig.index, self.lines[fig.index], fig))
        return self.claimed

    def restated_below(self, i: int) -> bool:
        """Does a label line within the box gap below line i name the same
        stage and year as its label (a heading over the box that repeats it)?"""
        own = {(lab.budget, lab.stage, lab.year(None)) for lab in self.lines[i].labels}
        for info in self.lines[i + 1:i + 1 + self.rules.settings["box_gap"]]:
            if any((lab.budget, lab.stage, lab.year(None)) in own for lab in info.labels):
                return True
        return False

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
        title_at: int | None = None   # the line of the name line found before the box
        lab = trailing_label(lines[i])
        if lab is not None:
            head, part = split_part(clean_name(lines[i].text[:lines[i].labels[0].start], rules), rules)
            if len(head) >= 2 and not strict_sentence(head) and not hit(rules, "year", "year", head):
                candidates.append(self.rest_after_box(head, i))   # (「令和9年度予算のポイント(政府案)」 is the release's title)
            if part:
                self.parts[i] = part
        if not candidates:
            for j in range(i - 1, max(-1, i - 1 - rules.settings["title_lookback"]), -1):
                info = lines[j]
                if j in self.skip or j in self.continued or skippable(info, rules):
                    continue
                if sibling_item(info, lines[i], rules):
                    continue   # 「○支給対象 約1,735万人」 over 「○22年度予算額 …」: an item of the same list
                if struct(rules, "subtitle", info.text):
                    candidates.append(info.text[1:-1].strip())
                    continue
                if is_name_like(info, rules) and just_above(info, lines[i], rules) and not clause_goes_on(lines, j):
                    candidates.insert(0, self.rest_after_box(title_lines(lines, j, rules), j))
                    title_at = j
                break
        if not candidates and first and self.program is None and self.item:
            candidates.append(self.item)   # 「NAME 令和8年度予算額(案) 41億円」 above: that program's next box
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
                    if not info.amounts and not info.labels and (m := struct(rules, "body", info.text)) \
                            and m.end() == len(info.text) and j - i >= 2 and all(lines[k].labels for k in range(i, j)):
                        candidates.append(info.text)   # a stack of box labels, then 「文化庁」, then a slogan: the office's box
                        break
                    if skippable(info, rules) or (info.labels and not info.amounts):
                        continue
                    if is_name_like(info, rules) and not struct(rules, "subtitle", info.text):
                        # (a numbered section after the box, 「I 地域医療構想…」, is no title: the
                        # title's office is the box's, 「令和7年度 医政局 概算要求の概要」)
                        body = body_in_title(lines[:i], rules) if is_enumerated(info, rules) else None
                        if j + 1 < len(lines) and is_name_like(lines[j + 1], rules) \
                                and breaks_off(info.text, lines[j + 1].text, rules):
                            j += 1   # a title over two lines: title_lines joins it from its second line
                        candidates.append(body or title_lines(lines, j, rules))
                        break
                    seen += 1
                    if seen >= rules.settings["title_lookahead"]:
                        break
        if not candidates:
            return
        known = [c for c in candidates if c in self.programs.known]
        if not known and any(info.line.ocr for info in lines[max(0, i - rules.settings["title_lookback"]):i + 1]):
            # a name read by OCR near the box: the known program it misspells
            known = [m for c in candidates if (m := self.programs.closest(c, rules.settings["ocr_name_edits"]))]
        if not known:   # the overview's name for the program a slide's title words a little longer or shorter
            known = [m for c in candidates if (m := self.programs.containing(c, rules.settings["title_overlap"]))][:1]
        if not known and not self.slide.paged and title_at is not None:
            # text: a listed program on a line of its own as near the box as the name found (the title
            # came after the box label: 「POによるメンタリング」 / 「令和7年度補正予算額」 / 「NAME」 / 「370億円」)
            reach = abs(i - title_at)
            known = [lines[j].text for j in range(max(0, i - reach), min(len(lines), i + reach + 1))
                     if self.programs.known.get(lines[j].text, {}).get("level") == "program"][:1]
        self.program = known[0] if known else without_closing_title_words(candidates[0], rules)
        self.programs.get(self.program)
        self.component = None

    def rest_after_box(self, name: str, j: int) -> str:
        """The title at line j joined with its rest after the box
        (titles.title_after_box); the rest's line opens no box of its own."""
        name, rest = title_after_box(name, self.lines, j, self.rules)
        if rest is not None:
            self.continued.add(rest)
        return name

    def owner(self, i: int, info: LineInfo, fig: Figure) -> Owner:
        rules = self.rules
        program = self.program or ""
        if fig.label_info is not None and fig.label_info.line.number in self.part_lines:
            return Owner(self.part_lines[fig.label_info.line.number], program, "component", "")
        part = struct(rules, "part_of", lead_stripped(info.text, rules))
        if part:   # 「うち…」: a part of the program, or of the table row above
            sub = fig.row or part_name(info, fig, part, rules)
            if sub:
                parent = (row_above(self.claimed, rules) if fig.row else None) or self.component or program \
                    or (self.item if fig.row else "") or ""
                return Owner(sub, parent, "component" if parent else "program", "")
        name = header_name(info, rules) if fig.row is None else (fig.row or None)
        if name and fig.row is None:
            name += wrapped_tail(self.lines, i, rules)
        if fig.row == "":
            return Owner("", "", "program", None)   # a table row whose name did not come through
        lab = fig.label if fig.how == "inline" else None
        if fig.how not in ("box", "order") and not name and (sentence(info.text) or (
                "、" in info.text[fig.amount.tail:] and is_enumerated(info, rules))):   # (「③…経費(10億円)など、」)
            told = self.told(info, fig)
            if told:
                return told
        mention = mention_name(info, lab, rules)
        if mention and mention != name:
            return Owner(mention, "", "program", "", listed=False)          # a mention of another program
        cell = not name and i in self.stacked and opens_figure(info.text, rules)   # 「[補正予算額 43億円]」 in a row
        by_order = not name and i in self.stacked and (fig.how not in ("box", "inline") or cell)
        if by_order:
            name = self.stacked[i]   # a stack of names, then stacks of values in the same order
        if not (name and not (lab and label_starts_line(info))) and is_bare_amount(info) \
                and fig.how not in ("box", "order", "inline"):
            # NAME in the cell beside its figures, or on the line above them
            name = name_of(self.lines[self.beside[i]], rules) if i in self.beside \
                else self.name_below(i) or self.name_above(i)
        if name and (cell or not (lab and label_starts_line(info))):
            if not program:
                self.item = name
                return Owner(name, "", "program", None, nearby=by_order)
            self.component = name
            return Owner(name, program, "component", "", nearby=by_order)
        box = fig.how in ("box", "order") or (lab is not None and label_starts_line(info)
                                              and not opens_figure(info.text, rules))
        if self.component and not box:   # the component named above
            return Owner(self.component, program, "component", "", nearby=True)
        if not program and self.item and not box:
            return Owner(self.item, "", "program", None, nearby=True)
        return Owner(program, "", "program", None)

    def told(self, info: LineInfo, fig: Figure) -> Owner | None:
        """The owner running text names for a figure (topics.topic_name): a
        part of the budget it named before when the clause says このうち; a
        total the sentence says whose it is (total_named), its sentence's topic
        when it began lines above (items.sentence_lead); else what unnamed() finds."""
        start = max([a.tail for a in info.amounts if a.tail <= fig.amount.start], default=0)
        total = self.total_named(info, fig, start)
        if total is not None:
            return total
        lead = "" if start or "。" in info.text[:fig.amount.start] else sentence_lead(self.lines, fig.index, self.rules)
        topic = topic_name(info.text, start, fig.amount.start, self.rules, fig.amount.tail) or (topic_name(
            lead + info.text, 0, len(lead) + fig.amount.start, self.rules, len(lead) + fig.amount.tail) if lead else None)
        sentence_start = (id(info), info.text.rfind("。", 0, fig.amount.start))
        name, part = topic if topic else ("", False)
        if name.startswith("同"):   # 「同省関係分は」: the ministry the text named before (「同事業」, none: nobody)
            before = "\n".join(line.text for line in self.lines[max(0, fig.index - 20):fig.index]) + "\n"
            name = antecedent(name, before + info.text[:fig.amount.start], self.rules) or ""
        if not name:
            return self.unnamed(info, fig, sentence_start, start)
        if struct(self.rules, "account", name):   # 「一般会計の総額で…」 after 「厚生労働省は…」: the ministry's account
            opened = info.text.rfind("。", 0, fig.amount.start)
            subject = sentence_subject(info.text[info.text.rfind("。", 0, max(opened, 0)) + 1:max(opened, 0)],
                                       self.rules) if opened > 0 else None
            body = self.topic if self.topic and struct(self.rules, "body", self.topic) else \
                subject if subject and struct(self.rules, "body", subject) else None
            name = body or name
        whole = self.bracketed_after(info, fig)
        if whole and whole != name:   # 「AMED予算が1266億円(文部科学省603億円、…)」: a share of AMED's
            return Owner(name, whole, "component", "", told=True)
        if part and self.topic and self.topic != name:
            return Owner(name, self.topic, "component", "", told=True)
        self.topic, self.topic_sentence = name, sentence_start
        return Owner(name, "", "program", None, told=True)

    def total_named(self, info: LineInfo, fig: Figure, start: int) -> Owner | None:
        """A total whose owner its sentence says: after a list of figures
        (「文部科学省は、Aに341億円、…など、合計1兆1,830億円」: the subject's,
        struct.list_total), or a total the sentence opens with or reaches
        after a clause (「…予算をまとめた。総額は1248億円」: the budget the
        sentence before put together or decided, struct.total_topic)."""
        rules, text = self.rules, info.text
        opened = text.rfind("。", 0, fig.amount.start)
        if struct(rules, "list_total", text[start:fig.amount.start]):
            subject = sentence_subject(text[opened + 1:fig.amount.start], rules)
            return Owner(subject, "", "program", None, told=True) if subject else None
        if opened > 0 and struct(rules, "total_topic", text[opened + 1:fig.amount.start]):
            before = text[text.rfind("。", 0, opened) + 1:opened + 1]
            said = struct(rules, "summarized", before)
            name = topic_words(said.group("name"), rules) if said else None
            name = antecedent(name, before, rules) if name else None   # 「経済産業省は…同省関係分を公表した。総額は…」
            if not name:   # 「防衛省は31日、…概算要求を決定した。総額は…」: what the sentence before was about
                topic = topic_name(before, 0, len(before) - 1, rules)
                name = topic[0] if topic else None
            return Owner(name, "", "program", None, told=True) if name else None
        return None

    def unnamed(self, info: LineInfo, fig: Figure, sentence_start: tuple, start: int) -> Owner | None:
        """The owner of a figure whose clause names nobody: its sentence's topic (「Xの予算は、前年度の
        380億円から410億円に増えた」), what it is spent on (「新たに38億円を投入し、…Xに取り組む」,
        struct.purpose_after), the owner of the figure before it for a baseline (struct.baseline), a
        prior year's figure in its sentence or another budget's of the same thing (「…補正予算でも115億円」,
        struct.also_in); a bill's title, a body said as a sentence before (「まずデジタル庁。」), the page's."""
        if self.topic and self.topic_sentence == sentence_start:
            return Owner(self.topic, "", "program", None, told=True)
        prev = self.claimed[-1] if self.claimed else None   # the figure before it, and its owner:
        compared = prev is not None and fig.label is not None and (fig.label.opens_bracket or fig.bracketed_by_label) \
            and prev.figure.info is info and "。" not in info.text[prev.figure.amount.tail:fig.amount.start]
        if prev is not None and (last := prev.owner).program and (
                compared or struct(self.rules, "also_in", info.text[start:fig.amount.start])):
            # 「Xは約1,020億円で、前年度当初予算(約980億円)を…」: X's prior year; 「…で、今年度当初予算(5兆3,642億円)を
            # 上回った」: X's baseline; 「…24年度補正予算でも115億円」: X's in another budget
            return Owner(last.program, last.parent, last.level, last.category, told=True)
        purpose = struct(self.rules, "purpose_after", info.text[fig.amount.tail:])
        name = topic_words(purpose.group("name"), self.rules) if purpose else None
        if name:
            return Owner(name, "", "program", None, told=True)
        if self.claimed and struct(self.rules, "baseline", info.text[fig.amount.tail:]):
            last = self.claimed[-1].owner   # 「Xの要求額は100億円。前年度当初予算90億円と比べ…」: X's baseline
            if last.program and last.level == "program":
                return Owner(last.program, "", "program", None, told=True)
        above = self.lines[fig.index - 1] if fig.index else None
        if above is not None and "。" not in info.text[:fig.amount.start] and not above.amounts and (struct(
                self.rules, "bullet", above.text) or is_enumerated(above, self.rules)) and is_name_like(above, self.rules):
            return Owner(name_of(above, self.rules), "", "program", None, nearby=True)   # 「◇NAME」, 「1．NAME」 over it
        subject = (bill_budget(above, self.rules) or asked_about(above.text, self.rules) if above is not None else None) \
            or named_before(info.text[:fig.amount.start], self.rules) or self.page_subject()
        return Owner(subject, "", "program", None, told=True) if subject else None

    def page_subject(self) -> str | None:
        """What a page about one budget is about: the topic of its first
        sentence when a name line above it (the page's title) says the same
        (「学術研究基盤強化費補助金」 over 「学術研究基盤強化費補助金(…)は、文部科学省が所管する
        補助金。」, an encyclopedia's or an article's lead)."""
        if self.subject is None:
            self.subject = ""
            for k, info in enumerate(self.lines):
                if "。" in info.text:
                    told = sentence_subject(info.text[:info.text.index("。")], self.rules)
                    if told and any(is_name_like(above, self.rules) and name_of(above, self.rules) == told
                                    for above in self.lines[:k]):
                        self.subject = told
                    break
        return self.subject or None

    def bracketed_after(self, info: LineInfo, fig: Figure) -> str | None:
        """The owner of the figure a bracket opens right after, when this
        figure stands inside that bracket (a breakdown: 「1266億円(文部科学省
        603億円、厚生労働省475億円)」)."""
        text = info.text
        opened = text.rfind("(", 0, fig.amount.start)
        if opened < 0 or ")" in text[opened:fig.amount.start]:
            return None
        before = [c for c in self.claimed if c.figure.info is info and c.figure.amount.tail <= opened]
        if not before or FILLER.sub("", text[before[-1].figure.amount.tail:opened]):
            return None
        return before[-1].owner.program or None

    def name_below(self, i: int) -> str | None:
        """The enumerated heading right below a line of figures whose own
        heading is not right above it: 「10億2,300万円(新規)」 over 「(3) NAME」
        (a figure printed before its component's title)."""
        rules, lines = self.rules, self.lines
        if i + 1 >= len(lines) or lines[i + 1].amounts or not is_enumerated(lines[i + 1], rules) \
                or not is_name_like(lines[i + 1], rules):
            return None
        above = lines[i - 1] if i else None
        if above is not None and not above.amounts and (is_enumerated(above, rules) or (
                is_name_like(above, rules) and not struct(rules, "point", above.text))):
            return None   # its heading stands above it (a description point above is no heading)
        return name_of(lines[i + 1], rules)

    def name_above(self, i: int) -> str | None:
        """The name line just above a line of figures (past a year line or a
        note between them), unless it is a subtitle."""
        for j in range(i - 1, max(-1, i - 3), -1):
            prev = self.lines[j]
            if j == i - 1 and j and prev.amounts and merged_item_above(self.lines[j - 1], prev, self.rules):
                return name_of(self.lines[j - 1], self.rules)
            if is_name_like(prev, self.rules):
                return None if struct(self.rules, "subtitle", prev.text) else \
                    self.rest_after_box(name_of(prev, self.rules), j)
            if not (struct(self.rules, "not_title", prev.text) and not prev.amounts) or j in self.skip:
                return None
        return None
