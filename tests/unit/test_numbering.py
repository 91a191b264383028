from datetime import date, datetime, timezone

import pytest

from queueapp.domain.errors import InvalidInput, QuotaReached
from queueapp.domain.numbering import business_date, check_quota, format_number


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
