from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from queueapp.domain import booking
from queueapp.domain.booking import AppointmentStatus as S
from queueapp.domain.hours import Calendar, DayHours
from queueapp.domain.errors import (BookingClosed, InvalidNik, InvalidPhone, LimitReached, OutsideWindow,
                                    SlotFull, TooEarly)

WIB = ZoneInfo("Asia/Jakarta")
WEEK = {d: DayHours("08:00", "15:00", (("12:00", "13:00"),)) for d in (1, 2, 3, 4)}
WEEK[5] = DayHours("08:00", "15:00", (("11:30", "13:00"),))
CAL = Calendar("Asia/Jakarta", WEEK, {date(2026, 12, 25): "Hari Raya Natal"})
RULE = booking.Rule(slot_minutes=30, capacity=2)
MONDAY = date(2026, 11, 23)


def starts(day, minutes=30):
    return [s.start.strftime("%H:%M") for s in booking.day_slots(CAL, day, minutes)]


def test_slots_run_from_opening_to_closing_around_the_lunch_break():
    assert starts(date(2026, 11, 24)) == ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00",
                                          "11:30", "13:00", "13:30", "14:00", "14:30"]


def test_friday_slots_stop_for_the_prayer_break_and_resume_at_one():
    friday = starts(date(2026, 11, 27), minutes=20)
    assert "11:00" in friday and "11:20" not in friday and "13:00" in friday
    assert all(not "11:30" <= t < "13:00" for t in friday)


def test_holidays_and_closed_weekdays_have_no_slots_and_refuse_bookings():
    assert starts(date(2026, 12, 25)) == [] and starts(date(2026, 11, 29)) == []
    with pytest.raises(BookingClosed) as raised:
        booking.find_slot(CAL, datetime(2026, 12, 25, 8, 0, tzinfo=WIB), RULE)
    assert raised.value.params["reason"] == "Hari Raya Natal"


def test_a_start_that_is_not_a_slot_is_refused_with_the_days_hours():
    with pytest.raises(BookingClosed) as raised:
        booking.find_slot(CAL, datetime(2026, 11, 27, 11, 45, tzinfo=WIB), RULE)
    assert raised.value.params["reason"] == "08:00-15:00 (11:30-13:00)"
    utc_start = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    assert booking.find_slot(CAL, utc_start, RULE).start == utc_start


def test_the_window_runs_from_tomorrow_to_the_horizon():
    booking.check_window(MONDAY + timedelta(days=1), MONDAY, RULE)
    booking.check_window(MONDAY + timedelta(days=14), MONDAY, RULE)
    for day in (MONDAY, MONDAY + timedelta(days=15)):
        with pytest.raises(OutsideWindow):
            booking.check_window(day, MONDAY, RULE)
    assert booking.open_days(CAL, MONDAY, RULE)[0] == date(2026, 11, 24)


def test_a_cancelled_seat_comes_back_only_after_the_reoffer_delay():
    now = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    holders = [(S.BOOKED, None), (S.CANCELLED, now - timedelta(minutes=10))]
    assert booking.seats_taken(holders, now, RULE) == 2
    with pytest.raises(SlotFull):
        booking.check_capacity(2, RULE)
    assert booking.seats_taken(holders, now + timedelta(minutes=21), RULE) == 1


def test_limits_per_nik_and_phone():
    booking.check_limits(nik_day=0, nik_week=1, phone_day=1, phone_week=3, rule=RULE)
    with pytest.raises(LimitReached):
        booking.check_limits(nik_day=1, nik_week=1, phone_day=0, phone_week=0, rule=RULE)
    with pytest.raises(LimitReached):
        booking.check_limits(nik_day=0, nik_week=0, phone_day=0, phone_week=4, rule=RULE)


def test_the_check_in_window_is_thirty_minutes_before_to_fifteen_after():
    slot = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
    with pytest.raises(TooEarly) as raised:
        booking.check_in_window(slot, slot - timedelta(minutes=31), RULE)
    assert raised.value.params["come_back"] == "09:30"
    assert booking.check_in_window(slot, slot - timedelta(minutes=30), RULE) == "on_time"
    assert booking.check_in_window(slot, slot + timedelta(minutes=15), RULE) == "on_time"
    assert booking.check_in_window(slot, slot + timedelta(minutes=16), RULE) == "late"


def test_a_nik_is_sixteen_digits_and_is_shown_masked():
    assert booking.clean_nik("3174 0123 4567 0001") == "3174012345670001"
    assert booking.mask_nik("3174012345670001") == "3174********0001"
    for bad in ("317401234567000", "31740123456700012", "0174012345670001", "3174O12345670001", None):
        with pytest.raises(InvalidNik):
            booking.clean_nik(bad)


def test_phones_are_indonesian_mobiles_in_one_form():
    assert booking.clean_phone("+62 812-3456-7890") == booking.clean_phone("081234567890") == "081234567890"
    with pytest.raises(InvalidPhone):
        booking.clean_phone("021 555 1234")


def test_the_keyed_digest_depends_on_the_key():
    nik = "3174012345670001"
    assert booking.keyed_digest(nik, b"a") == booking.keyed_digest(nik, b"a") != booking.keyed_digest(nik, b"b")
