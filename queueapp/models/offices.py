"""An office and what it is made of: zones, services, counters, opening hours, holidays,
kiosks and displays."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..domain.states import CounterState
from .base import Base, UTCDateTime, enum_column


class Office(Base):
    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Jakarta")
    address: Mapped[str] = mapped_column(Text, default="")
    # The office's event sequence number: +1 per published event, shared by all processes.
    seq: Mapped[int] = mapped_column(Integer, default=0)
    # Closed by hand (e.g. an emergency), whatever the opening hours say.
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The last business day on which a citizen agreed to messages about a ticket: a line
    # move on another day looks for no "N ahead" messages (no query on the call's path).
    notify_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    max_calls: Mapped[int] = mapped_column(Integer, default=3)
    finish_on_call_next: Mapped[bool] = mapped_column(Boolean, default=False)
    running_text: Mapped[str] = mapped_column(Text, default="")
    # How citizens reach the office, and where they complain (SP4N-LAPOR!, a WhatsApp number).
    contact: Mapped[str] = mapped_column(Text, default="")
    complaint_channel: Mapped[str] = mapped_column(Text, default="")
    # The service pledge (maklumat pelayanan; empty: the regulation's standard wording) and
    # whether the lobby display shows it now and then.
    pledge: Mapped[str] = mapped_column(Text, default="")
    pledge_on_display: Mapped[bool] = mapped_column(Boolean, default=False)
    # A small PNG or JPEG shown on the kiosk, the display and the printed ticket.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    logo_type: Mapped[str] = mapped_column(String(32), default="")

    zones: Mapped[list[Zone]] = relationship(back_populates="office", order_by="Zone.position")
    services: Mapped[list[Service]] = relationship(back_populates="office", order_by="Service.position")
    counters: Mapped[list[Counter]] = relationship(back_populates="office", order_by="Counter.number")


class Zone(Base):
    """A part of an office with its own services, counters, devices and staff: an agency
    of a Mal Pelayanan Publik (Dukcapil, Imigrasi, BPJS) or a floor of a large office."""

    __tablename__ = "zones"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(100))
    # The agency running it, as citizens know it ("Disdukcapil Kota Makassar").
    agency: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    office: Mapped[Office] = relationship(back_populates="zones")


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
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), nullable=True)
    # The service standard citizens see (Permenpan RB 15/2014): requirements (one per
    # line), completion time, fee and product.
    requirements: Mapped[str] = mapped_column(Text, default="")
    completion_time: Mapped[str] = mapped_column(String(200), default="")
    fee: Mapped[str] = mapped_column(String(200), default="")
    product: Mapped[str] = mapped_column(String(200), default="")
    # The procedure (steps, one per line) and how to complain about this service (empty:
    # the office's complaint channel): the rest of the six components.
    procedure: Mapped[str] = mapped_column(Text, default="")
    complaints: Mapped[str] = mapped_column(String(500), default="")

    office: Mapped[Office] = relationship(back_populates="services")


class Counter(Base):
    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("office_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    state: Mapped[CounterState] = mapped_column(enum_column(CounterState, "counter_state"),
                                                default=CounterState.CLOSED)
    priority_first: Mapped[bool] = mapped_column(Boolean, default=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), nullable=True)

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


class OpeningHours(Base):
    """One opening period of an office on an ISO weekday (1 Monday .. 7 Sunday): when the
    kiosk issues tickets (walk_ins) and when slots can be booked (appointments). Most
    offices have one row per weekday serving both; domain.hours reads them."""

    __tablename__ = "opening_hours"
    __table_args__ = (UniqueConstraint("office_id", "weekday", "opens", "closes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[str] = mapped_column(String(5))
    closes: Mapped[str] = mapped_column(String(5))
    # "11:30-13:00" or several, comma separated.
    breaks: Mapped[str] = mapped_column(String(100), default="")
    walk_ins: Mapped[bool] = mapped_column(Boolean, default=True)
    appointments: Mapped[bool] = mapped_column(Boolean, default=True)


class Holiday(Base):
    """A closed date of an office: national holidays, cuti bersama, local closures."""

    __tablename__ = "holidays"
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))


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
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), nullable=True)
    # The SHA-256 of the device token that pairs a browser (or a program) with this kiosk:
    # only a paired kiosk issues tickets. None: not paired (or revoked).
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The printer's last known state (domain.printer.PrinterState; None: never reported)
    # and when it was learnt: from the kiosk's own report, ESC/POS status, or staff.
    printer_state: Mapped[str | None] = mapped_column(String(16), nullable=True)
    printer_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Display(Base):
    """One lobby display of an office: what it shows and how it speaks. The page's URL
    parameters still override these (a technician trying a screen)."""

    __tablename__ = "displays"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    name: Mapped[str] = mapped_column(String(64))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id"), nullable=True)
    # Service prefixes shown, comma separated; empty: every service (of the zone).
    services: Mapped[str] = mapped_column(String(200), default="")
    # Language of the voice announcement: "id" or "en" (Indonesian then English: "id,en").
    language: Mapped[str] = mapped_column(String(8), default="id")
    # How many times each call is announced.
    repeat: Mapped[int] = mapped_column(Integer, default=1)
    # How many calls it shows together, the newest highlighted.
    calls: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
