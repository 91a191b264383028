"""Read side of one ticket: its view (position, ETA) for the citizen or the clerk."""
from __future__ import annotations

from collections import OrderedDict
from weakref import WeakKeyDictionary

from sqlalchemy import and_, bindparam, case, func, or_, select, tuple_
from sqlalchemy.orm import Session, joinedload

from .. import repository
from ..db import Database
from ..domain import eta
from ..domain.states import AT_COUNTER, CALLABLE, TicketStatus, allowed_actions
from ..models import Counter, CounterService, CounterState, Service, Ticket, UTCDateTime

# The statements below run on every ticket issued or shown: built once, with bound
# parameters, because building SQLAlchemy expressions costs more than running them.
_OPEN_COUNTERS = (select(CounterService.service_id, func.count())
                  .join(Counter, Counter.id == CounterService.counter_id)
                  .where(Counter.office_id == bindparam("office_id"), Counter.state == CounterState.OPEN)
                  .group_by(CounterService.service_id))

_RECENT_SERVICE_TIMES = (select(Ticket.called_at, Ticket.started_at, Ticket.finished_at)
                         .where(Ticket.service_id == bindparam("service_id"),
                                Ticket.business_date == bindparam("day"),
                                Ticket.status == TicketStatus.DONE, Ticket.finished_at.is_not(None))
                         .order_by(Ticket.finished_at.desc()).limit(20))

_PRIORITY_RANK = case((Ticket.priority.is_not(None), 0), else_=1)
_PEOPLE_AHEAD = select(func.count()).where(
    Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
    Ticket.service_id == bindparam("service_id"), Ticket.status.in_(list(CALLABLE)),
    Ticket.id != bindparam("ticket_id"),
    or_(_PRIORITY_RANK < bindparam("rank"),
        and_(_PRIORITY_RANK == bindparam("rank"),
             tuple_(Ticket.queued_at, Ticket.number, Ticket.id)
             < tuple_(bindparam("queued_at", type_=UTCDateTime()), bindparam("number"), bindparam("ticket_id")))))


def open_counters_by_service(session: Session, office_id: int) -> dict[int, int]:
    return {service_id: n for service_id, n in session.execute(_OPEN_COUNTERS, {"office_id": office_id})}


def mean_service_minutes(session: Session, service: Service, day) -> float:
    rows = session.execute(_RECENT_SERVICE_TIMES, {"service_id": service.id, "day": day})
    durations = [(finished - (started or called)).total_seconds()
                 for called, started, finished in rows if (started or called)]
    return eta.rolling_mean_minutes(list(reversed(durations)), service.expected_minutes)


def counter_brief(counter: Counter | None) -> dict | None:
    if counter is None:
        return None
    return {"id": counter.id, "number": counter.number, "name": counter.name}


def service_brief(service: Service) -> dict:
    return {"code": service.prefix, "name": service.name_id, "name_en": service.name_en}


def _value(member) -> str | None:
    return member.value if member is not None else None


def ticket_view(session: Session, ticket: Ticket, *, staff: bool = False) -> dict:
    """A ticket as a citizen (or, with staff=True, a clerk) sees it. No personal data."""
    status = TicketStatus(ticket.status)
    view = {
        "id": ticket.id,
        "number": ticket.code,
        "token": ticket.token,
        "status": status.value,
        "service": service_brief(ticket.service),
        "priority": _value(ticket.priority),
        "channel": ticket.channel.value,
        "issued_at": ticket.issued_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "call_count": ticket.call_count,
        "actions": [action.value for action in allowed_actions(status)],
        "counter": counter_brief(ticket.counter) if status in AT_COUNTER else None,
        "position": None,
        "eta_minutes": None,
        "eta_range": None,
    }
    if status in CALLABLE:
        ahead = people_ahead(session, ticket)
        open_n = open_counters_by_service(session, ticket.office_id).get(ticket.service_id, 0)
        estimate = eta.estimate_wait(ahead, open_n, mean_service_minutes(session, ticket.service,
                                                                       ticket.business_date))
        view.update(position=ahead, eta_minutes=estimate.minutes,
                    eta_range=[estimate.low, estimate.high] if estimate.minutes is not None else None)
    if staff:
        view.update(service_id=ticket.service_id, counter_id=ticket.counter_id,
                    started_at=ticket.started_at.isoformat() if ticket.started_at else None,
                    finished_at=ticket.finished_at.isoformat() if ticket.finished_at else None)
    return view


def people_ahead(session: Session, ticket: Ticket) -> int:
    """domain.dispatch.people_ahead as one COUNT query, so the cost does not grow with the
    line (tests/integration/test_position_query.py checks that both agree)."""
    return session.execute(_PEOPLE_AHEAD, {
        "office_id": ticket.office_id, "day": ticket.business_date, "service_id": ticket.service_id,
        "ticket_id": ticket.id, "rank": 0 if ticket.priority else 1, "queued_at": ticket.queued_at,
        "number": ticket.number}).scalar_one()


def line_item(ticket: Ticket) -> dict:
    """A ticket as a row of a staff list."""
    return {"id": ticket.id, "number": ticket.code, "status": ticket.status.value,
            "actions": [action.value for action in allowed_actions(ticket.status)],
            "service": ticket.service.prefix, "priority": _value(ticket.priority),
            "channel": ticket.channel.value, "issued_at": ticket.issued_at.isoformat(),
            "queued_at": ticket.queued_at.isoformat(), "counter_id": ticket.counter_id}


# A ticket's view shows its service and counter: load them with it, in one statement.
_TICKET = (select(Ticket).options(joinedload(Ticket.service), joinedload(Ticket.counter))
           .where(Ticket.id == bindparam("ticket_id")))


def load_ticket(session: Session, ticket_id: int) -> Ticket:
    """A ticket with what its view shows."""
    return session.execute(_TICKET, {"ticket_id": ticket_id}).scalar_one()


def ticket(db: Database, ticket_id: int, *, staff: bool = False) -> dict:
    """The view of a ticket by id, after a use case changed it."""
    with db.read() as session:
        return ticket_view(session, load_ticket(session, ticket_id), staff=staff)


# The latest views sent to screens, per database by (ticket id, event seq): the answer to
# the citizen who made the change shows the same view, without reading it again.
_SENT: WeakKeyDictionary[Database, OrderedDict[tuple[int, int], dict]] = WeakKeyDictionary()
SENT_KEPT = 256


def remember_sent(db: Database, ticket_id: int, seq: int, view: dict) -> None:
    sent = _SENT.setdefault(db, OrderedDict())
    sent[(ticket_id, seq)] = view
    while len(sent) > SENT_KEPT:
        sent.popitem(last=False)


def changed(db: Database, change, *, staff: bool = False) -> dict:
    """The view of the ticket a use case just changed (a services.tickets.TicketChange),
    with the call id of a call or recall and whether an idempotent retry was replayed.
    A citizen's view is the one the screens got with the change's event, when it was sent."""
    sent = None if staff or change.replayed else _SENT.get(db, {}).get((change.ticket_id, change.seq))
    view = dict(sent) if sent is not None else ticket(db, change.ticket_id, staff=staff)
    return view | {"call_id": change.call_id, "replayed": change.replayed}


def by_token(db: Database, token: str) -> dict:
    """A citizen's ticket by its token. Raises TicketNotFound."""
    with db.read() as session:
        return ticket_view(session, repository.ticket_by_token(session, token))
