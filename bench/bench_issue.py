"""Ticket issuance over HTTP (issues 2 and 14): `queueapp serve` (gunicorn + one gevent worker,
SQLite) under wrk, next to a Flask hello-world on the same server set-up as the ceiling, on an
empty database and on one with a year of history.

Run: .venv/bin/python bench/bench_issue.py   (needs `wrk`: apt-get install -y wrk)
The server is pinned to CPU 0 and wrk (one thread, C, event loop) to CPU 1, so the load
generator never takes the server's core. Results go to docs/BENCHMARKS.md and bench/results/.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `queueapp` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.report import parse_wrk, profile_summary, replace_section, steal_share  # noqa: E402
from bench.server import (ROOT, HelloServer, Server, cpu_seconds, fill_history, load_average,  # noqa: E402
                          machine_description, prepare_database, raise_fd_limit, stat_ticks)
from queueapp.db import Database  # noqa: E402
from queueapp.models import Ticket  # noqa: E402

HEADING = "Ticket issuance over HTTP"
SERVER_CPUS, LOAD_CPUS = {0}, "1"
TICKETS_PATH = "/api/v1/offices/demo/tickets"
HEALTH_PATH = "/api/v1/health"


def run_wrk(url: str, seconds: int, connections: int, *, services: str = "", think_ms: int = 0) -> dict:
    env = {**os.environ, "WRK_SERVICES": services, "WRK_THINK_MS": str(think_ms)}
    command = ["taskset", "-c", LOAD_CPUS, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
               "--timeout", "10s", "-s", str(ROOT / "bench" / "wrk_report.lua"), url]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr}")
    return parse_wrk(done.stdout)


def ticket_count(url: str) -> int:
    db = Database(url)
    try:
        with db.read() as session:
            return session.execute(select(func.count()).select_from(Ticket)).scalar_one()
    finally:
        db.dispose()


class Phase:
    """One server on a fresh database, for one kind of run."""

    def __init__(self, folder: Path, name: str, *, hello: bool = False, history: bool = False):
        self.folder = folder / name
        self.url = f"sqlite:///{self.folder / 'queueapp.db'}"
        env = prepare_database(self.url, self.folder)
        self.history = fill_history(self.url) if history else 0
        self.server = (HelloServer if hello else Server)(env, cpus=SERVER_CPUS)
        self.hello = hello

    def __enter__(self) -> Phase:
        self.server.start()
        run_wrk(self.server.url + HEALTH_PATH, 2, 20)  # warm up: imports, pools, code paths
        if not self.hello:
            run_wrk(self.server.url + TICKETS_PATH, 2, 20, services="ABCDEF")
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()

    def measure(self, path: str, seconds: int, connections: int, **wrk_options) -> dict:
        pid = self.server.worker_pid
        cpu_before, load, ticks = cpu_seconds(pid), load_average(), stat_ticks()
        result = run_wrk(self.server.url + path, seconds, connections, **wrk_options)
        result["server_cpu_s"] = cpu_seconds(pid) - cpu_before
        result["steal"] = steal_share(ticks, stat_ticks())
        result["load_before"] = load
        result["connections"] = connections
        result["think_ms"] = wrk_options.get("think_ms", 0)
        if path == TICKETS_PATH:
            result["tickets_in_db"] = ticket_count(self.url)
        return result


def py_spy() -> str:
    """py-spy from this interpreter's environment (pip install py-spy), else from PATH."""
    beside = Path(sys.executable).parent / "py-spy"
    found = str(beside) if beside.exists() else shutil.which("py-spy")
    if not found:
        sys.exit("py-spy is missing: .venv/bin/pip install -r bench/requirements.txt")
    return found


def profile(phase: Phase, seconds: int, connections: int) -> dict:
    """Where the worker's time goes while issuing tickets flat out (py-spy, sampled)."""
    output = phase.folder / "profile.txt"
    spy = subprocess.Popen([py_spy(), "record", "--pid", str(phase.server.worker_pid),
                            "--duration", str(seconds), "--rate", "200", "--format", "raw",
                            "--output", str(output), "--nonblocking"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    result = phase.measure(TICKETS_PATH, seconds, connections, services="ABCDEF")
    spy.wait(timeout=60)
    if not output.exists():
        raise RuntimeError(f"py-spy wrote no profile: {spy.stderr.read().decode()[-500:]}")
    return {"run": result, **profile_summary(output.read_text(), top=25)}


def run(seconds: int, connections: int, think_ms: int, want_profile: bool, pairs: int = 3) -> dict:
    """Every run of one bench, back to back on the same machine: the health check, issuance on
    an empty day at 1 and 20 clients, paced, flat out on a database with a year of history,
    then `pairs` runs flat out at `connections` clients on an empty day, each between two runs
    of the hello-world ceiling (hello, tickets, hello, tickets, ..., hello)."""
    results: dict = {"connections": connections, "think_ms": think_ms, "pairs": pairs, "runs": []}

    def add(name: str, result: dict, kind: str) -> None:
        results["runs"].append({"name": name, "kind": kind, **result})

    def hello(name: str) -> None:
        with Phase(folder, f"hello-{len(results['runs'])}", hello=True) as phase:
            add(name, phase.measure(HEALTH_PATH, seconds, connections), "hello")

    with tempfile.TemporaryDirectory(prefix="bench-issue-") as tmp:
        folder = Path(tmp)
        with Phase(folder, "health") as phase:
            add("GET /api/v1/health, flat out", phase.measure(HEALTH_PATH, seconds, connections), "health")
        for clients in (1, 20):
            with Phase(folder, f"flat-{clients}") as phase:
                add(f"POST tickets, flat out, {clients} clients",
                    phase.measure(TICKETS_PATH, seconds, clients, services="ABCDEF"), "closed")
        with Phase(folder, "paced") as phase:
            add(f"POST tickets, paced: {connections} clients, think {think_ms} ms "
                f"(~{connections * 1000 // think_ms}/s offered)",
                phase.measure(TICKETS_PATH, seconds, connections, services="ABCDEF", think_ms=think_ms), "paced")
        with Phase(folder, "history", history=True) as phase:
            results["history_tickets"] = phase.history
            add(f"POST tickets, flat out, {connections} clients, a year of history",
                phase.measure(TICKETS_PATH, seconds, connections, services="ABCDEF"), "history")
            if want_profile:
                results["profile"] = profile(phase, min(seconds, 10), connections)
        # The ratio to the ceiling: each flat-out run between two hello-world runs. A shared
        # machine drifts over minutes, and one 15 s run moves by a few percent from the next.
        hello("hello-world (Flask, same server), flat out")
        for n in range(1, pairs + 1):
            with Phase(folder, f"flat-{connections}-{n}") as phase:
                add(f"POST tickets, flat out, {connections} clients ({n} of {pairs})",
                    phase.measure(TICKETS_PATH, seconds, connections, services="ABCDEF"), "full")
            hello(f"hello-world again ({n} of {pairs})")
    return results


def cpu_ms(r: dict) -> float:
    return r["server_cpu_s"] / r["requests"] * 1000 if r["requests"] else float("nan")


def hello_ceiling(results: dict) -> tuple[float, float]:
    """The hello-world's rate and CPU ms per request: the mean of all its runs."""
    hellos = [r for r in results["runs"] if r["kind"] == "hello"]
    return (sum(r["rate"] for r in hellos) / len(hellos), sum(cpu_ms(r) for r in hellos) / len(hellos))


def paired_ratios(results: dict) -> list[tuple[dict, float, float]]:
    """Each flat-out run with its rate and CPU per request as ratios to the hello-world runs
    just before and just after it (their mean)."""
    runs, found = results["runs"], []
    for i, r in enumerate(runs):
        if r["kind"] == "full":
            around = [runs[i - 1], runs[i + 1]]
            hello_rate = sum(h["rate"] for h in around) / 2
            hello_cpu = sum(cpu_ms(h) for h in around) / 2
            found.append((r, r["rate"] / hello_rate, cpu_ms(r) / hello_cpu))
    return found


def figures(results: dict) -> dict:
    """The issue's figures, as ratios within this one run; of the paired flat-out runs, the
    median of each figure."""
    runs = {r["kind"]: r for r in results["runs"]}
    pairs = paired_ratios(results)
    full_cpu = statistics.median(cpu_ms(r) for r, _, _ in pairs)
    ratio = statistics.median(rate for _, rate, _ in pairs)
    tail = statistics.median(r["latency_ms"]["p99"] / (r["connections"] / r["rate"] * 1000) for r, _, _ in pairs)
    _, hello_cpu = hello_ceiling(results)
    return {
        "CPU per ticket, empty database (ms)": (full_cpu, "<= 1.5", full_cpu <= 1.5),
        "CPU per ticket, a year of history (ms)": (cpu_ms(runs["history"]), "<= 2", cpu_ms(runs["history"]) <= 2),
        "issuance rate / hello-world rate (same worker, flat out; median of the pairs)":
            (ratio, ">= 0.3", ratio >= 0.3),
        "CPU per ticket / CPU per hello-world request (median of the pairs)":
            (statistics.median(cpu for _, _, cpu in pairs), "", True),
        "health CPU / hello-world CPU": (cpu_ms(runs["health"]) / hello_cpu, "", True),
        f"p99 at {results['connections']} closed-loop clients / (clients / rate)": (tail, "<= 2", tail <= 2),
        "paced (~400/s offered): p99 ms": (runs["paced"]["latency_ms"]["p99"], "< 100",
                                          runs["paced"]["latency_ms"]["p99"] < 100),
    }


def row(r: dict, hello_rate: float) -> str:
    lat = r["latency_ms"]
    cpu_share = r["server_cpu_s"] / r["duration_s"]
    little = (f"{lat['p99'] / (r['connections'] / r['rate'] * 1000):.1f}"
              if r["kind"] in ("closed", "full", "history", "hello", "health") and r["rate"] else "")
    return (f"| {r['name']} | {r['rate']:.0f} | {r['rate'] / hello_rate:.2f} | {lat['p50']:.1f} | "
            f"{lat['p99']:.1f} | {little} | {lat['max']:.0f} | {r['error_count']} | {cpu_share:.0%} | "
            f"{cpu_ms(r):.2f} | {r.get('tickets_in_db', '')} | {r['load_before']} | {r['steal']:.0%} |")


def markdown(results: dict, seconds: int) -> str:
    c = results["connections"]
    hello_rate, _ = hello_ceiling(results)
    lines = machine_description() + [
        f"- Command: `.venv/bin/python bench/bench_issue.py` ({seconds} s per run; every run below comes "
        "from this one command, back to back)",
        "- Server: `queueapp serve` (gunicorn, one gevent worker, no access log), SQLite in a temporary "
        "instance with the demo office, daily quotas lifted, a fresh database per run; pinned to CPU 0. "
        "Load: `wrk` (one thread, C) pinned to CPU 1 with bench/wrk_report.lua; POST bodies cycle "
        "services A to F.",
        "- Ceiling: a Flask hello-world (bench/hello.py: one route answering a small JSON) on the same "
        f"gunicorn + gevent worker set-up. The {results['pairs']} flat-out runs at {c} clients on an empty "
        "day each sit between two hello-world runs (hello, tickets, hello, ...): their ratios divide by "
        "the mean of the two around them, and the figures below are the median of those. `x hello` in "
        "the table = rate / the mean of every hello-world run.",
        f"- A year of history: {results.get('history_tickets', 0):,} served tickets (690 per working day, "
        "with their call and finish events) on the days before the run.",
        "- Closed loop: each client sends its next request when the answer arrives; by Little's law mean "
        "latency = clients / rate, so `p99 / (c/rate)` says how far the tail is from the mean.",
        f"- Paced: each client waits a think time (uniform, mean {results['think_ms']} ms) between "
        "requests.",
        "- `CPU ms/req`: the worker's CPU time (/proc/<pid>/stat, user + system) over the requests served. "
        "`CPU steal`: share of the machine's CPU time its hypervisor took during the run.",
        "",
        "| run | req/s | x hello | p50 ms | p99 ms | p99 / (c/rate) | max ms | errors | server CPU "
        "| CPU ms/req | tickets in DB | load avg before | CPU steal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [row(r, hello_rate) for r in results["runs"]]
    lines += ["", "Figures of issue 14 (targets for a 2-core machine):", "",
              "| figure | this run | target | |", "|---|---|---|---|"]
    for name, (value, target, ok) in figures(results).items():
        lines.append(f"| {name} | {value:.2f} | {target} | {'' if not target else 'reached' if ok else 'missed'} |")
    pairs = paired_ratios(results)
    lines += ["", "The pairs, in order: issuance rate / hello-world rate "
              + ", ".join(f"{rate:.2f}" for _, rate, _ in pairs) + "; CPU per ticket / per hello-world request "
              + ", ".join(f"{cpu:.2f}" for _, _, cpu in pairs) + "."]
    if "profile" in results:
        prof = results["profile"]
        lines += ["", f"Profile of the worker issuing tickets flat out (py-spy, {prof['samples']} samples "
                  "of busy time; bucket = innermost frame of a known library):", ""]
        lines += [f"- {share:.0%} {name}" for name, share in prof["buckets"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of each run")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--think-ms", type=int, default=500,
                        help="mean think time of the paced run (200 clients x 1000 / 500 = 400/s offered)")
    parser.add_argument("--pairs", type=int, default=3,
                        help="flat-out runs at --connections clients, each between two hello-world runs")
    parser.add_argument("--profile", action="store_true", help="profile even when the targets are met")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    raise_fd_limit()
    started = time.monotonic()
    results = run(args.seconds, args.connections, args.think_ms, args.profile, max(1, args.pairs))
    (ROOT / "bench" / "results" / "issue.json").write_text(json.dumps(results, indent=2))
    document = args.output.read_text() if args.output.exists() else ""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(replace_section(document, HEADING, markdown(results, args.seconds)))
    print(markdown(results, args.seconds))
    print(f"\n({time.monotonic() - started:.0f} s; written to {args.output})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
