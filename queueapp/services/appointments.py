"""Appointment use cases: open days and slots, book, cancel, reschedule.

Every write locks the office row first (uow.lock_office), then counts and inserts in the
same transaction: two citizens can never take the last seat of a slot together.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..db import Database, UnitOfWork
from ..domain import booking, errors
from ..domain.booking import AppointmentStatus as Status
from ..domain.numbering import business_date
from ..models import Appointment, BookingRule, Holiday, Office, OpeningHours, Service
from . import access

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed at a kiosk
CODE_LENGTH = 8


def nik_key(secret_key: str) -> bytes:
    """The HMAC key for NIKs and phones, derived from the app's SECRET_KEY."""
    return hashlib.sha256(b"queueapp:personal-data:" + secret_key.encode()).digest()


def rule_of(row: BookingRule | None) -> booking.Rule:
    if row is None:
        return booking.Rule(bookable=False)
    return booking.Rule(**{name: getattr(row, name) for name in booking.Rule.__dataclass_fields__})


def rule_row(session: Session, service: Service) -> BookingRule | None:
    return session.get(BookingRule, service.id)


def bookable_service(session: Session, office: Office, prefix: str) -> tuple[Service, booking.Rule]:
    """The service and its rule; NotBookable when it takes no appointments."""
    service = access.service_by_prefix(session, office, prefix)
    rule = rule_of(rule_row(session, service))
    if not (rule.bookable and service.active):
        raise errors.NotBookable(service=service.prefix)
    return service, rule


def calendar_of(session: Session, office: Office) -> booking.Calendar:
    hours = session.execute(select(OpeningHours).where(OpeningHours.office_id == office.id)).scalars()
    holidays = session.execute(select(Holiday).where(Holiday.office_id == office.id)).scalars()
    return booking.Calendar(
        tz_name=office.timezone,
        weekly={h.weekday: booking.DayHours(h.opens, h.closes, booking.parse_breaks(h.breaks)) for h in hours},
        holidays={h.day: h.name for h in holidays})


def _day_bounds(day: date, tz_name: str, days: int = 1) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), ZoneInfo(tz_name))
    return start, start + timedelta(days=days)


def _seat_holders(session: Session, service_id: int, start: datetime, end: datetime) -> dict:
    """(status, cancelled_at) of each appointment by slot start, for slots in [start, end)."""
    rows = session.execute(select(Appointment.slot_start, Appointment.status, Appointment.cancelled_at).where(
        Appointment.service_id == service_id, Appointment.slot_start >= start, Appointment.slot_start < end))
    holders: dict[datetime, list] = {}
    for slot_start, status, cancelled_at in rows:
        holders.setdefault(slot_start, []).append((status, cancelled_at))
    return holders


def _slot_views(session: Session, office: Office, service: Service, rule: booking.Rule, day: date,
                now: datetime) -> list[dict]:
    slots = booking.day_slots(calendar_of(session, office), day, rule.slot_minutes)
    holders = _seat_holders(session, service.id, *_day_bounds(day, office.timezone))
    views = []
    for slot in slots:
        taken = booking.seats_taken(holders.get(slot.start, []), now, rule)
        views.append({"start": slot.start.isoformat(), "end": slot.end.isoformat(),
                      "capacity": rule.capacity, "remaining": max(0, rule.capacity - taken)})
    return views


def slots(db: Database, office_slug: str, service_prefix: str, day: date, *, now: datetime) -> list[dict]:
    """A day's slots with their remaining seats, times in the office's zone.

    Raises NotBookable, OutsideWindow, BookingClosed (a holiday: `reason` names it).
    """
    with db.read() as s:
        office = access.office_by_slug(s, office_slug)
        service, rule = bookable_service(s, office, service_prefix)
        booking.check_window(day, business_date(now, office.timezone), rule)
        calendar = calendar_of(s, office)
        if day in calendar.holidays:
            raise errors.BookingClosed(reason=calendar.holidays[day])
        return _slot_views(s, office, service, rule, day, now)


def calendar(db: Database, office_slug: str, service_prefix: str, *, now: datetime) -> dict:
    """The booking window day by day: open (with seats left), full, or closed (why)."""
    with db.read() as s:
        office = access.office_by_slug(s, office_slug)
        service, rule = bookable_service(s, office, service_prefix)
        cal = calendar_of(s, office)
        first, last = booking.booking_window(business_date(now, office.timezone), rule)
        days = []
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            views = _slot_views(s, office, service, rule, day, now)
            left = sum(v["remaining"] for v in views)
            state = "closed" if not views else ("full" if left == 0 else "open")
            days.append({"date": day, "state": state, "remaining": left,
                         "holiday": cal.holidays.get(day)})
        return {"office": office.name, "service": service.prefix, "service_name_id": service.name_id,
                "service_name_en": service.name_en, "requires_nik": rule.requires_nik, "days": days}


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
    day_span = _day_bounds(day, office.timezone)
    monday, _ = booking.week_of(day)
    week_span = _day_bounds(monday, office.timezone, days=7)

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
    slot = booking.find_slot(calendar_of(uow.session, office), start, rule)
    holders = _seat_holders(uow.session, service.id, slot.start, slot.start + timedelta(seconds=1))
    booking.check_capacity(booking.seats_taken(holders.get(slot.start, []), now, rule), rule)
    return slot


def _new_code(session: Session, office_id: int) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = session.execute(select(Appointment.id).where(
            Appointment.office_id == office_id, Appointment.code == code)).first()
        if not taken:
            return code


def clean_code(value: str | None) -> str:
    """What a citizen types or a scanner reads: "abcd-2345" -> "ABCD2345"."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def appointment_view(a: Appointment, *, owner: bool = True) -> dict:
    """An appointment as its owner (who holds the manage token) sees it."""
    tz = ZoneInfo(a.office.timezone)
    view = {"code": display_code(a.code), "status": Status(a.status).value,
            "start": a.slot_start.astimezone(tz).isoformat(), "end": a.slot_end.astimezone(tz).isoformat(),
            "service": a.service.prefix, "service_name": a.service.name_id,
            "service_name_en": a.service.name_en, "office": a.office.slug, "office_name": a.office.name,
            "office_address": a.office.address}
    if owner:
        view.update(manage_token=a.manage_token, name=a.name, phone=a.phone, nik_masked=a.nik_masked)
    return view


def _clean_person(rule: booking.Rule, name, phone, nik, secret_key: str):
    name, phone = booking.clean_name(name), booking.clean_phone(phone)
    if nik in (None, "") and not rule.requires_nik:
        return name, phone, None, None
    nik = booking.clean_nik(nik)
    return name, phone, booking.keyed_digest(nik, nik_key(secret_key)), booking.mask_nik(nik)


def book(db: Database, office_slug: str, service_prefix: str, start: datetime, *, name: str,
         phone: str, nik: str | None, now: datetime, secret_key: str) -> dict:
    """Book one seat of the slot starting at `start`.

    Raises NotBookable, OutsideWindow, BookingClosed, SlotFull, LimitReached, and
    InvalidName / InvalidPhone / InvalidNik (422) for bad fields.
    """
    with db.write() as uow:
        s = uow.session
        office = access.office_by_slug(s, office_slug)
        service, rule = bookable_service(s, office, service_prefix)
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
        uow.record(office, "appointment.booked", now, data={"service": service.prefix,
                                                            "start": slot.start.isoformat()})
        return appointment_view(appointment)


def by_token(session: Session, token: str) -> Appointment:
    appointment = session.execute(select(Appointment).where(
        Appointment.manage_token == str(token))).scalar_one_or_none()
    if appointment is None:
        raise errors.AppointmentNotFound()
    return appointment


def get(db: Database, token: str) -> dict:
    """The owner's view, by the secret manage token."""
    with db.read() as s:
        return appointment_view(by_token(s, token))


def _release(appointment: Appointment, status: Status, now: datetime) -> None:
    if Status(appointment.status) != Status.BOOKED:
        raise errors.AppointmentNotActive(state=Status(appointment.status).value)
    appointment.status = status
    appointment.cancelled_at = now


def cancel(db: Database, token: str, *, now: datetime) -> dict:
    """The citizen cancels. The seat is offered again after the rule's re-offer delay.
    Raises AppointmentNotFound, AppointmentNotActive (already cancelled, used, ...)."""
    with db.write() as uow:
        appointment = by_token(uow.session, token)
        office = uow.lock_office(appointment.office_id)
        uow.session.refresh(appointment)
        _release(appointment, Status.CANCELLED, now)
        uow.record(office, "appointment.cancelled", now, data={"service": appointment.service.prefix})
        return appointment_view(appointment)


def reschedule(db: Database, token: str, start: datetime, *, now: datetime) -> dict:
    """Move to another slot of the same service: a new appointment (new code and manage
    token) is booked and the old one becomes "rescheduled", in one transaction.
    Raises what `book` and `cancel` raise."""
    with db.write() as uow:
        s = uow.session
        old = by_token(s, token)
        office = uow.lock_office(old.office_id)
        s.refresh(old)
        service = old.service
        rule = rule_of(rule_row(s, service))
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
        uow.record(office, "appointment.rescheduled", now, data={"service": service.prefix,
                                                                 "start": slot.start.isoformat()})
        return appointment_view(new)


def successor_token(db: Database, token: str) -> str | None:
    """The manage token of the appointment this one was rescheduled to, if any."""
    with db.read() as s:
        old = by_token(s, token)
        new = s.get(Appointment, old.rescheduled_to_id) if old.rescheduled_to_id else None
        return new.manage_token if new is not None else None
