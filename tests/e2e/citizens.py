"""What the browser tests do as a kiosk and as clerks through the HTTP API (no browser)."""
from __future__ import annotations

import requests

from .conftest import kiosk_headers, staff_token


def issue(server, prefix: str = "A") -> dict:
    """A ticket from the kiosk the tests issue through: its view, with the token."""
    response = requests.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": prefix},
                             headers=kiosk_headers(server), timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def counter_id(server, number: int) -> int:
    counters = requests.get(f"{server.url}/api/v1/offices/demo/counters", timeout=10).json()
    return next(c["id"] for c in counters if c["number"] == number)


class Clerk:
    """A clerk at a counter, acting by the API with a bearer token."""

    def __init__(self, server, username: str = "loket1", counter: int = 1):
        self.server = server
        self.headers = {"Authorization": f"Bearer {staff_token(server, username)}"}
        self.counter = counter_id(server, counter)

    def post(self, path: str, body: dict | None = None) -> dict:
        response = requests.post(f"{self.server.url}/api/v1{path}", json=body, headers=self.headers, timeout=10)
        assert response.status_code < 300, response.text
        return response.json()

    def call_next(self) -> dict:
        return self.post(f"/counters/{self.counter}/call-next")

    def call(self, ticket: dict) -> dict:
        """Call this very ticket out of turn (tests sharing a server leave others waiting)."""
        return self.post(f"/counters/{self.counter}/call", {"number": ticket["number"]})

    def act(self, ticket: dict, action: str) -> dict:
        return self.post(f"/tickets/{ticket['id']}/{action}")


def leave(server, ticket: dict) -> None:
    response = requests.post(f"{server.url}/api/v1/tickets/{ticket['token']}/leave", timeout=10)
    assert response.status_code < 300, response.text
