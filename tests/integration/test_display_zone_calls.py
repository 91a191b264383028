"""A zone's lobby display lists only the calls made for its services: a ticket called at
another agency's counter and then transferred into the zone keeps its call out of it."""
from __future__ import annotations

from datetime import timedelta

from queueapp import repository
from queueapp.queries import boards

from ..conftest import actor_of
from ..support import counters, tickets


def counter_id(db, number):
    with db.read() as s:
        office = repository.office_by_slug(s, "demo")
        return next(c.id for c in office.counters if c.number == number)


def snapshot_calls(db, now):
    with db.read() as s:
        return boards.board_snapshot(s, repository.office_by_slug(s, "demo"), now)["calls"]


def test_a_call_keeps_the_service_it_was_made_for_after_its_ticket_is_transferred(any_db, demo, clock):
    supervisor = actor_of(demo, "supervisor")
    ticket = tickets.issue_ticket(demo, "demo", "A", now=clock())
    called = counters.call_specific(demo, supervisor, counter_id(demo, 1), ticket["number"], now=clock.advance(seconds=5))
    tickets.transfer(demo, supervisor, called["id"], "C", now=clock.advance(seconds=30))

    calls = snapshot_calls(demo, clock())
    assert [(c["number"], c["service"], c["counter"]["number"]) for c in calls] == [(ticket["number"], "A", 1)]
    # What a display of the zone with services B and C keeps of it: nothing.
    assert [c for c in calls if c["service"] in ("B", "C")] == []

    # Called again in the zone (counter 3 serves B and C): that call is the zone's.
    again = counters.call_specific(demo, supervisor, counter_id(demo, 3), ticket["number"],
                                   now=clock.advance(seconds=60))
    calls = snapshot_calls(demo, clock())
    assert [(c["number"], c["service"], c["counter"]["number"]) for c in calls] == [
        (again["number"], "C", 3), (ticket["number"], "A", 1)]


def test_a_ticket_moved_twice_shows_each_call_under_the_service_of_its_moment(any_db, demo, clock):
    supervisor = actor_of(demo, "supervisor")
    ticket = tickets.issue_ticket(demo, "demo", "A", now=clock())
    counters.call_specific(demo, supervisor, counter_id(demo, 1), ticket["number"], now=clock.advance(seconds=5))
    tickets.transfer(demo, supervisor, ticket["id"], "B", now=clock.advance(seconds=5))
    counters.call_specific(demo, supervisor, counter_id(demo, 3), ticket["number"], now=clock.advance(seconds=5))
    tickets.transfer(demo, supervisor, ticket["id"], "D", now=clock.advance(seconds=5))
    calls = snapshot_calls(demo, clock() + timedelta(seconds=1))
    assert [(c["service"], c["counter"]["number"]) for c in calls] == [("B", 3), ("A", 1)]


def test_calls_logged_before_calls_named_their_service_are_read_from_the_transfer(any_db, demo, clock):
    from sqlalchemy import select

    from queueapp.models import TicketEvent
    supervisor = actor_of(demo, "supervisor")
    ticket = tickets.issue_ticket(demo, "demo", "A", now=clock())
    counters.call_specific(demo, supervisor, counter_id(demo, 1), ticket["number"], now=clock.advance(seconds=5))
    tickets.transfer(demo, supervisor, ticket["id"], "C", now=clock.advance(seconds=5))
    with demo.write() as uow:         # a call event as older versions logged it: no "service"
        for event in uow.session.execute(select(TicketEvent).where(TicketEvent.type == "ticket.called")).scalars():
            event.data = {"counter_id": event.data["counter_id"]}
    assert [c["service"] for c in snapshot_calls(demo, clock())] == ["A"]
