"""The dashboard's alert rule at its edges: a wait past the target, a pause past the limit."""
from datetime import datetime, timedelta, timezone

from queueapp.domain.alerts import Alert, AlertKind, CounterFigure, ServiceFigure, changes, evaluate

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


def ago(**delta) -> datetime:
    return NOW - timedelta(**delta)


def keys(alerts) -> list[str]:
    return [a.key for a in alerts]


def test_a_wait_of_exactly_the_target_is_within_it_and_one_second_more_alerts():
    assert evaluate([ServiceFigure("A", 30, ago(minutes=30))], [], NOW, 15) == []
    found = evaluate([ServiceFigure("A", 30, ago(minutes=30, seconds=1))], [], NOW, 15)
    assert found == [Alert(AlertKind.WAIT_OVER_TARGET, "A", 30, 30)]


def test_an_empty_line_or_no_target_never_alerts():
    assert evaluate([ServiceFigure("A", 30, None), ServiceFigure("B", 0, ago(hours=5))], [], NOW, 15) == []


def test_a_ticket_queued_in_the_future_waits_nothing_yet():
    # An appointment checked in early joins the line at its slot start.
    assert evaluate([ServiceFigure("A", 1, NOW + timedelta(minutes=20))], [], NOW, 15) == []


def test_a_pause_alerts_past_the_limit_only_while_paused():
    counters = [CounterFigure(1, "paused", ago(minutes=15)), CounterFigure(2, "paused", ago(minutes=16)),
                CounterFigure(3, "closed", ago(hours=3)), CounterFigure(4, "open", ago(hours=3)),
                CounterFigure(5, "paused", None)]
    assert keys(evaluate([], counters, NOW, 15)) == ["counter_paused:2"]


def test_a_pause_limit_of_zero_turns_pause_alerts_off():
    assert evaluate([], [CounterFigure(2, "paused", ago(hours=3))], NOW, 0) == []


def test_services_come_before_counters_and_carry_their_minutes():
    found = evaluate([ServiceFigure("C", 60, ago(minutes=75))], [CounterFigure(4, "paused", ago(minutes=20))], NOW, 15)
    assert [a.as_dict() for a in found] == [
        {"key": "wait_over_target:C", "kind": "wait_over_target", "subject": "C", "minutes": 75, "limit_minutes": 60},
        {"key": "counter_paused:4", "kind": "counter_paused", "subject": "4", "minutes": 20, "limit_minutes": 15}]


def test_changes_announce_new_alerts_once_and_clear_those_gone():
    a = Alert(AlertKind.WAIT_OVER_TARGET, "A", 31, 30)
    b = Alert(AlertKind.COUNTER_PAUSED, "2", 16, 15)
    assert changes({}, [a, b]) == ([a, b], [])
    # Still standing with more minutes: the same alert, nothing to announce.
    assert changes({a.key: {}, b.key: {}}, [Alert(AlertKind.WAIT_OVER_TARGET, "A", 45, 30), b]) == ([], [])
    assert changes({a.key: {}, b.key: {}}, []) == ([], ["counter_paused:2", "wait_over_target:A"])
