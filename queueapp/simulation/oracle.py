"""The best a quote could do on a simulated day: the chosen estimator (the monte-carlo
replay) given the scenario's own truth instead of what the office has learnt by then.

The product learns each service's counter minutes, each clerk's speed, the priority
citizens to come and the no-shows from the day so far, and knows only the counters open
now. The oracle is told the scenario's lognormal counter minutes (with the walk to the
counter), the clerks' true speeds, the priority rate of the hour's arrivals, the true
no-show share and cost, and the counters the roster opens later. What it still cannot
know is the day's own draws: which citizen takes 9 minutes, who comes when. Its error,
and the error it expects of itself (`quote`), say how far a point quote can go on that day
(docs/ETA.md, "The floor of any quote"); told only part of the truth (`truth`'s `parts`),
it says which part the product lacks. Simulation only: the product has no such truth."""
from __future__ import annotations

import math
from dataclasses import replace
from statistics import NormalDist, median

from ..domain import eta
from .scenario import Scenario, ServiceSpec

ORACLE = "oracle"


def true_minutes(spec: ServiceSpec, walk: float, samples: int = eta.HISTORY_WINDOW) -> tuple[float, ...]:
    """A service's counter minutes at a clerk of speed 1 (call to finish: the walk to the
    counter, then the engine's max(0.5, lognormal)), as `samples` evenly spaced quantiles:
    eta.lognormal_fit of them is the distribution's own median and spread."""
    normal = NormalDist()
    return tuple(walk + max(0.5, spec.median_minutes * math.exp(spec.sigma * normal.inv_cdf((i + 0.5) / samples)))
                 for i in range(samples))


def priority_per_minute(scenario: Scenario, spec: ServiceSpec, minute: float) -> float:
    """The priority walk-ins of the service expected per minute in the hour of `minute`
    (minutes after midnight), as the engine draws the day's walk-ins (none when the
    scenario places its citizens by hand)."""
    hours = spec.peak or scenario.by_hour
    if scenario.fixed or not hours:
        return 0.0
    walk_ins = scenario.tickets - round(scenario.tickets * scenario.appointments.share)
    share = spec.share / sum(x.share for x in scenario.services)
    weight = hours.get(int(minute // 60), 0.0) / sum(hours.values())
    return walk_ins * share * weight / 60.0 * scenario.priority_share


# What the oracle can be told (`truth`'s `parts`): all of it by default.
TRUTHS = frozenset({"minutes", "speeds", "priority", "no_shows", "roster"})


def truth(state: eta.LineState, scenario: Scenario, service_ids: dict[str, int], counter_ids: dict[int, int],
          minute: float, parts: frozenset = TRUTHS) -> eta.LineState:
    """`state` (the product's line at `minute` after midnight) with the scenario's truth in
    place of what was learnt; `service_ids`: code -> id, `counter_ids`: number -> id;
    `parts`: which of TRUTHS it is told (the rest as the product learnt it)."""
    # Absent at the call and not back after a recall (citizens placed by hand are all there).
    no_show_share = 0.0 if scenario.fixed else scenario.absent_share * (1 - scenario.late_share)
    no_show_minutes = scenario.recall_after_minutes * scenario.max_calls
    history = {}
    for spec in scenario.services:
        sid = service_ids[spec.code]
        told = state.history.get(sid, eta.ServiceHistory())
        if "minutes" in parts:
            told = replace(told, durations=true_minutes(spec, scenario.walk_to_counter_minutes))
        if "no_shows" in parts:
            told = replace(told, no_show_share=no_show_share, no_show_minutes=no_show_minutes)
        if "priority" in parts:
            told = replace(told, priority_per_minute=priority_per_minute(scenario, spec, minute))
        history[sid] = told
    speeds = {counter_ids[c.number]: c.speed for c in scenario.counters} if "speeds" in parts else {}
    counters = {c.counter_id: replace(c, speed=speeds.get(c.counter_id, c.speed)) for c in state.counters}
    for spec in scenario.counters if "roster" in parts else ():
        counter_id = counter_ids[spec.number]
        known = counters.get(counter_id)
        # Not open yet: due at the roster's time (the oracle quotes from it, where the
        # product waits for a counter open for the line).
        if spec.opens >= minute and (known is None or known.rostered):
            counters[counter_id] = eta.CounterNow(
                counter_id, {service_ids[code]: order for code, order in spec.services.items()},
                spec.priority_first, ready_in=spec.opens - minute, speed=speeds.get(counter_id, 1.0))
    return replace(state, history=history, counters=tuple(counters.values()))


def quote(told: eta.LineState, ticket_id: int, rng) -> tuple[eta.Estimate, float | None]:
    """The oracle's quote (eta.estimate_monte_carlo of the truth) and the error it expects
    of itself: the mean distance of its draws from their median. Were the replay the day's
    exact model, that is what its median would miss by on average: the part of the error
    that is the day's own chance (which citizen takes long, who comes), not the estimator's."""
    waits = eta.monte_carlo_waits(told, ticket_id, rng)
    if not waits:
        return eta.Estimate(None, None, None), None
    middle = median(waits)
    return eta.draws_estimate(waits), sum(abs(w - middle) for w in waits) / len(waits)
