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

from collections import deque
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


@dataclass(frozen=True)
class FairMergePolicy(DispatchPolicy):
    """Merge checked-in appointments with walk-ins (docs/BOOKING.md, "fair merge").

    1. Priority groups still go first when the counter calls them first (the law).
    2. An appointment whose slot has come (its `queued_at` is the slot start) goes ahead
       of walk-ins, earliest slot first.
    3. But after `appointments_in_a_row` appointment calls in a row at this counter
       (`streak`), the next call goes to a waiting walk-in, if any: walk-ins are never
       starved. 0 turns the rule off (plain time order, appointments at their slot time).
    """

    appointments_in_a_row: int = 2
    streak: int = 0
    now: datetime | None = None

    def _due(self, candidate: Candidate) -> bool:
        return (candidate.channel == "appointment" and self.now is not None
                and candidate.queued_at <= self.now)

    def choose(self, candidates: list[Candidate]) -> Candidate | None:
        eligible = [c for c in candidates if self.eligible(c)]
        if not eligible or self.appointments_in_a_row <= 0:
            return super().choose(eligible)
        if self.priority_first and any(c.priority for c in eligible):
            return super().choose([c for c in eligible if c.priority])
        due = [c for c in eligible if self._due(c)]
        walk_ins = [c for c in eligible if c.channel != "appointment"]
        if walk_ins and (not due or self.streak >= self.appointments_in_a_row):
            return min(walk_ins, key=self.rank)
        return min(due or eligible, key=self.rank)


def appointment_streak(recent_channels: list[str]) -> int:
    """How many of a counter's latest calls (newest first) were appointments in a row."""
    streak = 0
    for channel in recent_channels:
        if channel != "appointment":
            break
        streak += 1
    return streak


def call_order(policy: DispatchPolicy, candidates: list[Candidate]) -> list[Candidate]:
    """The order in which `policy` would call these candidates if nobody else arrived:
    what a clerk's waiting list shows. A fair-merge policy's streak moves with each call.
    Equal to calling policy.choose again and again (tests/unit/test_merge_dispatch.py),
    in one sort: a long line costs n log n, not n squared."""
    eligible = sorted((c for c in candidates if policy.eligible(c)), key=policy.rank)
    if not isinstance(policy, FairMergePolicy) or policy.appointments_in_a_row <= 0:
        return eligible
    first = [c for c in eligible if policy.priority_first and c.priority]
    rest = [c for c in eligible if not (policy.priority_first and c.priority)]
    walk_ins = deque(c for c in rest if c.channel != "appointment")
    due = deque(c for c in rest if policy._due(c))
    later = deque(c for c in rest if c.channel == "appointment" and not policy._due(c))
    order, streak = [], policy.streak
    for chosen in first:
        order.append(chosen)
        streak = streak + 1 if chosen.channel == "appointment" else 0
    while walk_ins or due or later:
        if walk_ins and (not due or streak >= policy.appointments_in_a_row):
            chosen = walk_ins.popleft()
        else:
            chosen = (due or later).popleft()   # no walk-in left, or due appointments first
        order.append(chosen)
        streak = streak + 1 if chosen.channel == "appointment" else 0
    return order
