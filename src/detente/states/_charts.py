"""The state-position charts (bloc map, agreement heatmap, alignment line, ideal points over
sessions), drawn with the chart kit :mod:`detente.charts` in the interface language in force.

What is states-specific lives here: which states the map labels (those the user picks and a
few that stand out), which states the heatmap can show, and the words of each chart; colours,
names of blocs, axes and legends come from the kit.
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup

from detente import charts
from detente.i18n import gettext, ngettext, paren, punct
from detente.states._agreement import THIN_BELOW
from detente.states._countries import country_name
from detente.states._tally import bloc_tally
from detente.states._text import join

__all__ = [
    "agreement_heatmap",
    "alignment_chart",
    "bloc_indexes",
    "bloc_map",
    "heatmap_states",
    "ideal_points_chart",
    "map_labels",
]

_P5 = ("USA", "GBR", "FRA", "RUS", "SUN", "CHN")
#: How many states the bloc map labels beyond those the user picks.
MAP_LABELS = 12


def bloc_indexes(result: dict[str, Any]) -> dict[str, int]:
    """The index of each bloc (0, 1, ... in the engine's order) by bloc id, as a string."""
    return {str(g["id"]): i for i, g in enumerate(result.get("groups", []))}


def map_labels(result: dict[str, Any], limit: int = MAP_LABELS) -> list[str]:
    """States worth a label on the bloc map without being asked for, most telling first: the
    permanent five, every member of a bloc of three or fewer, the extremes of the map, then the
    states farthest from their bloc's centre (the chart kit leaves out overlapping labels)."""
    points = [p for p in result.get("projection", []) if p.get("x") is not None]
    if not points:
        return []
    by_bloc: dict[Any, list[dict[str, Any]]] = {}
    for p in points:
        by_bloc.setdefault(p.get("group"), []).append(p)
    chosen = [p["participant"] for p in points if p["participant"] in _P5]
    for bloc, members in by_bloc.items():
        if bloc is not None and bloc >= 0 and len(members) <= 3:
            chosen += [p["participant"] for p in members]
    for axis in ("x", "y"):
        chosen += [min(points, key=lambda p: p[axis])["participant"],
                   max(points, key=lambda p: p[axis])["participant"]]
    distance: list[tuple[float, str]] = []
    for members in by_bloc.values():
        cx = sum(p["x"] for p in members) / len(members)
        cy = sum(p["y"] for p in members) / len(members)
        distance += [(-math.hypot(p["x"] - cx, p["y"] - cy), p["participant"]) for p in members]
    chosen += [code for _d, code in sorted(distance)]
    return list(dict.fromkeys(chosen))[:limit]


def bloc_map(result: dict[str, Any], picked: list[str] | tuple[str, ...] = ()) -> Markup:
    """The states placed by their votes, coloured by bloc; the ``picked`` states ringed and
    named, a few that stand out named too, every state named on hover."""
    shown = [*picked, *(c for c in map_labels(result) if c not in picked)]
    return charts.bloc_map(result, title=gettext("Bloc map"), name=country_name,
                           labels={code: country_name(code) for code in shown},
                           highlight=set(picked))


def heatmap_states(result: dict[str, Any], limit: int = 60) -> list[str]:
    """At most ``limit`` of the states that voted, in bloc order: every one when few, else an
    even sample of each bloc (in proportion to its size, at least two) with the permanent five
    kept within the limit. States that did not vote are left out: their rows would be empty."""
    silent = set(bloc_tally(result).no_votes)
    order = [s for s in result["agreement"]["states"] if s not in silent]
    if len(order) <= limit:
        return order
    members = {m: g["id"] for g in result["groups"] for m in g["members"]}
    blocs: dict[int, list[str]] = {}
    for state in order:
        blocs.setdefault(members.get(state, -1), []).append(state)
    kept = {bloc: [s for s in states if s in _P5] for bloc, states in blocs.items()}
    least = {bloc: max(min(2, len(states)), len(kept[bloc])) for bloc, states in blocs.items()}
    quota = {bloc: min(len(states), max(least[bloc], round(limit * len(states) / len(order))))
             for bloc, states in blocs.items()}
    while sum(quota.values()) > limit:
        shrinkable = [bloc for bloc in quota if quota[bloc] > least[bloc]]
        if not shrinkable:
            break
        quota[max(shrinkable, key=lambda bloc: quota[bloc])] -= 1
    chosen: set[str] = set()
    for bloc, states in blocs.items():
        others = [s for s in states if s not in kept[bloc]]
        wanted = quota[bloc] - len(kept[bloc])
        chosen.update(kept[bloc])
        chosen.update(others[int((i + 0.5) * len(others) / wanted)] for i in range(wanted))
    return [s for s in order if s in chosen]


def agreement_heatmap(result: dict[str, Any], states: list[str]) -> Markup:
    """The agreement matrix restricted to ``states`` (kept in the given order), each state's
    code in its bloc's colour."""
    agreement = result["agreement"]
    index = {s: i for i, s in enumerate(agreement["states"])}
    blocs = bloc_indexes(result)
    member_of = {m: blocs[str(g["id"])] for g in result["groups"] for m in g["members"]}
    values = [[agreement["matrix"][index[a]][index[b]] for b in states] for a in states]
    return charts.heatmap(
        states, values, title=gettext("Agreement between states"),
        names=[country_name(s) for s in states], groups=[member_of.get(s) for s in states],
        low_text=gettext("0: never vote alike"), high_text=gettext("1: always vote alike"),
        missing_text=gettext("no joint vote"))


def alignment_chart(series: list[dict[str, Any]], a: str, b: str, *,
                    thin: bool = False) -> Markup:
    """Two states' agreement by year, the line broken at gaps of more than a year. Thin
    sessions (fewer than :data:`THIN_BELOW` joint roll calls) are left out, or with ``thin``
    drawn as hollow dots."""
    points = [charts.LinePoint(
        x=row["year"], y=row["agreement"], hollow=row["roll_calls"] < THIN_BELOW,
        tooltip=f"{row['year']}{paren(gettext('session %(num)d') % {'num': row['session']})}"
                f"{punct('colon')}{row['agreement']:.2f} · "
                + ngettext("%(num)d roll call", "%(num)d roll calls", row["roll_calls"])
                % {"num": row["roll_calls"]})
        for row in series if thin or row["roll_calls"] >= THIN_BELOW]
    return charts.line_chart(
        points, title=gettext("Agreement of %(a)s and %(b)s by year")
        % {"a": country_name(a), "b": country_name(b)},
        x_label=gettext("Year"), y_label=gettext("Agreement (1 = always vote alike)"),
        hollow_text=gettext("fewer than %(num)d joint roll calls") % {"num": THIN_BELOW})


def ideal_points_chart(sessions: list[dict[str, Any]], states: list[str]) -> Markup:
    """Each chosen state's ideal point session by session, one line per state (broken where
    a session is missing or the state was not estimated)."""
    series = []
    for code in states:
        points = [charts.LinePoint(
            x=s["year"], y=s["points"][code],
            tooltip=f"{country_name(code)}{punct('comma')}{s['year']}"
                    f"{paren(gettext('session %(num)d') % {'num': s['session']})}"
                    f"{punct('colon')}{s['points'][code]:+.2f}")
            for s in sessions if code in s["points"]]
        if points:
            series.append(charts.LineSeries(f"{country_name(code)}{paren(code)}", points, code))
    values = [abs(p.y) for one in series for p in one.points] or [1.0]
    top = max(1.0, math.ceil(max(values) * 2) / 2)
    return charts.lines_chart(
        series, title=gettext("Ideal points of %(states)s by year") % {
            "states": join(one.name for one in series)},
        x_label=gettext("Year"),
        y_label=gettext("Ideal point (standardised each session; the United States positive)"),
        y_domain=(-top, top), zero_line=True)
