"""Counter use cases: call the next citizen, call a given number, open / pause / close."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..db import Database, UnitOfWork
from ..domain import errors
from ..domain.numbering import business_date
from ..domain.states import AT_COUNTER, CALLABLE, Action, TicketStatus, next_status
from ..models import Counter, CounterState, Office, Ticket
from ..queries import candidate, counter_policy, counters_overview, ticket_view
from . import access
from .access import Actor
from .tickets import publish


def _lock_line(session: Session, office: Office, counter: Counter, day) -> list[Ticket]:
    """The counter's callable tickets, locked; rows another transaction holds are skipped
    (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite already holds the write lock)."""
    stmt = (select(Ticket).where(Ticket.office_id == office.id, Ticket.business_date == day,
                                 Ticket.service_id.in_([link.service_id for link in counter.links]),
                                 Ticket.status.in_(list(CALLABLE)))
            .with_for_update(skip_locked=True))
    return list(session.execute(stmt).scalars())


def _current(session: Session, counter: Counter) -> Ticket | None:
    stmt = select(Ticket).where(Ticket.counter_id == counter.id, Ticket.status.in_(list(AT_COUNTER)))
    return session.execute(stmt).scalars().first()


def _counter_event(uow: UnitOfWork, office: Office, counter: Counter, now: datetime, actor: Actor):
    event = uow.record(office, "counter.updated", now, counter_id=counter.id, staff_id=actor.staff_id,
                       data={"state": counter.state.value})
    event.counter = next(c for c in counters_overview(uow.session, office) if c["id"] == counter.id)
    return event


def _prepare_counter(uow: UnitOfWork, actor: Actor, counter_id: int, now: datetime):
    """Lock the office, open the counter if needed, and clear what stands at it."""
    s = uow.session
    counter = access.counter_for(s, actor, counter_id)
    office = uow.lock_office(counter.office_id)
    s.refresh(counter)
    current = _current(s, counter)
    if current is not None:
        if not office.finish_on_call_next:
            raise errors.CounterBusy(number=current.code)
        current.status = next_status(current.status, Action.FINISH)
        current.started_at = current.started_at or current.called_at or now
        current.finished_at = now
        publish(uow, office, current, "ticket.finished", now, actor=actor, data={"reason": "call_next"})
    if counter.state != CounterState.OPEN:
        # A clerk who calls is at work: calling ends a pause.
        counter.state = CounterState.OPEN
        s.flush()
        _counter_event(uow, office, counter, now, actor)
    return office, counter


def _claim(uow: UnitOfWork, office: Office, counter: Counter, ticket: Ticket, actor: Actor,
           now: datetime) -> dict:
    next_status(ticket.status, Action.CALL)
    claimed = uow.session.execute(
        update(Ticket).where(Ticket.id == ticket.id, Ticket.status.in_(list(CALLABLE)))
        .values(status=TicketStatus.CALLED, counter_id=counter.id, staff_id=actor.staff_id,
                called_at=now, call_count=1)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise errors.IllegalTransition("ticket already taken")
    uow.session.refresh(ticket)
    event = publish(uow, office, ticket, "ticket.called", now, actor=actor,
                    data={"counter_id": counter.id})
    return ticket_view(uow.session, ticket, now, staff=True) | {"call_id": event.call_id}


def call_next(db: Database, actor: Actor, counter_id: int, *, now: datetime) -> dict:
    """Call whoever is next for this counter by the dispatch rule (domain.dispatch), with
    checked-in appointments merged fairly with walk-ins (FairMergePolicy).

    A ticket still at the counter is finished first when the office allows it, or
    CounterBusy is raised. Raises QueueEmpty when nobody waits for its services.
    """
    with db.write() as uow:
        office, counter = _prepare_counter(uow, actor, counter_id, now)
        day = business_date(now, office.timezone)
        line = _lock_line(uow.session, office, counter, day)
        policy = counter_policy(uow.session, counter, now)
        chosen = policy.choose([candidate(t) for t in line])
        if chosen is None:
            raise errors.QueueEmpty(counter=counter.number)
        ticket = next(t for t in line if t.id == chosen.ticket_id)
        return _claim(uow, office, counter, ticket, actor, now)


def call_specific(db: Database, actor: Actor, counter_id: int, number: str, *, now: datetime) -> dict:
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


def set_counter_state(db: Database, actor: Actor, counter_id: int, state: str, *, now: datetime) -> dict:
    """Open, pause (a break) or close a counter."""
    try:
        new_state = CounterState(state)
    except ValueError:
        raise errors.InvalidInput("state must be open, paused or closed") from None
    with db.write() as uow:
        s = uow.session
        counter = access.counter_for(s, actor, counter_id)
        office = uow.lock_office(counter.office_id)
        s.refresh(counter)
        counter.state = new_state
        s.flush()
        return _counter_event(uow, office, counter, now, actor).counter
