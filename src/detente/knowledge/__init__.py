"""Governance knowledge base: AI governance instruments split into provisions, tagged with a
shared bilingual taxonomy, searchable in English and Chinese, compared side by side."""
