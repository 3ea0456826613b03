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


#: SHA-256 of every term's lexicon rules (English patterns and Chinese keywords), first frozen
#: on 2026-12-01 (55e51c62...) after removing the 22 patterns that matched only held-out gold
#: provisions and before the tagger was run on the fresh test set
#: (tests/knowledge/data/gold-fresh). Changed on 2026-12-02, after that run, for a reason that
#: came from a review of the coverage pages and not from any test set: "national security"
#: naming an office or a document (the Assistant to the President for National Security
#: Affairs, the National Security Council, a National Security Memorandum) no longer tags
#: military AI, and "immigration" no longer tags capacity building (docs/validation.md, (a3)).
#: The fresh set has now been seen with these rules: it is no longer a clean test of them.
#: A third change (confidentiality is not transparency, docs/validation.md (a4)) is made in code
#: (``NOT_IN_CONTEXT`` in detente/knowledge/_tagger.py), not in the lexicon, so this digest
#: stays. A fourth change, again from the review and after the fresh run (docs/validation.md,
#: (a5)): "vulnerabilities" of a person, a group or children (AI Act Art. 5(1)(b)) no longer tags
#: cyber (digest eb959d86... before); "surveillance" of a quality management system by a
#: notified body is discounted in code (``NOT_IN_CONTEXT``).
FROZEN_RULES = "ad1df06edba46b19fe61aec7074b83ad38ebacf8c9a3cc2cd00521ad202293b3"


def test_the_lexicon_rules_are_frozen() -> None:
    import hashlib
    import json

    rules = {t.id: {"en": list(t.en), "zh": list(t.zh)} for t in load_taxonomy().terms}
    digest = hashlib.sha256(
        json.dumps(rules, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    assert digest == FROZEN_RULES


@pytest.mark.parametrize(
    ("text", "tagged"),
    [
        # AI Act Art. 78(3): a confidentiality clause, tagged transparency through "disclosure"
        # and "documentation" (what it keeps confidential).
        ("information exchanged on a confidential basis between the national competent "
         "authorities shall not be disclosed without prior consultation of the originating "
         "authority when such disclosure would jeopardise public security interests. The "
         "technical documentation referred to in Annex IV shall remain within the premises of "
         "those authorities, and only staff holding the appropriate level of security clearance "
         "shall be allowed to access that documentation.", False),
        ("Any information or documentation obtained pursuant to this Article shall be treated "
         "in accordance with the confidentiality obligations set out in Article 78.", False),
        ("对提供者提交的技术文件应当保密，不得披露。", False),
        # Disclosure duties still count, also beside a word on confidentiality.
        ("Providers shall draw up the technical documentation of a high-risk AI system.", True),
        ("Deployers shall disclose that the content has been artificially generated.", True),
        ("In order to increase transparency, providers shall make publicly available a summary, "
         "taking into account the need to protect confidential business information.", True),
        ("提供者应当披露训练数据的来源。", True),
    ],
)
def test_confidentiality_is_not_transparency(text: str, tagged: bool) -> None:
    terms = {s.term for s in rule_tags(text, load_taxonomy())}
    assert ("transparency-disclosure" in terms) is tagged


@pytest.mark.parametrize(
    ("text", "term", "tagged"),
    [
        # EO 14179 Sec. 4(a) was military AI only through an adviser's title.
        ("the Assistant to the President for National Security Affairs (APNSA) shall develop "
         "an action plan", "military-autonomous-weapons", False),
        ("the National Security Council staff shall coordinate", "military-autonomous-weapons",
         False),
        ("the proposed National Security Memorandum described in subsection 4.8",
         "military-autonomous-weapons", False),
        # National security as the subject still counts (docs: the gold guide, rule 5).
        ("AI used as a component of a national security system", "military-autonomous-weapons",
         True),
        ("public and national security interests;", "military-autonomous-weapons", True),
        # AI Act Art. 78(3) was capacity building through "immigration ... authorities".
        ("used by law enforcement, border control, immigration or asylum authorities",
         "capacity-building", False),
        ("programs to attract and retain AI talent, including through immigration",
         "capacity-building", True),
    ],
)
def test_national_security_offices_and_immigration_are_not_cues(
    text: str, term: str, tagged: bool
) -> None:
    assert (term in {s.term for s in rule_tags(text, load_taxonomy())}) is tagged


@pytest.mark.parametrize(
    ("term", "pattern"),
    [
        ("military-autonomous-weapons", "national defen[cs]e"),
        ("discrimination-rights", "(?<!automation )bias(es|ed)?"),
        ("privacy-data", "PETs"),
        ("economic-social", "intellectual property"),
        ("prohibitions-red-lines", "this prohibition"),
        ("export-controls-compute", "compute capacity"),
        ("open-model-governance", "open[- ]weights?"),
    ],
)
def test_patterns_motivated_only_by_the_held_out_half_are_gone(term: str, pattern: str) -> None:
    assert pattern not in load_taxonomy().get(term).en


@pytest.mark.parametrize(
    ("text", "term", "tagged"),
    [
        # AI Act Art. 5(1)(b): the vulnerabilities of people, not of software (review 13,
        # finding 4); it was cyber x prohibitions.
        ("the use of an AI system that exploits any of the vulnerabilities of a natural person "
         "or a specific group of persons due to their age, disability", "cyber", False),
        ("both of which require consideration of the children’s vulnerabilities", "cyber", False),
        # Vulnerabilities of systems still count.
        ("attacks exploiting the system’s vulnerabilities", "cyber", True),
        ("exploit vulnerabilities in the AI system’s digital assets", "cyber", True),
        ("AI-enabled vulnerability discovery", "cyber", True),
        # AI Act Annex VII(2) and (5): surveillance of a quality management system.
        ("The approved quality management system shall be examined in accordance with point 3 "
         "and shall be subject to surveillance as specified in point 5.",
         "surveillance-biometrics", False),
        ("Surveillance of the approved quality management system. The purpose of the "
         "surveillance carried out by the notified body is to make sure that the provider "
         "complies.", "surveillance-biometrics", False),
        ("post-market surveillance of high-risk AI systems", "surveillance-biometrics", False),
        # Surveillance of people, and biometrics beside a notified body, still count.
        ("practices that evoke a feeling of mass surveillance", "surveillance-biometrics", True),
        ("the notified body shall assess remote biometric identification systems",
         "surveillance-biometrics", True),
    ],
)
def test_vulnerable_people_and_quality_system_surveillance_are_not_cues(
    text: str, term: str, tagged: bool
) -> None:
    assert (term in {s.term for s in rule_tags(text, load_taxonomy())}) is tagged
