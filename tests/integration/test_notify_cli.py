"""`queueapp worker`: a process of its own delivers what the servers queued."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone

from sqlalchemy import select

from queueapp.db import Database
from queueapp.models import Office, Ticket
from queueapp.notifications import triggers
from queueapp.schema import upgrade
from queueapp.services import tickets
from queueapp.services.demo import seed_demo

from ..notify_fakes import FakeProvider
from ..support import ROOT


def test_queueapp_worker_once_delivers_the_queued_messages(tmp_path):
    url = f"sqlite:///{tmp_path / 'queueapp.db'}"
    db = Database(url)
    upgrade(db.engine)
    seed_demo(db, example_holidays=False)
    now = datetime.now(timezone.utc)
    ticket_id = tickets.issue_ticket(db, "demo", "E", now=now).ticket_id
    with db.write() as uow:
        office = uow.session.execute(select(Office)).scalar_one()
        triggers.ticket_consented(uow.session, office, uow.session.get(Ticket, ticket_id), ["sms"],
                                  phone="081234567890", language="en", now=now, secret_key="cli-secret")
    db.dispose()
    fake = FakeProvider()
    try:
        env = {**os.environ, "QUEUEAPP_INSTANCE_PATH": str(tmp_path), "QUEUEAPP_DATABASE_URL": url,
               "QUEUEAPP_SECRET_KEY": "cli-secret", "QUEUEAPP_SMS_URL": fake.url + "/send",
               "QUEUEAPP_PUBLIC_URL": "https://antrian.example.go.id"}
        done = subprocess.run([sys.executable, "-m", "queueapp", "worker", "--once"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "attempted 1 messages" in done.stdout
        [sent] = fake.received
        assert sent.body["text"].startswith("Queue number E-001") and "https://antrian.example.go.id/t/" in sent.body["text"]
    finally:
        fake.stop()
