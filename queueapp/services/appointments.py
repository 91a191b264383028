"""Appointment use cases: book, cancel, reschedule. Each returns the manage token of the
appointment it leaves active; queries.booking shows it.

Every write locks the office row first (uow.lock_office), then counts and inserts in the
same transaction: two citizens can never take the last seat of a slot together.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database, UnitOfWork
from ..domain import booking, errors
from ..domain.booking import AppointmentStatus as Status
from ..domain.events import EventType
from ..domain.numbering import business_date
from ..models import Appointment, Office, Service
from ..notifications import triggers as notify

def _count(session: Session, office_id: int, column, value: str, start: datetime, end: datetime,
           exclude_id: int | None) -> int:
    stmt = select(func.count()).select_from(Appointment).where(
        Appointment.office_id == office_id, column == value,
        Appointment.status.in_(list(booking.COUNTS_FOR_LIMITS)),
        Appointment.slot_start >= start, Appointment.slot_start < end)
    if exclude_id is not None:
        stmt = stmt.where(Appointment.id != exclude_id)
    return session.execute(stmt).scalar_one()


def _check_limits(session: Session, office: Office, rule: booking.Rule, day: date, phone: str,
                  nik_hash: str | None, exclude_id: int | None = None) -> None:
    day_span = repository.day_bounds(day, office.timezone)
    monday, _ = booking.week_of(day)
    week_span = repository.day_bounds(monday, office.timezone, days=7)

    def used(column, value, span):
        return _count(session, office.id, column, value, *span, exclude_id) if value else 0
    booking.check_limits(nik_day=used(Appointment.nik_hash, nik_hash, day_span),
                         nik_week=used(Appointment.nik_hash, nik_hash, week_span),
                         phone_day=used(Appointment.phone, phone, day_span),
                         phone_week=used(Appointment.phone, phone, week_span), rule=rule)


def _take_seat(uow: UnitOfWork, office: Office, service: Service, rule: booking.Rule, start: datetime,
               now: datetime) -> booking.Slot:
    """Window, opening hours and capacity, checked with the office row locked."""
    tz = ZoneInfo(office.timezone)
    start = start.astimezone(tz)
    booking.check_window(start.date(), business_date(now, office.timezone), rule)
    slot = booking.find_slot(repository.calendar_of(uow.session, office), start, rule)
    holders = repository.seat_holders(uow.session, service.id, slot.start, slot.start + timedelta(seconds=1))
    booking.check_capacity(booking.seats_taken(holders.get(slot.start, []), now, rule), rule)
    return slot


def _new_code(session: Session, office_id: int) -> str:
    while True:
        code = "".join(secrets.choice(booking.CODE_ALPHABET) for _ in range(booking.CODE_LENGTH))
        taken = session.execute(select(Appointment.id).where(
            Appointment.office_id == office_id, Appointment.code == code)).first()
        if not taken:
            return code


def _clean_person(rule: booking.Rule, name, phone, nik, secret_key: str):
    name, phone = booking.clean_name(name), booking.clean_phone(phone)
    if nik in (None, "") and not rule.requires_nik:
        return name, phone, None, None
    nik = booking.clean_nik(nik)
    return name, phone, booking.keyed_digest(nik, booking.personal_data_key(secret_key)), booking.mask_nik(nik)


def book(db: Database, office_slug: str, service_prefix: str, start: datetime, *, name: str,
         phone: str, nik: str | None, now: datetime, secret_key: str, notify_channels: list[str] | None = None,
         language: str | None = None) -> str:
    """Book one seat of the slot starting at `start`.

    Returns the manage token. Raises NotBookable, OutsideWindow, BookingClosed, SlotFull,
    LimitReached, and InvalidName / InvalidPhone / InvalidNik (422) for bad fields.
    `notify_channels`: the channels the citizen agreed to be told on (a confirmation is queued).
    """
    with db.write() as uow:
        s = uow.session
        office = repository.office_by_slug(s, office_slug)
        service, rule = repository.bookable_service(s, office, service_prefix)
        name, phone, nik_hash, nik_masked = _clean_person(rule, name, phone, nik, secret_key)
        office = uow.lock_office(office.id)
        slot = _take_seat(uow, office, service, rule, start, now)
        _check_limits(s, office, rule, slot.start.date(), phone, nik_hash)
        appointment = Appointment(office_id=office.id, service_id=service.id, slot_start=slot.start,
                                  slot_end=slot.end, code=_new_code(s, office.id),
                                  manage_token=secrets.token_urlsafe(24), name=name, phone=phone,
                                  nik_hash=nik_hash, nik_masked=nik_masked, status=Status.BOOKED,
                                  created_at=now)
        s.add(appointment)
        s.flush()
        uow.record(office, EventType.APPOINTMENT_BOOKED, now, data={"service": service.prefix,
                                                                     "start": slot.start.isoformat()})
        notify.appointment_booked(s, office, appointment, notify_channels, phone=phone, language=language, now=now,
                                  secret_key=secret_key)
        return appointment.manage_token


def _release(appointment: Appointment, status: Status, now: datetime) -> None:
    if Status(appointment.status) != Status.BOOKED:
        raise errors.AppointmentNotActive(state=Status(appointment.status).value)
    appointment.status = status
    appointment.cancelled_at = now


def cancel(db: Database, token: str, *, now: datetime) -> str:
    """The citizen cancels. The seat is offered again after the rule's re-offer delay.
    Raises AppointmentNotFound, AppointmentNotActive (already cancelled, used, ...)."""
    with db.write() as uow:
        appointment = repository.appointment_by_token(uow.session, token)
        office = uow.lock_office(appointment.office_id)
        uow.session.refresh(appointment)
        _release(appointment, Status.CANCELLED, now)
        uow.record(office, EventType.APPOINTMENT_CANCELLED, now, data={"service": appointment.service.prefix})
        notify.appointment_changed(uow.session, office, appointment, None, now=now)
        return appointment.manage_token


def reschedule(db: Database, token: str, start: datetime, *, now: datetime) -> str:
    """Move to another slot of the same service: a new appointment (new code and manage
    token) is booked and the old one becomes "rescheduled", in one transaction.
    Returns the new manage token. Raises what `book` and `cancel` raise."""
    with db.write() as uow:
        s = uow.session
        old = repository.appointment_by_token(s, token)
        office = uow.lock_office(old.office_id)
        s.refresh(old)
        service = old.service
        rule = repository.rule_of(repository.rule_row(s, service))
        if Status(old.status) != Status.BOOKED:
            raise errors.AppointmentNotActive(state=Status(old.status).value)
        slot = _take_seat(uow, office, service, rule, start, now)
        _check_limits(s, office, rule, slot.start.date(), old.phone, old.nik_hash, exclude_id=old.id)
        new = Appointment(office_id=office.id, service_id=service.id, slot_start=slot.start,
                          slot_end=slot.end, code=_new_code(s, office.id),
                          manage_token=secrets.token_urlsafe(24), name=old.name, phone=old.phone,
                          nik_hash=old.nik_hash, nik_masked=old.nik_masked, status=Status.BOOKED,
                          created_at=now)
        s.add(new)
        s.flush()
        _release(old, Status.RESCHEDULED, now)
        old.rescheduled_to_id = new.id
        uow.record(office, EventType.APPOINTMENT_RESCHEDULED, now, data={"service": service.prefix,
                                                                          "start": slot.start.isoformat()})
        notify.appointment_changed(s, office, old, new, now=now)
        return new.manage_token
