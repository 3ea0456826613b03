"""Forum records: import, export and the public view of events under their attribution policy.

The attribution policy on free text (the Chatham House rule) is one component here:
:class:`AttributionChecker` (pure text), :func:`event_checker` (built from an event's records)
and :class:`Guard` (held texts and overrides), used by every publish path.
"""

from detente.forum._attribution import (
    AttributionChecker,
    Finding,
    Participant,
    SessionTopic,
    event_checker,
    event_participants,
    event_sessions,
)
from detente.forum._demo import DEMO_EVENT_SLUG, DEMO_FILE, load_demo_forum
from detente.forum._editing import (
    ATTRIBUTION_POLICIES,
    EventChanges,
    SessionChanges,
    chair_choices,
    describe_removals,
    edit_event,
)
from detente.forum._exporter import event_document, export_event
from detente.forum._importer import ImportSummary, import_forum_file, parse_forum_file
from detente.forum._policy import (
    MIN_REASON_LENGTH,
    AttributionHeld,
    Guard,
    Hold,
    Text,
    attribution_guard,
    event_texts,
    field_label,
    guarded_event,
    text_digest,
    visible_event,
)
from detente.forum._public import PublicEvent, PublicSession, public_event
from detente.forum._queries import get_event, get_session, list_events

__all__ = [
    "ATTRIBUTION_POLICIES",
    "DEMO_EVENT_SLUG",
    "DEMO_FILE",
    "MIN_REASON_LENGTH",
    "AttributionChecker",
    "AttributionHeld",
    "EventChanges",
    "Finding",
    "Guard",
    "Hold",
    "ImportSummary",
    "Participant",
    "PublicEvent",
    "PublicSession",
    "SessionChanges",
    "SessionTopic",
    "Text",
    "attribution_guard",
    "chair_choices",
    "describe_removals",
    "edit_event",
    "event_checker",
    "event_document",
    "event_participants",
    "event_sessions",
    "event_texts",
    "export_event",
    "field_label",
    "get_event",
    "get_session",
    "guarded_event",
    "import_forum_file",
    "list_events",
    "load_demo_forum",
    "parse_forum_file",
    "public_event",
    "text_digest",
    "visible_event",
]
