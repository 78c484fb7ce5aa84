"""Japanese text normalization that keeps a map back to the raw text.

Every function works on the line as a list of (char, raw_index) pairs, so a
match in the normalized text can always be traced to the exact raw characters
it came from (``source_of``). The character tables live in
``rules/normalization.yaml``.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from typing import overload

import regex

from pipeline.rules import load_yaml

Pairs = list[tuple[str, int]]


@functools.cache
def _tables() -> dict:
    data = load_yaml("normalization.yaml")
    keep = [tuple(r) for r in data["keep_ranges"]]
    return {
        "keep": keep,
        "space": [tuple(r) for r in data.get("space_ranges", [])],
        "range_mark": data["range_mark"],
        "range_forms": set(data["range_forms"]),
        "space_before": frozenset(data.get("space_before", "")),
        "radicals": {**data["radicals_supplement"], **data.get("lookalikes", {})},
        "drop_categories": set(data["drop_categories"]),
        "drop_chars": set(data["drop_chars"]),
        "failures": regex.compile("|".join(data["failure_patterns"])),
        # what the table changes besides NFKC: a line that is NFKC already and holds
        # none of these is left as it is by the character mapping (see _beyond_nfkc)
        "beyond_chars": re.compile("[" + re.escape("".join(
            {*data["range_forms"], *dict(data["radicals_supplement"]), *data.get("lookalikes", {}), *data["drop_chars"],
             "\r", "\n"}
            - {data["range_mark"]})) + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in data.get("space_ranges", []))
            + "]"),
        "drop_categories_re": regex.compile("[" + "".join(rf"\p{{{cat}}}" for cat in data["drop_categories"]) + "]")
                              if data["drop_categories"] else None,
        # Python calls no character of these categories printable (the space of Zs it does)
        "unprintable_categories": set(data["drop_categories"]) <= NOT_PRINTABLE,
    }


NOT_PRINTABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}   # str.isprintable() is False for every character of these


def _beyond_nfkc(text: str) -> bool:
    """Does the text hold a character the table changes besides NFKC? The
    listed characters are looked for with ``re`` (the regex module is about
    seven times slower at a character class), the dropped categories (Cf)
    with ``regex``, and only in text that is not all printable when those
    categories are never printable (tests/test_normalize.py checks every
    code point the regex module puts in them): most lines are all printable.

    >>> _beyond_nfkc("令和8年度〜令和12年度"), _beyond_nfkc("852\u200d億円"), _beyond_nfkc("37億円")
    (True, True, False)
    """
    t = _tables()
    if t["beyond_chars"].search(text):
        return True
    if t["drop_categories_re"] is None or (t["unprintable_categories"] and text.isprintable()):
        return False
    return t["drop_categories_re"].search(text) is not None


def _map_char(c: str) -> str:
    """One character to its normalized form (possibly several characters)."""
    t = _tables()
    cp = ord(c)
    if any(lo <= cp <= hi for lo, hi in t["keep"]):
        return c
    if c in t["range_forms"]:
        return t["range_mark"]
    if c in t["radicals"]:
        return t["radicals"][c]
    if c in "\u3000\u00a0" or any(lo <= cp <= hi for lo, hi in t["space"]):
        return " "   # (box-drawing characters: a text table's cell borders)
    if c in t["drop_chars"] or unicodedata.category(c) in t["drop_categories"]:
        return ""   # zero-width and format characters, line separators (rules/normalization.yaml)
    # NFKC: fullwidth ASCII and brackets, halfwidth katakana, Kangxi radicals,
    # compatibility ideographs with a decomposition (U+F9E4 -> 理). Real
    # ideographs of the compatibility block such as 﨑 U+FA11 have none and stay.
    return unicodedata.normalize("NFKC", c)


_JAPANESE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}ー々〆\u3000-\u303F\uFF00-\uFFEF"
                          r"「」『』【】《》〈〉・※●○◆■□▲△▼▽◎★☆✓→⇒\u2460-\u24FF\u3251-\u325F\u32B1-\u32BF]")


_JAPANESE_CHARS: dict[str, bool] = {}   # character -> is_japanese: each character is matched once


def range_mark() -> str:
    """The one mark normalized text writes a range with (「令和3~11年度」; rules/normalization.yaml)."""
    return _tables()["range_mark"]


def is_cell_border(c: str) -> bool:
    """Is the character a text table's cell border (rules/normalization.yaml
    space_ranges: box drawing), which normalizing turns into a space?

    >>> is_cell_border("│"), is_cell_border("一")
    (True, False)
    """
    return any(lo <= ord(c) <= hi for lo, hi in _tables()["space"])


def is_japanese(c: str) -> bool:
    """True for characters of Japanese text (kanji, kana, Japanese punctuation).
    The answer for a character is kept: a regex call costs ten times a look-up.

    >>> is_japanese("億"), is_japanese("2"), is_japanese("(")
    (True, False, False)
    """
    known = _JAPANESE_CHARS.get(c)
    if known is None:
        known = bool(_JAPANESE.match(c))
        if len(c) == 1:
            _JAPANESE_CHARS[c] = known
    return known


_WHITE = re.compile(r"[ \t]+")   # (re: plain characters; faster than regex)
CELL_GAP = 3   # a run of this many spaces or more inside a line separates two boxes or cells, as a tab does
_SPACED_DIGITS = regex.compile(r"(?<![\d,.])\d(?: \d){2,}(?![\d,.])")


def _spaced_letters(text: str, s: int, e: int) -> bool:
    """Is the gap text[s:e] inside a word set with its letters spaced out
    (「合　　　計」, 「財　　務　　省」, 「…前年度予算額比   較」): Japanese on
    both sides, a single character after it?"""
    right = e == len(text) - 1 or (e + 1 < len(text) and text[e + 1] in " \t")
    return right and text[e].isalpha() and is_japanese(text[s - 1]) and is_japanese(text[e])


def _whitespace_edits(text: str) -> list[tuple[int, int, int | None]]:
    """(start, end, kept) of each whitespace run that changes: ``kept`` is the
    index of the one character that stays (a space or a tab), None when the
    whole run goes, ``-1 - start`` when a tab takes the run's place."""
    edits: list[tuple[int, int, int | None]] = []
    n = len(text)
    for m in _WHITE.finditer(text):
        s, e = m.span()
        if s == 0 or e == n:
            edits.append((s, e, None))
        elif "\t" in text[s:e]:
            edits.append((s, e, text.index("\t", s)))
        elif e - s >= CELL_GAP and not _spaced_letters(text, s, e):
            edits.append((s, e, -1 - s))   # a wide gap between two boxes (pdftotext -layout): a cell boundary
        elif text[e] in (marks := _tables()["space_before"]) and text[s - 1] not in marks:
            if e - s > 1:   # a space before a bullet after other text: where a joined line's next item starts
                edits.append((s, e, s))
        elif is_japanese(text[s - 1]) or is_japanese(text[e]):
            edits.append((s, e, None))
        elif e - s > 1:
            edits.append((s, e, s))
    return edits


@overload
def _apply(text: str, idx: list[int], edits: Sequence[tuple[int, int, int | None]]) -> tuple[str, list[int]]: ...
@overload
def _apply(text: str, idx: None, edits: Sequence[tuple[int, int, int | None]]) -> tuple[str, None]: ...
def _apply(text: str, idx: list[int] | None, edits: Sequence[tuple[int, int, int | None]]) -> tuple[str, list[int] | None]:
    """Text (and raw indexes, when given) with each edited run cut to its kept character."""
    parts: list[str]
    kept: list[int] | None
    parts, kept, last = [], [] if idx is not None else None, 0
    for s, e, k in edits:
        parts.append(text[last:s])
        if k is not None:
            parts.append(text[k] if k >= 0 else "\t")
        if kept is not None:
            assert idx is not None  # kept is a list only when idx is
            kept.extend(idx[last:s])
            if k is not None:
                kept.append(idx[k if k >= 0 else -1 - k])
        last = e
    parts.append(text[last:])
    if kept is not None:
        assert idx is not None  # kept is a list only when idx is
        kept.extend(idx[last:])
    return "".join(parts), kept


@overload
def _fix_whitespace(text: str, idx: list[int]) -> tuple[str, list[int]]: ...
@overload
def _fix_whitespace(text: str, idx: None = None) -> tuple[str, None]: ...
def _fix_whitespace(text: str, idx: list[int] | None = None) -> tuple[str, list[int] | None]:
    """Drop spaces next to Japanese text; keep one space between other tokens;
    a run holding a tab (a table cell boundary) becomes one tab.

    Font changes split spans and the split shows up as a space: 「令和8 年度」,
    「2,479 億円」. Spaces between two numbers or two Latin words are real.
    Runs of three or more single digits separated by single spaces
    (「1 1 2 1」, Word's letter spacing) are joined. ``idx`` (raw indexes,
    one per character) follows the edits; without it only the text is made.
    """
    if " " not in text and "\t" not in text:
        return text, idx
    edits = _whitespace_edits(text)
    if edits:
        text, idx = _apply(text, idx, edits)
    joined = [(k, k + 1, None) for m in _SPACED_DIGITS.finditer(text)
              for k in range(m.start(), m.end()) if text[k] == " "]
    if joined:
        text, idx = _apply(text, idx, joined)
    return text, idx


def normalize_pairs(pairs: Pairs) -> Pairs:
    """Map characters one by one (keeping each one's raw index), then fix
    whitespace. Tabs (table cells) are kept as one tab."""
    mapped: Pairs = []
    for c, idx in pairs:
        if c in "\r\n":
            continue
        for m in ("\t" if c == "\t" else _map_char(c)):
            if m in "\u3099\u309a" and mapped:
                # halfwidth ﾞ/ﾟ: compose with the kana before (ﾃﾞ -> デ)
                composed = unicodedata.normalize("NFC", mapped[-1][0] + m)
                if len(composed) == 1:
                    mapped[-1] = (composed, mapped[-1][1])
                    continue
            mapped.append((m, idx))
    text, raw_idx = _fix_whitespace("".join(c for c, _ in mapped), [i for _, i in mapped])
    return list(zip(text, raw_idx))


class _CharTable(dict):
    """str.translate table filled on first use: code point -> normalized text."""

    def __missing__(self, cp: int) -> str:
        c = chr(cp)
        value = c if c == "\t" else ("" if c in "\r\n" else _map_char(c))
        self[cp] = value
        return value


_TABLE = _CharTable()


def _one_to_one(raw: str) -> str | None:
    """The raw line with each character mapped by the table, when every
    character maps to exactly one and no sound mark is left to compose (the
    common case: raw indexes are then positions); else None."""
    if "\r" in raw or "\n" in raw:   # map to nothing: equal lengths would no longer mean one to one
        return None
    mapped = raw.translate(_TABLE)
    if len(mapped) == len(raw) and "\u3099" not in mapped and "\u309a" not in mapped:
        return mapped
    return None


def normalize_with_map(raw: str) -> tuple[str, list[int]]:
    """Normalized text and, for each of its characters, the raw index.

    >>> normalize_with_map("令和８ 年度")[0]
    '令和8年度'
    """
    mapped = _one_to_one(raw)
    if mapped is not None:
        return _fix_whitespace(mapped, list(range(len(raw))))
    pairs = normalize_pairs([(c, i) for i, c in enumerate(raw)])
    return "".join(c for c, _ in pairs), [i for _, i in pairs]


def normalize(raw: str) -> str:
    """Normalize one line of extracted Japanese text (normalize_with_map's
    text, without building the map).

    >>> normalize("⽂部科学省（ＭＥＸＴ） ①②⑳ 令和8年度〜令和12年度")
    '文部科学省(MEXT)①②⑳令和8年度~令和12年度'
    >>> normalize("2,479 億円 と 2,479 2,379")
    '2,479億円と2,479 2,379'
    """
    if unicodedata.is_normalized("NFKC", raw) and not _beyond_nfkc(raw):
        return _fix_whitespace(raw)[0]    # most lines: no character changes
    return _mapped_normalized(raw)


def _mapped_normalized(raw: str) -> str:
    """normalize() of a line whose characters the table changes."""
    mapped = _one_to_one(raw)
    return _fix_whitespace(mapped)[0] if mapped is not None else normalize_with_map(raw)[0]


def normalize_lines(raws: list[str]) -> list[str]:
    """normalize() of each line of a page, with the character checks done once
    for the whole page when it can be: on some pages no character changes,
    and only the lines with spaces or tabs are looked at. On the others (most
    Japanese pages hold a fullwidth bracket) a line that is NFKC already and
    holds nothing else the table changes still needs only its whitespace fixed.

    >>> normalize_lines(["令和8 年度", "37億円", "（新規）"])
    ['令和8年度', '37億円', '(新規)']
    """
    page = "\x00".join(raws)   # a starter that no table entry touches: NFKC holds per line iff for the page
    if page.count("\x00") == len(raws) - 1 and unicodedata.is_normalized("NFKC", page) and not _beyond_nfkc(page):
        return [_fix_whitespace(raw)[0] if " " in raw or "\t" in raw else raw for raw in raws]
    return [(_fix_whitespace(raw)[0] if " " in raw or "\t" in raw else raw)
            if unicodedata.is_normalized("NFKC", raw) and not _beyond_nfkc(raw) else _mapped_normalized(raw)
            for raw in raws]


def source_of(raw: str, index_map: list[int], start: int, end: int) -> str:
    """The raw characters behind normalized text[start:end].

    >>> t, m = normalize_with_map("（前年度予算額 ３６億円）")
    >>> source_of("（前年度予算額 ３６億円）", m, t.index("36"), t.index("円") + 1)
    '３６億円'
    """
    if start >= end or not index_map:
        return ""
    return raw[index_map[start]: index_map[end - 1] + 1]


def has_failure(raw: str) -> bool:
    """Quick test for extraction_failures (most lines have none)."""
    return _tables()["failures"].search(raw) is not None


def extraction_failures(raw: str) -> list[str]:
    """Marks of a failed extraction in raw text: (cid:N), NUL, U+FFFD.

    >>> extraction_failures("予算(cid:1234)額")
    ['(cid:1234)']
    """
    return _tables()["failures"].findall(raw)


_MD_BULLET = regex.compile(r"^\s*(?:[-+]\s+|#{1,6}\s+|>\s*)")
_MD_TABLE_RULE = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


_MD_EMPHASIS = regex.compile(r"(?<![*\w])\*(?=[^\s*])[^*\n]+?(?<=[^\s*])\*(?![*\w])")


def strip_markdown(raw: str) -> Pairs | None:
    """Drop Markdown artefacts from one line of converted text.

    Returns the kept (char, raw_index) pairs, or None for a line that is only
    markup (a table rule). ``**``/``__`` and the ``*`` of ``*italic*`` go, a leading ``- `` or ``# `` goes,
    table pipes become tabs (cells).

    >>> "".join(c for c, _ in strip_markdown("- **BINDS 37億円**"))
    'BINDS 37億円'
    >>> "".join(c for c, _ in strip_markdown("*科学技術・学術政策局* (*は補正)"))
    '科学技術・学術政策局 (*は補正)'
    >>> "".join(c for c, _ in strip_markdown("| 予算額 | 37億円 |"))
    ' 予算額 \\t 37億円 '
    """
    if _MD_TABLE_RULE.match(raw) and "-" in raw:
        return None
    pairs = [(c, i) for i, c in enumerate(raw)]
    m = _MD_BULLET.match(raw)
    if m:
        pairs = pairs[m.end():]
    text = "".join(c for c, _ in pairs)
    drop: set[int] = set()
    for em in regex.finditer(r"\*\*|__", text):
        drop.update(range(em.start(), em.end()))
    for em in _MD_EMPHASIS.finditer(text):   # *italic* around words (not 2*3, not a ※-like * note mark)
        drop.update((em.start(), em.end() - 1))
    pairs = [p for k, p in enumerate(pairs) if k not in drop]
    if "|" in "".join(c for c, _ in pairs):
        stripped = "".join(c for c, _ in pairs).strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            inner = [p for p in pairs]
            # remove leading/trailing pipe, others become tabs
            first = next(k for k, (c, _) in enumerate(inner) if c == "|")
            last = max(k for k, (c, _) in enumerate(inner) if c == "|")
            inner = inner[first + 1:last]
            pairs = [("\t", i) if c == "|" else (c, i) for c, i in inner]
    return pairs
