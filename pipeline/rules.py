"""Rule files in rules/: loaded safely, compiled with the regex module, and
checked against their own examples before any input is touched.

A rule is a mapping with an ``id``, a one-line ``description``, a ``pattern``
(or ``before``/``after`` context patterns), ``match`` and ``no_match``
examples, for stage labels the ``budget``/``stage`` it stands for, and
optionally ``requires``: literals one of which any match must contain (for
a rule of ``before``/``after`` context patterns: which the line must contain).
``{name}`` in a pattern is replaced by the piece of that name in defs.yaml.

Every rule declares its ``kind`` (amount, year, stage, flag, not_budget,
structure); amount, year and structure rules also their ``role`` (what the
facts stage uses them for), flag rules the ``flag`` column they set. The
base files in rules/ are shared; a *pack* (rules/packs/NAME/: pack.yaml with
its settings, and rule files) adds or replaces rules for one kind of release.
"""
from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import regex
import yaml

from pipeline.errors import RulesError, UsageError
from pipeline.guard import TIMEOUT, finditer, may_match, search, watchdog  # noqa: F401 (the rules' matcher)
from pipeline.rule_examples import check_rule_examples


def shipped_rules() -> Path:
    """The rule folder: rules/ of the checkout the package runs from, else the
    copy ``pip install .`` put inside the package (pipeline/rules_data, built
    from rules/ by pyproject.toml) — the same files either way."""
    checkout = Path(__file__).resolve().parent.parent / "rules"
    return checkout if (checkout / "defs.yaml").is_file() else Path(__file__).resolve().parent / "rules_data"


RULES_DIR = shipped_rules()
RULE_FILES = ("amounts.yaml", "fiscal_years.yaml", "stages.yaml", "flags.yaml",
              "not_budgets.yaml", "structure.yaml")
DEFAULT_PACK = "mext-slides"
PACK: str | None = None   # a pack every input uses (--rules PACK); else its sources.json "rules", else the default
FIELDS = {"id", "kind", "role", "offsets", "from_title", "flag", "description", "pattern", "before", "after", "match", "no_match",
          "budget", "stage", "stage_if_draft", "relative", "requires"}
KINDS = ("amount", "year", "stage", "flag", "not_budget", "structure")
# The roles the facts stage asks for, by kind (stage, flag and not_budget rules
# are all used as they are). A rule declaring another role would be loaded and
# never used: the loader refuses it.
ROLES = {
    "amount": {"amount", "placeholder", "table_number", "unreadable"},
    "year": {"year", "range", "date", "relative"},
    "structure": {"bullet", "enumerator", "part_of", "office", "period", "predecessor", "subtitle",
                  "not_title", "furniture", "governing", "unit", "delta_column", "other_column", "label_continues", "name_note",
                  "bracket_note", "total",
                  "release_title", "arrow", "topic", "topic_after", "scope", "body",
                  "inner_particle", "adnominal", "continues_line", "baseline",
                  "recipient", "allots", "figure_adverb", "figure_word", "anaphora", "name_particle",
                  "name_tail", "header_stub", "slide_start", "cell_year",
                  "boxed_name", "compared_label", "item_break", "column_row_break",
                  "list_continues", "subordinate", "account", "year_rows", "year_cell", "title_words", "this_year",
                  "page_number", "point", "lead_note", "reference", "bracket_legend", "program_field", "unit_column",
                  "ratio_cell", "cell_word", "glued_cell", "glued_name_end", "name_modifier", "speaker", "topic_mark",
                  "header_word", "prior_column", "named_value",
                  "wraps", "purpose_after", "list_total", "total_topic", "summarized", "amount_breaks",
                  "lead_conjunction", "also_in", "set_to", "set_object",
                  "launched", "listed_bullet", "stage_suffix", "bill_title", "within", "heading_lead", "section_heading",
                  "budget_subject", "contrast_lead", "question", "total_word", "quoted_owner"},
}
REQUIRED_ROLES = (("amount", "amount"), ("year", "year"))


MAX_RULE_FILE_BYTES = 1_000_000


class _AliasFound(yaml.YAMLError):
    def __init__(self, anchor: str, mark):
        super().__init__(anchor)
        self.anchor, self.mark = anchor, mark


class _RuleLoader(yaml.SafeLoader):
    """yaml.SafeLoader without aliases: a rule file never needs ``*name``, and
    nested aliases (a "YAML bomb") would expand without limit once walked."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasFound(event.anchor, event.start_mark)
        return super().compose_node(parent, index)


def load_yaml(name: str, rules_dir: Path | None = None) -> dict:
    """Load one rule file: at most MAX_RULE_FILE_BYTES, UTF-8, YAML without
    aliases, a mapping at the top. Anything else is a RulesError naming the file."""
    path = Path(rules_dir or RULES_DIR) / name
    try:
        size = path.stat().st_size
        if size > MAX_RULE_FILE_BYTES:
            raise RulesError(f"{path}: rule file is {size:,} bytes; at most {MAX_RULE_FILE_BYTES:,}", "rules.size")
        raw = path.read_bytes()
    except OSError as e:
        raise RulesError(f"{path}: cannot read rule file ({e.strerror})", "rules.file") from e
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RulesError(f"{path}: rule file is not UTF-8 (byte {e.start}); save it as UTF-8", "rules.encoding") from None
    try:
        data = yaml.load(text, Loader=_RuleLoader)  # noqa: S506 (a SafeLoader without aliases)
    except _AliasFound as e:
        raise RulesError(f"{path}: line {e.mark.line + 1}: YAML aliases (*{e.anchor}) are not allowed in rule files",
                         "rules.alias") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}:" if mark else ""
        raise RulesError(f"{path}:{where} rule file is not valid YAML", "rules.yaml") from e
    if not isinstance(data, dict):
        raise RulesError(f"{path}: rule file must be a mapping", "rules.file")
    return data


@functools.cache
def _rule_schema():
    """The JSON Schema of one rule (rules/rule.schema.json), as a validator."""
    import json

    import jsonschema
    schema = json.loads((shipped_rules() / "rule.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def check_rule_fields(rule: dict, where: str) -> None:
    """Every field of a rule has the type rules/rule.schema.json gives it; the
    first that does not stops the load, named with its rule and field path."""
    import jsonschema
    error = jsonschema.exceptions.best_match(_rule_schema().iter_errors(rule))
    if error is not None:
        rid = rule.get("id")
        name = rid if isinstance(rid, str) else repr(rid)
        field = ".".join(str(p) for p in error.absolute_path) or "rule"
        raise RulesError(f"{where}: rule {name}: {field}: {error.message}", "rules.field-type")


def expand(pattern: str, defs: dict[str, str]) -> str:
    """Replace ``{name}`` by its definition (recursively).

    >>> expand("{a}円", {"a": "{b}億", "b": "\\\\d+"})
    '\\\\d+億円'
    """
    for _ in range(10):
        new = regex.sub(r"\{([a-z_]+)\}", lambda m: defs.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            return new
        pattern = new
    return pattern


def _compile(rule: dict, key: str, defs: dict, where: str):
    if key not in rule:
        return None
    try:
        return regex.compile(expand(str(rule[key]), defs))
    except regex.error as e:
        raise RulesError(f"{where}: rule {rule['id']}: {key} does not compile ({e})", "rules.pattern") from e


def _check_kind(rule: dict, where: str) -> None:
    """A rule's declared role must be one the pipeline uses, and a stage or
    flag rule's values must be the record schema's (so a typo cannot load)."""
    from pipeline import schema
    rid, kind = rule["id"], rule.get("kind")
    if kind not in KINDS:
        raise RulesError(f"{where}: rule {rid}: kind must be one of {', '.join(KINDS)} (got {kind!r})", "rules.kind")
    role = rule.get("role")
    if kind in ROLES:
        if role not in ROLES[kind]:
            raise RulesError(f"{where}: rule {rid}: nothing uses role {role!r} of kind {kind} "
                                f"(roles the pipeline uses: {', '.join(sorted(ROLES[kind]))})", "rules.role")
    elif role is not None and not (kind == "stage" and role == "bracket"):
        raise RulesError(f"{where}: rule {rid}: rules of kind {kind} take no role", "rules.role")
    if kind == "stage":
        for key, allowed in (("budget", schema.BUDGETS), ("stage", schema.STAGES),
                             ("stage_if_draft", schema.STAGES), ("relative", schema.RELATIVE)):
            if (key in rule or key in ("budget", "stage")) and rule.get(key) not in allowed:
                raise RulesError(f"{where}: rule {rid}: {key} must be one of {', '.join(allowed)} "
                                    f"(got {rule.get(key)!r})", "rules.schema-value")
    if kind == "flag" and rule.get("flag") not in schema.FLAGS:
        raise RulesError(f"{where}: rule {rid}: flag must name a flag column of the records "
                            f"({', '.join(schema.FLAGS)}; got {rule.get('flag')!r})", "rules.schema-value")


class _RolePatterns(dict):
    """role -> RulePack.patterns of one kind, filled on first use: the hot
    structure look-ups get theirs with one subscript."""

    def __init__(self, rules: "RulePack", kind: str):
        super().__init__()
        self.rules, self.kind = rules, kind

    def __missing__(self, role: str) -> list[tuple]:
        found = self[role] = self.rules.patterns(self.kind, role)
        return found


class RulePack(dict):
    """Rules by id, plus the pack's ``settings`` and look-ups by kind and role.
    Which rules exist decides what the pipeline does: every stage, flag and
    not-budget rule is used, in file order; other rules are found by role."""

    settings: dict
    name: str
    structures: _RolePatterns   # role -> patterns("structure", role)

    def kind(self, kind: str) -> list[dict]:
        return self._kinds.get(kind, [])

    def role(self, kind: str, role: str) -> list[dict]:
        return self._roles.get((kind, role), [])

    def patterns(self, kind: str, role: str) -> list[tuple]:
        """(compiled pattern, required literals or None, id) of the rules of a
        role that have a pattern — what a hot loop needs, looked up once."""
        try:
            return self._patterns[kind, role]
        except KeyError:
            found = self._patterns[kind, role] = [(r["re_pattern"], r.get("requires") or None, r["id"])
                                                  for r in self.role(kind, role) if r.get("re_pattern") is not None]
            return found

    def gate(self, kind: str, role: str):
        """A pattern (``re``: plain literals) of every literal the rules of a
        role require: a text without any of them matches none of the rules,
        may_match is False for each (None when one of them requires nothing)."""
        try:
            return self._gates[kind, role]
        except KeyError:
            needs = [r.get("requires") for r in self.role(kind, role)]
            found = self._gates[kind, role] = (None if not all(needs) else   # (no rule: (?!) matches nothing)
                                               re.compile("|".join(re.escape(n) for ns in needs for n in ns or ()) or "(?!)"))
            return found

    def copy(self) -> "RulePack":
        """A copy whose rules can be replaced (tests plant rules in one)."""
        other = RulePack(self)
        other.settings, other.name = dict(self.settings), self.name
        return other.index()

    def index(self) -> "RulePack":
        self._kinds: dict[str, list[dict]] = {}
        self._roles: dict[tuple, list[dict]] = {}
        self._patterns: dict[tuple, list[tuple]] = {}
        self._gates: dict[tuple, Any] = {}
        self.structures = _RolePatterns(self, "structure")
        for rule in self.values():
            self._kinds.setdefault(rule["kind"], []).append(rule)
            if rule.get("role"):
                self._roles.setdefault((rule["kind"], rule["role"]), []).append(rule)
        return self


def use_rules(what: str) -> None:
    """--rules: a whole rule folder (it holds defs.yaml) replaces rules/; a
    pack (a folder with pack.yaml, or a name in rules/packs/) is used for
    every input."""
    global RULES_DIR, PACK
    path = Path(what)
    if path.is_dir() and (path / "defs.yaml").exists():
        RULES_DIR = path.resolve()
    elif (path.is_dir() and (path / "pack.yaml").exists()) or (Path(RULES_DIR) / "packs" / what / "pack.yaml").exists():
        PACK = str(path.resolve()) if path.is_dir() else what
    else:
        raise UsageError(f"{what}: no such rule folder or rule pack (a folder with defs.yaml or pack.yaml, "
                            f"or a name in {Path(RULES_DIR) / 'packs'})", "usage.rules")


def pack_dir(pack: str | Path | None, rules_dir: Path) -> Path | None:
    """The folder of a rule pack: a path, or a name under rules/packs/."""
    if pack is None:
        pack = DEFAULT_PACK
    path = Path(pack)
    if path.is_dir() and (path / "pack.yaml").exists():
        return path
    named = rules_dir / "packs" / str(pack)
    if (named / "pack.yaml").exists():
        return named
    if pack == DEFAULT_PACK:
        return None   # a rule tree without packs: the base alone
    raise RulesError(f"{pack}: no such rule pack (a folder with pack.yaml, or a name in {rules_dir / 'packs'})", "rules.pack")


def _rule_sources(base: Path, pack: Path | None) -> list[tuple[Path, dict]]:
    sources = [(base / name, load_yaml(name, base)) for name in RULE_FILES]
    if pack is not None:
        sources.append((pack / "pack.yaml", load_yaml("pack.yaml", pack)))
        sources += [(path, load_yaml(path.name, pack)) for path in sorted(pack.glob("*.yaml"))
                    if path.name != "pack.yaml"]
    return sources


@functools.cache
def load_rules(rules_dir: str | None = None, pack: str | None = None) -> RulePack:
    """All rules by id, compiled and self-checked: the base files of
    ``rules_dir`` (rules/) and then the pack's (rules/packs/mext-slides by
    default). A pack's rule with a base rule's id replaces it; its settings
    override the base's."""
    base = Path(rules_dir or RULES_DIR)
    pdir = pack_dir(pack, base)
    defs = {k: str(v) for k, v in (load_yaml("defs.yaml", base).get("defs") or {}).items()}
    rules = RulePack()
    settings: dict = {}
    for path, data in _rule_sources(base, pdir):
        where = str(path)
        settings.update(data.get("settings") or {})
        settings.update({k: v for k, v in data.items() if k not in ("rules", "settings", "description")})
        for rule in data.get("rules") or []:
            if not isinstance(rule, dict) or "id" not in rule:
                raise RulesError(f"{where}: every rule needs an id", "rules.field")
            unknown = set(rule) - FIELDS
            if unknown:
                raise RulesError(f"{where}: rule {rule['id']}: unknown field(s) {', '.join(sorted(unknown))}", "rules.field")
            check_rule_fields(rule, where)   # every field of its type (a list as id would break what follows)
            if rule["id"] in rules and Path(rules[rule["id"]]["path"]).parent == path.parent:
                raise RulesError(f"{where}: rule {rule['id']}: id used twice", "rules.field")
            _check_kind(rule, where)
            compiled = {k: _compile(rule, k, defs, where) for k in ("pattern", "before", "after")}
            if not any(compiled.values()):
                raise RulesError(f"{where}: rule {rule['id']}: needs a pattern, before or after", "rules.field")
            rules.pop(rule["id"], None)   # a pack's rule replaces the base's (and goes last)
            rules[rule["id"]] = {**rule, **{f"re_{k}": v for k, v in compiled.items()},
                                 "file": path.name, "path": where}
    rules.settings = settings
    rules.name = pdir.name if pdir else ""
    rules.index()
    missing = [f"{kind}/{role}" for kind, role in REQUIRED_ROLES if not rules.role(kind, role)]
    if missing:
        raise RulesError(f"{base}: no rule for role(s) {', '.join(missing)}", "rules.role")
    with watchdog():
        failures = check_rule_examples(rules)
    if failures:
        raise RulesError(f"rule {failures[0]} (fix the rule or its example; "
                            f"{len(failures)} example(s) fail)", "rules.example")
    return rules
