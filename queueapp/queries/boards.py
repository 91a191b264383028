"""Read side of the whole office: the lobby board, the counters, a clerk's screen and
the staff view, each with the seq it is valid at."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database
from ..domain import announce, dispatch
from ..domain.errors import InvalidInput
from ..domain.events import CALL_EVENT_TYPES, EventType, call_id
from ..domain.hours import is_open
from ..domain.numbering import business_date
from ..domain.permissions import Actor, Permission, require
from ..domain.states import AT_COUNTER, CALLABLE, TicketStatus
from ..models import Appointment, Counter, Office, Ticket, TicketEvent
from . import eta as eta_queries
from .tickets import (DayCounts, counter_brief, day_counts, line_item, line_positions,
                      service_brief, ticket_view)

RECENT_CALLS = 10


def services_overview(session: Session, office: Office, now: datetime,
                      only: set[int] | None = None, counts: DayCounts | None = None) -> list[dict]:
    """Per service: open for new tickets, waiting count, ETA for a newcomer, quota left.
    `only`: the rows of these service ids (what an event changed), in the same order;
    `counts`: their queries.tickets.day_counts, when already read."""
    day = business_date(now, office.timezone)
    # The rows kept per process (repository.service_rows) at every change of a line; read
    # afresh for a whole board (a snapshot, built once per room and seq, or a page).
    services = [s for s in repository.service_rows(session, office.id, fresh=only is None)
                if only is None or s.id in only]
    if not services:
        return []
    # The day's hours and holiday and the open counters, kept a few seconds with the ETA's
    # inputs (queries.eta.office_inputs); closed by hand is read with the office.
    inputs = eta_queries.office_inputs(session, office, now)
    calendar = inputs.calendar
    office_open = is_open(replace(calendar, closed=office.closed), now)
    # The day's last number is how many were issued (every ticket is numbered by it).
    counts = counts if counts is not None else day_counts(session, office.id, day)
    open_counters = inputs.open_counters()
    # "The wait if you take a number now": a newcomer at the back of each line, in the
    # same replay as the waiting tickets' quotes (queries.eta.line_estimates).
    estimates = eta_queries.line_estimates(session, office, None if office.seq else now)
    result = []
    for service in services:
        n_waiting = counts.waiting.get(service.id, 0)
        used = counts.issued.get(service.id, 0)
        quota_left = None if not service.daily_quota else max(0, service.daily_quota - used)
        estimate = estimates.get(-service.id, eta_queries.NO_ESTIMATE)
        result.append({
            **service_brief(service),
            "open": bool(office_open and service.active and quota_left != 0),
            "active": service.active,
            "waiting": n_waiting,
            "eta_minutes": estimate.minutes,
            "eta_range": [estimate.low, estimate.high] if estimate.minutes is not None else None,
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
        # Equal orders in the office's service order (the database returns ties in any order).
        "services": [{"code": link.service.prefix, "order": link.order} for link in
                     sorted(counter.links, key=lambda link: (link.order, link.service.position, link.service_id))],
        "current": {"number": ticket.code, "status": ticket.status.value,
                    "service": ticket.service.prefix} if ticket else None,
    }


def called_for(data: dict | None, office: Office) -> str | None:
    """The code of the service a call was made for (its event names the service's id; a
    transfer later does not move the call into another zone), None when it does not say."""
    service_id = (data or {}).get("service_id")
    if service_id is None:
        return (data or {}).get("service")
    return next((s.prefix for s in office.services if s.id == service_id), None)


def recent_calls(session: Session, office: Office, day, limit: int = RECENT_CALLS) -> list[dict]:
    """Today's latest calls and recalls, newest first, as the lobby board lists them."""
    stmt = (select(TicketEvent, Ticket, Counter)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .join(Counter, Counter.id == TicketEvent.counter_id)
            .where(TicketEvent.office_id == office.id, TicketEvent.type.in_(sorted(CALL_EVENT_TYPES)),
                   # Calls of today's tickets happen today: the index reads only the day's calls.
                   TicketEvent.at >= repository.day_bounds(day, office.timezone)[0],
                   Ticket.business_date == day)
            # "seq + 0": SQLite would otherwise walk the office's whole log backwards by seq
            # instead of sorting the day's few calls.
            .order_by((TicketEvent.seq + 0).desc()).limit(limit))
    rows = list(session.execute(stmt))
    # Calls name their service (since the zone-display fix); older ones are looked up.
    served = _services_when_called(session, [(ev.ticket_id, ev.seq) for ev, _, _ in rows
                                             if not called_for(ev.data, office)])
    return [public_call(office.slug, ev.seq, ev.at, ev.type, ticket.code,
                        called_for(ev.data, office) or served.get((ev.ticket_id, ev.seq), ticket.service.prefix),
                        counter)
            for ev, ticket, counter in rows]


def _services_when_called(session: Session, calls: list[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The service each call was made for, when its ticket was transferred since: the
    transfer's "from_service" of the first transfer after the call. A call belongs to the
    service (and zone) it was made in: a ticket transferred into a zone after being called
    elsewhere must not show on that zone's display as the other agency's call."""
    if not calls:
        return {}
    transfers = session.execute(
        select(TicketEvent.ticket_id, TicketEvent.seq, TicketEvent.data)
        .where(TicketEvent.ticket_id.in_({ticket_id for ticket_id, _ in calls}),
               TicketEvent.type == EventType.TICKET_TRANSFERRED.value,
               TicketEvent.seq > min(seq for _, seq in calls))
        .order_by(TicketEvent.seq)).all()
    served = {}
    for ticket_id, seq in calls:
        later = next((data for t, s, data in transfers if t == ticket_id and s > seq), None)
        if later and later.get("from_service"):
            served[(ticket_id, seq)] = later["from_service"]
    return served


def public_call(office_slug: str, seq: int, at: datetime, type_: str, number: str, service: str,
                counter: Counter) -> dict:
    """A call as the lobby board lists it, with what a display says for it in each language."""
    return {"call_id": call_id(office_slug, seq), "seq": seq, "at": at.isoformat(), "number": number,
            "service": service, "counter": counter_brief(counter),
            "recall": type_ == EventType.TICKET_RECALLED.value,
            "announcement": announcements(number, counter.number)}


def announcements(number: str, counter_number: int) -> dict | None:
    """The phrase and clip names of a call in each display language (clips are files under
    the display's sounds folder: "chime", else "<lang>/<name>")."""
    try:
        said = {lang: announce.announcement(number, counter_number, lang) for lang in announce.LANGUAGES}
    except InvalidInput:
        return None
    return {lang: {"text": a.text, "clips": [name if name == announce.CHIME else f"{lang}/{name}"
                                              for name in a.clips]} for lang, a in said.items()}


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
    return counter_screens(session, counter.office, {counter.id}, now)[counter.id]


# A clerk's screen lists the first of its line in call order, with the counts of the rest.
SCREEN_WAITING = 20


def counter_screens(session: Session, office: Office, counter_ids: set[int], now: datetime,
                    line: list | None = None) -> dict[int, dict]:
    """counter_screen of several counters of one office, in a fixed number of statements;
    `line`: the office's line of the day (queries.tickets.line_positions), when already read."""
    counters = [c for c in office.counters if c.id in counter_ids]
    if not counters:
        return {}
    day = business_date(now, office.timezone)
    if line is None:
        line = line_positions(session, office.id, day)
    # What stands at these counters and what is on hold today, in one statement.
    current, held = {}, []
    for t in session.execute(select(Ticket).where(or_(
            and_(Ticket.counter_id.in_([c.id for c in counters]), Ticket.status.in_(list(AT_COUNTER))),
            and_(Ticket.office_id == office.id, Ticket.business_date == day,
                 Ticket.status == TicketStatus.ON_HOLD))).order_by(Ticket.id)).scalars():
        if t.status == TicketStatus.ON_HOLD:
            held.append(t)
        else:
            current[t.counter_id] = t
    policies = repository.counter_policies(session, office, counters, now)
    codes = {s.id: s.prefix for s in office.services}
    by_id = {t.id: t for t in line}
    candidates = [repository.candidate(t) for t in line]
    served, served_by = _served_today(session, office.id, day)
    screens = {}
    for counter in counters:
        service_ids = {link.service_id for link in counter.links}
        # Listed in the order call_next would call them, fair merge included.
        order = dispatch.call_order(policies[counter.id], candidates)
        counts: dict[str, int] = {}
        for candidate in order:
            counts[codes[candidate.service_id]] = counts.get(codes[candidate.service_id], 0) + 1
        at_counter = current.get(counter.id)
        screens[counter.id] = {
            "counter": _counter_row(counter, at_counter),
            "current": ticket_view(session, at_counter, staff=True) if at_counter else None,
            "waiting": [line_item(by_id[c.ticket_id], codes[c.service_id]) for c in order[:SCREEN_WAITING]],
            "waiting_total": len(order),
            "waiting_counts": counts,
            "on_hold": [line_item(t) for t in held if t.service_id in service_ids],
            "served_today": served.get(counter.id, 0),
            # Per clerk (staff id: the one who called the ticket); the screen shows its own clerk's.
            "served_by_staff": served_by,
            "max_calls": office.max_calls,
        }
    _add_booked_names(session, [item for screen in screens.values() for item in screen["waiting"]])
    return screens


def _served_today(session: Session, office_id: int, day) -> tuple[dict[int, int], dict[str, int]]:
    """Tickets of the office finished today, per counter and per clerk (keys: staff ids as
    text, as JSON carries them), in one statement."""
    per_counter: dict[int, int] = {}
    per_staff: dict[str, int] = {}
    for counter_id, staff_id, n in session.execute(
            select(Ticket.counter_id, Ticket.staff_id, func.count()).where(
                Ticket.office_id == office_id, Ticket.business_date == day, Ticket.status == TicketStatus.DONE)
            .group_by(Ticket.counter_id, Ticket.staff_id)):
        if counter_id is not None:
            per_counter[counter_id] = per_counter.get(counter_id, 0) + n
        if staff_id is not None:
            per_staff[str(staff_id)] = per_staff.get(str(staff_id), 0) + n
    return per_counter, per_staff


def _add_booked_names(session: Session, items: list[dict]) -> None:
    """The booked citizen's name on the clerk's line (staff screens only: a counter room
    is joined by the office's staff, never by a public screen)."""
    ids = {item["id"] for item in items if item["channel"] == "appointment"}
    if not ids:
        return
    names = dict(session.execute(select(Appointment.ticket_id, Appointment.name)
                                 .where(Appointment.ticket_id.in_(ids))).all())
    for item in items:
        if item["id"] in names:
            item["name"] = names[item["id"]]


class SnapshotCache:
    """A room's snapshot, built once per (room, seq) and shared by every screen subscribing
    at that seq: after a restart a hall of screens reconnecting at once costs one build,
    not one each. Builders of the same room wait for the first one (a lock per room). An
    entry also ages out after TTL seconds, for what changes with the clock alone (the
    office opening, cached ETA inputs of another process)."""

    TTL = 2.0

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.entries: dict[str, tuple[tuple, float, dict]] = {}
        self.locks: dict[str, threading.Lock] = {}
        self.guard = threading.Lock()

    def get(self, room: str, version: tuple, build) -> dict:
        found = self._fresh(room, version)
        if found is not None:
            return found
        with self.guard:
            lock = self.locks.setdefault(room, threading.Lock())
        with lock:
            found = self._fresh(room, version)
            if found is None:
                found = build()
                self.entries[room] = (version, self.clock() + self.TTL, found)
        return found

    def _fresh(self, room: str, version: tuple) -> dict | None:
        entry = self.entries.get(room)
        if entry is not None and entry[0] == version and entry[1] > self.clock():
            return entry[2]
        return None


def shared_snapshot(session: Session, office: Office, room: str, now: datetime, build) -> dict:
    """`build()`'s snapshot of `room`, shared while the office's seq and day stay the same.
    Shared snapshots are never changed by their readers."""
    db = session.info.get("database")
    if db is None:
        return build()
    return db.companion(SnapshotCache).get(room, (office.seq, business_date(now, office.timezone)), build)


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
            return shared_snapshot(session, office, f"office:{office.slug}", now,
                                   lambda: board_snapshot(session, office, now))
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
