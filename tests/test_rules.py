"""The rule files in rules/: they pass their own examples, the loader refuses
broken ones, and the parsers behind them read every form of amount, fiscal
year and period the rules are written for."""
from __future__ import annotations

import contextlib
import shutil
import signal
from pathlib import Path

import pytest
import regex
import yaml

from conftest import ROOT
from pipeline.errors import PipelineError
from pipeline.guard import TIMEOUT, search
from pipeline.normalize import normalize
from pipeline.parse import fiscal_year_of, parse_amount, period_of
from pipeline.rule_examples import check_rule_examples
from pipeline.rules import DEFAULT_PACK, RULE_FILES, RULES_DIR, load_rules

RULES = ROOT / "rules"
OKU = 10**8


def raw_rules() -> list[tuple[str, dict]]:
    """(file, rule) of every rule as written — the base files and the default
    pack's — read with plain yaml (not the loader)."""
    out = []
    paths = [RULES / name for name in RULE_FILES] + sorted((RULES / "packs" / DEFAULT_PACK).glob("*.yaml"))
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(path.name, rule) for rule in data.get("rules") or []]
    return out


RAW = raw_rules()
RULE_IDS = [r["id"] for _, r in RAW if isinstance(r, dict) and "id" in r]


@pytest.fixture(scope="module")
def rules():
    return load_rules()


# ------------------------------------------------------------ self-checks

def test_rules_dir_is_the_projects():
    assert Path(RULES_DIR).resolve() == RULES.resolve()


def test_rule_files_hold_rules():
    assert len(RAW) >= 20
    assert len(RULE_IDS) == len(set(RULE_IDS)), "a rule id is used twice"


def test_every_rule_passes_its_own_examples(rules):
    assert check_rule_examples(rules) == []


@pytest.mark.parametrize("rid", RULE_IDS)
def test_rule_examples_pass(rules, rid):
    # the rule alone (plus amount.yen, which context rules run on)
    subset = {"amount.yen": rules["amount.yen"], rid: rules[rid]}
    failures = [f for f in check_rule_examples(subset) if f.startswith(f"{rid}:")]
    assert failures == []


@pytest.mark.parametrize("name,rule", RAW, ids=[f"{n}:{r.get('id', '?')}" for n, r in RAW])
def test_every_rule_is_documented_and_has_a_match_example(name, rule):
    assert isinstance(rule, dict)
    assert isinstance(rule.get("id"), str) and rule["id"], f"{name}: rule without id"
    assert isinstance(rule.get("description"), str) and rule["description"].strip()
    assert isinstance(rule.get("match"), list) and len(rule["match"]) >= 1
    assert any(k in rule for k in ("pattern", "before", "after"))


def test_loaded_rules_are_all_the_written_rules(rules):
    assert set(RULE_IDS) == set(rules) - {"settings"}


def test_check_catches_a_no_match_example_that_matches(rules):
    bad = {**rules["fy.single"], "no_match": ["令和8年度"]}
    assert check_rule_examples({"amount.yen": rules["amount.yen"], "fy.single": bad}) == \
        ["fy.single: no_match example '令和8年度' matches"]


def test_check_catches_a_rule_without_match_examples(rules):
    bad = {k: v for k, v in rules["flag.new"].items() if k != "match"}
    failures = check_rule_examples({"amount.yen": rules["amount.yen"], "flag.new": bad})
    assert failures == ["flag.new: has no match example"]


# ------------------------------------------------------------ the loader refuses bad rules

@pytest.fixture
def rules_copy(tmp_path):
    shutil.copytree(RULES, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_copy_of_rules_loads(rules_copy):
    rules = load_rules(str(rules_copy))
    assert set(RULE_IDS) <= set(rules)


def test_broken_yaml_names_the_file(rules_copy):
    path = rules_copy / "stages.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n    description: x\n",
                    encoding="utf-8")
    with pytest.raises(PipelineError) as e:
        load_rules(str(rules_copy))
    assert "stages.yaml" in str(e.value)
    assert "YAML" in str(e.value)
    assert e.value.exit_code == 6


def test_wrong_yen_in_an_example_names_the_rule(rules_copy):
    path = rules_copy / "amounts.yaml"
    text = path.read_text(encoding="utf-8")
    good = '{text: "37億円", yen: 3700000000}'
    assert good in text
    path.write_text(text.replace(good, '{text: "37億円", yen: 3600000000}'), encoding="utf-8")
    with pytest.raises(PipelineError) as e:
        load_rules(str(rules_copy))
    assert "amount.yen" in str(e.value)
    assert "3600000000" in str(e.value)
    assert e.value.exit_code == 6


@pytest.mark.parametrize("rid, wrong", [("stage.supplementary", ["増額"]), ("flag.portion", ["増額"])],
                         ids=["pattern-rule", "context-rule"])
def test_a_requires_list_its_examples_contradict_stops_the_loader(rules_copy, rid, wrong):
    """``requires`` is a promise (no literal, no match); an example that
    matches without any of the literals shows the promise is false."""
    for path in rules_copy.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in data.get("rules") or []:
            if rule.get("id") == rid:
                assert rule.get("requires"), rid
                rule["requires"] = wrong
                path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PipelineError, match=rf"^rule {regex.escape(rid)}: example .* holds none of requires"):
        load_rules(str(rules_copy))


def corpus_lines() -> list[str]:
    """Every line of every input the project holds: the bundled release (PDF
    and text), the fixture release, the diff fixture, and all rule examples."""
    from pipeline.extract import extract_pages
    inputs = [*sorted((ROOT / "raw").glob("*.pdf")), *sorted((ROOT / "raw").glob("*.txt")),
              *sorted((ROOT / "tests/fixtures/releases").glob("*.pdf")),
              *sorted((ROOT / "tests/fixtures/releases").glob("*.md")),
              *sorted((ROOT / "tests/fixtures/diff").glob("*.txt"))]
    lines = [ln.text for path in inputs for page in extract_pages(path) for ln in page.lines]
    for _, rule in raw_rules():
        for ex in (rule.get("match") or []) + (rule.get("no_match") or []):
            lines.append(normalize(str(ex["text"] if isinstance(ex, dict) else ex)))
    return lines


def test_requires_never_hides_a_match_in_the_corpus():
    """The ``requires`` pre-check skips a rule on lines without its literals.
    Run every such rule without the pre-check over every line we hold: each
    match (pattern rules) or each amount in context (context rules) must be on
    a line holding one of the literals, or the pre-check would lose it."""
    from pipeline.rule_examples import in_context
    rules = load_rules()
    amount = rules["amount.yen"]["re_pattern"]
    lines = corpus_lines()
    assert len(lines) > 1000
    checked = 0
    for rid, rule in rules.items():
        if rid == "settings" or not rule.get("requires"):
            continue
        ungated = {**rule, "requires": None}
        for text in lines:
            if rule.get("re_pattern") is not None:
                hit = rule["re_pattern"].search(text) is not None
            else:
                hit = any(in_context(ungated, text, m.start(), m.end()) for m in amount.finditer(text))
            if hit:
                checked += 1
                assert any(n in text for n in rule["requires"]), (rid, text)
    assert checked > 100


def test_unknown_field_names_the_rule_and_the_field(rules_copy):
    path = rules_copy / "flags.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == "flag.portion")
    rule["colour"] = "red"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PipelineError) as e:
        load_rules(str(rules_copy))
    msg = str(e.value)
    assert "flag.portion" in msg and "colour" in msg and "flags.yaml" in msg
    assert e.value.exit_code == 6


def test_pattern_that_does_not_compile_names_the_rule(rules_copy):
    path = rules_copy / "flags.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    next(r for r in data["rules"] if r["id"] == "flag.new")["after"] = "^(新規"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PipelineError) as e:
        load_rules(str(rules_copy))
    assert "flag.new" in str(e.value) and e.value.exit_code == 6


@pytest.mark.parametrize("pattern,text", [
    (r"(a+)+$", "a" * 5000 + "!"),   # the regex module survives short inputs of this one
    (r"(a|a)+$", "a" * 40 + "!"),
])
def test_catastrophic_backtracking_times_out_naming_the_rule(pattern, text):
    with pytest.raises(PipelineError) as e:
        search(regex.compile(pattern), text, "test.backtrack")
    assert "test.backtrack" in str(e.value)
    assert "timed out" in str(e.value)
    assert e.value.exit_code == 6


def test_backtracking_rule_example_stops_the_loader(rules_copy):
    path = rules_copy / "flags.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"].append({"id": "flag.backtrack", "kind": "flag", "flag": "new", "description": "catastrophic on purpose",
                          "pattern": "(a|a)+$", "match": ["aaa"], "no_match": ["a" * 40 + "!"]})
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PipelineError) as e:
        load_rules(str(rules_copy))
    assert "flag.backtrack" in str(e.value) and "timed out" in str(e.value)


def test_timeout_is_short():
    assert 0 < TIMEOUT <= 2


SLOW = regex.compile(r"(\d+)+[XY]")    # backtracks for seconds on a long run of digits


@pytest.mark.parametrize("guard", ["watchdog", "per-call timeout"])
def test_a_runaway_pattern_is_stopped_and_named(guard, monkeypatch):
    """Both guards stop a call that backtracks far beyond TIMEOUT and name its
    rule: the watchdog's interval timer (main thread) and regex's timeout=."""
    import time

    import pipeline.guard as rules_module
    monkeypatch.setattr(rules_module, "TIMEOUT", 0.2)
    guarded = rules_module.watchdog() if guard == "watchdog" else contextlib.nullcontext()
    started = time.perf_counter()
    with pytest.raises(PipelineError) as e, guarded:
        assert (rules_module._guarded is not None) == (guard == "watchdog")
        rules_module.search(SLOW, "1" * 5000, "test.slow")
    assert time.perf_counter() - started < 3
    assert str(e.value).startswith("rule test.slow: pattern timed out after 0.2s")
    assert rules_module._guarded is None and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_the_watchdog_does_not_stop_slow_work_between_calls(monkeypatch):
    """Python work between regex calls, however long, is not a runaway
    pattern — also after a call that failed and whose error was caught."""
    import time

    import pipeline.guard as rules_module
    monkeypatch.setattr(rules_module, "TIMEOUT", 0.1)
    with rules_module.watchdog():
        assert rules_module.search(SLOW, "12X", "test.slow")
        time.sleep(0.35)   # three ticks with no call running
        assert rules_module.finditer(SLOW, "12X 3Y", "test.slow")
        with pytest.raises(TypeError):
            rules_module.search(SLOW, "12X", "test.bad_call", pos="x")
        end = time.perf_counter() + 0.35
        while time.perf_counter() < end:   # busy Python work across three ticks
            pass


def test_the_watchdog_stands_aside_off_the_main_thread():
    """Signals reach only the main thread: elsewhere the per-call timeout guards."""
    import threading

    import pipeline.guard as rules_module
    seen = []

    def work():
        with rules_module.watchdog():
            seen.append(rules_module._guarded)
    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert seen == [None]


def test_another_threads_calls_keep_their_own_limit_while_the_main_thread_is_guarded(monkeypatch):
    """The watchdog guards the main thread's calls only: a runaway pattern in
    another thread meanwhile is stopped there by the per-call timeout, and the
    main thread is not interrupted for it."""
    import threading
    import time

    import pipeline.guard as rules_module
    monkeypatch.setattr(rules_module, "TIMEOUT", 0.2)
    errors = []

    def work():
        try:
            rules_module.search(SLOW, "1" * 5000, "test.other_thread")
        except PipelineError as e:
            errors.append(str(e))
    with rules_module.watchdog():
        t = threading.Thread(target=work)
        t.start()
        t.join(timeout=5)
        alive = t.is_alive()
        time.sleep(0.5)   # ticks with the other thread's call long over
    assert not alive
    assert len(errors) == 1 and errors[0].startswith("rule test.other_thread: pattern timed out")


def test_a_runaway_pattern_inside_a_walk_names_its_rule(monkeypatch):
    """The facts walk runs under the watchdog: a rule that backtracks on one
    line of a release stops the walk with the rule's id."""
    import pipeline.guard as rules_module
    from pipeline.extract import Line, Page
    from pipeline.facts import walk_release
    monkeypatch.setattr(rules_module, "TIMEOUT", 0.2)
    rules = load_rules().copy()
    rules["amount.yen"] = {**rules["amount.yen"], "re_pattern": SLOW}
    rules.index()
    text = "令和8年度予算額(案) " + "1" * 5000 + "円"
    with pytest.raises(PipelineError, match=r"^rule amount\.yen: pattern timed out"):
        walk_release([Page(None, [Line(None, 1, text, text)])], "test", rules)


# ------------------------------------------------------------ amounts

AMOUNTS = [
    ("852億円", 852 * OKU),
    ("5,000万円", 50_000_000),
    ("3万円", 30_000),
    ("850百万円", 850_000_000),
    ("1,250百万円", 1_250_000_000),
    ("1,234千円", 1_234_000),
    ("3兆円", 3 * 10**12),
    ("1.5兆円", 15 * 10**11),
    ("3兆26億円", 3_002_600_000_000),
    ("861億0700万円", 86_107_000_000),
    ("2億5,000万円", 250_000_000),
    ("530.63億円", 53_063_000_000),
    ("0.5億円", 50_000_000),
    ("2,479億円", 2479 * OKU),
    ("12,345円", 12_345),
    ("二千三百七十九億円", 2379 * OKU),
    ("七億円", 7 * OKU),
    ("三十五億円", 35 * OKU),
    ("二億五千万円", 250_000_000),
    ("▲5億円", -5 * OKU),
    ("△12億円", -12 * OKU),
]


@pytest.mark.parametrize("text,yen", AMOUNTS)
def test_parse_amount(text, yen):
    assert parse_amount(text) == yen


@pytest.mark.parametrize("text,yen", AMOUNTS)
def test_amount_rule_finds_the_whole_amount(rules, text, yen):
    m = search(rules["amount.yen"]["re_pattern"], text, "amount.yen")
    assert m is not None and m.group(0) == text
    assert parse_amount(m.group(0)) == yen


@pytest.mark.parametrize("raw,found,yen", [
    ("「３７億円」", "37億円", 37 * OKU),                       # fullwidth digits
    ("約二千三百七十九億円", "二千三百七十九億円", 2379 * OKU),  # 約 is a flag, not the amount
    ("約２，４７９億円", "2,479億円", 2479 * OKU),
    ("（前年度予算額 ３６億円）", "36億円", 36 * OKU),
    ("５,０００万円程度", "5,000万円", 50_000_000),
    ("▲ ５億円", "▲5億円", -5 * OKU),
])
def test_amount_in_normalized_text(rules, raw, found, yen):
    text = normalize(raw)
    ms = list(rules["amount.yen"]["re_pattern"].finditer(text))
    assert [m.group(0) for m in ms] == [found]
    assert parse_amount(ms[0].group(0)) == yen


@pytest.mark.parametrize("text", ["5百万程度", "1,000件程度", "2026年1月20日", "(単位:千円)",
                                  "令和8年度", "採択率約27%", "約21兆", "千円"])
def test_not_an_amount(rules, text):
    assert rules["amount.yen"]["re_pattern"].search(text) is None


@pytest.mark.parametrize("text", ["", "億円", "abc億円", "37億ドル", "37億円x", "令和8年度"])
def test_parse_amount_refuses_non_amounts(text):
    with pytest.raises(PipelineError):
        parse_amount(text)


# ------------------------------------------------------------ fiscal years

@pytest.mark.parametrize("era,year,fy", [
    ("令和", "8", 2026),
    ("令和", "1", 2019),
    ("令和", "元", 2019),
    ("令和", "七", 2025),
    ("令和", "十一", 2029),
    ("令和", "12", 2030),
    ("平成", "30", 2018),
    ("平成", "三十", 2018),
    ("平成", "31", 2019),
    ("平成", "元", 1989),
])
def test_fiscal_year_of(era, year, fy):
    assert fiscal_year_of(era, year) == fy


def test_reiwa_gannen_is_fy2019_without_calendar_logic():
    # 令和 began on 1 May 2019, inside FY2019 (April 2019 - March 2020), which
    # 平成31年度 also names: both are the same fiscal year, no dates involved.
    assert fiscal_year_of("令和", "元") == fiscal_year_of("平成", "31") == 2019


@pytest.mark.parametrize("era,year", [("昭和", "50"), ("令和", "0"), ("西暦", "8")])
def test_fiscal_year_of_refuses(era, year):
    with pytest.raises(PipelineError):
        fiscal_year_of(era, year)


@pytest.mark.parametrize("raw,fy", [
    ("令和8年度予算額（案）", 2026),
    ("令和８年度予算額", 2026),
    ("令和元年度補正予算", 2019),
    ("令和七年度", 2025),
    ("令和十一年度", 2029),
    ("平成30年度", 2018),
    ("平成元年度", 1989),
])
def test_fy_single_rule_on_normalized_text(rules, raw, fy):
    m = search(rules["fy.single"]["re_pattern"], normalize(raw), "fy.single")
    assert m is not None
    assert fiscal_year_of(m.group("era"), m.group("year")) == fy


@pytest.mark.parametrize("text", ["令和元年11月21日", "2026年1月20日", "令和8年"])
def test_fy_single_rule_ignores_dates(rules, text):
    assert search(rules["fy.single"]["re_pattern"], text, "fy.single") is None


# ------------------------------------------------------------ periods

RANGE_FORMS = ["~", "〜", "～"]   # ASCII tilde, WAVE DASH U+301C, FULLWIDTH TILDE U+FF5E


@pytest.mark.parametrize("mark", RANGE_FORMS)
@pytest.mark.parametrize("template,start,end", [
    ("令和8年度{}令和12年度", 2026, 2030),
    ("令和3{}11年度", 2021, 2029),
    ("令和3年度{}", 2021, None),
    ("{}令和10年度", None, 2028),
    ("平成30年度{}令和2年度", 2018, 2020),
    ("事業実施期間 令和８年度 {} 令和１２年度", 2026, 2030),
])
def test_period_of_fy_range(rules, mark, template, start, end):
    text = normalize(template.format(mark))
    m = search(rules["fy.range"]["re_pattern"], text, "fy.range")
    assert m is not None, text
    assert period_of(m.groupdict()) == (start, end)


@pytest.mark.parametrize("text", ["令和8年度", "1~3年", "令和8年度予算額"])
def test_fy_range_needs_a_range(rules, text):
    assert search(rules["fy.range"]["re_pattern"], normalize(text), "fy.range") is None


def test_period_of_end_takes_the_start_era():
    assert period_of({"era1": "平成", "y1": "28", "era2": None, "y2": "30"}) == (2016, 2018)
    assert period_of({"era1": "平成", "y1": "30", "era2": "令和", "y2": "2"}) == (2018, 2020)


# ------------------------------------------------------------ kinds, roles and packs

def _rewrite_rule(rules_copy: Path, rid: str, **changes) -> None:
    for path in list(rules_copy.glob("*.yaml")) + list(rules_copy.glob("packs/*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for rule in data.get("rules") or []:
            if rule.get("id") == rid:
                rule.update(changes)
                path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
                return
    raise AssertionError(rid)


@pytest.mark.parametrize("rid, changes, message", [
    ("struct.subtitle", {"role": "headline"}, r"rule struct\.subtitle: nothing uses role 'headline'"),
    ("stage.draft", {"stage": "proposal"}, r"rule stage\.draft: stage must be one of request, draft, enacted"),
    ("stage.request", {"budget": "extra"}, r"rule stage\.request: budget must be one of initial, supplementary"),
    ("flag.new", {"flag": "fresh"}, r"rule flag\.new: flag must name a flag column"),
    ("amount.none", {"kind": "amounts"}, r"rule amount\.none: kind must be one of"),
], ids=["unused-role", "stage-enum", "budget-enum", "flag-column", "unknown-kind"])
def test_a_rule_the_pipeline_would_not_use_stops_the_loader(rules_copy, rid, changes, message):
    """Which rules exist decides what the pipeline does, so a rule that would
    load and never be used (or give a value no record may hold) is refused,
    naming the rule."""
    _rewrite_rule(rules_copy, rid, **changes)
    with pytest.raises(PipelineError, match=message) as e:
        load_rules(str(rules_copy))
    assert e.value.exit_code == 6


KETTEI = {"id": "stage.decided", "kind": "stage", "budget": "initial", "stage": "enacted",
          "requires": ["決定額"],
          "description": "An enacted budget written 決定額 (予算決定額), as some ministries do.",
          "pattern": "(?:{fy})?(?:予算)?決定額",
          "match": [{"text": "令和8年度予算決定額", "year": 2026}], "no_match": ["令和8年度予算額(案)"]}


def test_a_new_stage_is_a_yaml_change(tmp_path):
    """A pack that adds 決定額 as a stage rule: the same line gives an enacted
    figure with the pack, and none without it."""
    from pipeline.extract import extract_pages
    from pipeline.facts import extract_facts
    pack = tmp_path / "kettei"
    pack.mkdir()
    (pack / "pack.yaml").write_text("description: releases that state enacted budgets as 決定額\n", encoding="utf-8")
    (pack / "stages.yaml").write_text(yaml.safe_dump({"rules": [KETTEI]}, allow_unicode=True), encoding="utf-8")
    page = tmp_path / "kettei-release.txt"
    page.write_text("海洋観測推進事業\n令和8年度予算決定額 50億円\n", encoding="utf-8")
    with_pack = extract_facts(extract_pages(page), page.stem, load_rules(pack=str(pack)))
    assert [(a["program"], a["budget"], a["stage"], a["fiscal_year"], a["amount_yen"], a["rule"])
            for a in with_pack.amounts] == [("海洋観測推進事業", "initial", "enacted", 2026, 50 * OKU,
                                              "stage.decided@inline")]
    without = extract_facts(extract_pages(page), page.stem, load_rules())
    assert [a["rule"] for a in without.amounts] != ["stage.decided@inline"]


def test_a_pack_rule_replaces_the_base_rule_and_its_settings_win(tmp_path):
    pack = tmp_path / "other"
    pack.mkdir()
    (pack / "pack.yaml").write_text("description: x\nsettings:\n  stack_window: 3\n", encoding="utf-8")
    rule = {**KETTEI, "id": "stage.enacted"}
    (pack / "stages.yaml").write_text(yaml.safe_dump({"rules": [rule]}, allow_unicode=True), encoding="utf-8")
    rules = load_rules(pack=str(pack))
    assert rules["stage.enacted"]["pattern"] == KETTEI["pattern"]
    assert rules.settings["stack_window"] == 3 and rules.name == "other"
    assert "struct.office" not in rules   # the default pack's rules are not mixed in


def test_an_unknown_pack_is_a_clear_error():
    with pytest.raises(PipelineError, match="no such rule pack"):
        load_rules(pack="no-such-pack")
