"""Deliberations: experts vote agree / disagree / pass on short statements and add their own.

The services here keep the records (:mod:`._service`), pick the next statement
(:mod:`._routing`), write votes with group commit (:mod:`._votes`), compute and store results
(:mod:`._results`; inline in :mod:`._worker`, as queued jobs in :mod:`._jobs`), read what the
live session mode shows and announce new votes (:mod:`._live`), exchange the Polis open-data
format (:mod:`._polis`) and load the demo (:mod:`._demo`).
See docs/deliberations.md.
"""

from detente.deliberation._audit import (
    AuditLine,
    audit_line,
    describe_deliberation_entry,
    short_quote,
)
from detente.deliberation._demo import DEMO_STATEMENTS, load_demo_deliberation
from detente.deliberation._jobs import (
    QueueScheduler,
    announce_change,
    ensure_queue_schema,
    job_app,
    result_event,
    run_worker,
)
from detente.deliberation._live import (
    ActivityNotifier,
    LiveBoard,
    LiveCounts,
    live_board,
    live_counts,
    waiting_statements,
)
from detente.deliberation._pages import (
    ManageView,
    ParticipateView,
    get_participant,
    get_statement,
    manage_view,
    participate_view,
)
from detente.deliberation._polis import (
    PolisPlan,
    export_polis,
    import_polis,
    plan_polis_import,
)
from detente.deliberation._results import (
    MIN_PARTICIPANTS,
    Basis,
    StoredResult,
    compute_result,
    current_basis,
    live_vote_count,
    recompute,
    store_result,
    stored_result,
)
from detente.deliberation._routing import next_statement, priority, statement_priorities
from detente.deliberation._service import (
    Joined,
    add_statement,
    create_deliberation,
    create_invites,
    get_deliberation,
    hash_token,
    held_statement_ids,
    invitation_usable,
    join,
    list_deliberations,
    moderate,
    participant_by_token,
    redeem_invite,
    seed_statements,
    set_status,
    statement_counts,
    statement_holds,
    statements_of,
    validate_statement_text,
)
from detente.deliberation._text import find_duplicate, is_near_duplicate, normalise, similarity
from detente.deliberation._views import ResultsView, results_view
from detente.deliberation._votes import (
    Acting,
    VoteCache,
    VoteRow,
    VoteWriter,
    check_vote_value,
    record_votes,
)
from detente.deliberation._worker import Recomputer
from detente.store.models.deliberation import Deliberation

__all__ = [
    "DEMO_STATEMENTS",
    "MIN_PARTICIPANTS",
    "Acting",
    "ActivityNotifier",
    "AuditLine",
    "Basis",
    "Deliberation",
    "Joined",
    "LiveBoard",
    "LiveCounts",
    "ManageView",
    "ParticipateView",
    "PolisPlan",
    "QueueScheduler",
    "Recomputer",
    "ResultsView",
    "StoredResult",
    "VoteCache",
    "VoteRow",
    "VoteWriter",
    "add_statement",
    "announce_change",
    "audit_line",
    "check_vote_value",
    "compute_result",
    "create_deliberation",
    "create_invites",
    "current_basis",
    "describe_deliberation_entry",
    "ensure_queue_schema",
    "export_polis",
    "find_duplicate",
    "get_deliberation",
    "get_participant",
    "get_statement",
    "hash_token",
    "held_statement_ids",
    "import_polis",
    "invitation_usable",
    "is_near_duplicate",
    "job_app",
    "join",
    "list_deliberations",
    "live_board",
    "live_counts",
    "live_vote_count",
    "load_demo_deliberation",
    "manage_view",
    "moderate",
    "next_statement",
    "normalise",
    "participant_by_token",
    "participate_view",
    "plan_polis_import",
    "priority",
    "recompute",
    "record_votes",
    "redeem_invite",
    "result_event",
    "results_view",
    "run_worker",
    "seed_statements",
    "set_status",
    "short_quote",
    "similarity",
    "statement_counts",
    "statement_holds",
    "statement_priorities",
    "statements_of",
    "store_result",
    "stored_result",
    "validate_statement_text",
    "waiting_statements",
]
