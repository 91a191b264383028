"""Browsers that asked to be told about a ticket by web push (domain.push)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class PushSubscription(Base):
    """One browser's push subscription for one ticket. The endpoint identifies the browser:
    personal data, never logged, deleted with the ticket's other personal data (the privacy
    purge) or when the push service says it is gone."""

    __tablename__ = "push_subscriptions"
    __table_args__ = (
        UniqueConstraint("ticket_id", "endpoint", name="uq_push_subscriptions_ticket_endpoint"),
        Index("ix_push_subscriptions_ticket", "ticket_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"))
    endpoint: Mapped[str] = mapped_column(String(1000))
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    # The page's language when the citizen subscribed: the message's language.
    locale: Mapped[str] = mapped_column(String(8), default="id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
