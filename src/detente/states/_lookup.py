"""Find a state from what a person types: an ISO 3166-1 code or a name, English or Chinese.

``resolve_state("US")``, ``resolve_state("usa")``, ``resolve_state("China")`` and
``resolve_state("中国")`` all give an ISO3 code. Names are matched without regard to case,
accents, punctuation or a leading "the"; besides the names of the shipped country table, the
Unicode CLDR short names (English and Chinese, through Babel) and a few common short forms
("UK", "DPRK", "USSR") are known. An unknown code or name is an :class:`InputError` that names
it and suggests close matches.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from detente.errors import InputError
from detente.i18n import current_language
from detente.i18n import gettext as _
from detente.states._countries import countries, country_name
from detente.states._text import join

__all__ = ["resolve_state", "resolve_states", "suggest_states"]

#: Common short forms that neither ISO 3166 nor CLDR lists.
_ALIASES = {
    "uk": "GBR", "britain": "GBR", "great britain": "GBR", "us": "USA", "america": "USA",
    "united states of america": "USA", "prc": "CHN", "peoples republic of china": "CHN",
    "dprk": "PRK", "rok": "KOR", "republic of korea": "KOR", "ussr": "SUN",
    "turkey": "TUR", "ivory coast": "CIV", "holy see": "VAT", "vatican": "VAT",
    "swaziland": "SWZ", "burma": "MMR", "czech republic": "CZE", "macedonia": "MKD",
    "east germany": "DDR", "west germany": "DEU", "south yemen": "YMD", "north yemen": "YAR",
    "苏维埃社会主义共和国联盟": "SUN", "中华人民共和国": "CHN", "美利坚合众国": "USA",
    "俄罗斯联邦": "RUS", "大不列颠及北爱尔兰联合王国": "GBR", "朝鲜民主主义人民共和国": "PRK",
    "大韩民国": "KOR",
    # ISO 3166-1's inverted names, which the table no longer shows (they read as two states)
    "congo the democratic republic of the": "COD", "dr congo": "COD", "drc": "COD",
    "micronesia federated states of": "FSM", "federated states of micronesia": "FSM",
    "palestine state of": "PSE",
}
_CODE = re.compile(r"^[A-Za-z]{2,3}$")


def _normal(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, no leading "the", single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = " ".join(re.sub(r"[^\w]+", " ", plain).split())
    return plain[4:] if plain.startswith("the ") else plain


def _compact(text: str) -> str:
    """The normal form without spaces: "cote d ivoire" and "cote divoire" meet here."""
    return _normal(text).replace(" ", "")


@cache
def _names() -> dict[str, str]:
    """Normalised name -> ISO3, for every name a state is known by."""
    from babel import Locale

    table = countries()
    by_iso2 = {c.iso2: c.iso3 for c in table.values() if c.iso2 and not c.historical}
    names: dict[str, str] = {}
    for locale in ("en", "zh_Hans"):
        for iso2, name in Locale.parse(locale).territories.items():
            if iso2 in by_iso2:
                names.setdefault(_normal(name), by_iso2[iso2])
    for item in table.values():  # the table's own names win over CLDR's
        for name in (item.name, item.name_zh):
            if name:
                names[_normal(name)] = item.iso3
    for alias, code in _ALIASES.items():
        names.setdefault(_normal(alias), code)
    for name, code in list(names.items()):
        names.setdefault(name.replace(" ", ""), code)
    return names


@cache
def _codes() -> dict[str, str]:
    """ISO2 and ISO3 code (upper case) -> ISO3."""
    codes: dict[str, str] = {}
    for item in countries().values():
        codes[item.iso3] = item.iso3
        if item.iso2:
            codes.setdefault(item.iso2, item.iso3)
    return codes


def _label(code: str) -> str:
    if current_language() == "zh":
        return f"{country_name(code)}（{code}）"
    return f"{country_name(code)} ({code})"


def suggest_states(text: str, limit: int = 3) -> list[str]:
    """ISO3 codes of the states (UN members, observers, former members) whose code or name
    comes closest to ``text``, closest first."""
    table = countries()
    codes = {k: v for k, v in _codes().items() if table[v].at_the_un}
    names = {k: v for k, v in _names().items() if table[v].at_the_un}
    found: list[str] = []
    raw = text.strip()
    if _CODE.match(raw):
        found += [codes[c] for c in difflib.get_close_matches(raw.upper(), list(codes),
                                                              n=limit * 3, cutoff=0.5)]
    key = _normal(raw)
    found += [names[n] for n in difflib.get_close_matches(key, list(names), n=limit * 3,
                                                          cutoff=0.6)]
    found += [code for name, code in names.items() if len(key) >= 3 and name.startswith(key)]
    return list(dict.fromkeys(found))[:limit]


def resolve_state(text: str, *, field: str = "state") -> str:
    """The ISO3 code of the state that ``text`` names (ISO2, ISO3, English or Chinese name).

    Raises
    ------
    InputError
        When nothing matches: the message names the unknown code or name and suggests close
        matches, e.g. ``unknown code XX; did you mean MX (Mexico)?``.
    """
    raw = text.strip()
    if not raw:
        raise InputError(_("give a state: an ISO code or a name"), location=field)
    if _CODE.match(raw) and raw.upper() in _codes():
        return _codes()[raw.upper()]
    found = _names().get(_normal(raw)) or _names().get(_compact(raw))
    if found is not None:
        return found
    if _CODE.match(raw):
        message = _("unknown code %(code)s") % {"code": raw.upper()}
    else:
        message = _("unknown state %(name)s") % {"name": f"“{raw}”"}
    suggestions = suggest_states(raw)
    if suggestions:
        message += _("; did you mean %(states)s?") % {
            "states": join(_label(code) for code in suggestions)}
    raise InputError(message, location=field)


def resolve_states(texts: Iterable[str], *, field: str = "states") -> list[str]:
    """ISO3 codes of several states (a comma-separated list may be given as one item)."""
    codes: list[str] = []
    for text in texts:
        for part in re.split(r"[,，、;；]", text):
            if part.strip():
                codes.append(resolve_state(part, field=field))
    return list(dict.fromkeys(codes))
