"""Booking rules per service and booked appointments."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.booking import AppointmentStatus
from .base import Base, UTCDateTime, enum_column
from .offices import Office, Service


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
    status: Mapped[AppointmentStatus] = mapped_column(enum_column(AppointmentStatus, "appointment_status"),
                                                      default=AppointmentStatus.BOOKED)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), nullable=True)
    rescheduled_to_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), nullable=True)

    service: Mapped[Service] = relationship()
    office: Mapped[Office] = relationship()
