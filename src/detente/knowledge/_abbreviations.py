"""Abbreviations the corpus defines: "Office of Management and Budget (OMB)".

An analyst types "OMB" where the text has the full name, or the reverse; the instruments define
most of their abbreviations once, in the form "long form (SHORT)". Each definition is found the
way Schwartz and Hearst describe (A Simple Algorithm for Identifying Abbreviation Definitions in
Biomedical Text, PSB 2003): the short form is a parenthesised word of two to ten characters with
a capital letter, and its long form is the shortest run of the words just before the bracket in
which the short form's letters occur in order, right to left, the first letter starting a word.

The definitions are read from the provisions and kept in this process while the provisions are
unchanged (checked by their count and highest id), like the vectors of search by meaning.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from detente.store.models.knowledge import KbProvision

__all__ = ["abbreviations", "defined_abbreviations", "long_form"]

_DEFINITION = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9&.\-]{1,9})\s*[),;]")
_CITATION = re.compile(r"\s*(?:No\s*)?\d")
_WORD = re.compile(r"[\w'’&-]+")
#: Words a long form does not end with or consist of.
_WEAK = frozenset({"the", "a", "an", "of", "and", "or", "for", "in", "on", "to", "by", "with"})


def long_form(short: str, before: str) -> str | None:
    """The long form that ``short`` abbreviates at the end of ``before`` (the words just before
    its bracket), or None when its letters do not occur there in order."""
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2 or not short[0].isalpha() or not any(c.isupper() for c in short):
        return None
    words = _WORD.findall(before)[-min(len(letters) + 5, len(letters) * 2) :]
    if not words:
        return None
    text = " ".join(words)
    s, t = len(letters) - 1, len(text) - 1
    while s >= 0:
        char = letters[s]
        # Each letter right to left; the first must start a word other than "of", "the"...
        while t >= 0 and (
            text[t].lower() != char
            or (s == 0 and ((t > 0 and text[t - 1] != " ") or _word_at(text, t) in _WEAK))
        ):
            t -= 1
        if t < 0:
            return None
        s -= 1
        t -= 1
    start = text.rfind(" ", 0, t + 1) + 1
    found = re.sub(r"['’]s$", "", text[start:].strip())
    found_words = found.split()
    if (
        len(found_words) < 2
        or found_words[0].lower() in _WEAK
        or found_words[0] == short
        or (found_words[0].isupper() and not short.startswith(found_words[0]))
        or any(c.isdigit() for c in found)
        or len(found) <= len(short)
    ):
        return None
    return found


def _word_at(text: str, index: int) -> str:
    end = text.find(" ", index)
    return text[index : end if end >= 0 else len(text)].lower()


def defined_abbreviations(texts: Iterable[str]) -> dict[str, str]:
    """Each short form the texts define and its most frequent long form."""
    seen: dict[str, Counter[str]] = {}
    for text in texts:
        if "(" not in text:
            continue
        for match in _DEFINITION.finditer(text):
            if _CITATION.match(text, match.end()):
                continue  # "Regulation (EU) 2016/679" cites; it defines nothing
            short = match.group(1).rstrip(".")
            before = text[max(0, match.start() - 200) : match.start()]
            found = long_form(short, before)
            if found:
                seen.setdefault(short, Counter())[found] += 1
    return {short: forms.most_common(1)[0][0] for short, forms in seen.items()}


#: Per database: the provisions' stamp (count, highest id) and their definitions.
_cache: dict[str, tuple[tuple[int, int], dict[str, str]]] = {}


def abbreviations(session: Session) -> dict[str, str]:
    """The short forms the stored provisions define, with their long forms."""
    count, top = session.execute(select(func.count(), func.max(KbProvision.id))).one()
    stamp = (int(count or 0), int(top or 0))
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    cached = _cache.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    found = defined_abbreviations(
        text for text in session.scalars(select(KbProvision.text)) if text
    )
    _cache[key] = (stamp, found)
    return found
