"""SQLAlchemy 2.x tables. No business rules here: those live in queueapp.domain."""
from __future__ import annotations

import enum
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import (JSON, Boolean, Date, DateTime, Enum, ForeignKey, Index, Integer,
                        String, Text, TypeDecorator, UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .domain.channels import Channel
from .domain.permissions import Role
from .domain.priority import PriorityGroup
from .domain.states import CounterState, TicketStatus


# Primary keys are INTEGER: on PostgreSQL a larger id in a URL or message is not an id at all.
MAX_ROW_ID = 2**31 - 1


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC, on every database alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=24, validate_strings=True,
                values_callable=lambda members: [m.value for m in members])


class Base(DeclarativeBase):
    pass


class Office(Base):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    address: Mapped[str] = mapped_column(Text, default="")
    # The office's event sequence number: +1 per published event, shared by all processes.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    open_weekdays: Mapped[str] = mapped_column(String(7), default="12345")
    opens: Mapped[str] = mapped_column(String(5), default="07:30")
    closes: Mapped[str] = mapped_column(String(5), default="16:00")
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    max_calls: Mapped[int] = mapped_column(Integer, default=3)
    finish_on_call_next: Mapped[bool] = mapped_column(Boolean, default=False)
    running_text: Mapped[str] = mapped_column(Text, default="")

    services: Mapped[list[Service]] = relationship(back_populates="office", order_by="Service.position")
    counters: Mapped[list[Counter]] = relationship(back_populates="office", order_by="Counter.number")


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("office_id", "prefix"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    prefix: Mapped[str] = mapped_column(String(3))
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    daily_quota: Mapped[int | None] = mapped_column(Integer, nullable=True)
    expected_minutes: Mapped[int] = mapped_column(Integer, default=10)
    target_wait_minutes: Mapped[int] = mapped_column(Integer, default=30)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    office: Mapped[Office] = relationship(back_populates="services")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_id


class Counter(Base):
    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("office_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    state: Mapped[CounterState] = mapped_column(_enum(CounterState, "counter_state"),
                                                default=CounterState.CLOSED)
    priority_first: Mapped[bool] = mapped_column(Boolean, default=True)

    office: Mapped[Office] = relationship(back_populates="counters")
    links: Mapped[list[CounterService]] = relationship(
        back_populates="counter", cascade="all, delete-orphan", order_by="CounterService.order")


class CounterService(Base):
    """Which services a counter serves; lower `order` is called first."""

    __tablename__ = "counter_services"

    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    order: Mapped[int] = mapped_column(Integer, default=1)

    counter: Mapped[Counter] = relationship(back_populates="links")
    service: Mapped[Service] = relationship()


class DailyCounter(Base):
    """Last number issued per service per business day; incremented atomically."""

    __tablename__ = "daily_counters"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    business_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("office_id", "business_date", "prefix", "number", name="uq_ticket_number"),
        UniqueConstraint("office_id", "idempotency_key", name="uq_ticket_idempotency"),
        Index("ix_tickets_line", "office_id", "business_date", "status", "service_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    business_date: Mapped[date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(3))
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(16))
    channel: Mapped[Channel] = mapped_column(_enum(Channel, "ticket_channel"), default=Channel.KIOSK)
    priority: Mapped[str | None] = mapped_column(String(24), nullable=True)
    status: Mapped[TicketStatus] = mapped_column(_enum(TicketStatus, "ticket_status"),
                                                 default=TicketStatus.WAITING)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    token: Mapped[str] = mapped_column(String(43), unique=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(64), nullable=True)

    service: Mapped[Service] = relationship()
    counter: Mapped[Counter | None] = relationship()


class TicketEvent(Base):
    """Append-only log: durations, reports and the audit trail come from here."""

    __tablename__ = "ticket_events"
    __table_args__ = (Index("ix_ticket_events_office_seq", "office_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), nullable=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class StaffUser(Base):
    __tablename__ = "staff_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "staff_role"))
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    office: Mapped[Office] = relationship()


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship()


# --- Appointments (issue 6): booking rules, opening hours, holidays, appointments. ---

from .domain.booking import AppointmentStatus  # noqa: E402 - grouped with the tables that use it


class BookingRule(Base):
    """Per service: whether and how it can be booked online, and its anti-hoarding limits."""

    __tablename__ = "booking_rules"

    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    bookable: Mapped[bool] = mapped_column(Boolean, default=False)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=15)
    capacity: Mapped[int] = mapped_column(Integer, default=4)
    notice_days: Mapped[int] = mapped_column(Integer, default=1)
    horizon_days: Mapped[int] = mapped_column(Integer, default=14)
    per_nik_day: Mapped[int] = mapped_column(Integer, default=1)
    per_nik_week: Mapped[int] = mapped_column(Integer, default=2)
    per_phone_day: Mapped[int] = mapped_column(Integer, default=2)
    per_phone_week: Mapped[int] = mapped_column(Integer, default=4)
    reoffer_delay_minutes: Mapped[int] = mapped_column(Integer, default=30)
    requires_nik: Mapped[bool] = mapped_column(Boolean, default=False)
    checkin_before_minutes: Mapped[int] = mapped_column(Integer, default=30)
    checkin_after_minutes: Mapped[int] = mapped_column(Integer, default=15)
    late_becomes_walk_in: Mapped[bool] = mapped_column(Boolean, default=True)
    # Fair merge: after this many appointment calls in a row a walk-in is called (0: off).
    appointments_in_a_row: Mapped[int] = mapped_column(Integer, default=2)
    online_join: Mapped[bool] = mapped_column(Boolean, default=False)
    online_daily_quota: Mapped[int] = mapped_column(Integer, default=0)
    online_per_phone_day: Mapped[int] = mapped_column(Integer, default=1)

    service: Mapped[Service] = relationship()


class OpeningHours(Base):
    """Weekly booking hours of an office, one row per ISO weekday (1 Monday .. 7 Sunday)."""

    __tablename__ = "opening_hours"
    __table_args__ = (UniqueConstraint("office_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[str] = mapped_column(String(5))
    closes: Mapped[str] = mapped_column(String(5))
    # "11:30-13:00" or several, comma separated.
    breaks: Mapped[str] = mapped_column(String(100), default="")


class Holiday(Base):
    """A closed date of an office: national holidays, cuti bersama, local closures."""

    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))


class Appointment(Base):
    """A booked slot. The NIK is kept only as a keyed hash (limits) and a masked form (staff)."""

    __tablename__ = "appointments"
    __table_args__ = (
        UniqueConstraint("office_id", "code", name="uq_appointment_code"),
        Index("ix_appointments_slot", "service_id", "slot_start"),
        Index("ix_appointments_phone", "office_id", "phone"),
        Index("ix_appointments_nik", "office_id", "nik_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    slot_start: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_end: Mapped[datetime] = mapped_column(UTCDateTime)
    code: Mapped[str] = mapped_column(String(12))
    manage_token: Mapped[str] = mapped_column(String(43), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20))
    nik_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    nik_masked: Mapped[str | None] = mapped_column(String(16), nullable=True)
    status: Mapped[AppointmentStatus] = mapped_column(_enum(AppointmentStatus, "appointment_status"),
                                                      default=AppointmentStatus.BOOKED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    rescheduled_to_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)

    service: Mapped[Service] = relationship()
    office: Mapped[Office] = relationship()


class OnlineJoin(Base):
    """A ticket taken from home: the phone only as a keyed hash, for the per-day limit."""

    __tablename__ = "online_joins"
    __table_args__ = (Index("ix_online_joins_day", "office_id", "business_date", "phone_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), unique=True)
    business_date: Mapped[date] = mapped_column(Date)
    phone_hash: Mapped[str] = mapped_column(String(64))


class Kiosk(Base):
    """One ticket kiosk of an office: its paper width and how it prints."""

    __tablename__ = "kiosks"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(64))
    # Thermal paper width in millimetres: 80 or 58.
    paper: Mapped[int] = mapped_column(Integer, default=80)
    # "browser" (print the PDF from the kiosk's browser), "network:HOST[:PORT]",
    # "usb:VENDOR:PRODUCT" (hex ids) or "file:/dev/usb/lp0".
    printer: Mapped[str] = mapped_column(String(200), default="browser")
