"""A very long line is replayed to a depth per service (eta.deepest_cut)."""
from queueapp.domain import eta


def _state(waiting):
    return eta.LineState(tuple(waiting), (), {})


def test_a_line_within_the_depth_is_kept_whole():
    waiting = [eta.Waiting(i, 1, float(i), i) for i in range(1, 4)]
    state, rest = eta.deepest_cut(_state(waiting), 3)
    assert state.waiting == tuple(waiting) and rest == []


def test_each_service_keeps_its_first_tickets_priority_groups_first_and_the_rest_comes_in_time_order():
    a = [eta.Waiting(i, 1, float(i), i) for i in range(1, 6)]
    priority = eta.Waiting(9, 1, 10.0, 9, priority=True)   # came last, called first
    b = [eta.Waiting(20 + i, 2, float(i) + 0.5, i) for i in range(1, 3)]
    state, rest = eta.deepest_cut(_state(a + [priority] + b), 3)
    assert {w.ticket_id for w in state.waiting} == {9, 1, 2, 21, 22}
    assert [w.ticket_id for w in state.waiting] == [1, 2, 9, 21, 22]   # the line's own order kept
    assert [w.ticket_id for w in rest] == [3, 4, 5]
