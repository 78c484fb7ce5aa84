"""Brackets on a line: which ones a text leaves open, where the bracket a
figure opens closes. The pairs are the rule pack's setting ``bracket_pairs``
(opening and closing brackets in turn); names look at round brackets only."""
from __future__ import annotations


def open_brackets(text: str, pairs: str = "()") -> list[int]:
    """Where each bracket that text leaves open opens, outermost first
    (``pairs``: opening and closing brackets in turn, as the setting
    ``bracket_pairs``).

    >>> open_brackets("ワクチン開発推進事業(厚労(AMED)、R2補:")
    [10]
    >>> open_brackets("【事業(拡充", "()【】")
    [0, 3]
    """
    opening, closing = pairs[0::2], pairs[1::2]
    stack: list[int] = []
    for k, ch in enumerate(text):
        if ch in opening:
            stack.append(k)
        elif ch in closing and stack:
            stack.pop()
    return stack


def unmatched_open(text: str) -> int | None:
    """Where the first round bracket that text leaves open opens.

    >>> unmatched_open("ワクチン開発推進事業(厚労(AMED)、R2補:")
    10
    >>> unmatched_open("事業(拡充)") is None
    True
    """
    opened = open_brackets(text)
    return opened[0] if opened else None


def bracket_end(text: str, start: int, end: int, pairs: str) -> int:
    """``end`` moved on past the close of each bracket that text[start:end]
    opens, when the line closes it; else ``end`` as it was.

    >>> t = "BINDS 37億円(36億円) ※1"
    >>> t[:bracket_end(t, 0, t.index("円)") + 1, "()")]
    'BINDS 37億円(36億円)'
    >>> bracket_end("(前年度 36億円", 0, 9, "()")
    9
    """
    depth = len(open_brackets(text[start:end], pairs))
    opening, closing = pairs[0::2], pairs[1::2]
    k = end
    while depth and k < len(text):
        depth += (text[k] in opening) - (text[k] in closing)
        k += 1
    return k if depth == 0 else end


def in_closed_bracket(text: str, start: int, end: int) -> bool:
    """Does text[start:end] stand inside a bracket that closes before the
    text ends?

    >>> t = "総額は5兆円(米軍再編関係経費の一部は事項要求)で、前年度の"
    >>> in_closed_bracket(t, t.index("米軍"), t.index("は事項")), in_closed_bracket(t, 0, 3)
    (True, False)
    """
    return bool(open_brackets(text[:start])) and ")" in text[end:]
