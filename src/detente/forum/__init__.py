"""Forum records: import, export and the public view of events under their attribution policy."""

from detente.forum._demo import DEMO_EVENT_SLUG, DEMO_FILE, load_demo_forum
from detente.forum._exporter import event_document, export_event
from detente.forum._importer import ImportSummary, import_forum_file, parse_forum_file
from detente.forum._public import PublicEvent, PublicSession, public_event
from detente.forum._queries import get_event, get_session, list_events

__all__ = [
    "DEMO_EVENT_SLUG",
    "DEMO_FILE",
    "ImportSummary",
    "PublicEvent",
    "PublicSession",
    "event_document",
    "export_event",
    "get_event",
    "get_session",
    "import_forum_file",
    "list_events",
    "load_demo_forum",
    "parse_forum_file",
    "public_event",
]
