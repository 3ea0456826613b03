"""Every UN member state's standing on an AI instrument, from what the sources say.

A standing is one of :class:`Standing`: endorsed (voted yes, signed, endorsed or issued), not
endorsed, voted no, abstained, absent, unknown. It follows from three facts about the
instrument and from the positions that sources name:

- ``basis``: how a state takes a position. On an endorsement (a declaration or convention
  that states sign) there is no "no": a state that did not sign is *not endorsed*, never
  *voted no*; a position file's "no", "not-signed" or "withdrawn" all read as not endorsed.
- ``record``: how complete the list of named states is. ``complete``: every state that
  endorsed is named, so every other member state did not. ``no-and-abstain`` (votes): every no
  and abstention is named, so the others voted yes or were absent: *unknown*. ``partial`` and
  ``none``: the states not named are *unknown*.
- ``symbol``: when a UN roll call with that symbol is loaded (a UN Digital Library record), it
  gives every member state's vote and takes precedence over the lists.

Shares are always stated over the 193 member states ("28 of 193 member states signed"), and a
bloc's standing is what its members did ("3 of 4 members signed"), never a share of the few
states a source happens to name.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from detente.i18n import current_language
from detente.i18n import gettext as _
from detente.states._countries import country_name, name_sort_key, un_members
from detente.states._readers import POSITIONS
from detente.states._text import full_stop, join, sentence
from detente.store.models.states import Instrument, RollCall, state_votes

__all__ = [
    "InstrumentStandings",
    "Standing",
    "StateStanding",
    "bloc_instrument_phrase",
    "instrument_date",
    "instrument_headline",
    "instrument_kind",
    "instrument_standings",
    "instrument_title",
    "standing_label",
    "standing_of",
    "vote_phrase",
]


class Standing(enum.StrEnum):
    """A UN member state's standing on an instrument."""

    ENDORSED = "endorsed"  # voted yes, signed, endorsed, ratified or issued
    NOT_ENDORSED = "not_endorsed"
    VOTED_NO = "voted_no"
    ABSTAINED = "abstained"
    ABSENT = "absent"  # a member that did not vote on a recorded vote
    UNKNOWN = "unknown"


_VOTE_STANDING = {"yes": Standing.ENDORSED, "no": Standing.VOTED_NO,
                  "abstain": Standing.ABSTAINED, "absent": Standing.ABSENT}
_NOT_ON_AN_ENDORSEMENT = {Standing.VOTED_NO, Standing.ABSTAINED, Standing.ABSENT}


def standing_of(position: str, basis: str) -> Standing:
    """The standing a position word records on an instrument of ``basis``.

    >>> standing_of("not-signed", "endorsement"), standing_of("no", "endorsement")
    (<Standing.NOT_ENDORSED: 'not_endorsed'>, <Standing.NOT_ENDORSED: 'not_endorsed'>)
    >>> standing_of("no", "recorded-vote")
    <Standing.VOTED_NO: 'voted_no'>
    """
    standing = Standing(POSITIONS[position])
    if basis != "recorded-vote" and standing in _NOT_ON_AN_ENDORSEMENT:
        return Standing.NOT_ENDORSED
    return standing


def _unlisted(basis: str, record: str) -> Standing:
    """The standing of a member state that no source names."""
    if record == "complete":
        return Standing.ABSENT if basis == "recorded-vote" else Standing.NOT_ENDORSED
    return Standing.UNKNOWN


@dataclass(frozen=True, slots=True)
class StateStanding:
    """One state's standing on one instrument, and what it rests on.

    ``named``: a source's list (or the roll-call record) holds the state; False when the
    standing follows from the completeness of the list. ``evidence``: what a listed standing
    rests on: "" (the source names the state), "inferred" (no source names it: inferred from
    a role or a membership, as the note says), "one-source" (one source names it, others do
    not).
    """

    state: str
    standing: Standing
    named: bool
    source_url: str | None = None
    note: str = ""
    note_zh: str = ""
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class InstrumentStandings:
    """Every UN member state's standing on one instrument.

    Attributes
    ----------
    members : dict of str to StateStanding
        One entry per UN member state (193), by ISO3 code.
    others : list of StateStanding
        States named by a source that are not UN member states (the Holy See...).
    roll_call_id : int or None
        The roll call whose record gave the standings, when one is loaded.
    """

    members: dict[str, StateStanding]
    others: list[StateStanding] = field(default_factory=list)
    roll_call_id: int | None = None

    @property
    def total(self) -> int:
        """The denominator: the number of UN member states."""
        return len(self.members)

    def counts(self, states: Iterable[str] | None = None) -> dict[str, int]:
        """How many of ``states`` (default: every member state) hold each standing."""
        chosen = self.members if states is None else {
            s: self.members[s] for s in states if s in self.members}
        found = Counter(item.standing for item in chosen.values())
        return {s.value: found.get(s, 0) for s in Standing}

    def declined(self, states: Iterable[str]) -> list[str]:
        """Those of ``states`` that a source names as not taking part (not endorsed), sorted."""
        return sorted(s for s in states if s in self.members and self.members[s].named
                      and self.members[s].standing is Standing.NOT_ENDORSED)

    def named(self) -> int:
        """How many member states a source names (an inferred standing is not named)."""
        return sum(1 for item in self.members.values()
                   if item.named and item.evidence != "inferred")

    def resting_on(self, evidence: str, states: Iterable[str] | None = None,
                   standing: Standing | None = None) -> list[str]:
        """The member states (of ``states``, default all) whose standing rests on
        ``evidence`` ("inferred" or "one-source"), sorted by code; with ``standing``, only
        those holding it (an inferred standing need not be an endorsement)."""
        chosen = self.members if states is None else {
            s: self.members[s] for s in states if s in self.members}
        return sorted(s for s, item in chosen.items() if item.evidence == evidence
                      and (standing is None or item.standing is standing))

    @property
    def complete(self) -> bool:
        """Whether every member state's standing is known."""
        return all(item.standing != Standing.UNKNOWN for item in self.members.values())


def instrument_standings(db: DbSession, item: Instrument) -> InstrumentStandings:
    """Every UN member state's standing on ``item`` (see the module docstring)."""
    members = un_members()
    roll_call = None
    if item.symbol:
        roll_call = db.scalar(select(RollCall.id).where(RollCall.resolution == item.symbol)
                              .order_by(RollCall.id).limit(1))
    if roll_call is not None:
        votes = dict(db.execute(select(state_votes.c.state, state_votes.c.vote)
                                .where(state_votes.c.roll_call_id == roll_call)).all())
        if votes:
            url = db.scalar(select(RollCall.url).where(RollCall.id == roll_call))
            table = {s: StateStanding(s, _VOTE_STANDING[v], True, url)
                     if v in _VOTE_STANDING else StateStanding(s, Standing.UNKNOWN, False)
                     for s, v in votes.items() if s in members}
            table.update({s: StateStanding(s, Standing.UNKNOWN, False)
                          for s in members - set(table)})
            return InstrumentStandings(dict(sorted(table.items())), [], roll_call)
    unlisted = _unlisted(item.basis, item.record)
    table = {s: StateStanding(s, unlisted, False) for s in members}
    others = []
    for p in item.positions:
        found = StateStanding(p.state, standing_of(p.position, item.basis), True, p.source_url,
                              p.note, p.note_zh, p.evidence)
        if p.state in members:
            table[p.state] = found
        else:
            others.append(found)
    return InstrumentStandings(dict(sorted(table.items())), others)


# --- words ------------------------------------------------------------------------------------


def instrument_title(item: Instrument | Mapping[str, Any]) -> tuple[str, bool]:
    """The title in the interface language and whether it is shown in English because no
    Chinese text exists (the page then marks it as English)."""
    title = _field(item, "title")
    if current_language() != "zh":
        return title, False
    chinese = _field(item, "title_zh")
    return (chinese, False) if chinese else (title, True)


def _field(item: Instrument | Mapping[str, Any], name: str) -> str:
    value = item.get(name) if isinstance(item, Mapping) else getattr(item, name)
    return str(value or "")


_DATE_NOTES = {
    "opened-for-signature": "opened for signature",
    "launched": "launched",
    "day-not-verified": "day not verified",
    "not-verified": "date not verified",
}


def instrument_date(item: Instrument | Mapping[str, Any]) -> str:
    """The date as the interface language writes it, with its note ("opened for signature")."""
    raw = _field(item, "date")
    parts = raw.split("-")
    if current_language() == "zh":
        text = "".join(f"{int(v)}{unit}" for v, unit in zip(parts, ("年", "月", "日"),
                                                             strict=False) if v.isdigit())
    else:
        text = raw
    note = _field(item, "date_note")
    if note in _DATE_NOTES:
        label = _(_DATE_NOTES[note])
        text += f"（{label}）" if current_language() == "zh" else f" ({label})"
    return text


#: The six Main Committees of the General Assembly, as a body names them.
_COMMITTEE = re.compile(r"\b(first|second|third|fourth|fifth|sixth) committee\b", re.IGNORECASE)


def instrument_kind(item: Instrument | Mapping[str, Any]) -> str:
    """What kind of text the instrument is, in words.

    A UN text is "UN General Assembly resolution or decision" (not a "vote": some were adopted
    without one), except a vote taken in one of the Assembly's Main Committees (its ``body``
    names the committee): that is a vote on a draft resolution, not the Assembly's resolution.
    """
    kind = _field(item, "kind")
    if kind == "unga-vote":
        committee = _COMMITTEE.search(_field(item, "body"))
        if committee is not None:
            return _("%(committee)s vote on a draft resolution") % {
                "committee": _committee_name(committee.group(1).lower())}
        return _("UN General Assembly resolution or decision")
    if kind == "declaration":
        return _("declaration")
    if kind == "convention":
        return _("convention")
    return kind


def _committee_name(ordinal: str) -> str:
    names = {"first": _("First Committee"), "second": _("Second Committee"),
             "third": _("Third Committee"), "fourth": _("Fourth Committee"),
             "fifth": _("Fifth Committee"), "sixth": _("Sixth Committee")}
    return names[ordinal]


def _verb(item: Instrument) -> str:
    if item.basis == "issuer":
        return _("issued")
    if item.kind == "convention":
        return _("signed")
    return _("endorsed")


def instrument_headline(item: Instrument, standings: InstrumentStandings) -> str:
    """One to three sentences on who took part, every share with its denominator.

    For example: "28 of 193 member states endorsed, as did the EU. Of 193 member states, the
    sources name 15 that endorsed; the standing of the other 178 is unknown."
    """
    total = standings.total
    counts = standings.counts()
    if standings.roll_call_id is not None:
        return full_stop(vote_phrase(counts, total, _("member states")))
    if item.basis == "without-vote":
        return _("Adopted without a vote: no state's position is recorded.")
    if not item.basis:
        return _("How it was adopted is not verified.")
    if item.basis == "recorded-vote":
        return _vote_headline(item, counts, total)
    verb = _verb(item)
    parts = []
    if item.reported_low is not None and item.reported_low == item.reported_high:
        values = {"count": item.reported_low, "total": total, "verb": verb}
        if item.organisations == "eu":
            parts.append(_("%(count)d of %(total)d member states %(verb)s, as did the EU.")
                         % values)
        else:
            parts.append(_("%(count)d of %(total)d member states %(verb)s.") % values)
    elif item.reported_low is not None:
        parts.append(_("Sources report %(low)d to %(high)d signatories and differ.") % {
            "low": item.reported_low, "high": item.reported_high or item.reported_low})
    endorsed, unknown = counts[Standing.ENDORSED], counts[Standing.UNKNOWN]
    not_endorsed = counts[Standing.NOT_ENDORSED]
    inferred = standings.resting_on("inferred")
    if standings.complete:
        values = {"count": endorsed, "total": total, "verb": verb, "rest": not_endorsed,
                  "body": _body(item)}
        # Who could take part: the others of a summit or a club did not, but could not either.
        if item.open_to == "invited":
            parts.append(_("Recorded here: %(count)d of %(total)d member states %(verb)s; the "
                           "other %(rest)d did not (only invited states could).") % values)
        elif item.open_to == "members":
            parts.append(_("Recorded here: %(count)d of %(total)d member states %(verb)s; the "
                           "other %(rest)d did not (only its members could).") % values)
        elif item.open_to == "members-and-invited":
            parts.append(_("Recorded here: %(count)d of %(total)d member states %(verb)s; the "
                           "other %(rest)d did not (only member states of the %(body)s and the "
                           "non-member states invited to join could).") % values)
        else:
            parts.append(_("Recorded here: %(count)d of %(total)d member states %(verb)s; the "
                           "other %(rest)d did not.") % values)
        if inferred:
            parts.append(_inferred_sentence(inferred))
    elif endorsed or not_endorsed:
        # Named by a source: each count less the inferred standings of that kind (an inferred
        # standing may be "not endorsed" too); the inferred ones are counted once, below.
        named_endorsed = endorsed - len(standings.resting_on("inferred", None, Standing.ENDORSED))
        named_not = not_endorsed - len(
            standings.resting_on("inferred", None, Standing.NOT_ENDORSED))
        named = []
        if named_endorsed:
            named.append(_("%(num)d that %(verb)s") % {"num": named_endorsed, "verb": verb})
        if named_not:
            named.append(_("%(num)d that did not") % {"num": named_not, "verb": verb})
        values = {"total": total, "named": join(named), "rest": unknown, "verb": verb,
                  "inferred": _inferred_clause(inferred)}
        if inferred and named:
            parts.append(_("Of %(total)d member states, the sources name %(named)s, and "
                           "%(inferred)s; the standing of the other %(rest)d is unknown.")
                         % values)
        elif inferred:
            parts.append(_("Of %(total)d member states, the sources name none that "
                           "%(verb)s; %(inferred)s; the standing of the other %(rest)d is "
                           "unknown.") % values)
        else:
            parts.append(_("Of %(total)d member states, the sources name %(named)s; the "
                           "standing of the other %(rest)d is unknown.") % values)
    else:
        parts.append(_("No source names the member states that %(verb)s.") % {"verb": verb})
    single = standings.resting_on("one-source")
    if single:
        parts.append(_("Only one source lists %(names)s; other reports do not.") % {
            "names": _names(single)})
    if item.as_of:
        parts.append(_("As of %(date)s.") % {"date": instrument_date({"date": item.as_of})})
    return sentence(parts)


def _body(item: Instrument) -> str:
    """The body that adopted or opened the instrument, in the interface language."""
    if current_language() == "zh" and item.body_zh:
        return item.body_zh
    return item.body


def _names(states: Iterable[str]) -> str:
    """States by name, sorted by name, as a list in the interface language."""
    return join(country_name(s) for s in sorted(states, key=name_sort_key))


def _inferred_clause(inferred: list[str]) -> str:
    """"4 are inferred from what the sources say, not named in them (Austria, ...)"."""
    text = _("%(num)d are inferred from what the sources say, not named in them") % {
        "num": len(inferred)}
    if len(inferred) <= _LISTED_AT_MOST:
        text += _(" (%(names)s)") % {"names": _names(inferred)}
    return text


def _inferred_sentence(inferred: list[str]) -> str:
    return full_stop(_("Of these, %(inferred)s") % {"inferred": _inferred_clause(inferred)})


#: A headline names the states it counts when there are at most this many.
_LISTED_AT_MOST = 8


def _vote_headline(item: Instrument, counts: Mapping[str, int], total: int) -> str:
    parts = []
    if item.reported_yes is not None:
        parts.append(_("Recorded vote: %(yes)d yes, %(no)d no, %(abstain)d abstentions.") % {
            "yes": item.reported_yes, "no": item.reported_no or 0,
            "abstain": item.reported_abstain or 0})
    else:
        parts.append(_("Recorded vote; the totals are not verified."))
    named = counts[Standing.VOTED_NO] + counts[Standing.ABSTAINED]
    values = {"num": named, "rest": total - named}
    if named and item.record == "no-and-abstain":
        parts.append(_("The sources name every no vote and abstention (%(num)d member "
                       "states); how the other %(rest)d voted is not recorded here.") % values)
    elif named:
        parts.append(_("The sources name some of the no votes and abstentions (%(num)d member "
                       "states); how the other %(rest)d voted is not recorded here.") % values)
    return sentence(parts)


def vote_phrase(counts: Mapping[str, int], size: int, whom: str) -> str:
    """How a group of states voted, over the whole group: "144 of 147 members voted yes, 1
    no, 1 abstained, 1 absent"; what no member did is left out."""
    yes = counts.get("endorsed", counts.get("yes", 0))
    pieces = [_("%(count)d of %(total)d %(whom)s voted yes") % {
        "count": yes, "total": size, "whom": whom}]
    for key, alt, label in (("voted_no", "no", _("%(num)d no")),
                            ("abstained", "abstain", _("%(num)d abstained")),
                            ("absent", "absent", _("%(num)d absent")),
                            ("not_endorsed", "not_endorsed", _("%(num)d did not endorse")),
                            ("non_member", "non_member", _("%(num)d not members")),
                            ("unknown", "unrecorded", _("%(num)d not recorded"))):
        n = counts.get(key, counts.get(alt, 0))
        if n:
            pieces.append(label % {"num": n})
    return join(pieces)


def bloc_instrument_phrase(item: Instrument, counts: Mapping[str, int], size: int,
                           declined: Sequence[str] = (), inferred: int = 0) -> str:
    """What a bloc's members did about an instrument, over the whole bloc.

    "3 of 4 members signed"; where the list is partial, the members a source names as not
    taking part are counted and, with ``declined`` (their ISO3 codes), named, and the others'
    standing is unknown: "7 of 143 members endorsed, 1 did not (United Kingdom), 135 unknown"
    (the three counts add up to the bloc). ``inferred``: how many of the members counted as
    endorsing no source names ("7 of 143 members endorsed (all 7 inferred, not named by a
    source)").
    """
    if item.basis == "recorded-vote":
        if counts.get("unknown", 0) == 0:
            return vote_phrase(counts, size, _("members"))
        return _listed_votes_phrase(item, counts, size)
    endorsed = counts.get("endorsed", 0)
    text = _("%(count)d of %(total)d members %(verb)s") % {
        "count": endorsed, "total": size, "verb": _verb(item)}
    notes = []
    if inferred and inferred == endorsed:
        notes.append(_("all inferred, not named by a source"))
    elif inferred:
        notes.append(_("%(num)d of them inferred, not named by a source") % {"num": inferred})
    unknown, not_endorsed = counts.get("unknown", 0), counts.get("not_endorsed", 0)
    if unknown and not not_endorsed:
        notes.append(_("the others unknown") if endorsed + unknown == size
                     else _("%(num)d unknown") % {"num": unknown})
    if notes:
        zh = current_language() == "zh"
        text += ("（%s）" if zh else " (%s)") % ("；" if zh else "; ").join(notes)
    if not unknown or not not_endorsed:
        return text  # with no unknown: a complete record, every other member did not
    refused = _("%(num)d did not") % {"num": not_endorsed}
    if declined and len(declined) == not_endorsed and not_endorsed <= _NAMED_AT_MOST:
        refused += _(" (%(names)s)") % {"names": _names(declined)}
    pieces = [text, refused, _("%(num)d unknown") % {"num": unknown}]
    return ("，" if current_language() == "zh" else ", ").join(pieces)


#: A phrase names the states it counts when there are at most this many.
_NAMED_AT_MOST = 6


def _listed_votes_phrase(item: Instrument, counts: Mapping[str, int], size: int) -> str:
    """A bloc on a vote whose sources name only the no votes and abstentions: what the named
    members did, and that the others' votes are not recorded (never "0 voted yes")."""
    pieces = []
    if counts.get("voted_no", 0):
        pieces.append(_("%(num)d voted no") % {"num": counts["voted_no"]})
    if counts.get("abstained", 0):
        pieces.append(_("%(num)d abstained") % {"num": counts["abstained"]})
    values = {"named": join(pieces), "total": size}
    if item.record == "no-and-abstain":
        return _("of %(total)d members, %(named)s; the others voted yes or were absent")\
            % values
    return _("of %(total)d members, %(named)s; the others' votes are not recorded here") % values


_STANDING_LABELS = {
    Standing.ENDORSED: "endorsed", Standing.NOT_ENDORSED: "not endorsed",
    Standing.VOTED_NO: "voted no", Standing.ABSTAINED: "abstained", Standing.ABSENT: "absent",
    Standing.UNKNOWN: "unknown",
}


def standing_label(standing: str, item: Instrument | None = None, evidence: str = "") -> str:
    """A standing in words; "endorsed" says what the state did (voted yes, signed, issued),
    and on a convention, which states sign, "not endorsed" is "not signed". ``evidence``
    marks a standing no source names ("endorsed (inferred)") or that one source alone gives
    ("signed (one source only)")."""
    text = _standing_words(standing, item)
    if evidence == "inferred":
        return text + _(" (inferred)")
    if evidence == "one-source":
        return text + _(" (one source only)")
    return text


def _standing_words(standing: str, item: Instrument | None) -> str:
    value = Standing(standing)
    if value is Standing.ENDORSED and item is not None:
        if item.basis == "recorded-vote":
            return _("voted yes")
        if item.basis == "issuer":
            return _("issued")
        if item.kind == "convention":
            return _("signed")
    if value is Standing.NOT_ENDORSED and item is not None and item.kind == "convention":
        return _("not signed")
    return _(_STANDING_LABELS[value])
