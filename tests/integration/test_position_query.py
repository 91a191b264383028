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
        # A batch of commits asks for several at once (queries.projector): the same counts.
        callable_rows = [row for row in rows if row.status.value in ("waiting", "transferred")]
        assert len(callable_rows) > 10
        office_id, day = rows[0].office_id, rows[0].business_date
        assert ticket_views.positions_of(s, office_id, day, callable_rows) == {
            row.id: people_ahead(repository.candidate(row), line) for row in callable_rows}


def test_the_whole_line_in_one_statement_matches_the_domain_rule(demo, clock):
    rng = random.Random(11)
    clerk = actor_of(demo, "loket1")
    issued = [tickets.issue_ticket(demo, "demo", rng.choice("ABC"), now=clock.advance(seconds=rng.randint(0, 60)),
                                   priority=rng.choice([None, None, "lansia", "ibu_hamil"])) for _ in range(40)]
    for ticket in rng.sample(issued, 6):
        tickets.hold(demo, clerk, ticket["id"], now=clock())
    for ticket in rng.sample(issued, 4):
        try:
            tickets.transfer(demo, clerk, ticket["id"], "A", now=clock.advance(seconds=5),
                             position=rng.choice(["keep", "end"]))
        except Exception:  # noqa: BLE001 - held or already in A
            pass
    with demo.read() as s:
        rows = s.execute(select(Ticket)).scalars().all()
        line = [repository.candidate(t) for t in rows]
        office_id, day = rows[0].office_id, rows[0].business_date
        positions = {row.id: row.position for row in ticket_views.line_positions(s, office_id, day)}
        callable_ids = {c.ticket_id for c in line if c.status.value in ("waiting", "transferred")}
        assert set(positions) == callable_ids
        for row in rows:
            if row.id in positions:
                assert positions[row.id] == people_ahead(repository.candidate(row), line), row.code
