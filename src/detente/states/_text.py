"""Small helpers for text in the interface language: lists and shares with their denominator.

Chinese lists are joined with "、" and English ones with ", "; Chinese sentences end in "。"
and follow one another without a space.
"""

from __future__ import annotations

from collections.abc import Iterable

from detente.i18n import current_language

__all__ = ["full_stop", "join", "sentence"]


def join(items: Iterable[str]) -> str:
    """Items as a list in the interface language ("a, b, c" or "a、b、c")."""
    return ("、" if current_language() == "zh" else ", ").join(items)


def sentence(parts: Iterable[str]) -> str:
    """Sentences (each already ending in its full stop) joined as the language writes them."""
    return ("" if current_language() == "zh" else " ").join(p for p in parts if p)


def full_stop(text: str) -> str:
    """``text`` ended with the full stop of the interface language."""
    return text + ("。" if current_language() == "zh" else ".")
