"""Governance knowledge base: AI governance instruments split into provisions, tagged with a
shared bilingual taxonomy, searchable in English and Chinese, compared side by side.

Library first: the CLI (``detente kb``) and the web pages (``/kb``) are thin layers over these
functions.
"""

from detente.knowledge._basis import TAGGER_SCORE, basis_text
from detente.knowledge._browse import Browse, browse, has_filter
from detente.knowledge._compare import (
    NOT_ASSESSED,
    Coverage,
    compare_issuers,
    comparison_csv,
    coverage_assessable,
    coverage_cell,
    coverage_matrix,
    matrix_csv,
    red_lines,
    rows_csv,
)
from detente.knowledge._demo import load_demo_knowledge
from detente.knowledge._evaluate import evaluate_gold
from detente.knowledge._importer import ImportReport, current_classifier, import_documents
from detente.knowledge._legal import (
    ROLES,
    display_label,
    is_illustrative,
    short_citation,
    short_title,
)
from detente.knowledge._metadata import (
    KINDS,
    DocumentMeta,
    infer_kind,
    issuer_needles,
    jurisdiction_name,
    jurisdiction_of,
    language_name,
    parse_bool,
    parse_date,
    parse_kind,
    parse_size,
)
from detente.knowledge._parsers import parse_bytes, parse_file
from detente.knowledge._phrases import rule_phrases
from detente.knowledge._queries import (
    STATUS_FILTERS,
    document_json,
    document_status,
    get_document,
    list_documents,
    status_filter,
)
from detente.knowledge._review import (
    read_gold,
    reread_roles,
    retag_all,
    retrain,
    review_tag,
    tagging_status,
)
from detente.knowledge._risks import import_risks
from detente.knowledge._search import SearchFilters, SearchHit, search
from detente.knowledge._segment import segment_blocks
from detente.knowledge._semantic import EmbedReport, embed_provisions, pending_embeddings
from detente.knowledge._tagger import (
    Classifier,
    rule_tags,
    rules_digest,
    suggest_tags,
    train_classifier,
)
from detente.knowledge._taxonomy import Taxonomy, Term, load_taxonomy
from detente.knowledge._text import search_text, tokens

__all__ = [
    "KINDS",
    "NOT_ASSESSED",
    "ROLES",
    "STATUS_FILTERS",
    "TAGGER_SCORE",
    "Browse",
    "Classifier",
    "Coverage",
    "DocumentMeta",
    "EmbedReport",
    "ImportReport",
    "SearchFilters",
    "SearchHit",
    "Taxonomy",
    "Term",
    "basis_text",
    "browse",
    "compare_issuers",
    "comparison_csv",
    "coverage_assessable",
    "coverage_cell",
    "coverage_matrix",
    "current_classifier",
    "display_label",
    "document_json",
    "document_status",
    "embed_provisions",
    "evaluate_gold",
    "get_document",
    "has_filter",
    "import_documents",
    "import_risks",
    "infer_kind",
    "is_illustrative",
    "issuer_needles",
    "jurisdiction_name",
    "jurisdiction_of",
    "language_name",
    "list_documents",
    "load_demo_knowledge",
    "load_taxonomy",
    "matrix_csv",
    "parse_bool",
    "parse_bytes",
    "parse_date",
    "parse_file",
    "parse_kind",
    "parse_size",
    "pending_embeddings",
    "read_gold",
    "red_lines",
    "reread_roles",
    "retag_all",
    "retrain",
    "review_tag",
    "rows_csv",
    "rule_phrases",
    "rule_tags",
    "rules_digest",
    "search",
    "search_text",
    "segment_blocks",
    "short_citation",
    "short_title",
    "status_filter",
    "suggest_tags",
    "tagging_status",
    "tokens",
    "train_classifier",
]
