"""Program lineage: which program of one release is which of another.

The crosswalk (rules/aliases.yaml: reviewed ``old`` -> ``new`` entries and the
``fuzzy_threshold``), the name key programs are matched on, and the matching
itself, in this order (the method is kept on each :class:`Match`):

1. ``same`` — the same name after :func:`normalize_name`;
2. ``alias`` — a reviewed crosswalk entry;
3. ``predecessor`` — the new release's own note 「※令和N年度は…で実施」;
4. ``suggested`` — a fuzzy candidate (rapidfuzz ratio ≥ ``fuzzy_threshold``),
   reported for review and never applied.

Used by ``diff`` (year-over-year rows) and ``publish`` (the lineage table).
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

import regex

from pipeline.errors import RulesError, UsageError

DEFAULT_THRESHOLD = 80
ALIAS_FIELDS = ("old", "new", "note", "reviewed_by", "reviewed_on")
MATCHED = ("same", "alias", "predecessor")
METHODS = MATCHED + ("new", "dropped", "suggested")


# ------------------------------------------------------------------ names

def normalize_name(name: str) -> str:
    """The key programs are matched on: NFKC, no spaces, Latin case folded.
    Bracketed parts such as (BINDS) are kept: they tell programs apart.

    >>> normalize_name("生命科学・創薬研究支援基盤事業 （ＢＩＮＤＳ）")
    '生命科学・創薬研究支援基盤事業(binds)'
    >>> normalize_name("AI for Science による") == normalize_name("AIforScienceによる")
    True
    """
    return regex.sub(r"\s+", "", unicodedata.normalize("NFKC", name or "")).casefold()


def similarity(a: str, b: str) -> float:
    """Fuzzy similarity (0-100) of two names after normalization (rapidfuzz ratio).

    >>> similarity("医療分野国際科学技術共同研究開発推進事業", "医療分野国際科学技術共同研究開発推進プログラム") >= 80
    True
    >>> similarity("橋渡し研究プログラム", "脳神経科学統合プログラム") < 80
    True
    """
    from rapidfuzz import fuzz
    return float(fuzz.ratio(normalize_name(a), normalize_name(b)))


# ---------------------------------------------------------------- aliases

@dataclass(frozen=True)
class Alias:
    """A reviewed crosswalk entry: ``old`` (OLD release) is ``new`` (NEW release)."""
    old: str
    new: str
    note: str = ""
    reviewed_by: str = ""
    reviewed_on: str = ""


def parse_aliases(data, where: str = "aliases") -> tuple[list[Alias], float]:
    """(aliases, fuzzy_threshold) from a loaded crosswalk; a malformed entry is a
    PipelineError naming ``where`` and the entry.

    >>> entry = {"old": "A事業", "new": "B事業", "note": "n", "reviewed_by": "x", "reviewed_on": "2026-11-26"}
    >>> parse_aliases({"fuzzy_threshold": 85, "aliases": [entry]})
    ([Alias(old='A事業', new='B事業', note='n', reviewed_by='x', reviewed_on='2026-11-26')], 85.0)
    >>> parse_aliases({"aliases": [{"old": "A事業", "new": "B事業"}]}, "rules/aliases.yaml")
    Traceback (most recent call last):
    ...
    pipeline.errors.RulesError: rules/aliases.yaml: aliases entry 1 (A事業 -> B事業): missing note, reviewed_by, reviewed_on
    """
    if data is None:
        return [], float(DEFAULT_THRESHOLD)
    if not isinstance(data, dict):
        raise RulesError(f"{where}: must be a mapping with `aliases:` (a list) and `fuzzy_threshold:`", "rules.crosswalk")
    unknown = set(data) - {"aliases", "fuzzy_threshold"}
    if unknown:
        raise RulesError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))} "
                            "(expected aliases, fuzzy_threshold)", "rules.crosswalk")
    threshold = data.get("fuzzy_threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 100:
        raise RulesError(f"{where}: fuzzy_threshold must be a number in (0, 100], not {threshold!r}", "rules.crosswalk")
    entries = data.get("aliases") or []
    if not isinstance(entries, list):
        raise RulesError(f"{where}: `aliases` must be a list of entries", "rules.crosswalk")
    out: list[Alias] = []
    seen = set()
    for i, e in enumerate(entries, 1):
        label = f"{where}: aliases entry {i}"
        if not isinstance(e, dict):
            raise RulesError(f"{label}: must be a mapping with {', '.join(ALIAS_FIELDS)}", "rules.crosswalk-entry")
        label += f" ({e.get('old', '?')} -> {e.get('new', '?')})"
        extra = set(e) - set(ALIAS_FIELDS)
        if extra:
            raise RulesError(f"{label}: unknown field(s) {', '.join(sorted(map(str, extra)))}", "rules.crosswalk-entry")
        missing = [k for k in ALIAS_FIELDS if e.get(k) in (None, "")]
        if missing:
            raise RulesError(f"{label}: missing {', '.join(missing)}", "rules.crosswalk-entry")
        values = {}
        for k in ALIAS_FIELDS:
            v = e[k]
            if k == "reviewed_on":
                if isinstance(v, dt.datetime):
                    v = v.date()
                if isinstance(v, dt.date):
                    v = v.isoformat()
                try:
                    dt.date.fromisoformat(str(v))
                except ValueError:
                    raise RulesError(f"{label}: reviewed_on must be a date YYYY-MM-DD, not {v!r}",
                                     "rules.crosswalk-entry") from None
            elif not isinstance(v, str):
                raise RulesError(f"{label}: {k} must be text, not {v!r}", "rules.crosswalk-entry")
            values[k] = str(v).strip()
        if normalize_name(values["old"]) == normalize_name(values["new"]):
            raise RulesError(f"{label}: old and new are the same name", "rules.crosswalk-entry")
        key = (normalize_name(values["old"]), normalize_name(values["new"]))
        if key in seen:
            raise RulesError(f"{label}: duplicate of an earlier entry", "rules.crosswalk-entry")
        seen.add(key)
        out.append(Alias(**values))
    return out, float(threshold)


def default_aliases_path() -> Path:
    """rules/aliases.yaml of the rules in use (--rules DIR's, if given)."""
    from pipeline import rules
    return Path(rules.RULES_DIR) / "aliases.yaml"


def load_aliases(path: Path | None = None) -> tuple[list[Alias], float]:
    """Load the crosswalk (rules/aliases.yaml, or --rules DIR's, by default) with yaml.safe_load."""
    from pipeline import rules
    default = default_aliases_path()
    path = Path(path or default)
    if not path.exists():
        if path == default:
            return [], float(DEFAULT_THRESHOLD)
        raise UsageError(f"{path}: no such crosswalk file", "usage.crosswalk-file")
    return parse_aliases(rules.load_yaml(path.name, path.parent), str(path))


# ---------------------------------------------------------------- matching

@dataclass(frozen=True)
class Match:
    """One line of lineage: ``old`` -> ``new`` by ``method`` (None on the missing side)."""
    old: str | None
    new: str | None
    method: str
    score: float | None = None     # similarity, for suggestions
    note: str = ""                 # the alias note, or the predecessor as printed


def match_programs(old_programs: Iterable[str], new_programs: Mapping[str, str] | Iterable[str],
                   aliases: Iterable[Alias] = (), threshold: float = DEFAULT_THRESHOLD) -> list[Match]:
    """Match programs of an old and a new release.

    ``new_programs`` maps each new program to its predecessor as the new
    release states it ('' for none); a plain list means no predecessors.
    The result lists the new programs in their order (each with its matches,
    else a suggestion, else ``new``), then the old programs nobody matched
    (``dropped``). A split gives one old program several matches, a merge one
    new program several.

    >>> old = ["総額", "A研究事業", "B基盤事業", "C推進事業", "D育成事業"]
    >>> new = {"総額": "", "A研究事業": "", "E創出事業": "B基盤事業", "F拠点事業": "", "G連携事業": ""}
    >>> for m in match_programs(old, new, [Alias("C推進事業", "G連携事業", "renamed", "x", "2026-11-26")]):
    ...     print(m.old, m.new, m.method)
    総額 総額 same
    A研究事業 A研究事業 same
    B基盤事業 E創出事業 predecessor
    None F拠点事業 new
    C推進事業 G連携事業 alias
    D育成事業 None dropped

    A suggestion is never a match; the two programs stay apart:

    >>> ms = match_programs(["医療分野国際科学技術共同研究開発推進事業"], ["医療分野国際科学技術共同研究開発推進プログラム"])
    >>> [(m.method, m.score) for m in ms]
    [('suggested', 83.7)]
    """
    old = list(dict.fromkeys(old_programs))
    preds = dict(new_programs) if isinstance(new_programs, Mapping) else {n: "" for n in new_programs}
    new = list(preds)
    old_by_key: dict[str, str] = {}
    new_by_key: dict[str, str] = {}
    for o in old:
        old_by_key.setdefault(normalize_name(o), o)
    for n in new:
        new_by_key.setdefault(normalize_name(n), n)

    edges: list[Match] = []
    seen: set[tuple[str, str]] = set()

    def add(o: str | None, n: str | None, method: str, note: str = ""):
        if o and n and (o, n) not in seen:
            seen.add((o, n))
            edges.append(Match(o, n, method, note=note))

    for n in new:                                          # 1. same
        add(old_by_key.get(normalize_name(n)), n, "same")
    for a in aliases:                                      # 2. reviewed crosswalk
        add(old_by_key.get(normalize_name(a.old)), new_by_key.get(normalize_name(a.new)), "alias",
            f"{a.note} (reviewed by {a.reviewed_by} on {a.reviewed_on})")
    for n in new:                                          # 3. the new release's predecessor note
        if preds.get(n):
            add(old_by_key.get(normalize_name(preds[n])), n, "predecessor", preds[n])

    matched_old = {e.old for e in edges}
    matched_new = {e.new for e in edges}
    left_old = [o for o in old if o not in matched_old]
    left_new = [n for n in new if n not in matched_new]
    scored = sorted(((similarity(o, n), i, j) for i, o in enumerate(left_old) for j, n in enumerate(left_new)),
                    key=lambda t: (-t[0], t[1], t[2]))
    suggested: dict[str, Match] = {}                       # 4. fuzzy, one to one, best first
    used_old: set[str] = set()
    for score, i, j in scored:
        o, n = left_old[i], left_new[j]
        if score < threshold:
            break
        if o in used_old or n in suggested:
            continue
        used_old.add(o)
        suggested[n] = Match(o, n, "suggested", score=round(score, 1))

    out: list[Match] = []
    for n in new:
        mine = [e for e in edges if e.new == n]
        out.extend(sorted(mine, key=lambda e: METHODS.index(e.method)) if mine
                   else [suggested.get(n) or Match(None, n, "new")])
    out.extend(Match(o, None, "dropped") for o in left_old if o not in used_old)
    return out
