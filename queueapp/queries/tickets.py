"""Read side of one ticket: its view (position, ETA) for the citizen or the clerk."""
from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import and_, bindparam, case, func, or_, select, tuple_
from sqlalchemy.orm import Session, aliased, joinedload

from .. import repository
from ..db import Database, PublishedEvent
from ..domain import eta
from ..domain.channels import Channel
from ..domain.events import EventType
from ..domain.states import AT_COUNTER, CALLABLE, TicketStatus, allowed_action_values
from ..models import Counter, CounterService, CounterState, DailyCounter, Service, Ticket, UTCDateTime

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
# "status IN (...)" as equalities: plain bound values, not an IN list expanded at every
# execution (SQLite reads `a = x OR a = y` on one column as an IN, with the same plan).
IS_CALLABLE = or_(*(Ticket.status == status for status in sorted(CALLABLE)))
_PEOPLE_AHEAD = select(func.count()).where(
    Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
    Ticket.service_id == bindparam("service_id"), IS_CALLABLE,
    Ticket.id != bindparam("ticket_id"),
    or_(_PRIORITY_RANK < bindparam("rank"),
        and_(_PRIORITY_RANK == bindparam("rank"),
             tuple_(Ticket.queued_at, Ticket.number, Ticket.id)
             < tuple_(bindparam("queued_at", type_=UTCDateTime()), bindparam("number"), bindparam("ticket_id")))))


def open_counters_by_service(session: Session, office_id: int) -> dict[int, int]:
    cache = _eta_cache(session)
    if cache is None:
        return _read_open_counters(session, office_id)
    return cache.get((office_id, "open"), lambda: _read_open_counters(session, office_id))


def _read_open_counters(session: Session, office_id: int) -> dict[int, int]:
    return {service_id: n for service_id, n in session.execute(_OPEN_COUNTERS, {"office_id": office_id})}


def cached(session: Session, key: tuple, load):
    """An office's input kept for a few seconds (EtaCache); key[0] is the office id."""
    cache = _eta_cache(session)
    return load() if cache is None else cache.get(key, load)


def mean_service_minutes(session: Session, service: Service, day) -> float:
    cache = _eta_cache(session)
    if cache is None:
        return _read_mean_minutes(session, service, day)
    return cache.get((service.office_id, service.id, day), lambda: _read_mean_minutes(session, service, day))


def _read_mean_minutes(session: Session, service: Service, day) -> float:
    rows = session.execute(_RECENT_SERVICE_TIMES, {"service_id": service.id, "day": day})
    durations = [(finished - (started or called)).total_seconds()
                 for called, started, finished in rows if (started or called)]
    return eta.rolling_mean_minutes(list(reversed(durations)), service.expected_minutes)


# Events after which an office's ETA inputs are stale: a finished ticket adds a service
# time; a counter opening or closing, or an administrator's change, changes who serves what.
ETA_CHANGES = frozenset({EventType.TICKET_FINISHED.value, EventType.COUNTER_UPDATED.value,
                         EventType.OFFICE_CONFIGURED.value})


class EtaCache:
    """The ETA inputs of each office (open counters per service, recent service times per
    service and day) and the day's opening hours the boards show, kept per process. The after-commit listener drops an office's inputs
    when one of its events changes them (ETA_CHANGES); a change made by another process
    (several processes share PostgreSQL) is seen after TTL seconds at most."""

    TTL = 5.0

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.entries: dict[tuple, tuple[float, object]] = {}

    def get(self, key: tuple, load):
        now = self.clock()
        found = self.entries.get(key)
        if found is not None and found[0] > now:
            return found[1]
        value = load()
        self.entries[key] = (now + self.TTL, value)
        return value

    def after_commit(self, events: list[PublishedEvent]) -> None:
        stale = {event.office_id for event in events if event.type in ETA_CHANGES}
        if stale:
            self.entries = {key: entry for key, entry in self.entries.items() if key[0] not in stale}


def _eta_cache(session: Session) -> EtaCache | None:
    """The ETA cache of the session's database (None for a session made elsewhere)."""
    db = session.info.get("database")
    return None if db is None else db.companion(EtaCache, _listening)


def _listening(db: Database) -> EtaCache:
    cache = EtaCache()
    db.add_listener(cache.after_commit, first=True)
    return cache


def counter_brief(counter: Counter | None) -> dict | None:
    if counter is None:
        return None
    return {"id": counter.id, "number": counter.number, "name": counter.name}


def service_brief(service: Service) -> dict:
    return {"code": service.prefix, "name": service.name_id, "name_en": service.name_en}


def _value(member) -> str | None:
    return member.value if member is not None else None


def ticket_view(session: Session, ticket: Ticket, *, staff: bool = False, position: int | None = None,
                estimate: eta.Estimate | None = None, service=None) -> dict:
    """A ticket as a citizen (or, with staff=True, a clerk) sees it. No personal data.
    `position`: the people ahead when already known (line_positions), else counted;
    `estimate`: its ETA when already known (queries.eta.line_estimates), else read;
    `service`: its service's row when already known (repository.service_rows)."""
    status = TicketStatus(ticket.status)
    view = {
        "id": ticket.id,
        "number": ticket.code,
        "token": ticket.token,
        "status": status.value,
        "service": service_brief(service if service is not None else ticket.service),
        "priority": _value(ticket.priority),
        "channel": ticket.channel.value,
        "issued_at": ticket.issued_at.isoformat(),
        "called_at": ticket.called_at.isoformat() if ticket.called_at else None,
        "call_count": ticket.call_count,
        "actions": allowed_action_values(status),
        "counter": counter_brief(ticket.counter) if status in AT_COUNTER else None,
        "position": None,
        "eta_minutes": None,
        "eta_range": None,
    }
    if status in CALLABLE:
        ahead = people_ahead(session, ticket) if position is None else position
        view.update(wait(session, ticket, ahead) if estimate is None else placed(ahead, estimate))
    if staff:
        view.update(service_id=ticket.service_id, counter_id=ticket.counter_id,
                    started_at=ticket.started_at.isoformat() if ticket.started_at else None,
                    finished_at=ticket.finished_at.isoformat() if ticket.finished_at else None)
    return view


def wait(session: Session, ticket: Ticket, ahead: int) -> dict:
    """A waiting ticket's place: people ahead and the chosen estimator's quote (the
    median and the 10th-90th percentile of a replay of the office's counters,
    queries.eta.line_estimates, docs/ETA.md), as of the office's last change."""
    from . import eta as eta_queries   # queries.eta reads the line through this module
    return placed(ahead, eta_queries.ticket_estimate(session, ticket))


def placed(ahead: int, estimate: eta.Estimate) -> dict:
    """A place: people ahead and an estimate (no minutes: "belum dapat diperkirakan")."""
    return {"position": ahead, "eta_minutes": estimate.minutes,
            "eta_range": [estimate.low, estimate.high] if estimate.minutes is not None else None}


def todays_rule(session: Session, ticket: Ticket, ahead: int) -> dict:
    """The place by the first ETA rule (eta.estimate_wait: people ahead in the ticket's own
    line / counters open for it x the rolling mean), kept as the simulator's baseline."""
    open_n = open_counters_by_service(session, ticket.office_id).get(ticket.service_id, 0)
    return place(ahead, open_n, mean_service_minutes(session, ticket.service, ticket.business_date))


def place(ahead: int, open_counters: int, mean_minutes: float) -> dict:
    estimate = eta.estimate_wait(ahead, open_counters, mean_minutes)
    return {"position": ahead, "eta_minutes": estimate.minutes,
            "eta_range": [estimate.low, estimate.high] if estimate.minutes is not None else None}


# The whole line of an office's day, each ticket with the people ahead of it in its
# service's line: domain.dispatch.people_ahead for every ticket in one statement
# (tests/integration/test_position_query.py checks that both agree).
_LINE = (select(Ticket.id, Ticket.token, Ticket.office_id, Ticket.service_id, Ticket.business_date, Ticket.status,
                Ticket.priority, Ticket.channel, Ticket.queued_at, Ticket.issued_at, Ticket.number, Ticket.code,
                Ticket.counter_id, (func.row_number().over(
            partition_by=Ticket.service_id,
            order_by=(_PRIORITY_RANK, Ticket.queued_at, Ticket.number, Ticket.id)) - 1).label("position"))
         .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
                Ticket.status.in_(list(CALLABLE))))


def line_positions(session: Session, office_id: int, day) -> list:
    """Every callable ticket of the office today as a row of the columns a line shows (no
    ORM object: a line can be long), with `position`, the people ahead of it."""
    return list(session.connection().execute(_LINE, {"office_id": office_id, "day": day}))


# A replay's line (queries.eta): each service's first `depth` tickets in dispatch order with
# what a replay needs, and the others as (id, service id) in their order in time, quoted
# behind them (domain.eta.deepest_cut's cut, made by the database): a line of thousands is
# not read into Python at every replay. Their appointments (few) come apart: a check-in
# takes the place of a booking still to come, wherever it stands in line.
_RANKED = (select(Ticket.id, Ticket.service_id, Ticket.queued_at, Ticket.number, Ticket.priority, Ticket.channel,
                  func.row_number().over(partition_by=Ticket.service_id,
                                         order_by=(_PRIORITY_RANK, Ticket.queued_at, Ticket.number, Ticket.id)
                                         ).label("rank"))
           .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"), IS_CALLABLE)
           .subquery())
_REPLAYED = (select(_RANKED.c.id, _RANKED.c.service_id, _RANKED.c.queued_at, _RANKED.c.number, _RANKED.c.priority,
                    _RANKED.c.channel).where(_RANKED.c.rank <= bindparam("depth"))
             .order_by(_RANKED.c.service_id, _RANKED.c.rank))
_BEYOND = (select(_RANKED.c.id, _RANKED.c.service_id).where(_RANKED.c.rank > bindparam("depth"))
           .order_by(_RANKED.c.queued_at, _RANKED.c.number, _RANKED.c.id))
_BEYOND_APPOINTMENTS = (select(_RANKED.c.id, _RANKED.c.service_id, _RANKED.c.queued_at, _RANKED.c.channel)
                        .where(_RANKED.c.rank > bindparam("depth"), _RANKED.c.channel == Channel.APPOINTMENT))


@dataclass(frozen=True)
class ReplayLine:
    """The office's line cut for a replay (queries.eta): `replayed` rows (id, service_id,
    queued_at, number, priority, channel), `beyond` (id, service id) in time order, and the
    appointments among those beyond."""

    replayed: list
    beyond: list[tuple[int, int]]
    beyond_appointments: list

    @property
    def size(self) -> int:
        return len(self.replayed) + len(self.beyond)


def replay_line(session: Session, office_id: int, day, depth: int) -> ReplayLine:
    connection = session.connection()
    values = {"office_id": office_id, "day": day, "depth": depth}
    beyond = [(ticket_id, service_id) for ticket_id, service_id in connection.execute(_BEYOND, values)]
    return ReplayLine(list(connection.execute(_REPLAYED, values)), beyond,
                      list(connection.execute(_BEYOND_APPOINTMENTS, values)) if beyond else [])


# The people ahead of the tickets of a commit (or a batch of commits, queries.projector),
# without counting everyone ahead of a number at the back of a long line: a walk-in's
# people ahead are its line's waiting count less itself and those behind it, counted from
# its place in time (ix_tickets_queue: few). A priority ticket (few) counts those ahead.
_ASKED = aliased(Ticket)
_ASKED_RANK = case((_ASKED.priority.is_not(None), 0), else_=1)
_SAME_LINE = and_(Ticket.office_id == _ASKED.office_id, Ticket.business_date == _ASKED.business_date,
                  Ticket.service_id == _ASKED.service_id, IS_CALLABLE, Ticket.id != _ASKED.id)
_AHEAD_OF_ASKED = select(func.count()).where(
    _SAME_LINE,
    or_(_PRIORITY_RANK < _ASKED_RANK,
        and_(_PRIORITY_RANK == _ASKED_RANK,
             tuple_(Ticket.queued_at, Ticket.number, Ticket.id) < tuple_(_ASKED.queued_at, _ASKED.number, _ASKED.id)))
).correlate(_ASKED).scalar_subquery()
_BEHIND_WALK_IN = select(func.count()).where(
    _SAME_LINE, Ticket.priority.is_(None), Ticket.queued_at >= _ASKED.queued_at,
    tuple_(Ticket.queued_at, Ticket.number, Ticket.id) > tuple_(_ASKED.queued_at, _ASKED.number, _ASKED.id)
).correlate(_ASKED).scalar_subquery()
# Each line's waiting count and last number of the day: one row per service, kept by the
# database's triggers on tickets (migration 0017), whatever the line's length.
_DAY_COUNTS = (select(DailyCounter.service_id, DailyCounter.waiting, DailyCounter.last_number)
               .join(Service, Service.id == DailyCounter.service_id)
               .where(DailyCounter.business_date == bindparam("day"), Service.office_id == bindparam("office_id")))
_POSITIONS_OF = select(_ASKED.id, _ASKED.service_id, _ASKED.priority.is_not(None),
                       case((_ASKED.priority.is_not(None), _AHEAD_OF_ASKED), else_=_BEHIND_WALK_IN))
# Most commits place one ticket: its own statement, without an IN list to expand each time.
_POSITION_OF = _POSITIONS_OF.where(_ASKED.id == bindparam("id"))
_POSITIONS_OF = _POSITIONS_OF.where(_ASKED.id.in_(bindparam("ids", expanding=True)))


@dataclass(frozen=True)
class DayCounts:
    """Per service id of one day: tickets waiting in its line (callable) and numbers issued."""

    waiting: dict[int, int]
    issued: dict[int, int]


def day_counts(session: Session, office_id: int, day) -> DayCounts:
    """The office's lines' counts of `day` (one read of daily_counters, a row per service;
    one statement whatever the services asked for: no IN list to expand each time)."""
    waiting, issued = {}, {}
    for service_id, n_waiting, last_number in session.connection().execute(
            _DAY_COUNTS, {"day": day, "office_id": office_id}):
        waiting[service_id], issued[service_id] = n_waiting, last_number
    return DayCounts(waiting, issued)


def positions_of(session: Session, office_id: int, day, tickets: list,
                 counts: dict[int, int] | None = None) -> dict[int, int]:
    """ticket id -> people ahead (people_ahead of each) of callable `tickets` of the
    office's `day`, in two statements whatever their number and the line's length (one
    when `counts`, the office's day_counts(...).waiting, is given;
    tests/integration/test_position_query.py checks it against the dispatch rule)."""
    if not tickets:
        return {}
    connection = session.connection()
    waiting = counts if counts is not None else day_counts(session, office_id, day).waiting
    found = {}
    found_rows = (connection.execute(_POSITION_OF, {"id": tickets[0].id}) if len(tickets) == 1 else
                  connection.execute(_POSITIONS_OF, {"ids": [t.id for t in tickets]}))
    for ticket_id, service_id, priority, counted in found_rows:
        found[ticket_id] = counted if priority else waiting.get(service_id, 0) - 1 - counted
    return found


def people_ahead(session: Session, ticket: Ticket) -> int:
    """domain.dispatch.people_ahead as one COUNT query, so the cost does not grow with the
    line (tests/integration/test_position_query.py checks that both agree)."""
    return session.connection().execute(_PEOPLE_AHEAD, {
        "office_id": ticket.office_id, "day": ticket.business_date, "service_id": ticket.service_id,
        "ticket_id": ticket.id, "rank": 0 if ticket.priority else 1, "queued_at": ticket.queued_at,
        "number": ticket.number}).scalar_one()


def line_item(ticket, service_code: str | None = None) -> dict:
    """A ticket (or a line_positions row, with its service's code) as a row of a staff list."""
    return {"id": ticket.id, "number": ticket.code, "status": ticket.status.value,
            "actions": allowed_action_values(ticket.status),
            "service": service_code or ticket.service.prefix, "priority": _value(ticket.priority),
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
class SentViews(OrderedDict):
    """(ticket id, event seq) -> view, the latest SENT_KEPT."""


SENT_KEPT = 4096   # a batch of commits projected together (commit_batches) sends hundreds


def remember_sent(db: Database, ticket_id: int, seq: int, view: dict) -> None:
    sent = db.companion(SentViews)
    sent[(ticket_id, seq)] = view
    while len(sent) > SENT_KEPT:
        sent.popitem(last=False)


def changed(db: Database, change, *, staff: bool = False) -> dict:
    """The view of the ticket a use case just changed (a services.tickets.TicketChange),
    with the call id of a call or recall and whether an idempotent retry was replayed.
    A citizen's view is the one the screens got with the change's event, when it was sent."""
    sent = None if staff or change.replayed else db.companion(SentViews).get((change.ticket_id, change.seq))
    view = dict(sent) if sent is not None else ticket(db, change.ticket_id, staff=staff)
    return view | {"call_id": change.call_id, "replayed": change.replayed}


def by_token(db: Database, token: str) -> dict:
    """A citizen's ticket by its token. Raises TicketNotFound."""
    with db.read() as session:
        return ticket_view(session, repository.ticket_by_token(session, token))
