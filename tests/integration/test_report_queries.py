"""Every report figure computed by queries.reports (SQL counts, a bounded timestamp query)
equals the pure reference of domain.metrics over the same tickets, on SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from queueapp.domain import metrics
from queueapp.domain.metrics import Breakdown
from queueapp.domain.periods import day_range
from queueapp.queries import reports
from queueapp.reports import tables

from ..conftest import actor_of
from ..support import tickets
from .report_days import pure_appointments, pure_records, play_random_day, put_service_in_zone

TZ = "Asia/Jakarta"
WIB = timezone(timedelta(hours=7))
MONDAY = date(2026, 11, 23)


@pytest.fixture
def played(any_db, demo, clock):
    put_service_in_zone(demo, "A", "Dukcapil")
    play_random_day(demo, clock, seed=20261123)
    clock.advance(days=1)  # and a little of Tuesday, so the period and weekday matter
    play_random_day(demo, clock, seed=7, steps=40)
    return demo


def test_the_random_days_exercise_every_figure(played):
    totals = metrics.summarize(pure_records(played))
    for name in ("served", "no_show", "cancelled", "transferred", "recalled"):
        assert totals[name] > 0, name
    assert totals["wait_minutes"]["count"] and totals["walk_minutes"]["count"] and totals["service_minutes"]["count"]


LABELS = {"name", "name_en", "target_wait_minutes"}  # added to the service and counter tables


@pytest.mark.parametrize("by", list(Breakdown))
def test_each_breakdown_in_sql_equals_the_pure_figures(played, by):
    expected = metrics.breakdown(pure_records(played), by, TZ)
    summary = reports.summary(played, actor_of(played, "supervisor"), "demo", day_range("2026-11-23", "2026-11-24"),
                              breakdowns=(by,))
    assert [{k: v for k, v in line.items() if k not in LABELS} for line in summary[f"by_{by.value}"]] == expected


def test_the_totals_of_one_day_equal_the_pure_figures_of_that_day(played):
    monday = [r for r in pure_records(played) if r.business_date == MONDAY]
    summary = reports.summary(played, actor_of(played, "supervisor"), "demo", day_range("2026-11-23", "2026-11-23"))
    expected = metrics.summarize(monday)
    assert {k: summary[k] for k in expected} == expected
    assert summary["heatmap"] == metrics.heatmap(monday, TZ)


def test_each_ticket_s_csv_row_equals_the_row_of_its_pure_record(played):
    zone = ZoneInfo(TZ)
    expected = [tables.ticket_row(r, zone) for r in pure_records(played)]
    _, lines = reports.ticket_lines(played, actor_of(played, "supervisor"), "demo", day_range("2026-11-23", "2026-11-24"))
    assert [list(line) for line in lines] == expected


def test_the_summary_s_staffing_heatmap_and_funnel_equal_the_pure_ones(played):
    pure = pure_records(played)
    summary = reports.summary(played, actor_of(played, "supervisor"), "demo", day_range("2026-11-23", "2026-11-24"))
    assert summary["clerks"] == metrics.staffing(pure, "clerk")
    assert summary["counters"] == metrics.staffing(pure, "counter")
    assert summary["heatmap"] == metrics.heatmap(pure, TZ)
    assert summary["appointments"] == metrics.funnel(pure_appointments(played))
    assert summary["issued"] == len(pure) and summary["by_service"][0]["name"]


def test_one_service_s_report_counts_only_its_tickets(played):
    pure = metrics.summarize([r for r in pure_records(played) if r.service == "B"])
    summary = reports.summary(played, actor_of(played, "supervisor"), "demo", day_range("2026-11-23", "2026-11-24"),
                              service="B")
    assert {k: summary[k] for k in pure} == pure


def test_a_ticket_issued_a_moment_before_nine_counts_in_the_eight_o_clock_hour(any_db, demo):
    # SQLite reads timestamps to the millisecond, rounded: 08:59:59.9999 must not become 09:00.
    tickets.issue_ticket(demo, "demo", "A", now=datetime(2026, 11, 23, 8, 59, 59, 999900, tzinfo=WIB))
    summary = reports.summary(demo, actor_of(demo, "supervisor"), "demo", day_range("2026-11-23", "2026-11-23"))
    assert [(line["key"], line["issued"]) for line in summary["by_hour"]] == [(8, 1)]
    assert summary["heatmap"]["arrivals"][0][8] == 1
