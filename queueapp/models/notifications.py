"""Notifications: a citizen's consent per channel, the outbox of messages to send, its
delivery log, and each office's notification settings (docs/NOTIFICATIONS.md)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime


class NotifyConsent(Base):
    """A citizen's yes to messages on one channel, for one ticket or one appointment.

    `recipient` is the phone (or, for web push, the subscription), encrypted with a key
    derived from SECRET_KEY (domain.notify.seal); `recipient_hash` the phone's keyed hash,
    so an erasure request by phone finds it. Both are erased with the other personal
    fields (services.privacy); the row stays as the record of the consent."""

    __tablename__ = "notify_consents"
    __table_args__ = (
        Index("ix_notify_consents_ticket", "ticket_id"),
        Index("ix_notify_consents_appointment", "appointment_id"),
        Index("ix_notify_consents_hash", "recipient_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)
    channel: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(Text)
    recipient_hash: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(5), default="id")
    text_version: Mapped[str] = mapped_column(String(16))
    given_by: Mapped[str] = mapped_column(String(16))   # citizen | clerk
    given_at: Mapped[datetime] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class OutboxMessage(Base):
    """One message to one citizen, queued in the transaction of the change that causes it.
    No phone here: the worker finds the recipient through the citizen's consent."""

    __tablename__ = "notify_outbox"
    __table_args__ = (
        Index("ix_notify_outbox_due", "state", "next_attempt_at"),
        Index("ix_notify_outbox_citizen", "citizen", "id"),
        Index("ix_notify_outbox_office", "office_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    # "t<ticket id>" or "a<appointment id>": messages of one citizen go out in id order.
    citizen: Mapped[str] = mapped_column(String(24))
    channel: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(5), default="id")
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    idempotency_key: Mapped[str] = mapped_column(String(96), unique=True)
    state: Mapped[str] = mapped_column(String(12), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    last_answer: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DeliveryLog(Base):
    """Each step of a message: queued, sent, retry, failed, dead, with the provider's answer
    (trimmed; never the phone)."""

    __tablename__ = "notify_log"
    __table_args__ = (Index("ix_notify_log_message", "message_id"),
                      Index("ix_notify_log_office", "office_id", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("notify_outbox.id"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(12))
    channel: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str | None] = mapped_column(String(300), nullable=True)


class NotifySettings(Base):
    """An office's choices: channels in fallback order, the daily cap of paid messages,
    the "N ahead of you" threshold, and its own message texts (kind -> language -> text)."""

    __tablename__ = "notify_settings"

    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    channels: Mapped[str] = mapped_column(String(64), default="whatsapp,sms")
    daily_cap: Mapped[int] = mapped_column(Integer, default=500)
    ahead_threshold: Mapped[int] = mapped_column(Integer, default=3)
    texts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
