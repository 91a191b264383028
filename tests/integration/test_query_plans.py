"""The queries run when a ticket is issued, called or shown read through indexes, so a year
of history does not slow them down: each is run on a large table and its plan, as the
database itself gives it (EXPLAIN on SQLite and PostgreSQL), reads no table from end to end."""
from __future__ import annotations

import random
import re
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event, insert, select, text

from queueapp import repository
from queueapp.domain.states import TicketStatus
from queueapp.models import Counter, Office, Service, Ticket, TicketEvent
from queueapp.queries import boards
from queueapp.queries import tickets as ticket_views

from ..conftest import actor_of
from ..support import counters, tickets

HISTORY_DAYS = 240
TICKETS_PER_DAY = 100   # 24,000 tickets and 48,000 events: enough for a planner to prefer an index


def fill_history(db, office_id: int, service_ids: list[int], counter_ids: list[int]) -> None:
    """Served tickets of past days, each with its call and finish events, in bulk."""
    rng = random.Random(14)
    first_day = date(2026, 11, 23) - timedelta(days=HISTORY_DAYS)
    ticket_rows, event_rows, seq = [], [], 1_000_000
    next_id = 1_000_000
    for d in range(HISTORY_DAYS):
        day = first_day + timedelta(days=d)
        opens = datetime(day.year, day.month, day.day, 1, 0, tzinfo=timezone.utc)
        for n in range(TICKETS_PER_DAY):
            service_id = service_ids[n % len(service_ids)]
            issued = opens + timedelta(minutes=n * 3)
            called = issued + timedelta(minutes=rng.randint(1, 40))
            finished = called + timedelta(minutes=rng.randint(3, 15))
            next_id += 1
            ticket_rows.append({
                "id": next_id, "office_id": office_id, "service_id": service_id, "business_date": day,
                "prefix": "H", "number": n + 1, "code": f"H-{n + 1:03d}", "channel": "kiosk",
                "priority": None, "status": TicketStatus.DONE.value, "counter_id": rng.choice(counter_ids),
                "staff_id": None, "issued_at": issued, "queued_at": issued, "called_at": called,
                "started_at": called, "finished_at": finished, "call_count": 1,
                "token": f"history-{next_id}", "idempotency_key": None})
            for type_, at in (("ticket.called", called), ("ticket.finished", finished)):
                seq += 1
                event_rows.append({"office_id": office_id, "ticket_id": next_id, "seq": seq, "type": type_,
                                   "at": at, "counter_id": ticket_rows[-1]["counter_id"], "staff_id": None,
                                   "data": {}})
    with db.engine.begin() as conn:
        conn.execute(insert(Ticket.__table__), ticket_rows)
        conn.execute(insert(TicketEvent.__table__), event_rows)
        if not db.is_sqlite:
            conn.execute(text("ANALYZE tickets"))
            conn.execute(text("ANALYZE ticket_events"))


@contextmanager
def captured(db):
    """Every statement (with its parameters) the block runs on either engine."""
    statements: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    # PostgreSQL's read engine is the write engine with options: its events are the engine's.
    engines = [db.engine, db.read_engine] if db.is_sqlite else [db.engine]
    for engine in engines:
        event.listen(engine, "before_cursor_execute", capture)
    try:
        yield statements
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", capture)


def plans(db, statements) -> list[tuple[str, str]]:
    """(statement, its plan as text) for each statement, from the database itself."""
    result = []
    with db.engine.connect() as conn:
        for statement, parameters in statements:
            prefix = "EXPLAIN QUERY PLAN " if db.is_sqlite else "EXPLAIN "
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
            result.append((statement, "\n".join(str(row[-1]) for row in rows)))
    return result


HISTORY_TABLES = ("tickets", "ticket_events")
# A read of tickets or events is bounded when its index condition names one of these
# (a day, an instant, one row), or a counter with a status (the few tickets at a counter).
# "seq" with the office: one event (the office's last change, queries.eta.last_change).
BOUNDING = {"business_date", "at", "id", "rowid", "token", "idempotency_key", "ticket_id", "seq"}


def _bounded(columns: set[str]) -> bool:
    return bool(columns & BOUNDING) or {"counter_id", "status"} <= columns


def unbounded_reads(db, plan: str) -> list[str]:
    """Lines of a plan that read tickets or ticket_events without a bound: a full scan, or
    an index read on, say, the office alone (all its history)."""
    lines, unbounded = plan.splitlines(), []
    if db.is_sqlite:
        # "SCAN t [USING INDEX i]" reads every row; "SEARCH t USING INDEX i (a=? AND b>?)".
        for line in lines:
            words = line.split()
            if len(words) < 2 or words[1] not in HISTORY_TABLES:
                continue
            condition = line[line.rfind("("):] if "(" in line else ""
            if words[0] == "SCAN" or not _bounded(set(re.findall(r"(\w+)\s*(?:=|<|>)", condition))):
                unbounded.append(line)
        return unbounded
    for i, line in enumerate(lines):
        if any(f"Seq Scan on {table}" in line for table in HISTORY_TABLES):
            unbounded.append(line)
        elif "Scan" in line and any(f" on {table}" in line for table in HISTORY_TABLES):
            following = lines[i + 1] if i + 1 < len(lines) else ""
            condition = following if ("Index Cond" in following or "Recheck Cond" in following) else ""
            if not _bounded(set(re.findall(r"(\w+)\)?(?:::\w+)?\s*(?:=|<|>)", condition))):
                unbounded.append(line)
    return unbounded


@pytest.fixture
def history(any_db, demo):
    with demo.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        service_ids = [s_.id for s_ in office.services]
        counter_ids = [c.id for c in office.counters]
    fill_history(demo, office.id, service_ids, counter_ids)
    return demo


def test_the_eta_history_query_reads_one_service_and_day_through_its_index(history, clock):
    with history.read() as s:
        service = s.execute(select(Service).where(Service.prefix == "A")).scalars().first()
        with captured(history) as statements:
            ticket_views.mean_service_minutes(s, service, date(2026, 11, 20))
    [(statement, plan)] = plans(history, statements)
    assert "ix_tickets_service_times" in plan, plan
    assert unbounded_reads(history, plan) == [], plan


def test_issuing_calling_and_showing_a_ticket_read_no_table_end_to_end(history, clock):
    clerk = actor_of(history, "loket1")
    with history.read() as s:
        counter_id = s.execute(select(Counter.id).where(Counter.number == 1)).scalars().first()
    with captured(history) as statements:
        tickets.issue_ticket(history, "demo", "A", now=clock())
        tickets.issue_ticket(history, "demo", "B", now=clock())
        counters.call_next(history, clerk, counter_id, now=clock())
        with history.read() as s:
            office = repository.office_by_slug(s, "demo")
            boards.staff_snapshot(s, office, clock())
            boards.counter_screen(s, s.get(Counter, counter_id), clock())
    assert len(statements) > 10
    unbounded = [(statement, plan) for statement, plan in plans(history, statements)
                 if unbounded_reads(history, plan)]
    assert unbounded == []


def test_the_places_of_a_commits_tickets_count_those_behind_through_the_queue_index(history, clock):
    issued = [tickets.issue_ticket(history, "demo", "A", now=clock.advance(seconds=5)) for _ in range(3)]
    with history.read() as s:
        rows = [s.get(Ticket, t["id"]) for t in issued]
        with captured(history) as statements:
            places = ticket_views.positions_of(s, rows[0].office_id, rows[0].business_date, rows)
    assert sorted(places.values()) == [0, 1, 2]
    found = plans(history, statements)
    if history.is_sqlite:   # PostgreSQL's planner picks by its statistics: bounded is what counts
        assert any("ix_tickets_queue" in plan for _, plan in found), found
    assert [plan for _, plan in found if unbounded_reads(history, plan)] == []
