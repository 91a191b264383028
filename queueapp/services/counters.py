"""Counter use cases: call the next citizen, call a given number, open / pause / close."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .. import repository
from ..db import Database, UnitOfWork
from ..domain import errors
from ..domain.events import EventType
from ..domain.numbering import business_date
from ..domain.permissions import Actor
from ..domain.states import AT_COUNTER, CALLABLE, Action, CounterState, TicketStatus, next_status
from ..models import Counter, Office, Ticket
from .tickets import TicketChange, record


def _current(session: Session, counter: Counter) -> Ticket | None:
    stmt = select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status.in_(list(AT_COUNTER)))
    return session.execute(stmt).scalars().first()


def counter_event(uow: UnitOfWork, office: Office, counter: Counter, now: datetime, actor: Actor | None) -> None:
    """The counter's new state, for its screens (a clerk's own change or an administrator's)."""
    uow.record(office, EventType.COUNTER_UPDATED, now, counter_id=counter.id,
               staff_id=actor.staff_id if actor else None, data={"state": counter.state.value})


def _prepare_counter(uow: UnitOfWork, actor: Actor, counter_id: int, now: datetime):
    """Lock the office, open the counter if needed, and clear what stands at it."""
    s = uow.session
    counter = repository.counter_for(s, actor, counter_id)
    office = uow.lock_office(counter.office_id)
    s.refresh(counter)
    current = _current(s, counter)
    if current is not None:
        if not office.finish_on_call_next:
            raise errors.CounterBusy(number=current.code)
        current.status = next_status(current.status, Action.FINISH)
        current.started_at = current.started_at or current.called_at or now
        current.finished_at = now
        record(uow, office, current, EventType.TICKET_FINISHED, now, actor=actor, data={"reason": "call_next"})
    if counter.state != CounterState.OPEN:
        # A clerk who calls is at work: calling ends a pause.
        counter.state = CounterState.OPEN
        s.flush()
        counter_event(uow, office, counter, now, actor)
    return office, counter


def _claim(uow: UnitOfWork, office: Office, counter: Counter, ticket: Ticket, actor: Actor,
           now: datetime) -> TicketChange:
    next_status(ticket.status, Action.CALL)
    claimed = uow.session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status.in_(list(CALLABLE)))
        .values(status=TicketStatus.CALLED, counter_id=counter.id, staff_id=actor.staff_id,
                called_at=now, call_count=1)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise errors.IllegalTransition("ticket already taken")
    # The row now holds exactly these values: no need to read it back.
    for name, value in (("status", TicketStatus.CALLED), ("counter_id", counter.id),
                        ("staff_id", actor.staff_id), ("called_at", now), ("call_count", 1)):
        set_committed_value(ticket, name, value)
    event = record(uow, office, ticket, EventType.TICKET_CALLED, now, actor=actor,
                   data={"counter_id": counter.id, "service_id": ticket.service_id})
    return TicketChange.of(event)


def call_next(db: Database, actor: Actor, counter_id: int, *, now: datetime) -> TicketChange:
    """Call whoever is next for this counter by the dispatch rule (domain.dispatch), with
    checked-in appointments merged fairly with walk-ins (FairMergePolicy).

    A ticket still at the counter is finished first when the office allows it, or
    CounterBusy is raised. Raises QueueEmpty when nobody waits for its services.
    """
    with db.write() as uow:
        office, counter = _prepare_counter(uow, actor, counter_id, now)
        day = business_date(now, office.timezone)
        line = repository.line(uow.session, office.id, day, [link.service_id for link in counter.links],
                               lock=True)
        policy = repository.counter_policy(uow.session, counter, now)
        chosen = policy.choose([repository.candidate(t) for t in line])
        if chosen is None:
            raise errors.QueueEmpty(counter=counter.number)
        ticket = next(t for t in line if t.id == chosen.ticket_id)
        return _claim(uow, office, counter, ticket, actor, now)


def call_specific(db: Database, actor: Actor, counter_id: int, number: str, *, now: datetime) -> TicketChange:
    """Call today's ticket with this display number ("A-012") out of turn.

    Raises TicketNotFound, ServiceNotAtCounter, IllegalTransition (not waiting).
    """
    with db.write() as uow:
        office, counter = _prepare_counter(uow, actor, counter_id, now)
        day = business_date(now, office.timezone)
        code = number.strip().upper()
        ticket = uow.session.execute(select(Ticket).where(
            Ticket.office_id == office.id, Ticket.business_date == day,
            Ticket.code == code)).scalar_one_or_none()
        if ticket is None:
            raise errors.TicketNotFound(number=code)
        if ticket.service_id not in {link.service_id for link in counter.links}:
            raise errors.ServiceNotAtCounter(number=code)
        return _claim(uow, office, counter, ticket, actor, now)


def set_counter_state(db: Database, actor: Actor, counter_id: int, state: str, *, now: datetime) -> int:
    """Open, pause (a break) or close a counter. Returns the counter's id."""
    try:
        new_state = CounterState(state)
    except ValueError:
        raise errors.InvalidInput("state must be open, paused or closed") from None
    with db.write() as uow:
        counter = repository.counter_for(uow.session, actor, counter_id)
        office = uow.lock_office(counter.office_id)
        uow.session.refresh(counter)
        counter.state = new_state
        uow.session.flush()
        counter_event(uow, office, counter, now, actor)
        return counter.id
