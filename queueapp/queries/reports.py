"""Read side of the reports: an office's tickets of a period, counted in SQL per breakdown
(service, zone, counter, clerk, channel, appointment or walk-in, priority, hour, weekday)
and timed in Python over one bounded query of their timestamps, with the pure figures of
domain.metrics (tests/integration/test_report_queries.py proves the two equal).

A member of one zone (an agency of an MPP) sees only that zone's services."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, Integer, Interval, and_, case, cast, func, literal_column, select, type_coerce
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


def _event_totals(sc: Scope):
    """Per ticket of the scope: its first call, its transfers and its recalls."""
    called = func.min(case((TicketEvent.type == E.TICKET_CALLED.value, TicketEvent.at)))
    return (select(TicketEvent.ticket_id.label("ticket_id"),
                   type_coerce(called, UTCDateTime()).label("first_call"),
                   func.sum(case((TicketEvent.type == E.TICKET_TRANSFERRED.value, 1), else_=0)).label("transfers"),
                   func.sum(case((TicketEvent.type == E.TICKET_RECALLED.value, 1), else_=0)).label("recalls"))
            .where(TicketEvent.office_id == sc.office_id,
                   TicketEvent.type.in_([E.TICKET_CALLED.value, E.TICKET_TRANSFERRED.value, E.TICKET_RECALLED.value]),
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
        return cast(func.strftime("%H", Ticket.issued_at, f"{minutes:+d} minutes"), Integer)
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
    events = _event_totals(sc)
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


def count_by(session: Session, sc: Scope, by: Breakdown | None) -> dict[Any, dict]:
    """The counts per group of one breakdown (None: the whole scope, as group "all")."""
    if by is None:
        return fold(count_groups(session, sc, ()), None)
    return fold(count_groups(session, sc, (Breakdown(by),)), 0)


def records(session: Session, sc: Scope) -> list[metrics.TicketRecord]:
    """Every ticket of the scope with its timestamps: the bounded query the durations,
    the heatmap, the staffing figures and the CSV are computed from."""
    events = _event_totals(sc)
    # Read as plain (naive UTC) datetimes and made aware below: the column type's own
    # conversion costs a Python call per value, a month of an MPP has 450,000 of them.
    plain = [type_coerce(column, DateTime()) for column in (
        Ticket.issued_at, events.c.first_call, Ticket.called_at, Ticket.started_at, Ticket.finished_at)]
    stmt = _joined(select(
        Ticket.id, Ticket.business_date, Service.prefix, Ticket.status, Ticket.channel, plain[0],
        Service.target_wait_minutes, Zone.name.label("zone"), Counter.number.label("counter"),
        case((Ticket.called_at.is_not(None), StaffUser.display_name)).label("clerk"), Ticket.priority,
        *plain[1:], events.c.transfers, events.c.recalls, Ticket.code), events).where(*_where(sc)).order_by(Ticket.id)
    record, utc = metrics.TicketRecord, timezone.utc
    return [record(ticket_id, day, prefix, status.value, channel.value, issued.replace(tzinfo=utc), target,
                   zone or "", counter, clerk or "", priority.value if priority else "",
                   first_call and first_call.replace(tzinfo=utc), called and called.replace(tzinfo=utc),
                   started and started.replace(tzinfo=utc), finished and finished.replace(tzinfo=utc),
                   int(transfers or 0), int(recalls or 0), code)
            for (ticket_id, day, prefix, status, channel, issued, target, zone, counter, clerk, priority, first_call,
                 called, started, finished, transfers, recalls, code) in session.connection().execute(stmt)]


def totals(session: Session, sc: Scope, rows: list[metrics.TicketRecord],
           timings: list[metrics.Timing] | None = None, counted: dict | None = None) -> dict:
    """The figures of the whole scope: SQL counts with the durations of `rows`."""
    timings = timings if timings is not None else [metrics.timing(r) for r in rows]
    counted = counted if counted is not None else count_by(session, sc, None)
    counted = counted.get("all") or dict.fromkeys(COUNTS, 0)
    counts = {**counted, "within_target": sum(t.within_target for t in timings)}
    return metrics.figures(counts, metrics.durations_of(timings))


def breakdown(session: Session, sc: Scope, by: Breakdown, rows: list[metrics.TicketRecord],
              timings: list[metrics.Timing] | None = None, counted: dict | None = None) -> list[dict]:
    """Per group: the SQL counts (`counted`, or counted now) with the durations of `rows`
    (records of the same scope; `timings` their metrics.timing, computed once)."""
    by = Breakdown(by)
    timings = timings if timings is not None else [metrics.timing(r) for r in rows]
    counted = counted if counted is not None else count_by(session, sc, by)
    groups: dict = {}
    key = metrics.key_function(by, sc.timezone)
    for record, timed in zip(rows, timings):
        groups.setdefault(key(record), []).append(timed)
    ordered = sorted(counted, key=lambda k: (k is None, k if k is not None else 0))
    result = []
    for group in ordered:
        members = groups.get(group, [])
        counts = {**counted[group], "within_target": sum(t.within_target for t in members)}
        result.append({"key": group, **metrics.figures(counts, metrics.durations_of(members))})
    return result


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
        rows = records(s, sc)
        timings = [metrics.timing(r) for r in rows]
        labels = _labels(s, sc)
        bys = tuple(dict.fromkeys(Breakdown(by) for by in breakdowns))
        groups = count_groups(s, sc, bys)
        tables = {}
        for index, by in enumerate(bys):
            table = breakdown(s, sc, by, rows, timings, fold(groups, index))
            for line in table:
                line.update(labels.get(by, {}).get(line["key"], {}))
            tables[f"by_{Breakdown(by).value}"] = table
        appointments = appointment_records(s, sc)
        spans = metrics.visits(rows)
        figures = totals(s, sc, rows, timings, fold(groups, None))
    return {"office": {"slug": sc.slug, "name": sc.name, "timezone": sc.timezone, "address": sc.address,
                       "contact": sc.contact, "has_logo": sc.has_logo},
            "period": period.as_dict(), "service": sc.service,
            **figures, **tables,
            "appointments": metrics.funnel(appointments),
            "clerks": metrics.staffing(rows, "clerk", spans), "counters": metrics.staffing(rows, "counter", spans),
            "heatmap": metrics.heatmap(rows, sc.timezone)}


def ticket_rows(db: Database, actor: Actor, office_slug: str, period: ReportPeriod,
                service: str | None = None) -> tuple[Scope, list[metrics.TicketRecord]]:
    """The tickets of the period, one record each, for the CSV and the XLSX raw sheet."""
    with db.read() as s:
        sc = scope(s, actor, office_slug, period, service)
        return sc, records(s, sc)


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

