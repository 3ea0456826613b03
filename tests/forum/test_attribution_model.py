"""The attribution checker's model (src/detente/forum/_model.py) and its broad mentions.

The model is built from the labelled corpora by scripts/attribution_model.py; these tests check
that the committed file is that build, that the plain-Python scorer reads it as scikit-learn
does, that it is loaded only when a sentence needs it, and what the broad mentions of round 4
find.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from detente.forum import AttributionChecker
from detente.forum._model import MODEL_PATH, AttributionModel, char_wb_ngrams, load_model

from .attribution_eval import demo_checker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def checker() -> AttributionChecker:
    return demo_checker()


def test_the_committed_model_is_small_and_has_a_threshold() -> None:
    # 612 kB in round 6 (six corpora); 1.31 MB with round 7's embedding model (seven); 1.54 MB
    # with both models fitted on eight (round 8); 1.71 MB on nine (round 9): the vocabulary
    # grows with each corpus, the bound catches a model that grows by more than that
    assert MODEL_PATH.stat().st_size < 1_900_000
    model = load_model()
    assert model is not None and 0 < model.threshold < 0.5
    assert {p.analyzer for p in model.parts} == {"char_wb", "word"}


def test_the_committed_model_is_the_build_of_the_committed_corpora() -> None:
    # rebuilding from tests/forum/data/attribution/*.csv gives the same file (the build also
    # asserts that the plain-Python scorer agrees with scikit-learn to 1e-4)
    done = subprocess.run([sys.executable, "scripts/attribution_model.py", "--check"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


def test_char_ngrams_follow_scikit_learn() -> None:
    from sklearn.feature_extraction.text import CountVectorizer

    text = "§ argued that ai 风险 is § high."
    expected = CountVectorizer(analyzer="char_wb", ngram_range=(1, 4)).build_analyzer()(text)
    assert sorted(char_wb_ngrams(text, 1, 4)) == sorted(expected)


def test_importing_the_cli_does_not_load_the_model() -> None:
    code = ("import detente.cli, detente.forum._model as m; "
            "print(m.load_model.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=120).stdout
    assert out.strip() == "0"


def test_a_threshold_of_zero_is_the_rules_alone(checker: AttributionChecker) -> None:
    model = load_model()
    assert model is not None
    keep_all = AttributionModel(model.parts, model.intercept, 0.0)
    text = "Zhou Bo tested the microphones himself."  # held by the rules, released by the model
    template = checker.templates(text)[0][0]
    assert checker.templates(text)[0][1] is True
    assert model.releases(template) and not keep_all.releases(template)
    rules = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    assert rules.check(text) and not checker.check(text)


@pytest.mark.parametrize("text", [
    "Sun Chenhao argued that export controls backfire.",          # one letter dropped
    "Zhuo Bo warned that hotlines fail in a crisis.",              # two letters swapped
    "S.C. insisted that the hotline must be tested.",              # initials run together
    "The person who organised the forum wants a second round in Geneva.",
    "Whoever chaired the panel on chips said the rules must be public.",
    "The moderator of the verification session doubted that audits can work.",
    "The chair of session two warned against an arms race.",
    "本次论坛的发起人认为对话必须继续。",
    "核查议题单元的主持人主张先建立热线。",
    "蕭茜認為對話必須繼續。",
])
def test_broad_mentions_are_held(checker: AttributionChecker, text: str) -> None:
    assert checker.check(text), text


@pytest.mark.parametrize("text", [
    "A session chair said the talks were useful.",
    "一位单元主持人认为对话有益。",
    "各场研讨主持人均认为对话有益。",
    "The organiser of another conference said the talks were useful.",
    "Sun Chenghao's student Sun Cheng argued that export controls backfire.",
])
def test_roles_of_several_or_of_others_are_not_held(checker: AttributionChecker,
                                                      text: str) -> None:
    assert not checker.check(text), text


# Round 5 (docs/validation.md): mention finding by construction (initials without full stops,
# Wade-Giles romanisation, a homophone in a Chinese given name where the rest of the name is
# kept, "the chair" standing for the chair named the sentence before), and neutral
# constructions stated as grammar (speech denied, a person present while someone else speaks,
# programme lines, credits, contacts, action items). These sentences are none of the corpora's.
@pytest.mark.parametrize("text", [
    "DT insisted that audits of military AI can work.",
    "Hsiao Ch'ien argued that the dialogue must go on.",
    "Tung Ting warned that verification is impossible without access.",
    "Dr Chou cautioned against a race to the bottom.",
    "孙成皓认为出口管制适得其反。",
    "副研究员董亭指出，核查很难。",
    "The academic who helmed the verification session doubted that audits work.",
    "Session 2 (chair: Sun Chenghao). The moderator warned that chips will be smuggled.",
    "第二单元（主持人：孙成昊）。主持人认为芯片管制必须收紧。",
    # near misses of the new neutral constructions: a view of their own
    "Zhou Bo did not comment on the treaty but said that a ban would fail.",
    "周波未就此表态，但认为禁令不可行。",
    "Xiao Qian listened, then argued that the UN must lead.",
    "Contact Dong Ting, who argued that audits fail.",
    "09:00 Xiao Qian argued that the ban is wrong.",
])
def test_round_5_mentions_and_near_misses_are_held(checker: AttributionChecker,
                                                   text: str) -> None:
    rules = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    assert rules.check(text), text
    assert checker.check(text), text


@pytest.mark.parametrize("text", [
    "Dong Ting declined to comment on the chip rules.",
    "周波未就无人机问题发表看法。",
    "Xiao Qian made no comment on the Geneva process.",
    "The idea came not from Sun Chenghao but from a diplomat.",
    "Zhou Bo took notes while an NDU officer argued that swarms are near.",
    "11:00 Session 2 — Sun Chenghao (chair)",
    "Translated by Sun Chenghao.",
    "Please send your questions to Xiao Qian by Friday.",
    "请将发言提纲发给周波老师。",
    "Action: Dong Ting to book the room.",
    "研究生孙成浩负责录音，他说录音将在会后删除。",  # another person: the name goes on
    "董事会认为热线必须建立。",
])
def test_round_5_neutral_constructions_are_not_held_by_the_rules(
        checker: AttributionChecker, text: str) -> None:
    rules = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    assert not rules.check(text), text


# Round 6 (docs/validation.md): someone else than the participant (a namesake, a dynasty, a
# person seated next to or working for them, a role at another event), a participant's neutral
# act next to someone else's view (giving the floor, asking for reactions, introducing a
# speaker, listening), a speech with only its topic, being asked without answering,
# corrections, future plans, slides and logistics, praise by others, an email's salutation.
# These sentences are none of the corpora's.
@pytest.mark.parametrize("text", [
    "Dong Ting introduced the next speaker, after which a retired general warned that AI could "
    "erode deterrence.",
    "Xiao Qian passed the microphone to a researcher from Fudan, who said the draft was too "
    "cautious.",
    "Zhou Bo asked for comments; one participant replied that the text was too long.",
    "A colleague sitting beside Zhou Bo argued that the hotline idea was naive.",
    "A PhD student of Dong Ting's argued that open models are safer.",
    "Sun Chenghao is scheduled to attend a workshop in Geneva in March.",
    "Dong Ting sat in on the session on export controls.",
    "Xiao Qian was asked about chip controls but did not answer.",
    "The historian Zhou Bo (1920-1990) wrote that the Zhou dynasty was a golden age.",
    "S2 chair: Sun Chenghao",
    "孙成昊的发言因时间关系被打断。",
    "肖茜的发言谈及论坛的缘起。",
    "由周波作闭幕发言。",
    "一位学者向董汀提问。",
    "与会者称赞肖茜组织周到。",
    "周波就会议纪要征求了与会者的意见。",
    "董汀的幻灯片已发给与会者。",
    "更正：此前报道误将该提议归于周波。",
    "周波计划出席明年的论坛。",
    "坐在肖茜身边的一位专家表示，芯片管制难以奏效。",
    "肖茜指导的一名硕士生认为，开源模型更安全。",
    "一位从未主持过任何单元的学者认为，军控为时过早。",
    "Dear Dr Sun, thank you for chairing session 2; the draft summary is attached.",
])
def test_round_6_neutral_constructions_are_not_held_by_the_rules(
        checker: AttributionChecker, text: str) -> None:
    rules = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    assert not rules.check(text), text


@pytest.mark.parametrize("text", [
    "S3 chair: audits of military AI cannot work without access.",
    # near misses of the new constructions: a view of the participant's own
    "Dong Ting introduced the next speaker and warned that AI could erode deterrence.",
    "Xiao Qian passed the microphone to Zhou Bo, who said the draft was too cautious.",
    "Zhou Bo asked for comments and argued that the text was too long.",
    "Zhou Bo, sitting beside Dong Ting, argued that the hotline idea was naive.",
    "Sun Chenghao is expected to argue that export controls backfire.",
    "Xiao Qian was asked about chip controls and said they would fail.",
    "Speakers included Zhou Bo, whose remarks stressed the need for a hotline.",
    "Dear Dr Sun, thank you for arguing that the hotline must come first.",
    "孙成昊的发言指出，出口管制适得其反。",
    "肖茜的发言谈及论坛的缘起，认为对话必须继续。",
    "由周波作闭幕发言，他强调多边机制不可替代。",
    "董汀向孙成昊提问，认为军控核查难以实现。",
    "周波征求意见时表示，草案过于乐观。",
    "董汀的幻灯片指出，开源模型风险更高。",
    "周波计划在明年的论坛上提出建立热线的建议。",
    "肖茜预计人工智能军控谈判将在五年内启动。",
    "周老师：感谢您的邀请，我认为热线必须尽快建立。",
])
def test_round_6_near_misses_are_held(checker: AttributionChecker, text: str) -> None:
    rules = AttributionChecker(checker.participants, checker.sessions, use_model=False)
    assert rules.check(text), text
    assert checker.check(text), text
