from datetime import date, datetime, timezone

import pytest

from queueapp.domain.errors import InvalidInput, OfficeClosed, QuotaReached
from queueapp.domain.numbering import business_date, check_open, check_quota, format_number


def test_numbers_are_shown_with_the_prefix_and_three_digits():
    assert format_number("A", 1) == "A-001"
    assert format_number("B", 42) == "B-042"
    assert format_number("C", 1000) == "C-1000"


def test_the_business_day_is_the_offices_own_date_not_utc():
    # 17:30 UTC on the 22nd is already 00:30 on the 23rd in Jakarta (UTC+7)...
    late_utc = datetime(2026, 11, 22, 17, 30, tzinfo=timezone.utc)
    assert business_date(late_utc, "Asia/Jakarta") == date(2026, 11, 23)
    # ...and 16:30 UTC is 23:30 the day before in Jakarta but 01:30 the next day in Jayapura (UTC+9).
    utc = datetime(2026, 11, 22, 16, 30, tzinfo=timezone.utc)
    assert business_date(utc, "Asia/Jakarta") == date(2026, 11, 22)
    assert business_date(utc, "Asia/Makassar") == date(2026, 11, 23)
    assert business_date(utc, "Asia/Jayapura") == date(2026, 11, 23)


def test_a_naive_time_is_refused():
    with pytest.raises(InvalidInput):
        business_date(datetime(2026, 11, 22, 9, 0), "Asia/Jakarta")


def test_the_quota_allows_the_last_number_and_refuses_the_next():
    check_quota(100, 100)
    check_quota(5000, None)
    with pytest.raises(QuotaReached):
        check_quota(101, 100)


def test_the_office_is_closed_before_opening_on_a_weekday_in_wita():
    # 07:59 WITA (UTC+8) on Monday 23 November 2026.
    before = datetime(2026, 11, 22, 23, 59, tzinfo=timezone.utc)
    with pytest.raises(OfficeClosed):
        check_open(before, "Asia/Makassar", "12345", "08:00", "15:00")
    check_open(datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc), "Asia/Makassar", "12345", "08:00", "15:00")


def test_the_office_is_closed_on_sunday_and_when_closed_by_hand():
    sunday_noon_wib = datetime(2026, 11, 22, 5, 0, tzinfo=timezone.utc)
    with pytest.raises(OfficeClosed):
        check_open(sunday_noon_wib, "Asia/Jakarta", "12345", "07:30", "16:00")
    monday_noon_wib = datetime(2026, 11, 23, 5, 0, tzinfo=timezone.utc)
    with pytest.raises(OfficeClosed):
        check_open(monday_noon_wib, "Asia/Jakarta", "12345", "07:30", "16:00", closed=True)


def test_24_00_means_open_until_midnight():
    late = datetime(2026, 11, 23, 16, 59, tzinfo=timezone.utc)  # 23:59 WIB
    check_open(late, "Asia/Jakarta", "1234567", "00:00", "24:00")
