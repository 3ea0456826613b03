"""Compile the shipped country table ``src/detente/data/states/countries.csv``.

Run once by a maintainer (``python benchmarks/states_build_countries.py``); it needs
``pycountry`` (ISO 3166-1 codes and English names) and ``babel`` (CLDR Simplified Chinese
territory names). Historical UN members that ISO 3166-1 no longer lists are added by hand below,
with their successor states for time series (see docs/states.md, "States and succession").
"""

from __future__ import annotations

import csv
from pathlib import Path

import pycountry
from babel import Locale

OUT = Path(__file__).resolve().parents[1] / "src/detente/data/states/countries.csv"

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

#: Chinese names that read better than the CLDR short form in a UN context.
CHINESE_OVERRIDES = {"TW": "台湾", "HK": "中国香港", "MO": "中国澳门", "KP": "朝鲜", "KR": "韩国",
                     "PS": "巴勒斯坦"}


def main() -> None:
    """Write the table: current ISO 3166-1 entries, then the historical states."""
    zh = Locale.parse("zh_Hans").territories
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        name = getattr(country, "common_name", None) or country.name
        chinese = CHINESE_OVERRIDES.get(country.alpha_2) or zh.get(country.alpha_2, "")
        rows.append([country.alpha_3, country.alpha_2, name, chinese, "", "", ""])
    for iso3, iso2, english, chinese, successor, note in HISTORICAL:
        rows.append([iso3, iso2, english, chinese, successor, "historical", note])
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        handle.write("# Countries and historical UN members: ISO 3166-1 alpha-3 / alpha-2 codes,\n"
                     "# English names (ISO 3166, via pycountry) and Simplified Chinese names\n"
                     "# (Unicode CLDR, via babel). Built by benchmarks/states_build_countries.py;\n"
                     "# do not edit by hand.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["iso3", "iso2", "name", "name_zh", "successor", "status", "note"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
