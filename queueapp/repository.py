"""Loading rows for the use cases, shared by the write side (services) and the read side
(queries): lookups that raise the domain's NotFound errors, checked against the acting
staff member's permissions, and the domain objects built from rows (rules, calendar,
dispatch candidates and policy, kiosk settings)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from . import office_cache
from .domain import booking, dispatch, errors
from .domain.channels import Channel
from .domain.events import EventType
from .domain.hours import Calendar, DayHours, parse_breaks
from .domain.kiosk import DEFAULT_PAPER
from .domain.numbering import business_date
from .domain.permissions import Actor, Permission, require
from .domain.states import CALLABLE
from .models import (Appointment, BookingRule, Counter, Display, Holiday, Kiosk, Office, OpeningHours, Service,
                     StaffUser, Ticket, TicketEvent, Zone)
from .printing import BROWSER, PrinterSpec

# --- Offices, services, counters, tickets ---


def office_by_slug(session: Session, slug: str) -> Office:
    office = session.execute(select(Office).where(Office.slug == slug)).scalar_one_or_none()
    if office is None:
        raise errors.OfficeNotFound(office=slug)
    return office


@dataclass(frozen=True)
class ServiceRow:
    """A service's columns that issuing a ticket and the boards read, as kept per process."""

    id: int
    office_id: int
    prefix: str
    name_id: str
    name_en: str
    daily_quota: int | None
    expected_minutes: int
    active: bool
    position: int
    zone_id: int | None


_SERVICE_ROWS = (select(*(getattr(Service, name) for name in ServiceRow.__dataclass_fields__))
                 .where(Service.office_id == bindparam("office_id")).order_by(Service.position, Service.id))


def _kept(session: Session):
    """The session's database's office_cache (None for a session made elsewhere)."""
    db = session.info.get("database")
    return office_cache.of(db) if db is not None else None


def service_rows(session: Session, office_id: int, *, fresh: bool = False) -> tuple[ServiceRow, ...]:
    """The office's services in its order, kept per process until its next configuration
    change (office_cache); `fresh`: read now (a screen's snapshot shows a service another
    process added a moment ago), and kept again."""
    def load():
        return tuple(ServiceRow(*row) for row in session.execute(_SERVICE_ROWS, {"office_id": office_id}))
    kept = _kept(session)
    if kept is None:
        return load()
    if fresh:
        kept.forget(("services", office_id))
    return kept.get(("services", office_id), load, lambda _: office_id)


def service_row(session: Session, office: Office, prefix: str) -> ServiceRow:
    """service_by_prefix, from the kept rows (to read, not to change); a code not among them
    is looked for again in the database (another process may have added it a moment ago).
    Raises ServiceNotFound."""
    code = str(prefix).upper()
    found = next((row for row in service_rows(session, office.id) if row.prefix == code), None)
    if found is None:
        found = next((row for row in service_rows(session, office.id, fresh=True) if row.prefix == code), None)
    if found is None:
        raise errors.ServiceNotFound(service=prefix)
    return found


def service_by_prefix(session: Session, office: Office, prefix: str) -> Service:
    service = session.execute(select(Service).where(
        Service.office_id == office.id, Service.prefix == str(prefix).upper())).scalar_one_or_none()
    if service is None:
        raise errors.ServiceNotFound(service=prefix)
    return service


def counter_for(session: Session, actor: Actor, counter_id: int,
                permission: Permission = Permission.SERVE) -> Counter:
    """The counter, when `actor` holds `permission` in its office and zone. Raises
    CounterNotFound, PermissionDenied."""
    counter = session.get(Counter, counter_id)
    if counter is None:
        raise errors.CounterNotFound(counter=counter_id)
    require(actor, permission, counter.office_id, counter.zone_id)
    return counter


def ticket_for(session: Session, actor: Actor, ticket_id: int,
               permission: Permission = Permission.SERVE) -> Ticket:
    """The ticket, when `actor` holds `permission` in its office and the zone of its
    service. Raises TicketNotFound, PermissionDenied."""
    # The ticket with its service's zone in one statement (not a lazy load on every action).
    found = session.execute(select(Ticket, Service.zone_id).join(Service, Service.id == Ticket.service_id)
                            .where(Ticket.id == ticket_id)).first()
    if found is None:
        raise errors.TicketNotFound(ticket=ticket_id)
    ticket, zone_id = found
    require(actor, permission, ticket.office_id, zone_id)
    return ticket


def office_ids(session: Session, office: Office) -> dict[str, dict]:
    """What tells a new thing from one to update (importing an office): ids of zones and
    devices by name, counters by number, staff by username, services by code."""
    def by(model, key):
        return dict(session.execute(select(key, model.id).where(model.office_id == office.id)).all())
    return {"zones": by(Zone, Zone.name), "counters": by(Counter, Counter.number), "kiosks": by(Kiosk, Kiosk.name),
            "displays": by(Display, Display.name), "staff": by(StaffUser, StaffUser.username),
            "services": by(Service, Service.prefix)}


def ticket_by_token(session: Session, token: str) -> Ticket:
    ticket = session.execute(select(Ticket).where(Ticket.token == token)).scalar_one_or_none()
    if ticket is None:
        raise errors.TicketNotFound()
    return ticket


# --- Opening hours and booking rules ---


_HOURS = (select(OpeningHours).where(OpeningHours.office_id == bindparam("office_id"))
          .order_by(OpeningHours.weekday, OpeningHours.opens))
_HOLIDAYS = select(Holiday.day, Holiday.name).where(Holiday.office_id == bindparam("office_id"))
# Issuing a ticket needs only its day: statements built once (building costs more than running).
_DAY_HOURS = _HOURS.where(OpeningHours.weekday == bindparam("weekday"))
_DAY_HOLIDAY = _HOLIDAYS.where(Holiday.day == bindparam("day"))


def calendar_of(session: Session, office: Office, day: date | None = None) -> Calendar:
    """The office's opening periods, holidays and closed-by-hand flag (domain.hours); with
    `day`, only what that local day needs (its weekday's periods, its holiday), kept per
    process until the office's next configuration change (office_cache). Closed by hand
    is the office row's, as read by the caller."""
    if day is None:
        weekly, holidays = _calendar_rows(session.execute(_HOURS, {"office_id": office.id}),
                                          session.execute(_HOLIDAYS, {"office_id": office.id}))
    else:
        def load():
            weekly, holidays = _calendar_rows(
                session.execute(_DAY_HOURS, {"office_id": office.id, "weekday": day.isoweekday()}),
                session.execute(_DAY_HOLIDAY, {"office_id": office.id, "day": day}))
            return Calendar(tz_name=office.timezone, weekly=weekly, holidays=dict(holidays), closed=office.closed)
        kept = _kept(session)
        calendar = load() if kept is None else kept.get(("day", office.id, day), load, lambda _: office.id)
        if (calendar.tz_name, calendar.closed) == (office.timezone, office.closed):
            return calendar   # the kept one (frozen), as every ticket of the day reads it
        weekly, holidays = calendar.weekly, calendar.holidays
    return Calendar(tz_name=office.timezone, weekly=weekly, holidays=dict(holidays), closed=office.closed)


def _calendar_rows(hours, holidays) -> tuple[dict[int, tuple[DayHours, ...]], tuple]:
    weekly: dict[int, tuple[DayHours, ...]] = {}
    for row in hours.scalars():
        weekly[row.weekday] = weekly.get(row.weekday, ()) + (
            DayHours(row.opens, row.closes, parse_breaks(row.breaks), row.walk_ins, row.appointments),)
    return weekly, tuple(holidays.all())


def rule_row(session: Session, service: Service) -> BookingRule | None:
    return session.get(BookingRule, service.id)


def rule_of(row: BookingRule | None) -> booking.Rule:
    if row is None:
        return booking.Rule(bookable=False)
    return booking.Rule(**{name: getattr(row, name) for name in booking.Rule.__dataclass_fields__})


# --- Dispatch ---


def candidate(ticket: Ticket) -> dispatch.Candidate:
    return dispatch.Candidate(ticket_id=ticket.id, service_id=ticket.service_id, status=ticket.status,
                              queued_at=ticket.queued_at, number=ticket.number,
                              priority=ticket.priority.value if ticket.priority else None,
                              channel=ticket.channel.value if ticket.channel else Channel.KIOSK.value)


def line(session: Session, office_id: int, day: date, service_ids, *, lock: bool = False) -> list[Ticket]:
    """Callable tickets of these services today. With `lock`, rows another transaction
    holds are skipped (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite holds the write lock)."""
    stmt = select(Ticket).where(Ticket.office_id == office_id, Ticket.business_date == day,
                                Ticket.service_id.in_(list(service_ids)), Ticket.status.in_(list(CALLABLE)))
    if lock:
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.execute(stmt).scalars())


def counter_policy(session: Session, counter: Counter, now: datetime) -> dispatch.FairMergePolicy:
    """The counter's dispatch policy: its service order, priority setting, and the fair merge
    with the smallest `appointments_in_a_row` among its bookable services (default 2)."""
    return counter_policies(session, counter.office, [counter], now)[counter.id]


def counter_policies(session: Session, office: Office, counters: list[Counter],
                     now: datetime) -> dict[int, dispatch.FairMergePolicy]:
    """counter_policy of several counters of one office, in three statements whatever their number."""
    if not counters:
        return {}
    service_ids = {link.service_id for counter in counters for link in counter.links}
    ratios = dict(session.execute(select(BookingRule.service_id, BookingRule.appointments_in_a_row).where(
        BookingRule.service_id.in_(service_ids), BookingRule.bookable.is_(True))).all())
    day = business_date(now, office.timezone)
    # Calls of today's tickets happen today: bounding `at` keeps the read to the day's calls.
    # "seq + 0": sort the day's calls rather than walk the office's whole log by seq.
    recent: dict[int, list[str]] = {}
    for counter_id, channel in session.execute(
            select(TicketEvent.counter_id, Ticket.channel).join(Ticket, TicketEvent.ticket_id == Ticket.id)
            .where(TicketEvent.counter_id.in_([c.id for c in counters]),
                   TicketEvent.type == EventType.TICKET_CALLED.value,
                   TicketEvent.at >= day_bounds(day, office.timezone)[0], Ticket.business_date == day)
            .order_by((TicketEvent.seq + 0).desc())):
        recent.setdefault(counter_id, []).append(channel.value)
    policies = {}
    for counter in counters:
        mine = [ratios[link.service_id] for link in counter.links if link.service_id in ratios]
        limit = min(mine) if mine else 2
        policies[counter.id] = dispatch.FairMergePolicy(
            service_order={link.service_id: link.order for link in counter.links},
            priority_first=counter.priority_first, appointments_in_a_row=limit,
            streak=dispatch.appointment_streak(recent.get(counter.id, [])[:max(limit, 1)]), now=now)
    return policies


# --- Kiosks ---


@dataclass(frozen=True)
class KioskSettings:
    name: str | None
    paper: int = DEFAULT_PAPER
    printer: PrinterSpec = PrinterSpec(BROWSER)


def kiosk(session: Session, office: Office, name: str | None) -> KioskSettings:
    """A named kiosk's paper and printer; an unnamed kiosk prints 80 mm from its browser.
    Raises KioskNotFound."""
    if not name:
        return KioskSettings(None)
    row = session.execute(select(Kiosk).where(Kiosk.office_id == office.id, Kiosk.name == name)).scalar_one_or_none()
    if row is None:
        raise errors.KioskNotFound(kiosk=name)
    return KioskSettings(row.name, row.paper, PrinterSpec.parse(row.printer))


# --- Appointments ---


def bookable_service(session: Session, office: Office, prefix: str) -> tuple[Service, booking.Rule]:
    """The service and its rule; NotBookable when it takes no appointments."""
    service = service_by_prefix(session, office, prefix)
    rule = rule_of(rule_row(session, service))
    if not (rule.bookable and service.active):
        raise errors.NotBookable(service=service.prefix)
    return service, rule


def day_bounds(day: date, tz_name: str, days: int = 1) -> tuple[datetime, datetime]:
    """The instants a span of local days starts and ends at."""
    start = datetime.combine(day, time(0), ZoneInfo(tz_name))
    return start, start + timedelta(days=days)


def seat_holders(session: Session, service_id: int, start: datetime, end: datetime) -> dict:
    """(status, cancelled_at) of each appointment by slot start, for slots in [start, end)."""
    rows = session.execute(select(Appointment.slot_start, Appointment.status, Appointment.cancelled_at).where(
        Appointment.service_id == service_id, Appointment.slot_start >= start, Appointment.slot_start < end))
    holders: dict[datetime, list] = {}
    for slot_start, status, cancelled_at in rows:
        holders.setdefault(slot_start, []).append((status, cancelled_at))
    return holders


def online_used(session: Session, office_id: int, service_id: int, day: date) -> int:
    """Tickets of this service taken from home on `day`."""
    return session.execute(select(func.count()).select_from(Ticket).where(
        Ticket.office_id == office_id, Ticket.service_id == service_id, Ticket.business_date == day,
        Ticket.channel == Channel.ONLINE)).scalar_one()


def appointment_by_token(session: Session, token: str) -> Appointment:
    appointment = session.execute(select(Appointment).where(
        Appointment.manage_token == str(token))).scalar_one_or_none()
    if appointment is None:
        raise errors.AppointmentNotFound()
    return appointment
