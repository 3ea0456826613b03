"""The shipped country table: ISO 3166-1 codes, English and Chinese names, UN membership,
succession.

The table (``detente/data/states/countries.csv``) is compiled by
``benchmarks/states_build_countries.py`` from ISO 3166-1 (pycountry), Unicode CLDR (babel) and
the UN Digital Library vote records (the 193 member states); historical UN members keep their
own codes and name a successor for time series.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

from detente.i18n import current_language

__all__ = [
    "SUCCESSION",
    "Country",
    "countries",
    "country",
    "country_name",
    "iso3_from_unvotes",
    "name_sort_key",
    "successor",
    "un_members",
]

#: Where a historical state's votes continue in a time series (docs/states.md).
SUCCESSION: dict[str, str] = {}

#: unvotes rows that carry no ISO2 code, by the country name the data uses.
_UNVOTES_NAMES = {
    "Federal Republic of Germany": "DEU",
    "Yemen Arab Republic": "YAR",
    "Zanzibar": "ZAN",
}
#: The USSR's seat: unvotes lists its votes as Russia (RU) from 1946.
_USSR_END = date(1991, 12, 24)
#: Yugoslavia's seat (YU in unvotes) passes to Serbia on Montenegro's independence.
_YUGOSLAVIA_END = date(2006, 6, 3)


@dataclass(frozen=True, slots=True)
class Country:
    """One row of the country table."""

    iso3: str
    iso2: str
    name: str
    name_zh: str
    successor: str
    historical: bool
    un_member: bool = False
    name_zh_pinyin: str = ""
    observer: bool = False

    @property
    def at_the_un(self) -> bool:
        """A member state, an observer state or a former member: a state that votes there."""
        return self.un_member or self.observer or self.historical

    def label(self) -> str:
        """The name in the interface language (Chinese under ``zh`` where known)."""
        if current_language() == "zh" and self.name_zh:
            return self.name_zh
        return self.name

    def sort_key(self) -> str:
        """Sorts by name as the interface language does (Chinese names by their pinyin)."""
        if current_language() == "zh" and self.name_zh_pinyin:
            return self.name_zh_pinyin
        return self.name.casefold()


@cache
def countries() -> dict[str, Country]:
    """Every known state by ISO3 code, current and historical."""
    text = resources.files("detente").joinpath("data/states/countries.csv").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    table: dict[str, Country] = {}
    for row in csv.DictReader(lines):
        item = Country(row["iso3"], row["iso2"], row["name"], row["name_zh"], row["successor"],
                       row["status"] == "historical", row["status"] == "member",
                       row["name_zh_pinyin"], row["status"] == "observer")
        table[item.iso3] = item
        if item.successor:
            SUCCESSION[item.iso3] = item.successor
    return table


@cache
def _by_iso2() -> dict[str, str]:
    return {c.iso2: c.iso3 for c in countries().values() if c.iso2}


def country(iso3: str) -> Country | None:
    """The country with code ``iso3``, or None."""
    return countries().get(iso3)


def country_name(iso3: str) -> str:
    """The name of ``iso3`` in the interface language; the code itself when unknown."""
    found = countries().get(iso3)
    return found.label() if found else iso3


def name_sort_key(iso3: str) -> str:
    """A key that sorts states by name in the interface language (unknown codes last)."""
    found = countries().get(iso3)
    return found.sort_key() if found else "\uffff" + iso3


@cache
def un_members() -> frozenset[str]:
    """ISO3 codes of the 193 UN member states."""
    return frozenset(code for code, c in countries().items() if c.un_member)


def successor(iso3: str) -> str:
    """The state whose time series continues ``iso3`` (itself when it has no successor)."""
    countries()
    seen = iso3
    while seen in SUCCESSION:
        seen = SUCCESSION[seen]
    return seen


def iso3_from_unvotes(iso2: str, name: str, when: date | None) -> str | None:
    """The ISO3 code for an unvotes row (ISO2 code, country name, roll-call date), or None.

    The seat-holder rules: ``RU`` before 1991-12-24 is the Soviet Union (``SUN``); ``YU`` is
    Yugoslavia (``YUG``) until 2006-06-03 and Serbia (``SRB``) after; ``CS`` is
    Czechoslovakia, ``DD`` the German Democratic Republic, ``YD`` South Yemen; rows without a
    code are matched by name (Federal Republic of Germany ``DEU``, Yemen Arab Republic ``YAR``,
    Zanzibar ``ZAN``).
    """
    if not iso2:
        return _UNVOTES_NAMES.get(name)
    if iso2 == "RU" and when is not None and when < _USSR_END:
        return "SUN"
    if iso2 == "YU" and when is not None and when >= _YUGOSLAVIA_END:
        return "SRB"
    return _by_iso2().get(iso2)
