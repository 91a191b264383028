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
