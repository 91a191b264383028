"""Ticket issuance over HTTP (issue 2 §8): `queueapp serve` (gunicorn + one gevent worker,
SQLite) against 200 concurrent wrk clients, next to GET /api/v1/health as the ceiling.

Run: .venv/bin/python bench/bench_issue.py   (needs `wrk`: apt-get install -y wrk)
The server is pinned to CPU 0 and wrk (one thread, C, event loop) to CPU 1, so the load
generator never takes the server's core. Results go to docs/BENCHMARKS.md and bench/results/.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `queueapp` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from bench.report import parse_wrk, profile_summary, replace_section, steal_share  # noqa: E402
from bench.server import (ROOT, Server, cpu_seconds, load_average, machine_description,  # noqa: E402
                          prepare_database, raise_fd_limit, stat_ticks)
from queueapp.db import Database  # noqa: E402
from queueapp.models import Ticket  # noqa: E402

HEADING = "Ticket issuance over HTTP"
SERVER_CPUS, LOAD_CPUS = {0}, "1"
TICKETS_PATH = "/api/v1/offices/demo/tickets"
HEALTH_PATH = "/api/v1/health"
TARGET_RATE, TARGET_P99_MS = 500, 100
KEEPALIVE_SAFE_S = 0.9  # mean think; the longest (2 x mean) stays under the 2 s keep-alive


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

    def __init__(self, folder: Path, name: str):
        self.folder = folder / name
        self.url = f"sqlite:///{self.folder / 'queueapp.db'}"
        self.server = Server(prepare_database(self.url, self.folder), cpus=SERVER_CPUS)

    def __enter__(self) -> Phase:
        self.server.start()
        run_wrk(self.server.url + HEALTH_PATH, 2, 20)  # warm up: imports, pools, code paths
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


def run(seconds: int, connections: int, think_ms: int, want_profile: bool) -> dict:
    results: dict = {"connections": connections, "think_ms": think_ms}
    with tempfile.TemporaryDirectory(prefix="bench-issue-") as tmp:
        folder = Path(tmp)
        with Phase(folder, "health") as phase:
            results["health"] = phase.measure(HEALTH_PATH, seconds, connections)
        with Phase(folder, "flat-out") as phase:
            results["tickets"] = phase.measure(TICKETS_PATH, seconds, connections, services="ABCDEF")
        with Phase(folder, "paced") as phase:
            results["paced"] = phase.measure(TICKETS_PATH, seconds, connections, services="ABCDEF",
                                             think_ms=think_ms)
        # Latency at a load this server can carry: half its flat-out rate, from as many clients
        # as keep the think time under gunicorn's 2 s keep-alive (wrk re-sends at once when the
        # server closes an idle connection, which would defeat the pacing).
        half_rate = max(results["tickets"]["rate"] / 2, 1)
        results["half_connections"] = max(2, min(connections, int(half_rate * KEEPALIVE_SAFE_S)))
        results["half_think_ms"] = int(results["half_connections"] * 1000 / half_rate)
        with Phase(folder, "paced-half") as phase:
            results["paced_half"] = phase.measure(TICKETS_PATH, seconds, results["half_connections"],
                                                  services="ABCDEF", think_ms=results["half_think_ms"])
        results["targets_met"] = targets_met(results)
        if want_profile or not all(results["targets_met"].values()):
            with Phase(folder, "profile") as phase:
                results["profile"] = profile(phase, min(seconds, 10), connections)
        keep = ROOT / "bench" / "results"
        keep.mkdir(exist_ok=True)
        if (folder / "profile" / "profile.txt").exists():
            shutil.copy(folder / "profile" / "profile.txt", keep / "issue-profile.txt")
    return results


def targets_met(results: dict) -> dict:
    best = results["tickets"]
    return {f">= {TARGET_RATE} tickets/s": best["rate"] >= TARGET_RATE,
            f"p99 < {TARGET_P99_MS} ms at {results['connections']} clients (paced)":
                results["paced"]["latency_ms"]["p99"] < TARGET_P99_MS,
            ">= half the health rate": best["rate"] >= results["health"]["rate"] / 2}


def row(name: str, r: dict) -> str:
    lat = r["latency_ms"]
    per_cpu = r["requests"] / r["server_cpu_s"] if r["server_cpu_s"] else float("nan")
    cpu_share = r["server_cpu_s"] / r["duration_s"]
    tickets = r.get("tickets_in_db", "")
    return (f"| {name} | {r['rate']:.0f} | {lat['p50']:.1f} | {lat['p95']:.1f} | {lat['p99']:.1f} | "
            f"{lat['max']:.0f} | {r['error_count']} | {cpu_share:.0%} | {per_cpu:.0f} | {tickets} | "
            f"{r['load_before']} | {r['steal']:.0%} |")


def markdown(results: dict, seconds: int) -> str:
    c = results["connections"]
    lines = machine_description() + [
        f"- Command: `.venv/bin/python bench/bench_issue.py` ({seconds} s per run, {c} connections)",
        "- Server: `queueapp serve` (gunicorn, one gevent worker, no access log), SQLite in a temporary "
        "instance with the demo office, daily quotas lifted; pinned to CPU 0. Load: `wrk` (one thread, "
        "C) pinned to CPU 1 with bench/wrk_report.lua; POST bodies cycle services A to F.",
        "- Ceiling: GET /api/v1/health (a read transaction with `SELECT 1`; the app has no cheaper "
        "endpoint).",
        "- Flat out: each client sends its next request as soon as the answer arrives (closed loop); by "
        "Little's law mean latency = clients / rate, so p99 < 100 ms at 200 clients needs >= 2,000 req/s.",
        f"- Paced: each client waits a think time (uniform, mean {results['think_ms']} ms) between "
        f"requests (about {c * 1000 // max(results['think_ms'], 1)} requests/s offered, if the server "
        "keeps up); "
        f"the second paced run offers half the flat-out rate from {results['half_connections']} clients, so "
        f"that think times stay under gunicorn's 2 s keep-alive.",
        "- Errors: wrk's `timeout` = no answer within 10 s; `read` = the server closed an idle keep-alive "
        "connection (gunicorn's keepalive is 2 s, so long think times produce these; wrk reconnects).",
        "- The machine is a virtual one, shared with other test runs (see load average) and with other "
        "machines on its host (`CPU steal`: share of CPU time the hypervisor took away during the run); "
        "`server CPU` is the worker's "
        "share of one core during the run, `req/CPU-s` = requests per second of server CPU time, which "
        "is what one fully available core would serve.",
        "",
        "| run | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | server CPU | req/CPU-s "
        "| tickets in DB | load avg before | CPU steal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        row("GET /health, flat out", results["health"]),
    ]
    lines.append(row("POST tickets, flat out", results["tickets"]))
    lines.append(row(f"POST tickets, paced (think {results['think_ms']} ms)", results["paced"]))
    lines.append(row(f"POST tickets, paced, {results['half_connections']} clients (think "
                     f"{results['half_think_ms']} ms)", results["paced_half"]))
    lines += ["", "Targets (each run starts on an empty day):", ""]
    lines += [f"- {name}: {'reached' if ok else 'missed'}" for name, ok in results["targets_met"].items()]
    if "profile" in results:
        prof = results["profile"]
        lines += ["", f"Profile of the worker issuing tickets flat out (py-spy, {prof['samples']} samples "
                  "of busy time; bucket = innermost frame of a known library):", ""]
        lines += [f"- {share:.0%} {name}" for name, share in prof["buckets"]]
        lines += ["", "Functions with the most inclusive time:", ""]
        lines += [f"- {share:.0%} `{name}`" for name, share in prof["inclusive"]
                  if "queueapp/" in name or "sqlalchemy/orm/session" in name][:15]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of each run")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--think-ms", type=int, default=400, help="mean think time of the paced run")
    parser.add_argument("--profile", action="store_true", help="profile even when the targets are met")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    raise_fd_limit()
    started = time.monotonic()
    results = run(args.seconds, args.connections, args.think_ms, args.profile)
    (ROOT / "bench" / "results" / "issue.json").write_text(json.dumps(results, indent=2))
    document = args.output.read_text() if args.output.exists() else ""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(replace_section(document, HEADING, markdown(results, args.seconds)))
    print(markdown(results, args.seconds))
    print(f"\n({time.monotonic() - started:.0f} s; written to {args.output})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
