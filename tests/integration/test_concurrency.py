"""Numbers, calls and sequence numbers stay race-free under real concurrent load,
on SQLite and on PostgreSQL."""
import threading
import time
from collections import Counter as Tally
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from queueapp.domain import errors
from queueapp.models import Counter, CounterService, CounterState, Office, Service, Ticket, TicketEvent
from ..support import counters, tickets

from ..conftest import actor_of

ISSUERS, TICKETS_EACH, COUNTERS = 16, 12, 8
NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


def add_counters(db, total):
    """The demo has five counters; give it `total`, each serving every service."""
    with db.write() as uow:
        s = uow.session
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        services = s.execute(select(Service).where(Service.office_id == office.id)).scalars().all()
        for number in range(6, total + 1):
            counter = Counter(office_id=office.id, number=number, name=f"Loket {number}",
                              state=CounterState.OPEN, priority_first=True)
            s.add(counter)
            s.flush()
            for service in services:
                s.add(CounterService(counter_id=counter.id, service_id=service.id, order=1))
        return [c.id for c in s.execute(select(Counter).where(Counter.office_id == office.id)
                                       .order_by(Counter.number)).scalars()]


def run_all(workers):
    errors_seen = []

    def wrap(fn):
        def target():
            try:
                fn()
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors_seen.append(repr(exc))
        return target

    threads = [threading.Thread(target=wrap(w)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=240)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    assert not errors_seen, errors_seen[:5]


def test_sixteen_issuers_and_eight_counters_never_duplicate_lose_or_double_call(any_db, demo):
    db = demo
    counter_ids = add_counters(db, COUNTERS)
    clerk = actor_of(db, "loket1")
    issued, called = [], []
    issuing_done = threading.Event()
    lock = threading.Lock()
    prefixes = ["A", "B", "C", "D", "E", "F"]

    def issuer(i):
        def work():
            for n in range(TICKETS_EACH):
                prefix = prefixes[(i + n) % len(prefixes)]
                ticket = tickets.issue_ticket(db, "demo", prefix, now=NOW,
                                              priority="lansia" if n % 5 == 0 else None)
                with lock:
                    issued.append(ticket)
        return work

    def caller(counter_id):
        def work():
            while True:
                try:
                    ticket = counters.call_next(db, clerk, counter_id, now=NOW)
                except errors.QueueEmpty:
                    if issuing_done.is_set():
                        return
                    time.sleep(0.005)
                    continue
                with lock:
                    called.append(ticket)
                tickets.finish(db, clerk, ticket["id"], now=NOW)
        return work

    callers = [threading.Thread(target=caller(cid)) for cid in counter_ids[:COUNTERS]]
    for t in callers:
        t.start()
    run_all([issuer(i) for i in range(ISSUERS)])
    issuing_done.set()
    for t in callers:
        t.join(timeout=240)
    assert not any(t.is_alive() for t in callers)

    total = ISSUERS * TICKETS_EACH
    numbers = [t["number"] for t in issued]
    assert len(numbers) == total and len(set(numbers)) == total, "duplicate numbers"
    called_ids = [t["id"] for t in called]
    assert len(called_ids) == len(set(called_ids)), "a ticket was called twice"
    with db.read() as s:
        rows = s.execute(select(Ticket)).scalars().all()
        assert len(rows) == total, "lost or extra tickets"
        assert Tally(r.status.value for r in rows) == {"done": total}, "a ticket was left behind"
        call_events = Tally(e.ticket_id for e in s.execute(
            select(TicketEvent).where(TicketEvent.type == "ticket.called")).scalars())
        assert set(call_events.values()) == {1}
        seqs = sorted(e.seq for e in s.execute(select(TicketEvent)).scalars())
        assert seqs == list(range(1, len(seqs) + 1)), "office seq must rise by exactly one per event"
    per_service = {}
    for t in issued:
        per_service.setdefault(t["service"]["code"], []).append(int(t["number"].split("-")[1]))
    for prefix, values in per_service.items():
        assert sorted(values) == list(range(1, len(values) + 1)), f"gap in {prefix} numbers"


def test_concurrent_double_taps_with_one_idempotency_key_issue_one_ticket(any_db, demo):
    results = []
    lock = threading.Lock()

    def tap():
        ticket = tickets.issue_ticket(demo, "demo", "A", now=NOW, idempotency_key="kiosk-1-tap-77")
        with lock:
            results.append(ticket["id"])

    run_all([tap] * 12)
    assert len(set(results)) == 1
    with demo.read() as s:
        assert len(s.execute(select(Ticket)).scalars().all()) == 1


@pytest.mark.parametrize("quota", [5])
def test_a_burst_never_issues_past_the_quota(any_db, demo, quota):
    with demo.write() as uow:
        uow.session.execute(select(Service).where(Service.prefix == "C")).scalar_one().daily_quota = quota
    outcomes = []
    lock = threading.Lock()

    def take():
        try:
            tickets.issue_ticket(demo, "demo", "C", now=NOW)
            outcome = "ok"
        except errors.QuotaReached:
            outcome = "quota"
        with lock:
            outcomes.append(outcome)

    run_all([take] * 20)
    assert Tally(outcomes) == {"ok": quota, "quota": 20 - quota}


def test_sqlite_writers_get_the_write_lock_in_the_order_they_asked_for_it():
    from queueapp.db import FairLock
    lock, order, threads = FairLock(), [], []
    lock.acquire()
    for n in range(6):
        def writer(n=n):
            lock.acquire()
            order.append(n)
            lock.release()
        threads.append(threading.Thread(target=writer))
        threads[-1].start()
        while len(lock._waiters) < n + 1:   # this writer now waits behind the ones before it
            time.sleep(0.001)
    lock.release()
    for thread in threads:
        thread.join(5)
    assert order == list(range(6))


def test_a_writer_interrupted_while_waiting_never_leaves_the_write_lock_held():
    import gevent
    from gevent.lock import BoundedSemaphore   # what threading.Lock is under `queueapp serve`

    from queueapp.db import FairLock
    lock = FairLock(BoundedSemaphore)
    lock.acquire()
    waiter = gevent.spawn(lock.acquire)
    gevent.sleep(0)
    assert len(lock._waiters) == 1
    waiter.kill()                        # e.g. the request timed out while queued
    lock.release()
    assert not lock._locked and not lock._waiters
