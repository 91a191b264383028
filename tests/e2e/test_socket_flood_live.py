"""A real server and real python-socketio clients: one anonymous socket sending thousands
of subscriptions is told why and cut off, and the other screens keep getting their events."""
from __future__ import annotations

import threading

import socketio

from .test_realtime_live import Watcher, issue


class Flooder:
    """An anonymous client that sends `count` subscriptions as fast as it can."""

    def __init__(self, url: str):
        self.errors, self.snapshots = [], 0
        self.gone = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("error", lambda data: self.errors.append(data["code"]))
        self.client.on("snapshot", self._snapshot)
        self.client.on("disconnect", lambda *args: self.gone.set())
        self.client.connect(url, transports=["websocket"], wait_timeout=10)

    def _snapshot(self, data):
        self.snapshots += 1

    def flood(self, count: int) -> int:
        sent = 0
        for _ in range(count):
            if self.gone.is_set():
                break
            try:
                self.client.emit("subscribe", {"office": "demo"})
            except socketio.exceptions.BadNamespaceError:
                break
            sent += 1
        return sent


def test_a_flooding_socket_is_cut_off_and_other_screens_stay_live(start_server):
    server = start_server(worker="gevent")
    display = Watcher(server.url, {"office": "demo"})
    flooder = Flooder(server.url)
    try:
        display.wait_for(lambda: display.snapshots)
        flooder.flood(5000)
        assert flooder.gone.wait(30), "the flooding socket was never disconnected"
        assert "rate_limited" in flooder.errors
        assert flooder.snapshots <= 11
        ticket = issue(server, "B")
        display.wait_for(lambda: any(e.get("ticket", {}).get("number") == ticket["number"] for e in display.events))
        again = Watcher(server.url, {"office": "demo"})   # a new screen is served at once
        again.wait_for(lambda: again.snapshots)
        again.close()
    finally:
        display.close()
        if not flooder.gone.is_set():
            flooder.client.disconnect()
