"""Step 5a, the overview walk: a slide listing three or more programs with
their figures. Its budget box before the first program is the release's own
total (``total_name``, 総額 by default) — the only place a total is made;
each header line 「NAME 41億円(新規)」 (or a name cell with its value cell
beside it) is a program, listed under the category heading before it;
「【令和7年度補正予算額43億円】」 and 「うち、NAME」 lines belong to the program
above them."""
from __future__ import annotations

from pipeline.facts.layout import Slide, beside
from pipeline.facts.lines import hit, is_bare_amount, label_starts_line, sentence, struct
from pipeline.facts.name_stacks import name_stacks
from pipeline.facts.names import (
    header_name,
    is_enumerated,
    is_name_like,
    lead_stripped,
    mention_name,
    name_of,
    opens_figure,
    wrapped_tail,
)
from pipeline.facts.owners import Claimed, Owner, Walk, part_name, strict_sentence
from pipeline.facts.topics import bracket_heading, topic_name
from pipeline.rules import RulePack


def could_be_overview(slide: Slide, rules: RulePack) -> bool:
    """A cheap test before overview_headers: three lines with figures that do
    not open with a stage label (a header names its program first), or value
    cells in a PDF table."""
    minimum = rules.settings["overview_min_headers"]
    named = sum(1 for info in slide.lines if info.amounts and not label_starts_line(info))
    return named >= minimum or (slide.paged and len(beside(slide, rules)) >= minimum)


def overview_headers(slide: Slide, rules: RulePack) -> dict[int, str]:
    """Index -> program name of a slide's header lines: 'NAME <figures>' (not
    an enumerated component), or a name line followed by its 【label amount】
    line, or a bulleted name line by a line of figures only."""
    lines = slide.lines
    heads: dict[int, str] = {j: name_of(lines[j], rules) for j in beside(slide, rules).values()
                             if not is_enumerated(lines[j], rules)}
    for i, info in enumerate(lines):
        name = header_name(info, rules)
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        if name and not is_enumerated(info, rules):   # (once per line: the detail walk asks it too)
            heads[i] = section_total(lines, i, rules) or name + wrapped_tail(lines, i, rules)
        elif nxt is not None and nxt.amounts and is_name_like(info, rules) \
                and not struct(rules, "part_of", info.text) and not is_enumerated(info, rules) \
                and ((label_starts_line(nxt) and opens_figure(nxt.text, rules))
                     or (is_bare_amount(nxt) and struct(rules, "bullet", info.text) and not struct(rules, "point", info.text))):
            heads[i] = name_of(info, rules)   # 「■NAME」 over 「385億円【425億円】」 or over its 【label amount】
    return heads


def section_total(lines: list, i: int, rules: RulePack) -> str | None:
    """The name of a bare total (「合計 1,286億円」, struct.total) right under a
    section heading that names a stage (struct.section_stage): the heading's
    budget and the total word, 「令和7年度補正予算(案) 合計」 — a page with
    several sections has several 合計."""
    name = header_name(lines[i], rules)
    if not i or not name or not struct(rules, "total", name) or lines[i - 1].amounts or not lines[i - 1].labels \
            or not hit(rules, "structure", "governing", lines[i - 1].text):
        return None
    return f"{name_of(lines[i - 1], rules).strip('【】')} {name}"


class OverviewWalk(Walk):
    def run(self, headers: dict[int, str]) -> list[Claimed]:
        rules = self.rules
        first = min(headers) if headers else None
        category, last_owner = "", None
        self.stacked = name_stacks(self.lines, rules)   # items listed with no figure, then their figures in order
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
            if sentence(info.text):   # 「経済産業省関係は総額8兆9,012億円で、…」 above the list: its subject's total
                start = max([a.tail for a in info.amounts if a.tail <= fig.amount.start], default=0)
                topic = topic_name(info.text, start, fig.amount.start, rules, fig.amount.tail)
                if topic is not None and not struct(rules, "total", topic[0]):
                    whole = self.claimed[-1].owner.program if topic[1] and self.claimed else ""
                    if not topic[1]:
                        return Owner(topic[0], "", "total", "", told=True)
                    if whole:   # 「…総額2兆9,416億円で、このうちXは5,180億円」: a part of that total
                        return Owner(topic[0], whole, "component", "", told=True)
                if topic is None and (body := bracket_heading(info.text, rules)):
                    return Owner(body, "", "total", "", told=True)   # 「【文部科学省】総額6兆1,204億円を要求。」
            if is_enumerated(info, rules) and (name := header_name(info, rules)):
                return Owner(name, self.total, "component", "")   # 「1. X 1,102.5億円」 listed under the total: its part
            return Owner(self.total, "", "total", "")
        if i in headers:
            return Owner(headers[i], "", "program", category)
        if self.beside.get(i) in headers:
            return Owner(headers[self.beside[i]], "", "program", category)
        if is_bare_amount(info) and i in self.stacked:   # 「○ A」 / what A does / … / 「○ D」, then 4 figures in order
            return Owner(self.stacked[i], "", "program", category, nearby=True)
        if i - 1 in headers and is_bare_amount(info):
            return Owner(headers[i - 1], "", "program", category)
        mention = mention_name(info, fig.label if fig.how == "inline" else None, rules)
        if mention:
            return Owner(mention, "", "program", "", listed=False)
        if sentence(info.text):   # under a list: the program the sentence names, or the heading above it
            start = max([a.tail for a in info.amounts if a.tail <= fig.amount.start], default=0)
            topic = topic_name(info.text, start, fig.amount.start, rules, fig.amount.tail)
            above = self.lines[i - 1] if i else None
            heading = name_of(above, rules) if above is not None and not above.amounts \
                and struct(rules, "bullet", above.text) and not struct(rules, "point", above.text) \
                and is_name_like(above, rules) else None
            opened = info.text.rfind("。", 0, fig.amount.start) + 1
            if topic is not None and not topic[1] and (heading is None or struct(
                    rules, "topic_mark", info.text[opened:fig.amount.start])):   # 「なお、Xについては、…1,200億円」
                prog = self.programs.known.get(topic[0], {})
                return Owner(topic[0], prog.get("parent", ""), prog.get("level", "program"), "", told=True)
            if heading:   # 「■NAME」 over 「…の確保等に8億円程度を計上。」: the heading's, the に a purpose
                return Owner(heading, "", "program", "", nearby=True)
            if topic is None and (body := bracket_heading(info.text, rules)):
                return Owner(body, "", "total", "", told=True)   # 「【厚生労働省】総額は約34兆7,000億円で、…」
        owner = last_owner or self.total
        prog = self.programs.known.get(owner, {})
        return Owner(owner, prog.get("parent", ""), prog.get("level", "program"), prog.get("category", category),
                     nearby=True)
