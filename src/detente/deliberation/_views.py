"""What the results page shows, prepared from a stored result: groups, statements, shares.

Kept apart from the templates so that the numbers (shares shown, the viewer's group) are
tested directly; the map itself is drawn by :func:`detente.charts.opinion_map`. Participants
appear only as anonymous points; no names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from detente.charts import group_name
from detente.deliberation._results import StoredResult
from detente.deliberation._service import held_statement_ids
from detente.i18n import gettext as _
from detente.i18n import pick
from detente.store.models.deliberation import Deliberation, DeliberationStatement

__all__ = ["GroupView", "ResultsView", "StatementLine", "results_view"]


@dataclass
class StatementLine:
    """A statement as listed on the results page."""

    id: int
    text: str
    direction: str = ""
    agree_share: float = 0.0
    disagree_share: float = 0.0
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class GroupView:
    """One opinion group: its index (0, 1, ... in the engine's order), name, size and
    representative statements. Its colour and letter come from :mod:`detente.charts`."""

    index: int
    name: str
    size: int
    representative: list[StatementLine]


@dataclass
class ResultsView:
    """Everything the results page needs; ``available`` is False before enough votes.

    ``result`` is the stored consensus JSON that :func:`detente.charts.opinion_map` draws;
    ``me`` is the viewer's participant id (ringed on the map), if they voted.
    """

    available: bool
    computed_at: Any = None
    vote_count: int = 0
    result: dict[str, Any] = field(default_factory=dict)
    me: str | None = None
    groups: list[GroupView] = field(default_factory=list)
    consensus: list[StatementLine] = field(default_factory=list)
    divisive: list[StatementLine] = field(default_factory=list)
    my_group: GroupView | None = None
    participants: int = 0
    grouped: int = 0


def _texts(db: DbSession, deliberation: Deliberation) -> dict[int, str]:
    statements = list(db.scalars(select(DeliberationStatement)
                                 .where(DeliberationStatement.deliberation_id == deliberation.id)))
    held = held_statement_ids(db, deliberation, statements)
    return {s.id: _("(held under the Chatham House rule)") if s.id in held
            else pick(s.text, s.text_local) or s.text for s in statements}


def results_view(db: DbSession, deliberation: Deliberation, stored: StoredResult | None,
                 me: str | None) -> ResultsView:
    """Build the results page's view from the stored snapshot (or say it is not ready)."""
    if stored is None or not stored.result.get("projection"):
        return ResultsView(available=False)
    result = stored.result
    texts = _texts(db, deliberation)

    def line(sid: Any, **extra: Any) -> StatementLine:
        return StatementLine(id=int(sid), text=texts.get(int(sid), f"#{sid}"), **extra)

    index = {str(group["id"]): i for i, group in enumerate(result.get("groups", []))}
    groups = []
    for i, group in enumerate(result.get("groups", [])):
        groups.append(GroupView(
            index=i, name=group_name(i), size=len(group.get("members", [])),
            representative=[line(r["statement"], direction=r.get("direction", ""),
                                 agree_share=float(r.get("agree_share", 0.0)),
                                 disagree_share=float(r.get("disagree_share", 0.0)))
                            for r in group.get("representative", [])]))
    consensus = [line(c["statement"], direction=c.get("direction", ""),
                      agree_share=float(c.get("agree_share", 0.0)),
                      disagree_share=float(c.get("disagree_share", 0.0)))
                 for c in result.get("consensus", [])]
    divisive = [line(d["statement"], detail={
        group_name(index[str(g)]): round(float(share) * 100)
        for g, share in sorted((d.get("group_agree_shares") or {}).items(),
                               key=lambda kv: index.get(str(kv[0]), len(index)))
        if str(g) in index})
        for d in result.get("divisive", [])]
    projection = result.get("projection", [])
    placed = {str(p.get("participant")): index.get(str(p.get("group"))) for p in projection}
    mine = placed.get(me) if me is not None else None
    return ResultsView(
        available=True, computed_at=stored.computed_at, vote_count=stored.vote_count,
        result=result, me=me if me in placed else None, groups=groups, consensus=consensus,
        divisive=divisive, my_group=groups[mine] if mine is not None else None,
        participants=len(projection),
        grouped=sum(1 for group in placed.values() if group is not None))
