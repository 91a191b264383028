"""Real servers, real Socket.IO clients: every server mode, restarts, and two processes."""
from __future__ import annotations

import threading
import time

import pytest
import requests
import socketio

from queueapp.db import Database
from ..support import tickets

from ..support import Clock
from .conftest import kiosk_headers, prepare_instance, staff_token


class Watcher:
    """A python-socketio client that (re)subscribes on every connect, like live.js does."""

    def __init__(self, url: str, room: dict, auth: dict | None = None):
        self.snapshots, self.events = [], []
        self.changed = threading.Condition()
        self.client = socketio.Client(reconnection=True, reconnection_delay=0.2,
                                      reconnection_delay_max=1, randomization_factor=0.1)
        self.client.on("connect", lambda: self.client.emit("subscribe", room))
        self.client.on("snapshot", lambda data: self._add(self.snapshots, data))
        self.client.on("event", lambda data: self._add(self.events, data))
        self.client.connect(url, transports=["websocket"], auth=auth, wait_timeout=10)

    def _add(self, bucket, data):
        with self.changed:
            bucket.append(data)
            self.changed.notify_all()

    def wait_for(self, predicate, timeout=15):
        deadline = time.monotonic() + timeout
        with self.changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out; snapshots={self.snapshots[-1:]}, events={self.events[-3:]}")
                self.changed.wait(remaining)

    def close(self):
        self.client.disconnect()


def issue(server, prefix="A"):
    response = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": prefix},
                             headers=kiosk_headers(server), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.mark.parametrize("worker", ["gevent", "eventlet", "threading"])
def test_each_server_mode_passes_an_event_to_a_socketio_client(start_server, worker):
    server = start_server(worker=worker)
    watcher = Watcher(server.url, {"office": "demo"})
    try:
        watcher.wait_for(lambda: watcher.snapshots)
        ticket = issue(server)
        watcher.wait_for(lambda: watcher.events)
        event = watcher.events[0]
        assert event["type"] == "ticket.issued" and event["ticket"]["number"] == ticket["number"]
        assert event["seq"] == watcher.snapshots[0]["seq"] + 1
    finally:
        watcher.close()


def test_a_client_rejoins_after_a_server_restart_and_sees_what_it_missed(start_server, tmp_path):
    env = prepare_instance(tmp_path / "restart")
    server = start_server(env=env)
    watcher = Watcher(server.url, {"office": "demo"})
    try:
        watcher.wait_for(lambda: watcher.snapshots)
        issue(server)
        watcher.wait_for(lambda: watcher.events)
        server.stop()
        # While the server is down, the office goes on (another process writes the database):
        # the client cannot hear these events and must catch up from a fresh snapshot.
        db = Database(env["QUEUEAPP_DATABASE_URL"])
        clock = Clock()
        from datetime import datetime, timezone
        clock.current = datetime.now(timezone.utc)
        missed = [tickets.issue_ticket(db, "demo", "B", now=clock()) for _ in range(2)]
        db.dispose()
        snapshots_before = len(watcher.snapshots)
        server.start()
        watcher.wait_for(lambda: len(watcher.snapshots) > snapshots_before, timeout=20)
        latest = watcher.snapshots[-1]
        first = watcher.snapshots[0]["seq"]
        assert latest["seq"] == first + 3
        waiting_b = {s["code"]: s["waiting"] for s in latest["state"]["services"]}["B"]
        assert waiting_b == 2 and missed[-1]["number"] == "B-002"
        issue(server)
        watcher.wait_for(lambda: watcher.events[-1]["seq"] == first + 4)
    finally:
        watcher.close()


@pytest.mark.postgres
@pytest.mark.redis
def test_an_event_caused_in_one_process_reaches_a_client_of_another(two_processes):
    first, second = two_processes
    token = staff_token(first, "loket1")
    watcher = Watcher(first.url, {"office": "demo"})
    staff_watcher = Watcher(first.url, {"office": "demo", "staff": True}, auth={"token": token})
    try:
        watcher.wait_for(lambda: watcher.snapshots)
        staff_watcher.wait_for(lambda: staff_watcher.snapshots)
        start_seq = watcher.snapshots[0]["seq"]
        ticket = issue(second)
        counters = requests.get(f"{second.url}/api/v1/offices/demo/counters", timeout=10).json()
        called = requests.post(f"{second.url}/api/v1/counters/{counters[0]['id']}/call-next",
                               headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert called.status_code == 200
        watcher.wait_for(lambda: len(watcher.events) >= 2)
        assert [e["seq"] for e in watcher.events[:2]] == [start_seq + 1, start_seq + 2]
        assert watcher.events[0]["ticket"]["number"] == ticket["number"]
        assert watcher.events[1]["type"] == "ticket.called" and watcher.events[1]["call_id"]
        staff_watcher.wait_for(lambda: len(staff_watcher.events) >= 2)
        assert staff_watcher.events[0]["ticket"]["token"] == ticket["token"]
    finally:
        watcher.close()
        staff_watcher.close()


@pytest.mark.parametrize("worker", ["gevent", "eventlet", "threading"])
def test_a_rush_of_tickets_reaches_the_board_gapless_with_the_final_counts(start_server, worker):
    """Many numbers taken at the same moment are projected in batches (commit_batches):
    the board room still gets every event once, in seq order, the last board row counts
    every waiting number, and each kiosk's answer is its own ticket."""
    server = start_server(worker=worker)
    watcher = Watcher(server.url, {"office": "demo"})
    rush = 40
    try:
        watcher.wait_for(lambda: watcher.snapshots)
        start = watcher.snapshots[0]["seq"]
        waiting_before = {row["code"]: row["waiting"] for row in watcher.snapshots[0]["state"]["services"]}
        answers = [None] * rush

        def take(n):
            answers[n] = issue(server, "A")

        threads = [threading.Thread(target=take, args=(n,)) for n in range(rush)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        watcher.wait_for(lambda: sum(e["type"] == "ticket.issued" for e in watcher.events) == rush)
        seqs = [e["seq"] for e in watcher.events]
        assert seqs == list(range(start + 1, start + rush + 1))
        assert {e["ticket"]["number"] for e in watcher.events} == {a["number"] for a in answers}
        assert len({a["id"] for a in answers}) == rush
        board = [e for e in watcher.events if "services" in e][-1]
        assert board["seq"] == start + rush
        rows = {row["code"]: row["waiting"] for row in board["services"]}
        assert rows["A"] == waiting_before["A"] + rush
        for answer in answers:
            assert answer["status"] == "waiting" and answer["position"] is not None
    finally:
        watcher.close()
