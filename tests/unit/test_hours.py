"""Opening hours: one model for walk-ins and appointments, holidays closing both."""
from datetime import date, datetime, timezone

import pytest

from queueapp.domain.errors import ClosedAllDay, ClosedForHoliday, InvalidInput, OfficeClosed
from queueapp.domain.hours import Calendar, DayHours, check_open, describe_hours, is_open, parse_hhmm, walk_in_hours


def week(weekdays: str, opens: str, closes: str, tz: str = "Asia/Jakarta", **kw) -> Calendar:
    return Calendar(tz, {int(d): DayHours(opens, closes) for d in weekdays}, **kw)


def test_the_office_is_closed_before_opening_on_a_weekday_in_wita():
    # 07:59 WITA (UTC+8) on Monday 23 November 2026.
    before = datetime(2026, 11, 22, 23, 59, tzinfo=timezone.utc)
    with pytest.raises(OfficeClosed):
        check_open(week("12345", "08:00", "15:00", "Asia/Makassar"), before)
    check_open(week("12345", "08:00", "15:00", "Asia/Makassar"), datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc))


def test_the_office_is_closed_on_sunday_and_when_closed_by_hand():
    sunday_noon_wib = datetime(2026, 11, 22, 5, 0, tzinfo=timezone.utc)
    with pytest.raises(OfficeClosed) as raised:
        check_open(week("12345", "07:30", "16:00"), sunday_noon_wib)
    assert isinstance(raised.value, ClosedAllDay) and raised.value.code == "office_closed"
    monday_noon_wib = datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)
    with pytest.raises(OfficeClosed):
        check_open(week("12345", "07:30", "16:00", closed=True), monday_noon_wib)


def test_24_00_means_open_until_midnight():
    late = datetime(2026, 11, 23, 16, 59, tzinfo=timezone.utc)  # 23:59 WIB
    check_open(week("1234567", "00:00", "24:00"), late)


def test_a_listed_holiday_closes_the_kiosk_on_the_offices_own_date():
    christmas = Calendar("Asia/Jayapura", {d: DayHours("00:00", "24:00") for d in range(1, 8)},
                         holidays={date(2026, 12, 25): "Hari Raya Natal"})
    # 24 December, 15:30 UTC, is already 25 December 00:30 in Jayapura (WIT, UTC+9).
    with pytest.raises(ClosedForHoliday) as raised:
        check_open(christmas, datetime(2026, 12, 24, 15, 30, tzinfo=timezone.utc))
    assert raised.value.code == "office_closed" and raised.value.params == {"holiday": "Hari Raya Natal"}
    assert is_open(christmas, datetime(2026, 12, 24, 14, 30, tzinfo=timezone.utc))  # 23:30 WIT on the 24th


def test_walk_ins_and_appointments_follow_their_own_periods_of_the_same_model():
    monday = date(2026, 11, 23)
    calendar = Calendar("Asia/Jakarta", {1: (DayHours("07:00", "14:00", appointments=False),
                                             DayHours("08:00", "12:00", (("10:00", "10:30"),), walk_ins=False))})
    assert walk_in_hours(calendar, monday) == ("07:00", "14:00")
    assert describe_hours(calendar.periods(monday, appointments=True)) == "08:00-12:00 (10:00-10:30)"
    # A break pauses bookings, not the kiosk: citizens may take a number and wait.
    assert is_open(calendar, datetime(2026, 11, 23, 3, 15, tzinfo=timezone.utc))  # 10:15 WIB
    assert walk_in_hours(calendar, date(2026, 11, 24)) is None


def test_a_time_that_is_not_hh_mm_is_invalid_input():
    assert parse_hhmm("24:00").hour == 23
    with pytest.raises(InvalidInput):
        parse_hhmm("8 pagi")
