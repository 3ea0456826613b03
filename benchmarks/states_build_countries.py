"""Compile the shipped country table ``src/detente/data/states/countries.csv``.

Run once by a maintainer (``python benchmarks/states_build_countries.py``); it needs
``pycountry`` (ISO 3166-1 codes and English names), ``babel`` (CLDR Simplified Chinese
territory names) and ``pypinyin`` (the pinyin sort key of each Chinese name, so that lists sort
by name in Chinese as a Chinese reader expects, without a run-time dependency). Historical UN
members that ISO 3166-1 no longer lists are added by hand below, with their successor states
for time series (see docs/states.md, "States and succession").

``status`` says what a state is at the United Nations today: ``member`` for the 193 member
states (the states that the UN Digital Library records of the lethal-autonomous-weapons
resolutions list, shipped in ``laws_votes.csv``: those records carry one row per member state),
``observer`` for the two non-member observer states, ``historical`` for former members.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
from babel import Locale
from pypinyin import Style, lazy_pinyin

DATA = Path(__file__).resolve().parents[1] / "src/detente/data/states"
OUT = DATA / "countries.csv"
#: UN non-member observer states (General Assembly resolutions 58/314 and 67/19).
OBSERVERS = {"VAT", "PSE"}

#: iso3, iso2 (as used by the unvotes data, blank if none), English, Chinese, successor, note
HISTORICAL = [
    ("SUN", "SU", "Soviet Union", "苏联", "RUS",
     "unvotes records USSR votes as Russia (RU); votes before 1991-12-24 are mapped here"),
    ("YUG", "YU", "Yugoslavia", "南斯拉夫", "SRB",
     "SFR Yugoslavia and FR Yugoslavia / Serbia and Montenegro until 2006-06-03"),
    ("CSK", "CS", "Czechoslovakia", "捷克斯洛伐克", "CZE", ""),
    ("DDR", "DD", "German Democratic Republic", "民主德国", "DEU", ""),
    ("YMD", "YD", "Yemen People's Republic (South Yemen)", "南也门", "YEM", ""),
    ("YAR", "", "Yemen Arab Republic (North Yemen)", "北也门", "YEM",
     "not an ISO code: assigned by detente; unvotes gives no ISO2 code"),
    ("ZAN", "", "Zanzibar", "桑给巴尔", "TZA",
     "not an ISO code: assigned by detente; a UN member in December 1963 only"),
]

#: English names for the ISO 3166-1 names that are inverted or hold a comma ("Congo, The
#: Democratic Republic of the", "Micronesia, Federated States of"): in a list of states such a
#: name reads as two states. The short names the UN and CLDR use instead.
ENGLISH_OVERRIDES = {"CD": "Democratic Republic of the Congo", "FM": "Micronesia",
                     "PS": "State of Palestine", "BQ": "Caribbean Netherlands",
                     "SH": "Saint Helena", "VG": "British Virgin Islands",
                     "VI": "United States Virgin Islands"}

#: Chinese names that read better than the CLDR short form in a UN context.
CHINESE_OVERRIDES = {"TW": "台湾", "HK": "中国香港", "MO": "中国澳门", "KP": "朝鲜", "KR": "韩国",
                     "PS": "巴勒斯坦"}


def un_members() -> set[str]:
    """ISO3 codes of the UN member states: every state of a UN Digital Library vote record."""
    with (DATA / "laws_votes.csv").open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    by_record: dict[str, set[str]] = {}
    for row in csv.DictReader(lines):
        by_record.setdefault(row["undl_id"], set()).add(row["ms_code"])
    latest = by_record[max(by_record)]
    if len(latest) != 193:
        raise SystemExit(f"expected 193 member states in the latest record, found {len(latest)}")
    return latest


def pinyin_key(chinese: str) -> str:
    """The name in toneless pinyin, syllables separated by spaces (a sort key)."""
    return " ".join(lazy_pinyin(chinese, style=Style.TONE3, neutral_tone_with_five=True))


def main() -> None:
    """Write the table: current ISO 3166-1 entries, then the historical states."""
    zh = Locale.parse("zh_Hans").territories
    members = un_members()
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        name = (ENGLISH_OVERRIDES.get(country.alpha_2)
                or getattr(country, "common_name", None) or country.name)
        if "," in name:
            raise SystemExit(f"{country.alpha_3}: {name!r} would read as two states in a "
                             "list: add a short name to ENGLISH_OVERRIDES")
        chinese = CHINESE_OVERRIDES.get(country.alpha_2) or zh.get(country.alpha_2, "")
        status = ("member" if country.alpha_3 in members
                  else "observer" if country.alpha_3 in OBSERVERS else "")
        rows.append([country.alpha_3, country.alpha_2, name, chinese, pinyin_key(chinese), "",
                     status, ""])
    for iso3, iso2, english, chinese, successor, note in HISTORICAL:
        rows.append([iso3, iso2, english, chinese, pinyin_key(chinese), successor, "historical",
                     note])
    missing = members - {row[0] for row in rows}
    if missing:
        raise SystemExit(f"member states missing from ISO 3166-1: {sorted(missing)}")
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# Countries and historical UN members: ISO 3166-1 alpha-3 / alpha-2 codes,\n"
                     "# English names (ISO 3166, via pycountry), Simplified Chinese names\n"
                     "# (Unicode CLDR, via babel) and their pinyin (sort key, via pypinyin);\n"
                     "# status: UN member (193, from the UN Digital Library vote records in\n"
                     "# laws_votes.csv), observer or historical member. Built by\n"
                     "# benchmarks/states_build_countries.py; do not edit by hand.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso3", "iso2", "name", "name_zh", "name_zh_pinyin", "successor",
                         "status", "note"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
