"""Read side: the views that boards, status pages and the API show, as plain dicts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, bindparam, case, func, or_, select, tuple_
from sqlalchemy.orm import Session

from .domain import dispatch, eta
from .domain.numbering import business_date
from .domain.states import AT_COUNTER, CALLABLE, TicketStatus, allowed_actions
from .models import (BookingRule, Counter, CounterService, CounterState, DailyCounter, Office, Service,
                     Ticket, TicketEvent, UTCDateTime)

CALL_EVENTS = ("ticket.called", "ticket.recalled")
RECENT_CALLS = 10


def call_id(office_slug: str, seq: int) -> str:
    """A call's identity: unique per office, so a display announces it exactly once."""
    return f"{office_slug}:{seq}"


def candidate(ticket: Ticket) -> dispatch.Candidate:
    return dispatch.Candidate(ticket_id=ticket.id, service_id=ticket.service_id,
                              status=TicketStatus(ticket.status), queued_at=ticket.queued_at,
                              number=ticket.number, priority=ticket.priority,
                              channel=ticket.channel.value if ticket.channel else "kiosk")


def line(session: Session, office_id: int, day, service_ids) -> list[Ticket]:
    """Callable tickets of these services today."""
    stmt = select(Ticket).where(Ticket.office_id == office_id, Ticket.business_date == day,
                                Ticket.service_id.in_(list(service_ids)),
                                Ticket.status.in_(list(CALLABLE)))
    return list(session.execute(stmt).scalars())


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


def _counter_view(counter: Counter | None) -> dict | None:
    if counter is None:
        return None
    return {"id": counter.id, "number": counter.number, "name": counter.name}


def _service_view(service: Service) -> dict:
    return {"code": service.prefix, "name": service.name_id, "name_en": service.name_en}


def ticket_view(session: Session, ticket: Ticket, now: datetime, *, staff: bool = False) -> dict:
    """A ticket as a citizen (or, with staff=True, a clerk) sees it. No personal data."""
    service = ticket.service
    status = TicketStatus(ticket.status)
    view = {
        "id": ticket.id,
        "number": ticket.code,
        "token": ticket.token,
        "status": status.value,
        "service": _service_view(service),
        "priority": ticket.priority,
        "channel": ticket.channel.value,
        "issued_at": ticket.issued_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "call_count": ticket.call_count,
        "actions": [action.value for action in allowed_actions(status)],
        "counter": _counter_view(ticket.counter) if status in AT_COUNTER else None,
        "position": None,
        "eta_minutes": None,
        "eta_range": None,
    }
    if status in CALLABLE:
        ahead = people_ahead(session, ticket)
        open_n = open_counters_by_service(session, ticket.office_id).get(ticket.service_id, 0)
        estimate = eta.estimate_wait(ahead, open_n, mean_service_minutes(session, service,
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


def services_overview(session: Session, office: Office, now: datetime, *, office_open: bool) -> list[dict]:
    """Per service: open for new tickets, waiting count, ETA for a newcomer, quota left."""
    day = business_date(now, office.timezone)
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
            **_service_view(service),
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
        select(Ticket).where(Ticket.office_id == office.id, Ticket.counter_id.is_not(None),
                             Ticket.status.in_(list(AT_COUNTER)))).scalars()}
    result = []
    for counter in office.counters:
        ticket = current.get(counter.id)
        result.append({
            "id": counter.id, "number": counter.number, "name": counter.name,
            "state": counter.state.value, "priority_first": counter.priority_first,
            "services": [{"code": link.service.prefix, "order": link.order} for link in counter.links],
            "current": {"number": ticket.code, "status": ticket.status.value,
                        "service": ticket.service.prefix} if ticket else None,
        })
    return result


def recent_calls(session: Session, office: Office, day, limit: int = RECENT_CALLS) -> list[dict]:
    """Today's latest calls and recalls, newest first, as the lobby board lists them."""
    stmt = (select(TicketEvent, Ticket, Counter)
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .join(Counter, Counter.id == TicketEvent.counter_id)
            .where(TicketEvent.office_id == office.id, TicketEvent.type.in_(CALL_EVENTS),
                   Ticket.business_date == day)
            .order_by(TicketEvent.seq.desc()).limit(limit))
    return [{"call_id": call_id(office.slug, ev.seq), "seq": ev.seq, "at": ev.at.isoformat(),
             "number": ticket.code, "service": ticket.service.prefix,
             "counter": _counter_view(counter), "recall": ev.type == "ticket.recalled"}
            for ev, ticket, counter in session.execute(stmt)]


def board_snapshot(session: Session, office: Office, now: datetime, *, office_open: bool) -> dict:
    """Everything a lobby display or kiosk needs, with the seq it is valid at."""
    day = business_date(now, office.timezone)
    return {
        "office": {"slug": office.slug, "name": office.name, "timezone": office.timezone,
                   "running_text": office.running_text},
        "seq": office.seq,
        "business_date": day.isoformat(),
        "calls": recent_calls(session, office, day),
        "services": services_overview(session, office, now, office_open=office_open),
    }


def line_item(ticket: Ticket) -> dict:
    """A ticket as a row of a staff list."""
    return {"id": ticket.id, "number": ticket.code, "status": ticket.status.value,
            "actions": [action.value for action in allowed_actions(ticket.status)],
            "service": ticket.service.prefix, "priority": ticket.priority,
            "channel": ticket.channel.value, "issued_at": ticket.issued_at.isoformat(),
            "queued_at": ticket.queued_at.isoformat(), "counter_id": ticket.counter_id}


def counter_policy(session: Session, counter: Counter, now: datetime) -> dispatch.FairMergePolicy:
    """The counter's dispatch policy: its service order, priority setting, and the fair merge
    with the smallest `appointments_in_a_row` among its bookable services (default 2)."""
    service_ids = [link.service_id for link in counter.links]
    ratios = [r for (r,) in session.execute(select(BookingRule.appointments_in_a_row).where(
        BookingRule.service_id.in_(service_ids), BookingRule.bookable.is_(True)))]
    limit = min(ratios) if ratios else 2
    recent = session.execute(
        select(Ticket.channel).join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
        .where(TicketEvent.counter_id == counter.id, TicketEvent.type == "ticket.called",
               Ticket.business_date == business_date(now, counter.office.timezone))
        .order_by(TicketEvent.seq.desc()).limit(max(limit, 1))).scalars()
    return dispatch.FairMergePolicy(service_order={link.service_id: link.order for link in counter.links},
                                    priority_first=counter.priority_first, appointments_in_a_row=limit,
                                    streak=dispatch.appointment_streak([c.value for c in recent]), now=now)


def counter_screen(session: Session, counter: Counter, now: datetime) -> dict:
    """A clerk's screen: the counter, the ticket at it, and its waiting line in call order."""
    office = counter.office
    day = business_date(now, office.timezone)
    current = session.execute(select(Ticket).where(
        Ticket.counter_id == counter.id, Ticket.status.in_(list(AT_COUNTER)))).scalars().first()
    service_ids = [link.service_id for link in counter.links]
    # Listed in the order call_next would call them, fair merge included.
    tickets = {t.id: t for t in line(session, office.id, day, service_ids)}
    order = dispatch.call_order(counter_policy(session, counter, now), [candidate(t) for t in tickets.values()])
    waiting = [tickets[c.ticket_id] for c in order]
    held = session.execute(select(Ticket).where(
        Ticket.office_id == office.id, Ticket.business_date == day,
        Ticket.service_id.in_(service_ids), Ticket.status == TicketStatus.ON_HOLD)).scalars()
    overview = next(c for c in counters_overview(session, office) if c["id"] == counter.id)
    return {
        "counter": overview,
        "current": ticket_view(session, current, now, staff=True) if current else None,
        "waiting": [line_item(t) for t in waiting],
        "on_hold": [line_item(t) for t in held],
    }


def staff_snapshot(session: Session, office: Office, now: datetime, *, office_open: bool) -> dict:
    """The supervisor's and clerks' view of the whole office."""
    day = business_date(now, office.timezone)
    board = board_snapshot(session, office, now, office_open=office_open)
    active = session.execute(select(Ticket).where(
        Ticket.office_id == office.id, Ticket.business_date == day,
        Ticket.status.in_(list(CALLABLE | AT_COUNTER | {TicketStatus.ON_HOLD})))
        .order_by(Ticket.queued_at)).scalars()
    return {**board, "counters": counters_overview(session, office),
            "tickets": [line_item(t) for t in active]}
