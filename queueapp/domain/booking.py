"""Appointment rules, as pure functions: slots inside the opening hours (domain.hours),
the booking window, anti-hoarding limits, the check-in window, personal data checks.

All times are aware datetimes; a "day" is a date on the office's own wall clock.
"""
from __future__ import annotations

import enum
import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .errors import (BookingClosed, InvalidName, InvalidNik, InvalidPhone, LimitReached,
                     OutsideWindow, SlotFull, TooEarly)
from . import local_time
from .hours import Calendar, describe_hours, parse_hhmm


class AppointmentStatus(str, enum.Enum):
    BOOKED = "booked"
    CANCELLED = "cancelled"
    CHECKED_IN = "checked_in"
    NO_SHOW = "no_show"
    RESCHEDULED = "rescheduled"


# A seat is taken by these; cancelled and rescheduled seats come back after the re-offer delay.
HOLDS_SEAT = frozenset({AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN,
                        AppointmentStatus.NO_SHOW})
# What counts against the per-NIK and per-phone limits.
COUNTS_FOR_LIMITS = frozenset({AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN})


@dataclass(frozen=True)
class Rule:
    """A service's booking rule (mirrors the booking_rules table)."""

    bookable: bool = True
    slot_minutes: int = 15
    capacity: int = 4
    notice_days: int = 1
    horizon_days: int = 14
    per_nik_day: int = 1
    per_nik_week: int = 2
    per_phone_day: int = 2
    per_phone_week: int = 4
    reoffer_delay_minutes: int = 30
    requires_nik: bool = False
    checkin_before_minutes: int = 30
    checkin_after_minutes: int = 15
    late_becomes_walk_in: bool = True


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime


def _at(day: date, hhmm: str, tz: ZoneInfo) -> datetime:
    moment = parse_hhmm(hhmm)
    if moment == time.max:
        return datetime.combine(day + timedelta(days=1), time(0), tz)
    return datetime.combine(day, moment, tz)


def day_slots(calendar: Calendar, day: date, slot_minutes: int) -> list[Slot]:
    """The day's slots: from the opening of each appointment period, `slot_minutes`
    each, never crossing a break or the closing time. A holiday or a closed weekday has none."""
    if slot_minutes <= 0:
        return []
    tz = ZoneInfo(calendar.tz_name)
    step = timedelta(minutes=slot_minutes)
    slots: list[Slot] = []
    for period in calendar.periods(day, appointments=True):
        closes = _at(day, period.closes, tz)
        breaks = sorted((_at(day, a, tz), _at(day, b, tz)) for a, b in period.breaks)
        start = _at(day, period.opens, tz)
        while start + step <= closes:
            clash = next(((a, b) for a, b in breaks if start < b and start + step > a), None)
            if clash is not None:
                start = clash[1]
                continue
            slots.append(Slot(start, start + step))
            start += step
    return slots


def booking_window(today: date, rule: Rule) -> tuple[date, date]:
    """First and last day a citizen may book today (e.g. tomorrow up to 14 days ahead)."""
    return today + timedelta(days=rule.notice_days), today + timedelta(days=rule.horizon_days)


def check_window(day: date, today: date, rule: Rule) -> None:
    first, last = booking_window(today, rule)
    if not first <= day <= last:
        raise OutsideWindow(first=first.isoformat(), last=last.isoformat())


def open_days(calendar: Calendar, today: date, rule: Rule) -> list[date]:
    """Days inside the window with at least one slot."""
    first, last = booking_window(today, rule)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if day_slots(calendar, d, rule.slot_minutes)]


def find_slot(calendar: Calendar, start: datetime, rule: Rule) -> Slot:
    """The slot starting at `start`, or BookingClosed (holiday, break, closed hours)."""
    day = start.astimezone(ZoneInfo(calendar.tz_name)).date()
    if day in calendar.holidays:
        raise BookingClosed(reason=calendar.holidays[day])
    slot = next((s for s in day_slots(calendar, day, rule.slot_minutes) if s.start == start), None)
    if slot is None:
        raise BookingClosed(reason=describe_hours(calendar.periods(day, appointments=True)))
    return slot


def seats_taken(holders: list[tuple[AppointmentStatus, datetime | None]], now: datetime,
                rule: Rule) -> int:
    """Seats a slot's appointments hold at `now`. A cancelled seat is offered again only
    after the re-offer delay, so a reseller cannot cancel and rebook it for a buyer."""
    delay = timedelta(minutes=rule.reoffer_delay_minutes)
    return sum(1 for status, cancelled_at in holders
               if AppointmentStatus(status) in HOLDS_SEAT
               or (cancelled_at is not None and now < cancelled_at + delay))


def check_capacity(taken: int, rule: Rule) -> None:
    if taken >= rule.capacity:
        raise SlotFull(capacity=rule.capacity)


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday around `day`: the period of the weekly limits."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def check_limits(*, nik_day: int, nik_week: int, phone_day: int, phone_week: int, rule: Rule) -> None:
    """Raise LimitReached when one more booking would pass a per-NIK or per-phone limit."""
    for used, limit, what in ((nik_day, rule.per_nik_day, "nik_day"), (nik_week, rule.per_nik_week, "nik_week"),
                              (phone_day, rule.per_phone_day, "phone_day"),
                              (phone_week, rule.per_phone_week, "phone_week")):
        if limit and used >= limit:
            raise LimitReached(limit=limit, which=what)


def check_in_window(slot_start: datetime, now: datetime, rule: Rule) -> str:
    """"on_time" inside the window, "late" after it; TooEarly (with the local time to
    come back) before it."""
    opens = slot_start - timedelta(minutes=rule.checkin_before_minutes)
    if now < opens:
        raise TooEarly(come_back=opens.strftime("%H:%M"), at=opens.isoformat(), day=opens.date().isoformat(),
                       days=(opens.date() - now.astimezone(opens.tzinfo).date()).days,
                       zone=local_time.zone_name(getattr(opens.tzinfo, "key", "")))
    if now > slot_start + timedelta(minutes=rule.checkin_after_minutes):
        return "late"
    return "on_time"


def is_past_window(slot_start: datetime, now: datetime, rule: Rule) -> bool:
    return now > slot_start + timedelta(minutes=rule.checkin_after_minutes)


# ASCII digits only: str.isdigit and \d also take fullwidth and Arabic-Indic digits, which
# would store unusable numbers and slip past the per-NIK and per-phone limits.
NIK_RE = re.compile(r"[0-9]{16}")
PHONE_RE = re.compile(r"(?:\+?62|0)8[0-9]{7,12}")
# What people type between the digits: spaces (any kind), dashes, dots, brackets.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015.()]")


def clean_nik(value: str | None) -> str:
    """A NIK is 16 ASCII digits (spaces, dashes and dots allowed in input); the first six are a region
    code that never starts with 0."""
    nik = _SEPARATORS.sub("", value or "")
    if not NIK_RE.fullmatch(nik) or nik.startswith("0"):
        raise InvalidNik("NIK must be 16 digits")
    return nik


def clean_phone(value: str | None) -> str:
    """An Indonesian mobile number, normalised to 08... ("+62 812-3456-789" -> "0812...")."""
    phone = _SEPARATORS.sub("", value or "")
    if not PHONE_RE.fullmatch(phone):
        raise InvalidPhone("phone must be an Indonesian mobile number, e.g. 0812xxxxxxx")
    return "0" + re.sub(r"^(\+?62|0)", "", phone)


def clean_name(value: str | None) -> str:
    name = " ".join((value or "").split())
    if not 2 <= len(name) <= 100:
        raise InvalidName("name must have 2 to 100 characters")
    return name


def mask_nik(nik: str) -> str:
    """What staff see: "3174********0001"."""
    return nik[:4] + "*" * 8 + nik[-4:]


def keyed_digest(value: str, key: bytes) -> str:
    """A keyed hash (HMAC-SHA256): equal values match, the value cannot be read back or
    guessed by hashing all 16-digit numbers without the key."""
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


# Booking codes: no 0/O, 1/I, as they are read aloud and typed at a kiosk.
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def clean_code(value: str | None) -> str:
    """What a citizen types or a scanner reads: "abcd-2345" -> "ABCD2345"."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def personal_data_key(secret_key: str) -> bytes:
    """The HMAC key for NIKs and phones, derived from the app's SECRET_KEY."""
    return hashlib.sha256(b"queueapp:personal-data:" + secret_key.encode()).digest()
