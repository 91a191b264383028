"""What the product keeps of its ETA per process and database (queries.eta reads through
it): each office's estimator inputs for a few seconds, and its latest replay of the line, one
per office change, with bursts of numbers at the back of a long line quoted from the last one
(docs/ETA.md, "One replay per change")."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from ..db import Database, PublishedEvent
from ..domain import eta
from ..domain.events import EventType

NO_ESTIMATE = eta.Estimate(None, None, None)


# Events after which an office's kept inputs are stale: who serves what (a counter opened,
# paused or closed; an administrator's change). Service times and the no-show share move
# slowly: they are read again after TTL seconds.
INPUT_CHANGES = frozenset({EventType.COUNTER_UPDATED.value, EventType.OFFICE_CONFIGURED.value})
# Events that move nobody already in line: a walk-in (or late) number at the back of its
# line, an alert. After these alone, the last replay still holds for everyone it quoted.
_APPENDS = frozenset({EventType.TICKET_ISSUED.value})
_NEUTRAL = frozenset({EventType.ALERT_RAISED.value, EventType.ALERT_CLEARED.value})


def _appended(event: PublishedEvent) -> bool:
    """A number taken now at the back of its line: not an appointment (placed at its slot),
    not a priority group (goes ahead)."""
    return (event.type in _APPENDS and not event.data.get("priority")
            and event.data.get("channel") != "appointment")


@dataclass
class Replay:
    """One replay of an office's line at `seq` (its moment `at`): the estimates of every
    ticket in it and of a newcomer per service, which services share a counter, and the
    counter minutes a number of each service adds to its line (`slot`). Derived from an
    earlier replay (derived_estimates): `at` stays that replay's moment and `added` holds the
    counter minutes appended since, per service."""

    seq: int
    at: datetime | None          # None: nothing happened in the office yet
    estimates: dict
    groups: dict
    slot: dict
    newcomers: dict = field(default_factory=dict)   # service id -> the replay's own newcomer
    size: int = 0                                    # the waiting tickets it replayed
    added: dict = field(default_factory=dict)
    cost: float = 0.0                                # CPU seconds the replay took


@dataclass
class _Tail:
    """What this process saw of an office's log since its last replay: the last seq, the
    last seq that moved someone in line (or that this process did not see), and the numbers
    appended at the back since then, in seq order."""

    seq: int = 0
    moved: int = 0
    appended: list = field(default_factory=list)   # (seq, ticket id)


class EtaInputs:
    """Per process and database: each office's Inputs for TTL seconds, on the process's
    clock and on the office's (the moment of the change they serve: a day replayed on a
    simulated clock reads them again as its time moves), dropped at once by INPUT_CHANGES;
    and its latest replay, valid for one office seq (any change to the line bumps the
    seq). A change made by another process is seen after TTL seconds at most.

    A burst of numbers taken at the back of a long line (a kiosk rush in a big hall) moves
    nobody already in line: for COALESCE seconds of the office's time after a replay of at
    least COALESCE_FROM waiting tickets, while this process saw every event since and all were
    such numbers, the replay is kept and each new number is quoted from it (`derived`). Any
    other change, or a change made by another process (a gap in the seqs seen here), replays
    again; so does every change to a shorter line, whose replay is cheap and whose quotes are
    exact. A replay that cost more than COALESCE / COST_SHARE of CPU is kept COST_SHARE times
    its cost instead (a line of thousands)."""

    TTL = 30.0
    COALESCE = timedelta(seconds=5)
    COALESCE_FROM = 30
    # A burst keeps a replay longer when the replay was dear (thousands waiting): replays
    # take at most about 1/COST_SHARE of the worker's time, and stall it that seldom.
    COST_SHARE = 100
    KEPT_APPENDS = 5_000

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.inputs: dict[tuple, tuple[float, datetime, object]] = {}
        self.replays: dict[int, Replay] = {}
        self.tails: dict[int, _Tail] = {}

    def get(self, office_id: int, day, moment: datetime, load):
        now = self.clock()
        found = self.inputs.get((office_id, day))
        if found is not None and found[0] > now and abs((moment - found[1]).total_seconds()) <= self.TTL:
            return found[2]
        value = load()
        self.inputs[(office_id, day)] = (now + self.TTL, moment, value)
        return value

    def replay(self, office_id: int, seq: int, moment, load, derive) -> Replay:
        """The office's replay at `seq`: kept, derived from the last one (a burst of numbers
        at the back), or `load(at)`ed; `moment()` tells the time of the office's change."""
        found = self.replays.get(office_id)
        if found is not None and found.seq == seq:
            return found
        at = moment()
        appended = self._appended_since(office_id, found, seq, at)
        if appended is None:
            started = time.process_time()
            value = load(at)
            value.cost = time.process_time() - started
        else:
            value = derive(found, appended)
            value.cost = found.cost
        self.replays[office_id] = value
        tail = self.tails.get(office_id)
        if tail is not None and tail.appended and tail.appended[0][0] <= value.seq:
            # What the replay now holds is never derived again: the burst's tail stays short.
            tail.appended = [entry for entry in tail.appended if entry[0] > value.seq]
        return value

    def _appended_since(self, office_id: int, found: Replay | None, seq: int,
                        moment: datetime | None) -> list[int] | None:
        """The ticket ids appended at the back since `found`, when that is all that changed
        up to `seq` and `found` is recent enough; else None."""
        tail = self.tails.get(office_id)
        if (found is None or found.at is None or found.size < self.COALESCE_FROM or tail is None
                or moment is None or tail.seq != seq or tail.moved > found.seq
                or found.seq > seq
                or moment - found.at > max(self.COALESCE, timedelta(seconds=found.cost * self.COST_SHARE))):
            return None
        return [ticket_id for event_seq, ticket_id in tail.appended if event_seq > found.seq]

    def after_commit(self, events: list[PublishedEvent]) -> None:
        stale = {event.office_id for event in events if event.type in INPUT_CHANGES}
        if stale:
            self.inputs = {key: entry for key, entry in self.inputs.items() if key[0] not in stale}
        for event in events:
            tail = self.tails.setdefault(event.office_id, _Tail())
            if event.seq != tail.seq + 1 or not (_appended(event) or event.type in _NEUTRAL):
                tail.moved, tail.appended = event.seq, []
            elif _appended(event) and event.ticket_id is not None:
                tail.appended.append((event.seq, event.ticket_id))
                if len(tail.appended) > self.KEPT_APPENDS:
                    tail.moved, tail.appended = event.seq, []
            tail.seq = event.seq


def kept(session: Session) -> EtaInputs:
    """The EtaInputs of the session's database (a fresh one, kept nowhere, for a session
    made elsewhere)."""
    db = session.info.get("database")
    return EtaInputs() if db is None else db.companion(EtaInputs, _listening)


def _listening(db: Database) -> EtaInputs:
    found = EtaInputs()
    db.add_listener(found.after_commit, first=True)
    return found


def derived(last: Replay, seq: int, appended: list[tuple[int, int]]) -> Replay:
    """The last replay, with the numbers appended since (ticket id, service id, in the
    order taken): each quoted as the replay's newcomer of its service, later by the counter
    minutes of the numbers appended before it (since the replay) that its counters serve;
    the newcomers (a number taken now) move behind them."""
    # The last replay's own estimates, added to in place (copying a line of thousands per
    # number would cost O(line)): its quotes of the tickets it held do not change, and a
    # reader of it that sees a number taken since, or the newcomer behind it, sees news.
    estimates, added = last.estimates, dict(last.added)
    groups, slot, newcomers = last.groups, last.slot, last.newcomers
    # Per service, the counter minutes appended ahead of its newcomer, kept as numbers are
    # appended (a line of thousands beyond a replay's depth is quoted in one pass); and
    # the services whose newcomers a number of each service delays.
    extra = {sid: sum(added.get(other, 0.0) for other in groups.get(sid, {sid})) for sid in newcomers}
    delays: dict[int, list[int]] = {}
    for sid in newcomers:
        for other in groups.get(sid, {sid}):
            delays.setdefault(other, []).append(sid)
    made: dict[tuple, eta.Estimate] = {}   # equal quotes share one (immutable) Estimate

    def behind(sid: int) -> eta.Estimate:
        newcomer = newcomers.get(sid, NO_ESTIMATE)
        if newcomer.minutes is None:
            return NO_ESTIMATE
        more = extra[sid]
        key = (round(newcomer.minutes + more), round(newcomer.low + more), round(newcomer.high + more))
        found = made.get(key)
        if found is None:
            found = made[key] = eta.Estimate(*key)
        return found
    for ticket_id, sid in appended:
        estimates[ticket_id] = behind(sid)
        step = slot.get(sid, 0.0)
        added[sid] = added.get(sid, 0.0) + step
        for delayed in delays.get(sid, ()):
            extra[delayed] += step
    for sid in newcomers:
        estimates[-sid] = behind(sid)
    return Replay(seq, last.at, estimates, last.groups, last.slot, last.newcomers, size=last.size, added=added)
