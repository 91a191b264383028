"""What a citizen reads on the booking pages and in the files they take home: weekday names,
the zone's name (WIB), natural words for places left, and a calendar file that reminds them."""
import re

import icalendar
import pytest
from sqlalchemy import select

from queueapp.models import Appointment

from .test_booking_pages import fill


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def manage_path(client, demo) -> str:
    assert fill(client).status_code == 303
    with demo.read() as s:
        return f"/booking/a/{s.execute(select(Appointment)).scalar_one().manage_token}"


def test_the_day_grid_names_the_weekday_and_slots_carry_the_zone(client):
    page = client.get("/booking/demo/A?date=2026-11-24&lang=id").get_data(as_text=True)
    assert "Sel, 24/11" in page and "Rab, 25/11" in page
    assert "Selasa, 24 November 2026" in page
    assert re.search(r"08:00–08:\d\d WIB", page)
    assert "sisa 4 tempat" in page and "kursi" not in page and "dari 4 tersisa" not in page


def test_the_day_grid_speaks_english_too(client):
    page = client.get("/booking/demo/A?date=2026-11-24&lang=en").get_data(as_text=True)
    assert "Tue, 24/11" in page and "Places left: 4" in page and "WIB" in page


def test_a_full_slot_says_full(client, demo):
    from tests.integration.test_booking_api import set_rule
    set_rule(demo, "A", capacity=1)
    fill(client)
    page = client.get("/booking/demo/A?date=2026-11-24&lang=id").get_data(as_text=True)
    first = page[page.index("booking-slots"):]
    first = first[:first.index("</li>")]
    assert "Penuh" in first and "sisa" not in first


def test_the_manage_page_shows_the_day_and_the_zone(client, demo):
    page = client.get(manage_path(client, demo) + "?lang=id").get_data(as_text=True)
    assert "Selasa, 24 November 2026" in page and re.search(r"08:00–08:\d\d WIB", page)


def test_the_confirmation_pdf_names_the_weekday_and_wib(client, demo):
    pdf = client.get(manage_path(client, demo) + "/confirmation.pdf?lang=id").data
    assert b"Waktu: Selasa, 24 November 2026 08:00 WIB" in pdf
    assert b"UTC" not in pdf and b"+0700" not in pdf


def test_the_calendar_file_is_stamped_now_reminds_and_links_the_manage_page(client, demo, clock):
    path = manage_path(client, demo)
    ics = client.get(path + "/appointment.ics?lang=id").data
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.decoded("dtstamp") == clock().astimezone(event.decoded("dtstamp").tzinfo)
    assert event.decoded("dtstamp") != event.decoded("dtstart")
    assert str(event["url"]) == "https://antrian.example.go.id" + path
    assert ("https://antrian.example.go.id" + path) in str(event["description"])
    triggers = sorted(alarm.decoded("trigger") for alarm in event.walk("VALARM"))
    assert [t.total_seconds() for t in triggers] == [-86400, -3600]
    assert all(str(alarm["action"]) == "DISPLAY" for alarm in event.walk("VALARM"))
