"""Scenarios of the fair merge of checked-in appointments with walk-ins."""
from datetime import datetime, timedelta, timezone

from queueapp.domain.dispatch import Candidate, FairMergePolicy, appointment_streak

T0 = datetime(2026, 11, 24, 1, 0, tzinfo=timezone.utc)  # 08:00 WIB


def walk_in(tid, minutes, priority=None, service=1):
    return Candidate(tid, service, "waiting", T0 + timedelta(minutes=minutes), tid, priority, "kiosk")


def appointment(tid, slot_minutes, service=1):
    return Candidate(tid, service, "waiting", T0 + timedelta(minutes=slot_minutes), tid, None, "appointment")


def policy(streak=0, k=2, now_minutes=0, order=None):
    return FairMergePolicy(service_order=order or {1: 1}, appointments_in_a_row=k, streak=streak,
                           now=T0 + timedelta(minutes=now_minutes))


def test_an_appointment_whose_slot_has_come_goes_ahead_of_earlier_walk_ins():
    line = [walk_in(1, -60), walk_in(2, -30), appointment(3, 0)]
    assert policy().choose(line).ticket_id == 3


def test_an_appointment_whose_slot_has_not_come_waits_behind_walk_ins():
    line = [walk_in(1, -60), appointment(2, 30)]
    assert policy().choose(line).ticket_id == 1


def test_after_k_appointments_in_a_row_a_walk_in_is_called():
    line = [walk_in(1, -60), appointment(2, 0), appointment(3, 0)]
    assert policy(streak=1).choose(line).ticket_id == 2
    assert policy(streak=2).choose(line).ticket_id == 1
    assert policy(streak=3, k=3).choose(line).ticket_id == 1


def test_with_no_walk_in_waiting_appointments_keep_going():
    assert policy(streak=5).choose([appointment(1, 0), appointment(2, -15)]).ticket_id == 2


def test_an_idle_counter_serves_an_early_appointment_rather_than_nobody():
    assert policy().choose([appointment(1, 45)]).ticket_id == 1


def test_priority_groups_still_go_first_by_law():
    line = [appointment(1, 0), walk_in(2, 10, priority="lansia")]
    assert policy(now_minutes=10).choose(line).ticket_id == 2


def test_zero_turns_the_merge_off_and_time_order_rules():
    line = [walk_in(1, -60), appointment(2, 0)]
    assert policy(k=0).choose(line).ticket_id == 1


def test_the_streak_counts_only_the_latest_appointments_in_a_row():
    assert appointment_streak(["appointment", "appointment", "kiosk", "appointment"]) == 2
    assert appointment_streak(["online", "appointment"]) == 0 and appointment_streak([]) == 0


def test_over_a_morning_walk_ins_are_never_starved():
    line = [walk_in(100 + n, -60 + n) for n in range(5)] + [appointment(n, 0) for n in range(1, 11)]
    calls, streak = [], 0
    while line:
        chosen = policy(streak=streak).choose(line)
        line.remove(chosen)
        calls.append(chosen.channel)
        streak = appointment_streak([chosen.channel] + (["appointment"] * streak))
    assert calls[:9] == ["appointment", "appointment", "kiosk"] * 3
    assert "kiosk" in calls[:6]



def test_the_call_order_a_clerk_sees_follows_the_fair_merge():
    from queueapp.domain.dispatch import call_order
    line = [walk_in(1, -60), walk_in(2, -30), appointment(3, -10), appointment(4, -5), appointment(5, 0)]
    # Two appointments whose slots have come, then a walk-in, then the third appointment.
    assert [c.ticket_id for c in call_order(policy(), line)] == [3, 4, 1, 5, 2]


def test_the_call_order_in_one_sort_equals_calling_choose_again_and_again():
    import random
    from dataclasses import replace

    from queueapp.domain.dispatch import call_order

    def by_choosing(policy, candidates):
        remaining, order = list(candidates), []
        while (chosen := policy.choose(remaining)) is not None:
            order.append(chosen)
            remaining = [c for c in remaining if c.ticket_id != chosen.ticket_id]
            policy = replace(policy, streak=policy.streak + 1 if chosen.channel == "appointment" else 0)
        return order

    rng = random.Random(14)
    for _ in range(300):
        line = [walk_in(n, rng.randint(-90, 60), rng.choice([None, None, None, "lansia"]), rng.choice([1, 2, 3]))
                if rng.random() < 0.6 else appointment(n, rng.randint(-60, 60), rng.choice([1, 2, 3]))
                for n in range(rng.randint(0, 25))]
        fair = FairMergePolicy(service_order={1: 1, 2: rng.choice([1, 2])}, priority_first=rng.random() < 0.7,
                               appointments_in_a_row=rng.choice([0, 1, 2, 3]), streak=rng.randint(0, 3),
                               now=T0 + timedelta(minutes=rng.randint(-30, 30)))
        assert call_order(fair, line) == by_choosing(fair, line)
