"""Publications: governance proposals, media, news items and the forum report.

Everything public goes through :func:`detente.forum.public_event`, so the Chatham House rule
holds in news items, feeds and reports; free text that organizers write is checked by
:func:`attribution_problems`. See docs/publications.md.
"""

from detente.reports._attribution import attribution_problems, event_names
from detente.reports._demo import DEMO_NEWS_DATE, DEMO_PROPOSALS, load_demo_publications
from detente.reports._drafting import draft_from_deliberation
from detente.reports._evidence import EVIDENCE_KINDS, EvidenceKind, LinkCheck, check_link
from detente.reports._feed import ATOM_NS, atom_feed
from detente.reports._media import (
    IMAGE_SIZES,
    MAX_IMAGE_PIXELS,
    MAX_UPLOAD_BYTES,
    MediaFile,
    add_media,
    delete_media,
    get_media,
    list_media,
    media_file,
    sizes,
    update_media,
)
from detente.reports._news import (
    NewsView,
    Paragraph,
    compose_lead,
    compose_paragraphs,
    compose_title,
    create_news,
    edit_news,
    get_news,
    list_news,
    neighbours,
    news_view,
    publish_news,
)
from detente.reports._proposals import (
    PUBLIC_STATUSES,
    add_evidence,
    create_proposal,
    get_proposal,
    list_proposals,
    parse_status,
    remove_evidence,
    update_proposal,
)
from detente.reports._report import (
    FORMATS,
    ReportData,
    build_report,
    format_date,
    render_html,
    render_pdf,
    render_report,
    write_report,
)
from detente.reports._sources import (
    DeliberationSummary,
    Finding,
    Section,
    StatementLine,
    deliberation_summary,
    deliberations_for_event,
    kb_gaps_for_event,
    state_findings_for_event,
)
from detente.store.models.publications import MediaKind, ProposalStatus

__all__ = [
    "ATOM_NS",
    "DEMO_NEWS_DATE",
    "DEMO_PROPOSALS",
    "EVIDENCE_KINDS",
    "FORMATS",
    "IMAGE_SIZES",
    "MAX_IMAGE_PIXELS",
    "MAX_UPLOAD_BYTES",
    "PUBLIC_STATUSES",
    "DeliberationSummary",
    "EvidenceKind",
    "Finding",
    "LinkCheck",
    "MediaFile",
    "MediaKind",
    "NewsView",
    "Paragraph",
    "ProposalStatus",
    "ReportData",
    "Section",
    "StatementLine",
    "add_evidence",
    "add_media",
    "atom_feed",
    "attribution_problems",
    "build_report",
    "check_link",
    "compose_lead",
    "compose_paragraphs",
    "compose_title",
    "create_news",
    "create_proposal",
    "delete_media",
    "deliberation_summary",
    "deliberations_for_event",
    "draft_from_deliberation",
    "edit_news",
    "event_names",
    "format_date",
    "get_media",
    "get_news",
    "get_proposal",
    "kb_gaps_for_event",
    "list_media",
    "list_news",
    "list_proposals",
    "load_demo_publications",
    "media_file",
    "neighbours",
    "news_view",
    "parse_status",
    "publish_news",
    "remove_evidence",
    "render_html",
    "render_pdf",
    "render_report",
    "sizes",
    "state_findings_for_event",
    "update_media",
    "update_proposal",
    "write_report",
]
