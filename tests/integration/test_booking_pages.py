"""The citizen's booking pages: service -> day -> slot -> details -> confirmation, manage link."""
import re

import pytest
from sqlalchemy import select

from queueapp.models import Appointment

from ..conftest import token_for

START = "2026-11-24T08:00:00+07:00"


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def fill(client, start=START, nik="3174012345670001", phone="081234567890"):
    form = client.get("/booking/demo/A/book", query_string={"start": start}).get_data(as_text=True)
    return client.post("/booking/demo/A/book", data={
        "csrf_token": csrf(form), "start": start, "name": "Dewi Lestari", "phone": phone, "nik": nik})


def test_the_pages_lead_from_service_to_day_to_slot(client):
    services = client.get("/booking/demo?lang=id").get_data(as_text=True)
    assert "Buat janji temu" in services and "/booking/demo/A" in services
    calendar = client.get("/booking/demo/A?date=2026-11-24").get_data(as_text=True)
    assert 'data-date="2026-11-24"' in calendar and "08:00" in calendar and "sisa 4 tempat" in calendar
    assert "/booking/demo/A/book?start=2026-11-24T08:00:00%2B07:00" in calendar


def test_booking_shows_the_code_qr_pdf_and_ics_on_a_secret_page(client, demo):
    response = fill(client)
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    with demo.read() as s:
        row = s.execute(select(Appointment)).scalar_one()
    code = f"{row.code[:4]}-{row.code[4:]}"
    assert code in page and "3174********0001" in page and "Janji temu Anda sudah tercatat" in page
    base = f"/booking/a/{row.manage_token}"
    qr = client.get(base + "/qr.png")
    assert qr.mimetype == "image/png" and qr.data[:4] == b"\x89PNG"
    pdf = client.get(base + "/confirmation.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data[:4] == b"%PDF"
    ics = client.get(base + "/appointment.ics").get_data(as_text=True)
    assert "BEGIN:VEVENT" in ics and "DTSTART:20261124T010000Z" in ics
    assert client.get(base).headers["Cache-Control"] == "no-store"


def test_clear_errors_for_a_bad_nik_and_a_slot_just_filled(client, demo):
    bad = fill(client, nik="123")
    assert bad.status_code == 422 and "NIK harus 16 digit" in bad.get_data(as_text=True)
    from tests.integration.test_booking_api import set_rule
    set_rule(demo, "A", capacity=1)
    assert fill(client).status_code == 303
    full = fill(client, nik="3174012345670002", phone="081298765432")
    assert full.status_code == 409 and "baru saja penuh" in full.get_data(as_text=True)


def test_the_manage_link_cancels_and_reschedules(client, demo):
    manage = fill(client).headers["Location"]
    page = client.get(manage).get_data(as_text=True)
    token = manage.split("/booking/a/")[1].split("?")[0]
    slots = client.get(f"/booking/a/{token}/reschedule?date=2026-11-26").get_data(as_text=True)
    moved = client.post(f"/booking/a/{token}/reschedule",
                        data={"csrf_token": csrf(slots), "start": "2026-11-26T09:00:00+07:00"})
    assert moved.status_code == 303
    new_page = client.get(moved.headers["Location"]).get_data(as_text=True)
    assert "Kamis, 26 November 2026" in new_page and "09:00–" in new_page
    assert client.get(f"/booking/a/{token}").status_code == 302  # the old link leads to the new booking
    new_token = moved.headers["Location"].split("/booking/a/")[1].split("?")[0]
    client.post(f"/booking/a/{new_token}/cancel", data={"csrf_token": csrf(page)})
    assert "Dibatalkan" in client.get(f"/booking/a/{new_token}").get_data(as_text=True)


def test_joining_from_home_leads_to_the_tickets_status_page(client):
    page = client.get("/booking/demo/E/join").get_data(as_text=True)
    response = client.post("/booking/demo/E/join", data={"csrf_token": csrf(page), "phone": "081277778888"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/t/")


def test_staff_manage_holidays_of_their_own_office_only(client, demo):
    headers = {"Authorization": f"Bearer {token_for(demo, 'supervisor')}"}
    added = client.post("/api/v1/offices/demo/holidays", headers=headers,
                        json={"holidays": [{"date": "2026-12-03", "name": "Contoh penutupan"}]})
    assert added.status_code == 201 and added.get_json()["added"] == 1
    slots = client.get("/api/v1/offices/demo/services/A/slots?date=2026-12-03").get_json()
    assert slots["error"]["code"] == "closed"
    clerk = {"Authorization": f"Bearer {token_for(demo, 'loket1')}"}
    assert client.post("/api/v1/offices/demo/holidays", headers=clerk, json={"holidays": []}).status_code == 403
    assert client.post("/api/v1/offices/demo/holidays", json={"holidays": []}).status_code == 401
    assert client.delete("/api/v1/offices/demo/holidays/2026-12-03", headers=headers).status_code == 200
