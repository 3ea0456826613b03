"""The site's main navigation: (path, label) pairs, labels translated when rendered."""

from __future__ import annotations

__all__ = ["NAV_ITEMS"]

NAV_ITEMS: list[tuple[str, str]] = [
    ("/", "Events"),
    ("/states", "State positions"),
    ("/deliberations", "Deliberations"),
    ("/news", "News"),
    ("/kb", "Knowledge base"),
]
