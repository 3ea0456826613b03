"""Small helpers for text in the interface language: lists and shares with their denominator.

Chinese lists are joined with "、" and English ones with ", "; Chinese sentences end in "。"
and follow one another without a space.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from detente.i18n import current_language, paren
from detente.i18n import gettext as _

__all__ = ["full_stop", "join", "part_label", "roll_call_title", "sentence"]


def join(items: Iterable[str]) -> str:
    """Items as a list in the interface language ("a, b, c" or "a、b、c")."""
    return ("、" if current_language() == "zh" else ", ").join(items)


def sentence(parts: Iterable[str]) -> str:
    """Sentences (each already ending in its full stop) joined as the language writes them."""
    return ("" if current_language() == "zh" else " ").join(p for p in parts if p)


def full_stop(text: str) -> str:
    """``text`` ended with the full stop of the interface language."""
    return text + ("。" if current_language() == "zh" else ".")


#: The UN Digital Library's catalogue residue after a title, whole or cut short: " : resolution
#: / adopted by the General Assembly", " : resolutio", " : re", " : adopted by the General
#: Assembly".
_RESIDUE = re.compile(r"\s+:\s+(?:r|re|res|reso|resol\w*|adopted by\b.*)(?:\s*/.*)?$",
                      re.IGNORECASE)
#: In a verbatim record quoted as the description: 'Draft resolution XII is entitled
#: _Transparency in armaments<d3>.' (the quotes lost to the encoding), or in plain quotes.
_ENTITLED = re.compile(r"entitled\s*(?:_|\")(.+?)(?:<d3>|\")")
_RECORD = re.compile(r"^The (?:Acting )?President\b")
_LONGEST = 240


def roll_call_title(title: str | None, description: str | None) -> str:
    """A roll call's title as a reader needs it: without catalogue residue, and, where the
    record has no title (the unvotes ``short`` left empty), the one its description gives:
    the last draft "entitled" in a quoted verbatim record, else the description itself (cut
    at 240 characters); a verbatim record that names no draft gives none.

    >>> roll_call_title("Nuclear disarmament : resolution / adopted by the General Assembly", "")
    'Nuclear disarmament'
    >>> roll_call_title("", "The Acting President: Draft resolution XII is entitled _Transparency "
    ...                 "in armaments<d3>. A recorded vote has been requested.")
    'Transparency in armaments'
    """
    text = (title or "").strip()
    if not text:
        described = (description or "").strip()
        named = _ENTITLED.findall(described)
        if named:
            text = named[-1]
        elif not _RECORD.match(described):
            text = described
    text = _RESIDUE.sub("", text.replace("<90>", "’")).strip()
    text = re.sub(r"<[0-9a-f]{2}>", "", text)
    return text if len(text) <= _LONGEST else text[:_LONGEST - 1].rstrip() + "…"


def part_label(meta: Mapping[str, Any]) -> str:
    """" (vote on a paragraph)" or " (vote on an amendment)" for a roll call on part of a
    resolution, in the interface language; empty for a vote on a whole text."""
    if meta.get("paragraph"):
        return paren(_("vote on a paragraph"))
    if meta.get("amendment"):
        return paren(_("vote on an amendment"))
    return ""
