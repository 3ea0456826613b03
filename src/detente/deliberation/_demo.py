# ruff: noqa: E501  (the demo statements are data: one statement per line reads best)
"""The demo deliberation: military AI and red lines, on session 2 of the demo forum.

The statements are written for detente (English with a Chinese translation). The votes are
SIMULATED: 60 made-up participants drawn from three latent camps with a fixed random seed,
so that the results page has groups to show. The deliberation says so in its description and
on every page (``is_simulated``). Loading twice changes nothing.
"""

from __future__ import annotations

import random

from sqlalchemy import Engine, select

from detente.deliberation._results import compute_result, store_result
from detente.deliberation._service import create_deliberation, hash_token, seed_statements
from detente.deliberation._votes import VoteRow, record_votes
from detente.forum import DEMO_EVENT_SLUG, get_event, load_demo_forum
from detente.i18n import gettext as _
from detente.i18n import ngettext
from detente.store import session_scope
from detente.store.base import utcnow
from detente.store.models.deliberation import Deliberation, DeliberationParticipant
from detente.store.models.forum import Session

__all__ = ["DEMO_QUESTION", "DEMO_STATEMENTS", "load_demo_deliberation"]

DEMO_SESSION = 2
DEMO_QUESTION = "Where should the red lines for military uses of AI be drawn?"
DEMO_QUESTION_ZH = "人工智能军事应用的红线应划在哪里？"
DEMO_DESCRIPTION = (
    "Demonstration only: the votes shown are SIMULATED (60 made-up participants in three "
    "latent camps, fixed random seed), not the views of anyone at the forum."
)
DEMO_DESCRIPTION_ZH = "仅作演示：所示投票为模拟数据（60 名虚构参与者，分属三个潜在阵营，固定随机种子），并非论坛任何与会者的观点。"
SIMULATED_PARTICIPANTS = 60
SEED = 20260114

#: (English, Chinese, leaning of camps (restraint, deterrence, technical-risk) from -1 to 1).
DEMO_STATEMENTS: list[tuple[str, str, tuple[float, float, float]]] = [
    ("Decisions to launch nuclear weapons must always remain with humans, never with an AI system.",
     "发射核武器的决定必须始终由人作出，绝不能交给人工智能系统。", (1.0, 0.9, 1.0)),
    ("States should agree on a legally binding ban on lethal autonomous weapons that select targets without human control.",
     "各国应就禁止在无人控制下自主选择目标的致命性自主武器达成具有法律约束力的协议。", (0.9, -0.8, 0.3)),
    ("A ban on autonomous weapons is unrealistic; norms of responsible use are the better path.",
     "禁止自主武器不现实，制定负责任使用的规范是更好的途径。", (-0.7, 0.9, 0.1)),
    ("AI that speeds up military decisions raises the risk of accidental escalation between major powers.",
     "加快军事决策的人工智能会增加大国之间意外升级的风险。", (0.9, 0.0, 0.8)),
    ("Falling behind in military AI is a greater danger to security than the risks of the technology itself.",
     "在军事人工智能上落后，比这项技术本身的风险对安全的威胁更大。", (-0.9, 0.9, -0.3)),
    ("Frontier AI models should be tested for their ability to help design biological weapons before release.",
     "前沿人工智能模型在发布前应接受测试，评估其协助设计生物武器的能力。", (0.8, 0.4, 1.0)),
    ("AI-enabled cyber operations against nuclear command and control systems should be off limits for every state.",
     "针对核指挥与控制系统的人工智能网络行动，应对所有国家都列为禁区。", (0.9, 0.5, 0.9)),
    ("Open publication of powerful AI models makes chemical and biological misuse by non-state actors more likely.",
     "公开发布强大的人工智能模型，会使非国家行为体滥用于化学和生物领域的可能性增加。", (0.4, 0.5, 0.9)),
    ("Existing international humanitarian law is sufficient to govern autonomous weapons; no new treaty is needed.",
     "现有国际人道法足以规范自主武器，无需新的条约。", (-0.8, 0.8, -0.2)),
    ("Major powers should hold a regular military-to-military dialogue on AI incidents and near misses.",
     "大国应就人工智能事故和险情定期开展军队间对话。", (0.9, 0.6, 0.8)),
    ("Verification of limits on military AI is technically impossible, so agreements would not be credible.",
     "对军事人工智能限制的核查在技术上不可行，因此相关协议缺乏可信度。", (-0.7, 0.7, 0.0)),
    ("States should publish how they test and evaluate AI systems before deploying them in weapons.",
     "各国应公开其在武器中部署人工智能系统之前的测试与评估方式。", (0.9, -0.4, 0.7)),
    ("Export controls on advanced chips are a legitimate tool to slow the military use of AI.",
     "对先进芯片实施出口管制，是减缓人工智能军事应用的正当手段。", (0.1, 0.6, 0.2)),
    ("Export controls on chips mainly deepen mistrust and make cooperation on AI safety harder.",
     "芯片出口管制主要加深了不信任，使人工智能安全合作更加困难。", (0.7, -0.6, 0.2)),
    ("Developing countries must have a real voice in global rules on military AI, not only the major powers.",
     "在军事人工智能的全球规则中，发展中国家必须拥有真正的发言权，而不只是大国。", (0.9, 0.0, 0.5)),
    ("AI-driven disinformation during a crisis could do more harm than any autonomous weapon.",
     "危机期间由人工智能驱动的虚假信息，可能比任何自主武器造成的危害都大。", (0.4, 0.1, 0.6)),
    ("Militaries should be required to keep a human able to abort any AI-guided attack in progress.",
     "应要求军队始终保留由人中止任何进行中的人工智能制导攻击的能力。", (1.0, 0.2, 0.9)),
    ("The United Nations is too slow to set rules for military AI; smaller groups of states should lead.",
     "联合国在制定军事人工智能规则方面过于迟缓，应由较小的国家集团引领。", (-0.5, 0.6, 0.3)),
    ("Agreement on red lines is possible even between rivals, as it was for nuclear arms control.",
     "即使在竞争对手之间也有可能就红线达成一致，正如核军控曾经做到的那样。", (0.9, 0.1, 0.7)),
    ("AI systems used to detect missile launches must never be trusted without independent confirmation.",
     "用于探测导弹发射的人工智能系统，未经独立确认绝不能被信任。", (0.8, 0.3, 0.9)),
    ("Autonomy in defensive systems such as missile defence is acceptable and should not be restricted.",
     "导弹防御等防御性系统中的自主性是可以接受的，不应受到限制。", (-0.5, 0.9, 0.0)),
    ("Companies building frontier AI should share safety findings with governments of all major powers.",
     "开发前沿人工智能的企业应与所有大国政府分享安全研究成果。", (0.7, -0.5, 0.8)),
    ("An international body like the IAEA is needed to monitor the most capable AI systems.",
     "需要一个类似国际原子能机构的国际组织来监督能力最强的人工智能系统。", (0.8, -0.7, 0.6)),
    ("Cross-domain risks, where AI links cyber, biological and nuclear threats, are not yet taken seriously enough.",
     "人工智能将网络、生物和核威胁联系起来的跨领域风险，目前尚未得到足够重视。", (0.6, 0.0, 1.0)),
    ("Track-two dialogues between experts from rival states are among the most useful tools we have on AI security.",
     "来自竞争国家的专家之间的二轨对话，是我们在人工智能安全方面最有用的工具之一。", (0.8, 0.2, 0.7)),
]

#: Share of participants in each camp (restraint, deterrence, technical-risk).
CAMP_WEIGHTS = (0.4, 0.35, 0.25)


def _simulated_votes(statement_ids: list[int], participant_ids: list[int], deliberation_id: int
                     ) -> list[VoteRow]:
    rng = random.Random(SEED)
    now = utcnow()
    rows = []
    for participant_id in participant_ids:
        camp = rng.choices(range(3), weights=CAMP_WEIGHTS)[0]
        for statement_id, (_en, _zh, leanings) in zip(statement_ids, DEMO_STATEMENTS, strict=True):
            if rng.random() < 0.15:  # not seen
                continue
            lean = leanings[camp] + rng.gauss(0, 0.25)
            draw = rng.random()
            if draw < 0.1:
                value = 0
            else:
                value = 1 if rng.random() < (1 + max(-1.0, min(1.0, lean))) / 2 else -1
            rows.append(VoteRow(deliberation_id, participant_id, statement_id, value, now))
    return rows


def load_demo_deliberation(engine: Engine) -> str:
    """Add the simulated demo deliberation to session 2 of the demo forum (idempotent)."""
    load_demo_forum(engine)
    with session_scope(engine) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        session = db.scalars(select(Session).where(Session.event_id == event.id,
                                                   Session.position == DEMO_SESSION)).one()
        existing = db.scalar(select(Deliberation).where(
            Deliberation.session_id == session.id, Deliberation.is_simulated.is_(True)))
        if existing is not None:
            return _("deliberation %(id)d already present") % {"id": existing.id}
        deliberation = create_deliberation(
            db, event.id, DEMO_SESSION, DEMO_QUESTION, question_local=DEMO_QUESTION_ZH,
            description=DEMO_DESCRIPTION, description_local=DEMO_DESCRIPTION_ZH,
            status="open", is_simulated=True)
        statements = seed_statements(db, deliberation, [(en, zh) for en, zh, _ in DEMO_STATEMENTS],
                                     source="demo")
        participants = []
        for number in range(1, SIMULATED_PARTICIPANTS + 1):
            participant = DeliberationParticipant(
                deliberation_id=deliberation.id, public_id=f"sim{number:02d}",
                token_hash=hash_token(f"simulated-{deliberation.id}-{number}-{SEED}-unusable"))
            db.add(participant)
            participants.append(participant)
        db.flush()
        record_votes(db.connection(), _simulated_votes(
            [s.id for s in statements], [p.id for p in participants], deliberation.id))
        data = compute_result(db, deliberation.id)
        if data is not None:
            store_result(db, deliberation.id, data)
        return _("deliberation %(id)d: %(statements)s, %(participants)s") % {
            "id": deliberation.id,
            "statements": ngettext("%(num)d statement", "%(num)d statements", len(statements))
            % {"num": len(statements)},
            "participants": ngettext("%(n)d simulated participant",
                                     "%(n)d simulated participants", len(participants))
            % {"n": len(participants)}}
