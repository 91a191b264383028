"""What the clerk's screen shows of its line beyond numbers: each ticket's channel and
issue time (the wait so far), a booked citizen's name (staff screens only), the count
served today, the office's call limit; and the rule for calling from a break."""
from datetime import datetime, timezone

from sqlalchemy import select

from queueapp.domain.states import CounterState
from queueapp.models import Appointment, Counter, Office
from queueapp.queries import boards
from queueapp.realtime import public_ticket
from ..support import appointments, checkin, counters, tickets

SECRET = "test-secret"
TUESDAY_0800 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)   # 08:00 WIB


def screen(db, number: int, now) -> dict:
    with db.read() as s:
        counter = s.execute(select(Counter).where(Counter.number == number)).scalar_one()
        return boards.counter_screen(s, counter, now)


def counter_id(db, number: int) -> int:
    with db.read() as s:
        return s.execute(select(Counter.id).where(Counter.number == number)).scalar_one()


def test_the_line_shows_channel_issue_time_and_a_booked_citizens_name(demo, clock, clerk):
    appointments.book(demo, "demo", "A", TUESDAY_0800, name="Budi Santoso", phone="081234567891",
                      nik="3174012345670001", now=clock(), secret_key=SECRET)
    clock.current = TUESDAY_0800.replace(hour=0, minute=45)
    with demo.read() as s:
        code = s.execute(select(Appointment.code)).scalar_one()
    booked = checkin.check_in(demo, "demo", code, now=clock())
    walk_in = tickets.issue_ticket(demo, "demo", "A", now=clock())
    line = {item["number"]: item for item in screen(demo, 1, clock())["waiting"]}
    assert line[booked["number"]]["channel"] == "appointment"
    assert line[booked["number"]]["name"] == "Budi Santoso"
    assert line[walk_in["number"]]["channel"] == "kiosk" and "name" not in line[walk_in["number"]]
    assert line[walk_in["number"]]["issued_at"] == clock().isoformat()
    # The name never reaches a public screen: the office room's view of a ticket has no name.
    assert "name" not in public_ticket(booked)


def test_the_screen_counts_tickets_served_today_and_knows_the_call_limit(demo, clock, clerk):
    for _ in range(2):
        tickets.issue_ticket(demo, "demo", "A", now=clock())
    loket1 = counter_id(demo, 1)
    for _ in range(2):
        called = counters.call_next(demo, clerk, loket1, now=clock())
        tickets.finish(demo, clerk, called["id"], now=clock())
    shown = screen(demo, 1, clock())
    assert shown["served_today"] == 2
    with demo.read() as s:
        assert shown["max_calls"] == s.execute(select(Office.max_calls)).scalar_one() == 3
    assert screen(demo, 2, clock())["served_today"] == 0
    assert shown["served_by_staff"] == {str(clerk.staff_id): 2}


def test_calling_from_a_break_ends_the_break_so_api_clients_keep_working(demo, clock, clerk):
    """Decision (issue 16): the workstation asks the clerk before calling from a break; the
    API keeps calling and ending the break, as simulations and other clients expect."""
    tickets.issue_ticket(demo, "demo", "A", now=clock())
    loket1 = counter_id(demo, 1)
    counters.set_counter_state(demo, clerk, loket1, "paused", now=clock())
    called = counters.call_next(demo, clerk, loket1, now=clock())
    assert called["status"] == "called"
    with demo.read() as s:
        assert s.get(Counter, loket1).state == CounterState.OPEN
