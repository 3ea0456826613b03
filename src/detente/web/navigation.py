"""The site's main navigation: (path, label) pairs from the capability registry, labels
translated when rendered."""

from __future__ import annotations

from detente.capabilities import navigation

__all__ = ["NAV_ITEMS"]

NAV_ITEMS: list[tuple[str, str]] = [(item.path, item.label) for item in navigation()]
