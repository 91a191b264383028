import pytest

from queueapp.domain.errors import IllegalTransition
from queueapp.domain.states import TRANSITIONS, Action, TicketStatus, next_status


def test_a_ticket_goes_from_waiting_to_done_through_called_and_serving():
    status = TicketStatus.WAITING
    for action in (Action.CALL, Action.START, Action.FINISH):
        status = next_status(status, action)
    assert status is TicketStatus.DONE


@pytest.mark.parametrize("status", [TicketStatus.DONE, TicketStatus.NO_SHOW, TicketStatus.CANCELLED])
def test_a_finished_ticket_allows_no_action_at_all(status):
    for action in Action:
        with pytest.raises(IllegalTransition):
            next_status(status, action)


def test_a_waiting_ticket_cannot_be_finished_or_marked_no_show():
    for action in (Action.FINISH, Action.NO_SHOW, Action.START, Action.RECALL):
        with pytest.raises(IllegalTransition) as info:
            next_status(TicketStatus.WAITING, action)
        assert info.value.code == "illegal_transition"


def test_a_held_ticket_must_be_resumed_before_it_can_be_called():
    with pytest.raises(IllegalTransition):
        next_status(TicketStatus.ON_HOLD, Action.CALL)
    assert next_status(TicketStatus.ON_HOLD, Action.RESUME) is TicketStatus.WAITING


def test_a_transferred_ticket_can_be_called_in_its_new_line():
    assert next_status(TicketStatus.WAITING, Action.TRANSFER) is TicketStatus.TRANSFERRED
    assert next_status(TicketStatus.TRANSFERRED, Action.CALL) is TicketStatus.CALLED


def test_every_state_is_reachable_from_waiting():
    reachable, frontier = {TicketStatus.WAITING}, [TicketStatus.WAITING]
    while frontier:
        current = frontier.pop()
        for (source, _action), target in TRANSITIONS.items():
            if source is current and target not in reachable:
                reachable.add(target)
                frontier.append(target)
    assert reachable == set(TicketStatus)
