"""The country table: codes, Chinese names, historical states and succession."""

from __future__ import annotations

from datetime import date

from detente.i18n import use_language
from detente.states import country, country_name, iso3_from_unvotes, lineage, successor


def test_current_states_have_iso2_english_and_chinese_names() -> None:
    china = country("CHN")
    assert china is not None
    assert (china.iso2, china.name, china.name_zh) == ("CN", "China", "中国")
    with use_language("zh"):
        assert country_name("USA") == "美国"
        assert country_name("PRK") == "朝鲜"
    assert country_name("USA") == "United States"


def test_historical_states_are_kept_with_chinese_names() -> None:
    for code, name_zh in {"SUN": "苏联", "YUG": "南斯拉夫", "CSK": "捷克斯洛伐克",
                          "DDR": "民主德国", "YMD": "南也门", "YAR": "北也门"}.items():
        found = country(code)
        assert found is not None and found.historical and found.name_zh == name_zh


def test_succession_maps_historical_states_to_their_successors() -> None:
    assert successor("SUN") == "RUS"
    assert successor("YUG") == "SRB"
    assert successor("CSK") == "CZE"
    assert successor("DDR") == "DEU"
    assert successor("YAR") == "YEM" and successor("YMD") == "YEM"
    assert successor("FRA") == "FRA"
    assert set(lineage("YEM")) == {"YEM", "YAR", "YMD"}


def test_unvotes_seat_rules_follow_the_date() -> None:
    assert iso3_from_unvotes("RU", "Russia", date(1991, 12, 23)) == "SUN"
    assert iso3_from_unvotes("RU", "Russia", date(1991, 12, 24)) == "RUS"
    assert iso3_from_unvotes("YU", "Yugoslavia", date(2006, 6, 2)) == "YUG"
    assert iso3_from_unvotes("YU", "Yugoslavia", date(2006, 6, 3)) == "SRB"
    assert iso3_from_unvotes("", "Federal Republic of Germany", date(1980, 1, 1)) == "DEU"
    assert iso3_from_unvotes("DD", "German Democratic Republic", date(1980, 1, 1)) == "DDR"
    assert iso3_from_unvotes("", "Yemen Arab Republic", date(1980, 1, 1)) == "YAR"
    assert iso3_from_unvotes("ZZ", "Nowhere", None) is None


def test_no_state_name_reads_as_two_states_in_a_list() -> None:
    """ISO 3166-1's inverted names ("Micronesia, Federated States of") read as two states in
    "Argentina, Chile, Micronesia, Federated States of, ..."; every name is written without a
    comma, and the inverted forms still find their state."""
    from detente.states import countries, resolve_state

    assert [c.name for c in countries().values() if "," in c.name] == []
    assert country_name("FSM") == "Micronesia"
    assert country_name("COD") == "Democratic Republic of the Congo"
    assert resolve_state("Micronesia, Federated States of") == "FSM"
    assert resolve_state("Congo, The Democratic Republic of the") == "COD"
    assert resolve_state("Democratic Republic of the Congo") == "COD"
