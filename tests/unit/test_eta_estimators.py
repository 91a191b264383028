"""The better ETA estimators (domain.eta) on hand-made lines."""
import math
import random

from queueapp.domain import eta
from queueapp.domain.eta import CounterNow, LineState, ServiceHistory, Waiting

A, B = 1, 2


def line(*waiting, counters, history=None, breaks=()):
    return LineState(tuple(waiting), tuple(counters), history or {A: ServiceHistory(fallback_minutes=5.0)}, breaks)


def test_the_queue_model_adds_the_people_ahead_and_what_is_left_at_the_counter():
    state = line(Waiting(10, A, -2.0, 1), Waiting(11, A, -1.0, 2),
                 counters=[CounterNow(1, {A: 1}, busy_minutes=1.0, busy_service=A)])
    # 4 minutes left of the ticket at the counter, then ticket 10's 5 minutes.
    assert eta.estimate_queue_model(state, 11).minutes == 9
    assert eta.estimate_queue_model(state, 10).minutes == 4


def test_a_counter_serving_two_services_in_one_line_counts_the_other_service_ahead():
    state = line(Waiting(10, B, -3.0, 1), Waiting(11, A, -1.0, 1),
                 counters=[CounterNow(1, {A: 1, B: 1})],
                 history={A: ServiceHistory(fallback_minutes=5.0), B: ServiceHistory(fallback_minutes=3.0)})
    assert eta.estimate_queue_model(state, 11).minutes == 3
    # Today's rule looks at the ticket's own line only: nobody ahead.
    assert eta.estimate_rolling_mean(state, 11).minutes == 0


def test_a_service_later_in_the_counters_order_waits_for_the_first_one():
    state = line(Waiting(10, A, -1.0, 1), Waiting(11, B, -5.0, 1),
                 counters=[CounterNow(1, {A: 1, B: 2})],
                 history={A: ServiceHistory(fallback_minutes=5.0), B: ServiceHistory(fallback_minutes=3.0)})
    assert eta.estimate_queue_model(state, 11).minutes == 5
    assert eta.estimate_queue_model(state, 10).minutes == 0


def test_a_priority_ticket_goes_ahead_of_the_line():
    state = line(Waiting(10, A, -5.0, 1), Waiting(11, A, -4.0, 2), Waiting(12, A, -1.0, 3, priority=True),
                 counters=[CounterNow(1, {A: 1})])
    assert eta.estimate_queue_model(state, 12).minutes == 0
    assert eta.estimate_queue_model(state, 11).minutes == 10
    assert eta.people_before(state, 11) == 2


def test_the_break_ahead_adds_its_length():
    state = line(Waiting(10, A, -2.0, 1), Waiting(11, A, -1.0, 2), counters=[CounterNow(1, {A: 1})],
                 breaks=((3.0, 63.0),))
    assert eta.estimate_queue_model(state, 11).minutes == 65


def test_no_counter_serving_the_service_means_no_estimate():
    state = line(Waiting(10, A, -2.0, 1), counters=[CounterNow(1, {B: 1})])
    for estimate in (eta.estimate_queue_model(state, 10), eta.estimate_monte_carlo(state, 10, random.Random(1)),
                     eta.estimate_rolling_mean(state, 10)):
        assert estimate == eta.Estimate(None, None, None)


def test_the_range_holds_the_estimate():
    history = {A: ServiceHistory(durations=(2.0, 3.0, 4.0, 5.0, 9.0, 4.0, 3.0), fallback_minutes=5.0)}
    state = line(*[Waiting(10 + i, A, -10.0 + i, i) for i in range(8)], counters=[CounterNow(1, {A: 1})],
                 history=history)
    for estimate in (eta.estimate_queue_model(state, 17), eta.estimate_monte_carlo(state, 17, random.Random(3))):
        assert estimate.low <= estimate.minutes < estimate.high


def test_the_monte_carlo_replay_is_exact_when_service_times_never_vary():
    history = {A: ServiceHistory(durations=(4.0,) * 10, fallback_minutes=9.0)}
    state = line(Waiting(10, A, -2.0, 1), Waiting(11, A, -1.0, 2),
                 counters=[CounterNow(1, {A: 1}), CounterNow(2, {A: 1}, busy_minutes=1.0, busy_service=A)],
                 history=history)
    # Ticket 10 goes to the free counter now; ticket 11 to the busy one when it ends (3 minutes).
    assert eta.estimate_monte_carlo(state, 10, random.Random(1)) .minutes == 0
    assert eta.estimate_monte_carlo(state, 11, random.Random(1)).minutes == 3


def test_the_monte_carlo_replay_is_reproducible_with_the_same_seed():
    history = {A: ServiceHistory(durations=(2.0, 3.0, 4.0, 8.0, 5.0), fallback_minutes=5.0, priority_per_minute=0.1)}
    state = line(*[Waiting(10 + i, A, -10.0 + i, i) for i in range(6)], counters=[CounterNow(1, {A: 1})],
                 history=history)
    assert eta.estimate_monte_carlo(state, 15, random.Random(7)) == eta.estimate_monte_carlo(state, 15, random.Random(7))


def test_robust_minutes_ignore_one_lost_document():
    history = ServiceHistory(durations=(4.0,) * 9 + (60.0,), fallback_minutes=10.0)
    assert eta.robust_minutes(history) == 4.0
    assert eta.robust_minutes(ServiceHistory(durations=(4.0,), fallback_minutes=10.0)) == 10.0


def test_the_whole_line_replay_agrees_with_one_ticket_at_a_time_when_times_never_vary():
    history = {A: ServiceHistory(durations=(4.0,) * 10), B: ServiceHistory(durations=(2.0,) * 10)}
    state = line(*[Waiting(10 + i, A if i % 3 else B, -10.0 + i, i) for i in range(9)],
                 counters=[CounterNow(1, {A: 1, B: 2}), CounterNow(2, {B: 1, A: 1}, busy_minutes=1.0, busy_service=B)],
                 history=history)
    whole = eta.monte_carlo_line(state, random.Random(1), draws=5)
    assert whole == {w.ticket_id: eta.estimate_monte_carlo(state, w.ticket_id, random.Random(1), draws=5)
                     for w in state.waiting}


def test_a_newcomer_to_each_service_learns_its_wait_without_delaying_anyone():
    history = {A: ServiceHistory(durations=(4.0,) * 10), B: ServiceHistory(durations=(2.0,) * 10)}
    state = line(Waiting(10, A, -2.0, 1), Waiting(11, B, -1.0, 1), counters=[CounterNow(1, {A: 1, B: 1})],
                 history=history)
    alone = eta.monte_carlo_line(state, random.Random(1), draws=3)
    both = eta.monte_carlo_line(eta.with_newcomers(state, [A, B]), random.Random(1), draws=3)
    assert both[10] == alone[10] and both[11] == alone[11]
    # A number taken now, for A or B, waits for both tickets already there: 4 + 2 minutes.
    assert both[-A].minutes == both[-B].minutes == 6


def test_the_lognormal_fit_is_robust_to_a_few_long_tickets():
    # 21 tickets at the quantiles of a lognormal with median 4 and sigma 0.5.
    z = [-1.67, -1.34, -1.11, -0.91, -0.75, -0.6, -0.47, -0.34, -0.22, -0.11, 0.0,
         0.11, 0.22, 0.34, 0.47, 0.6, 0.75, 0.91, 1.11, 1.34, 1.67]
    times = tuple(4.0 * math.exp(0.5 * x) for x in z)
    mu, sigma = eta.lognormal_fit(ServiceHistory(durations=times))
    assert round(math.exp(mu), 6) == 4.0 and abs(sigma - 0.5) < 0.1
    # Two lost documents more move the median by one place and the spread a little.
    mu2, sigma2 = eta.lognormal_fit(ServiceHistory(durations=times + (60.0, 45.0)))
    assert math.exp(mu2) < 4.3 and sigma2 < 0.7
    assert eta.lognormal_fit(ServiceHistory(durations=(4.0, 5.0))) is None
