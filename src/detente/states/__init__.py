"""State positions: UN General Assembly votes and AI instruments, blocs and agreement.

Import roll calls (UN Digital Library export or the ``unvotes`` tables) and endorsements,
choose roll calls by topic, session or year, and analyse them: blocs of states from the
consensus engine, the Lijphart/Voeten agreement index, one-dimensional ideal points by EM
(Imai, Lo & Olmsted 2016) and two states' alignment over time. Every UN member state's standing
on an AI instrument (endorsed, not endorsed, voted no, abstained, absent, unknown) follows from
what the sources say. States are found by ISO code or name (:func:`resolve_state`). See
docs/states.md.
"""

from detente.states._agreement import (
    CONVENTIONS,
    THIN_BELOW,
    agreement_matrix,
    agreement_over_time,
    alignment_notes,
    lineage,
    pair_agreement,
)
from detente.states._analysis import (
    analyze,
    analyze_votes,
    bloc_order,
    empty_selection_message,
    has_state_data,
    instrument_summaries,
    range_words,
)
from detente.states._cache import (
    Pending,
    ResultStore,
    Runner,
    data_version,
    set_result_store,
    set_runner,
)
from detente.states._charts import (
    agreement_heatmap,
    alignment_chart,
    bloc_indexes,
    bloc_map,
    heatmap_states,
    ideal_points_chart,
)
from detente.states._countries import (
    SUCCESSION,
    Country,
    countries,
    country,
    country_name,
    iso3_from_unvotes,
    name_sort_key,
    successor,
    un_members,
)
from detente.states._demo import FactsSummary, load_facts
from detente.states._ideal import IdealPoints, first_dimension, ideal_points
from detente.states._importer import ImportSummary, import_positions, import_votes
from detente.states._lookup import resolve_state, resolve_states, suggest_states
from detente.states._readers import POSITIONS, detect_layout, read_positions, read_votes
from detente.states._report import ReportFinding, ReportFindings, report_findings
from detente.states._select import (
    CODES,
    TOPICS,
    Selection,
    VoteData,
    instrument_year,
    load_votes,
    session_year,
)
from detente.states._service import (
    InstrumentView,
    alignment,
    cached_analysis,
    cached_ideal_points,
    chinese_titles,
    chosen_states,
    follow_successors,
    get_instrument,
    ideal_points_by_session,
    list_instruments,
    list_roll_calls,
    list_roll_calls_with_counts,
    roll_call_count,
    roll_call_detail,
    voting_states,
)
from detente.states._standing import (
    InstrumentStandings,
    Standing,
    StateStanding,
    bloc_instrument_phrase,
    instrument_date,
    instrument_headline,
    instrument_kind,
    instrument_standings,
    instrument_title,
    standing_label,
    standing_of,
    vote_phrase,
)
from detente.states._tally import BlocTally, bloc_tally, tally_phrases
from detente.states._text import part_label, roll_call_title

#: The demo loader: the shipped AI facts (see detente.demo).
load_demo_states = load_facts

__all__ = [
    "CODES",
    "CONVENTIONS",
    "POSITIONS",
    "SUCCESSION",
    "THIN_BELOW",
    "TOPICS",
    "BlocTally",
    "Country",
    "FactsSummary",
    "IdealPoints",
    "ImportSummary",
    "InstrumentStandings",
    "InstrumentView",
    "Pending",
    "ReportFinding",
    "ReportFindings",
    "ResultStore",
    "Runner",
    "Selection",
    "Standing",
    "StateStanding",
    "VoteData",
    "agreement_heatmap",
    "agreement_matrix",
    "agreement_over_time",
    "alignment",
    "alignment_chart",
    "alignment_notes",
    "analyze",
    "analyze_votes",
    "bloc_indexes",
    "bloc_instrument_phrase",
    "bloc_map",
    "bloc_order",
    "bloc_tally",
    "cached_analysis",
    "cached_ideal_points",
    "chinese_titles",
    "chosen_states",
    "countries",
    "country",
    "country_name",
    "data_version",
    "detect_layout",
    "empty_selection_message",
    "first_dimension",
    "follow_successors",
    "get_instrument",
    "has_state_data",
    "heatmap_states",
    "ideal_points",
    "ideal_points_by_session",
    "ideal_points_chart",
    "import_positions",
    "import_votes",
    "instrument_date",
    "instrument_headline",
    "instrument_kind",
    "instrument_standings",
    "instrument_summaries",
    "instrument_title",
    "instrument_year",
    "iso3_from_unvotes",
    "lineage",
    "list_instruments",
    "list_roll_calls",
    "list_roll_calls_with_counts",
    "load_demo_states",
    "load_facts",
    "load_votes",
    "name_sort_key",
    "pair_agreement",
    "part_label",
    "range_words",
    "read_positions",
    "read_votes",
    "report_findings",
    "resolve_state",
    "resolve_states",
    "roll_call_count",
    "roll_call_detail",
    "roll_call_title",
    "session_year",
    "set_result_store",
    "set_runner",
    "standing_label",
    "standing_of",
    "successor",
    "suggest_states",
    "tally_phrases",
    "un_members",
    "vote_phrase",
    "voting_states",
]
