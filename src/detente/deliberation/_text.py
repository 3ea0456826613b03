"""Statement text rules: length limits, normalisation and duplicate detection.

Two statements repeat each other when their normalised forms are equal (case, punctuation,
symbols and whitespace ignored, Unicode NFKC) or when they are near duplicates: character
bigram Jaccard similarity of at least :data:`NEAR_DUPLICATE_JACCARD`, or a difflib ratio of at
least :data:`NEAR_DUPLICATE_RATIO`. Character n-grams need no word segmentation, so the same
rule works for Chinese.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "NEAR_DUPLICATE_JACCARD",
    "NEAR_DUPLICATE_RATIO",
    "find_duplicate",
    "is_near_duplicate",
    "normalise",
    "similarity",
]

MIN_LENGTH = 10
MAX_LENGTH = 280
NEAR_DUPLICATE_JACCARD = 0.8
NEAR_DUPLICATE_RATIO = 0.9


def normalise(text: str) -> str:
    """Case-folded NFKC text with punctuation and symbols dropped and whitespace collapsed.

    >>> normalise("  Ban  LETHAL autonomous weapons!! ")
    'ban lethal autonomous weapons'
    >>> normalise("禁止，致命自主武器。")
    '禁止致命自主武器'
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = []
    for char in folded:
        category = unicodedata.category(char)
        if category[0] in "PS" or category[0] == "Z" or char.isspace():
            kept.append(" ")
        else:
            kept.append(char)
    words = "".join(kept).split()
    # Spaces between CJK characters carry no meaning; drop them so that spacing cannot
    # disguise a repeat.
    joined: list[str] = []
    for index, word in enumerate(words):
        if index and not (_is_cjk(joined[-1][-1]) and _is_cjk(word[0])):
            joined.append(" ")
        joined.append(word)
    return "".join(joined)


def _is_cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _bigrams(text: str) -> set[str]:
    compact = text.replace(" ", "_")
    if len(compact) < 2:
        return {compact}
    return {compact[i:i + 2] for i in range(len(compact) - 1)}


def similarity(a: str, b: str) -> float:
    """The larger of bigram Jaccard and difflib ratio between two normalised texts (0..1)."""
    if a == b:
        return 1.0
    first, second = _bigrams(a), _bigrams(b)
    jaccard = len(first & second) / len(first | second) if first | second else 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return max(jaccard, ratio)


def is_near_duplicate(a: str, b: str) -> bool:
    """Whether two normalised texts repeat each other."""
    if a == b:
        return True
    first, second = _bigrams(a), _bigrams(b)
    union = first | second
    if union and len(first & second) / len(union) >= NEAR_DUPLICATE_JACCARD:
        return True
    # difflib is quadratic: only run it on texts of comparable length.
    if min(len(a), len(b)) < 0.7 * max(len(a), len(b)):
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= NEAR_DUPLICATE_RATIO


def find_duplicate(text: str, existing: Iterable[tuple[int, str]]) -> int | None:
    """The id of the first existing statement that ``text`` repeats, or None.

    Parameters
    ----------
    text : str
        The new statement as typed.
    existing : iterable of (id, text)
        Statements already in the deliberation.
    """
    wanted = normalise(text)
    for statement_id, other in existing:
        if is_near_duplicate(wanted, normalise(other)):
            return statement_id
    return None
