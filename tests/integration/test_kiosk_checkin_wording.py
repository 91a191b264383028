"""The kiosk's "too early" answer names the day to come back when it is not today, with
the office's zone (WIB/WITA/WIT), in the citizen's language."""
from datetime import datetime, timedelta, timezone

import pytest

from ..support import appointments

SECRET = "test-secret"
TUESDAY_0800 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)   # 08:00 WIB


@pytest.fixture(autouse=True)
def no_rate_limits(demo, app):
    app.config.update(BOOKING_RATE_LIMIT="", BOOKING_READ_RATE_LIMIT="", CHECKIN_RATE_LIMIT="")


def booked_code(db, clock, start, n=1) -> str:
    return appointments.book(db, "demo", "A", start, name="Budi Santoso", phone=f"08123456789{n}",
                             nik=f"317401234567000{n}", now=clock(), secret_key=SECRET)["code"]


def too_early(client, code, lang="id") -> str:
    response = client.post("/api/v1/offices/demo/check-in", json={"code": code},
                           headers={"Accept-Language": lang})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "too_early"
    return response.get_json()["error"]["message"]


def test_a_booking_tomorrow_says_come_back_tomorrow_naming_the_day(client, demo, clock):
    code = booked_code(demo, clock, TUESDAY_0800)       # the clock stands on Monday 23 November
    assert too_early(client, code) == ("Terlalu awal untuk check-in. Silakan kembali besok, Selasa 24 November, "
                                       "pukul 07:30 WIB.")
    assert too_early(client, code, "en") == ("It is too early to check in. Please come back tomorrow, "
                                             "Tuesday 24 November, at 07:30 WIB.")


def test_a_booking_later_in_the_week_names_its_day_and_one_today_only_the_time(client, demo, clock):
    later = booked_code(demo, clock, TUESDAY_0800 + timedelta(days=2))
    assert too_early(client, later) == ("Terlalu awal untuk check-in. Silakan kembali pada hari Kamis 26 November "
                                        "pukul 07:30 WIB.")
    today = booked_code(demo, clock, TUESDAY_0800, n=2)
    clock.current = TUESDAY_0800 - timedelta(hours=1)   # 07:00 WIB on the day
    assert too_early(client, today) == "Terlalu awal untuk check-in. Silakan kembali pukul 07:30 WIB."
