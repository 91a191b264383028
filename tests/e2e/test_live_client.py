"""live.js, the client module every screen uses, in a real Chromium against a real server."""
from __future__ import annotations

from datetime import datetime, timezone

import requests
from sqlalchemy import update

from queueapp.db import Database
from queueapp.models import Office
from ..support import tickets

from .conftest import kiosk_headers, prepare_instance

# Run from the test, not as an inline <script> the page's Content-Security-Policy would block.
RECORDER = """async () => {
  const {connect} = await import("/static/shared/live.js");
  window.seen = {snapshots: [], events: [], statuses: []};
  window.live = connect({
    rooms: [{office: "demo"}],
    onSnapshot: function (room, snap) { window.seen.snapshots.push(snap); },
    onEvent: function (room, event) { window.seen.events.push(event); },
    onStatus: function (status) { window.seen.statuses.push(status); }
  });
}"""


def open_recorder(page, server):
    page.goto(server.url + "/")
    page.evaluate(RECORDER)
    page.wait_for_function("window.seen && window.seen.snapshots.length === 1", timeout=15000)


def issue(server, prefix="A"):
    return requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": prefix},
                         headers=kiosk_headers(server), timeout=10).json()


def test_events_arrive_in_order_and_apply_once(page, start_server):
    server = start_server()
    open_recorder(page, server)
    for _ in range(3):
        issue(server)
    page.wait_for_function("window.seen.events.length === 3", timeout=15000)
    first = page.evaluate("window.seen.snapshots[0].seq") + 1
    assert page.evaluate("window.seen.events.map(e => e.seq)") == [first, first + 1, first + 2]


def test_a_seq_gap_makes_the_client_take_a_fresh_snapshot(page, start_server, tmp_path):
    env = prepare_instance(tmp_path / "gap")
    server = start_server(env=env)
    open_recorder(page, server)
    issue(server)
    page.wait_for_function("window.seen.events.length === 1", timeout=15000)
    # An event the client never hears: the office's seq moves on without a broadcast.
    db = Database(env["QUEUEAPP_DATABASE_URL"])
    with db.write() as uow:
        uow.session.execute(update(Office).values(seq=Office.seq + 1))
    db.dispose()
    issue(server, "B")
    page.wait_for_function("window.seen.snapshots.length === 2", timeout=15000)
    snapshot = page.evaluate("window.seen.snapshots[1]")
    assert snapshot["seq"] == page.evaluate("window.seen.snapshots[0].seq") + 3
    assert {s["code"]: s["waiting"] for s in snapshot["state"]["services"]}["B"] == 1
    assert page.evaluate("window.seen.events.length") == 1  # the gapped event was not applied


def test_a_display_left_open_through_a_restart_catches_up_without_missing_a_call(page, start_server, tmp_path):
    env = prepare_instance(tmp_path / "restart")
    server = start_server(env=env)
    open_recorder(page, server)
    first = page.evaluate("window.seen.snapshots[0].seq")
    server.stop()
    page.wait_for_function("window.seen.statuses.includes('offline')", timeout=15000)
    db = Database(env["QUEUEAPP_DATABASE_URL"])
    from queueapp.domain.permissions import Actor

    from ..support import counters
    from sqlalchemy import select
    from queueapp.models import StaffUser, Counter
    with db.read() as s:
        clerk = s.execute(select(StaffUser).where(StaffUser.username == "loket1")).scalar_one()
        counter = s.execute(select(Counter).where(Counter.number == 1)).scalar_one()
        actor = Actor(staff_id=clerk.id, office_id=clerk.office_id, role="clerk")
    now = datetime.now(timezone.utc)
    issued = tickets.issue_ticket(db, "demo", "A", now=now)
    counters.call_next(db, actor, counter.id, now=now)
    db.dispose()
    server.start()
    page.wait_for_function("window.seen.snapshots.length === 2", timeout=20000)
    calls = page.evaluate("window.seen.snapshots[1].state.calls")
    assert calls[0]["number"] == issued["number"] and calls[0]["counter"]["number"] == 1
    assert page.evaluate("window.seen.snapshots[1].seq") == first + 2
