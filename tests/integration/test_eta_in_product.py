"""The chosen estimator in the product: every screen quotes the replay's median with its
10th-90th percentile range, "segera dilayani" for a quote of nothing, "belum dapat
diperkirakan" when no counter serving the line is open; the supervisor sees the wait with
one more counter and a staffing plan for tomorrow."""
from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from queueapp.cli import main
from queueapp.domain import staffing
from queueapp.models import BookingRule, Counter, CounterService, Office, Service
from queueapp.queries import dashboard
from queueapp.queries import staffing as staffing_queries


from ..conftest import actor_of
from ..support import counters, log_in, tickets


def counters_serving(db, code: str) -> list[int]:
    with db.read() as s:
        return list(s.execute(select(Counter.id).join(CounterService, CounterService.counter_id == Counter.id)
                              .join(Service, Service.id == CounterService.service_id)
                              .where(Service.prefix == code).order_by(Counter.number)).scalars())


def test_no_counter_open_for_the_line_gives_no_estimate_and_says_so(demo, clock, client):
    clerk = actor_of(demo, "supervisor")
    for counter_id in counters_serving(demo, "A"):
        counters.set_counter_state(demo, clerk, counter_id, "closed", now=clock())
    ticket = tickets.issue_ticket(demo, "demo", "A", now=clock.advance(minutes=1))
    assert ticket["eta_minutes"] is None and ticket["eta_range"] is None
    page = client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert "belum dapat diperkirakan" in page


def test_the_quote_is_a_real_interval_around_its_median(demo, clock):
    clerk = actor_of(demo, "loket1")
    first = counters_serving(demo, "A")[0]
    for _ in range(3):   # three served in 4 minutes each teach the line's pace
        t = tickets.issue_ticket(demo, "demo", "A", now=clock())
        counters.call_next(demo, clerk, first, now=clock())
        tickets.finish(demo, clerk, t["id"], now=clock.advance(minutes=4))
    last = None
    for _ in range(12):
        last = tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=20))
    low, high = last["eta_range"]
    assert last["position"] == 11
    assert low <= last["eta_minutes"] <= high and low < last["eta_minutes"] < high


def test_a_quote_of_nothing_reads_served_soon_not_zero_minutes(demo, clock, client):
    ticket = tickets.issue_ticket(demo, "demo", "A", now=clock())
    assert ticket["eta_minutes"] == 0
    page = client.get(f"/t/{ticket['token']}").get_data(as_text=True)
    assert "segera dilayani" in page and "0 menit" not in page


def test_the_dashboard_tells_the_wait_with_one_more_counter(demo, clock):
    supervisor = actor_of(demo, "supervisor")
    for _ in range(25):
        tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=10))
    rows = {s["code"]: s for s in dashboard.dashboard(demo, supervisor, "demo", clock(),
                                                      pause_alert_minutes=30)["services"]}
    assert rows["A"]["eta_minutes"] > 0
    assert rows["A"]["eta_one_more_minutes"] < rows["A"]["eta_minutes"]


def test_the_staffing_plan_for_tomorrow_comes_from_the_same_weekday_of_past_weeks(demo, clock, client):
    clerk = actor_of(demo, "loket1")
    first = counters_serving(demo, "A")[0]
    start = clock()
    for week in (1, 2):
        clock.current = start - timedelta(weeks=week)
        for _ in range(12):   # 12 a day, 10 minutes each
            t = tickets.issue_ticket(demo, "demo", "A", now=clock.advance(minutes=2))
            counters.call_next(demo, clerk, first, now=clock())
            tickets.finish(demo, clerk, t["id"], now=clock.advance(minutes=10))
    with demo.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        target = {sv.prefix: sv.target_wait_minutes for sv in office.services}["A"]
    plan = staffing_queries.plan(demo, "demo", start.date(), weeks=2)
    [a] = [s for s in plan["services"] if s["code"] == "A"]
    assert sum(row["arrivals_per_hour"] for row in a["hours"]) == 12
    for row in a["hours"]:
        # Erlang C needs at least as many counters as the load, and the plan's p90 is under the target.
        assert row["counters"] >= 1 and row["mean_minutes"] == 10.0
        assert row["p90_wait_minutes"] <= target
        assert row["erlang_c_counters"] == staffing.required_agents(row["arrivals_per_hour"] / 60, 10.0, target)
    log_in(client, "supervisor")
    page = client.get(f"/dashboard/demo/staffing?date={start.date().isoformat()}")
    assert page.status_code == 200 and "Erlang C" in page.get_data(as_text=True)


def test_simulate_staffing_prints_counters_per_service_and_hour():
    result = CliRunner().invoke(main, ["simulate", "--scenario", "kecamatan-small", "--staffing"])
    assert result.exit_code == 0, result.output
    assert "Erlang C" in result.output and "target: 90% called within 45 min" in result.output


def test_the_first_quotes_of_a_day_start_from_the_last_earlier_days_minutes_and_the_offices_merge_limit(
        any_db, demo, clock):
    from queueapp.queries import eta as eta_queries
    from queueapp.services import catalog as catalog_services
    clerk = actor_of(demo, "loket1")
    first = counters_serving(demo, "A")[0]
    start = clock()
    clock.current = start - timedelta(days=3)
    for _ in range(5):   # 5 tickets of 7 minutes three days ago
        t = tickets.issue_ticket(demo, "demo", "A", now=clock.advance(minutes=1))
        counters.call_next(demo, clerk, first, now=clock())
        tickets.finish(demo, clerk, t["id"], now=clock.advance(minutes=7))
    catalog_services.update_service(demo, None, "demo", "A", {"booking": {"bookable": True}}, now=start)
    with demo.write() as uow:   # not on the admin's form: the rule's column
        rule = uow.session.execute(select(BookingRule).join(Service, Service.id == BookingRule.service_id)
                                   .where(Service.prefix == "A")).scalar_one()
        rule.appointments_in_a_row = 1
    clock.current = start
    with demo.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        a = {sv.prefix: sv.id for sv in office.services}["A"]
        inputs = eta_queries.read_inputs(s, office, start)
    assert inputs.history[a].durations == (7.0,) * 5
    # A counter merges with the smallest limit among its bookable services (repository.counter_policies).
    assert inputs.merge_limits[a] == 1
    with demo.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        state = eta_queries.line_state(s, office, start, inputs=inputs)
    assert state.counters and all(c.appointments_in_a_row == 1 for c in state.counters if a in c.services)
