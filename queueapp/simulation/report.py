"""docs/ETA.md from several simulated days per scenario: each estimator's error side by
side, and a plot of quoted against actual waits (matplotlib, the `[sim]` extra).

    python -m queueapp.simulation.report --seeds 5 --mpp-seeds 2
"""
from __future__ import annotations

import argparse
import platform
from datetime import date
from pathlib import Path

from ..domain import eta
from ..queries import eta as eta_queries
from . import engine, measure, oracle, scenario

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
SCENARIOS = ("kecamatan-small", "dukcapil-busy", "mpp")
NAMES = {"rolling-mean": "rolling-mean (today's rule)", "queue-model": "queue-model",
         "monte-carlo": "monte-carlo"}


def pooled(days: list) -> dict:
    """Figures over the citizens of several days, per estimator (and under 30 ahead)."""
    result = {}
    for name in eta.ESTIMATORS:
        pairs = [(c.quotes[name], c.wait, c.ahead) for day in days for c in day.citizens
                 if c.wait is not None and c.quotes.get(name) is not None]
        under = [(q, w) for q, w, a in pairs if a <= 30]
        result[name] = {"all": measure._errors([(q, w) for q, w, _ in pairs]), "under_30": measure._errors(under)}
    if eta.CHOSEN in result:
        result[eta.CHOSEN]["requotes"] = measure.requote_figures([c for day in days for c in day.citizens])
    return result


def run(seeds: int, mpp_seeds: int, only: tuple[str, ...] = SCENARIOS, first: int = 1) -> dict:
    results = {}
    for name in only:
        chosen = scenario.load(name)
        days = [engine.simulate(chosen, seed) for seed in range(first, first + (mpp_seeds if name == "mpp" else seeds))]
        results[name] = {"days": days, "reports": [measure.report(day) for day in days], "pooled": pooled(days)}
        print(f"{name}: {len(days)} days", flush=True)
    return results


def _f(value, pct=False) -> str:
    if value is None:
        return "-"
    return f"{value * 100:.0f}%" if pct else f"{value:.1f}"


def markdown(results: dict) -> str:
    lines = []
    for name, found in results.items():
        reports = found["reports"]
        s = reports[0]
        seeds = "seed" if len(reports) == 1 else "seeds"
        lines += [f"### {name} ({len(reports)} {seeds}: {', '.join(str(r['seed']) for r in reports)})", "",
                  f"{s['tickets']} tickets a day. Errors in minutes, at issue, over all the days' called tickets; "
                  "\"worst seed\" is the highest MAE of one day.", "",
                  "| estimator | MAE all | p90 error | coverage | MAE < 30 ahead | worst seed < 30 | "
                  "coverage < 30 | n < 30 | MAE > 30 ahead |", "|---|---|---|---|---|---|---|---|---|"]
        for estimator in eta.ESTIMATORS:
            pooled_all, under = found["pooled"][estimator]["all"], found["pooled"][estimator]["under_30"]
            worst = max((r["estimators"][estimator]["under_30"]["mae_minutes"] or 0) for r in reports)
            over = [r["estimators"][estimator]["by_bucket"][">30"] for r in reports]
            n_over = sum(b["n"] for b in over)
            mae_over = (sum((b["mae_minutes"] or 0) * b["n"] for b in over) / n_over) if n_over else None
            lines.append(f"| {NAMES[estimator]} | {_f(pooled_all['mae_minutes'])} | {_f(pooled_all['p90_error_minutes'])} "
                         f"| {_f(pooled_all['coverage'], True)} | {_f(under['mae_minutes'])} | {_f(worst)} "
                         f"| {_f(under['coverage'], True)} | {under['n']} | {_f(mae_over)} |")
        requotes = found["pooled"][eta.CHOSEN].get("requotes")
        if requotes and requotes["n"]:
            worst_rq = max((r["estimators"][eta.CHOSEN]["requotes"]["under_30"]["mae_minutes"] or 0) for r in reports)
            under_rq = requotes["under_30"]
            lines.append(f"| {NAMES[eta.CHOSEN]}, at every later change | {_f(requotes['mae_minutes'])} "
                         f"| {_f(requotes['p90_error_minutes'])} | {_f(requotes['coverage'], True)} "
                         f"| {_f(under_rq['mae_minutes'])} | {_f(worst_rq)} | {_f(under_rq['coverage'], True)} "
                         f"| {under_rq['n']} | - |")
        unquoted = {e: sum(r["estimators"][e]["unquoted"] for r in reports) for e in eta.ESTIMATORS}
        lines += ["", "Called tickets without an estimate (no counter open for the service when issued): "
                  + ", ".join(f"{e} {n}" for e, n in unquoted.items()) + ".", ""]
        lines += ["Waits per service (mean of the days' figures):", "",
                  "| service | tickets/day | mean wait | p90 wait | target | within target |", "|---|---|---|---|---|---|"]
        for code in s["services"]:
            rows = [r["services"][code] for r in reports]
            mean = lambda key: sum(x[key] or 0 for x in rows) / len(rows)  # noqa: E731
            lines.append(f"| {code} | {mean('tickets'):.0f} | {mean('mean_wait_minutes'):.1f} | "
                         f"{mean('p90_wait_minutes'):.1f} | {rows[0]['target_wait_minutes']} | "
                         f"{mean('service_level') * 100:.0f}% |")
        lines.append("")
    lines.append(f"Measured on CPython {platform.python_version()}, {date.today().isoformat()}.")
    return "\n".join(lines)


def plot(name: str, found: dict, path: Path) -> bool:
    """Quoted against actual wait on the scenario's first day, today's rule beside the
    other estimators. False when matplotlib is absent (pip install 'queueapp[sim]')."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    citizens = [c for c in found["days"][0].citizens if c.wait is not None]
    top = max([c.wait for c in citizens] + [1])
    fig, axes = plt.subplots(1, len(eta.ESTIMATORS), figsize=(4 * len(eta.ESTIMATORS), 4), squeeze=False)
    for ax, estimator in zip(axes[0], eta.ESTIMATORS):
        quoted = [(c.quotes[estimator], c.wait) for c in citizens if c.quotes.get(estimator)]
        ax.errorbar([q[0] for q, _ in quoted], [w for _, w in quoted],
                    xerr=[[q[0] - q[1] for q, _ in quoted], [q[2] - q[0] for q, _ in quoted]],
                    fmt="o", markersize=2, elinewidth=0.4, alpha=0.5)
        ax.plot([0, top], [0, top], color="grey", linewidth=0.8)
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_title(f"{name}: {NAMES[estimator]}", fontsize=9)
        ax.set_xlabel("quoted at issue, with its range (min)", fontsize=8)
        ax.set_ylabel("actual wait (min)", fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return True


def compare(names: tuple[str, ...], seeds: range) -> dict:
    """Per scenario and seed, the MAE and coverage under 30 ahead at issue (no re-quotes) of
    today's rule and the chosen estimator, and of the chosen estimator "before" (as of
    2026-11-27): the same day with the office's earlier days left out of the database
    (`history: {days: 0}`: the first quotes start from the admin's expected minutes), the
    counter minutes drawn from the last 30 per service themselves (eta.DRAW_FITTED off,
    eta.HISTORY_WINDOW 30), the clerk speeds not averaging 1 (queries.eta.NORMALISE_SPEEDS
    off), and the inputs as read then (queries.eta's EXACT_CHECK_INS, FROM_FIRST_CALL,
    LATE_BOOKINGS, POOLED_PRIORITY, POOLED_NO_SHOWS, ROSTER_FROM_EARLIER_DAY and OPENING_WINDOW
    off). The earlier days have their own random draws:
    both runs are the same day."""
    import dataclasses
    found: dict = {}
    switches = ("NORMALISE_SPEEDS", "EXACT_CHECK_INS", "FROM_FIRST_CALL", "LATE_BOOKINGS", "POOLED_PRIORITY",
                "POOLED_NO_SHOWS", "ROSTER_FROM_EARLIER_DAY", "OPENING_WINDOW")

    def old(run):
        saved = eta.DRAW_FITTED, eta.HISTORY_WINDOW, {name: getattr(eta_queries, name) for name in switches}
        eta.DRAW_FITTED, eta.HISTORY_WINDOW = False, 30
        for name in switches:
            setattr(eta_queries, name, False)
        try:
            return run()
        finally:
            eta.DRAW_FITTED, eta.HISTORY_WINDOW = saved[0], saved[1]
            for name, value in saved[2].items():
                setattr(eta_queries, name, value)
    for name in names:
        chosen = scenario.load(name)
        before = dataclasses.replace(chosen, history_days=0)
        for seed in seeds:
            now = measure.report(engine.simulate(chosen, seed, requotes=False))["estimators"]
            then = old(lambda: measure.report(engine.simulate(before, seed, estimators=(eta.CHOSEN,),
                                                              requotes=False)))
            found.setdefault(name, {})[seed] = {
                "rule": now[eta.BASELINE]["under_30"], "now": now[eta.CHOSEN]["under_30"],
                "before": then["estimators"][eta.CHOSEN]["under_30"]}
            print(name, seed, {k: v["mae_minutes"] for k, v in found[name][seed].items()}, flush=True)
    return found


def compare_markdown(found: dict, groups: dict[str, range]) -> str:
    """docs/ETA.md's table: per scenario and group of seeds, pooled MAE (worst day) and
    coverage under 30 ahead, then each day's MAE now (before)."""
    lines = ["| scenario, seeds | today's rule: MAE < 30 (worst day) / coverage | monte-carlo before: MAE (worst day) "
             "/ coverage | monte-carlo now (chosen): MAE (worst day) / coverage | per day now (before) "
             "| days within 3 min now (before) |", "|---|---|---|---|---|---|"]

    def pooled(days, key):
        n = sum(d[key]["n"] for d in days)
        mae = sum(d[key]["mae_minutes"] * d[key]["n"] for d in days) / n
        cov = sum(d[key]["coverage"] * d[key]["n"] for d in days) / n
        worst = max(d[key]["mae_minutes"] for d in days)
        return f"{mae:.1f} min ({worst:.1f}) / {cov * 100:.0f}%"

    for name, days in found.items():
        for label, seeds in groups.items():
            mine = [days[s] for s in seeds if s in days]
            if not mine:
                continue
            per_day = ", ".join(f"{s}: {days[s]['now']['mae_minutes']:.1f} ({days[s]['before']['mae_minutes']:.1f})"
                                for s in seeds if s in days)
            within = (f"{sum(d['now']['mae_minutes'] <= 3.0 for d in mine)} of {len(mine)} "
                      f"({sum(d['before']['mae_minutes'] <= 3.0 for d in mine)})")
            lines.append(f"| {name}, {label} | {pooled(mine, 'rule')} | {pooled(mine, 'before')} "
                         f"| {pooled(mine, 'now')} | {per_day} | {within} |")
    return "\n".join(lines)


def _mae(citizens: list, estimator: str) -> float:
    """The mean absolute error of the estimator's quotes at issue over these citizens."""
    return sum(abs(c.quotes[estimator][0] - c.wait) for c in citizens) / len(citizens)


def floor(names: tuple[str, ...], seeds: range, told: frozenset = oracle.TRUTHS) -> dict:
    """Per scenario and seed, over the tickets under 30 ahead that both quote at issue: the
    chosen estimator's MAE, the oracle's (simulation.oracle: the same replay told the
    scenario's truth, or the `told` parts of it) and the oracle's expected error (the mean
    distance of its draws from their median: the day's own chance)."""
    found: dict = {}
    for name in names:
        chosen = scenario.load(name)
        for seed in seeds:
            day = engine.simulate(chosen, seed, estimators=(eta.CHOSEN, oracle.ORACLE), requotes=False, told=told)
            both = [c for c in day.citizens if c.wait is not None and c.ahead is not None and c.ahead <= 30
                    and c.quotes.get(eta.CHOSEN) and c.quotes.get(oracle.ORACLE)]
            found.setdefault(name, {})[seed] = {
                "n": len(both), "chosen": _mae(both, eta.CHOSEN), "oracle": _mae(both, oracle.ORACLE),
                "expected": sum(c.expected_error for c in both) / len(both)}
            print(name, seed, {k: round(v, 2) for k, v in found[name][seed].items()}, flush=True)
    return found


def floor_markdown(found: dict, groups: dict[str, range]) -> str:
    """docs/ETA.md's floor table: per scenario and group of seeds, pooled (worst day) and
    days within 3 minutes, then each day's chosen / oracle / expected."""
    lines = ["| scenario, seeds | monte-carlo (chosen): MAE < 30 (worst day); days within 3 | oracle: same | "
             "oracle's expected error: same | per day: chosen / oracle / expected |", "|---|---|---|---|---|"]
    for name, days in found.items():
        for label, seeds in groups.items():
            mine = [days[s] for s in seeds if s in days]
            if not mine:
                continue
            n = sum(d["n"] for d in mine)
            cells = [f"{sum(d[k] * d['n'] for d in mine) / n:.1f} ({max(d[k] for d in mine):.1f}); "
                     f"{sum(d[k] <= 3.0 for d in mine)} of {len(mine)}"
                     for k in ("chosen", "oracle", "expected")]
            per_day = ", ".join(f"{s}: {days[s]['chosen']:.1f} / {days[s]['oracle']:.1f} / {days[s]['expected']:.1f}"
                                for s in seeds if s in days)
            lines.append(f"| {name}, {label} | {' | '.join(cells)} | {per_day} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--mpp-seeds", type=int, default=2)
    parser.add_argument("--scenario", action="append", choices=SCENARIOS)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("/tmp/eta-figures.md"))
    parser.add_argument("--compare", action="store_true",
                        help="Only docs/ETA.md's before/now table (kecamatan-small and dukcapil-busy unless "
                             "--scenario): seeds 1 to --seeds, and --held-out more after them.")
    parser.add_argument("--held-out", type=int, default=5)
    parser.add_argument("--floor", action="store_true",
                        help="Only docs/ETA.md's floor table (the chosen estimator against the oracle told the "
                             "scenario's truth), on seeds 1 to --seeds and --held-out more.")
    parser.add_argument("--told", default=",".join(sorted(oracle.TRUTHS)),
                        help="With --floor: what the oracle is told, of " + ", ".join(sorted(oracle.TRUTHS)))
    args = parser.parse_args()
    told = frozenset(part for part in args.told.split(",") if part)
    if not told <= oracle.TRUTHS:
        parser.error(f"--told: unknown {', '.join(sorted(told - oracle.TRUTHS))}")
    if args.compare or args.floor:
        names = tuple(args.scenario or ("kecamatan-small", "dukcapil-busy"))
        last = args.seeds + args.held_out
        seeds = range(args.first_seed, last + 1)
        found = floor(names, seeds, told) if args.floor else compare(names, seeds)
        table = floor_markdown if args.floor else compare_markdown
        groups = {f"{args.first_seed}-{args.seeds}": range(args.first_seed, args.seeds + 1)}
        if args.held_out:
            groups[f"{args.seeds + 1}-{last} (held out)"] = range(args.seeds + 1, last + 1)
        args.out.write_text(table(found, groups) + "\n", encoding="utf-8")
        print(f"table written to {args.out}")
        return
    results = run(args.seeds, args.mpp_seeds, tuple(args.scenario or SCENARIOS), args.first_seed)
    args.out.write_text(markdown(results) + "\n", encoding="utf-8")
    plotted = all(plot(name, found, DOCS / "img" / f"eta-{name}.png") for name, found in results.items())
    print(f"figures written to {args.out}" + ("" if plotted else " (no plot: matplotlib missing)"))


if __name__ == "__main__":
    main()
