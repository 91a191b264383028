"""Check-in at the kiosk by booking code, no-shows, joining from home, and the fair
merge of appointments with walk-ins at a real counter."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from queueapp.models import Appointment, BookingRule, Office, Service
from ..support import appointments, checkin, counters, tickets

from ..conftest import actor_of
from ..support import pair_browser

SECRET = "test-secret"
# Tuesday 24 November 2026 in Jakarta (UTC+7).
TUESDAY_0800 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def book(db, clock, start=TUESDAY_0800, service="A", n=1):
    return appointments.book(db, "demo", service, start, name="Budi Santoso", phone=f"08123456789{n}",
                             nik=f"317401234567000{n}", now=clock(), secret_key=SECRET)


def set_rule(db, prefix, **values):
    with db.write() as uow:
        service = uow.session.execute(select(Service).where(Service.prefix == prefix)).scalar_one()
        for key, value in values.items():
            setattr(uow.session.get(BookingRule, service.id), key, value)


def check_in(client, code):
    return client.post("/api/v1/offices/demo/check-in", json={"code": code})


def test_checking_in_on_time_gives_an_appointment_ticket_like_a_kiosk_ticket(client, demo, clock):
    pair_browser(client, demo)
    code = book(demo, clock)["code"]
    clock.current = TUESDAY_0800.replace(hour=0, minute=45)  # 07:45 WIB
    response = check_in(client, code.lower().replace("-", " "))
    assert response.status_code == 201
    ticket = response.get_json()
    kiosk = client.post("/api/v1/offices/demo/tickets", json={"service": "A"}).get_json()
    assert set(ticket) == set(kiosk)
    assert ticket["channel"] == "appointment" and ticket["number"] == "A-001" and ticket["status"] == "waiting"
    assert ticket["status_url"].endswith("/t/" + ticket["token"])
    again = check_in(client, code)
    assert again.status_code == 200 and again.get_json()["id"] == ticket["id"]
    with demo.read() as s:
        row = s.execute(select(Appointment)).scalar_one()
        assert row.status.value == "checked_in" and row.ticket_id == ticket["id"]


def test_too_early_says_when_to_come_back(client, demo, clock):
    code = book(demo, clock)["code"]
    clock.current = TUESDAY_0800.replace(hour=0, minute=0)  # 07:00 WIB
    response = check_in(client, code)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "too_early" and "07:30" in error["message"]


def test_a_late_arrival_becomes_a_walk_in_or_is_refused_by_setting(client, demo, clock):
    first, second = book(demo, clock, n=1)["code"], book(demo, clock, n=2)["code"]
    clock.current = TUESDAY_0800.replace(minute=20)  # 08:20 WIB, 20 minutes late
    walk_in = check_in(client, first)
    assert walk_in.status_code == 201 and walk_in.get_json()["channel"] == "kiosk"
    set_rule(demo, "A", late_becomes_walk_in=False)
    refused = check_in(client, second)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "too_late"


def test_an_unknown_code_is_404_and_a_cancelled_booking_cannot_check_in(client, demo, clock):
    assert check_in(client, "ZZZZ-ZZZZ").status_code == 404
    assert check_in(client, "ZZZZ-ZZZZ").get_json()["error"]["code"] == "appointment_not_found"
    booked = book(demo, clock)
    appointments.cancel(demo, booked["manage_token"], now=clock())
    clock.current = TUESDAY_0800
    assert check_in(client, booked["code"]).get_json()["error"]["code"] == "appointment_not_active"


def test_missed_appointments_become_no_shows_after_their_window(demo, clock):
    book(demo, clock, n=1)
    book(demo, clock, start=TUESDAY_0800.replace(hour=3), n=2)  # 10:00 WIB
    assert checkin.expire_appointments(demo, now=TUESDAY_0800.replace(minute=16)) == 1
    with demo.read() as s:
        statuses = sorted(a.status.value for a in s.execute(select(Appointment)).scalars())
    assert statuses == ["booked", "no_show"]


def test_fair_merge_calls_a_walk_in_after_two_appointments_in_a_row(demo, clock):
    clerk = actor_of(demo, "loket1")
    codes = [book(demo, clock, n=n)["code"] for n in range(1, 4)]
    clock.current = TUESDAY_0800.replace(hour=0, minute=40)  # 07:40 WIB
    walk_in = tickets.issue_ticket(demo, "demo", "A", now=clock())
    for code in codes:
        checkin.check_in(demo, "demo", code, now=clock())
    clock.current = TUESDAY_0800.replace(minute=1)  # 08:01: the appointments' slot has come
    with demo.read() as s:
        counter_id = next(c.id for c in s.execute(select(Office)).scalar_one().counters if c.number == 1)
    channels = []
    for _ in range(4):
        called = counters.call_next(demo, clerk, counter_id, now=clock())
        channels.append(called["channel"])
        tickets.finish(demo, clerk, called["id"], now=clock())
    assert channels == ["appointment", "appointment", "kiosk", "appointment"]
    assert walk_in["channel"] == "kiosk"


def test_joining_from_home_gives_an_online_ticket_within_quota_and_phone_limit(client, demo):
    set_rule(demo, "E", online_daily_quota=2)
    first = client.post("/api/v1/offices/demo/services/E/join", json={"phone": "0812-1111-2222"})
    assert first.status_code == 201
    ticket = first.get_json()
    assert ticket["channel"] == "online" and ticket["status_url"].endswith("/t/" + ticket["token"])
    again = client.post("/api/v1/offices/demo/services/E/join", json={"phone": "081211112222"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "limit_reached"
    assert client.post("/api/v1/offices/demo/services/E/join", json={"phone": "081233334444"}).status_code == 201
    full = client.post("/api/v1/offices/demo/services/E/join", json={"phone": "081255556666"})
    assert full.get_json()["error"]["code"] == "quota_reached"
    closed = client.post("/api/v1/offices/demo/services/C/join", json={"phone": "081255556666"})
    assert closed.get_json()["error"]["code"] == "online_join_closed"
