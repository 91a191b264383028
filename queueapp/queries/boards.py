"""Read side of the whole office: the lobby board, the counters, a clerk's screen and
the staff view, each with the seq it is valid at."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database
from ..domain import dispatch, eta
from ..domain.events import CALL_EVENTS, EventType, call_id
from ..domain.hours import is_open
from ..domain.numbering import business_date
from ..domain.permissions import Actor, Permission, require
from ..domain.states import AT_COUNTER, CALLABLE, TicketStatus
from ..models import Counter, DailyCounter, Office, Ticket, TicketEvent
from .tickets import (counter_brief, line_item, mean_service_minutes, open_counters_by_service, service_brief,
                      ticket_view)

RECENT_CALLS = 10


def services_overview(session: Session, office: Office, now: datetime) -> list[dict]:
    """Per service: open for new tickets, waiting count, ETA for a newcomer, quota left."""
    day = business_date(now, office.timezone)
    office_open = is_open(repository.calendar_of(session, office, day), now)
    waiting = dict(session.execute(
        select(Ticket.service_id, func.count()).where(
            Ticket.office_id == office.id, Ticket.business_date == day,
            Ticket.status.in_(list(CALLABLE))).group_by(Ticket.service_id)).all())
    issued = dict(session.execute(
        select(Ticket.service_id, func.count()).where(
            Ticket.office_id == office.id, Ticket.business_date == day).group_by(Ticket.service_id)).all())
    last_numbers = dict(session.execute(
        select(DailyCounter.service_id, DailyCounter.last_number).where(
            DailyCounter.business_date == day,
            DailyCounter.service_id.in_([s.id for s in office.services]))).all())
    open_counters = open_counters_by_service(session, office.id)
    result = []
    for service in office.services:
        used = max(last_numbers.get(service.id, 0), issued.get(service.id, 0))
        quota_left = None if not service.daily_quota else max(0, service.daily_quota - used)
        n_waiting = waiting.get(service.id, 0)
        estimate = eta.estimate_wait(n_waiting, open_counters.get(service.id, 0),
                                     mean_service_minutes(session, service, day))
        result.append({
            **service_brief(service),
            "open": bool(office_open and service.active and quota_left != 0),
            "active": service.active,
            "waiting": n_waiting,
            "eta_minutes": estimate.minutes,
            "quota": service.daily_quota,
            "quota_left": quota_left,
            "counters_open": open_counters.get(service.id, 0),
        })
    return result


def counters_overview(session: Session, office: Office) -> list[dict]:
    current = {t.counter_id: t for t in session.execute(
        select(Ticket).where(Ticket.counter_id.in_([c.id for c in office.counters]),
                             Ticket.status.in_(list(AT_COUNTER)))).scalars()}
    return [_counter_row(counter, current.get(counter.id)) for counter in office.counters]


def counter_view(session: Session, counter: Counter) -> dict:
    """One row of counters_overview."""
    current = session.execute(select(Ticket).where(
        Ticket.counter_id == counter.id, Ticket.status.in_(list(AT_COUNTER)))).scalars().first()
    return _counter_row(counter, current)


def _counter_row(counter: Counter, ticket: Ticket | None) -> dict:
    return {
        "id": counter.id, "number": counter.number, "name": counter.name,
        "state": counter.state.value, "priority_first": counter.priority_first,
        "services": [{"code": link.service.prefix, "order": link.order} for link in counter.links],
        "current": {"number": ticket.code, "status": ticket.status.value,
                    "service": ticket.service.prefix} if ticket else None,
    }


def recent_calls(session: Session, office: Office, day, limit: int = RECENT_CALLS) -> list[dict]:
    """Today's latest calls and recalls, newest first, as the lobby board lists them."""
    stmt = (select(TicketEvent, Ticket, Counter)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .join(Counter, Counter.id == TicketEvent.counter_id)
            .where(TicketEvent.office_id == office.id, TicketEvent.type.in_([e.value for e in CALL_EVENTS]),
                   # Calls of today's tickets happen today: the index reads only the day's calls.
                   TicketEvent.at >= repository.day_bounds(day, office.timezone)[0],
                   Ticket.business_date == day)
            # "seq + 0": SQLite would otherwise walk the office's whole log backwards by seq
            # instead of sorting the day's few calls.
            .order_by((TicketEvent.seq + 0).desc()).limit(limit))
    return [{"call_id": call_id(office.slug, ev.seq), "seq": ev.seq, "at": ev.at.isoformat(),
             "number": ticket.code, "service": ticket.service.prefix,
             "counter": counter_brief(counter), "recall": ev.type == EventType.TICKET_RECALLED.value}
            for ev, ticket, counter in session.execute(stmt)]


def board_snapshot(session: Session, office: Office, now: datetime) -> dict:
    """Everything a lobby display or kiosk needs, with the seq it is valid at."""
    day = business_date(now, office.timezone)
    return {
        "office": {"slug": office.slug, "name": office.name, "timezone": office.timezone,
                   "running_text": office.running_text},
        "seq": office.seq,
        "business_date": day.isoformat(),
        "calls": recent_calls(session, office, day),
        "services": services_overview(session, office, now),
    }


def counter_screen(session: Session, counter: Counter, now: datetime) -> dict:
    """A clerk's screen: the counter, the ticket at it, and its waiting line in call order."""
    office = counter.office
    day = business_date(now, office.timezone)
    current = session.execute(select(Ticket).where(
        Ticket.counter_id == counter.id, Ticket.status.in_(list(AT_COUNTER)))).scalars().first()
    service_ids = [link.service_id for link in counter.links]
    # Listed in the order call_next would call them, fair merge included.
    tickets = {t.id: t for t in repository.line(session, office.id, day, service_ids)}
    order = dispatch.call_order(repository.counter_policy(session, counter, now),
                                [repository.candidate(t) for t in tickets.values()])
    held = session.execute(select(Ticket).where(
        Ticket.office_id == office.id, Ticket.business_date == day,
        Ticket.service_id.in_(service_ids), Ticket.status == TicketStatus.ON_HOLD)).scalars()
    return {
        "counter": _counter_row(counter, current),
        "current": ticket_view(session, current, staff=True) if current else None,
        "waiting": [line_item(tickets[c.ticket_id]) for c in order],
        "on_hold": [line_item(t) for t in held],
    }


def staff_snapshot(session: Session, office: Office, now: datetime) -> dict:
    """The supervisor's and clerks' view of the whole office."""
    day = business_date(now, office.timezone)
    board = board_snapshot(session, office, now)
    active = session.execute(select(Ticket).where(
        Ticket.office_id == office.id, Ticket.business_date == day,
        Ticket.status.in_(list(CALLABLE | AT_COUNTER | {TicketStatus.ON_HOLD})))
        .order_by(Ticket.queued_at)).scalars()
    return {**board, "counters": counters_overview(session, office),
            "tickets": [line_item(t) for t in active]}


def offices(db: Database, now: datetime) -> list[dict]:
    """Every office of the deployment, by name, and whether its kiosk issues tickets now."""
    with db.read() as session:
        rows = session.execute(select(Office).order_by(Office.name)).scalars()
        return [{"slug": o.slug, "name": o.name, "timezone": o.timezone, "address": o.address,
                 "open": is_open(repository.calendar_of(session, o, business_date(now, o.timezone)), now)}
                for o in rows]


def office_state(db: Database, office_slug: str, now: datetime, *, part: str) -> dict | list:
    """One public part of an office's state: "board", "services" or "counters"."""
    with db.read() as session:
        office = repository.office_by_slug(session, office_slug)
        if part == "board":
            return board_snapshot(session, office, now)
        if part == "services":
            return services_overview(session, office, now)
        return counters_overview(session, office)


def counter(db: Database, counter_id: int) -> dict:
    """One counter's row of the overview, after a use case changed it."""
    with db.read() as session:
        return counter_view(session, session.get(Counter, counter_id))


@dataclass(frozen=True)
class OfficeFacts:
    """What a screen's page needs of its office, valid after the transaction."""

    slug: str
    name: str
    timezone: str
    address: str
    running_text: str
    services: tuple[str, ...]     # the service codes, in their order

    @classmethod
    def of(cls, office: Office) -> OfficeFacts:
        return cls(office.slug, office.name, office.timezone, office.address, office.running_text,
                   tuple(s.prefix for s in office.services))


def office_facts(db: Database, office_slug: str) -> OfficeFacts:
    """Raises OfficeNotFound."""
    with db.read() as session:
        return OfficeFacts.of(repository.office_by_slug(session, office_slug))


def counter_choice(db: Database, actor: Actor) -> tuple[OfficeFacts, list[dict]]:
    """The staff member's office and its counters, to pick one to work at."""
    with db.read() as session:
        office = session.get(Office, actor.office_id)
        require(actor, Permission.VIEW_OFFICE, office.id)
        return OfficeFacts.of(office), counters_overview(session, office)


def workstation(db: Database, actor: Actor, counter_id: int) -> tuple[dict, OfficeFacts, list[dict]]:
    """A counter the actor may serve at, its office, and the services it may transfer to."""
    with db.read() as session:
        counter = repository.counter_for(session, actor, counter_id)
        office = counter.office
        services = [service_brief(s) for s in office.services if s.active]
        return counter_brief(counter), OfficeFacts.of(office), services
