"""Opening hours, one model for walk-ins and appointments: weekly periods with breaks, an
office's holidays, and "closed by hand". Times are local "HH:MM" on the office's clock.

A period says what it serves: the kiosk issues tickets inside walk-in periods (breaks
included: a citizen may take a number and wait through a break), and slots are booked
inside appointment periods (never across a break). A holiday closes both.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cached_property

from .errors import ClosedAllDay, ClosedForHoliday, InvalidInput, OfficeClosed
from .numbering import local_time


def parse_hhmm(value: str) -> time:
    """ "07:30" -> time(7, 30); "24:00" means the end of the day (time.max)."""
    try:
        hours, minutes = value.split(":")
        hours_i, minutes_i = int(hours), int(minutes)
        if hours_i == 24 and minutes_i == 0:
            return time.max
        return time(hours_i, minutes_i)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a time HH:MM") from None


def parse_breaks(text: str) -> tuple[tuple[str, str], ...]:
    """ "11:30-13:00, 15:00-15:15" -> (("11:30", "13:00"), ("15:00", "15:15"))."""
    result = []
    for part in (text or "").split(","):
        if part.strip():
            start, _, end = part.strip().partition("-")
            if parse_hhmm(end.strip()) <= parse_hhmm(start.strip()):
                raise InvalidInput(f"break {part.strip()} ends before it starts")
            result.append((start.strip(), end.strip()))
    return tuple(result)


@dataclass(frozen=True)
class DayHours:
    """One opening period of a weekday, its breaks, and what it serves."""

    opens: str
    closes: str
    breaks: tuple[tuple[str, str], ...] = ()
    walk_ins: bool = True
    appointments: bool = True

    def covers(self, moment: time) -> bool:
        return self.span[0] <= moment < self.span[1]

    @cached_property
    def span(self) -> tuple[time, time]:
        """(opens, closes) as times, parsed once (every ticket issued asks)."""
        return parse_hhmm(self.opens), parse_hhmm(self.closes)


@dataclass(frozen=True)
class Calendar:
    """An office's week: periods by ISO weekday (a DayHours or several), closed dates
    (holidays, cuti bersama) by name, and whether it is closed by hand right now."""

    tz_name: str
    weekly: dict[int, DayHours | tuple[DayHours, ...]]
    holidays: dict[date, str] = field(default_factory=dict)
    closed: bool = False

    def __post_init__(self):
        weekly = {day: (periods,) if isinstance(periods, DayHours) else tuple(periods)
                  for day, periods in self.weekly.items()}
        object.__setattr__(self, "weekly", weekly)

    def periods(self, day: date, *, walk_ins: bool = False, appointments: bool = False) -> tuple[DayHours, ...]:
        """The day's periods that serve walk-ins (or appointments); none on a holiday."""
        if day in self.holidays:
            return ()
        return tuple(p for p in self.weekly.get(day.isoweekday(), ())
                     if (walk_ins and p.walk_ins) or (appointments and p.appointments))


def describe_hours(periods: DayHours | tuple[DayHours, ...] | None) -> str:
    """ "08:00-15:00 (11:30-13:00)": periods with their breaks; "-" when closed."""
    if not periods:
        return "-"
    if isinstance(periods, DayHours):
        periods = (periods,)
    texts = []
    for period in periods:
        breaks = ", ".join(f"{a}-{b}" for a, b in period.breaks)
        texts.append(f"{period.opens}-{period.closes}" + (f" ({breaks})" if breaks else ""))
    return ", ".join(texts)


def walk_in_hours(calendar: Calendar, day: date) -> tuple[str, str] | None:
    """(opens, closes) of the day's walk-in hours, for "opening hours" texts; None when the
    kiosk does not open that day."""
    periods = calendar.periods(day, walk_ins=True)
    if not periods:
        return None
    return min(p.opens for p in periods), max(p.closes for p in periods)


def check_open(calendar: Calendar, now: datetime) -> None:
    """Raise OfficeClosed unless the kiosk may issue a ticket at `now`: inside a walk-in
    period of the office's local day (outside one: `opens`, `closes`), not on a holiday
    (ClosedForHoliday, with its name) or a day without walk-in hours (ClosedAllDay), not
    closed by hand."""
    local = local_time(now, calendar.tz_name)
    day = local.date()
    if day in calendar.holidays and not calendar.closed:
        raise ClosedForHoliday(holiday=calendar.holidays[day])
    hours = walk_in_hours(calendar, day)
    if hours is None:
        raise ClosedAllDay()
    moment = local.time().replace(tzinfo=None)
    if calendar.closed or not any(p.covers(moment) for p in calendar.periods(day, walk_ins=True)):
        raise OfficeClosed(opens=hours[0], closes=hours[1])


def is_open(calendar: Calendar, now: datetime) -> bool:
    """Whether the kiosk issues tickets at `now` (check_open without the reason)."""
    try:
        check_open(calendar, now)
    except OfficeClosed:
        return False
    return True
