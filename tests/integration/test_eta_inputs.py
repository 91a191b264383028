"""What the ETA replay reads from the database (queries.eta.read_inputs / line_state) tells
the counters' real time and the citizens still to come: a counter waits from its call
through the recalls, every seat of a booked slot comes until its own citizen checks in, a
booked citizen a little late may still come, priority citizens come at the office's
share of its walk-ins, and a counter closed now opens at its usual time (its first call on
the office's last earlier day)."""
from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import select

from queueapp.domain import eta
from queueapp.models import Counter, CounterService, Office, Service
from queueapp.queries import eta as eta_queries
from queueapp.services import catalog as catalog_services

from ..conftest import actor_of
from ..support import appointments, checkin, counters, tickets

SECRET = "test-secret"


def office_and_ids(db):
    with db.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        return office.id, {sv.prefix: sv.id for sv in office.services}


def first_counter(db, code: str) -> int:
    with db.read() as s:
        return s.execute(select(Counter.id).join(CounterService, CounterService.counter_id == Counter.id)
                         .join(Service, Service.id == CounterService.service_id)
                         .where(Service.prefix == code).order_by(Counter.number)).scalars().first()


def inputs_at(db, now):
    with db.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        return eta_queries.read_inputs(s, office, now)


def state_at(db, now, inputs=None):
    with db.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        return eta_queries.line_state(s, office, now, inputs=inputs)


def test_a_citizen_absent_at_the_call_keeps_the_counter_from_the_first_call_not_the_last_recall(any_db, demo,
                                                                                              clock):
    clerk = actor_of(demo, "loket1")
    counter = first_counter(demo, "A")
    _, ids = office_and_ids(demo)
    came = tickets.issue_ticket(demo, "demo", "A", now=clock())
    counters.call_next(demo, clerk, counter, now=clock())
    tickets.recall(demo, clerk, came["id"], now=clock.advance(minutes=2))
    tickets.start(demo, clerk, came["id"], now=clock.advance(minutes=1))
    tickets.finish(demo, clerk, came["id"], now=clock.advance(minutes=2))
    gone = tickets.issue_ticket(demo, "demo", "A", now=clock())
    counters.call_next(demo, clerk, counter, now=clock())
    for _ in range(3):   # recalls until the office's max_calls make it a no-show
        tickets.recall(demo, clerk, gone["id"], now=clock.advance(minutes=2))
    with switched(FROM_FIRST_CALL=True):
        history = inputs_at(demo, clock()).history
    # 2 minutes calling, 1 walking up, 2 served: the counter's 5 minutes, not the 3 since the recall.
    assert history[ids["A"]].durations == (5.0,)
    # What a no-show costs is the office's recalls: B's line is told too (POOLED_NO_SHOWS).
    assert history[ids["A"]].no_show_minutes == history[ids["B"]].no_show_minutes == 6.0
    with switched(FROM_FIRST_CALL=False):
        old = inputs_at(demo, clock()).history[ids["A"]]
    assert old.durations == (3.0,) and old.no_show_minutes == 2.0


@contextmanager
def switched(**values):
    saved = {name: getattr(eta_queries, name) for name in values}
    for name, value in values.items():
        setattr(eta_queries, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(eta_queries, name, value)


def book_seats(db, clock, slot, n: int) -> list[str]:
    catalog_services.update_service(db, None, "demo", "A", {"booking": {"bookable": True}}, now=clock())
    return [appointments.book(db, "demo", "A", slot, name="Budi Santoso", phone=f"0812345678{i:02d}", nik=f"317401234567000{i}",
                              now=slot - timedelta(days=1), secret_key=SECRET)["code"] for i in range(n)]


def test_the_other_seats_of_a_slot_still_come_when_one_booked_citizen_has_checked_in(any_db, demo, clock):
    slot = clock() + timedelta(minutes=30)
    first, _ = book_seats(demo, clock, slot, 2)
    kept = inputs_at(demo, clock.advance(minutes=5))      # read before the check-in (kept inputs)
    checkin.check_in(demo, "demo", first, now=clock.advance(minutes=5))
    for inputs in (None, kept):
        state = state_at(demo, clock(), inputs)
        assert [w.appointment for w in state.waiting] == [True]
        # The checked-in citizen stands in line; the other seat still comes, at the slot.
        assert [(round(minutes), sid) for minutes, sid, *_ in state.booked] == [(20, office_and_ids(demo)[1]["A"])]


def test_a_booked_citizen_not_there_at_the_slot_may_still_come_within_the_check_in_window(any_db, demo, clock):
    slot = clock() + timedelta(minutes=30)
    book_seats(demo, clock, slot, 1)
    [booking] = state_at(demo, slot + timedelta(minutes=5)).booked
    # The middle of the 10 minutes left of its window, with the even prior of the late share
    # (no booking of the day has come late or missed its slot yet).
    assert booking[0] == 5.0 and booking[2] == 0.5
    assert state_at(demo, slot + timedelta(minutes=16)).booked == ()
    with switched(LATE_BOOKINGS=False):
        assert state_at(demo, slot + timedelta(minutes=5)).booked == ()


def test_priority_citizens_are_expected_at_the_offices_share_of_each_lines_walk_ins(any_db, demo, clock):
    _, ids = office_and_ids(demo)
    for _ in range(9):
        tickets.issue_ticket(demo, "demo", "A", now=clock.advance(minutes=1))
    tickets.issue_ticket(demo, "demo", "B", now=clock.advance(minutes=1), priority="lansia")
    with switched(OPENING_WINDOW=False):
        history = inputs_at(demo, clock()).history
    # One in ten of today's walk-ins is a priority citizen: A's 9 an hour bring 0.9 an hour,
    # though none of A's own was one.
    assert round(history[ids["A"]].priority_per_minute * 60, 6) == 0.9
    assert round(history[ids["B"]].priority_per_minute * 60, 6) == 0.1
    # The day's walk-ins began 10 minutes ago: the last hour's 9 A came in the shortest
    # window counted, 15 minutes (not in the 60, of which 50 were before the first of them).
    history = inputs_at(demo, clock()).history
    assert round(history[ids["A"]].priority_per_minute * 60, 6) == round(0.9 * 60 / 15, 6)
    # An hour later the window is the last hour again.
    tickets.issue_ticket(demo, "demo", "C", now=clock.advance(minutes=60))
    history = inputs_at(demo, clock()).history
    assert round(history[ids["A"]].priority_per_minute * 60, 6) == 0.0


def counter_number(db, number: int) -> int:
    with db.read() as s:
        return s.execute(select(Counter.id).where(Counter.number == number)).scalar_one()


def test_a_counter_closed_now_is_expected_at_the_time_it_first_called_on_the_last_earlier_day(any_db, demo, clock):
    clerk = actor_of(demo, "loket1")
    third, fifth = counter_number(demo, 3), counter_number(demo, 5)   # both serve C
    _, ids = office_and_ids(demo)
    # Monday: counter 5 calls from 09:00, counter 3 (a later shift) from 10:30.
    for counter, at in ((fifth, clock()), (third, clock() + timedelta(minutes=90))):
        ticket = tickets.issue_ticket(demo, "demo", "C", now=at)
        counters.call_next(demo, clerk, counter, now=at)
        tickets.finish(demo, clerk, ticket["id"], now=at + timedelta(minutes=3))
    # Tuesday 08:30: counter 3 is closed, counter 5 open; a C citizen waits.
    tuesday = clock.advance(days=1, minutes=-30)
    counters.set_counter_state(demo, clerk, third, "closed", now=tuesday)
    waiting = tickets.issue_ticket(demo, "demo", "C", now=tuesday)
    assert inputs_at(demo, tuesday).openings[third] == tuesday + timedelta(minutes=120)
    state = state_at(demo, tuesday)
    expected = {c.counter_id: (c.ready_in, c.rostered) for c in state.counters}
    assert expected[third] == (120.0, True) and expected[fifth] == (0.0, False)
    assert [c.counter_id for c in state.serving(ids["C"])] == [fifth]
    assert eta.estimate_monte_carlo(state, waiting["id"], random.Random(0)).minutes is not None
    # Only the later shift left for C: no counter open for the line, no estimate yet.
    counters.set_counter_state(demo, clerk, fifth, "closed", now=tuesday)
    alone = state_at(demo, tuesday)
    assert eta.estimate_monte_carlo(alone, waiting["id"], random.Random(0)).minutes is None
    assert eta.monte_carlo_line(alone, random.Random(0))[waiting["id"]].minutes is None
    # Past 10:30 a counter still closed is not coming (a day off): it counts no more.
    late = clock.advance(hours=3)
    assert third not in {c.counter_id for c in state_at(demo, late).counters}
    with switched(ROSTER_FROM_EARLIER_DAY=False):
        assert inputs_at(demo, tuesday).openings == {}
