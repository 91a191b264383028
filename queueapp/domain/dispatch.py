"""Who is next for this counter: the dispatch rule, as a pure function.

Rule, in order:
1. Only tickets that stand in a line (waiting or transferred) for one of the
   counter's services are candidates; held tickets are not, until resumed.
2. When the counter calls priority groups first (UU 25/2009 Pasal 29), any
   priority ticket goes before any other.
3. Then the counter's service order: a service with a lower `order` goes first;
   services sharing an order are one merged line.
4. Then the time the ticket joined its line (`queued_at`), oldest first, with the
   number as a tie-breaker.

Extension point: `DispatchPolicy.choose` receives all candidates; an appointments
policy can subclass it to merge checked-in appointments with walk-ins fairly.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .states import CALLABLE, TicketStatus


@dataclass(frozen=True)
class Candidate:
    ticket_id: int
    service_id: int
    status: TicketStatus
    queued_at: datetime
    number: int
    priority: str | None = None
    channel: str = "kiosk"


@dataclass(frozen=True)
class DispatchPolicy:
    """`service_order` maps service id to its order at this counter (lower first)."""

    service_order: dict[int, int]
    priority_first: bool = True

    def eligible(self, candidate: Candidate) -> bool:
        return candidate.service_id in self.service_order and TicketStatus(candidate.status) in CALLABLE

    def rank(self, candidate: Candidate) -> tuple:
        priority_rank = 0 if (self.priority_first and candidate.priority) else 1
        return (priority_rank, self.service_order[candidate.service_id],
                candidate.queued_at, candidate.number, candidate.ticket_id)

    def choose(self, candidates: list[Candidate]) -> Candidate | None:
        eligible = [c for c in candidates if self.eligible(c)]
        return min(eligible, key=self.rank) if eligible else None


def line_rank(candidate: Candidate, priority_first: bool = True) -> tuple:
    """Order of a service's own line, used to tell a citizen how many are ahead."""
    return (0 if (priority_first and candidate.priority) else 1,
            candidate.queued_at, candidate.number, candidate.ticket_id)


def people_ahead(mine: Candidate, line: list[Candidate], priority_first: bool = True) -> int:
    """How many callable tickets of the same service stand before `mine`."""
    my_rank = line_rank(mine, priority_first)
    return sum(1 for other in line
               if other.ticket_id != mine.ticket_id
               and other.service_id == mine.service_id
               and TicketStatus(other.status) in CALLABLE
               and line_rank(other, priority_first) < my_rank)
