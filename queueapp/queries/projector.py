"""The after-commit projector: once per commit, what every screen of the office needs to
apply the change without reading anything back.

From the events of one transaction (services record facts, never views) it reads, in a
fixed number of statements whatever the number of screens:
- each event's ticket as the ticket's own screens see it;
- the public call of a call or recall, with what a display says for it (id and en);
- the board rows (waiting, ETA, quota) of the services the events touched;
- the place and ETA of every waiting ticket of those services (one statement: the
  office's line with the people ahead of each, queries.tickets.line_positions), when a
  phone watches one;
- the screen of every watched counter serving those services (its line in call order).
With no phone nor counter screen watching, the office's line is not read: the events'
own tickets get their places from their lines' counts (queries.tickets.positions_of).
Screens apply these; they take a fresh snapshot only on a seq gap, after a reconnect,
or when an administrator changed the office (office.configured).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timezone

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import repository
from ..db import Database, PublishedEvent
from ..domain.events import CALL_EVENT_TYPES, EventType
from ..domain.numbering import business_date
from ..domain.states import CALLABLE, TicketStatus
from ..models import Counter, Office, Ticket
from . import eta as eta_queries
from .boards import called_for, counter_screens, public_call, services_overview
from .tickets import day_counts, line_positions, placed, positions_of, remember_sent, ticket_view


@dataclass
class Projection:
    """What one commit changed for the screens of one office."""

    office_slug: str
    seq: int                                    # the last event's seq: the state below is valid at it
    events: list[tuple[PublishedEvent, dict | None, dict | None]] = field(default_factory=list)
    calls: dict[int, dict] = field(default_factory=dict)        # seq of a call event -> public call
    services: list[dict] = field(default_factory=list)          # board rows of the services touched
    places: dict[str, dict] = field(default_factory=dict)       # token -> place of a waiting ticket
    screens: dict[int, dict] = field(default_factory=dict)      # counter id -> counter screen


# The office (its services are kept per process: repository.service_rows); its counters
# with their services only when a commit needs them (a call names its counter, a counter
# screen is watched): a ticket issued reads neither.
_OFFICE = select(Office).where(Office.id == bindparam("office_id"))
_COUNTERS = (select(Counter).where(Counter.office_id == bindparam("office_id"))
             .options(selectinload(Counter.links)).order_by(Counter.number))
@dataclass(frozen=True)
class Watching:
    """The counter and ticket rooms that have screens in them, when the server can tell
    (one process; behind a message queue another process may hold them: None, all)."""

    counters: frozenset[int] | None = None
    tickets: frozenset[str] | None = None


EVERYONE = Watching()


# Their services come from the rows kept per process (repository.service_rows).
_EVENT_TICKETS = select(Ticket).options(joinedload(Ticket.counter))
# Most commits change one ticket: its own statement, without an IN list to expand each time.
_EVENT_TICKET = _EVENT_TICKETS.where(Ticket.id == bindparam("id"))
_EVENT_TICKETS = _EVENT_TICKETS.where(Ticket.id.in_(bindparam("ids", expanding=True)))

# Events that tell screens to take a fresh snapshot: nothing to project for them.
_RESYNC = frozenset({EventType.OFFICE_CONFIGURED.value})


def project(db: Database, events: list[PublishedEvent], watching: Watching = EVERYONE,
            announce: Callable[[Projection], None] | None = None) -> list[Projection]:
    """One projection per office of the committed events, read in one transaction; counter
    screens and places only for the rooms `watching` names (nobody reads an unwatched room).
    `announce`: given first, before the estimates are replayed, a projection of the commit's
    calls alone (the number on the board and the chime do not wait for anybody's ETA)."""
    by_office: dict[int, list[PublishedEvent]] = {}
    for event in events:
        by_office.setdefault(event.office_id, []).append(event)
    with db.read() as session:
        projections = [_project_office(session, office_events, watching, announce)
                       for office_events in by_office.values()]
    sent = db.companion(SentPlaces)
    for projection, office_events in zip(projections, by_office.values()):
        for event, view, _ in projection.events:
            if view is not None:
                remember_sent(db, view["id"], event.seq, view)
        projection.places = sent.changed(office_events[0].office_id, office_events[0].seq, projection.seq,
                                         projection.places)
    return projections


class SentPlaces:
    """The places this process last sent, per office: a commit sends only the places it
    changed (a ticket issued at the back of the line moves nobody). Trusted only while this
    process projected every commit of the office: after one by another process (several
    processes share PostgreSQL), or projections finishing out of order, every place is sent."""

    KEPT = 20_000

    def __init__(self):
        self.seq: dict[int, int] = {}
        self.places: dict[int, dict[str, dict]] = {}

    def changed(self, office_id: int, first_seq: int, last_seq: int, places: dict[str, dict]) -> dict[str, dict]:
        memo = self.places.get(office_id)
        if memo is None or self.seq.get(office_id) != first_seq - 1 or len(memo) > self.KEPT:
            memo = self.places[office_id] = {}
        changed = {token: place for token, place in places.items() if memo.get(token) != place}
        memo.update(changed)
        self.seq[office_id] = last_seq
        return changed

    def forget(self, office_id: int, token: str) -> None:
        """The phone of `token` took a snapshot: it shows what that said, not what was last
        sent (it may have missed places while away), so its next place is sent whatever it is."""
        self.places.get(office_id, {}).pop(token, None)


def snapshot_taken(db: Database, office_id: int, token: str) -> None:
    """A ticket room's screen took a fresh snapshot (SentPlaces.forget)."""
    db.companion(SentPlaces).forget(office_id, token)


def _project_office(session: Session, events: list[PublishedEvent], watching: Watching,
                    announce: Callable[[Projection], None] | None = None) -> Projection:
    office = session.execute(_OFFICE, {"office_id": events[0].office_id}).scalar_one()
    now = events[-1].at
    projection = Projection(office.slug, events[-1].seq)
    tickets = _event_tickets(session, events)
    counters = {}
    if watching.counters is None or watching.counters or any(e.counter_id for e in events):
        loaded = list(session.execute(_COUNTERS, {"office_id": office.id}).scalars())
        set_committed_value(office, "counters", loaded)
        counters = {c.id: c for c in loaded}
    if any(e.type in _RESYNC for e in events):
        projection.events = [(e, None, None) for e in events]
        return projection

    service_rows = {row.id: row for row in repository.service_rows(session, office.id)}
    if announce is not None and any(e.type in CALL_EVENT_TYPES for e in events):
        early = _calls(session, office, events, tickets, counters, service_rows)
        if early is not None:
            announce(early)
    services, counter_ids = _touched(events, tickets, counters, service_rows.values())
    if watching.counters is not None:   # a counter's own update always carries its row
        counter_ids = {c for c in counter_ids if c in watching.counters} | {
            e.counter_id for e in events if e.type == EventType.COUNTER_UPDATED.value and e.counter_id in counters}
    phones = services and (watching.tickets is None or bool(watching.tickets))
    # The office's whole line only for the screens that show it (a phone's place, a counter's
    # list): with nobody watching, the events' own tickets get their places from their lines'
    # counts (queries.tickets.positions_of), so a commit does not cost O(line) per ticket.
    day = business_date(now, office.timezone)
    line = line_positions(session, office.id, day) if phones or counter_ids else None
    estimates = {}
    if services:
        # The chosen estimator replays the office's counters once per change (kept per seq
        # for every other screen); a change in one line moves every line sharing a counter.
        moment = now if office.seq == projection.seq else None
        known = {t.id: t.service_id for t in tickets.values()}
        estimates = eta_queries.line_estimates(session, office, moment, line=line, known=known)
        services = eta_queries.linked_services(session, office, services, moment, line=line, known=known)
    # The touched lines' waiting counts, read once: their board rows and the places below.
    counts = day_counts(session, office.id, day) if services else None
    if line is not None:
        positions = {row.id: row.position for row in line}
    else:   # the waiting tickets of the commits' events: their places in one more statement
        waiting = [t for t in tickets.values() if TicketStatus(t.status) in CALLABLE and t.business_date == day]
        positions = positions_of(session, office.id, day, waiting, counts=counts.waiting if counts else None)
    projection.screens = counter_screens(session, office, counter_ids, now, line=line) if counter_ids else {}
    for event in events:
        ticket = tickets.get(event.ticket_id)
        service = _service_of(session, office.id, ticket, service_rows)
        view = ticket_view(session, ticket, position=positions.get(ticket.id),
                           estimate=estimates.get(ticket.id, eta_queries.NO_ESTIMATE) if estimates else None,
                           service=service) if ticket is not None else None
        counter = None
        if event.type == EventType.COUNTER_UPDATED.value and event.counter_id in projection.screens:
            counter = projection.screens[event.counter_id]["counter"]
        projection.events.append((event, view, counter))
        _add_call(projection, office, event, ticket, service, counters)
    if services:
        projection.services = services_overview(session, office, now, only=services, counts=counts)
    own = {e.ticket_id for e in events}
    for row in line or ():
        if row.service_id in services and row.id not in own and (
                watching.tickets is None or row.token in watching.tickets):
            projection.places[row.token] = {"id": row.id, **placed(row.position, estimates.get(
                row.id, eta_queries.NO_ESTIMATE))}
    return projection


def _add_call(projection: Projection, office: Office, event: PublishedEvent, ticket: Ticket | None, service,
              counters: dict) -> None:
    """The public call of a call or recall event, with what a display says for it."""
    if event.type in CALL_EVENT_TYPES and ticket is not None and event.counter_id in counters:
        projection.calls[event.seq] = public_call(office.slug, event.seq, event.at, event.type, ticket.code,
                                                  # the service it was called for (zone displays)
                                                  called_for(event.data, office) or service.prefix,
                                                  counters[event.counter_id])


def _calls(session: Session, office: Office, events: list[PublishedEvent], tickets: dict, counters: dict,
           service_rows: dict) -> Projection | None:
    """The commit's events up to its last call, with their public calls, when none of them
    needs an estimate (a called, served or finished ticket has no place in line; a clerk
    who finishes and calls the next in one go makes two events, sent in their order); else
    None: they all wait for the estimates."""
    last_call = max(i for i, e in enumerate(events) if e.type in CALL_EVENT_TYPES)
    early = Projection(office.slug, events[last_call].seq)
    for event in events[:last_call + 1]:
        ticket = tickets.get(event.ticket_id)
        if event.type == EventType.COUNTER_UPDATED.value or (
                ticket is not None and TicketStatus(ticket.status) in CALLABLE):
            return None    # a counter's row or a ticket's place comes with the estimates
        service = _service_of(session, office.id, ticket, service_rows)
        view = ticket_view(session, ticket, service=service) if ticket is not None else None
        early.events.append((event, view, None))
        _add_call(early, office, event, ticket, service, counters)
    return early


def _service_of(session: Session, office_id: int, ticket, service_rows: dict):
    """The ticket's service row; one created by another process a moment ago may not be
    kept yet: the office's rows are read afresh (and kept)."""
    if ticket is None:
        return None
    found = service_rows.get(ticket.service_id)
    if found is None:
        service_rows.update((row.id, row) for row in repository.service_rows(session, office_id, fresh=True))
        found = service_rows.get(ticket.service_id) or ticket.service   # not the office's any more: its row
    return found


def _event_tickets(session: Session, events: list[PublishedEvent]) -> dict:
    """Each event's ticket as committed: read back, except a ticket that only its own
    ticket.issued event names here, carried by that event as inserted (PublishedEvent.issued;
    a ticket changed since by a commit still to project shows that change with its own event)."""
    named: dict[int, int] = {}
    for event in events:
        if event.ticket_id:
            named[event.ticket_id] = named.get(event.ticket_id, 0) + 1
    found = {e.ticket_id: _as_read(e.issued) for e in events
             if e.issued is not None and named[e.ticket_id] == 1}
    wanted = [ticket_id for ticket_id in named if ticket_id not in found]
    if len(wanted) == 1:
        found.update((t.id, t) for t in session.execute(_EVENT_TICKET, {"id": wanted[0]}).unique().scalars())
    elif wanted:
        found.update((t.id, t) for t in session.execute(_EVENT_TICKETS, {"ids": wanted}).unique().scalars())
    return found


def _as_read(issued):
    """An inserted ticket's record with its times as the database gives them back (UTC)."""
    for name in ("issued_at", "queued_at"):
        value = getattr(issued, name)
        if value.tzinfo is not timezone.utc:
            setattr(issued, name, value.astimezone(timezone.utc))
    return issued


def _touched(events: list[PublishedEvent], tickets: dict[int, Ticket], counters: dict,
             office_services) -> tuple[set[int], set[int]]:
    """The services whose line or board row the events may change, and the counters whose
    screen shows one of them (or that an event names)."""
    services: set[int] = set()
    named: set[int] = set()
    by_prefix = {s.prefix: s.id for s in office_services}
    for event in events:
        ticket = tickets.get(event.ticket_id)
        if ticket is not None:
            services.add(ticket.service_id)
        if event.type == EventType.TICKET_TRANSFERRED.value:
            services.add(by_prefix.get(event.data.get("from_service")))
        if event.counter_id is not None:
            named.add(event.counter_id)
            if event.type == EventType.COUNTER_UPDATED.value and event.counter_id in counters:
                # A counter opening or closing changes the ETA of its services' lines.
                services |= {link.service_id for link in counters[event.counter_id].links}
    services.discard(None)
    serving = {c.id for c in counters.values() if any(link.service_id in services for link in c.links)}
    return services, serving | (named & set(counters))
