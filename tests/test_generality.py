"""Nothing of the bundled (or the fixture) release is built into the pipeline:
no program name and no figure of theirs occurs in the logic of pipeline/*.py
or rules/*.yaml. And the record tables the CLI writes have the documented
shape.

What counts as logic: in Python, the code itself — identifiers and string and
number literals — but not docstrings (doctests) or comments; in rule files,
the fields that decide what matches (pattern, before, after, requires, the
values a rule stands for, defs, settings) — but not the `match`/`no_match`
examples or descriptions, which quote real slides on purpose so that each
rule is checked against the text it was written for.
"""
from __future__ import annotations

import ast
import csv
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from conftest import RAW_PDF as PDF, ROOT
from pipeline.rules import RULE_FILES

GOLDENS = {
    "mext": ROOT / "tests" / "golden" / "mext-lifescience-r8-draft-2026-01-20",
    "moe": ROOT / "tests" / "fixtures" / "releases" / "expected",
}
OKU = 10**8
FULLWIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")
LOGIC_FIELDS = ("pattern", "before", "after", "requires", "budget", "stage", "stage_if_draft", "relative")

AMOUNT_HEADER = ("release,program,parent,level,budget,supplementary_round,stage,fiscal_year,fiscal_year_label,"
                 "amount_yen,amount_oku,new,portion,approx,plus_unquantified,page,source,rule,check")
PROGRAM_HEADER = "release,program,parent,level,category,period_start,period_end,office,predecessor"


# ------------------------------------------------------------ what a release names

def golden_rows(release: str, name: str) -> list[dict]:
    with open(GOLDENS[release] / name, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def names_of(release: str) -> set[str]:
    """Program, parent and category names (4 characters or more)."""
    names = set()
    for name in ("amounts.csv", "programs.csv"):
        for row in golden_rows(release, name):
            names |= {row.get(k) or "" for k in ("program", "parent", "category")}
    return {n for n in names if len(n) >= 4}


def yen_of(release: str) -> set[int]:
    return {int(r["amount_yen"]) for r in golden_rows(release, "amounts.csv")}


def amount_forms(yen: int) -> set[str]:
    """How an amount of 10 units or more is printed on a slide: '852億', '2,479億',
    '2,479', '850百万' (and fullwidth)."""
    forms = set()
    if yen % OKU == 0:
        n = yen // OKU
        if n >= 10:
            forms |= {f"{n}億", f"{n:,}億"} | ({f"{n:,}"} if n >= 1000 else set())
    elif yen % 10**6 == 0 and yen // 10**6 >= 10:
        m = yen // 10**6
        forms |= {f"{m}百万", f"{m:,}百万"} | ({f"{m:,}"} if m >= 1000 else set())
    return forms | {f.translate(FULLWIDTH) for f in forms}


# ------------------------------------------------------------ logic of the sources

def python_logic(path: Path) -> tuple[list[str], set[int]]:
    """(strings and identifiers, integer literals) of the code, without docstrings."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                docstrings.add(id(body[0].value))
    texts, ints = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and id(node) not in docstrings:
                texts.append(node.value)
            elif isinstance(node.value, int) and not isinstance(node.value, bool):
                ints.add(node.value)
        elif isinstance(node, ast.Name):
            texts.append(node.id)
        elif isinstance(node, ast.Attribute):
            texts.append(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            texts.append(node.name)
        elif isinstance(node, ast.arg):
            texts.append(node.arg)
    return texts, ints


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [] if value is None else [str(value)]


def rule_logic(path: Path) -> list[str]:
    """The matching logic of a rule file: rule fields that decide matches, plus
    every top-level setting (defs, total_name, normalization tables...)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for key, value in data.items():
        if key == "rules":
            for rule in value or []:
                out += _strings({k: rule[k] for k in LOGIC_FIELDS if k in rule})
        elif key == "aliases":
            continue   # the reviewed crosswalk: see test_aliases_hold_no_fixture_entry
        else:
            out += _strings({key: value})
    return out


PY_FILES = sorted((ROOT / "pipeline").rglob("*.py"))
YAML_FILES = sorted((ROOT / "rules").rglob("*.yaml"))


def occurrences(needles: set[str]) -> list[tuple[str, str]]:
    found = []
    for path in PY_FILES:
        texts, _ = python_logic(path)
        found += [(path.name, n) for n in needles if any(n in t for t in texts)]
    for path in YAML_FILES:
        texts = rule_logic(path)
        found += [(path.name, n) for n in needles if any(n in t for t in texts)]
    return sorted(found)


# ------------------------------------------------------------ guards for the scanner itself

def test_sources_are_found():
    assert {p.name for p in PY_FILES} >= {"pairing.py", "owners.py", "rules.py", "parse.py", "validate.py"}
    assert {p.name for p in YAML_FILES} >= set(RULE_FILES)


def test_scanner_sees_code_strings_and_skips_docstrings(tmp_path):
    f = tmp_path / "m.py"
    f.write_text('"""Doc 852億円."""\n\ndef g(x):\n    """Doc 37億円."""\n'
                 '    # a comment 41億円\n    return x == "2,479億円" or x == 85200000000\n', encoding="utf-8")
    texts, ints = python_logic(f)
    assert any("2,479億" in t for t in texts)
    assert not any("852億" in t or "37億" in t or "41億" in t for t in texts)
    assert 85200000000 in ints


def test_scanner_sees_rule_patterns_and_skips_examples(tmp_path):
    f = tmp_path / "r.yaml"
    f.write_text('total_name: 総額\nrules:\n  - id: x\n    description: 37億円\n    pattern: "脳神経科学統合"\n'
                 '    match: ["852億円"]\n', encoding="utf-8")
    texts = rule_logic(f)
    assert any("脳神経科学統合" in t for t in texts) and "総額" in texts
    assert not any("37億" in t or "852億" in t for t in texts)


@pytest.mark.parametrize("release", sorted(GOLDENS))
def test_goldens_give_names_and_amounts(release):
    assert len(names_of(release)) >= 10
    assert len({f for y in yen_of(release) for f in amount_forms(y)}) >= 10


def test_amount_forms():
    assert {"852億", "37億"} <= amount_forms(852 * OKU) | amount_forms(37 * OKU)
    assert {"2,479億", "2,479"} <= amount_forms(2479 * OKU)
    assert "850百万" in amount_forms(850_000_000)
    assert amount_forms(8 * OKU) == set()    # below 10: too common to mean anything
    assert amount_forms(1_000_000) == set()


# ------------------------------------------------------------ generality

@pytest.mark.parametrize("release", sorted(GOLDENS))
def test_no_program_name_in_pipeline_or_rules(release):
    assert occurrences(names_of(release)) == []


@pytest.mark.parametrize("release", sorted(GOLDENS))
def test_no_amount_in_pipeline_or_rules(release):
    forms = {f for y in yen_of(release) for f in amount_forms(y)}
    assert occurrences(forms) == []


@pytest.mark.parametrize("release", sorted(GOLDENS))
def test_no_amount_in_yen_in_the_code(release):
    big = {y for y in yen_of(release) if y >= 10 * OKU}
    found = [(p.name, sorted(python_logic(p)[1] & big)) for p in PY_FILES]
    assert [f for f in found if f[1]] == []


def test_aliases_hold_no_fixture_entry():
    data = yaml.safe_load((ROOT / "rules" / "aliases.yaml").read_text(encoding="utf-8"))
    names = names_of("mext") | names_of("moe")
    entries = [e for e in data.get("aliases") or [] if e.get("old") in names or e.get("new") in names]
    assert entries == []


# ------------------------------------------------------------ the tables the CLI writes

@pytest.fixture(scope="module")
def out(bundled):
    return bundled["pdf"]


@pytest.mark.parametrize("name,header", [("amounts", AMOUNT_HEADER), ("programs", PROGRAM_HEADER)])
def test_csv_is_utf8_with_bom_and_the_documented_header(out, name, header):
    data = (out / f"{name}.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert not data[3:].startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")[1:]
    assert text.splitlines()[0] == header


def test_csv_rows_read_back(out):
    with open(out / "amounts.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows and all(r["release"] == PDF.stem for r in rows)
    assert {r["new"] for r in rows} <= {"true", "false"}
    assert all(r["amount_yen"].lstrip("-").isdigit() for r in rows)
    assert all(r["source"] and r["rule"] for r in rows)


@pytest.mark.parametrize("name", ["amounts", "programs", "observations"])
def test_json_and_parquet_hold_the_same_rows(out, name):
    import pandas as pd
    payload = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
    with open(out / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        n_csv = len(list(csv.DictReader(f)))
    df = pd.read_parquet(out / f"{name}.parquet")
    assert isinstance(payload, list) and len(payload) == len(df) == n_csv > 0   # plain records, no envelope
    assert all(list(r) == list(df.columns) for r in payload)
    assert [r["program"] for r in payload] == list(df["program"])
    assert list(pd.read_json(out / f"{name}.json").columns) == list(df.columns)   # pandas reads it as it is


def test_amounts_parquet_types(out):
    import pandas as pd
    df = pd.read_parquet(out / "amounts.parquet")
    header = AMOUNT_HEADER.split(",")
    assert list(df.columns) == header
    assert str(df["amount_yen"].dtype) == "Int64" and str(df["fiscal_year"].dtype) == "Int64"
    assert str(df["new"].dtype) == "boolean"
    import pyarrow as pa
    import pyarrow.parquet as pq
    assert pq.read_schema(out / "amounts.parquet").field("amount_oku").type == pa.decimal128(24, 8)   # exact, no float
    from decimal import Decimal
    assert all(Decimal(int(y)) / 10**8 == o for y, o in zip(df["amount_yen"], df["amount_oku"]))


def test_provenance_carries_the_input_digest(out):
    import pyarrow.parquet as pq
    digest = hashlib.sha256(PDF.read_bytes()).hexdigest()
    for name in ("amounts", "programs", "observations"):
        meta = pq.read_schema(out / f"{name}.parquet").metadata
        assert b"provenance" in meta
        provenance = json.loads(meta[b"provenance"].decode("utf-8"))
        assert provenance["input_sha256"] == digest
        assert provenance["release"] == PDF.stem
    assert json.loads((out / "meta.json").read_text(encoding="utf-8"))["input_sha256"] == digest
