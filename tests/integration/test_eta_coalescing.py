"""A burst of numbers taken at the back of a long line reuses the office's last replay for a
few seconds (queries.eta.EtaInputs.COALESCE): each new number is quoted from it, close to
what a full replay would say; anything else that moves the line, and any change to a short
line, replays again."""
from __future__ import annotations

import pytest

from queueapp import repository
from queueapp.domain import eta
from queueapp.domain.numbering import business_date
from queueapp.queries import eta as eta_queries
from queueapp.queries import eta_cache

from ..conftest import actor_of
from ..support import counters, tickets
from .test_eta_in_product import counters_serving


@pytest.fixture(autouse=True)
def long_from_six(monkeypatch):
    """A line of six already counts as long (the product's threshold is EtaInputs.COALESCE_FROM)."""
    monkeypatch.setattr(eta_queries.EtaInputs, "COALESCE_FROM", 6)


class CountingReplays:
    """Counts the full replays (eta.monte_carlo_line) the product runs."""

    def __init__(self, monkeypatch):
        self.count = 0
        real = eta_queries.eta.monte_carlo_line

        def counted(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(eta_queries.eta, "monte_carlo_line", counted)


def teach_pace(demo, clock):
    """Three A tickets served in 4 minutes each at the first counter serving A."""
    clerk = actor_of(demo, "loket1")
    first = counters_serving(demo, "A")[0]
    for _ in range(3):
        t = tickets.issue_ticket(demo, "demo", "A", now=clock())
        counters.call_next(demo, clerk, first, now=clock())
        tickets.finish(demo, clerk, t["id"], now=clock.advance(minutes=4))
    for _ in range(6):
        tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=30))
    return clerk, first


def quotes(demo) -> dict[int, eta.Estimate]:
    """What every screen is sent now (the process's kept replay)."""
    with demo.read() as s:
        return eta_queries.line_estimates(s, repository.office_by_slug(s, "demo"))


def fresh_quotes(demo) -> dict[int, eta.Estimate]:
    """What a full replay of the office's line says now (a new process's first look)."""
    demo.forget_companion(eta_cache.EtaInputs)
    with demo.read() as s:
        return eta_queries.line_estimates(s, repository.office_by_slug(s, "demo"))


def test_a_burst_at_the_back_is_quoted_from_the_last_replay_close_to_a_full_one(demo, clock, monkeypatch):
    teach_pace(demo, clock)
    replays = CountingReplays(monkeypatch)
    burst = [tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=0.5 if i else 30)) for i in range(8)]
    # One replay for the first number; the seven taken in the 3.5 seconds after it reuse it.
    assert replays.count == 1
    quotes = [t["eta_minutes"] for t in burst]
    assert quotes == sorted(quotes) and quotes[-1] > quotes[0]
    fresh = fresh_quotes(demo)
    for ticket in burst:
        quoted = ticket["eta_minutes"]
        assert abs(fresh[ticket["id"]].minutes - quoted) <= max(2, 0.25 * quoted), (ticket["number"], quoted)
    # Each later number's own quote is what its status page and the board say too.
    with demo.read() as s:
        office = repository.office_by_slug(s, "demo")
        assert eta_queries.line_estimates(s, office)[burst[-1]["id"]].minutes == \
            fresh[burst[-1]["id"]].minutes


def test_a_call_a_priority_number_or_time_passing_replays_again(demo, clock, monkeypatch):
    monkeypatch.setattr(eta_queries.EtaInputs, "COST_SHARE", 0)   # the window of COALESCE alone
    clerk, first = teach_pace(demo, clock)
    replays = CountingReplays(monkeypatch)
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=30))
    assert replays.count == 1
    counters.call_next(demo, clerk, first, now=clock.advance(seconds=1))
    quotes(demo)
    assert replays.count == 2
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=1), priority="lansia")
    assert replays.count == 3
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=1))
    assert replays.count == 3   # at the back, a second later: quoted from the last replay
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=eta_queries.EtaInputs.COALESCE.seconds + 1))
    assert replays.count == 4


def test_a_change_this_process_did_not_see_replays_again(demo, clock, monkeypatch):
    teach_pace(demo, clock)
    replays = CountingReplays(monkeypatch)
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=30))
    # Another process (several share PostgreSQL) took a number: this one sees a gap in seq.
    keeper = demo.companion(eta_cache.EtaInputs)
    keeper.tails.clear()
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=1))
    assert replays.count == 2
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=1))
    assert replays.count == 2   # this one it saw


def test_a_short_line_is_replayed_at_every_change(demo, clock, monkeypatch):
    teach_pace(demo, clock)
    monkeypatch.setattr(eta_queries.EtaInputs, "COALESCE_FROM", 30)
    replays = CountingReplays(monkeypatch)
    for _ in range(3):
        tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=1))
    assert replays.count == 3


def test_a_dear_replay_is_kept_longer_in_proportion_to_its_cost(demo, clock, monkeypatch):
    teach_pace(demo, clock)
    replays = CountingReplays(monkeypatch)
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=30))
    assert replays.count == 1
    keeper = demo.companion(eta_cache.EtaInputs)
    (kept_replay,) = keeper.replays.values()
    kept_replay.cost = 0.5   # half a second of CPU (a line of thousands): kept 50 s
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=30))
    assert replays.count == 1
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=25))
    assert replays.count == 2


def test_a_line_deeper_than_the_replay_is_quoted_behind_the_replayed_part(demo, clock, monkeypatch):
    teach_pace(demo, clock)
    monkeypatch.setattr(eta_queries, "REPLAY_DEPTH", 4)
    for _ in range(6):
        tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=1))
    replayed = []
    real = eta_queries.eta.monte_carlo_line

    def counted(state, *args, **kwargs):
        replayed.append(sum(1 for w in state.waiting if w.ticket_id > 0 and w.service_id == service_a))
        return real(state, *args, **kwargs)
    monkeypatch.setattr(eta_queries.eta, "monte_carlo_line", counted)
    with demo.read() as s:
        office = repository.office_by_slug(s, "demo")
        service_a = repository.service_by_prefix(s, office, "A").id
        line = sorted((row for row in eta_queries.line_positions(s, office.id, business_date(clock(), office.timezone))
                       if row.service_id == service_a), key=lambda row: row.position)
    fresh = fresh_quotes(demo)
    assert len(line) == 12 and replayed == [4]   # the first 4 of A's 12 replayed
    quoted = [fresh[row.id].minutes for row in line]
    assert None not in quoted
    assert quoted == sorted(quoted) and quoted[-1] > quoted[3]   # behind the replayed four, in order
    assert fresh[-service_a].minutes >= quoted[-1]              # a number taken now: behind them all


def test_the_databases_cut_of_a_long_line_quotes_as_the_cut_of_the_whole_line(demo, clock, monkeypatch):
    """queries.tickets.replay_line (the first tickets of each service read, the rest as ids)
    gives the same quotes as eta.deepest_cut applied to the whole line read into Python:
    priority numbers, two services, and a checked-in appointment beyond the depth."""
    from datetime import datetime, timedelta, timezone
    from ..support import appointments, checkin
    teach_pace(demo, clock)
    monkeypatch.setattr(eta_queries, "REPLAY_DEPTH", 3)
    tuesday_0800 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)
    code = appointments.book(demo, "demo", "A", tuesday_0800, name="Budi Santoso", phone="081234567891",
                             nik="3174012345670001", now=clock(), secret_key="test-secret")["code"]
    clock.current = tuesday_0800 - timedelta(minutes=40)
    for i in range(10):
        tickets.issue_ticket(demo, "demo", "AB"[i % 2], now=clock.advance(seconds=20),
                             priority="lansia" if i in (4, 7) else None)
    with demo.read() as s:   # what a process kept from before the check-in (EtaInputs keeps them 30 s)
        before = eta_queries.read_inputs(s, repository.office_by_slug(s, "demo"), clock())
    assert len(before.booked) == 1
    checkin.check_in(demo, "demo", code, now=clock.advance(minutes=35))
    tickets.issue_ticket(demo, "demo", "A", now=clock.advance(seconds=20))
    by_database = fresh_quotes(demo)
    demo.forget_companion(eta_cache.EtaInputs)
    with demo.read() as s:
        office = repository.office_by_slug(s, "demo")
        line = eta_queries.line_positions(s, office.id, business_date(clock(), office.timezone))
        cut = eta_queries.replay_line(s, office.id, business_date(clock(), office.timezone), 3)
        in_python = eta_queries.line_estimates(s, office, line=line)
    assert len(cut.beyond_appointments) == 1 and len(cut.replayed) == 6 and cut.size == len(line) == 12
    assert by_database == in_python
    # With inputs kept from before the check-in, the checked-in ticket beyond the depth
    # still takes its booking's place: the booking is not replayed as still to come.
    with demo.read() as s:
        office = repository.office_by_slug(s, "demo")
        told = eta_queries.line_state(s, office, clock(), line=cut.replayed, inputs=before,
                                      checked_in_beyond=cut.beyond_appointments)
        untold = eta_queries.line_state(s, office, clock(), line=cut.replayed, inputs=before)
    assert len(told.booked) == 0 and len(untold.booked) == 1
    assert len([key for key in by_database if key > 0]) == 12


def test_a_replay_of_hundreds_draws_fewer_times(demo, clock, monkeypatch):
    """Past FULL_DRAWS_UP_TO waiting, a replay's draws shrink with the line (down to
    MIN_DRAWS), so its CPU stays about that of a replay of FULL_DRAWS_UP_TO."""
    teach_pace(demo, clock)
    monkeypatch.setattr(eta_queries, "FULL_DRAWS_UP_TO", 8)
    monkeypatch.setattr(eta_queries, "MIN_DRAWS", 6)
    drawn = []
    real = eta_queries.eta.monte_carlo_line

    def counted(state, rng, draws, **kwargs):
        drawn.append((len(state.waiting), draws))
        return real(state, rng, draws, **kwargs)
    monkeypatch.setattr(eta_queries.eta, "monte_carlo_line", counted)
    assert fresh_quotes(demo)
    replayed, draws = drawn[-1]   # 6 waiting and a newcomer per service
    assert replayed == 12 and draws == eta_queries.DRAWS * 8 // 12 == 26
    for _ in range(30):
        tickets.issue_ticket(demo, "demo", "B", now=clock.advance(seconds=1))
    assert fresh_quotes(demo) and drawn[-1] == (42, 7)
    for _ in range(20):
        tickets.issue_ticket(demo, "demo", "C", now=clock.advance(seconds=1))
    assert fresh_quotes(demo) and drawn[-1] == (62, 6)   # never fewer than MIN_DRAWS
    assert [eta_queries.draws_for(n) for n in (1, 8, 9, 80)] == [40, 40, 35, 6]
