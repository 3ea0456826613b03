"""Lexicon rules and the classifier: transparent evidence, JSON round trip, implied themes."""

from __future__ import annotations

import numpy as np
import pytest

from detente.errors import InputError
from detente.knowledge import Classifier, load_taxonomy, rule_tags, suggest_tags, train_classifier


def test_rules_match_english_and_chinese_with_evidence() -> None:
    tax = load_taxonomy()
    english = {
        s.term: s for s in rule_tags("Lethal autonomous weapons systems shall be prohibited.", tax)
    }
    assert english["military-autonomous-weapons"].evidence["matched"] == [
        "lethal autonomous",
        "weapons systems",
    ]
    assert english["military-autonomous-weapons"].confidence == pytest.approx(0.75)
    assert "prohibitions-red-lines" in english
    chinese = {s.term for s in rule_tags("禁止研发不受人类控制的自主武器。", tax)}
    assert {"military-autonomous-weapons", "prohibitions-red-lines"} <= chinese


def test_rules_do_not_fire_on_lookalikes() -> None:
    tax = load_taxonomy()
    found = {
        s.term
        for s in rule_tags(
            "The market surveillance authority and law enforcement "
            "report to the National Security Council.",
            tax,
        )
    }
    assert "surveillance-biometrics" not in found and "un-mechanisms" not in found


def _corpus() -> tuple[list[str], list[set[str]]]:
    texts, labels = [], []
    for i in range(12):
        texts.append(f"weapons targeting military drones unit {i}")
        labels.append({"military-autonomous-weapons"})
        texts.append(f"personal data privacy protection record {i}")
        labels.append({"privacy-data"})
        texts.append(f"军事 武器 无人机 部队 {i}")
        labels.append({"military-autonomous-weapons"})
    return texts, labels


def test_classifier_learns_explains_and_round_trips_as_json() -> None:
    texts, labels = _corpus()
    model = train_classifier(texts, labels)
    assert model.terms == ["military-autonomous-weapons", "privacy-data"]
    found = model.suggest(["drones for the military", "privacy of personal data"])
    assert [s.term for s in found[0]] == ["military-autonomous-weapons"]
    assert found[0][0].evidence["top_words"][0] in {"military", "drones"}
    assert [s.term for s in found[1]] == ["privacy-data"]
    again = Classifier.from_json(model.to_json())
    # weights are rounded to 6 decimals in JSON
    np.testing.assert_allclose(again.predict_proba(texts), model.predict_proba(texts), atol=1e-5)
    chinese = model.suggest(["武器 部队"])[0]
    assert [s.term for s in chinese] == ["military-autonomous-weapons"]


def test_classifier_refuses_too_few_examples() -> None:
    with pytest.raises(InputError, match="at least 10"):
        train_classifier(["a"] * 5, [{"cyber"}] * 5)


def test_suggestions_merge_methods_and_imply_themes() -> None:
    texts, labels = _corpus()
    model = train_classifier(texts, labels)
    merged = {
        s.term: s for s in suggest_tags(["military weapons drones"], load_taxonomy(), model)[0]
    }
    military = merged["military-autonomous-weapons"]
    assert military.source == "rule+classifier"
    assert "matched" in military.evidence and "top_words" in military.evidence
    assert merged["military-ai"].source == "implied"
    assert merged["military-ai"].evidence["by"] == ["militaries", "military-autonomous-weapons"]
