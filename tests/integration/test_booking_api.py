"""Booking through the JSON API: slots, book, refusals, cancel, reschedule, privacy, 429."""

import pytest
from sqlalchemy import select

from queueapp.models import Appointment, BookingRule, Holiday, Office, Service

TUESDAY_0800 = "2026-11-24T08:00:00+07:00"
PHONE = "0812 3456 7890"
NIK = "3174012345670001"


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def book(client, start=TUESDAY_0800, service="A", phone=PHONE, nik=NIK, name="Siti Aminah"):
    return client.post("/api/v1/offices/demo/appointments",
                       json={"service": service, "start": start, "name": name, "phone": phone, "nik": nik})


def set_rule(db, prefix, **values):
    with db.write() as uow:
        service = uow.session.execute(select(Service).where(Service.prefix == prefix)).scalar_one()
        rule = uow.session.get(BookingRule, service.id)
        for key, value in values.items():
            setattr(rule, key, value)


def test_slots_list_times_in_the_office_zone_with_remaining_seats(client):
    response = client.get("/api/v1/offices/demo/services/A/slots?date=2026-11-24")
    assert response.status_code == 200
    slots = response.get_json()
    assert slots[0] == {"start": "2026-11-24T08:00:00+07:00", "end": "2026-11-24T08:15:00+07:00",
                        "capacity": 4, "remaining": 4}
    starts = [s["start"][11:16] for s in slots]
    assert "11:45" in starts and "12:00" not in starts and "12:45" not in starts and "13:00" in starts
    assert starts[-1] == "14:45"


def test_friday_slots_skip_the_prayer_break(client):
    starts = [s["start"][11:16] for s in
              client.get("/api/v1/offices/demo/services/A/slots?date=2026-11-27").get_json()]
    assert "11:15" in starts and "11:30" not in starts and "12:45" not in starts and "13:00" in starts


def test_a_booking_returns_its_code_links_and_takes_a_seat(client):
    response = book(client)
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["code"]) == 9 and body["code"][4] == "-"
    assert body["start"] == TUESDAY_0800 and body["service"] == "A" and body["manage_token"]
    for key in ("qr_url", "pdf_url", "ics_url"):
        assert body[key].startswith("https://antrian.example.go.id/booking/a/" + body["manage_token"])
    assert body["nik_masked"] == "3174********0001"
    slots = client.get("/api/v1/offices/demo/services/A/slots?date=2026-11-24").get_json()
    assert slots[0]["remaining"] == 3


def test_the_nik_is_stored_only_as_a_keyed_hash_and_a_masked_form(client, demo):
    book(client)
    with demo.read() as s:
        row = s.execute(select(Appointment)).scalar_one()
        assert NIK not in (row.nik_hash, row.nik_masked) and len(row.nik_hash) == 64
        assert row.nik_masked == "3174********0001" and row.phone == "081234567890"


def test_a_full_slot_is_refused_with_slot_full(client, demo):
    set_rule(demo, "A", capacity=1)
    assert book(client).status_code == 201
    response = book(client, phone="081298765432", nik="3174012345670002")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "slot_full"


def test_limits_per_nik_and_per_phone_stop_hoarding(client):
    assert book(client).status_code == 201
    same_nik = book(client, start="2026-11-24T09:00:00+07:00", phone="081298765432")
    assert same_nik.status_code == 409 and same_nik.get_json()["error"]["code"] == "limit_reached"
    assert book(client, start="2026-11-24T09:00:00+07:00", nik="3174012345670002").status_code == 201
    third = book(client, start="2026-11-24T10:00:00+07:00", nik="3174012345670003")
    assert third.get_json()["error"]["code"] == "limit_reached"  # two per phone per day


def test_holidays_breaks_and_days_outside_the_window_are_refused(client, demo):
    with demo.write() as uow:
        office = uow.session.execute(select(Office)).scalar_one()
        from datetime import date
        uow.session.add(Holiday(office_id=office.id, day=date(2026, 11, 25), name="Cuti bersama (test)"))
    holiday = book(client, start="2026-11-25T08:00:00+07:00")
    assert holiday.status_code == 409 and holiday.get_json()["error"]["code"] == "closed"
    assert "Cuti bersama (test)" in holiday.get_json()["error"]["message"]
    assert client.get("/api/v1/offices/demo/services/A/slots?date=2026-11-25").get_json()["error"]["code"] == "closed"
    in_break = book(client, start="2026-11-27T12:00:00+07:00")
    assert in_break.get_json()["error"]["code"] == "closed"
    for start in ("2026-11-23T13:00:00+07:00", "2026-12-08T08:00:00+07:00"):  # today; 15 days ahead
        response = book(client, start=start)
        assert response.status_code == 409 and response.get_json()["error"]["code"] == "outside_window"


@pytest.mark.parametrize("field,value,code", [
    ("nik", "12345", "invalid_nik"), ("nik", None, "invalid_nik"), ("phone", "12345", "invalid_phone"),
    ("name", "", "invalid_name"), ("start", "tomorrow", "invalid_input"),
    ("start", "2026-11-24T08:00:00", "invalid_input")])
def test_bad_fields_are_422_never_500(client, field, value, code):
    body = {"service": "A", "start": TUESDAY_0800, "name": "Siti", "phone": PHONE, "nik": NIK, field: value}
    response = client.post("/api/v1/offices/demo/appointments", json=body)
    assert response.status_code == 422 and response.get_json()["error"]["code"] == code


def test_a_service_without_nik_needs_none_and_an_unbookable_one_refuses(client, demo):
    assert book(client, service="E", nik=None).status_code == 201
    set_rule(demo, "E", bookable=False)
    assert book(client, service="E", nik=None).get_json()["error"]["code"] == "not_bookable"


def test_cancel_frees_the_seat_only_after_the_reoffer_delay(client, demo, clock):
    set_rule(demo, "A", capacity=1)
    token = book(client).get_json()["manage_token"]
    cancelled = client.post(f"/api/v1/appointments/{token}/cancel")
    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    other = dict(phone="081298765432", nik="3174012345670002")
    assert book(client, **other).get_json()["error"]["code"] == "slot_full"
    clock.advance(minutes=31)
    assert book(client, **other).status_code == 201
    assert client.post(f"/api/v1/appointments/{token}/cancel").status_code == 409


def test_reschedule_moves_to_a_new_slot_with_a_new_code(client):
    first = book(client).get_json()
    response = client.post(f"/api/v1/appointments/{first['manage_token']}/reschedule",
                           json={"start": "2026-11-26T10:00:00+07:00"})
    assert response.status_code == 201
    moved = response.get_json()
    assert moved["start"] == "2026-11-26T10:00:00+07:00" and moved["code"] != first["code"]
    assert client.get(f"/api/v1/appointments/{first['manage_token']}").get_json()["status"] == "rescheduled"
    # The moved booking does not count twice against the limits.
    assert client.post(f"/api/v1/appointments/{moved['manage_token']}/reschedule",
                       json={"start": "2026-11-26T11:00:00+07:00"}).status_code == 201


def test_no_public_endpoint_shows_another_persons_booking(client):
    book(client)
    slots = client.get("/api/v1/offices/demo/services/A/slots?date=2026-11-24").get_data(as_text=True)
    board = client.get("/api/v1/offices/demo/board").get_data(as_text=True)
    for text in (slots, board):
        assert "Siti" not in text and "0812" not in text and "3174" not in text
    assert client.get("/api/v1/appointments/not-a-real-token").status_code == 404


def test_booking_endpoints_answer_429_in_the_json_error_shape(client, app):
    app.config["BOOKING_RATE_LIMIT"] = "2 per minute"
    codes = [book(client, phone=f"08129876543{n}", nik=f"317401234567000{n}").status_code for n in range(3)]
    assert codes == [201, 201, 429]
    error = book(client).get_json()["error"]
    assert error["code"] == "rate_limited" and error["message"]


def test_the_openapi_document_lists_the_booking_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/offices/{office}/services/{service}/slots", "/offices/{office}/appointments",
                 "/appointments/{manage_token}/cancel", "/appointments/{manage_token}/reschedule",
                 "/offices/{office}/check-in", "/offices/{office}/services/{service}/join"):
        assert path in paths
