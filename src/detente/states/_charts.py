"""The state-position charts (bloc map, agreement heatmap, alignment line), drawn with the
chart kit :mod:`detente.charts` in the interface language in force.

What is states-specific lives here: which states the heatmap can show, and the words of each
chart; colours, names of blocs, axes and legends come from the kit.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from detente import charts
from detente.i18n import gettext, ngettext
from detente.states._countries import country_name

__all__ = ["agreement_heatmap", "alignment_chart", "bloc_indexes", "bloc_map", "heatmap_states"]

_P5 = ("USA", "GBR", "FRA", "RUS", "SUN", "CHN")


def bloc_indexes(result: dict[str, Any]) -> dict[str, int]:
    """The index of each bloc (0, 1, ... in the engine's order) by bloc id, as a string."""
    return {str(g["id"]): i for i, g in enumerate(result.get("groups", []))}


def bloc_map(result: dict[str, Any]) -> Markup:
    """The states placed by their votes, coloured by bloc, labelled by ISO3 code."""
    return charts.bloc_map(result, title=gettext("Bloc map"), name=country_name)


def heatmap_states(result: dict[str, Any], limit: int = 60) -> list[str]:
    """At most ``limit`` states in bloc order: every state when few, else an even sample of
    each bloc (in proportion to its size, at least two) with the permanent five kept."""
    order: list[str] = result["agreement"]["states"]
    if len(order) <= limit:
        return order
    members = {m: g["id"] for g in result["groups"] for m in g["members"]}
    blocs: dict[int, list[str]] = {}
    for state in order:
        blocs.setdefault(members.get(state, -1), []).append(state)
    chosen: set[str] = {s for s in _P5 if s in order}
    for states in blocs.values():
        quota = max(2, round(limit * len(states) / len(order)))
        step = max(1, len(states) // quota)
        chosen.update(states[::step][:quota])
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


def alignment_chart(series: list[dict[str, Any]], a: str, b: str) -> Markup:
    """Two states' agreement by year: hollow dots where they shared fewer than five roll
    calls, the line broken at gaps of more than a year."""
    points = [charts.LinePoint(
        x=row["year"], y=row["agreement"], hollow=row["roll_calls"] < 5,
        tooltip=f"{row['year']} ({gettext('session %(num)d') % {'num': row['session']}}): "
                f"{row['agreement']:.2f} · "
                + ngettext("%(num)d roll call", "%(num)d roll calls", row["roll_calls"])
                % {"num": row["roll_calls"]})
        for row in series]
    return charts.line_chart(
        points, title=gettext("Agreement of %(a)s and %(b)s by year")
        % {"a": country_name(a), "b": country_name(b)},
        x_label=gettext("Year"), y_label=gettext("Agreement (1 = always vote alike)"),
        hollow_text=gettext("fewer than five joint roll calls"))
