"""Which states the blocs hold, and which they leave out, in numbers and in words.

An analysis covers every state with a record on the chosen roll calls (193 for the
autonomous-weapons votes), but not all of them are in a bloc: a state that voted too rarely is
left ungrouped (grey on the map), and a state recorded only as absent cast no vote at all. So
the pages and the report never say "193 states form 3 blocs": they say "159 of the 186 states
that voted form 3 blocs; 27 states voted too rarely to be grouped; 7 states cast no vote".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from detente.i18n import gettext as _
from detente.i18n import ngettext
from detente.states._countries import country_name, name_sort_key
from detente.states._text import join

__all__ = ["BlocTally", "bloc_tally", "tally_phrases"]

#: Non-voting states named in a tally line up to this many; beyond it only their number.
_NAMED = 12


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
