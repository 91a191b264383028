"""The office-day simulator: a hand-computed day, determinism, the JSON and the table."""
import json
import math

import pytest
from click.testing import CliRunner

from queueapp.cli import main
from queueapp.models import Ticket
from queueapp.domain import eta
from queueapp.simulation import engine, measure, oracle, scenario

ONE_COUNTER = {
    "name": "one-counter",
    "office": {"date": "2026-03-05", "timezone": "WIB", "opens": "07:55", "closes": "12:00"},
    "services": [{"code": "A", "name": "KTP-el", "share": 1, "minutes": {"median": 5, "sigma": 0},
                  "expected_minutes": 5}],
    "counters": [{"number": 1, "services": {"A": 1}}],
    "arrivals": {"fixed": [{"at": "08:00", "service": "A"}, {"at": "08:01", "service": "A"},
                           {"at": "08:02", "service": "A"}]},
    "citizens": {"walk_to_counter_minutes": 0},
}

SMALL = {
    "name": "small",
    "office": {"date": "2026-03-05", "timezone": "WIB", "opens": "08:00", "closes": "10:00"},
    "services": [{"code": "A", "share": 0.6, "minutes": {"median": 4}}, {"code": "B", "share": 0.4,
                                                                        "minutes": {"median": 6}}],
    "counters": [{"number": 1, "services": {"A": 1, "B": 2}}, {"number": 2, "services": {"B": 1, "A": 1}}],
    "arrivals": {"tickets": 30, "by_hour": {8: 2, 9: 1}, "priority_share": 0.1},
    "citizens": {"absent_share": 0.1, "walk_out_share": 0.1, "patience_minutes": [5, 30]},
}


def test_one_counter_three_citizens_wait_as_computed_by_hand():
    day = engine.simulate(scenario.parse(ONE_COUNTER), seed=1)
    # The counter is free at 08:00; each citizen takes exactly 5 minutes.
    assert [c.wait for c in day.citizens] == [0, 4, 8]
    assert all(c.outcome == "served" for c in day.citizens)
    # Today's rule (the status page's own figure): nobody ahead in line while the first is
    # at the counter, so 0 minutes for the second citizen; 1 ahead x 5 minutes for the third.
    assert [c.quotes["rolling-mean"] for c in day.citizens] == [(0, 0, 1), (0, 0, 1), (5, 3, 7)]
    # The queue model counts what is left at the counter: exact here.
    assert [c.quotes["queue-model"][0] for c in day.citizens] == [0, 4, 8]
    figures = measure.report(day)["estimators"]
    assert figures["rolling-mean"]["mae_minutes"] == pytest.approx(7 / 3, abs=0.01)
    assert figures["rolling-mean"]["coverage"] == pytest.approx(1 / 3, abs=0.001)
    assert figures["queue-model"]["mae_minutes"] == 0


def test_the_products_quote_is_measured_again_at_every_later_change():
    day = engine.simulate(scenario.parse(ONE_COUNTER), seed=1)
    # At 08:05 the second citizen is called: the third's quote becomes what is left of a
    # 5-minute ticket just begun (the one served ticket so far took 5 minutes), exactly the
    # 5 minutes it then waits; nothing else moved anybody's quote.
    assert [c.requotes for c in day.citizens] == [[], [], [(8 * 60 + 5, (5, 4, 7), 0)]]
    requotes = measure.report(day)["estimators"]["monte-carlo"]["requotes"]
    assert requotes["n"] == 1 and requotes["mae_minutes"] == 0 and requotes["coverage"] == 1


def test_the_same_seed_gives_the_same_day_and_another_seed_another():
    small = scenario.parse(SMALL)
    first, again, other = (measure.report(engine.simulate(small, seed)) for seed in (5, 5, 6))
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)
    assert json.dumps(first, sort_keys=True) != json.dumps(other, sort_keys=True)


def test_the_json_has_the_shape_of_the_interface():
    result = measure.report(engine.simulate(scenario.parse(SMALL), 2))
    assert result["baseline"] == "rolling-mean" and result["chosen"] in result["estimators"]
    for figures in result["estimators"].values():
        assert {"mae_minutes", "p90_error_minutes", "coverage", "by_bucket"} <= set(figures)
        assert set(figures["by_bucket"]) == {"<10", "10-30", ">30"}
        for bucket in figures["by_bucket"].values():
            assert {"mae_minutes", "coverage", "n"} <= set(bucket)
    assert sum(s["tickets"] for s in result["services"].values()) == 30


def test_the_command_prints_the_error_table_of_a_scenario_day():
    result = CliRunner().invoke(main, ["simulate", "--scenario", "kecamatan-small", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "rolling-mean" in result.output and "(today's rule)" in result.output
    assert "coverage" in result.output and "10-30" in result.output


def test_the_command_names_the_shipped_scenarios_for_an_unknown_one():
    result = CliRunner().invoke(main, ["simulate", "--scenario", "kelurahan-besar"])
    assert result.exit_code != 0 and "kecamatan-small" in result.output


def test_the_command_prints_json(tmp_path):
    path = tmp_path / "one.yaml"
    import yaml
    path.write_text(yaml.safe_dump(ONE_COUNTER))
    result = CliRunner().invoke(main, ["simulate", "--scenario", str(path), "--json"])
    assert result.exit_code == 0, result.output
    parsed = json.loads(result.output)
    assert parsed["estimators"]["queue-model"]["by_bucket"]["<10"]["n"] == 3


def test_the_replay_of_the_counters_quotes_a_waiting_ticket_and_nothing_when_no_counter_is_open(demo):
    from datetime import datetime, timezone

    from sqlalchemy import select

    from queueapp.models import Counter
    from queueapp.queries import eta as eta_views
    from queueapp.services import counters, tickets
    from tests.conftest import actor_of
    now = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)   # Monday 09:00 WIB
    supervisor = actor_of(demo, "supervisor")
    with demo.read() as session:
        ids = dict(session.execute(select(Counter.number, Counter.id)).all())
    # Service D (Surat Pindah) is served by counters 4 and 5.
    first = tickets.issue_ticket(demo, "demo", "D", now=now)
    second = tickets.issue_ticket(demo, "demo", "D", now=now)
    with demo.read() as session:
        estimate = eta_views.ticket_estimate(session, session.get(Ticket, second.ticket_id))
    assert estimate.minutes is not None and estimate.low <= estimate.minutes < estimate.high
    for number in (4, 5):
        counters.set_counter_state(demo, supervisor, ids[number], "closed", now=now)
    with demo.read() as session:
        assert eta_views.ticket_estimate(session, session.get(Ticket, first.ticket_id)).minutes is None


BOOKED = {**SMALL, "name": "booked",
          "appointments": {"share": 0.3, "slot_minutes": 15, "capacity": 2, "arrive_mean": -5, "arrive_sd": 5,
                           "no_show_share": 0.2}}


def test_booked_visits_are_checked_in_merged_with_walk_ins_and_served(tmp_path):
    from sqlalchemy import create_engine, select

    from queueapp.models import Appointment

    url = f"sqlite:///{tmp_path / 'booked.db'}"
    day = engine.simulate(scenario.parse(BOOKED), seed=4, database_url=url, requotes=False)
    booked = [c for c in day.citizens if c.slot is not None]
    assert len(booked) == 9                      # 30% of 30 visits
    came = [c for c in booked if c.arrival is not None]
    assert came and len(came) < len(booked)      # some booked citizens did not come
    assert all(c.outcome == "served" and c.ticket_id for c in came)
    rows = create_engine(url).connect().execute(
        select(Appointment.status, Ticket.channel).outerjoin(Ticket, Ticket.id == Appointment.ticket_id)).all()
    statuses = sorted(str(getattr(status, "value", status)) for status, _ in rows)
    assert statuses.count("checked_in") == len(came)
    # Checked in on time through the real use case: the tickets stand in line as appointments.
    assert all(str(getattr(channel, "value", channel)) == "appointment" for status, channel in rows if channel)
    again = engine.simulate(scenario.parse(BOOKED), seed=4, requotes=False)
    assert [(c.service, c.arrival, c.wait, c.outcome) for c in again.citizens] == \
        [(c.service, c.arrival, c.wait, c.outcome) for c in day.citizens]


def test_the_oracle_is_told_the_counter_the_roster_opens_later():
    # The counter opens at 08:10 by the roster: at 08:00 the product has no counter to quote
    # from; the oracle knows it opens then, and with 5 minutes sharp there is no chance left.
    later = {**ONE_COUNTER, "counters": [{"number": 1, "services": {"A": 1}, "opens": "08:10"}],
             "arrivals": {"fixed": [{"at": "08:00", "service": "A"}]}}
    day = engine.simulate(scenario.parse(later), seed=1, estimators=("monte-carlo", oracle.ORACLE))
    citizen, = day.citizens
    assert citizen.wait == 10
    assert citizen.quotes["monte-carlo"] is None
    assert citizen.quotes[oracle.ORACLE][0] == 10 and citizen.expected_error == 0


def test_the_oracle_replays_the_scenarios_own_minutes_speeds_and_priority_rate():
    small = scenario.load("kecamatan-small")
    a = small.services[0]
    # The quantiles it is told give the replay's fit the scenario's own lognormal back.
    mu, sigma = eta.lognormal_fit(eta.ServiceHistory(oracle.true_minutes(a, walk=0)))
    assert mu == pytest.approx(math.log(a.median_minutes), abs=0.02) and sigma == pytest.approx(a.sigma, rel=0.05)
    # 120 walk-ins (150 visits, a fifth booked), 35% of them A, 22% of the day's arrivals in
    # the 08:00 hour, 8% priority.
    assert oracle.priority_per_minute(small, a, 8 * 60 + 30) == pytest.approx(120 * 0.35 * 0.22 / 60 * 0.08)
    learnt = eta.LineState(waiting=(), counters=(eta.CounterNow(11, {1: 1, 2: 1, 3: 1}, speed=0.9),),
                           history={1: eta.ServiceHistory((4.0,) * 5, no_show_share=0.3)})
    told = oracle.truth(learnt, small, {"A": 1, "B": 2, "C": 3}, {1: 11, 2: 12}, minute=7 * 60 + 35)
    # Counter 1's clerk at its true speed; counter 2 (the roster's 07:45) due in 10 minutes.
    assert [(c.counter_id, c.speed, c.ready_in) for c in told.counters] == [(11, 1.0, 0.0), (12, 1.15, 10.0)]
    assert told.history[1].no_show_share == pytest.approx(0.05 * 0.5)
    assert told.history[1].durations == oracle.true_minutes(a, walk=0.5)
    # At the opening minute, before the engine has opened anything, both are on the roster.
    opening = oracle.truth(eta.LineState((), (), {}), small, {"A": 1, "B": 2, "C": 3}, {1: 11, 2: 12}, minute=450)
    assert [(c.counter_id, c.ready_in) for c in opening.counters] == [(11, 0.0), (12, 15.0)]
