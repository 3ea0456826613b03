"""Choose roll calls (topic, keyword, issue, session or year range, explicit list) and load
their votes as a states × statements code matrix.

Codes in the matrix: 0 no record (or unknown), 1 yes (or endorsed), 2 abstain, 3 no,
4 absent (non-voting member), 5 not a member, 6 did not endorse. Instruments join the AI topic
as extra statements only where every member state faced the choice and every member state's
standing is known (open to all, complete record; see :mod:`detente.states._standing`): groups
of states are formed from choices that all of them made, never from lists of signatories. A
year or session range applies to instruments as to roll calls (:func:`instrument_year`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session as DbSession

from detente.errors import InputError
from detente.i18n import gettext as _
from detente.states._standing import Standing, instrument_standings
from detente.states._text import roll_call_title
from detente.store.models.states import Instrument, RollCall, state_votes

__all__ = [
    "CODES",
    "TOPICS",
    "Selection",
    "VoteData",
    "instrument_year",
    "load_votes",
    "session_year",
]

CODES = {"yes": 1, "abstain": 2, "no": 3, "absent": 4, "non_member": 5, "not_endorsed": 6}
#: Topic presets: words searched in title and description, and unvotes issue codes.
TOPICS: dict[str, dict[str, Any]] = {
    "ai": {"words": ["artificial intelligence", "autonomous weapon", "lethal autonomous",
                     "military domain", "machine learning"], "issues": [], "instruments": True},
    "arms-control": {"words": [], "issues": ["di"], "instruments": False},
    "nuclear": {"words": [], "issues": ["nu"], "instruments": False},
    "human-rights": {"words": [], "issues": ["hr"], "instruments": False},
    "colonialism": {"words": [], "issues": ["co"], "instruments": False},
    "palestine": {"words": [], "issues": ["me"], "instruments": False},
    "development": {"words": [], "issues": ["ec"], "instruments": False},
}
#: How states take part in an instrument that can enter the analysis.
_ANALYSED_BASES = {"recorded-vote", "endorsement"}


def session_year(session: int) -> int:
    """The calendar year a regular session opens (session 1 in 1946, session 74 in 2019)."""
    return 1945 + session


@dataclass(frozen=True, slots=True)
class Selection:
    """Which roll calls to analyse.

    ``start`` and ``end`` are sessions when below 1945 and calendar years otherwise (both
    inclusive); ``roll_calls`` lists roll-call keys (``unvotes:3``, ``undl:4031004``),
    database ids or resolution symbols (``A/RES/78/241``); ``whole_texts`` leaves out the
    votes on a paragraph or an amendment.
    """

    topic: str | None = None
    keyword: str | None = None
    issue: str | None = None
    start: int | None = None
    end: int | None = None
    roll_calls: tuple[str, ...] = ()
    whole_texts: bool = False

    def describe(self) -> dict[str, Any]:
        """The selection as JSON."""
        return {"topic": self.topic, "keyword": self.keyword, "issue": self.issue,
                "from": self.start, "to": self.end, "roll_calls": list(self.roll_calls),
                "whole_texts": self.whole_texts}

    def query(self) -> Select[RollCall]:
        """The roll calls chosen, in date order."""
        statement = select(RollCall)
        words: list[str] = []
        issues: list[str] = []
        if self.topic is not None:
            if self.topic not in TOPICS:
                raise InputError(_("unknown topic %(topic)r (one of %(choices)s)")
                                 % {"topic": self.topic, "choices": ", ".join(TOPICS)},
                                 location="--topic")
            words, issues = TOPICS[self.topic]["words"], TOPICS[self.topic]["issues"]
        if self.keyword:
            words = [*words, self.keyword]
        if self.issue:
            issues = [*issues, self.issue]
        conditions = [RollCall.title.ilike(f"%{w}%") for w in words]
        conditions += [RollCall.description.ilike(f"%{w}%") for w in words]
        conditions += [(" " + RollCall.issues + " ").like(f"% {i} %") for i in issues]
        if conditions:
            statement = statement.where(or_(*conditions))
        statement = _range(statement, self.start, self.end)
        if self.whole_texts:
            statement = statement.where(RollCall.paragraph.is_(False),
                                        RollCall.amendment.is_(False))
        if self.roll_calls:
            ids = [int(r) for r in self.roll_calls if r.isdigit()]
            statement = statement.where(or_(RollCall.key.in_(self.roll_calls),
                                            RollCall.resolution.in_(self.roll_calls),
                                            RollCall.id.in_(ids)))
        return statement.order_by(RollCall.date, RollCall.id)

    def with_instruments(self) -> bool:
        """Whether AI instruments join the statements (the ``ai`` topic without a list of roll
        calls; a range keeps only the instruments it holds, see :meth:`holds_year`)."""
        return bool(self.topic and TOPICS[self.topic]["instruments"] and not self.roll_calls)

    def holds_year(self, year: int | None) -> bool:
        """Whether the range holds ``year`` (the year a session opens, or a calendar year); a
        year that is not known is held only when no range is set."""
        if self.start is None and self.end is None:
            return True
        if year is None:
            return False
        first = None if self.start is None else _as_year(self.start)
        last = None if self.end is None else _as_year(self.end)
        return (first is None or year >= first) and (last is None or year <= last)

    def has_range(self) -> bool:
        """Whether a year or session range is set."""
        return self.start is not None or self.end is not None


def _as_year(value: int) -> int:
    """A bound given as a session (below 1945) or a year, as the year."""
    return value if value >= 1945 else session_year(value)


def _range(statement: Select[RollCall], start: int | None,
           end: int | None) -> Select[RollCall]:
    if start is not None:
        statement = statement.where(RollCall.session >= (start - 1945 if start >= 1945 else start))
    if end is not None:
        statement = statement.where(RollCall.session <= (end - 1945 if end >= 1945 else end))
    return statement


@dataclass(slots=True)
class VoteData:
    """States × statements vote codes with the statements' metadata.

    Attributes
    ----------
    states : list of str, length n_states
        ISO3 codes, sorted.
    statements : list of dict, length n_statements
        ``key, kind ("roll_call" or "instrument"), id, session, year, date, resolution,
        title, url``.
    codes : ndarray of int8, shape (n_states, n_statements)
        See :data:`CODES`; 0 where nothing is recorded.
    """

    states: list[str]
    statements: list[dict[str, Any]]
    codes: np.ndarray
    sources: dict[str, str] = field(default_factory=dict)

    def subset(self, columns: np.ndarray) -> VoteData:
        """Only the statements at ``columns`` (and the states that voted on one of them)."""
        codes = self.codes[:, columns]
        rows = np.flatnonzero(((codes >= 1) & (codes <= 3)).any(axis=1))
        return VoteData([self.states[i] for i in rows],
                        [self.statements[j] for j in columns], codes[rows], self.sources)


def _roll_call_meta(rc: RollCall) -> dict[str, Any]:
    return {"key": rc.key, "kind": "roll_call", "id": rc.id, "session": rc.session,
            "year": session_year(rc.session), "date": rc.date.isoformat() if rc.date else None,
            "resolution": rc.resolution, "title": roll_call_title(rc.title, rc.description),
            "description": rc.description,
            "issues": rc.issues.split(), "amendment": rc.amendment, "paragraph": rc.paragraph,
            "url": rc.url}


def load_votes(db: DbSession, selection: Selection,
               states: tuple[str, ...] | None = None) -> VoteData:
    """Load the votes of the chosen roll calls (and instruments) as a code matrix.

    ``states`` limits the rows to those states (for two-state time series: far fewer rows).
    """
    calls = list(db.scalars(selection.query()))
    statements = [_roll_call_meta(rc) for rc in calls]
    # A paragraph vote whose record names no title takes the one another roll call on the
    # same resolution gives (R/72/50's separate votes, of which one quotes the draft's title).
    titles = {s["resolution"]: s["title"] for s in statements if s["resolution"] and s["title"]}
    for meta in statements:
        if not meta["title"] and meta["resolution"] in titles:
            meta["title"] = titles[meta["resolution"]]
    column = {rc.id: j for j, rc in enumerate(calls)}
    chosen = selection.query().with_only_columns(RollCall.id).scalar_subquery()
    triples: list[tuple[str, int, int]] = []
    if calls:
        query = (select(state_votes.c.roll_call_id, state_votes.c.state, state_votes.c.vote)
                 .where(state_votes.c.roll_call_id.in_(chosen)))
        if states is not None:
            query = query.where(state_votes.c.state.in_(states))
        rows = db.execute(query)
        triples = [(state, column[rc_id], CODES[vote]) for rc_id, state, vote in rows]
    if selection.with_instruments():
        triples += _instrument_triples(db, statements, selection)
    row_states = sorted({t[0] for t in triples})
    row = {s: i for i, s in enumerate(row_states)}
    codes = np.zeros((len(row_states), len(statements)), dtype=np.int8)
    if triples:
        r = np.fromiter((row[t[0]] for t in triples), dtype=np.int64, count=len(triples))
        c = np.fromiter((t[1] for t in triples), dtype=np.int64, count=len(triples))
        v = np.fromiter((t[2] for t in triples), dtype=np.int8, count=len(triples))
        codes[r, c] = v
    return VoteData(row_states, statements, codes)


_STANDING_CODE = {Standing.ENDORSED: CODES["yes"], Standing.ABSTAINED: CODES["abstain"],
                  Standing.VOTED_NO: CODES["no"], Standing.ABSENT: CODES["absent"],
                  Standing.NOT_ENDORSED: CODES["not_endorsed"]}
_YEAR = re.compile(r"(\d{4})")
#: The session in a UN symbol: A/RES/78/241, A/C.1/78/L.56, A/79/L.118, A/DEC/79/555.
_SYMBOL_SESSION = re.compile(r"^A/(?:RES/|DEC/|C\.\d/|)(\d{1,3})/")


def instrument_year(symbol: str | None, date: str | None) -> int | None:
    """The year an instrument counts in for a range: the year its UN session opened when its
    symbol names one (as for roll calls: A/RES/78/265, adopted in March 2024, is session 78,
    2023), else the year of its date.

    >>> instrument_year("A/RES/78/265", "2024-03-21"), instrument_year("", "2025-02-11")
    (2023, 2025)
    """
    found = _SYMBOL_SESSION.match(symbol or "")
    if found:
        return session_year(int(found.group(1)))
    year = _YEAR.match(date or "")
    return int(year.group(1)) if year else None


def _instrument_triples(db: DbSession, statements: list[dict[str, Any]],
                        selection: Selection) -> list[tuple[str, int, int]]:
    """Statements and votes of the instruments open to every member state whose record is
    complete, in the selection's range; one whose roll call is already a statement is left
    out (counted once), and one whose roll call the range leaves out does not come back as an
    instrument."""
    triples: list[tuple[str, int, int]] = []
    resolutions = {s["resolution"] for s in statements if s.get("resolution")}
    instruments = db.scalars(select(Instrument).where(Instrument.open_to == "all",
                                                      Instrument.basis.in_(_ANALYSED_BASES))
                             .order_by(Instrument.date, Instrument.slug))
    for item in instruments:
        if item.symbol and item.symbol in resolutions:
            continue
        if not selection.holds_year(instrument_year(item.symbol, item.date)):
            continue
        standings = instrument_standings(db, item)
        if not standings.complete:
            continue
        j = len(statements)
        year = _YEAR.match(item.date)
        statements.append({
            "key": f"instrument:{item.slug}", "kind": "instrument", "id": item.id,
            "session": None, "year": int(year.group(1)) if year else None, "date": item.date,
            "resolution": item.symbol or None, "title": item.title, "title_zh": item.title_zh,
            "description": item.totals, "issues": [], "amendment": False, "paragraph": False,
            "url": item.source_url})
        triples += [(state, j, _STANDING_CODE[s.standing])
                    for state, s in standings.members.items() if s.standing in _STANDING_CODE]
    return triples
