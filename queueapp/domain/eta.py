"""Estimated wait: people ahead, counters open for the service, recent service times."""
from __future__ import annotations

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
