"""Ticket use cases: issue a number, and move one ticket through its life cycle.

Each returns a TicketChange (which ticket, the call id of a call, whether an idempotent
retry was replayed); the read side (queries.tickets.changed) turns it into a view."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .. import repository
from ..db import Database, PublishedEvent, UnitOfWork
from ..domain import errors
from ..domain.channels import ISSUABLE, Channel
from ..domain.events import EventType
from ..domain.hours import check_open
from ..domain.numbering import business_date, check_quota, format_number
from ..domain.permissions import Actor, Permission, require
from ..domain.priority import PriorityGroup, parse_priority
from ..domain.states import Action, TicketStatus, next_status
from ..models import DailyCounter, Office, Service, Ticket
from ..prepared import Prepared
from ..notifications import triggers as notify

E = EventType
# How long an Idempotency-Key replays its ticket (QUEUEAPP_IDEMPOTENCY_HOURS).
REPLAY_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class TicketChange:
    """What a ticket use case did: the ticket, the call id when it was a call or recall,
    and whether an idempotent retry returned an earlier ticket."""

    ticket_id: int
    call_id: str | None = None
    replayed: bool = False
    # The seq of the event that made the change: screens got the ticket's view with it.
    seq: int | None = None

    @classmethod
    def of(cls, event: PublishedEvent) -> TicketChange:
        return cls(event.ticket_id, event.call_id, seq=event.seq)


def new_token() -> str:
    """Unguessable public token for the citizen's status page (128 bits)."""
    return secrets.token_urlsafe(16)


def _upsert_number(insert):
    stmt = insert(DailyCounter).values(service_id=bindparam("service_id"), business_date=bindparam("day"),
                                       last_number=1)
    return stmt.on_conflict_do_update(
        index_elements=[DailyCounter.service_id, DailyCounter.business_date],
        set_={"last_number": DailyCounter.last_number + 1},
    ).returning(DailyCounter.last_number)


_NEXT_NUMBER = {"postgresql": Prepared(_upsert_number(postgresql.insert)),
                "sqlite": Prepared(_upsert_number(sqlite.insert))}


def _next_number(connection, service_id: int, day) -> int:
    """Atomic per-(service, day) counter: INSERT ... ON CONFLICT DO UPDATE ... RETURNING
    (Core, on the transaction's connection: no ORM object is involved)."""
    return _NEXT_NUMBER[connection.dialect.name].scalar_one(connection, {"service_id": service_id, "day": day})


def record(uow: UnitOfWork, office: Office, ticket: Ticket, type_: EventType, now: datetime, *,
           actor: Actor | None = None, data: dict | None = None,
           counter_id: int | None = None, issued: bool = False) -> PublishedEvent:
    """Log the change; it is broadcast after commit. `counter_id` names the counter the
    ticket just left, when the change took it away from one; `issued`: `ticket` is the
    record of its columns just inserted, carried by the event (PublishedEvent.issued)."""
    uow.flush()
    event = uow.record(office, type_, now, ticket_id=ticket.id, counter_id=counter_id or ticket.counter_id,
                       staff_id=actor.staff_id if actor else None, data=data, issued=ticket if issued else None)
    if notify.may_tell(type_, ticket):
        notify.ticket_event(uow.session, office, ticket, type_, now, seq=event.seq, data=data)
    return event


def issue_ticket(db: Database, office_slug: str, service_prefix: str, *, now: datetime,
                 priority: str | None = None, channel: str = "kiosk",
                 idempotency_key: str | None = None, request_hash: str | None = None,
                 replay_window: timedelta = REPLAY_WINDOW, actor: Actor | None = None,
                 kiosk_office_id: int | None = None) -> TicketChange:
    """Give the next number of the service today.

    Raises OfficeNotFound, ServiceNotFound, ServiceInactive, OfficeClosed (a holiday
    too), QuotaReached, InvalidInput. An idempotency key used in this office within
    `replay_window` with the same `request_hash` (the caller's request: method, path,
    body, who) returns that ticket instead of a new one (a double tap on the kiosk issues
    once); with another request it raises IdempotencyKeyReused. After the window the key
    is free again. A kiosk (`kiosk_office_id`) issues in its own office only (PermissionDenied).
    """
    try:
        group = parse_priority(priority)
        channel_value = Channel(channel)
    except ValueError as exc:
        raise errors.InvalidInput(str(exc)) from None
    if channel_value not in ISSUABLE:
        raise errors.InvalidInput(f"channel must be {', '.join(c.value for c in ISSUABLE)}")
    with db.write() as uow:
        office = uow.lock_office_row_by_slug(office_slug)
        if actor is not None:
            require(actor, Permission.ISSUE_TICKET, office.id)
        if kiosk_office_id is not None and kiosk_office_id != office.id:
            raise errors.PermissionDenied("this kiosk belongs to another office")
        if idempotency_key:
            replayed = _replay(uow.session, office, idempotency_key, request_hash, now - replay_window)
            if replayed is not None:
                return replayed
        # The unit of work as the lookups' session: a kept row needs no session at all.
        service = repository.service_row(uow, office, service_prefix)
        return TicketChange.of(add_ticket(uow, office, service, now, channel=channel_value, priority=group,
                                          idempotency_key=idempotency_key, idempotency_hash=request_hash,
                                          actor=actor))


def _replay(s: Session, office: Office, key: str, request_hash: str | None, since: datetime) -> TicketChange | None:
    """The earlier ticket of this key and request, inside the window (the office is locked).
    A key older than the window is released for the new ticket."""
    earlier = s.execute(select(Ticket).where(Ticket.office_id == office.id, Ticket.idempotency_key == key)
                        ).scalar_one_or_none()
    if earlier is None:
        return None
    if earlier.issued_at < since:
        earlier.idempotency_key = None
        s.flush()
        return None
    if earlier.idempotency_hash != request_hash:
        raise errors.IdempotencyKeyReused()
    return TicketChange(earlier.id, replayed=True)


# Every column the issuance gives (add_ticket's values).
_INSERT_TICKET = Prepared(Ticket.__table__.insert().returning(Ticket.__table__.c.id),
                          ["office_id", "service_id", "business_date", "prefix", "number", "code", "channel",
                           "priority", "status", "issued_at", "queued_at", "token", "idempotency_key",
                           "idempotency_hash", "staff_id", "counter_id", "call_count", "notify"])


def add_ticket(uow: UnitOfWork, office: Office, service: Service | repository.ServiceRow, now: datetime, *,
               channel: Channel, priority: PriorityGroup | None = None, idempotency_key: str | None = None,
               idempotency_hash: str | None = None, actor: Actor | None = None,
               queued_at: datetime | None = None, enforce_quota: bool = True,
               event_data: dict | None = None) -> PublishedEvent:
    """Number and add a ticket inside the caller's transaction (the office row is locked);
    returns its ticket.issued event.

    `queued_at` places it in line at another time than now (an appointment at its slot
    start); `enforce_quota=False` lets a booked appointment in past a full daily quota.
    The row is a plain INSERT (the session does not track it: read it back with
    session.get when needed); the view is built after commit, by the read side.
    """
    if not service.active:
        raise errors.ServiceInactive(service=service.prefix)
    day = business_date(now, office.timezone)
    check_open(repository.calendar_of(uow, office, day), now)
    number = _next_number(uow.connection, service.id, day)
    if enforce_quota:
        check_quota(number, service.daily_quota)
    values = dict(office_id=office.id, service_id=service.id, business_date=day,
                  prefix=service.prefix, number=number, code=format_number(service.prefix, number),
                  channel=channel, priority=priority, status=TicketStatus.WAITING, issued_at=now,
                  queued_at=queued_at or now, token=new_token(), idempotency_key=idempotency_key or None,
                  idempotency_hash=idempotency_hash if idempotency_key else None,
                  staff_id=actor.staff_id if actor else None, counter_id=None, call_count=0, notify=False)
    uow.flush()   # what the session holds goes first, as its autoflush would
    ticket_id = _INSERT_TICKET.scalar_one(uow.connection, values)
    # The ticket as inserted, for what this transaction still tells (the event, the notices):
    # its values, not an ORM object the session would never track.
    ticket = SimpleNamespace(id=ticket_id, called_at=None, started_at=None, finished_at=None, **values)
    return record(uow, office, ticket, E.TICKET_ISSUED, now, actor=actor, issued=True,
                  data={"channel": channel.value, "priority": priority.value if priority else None,
                        **(event_data or {})})


def _locked_ticket(uow: UnitOfWork, actor: Actor, ticket_id: int) -> tuple[Office, Ticket]:
    """The ticket, checked against the actor, re-read after its office row is locked."""
    ticket = repository.ticket_for(uow.session, actor, ticket_id)
    office = uow.lock_office(ticket.office_id)
    uow.session.refresh(ticket)
    return office, ticket


def _transition(db: Database, actor: Actor, ticket_id: int, action: Action, event_type: EventType,
                now: datetime, mutate=None, data: dict | None = None) -> TicketChange:
    """Load, check the office, apply the state table, let `mutate` set fields, record."""
    with db.write() as uow:
        office, ticket = _locked_ticket(uow, actor, ticket_id)
        new_status = next_status(ticket.status, action)
        previous_counter = ticket.counter_id
        if mutate is not None:
            mutate(ticket)
        ticket.status = new_status
        return TicketChange.of(record(uow, office, ticket, event_type, now, actor=actor, data=data,
                                      counter_id=previous_counter))


def recall(db: Database, actor: Actor, ticket_id: int, *, now: datetime) -> TicketChange:
    """Call the same ticket again. After the office's `max_calls` unanswered calls the
    ticket becomes a no-show automatically instead (event ticket.no_show, reason auto)."""
    with db.write() as uow:
        office, ticket = _locked_ticket(uow, actor, ticket_id)
        next_status(ticket.status, Action.RECALL)
        if ticket.call_count >= office.max_calls:
            ticket.status = next_status(ticket.status, Action.NO_SHOW)
            ticket.finished_at = now
            event = record(uow, office, ticket, E.TICKET_NO_SHOW, now, actor=actor,
                           data={"reason": "max_calls", "counter_id": ticket.counter_id})
        else:
            ticket.call_count += 1
            ticket.called_at = now
            event = record(uow, office, ticket, E.TICKET_RECALLED, now, actor=actor,
                           data={"call_count": ticket.call_count, "service_id": ticket.service_id})
        return TicketChange.of(event)


def start(db: Database, actor: Actor, ticket_id: int, *, now: datetime) -> TicketChange:
    """The citizen arrived at the counter: service time starts."""
    def mutate(ticket):
        ticket.started_at = now
    return _transition(db, actor, ticket_id, Action.START, E.TICKET_STARTED, now, mutate)


def finish(db: Database, actor: Actor, ticket_id: int, *, now: datetime) -> TicketChange:
    """Service done. Finishing straight from "called" counts the call time as the start."""
    def mutate(ticket):
        ticket.started_at = ticket.started_at or ticket.called_at or now
        ticket.finished_at = now
    return _transition(db, actor, ticket_id, Action.FINISH, E.TICKET_FINISHED, now, mutate)


def no_show(db: Database, actor: Actor, ticket_id: int, *, now: datetime) -> TicketChange:
    """The called citizen did not come."""
    def mutate(ticket):
        ticket.finished_at = now
    return _transition(db, actor, ticket_id, Action.NO_SHOW, E.TICKET_NO_SHOW, now, mutate,
                       data={"reason": "clerk"})


def hold(db: Database, actor: Actor, ticket_id: int, *, now: datetime) -> TicketChange:
    """Set a ticket aside (e.g. a document is missing); dispatch skips it until resumed."""
    def mutate(ticket):
        ticket.counter_id = None
    return _transition(db, actor, ticket_id, Action.HOLD, E.TICKET_ON_HOLD, now, mutate)


def resume(db: Database, actor: Actor, ticket_id: int, *, now: datetime) -> TicketChange:
    """Back in line at its original place (its queued_at is kept)."""
    return _transition(db, actor, ticket_id, Action.RESUME, E.TICKET_RESUMED, now)


def transfer(db: Database, actor: Actor, ticket_id: int, service_prefix: str, *, now: datetime,
             position: str = "keep") -> TicketChange:
    """Move a ticket to another service's line, keeping its number.

    Where it lands: with position="keep" (the default) it keeps the time it first joined
    a line, so it goes ahead of everyone who arrived after it: the citizen has already
    waited once. With position="end" it joins the back of the new line.
    Raises ServiceNotFound, ServiceInactive, InvalidInput (same service), IllegalTransition.
    """
    if position not in ("keep", "end"):
        raise errors.InvalidInput("position must be keep or end")
    with db.write() as uow:
        office, ticket = _locked_ticket(uow, actor, ticket_id)
        target = repository.service_by_prefix(uow.session, office, service_prefix)
        if not target.active:
            raise errors.ServiceInactive(service=target.prefix)
        if target.id == ticket.service_id:
            raise errors.InvalidInput("already in that service")
        ticket.status = next_status(ticket.status, Action.TRANSFER)
        from_prefix, from_counter = ticket.service.prefix, ticket.counter_id
        ticket.service_id, ticket.counter_id, ticket.call_count = target.id, None, 0
        if position == "end":
            ticket.queued_at = now
        event = record(uow, office, ticket, E.TICKET_TRANSFERRED, now, actor=actor,
                       data={"from_service": from_prefix, "to_service": target.prefix,
                             "from_counter": from_counter, "position": position}, counter_id=from_counter)
        return TicketChange.of(event)


def cancel(db: Database, actor: Actor, ticket_id: int, *, now: datetime) -> TicketChange:
    """Staff cancels a ticket (e.g. issued by mistake)."""
    def mutate(ticket):
        ticket.finished_at = now
        ticket.counter_id = None
    return _transition(db, actor, ticket_id, Action.CANCEL, E.TICKET_CANCELLED, now, mutate,
                       data={"by": "staff"})


def cancel_by_token(db: Database, token: str, *, now: datetime) -> TicketChange:
    """The citizen leaves the queue from the status page; the token is the only key."""
    with db.write() as uow:
        ticket = repository.ticket_by_token(uow.session, token)
        office = uow.lock_office(ticket.office_id)
        uow.session.refresh(ticket)
        ticket.status = next_status(ticket.status, Action.CANCEL)
        previous_counter = ticket.counter_id
        ticket.finished_at = now
        ticket.counter_id = None
        return TicketChange.of(record(uow, office, ticket, E.TICKET_CANCELLED, now, data={"by": "citizen"},
                                      counter_id=previous_counter))
