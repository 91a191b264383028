"""Read side of the better ETA estimators: an office's line, counters and recent history
as one domain.eta.LineState (the inputs of estimate_queue_model / estimate_monte_carlo)."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case, func, null, select, union_all
from sqlalchemy.orm import Session, selectinload

from .. import repository
from ..domain import eta
from ..domain.hours import parse_hhmm
from ..domain.numbering import business_date, local_time
from ..domain.states import AT_COUNTER, CounterState, TicketStatus
from ..domain.booking import AppointmentStatus
from ..domain.channels import Channel
from ..domain.events import EventType
from ..models import Appointment, BookingRule, Counter, Office, Service, Ticket, TicketEvent
from .eta_cache import NO_ESTIMATE, EtaInputs, Replay, derived, kept  # noqa: F401 - EtaInputs: read by tests and callers
from .tickets import line_positions, replay_line

# The latest calls that ended today (served or no-show): enough for 30 per service in a
# busy office, bounded so the cost does not grow with the day.
HISTORY_ROWS = 400
# The office's last earlier day with tickets (within PRIOR_DAYS: max(business_date) walks
# ix_tickets_line): its calls are the prior a service's counter minutes start from until
# today has a window of its own (the first quotes of the day).
PRIOR_DAYS = 14
_EARLIER_DAY = (select(func.max(Ticket.business_date))
                .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date < bindparam("day"),
                       Ticket.business_date >= bindparam("since_day"))
                .scalar_subquery())
# When the counter that served a ticket first called it: called_at is the last recall's
# moment (services.tickets.recall), the counter's time began at its call (the last
# call-next, after a transfer). A citizen absent at the call keeps the counter waiting
# through the recalls: a no-show after 3 calls costs 6 minutes, not the 2 after the last.
# Through ix_ticket_events' ticket_id, one or a few events per ticket; None when the
# ticket has no such event (then called_at).
_CALLED = (select(func.max(TicketEvent.at))
           .where(TicketEvent.ticket_id == Ticket.id, TicketEvent.type == EventType.TICKET_CALLED.value)
           .correlate(Ticket).scalar_subquery())
_FINISHED = (select(Ticket.service_id, Ticket.counter_id, Ticket.status, Ticket.called_at, Ticket.finished_at,
                    Ticket.business_date, _CALLED)
             .where(Ticket.office_id == bindparam("office_id"),
                    Ticket.business_date.in_([bindparam("day"), _EARLIER_DAY]),
                    Ticket.status.in_([TicketStatus.DONE, TicketStatus.NO_SHOW]),
                    Ticket.called_at.is_not(None), Ticket.finished_at.is_not(None))
             .order_by(Ticket.business_date.desc(), Ticket.finished_at.desc()).limit(HISTORY_ROWS))
# Per service, today's walk-in numbers (not appointments: the bookings are replayed apart)
# and of them the priority ones, all day and since `since` (an hour ago): one aggregate over
# the day's tickets through ix_tickets_line.
_LATELY = Ticket.issued_at >= bindparam("since")
_PRIORITY = Ticket.priority.is_not(None)
_ISSUED = (select(Ticket.service_id, func.count(),
                  func.sum(case((_PRIORITY, 1), else_=0)), func.sum(case((_LATELY, 1), else_=0)),
                  func.sum(case((and_(_PRIORITY, _LATELY), 1), else_=0)), func.min(Ticket.issued_at))
           .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
                  Ticket.channel != Channel.APPOINTMENT)
           .group_by(Ticket.service_id))
# Today's tickets at the counters (through ix_tickets_line: the day bounds the read).
_AT_COUNTERS = (select(Ticket.counter_id, Ticket.service_id, Ticket.called_at, _CALLED)
                .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == bindparam("day"),
                       Ticket.status.in_(list(AT_COUNTER)), Ticket.counter_id.is_not(None)))
_COUNTERS = (select(Counter).options(selectinload(Counter.links))
             .where(Counter.office_id == bindparam("office_id")))
PRIORITY_WINDOW = timedelta(minutes=60)
# Whether, in the day's first hour, the walk-ins "of the last hour" are counted over the time
# since the day's first walk-in (at least SHORTEST_WINDOW) rather than over a whole hour,
# most of it before the doors opened (at 07:45 the 08:00 peak looked a quarter as busy); a
# switch for docs/ETA.md's figures.
OPENING_WINDOW = True
SHORTEST_WINDOW = timedelta(minutes=15)
# Whether a service's priority numbers still to come are expected at the office's priority
# share of today's walk-ins (all services pooled) times the service's walk-ins of the last
# hour, instead of its own priority numbers of the last hour (one or two: mostly noise);
# a switch for docs/ETA.md's figures.
POOLED_PRIORITY = True
# Whether a ticket's counter minutes count from its call (the call-next event, _CALLED) or
# from its last recall (called_at). From the call is what the counter spent (a no-show after
# three calls: 6 minutes, not 2), but measured worse (docs/ETA.md, 2026-11-28 second change:
# a morning's no-show share from a few calls, at 6 minutes each, moves quotes more than the
# right cost corrects them), so off; the statements read the call either way.
FROM_FIRST_CALL = False
# Whether the no-show share and minutes are the office's (all services pooled) rather than
# each service's own; a switch for docs/ETA.md's figures.
POOLED_NO_SHOWS = True
# Whether a booking checked in since the inputs were read is told apart by its ticket (else:
# any appointment in line took the place of a booking of its service and slot, so that the
# other seats of a slot were dropped); a switch for docs/ETA.md.
EXACT_CHECK_INS = True
# Whether the clerk speeds are learnt against today's minutes and average 1 over their calls
# (_history, since 2026-11-28); a switch for docs/ETA.md's before/now figures
# (queueapp.simulation.report.compare).
NORMALISE_SPEEDS = True
# Whether a counter closed now is expected to open later today at the time of day it first
# called on the office's last earlier day (its clerk's shift: Dukcapil's third counter at
# 08:20), so the morning's first quotes count it from then; a switch for docs/ETA.md's figures.
ROSTER_FROM_EARLIER_DAY = True
# Each counter's first call on the office's last earlier day (one aggregate over that day's
# tickets through ix_tickets_line).
_FIRST_CALLS = (select(Ticket.counter_id, func.min(Ticket.called_at))
                .where(Ticket.office_id == bindparam("office_id"), Ticket.business_date == _EARLIER_DAY,
                       Ticket.counter_id.is_not(None), Ticket.called_at.is_not(None))
                .group_by(Ticket.counter_id))
# Today's booked appointments (through ix_appointments_slot's slot_start) with the ticket a
# check-in gave them, and in the same statement the office's booking rules (the fair-merge
# limit and the check-in window the counters and the kiosk apply): rows with a slot are
# bookings, rows without are rules.
_BOOKINGS = union_all(
    select(Appointment.service_id, Appointment.slot_start, Appointment.status,
           null().label("in_a_row"), null().label("checkin_after"), Appointment.ticket_id,
           Ticket.issued_at.label("checked_in_at"))
    .outerjoin(Ticket, Ticket.id == Appointment.ticket_id)
    .where(Appointment.office_id == bindparam("office_id"), Appointment.slot_start >= bindparam("start"),
           Appointment.slot_start < bindparam("end")),
    select(BookingRule.service_id, null(), null(), BookingRule.appointments_in_a_row,
           BookingRule.checkin_after_minutes, null(), null())
    .join(Service, Service.id == BookingRule.service_id)
    .where(Service.office_id == bindparam("office_id"), BookingRule.bookable.is_(True)))
# After the check-in window (booking.Rule.checkin_after_minutes, this its default) a booking
# that did not come counts as a no-show.
CHECKIN_AFTER = timedelta(minutes=15)
# A booking not checked in by its slot's start is no longer counted to come: most booked
# citizens check in before their slot, so one who has not is likelier a no-show, or late
# and then a walk-in at the back (measured on kecamatan-small seeds 1-5, docs/ETA.md).
LATE_GRACE = timedelta(0)
# Unless LATE_BOOKINGS: then a booking past its slot's start whose check-in window is still
# open comes with the observed share of today's late check-ins (Inputs.booked_late), at
# the middle of what is left of its window, and goes ahead of the walk-ins as it will.
LATE_BOOKINGS = True


def _bookings(session: Session, office: Office, day,
              now: datetime) -> tuple[tuple, float, dict[int, int], frozenset[int], float]:
    """Today's bookings not checked in yet whose check-in window is still open (service id,
    slot start, the window's end), the share of today's bookings past their window that
    came (shrunk towards 90% as if 10 more had come at that rate), per bookable service
    its fair-merge limit (booking_rules.appointments_in_a_row), the tickets of the
    bookings already checked in, and of the bookings past their window not checked in by
    their slot's start the share that came within the window."""
    start, end = repository.day_bounds(day, office.timezone)
    rows = list(session.execute(_BOOKINGS, {"office_id": office.id, "start": start, "end": end}))
    windows = {row[0]: timedelta(minutes=row[4]) for row in rows if row[1] is None and row[4] is not None}
    limits = {row[0]: int(row[3]) for row in rows if row[1] is None and row[3] is not None}
    checked_in = frozenset(row[5] for row in rows if row[1] is not None and row[5] is not None)
    to_come, came, past, late, not_by_start = [], 0, 0, 0, 0
    for service_id, slot, status, _, _, _, checked_in_at in rows:
        if slot is None:
            continue
        status = AppointmentStatus(status)
        window = windows.get(service_id, CHECKIN_AFTER)
        if slot + window < now:
            if status in (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN, AppointmentStatus.NO_SHOW):
                past += 1
                came += status == AppointmentStatus.CHECKED_IN
                if status != AppointmentStatus.CHECKED_IN or (checked_in_at is not None and checked_in_at > slot):
                    not_by_start += 1
                    late += checked_in_at is not None and slot < checked_in_at <= slot + window
        elif status == AppointmentStatus.BOOKED:
            to_come.append((service_id, slot, slot + window))
    # Of the bookings not checked in by their slot's start, the share that came within the
    # window (as if 2 more, one of them came: an even prior).
    return (tuple(sorted(to_come, key=lambda item: item[1])), (came + 9) / (past + 10), limits, checked_in,
            (late + 1) / (not_by_start + 2))


def _minutes(delta: timedelta) -> float:
    return delta.total_seconds() / 60.0


def _breaks_today(session: Session, office: Office, now: datetime,
                  calendar=None) -> tuple[tuple[datetime, datetime], ...]:
    """Today's breaks of the office's walk-in hours, as moments."""
    day = business_date(now, office.timezone)
    calendar = repository.calendar_of(session, office, day) if calendar is None else calendar
    zone = local_time(now, office.timezone).tzinfo
    return tuple(sorted((datetime.combine(day, parse_hhmm(start), zone), datetime.combine(day, parse_hhmm(end), zone))
                        for period in calendar.periods(day, walk_ins=True) for start, end in period.breaks))


def _ahead_of(breaks: tuple[tuple[datetime, datetime], ...], now: datetime) -> tuple[tuple[float, float], ...]:
    """The breaks not over yet, in minutes from now."""
    return tuple((_minutes(b0 - now), _minutes(b1 - now)) for b0, b1 in breaks if b1 > now)


def _breaks_ahead(session: Session, office: Office, now: datetime) -> tuple[tuple[float, float], ...]:
    """Today's breaks of the office's walk-in hours not over yet, in minutes from now."""
    return _ahead_of(_breaks_today(session, office, now), now)


def _history(session: Session, office: Office, day, now: datetime) -> tuple[dict, dict[int, float]]:
    """Per service its ServiceHistory, and per counter its clerk's speed."""
    window = PRIORITY_WINDOW
    rows = list(session.execute(_FINISHED, {"office_id": office.id, "day": day,
                                            "since_day": day - timedelta(days=PRIOR_DAYS)}))
    rows.reverse()   # oldest first
    services = {s.id: s for s in office.services}
    served: dict[int, list[float]] = {sid: [] for sid in services}
    missed: dict[int, list[float]] = {sid: [] for sid in services}
    earlier: dict[int, list[float]] = {}
    by_counter: dict[int, list[tuple[int, float]]] = {}
    for service_id, counter_id, status, called, finished, on, first in rows:
        minutes = _minutes(finished - (first if first is not None and FROM_FIRST_CALL else called))
        if on != day:
            # The earlier day: only its counter minutes, as the prior of each service's.
            if status == TicketStatus.DONE and minutes > 0:
                earlier.setdefault(service_id, []).append(minutes)
            continue
        if status == TicketStatus.NO_SHOW:
            missed.setdefault(service_id, []).append(minutes)
        elif minutes > 0:
            served.setdefault(service_id, []).append(minutes)
            by_counter.setdefault(counter_id, []).append((service_id, minutes))
    found = list(session.execute(_ISSUED, {"office_id": office.id, "day": day, "since": now - window}))
    issued = {row[0]: tuple(int(n or 0) for n in row[1:5]) for row in found}
    first = min((row[5] for row in found if row[5] is not None), default=None)
    if OPENING_WINDOW and first is not None:
        window = max(SHORTEST_WINDOW, min(window, now - first))
    walk_ins, priority_today = sum(n[0] for n in issued.values()), sum(n[1] for n in issued.values())
    share = priority_today / walk_ins if walk_ins else 0.0
    # Priority numbers expected in an hour per service: the office's share pooled over
    # services (citizens, not services, are priority), times the service's walk-ins.
    priority = {sid: (share * n[2] if POOLED_PRIORITY else n[3]) for sid, n in issued.items()}
    history = {}
    # A citizen absent at the call is the citizen's doing, and the minutes a no-show costs are
    # the office's recalls: both pooled over the services (one line's 2 no-shows in its first
    # 19 calls are noise, and now cost 6 minutes each).
    all_gone = sorted(m for sid in services for m in missed.get(sid, [])[-eta.HISTORY_WINDOW:])
    all_calls = len(all_gone) + sum(len(served.get(sid, [])[-eta.HISTORY_WINDOW:]) for sid in services)
    for sid, service in services.items():
        # Today's minutes, after the earlier day's until today has a window of its own
        # (an office's pace changes little from one day to the next).
        done = (earlier.get(sid, []) + served.get(sid, []))[-eta.HISTORY_WINDOW:]
        gone = sorted(missed.get(sid, [])[-eta.HISTORY_WINDOW:]) if not POOLED_NO_SHOWS else all_gone
        calls = (len(served.get(sid, [])[-eta.HISTORY_WINDOW:]) + len(gone)) if not POOLED_NO_SHOWS else all_calls
        history[sid] = eta.ServiceHistory(
            durations=tuple(done), fallback_minutes=float(service.expected_minutes),
            no_show_share=len(gone) / calls if calls >= 10 else 0.0,
            no_show_minutes=gone[len(gone) // 2] if gone else 0.0,
            priority_per_minute=priority.get(sid, 0) / _minutes(window))
    # Each clerk's pace against today's minutes of the same services (not the window's,
    # which may hold an earlier day's: a slow day would then make every clerk slow, and the
    # replay, drawing today's slow minutes times that speed, count it twice).
    means = ({sid: eta.robust_minutes(eta.ServiceHistory(tuple(found), 0.0)) for sid, found in served.items()}
             if NORMALISE_SPEEDS else {sid: eta.robust_minutes(h) for sid, h in history.items()})
    speeds = {}
    for counter_id, items in by_counter.items():
        # Shrunk towards 1 (as if 10 more tickets at the usual pace): a few long tickets
        # do not make a clerk slow.
        ratios = [minutes / means[sid] for sid, minutes in items[-30:] if means.get(sid)]
        if ratios:
            speeds[counter_id] = ((sum(ratios) + 10) / (len(ratios) + 10), len(ratios))
    # The services' minutes already carry the pace of the counters that served them: the
    # speeds say who is faster than whom, averaging 1 over the calls they are learnt from.
    calls = sum(n for _, n in speeds.values())
    mean = sum(speed * n for speed, n in speeds.values()) / calls if calls and NORMALISE_SPEEDS else 1.0
    return history, {cid: min(2.0, max(0.5, speed / mean)) for cid, (speed, _) in speeds.items()}


@dataclass(frozen=True)
class Inputs:
    """What an office's estimates need besides the line and the tickets at the counters:
    recent history per service, clerk speeds, the counters with what they serve, and
    today's breaks. Kept a few seconds per office (EtaInputs)."""

    history: dict
    speeds: dict
    counters: tuple          # (id, state, {service id: order}, priority_first)
    breaks: tuple            # today's breaks as moments
    calendar: object = None  # the day's hours and holiday (repository.calendar_of)
    booked: tuple = ()       # today's bookings not checked in yet: (service id, slot start, window end)
    booked_show: float = 0.9  # the share of today's bookings that came
    merge_limits: dict = field(default_factory=dict)  # bookable service id: appointments_in_a_row
    # The tickets of today's bookings checked in when these inputs were read (None: not
    # known, every appointment in line is taken as checked in since).
    checked_in: frozenset | None = None
    # Of today's bookings not checked in by their slot's start, the share that came within
    # the check-in window (LATE_BOOKINGS).
    booked_late: float = 0.5
    # Per counter, the moment today it is expected to open: the time of day of its first call
    # on the office's last earlier day (ROSTER_FROM_EARLIER_DAY).
    openings: dict = field(default_factory=dict)

    def open_counters(self) -> dict[int, int]:
        """Counters open now per service (queries.tickets.open_counters_by_service)."""
        found: dict[int, int] = {}
        for _, state, services, _ in self.counters:
            if state == CounterState.OPEN:
                for sid in services:
                    found[sid] = found.get(sid, 0) + 1
        return found


def read_inputs(session: Session, office: Office, now: datetime) -> Inputs:
    day = business_date(now, office.timezone)
    history, speeds = _history(session, office, day, now)
    counters = tuple((c.id, c.state, {link.service_id: link.order for link in c.links}, c.priority_first)
                     for c in session.execute(_COUNTERS, {"office_id": office.id}).scalars())
    calendar = repository.calendar_of(session, office, day)
    booked, show, limits, checked_in, late = _bookings(session, office, day, now)
    return Inputs(history, speeds, counters, _breaks_today(session, office, now, calendar), calendar, booked, show,
                  limits, checked_in, late, _openings(session, office, day) if ROSTER_FROM_EARLIER_DAY else {})


def _openings(session: Session, office: Office, day) -> dict[int, datetime]:
    """Per counter, the moment of `day` at the time of day of its first call on the office's
    last earlier day: when its clerk's shift usually starts."""
    found = {}
    for counter_id, first in session.execute(_FIRST_CALLS, {"office_id": office.id, "day": day,
                                                            "since_day": day - timedelta(days=PRIOR_DAYS)}):
        local = local_time(first, office.timezone)
        found[counter_id] = datetime.combine(day, local.timetz())
    return found


def office_inputs(session: Session, office: Office, now: datetime) -> Inputs:
    """The office's Inputs at `now`, as kept (EtaInputs)."""
    return kept(session).get(office.id, business_date(now, office.timezone), now,
                             lambda: read_inputs(session, office, now))


def line_state(session: Session, office: Office, now: datetime, *, line=None,
               inputs: Inputs | None = None, checked_in_beyond=()) -> eta.LineState:
    """The office's line, counters and history at `now` for the domain.eta estimators:
    open counters, and counters paused during one of the office's breaks (due back at its
    end); closed counters and counters paused outside a break do not count. `line`: the
    office's line_positions when already read (or the rows of it to replay); `inputs`:
    read_inputs when kept; `checked_in_beyond`: appointment tickets in line but not in `line`
    (queries.tickets.replay_line: their bookings have come all the same)."""
    day = business_date(now, office.timezone)
    rows = line_positions(session, office.id, day) if line is None else line
    waiting = tuple(eta.Waiting(row.id, row.service_id, _minutes(row.queued_at - now), row.number,
                                row.priority is not None, _channel(row.channel) == "appointment")
                    for row in rows)
    inputs = read_inputs(session, office, now) if inputs is None else inputs
    # Bookings still to come; one checked in since the inputs were read (kept inputs) stands
    # in line: its ticket takes the place of one booking of its service and slot. Only those:
    # the other bookings of a slot (4 seats) still come.
    known = (inputs.checked_in or frozenset()) if EXACT_CHECK_INS else frozenset()
    checked_in = [(w.service_id, round(w.queued, 3)) for w in waiting if w.appointment and w.ticket_id not in known]
    checked_in += [(row.service_id, round(_minutes(row.queued_at - now), 3)) for row in checked_in_beyond
                   if row.id not in known]
    booked = []
    for service_id, slot, *end in inputs.booked:
        key = (service_id, round(_minutes(slot - now), 3))
        if key in checked_in:
            checked_in.remove(key)
            continue
        if slot + LATE_GRACE >= now:
            booked.append((_minutes(slot - now), service_id))
        elif LATE_BOOKINGS and end and end[0] > now:
            booked.append((_minutes(end[0] - now) / 2, service_id, inputs.booked_late))
    breaks = _ahead_of(inputs.breaks, now)
    in_break = next((b1 for b0, b1 in breaks if b0 <= 0 < b1), None)
    busy = {counter_id: (service_id, first if first is not None and FROM_FIRST_CALL else called)
            for counter_id, service_id, called, first in session.execute(_AT_COUNTERS, {"office_id": office.id,
                                                                                         "day": day})}
    counters = []
    for counter_id, state, services, priority_first in inputs.counters:
        if state == CounterState.OPEN:
            ready = 0.0
        elif state == CounterState.PAUSED and in_break is not None:
            ready = in_break
        elif state == CounterState.CLOSED and inputs.openings.get(counter_id, now) > now:
            ready = _minutes(inputs.openings[counter_id] - now)   # not open yet: the roster's
        else:
            continue
        service_id, called = busy.get(counter_id, (None, None))
        counters.append(eta.CounterNow(
            counter_id, services, priority_first,
            ready_in=ready, busy_minutes=_minutes(now - called) if called else None, busy_service=service_id,
            speed=inputs.speeds.get(counter_id, 1.0), rostered=state == CounterState.CLOSED,
            # repository.counter_policies: the smallest limit among its bookable services.
            appointments_in_a_row=min((inputs.merge_limits[sid] for sid in services if sid in inputs.merge_limits),
                                      default=eta.APPOINTMENTS_IN_A_ROW)))
    return eta.LineState(waiting, tuple(counters), inputs.history, breaks, tuple(booked), inputs.booked_show)


def _channel(value) -> str:
    return str(getattr(value, "value", value))


# The estimate shown is as of the office's last change (its last event): the same figure
# on a phone that loads its page and on one that got the change pushed (queries.projector).
_LAST_CHANGE = (select(TicketEvent.at)
                .join(Office, and_(Office.id == TicketEvent.office_id, Office.seq == TicketEvent.seq))
                .where(Office.id == bindparam("office_id")))


def last_change(session: Session, office_id: int) -> datetime | None:
    return session.execute(_LAST_CHANGE, {"office_id": office_id}).scalars().first()


def line_estimates(session: Session, office: Office, now: datetime | None = None, *,
                   line=None, known: dict[int, int] | None = None) -> dict[int, eta.Estimate]:
    """The chosen estimator (eta.monte_carlo_line, docs/ETA.md) for every waiting ticket of
    the office, and for a newcomer to each service (key: minus the service id), as of the
    office's last change (`now`: its time, when the caller knows it; `line`: the office's
    line_positions when already read; `known`: ticket id -> service id of tickets the caller
    holds, such as a commit's new numbers). Kept per office seq (EtaInputs): every screen of one
    change reads one replay. Seeded with 0 whatever the seq: the same line gives the same
    figures, and two successive changes' quotes differ only by what changed."""
    return _replayed(session, office, now, line, known).estimates


def linked_services(session: Session, office: Office, service_ids: set[int],
                    now: datetime | None = None, *, line=None, known: dict[int, int] | None = None) -> set[int]:
    """These services and every service sharing a serving counter with them, transitively:
    a change in one line moves the estimates of all (a counter serving A and B splits its
    time)."""
    groups = _replayed(session, office, now, line, known).groups
    found, todo = set(service_ids), list(service_ids)
    while todo:
        for other in groups.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


def _replayed(session: Session, office: Office, now: datetime | None, line, known=None) -> Replay:
    keeper = kept(session)

    def load(moment: datetime | None) -> Replay:
        if moment is None:
            return Replay(office.seq, None, {}, {}, {})
        inputs = office_inputs(session, office, moment)
        if line is None:   # the cut made by the database: a line of thousands stays there
            cut = replay_line(session, office.id, business_date(moment, office.timezone), REPLAY_DEPTH)
            state = line_state(session, office, moment, line=cut.replayed, inputs=inputs,
                               checked_in_beyond=cut.beyond_appointments)
            size, beyond = cut.size, cut.beyond
        else:
            state = line_state(session, office, moment, line=line, inputs=inputs)
            size = len(state.waiting)
            state, cut_off = eta.deepest_cut(state, REPLAY_DEPTH)
            beyond = [(w.ticket_id, w.service_id) for w in cut_off]
        groups: dict[int, set[int]] = {}
        for counter in state.counters:
            for sid in counter.services:
                groups.setdefault(sid, set()).update(counter.services)
        state = eta.with_newcomers(state, [s.id for s in office.services])
        estimates = eta.monte_carlo_line(state, random.Random(0), draws=draws_for(len(state.waiting)))
        replay = Replay(office.seq, moment, estimates, groups, _slot_minutes(state),
                        {s.id: estimates.get(-s.id, NO_ESTIMATE) for s in office.services}, size=size)
        if beyond:   # the tickets past the replayed depth, quoted behind it (numbers taken next behind them)
            replay = derived(replay, office.seq, beyond)
        return replay

    def derive(last: Replay, appended: list[int]) -> Replay:
        services = _services_of(session, appended, line, known)
        return derived(last, office.seq, [(t, services[t]) for t in appended if t in services])
    return keeper.replay(office.id, office.seq, lambda: now or last_change(session, office.id), load, derive)


def _slot_minutes(state: eta.LineState) -> dict[int, float]:
    """Per service: the counter minutes one more number adds to the lines of the counters
    serving it (its usual minutes shared among them)."""
    found = {}
    for sid, history in state.history.items():
        serving = state.serving(sid)
        if serving:
            pace = sum(c.speed for c in serving) / len(serving)
            found[sid] = eta.robust_minutes(history) * pace / len(serving)
    return found


_SERVICES_OF = select(Ticket.id, Ticket.service_id).where(Ticket.id.in_(bindparam("ids", expanding=True)))


def _services_of(session: Session, ticket_ids: list[int], line, known: dict[int, int] | None = None) -> dict[int, int]:
    """Each ticket's service: from what the caller holds (`known`, the line when it read
    it), else one statement."""
    if known and all(ticket_id in known for ticket_id in ticket_ids):
        return {ticket_id: known[ticket_id] for ticket_id in ticket_ids}
    if line is not None:
        wanted = set(ticket_ids)
        found = {row.id: row.service_id for row in line if row.id in wanted}
        if len(found) == len(wanted):
            return found
    return {ticket_id: sid for ticket_id, sid in session.execute(_SERVICES_OF, {"ids": ticket_ids})}


# Draws per replay (docs/ETA.md: the CPU of one replay of a 100-ticket line).
DRAWS = 40
# A replay of more than FULL_DRAWS_UP_TO waiting (hundreds in each line of a big hall, up to
# REPLAY_DEPTH each) draws fewer times, down to MIN_DRAWS, so that its CPU stays about that of
# a replay of FULL_DRAWS_UP_TO: under gevent a replay stalls the worker while it runs. No
# shipped kecamatan or Dukcapil day comes near (docs/ETA.md, "Lines of thousands").
FULL_DRAWS_UP_TO = 300
MIN_DRAWS = 10


def draws_for(replayed: int) -> int:
    """The draws of a replay of `replayed` waiting tickets (newcomers included)."""
    if replayed <= FULL_DRAWS_UP_TO:
        return DRAWS
    return max(MIN_DRAWS, DRAWS * FULL_DRAWS_UP_TO // replayed)


# Waiting tickets of each service replayed one by one; those further back are quoted
# behind them (eta.deepest_cut): a replay of thousands waiting would stall the worker.
REPLAY_DEPTH = 150


def ticket_estimate(session: Session, ticket: Ticket) -> eta.Estimate:
    office = session.get(Office, ticket.office_id)
    return line_estimates(session, office).get(ticket.id, NO_ESTIMATE)


def one_more_counter(session: Session, office: Office, service_ids, now: datetime | None = None) -> dict[int, eta.Estimate]:
    """Per service: the wait of a number taken now if one more counter opened now for that
    service alone (the dashboard's "what if I open one more counter"), by the same replay
    as the quotes. One replay per service: for a supervisor's snapshot, not for every
    change."""
    moment = now or last_change(session, office.id)
    if moment is None:
        return {}
    base = line_state(session, office, moment, inputs=office_inputs(session, office, moment))
    result = {}
    for sid in service_ids:
        extra = eta.CounterNow(-1, {sid: 0}, True, speed=1.0)
        state = eta.with_newcomers(eta.LineState(base.waiting, base.counters + (extra,), base.history, base.breaks),
                                   [sid])
        # Only the lines sharing a counter with this service move: replay those.
        state = eta.LineState(state.waiting, tuple(eta._relevant_counters(state, sid)), state.history, state.breaks)
        result[sid] = eta.monte_carlo_line(state, random.Random(0), draws=DRAWS).get(-sid, NO_ESTIMATE)
    return result
