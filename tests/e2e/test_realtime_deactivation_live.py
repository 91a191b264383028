"""A real server, a real Socket.IO client: deactivating a clerk disconnects the clerk's
live socket, in the same process and in another one behind Redis."""
from __future__ import annotations

import threading
import time

import pytest
import requests
import socketio

from .conftest import staff_token


class StaffSocket:
    """A staff screen: connects with a token, answers are collected."""

    def __init__(self, url: str, token: str):
        self.snapshots, self.errors = [], []
        self.gone = threading.Event()
        self.client = socketio.Client(reconnection=False)
        self.client.on("snapshot", self.snapshots.append)
        self.client.on("error", self.errors.append)
        self.client.on("disconnect", lambda *reason: self.gone.set())
        self.client.connect(url, transports=["websocket"], auth={"token": token}, wait_timeout=10)

    def subscribe(self, room: dict, timeout: float = 10) -> dict:
        """The answer: a snapshot, or an error."""
        snapshots, errors = len(self.snapshots), len(self.errors)
        self.client.emit("subscribe", room)
        deadline = time.monotonic() + timeout
        while (len(self.snapshots), len(self.errors)) == (snapshots, errors):
            assert time.monotonic() < deadline, "no answer to subscribe"
            time.sleep(0.05)
        return self.errors[-1] if len(self.errors) > errors else self.snapshots[-1]

    def close(self):
        if self.client.connected:
            self.client.disconnect()


def deactivate(server_url: str, admin_token: str, username: str) -> None:
    admin = {"Authorization": f"Bearer {admin_token}"}
    staff = requests.get(f"{server_url}/api/v1/offices/demo/staff", headers=admin, timeout=10).json()
    staff_id = next(m["id"] for m in staff if m["username"] == username)
    response = requests.patch(f"{server_url}/api/v1/staff/{staff_id}", json={"active": False}, headers=admin,
                              timeout=10)
    assert response.status_code == 200, response.text


def _check_deactivation_disconnects(socket_server, write_server):
    clerk_token = staff_token(socket_server, "loket1")
    screen = StaffSocket(socket_server.url, clerk_token)
    try:
        assert screen.subscribe({"office": "demo", "staff": True})["room"] == "staff:demo"
        deactivate(write_server.url, staff_token(write_server, "admin"), "loket1")
        assert screen.gone.wait(10), "the deactivated clerk's socket is still connected"
    finally:
        screen.close()
    again = StaffSocket(socket_server.url, clerk_token)
    try:
        assert again.subscribe({"office": "demo", "staff": True})["code"] == "unauthorized"
    finally:
        again.close()


def test_deactivating_a_clerk_disconnects_the_clerks_live_socket(start_server):
    server = start_server(worker="threading")
    _check_deactivation_disconnects(server, server)


@pytest.mark.postgres
@pytest.mark.redis
def test_deactivation_through_one_process_disconnects_the_socket_held_by_another(two_processes):
    _check_deactivation_disconnects(*two_processes)
