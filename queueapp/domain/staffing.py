"""Staffing by the Erlang C model (M/M/N: arrivals at random, one line, N counters): the
probability that a citizen waits at all, the probability of waiting longer than t, and the
counters a line needs so that 90% of citizens wait less than the service's target.

The simulator (queueapp.simulation.staffing) gives the figures the office uses, with its
real hours, breaks, service orders and service-time spread; Erlang C is the cross-check (a
textbook formula: it assumes exponential service times and a steady hour).

Checked against the standard worked example of Call Centre Helper, "Erlang C Formula -
Made Simple With an Easy Worked Example" (callcentrehelper.com): 100 calls in 30 minutes,
average handling time 180 s, so 10 Erlangs of traffic; with 11 agents the probability of
waiting is 68.21% and 39.0% of calls are answered within 20 s; 14 agents are needed for
80% within 20 s (tests/unit/test_staffing.py), and against the M/M/m textbook case of 120
arrivals an hour, 3 minutes each, 10 servers (6 Erlangs): a probability of waiting of about 0.10.
"""
from __future__ import annotations

import math


def erlang_c(agents: int, traffic: float) -> float:
    """The probability that an arrival waits (all `agents` busy) with `traffic` Erlangs
    offered (arrivals per minute x mean minutes of service). 1.0 when the line grows
    without end (traffic >= agents)."""
    if traffic <= 0:
        return 0.0
    if agents <= traffic:
        return 1.0
    # Erlang B by its stable recursion, then C from B.
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return agents * b / (agents - traffic * (1 - b))


def p_wait_longer(agents: int, traffic: float, mean_minutes: float, t_minutes: float) -> float:
    """P(W > t): the share of arrivals who wait longer than `t_minutes`."""
    c = erlang_c(agents, traffic)
    if c >= 1.0:
        return 1.0
    return c * math.exp(-(agents - traffic) * t_minutes / mean_minutes)


def service_level(agents: int, traffic: float, mean_minutes: float, t_minutes: float) -> float:
    """The share of arrivals called within `t_minutes`."""
    return 1.0 - p_wait_longer(agents, traffic, mean_minutes, t_minutes)


def wait_quantile(agents: int, traffic: float, mean_minutes: float, q: float = 0.9) -> float | None:
    """The q-quantile of the wait in minutes (0 when more than q of arrivals do not wait at
    all); None when the line grows without end."""
    c = erlang_c(agents, traffic)
    if c >= 1.0:
        return None
    if c <= 1 - q:
        return 0.0
    return mean_minutes * math.log(c / (1 - q)) / (agents - traffic)


def mean_wait(agents: int, traffic: float, mean_minutes: float) -> float | None:
    """The mean wait in minutes (None when the line grows without end)."""
    c = erlang_c(agents, traffic)
    if c >= 1.0:
        return None
    return c * mean_minutes / (agents - traffic)


def required_agents(arrivals_per_minute: float, mean_minutes: float, target_minutes: float,
                    share: float = 0.9, most: int = 200) -> int:
    """The fewest counters for which `share` of arrivals wait at most `target_minutes`
    (0 with no arrivals)."""
    traffic = arrivals_per_minute * mean_minutes
    if traffic <= 0:
        return 0
    agents = max(1, math.floor(traffic) + 1)
    while agents < most and service_level(agents, traffic, mean_minutes, target_minutes) < share:
        agents += 1
    return agents


# ---------------------------------------------------------------------------------------
# The simulation the plan uses: one line served first come first served by N counters,
# citizens arriving at random at a steady rate, counter minutes drawn from what the office
# measured (not exponential, unlike Erlang C), for `hours` simulated hours.

def simulated_waits(arrivals_per_minute: float, durations: list[float], agents: int, rng,
                    hours: float = 40.0, warm_up_minutes: float = 60.0) -> list[float]:
    """The waits (minutes) of the citizens of a steady line with `agents` counters; the
    counter minutes are drawn from `durations` (the office's recent ones). `rng`: a
    random.Random the caller seeds."""
    if arrivals_per_minute <= 0 or agents <= 0 or not durations:
        return []
    free = [0.0] * agents
    t, end, waits = 0.0, hours * 60.0, []
    while True:
        t += rng.expovariate(arrivals_per_minute)
        if t > end:
            return waits
        i = min(range(agents), key=free.__getitem__)
        start = max(t, free[i])
        free[i] = start + rng.choice(durations)
        if t >= warm_up_minutes:
            waits.append(start - t)


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def simulated_agents(arrivals_per_minute: float, durations: list[float], target_minutes: float, rng,
                     share: float = 0.9, most: int = 60) -> tuple[int, float | None]:
    """The fewest counters whose simulated `share`-quantile wait is at most
    `target_minutes`, and that quantile (0 counters with no arrivals)."""
    if arrivals_per_minute <= 0 or not durations:
        return 0, None
    mean = sum(durations) / len(durations)
    agents = max(1, math.ceil(arrivals_per_minute * mean * 0.9))
    while agents < most:
        if arrivals_per_minute * mean < agents:
            found = quantile(simulated_waits(arrivals_per_minute, durations, agents, rng), share)
            if found is not None and found <= target_minutes:
                return agents, found
        agents += 1
    return most, None


def lognormal_durations(median: float, sigma: float, rng, n: int = 400) -> list[float]:
    """Counter minutes of a scenario's service (a lognormal), as a sample to draw from."""
    return [median * rng.lognormvariate(0.0, sigma) for _ in range(n)]


def hour_plan(arrivals_per_hour: float, durations: list[float], target_minutes: float, rng,
              share: float = 0.9) -> dict:
    """One service's hour: the counters it needs by simulation (the advice) and by Erlang C
    (the cross-check), with the 90th-percentile wait of each."""
    rate = arrivals_per_hour / 60.0
    if rate <= 0 or not durations:
        return {"arrivals_per_hour": round(arrivals_per_hour, 1), "mean_minutes": None, "counters": 0,
                "p90_wait_minutes": None, "erlang_c_counters": 0, "erlang_c_p90_wait_minutes": None}
    mean = sum(durations) / len(durations)
    simulated, p90 = simulated_agents(rate, durations, target_minutes, rng, share)
    erlang = required_agents(rate, mean, target_minutes, share)
    erlang_p90 = wait_quantile(erlang, rate * mean, mean, share)
    return {"arrivals_per_hour": round(arrivals_per_hour, 1), "mean_minutes": round(mean, 1),
            "counters": simulated, "p90_wait_minutes": None if p90 is None else round(p90, 1),
            "erlang_c_counters": erlang,
            "erlang_c_p90_wait_minutes": None if erlang_p90 is None else round(erlang_p90, 1)}
