"""Reaching the citizen without a provider: the clerk at the counter gets the phone the
citizen left (a booking's, or one recorded with consent) and a prefilled wa.me link, and
no one else does: not another office's staff, not a public page or screen."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from queueapp.models import Counter, CounterState, Office
from queueapp.services import counters as counter_ops
from queueapp.services import staff
from ..conftest import token_for
from ..support import appointments, log_in, pair_browser, set_walk_in_hours

TUESDAY_0800 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
PHONE = "0812 3456 7891"


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def counter_of(demo, number: int) -> int:
    with demo.read() as s:
        return s.execute(select(Counter.id).join(Office).where(Office.slug == "demo", Counter.number == number)
                         ).scalar_one()


def other_office(demo) -> str:
    """A second office with one counter and its clerk `lain1` (returned)."""
    with demo.write() as uow:
        office = Office(slug="lain", name="Kecamatan Lain", timezone="Asia/Makassar")
        uow.session.add(office)
        uow.session.flush()
        set_walk_in_hours(uow.session, office.id, "1234567", "00:00", "24:00")
        uow.session.add(Counter(office_id=office.id, number=1, name="Loket Lain 1", state=CounterState.OPEN))
    staff.create_user(demo, "lain1", "demo12345", office_slug="lain", role="clerk")
    return "lain1"


def contact(client, counter: int, headers) -> dict:
    response = client.get(f"/api/v1/counters/{counter}/contact", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def test_the_clerk_gets_a_booked_citizens_phone_and_a_prefilled_whatsapp_link(client, demo, app, clerk, clerk_headers,
                                                                              clock):
    pair_browser(client, demo)
    code = appointments.book(demo, "demo", "A", TUESDAY_0800, name="Budi Santoso", phone=PHONE, nik="3174012345670001",
                             now=clock(), secret_key=app.config["SECRET_KEY"])["code"]
    clock.current = TUESDAY_0800.replace(hour=0, minute=50)  # 07:50 WIB, inside the check-in window
    response = client.post("/api/v1/offices/demo/check-in", json={"code": code})
    assert response.status_code == 201
    ticket = response.get_json()
    assert ticket["channel"] == "appointment"
    loket1 = counter_of(demo, 1)
    assert contact(client, loket1, clerk_headers) == {"ticket": None, "phone": None, "whatsapp_url": None}
    counter_ops.call_next(demo, clerk, loket1, now=clock())
    found = contact(client, loket1, clerk_headers)
    assert found["ticket"]["number"] == ticket["number"] and found["phone"] == "+6281234567891"
    url = found["whatsapp_url"]
    assert url.startswith("https://wa.me/6281234567891?text=")
    assert unquote(url.split("?text=")[1]) == f"Nomor {ticket['number']} dipanggil ke loket 1."
    # Nowhere public: the status page, the board, the counters list.
    for path in (f"/t/{ticket['token']}", "/api/v1/offices/demo/board", "/api/v1/offices/demo/counters",
                 f"/api/v1/tickets/{ticket['token']}"):
        assert "81234567891" not in client.get(path).get_data(as_text=True)


def test_a_walk_in_without_a_phone_gets_none_until_the_clerk_records_consent(client, demo, clerk, clerk_headers,
                                                                             clock):
    pair_browser(client, demo)
    ticket = client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).get_json()
    loket1 = counter_of(demo, 1)
    counter_ops.call_next(demo, clerk, loket1, now=clock())
    found = contact(client, loket1, clerk_headers)
    assert found["ticket"]["id"] == ticket["id"] and found["phone"] is None and found["whatsapp_url"] is None
    response = client.post(f"/api/v1/tickets/{ticket['id']}/notify", json={"channel": "sms", "phone": PHONE},
                           headers=clerk_headers)
    assert response.status_code == 201
    assert contact(client, loket1, clerk_headers)["whatsapp_url"].startswith("https://wa.me/6281234567891?text=")


def test_without_log_in_or_from_another_office_there_is_no_phone(client, demo, app, clerk, clock):
    pair_browser(client, demo)
    client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    response = client.post("/api/v1/offices/demo/tickets", json={"service": "A"})
    loket1 = counter_of(demo, 1)
    counter_ops.call_next(demo, clerk, loket1, now=clock())
    client.post(f"/api/v1/tickets/{response.get_json()['id'] - 1}/notify", json={"channel": "sms", "phone": PHONE},
                headers={"Authorization": f"Bearer {token_for(demo, 'loket1')}"})
    assert client.get(f"/api/v1/counters/{loket1}/contact").status_code == 401
    other = other_office(demo)
    response = client.get(f"/api/v1/counters/{loket1}/contact",
                          headers={"Authorization": f"Bearer {token_for(demo, other)}"})
    assert response.status_code == 403 and "81234567891" not in response.get_data(as_text=True)


def test_the_counter_screen_offers_the_whatsapp_link_and_the_consent_form(client, demo):
    log_in(client)
    loket1 = counter_of(demo, 1)
    html = client.get(f"/counter/{loket1}").get_data(as_text=True)
    assert 'id="reach"' in html and 'src="/static/counter/notify.js"' in html
    assert 'id="reach-consent"' in html
    script = client.get("/static/counter/notify.js").get_data(as_text=True)
    assert "/contact" in script and "/notify" in script
