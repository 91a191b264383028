"""Arriving: check-in at the kiosk, no-shows, joining today's queue from home, and the
fair-merge dispatch policy of a counter."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import Database, UnitOfWork
from ..domain import booking, errors
from ..domain.booking import AppointmentStatus as Status
from ..domain.numbering import business_date
from ..models import Appointment, Channel, Office, OnlineJoin, Ticket
from ..queries import ticket_view
from . import access
from .appointments import clean_code, nik_key, rule_of, rule_row
from .tickets import add_ticket


def _expire(uow: UnitOfWork, office: Office, now: datetime) -> int:
    """Booked appointments of the office whose check-in window has passed become no-shows."""
    s = uow.session
    booked = s.execute(select(Appointment).where(
        Appointment.office_id == office.id, Appointment.status == Status.BOOKED,
        Appointment.slot_start < now)).scalars().all()
    expired = 0
    for appointment in booked:
        if booking.is_past_window(appointment.slot_start, now, rule_of(rule_row(s, appointment.service))):
            appointment.status = Status.NO_SHOW
            expired += 1
    if expired:
        uow.record(office, "appointment.no_show", now, data={"count": expired})
    return expired


def expire_appointments(db: Database, *, now: datetime) -> int:
    """Mark every office's missed appointments as no-shows; returns how many. Also run
    on every check-in (for its office); `queueapp expire-appointments` runs it from cron."""
    with db.read() as s:
        office_ids = [o.id for o in s.execute(select(Office)).scalars()]
    total = 0
    for office_id in office_ids:
        with db.write() as uow:
            total += _expire(uow, uow.lock_office(office_id), now)
    return total


def check_in(db: Database, office_slug: str, code: str, *, now: datetime) -> dict:
    """Turn a booking code into a ticket in today's queue, linked to the appointment.

    Inside the window (rule: default 30 min before to 15 min after the slot start) the
    ticket has channel "appointment" and stands in line from the slot start. Later, it is
    a walk-in ticket from now, or TooLate, by the rule's `late_becomes_walk_in`.
    Checking in twice returns the same ticket. Raises AppointmentNotFound, TooEarly
    (`come_back`: local time), TooLate, AppointmentNotActive, OfficeClosed.
    """
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office(access.office_by_slug(s, office_slug).id)
        appointment = s.execute(select(Appointment).where(
            Appointment.office_id == office.id, Appointment.code == clean_code(code))).scalar_one_or_none()
        if appointment is None:
            raise errors.AppointmentNotFound()
        if Status(appointment.status) == Status.CHECKED_IN and appointment.ticket_id:
            return {**ticket_view(s, s.get(Ticket, appointment.ticket_id), now), "replayed": True}
        if Status(appointment.status) not in (Status.BOOKED, Status.NO_SHOW):
            raise errors.AppointmentNotActive(state=Status(appointment.status).value)
        rule = rule_of(rule_row(s, appointment.service))
        local_start = appointment.slot_start.astimezone(ZoneInfo(office.timezone))
        timing = booking.check_in_window(local_start, now, rule)
        same_day = local_start.date() == business_date(now, office.timezone)
        if timing == "late" and not (rule.late_becomes_walk_in and same_day):
            raise errors.TooLate()
        on_time = timing == "on_time"
        ticket = add_ticket(uow, office, appointment.service, now,
                            channel=Channel.APPOINTMENT if on_time else Channel.KIOSK,
                            queued_at=appointment.slot_start if on_time else now, enforce_quota=not on_time,
                            event_data={"appointment": True, "late": not on_time})
        appointment.status = Status.CHECKED_IN
        appointment.ticket_id = ticket.id
        _expire(uow, office, now)
        return {**ticket_view(s, ticket, now), "replayed": False}


def _online_used(session: Session, office_id: int, service_id: int, day) -> int:
    return session.execute(select(func.count()).select_from(Ticket).where(
        Ticket.office_id == office_id, Ticket.service_id == service_id, Ticket.business_date == day,
        Ticket.channel == Channel.ONLINE)).scalar_one()


def online_status(session: Session, office: Office, service, now: datetime) -> dict:
    """Whether a citizen can join this service's queue from home now, and seats left."""
    row = rule_row(session, service)
    if row is None or not row.online_join or not service.active:
        return {"allowed": False, "left": 0}
    left = max(0, row.online_daily_quota - _online_used(session, office.id, service.id,
                                                        business_date(now, office.timezone)))
    return {"allowed": True, "left": left}


def join_online(db: Database, office_slug: str, service_prefix: str, phone: str, *, now: datetime,
                secret_key: str) -> dict:
    """Join today's queue from home: an "online" ticket with the same status page as a
    kiosk ticket. Only when the service allows it, while its online daily quota lasts,
    and up to the rule's tickets per phone per day (the phone is kept only as a keyed hash).
    Raises OnlineJoinClosed, QuotaReached, LimitReached, InvalidPhone, OfficeClosed.
    """
    digest = booking.keyed_digest(booking.clean_phone(phone), nik_key(secret_key))
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office(access.office_by_slug(s, office_slug).id)
        service = access.service_by_prefix(s, office, service_prefix)
        status = online_status(s, office, service, now)
        if not status["allowed"]:
            raise errors.OnlineJoinClosed(service=service.prefix)
        if status["left"] <= 0:
            raise errors.QuotaReached(quota=rule_row(s, service).online_daily_quota)
        day = business_date(now, office.timezone)
        per_phone = rule_row(s, service).online_per_phone_day
        used = s.execute(select(func.count()).select_from(OnlineJoin).where(
            OnlineJoin.office_id == office.id, OnlineJoin.business_date == day,
            OnlineJoin.phone_hash == digest)).scalar_one()
        if per_phone and used >= per_phone:
            raise errors.LimitReached(limit=per_phone, which="phone_day")
        ticket = add_ticket(uow, office, service, now, channel=Channel.ONLINE)
        s.add(OnlineJoin(office_id=office.id, ticket_id=ticket.id, business_date=day, phone_hash=digest))
        return ticket_view(s, ticket, now)


