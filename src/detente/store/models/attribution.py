"""Overrides of the attribution policy: a text an organizer published anyway, and why.

Under the Chatham House rule a text that the attribution checker flags is held back; an
organizer may publish it with a reason. The override is kept per event and exact text (its
SHA-256), so changing the text brings the check back; the reason also goes to the audit log.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from detente.store.base import Base, utcnow
from detente.store.models.auth import User

__all__ = ["AttributionOverride"]


class AttributionOverride(Base):
    """One held text published anyway: which event, where, the text's digest, who and why."""

    __tablename__ = "attribution_overrides"
    __table_args__ = (UniqueConstraint("event_id", "target", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          index=True)
    #: Where the text is shown, e.g. ``news:3:body_local`` or ``proposal:5:text``.
    target: Mapped[str] = mapped_column(String(200))
    #: SHA-256 hex digest of the text as stored (stripped).
    digest: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User | None] = relationship()
