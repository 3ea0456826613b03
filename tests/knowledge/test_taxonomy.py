"""The shipped taxonomy is complete and bilingual, user extensions are validated."""

from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from detente.errors import ImportFormatError
from detente.knowledge import load_taxonomy


def test_every_term_has_both_labels_a_definition_and_a_known_facet() -> None:
    tax = load_taxonomy()
    assert len(tax.terms) == len(set(tax.ids))
    for term in tax.terms:
        assert term.label_en and term.definition
        assert re.search(r"[\u4e00-\u9fff]", term.label_zh), term.id
    facets = {t.facet for t in tax.terms}
    assert facets == {"risk_domain", "actor", "governance_tool", "theme"}


def test_required_domains_actors_and_tools_are_present() -> None:
    ids = set(load_taxonomy().ids)
    assert {
        "military-autonomous-weapons",
        "nuclear-command-control",
        "cyber",
        "biological",
        "chemical",
        "information-operations",
        "critical-infrastructure",
    } <= ids
    assert {
        "states",
        "militaries",
        "developers-companies",
        "non-state-actors",
        "terrorist-groups",
        "criminal-organisations",
        "individuals",
    } <= ids
    assert {
        "prohibitions-red-lines",
        "human-control",
        "testing-evaluation",
        "risk-management",
        "transparency-disclosure",
        "incident-reporting",
        "export-controls-compute",
        "capacity-building",
        "international-law-ihl",
        "un-mechanisms",
        "confidence-building",
        "verification-arms-control",
        "open-model-governance",
    } <= ids


def test_themes_are_the_demo_forum_theme_slugs() -> None:
    forum = yaml.safe_load(
        (resources.files("detente") / "data" / "demo-forum.yaml").read_text("utf-8")
    )
    slugs = {t["id"] for t in forum["themes"]}
    assert {t.id for t in load_taxonomy().by_facet("theme")} == slugs


def test_crosswalk_covers_every_mit_subdomain(shared_dir: Path) -> None:
    raw = shared_dir / "data" / "ai-risks" / "mit_ai_risk_domain_taxonomy_raw.csv"
    codes = {
        row[2]
        for row in csv.reader(raw.open(encoding="utf-8"))
        if len(row) > 2 and re.fullmatch(r"\d\.\d", row[2] or "")
    }
    crosswalk = load_taxonomy().mit_crosswalk
    assert codes and codes <= set(crosswalk)
    for code in codes:
        assert crosswalk[code]["terms"], code


def test_user_file_adds_and_overrides_terms(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        yaml.safe_dump(
            {
                "version": "local1",
                "terms": [
                    {
                        "id": "space-systems",
                        "facet": "risk_domain",
                        "label_en": "Space systems",
                        "label_zh": "太空系统",
                        "definition": "AI in satellites.",
                        "en": ["satellites?"],
                        "zh": ["卫星"],
                    },
                    {
                        "id": "cyber",
                        "facet": "risk_domain",
                        "label_en": "Cyber",
                        "label_zh": "网络",
                        "definition": "Redefined.",
                        "en": ["cyber"],
                    },
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    tax = load_taxonomy(extra)
    assert tax.get("space-systems").label_zh == "太空系统"
    assert tax.get("cyber").definition == "Redefined."
    assert tax.version.endswith("+local1") and str(extra) in tax.sources


@pytest.mark.parametrize(
    ("term", "message"),
    [
        (
            {
                "id": "Bad Id",
                "facet": "actor",
                "label_en": "a",
                "label_zh": "甲",
                "definition": "d",
            },
            "slug",
        ),
        (
            {"id": "x", "facet": "weather", "label_en": "a", "label_zh": "甲", "definition": "d"},
            "facet",
        ),
        ({"id": "x", "facet": "actor", "label_en": "a", "definition": "d"}, "label_zh"),
        (
            {
                "id": "x",
                "facet": "actor",
                "label_en": "a",
                "label_zh": "甲",
                "definition": "d",
                "en": ["(unclosed"],
            },
            "regular expression",
        ),
        (
            {
                "id": "x",
                "facet": "theme",
                "label_en": "a",
                "label_zh": "甲",
                "definition": "d",
                "implied_by": ["nope"],
            },
            "unknown term",
        ),
    ],
)
def test_invalid_user_terms_are_refused_with_their_index(
    tmp_path: Path, term: dict, message: str
) -> None:
    extra = tmp_path / "bad.yaml"
    extra.write_text(yaml.safe_dump({"terms": [term]}, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message):
        load_taxonomy(extra)
