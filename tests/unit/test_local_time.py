"""Dates and times shown to citizens carry the weekday and the zone's name."""
from datetime import date, datetime, timezone

from queueapp.domain import local_time


def test_a_booking_time_reads_with_its_weekday_and_zone_in_indonesian_and_english():
    at = datetime(2026, 11, 28, 1, 0, tzinfo=timezone.utc)
    assert local_time.moment(at, "Asia/Jakarta") == "Sabtu, 28 November 2026 08:00 WIB"
    assert local_time.moment(at, "Asia/Makassar", "en") == "Saturday, 28 November 2026 09:00 WITA"
    assert local_time.clock(at, "Asia/Jayapura") == "10:00 WIT"


def test_a_grid_day_names_its_weekday():
    assert local_time.short_day(date(2026, 11, 29)) == "Min, 29/11"
    assert local_time.short_day(date(2026, 11, 29), "en") == "Sun, 29/11"


def test_a_zone_outside_indonesia_keeps_its_name():
    assert local_time.zone_name("Asia/Singapore") == "Asia/Singapore"
