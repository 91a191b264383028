"""Report figures, as pure functions over plain ticket records: the reference that the
SQL of queries.reports is proved equal to (tests/integration/test_report_queries.py).

Times are in minutes. Waiting time runs from the ticket's issue (for an appointment: its
check-in, when its ticket is issued) to its first call; walking time from its last call
to the start of service; service time from the start to the finish. Each is reported as
mean, median (p50) and 90th percentile, with one percentile method everywhere:
`percentile` (linear interpolation between closest ranks, as PostgreSQL's
percentile_cont and Excel's PERCENTILE.INC).
"""
from __future__ import annotations

import enum
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


class Breakdown(str, enum.Enum):
    SERVICE = "service"
    ZONE = "zone"
    COUNTER = "counter"
    CLERK = "clerk"
    CHANNEL = "channel"
    APPOINTMENT = "appointment"
    PRIORITY = "priority"
    HOUR = "hour"
    WEEKDAY = "weekday"


# Statuses as the ticket table stores them (domain.states.TicketStatus values).
DONE, NO_SHOW, CANCELLED = "done", "no_show", "cancelled"
APPOINTMENT_CHANNEL = "appointment"


@dataclass(slots=True)
class TicketRecord:
    """One ticket as reports see it: where it ended (its last service, counter, clerk) and
    when each step happened (aware UTC datetimes)."""

    ticket_id: int
    business_date: date
    service: str
    status: str
    channel: str
    issued_at: datetime
    target_wait_minutes: int = 30
    zone: str = ""
    counter: int | None = None
    clerk: str = ""
    priority: str = ""
    first_called_at: datetime | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    transfers: int = 0
    recalls: int = 0
    # The display number ("A-001"), for the per-ticket export.
    number: str = ""


@dataclass(frozen=True)
class AppointmentRecord:
    """A booked appointment whose slot falls in the period: its state, and when its ticket
    was issued (the check-in) and how that ticket ended."""

    slot_start: datetime
    status: str
    checked_in_at: datetime | None = None
    ticket_channel: str | None = None
    ticket_status: str | None = None


def minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 60


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile (0..1) by linear interpolation between closest ranks; None when empty."""
    return _quantile(sorted(values), q)


def _quantile(ordered: Sequence[float], q: float) -> float | None:
    if not ordered:
        return None
    rank = (len(ordered) - 1) * q
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _round(value: float | None, places: int = 1) -> float | None:
    return None if value is None else round(value + 0.0, places)


def stats(values: Iterable[float]) -> dict:
    """{"count", "mean", "p50", "p90"} in minutes, one decimal; None for an empty list."""
    values = sorted(values)
    mean = sum(values) / len(values) if values else None
    return {"count": len(values), "mean": _round(mean), "p50": _round(_quantile(values, 0.5)),
            "p90": _round(_quantile(values, 0.9))}


def pct(part: int, whole: int) -> float | None:
    return None if not whole else round(100 * part / whole, 1)


# --- durations of one ticket ---

def wait(record: TicketRecord) -> float | None:
    return minutes(record.issued_at, record.first_called_at)


def walk(record: TicketRecord) -> float | None:
    """Last call -> start, for served tickets (a transfer's earlier start does not count)."""
    if record.status != DONE or record.started_at is None or record.called_at is None:
        return None
    if record.started_at < record.called_at:
        return None
    return minutes(record.called_at, record.started_at)


def service_time(record: TicketRecord) -> float | None:
    if record.status != DONE:
        return None
    return minutes(record.started_at, record.finished_at)


def within_target(record: TicketRecord) -> bool:
    waited = wait(record)
    return record.status == DONE and waited is not None and waited <= record.target_wait_minutes


# --- the figures of a set of tickets ---

def counts(records: Sequence[TicketRecord]) -> dict:
    """issued, served, no_show, cancelled, transferred (tickets moved at least once),
    recalled (tickets called more than once) and served within the target wait."""
    return {
        "issued": len(records),
        "served": sum(r.status == DONE for r in records),
        "no_show": sum(r.status == NO_SHOW for r in records),
        "cancelled": sum(r.status == CANCELLED for r in records),
        "transferred": sum(r.transfers > 0 for r in records),
        "recalled": sum(r.recalls > 0 for r in records),
        "within_target": sum(within_target(r) for r in records),
    }


@dataclass(slots=True)
class Timing:
    """A ticket's durations (minutes, None where they do not apply) and whether it was
    served within its target wait: computed once per ticket, then grouped many ways."""

    wait: float | None
    walk: float | None
    service: float | None
    within_target: bool


def timing(record: TicketRecord) -> Timing:
    waited = wait(record)
    return Timing(waited, walk(record), service_time(record),
                  record.status == DONE and waited is not None and waited <= record.target_wait_minutes)


def durations_of(timings: Sequence[Timing]) -> dict:
    return {"wait_minutes": stats([t.wait for t in timings if t.wait is not None]),
            "walk_minutes": stats([t.walk for t in timings if t.walk is not None]),
            "service_minutes": stats([t.service for t in timings if t.service is not None])}


def durations(records: Sequence[TicketRecord]) -> dict:
    return durations_of([timing(r) for r in records])


def figures(counted: dict, timed: dict) -> dict:
    """The figures of one group from its counts and its durations (rates in percent:
    no-shows of the tickets issued; served within the target of the tickets served)."""
    return {**counted, **timed,
            "no_show_pct": pct(counted["no_show"], counted["issued"]),
            "within_target_pct": pct(counted["within_target"], counted["served"])}


def summarize(records: Sequence[TicketRecord]) -> dict:
    return figures(counts(records), durations(records))


def local_hour(at: datetime, tz_name: str) -> int:
    return at.astimezone(_zone(tz_name)).hour


_ZONES: dict[str, ZoneInfo] = {}


def _zone(tz_name: str) -> ZoneInfo:
    if tz_name not in _ZONES:
        _ZONES[tz_name] = ZoneInfo(tz_name)
    return _ZONES[tz_name]


def key_function(by: Breakdown, tz_name: str) -> Callable[[TicketRecord], object]:
    """What `key_of` computes for breakdown `by`, as one function for many tickets."""
    by = Breakdown(by)
    if by == Breakdown.HOUR:
        zone = _zone(tz_name)
        return lambda r: r.issued_at.astimezone(zone).hour
    return {
        Breakdown.SERVICE: lambda r: r.service,
        Breakdown.ZONE: lambda r: r.zone or None,
        Breakdown.COUNTER: lambda r: r.counter,
        Breakdown.CLERK: lambda r: r.clerk or None,
        Breakdown.CHANNEL: lambda r: r.channel,
        Breakdown.APPOINTMENT: lambda r: "appointment" if r.channel == APPOINTMENT_CHANNEL else "walk_in",
        Breakdown.PRIORITY: lambda r: r.priority or None,
        Breakdown.WEEKDAY: lambda r: r.business_date.isoweekday(),
    }[by]


def key_of(record: TicketRecord, by: Breakdown, tz_name: str):
    """The group a ticket falls in for breakdown `by` (None: it has none, e.g. a ticket
    never called has no clerk)."""
    return key_function(by, tz_name)(record)


def breakdown(records: Sequence[TicketRecord], by: Breakdown, tz_name: str) -> list[dict]:
    """The figures per group, in key order (tickets without a key form the group None, last)."""
    groups: dict = defaultdict(list)
    key = key_function(by, tz_name)
    for record in records:
        groups[key(record)].append(record)
    ordered = sorted(groups, key=lambda k: (k is None, k if k is not None else 0))
    return [{"key": key, **summarize(groups[key])} for key in ordered]


def heatmap(records: Sequence[TicketRecord], tz_name: str) -> dict:
    """Arrivals and mean wait (minutes) per ISO weekday (1..7) x local hour (0..23):
    {"arrivals": [[...24] x 7], "wait_mean": [[...24] x 7]} (None where nobody waited)."""
    arrivals = [[0] * 24 for _ in range(7)]
    waits: list[list[list[float]]] = [[[] for _ in range(24)] for _ in range(7)]
    for record in records:
        day, hour = record.business_date.isoweekday() - 1, local_hour(record.issued_at, tz_name)
        arrivals[day][hour] += 1
        waited = wait(record)
        if waited is not None:
            waits[day][hour].append(waited)
    return {"arrivals": arrivals,
            "wait_mean": [[_round(sum(c) / len(c)) if c else None for c in row] for row in waits]}


# --- clerks and counters ---

@dataclass(slots=True)
class Visit:
    """A ticket at a counter: from its last call to its end (finish or no-show)."""

    counter: int
    clerk: str
    business_date: date
    called_at: datetime
    ended_at: datetime
    served: bool


def visits(records: Iterable[TicketRecord]) -> list[Visit]:
    return [Visit(r.counter, r.clerk, r.business_date, r.called_at, r.finished_at, r.status == DONE)
            for r in records
            if r.counter is not None and r.status in (DONE, NO_SHOW) and r.called_at and r.finished_at]


def idle_minutes(spans: Sequence[Visit]) -> float:
    """Gaps between consecutive visits of one counter and day (a pause counts as idle):
    the time a counter stood open between its first call and its last end with nobody at it."""
    idle = 0.0
    ordered = sorted(spans, key=lambda v: v.called_at)
    for earlier, later in zip(ordered, ordered[1:]):
        gap = minutes(earlier.ended_at, later.called_at)
        if gap > 0:
            idle += gap
    return idle


def staffing(records: Iterable[TicketRecord], key: str = "clerk",
             spans: Sequence[Visit] | None = None) -> list[dict]:
    """Per clerk (key="clerk") or counter (key="counter"): tickets served, hours at work
    (each day from the first call to the last end), served per hour, and idle minutes.
    `spans`: the records' visits, when already computed."""
    by_day: dict = defaultdict(list)
    for visit in spans if spans is not None else visits(records):
        by_day[(getattr(visit, key), visit.business_date)].append(visit)
    totals: dict = defaultdict(lambda: {"served": 0, "hours": 0.0, "idle_minutes": 0.0})
    for (who, _day), day_visits in by_day.items():
        total = totals[who]
        total["served"] += sum(v.served for v in day_visits)
        total["hours"] += minutes(min(v.called_at for v in day_visits), max(v.ended_at for v in day_visits)) / 60
        total["idle_minutes"] += idle_minutes(day_visits)
    return [{"key": who, "served": t["served"], "hours": round(t["hours"], 2),
             "per_hour": round(t["served"] / t["hours"], 1) if t["hours"] else None,
             "idle_minutes": round(t["idle_minutes"], 1)}
            for who, t in sorted(totals.items(), key=lambda item: str(item[0]))]


# --- appointments ---

def funnel(appointments: Sequence[AppointmentRecord]) -> dict:
    """Booked (seats held: booked, checked in, missed) -> checked in -> served, on time
    (checked in within the window, so called as an appointment) vs late, and punctuality:
    minutes from the slot start to the check-in (negative: early)."""
    checked = [a for a in appointments if a.checked_in_at is not None]
    return {
        "booked": len(appointments),
        "checked_in": len(checked),
        "served": sum(a.ticket_status == DONE for a in checked),
        "no_show": sum(a.status == NO_SHOW for a in appointments),
        "on_time": sum(a.ticket_channel == APPOINTMENT_CHANNEL for a in checked),
        "late": sum(a.ticket_channel != APPOINTMENT_CHANNEL for a in checked),
        "checkin_minutes": stats(minutes(a.slot_start, a.checked_in_at) for a in checked),
    }
