"""Which states the blocs hold, and which they leave out, in numbers and in words.

An analysis covers every state with a record on the chosen roll calls (193 for the
autonomous-weapons votes), but not all of them are in a bloc: a state that voted too rarely is
left ungrouped (grey on the map), and a state recorded only as absent cast no vote at all. So
the pages and the report never say "193 states form 3 blocs": they say "159 of the 186 states
that voted form 3 blocs; 27 states voted too rarely to be grouped; 7 states cast no vote".
Nor do they name blocs after a topic without saying what they rest on: "3 roll calls, all on
“Lethal autonomous weapons systems” (2023–2025)", and that blocs from so few votes are fragile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from detente.i18n import current_language, ngettext, punct
from detente.i18n import gettext as _
from detente.states._countries import country_name, name_sort_key
from detente.states._text import join

__all__ = ["FEW_ROLL_CALLS", "BlocTally", "basis_phrase", "bloc_tally", "fragile_note",
           "tally_phrases"]

#: Non-voting states named in a tally line up to this many; beyond it only their number.
_NAMED = 12
#: Blocs drawn from fewer roll calls than this are called fragile wherever they are shown.
FEW_ROLL_CALLS = 10


@dataclass(frozen=True, slots=True)
class BlocTally:
    """How the states of an analysis divide: ``states`` recorded, of which ``voted`` cast a
    vote (yes, no or abstain; on an instrument in the analysis, also "did not endorse"),
    ``grouped`` are in a bloc, ``too_few`` voted too rarely to be grouped, and ``no_votes``
    (ISO3 codes) cast none."""

    states: int
    voted: int
    grouped: int
    too_few: int
    blocs: int
    no_votes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The tally as the analysis JSON writes it."""
        return {"states": self.states, "voted": self.voted, "grouped": self.grouped,
                "too_few_votes": self.too_few, "blocs": self.blocs,
                "no_votes": list(self.no_votes)}


def bloc_tally(result: dict[str, Any]) -> BlocTally:
    """The tally of an analysis result (``states``, ``projection``, ``groups``,
    ``unclustered``): the states that voted are the consensus engine's participants."""
    voted = {str(p["participant"]) for p in result.get("projection", [])}
    grouped = sum(len(g.get("members", [])) for g in result.get("groups", []))
    no_votes = tuple(sorted(s for s in result.get("states", {}) if s not in voted))
    return BlocTally(states=len(result.get("states", {})), voted=len(voted), grouped=grouped,
                     too_few=len(result.get("unclustered", [])),
                     blocs=len(result.get("groups", [])), no_votes=no_votes)


def tally_phrases(tally: BlocTally) -> list[str]:
    """The tally in the interface language, one phrase each (no full stop): "159 of the 186
    states that voted form 3 blocs", "27 states voted too rarely to be grouped", "7 states cast
    no vote: Afghanistan, Azerbaijan, ..." (the names when there are few)."""
    blocs = ngettext("%(num)d bloc", "%(num)d blocs", tally.blocs) % {"num": tally.blocs}
    if tally.grouped == tally.voted:
        phrases = [ngettext("the %(voted)d state that voted forms %(blocs)s",
                            "the %(voted)d states that voted form %(blocs)s", tally.voted)
                   % {"voted": tally.voted, "blocs": blocs}]
    else:
        phrases = [_("%(grouped)d of the %(voted)d states that voted form %(blocs)s") % {
            "grouped": tally.grouped, "voted": tally.voted, "blocs": blocs}]
    if tally.too_few:
        phrases.append(ngettext("%(num)d state voted too rarely to be grouped",
                                "%(num)d states voted too rarely to be grouped", tally.too_few)
                       % {"num": tally.too_few})
    if tally.no_votes:
        count = len(tally.no_votes)
        if count <= _NAMED:
            names = join(country_name(c) for c in sorted(tally.no_votes, key=name_sort_key))
            phrases.append(ngettext("%(num)d state cast no vote: %(names)s",
                                    "%(num)d states cast no vote: %(names)s", count)
                           % {"num": count, "names": names})
        else:
            phrases.append(ngettext("%(num)d state cast no vote", "%(num)d states cast no vote",
                                    count) % {"num": count})
    return phrases


def basis_phrase(result: dict[str, Any], titles: dict[str, str] | None = None) -> str:
    """What the blocs rest on, in the interface language: "3 roll calls, all on “Lethal
    autonomous weapons systems” (2023–2025)" when every roll call bears one title, else "412
    roll calls (1946–2019)"; with "and 2 instruments" when instruments are analysed too.
    ``titles`` maps UN symbols to Chinese titles; an English-only title is marked in Chinese."""
    zh = current_language() == "zh"
    calls = [s for s in result.get("roll_calls", []) if s.get("kind") == "roll_call"]
    instruments = len(result.get("roll_calls", [])) - len(calls)
    years = sorted({int(s["year"]) for s in result.get("roll_calls", []) if s.get("year")})
    span = ""
    if years:
        span = (str(years[0]) if years[0] == years[-1]
                else f"{years[0]}{'—' if zh else '–'}{years[-1]}") + ("年" if zh else "")
    names = {s.get("title") or "" for s in calls}
    if len(names) == 1 and "" not in names:
        english = names.pop()
        shown = english
        if zh:
            found = {(titles or {}).get(s.get("resolution") or "") for s in calls}
            shown = (found.pop() or "") if len(found) == 1 else ""
            shown = shown or english + _("(no Chinese text)")
        title = f"{punct('lquote')}{shown}{punct('rquote')}"
        phrase = ngettext("%(num)d roll call, on %(title)s", "%(num)d roll calls, all on %(title)s",
                          len(calls)) % {"num": len(calls), "title": title}
    else:
        phrase = ngettext("%(num)d roll call", "%(num)d roll calls", len(calls)) % {
            "num": len(calls)}
    if instruments:
        phrase = _("%(roll_calls)s and %(instruments)s") % {
            "roll_calls": phrase, "instruments": ngettext(
                "%(num)d instrument", "%(num)d instruments", instruments) % {"num": instruments}}
    return phrase + (f"（{span}）" if zh else f" ({span})") if span else phrase


def fragile_note(result: dict[str, Any]) -> str | None:
    """A warning when the blocs rest on fewer than :data:`FEW_ROLL_CALLS` statements."""
    count = len(result.get("roll_calls", []))
    if not result.get("groups") or count >= FEW_ROLL_CALLS:
        return None
    return ngettext("Blocs drawn from %(num)d vote are fragile: one vote more or less can move a "
                    "state from one bloc to another.",
                    "Blocs drawn from only %(num)d votes are fragile: one vote more or less can "
                    "move a state from one bloc to another.", count) % {"num": count}
