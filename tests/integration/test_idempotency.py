"""An Idempotency-Key replays the ticket of the same request (same body, same caller)
within a window, refuses another request with 422, and is new again after the window."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from queueapp.domain.errors import IdempotencyKeyReused
from queueapp.services import tickets

from ..support import MONDAY_0900_WIB, kiosk_headers

TICKETS = "/api/v1/offices/demo/tickets"


def take(client, headers, key="tap-1", **body):
    return client.post(TICKETS, json={"service": "A", **body}, headers={**headers, "Idempotency-Key": key})


def test_the_same_request_with_the_same_key_gets_the_same_ticket(client, demo):
    kiosk = kiosk_headers(demo)
    first, again = take(client, kiosk), take(client, kiosk)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]


def test_the_same_key_with_another_body_is_422_and_issues_nothing(client, demo):
    kiosk = kiosk_headers(demo)
    first = take(client, kiosk)
    other = take(client, kiosk, service="B")
    assert other.status_code == 422 and other.get_json()["error"]["code"] == "idempotency_key_reused"
    assert other.get_json()["error"]["message"].startswith("Idempotency-Key ini sudah dipakai")
    assert take(client, kiosk, priority="lansia").status_code == 422
    assert take(client, kiosk).get_json()["id"] == first.get_json()["id"]


def test_the_same_key_from_another_caller_is_not_their_ticket(client, demo):
    take(client, kiosk_headers(demo, kiosk="lobi-1"))
    stranger = take(client, kiosk_headers(demo, kiosk="lobi-2"))
    assert stranger.status_code == 422


def test_after_the_window_the_key_issues_a_new_ticket(app, client, demo, clock):
    kiosk = kiosk_headers(demo)
    first = take(client, kiosk).get_json()
    clock.advance(hours=23)
    assert take(client, kiosk).get_json()["id"] == first["id"]
    clock.advance(hours=2)
    later = take(client, kiosk, service="B")
    assert later.status_code == 201 and later.get_json()["id"] != first["id"]
    assert take(client, kiosk, service="B").get_json()["id"] == later.get_json()["id"]


def test_the_window_is_a_setting(app, client, demo, clock):
    app.config["IDEMPOTENCY_HOURS"] = 1
    kiosk = kiosk_headers(demo)
    first = take(client, kiosk).get_json()
    clock.advance(minutes=61)
    assert take(client, kiosk).get_json()["id"] != first["id"]


def test_concurrent_requests_with_one_key_and_two_bodies_issue_one_ticket(any_db, demo):
    """Two taps race with one key but different services: one ticket, one refusal."""
    results, barrier = [], threading.Barrier(2)

    def tap(service):
        barrier.wait()
        try:
            change = tickets.issue_ticket(demo, "demo", service, now=MONDAY_0900_WIB, idempotency_key="race-1",
                                          request_hash=f"hash-{service}")
            results.append(("ticket", change.ticket_id))
        except IdempotencyKeyReused:
            results.append(("refused", None))

    threads = [threading.Thread(target=tap, args=(s,)) for s in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _ in results) == ["refused", "ticket"]


@pytest.mark.parametrize("hours", [0, 24])
def test_the_service_releases_a_key_only_after_its_window(any_db, demo, hours):
    first = tickets.issue_ticket(demo, "demo", "A", now=MONDAY_0900_WIB, idempotency_key="k", request_hash="h")
    later = MONDAY_0900_WIB + timedelta(hours=hours, seconds=1)
    again = tickets.issue_ticket(demo, "demo", "A", now=later, idempotency_key="k", request_hash="h")
    assert (again.ticket_id == first.ticket_id) == (hours == 0)
