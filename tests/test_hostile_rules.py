"""Hostile but fair rule files (issue 13): another encoding, a YAML bomb, a
file too large, fields of the wrong type. Each stops the run before any input
is read, with one line naming the file (and the rule and field) and exit 6.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import RAW_TEXT, ROOT, assert_one_error_line, run_cli


def rule_copy(tmp_path: Path) -> Path:
    rules = (tmp_path / "rules").resolve()
    shutil.copytree(ROOT / "rules", rules)
    return rules


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def run_with(rules: Path, tmp_path: Path):
    return run_cli("--rules", rules, "extract", RAW_TEXT, "--out", tmp_path / "out")


@pytest.mark.parametrize("encoding", ["cp932", "utf-16"])
def test_a_rule_file_in_another_encoding_is_refused(tmp_path, encoding):
    rules = rule_copy(tmp_path)
    path = rules / "stages.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding))
    r = run_with(rules, tmp_path)
    assert_one_error_line(r, re.escape(f"error: {path}: rule file is not UTF-8 (") + r"byte \d+\); save it as UTF-8", 6,
                          regex=True)
    assert not (tmp_path / "out").exists()


def test_one_latin1_byte_is_refused_with_its_offset(tmp_path):
    rules = rule_copy(tmp_path)
    path = rules / "flags.yaml"
    data = path.read_bytes()
    at = data.index(b"description:")
    path.write_bytes(data[:at] + b"# caf\xe9\n" + data[at:])
    r = run_with(rules, tmp_path)
    assert_one_error_line(r, f"error: {path}: rule file is not UTF-8 (byte {at + 5}); save it as UTF-8", 6)


def test_a_yaml_bomb_is_refused_without_expanding_it(tmp_path):
    rules = rule_copy(tmp_path)
    path = rules / "amounts.yaml"
    bomb = "".join(f"b{k}: &b{k} [" + ", ".join([f"*b{k - 1}"] * 9 if k else ["x"] * 9) + "]\n" for k in range(12))
    text = path.read_text(encoding="utf-8")
    path.write_text(bomb + text, encoding="utf-8")
    r = run_cli("--rules", rules, "extract", RAW_TEXT, "--out", tmp_path / "out", timeout=60)
    assert_one_error_line(r, re.escape(f"error: {path}: line 2: YAML aliases (*b0) are not allowed in rule files"), 6,
                          regex=True)


def test_a_huge_rule_file_is_refused(tmp_path):
    rules = rule_copy(tmp_path)
    path = rules / "flags.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "#" * 2_000_000 + "\n", encoding="utf-8")
    r = run_with(rules, tmp_path)
    assert_one_error_line(r, re.escape(f"error: {path}: rule file is ") + r"[\d,]+ bytes; at most 1,000,000", 6, regex=True)


WRONG_TYPES = {
    "requires a number": ("    requires: [\"-\", \"‐\", \"―\", \"−\", \"ー\", \"－\"]", "    requires: 5",
                          "rule amount.none: requires: 5 is not of type 'array'"),
    "an id that is a list": ("  - id: amount.none", "  - id: [a, b]",
                             "rule ['a', 'b']: id: ['a', 'b'] is not of type 'string'"),
    "an example without text": ("      - {text: \"－\"}", "      - {yen: 5}",
                                "rule amount.none: match.2: 'text' is a required property"),
    "a pattern that is a number": (
        "    pattern: '(?<![\\w,])(?P<dash>[-‐―−ー－]{1,3})(?=\\s*(?:[)\\]】]|$))'", "    pattern: 12",
        "rule amount.none: pattern: 12 is not of type 'string'"),
}


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_a_field_of_the_wrong_type_is_named(tmp_path, case):
    old, new, message = WRONG_TYPES[case]
    rules = rule_copy(tmp_path)
    path = rules / "amounts.yaml"
    replace_in(path, old, new)
    r = run_with(rules, tmp_path)
    assert_one_error_line(r, f"error: {path}: {message}", 6)
