"""The COUNT query behind a ticket's position agrees with the pure domain rule."""
import random
from datetime import timedelta

from sqlalchemy import select

from queueapp import repository
from queueapp.queries import tickets as ticket_views
from queueapp.domain.dispatch import people_ahead
from queueapp.models import Ticket

from ..conftest import actor_of
from ..support import tickets


def test_people_ahead_in_sql_matches_the_domain_rule_on_a_mixed_line(demo, clock):
    rng = random.Random(7)
    clerk = actor_of(demo, "loket1")
    issued = []
    for _ in range(40):
        clock.advance(seconds=rng.randint(0, 90))
        issued.append(tickets.issue_ticket(demo, "demo", rng.choice("AB"), now=clock(),
                                           priority=rng.choice([None, None, None, "lansia", "anak"])))
    for ticket in rng.sample(issued, 8):
        tickets.hold(demo, clerk, ticket["id"], now=clock())
    for ticket in rng.sample([t for t in issued if t["service"]["code"] == "A"], 3):
        try:
            tickets.transfer(demo, clerk, ticket["id"], "B", now=clock() + timedelta(minutes=1), position="keep")
        except Exception:  # noqa: BLE001 - held tickets may be transferred too; others already moved
            pass
    with demo.read() as s:
        rows = s.execute(select(Ticket)).scalars().all()
        line = [repository.candidate(t) for t in rows]
        for row in rows:
            assert ticket_views.people_ahead(s, row) == people_ahead(repository.candidate(row), line), row.code
