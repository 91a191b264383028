"""Tickets, their per-day numbering counters, the event log, and tickets taken from home."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.channels import Channel
from ..domain.priority import PriorityGroup
from ..domain.states import TicketStatus
from .base import Base, UTCDateTime, enum_column
from .offices import Counter, Service


class DailyCounter(Base):
    """Per service per business day: the last number issued (incremented atomically) and
    the tickets waiting in its line (kept by the database's triggers on tickets, migration
    0017: no write path maintains it by hand)."""

    __tablename__ = "daily_counters"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)
    waiting: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("office_id", "business_date", "prefix", "number", name="uq_ticket_number"),
        UniqueConstraint("office_id", "idempotency_key", name="uq_ticket_idempotency"),
        Index("ix_tickets_line", "office_id", "business_date", "status", "service_id"),
        # The ETA's recent service times: one service's finished tickets of a day, newest
        # first, without reading the year of history (migration 0006).
        Index("ix_tickets_service_times", "service_id", "business_date", "status", "finished_at"),
        # What stands at a counter (call-next, the counter's row on every board).
        Index("ix_tickets_at_counter", "counter_id", "status"),
        # Those behind a number in its line, from its place in time (migration 0016).
        Index("ix_tickets_queue", "office_id", "business_date", "service_id", "queued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    business_date: Mapped[date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(3))
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(16))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "ticket_channel"), default=Channel.KIOSK)
    priority: Mapped[PriorityGroup | None] = mapped_column(enum_column(PriorityGroup, "priority_group"),
                                                         nullable=True)
    status: Mapped[TicketStatus] = mapped_column(enum_column(TicketStatus, "ticket_status"),
                                                 default=TicketStatus.WAITING)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    # The citizen agreed to messages about this ticket (notify_consents has what and how):
    # a ticket without it costs its changes no look-up of consents.
    notify: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    token: Mapped[str] = mapped_column(String(43), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The request the key was first sent with (method, path, body, caller): the same key
    # with another request is refused rather than answered with this ticket.
    idempotency_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)

    service: Mapped[Service] = relationship()
    counter: Mapped[Counter | None] = relationship()


class TicketEvent(Base):
    """Append-only log: durations, reports and the audit trail come from here."""

    __tablename__ = "ticket_events"
    __table_args__ = (
        Index("ix_ticket_events_office_seq", "office_id", "seq"),
        # A counter's calls of the day (the fair merge's streak, at every call-next).
        Index("ix_ticket_events_counter_calls", "counter_id", "type", "at"),
        # The lobby board's latest calls: the office's call events of one day.
        Index("ix_ticket_events_office_calls", "office_id", "type", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class OnlineJoin(Base):
    """A ticket taken from home: the phone only as a keyed hash, for the per-day limit."""

    __tablename__ = "online_joins"
    __table_args__ = (Index("ix_online_joins_day", "office_id", "business_date", "phone_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    business_date: Mapped[date] = mapped_column(Date)
    phone_hash: Mapped[str] = mapped_column(String(64))
