"""A session only where a person has one: a kiosk's ticket, a phone's status and a health
check get no session cookie and no `Vary: Cookie` (nothing in their answer depends on one);
a page that shows who is logged in still varies by cookie, and logging in still sets it."""
from __future__ import annotations

from ..support import kiosk_headers, log_in

TICKETS = "/api/v1/offices/demo/tickets"


def test_a_kiosk_ticket_a_phone_status_and_a_health_check_carry_no_session(client, demo):
    issued = client.post(TICKETS, json={"service": "A"}, headers=kiosk_headers(demo))
    assert issued.status_code == 201
    status = client.get(f"/api/v1/tickets/{issued.get_json()['token']}")
    health = client.get("/api/v1/health")
    for response in (issued, status, health):
        assert "Set-Cookie" not in response.headers, response.request.path
        assert "Cookie" not in response.headers.get("Vary", ""), response.request.path


def test_a_page_that_shows_who_is_logged_in_still_varies_by_cookie(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert "Cookie" in response.headers.get("Vary", "")


def test_logging_in_still_sets_the_session_and_the_session_still_opens_staff_pages(client, demo):
    response = log_in(client, next_url="?next=/counter")
    assert "session=" in response.headers.get("Set-Cookie", "")
    assert client.get("/counter").status_code == 200
