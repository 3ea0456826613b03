"""The attribution checker: normalisation, name variants, identifying roles, neutral mentions."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from detente.forum import (
    AttributionChecker,
    Participant,
    SessionTopic,
    event_checker,
    event_participants,
    get_event,
    import_forum_file,
    load_demo_forum,
)
from detente.forum._demo import DEMO_EVENT_SLUG
from detente.forum._mentions import normalise, sentences
from detente.store import session_scope

CISS_ZH = "清华大学战略与安全研究中心"
XIAO = Participant("xiao-qian", "Xiao Qian", "肖茜", ("Deputy Director, CISS",),
                   (CISS_ZH + "副主任",), ("CISS",), (CISS_ZH,),
                   ("organizer", "chair:1", "closing"))
SUN = Participant("sun-chenghao", "Sun Chenghao", "孙成昊", ("Associate Research Fellow, CISS",),
                  (CISS_ZH + "副研究员",), ("CISS",), (CISS_ZH,), ("chair:2",))
DONG = Participant("dong-ting", "Dong Ting", "董汀", ("Associate Research Fellow, CISS",),
                   (CISS_ZH + "副研究员",), ("CISS",), (CISS_ZH,), ("chair:3",))
CHECKER = AttributionChecker([XIAO, SUN, DONG])

# Each evasion that passed the old check (issue 10, item 2), and more of the same kind.
EVASIONS = [
    "XIAO QIAN argued that red lines matter.",
    "Xiao\u00a0Qian argued that red lines matter.",
    "Xiao\u200bQian argued that red lines matter.",
    "Xi\u200bao Qian argued that red lines matter.",
    "\uff38\uff49\uff41\uff4f \uff31\uff49\uff41\uff4e argued that red lines matter.",
    "Ms Xiao said that trust is scarce.",
    "Qian Xiao argued that trust is scarce.",
    "Xiao Qian urged states to agree on red lines.",
    "Xiao Qian cautioned against an arms race.",
    "Xiao Qian's position is that the UN must lead.",
    "The Deputy Director of CISS said that trust is scarce.",
    "肖 茜 认为，红线很重要。",
    "肖茜希望各国加强合作。",
    "肖\u200b茜认为，风险正在上升。",
    "肖\u3000茜认为，合作是唯一出路。",
    "Xiāo Qiàn argued that norms matter.",
    "X\u0456ao Q\u0456an argued that norms matter.",
    "Xiao\u2009Qian stressed that verification is hard.",
    "Dr. Xiao noted the risks.",
    "Professor Xiao Qian lambasted the plan.",
    "Q. Xiao warned of escalation.",
    "肖教授指出，规则正在碎片化。",
    "中心副主任表示，信任很重要。",
    "The chair of the first session warned of escalation.",
    "第一单元主持人强调，需要对话。",
    "The closing speaker observed that AI is embedded in competition.",
    "“We need red lines,” Xiao Qian said.",
    "According to Xiao Qian, the UN matters.",
    "In Xiao Qian's view, the UN matters.",
    "Xiao Qian, who chaired the first session, proposed a hotline.",
    "Xiao Qian chaired the session and argued that red lines matter.",
    "孙成昊主持会议并指出，竞争加剧。",
    # speech with its content stays attributed
    "Xiao Qian gave the closing remarks, calling for more dialogue.",
    "Xiao Qian spoke about the need for the UN to lead.",
    "肖茜致闭幕辞，呼吁加强对话。",
    "肖茜在闭幕致辞中呼吁加强对话。",
    # roles described, family names of a pair, traditional characters, a caption label
    "The person who closed the forum hoped for more voices from the Global South.",
    "孙、董两位副研究员一致认为，监管不能一刀切。",
    "肖茜認為，紅線很重要。",
    "上图：肖茜呼吁各国加强合作。",
    # a reminder with a view in it is no procedure
    "Xiao Qian reminded participants that the UN must lead.",
    "Xiao Qian thanked the participants and argued that the UN must lead.",
    # a namesake frame followed by the participant's view (code review, finding 1)
    "Xiao Qian, who has nothing to do with this forum, said the UN must lead.",
    "Xiao Qian, who of course has nothing to do with the meeting, urged a ban on autonomous "
    "weapons.",
    "肖茜虽与本论坛无关，但认为联合国必须发挥主导作用。",
    "The deputy director of CISS, who has nothing to do with this forum, argued for a ban.",
    "Xiao Qian has nothing to do with this forum and believes the UN must lead.",
    "肖茜与这次会议没有任何关系，却表示应当禁止自主武器。",
    "肖茜认为联合国必须发挥主导作用，与本次会议无关。",
    # an unnamed subject before a role that names the participant's institution is not the
    # person the role stands for (code review, finding 2)
    "一位记者采访了清华大学战略与安全研究中心副主任，这位清华大学战略与安全研究中心副主任"
    "认为应当禁止自主武器。",
    "一位记者采访了副主任，这位副主任认为应当禁止自主武器。",
    "A journalist interviewed the deputy director of CISS; this deputy director of CISS argued "
    "for a ban.",
]

# The namesake frame and the unnamed person just introduced stay neutral where nothing after
# them reports the participant's view.
NAMESAKES_AND_INTRODUCED = [
    "Xiao Qian has nothing to do with this forum.",
    "此肖茜与本论坛无关。",
    "主持人把话筒交给一位国防大学的研究员，这位研究员认为应当禁止自主武器。",
    "一位欧洲智库的副主任发言，这位副主任认为应当禁止自主武器。",
]

NEUTRAL = [
    "The session was chaired by Xiao Qian.",
    "Xiao Qian chaired the first session.",
    "Xiao Qian (Deputy Director, CISS) chaired the opening session.",
    "Participants included Xiao Qian, Sun Chenghao and Dong Ting.",
    "Xiao Qian welcomed the participants.",
    "Xiao Qian (left) and Dong Ting at the forum.",
    "Photo: Sun Chenghao chairs the second session.",
    "Xiao Qian is Deputy Director of CISS.",
    "Experts said red lines matter.",
    "An associate research fellow argued that deterrence is fragile.",
    "第一单元由肖茜主持。",
    "肖茜（清华大学战略与安全研究中心副主任）主持开幕式。",
    "肖茜、孙成昊等专家出席论坛。",
    "图为肖茜（左）与董汀。",
    "一位副研究员认为，威慑是脆弱的。",
    "The sun rose over Tsinghua.",
    # naming who gave a speech, without its content, is not attribution
    "Xiao Qian delivered the closing remarks.",
    "肖茜致闭幕辞。",
    "Sun Chenghao spoke on arms control.",
    "Xiao Qian's closing remarks began at 5:30 p.m.",
    # procedural acts, thanks in other words, a neutral act beside an anonymous view
    "Dong Ting announced a fifteen-minute coffee break.",
    "Xiao Qian reminded everyone that the forum was held under the Chatham House rule.",
    "肖茜对各位专家的参与表示感谢。",
    "Xiao Qian invited comments, and one expert replied that the UN should convene.",
    # other people whose names contain a participant's
    "Dongting Lake was cited as a case for flood forecasting.",
    "Li Chenghao, a PhD student, said he would write up the minutes.",
    "记者董汀汀在报道中写道，论坛气氛坦诚。",
]


@pytest.mark.parametrize("text", EVASIONS)
def test_every_evasion_is_flagged(text: str) -> None:
    findings = CHECKER.check(text)
    assert findings, text
    assert findings[0].people


@pytest.mark.parametrize("text", NAMESAKES_AND_INTRODUCED)
def test_a_namesake_or_an_introduced_person_alone_is_allowed(text: str) -> None:
    assert not CHECKER.check(text), text


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_mentions_are_allowed(text: str) -> None:
    assert CHECKER.check(text) == []


def test_a_finding_quotes_the_sentence_and_names_the_person_in_both_scripts() -> None:
    findings = CHECKER.check("The forum met in Beijing. Ms Xiao said trust is scarce. Fine.")
    assert [f.sentence for f in findings] == ["Ms Xiao said trust is scarce."]
    assert findings[0].names == "Xiao Qian (肖茜)"
    assert "Xiao Qian (肖茜)" in str(findings[0])


def test_a_role_identifies_only_when_one_participant_holds_it() -> None:
    # Sun Chenghao and Dong Ting are both associate research fellows.
    assert CHECKER.check("The associate research fellow at CISS argued for a ban.") == []
    assert CHECKER.check("CISS's deputy director argued for a ban.")
    assert CHECKER.check("A deputy director argued for a ban.") == []
    assert CHECKER.check("Deputy directors of several centres argued for a ban.") == []


def test_a_pronoun_carries_the_person_named_in_the_sentence_before() -> None:
    assert CHECKER.check("Xiao Qian chaired the session. She argued that the UN must lead.")
    assert CHECKER.check("Xiao Qian chaired the session. She welcomed the participants.") == []
    assert CHECKER.check("She argued that the UN must lead.") == []


def test_people_who_did_not_take_part_may_be_quoted() -> None:
    assert CHECKER.check("Henry Kissinger argued that AI would transform diplomacy.") == []
    assert AttributionChecker([]).check("Xiao Qian argued for a ban.") == []


def test_normalise_removes_evasions_but_keeps_case() -> None:
    assert normalise("Xi\u200bao\u00a0Qian") == "Xiao Qian"
    assert normalise("\uff38\uff49\uff41\uff4f") == "Xiao"
    assert normalise("肖 茜 认为") == "肖茜认为"
    assert normalise("Xiāo") == "Xiao"


def test_sentences_keep_abbreviations_and_initials_together() -> None:
    assert sentences("Ms. Xiao spoke. U.S.–China ties came up. Q. Xiao left.") == [
        "Ms. Xiao spoke.", "U.S.–China ties came up.", "Q. Xiao left."]
    assert sentences("第一句。第二句！") == ["第一句。", "第二句！"]
    assert sentences("Xiao\nQian argued.\n\nNext paragraph.") == [
        "Xiao Qian argued.", "Next paragraph."]


def test_the_event_builder_knows_every_role(sqlite_engine: Engine) -> None:
    load_demo_forum(sqlite_engine)
    with session_scope(sqlite_engine) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        people = {p.key: p for p in event_participants(event)}
        checker = event_checker(event)
    assert set(people) == {"xiao-qian", "sun-chenghao", "dong-ting", "zhou-bo"}
    assert set(people["xiao-qian"].roles) == {"organizer", "chair:1", "closing"}
    assert people["zhou-bo"].titles_local == ("清华大学战略与安全研究中心研究员、中国论坛特约专家",)
    assert checker.applies
    assert checker.check("The chair of the fourth session warned of escalation.")[0].names == \
        "Zhou Bo (周波)"


def test_events_that_allow_attribution_are_not_checked(sqlite_engine: Engine, write_forum,
                                                       forum_text: str) -> None:
    text = forum_text.replace("attribution: chatham_house", "attribution: attributed")
    import_forum_file(sqlite_engine, write_forum(text))
    with session_scope(sqlite_engine) as db:
        checker = event_checker(get_event(db, "test-forum"))
    assert not checker.applies
    assert checker.check("Speaker Two argued that red lines are needed.") == []


def test_speakers_and_closing_speakers_are_protected(sqlite_engine: Engine, write_forum,
                                                     forum_text: str) -> None:
    import_forum_file(sqlite_engine, write_forum(forum_text))
    with session_scope(sqlite_engine) as db:
        checker = event_checker(get_event(db, "test-forum"))
    assert checker.check("Speaker Two argued that red lines are needed.")
    assert checker.check("The closing speaker argued that red lines are needed.")
    assert checker.check("The first session was chaired by Chair One.") == []


SESSIONS = [SessionTopic(1, ("Global security governance",), ("全球安全治理",)),
            SessionTopic(2, ("The militarization of AI",), ("人工智能军事化",)),
            SessionTopic(3, ("AI diffusion and non-state actors",), ("非国家行为体",))]
SESSION_CHECKER = AttributionChecker([XIAO, SUN, DONG], SESSIONS)


@pytest.mark.parametrize("text", [
    "The chair of the session on non-state actors warned that AI lowers the cost of attacks.",
    "The session chair on the militarization of AI noted that budgets are rising.",
    "The chair of the final session proposed three steps.",
    "The non-state actors panel moderator urged caution.",
    "非国家行为体专题的主持人提醒，网络攻击成本在下降。",
    "最后一场研讨的主持人提出了三项步骤。",
    "第一场研讨的主持人指出，安全领域正在重塑。",
])
def test_a_chair_named_through_the_sessions_order_or_topic_is_identified(text: str) -> None:
    assert SESSION_CHECKER.check(text), text


@pytest.mark.parametrize("text", [
    "A participant in the session on non-state actors warned that attacks get cheaper.",
    "The chair of the session on the weather said it would rain.",
    "The deputy director of a European think tank has warned that crises get faster.",
    "某欧洲智库副主任曾公开警告危机决策时间被压缩。",
])
def test_a_session_or_role_that_names_no_participant_identifies_nobody(text: str) -> None:
    assert SESSION_CHECKER.check(text) == [], text


# --- round 8: who holds the view (docs/validation.md, "Round 8") -----------------------------
# Built cases for each rule of round 8, written for these tests (not taken from the corpora).
# The rules alone decide them (the model is left out), so they test the rules, not a fit.

R8_NEUTRAL = [
    # procedure spoken: time, the next speaker, where and when
    "Zhou Bo: we resume in five minutes, please.",
    "Dong Ting says we start in ten minutes, phones on silent.",
    "孙成昊（主持）：时间关系，请每位控制在五分钟内。",
    "董汀说会后再单独交流。",
    # a question asked of someone else
    "Sun Chenghao asked the participant from CICIR to define what he meant by autonomy.",
    "Xiao Qian asked whether anyone from the floor wished to respond.",
    "Sun Chenghao took the next question.",
    "周波请清华的一位学者解释一下“算力治理”具体指什么。",
    "董汀问现场是否还有人要补充。",
    # timekeeping, running over, a speech cut short, the rules read out
    "Zhou Bo timed each speaker and held up a card at six minutes.",
    "The chair of the second session ran three minutes over.",
    "Dong Ting's closing remarks were cut short by a power cut.",
    "Zhou Bo read out the Chatham House rule before the first speaker.",
    "肖茜让工作人员在第七分钟举牌提醒发言人。",
    "董汀的开场白说到一半，话筒没声了。",
    "孙成昊又念了一遍会议规则，提醒大家记录一律不具名。",
    # corrections of a name or a title, a saying that is not the person's
    "Correction: Dong Ting's name was misspelt in our first bulletin.",
    "更正：董汀的职务应为“副研究员”。",
    "网传的这句话并非出自孙成昊。",
    # a view about a participant held by someone else
    "A Fudan professor called Sun Chenghao's chairing of the panel superb.",
    "一位老专家夸董汀“控场有方”。",
    "在几位年轻学者眼里，肖茜是最细心的组织者。",
    # a session as a place, a reference, a time-stamped topic, thanks for comments, a review
    "周老师那场在三楼报告厅。",
    "Sun Chenghao, “Drones and Deterrence”, CISS policy brief, 2024.",
    "肖茜：《人工智能与战略稳定》，工作论文，2024年。",
    "[12:30] Dong Ting on export controls and open-source models",
    "【12:30】孙成昊聊出口管制",
    "The author thanks Xiao Qian for comments on an earlier draft.",
    "Prep call with Zhou Bo, Thu 15 Jan, 12:00, room 302",
    "资料汇编经周波审阅。",
]

R8_ATTRIBUTED = [
    # a chair by a session in an unusual form, or a bare chair beside one session
    ("Chair (S2) observed that export controls leak.", "sun-chenghao"),
    ("The session-four chair's warning about autonomy drew applause.", "zhou-bo"),
    ("Notes, S1: the chair's own view was that red lines come first.", "xiao-qian"),
    ("第四单元：主持人最后强调，规则要先于技术。", "zhou-bo"),
    # the latter and the former after two names
    ("Both Xiao Qian and Sun Chenghao spoke in the morning; the latter argued that export "
     "controls leak.", "sun-chenghao"),
    ("肖茜和董汀都发了言，后者认为开源模型难以管控。", "dong-ting"),
    ("Both Xiao Qian and Sun Chenghao spoke in the morning; the former argued that trust is "
     "scarce.", "xiao-qian"),
    # the second person in a message addressed to a participant
    ("Dear Zhou Bo, thanks for yesterday. Your argument that the UN needs money stayed with me.",
     "zhou-bo"),
    ("董老师：您好，感谢昨天的分享。您提出的底线规则很有启发。", "dong-ting"),
    # near-misses of the neutral rules: the participant's own view stays held
    ("Zhou Bo: the UN must set the rules before the break.", "zhou-bo"),
    ("Xiao Qian asked the participant from Fudan to explain, and argued that trust is scarce.",
     "xiao-qian"),
    ("一位学者说，周波认为联合国不可或缺。", "zhou-bo"),
    ("A professor called Xiao Qian's proposal naive.", "xiao-qian"),
    ("孙成昊说，出口管制必须多边协调。", "sun-chenghao"),
]


@pytest.fixture(scope="module")
def demo_rules() -> AttributionChecker:
    from detente.forum._corpus import demo_checker
    base = demo_checker()
    return AttributionChecker(base.participants, base.sessions, use_model=False)


@pytest.mark.parametrize("text", R8_NEUTRAL)
def test_round_8_neutral_roles_are_allowed_by_the_rules(demo_rules: AttributionChecker,
                                                        text: str) -> None:
    assert demo_rules.check(text) == []


@pytest.mark.parametrize(("text", "key"), R8_ATTRIBUTED)
def test_round_8_holders_of_a_view_are_found_by_the_rules(demo_rules: AttributionChecker,
                                                          text: str, key: str) -> None:
    found = demo_rules.check(text)
    assert found and key in {p.key for f in found for p in f.people}, found


@pytest.mark.parametrize("text", [
    "Zhou Bo sat in the front row, while a CICIR researcher argued that export controls fail.",
    "董汀坐在前排，身后一位复旦学者主张先立规矩。",
])
def test_an_unnamed_holders_view_is_taken_out_of_what_the_model_reads(
        demo_rules: AttributionChecker, text: str) -> None:
    from detente.forum._model import NO_CUE
    [(model_text, _held)] = demo_rules.templates(text)
    assert model_text.endswith(NO_CUE), model_text


# --- round 9: holder or speaker, not a participant in another role (docs/validation.md,
# "Round 9") ----------------------------------------------------------------------------------
# Built cases for each rule of round 9, written for these tests (not taken from the corpora).

R9_NEUTRAL = [
    # logistics: someone's table, office or team as a place or a service; a message header
    "Lanyards left over can be collected at Dong Ting's desk by the entrance.",
    "茶歇由董汀老师的团队统筹。",
    "报到处是孙成昊带着几位学生在管。",
    "From: Dong Ting  Subject: lunch moves to the second-floor canteen",
    # registering, a speech moved or scheduled, a speech with only its topic
    "Zhou Bo signed in at 8:55.",
    "董汀于八点半签到。",
    "The opening address, at 9.15 a.m., was delivered by Sun Chenghao.",
    "我觉得把周波的主旨演讲放在午饭后不太合适。",
    "Dong Ting's remarks focused on chip supply chains and risk management.",
    "董汀在发言中提到了数据跨境流动。",
    # social and biographical lines
    "今天和孙成昊老师在会场门口合了张影。",
    "A selfie with Xiao Qian at the reception made my week.",
    "Dong Ting, who earned her PhD in Geneva, now works at CISS.",
    "周波校友现任某智库高级研究员。",
    "孙成昊主编的会议论文集预计年底出版。",
    "The special issue edited by Dong Ting comes out in March.",
    "肖茜说话不紧不慢，很有亲和力。",
    "Sun Chenghao speaks softly, with a Sichuan accent.",
    "会后很多人给董汀点赞。",
    "A colleague praised Zhou Bo's chairing of the afternoon panel.",
    # fact-checks and rumours about attendance or a job
    "A tweet claimed Dong Ting skipped the forum.",
    "网传“周波已从国防大学退休”不实。",
    "The official agenda lists Dong Ting as chair of Session 3.",
    # chairing in other words
    "董汀逐一介绍了三位评议人。",
    "Xiao Qian introduced the two discussants.",
    "周波把话筒递给了后排的一位听众。",
    "Sun Chenghao handed the microphone to a diplomat in the second row.",
    "孙成昊请复旦的一位老师回应。",
    "Dong Ting asked a scholar from SIIS to respond.",
    "肖茜致开幕辞，并提醒大家将手机调至静音。",
    "Xiao Qian welcomed the room and asked everyone to switch their phones to silent.",
    # the unnamed person just handed the floor holds the view, not the chair
    "周波请一位军方研究员发言，这位研究员认为无人机将改变战争形态。",
    "孙成昊请北大的一位学者回应，对方认为算力鸿沟正在拉大。",
    # asked for a view and not giving one, translating someone else's question
    "Asked by a journalist for her view, Dong Ting declined to comment.",
    "Asked whether he agreed, Sun Chenghao smiled.",
    "记者问及周波的看法，周波婉拒置评。",
    "董汀笑了笑，没有回答。",
    "Xiao Qian translated a question from a French-speaking delegate.",
    "孙成昊帮一位外宾把问题翻译成中文。",
    # a namesake unrelated to the forum
    "Nie Xiaoqian of the old ghost story is not a participant, despite the search results.",
    "Zhou Bo the novelist has nothing to do with this forum.",
]

R9_ATTRIBUTED = [
    # near-misses of the neutral rules of round 9: the participant's own view stays held
    ("Dong Ting's remarks focused on why export controls fail.", "dong-ting"),
    ("董汀在发言中谈到了出口管制，认为其效果有限。", "dong-ting"),
    ("Sun Chenghao, who earned his PhD in Geneva, argued that the UN must lead.",
     "sun-chenghao"),
    ("Xiao Qian introduced the two discussants and argued that trust is scarce.", "xiao-qian"),
    ("孙成昊请复旦的一位老师回应，并强调规则要先行。", "sun-chenghao"),
    ("THE CHAIR (MR ZHOU): arms control has to begin with dialogue.", "zhou-bo"),
]

R9_OWNED = [
    # a view owned through a possessive or a source at the end, and the answer to a question
    # that asks who holds a view: held whatever the model weighs
    ("The phrase 'guard rails before speed limits' is Dong Ting's.", "dong-ting"),
    ("这个“先修护栏再限速”的比喻出自孙成昊。", "sun-chenghao"),
    ("问：是谁主张先建立危机沟通渠道？答：是第一单元的主持人肖茜。", "xiao-qian"),
    ("Q: Who argued that export controls leak? A: Dong Ting, the chair of Session 3.",
     "dong-ting"),
    # a quotation signed with a dash
    ("'Rules that cannot be checked are wishes.' — Sun Chenghao", "sun-chenghao"),
    ("“先有沟通，才有信任。”——董汀", "dong-ting"),
]


@pytest.mark.parametrize("text", R9_NEUTRAL)
def test_round_9_neutral_roles_are_allowed_by_the_rules(demo_rules: AttributionChecker,
                                                        text: str) -> None:
    assert demo_rules.check(text) == []


@pytest.mark.parametrize(("text", "key"), R9_ATTRIBUTED + R9_OWNED)
def test_round_9_holders_of_a_view_are_found_by_the_rules(demo_rules: AttributionChecker,
                                                          text: str, key: str) -> None:
    found = demo_rules.check(text)
    assert found and key in {p.key for f in found for p in f.people}, found


@pytest.mark.parametrize(("text", "key"), R9_OWNED)
def test_round_9_an_owned_view_is_held_whatever_the_model_weighs(text: str, key: str) -> None:
    from detente.forum._corpus import demo_checker
    found = demo_checker().check(text)
    assert found and key in {p.key for f in found for p in f.people}, found
