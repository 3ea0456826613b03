"""State positions: UN General Assembly votes and AI instruments, blocs and agreement.

Import roll calls (UN Digital Library export or the ``unvotes`` tables) and endorsements,
choose roll calls by topic, session or year, and analyse them: blocs of states from the
consensus engine, the Lijphart/Voeten agreement index, one-dimensional ideal points by EM
(Imai, Lo & Olmsted 2016) and two states' alignment over time. See docs/states.md.
"""

from detente.states._agreement import (
    CONVENTIONS,
    agreement_matrix,
    agreement_over_time,
    lineage,
    pair_agreement,
)
from detente.states._analysis import analyze, analyze_votes, bloc_order
from detente.states._countries import (
    SUCCESSION,
    Country,
    countries,
    country,
    country_name,
    iso3_from_unvotes,
    successor,
)
from detente.states._demo import FactsSummary, load_facts
from detente.states._ideal import IdealPoints, first_dimension, ideal_points
from detente.states._importer import ImportSummary, import_positions, import_votes
from detente.states._readers import POSITIONS, detect_layout, read_positions, read_votes
from detente.states._records import (
    Alignment,
    InstrumentRecord,
    Overview,
    PositionRecord,
    RollCallRecord,
    StateVote,
    alignment,
    get_instrument,
    get_roll_call,
    list_instruments,
    list_roll_calls,
    overview,
    session_ideal_points,
    voting_states,
)
from detente.states._select import CODES, TOPICS, Selection, VoteData, load_votes, session_year

#: The demo loader: the shipped AI facts (see detente.demo).
load_demo_states = load_facts

__all__ = [
    "CODES",
    "CONVENTIONS",
    "POSITIONS",
    "SUCCESSION",
    "TOPICS",
    "Alignment",
    "Country",
    "FactsSummary",
    "IdealPoints",
    "ImportSummary",
    "InstrumentRecord",
    "Overview",
    "PositionRecord",
    "RollCallRecord",
    "Selection",
    "StateVote",
    "VoteData",
    "agreement_matrix",
    "agreement_over_time",
    "alignment",
    "analyze",
    "analyze_votes",
    "bloc_order",
    "countries",
    "country",
    "country_name",
    "detect_layout",
    "first_dimension",
    "get_instrument",
    "get_roll_call",
    "ideal_points",
    "import_positions",
    "import_votes",
    "iso3_from_unvotes",
    "lineage",
    "list_instruments",
    "list_roll_calls",
    "load_demo_states",
    "load_facts",
    "load_votes",
    "overview",
    "pair_agreement",
    "read_positions",
    "read_votes",
    "session_ideal_points",
    "session_year",
    "successor",
    "voting_states",
]
