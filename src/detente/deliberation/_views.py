"""What the results page shows, prepared from a stored result: map points, groups, lists.

Kept apart from the templates so that the numbers (scaling of the map, shares shown) are
tested directly. Participants appear only as points and pseudonymous ids; no names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from detente.deliberation._results import StoredResult
from detente.i18n import pick
from detente.store.models.deliberation import Deliberation, DeliberationStatement

__all__ = ["GROUP_COLOURS", "MapPoint", "ResultsView", "results_view"]

#: Colour-blind-safe palette (Okabe-Ito), one per group; grey for participants not grouped.
GROUP_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
UNGROUPED = "#999999"
MAP_SIZE = 300
MAP_MARGIN = 14


@dataclass
class MapPoint:
    """One participant on the map, in SVG coordinates."""

    x: float
    y: float
    colour: str
    group: int | None
    is_me: bool


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
    """One opinion group: its label, colour, size and representative statements."""

    id: int
    label: str
    colour: str
    size: int
    representative: list[StatementLine]


@dataclass
class ResultsView:
    """Everything the results page needs; ``available`` is False before enough votes."""

    available: bool
    computed_at: Any = None
    vote_count: int = 0
    points: list[MapPoint] = field(default_factory=list)
    groups: list[GroupView] = field(default_factory=list)
    consensus: list[StatementLine] = field(default_factory=list)
    divisive: list[StatementLine] = field(default_factory=list)
    my_group: GroupView | None = None
    participants: int = 0
    grouped: int = 0


def group_label(group_id: int) -> str:
    """Letters for groups: 0 -> A, 1 -> B, ..."""
    return chr(ord("A") + group_id) if 0 <= group_id < 26 else str(group_id)


def scale_points(projection: list[dict[str, Any]], me: str | None) -> list[MapPoint]:
    """Fit the projection into the SVG square, keeping the aspect ratio."""
    if not projection:
        return []
    xs = [float(p["x"]) for p in projection]
    ys = [float(p["y"]) for p in projection]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    inner = MAP_SIZE - 2 * MAP_MARGIN
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    points = []
    for entry, x, y in zip(projection, xs, ys, strict=True):
        group = entry.get("group")
        colour = UNGROUPED if group is None else GROUP_COLOURS[int(group) % len(GROUP_COLOURS)]
        points.append(MapPoint(
            x=round(MAP_SIZE / 2 + (x - cx) / span * inner, 1),
            y=round(MAP_SIZE / 2 - (y - cy) / span * inner, 1),
            colour=colour, group=None if group is None else int(group),
            is_me=me is not None and str(entry.get("participant")) == me))
    return points


def _texts(db: DbSession, deliberation_id: int) -> dict[int, str]:
    rows = db.execute(select(DeliberationStatement.id, DeliberationStatement.text,
                             DeliberationStatement.text_local)
                      .where(DeliberationStatement.deliberation_id == deliberation_id))
    return {sid: pick(text, local) or text for sid, text, local in rows}


def results_view(db: DbSession, deliberation: Deliberation, stored: StoredResult | None,
                 me: str | None) -> ResultsView:
    """Build the results page's view from the stored snapshot (or say it is not ready)."""
    if stored is None or not stored.result.get("projection"):
        return ResultsView(available=False)
    result = stored.result
    texts = _texts(db, deliberation.id)

    def line(sid: Any, **extra: Any) -> StatementLine:
        return StatementLine(id=int(sid), text=texts.get(int(sid), f"#{sid}"), **extra)

    groups = []
    for group in result.get("groups", []):
        gid = int(group["id"])
        groups.append(GroupView(
            id=gid, label=group_label(gid), colour=GROUP_COLOURS[gid % len(GROUP_COLOURS)],
            size=len(group.get("members", [])),
            representative=[line(r["statement"], direction=r.get("direction", ""),
                                 agree_share=float(r.get("agree_share", 0.0)),
                                 disagree_share=float(r.get("disagree_share", 0.0)))
                            for r in group.get("representative", [])]))
    consensus = [line(c["statement"], direction=c.get("direction", ""),
                      agree_share=float(c.get("agree_share", 0.0)),
                      disagree_share=float(c.get("disagree_share", 0.0)))
                 for c in result.get("consensus", [])]
    divisive = [line(d["statement"], detail={
        group_label(int(g)): round(float(share) * 100)
        for g, share in sorted((d.get("group_agree_shares") or {}).items(),
                               key=lambda kv: int(kv[0]))})
        for d in result.get("divisive", [])]
    points = scale_points(result.get("projection", []), me)
    my_group = None
    for point in points:
        if point.is_me and point.group is not None:
            my_group = next((g for g in groups if g.id == point.group), None)
    return ResultsView(
        available=True, computed_at=stored.computed_at, vote_count=stored.vote_count,
        points=points, groups=groups, consensus=consensus, divisive=divisive,
        my_group=my_group, participants=len(points),
        grouped=sum(1 for p in points if p.group is not None))
