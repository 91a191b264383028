"""Holidays and closures of an office: add, remove, list, import from CSV or ICS."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta, timezone

import icalendar
from sqlalchemy import select

from ..db import Database
from ..domain import errors
from ..domain.audit import AuditAction
from ..domain.errors import N_
from ..models import Holiday
from ..notifications import triggers as notify
from .. import repository
from ..domain.permissions import Actor, Permission, require
from .audit import configured


def parse_csv(text: str) -> list[tuple[date, str]]:
    """Rows "YYYY-MM-DD,name" (a header row "date,name" is allowed)."""
    result = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip() or row[0].strip().lower() == "date":
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            raise errors.InvalidInput(N_("line %(line)s: %(value)s is not a date YYYY-MM-DD"), field="file",
                                      line=number, value=row[0].strip()[:40]) from None
        result.append((day, (row[1] if len(row) > 1 else "").strip() or "Libur"))
    return result


def parse_ics(data: bytes) -> list[tuple[date, str]]:
    """Every day covered by each VEVENT (DTEND is exclusive, as RFC 5545 says)."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError:
        raise errors.InvalidInput(N_("the file is not an iCalendar (.ics) file"), field="file") from None
    result = []
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        start = start.date() if isinstance(start, datetime) else start
        end = event.decoded("DTEND") if event.get("DTEND") else start + timedelta(days=1)
        end = end.date() if isinstance(end, datetime) else end
        name = str(event.get("SUMMARY", "Libur"))
        day = start
        while day < max(end, start + timedelta(days=1)):
            result.append((day, name))
            day += timedelta(days=1)
    return result


def import_holidays(db: Database, office_slug: str, entries: list[tuple[date, str]], *,
                    actor: Actor | None = None, now: datetime | None = None) -> int:
    """Add or rename closed days of an office. Returns how many days were new. With an
    actor (not the command line), raises PermissionDenied unless it may manage holidays.
    The audit log holds the days added or renamed (the kiosk shows a closed day)."""
    added = 0
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office(repository.office_by_slug(s, office_slug).id)
        if actor is not None:
            require(actor, Permission.MANAGE_HOLIDAYS, office.id)
        existing = {h.day: h for h in s.execute(select(Holiday).where(Holiday.office_id == office.id)).scalars()}
        before = {day.isoformat(): h.name for day, h in existing.items()}
        for day, name in entries:
            if day in existing:
                existing[day].name = name[:200]
            else:
                existing[day] = Holiday(office_id=office.id, day=day, name=name[:200])
                s.add(existing[day])
                added += 1
        changed = {day.isoformat(): h.name for day, h in existing.items() if before.get(day.isoformat()) != h.name}
        notify.days_closed(s, office, [d for d, _ in entries if d.isoformat() not in before], now=now or _utcnow())
        configured(uow, office, actor, AuditAction.HOLIDAY_ADDED, now or _utcnow(), target="holidays",
                   before={day: before.get(day) for day in changed}, after=changed)
    return added


def _utcnow() -> datetime:
    # The command line passes no clock; the web passes the request's.
    return datetime.now(timezone.utc)


def parse_file(filename: str, data: bytes) -> list[tuple[date, str]]:
    """CSV or ICS by the file's extension. Raises InvalidInput."""
    if filename.lower().endswith((".ics", ".ical")):
        return parse_ics(data)
    try:
        return parse_csv(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise errors.InvalidInput(N_("the file is not a CSV text file (UTF-8)"), field="file") from None


def import_file(db: Database, office_slug: str, filename: str, data: bytes, *, actor: Actor | None = None,
                now: datetime | None = None) -> int:
    """CSV or ICS by the file's extension."""
    return import_holidays(db, office_slug, parse_file(filename, data), actor=actor, now=now)


def remove_holiday(db: Database, office_slug: str, day: date, *, actor: Actor | None = None,
                   now: datetime | None = None) -> bool:
    """Reopen a closed day; False when it was not closed. Permission as import_holidays."""
    with db.write() as uow:
        s = uow.session
        office = uow.lock_office_by_slug(office_slug)
        if actor is not None:
            require(actor, Permission.MANAGE_HOLIDAYS, office.id)
        holiday = s.execute(select(Holiday).where(Holiday.office_id == office.id,
                                                  Holiday.day == day)).scalar_one_or_none()
        if holiday is None:
            return False
        s.delete(holiday)
        configured(uow, office, actor, AuditAction.HOLIDAY_REMOVED, now or _utcnow(), target="holidays",
                   before={day.isoformat(): holiday.name}, after={day.isoformat(): None})
        return True
