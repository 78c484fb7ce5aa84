"""Step 2, the release's own years and stages, and the stage context of a
figure: which budget, stage and fiscal year a label stands for.

A release names its years in its title (令和7年度補正・令和8年度当初予算案; 令和8年度
科学技術関係概算要求), its boxes often only the stage (要求・要望額). So the release
context is read first — from the first lines that name a stage with a year
— and a label without a year takes the release's."""
from __future__ import annotations

from dataclasses import dataclass

from pipeline.facts.lines import FILLER, Label, LineInfo, labels_of, sentence, struct, year_of
from pipeline.guard import finditer, may_match, search
from pipeline.parse import WESTERN, date_fiscal_year
from pipeline.rules import RulePack

ERA_START = {"令和": 2019, "平成": 1989}


@dataclass(frozen=True, slots=True)
class StageContext:
    """What a figure is: budget, stage and fiscal year, and the rule that said so.
    ``stage``/``fiscal_year`` are None where nothing on the page decides them."""
    budget: str
    stage: str | None
    fiscal_year: int | None
    rule: str
    round: int | None = None         # a supplementary budget's round (第2次補正, R2補②), when written


@dataclass(frozen=True, slots=True)
class ReleaseContext:
    """What the whole release says about itself."""
    year: int | None                  # the initial budget year (令和8年度当初 -> 2026)
    stage: str | None                 # the initial budget's stage in this release
    stage_rule: str
    supplementary_year: int | None
    supplementary_stage: str | None
    supplementary_rule: str
    era: str | None                   # for years written without an era (7年度)
    brackets: tuple = ()              # (open bracket, stage rule) a legend gives: 「※【 】内は前年度当初予算額」
    dated: int | None = None          # the fiscal year of the page's date (来年度 and 今年度 count from it)
    titled: int | None = None         # the latest year the title and headers write before any figure (本年度 counts from it)

    def default(self) -> StageContext:
        """The context of a figure nothing else qualifies: the release's own
        initial budget, or, in a supplementary release, its supplementary one."""
        if self.supplementary_year is not None and (self.year is None or (
                self.supplementary_stage == "draft" and self.stage in (None, "enacted")
                and self.year <= self.supplementary_year)):
            # (a 補正予算(案) release that names its year's enacted initial budget only to compare)
            return StageContext("supplementary", self.supplementary_stage, self.supplementary_year,
                                self.supplementary_rule)
        return StageContext("initial", self.stage, self.year, self.stage_rule)


def era_of(year: int | None) -> str | None:
    """The era a western fiscal year falls in, for years written without one.

    >>> era_of(2026), era_of(2004), era_of(None)
    ('令和', '平成', None)
    """
    if year is None:
        return None
    return "令和" if year >= ERA_START["令和"] else "平成"


def line_year(info: LineInfo, before: int, rules: RulePack, era: str | None) -> int | None:
    """The last fiscal year written on the line before position ``before``
    with no amount in between: 「令和8年度科学技術関係概算要求」 names the year of
    its 概算要求."""
    last = None
    for rule in rules.role("year", "year"):
        for m in finditer(rule["re_pattern"], info.text[:before], rule["id"]):
            if not any(m.end() <= a.start < before for a in info.amounts):
                last = year_of(m, era) or last
    return last


def label_year(lab: Label, info: LineInfo, rules: RulePack, era: str | None, dated: int | None = None,
               titled: int | None = None) -> int | None:
    """The year a label names, on itself or just before it on its line — a
    year counted from the page's date (``dated``: 「来年度予算概算要求」 in a
    page of 2024年8月30日 is 2025's, year.relative) or, in running text, the
    last year its sentence wrote before it (「令和2年度の当初予算は102.7兆円、
    第一次補正予算が25.6兆円」: 令和2年度's 補正)."""
    own = lab.year(era)
    if own is not None or lab.opens_bracket:
        return own
    counted, year = relative_year(lab, info, rules, dated, titled)
    if counted:
        return year
    year = line_year(info, lab.start, rules, era)
    if year is None and sentence(info.text):
        opened = info.text.rfind("。", 0, lab.start) + 1
        for rule in rules.role("year", "year"):
            for m in finditer(rule["re_pattern"], info.text[opened:lab.start], rule["id"]):
                year = year_of(m, era) or year
    return year


def relative_year(lab: Label, info: LineInfo, rules: RulePack, dated: int | None,
                  titled: int | None = None) -> tuple[bool, int | None]:
    """(whether a year.relative word stands just before the label, the year
    it counts to from the page's date ``dated`` — None without a date: such
    a year is never taken from elsewhere). A word the rule counts from the
    title (``from_title``: 本年度 of a table headed 「令和5年度予算の…」) counts
    from the year the title writes, ``titled``, when it writes one: the date
    may be the day the budget passed, in the fiscal year before."""
    before = info.text[max(0, lab.start - 10):lab.start]
    for rule in rules.role("year", "relative"):
        m = search(rule["re_pattern"], before, rule["id"]) if may_match(rule, before) else None
        if m is not None:
            word = m.group("relative")
            offset = (rule.get("offsets") or {}).get(word)
            base = titled if titled is not None and word in (rule.get("from_title") or ()) else dated
            return True, base + offset if base is not None and offset is not None else None
    return False, None


def title_year(infos: list[LineInfo], rules: RulePack) -> int | None:
    """The latest year the title and headers write before any figure (on the
    first figure's line too, before it)."""
    latest = None
    for info in infos:
        head = info.text[:info.amounts[0].start] if info.amounts else info.text
        for year_rule in rules.role("year", "year"):
            for m in finditer(year_rule["re_pattern"], head, year_rule["id"]):
                y = year_of(m, None)
                latest = max(latest or y or 0, y or 0) or None
        if info.amounts:
            break
    return latest


def is_baseline(lab: Label, info: LineInfo, rules: RulePack) -> bool:
    """Is the label's figure one the line compares with (struct.baseline
    right after the first figure after the label)?"""
    after = [a for a in info.amounts if a.start >= lab.end]
    return bool(after) and struct(rules, "baseline", info.text[after[0].tail:]) is not None


def writes_western(lab: Label, info: LineInfo, rules: RulePack) -> bool:
    """Is the label's year written as a western year (2025年度予算の概算要求)?"""
    if lab.match.groupdict().get("western"):
        return True
    last = None
    for rule in rules.role("year", "year"):
        for m in finditer(rule["re_pattern"], info.text[:lab.start], rule["id"]):
            if last is None or m.start() > last.start():
                last = m
    return bool(last and last.groupdict().get("western"))


def writes_only_western_years(infos: list[LineInfo], rules: RulePack) -> bool:
    """Does the page write its fiscal years 2024年度 and never with an era
    (令和6年度, R6, 平成28年度)? Then an era-less 「25年度」 on it is 2025:
    a column that writes 「2024年度は…、25年度は…、26年度予算案では…」."""
    western = False
    for info in infos:
        if "年" not in info.text and "R" not in info.text and "H" not in info.text:
            continue
        for rule in rules.role("year", "year"):
            for m in finditer(rule["re_pattern"], info.text, rule["id"]):
                g = m.groupdict()
                if g.get("era") or g.get("letter"):
                    return False
                western = western or bool(g.get("western"))
    return western


def own_label(lab: Label, info: LineInfo) -> bool:
    """Is the label written right before a figure, its own (「R2補①:100億円」),
    or last on its line (its value on the next), rather than naming
    the page's budget?"""
    if not FILLER.sub("", info.text[lab.end:]).strip("①②③④⑤:0123456789,."):
        return True   # (「R3補:1,504」 「億円」: the amount broken over the line)
    return any(0 <= a.start - lab.end <= 4 and not FILLER.sub("", info.text[lab.end:a.start]).strip("①②③④⑤:")
               for a in info.amounts)


def release_context(infos: list[LineInfo], rules: RulePack) -> ReleaseContext:
    """The release's years: the first initial-budget label that names a year
    (on itself or on its line) — a request or draft label's before an
    enacted one's, which is mostly a comparison —, and the first
    supplementary one; failing
    that, the first stage named and the latest year written before the
    first figure (a 予算案 table's own year is its last column's). Never an error:
    a release that names no year gives figures whose year stays empty."""
    dated, titled = page_date(infos, rules), title_year(infos, rules)
    year = stage = rule = supp = supp_stage = supp_rule = None
    western = False   # the release's year written 2025年度: era-less 「24年度」 is then 2024
    first_stage = baseline = None
    titled_stage = mention = False   # a request or draft with no year before the figures; a year's label only after them
    era = None
    before_figures = True
    supp_titled = False   # a supplementary label before any figure and any initial one: what the release is about
    for info in infos:
        reference = bool(info.labels) and struct(rules, "reference", info.text) is not None
        for lab in info.labels:
            if lab.opens_bracket or lab.year_only or reference:
                continue   # (neither says the release's own stage, nor does a figure given for reference)
            y = label_year(lab, info, rules, None, dated, titled)
            if lab.budget == "supplementary" and y is None and before_figures and dated is not None \
                    and not relative_year(lab, info, rules, dated, titled)[0]:
                y = dated   # a dated page titled 「補正予算案を閣議決定」: the supplementary budget of its own year
            if lab.budget == "supplementary":
                if y is not None and supp is None and (before_figures or not own_label(lab, info)):
                    supp, supp_stage, supp_rule = y, lab.stage, lab.rule["id"]
                    supp_titled = before_figures and year is None
                    era = era or era_of(y)
                continue
            if supp_titled and not (before_figures and (not info.amounts or lab.start < info.amounts[0].start)):
                continue   # a title naming only a 補正予算(案): 「令和5年度概算要求でも1,200億円」 below is a mention
            if y is not None and lab.stage == "enacted" and is_baseline(lab, info, rules):
                baseline = baseline or y   # 「2020年度の当初予算…と比べ」: the release is about 2021
                continue
            if y is not None and (year is None or (stage == "enacted" and lab.stage != "enacted")):
                year, stage, rule = y, lab.stage, lab.rule["id"]   # (an enacted label is mostly a comparison)
                western = writes_western(lab, info, rules)
                mention = not before_figures   # (a year's label only after the figures began)
            elif first_stage is None or (first_stage[0] == "enacted" and lab.stage in ("request", "draft")):
                first_stage = (lab.stage, lab.rule["id"])   # (「予算額は…予算(案)額」: the draft it is about)
                titled_stage = titled_stage or (before_figures and lab.stage in ("request", "draft"))
        if year is not None and stage != "enacted" and supp is not None:
            break
        if info.amounts:
            before_figures = False
    if stage == "enacted" and mention and titled_stage and first_stage is not None:
        year, stage, rule = None, *first_stage   # 「来年度予算案が決まりました」 then 「…令和4年度当初予算は…でした」: a mention
    if year is None and supp is None and baseline is not None and first_stage and first_stage[0] in ("request", "draft"):
        year = baseline + 1   # a request or draft compared with an enacted budget is the next year's
        stage, rule = first_stage
    western = western or writes_only_western_years(infos, rules)
    if year is None and supp is None and dated is not None and era is None and not western:
        # no era written anywhere, a page dated 2016-02-02: 「二十八年度予算案」 is the date's era's (平成28)
        year, stage, rule = next(((y, lab.stage, lab.rule["id"]) for info in infos for lab in info.labels
                                  if not (lab.opens_bracket or lab.year_only) and lab.budget == "initial"
                                  and (y := label_year(lab, info, rules, era_of(dated), dated, titled)) is not None),
                                 (None, None, None))
    if year is None and supp is None:   # no label with a year: the latest year before the figures, the first stage
        year = titled
        stage, rule = first_stage or (None, "")
    era = WESTERN if western else era_of(year) or era
    return ReleaseContext(year, stage, rule or "", supp, supp_stage, supp_rule or "", era, bracket_legend(infos, rules),
                          dated, titled)


def page_date(infos: list[LineInfo], rules: RulePack) -> int | None:
    """The fiscal year of the page's date (year.date): the first date on a
    line of its own — no sentence — before the figures begin (an article's
    dateline, a release's 令和6年12月27日). A headline's figure comes before
    the dateline (「補正予算案を閣議決定 一般会計17.1兆円」): the figures begin
    with the first sentence or table that gives one, or a second line that does."""
    figure_lines = 0
    for info in infos:
        if info.amounts:
            figure_lines += 1
            if figure_lines > 1 or sentence(info.text):
                return None
            continue
        if sentence(info.text):
            continue   # (「…は2023年4月1日に施行された。」 is no dateline)
        for rule in rules.role("year", "date"):
            m = search(rule["re_pattern"], info.text, rule["id"]) if may_match(rule, info.text) else None
            if m is not None:
                return date_fiscal_year(m.groupdict())
    return None


def bracket_legend(infos: list[LineInfo], rules: RulePack) -> tuple:
    """(open bracket, stage rule) for each bracket a legend note explains
    (struct.bracket_legend): 「※【 】内は前年度当初予算額、〈 〉内は前年度補正予算額」
    makes 「385億円【425億円】〈200億円〉」 the prior year's initial and
    supplementary budgets. The first legend for a bracket counts."""
    out: dict[str, dict] = {}
    for info in infos:
        if "内" not in info.text:
            continue
        for rule in rules.role("structure", "bracket_legend"):
            for m in finditer(rule["re_pattern"], info.text, rule["id"]):
                labels = labels_of(m.group("meaning"), rules)
                if labels and m.group("open") not in out:
                    out[m.group("open")] = labels[0].rule
    return tuple(out.items())


def context_of_label(lab: Label, info: LineInfo, release: ReleaseContext, rules: RulePack,
                     ref_year: int | None = None) -> StageContext:
    """The stage context a label gives a figure. A label without a year takes
    the release's (前年度: the year before ``ref_year``, the figure it is
    compared with). A supplementary label without （案） of the year whose
    補正予算案 the release is about is that draft. A year alone before its
    figure (``relative: release``) has the release's stage for the
    release's year, enacted for an earlier one, none for a later one — and
    an initial budget of a year the page is dated in or after is enacted."""
    year = label_year(lab, info, rules, release.era, release.dated, release.titled)
    # 来年度 on an undated page: unknown
    counted = year is None and relative_year(lab, info, rules, release.dated, release.titled)[0]
    if year is None and not counted:
        if lab.opens_bracket:   # (a prior supplementary budget: before the release's supplementary one)
            own = release.supplementary_year if lab.budget == "supplementary" else None
            ref = ref_year if ref_year is not None else own if own is not None else release.year
            year = ref - 1 if ref is not None else None
        elif lab.budget == "supplementary":
            year = release.supplementary_year
            if year is None and release.year is not None:
                year = release.year - 1
        else:
            year = release.year
    stage: str | None = lab.stage
    if lab.year_only:   # 「8年度 1,245億円」 in a 令和9年度予算案 release: enacted; 「9年度 1,260億円」: the draft
        stage = release.stage if year == release.year else \
            "enacted" if year is not None and release.year is not None and year < release.year else None
        if stage is None and lab.budget == "initial" and year is not None and release.dated is not None \
                and year <= release.dated:
            stage = "enacted"   # 「R6当初:425億円」 on a page dated 令和6年4月16日: that year's budget is in force
    elif lab.budget == "supplementary" and stage == "enacted" and release.supplementary_stage == "draft" \
            and year == release.supplementary_year and lab.rule.get("stage_if_draft"):
        stage = "draft"   # 「補正予算で…」 in a release of that year's 補正予算案: the draft it is about
    return StageContext(lab.budget, stage, year, lab.rule["id"], lab.round)


def prior_of(ctx: StageContext, rule: dict) -> StageContext:
    """The context of a figure bracketed after ``ctx``'s: the year before's
    enacted initial budget."""
    year = ctx.fiscal_year - 1 if ctx.fiscal_year is not None else None
    return StageContext(rule["budget"], rule["stage"], year, rule["id"])
