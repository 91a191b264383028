"""Several outbox workers at once (`queueapp worker` processes when scaled out): every
message reaches the provider once, and each citizen's messages in order."""
from __future__ import annotations

import threading
from collections import defaultdict

import pytest
from sqlalchemy import select

from queueapp.models import Office, OutboxMessage, Ticket
from queueapp.notifications import outbox, triggers
from queueapp.notifications.worker import Worker
from ..notify_fakes import FakeProvider


@pytest.fixture
def sms(app):
    fake = FakeProvider()
    app.config.update(SMS_URL=fake.url + "/send")
    yield fake
    fake.stop()


def queue_messages(db, clock, citizens: int, per_citizen: int) -> None:
    from queueapp.services import tickets
    ids = [tickets.issue_ticket(db, "demo", "E", now=clock()).ticket_id for _ in range(citizens)]
    with db.write() as uow:
        s = uow.session
        office = s.execute(select(Office)).scalar_one()
        for n, ticket_id in enumerate(ids):
            ticket = s.get(Ticket, ticket_id)
            triggers.ticket_consented(s, office, ticket, ["sms"], phone=f"08129999{n:04d}", language="id",
                                      now=clock(), secret_key="test-secret")
            for k in range(per_citizen - 1):
                outbox.enqueue(s, office.id, outbox.citizen_of(ticket_id=ticket_id), "called",
                               {"number": ticket.code, "counter": str(k + 1)}, f"called:{k}", now=clock())


def test_two_workers_never_send_a_message_twice_and_keep_each_citizens_order(any_db, demo, app, sms, clock):
    queue_messages(demo, clock, citizens=6, per_citizen=4)
    workers = [Worker(demo, app.config), Worker(demo, app.config)]
    errors = []

    def drain(worker):
        try:
            for _ in range(200):
                worker.run_once(clock())
                with demo.read() as s:
                    if not s.execute(select(OutboxMessage.id).where(OutboxMessage.state != "sent")).first():
                        return
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    keys = [r.headers["Idempotency-Key"] for r in sms.received]
    assert len(keys) == 24 and len(set(keys)) == 24
    by_citizen = defaultdict(list)
    for key in keys:
        citizen, occasion = key.split(":", 1)
        by_citizen[citizen].append(occasion)
    assert all(occasions == ["joined", "called:0", "called:1", "called:2"] for occasions in by_citizen.values())
