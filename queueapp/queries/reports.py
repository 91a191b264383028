"""Read side of the reports: an office's tickets of a period, counted in SQL per breakdown
(service, zone, counter, clerk, channel, appointment or walk-in, priority, hour, weekday)
and timed in Python in one pass over one bounded query of plain tuples, with the figures
of domain.metrics (tests/integration/test_report_queries.py proves the two equal).

A member of one zone (an agency of an MPP) sees only that zone's services."""
from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Integer, Interval, String, and_, case, cast, func, literal_column, select, type_coerce
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database
from ..domain import errors, metrics
from ..domain.booking import HOLDS_SEAT
from ..domain.events import EventType
from ..domain.metrics import Breakdown
from ..domain.periods import ReportPeriod
from ..domain.permissions import Actor, Permission, can, require
from ..domain.states import TicketStatus
from ..models import Appointment, Counter, Office, Service, StaffUser, Ticket, TicketEvent, UTCDateTime, Zone

E = EventType


@dataclass(frozen=True)
class Scope:
    """What a report covers: one office's services (all, a zone's, or one) over a period."""

    office_id: int
    slug: str
    name: str
    timezone: str
    address: str
    contact: str
    has_logo: bool
    service_ids: tuple[int, ...]
    period: ReportPeriod
    service: str | None = None


def scope(session: Session, actor: Actor, office_slug: str, period: ReportPeriod,
          service: str | None = None) -> Scope:
    """The office and services `actor` may report on. Raises OfficeNotFound,
    PermissionDenied (a clerk, another office), ServiceNotFound, OutsideZone."""
    office = repository.office_by_slug(session, office_slug)
    require(actor, Permission.OPERATE, office.id)
    rows = session.execute(select(Service.id, Service.prefix, Service.zone_id)
                           .where(Service.office_id == office.id)).all()
    if actor.zone_id is not None:
        rows = [row for row in rows if row.zone_id == actor.zone_id]
    if service:
        found = repository.service_by_prefix(session, office, service)
        if actor.zone_id is not None and found.zone_id != actor.zone_id:
            raise errors.OutsideZone("outside your zone", permission=Permission.OPERATE.value)
        rows = [row for row in rows if row.id == found.id]
    has_logo = session.execute(select(Office.logo.is_not(None)).where(Office.id == office.id)).scalar_one()
    return Scope(office.id, office.slug, office.name, office.timezone, office.address or "", office.contact or "",
                 bool(has_logo), tuple(row.id for row in rows), period,
                 service.upper() if service else None)


def _where(sc: Scope) -> list:
    return [Ticket.office_id == sc.office_id, Ticket.business_date >= sc.period.first,
            Ticket.business_date <= sc.period.last, Ticket.service_id.in_(sc.service_ids or (-1,))]


def _event_totals(sc: Scope, *, calls: bool = True):
    """Per ticket of the scope: its first call, its transfers and its recalls (calls=False:
    only the tickets transferred or recalled, without their calls; a month has few)."""
    called = func.min(case((TicketEvent.type == E.TICKET_CALLED.value, TicketEvent.at)))
    types = [E.TICKET_CALLED.value] * calls + [E.TICKET_TRANSFERRED.value, E.TICKET_RECALLED.value]
    return (select(TicketEvent.ticket_id.label("ticket_id"),
                   type_coerce(called, UTCDateTime()).label("first_call"),
                   func.sum(case((TicketEvent.type == E.TICKET_TRANSFERRED.value, 1), else_=0)).label("transfers"),
                   func.sum(case((TicketEvent.type == E.TICKET_RECALLED.value, 1), else_=0)).label("recalls"))
            .where(TicketEvent.office_id == sc.office_id, TicketEvent.type.in_(types),
                   # Nothing happens to a ticket before its issue: the office's (type, at) index
                   # skips the history before the period.
                   TicketEvent.at >= repository.day_bounds(sc.period.first, sc.timezone)[0],
                   TicketEvent.ticket_id.in_(select(Ticket.id).where(*_where(sc))))
            .group_by(TicketEvent.ticket_id).subquery("event_totals"))


def _offset_minutes(tz_name: str) -> int:
    """Indonesia's zones keep one offset all year (no daylight saving)."""
    return int(ZoneInfo(tz_name).utcoffset(datetime(2000, 1, 1)).total_seconds() // 60)


def _local_hour(dialect: str, tz_name: str):
    minutes = _offset_minutes(tz_name)
    if dialect == "sqlite":
        # To the second first: SQLite rounds a time to the millisecond (08:59:59.9999 -> 09:00).
        return cast(func.strftime("%H", func.substr(Ticket.issued_at, 1, 19), f"{minutes:+d} minutes"), Integer)
    shifted = Ticket.issued_at + literal_column(f"interval '{minutes} minutes'", Interval)
    return cast(func.extract("hour", shifted), Integer)


def _weekday(dialect: str):
    """ISO weekday (1 Monday .. 7 Sunday) of the business date."""
    if dialect == "sqlite":
        return (cast(func.strftime("%w", Ticket.business_date), Integer) + 6) % 7 + 1
    return cast(func.extract("isodow", Ticket.business_date), Integer)


def _key(by: Breakdown, dialect: str, tz_name: str):
    return {
        Breakdown.SERVICE: Service.prefix,
        Breakdown.ZONE: Zone.name,
        Breakdown.COUNTER: Counter.number,
        Breakdown.CLERK: case((Ticket.called_at.is_not(None), StaffUser.display_name)),
        Breakdown.CHANNEL: Ticket.channel,
        Breakdown.APPOINTMENT: case((Ticket.channel == metrics.APPOINTMENT_CHANNEL, "appointment"),
                                    else_="walk_in"),
        Breakdown.PRIORITY: Ticket.priority,
        Breakdown.HOUR: _local_hour(dialect, tz_name),
        Breakdown.WEEKDAY: _weekday(dialect),
    }[Breakdown(by)]


def _joined(stmt, events):
    return (stmt.select_from(Ticket).join(Service, Service.id == Ticket.service_id)
            .outerjoin(Zone, Zone.id == Service.zone_id).outerjoin(Counter, Counter.id == Ticket.counter_id)
            .outerjoin(StaffUser, StaffUser.id == Ticket.staff_id)
            .outerjoin(events, events.c.ticket_id == Ticket.id))


def _status_count(status: TicketStatus):
    return func.sum(case((Ticket.status == status, 1), else_=0))


COUNTS = ("issued", "served", "no_show", "cancelled", "transferred", "recalled")


def _plain(value):
    value = value.value if hasattr(value, "value") else value
    return None if value == "" else value


def count_groups(session: Session, sc: Scope, bys: tuple[Breakdown, ...]) -> list[tuple[tuple, list[int]]]:
    """The counts of domain.metrics.counts (but within_target, a duration) in SQL, in one
    statement grouped by the keys of every breakdown of `bys` together: counts add up, so
    each breakdown (and the total) is a sum over these groups (`fold`)."""
    events = _event_totals(sc, calls=False)
    dialect = session.get_bind().dialect.name
    keys = [_key(by, dialect, sc.timezone).label(f"key{index}") for index, by in enumerate(bys)]
    stmt = _joined(select(
        *keys, func.count(), _status_count(TicketStatus.DONE), _status_count(TicketStatus.NO_SHOW),
        _status_count(TicketStatus.CANCELLED), func.sum(case((events.c.transfers > 0, 1), else_=0)),
        func.sum(case((events.c.recalls > 0, 1), else_=0))), events).where(*_where(sc))
    if keys:
        stmt = stmt.group_by(*keys)
    width = len(keys)
    return [(tuple(_plain(v) for v in row[:width]), [int(v or 0) for v in row[width:]])
            for row in session.connection().execute(stmt) if row[width]]


def fold(groups: list[tuple[tuple, list[int]]], index: int | None) -> dict[Any, dict]:
    """Counts per key number `index` of `count_groups` (None: one group "all")."""
    summed: dict[Any, list[int]] = {}
    for keys, values in groups:
        into = summed.setdefault("all" if index is None else keys[index], [0] * len(COUNTS))
        for position, value in enumerate(values):
            into[position] += value
    return {key: dict(zip(COUNTS, values)) for key, values in summed.items()}


# --- one pass over plain tuples: the summary's durations, staffing and heatmap, the CSV ---
#
# A month of an MPP is about 90,000 tickets. Each timestamp is read once as a naive UTC
# datetime (the driver's own conversion, no column-type call), local times and hours are
# computed with the office's fixed offset (no time-zone object per value; SQLite's
# strftime per value costs more than Python's addition), and durations are divided as
# metrics.minutes divides them: the figures equal the pure ones of domain.metrics to the
# last bit (tests/integration/test_report_queries.py).


def _naive(column):
    return type_coerce(column, DateTime())


def _times(status: str, target: int, issued, first_call, called, started, finished) -> tuple:
    """(wait, walk, service, within_target) of one ticket: metrics.timing over naive UTC datetimes."""
    waited = None if first_call is None else (first_call - issued).total_seconds() / 60
    if status != metrics.DONE:
        return waited, None, None, False
    walked = (None if started is None or called is None or started < called
              else (started - called).total_seconds() / 60)
    served = None if started is None or finished is None else (finished - started).total_seconds() / 60
    return waited, walked, served, waited is not None and waited <= target


def _clerk():
    return func.nullif(case((Ticket.called_at.is_not(None), StaffUser.display_name)), "")


def _raw_key(by: Breakdown, dialect: str, tz_name: str):
    """`_key` as the plain value count_groups' `_plain` gives ("" as NULL, enums as text)."""
    by = Breakdown(by)
    if by in (Breakdown.CHANNEL, Breakdown.PRIORITY):
        return func.nullif(type_coerce(_key(by, dialect, tz_name), String()), "")
    if by in (Breakdown.ZONE, Breakdown.CLERK):
        return func.nullif(_key(by, dialect, tz_name), "")
    return _key(by, dialect, tz_name)


def _day(dialect: str):
    """The business date as "YYYY-MM-DD" text."""
    if dialect == "sqlite":
        return type_coerce(Ticket.business_date, String())
    return func.to_char(Ticket.business_date, "YYYY-MM-DD")


def _figures_of(counts: dict, timings: list[tuple]) -> dict:
    """metrics.figures of a group from its SQL counts and its tickets' `_times`, in ticket order."""
    durations = {"wait_minutes": metrics.stats([t[0] for t in timings if t[0] is not None]),
                 "walk_minutes": metrics.stats([t[1] for t in timings if t[1] is not None]),
                 "service_minutes": metrics.stats([t[2] for t in timings if t[2] is not None])}
    return metrics.figures({**counts, "within_target": sum([t[3] for t in timings])}, durations)


def _gather(session: Session, sc: Scope, bys: tuple[Breakdown, ...]) -> tuple:
    """One query of the scope's tickets as plain tuples and one pass over them: each
    ticket's `_times` (all of them, and per group of each breakdown of `bys`), the heatmap,
    and each counter's and clerk's visits per day (metrics.visits)."""
    dialect = session.get_bind().dialect.name
    events = _event_totals(sc)
    offset = timedelta(minutes=_offset_minutes(sc.timezone))
    # The hour and the weekday are computed below (after the database's keys); the other keys by the database.
    in_sql = [by for by in bys if by not in (Breakdown.HOUR, Breakdown.WEEKDAY)]
    stmt = _joined(select(
        type_coerce(Ticket.status, String()), Service.target_wait_minutes,
        *[_naive(c) for c in (Ticket.issued_at, events.c.first_call, Ticket.called_at, Ticket.started_at,
                              Ticket.finished_at)],
        Counter.number, func.coalesce(_clerk(), ""), _day(dialect),
        *[_raw_key(by, dialect, sc.timezone) for by in in_sql]), events).where(*_where(sc)).order_by(Ticket.id)
    positions = [in_sql.index(by) if by in in_sql else len(in_sql) + (by == Breakdown.WEEKDAY) for by in bys]
    timings: list[tuple] = []
    groups: list[dict] = [{} for _ in bys]
    arrivals = [[0] * 24 for _ in range(7)]
    cell_waits: list[list[list[float]]] = [[[] for _ in range(24)] for _ in range(7)]
    by_counter: dict = {}
    by_clerk: dict = {}
    weekdays: dict = {}
    done, ended_at_counter = metrics.DONE, (metrics.DONE, metrics.NO_SHOW)
    for (status, target, issued, first_call, called, started, finished, counter, clerk, day,
         *keys) in session.connection().execute(stmt).all():
        timed = _times(status, target, issued, first_call, called, started, finished)
        timings.append(timed)
        weekday = weekdays.get(day) or weekdays.setdefault(day, date.fromisoformat(day).isoweekday())
        hour = (issued + offset).hour
        arrivals[weekday - 1][hour] += 1
        if timed[0] is not None:
            cell_waits[weekday - 1][hour].append(timed[0])
        keys += (hour, weekday)
        for found, position in zip(groups, positions):
            members = found.get(keys[position])
            if members is None:
                members = found[keys[position]] = []
            members.append(timed)
        if counter is not None and status in ended_at_counter and called and finished:
            visit = (called, finished, status == done)
            by_counter.setdefault((counter, day), []).append(visit)
            by_clerk.setdefault((clerk, day), []).append(visit)
    heat = {"arrivals": arrivals,
            "wait_mean": [[round(sum(c) / len(c) + 0.0, 1) if c else None for c in row] for row in cell_waits]}
    return timings, groups, heat, by_counter, by_clerk


_called = itemgetter(0)


def _staffing(by_day: dict) -> list[dict]:
    """metrics.staffing over the visits of `_gather` (called, ended, served), per (who, day)."""
    totals: dict = {}
    for (who, _day), spans in by_day.items():
        total = totals.setdefault(who, [0, 0.0, 0.0])
        total[0] += sum(served for _, _, served in spans)
        total[1] += (max(s[1] for s in spans) - min(s[0] for s in spans)).total_seconds() / 60 / 60
        idle = 0.0
        ordered = sorted(spans, key=_called)
        for earlier, later in zip(ordered, ordered[1:]):
            gap = (later[0] - earlier[1]).total_seconds() / 60
            if gap > 0:
                idle += gap
        total[2] += idle
    return [{"key": who, "served": served, "hours": round(hours, 2),
             "per_hour": round(served / hours, 1) if hours else None, "idle_minutes": round(idle, 1)}
            for who, (served, hours, idle) in sorted(totals.items(), key=lambda item: str(item[0]))]


def _table(counted: dict, found: dict) -> list[dict]:
    """Per group in key order (None last): SQL counts with the gathered durations."""
    return [{"key": key, **_figures_of(counted[key], found.get(key, []))}
            for key in sorted(counted, key=lambda k: (k is None, k if k is not None else 0))]


def ticket_lines(db: Database, actor: Actor, office_slug: str, period: ReportPeriod,
                 service: str | None = None) -> tuple[Scope, list[tuple]]:
    """The tickets of the period, one row each in the columns of reports.tables.TICKET_COLUMNS
    (the CSV and the XLSX raw sheet): equal to tables.ticket_row of each ticket's record."""
    with db.read() as s:
        sc = scope(s, actor, office_slug, period, service)
        dialect = s.get_bind().dialect.name
        events = _event_totals(sc)
        stmt = _joined(select(
            _day(dialect), Ticket.code, Service.prefix, func.coalesce(Zone.name, ""),
            type_coerce(Ticket.channel, String()), func.coalesce(type_coerce(Ticket.priority, String()), ""),
            type_coerce(Ticket.status, String()), Service.target_wait_minutes,
            *[_naive(c) for c in (Ticket.issued_at, events.c.first_call, Ticket.called_at, Ticket.started_at,
                                  Ticket.finished_at)],
            Counter.number, func.coalesce(_clerk(), ""), func.coalesce(events.c.transfers, 0),
            func.coalesce(events.c.recalls, 0)), events).where(*_where(sc)).order_by(Ticket.id)
        rows = s.connection().execute(stmt).all()
    offset = timedelta(minutes=_offset_minutes(sc.timezone))
    appointment = metrics.APPOINTMENT_CHANNEL
    lines = []
    for (day, number, prefix, zone, channel, priority, status, target, issued, first_call, called, started,
         finished, counter, clerk, transfers, recalls) in rows:
        waited, walked, served, within = _times(status, target, issued, first_call, called, started, finished)
        # str() of a datetime is "YYYY-MM-DD HH:MM:SS[.ffffff]": the office's clock to the second.
        lines.append((day, number, prefix, zone, channel, "yes" if channel == appointment else "no", priority,
                      status, str(issued + offset)[:19], first_call and str(first_call + offset)[:19] or "",
                      called and str(called + offset)[:19] or "", started and str(started + offset)[:19] or "",
                      finished and str(finished + offset)[:19] or "", "" if waited is None else round(waited, 2),
                      "" if walked is None else round(walked, 2), "" if served is None else round(served, 2),
                      "yes" if within else "no", "" if counter is None else counter, clerk, int(transfers),
                      int(recalls)))
    return sc, lines


def appointment_records(session: Session, sc: Scope) -> list[metrics.AppointmentRecord]:
    """Appointments holding a seat (booked, checked in, missed) whose slot is in the period."""
    start, _ = repository.day_bounds(sc.period.first, sc.timezone)
    _, end = repository.day_bounds(sc.period.last, sc.timezone)
    stmt = (select(Appointment.slot_start, Appointment.status, Ticket.issued_at, Ticket.channel, Ticket.status)
            .outerjoin(Ticket, and_(Ticket.id == Appointment.ticket_id))
            .where(Appointment.office_id == sc.office_id, Appointment.service_id.in_(sc.service_ids or (-1,)),
                   Appointment.slot_start >= start, Appointment.slot_start < end,
                   Appointment.status.in_(list(HOLDS_SEAT)))
            .order_by(Appointment.slot_start))
    return [metrics.AppointmentRecord(slot_start=slot, status=status.value, checked_in_at=issued,
                                      ticket_channel=channel.value if channel else None,
                                      ticket_status=ticket_status.value if ticket_status else None)
            for slot, status, issued, channel, ticket_status in session.execute(stmt)]


def _labels(session: Session, sc: Scope) -> dict[Breakdown, dict]:
    services = session.execute(select(Service.prefix, Service.name_id, Service.name_en, Service.target_wait_minutes)
                               .where(Service.office_id == sc.office_id)).all()
    counters = session.execute(select(Counter.number, Counter.name).where(Counter.office_id == sc.office_id)).all()
    return {Breakdown.SERVICE: {s.prefix: {"name": s.name_id, "name_en": s.name_en,
                                           "target_wait_minutes": s.target_wait_minutes} for s in services},
            Breakdown.COUNTER: {c.number: {"name": c.name} for c in counters}}


def summary(db: Database, actor: Actor, office_slug: str, period: ReportPeriod, *, service: str | None = None,
            breakdowns: tuple[Breakdown, ...] = (Breakdown.SERVICE, Breakdown.HOUR)) -> dict:
    """The report of a period: the totals, `by_<breakdown>` tables, appointments, clerks,
    counters and the weekday x hour heatmap. Raises as `scope`."""
    with db.read() as s:
        sc = scope(s, actor, office_slug, period, service)
        bys = tuple(dict.fromkeys(Breakdown(by) for by in breakdowns))
        counted = count_groups(s, sc, bys)
        timings, groups, heat, by_counter, by_clerk = _gather(s, sc, bys)
        labels = _labels(s, sc)
        appointments = appointment_records(s, sc)
    tables = {}
    for index, by in enumerate(bys):
        table = _table(fold(counted, index), groups[index])
        for line in table:
            line.update(labels.get(by, {}).get(line["key"], {}))
        tables[f"by_{by.value}"] = table
    total = fold(counted, None).get("all") or dict.fromkeys(COUNTS, 0)
    figures = _figures_of(total, timings)
    return {"office": {"slug": sc.slug, "name": sc.name, "timezone": sc.timezone, "address": sc.address,
                       "contact": sc.contact, "has_logo": sc.has_logo},
            "period": period.as_dict(), "service": sc.service,
            **figures, **tables,
            "appointments": metrics.funnel(appointments),
            "clerks": _staffing(by_clerk), "counters": _staffing(by_counter), "heatmap": heat}


def offices_for(db: Database, actor: Actor) -> list[dict]:
    """The offices whose reports `actor` may read (its own; every office for an owner)."""
    with db.read() as s:
        rows = s.execute(select(Office.id, Office.slug, Office.name).order_by(Office.name)).all()
        return [{"slug": row.slug, "name": row.name} for row in rows if can(actor, Permission.OPERATE, row.id)]


def office_timezone(db: Database, office_slug: str) -> str:
    with db.read() as s:
        return repository.office_by_slug(s, office_slug).timezone


def logo(db: Database, office_slug: str) -> tuple[bytes, str] | None:
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        data = s.execute(select(Office.logo, Office.logo_type).where(Office.id == office.id)).one()
        return (data[0], data[1]) if data[0] else None



def public_summary(db: Database, office_slug: str, period: ReportPeriod) -> dict:
    """The figures of `summary` that anyone may read (the public performance page,
    queries.transparency): the totals and the table per service of every service of the
    office, without clerks, counters or appointments. Raises OfficeNotFound."""
    with db.read() as s:
        office = repository.office_by_slug(s, office_slug)
        ids = tuple(s.execute(select(Service.id).where(Service.office_id == office.id)).scalars())
        sc = Scope(office.id, office.slug, office.name, office.timezone, office.address or "",
                   office.contact or "", False, ids, period)
        bys = (Breakdown.SERVICE,)
        counted = count_groups(s, sc, bys)
        timings, groups, *_ = _gather(s, sc, bys)
        labels = _labels(s, sc)[Breakdown.SERVICE]
    table = _table(fold(counted, 0), groups[0])
    for line in table:
        line.update(labels.get(line["key"], {}))
    total = fold(counted, None).get("all") or dict.fromkeys(COUNTS, 0)
    return {"period": period.as_dict(), **_figures_of(total, timings), "by_service": table}
