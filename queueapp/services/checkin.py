"""Arriving: check-in at the kiosk with a booking code, missed appointments becoming
no-shows, and joining today's queue from home."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from .. import repository
from ..db import Database, UnitOfWork
from ..domain import booking, errors
from ..domain.booking import AppointmentStatus as Status
from ..domain.channels import Channel
from ..domain.events import EventType
from ..domain.numbering import business_date
from ..models import Appointment, Office, OnlineJoin, Ticket
from ..notifications import triggers as notify
from .tickets import TicketChange, add_ticket


def _expire(uow: UnitOfWork, office: Office, now: datetime) -> int:
    """Booked appointments of the office whose check-in window has passed become no-shows."""
    s = uow.session
    booked = s.execute(select(Appointment).where(
        Appointment.office_id == office.id, Appointment.status == Status.BOOKED,
        Appointment.slot_start < now)).scalars().all()
    expired = 0
    for appointment in booked:
        if booking.is_past_window(appointment.slot_start, now, repository.rule_of(repository.rule_row(s, appointment.service))):
            appointment.status = Status.NO_SHOW
            expired += 1
    if expired:
        uow.record(office, EventType.APPOINTMENT_NO_SHOW, now, data={"count": expired})
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


def check_in(db: Database, office_slug: str, code: str, *, now: datetime) -> TicketChange:
    """Turn a booking code into a ticket in today's queue, linked to the appointment.

    Inside the window (rule: default 30 min before to 15 min after the slot start) the
    ticket has channel "appointment" and stands in line from the slot start. Later, it is
    a walk-in ticket from now, or TooLate, by the rule's `late_becomes_walk_in`.
    Checking in twice returns the same ticket. Raises AppointmentNotFound, TooEarly
    (`come_back`: local time), TooLate, AppointmentNotActive, OfficeClosed.
    """
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office(repository.office_by_slug(s, office_slug).id)
        appointment = s.execute(select(Appointment).where(
            Appointment.office_id == office.id, Appointment.code == booking.clean_code(code))).scalar_one_or_none()
        if appointment is None:
            raise errors.AppointmentNotFound()
        if Status(appointment.status) == Status.CHECKED_IN and appointment.ticket_id:
            return TicketChange(appointment.ticket_id, replayed=True)
        if Status(appointment.status) not in (Status.BOOKED, Status.NO_SHOW):
            raise errors.AppointmentNotActive(state=Status(appointment.status).value)
        rule = repository.rule_of(repository.rule_row(s, appointment.service))
        local_start = appointment.slot_start.astimezone(ZoneInfo(office.timezone))
        timing = booking.check_in_window(local_start, now, rule)
        same_day = local_start.date() == business_date(now, office.timezone)
        if timing == "late" and not (rule.late_becomes_walk_in and same_day):
            raise errors.TooLate()
        on_time = timing == "on_time"
        issued = add_ticket(uow, office, appointment.service, now,
                            channel=Channel.APPOINTMENT if on_time else Channel.KIOSK,
                            queued_at=appointment.slot_start if on_time else now, enforce_quota=not on_time,
                            event_data={"appointment": True, "late": not on_time})
        appointment.status = Status.CHECKED_IN
        appointment.ticket_id = issued.ticket_id
        notify.appointment_checked_in(s, appointment, issued.ticket_id)
        _expire(uow, office, now)
        return TicketChange.of(issued)


def join_online(db: Database, office_slug: str, service_prefix: str, phone: str, *, now: datetime,
                secret_key: str, notify_channels: list[str] | None = None,
                language: str | None = None) -> TicketChange:
    """Join today's queue from home: an "online" ticket with the same status page as a
    kiosk ticket. Only when the service allows it, while its online daily quota lasts,
    and up to the rule's tickets per phone per day (the phone is kept only as a keyed hash).
    Raises OnlineJoinClosed, QuotaReached, LimitReached, InvalidPhone, OfficeClosed.
    `notify_channels`: the channels the citizen agreed to be told on (phone kept encrypted).
    """
    digest = booking.keyed_digest(booking.clean_phone(phone), booking.personal_data_key(secret_key))
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office(repository.office_by_slug(s, office_slug).id)
        service = repository.service_by_prefix(s, office, service_prefix)
        rule = repository.rule_row(s, service)
        if rule is None or not rule.online_join or not service.active:
            raise errors.OnlineJoinClosed(service=service.prefix)
        day = business_date(now, office.timezone)
        if repository.online_used(s, office.id, service.id, day) >= rule.online_daily_quota:
            raise errors.QuotaReached(quota=rule.online_daily_quota)
        per_phone = rule.online_per_phone_day
        used = s.execute(select(func.count()).select_from(OnlineJoin).where(
            OnlineJoin.office_id == office.id, OnlineJoin.business_date == day,
            OnlineJoin.phone_hash == digest)).scalar_one()
        if per_phone and used >= per_phone:
            raise errors.LimitReached(limit=per_phone, which="phone_day")
        issued = add_ticket(uow, office, service, now, channel=Channel.ONLINE)
        s.add(OnlineJoin(office_id=office.id, ticket_id=issued.ticket_id, business_date=day, phone_hash=digest))
        notify.ticket_consented(s, office, s.get(Ticket, issued.ticket_id), notify_channels, phone=phone,
                                language=language, now=now, secret_key=secret_key)
        return TicketChange.of(issued)


