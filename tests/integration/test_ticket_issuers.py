"""Who may take a number through POST /api/v1/offices/<office>/tickets: a paired kiosk
(device token or its browser's cookie) or staff; everyone else gets 401. The channel
follows the caller, and each caller and address has its own rate limit."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from queueapp.models import Office, Ticket
from queueapp.services.kiosks import new_device_token

from ..conftest import token_for
from ..support import csrf_of, kiosk_headers, log_in, pair_browser

TICKETS = "/api/v1/offices/demo/tickets"


def tickets_in(db) -> int:
    with db.read() as s:
        return s.execute(select(func.count(Ticket.id))).scalar_one()


def kiosk_config(html: str) -> dict:
    import json
    return json.loads(re.search(r'<script type="application/json" id="k-config">(.*?)</script>', html, re.S).group(1))


def test_an_anonymous_caller_gets_401_in_the_one_error_shape_and_no_ticket(client, demo):
    response = client.post(TICKETS, json={"service": "A", "priority": "lansia", "channel": "online"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized" and response.get_json()["error"]["message"]
    assert tickets_in(demo) == 0


def test_an_unknown_or_made_up_device_token_is_401(client, demo):
    for token in ("qk_" + "x" * 43, "not-a-token", "qk_"):
        response = client.post(TICKETS, json={"service": "A"}, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
    assert tickets_in(demo) == 0


def test_a_kiosk_takes_a_priority_number_on_the_kiosk_channel_whatever_the_body_says(client, demo):
    response = client.post(TICKETS, json={"service": "A", "priority": "lansia", "channel": "online"},
                           headers=kiosk_headers(demo))
    assert response.status_code == 201
    with demo.read() as s:
        ticket = s.execute(select(Ticket)).scalar_one()
        assert ticket.channel.value == "kiosk" and ticket.priority.value == "lansia"



def test_a_staff_token_never_looks_like_a_device_token(client, demo, monkeypatch):
    # One random token in 262,144 would begin with the device prefix; the first one drawn here does.
    import secrets as real
    from queueapp.services import staff
    drawn = iter(["qk_" + "a" * 40])
    monkeypatch.setattr(staff.secrets, "token_urlsafe", lambda n: next(drawn, None) or real.token_bytes(n).hex())
    token = token_for(demo, "loket1")
    assert not token.startswith("qk_")
    response = client.post(TICKETS, json={"service": "A"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201

def test_staff_with_a_token_issue_on_the_staff_channel(client, demo):
    response = client.post(TICKETS, json={"service": "A", "priority": "disabilitas", "channel": "kiosk"},
                           headers={"Authorization": f"Bearer {token_for(demo, 'loket1')}"})
    assert response.status_code == 201 and response.get_json()["priority"] == "disabilitas"
    with demo.read() as s:
        assert s.execute(select(Ticket.channel)).scalar_one().value == "staff"


def test_a_staff_session_needs_its_csrf_token(client, demo):
    log_in(client, "loket1")
    assert client.post(TICKETS, json={"service": "A"}).status_code == 400
    counter = client.get("/api/v1/offices/demo/counters").get_json()[0]["id"]
    page = client.get(f"/counter/{counter}").data
    token = re.search(rb'name="csrf-token" content="([^"]+)"', page).group(1).decode()
    assert client.post(TICKETS, json={"service": "A"}, headers={"X-CSRFToken": token}).status_code == 201


def test_a_kiosk_of_another_office_may_not_issue_here(client, demo):
    with demo.write() as uow:
        uow.session.add(Office(slug="lain", name="Kecamatan Lain", timezone="Asia/Makassar"))
    response = client.post(TICKETS, json={"service": "A"}, headers=kiosk_headers(demo, "lain", "lobi"))
    assert response.status_code == 403 and tickets_in(demo) == 0


def test_a_new_token_or_a_revocation_ends_the_old_token(client, demo):
    from queueapp.services import devices
    old = kiosk_headers(demo)
    new = kiosk_headers(demo)
    assert client.post(TICKETS, json={"service": "A"}, headers=old).status_code == 401
    assert client.post(TICKETS, json={"service": "A"}, headers=new).status_code == 201
    with demo.read() as s:
        from queueapp.models import Kiosk
        kiosk_id = s.execute(select(Kiosk.id).where(Kiosk.name == "lobi")).scalar_one()
    from datetime import datetime, timezone
    devices.revoke_kiosk(demo, None, kiosk_id, now=datetime.now(timezone.utc))
    assert client.post(TICKETS, json={"service": "A"}, headers=new).status_code == 401


# --- pairing a kiosk's browser ---

def test_a_pairing_link_sets_a_strict_httponly_cookie_and_leads_to_the_plain_url(client, demo):
    response = pair_browser(client, demo)
    assert response.status_code == 302
    assert response.headers["Location"] == "/kiosk/demo?kiosk=lobi"
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("queueapp_kiosk=qk_") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert "Secure" not in cookie    # a kiosk on the office LAN may open plain http://
    config = kiosk_config(client.get("/kiosk/demo?kiosk=lobi&lang=id").get_data(as_text=True))
    assert config["paired"] is True
    assert client.post(TICKETS, json={"service": "B"}).status_code == 201


def test_over_https_the_kiosk_cookie_is_secure(app, demo):
    browser = app.test_client()
    token = new_device_token(demo, "demo", "lobi")
    response = browser.get(f"/kiosk/demo?kiosk=lobi&pair={token}", base_url="https://antrian.example.go.id")
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_wrong_pairing_link_pairs_nothing_and_the_page_says_so(client, demo):
    new_device_token(demo, "demo", "lobi")
    response = client.get("/kiosk/demo?kiosk=lobi&pair=qk_wrong")
    assert response.status_code == 302 and "Set-Cookie" not in response.headers
    config = kiosk_config(client.get("/kiosk/demo?kiosk=lobi&lang=id").get_data(as_text=True))
    assert config["paired"] is False and config["texts"]["unpaired"].startswith("Kios ini belum dipasangkan")
    assert client.post(TICKETS, json={"service": "A"}).status_code == 401


def test_a_token_of_one_kiosk_does_not_pair_another(client, demo):
    token = new_device_token(demo, "demo", "lobi")
    new_device_token(demo, "demo", "lobi-2")
    response = client.get(f"/kiosk/demo?kiosk=lobi-2&pair={token}")
    assert "Set-Cookie" not in response.headers


def test_a_paired_browser_opening_the_unnamed_kiosk_is_its_own_kiosk(client, demo):
    pair_browser(client, demo)
    response = client.get("/kiosk/demo?lang=id")
    assert response.status_code == 302 and "kiosk=lobi" in response.headers["Location"]


# --- rate limits ---

def test_each_kiosk_has_its_own_limit(app, client, demo):
    app.config.update(TICKET_RATE_LIMIT="", TICKET_DEVICE_RATE_LIMIT="2 per minute")
    first, second = kiosk_headers(demo, kiosk="lobi-1"), kiosk_headers(demo, kiosk="lobi-2")
    assert [client.post(TICKETS, json={"service": "A"}, headers=first).status_code for _ in range(3)] == [201, 201, 429]
    refused = client.post(TICKETS, json={"service": "A"}, headers=first)
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert client.post(TICKETS, json={"service": "A"}, headers=second).status_code == 201


def test_an_address_is_limited_whoever_asks_anonymous_guesses_included(app, client, demo):
    app.config.update(TICKET_RATE_LIMIT="3 per minute", TICKET_DEVICE_RATE_LIMIT="")
    guesses = [client.post(TICKETS, json={"service": "A"}, headers={"Authorization": f"Bearer qk_guess{n}"})
               .status_code for n in range(3)]
    assert guesses == [401, 401, 401]
    assert client.post(TICKETS, json={"service": "A"}, headers=kiosk_headers(demo)).status_code == 429
    other = client.post(TICKETS, json={"service": "A"}, headers=kiosk_headers(demo),
                        environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 201


def test_an_empty_setting_turns_the_ticket_limits_off(app, client, demo):
    app.config.update(TICKET_RATE_LIMIT="", TICKET_DEVICE_RATE_LIMIT="")
    headers = kiosk_headers(demo)
    assert {client.post(TICKETS, json={"service": "E"}, headers=headers).status_code for _ in range(15)} == {201}


def test_a_ticket_limit_turned_on_counts_from_the_next_request(app, client, demo):
    app.config.update(TICKET_RATE_LIMIT="", TICKET_DEVICE_RATE_LIMIT="")
    headers = kiosk_headers(demo)
    assert {client.post(TICKETS, json={"service": "A"}, headers=headers).status_code for _ in range(3)} == {201}
    app.config.update(TICKET_DEVICE_RATE_LIMIT="2 per minute")
    assert [client.post(TICKETS, json={"service": "A"}, headers=headers).status_code for _ in range(3)] == [201, 201, 429]


# --- the admin area pairs and revokes ---

def test_an_admin_pairs_a_kiosk_shown_once_and_revokes_it(client, demo):
    from queueapp.services.kiosks import configure_kiosk
    configure_kiosk(demo, "demo", "lobi")
    log_in(client, "admin")
    page = client.get("/admin/demo/devices")
    html = page.get_data(as_text=True)
    assert "Belum dipasangkan" in html
    kiosk_id = re.search(r'/admin/demo/devices/kiosk/(\d+)/pair', html).group(1)
    paired = client.post(f"/admin/demo/devices/kiosk/{kiosk_id}/pair", data={"csrf_token": csrf_of(page.data)})
    assert paired.status_code == 200 and paired.headers["Cache-Control"] == "no-store"
    link = re.search(r'value="(https://antrian\.example\.go\.id/kiosk/demo\?kiosk=lobi&amp;pair=(qk_[^"]+))"',
                     paired.get_data(as_text=True))
    token = link.group(2)
    assert "Sudah dipasangkan" in paired.get_data(as_text=True)
    assert token not in client.get("/admin/demo/devices").get_data(as_text=True)   # shown once
    kiosk = {"Authorization": f"Bearer {token}"}
    assert client.post(TICKETS, json={"service": "A"}, headers=kiosk).status_code == 201
    revoked = client.post(f"/admin/demo/devices/kiosk/{kiosk_id}/unpair",
                          data={"csrf_token": csrf_of(client.get("/admin/demo/devices").data)})
    assert revoked.status_code == 302
    assert client.post(TICKETS, json={"service": "A"}, headers=kiosk).status_code == 401


@pytest.mark.parametrize("who", ["loket1"])
def test_a_clerk_cannot_pair_a_kiosk(client, demo, who):
    from queueapp.services.kiosks import configure_kiosk
    configure_kiosk(demo, "demo", "lobi")
    log_in(client, who)
    assert client.get("/admin/demo/devices").status_code == 403


def test_thirty_taps_in_a_second_from_one_kiosk_issue_what_the_default_limit_allows(client, demo):
    """The reproduction of the issue: 30 requests at once used to issue 30 tickets."""
    headers = kiosk_headers(demo)
    answers = [client.post(TICKETS, json={"service": "A"}, headers=headers).status_code for _ in range(30)]
    assert answers.count(201) == 12 and answers.count(429) == 18
    assert tickets_in(demo) == 12
