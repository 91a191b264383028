"""Each line's waiting count is kept by the database (daily_counters.waiting, triggers of
migration 0017): after any mix of what clerks, kiosks and citizens do, it equals a COUNT of
the line's tickets, on both databases, and the migration counts the tickets already there."""
import importlib
import random
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from queueapp.db import Database
from queueapp.domain import errors
from queueapp.domain.states import CALLABLE
from queueapp.models import Counter, DailyCounter, Service, Ticket
from queueapp.queries import tickets as ticket_views
from queueapp.schema import downgrade, upgrade

from ..conftest import actor_of
from ..support import appointments, checkin, counters, tickets

migration = importlib.import_module("queueapp.migrations.versions.0017_line_waiting_counts")
SECRET = "test-secret"
# Tuesday 24 November 2026, 08:00 in Jakarta (UTC+7).
TUESDAY_0800 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)


def counted(db: Database) -> dict:
    """(service id, day) -> callable tickets, counted from the tickets themselves."""
    with db.read() as s:
        return dict(((service_id, day), n) for service_id, day, n in s.execute(
            select(Ticket.service_id, Ticket.business_date, func.count())
            .where(Ticket.status.in_(CALLABLE)).group_by(Ticket.service_id, Ticket.business_date)))


def kept(db: Database) -> dict:
    with db.read() as s:
        return {(row.service_id, row.business_date): row.waiting
                for row in s.execute(select(DailyCounter)).scalars() if row.waiting}


def test_the_migration_names_the_callable_states_of_the_domain():
    assert set(migration.CALLABLE_STATES) == {state.value for state in CALLABLE}


def test_the_kept_counts_equal_the_lines_after_everything_a_day_brings(any_db, demo, clock):
    rng = random.Random(17)
    clerk = actor_of(demo, "loket1")
    with demo.read() as s:
        counter_ids = list(s.execute(select(Counter.id).order_by(Counter.number)).scalars())
    booked = appointments.book(demo, "demo", "A", TUESDAY_0800, name="Budi Santoso", phone="081234567891",
                               nik="3174012345670001", now=clock(), secret_key=SECRET)["code"]
    done: dict[str, int] = {}
    issued: list[dict] = []
    held: list[int] = []
    called: list[int] = []
    for step in range(160):
        if step == 80:   # the next day: its own lines, and a booked citizen checks in
            clock.current = TUESDAY_0800 - timedelta(minutes=10)
            issued.append(checkin.check_in(demo, "demo", booked, now=clock()))
            done["check-in"] = 1
        clock.advance(seconds=rng.randint(5, 90))
        action = rng.choice(["issue", "issue", "issue", "call", "call", "finish", "no-show", "hold", "resume",
                             "transfer", "recall", "cancel", "leave"])
        try:
            if action == "issue":
                issued.append(tickets.issue_ticket(demo, "demo", rng.choice("ABC"), now=clock(),
                                                   priority=rng.choice([None, None, "lansia"])))
            elif action == "call":
                called.append(counters.call_next(demo, clerk, rng.choice(counter_ids[:3]), now=clock())["id"])
            elif not issued:
                continue
            elif action == "leave":
                tickets.cancel_by_token(demo, rng.choice(issued)["token"], now=clock())
            elif action in ("finish", "no-show", "recall") and called:
                getattr(tickets, action.replace("-", "_"))(demo, clerk, rng.choice(called), now=clock())
            elif action == "resume" and held:
                tickets.resume(demo, clerk, held.pop(), now=clock())
            elif action == "transfer":
                tickets.transfer(demo, clerk, rng.choice(issued)["id"], rng.choice("ABC"), now=clock(),
                                 position=rng.choice(["keep", "end"]))
            else:
                ticket_id = rng.choice(issued)["id"]
                getattr(tickets, action.replace("-", "_"))(demo, clerk, ticket_id, now=clock())
                if action == "hold":
                    held.append(ticket_id)
        except errors.DomainError:
            continue
        done[action] = done.get(action, 0) + 1
        assert kept(demo) == counted(demo), (step, action)
    assert set(done) >= {"issue", "call", "finish", "no-show", "hold", "resume", "transfer", "recall", "cancel",
                         "leave", "check-in"}, done
    assert len({day for _, day in counted(demo)}) == 2
    # The read side's counts are the kept ones.
    with demo.read() as s:
        office_id = s.execute(select(Ticket.office_id)).scalars().first()
        for (service_id, day), n in counted(demo).items():
            assert ticket_views.day_counts(s, office_id, day).waiting[service_id] == n


def test_a_rolled_back_change_leaves_the_count_as_it_was(any_db, demo, clock):
    tickets.issue_ticket(demo, "demo", "A", now=clock())
    before = kept(demo)

    class Undo(Exception):
        pass
    try:
        with demo.write() as uow:
            uow.session.execute(Ticket.__table__.update().values(status="cancelled"))
            raise Undo
    except Undo:
        pass
    assert kept(demo) == before == counted(demo)


def test_the_migration_counts_the_tickets_already_in_line(demo, clock):
    clerk = actor_of(demo, "loket1")
    issued = [tickets.issue_ticket(demo, "demo", prefix, now=clock.advance(seconds=30)) for prefix in "AAAB"]
    tickets.transfer(demo, clerk, issued[0]["id"], "C", now=clock.advance(seconds=30))   # C: no number issued
    tickets.cancel_by_token(demo, issued[1]["token"], now=clock())
    before = counted(demo)
    downgrade(demo.engine, "0016")
    upgrade(demo.engine)
    day = clock().astimezone(timezone(timedelta(hours=7))).date()
    with demo.read() as s:
        ids = {prefix: service_id for prefix, service_id in s.execute(select(Service.prefix, Service.id))}
    assert kept(demo) == counted(demo) == before == {(ids["A"], day): 1, (ids["B"], day): 1, (ids["C"], day): 1}
    # and the triggers are back
    tickets.issue_ticket(demo, "demo", "C", now=clock.advance(seconds=30))
    assert kept(demo) == counted(demo)
