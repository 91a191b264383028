"""Estimated wait: people ahead, counters open for the service, recent service times."""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Estimate:
    minutes: int | None
    low: int | None
    high: int | None


def rolling_mean_minutes(durations_seconds: list[float], fallback_minutes: float,
                         window: int = 20, minimum_samples: int = 3) -> float:
    """Mean of the latest `window` service durations; the service's expected minutes
    until there are at least `minimum_samples` of them."""
    recent = [d for d in durations_seconds[-window:] if d > 0]
    if len(recent) < minimum_samples:
        return float(fallback_minutes)
    return sum(recent) / len(recent) / 60.0


def estimate_wait(people_ahead: int, open_counters: int, mean_minutes: float) -> Estimate:
    """Wait until this ticket is called. With no counter open for the service there
    is no honest estimate, so the minutes are None."""
    if open_counters <= 0:
        return Estimate(None, None, None)
    # Everyone ahead is split across the open counters; the citizen's own turn starts
    # when the last of those rounds ends.
    rounds = people_ahead / open_counters
    minutes = math.ceil(rounds * mean_minutes)
    spread = max(1, math.ceil(minutes * 0.3))
    return Estimate(minutes, max(0, minutes - spread), minutes + spread)


# ---------------------------------------------------------------------------------------
# Estimators that use what the office knows (docs/ETA.md compares them with the rule above
# on simulated office days). Each is a pure function of a LineState, the office's line and
# counters at one moment, with times in minutes from that moment.

@dataclass(frozen=True)
class ServiceHistory:
    """Recent history of one service: counter minutes per ticket (call to finish, oldest
    first), the share of calls that ended as no-shows and the minutes one cost, the
    priority tickets per minute lately, and the admin's expected minutes as a fallback."""

    durations: tuple[float, ...] = ()
    fallback_minutes: float = 10.0
    no_show_share: float = 0.0
    no_show_minutes: float = 0.0
    priority_per_minute: float = 0.0


@dataclass(frozen=True)
class CounterNow:
    """A counter that serves or will serve: `services` maps service id to its order there,
    `ready_in` the minutes until it can call (0: open and free; a break's end for a
    counter paused in the office's break), `busy_minutes` the minutes its current ticket
    has been at it (None when free), `speed` its clerk's minutes per expected minute."""

    counter_id: int
    services: dict[int, int]
    priority_first: bool = True
    ready_in: float = 0.0
    busy_minutes: float | None = None
    busy_service: int | None = None
    speed: float = 1.0
    # Its fair-merge limit (booking_rules.appointments_in_a_row; None: APPOINTMENTS_IN_A_ROW,
    # 0: no merge, appointments in time order at their slot).
    appointments_in_a_row: int | None = None
    # Closed now, expected to open in `ready_in` minutes (its clerk's shift): it takes its
    # part of the line from then, but a line it alone serves has no estimate yet.
    rostered: bool = False


@dataclass(frozen=True)
class Waiting:
    """A callable ticket: `queued` its place in time (minutes, negative: before now)."""

    ticket_id: int
    service_id: int
    queued: float
    number: int
    priority: bool = False
    # A checked-in appointment: `queued` is its slot's start; once that has come it goes
    # ahead of walk-ins (domain.dispatch.FairMergePolicy), up to APPOINTMENTS_IN_A_ROW calls.
    appointment: bool = False


# How many of a service's latest counter minutes the replay draws from (queries.eta reads as
# many): more samples pin the service's mean better, fewer follow a change of pace sooner.
HISTORY_WINDOW = 60
# Whether the replay draws counter minutes from each service's fitted lognormal
# (lognormal_fit) or from its latest minutes themselves; a switch for docs/ETA.md's figures.
DRAW_FITTED = True
# domain.dispatch.FairMergePolicy's default (booking_rules.appointments_in_a_row).
APPOINTMENTS_IN_A_ROW = 2
# Whether the replay counts the bookings still to come (LineState.booked); a switch for the
# simulator's before/after figures (docs/ETA.md, "Appointments").
USE_BOOKINGS = True
# Ids of booked appointments still to come in a replay (below any newcomer's -service id).
_BOOKED_IDS = -10 ** 6


@dataclass(frozen=True)
class LineState:
    waiting: tuple[Waiting, ...]
    counters: tuple[CounterNow, ...]
    history: dict[int, ServiceHistory]
    # The office's breaks still ahead today (or under way), minutes from now: counters pause.
    breaks: tuple[tuple[float, float], ...] = ()
    # Booked appointments of today not checked in yet: (slot start in minutes from now,
    # service id[, the probability it comes]); each comes with that probability, else
    # `booked_show` (the observed share).
    booked: tuple[tuple, ...] = ()
    booked_show: float = 0.9

    def ticket(self, ticket_id: int) -> Waiting | None:
        return next((w for w in self.waiting if w.ticket_id == ticket_id), None)

    def serving(self, service_id: int) -> list[CounterNow]:
        """The counters open for the service or due back from a break (not those the roster
        opens later: with only those there is no honest estimate)."""
        return [c for c in self.counters if service_id in c.services and not c.rostered]


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def robust_minutes(history: ServiceHistory, window: int = 30, minimum_samples: int = 3) -> float:
    """Trimmed mean (10% off each end) of the latest `window` counter minutes: one
    citizen with a lost document does not move everybody's estimate."""
    recent = sorted(d for d in history.durations[-window:] if d > 0)
    if len(recent) < minimum_samples:
        return float(history.fallback_minutes)
    cut = len(recent) // 10
    kept = recent[cut:len(recent) - cut] or recent
    return sum(kept) / len(kept)


def _spread_minutes(history: ServiceHistory, window: int = 30) -> float:
    """A robust standard deviation of one ticket's counter minutes (the 10th-90th
    percentile distance / 2.56); half the fallback before there is history."""
    recent = [d for d in history.durations[-window:] if d > 0]
    if len(recent) < 5:
        return history.fallback_minutes * 0.5
    return max(0.1, (_quantile(recent, 0.9) - _quantile(recent, 0.1)) / 2.56)


def _after_breaks(start: float, minutes: float, breaks) -> float:
    """The moment `minutes` of counter time starting at `start` end, counters pausing in
    the breaks (a ticket under way at a break's start is finished first)."""
    end = start + minutes
    for b0, b1 in breaks:
        if start < b0 <= end or b0 <= start < b1:
            end += b1 - max(b0, start)
    return end


def _remaining(counter: CounterNow, mean: float) -> float:
    """Counter minutes left of the ticket at it (a break it is in counts apart)."""
    if counter.busy_minutes is None:
        return 0.0
    return max(mean * counter.speed - counter.busy_minutes, 0.25 * mean)


def _line_rank(w: Waiting) -> tuple:
    return (0 if w.priority else 1, w.queued, w.number, w.ticket_id)


def _ahead(state: LineState, me: Waiting) -> list[Waiting]:
    """The tickets before `me` in its service's own line (dispatch.line_rank)."""
    mine = _line_rank(me)
    return [w for w in state.waiting if w.service_id == me.service_id and _line_rank(w) < mine]


def _counter_rank(counter: CounterNow, w: Waiting) -> tuple:
    """The dispatch rank of a ticket at a counter (domain.dispatch.DispatchPolicy.rank)."""
    return (0 if (counter.priority_first and w.priority) else 1, counter.services[w.service_id],
            w.queued, w.number, w.ticket_id)


def people_before(state: LineState, ticket_id: int) -> int:
    """How many waiting tickets a counter serving this ticket's service will call first
    (its own line and, where a counter merges services, the others'): the queue length
    the ETA accuracy is reported by."""
    me = state.ticket(ticket_id)
    if me is None:
        return 0
    mine = state.serving(me.service_id)
    if not mine:
        return len(_ahead(state, me))
    return sum(1 for w in state.waiting if w.ticket_id != ticket_id and any(
        w.service_id in c.services and _counter_rank(c, w) < _counter_rank(c, me) for c in mine))


def estimate_queue_model(state: LineState, ticket_id: int, z: float = 1.2816) -> Estimate:
    """A queueing-model estimate. Each waiting ticket's work (its service's robust mean
    minutes, or the minutes a no-show costs at the observed no-show share) is spread
    evenly over the counters that serve it; the ticket waits for the part of that work
    which the counters serving it will do before it (by each counter's dispatch rank:
    priority, the counter's service order, time in line), plus what is left of the
    tickets at those counters, divided by the counters' speed. Priority tickets still to
    come (their observed rate) stretch a non-priority ticket's wait; the office's breaks
    add their length. The range is the 10th-90th percentile of a normal approximation of
    the sum of those service times, plus a 30% model error. None when no counter serving
    the service is open or due back from a break."""
    found = queue_model_minutes(state, ticket_id)
    if found is None:
        return Estimate(None, None, None)
    wait, sd = found
    return _estimate(wait, wait - z * sd, wait + z * sd)


def queue_model_minutes(state: LineState, ticket_id: int) -> tuple[float, float] | None:
    """estimate_queue_model's expected wait and its standard deviation, unrounded."""
    me = state.ticket(ticket_id)
    mine = state.serving(me.service_id) if me is not None else []
    if not mine:
        return None
    means = {sid: robust_minutes(h) for sid, h in state.history.items()}
    spreads = {sid: _spread_minutes(h) for sid, h in state.history.items()}
    fallback = ServiceHistory()
    served_by: dict[int, int] = {}
    for counter in state.counters:
        if counter.rostered:   # the model spreads the line over the counters serving now
            continue
        for sid in counter.services:
            served_by[sid] = served_by.get(sid, 0) + 1

    def cost(sid: int) -> float:
        h = state.history.get(sid, fallback)
        mean = means.get(sid, h.fallback_minutes)
        return (1 - h.no_show_share) * mean + h.no_show_share * (h.no_show_minutes or mean)

    capacity = sum(1 / c.speed for c in mine)
    work = sum(_remaining(c, means.get(c.busy_service, 0.0)) / c.speed for c in mine)
    # A counter due back later than the breaks (none today) starts late by that much.
    work += sum(max(0.0, c.ready_in - _after_breaks(0.0, 0.0, state.breaks)) for c in mine)
    variance = 0.0
    for w in state.waiting:
        if w.ticket_id == ticket_id:
            continue
        share = sum(1 for c in mine if w.service_id in c.services
                    and _counter_rank(c, w) < _counter_rank(c, me)) / served_by.get(w.service_id, 1)
        if share:
            work += share * cost(w.service_id)
            variance += share * spreads.get(w.service_id, 0.0) ** 2
    wait = work / capacity
    if not me.priority:
        jumping = sum(state.history.get(sid, fallback).priority_per_minute * means.get(sid, 0.0)
                      / served_by.get(sid, 1) * sum(1 for c in mine if sid in c.services)
                      for sid in {sid for c in mine for sid in c.services} if any(c.priority_first for c in mine))
        wait /= 1 - min(0.5, jumping / capacity)
    wait = _after_breaks(0.0, wait, state.breaks)
    sd = math.sqrt(variance) / capacity
    return wait, math.sqrt(sd ** 2 + (0.3 * wait) ** 2)


def _estimate(point: float, low: float, high: float) -> Estimate:
    minutes = max(0, round(point))
    return Estimate(minutes, max(0, min(minutes, math.floor(low))), max(minutes, math.ceil(high), minutes + 1))


def _sample(history: ServiceHistory, rng, window: int | None = None) -> float:
    window = window or HISTORY_WINDOW
    recent = [d for d in history.durations[-window:] if d > 0]
    if len(recent) < 3:
        # Before there is history: a lognormal around the admin's expected minutes.
        return rng.lognormvariate(math.log(max(history.fallback_minutes, 0.5)), 0.5)
    return rng.choice(recent)


def lognormal_fit(history: ServiceHistory, window: int | None = None) -> tuple[float, float] | None:
    """The lognormal a service's latest counter minutes come from, fitted robustly: the
    median of their logarithms and their interquartile range / 1.349 as sigma. A long
    tail of a few tickets (a lost document) moves it little, where drawing the tickets
    themselves repeats that tail for everybody behind. None before there are 3."""
    logs = sorted(math.log(d) for d in history.durations[-(window or HISTORY_WINDOW):] if d > 0)
    n = len(logs)
    if n < 3:
        return None
    at = lambda q: logs[min(n - 1, int(q * (n - 1) + 0.5))]  # noqa: E731
    spread = (at(0.75) - at(0.25)) / 1.349
    return at(0.5), spread


def _draw(history: ServiceHistory, fit: tuple[float, float] | None, rng) -> float:
    """One ticket's counter minutes: from the service's fitted lognormal (DRAW_FITTED),
    else one of its latest minutes, else around the admin's expected minutes."""
    if fit is not None and DRAW_FITTED:
        return rng.lognormvariate(*fit)
    return _sample(history, rng)


def estimate_monte_carlo(state: LineState, ticket_id: int, rng, draws: int = 40,
                         horizon: float = 240.0) -> Estimate:
    """Replay the counters: each draw runs the dispatch rule (priority first where the
    counter says so, then the counter's service order, then time in line) over the
    current line, with counter minutes drawn from each service's recent history (times
    the counter's speed), no-shows drawn at their observed share, priority tickets still
    to come drawn at their observed rate, and counters pausing in the office's breaks.
    The estimate is the median of the draws, the range their 10th-90th percentile.
    `rng` is a random.Random (the caller seeds it). None when no counter serving the
    service is open or due back from a break."""
    waits = monte_carlo_waits(state, ticket_id, rng, draws, horizon)
    if not waits:
        return Estimate(None, None, None)
    return draws_estimate(waits)


def draws_estimate(waits: list[float]) -> Estimate:
    """The median of the draws, and their 10th-90th percentile widened by what the draws
    do not model (a clerk back late, a long recall, arrivals): 5% of the median and half a
    minute below, 10% and a minute above (set on kecamatan-small seeds 1-2, docs/ETA.md)."""
    median = _quantile(waits, 0.5)
    return _estimate(median, _quantile(waits, 0.1) - 0.05 * median - 0.5, _quantile(waits, 0.9) + 0.1 * median + 1)


# Whether a service without its own history yet is drawn at the office's observed pace
# (calibrated_fallbacks); a switch for the simulator's before/after figures.
CALIBRATE_FALLBACK = True


def calibrated_fallbacks(state: LineState, minimum_samples: int = 3) -> LineState:
    """Until a service has its own history, its counter minutes are the admin's expected
    minutes; admins type round, generous figures (10 minutes for a 4-minute task). The
    services that do have history tell the office's pace: the median of their robust mean
    / expected minutes. A service without history is drawn at its expected minutes times
    that pace (kept between 0.25 and 2)."""
    ratios = sorted(robust_minutes(h) / h.fallback_minutes for h in state.history.values()
                    if h.fallback_minutes > 0 and sum(1 for d in h.durations if d > 0) >= minimum_samples)
    if not CALIBRATE_FALLBACK or not ratios or len(ratios) == len(state.history):
        return state
    pace = min(2.0, max(0.25, _quantile(ratios, 0.5)))
    history = {sid: h if sum(1 for d in h.durations if d > 0) >= minimum_samples else
               ServiceHistory(h.durations, h.fallback_minutes * pace, h.no_show_share, h.no_show_minutes,
                              h.priority_per_minute)
               for sid, h in state.history.items()}
    return LineState(state.waiting, state.counters, history, state.breaks, state.booked, state.booked_show)


def monte_carlo_waits(state: LineState, ticket_id: int, rng, draws: int = 40,
                      horizon: float = 240.0) -> list[float]:
    """The waits of estimate_monte_carlo's draws, sorted (empty: no estimate)."""
    state = calibrated_fallbacks(state)
    me = state.ticket(ticket_id)
    if me is None or not state.serving(me.service_id):
        return []
    relevant = _relevant_counters(state, me.service_id)
    lines = {c.counter_id: _counter_line(state, c) for c in relevant}
    fits = {sid: lognormal_fit(h) for sid, h in state.history.items()}
    waits = []
    for _ in range(draws):
        found = _replay(state, relevant, lines, me, rng, horizon, fits=fits)
        if found is not None:
            waits.append(found)
    return sorted(waits)


def _relevant_counters(state: LineState, service_id: int) -> list[CounterNow]:
    """The counters serving the service and, transitively, those sharing a service with them."""
    services, chosen = {service_id}, {}
    grew = True
    while grew:
        grew = False
        for c in state.counters:
            if c.counter_id not in chosen and services & set(c.services):
                chosen[c.counter_id] = c
                services |= set(c.services)
                grew = True
    return list(chosen.values())


def monte_carlo_line(state: LineState, rng, draws: int = 40, horizon: float = 240.0) -> dict[int, Estimate]:
    """estimate_monte_carlo for every waiting ticket at once, from the same draws (each
    draw replays the whole line): what a screen of the whole line needs, in draws x line
    steps instead of tickets x draws x line."""
    state = calibrated_fallbacks(state)
    lines = {c.counter_id: _counter_line(state, c) for c in state.counters}
    waits: dict[int, list[float]] = {}
    fits = {sid: lognormal_fit(h) for sid, h in state.history.items()}
    for _ in range(draws):
        _replay(state, list(state.counters), lines, None, rng, horizon, waits, fits)
    result = {}
    served = {sid for c in state.counters if not c.rostered for sid in c.services}
    for w in state.waiting:
        found = sorted(waits.get(w.ticket_id, ()))
        # A ticket some draws never reached (past the horizon), or of a line no counter is
        # open for yet, gets no estimate.
        result[w.ticket_id] = (draws_estimate(found) if len(found) == draws and w.service_id in served
                               else Estimate(None, None, None))
    return result


def with_newcomers(state: LineState, service_ids) -> LineState:
    """The state with one newcomer per service at the back of its line (ticket id minus the
    service id): monte_carlo_line then tells the wait of a number taken now, and the
    newcomers never delay anyone (they take no counter time)."""
    newcomers = tuple(Waiting(-sid, sid, 0.0, 10 ** 9) for sid in service_ids)
    return LineState(state.waiting + newcomers, state.counters, state.history, state.breaks,
                     state.booked, state.booked_show)


def _booked_waiting(state: LineState) -> tuple[Waiting, ...]:
    """The booked appointments still to come as appointments in line from their slot."""
    return tuple(Waiting(_BOOKED_IDS - i, sid, slot, 10 ** 8 + i, False, True)
                 for i, (slot, sid, *_) in enumerate(state.booked))


def _counter_line(state: LineState, counter: CounterNow) -> tuple[list[Waiting], list[Waiting]]:
    """A counter's line in its dispatch rank: the walk-ins (and newcomers), and apart the
    appointments (checked in, and booked still to come)."""
    rank = lambda w: _counter_rank(counter, w)  # noqa: E731
    mine = [w for w in state.waiting if w.service_id in counter.services]
    booked = [w for w in _booked_waiting(state) if w.service_id in counter.services] if USE_BOOKINGS else []
    groups: dict[tuple, list[Waiting]] = {}
    for w in sorted([w for w in mine if w.appointment] + booked, key=rank):
        groups.setdefault(rank(w)[:2], []).append(w)
    # The appointments in groups of one rank (priority, service order): inside a group they
    # stand by slot, so the first one not yet taken tells whether any is due.
    return sorted((w for w in mine if not w.appointment), key=rank), list(groups.values())


def _replay(state: LineState, counters: list[CounterNow], lines: dict, me: Waiting | None, rng,
            horizon: float, record: dict | None = None, fits: dict | None = None) -> float | None:
    fits = fits or {}
    # Priority tickets still to come, per service (only counters calling them first let them jump).
    coming = []
    if me is None or not me.priority:
        for sid in {sid for c in counters for sid in c.services}:
            rate = state.history.get(sid, ServiceHistory()).priority_per_minute
            t = rng.expovariate(rate) if rate > 0 else horizon
            while t < horizon:
                coming.append((t, sid))
                t += rng.expovariate(rate)
        coming.sort()
    taken_coming = [False] * len(coming)
    # Booked citizens who will not come in this draw (the observed no-show share).
    taken: set[int] = {_BOOKED_IDS - i for i, booking in enumerate(state.booked)
                       if USE_BOOKINGS and rng.random() > (booking[2] if len(booking) > 2 else state.booked_show)}
    streaks = {c.counter_id: 0 for c in counters}
    pointers = {c.counter_id: 0 for c in counters}
    group_pointers: dict[tuple[int, int], int] = {}
    heap = []
    for c in counters:
        if c.busy_minutes is None:
            ready = c.ready_in
        else:
            busy = state.history.get(c.busy_service, ServiceHistory())
            longer = [d for d in busy.durations[-HISTORY_WINDOW:] if d * c.speed > c.busy_minutes]
            total = rng.choice(longer) * c.speed if longer else c.busy_minutes * 1.25
            ready = max(c.ready_in, total - c.busy_minutes)
        heapq.heappush(heap, (_free_at(ready, state.breaks), c.counter_id, c))
    while heap:
        t, _, c = heapq.heappop(heap)
        if t > horizon * 2:
            return None
        service = chosen = None
        if c.priority_first:
            for i, (arrival, sid) in enumerate(coming):
                if arrival > t:
                    break
                if not taken_coming[i] and sid in c.services and not _priority_waiting(lines[c.counter_id], pointers,
                                                                                        c, taken):
                    taken_coming[i] = True
                    service = sid
                    break
        if service is None:
            walk_ins, groups = lines[c.counter_id]
            i = pointers[c.counter_id]
            while i < len(walk_ins) and walk_ins[i].ticket_id in taken:
                i += 1
            pointers[c.counter_id] = i
            heads = []
            for g, group in enumerate(groups):
                j = group_pointers.get((c.counter_id, g), 0)
                while j < len(group) and group[j].ticket_id in taken:
                    j += 1
                group_pointers[(c.counter_id, g)] = j
                if j < len(group):
                    heads.append((group, j))
            chosen = _fair_merge(walk_ins[i] if i < len(walk_ins) else None, heads, taken, t,
                                 streaks[c.counter_id], c)
            if chosen is None:
                later = [group[j].queued for group, j in heads]
                if not later:
                    continue   # this counter has nobody left for it in this replay
                # Only booked citizens whose slot has not come: the counter waits for the next.
                heapq.heappush(heap, (_free_at(max(min(later), t), state.breaks), c.counter_id, c))
                continue
            streaks[c.counter_id] = streaks[c.counter_id] + 1 if chosen.appointment else 0
            taken.add(chosen.ticket_id)
            if record is not None:
                record.setdefault(chosen.ticket_id, []).append(t)
            if me is not None and chosen.ticket_id == me.ticket_id:
                return t
            service = chosen.service_id
        if service is not None and chosen is not None and _BOOKED_IDS < chosen.ticket_id < 0:
            # A newcomer who is not there (a board's "wait if you take a number now"): it
            # learns its wait without taking the counter's time.
            heapq.heappush(heap, (t, c.counter_id, c))
            continue
        history = state.history.get(service, ServiceHistory())
        if history.no_show_share and rng.random() < history.no_show_share:
            minutes = history.no_show_minutes or _draw(history, fits.get(service), rng)
        else:
            minutes = _draw(history, fits.get(service), rng) * c.speed
        heapq.heappush(heap, (_free_at(t + minutes, state.breaks), c.counter_id, c))
    return None


def _fair_merge(walk_in: Waiting | None, heads: list[tuple[list[Waiting], int]], taken: set[int], t: float,
                streak: int, counter: CounterNow) -> Waiting | None:
    """domain.dispatch.FairMergePolicy at `t`: a priority walk-in first (where the counter
    says so), then an appointment whose slot has come ahead of walk-ins unless
    its limit (APPOINTMENTS_IN_A_ROW by default) were called in a row, else the first walk-in, else a checked-in
    appointment before its slot; a booked citizen still to come is not there before the
    slot (None: nobody there now). `heads`: per rank group of appointments (by slot), the
    group and the index of its first one not taken."""
    if walk_in is not None and counter.priority_first and walk_in.priority:
        return walk_in
    limit = APPOINTMENTS_IN_A_ROW if counter.appointments_in_a_row is None else counter.appointments_in_a_row
    if limit <= 0:
        # No merge: the first by the counter's rank, a booked citizen only from the slot on.
        present = [group[j] for group, j in heads if group[j].ticket_id > _BOOKED_IDS or group[j].queued <= t]
        return min(present + ([walk_in] if walk_in is not None else []),
                   key=lambda w: _counter_rank(counter, w), default=None)
    due = next((group[j] for group, j in heads if group[j].queued <= t), None)
    if walk_in is not None and (due is None or streak >= limit):
        return walk_in
    if due is not None or walk_in is not None:
        return due or walk_in
    # Nobody due and no walk-in: a checked-in appointment before its slot.
    return next((w for group, j in heads for w in group[j:]
                 if w.ticket_id not in taken and w.ticket_id > _BOOKED_IDS), None)


def _priority_waiting(lines: tuple, pointers: dict, counter: CounterNow, taken: set[int]) -> bool:
    """Whether a priority ticket already in line is next for this counter."""
    for w in lines[0][pointers[counter.counter_id]:]:
        if w.ticket_id not in taken:
            return w.priority
    return False


def _free_at(t: float, breaks) -> float:
    """A counter free at `t` calls at once, or at the end of the break it falls into."""
    for b0, b1 in breaks:
        if b0 <= t < b1:
            return b1
    return t


def estimate_rolling_mean(state: LineState, ticket_id: int, durations_minutes: list[float] | None = None) -> Estimate:
    """Today's rule (estimate_wait with rolling_mean_minutes) on a LineState: people ahead
    in the ticket's own line / counters open for it x the rolling mean."""
    me = state.ticket(ticket_id)
    if me is None:
        return Estimate(None, None, None)
    history = state.history.get(me.service_id, ServiceHistory())
    ahead = len(_ahead(state, me))
    open_n = sum(1 for c in state.serving(me.service_id) if c.ready_in == 0)
    mean = rolling_mean_minutes([d * 60 for d in history.durations], history.fallback_minutes)
    return estimate_wait(ahead, open_n, mean)


ESTIMATORS = ("rolling-mean", "queue-model", "monte-carlo")
BASELINE = "rolling-mean"        # today's rule
CHOSEN = "monte-carlo"           # the best by the simulator's figures (docs/ETA.md)
IN_PRODUCT = CHOSEN              # what queries.tickets / queries.boards quote (docs/ETA.md, "In the product")


def deepest_cut(state: LineState, depth: int) -> tuple[LineState, list[Waiting]]:
    """The state with each service's first `depth` waiting tickets in its dispatch order
    (priority groups first, then by place in time), and the rest in their order in time:
    a replay of a very long line (a kiosk rush in a big hall: thousands waiting) costs
    O(depth) instead of O(line), and the tickets beyond are quoted behind the replayed ones
    by the counter minutes each adds (queries.eta_cache.derived), as numbers taken since."""
    by_service: dict[int, list[Waiting]] = {}
    for w in state.waiting:
        by_service.setdefault(w.service_id, []).append(w)
    if all(len(line) <= depth for line in by_service.values()):
        return state, []
    kept, rest = [], []
    for line in by_service.values():
        line.sort(key=lambda w: (0 if w.priority else 1, w.queued, w.number, w.ticket_id))
        kept += line[:depth]
        rest += line[depth:]
    rest.sort(key=lambda w: (w.queued, w.number, w.ticket_id))
    kept_ids = {w.ticket_id for w in kept}
    return (LineState(tuple(w for w in state.waiting if w.ticket_id in kept_ids), state.counters, state.history,
                      state.breaks, state.booked, state.booked_show), rest)
