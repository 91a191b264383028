"""The pure report figures: the percentile method, durations, rates and periods."""
from datetime import date, datetime, timedelta, timezone

import pytest

from queueapp.domain import errors, metrics, periods
from queueapp.domain.metrics import TicketRecord

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=timezone.utc)  # 08:00 WIB


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def test_percentiles_interpolate_between_closest_ranks_like_percentile_cont():
    assert metrics.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert metrics.percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9) == pytest.approx(91)
    assert metrics.percentile([7], 0.9) == 7
    assert metrics.percentile([], 0.5) is None


def test_a_served_ticket_has_a_wait_a_walk_and_a_service_time_and_counts_within_its_target():
    served = TicketRecord(1, date(2026, 11, 23), "A", "done", "kiosk", at(0), target_wait_minutes=30,
                          first_called_at=at(20), called_at=at(22), started_at=at(23), finished_at=at(31))
    late = TicketRecord(2, date(2026, 11, 23), "A", "done", "kiosk", at(0), target_wait_minutes=30,
                        first_called_at=at(40), called_at=at(40), started_at=at(41), finished_at=at(45))
    figures = metrics.summarize([served, late])
    assert figures["wait_minutes"] == {"count": 2, "mean": 30.0, "p50": 30.0, "p90": 38.0}
    assert figures["walk_minutes"]["mean"] == 1.0 and figures["service_minutes"]["p50"] == 6.0
    assert figures["within_target"] == 1 and figures["within_target_pct"] == 50.0


def test_the_hour_of_a_ticket_is_the_office_s_local_hour():
    record = TicketRecord(1, date(2026, 11, 23), "A", "waiting", "kiosk", at(0))
    assert metrics.key_of(record, "hour", "Asia/Jakarta") == 8
    assert metrics.key_of(record, "hour", "Asia/Jayapura") == 10
    assert metrics.key_of(record, "weekday", "Asia/Jakarta") == 1


def test_named_periods_cover_their_months():
    assert periods.named("month", "2026-02").last == date(2026, 2, 28)
    quarter = periods.named("quarter", "2026-Q3")
    assert (quarter.first, quarter.last, quarter.label) == (date(2026, 7, 1), date(2026, 9, 30), "2026-Q3")
    assert periods.named("half", "2026-H2").first == date(2026, 7, 1)
    assert periods.named("year", "2026").days == 365


@pytest.mark.parametrize("start, end", [("2026-11-24", "2026-11-23"), ("2026-13-01", "2026-12-01"), ("kemarin", "")])
def test_a_reversed_or_unparsable_range_is_refused(start, end):
    with pytest.raises(errors.InvalidInput):
        periods.day_range(start, end)


def test_a_range_longer_than_the_maximum_is_refused():
    assert periods.day_range("2026-01-01", "2026-01-31", max_days=31).days == 31
    with pytest.raises(errors.InvalidInput):
        periods.day_range("2026-01-01", "2026-02-01", max_days=31)
    with pytest.raises(errors.InvalidInput):
        periods.named("year", "2026", max_days=100)
    with pytest.raises(errors.InvalidInput):
        periods.named("quarter", "2026-Q5")
