"""Read side of the better ETA estimators: an office's line, counters and recent history
as one domain.eta.LineState (the inputs of estimate_queue_model / estimate_monte_carlo)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session, selectinload

from .. import repository
from ..domain import eta
from ..domain.hours import parse_hhmm
from ..domain.numbering import business_date, local_time
from ..domain.states import AT_COUNTER, CounterState, TicketStatus
from ..models import Counter, Office, Ticket, TicketEvent
from .tickets import cached, line_positions

# The latest calls that ended today (served or no-show): enough for 30 per service in a
# busy office, bounded so the cost does not grow with the day.
HISTORY_ROWS = 400
_FINISHED = (select(Ticket.service_id, Ticket.counter_id, Ticket.status, Ticket.called_at, Ticket.finished_at)
             .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
                    Ticket.status.in_([TicketStatus.DONE, TicketStatus.NO_SHOW]),
                    Ticket.called_at.is_not(None), Ticket.finished_at.is_not(None))
             .order_by(Ticket.finished_at.desc()).limit(HISTORY_ROWS))
_PRIORITY_LATELY = (select(Ticket.service_id, Ticket.issued_at)
                    .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
                           Ticket.priority.is_not(None), Ticket.issued_at >= bindparam("since")))
_AT_COUNTERS = (select(Ticket.counter_id, Ticket.service_id, Ticket.called_at)
                .where(Ticket.office_id == bindparam("office_id"), Ticket.status.in_(list(AT_COUNTER)),
                       Ticket.counter_id.is_not(None)))
_COUNTERS = (select(Counter).options(selectinload(Counter.links))
             .where(Counter.office_id == bindparam("office_id")))
PRIORITY_WINDOW = timedelta(minutes=60)


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60.0


def _breaks_ahead(session: Session, office: Office, now: datetime) -> tuple[tuple[float, float], ...]:
    """Today's breaks of the office's walk-in hours not over yet, in minutes from now."""
    day = business_date(now, office.timezone)
    # Read afresh (not through the few-second EtaCache): the line's replay is kept per seq anyway.
    calendar = repository.calendar_of(session, office, day)
    local = local_time(now, office.timezone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    result = []
    for period in calendar.periods(day, walk_ins=True):
        for start, end in period.breaks:
            b0, b1 = (_minutes(datetime.combine(day, parse_hhmm(t), local.tzinfo) - midnight) for t in (start, end))
            here = _minutes(local - midnight)
            if b1 > here:
                result.append((b0 - here, b1 - here))
    return tuple(sorted(result))


def _history(session: Session, office: Office, day, now: datetime) -> tuple[dict, dict[int, float]]:
    rows = list(session.execute(_FINISHED, {"office_id": office.id, "day": day}))
    rows.reverse()   # oldest first
    services = {s.id: s for s in office.services}
    served: dict[int, list[float]] = {sid: [] for sid in services}
    missed: dict[int, list[float]] = {sid: [] for sid in services}
    by_counter: dict[int, list[tuple[int, float]]] = {}
    for service_id, counter_id, status, called, finished in rows:
        minutes = _minutes(finished - called)
        if status == TicketStatus.NO_SHOW:
            missed.setdefault(service_id, []).append(minutes)
        elif minutes > 0:
            served.setdefault(service_id, []).append(minutes)
            by_counter.setdefault(counter_id, []).append((service_id, minutes))
    priority: dict[int, int] = {}
    for service_id, _ in session.execute(_PRIORITY_LATELY, {"office_id": office.id, "day": day,
                                                           "since": now - PRIORITY_WINDOW}):
        priority[service_id] = priority.get(service_id, 0) + 1
    history = {}
    for sid, service in services.items():
        done, gone = served.get(sid, [])[-30:], missed.get(sid, [])[-30:]
        calls = len(done) + len(gone)
        history[sid] = eta.ServiceHistory(
            durations=tuple(done), fallback_minutes=float(service.expected_minutes),
            no_show_share=len(gone) / calls if calls >= 10 else 0.0,
            no_show_minutes=sorted(gone)[len(gone) // 2] if gone else 0.0,
            priority_per_minute=priority.get(sid, 0) / _minutes(PRIORITY_WINDOW))
    means = {sid: eta.robust_minutes(h) for sid, h in history.items()}
    speeds = {}
    for counter_id, items in by_counter.items():
        # Shrunk towards 1 (as if 10 more tickets at the usual pace): a few long tickets
        # do not make a clerk slow.
        ratios = [minutes / means[sid] for sid, minutes in items[-30:] if means.get(sid)]
        if ratios:
            speeds[counter_id] = min(2.0, max(0.5, (sum(ratios) + 10) / (len(ratios) + 10)))
    return history, speeds


def line_state(session: Session, office: Office, now: datetime) -> eta.LineState:
    """The office's line, counters and history at `now` for the domain.eta estimators:
    open counters, and counters paused during one of the office's breaks (due back at its
    end); closed counters and counters paused outside a break do not count."""
    day = business_date(now, office.timezone)
    waiting = tuple(eta.Waiting(row.id, row.service_id, _minutes(row.queued_at - now), row.number,
                                row.priority is not None)
                    for row in line_positions(session, office.id, day))
    history, speeds = _history(session, office, day, now)
    breaks = _breaks_ahead(session, office, now)
    in_break = next((b1 for b0, b1 in breaks if b0 <= 0 < b1), None)
    busy = {counter_id: (service_id, called) for counter_id, service_id, called
            in session.execute(_AT_COUNTERS, {"office_id": office.id})}
    counters = []
    for counter in session.execute(_COUNTERS, {"office_id": office.id}).scalars():
        if counter.state == CounterState.OPEN:
            ready = 0.0
        elif counter.state == CounterState.PAUSED and in_break is not None:
            ready = in_break
        else:
            continue
        service_id, called = busy.get(counter.id, (None, None))
        counters.append(eta.CounterNow(
            counter.id, {link.service_id: link.order for link in counter.links}, counter.priority_first,
            ready_in=ready, busy_minutes=_minutes(now - called) if called else None, busy_service=service_id,
            speed=speeds.get(counter.id, 1.0)))
    return eta.LineState(waiting, tuple(counters), history, breaks)


# The estimate shown is as of the office's last change (its last event): the same figure
# on a phone that loads its page and on one that got the change pushed (queries.projector).
_LAST_CHANGE = (select(TicketEvent.at)
                .join(Office, and_(Office.id == TicketEvent.office_id, Office.seq == TicketEvent.seq))
                .where(Office.id == bindparam("office_id")))
NO_ESTIMATE = eta.Estimate(None, None, None)


def last_change(session: Session, office_id: int) -> datetime | None:
    return session.execute(_LAST_CHANGE, {"office_id": office_id}).scalars().first()


def line_estimates(session: Session, office: Office, now: datetime | None = None) -> dict[int, eta.Estimate]:
    """The chosen estimator (eta.monte_carlo_line, docs/ETA.md) for every waiting ticket of
    the office, and for a newcomer to each service (key: minus the service id), as of the
    office's last change (`now`: its time, when the caller knows it). Kept per office seq
    (EtaCache): every screen of one change reads one replay. Seeded with 0: the same
    line gives the same figures."""
    return _replayed(session, office, now)[0]


def linked_services(session: Session, office: Office, service_ids: set[int],
                    now: datetime | None = None) -> set[int]:
    """These services and every service sharing a serving counter with them, transitively:
    a change in one line moves the estimates of all (a counter serving A and B splits its
    time)."""
    groups = _replayed(session, office, now)[1]
    found, todo = set(service_ids), list(service_ids)
    while todo:
        for other in groups.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


def _replayed(session: Session, office: Office, now: datetime | None):
    def load():
        moment = last_change(session, office.id) or now
        if moment is None:
            return {}, {}
        state = line_state(session, office, moment)
        groups: dict[int, set[int]] = {}
        for counter in state.counters:
            for sid in counter.services:
                groups.setdefault(sid, set()).update(counter.services)
        state = eta.with_newcomers(state, [s.id for s in office.services])
        return eta.monte_carlo_line(state, random.Random(0)), groups
    return cached(session, (office.id, "line-estimates", office.seq), load)


def ticket_estimate(session: Session, ticket: Ticket) -> eta.Estimate:
    office = session.get(Office, ticket.office_id)
    return line_estimates(session, office).get(ticket.id, NO_ESTIMATE)
