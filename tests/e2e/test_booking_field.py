"""The booking pages on a phone (390x844): each day names its weekday, each slot its zone,
places read naturally, and nothing is wider than the screen."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .axe_check import assert_no_horizontal_overflow

pytestmark = pytest.mark.browser

WEEKDAYS = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


def test_days_name_their_weekday_and_slots_their_zone_on_a_phone(live_server, phone):
    phone.goto(live_server.url + "/booking/demo/A?lang=id")
    days = phone.locator(".booking-days .day .dow").all_inner_texts()
    assert days and all(re.fullmatch(r"(%s), \d\d/\d\d" % "|".join(WEEKDAYS), d) for d in days), days
    assert phone.locator(".booking-days .day.closed .dow").first.inner_text().startswith("Min")   # Sundays closed
    assert_no_horizontal_overflow(phone, "calendar")
    phone.locator(".booking-days .day.open a").first.click()
    first = phone.locator(".booking-slots li").first
    expect(first.locator(".time")).to_have_text(re.compile(r"^\d\d:\d\d–\d\d:\d\d WIB$"))
    expect(first.locator(".left")).to_have_text(re.compile(r"^sisa \d+ tempat$"))
    expect(phone.locator("h2")).to_contain_text(re.compile(r"(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu), \d+ \w+ 20\d\d"))
    assert "kursi" not in phone.content()
    assert_no_horizontal_overflow(phone, "slots")
