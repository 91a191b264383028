"""Tickets served to the end, for the satisfaction survey's tests."""
from __future__ import annotations

from sqlalchemy import select

from queueapp.models import Counter, Office

from ..conftest import actor_of
from ..support import counters, tickets

# Counter 5 of the demo office serves every service.
EVERY_SERVICE_COUNTER = 5


def counter_id(db, number: int = EVERY_SERVICE_COUNTER) -> int:
    with db.read() as s:
        return s.execute(select(Counter.id).join(Office).where(Office.slug == "demo",
                                                               Counter.number == number)).scalar_one()


def issue(db, clock, prefix: str = "A") -> dict:
    return tickets.issue_ticket(db, "demo", prefix, now=clock())


def serve(db, clock, prefix: str = "A") -> str:
    """Issue a ticket of `prefix`, call it by its number at counter 5, finish it; its token."""
    issued = issue(db, clock, prefix)
    clerk = actor_of(db, f"loket{EVERY_SERVICE_COUNTER}")
    called = counters.call_specific(db, clerk, counter_id(db), issued["number"], now=clock.advance(minutes=1))
    assert called["token"] == issued["token"]
    tickets.finish(db, clerk, called["id"], now=clock.advance(minutes=5))
    return issued["token"]


def answers(*scores: int) -> dict[str, int]:
    return {str(n): score for n, score in enumerate(scores, start=1)}
