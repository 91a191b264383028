"""The replay knows the booked appointments still to come and merges them as the counters do."""
import random

from queueapp.domain import eta

HISTORY = {1: eta.ServiceHistory(durations=(5.0,) * 10, fallback_minutes=5.0)}
COUNTER = (eta.CounterNow(1, {1: 1}),)
WALK_INS = (eta.Waiting(1, 1, -10.0, 1), eta.Waiting(2, 1, -9.0, 2))


def quotes(state):
    return {k: v.minutes for k, v in eta.monte_carlo_line(state, random.Random(0)).items()}


def test_a_booking_whose_slot_comes_now_goes_before_the_walk_ins():
    state = eta.LineState(WALK_INS, COUNTER, HISTORY, booked=((0.0, 1),), booked_show=1.0)
    assert quotes(state) == {1: 5, 2: 10}


def test_without_bookings_or_when_booked_citizens_do_not_come_the_walk_ins_go_in_turn():
    assert quotes(eta.LineState(WALK_INS, COUNTER, HISTORY)) == {1: 0, 2: 5}
    assert quotes(eta.LineState(WALK_INS, COUNTER, HISTORY, booked=((0.0, 1),), booked_show=0.0)) == {1: 0, 2: 5}


def test_a_booking_with_its_own_chance_of_coming_is_drawn_at_that_chance():
    # A booked citizen late past the slot comes at the day's late share, not the show-up share.
    assert quotes(eta.LineState(WALK_INS, COUNTER, HISTORY, booked=((0.0, 1, 0.0),), booked_show=1.0)) == {1: 0, 2: 5}
    assert quotes(eta.LineState(WALK_INS, COUNTER, HISTORY, booked=((0.0, 1, 1.0),), booked_show=0.0)) == {1: 5, 2: 10}


def test_after_two_appointments_in_a_row_a_walk_in_is_called():
    state = eta.LineState(WALK_INS, COUNTER, HISTORY, booked=((0.0, 1), (0.0, 1), (0.0, 1)), booked_show=1.0)
    # Two booked citizens, then walk-in 1, then the third booked one, then walk-in 2.
    assert quotes(state) == {1: 10, 2: 20}


def test_a_booking_later_in_the_day_does_not_delay_a_short_line():
    state = eta.LineState(WALK_INS, COUNTER, HISTORY, booked=((60.0, 1),), booked_show=1.0)
    assert quotes(state) == {1: 0, 2: 5}


def test_a_service_without_history_is_drawn_at_the_pace_the_other_services_show():
    # The admin typed 10 minutes for both; service 1 takes 5: service 2 is drawn around 5 too.
    history = {1: eta.ServiceHistory(durations=(5.0,) * 10, fallback_minutes=10.0),
               2: eta.ServiceHistory(fallback_minutes=10.0)}
    state = eta.calibrated_fallbacks(eta.LineState((), COUNTER, history))
    assert state.history[2].fallback_minutes == 5.0 and state.history[1] is history[1]


def test_the_counters_own_fair_merge_limit_is_used():
    booked = ((0.0, 1), (0.0, 1), (0.0, 1))
    one = (eta.CounterNow(1, {1: 1}, appointments_in_a_row=1),)
    # One booked citizen, walk-in 1, the next booked one, walk-in 2.
    assert quotes(eta.LineState(WALK_INS, one, HISTORY, booked=booked, booked_show=1.0)) == {1: 5, 2: 15}
    # 0: no merge, everyone in time order (the walk-ins came first).
    off = (eta.CounterNow(1, {1: 1}, appointments_in_a_row=0),)
    assert quotes(eta.LineState(WALK_INS, off, HISTORY, booked=booked, booked_show=1.0)) == {1: 0, 2: 5}
