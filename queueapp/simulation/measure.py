"""The figures of a simulated day: each estimator's error against the actual waits, by
queue length, and the waits and service level of each service."""
from __future__ import annotations

from ..domain import eta
from .engine import Day

BUCKETS = (("<10", 0, 10), ("10-30", 10, 31), (">30", 31, 10 ** 9))
CHOSEN = eta.CHOSEN


def quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _errors(pairs: list[tuple[tuple, float]]) -> dict:
    absolute = [abs(quote[0] - wait) for quote, wait in pairs]
    inside = [quote[1] <= wait <= quote[2] for quote, wait in pairs]
    return {"mae_minutes": _round(sum(absolute) / len(absolute)) if absolute else None,
            "median_error_minutes": _round(quantile(absolute, 0.5)),
            "p90_error_minutes": _round(quantile(absolute, 0.9)),
            "coverage": _round(sum(inside) / len(inside), 3) if inside else None,
            "n": len(pairs)}


def bucket_of(position: int) -> str:
    return next(name for name, low, high in BUCKETS if low <= position < high)


def report(day: Day) -> dict:
    """The JSON of `queueapp simulate --json` (docs/ETA.md describes it)."""
    measured = [c for c in day.citizens if c.wait is not None]
    estimators = {}
    for name in day.estimators:
        quoted = [(c.quotes[name], c.wait, c.ahead) for c in measured if c.quotes.get(name) is not None]
        figures = _errors([(q, w) for q, w, _ in quoted])
        figures["unquoted"] = sum(1 for c in measured if c.quotes.get(name) is None)
        figures["by_bucket"] = {bucket: {k: v for k, v in _errors(
            [(q, w) for q, w, p in quoted if bucket_of(p) == bucket]).items()
            if k in ("mae_minutes", "coverage", "n", "p90_error_minutes")} for bucket, _, _ in BUCKETS}
        # The target is stated for queues under 30 ahead.
        figures["under_30"] = {k: v for k, v in _errors([(q, w) for q, w, p in quoted if p <= 30]).items()
                               if k in ("mae_minutes", "coverage", "n", "p90_error_minutes")}
        estimators[name] = figures
    if CHOSEN in estimators:
        estimators[CHOSEN]["requotes"] = requote_figures(measured)
    services = {}
    for spec in day.scenario.services:
        mine = [c for c in day.citizens if c.service == spec.code]
        waits = [c.wait for c in mine if c.wait is not None]
        services[spec.code] = {
            "tickets": len(mine), "called": len(waits),
            "served": sum(1 for c in mine if c.outcome == "served"),
            "no_show": sum(1 for c in mine if c.outcome == "no_show"),
            "walked_out": sum(1 for c in mine if c.outcome == "walked_out"),
            "mean_wait_minutes": _round(sum(waits) / len(waits)) if waits else None,
            "p90_wait_minutes": _round(quantile(waits, 0.9)),
            "target_wait_minutes": spec.target_wait_minutes,
            "service_level": _round(sum(w <= spec.target_wait_minutes for w in waits) / len(waits), 3)
            if waits else None}
    return {"scenario": day.scenario.name, "seed": day.seed, "tickets": len(day.citizens),
            "estimators": estimators, "services": services,
            "chosen": CHOSEN if CHOSEN in estimators else eta.BASELINE, "baseline": eta.BASELINE,
            "in_product": eta.IN_PRODUCT}


def requote_pairs(citizens) -> list[tuple[tuple, float, int]]:
    """(quote, actual wait from the quote's moment, ahead then) of every changed quote
    after the issue (engine.Citizen.requotes) of the called citizens."""
    return [(quote, c.called - at, ahead) for c in citizens if c.called is not None
            for at, quote, ahead in c.requotes if quote is not None]


def requote_figures(citizens) -> dict:
    """The chosen estimator's error at every later change of a quote (the issue's "at
    every later change"): all, and under 30 ahead."""
    pairs = requote_pairs(citizens)
    figures = {k: v for k, v in _errors([(q, w) for q, w, _ in pairs]).items()}
    figures["under_30"] = {k: v for k, v in _errors([(q, w) for q, w, a in pairs if a <= 30]).items()
                           if k in ("mae_minutes", "coverage", "n", "p90_error_minutes")}
    return figures


def table(result: dict) -> str:
    """The error table a person reads (the default output of `queueapp simulate`)."""
    lines = [f"scenario {result['scenario']}, seed {result['seed']}: {result['tickets']} tickets",
             "", "estimated wait at issue vs actual wait (minutes); coverage: actual inside the quoted range",
             f"{'estimator':<14}{'ahead':>7}{'n':>6}{'MAE':>8}{'p90 err':>9}{'coverage':>10}"]
    for name, figures in result["estimators"].items():
        mark = " (today's rule)" if name == result["baseline"] else (" (chosen)" if name == result["chosen"] else "")
        rows = [("all", figures)] + list(figures["by_bucket"].items())
        for bucket, f in rows:
            lines.append(f"{name if bucket == 'all' else '':<14}{bucket:>7}{f['n']:>6}"
                         f"{_fmt(f['mae_minutes']):>8}{_fmt(f['p90_error_minutes']):>9}"
                         f"{_fmt(f['coverage'], pct=True):>10}" + (mark if bucket == "all" else ""))
        if figures["unquoted"]:
            lines.append(f"{'':<14}{'':>7} {figures['unquoted']} called tickets got no estimate")
        if "requotes" in figures:
            for bucket, f in (("later", figures["requotes"]), ("<=30", figures["requotes"]["under_30"])):
                lines.append(f"{'':<14}{bucket:>7}{f['n']:>6}{_fmt(f['mae_minutes']):>8}"
                             f"{_fmt(f['p90_error_minutes']):>9}{_fmt(f['coverage'], pct=True):>10}"
                             + (" (each later change of the quote)" if bucket == "later" else ""))
    lines += ["", f"{'service':<9}{'tickets':>8}{'called':>7}{'no-show':>8}{'left':>6}{'mean wait':>10}"
                  f"{'p90 wait':>9}{'target':>7}{'within':>8}"]
    for code, s in result["services"].items():
        lines.append(f"{code:<9}{s['tickets']:>8}{s['called']:>7}{s['no_show']:>8}{s['walked_out']:>6}"
                     f"{_fmt(s['mean_wait_minutes']):>10}{_fmt(s['p90_wait_minutes']):>9}"
                     f"{s['target_wait_minutes']:>7}{_fmt(s['service_level'], pct=True):>8}")
    return "\n".join(lines)


def _fmt(value, pct: bool = False) -> str:
    if value is None:
        return "-"
    return f"{value * 100:.0f}%" if pct else f"{value:.1f}"
