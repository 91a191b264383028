"""SQLite group commit (Database._shared_write): writers queued at the same moment share
one transaction, each in its own savepoint; one writer's error loses nobody else's work,
and nobody returns before the commit."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, func, select

from queueapp import db as db_module
from queueapp.domain import errors
from queueapp.models import DailyCounter, Ticket
from queueapp.services import tickets as ticket_ops

from ..support import Clock


def _hold_the_leader_until(monkeypatch, database, queued: int):
    """The leader's yield (time.sleep(0) in _shared_write) returns once `queued` more
    writers ran their work in its transaction: the group they form is then certain, not a
    matter of timing."""
    real_sleep = time.sleep
    held = []

    def sleep(seconds):
        if seconds == 0 and not held:    # the first group only
            held.append(True)
            deadline = time.monotonic() + 10
            group = database._group
            while time.monotonic() < deadline and (group.writers < queued + 1 or database._write_lock._locked):
                real_sleep(0.001)
            assert group.writers == queued + 1, "the writers did not join the group"
            return
        real_sleep(seconds)
    monkeypatch.setattr(db_module.time, "sleep", sleep)


def _in_turn(threads: list[threading.Thread]) -> None:
    """Start the writers 20 ms apart (the first one leads; the others queue on the write
    lock) and wait for them all."""
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    for thread in threads:
        thread.join(timeout=20)


def _commits(database) -> list:
    commits = []
    event.listen(database.engine, "commit", lambda conn: commits.append(conn))
    return commits


def _ticket_count(database) -> int:
    with database.read() as s:
        return s.execute(select(func.count()).select_from(Ticket)).scalar_one()


def test_writers_queued_together_commit_once_and_each_gets_its_own_number(demo, monkeypatch):
    clock = Clock()
    writers = 6
    _hold_the_leader_until(monkeypatch, demo, writers - 1)
    commits = _commits(demo)
    numbers, published = [], []
    demo.add_listener(published.append)

    def take():
        numbers.append(ticket_ops.issue_ticket(demo, "demo", "A", now=clock()).ticket_id)

    threads = [threading.Thread(target=take) for _ in range(writers)]
    _in_turn(threads)
    assert len(numbers) == writers and len(set(numbers)) == writers
    assert len(commits) == 1
    assert _ticket_count(demo) == writers
    seqs = sorted(e.seq for events in published for e in events)
    assert seqs == list(range(seqs[0], seqs[0] + writers))   # gapless: every savepoint's seq kept
    with demo.read() as s:
        codes = sorted(s.execute(select(Ticket.number)).scalars())
    assert codes == list(range(1, writers + 1))


def test_one_writers_error_rolls_back_its_own_work_only(demo, monkeypatch):
    clock = Clock()
    _hold_the_leader_until(monkeypatch, demo, 2)
    commits = _commits(demo)
    outcomes: dict[str, object] = {}

    def good(name):
        outcomes[name] = ticket_ops.issue_ticket(demo, "demo", "A", now=clock()).ticket_id

    def bad():
        try:
            with demo.write() as uow:
                office = uow.lock_office_row_by_slug("demo")
                service = ticket_ops.repository.service_row(uow.session, office, "A")
                ticket_ops.add_ticket(uow, office, service, clock(), channel=ticket_ops.Channel.KIOSK)
                raise errors.InvalidInput("changed my mind")   # after a number and a ticket were written
        except errors.InvalidInput as exc:
            outcomes["bad"] = exc

    threads = [threading.Thread(target=good, args=("first",)), threading.Thread(target=bad),
               threading.Thread(target=good, args=("last",))]
    _in_turn(threads)
    assert isinstance(outcomes["bad"], errors.InvalidInput)
    assert len(commits) == 1
    with demo.read() as s:
        kept = dict(s.execute(select(Ticket.id, Ticket.number)).all())
    assert set(kept) == {outcomes["first"], outcomes["last"]}
    assert sorted(kept.values()) == [1, 2]   # the rolled-back number is given again, no gap
    with demo.read() as s:   # and the line's kept count (a trigger's write) is rolled back with it
        assert s.execute(select(DailyCounter.waiting)).scalars().all() == [2]


def test_a_failed_commit_fails_every_writer_of_the_group(demo, monkeypatch):
    clock = Clock()
    _hold_the_leader_until(monkeypatch, demo, 2)

    def refuse(conn):
        raise RuntimeError("disk full")
    event.listen(demo.engine, "commit", refuse)
    failures = []

    def take():
        try:
            ticket_ops.issue_ticket(demo, "demo", "A", now=clock())
        except RuntimeError as exc:
            failures.append(exc)

    threads = [threading.Thread(target=take) for _ in range(3)]
    _in_turn(threads)
    event.remove(demo.engine, "commit", refuse)
    assert len(failures) == 3
    assert _ticket_count(demo) == 0
    ticket_ops.issue_ticket(demo, "demo", "A", now=clock())   # the next writer begins afresh
    assert _ticket_count(demo) == 1


@pytest.mark.parametrize("writers", [1, 3])
def test_nobody_returns_before_the_commit(demo, monkeypatch, writers):
    clock = Clock()
    _hold_the_leader_until(monkeypatch, demo, writers - 1)
    seen = []

    def take():
        ticket_id = ticket_ops.issue_ticket(demo, "demo", "A", now=clock()).ticket_id
        with demo.read() as s:   # another connection: sees committed rows only
            seen.append(s.get(Ticket, ticket_id) is not None)

    threads = [threading.Thread(target=take) for _ in range(writers)]
    _in_turn(threads)
    assert seen == [True] * writers


def test_a_writer_of_the_group_sees_the_office_closed_by_the_writer_before_it(demo, monkeypatch):
    """The office row read by the group's first writer is used again by the next ones
    (UnitOfWork.lock_office_row_by_slug), except after a writer changed the office."""
    from queueapp.services import offices as office_ops
    clock = Clock()
    _hold_the_leader_until(monkeypatch, demo, 2)
    outcomes: dict[str, object] = {}

    def take(name):
        try:
            outcomes[name] = ticket_ops.issue_ticket(demo, "demo", "A", now=clock()).ticket_id
        except errors.OfficeClosed as exc:
            outcomes[name] = exc

    def close():
        office_ops.update_office(demo, None, "demo", {"closed": True}, now=clock())
        outcomes["closed"] = True

    threads = [threading.Thread(target=take, args=("before",)), threading.Thread(target=close),
               threading.Thread(target=take, args=("after",))]
    _in_turn(threads)
    assert isinstance(outcomes["before"], int) and outcomes["closed"] is True
    assert isinstance(outcomes["after"], errors.OfficeClosed)
    assert _ticket_count(demo) == 1
