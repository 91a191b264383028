"""Read side of appointments: the booking calendar and a day's slots, an appointment as
its owner sees it, what a service offers online, and an office's holidays."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database
from ..domain import booking, errors
from ..domain.booking import AppointmentStatus as Status
from ..domain.numbering import business_date
from ..domain.permissions import Actor, Permission, require
from ..models import Appointment, Holiday, Office, Service


def _slot_views(session: Session, office: Office, service: Service, rule: booking.Rule, day: date,
                now: datetime, calendar: booking.Calendar) -> list[dict]:
    slots = booking.day_slots(calendar, day, rule.slot_minutes)
    holders = repository.seat_holders(session, service.id, *repository.day_bounds(day, office.timezone))
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
        office = repository.office_by_slug(s, office_slug)
        service, rule = repository.bookable_service(s, office, service_prefix)
        booking.check_window(day, business_date(now, office.timezone), rule)
        calendar = repository.calendar_of(s, office)
        if day in calendar.holidays:
            raise errors.BookingClosed(reason=calendar.holidays[day])
        return _slot_views(s, office, service, rule, day, now, calendar)


def calendar(db: Database, office_slug: str, service_prefix: str, *, now: datetime) -> dict:
    """The booking window day by day: open (with seats left), full, or closed (why)."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        service, rule = repository.bookable_service(s, office, service_prefix)
        cal = repository.calendar_of(s, office)
        first, last = booking.booking_window(business_date(now, office.timezone), rule)
        days = []
        for n in range((last - first).days + 1):
            day = first + timedelta(days=n)
            views = _slot_views(s, office, service, rule, day, now, cal)
            left = sum(v["remaining"] for v in views)
            state = "closed" if not views else ("full" if left == 0 else "open")
            days.append({"date": day, "state": state, "remaining": left,
                         "holiday": cal.holidays.get(day)})
        return {"office": office.name, "service": service.prefix, "service_name_id": service.name_id,
                "service_name_en": service.name_en, "requires_nik": rule.requires_nik, "days": days,
                "timezone": office.timezone}


def appointment_view(a: Appointment, *, owner: bool = True) -> dict:
    """An appointment as its owner (who holds the manage token) sees it."""
    tz = ZoneInfo(a.office.timezone)
    view = {"code": booking.display_code(a.code), "status": Status(a.status).value,
            "start": a.slot_start.astimezone(tz).isoformat(), "end": a.slot_end.astimezone(tz).isoformat(),
            "service": a.service.prefix, "service_name": a.service.name_id,
            "service_name_en": a.service.name_en, "office": a.office.slug, "office_name": a.office.name,
            "office_address": a.office.address, "timezone": a.office.timezone}
    if owner:
        view.update(manage_token=a.manage_token, name=a.name, phone=a.phone, nik_masked=a.nik_masked)
    return view


def get(db: Database, token: str) -> dict:
    """The owner's view, by the secret manage token. Raises AppointmentNotFound."""
    with db.read() as s:
        return appointment_view(repository.appointment_by_token(s, token))


def successor_token(db: Database, token: str) -> str | None:
    """The manage token of the appointment this one was rescheduled to, if any."""
    with db.read() as s:
        old = repository.appointment_by_token(s, token)
        new = s.get(Appointment, old.rescheduled_to_id) if old.rescheduled_to_id else None
        return new.manage_token if new is not None else None


def online_status(session: Session, office: Office, service: Service, now: datetime) -> dict:
    """Whether a citizen can join this service's queue from home now, and seats left."""
    row = repository.rule_row(session, service)
    if row is None or not row.online_join or not service.active:
        return {"allowed": False, "left": 0}
    left = max(0, row.online_daily_quota - repository.online_used(session, office.id, service.id,
                                                       business_date(now, office.timezone)))
    return {"allowed": True, "left": left}


def offered_services(db: Database, office_slug: str, now: datetime) -> tuple[dict, list[dict]]:
    """The office and its services a citizen can book or join from home."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        rows = []
        for service in office.services:
            rule = repository.rule_of(repository.rule_row(s, service))
            online = online_status(s, office, service, now)
            if service.active and (rule.bookable or online["allowed"]):
                rows.append({"code": service.prefix, "name_id": service.name_id, "name_en": service.name_en,
                             "bookable": rule.bookable, "online": online})
        return {"slug": office.slug, "name": office.name}, rows


def join_page(db: Database, office_slug: str, service_prefix: str, now: datetime) -> dict:
    """What the join-from-home page shows: the office, the service, online seats left."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        service = repository.service_by_prefix(s, office, service_prefix)
        return {"office_name": office.name, "online": online_status(s, office, service, now),
                "service": {"name_id": service.name_id, "name_en": service.name_en, "code": service.prefix}}


def holidays(db: Database, office_slug: str, *, actor: Actor | None = None) -> list[dict]:
    """The office's closed days, in date order (PermissionDenied for staff of another office)."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        if actor is not None:
            require(actor, Permission.VIEW_OFFICE, office.id)
        rows = s.execute(select(Holiday).where(Holiday.office_id == office.id).order_by(Holiday.day)).scalars()
        return [{"date": h.day.isoformat(), "name": h.name} for h in rows]
