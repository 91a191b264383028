"""A server killed (kill -9) after a message was committed but before it reached the
provider delivers it once it is back: the outbox is durable, and the idempotency key
makes the delivery count once."""
from __future__ import annotations

import os
import signal
import time

import requests
from sqlalchemy import select

from queueapp.db import Database
from queueapp.models import OutboxMessage

from ..notify_fakes import FakeProvider, closed_port_url
from .conftest import prepare_instance


def wait_until(condition, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def messages(url: str) -> list[OutboxMessage]:
    db = Database(url)
    try:
        with db.read() as s:
            return list(s.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())
    finally:
        db.dispose()


def test_a_message_committed_before_a_kill_9_is_delivered_once_after_the_restart(start_server, tmp_path):
    env = prepare_instance(tmp_path / "instance")
    env["QUEUEAPP_SMS_URL"] = closed_port_url()         # the provider is unreachable
    first = start_server(env=dict(env))
    joined = requests.post(first.url + "/api/v1/offices/demo/services/E/join",
                           json={"phone": "0812 3456 7890", "notify": ["sms"]}, timeout=10)
    assert joined.status_code == 201
    url = env["QUEUEAPP_DATABASE_URL"]
    # The worker tried and failed: the message waits in the outbox, committed, not sent.
    wait_until(lambda: any(m.attempts >= 1 for m in messages(url)))
    os.kill(first.proc.pid, signal.SIGKILL)
    first.proc.wait()
    assert all(m.state != "sent" for m in messages(url))

    fake = FakeProvider()
    try:
        env["QUEUEAPP_SMS_URL"] = fake.url + "/send"
        start_server(env=dict(env))
        wait_until(lambda: fake.received)
        wait_until(lambda: all(m.state == "sent" for m in messages(url)))
        time.sleep(3)                                    # room for a double send to show up
        keys = [r.headers["Idempotency-Key"] for r in fake.received]
        assert len(keys) == len(set(keys)) == 1
        assert fake.received[0].body["text"].startswith("Nomor antrian E-")
        assert fake.received[0].body["to"] == "+6281234567890"
    finally:
        fake.stop()
