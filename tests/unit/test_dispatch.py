from datetime import datetime, timedelta, timezone

from queueapp.domain.dispatch import Candidate, DispatchPolicy, people_ahead
from queueapp.domain.states import TicketStatus

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


def ticket(tid, service, minutes, priority=None, status=TicketStatus.WAITING):
    return Candidate(ticket_id=tid, service_id=service, status=status,
                     queued_at=T0 + timedelta(minutes=minutes), number=tid, priority=priority)


def test_the_oldest_ticket_of_the_counters_services_is_called_first():
    policy = DispatchPolicy(service_order={1: 1})
    assert policy.choose([ticket(2, 1, 5), ticket(1, 1, 1), ticket(3, 2, 0)]).ticket_id == 1


def test_priority_groups_go_first_when_the_counter_calls_them_first():
    line = [ticket(1, 1, 0), ticket(2, 1, 10, priority="lansia")]
    assert DispatchPolicy(service_order={1: 1}, priority_first=True).choose(line).ticket_id == 2
    assert DispatchPolicy(service_order={1: 1}, priority_first=False).choose(line).ticket_id == 1


def test_a_service_with_a_lower_order_is_served_before_another():
    line = [ticket(1, 2, 0), ticket(2, 1, 30)]
    assert DispatchPolicy(service_order={1: 1, 2: 2}).choose(line).ticket_id == 2


def test_services_sharing_an_order_form_one_line_by_time():
    line = [ticket(1, 2, 0), ticket(2, 1, 30)]
    assert DispatchPolicy(service_order={1: 1, 2: 1}).choose(line).ticket_id == 1


def test_held_called_and_foreign_tickets_are_never_chosen():
    line = [ticket(1, 1, 0, status=TicketStatus.ON_HOLD), ticket(2, 1, 1, status=TicketStatus.CALLED),
            ticket(3, 9, 2)]
    assert DispatchPolicy(service_order={1: 1}).choose(line) is None


def test_a_transferred_ticket_is_callable_in_its_new_service():
    line = [ticket(1, 1, 5), ticket(2, 1, 1, status=TicketStatus.TRANSFERRED)]
    assert DispatchPolicy(service_order={1: 1}).choose(line).ticket_id == 2


def test_people_ahead_counts_only_the_same_service_before_me():
    mine = ticket(3, 1, 10)
    line = [ticket(1, 1, 0), ticket(2, 2, 1), mine, ticket(4, 1, 20), ticket(5, 1, 30, priority="anak")]
    assert people_ahead(mine, line) == 2  # ticket 1, and the priority ticket 5
    assert people_ahead(mine, line, priority_first=False) == 1
