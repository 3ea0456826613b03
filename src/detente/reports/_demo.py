"""The demo publications: two illustrative proposals and the news item of the demo forum.

The proposals are written for detente in our own words and are clearly marked as
illustrative (``illustrative=True``, status draft): they are not proposals of the forum.
Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from detente.forum import DEMO_EVENT_SLUG, get_event, load_demo_forum
from detente.i18n import gettext as _
from detente.i18n import pick, punct
from detente.store import session_scope
from detente.store.models.publications import NewsItem, Proposal

from ._news import create_news, publish_news
from ._proposals import add_evidence, create_proposal

__all__ = ["DEMO_NEWS_DATE", "DEMO_PROPOSALS", "load_demo_publications"]

#: The news item of the demo forum is dated as the host's own item was.
DEMO_NEWS_DATE = dt.date(2026, 1, 26)

#: (title, title_local, text, text_local, session, themes, evidence [(kind, reference, note)]).
DEMO_PROPOSALS = [
    (
        "A standing military-to-military channel on AI incidents",
        "建立关于人工智能事故的常设军队间沟通渠道",
        "Illustrative example. Major powers could agree a standing channel through which their "
        "militaries notify each other of incidents and near misses involving AI-enabled "
        "systems, on the model of agreements that reduced accidents at sea. The channel would "
        "carry facts, not blame, and would meet at working level at least twice a year.",
        "示例。大国可商定建立常设渠道，由各自军队相互通报涉及人工智能系统的事故与险情，借鉴减少"
        "海上意外事件协定的做法。该渠道只交换事实、不追究责任，并至少每年举行两次工作层会议。",
        2, ["military-ai", "red-lines"],
        [("session", f"{DEMO_EVENT_SLUG}#2", "the session on militarization and red lines")],
    ),
    (
        "Pre-release testing of frontier models for biological and chemical misuse",
        "前沿模型发布前的生物与化学滥用测试",
        "Illustrative example. Developers of the most capable AI models would test, before "
        "release, whether a model gives meaningful help in designing biological or chemical "
        "weapons, and share the test methods (not the results that could aid misuse) with "
        "their national authorities and an international network of safety institutes.",
        "示例。最强大人工智能模型的开发者应在发布前测试模型是否会为设计生物或化学武器提供实质"
        "性帮助，并与本国主管部门及国际安全研究机构网络共享测试方法（而非可能助长滥用的结果）。",
        3, ["cross-domain-risks", "non-state-actors"],
        [("session", f"{DEMO_EVENT_SLUG}#3", "the session on diffusion and non-state actors")],
    ),
]


def load_demo_publications(engine: Engine) -> str:
    """Add the illustrative proposals and the published news item of the demo forum."""
    load_demo_forum(engine)
    added = []
    with session_scope(engine) as db:
        event = get_event(db, DEMO_EVENT_SLUG)
        existing = set(db.scalars(select(Proposal.title).where(Proposal.event_id == event.id)))
        for title, title_zh, text, text_zh, session, themes, evidence in DEMO_PROPOSALS:
            if title in existing:
                continue
            proposal = create_proposal(db, event, title=title, title_local=title_zh, text=text,
                                       text_local=text_zh, session_position=session,
                                       themes=themes, illustrative=True)
            for kind, reference, note in evidence:
                add_evidence(db, proposal, kind, reference, note)
            added.append(pick(title, title_zh) or title)
        if db.scalar(select(NewsItem).where(NewsItem.event_id == event.id)) is None:
            publish_news(db, create_news(db, event.slug), DEMO_NEWS_DATE)
            added.append(_("news item"))
    if not added:
        return _("already present")
    return _("added %(n)d: %(items)s") % {"n": len(added), "items": punct("semicolon").join(added)}
