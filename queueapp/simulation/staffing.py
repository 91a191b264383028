"""Staffing advice for a scenario: the counters each service needs per hour so that 90%
of its citizens wait less than its target, from the scenario's arrivals and counter
minutes (domain.staffing: simulation, with Erlang C as the cross-check).
`queueapp simulate --scenario NAME --staffing`."""
from __future__ import annotations

import random

from ..domain import staffing
from .scenario import Scenario


def scenario_plan(scenario: Scenario, seed: int = 0) -> dict:
    rng = random.Random(seed)
    speed = sum(c.speed for c in scenario.counters) / len(scenario.counters) if scenario.counters else 1.0
    services = []
    for spec in scenario.services:
        hours_share = spec.peak or scenario.by_hour
        weight = sum(hours_share.values()) or 1.0
        sample = [m * speed for m in staffing.lognormal_durations(spec.median_minutes, spec.sigma, rng)]
        hours = [{"hour": hour, **staffing.hour_plan(scenario.tickets * spec.share * share / weight, sample,
                                                     spec.target_wait_minutes, rng)}
                 for hour, share in sorted(hours_share.items()) if share > 0]
        services.append({"code": spec.code, "name": spec.name, "target_wait_minutes": spec.target_wait_minutes,
                         "hours": hours})
    return {"scenario": scenario.name, "share": 0.9, "services": services,
            "counters_in_scenario": len(scenario.counters)}


def table(plan: dict) -> str:
    """The plan as a person reads it: per service, hour by hour."""
    lines = [f"{'service':<8}{'hour':>5}{'arrivals/h':>11}{'minutes':>8}{'counters':>9}{'p90 wait':>9}"
             f"{'Erlang C':>9}{'p90 (C)':>8}"]
    for service in plan["services"]:
        for row in service["hours"]:
            lines.append(f"{service['code']:<8}{row['hour']:>4}h{row['arrivals_per_hour']:>11}"
                         f"{_f(row['mean_minutes']):>8}{row['counters']:>9}{_f(row['p90_wait_minutes']):>9}"
                         f"{row['erlang_c_counters']:>9}{_f(row['erlang_c_p90_wait_minutes']):>8}")
        lines.append(f"{'':<8}target: 90% called within {service['target_wait_minutes']} min")
    return "\n".join(lines)


def _f(value) -> str:
    return "-" if value is None else f"{value:.1f}"
