"""Real-time fan-out (issues 3 and 14): one call-next reaches N python-socketio clients of the
office's public room; latency from the call to receipt, and server memory per connection,
next to a bare python-socketio server sending the same events to the same clients.

Run: .venv/bin/python bench/bench_fanout.py [--scenario single|redis|both]
- single: 1,000 clients on one `queueapp serve` process (SQLite); server pinned to CPU 0,
  the client processes to CPU 1.
- redis:  4 processes sharing PostgreSQL (a fresh schema) and Redis (a unique channel), 4,000
  clients spread evenly over them; servers and clients share both CPUs.
Results go to docs/BENCHMARKS.md and bench/results/fanout.json.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter as Tally
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `queueapp` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from bench.report import percentiles, profile_summary, replace_section, steal_share  # noqa: E402
from bench.server import (ROOT, BareServer, Server, create_token, load_average, machine_description,  # noqa: E402
                          pin_to, prepare_database, raise_fd_limit, rss_kib, stat_ticks)
from queueapp.db import Database  # noqa: E402
from queueapp.models import Counter, Office  # noqa: E402
from queueapp.services.tickets import issue_ticket  # noqa: E402

HEADING = "Real-time fan-out"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
TARGET_P99_MS = 50
# Subscriptions opened at once per client process against PostgreSQL: each one holds a pooled
# connection for its snapshot, and 4 processes x (pool 10 + overflow 20) exceed PostgreSQL's
# default max_connections (100), which the bench shares with other users of the server.
PG_PARALLEL = 4
# Calls come this far apart per 1,000 clients, each followed half-way by a finish (another
# event to everyone): closer, the 2 cores cannot decode on the client side what one call sends.
SECONDS_BETWEEN_CALLS_PER_1000 = 1.0


def queue_tickets(url: str, count: int) -> int:
    """Issue `count` tickets of service A (counter 1's line); returns counter 1's id."""
    db = Database(url)
    try:
        for _ in range(count):
            issue_ticket(db, "demo", "A", now=datetime.now(timezone.utc))
        with db.read() as s:
            office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
            return s.execute(select(Counter.id).where(Counter.office_id == office.id,
                                                      Counter.number == 1)).scalar_one()
    finally:
        db.dispose()


class ClientProcess:
    def __init__(self, urls: list[str], clients: int, cpus: set[int] | None, timeout: float, parallel: int):
        self.proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "fanout_clients.py"), "--urls", ",".join(urls),
             "--clients", str(clients), "--timeout", str(timeout), "--parallel", str(parallel)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, preexec_fn=pin_to(cpus))

    def read(self, prefix: str) -> dict:
        for line in self.proc.stdout:
            if line.startswith(prefix + " "):
                return json.loads(line[len(prefix) + 1:])
        raise RuntimeError(f"client process ended without {prefix}")

    def finish(self) -> dict:
        self.proc.stdin.write("DONE\n")
        self.proc.stdin.flush()
        result = self.read("RESULT")
        self.proc.wait(timeout=60)
        return result

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def fan_out(servers: list[Server], counter_id: int, token: str, *, clients: int, processes: int,
            calls: int, client_cpus: set[int] | None, parallel: int, profile_to: Path | None = None) -> dict:
    """Connect the clients, make `calls` call-next requests, gather every receipt. With
    `profile_to`, py-spy samples the (first) server's worker during the calls."""
    rss_before = {s.worker_pid: rss_kib(s.worker_pid) for s in servers}
    urls = [s.url for s in servers]
    started = time.monotonic()
    # Each client process connects to the servers in turn, so every server gets clients/len(servers).
    group = [ClientProcess(urls, clients // processes, client_cpus, timeout=280, parallel=parallel)
             for _ in range(processes)]
    try:
        ready = [p.read("READY") for p in group]
        connect_s = time.monotonic() - started
        time.sleep(2)
        rss_after = {pid: rss_kib(pid) for pid in rss_before}
        load, ticks = load_average(), stat_ticks()
        spacing = SECONDS_BETWEEN_CALLS_PER_1000 * max(1, clients // 1000)
        spy = start_profile(servers[0].worker_pid, calls * spacing + 2, profile_to) if profile_to else None
        statuses, call_ms = [], []
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {token}"
            # A new connection per request: the pauses between calls are as long as gunicorn's
            # 2 s keep-alive, and a reused connection the server just closed fails the call.
            http.headers["Connection"] = "close"
            for i in range(calls):
                url = urls[i % len(urls)]
                sent = time.monotonic()
                response = http.post(f"{url}/api/v1/counters/{counter_id}/call-next", timeout=30)
                call_ms.append((time.monotonic() - sent) * 1000)
                statuses.append(response.status_code)
                time.sleep(spacing / 2)
                if response.ok:  # the clerk serves the citizen before calling the next one
                    http.post(f"{url}/api/v1/tickets/{response.json()['id']}/finish", timeout=30)
                time.sleep(spacing / 2)
        time.sleep(3)
        steal = steal_share(ticks, stat_ticks())
        results = [p.finish() for p in group]
        if spy is not None:
            spy.wait(timeout=60)
    finally:
        for p in group:
            p.kill()
    connected = sum(r["connected"] for r in ready)
    received = [(seq, ms) for r in results for seq, ms in r["received"]]
    per_call: dict[int, list[float]] = {}
    for seq, ms in received:
        per_call.setdefault(seq, []).append(ms)
    grown = sum(rss_after[pid] - rss_before[pid] for pid in rss_before)
    return {
        "clients": clients, "servers": len(servers), "client_processes": processes,
        "connected": connected, "failed": sum(r["failed"] for r in ready), "connect_s": connect_s,
        "calls": calls, "call_statuses": statuses, "call_ms": percentiles(call_ms),
        "expected": connected * statuses.count(200),
        "delivered": len(received), "latency_ms": percentiles([ms for _, ms in received]),
        "first_receipt_ms": percentiles([min(v) for v in per_call.values()]),
        "last_receipt_ms": percentiles([max(v) for v in per_call.values()]),
        "dropped": sum(r["dropped"] for r in results),
        "problems": sum((Tally(r["problems"]) for r in results), Tally()),
        "profile": (profile_summary(profile_to.read_text(), top=40)
                    if profile_to and profile_to.exists() else None),
        "rss_kib_before": rss_before, "rss_kib_after": rss_after,
        "kib_per_client": grown / connected if connected else float("nan"),
        "client_cpu_s": sum(r["cpu_s"] for r in results), "load_before_calls": load, "steal": steal,
    }


def start_profile(pid: int, seconds: float, output: Path) -> subprocess.Popen:
    from bench.bench_issue import py_spy
    return subprocess.Popen([py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds) + 1),
                             "--rate", "200", "--format", "raw", "--output", str(output), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def captured_events(folder: Path) -> dict:
    """The payloads the app sends its board room for a call and a finish, captured in-process
    (the bare server replays them, so both send the same bytes)."""
    from queueapp import create_app
    from queueapp.extensions import socketio as app_socketio
    url = f"sqlite:///{folder / 'capture' / 'queueapp.db'}"
    prepare_database(url, folder / "capture")
    counter_id = queue_tickets(url, 1)
    token = create_token(url, "loket1")
    db = Database(url)
    try:
        app = create_app({"SECRET_KEY": "bench", "INSTANCE_PATH": str(folder / "capture")}, database=db)
        board = app_socketio.test_client(app)
        board.emit("subscribe", {"office": "demo"})
        http = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        called = http.post(f"/api/v1/counters/{counter_id}/call-next", headers=headers).get_json()
        http.post(f"/api/v1/tickets/{called['id']}/finish", headers=headers)
        events = {m["args"][0]["type"]: m["args"][0] for m in board.get_received() if m["name"] == "event"}
        board.disconnect()
        return events
    finally:
        db.dispose()


def bare(folder: Path, clients: int, calls: int) -> dict:
    """The same clients and calls against a bare python-socketio server (bench/bare_socketio.py)."""
    env = {"QUEUEAPP_INSTANCE_PATH": str(folder / "bare"), "BENCH_EVENTS": json.dumps(captured_events(folder))}
    (folder / "bare").mkdir(parents=True, exist_ok=True)
    server = BareServer(env, cpus={0}).start()
    try:
        return fan_out([server], 1, "bare", clients=clients, processes=2, calls=calls, client_cpus={1}, parallel=50)
    finally:
        server.stop()


def single(folder: Path, clients: int, calls: int) -> dict:
    url = f"sqlite:///{folder / 'single' / 'queueapp.db'}"
    env = prepare_database(url, folder / "single")
    counter_id = queue_tickets(url, calls + 1)
    token = create_token(url, "loket1")
    server = Server(env, cpus={0}).start()
    try:
        return fan_out([server], counter_id, token, clients=clients, processes=2, calls=calls,
                       client_cpus={1}, parallel=50,
                       profile_to=ROOT / "bench" / "results" / "fanout-profile.txt")
    finally:
        server.stop()


def scaled(folder: Path, clients: int, calls: int, processes: int = 4) -> dict:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    servers: list[Server] = []
    try:
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
        env = prepare_database(url, folder / "scaled")
        counter_id = queue_tickets(url, calls + 1)
        token = create_token(url, "loket1")
        shared = {"QUEUEAPP_REDIS_URL": REDIS_URL, "QUEUEAPP_REDIS_CHANNEL": f"bench-{schema}"}
        for _ in range(processes):
            servers.append(Server(env, extra_env=shared).start())
        return fan_out(servers, counter_id, token, clients=clients, processes=processes, calls=calls,
                       client_cpus=None, parallel=PG_PARALLEL)
    finally:
        for server in servers:
            server.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def row(name: str, r: dict) -> str:
    lat, last = r["latency_ms"], r["last_receipt_ms"]
    return (f"| {name} | {r['connected']}/{r['clients']} | {r['delivered']}/{r['expected']} | "
            f"{lat['p50']:.1f} | {lat['p95']:.1f} | {lat['p99']:.1f} | {lat['max']:.0f} | "
            f"{r['first_receipt_ms']['p50']:.0f} | {last['p50']:.0f} | {r['call_ms']['p50']:.0f} | "
            f"{r['kib_per_client']:.0f} | {r['connect_s']:.0f} | "
            f"{r['load_before_calls']} | {r['steal']:.0%} |")


def markdown(results: dict) -> str:
    calls = next(iter(results.values()))["calls"] if results else 0
    lines = machine_description() + [
        "- Command: `.venv/bin/python bench/bench_fanout.py` (both scenarios)",
        "- Server: `queueapp serve` (gunicorn, one gevent worker per process). Clients: python-socketio "
        "AsyncClient (aiohttp, websocket transport) in separate processes (bench/fanout_clients.py), "
        "each subscribed to {\"office\": \"demo\"}.",
        f"- One run = {calls} call-next requests (POST /api/v1/counters/<id>/call-next, staff bearer token), "
        f"{SECONDS_BETWEEN_CALLS_PER_1000:.0f} s apart per 1,000 clients, each followed half-way by a finish "
        "of the called ticket; every client records each `ticket.called` event. "
        "Latency = receipt `time.time()` "
        "minus the event's `at`, which the server takes when the call-next request starts, so it "
        "includes the call's own transaction. `first/last client` = when the fastest/slowest client got "
        "a call; `call-next answer` = the HTTP round trip of the call itself, for comparison.",
        "- Memory: worker RSS (/proc/<pid>/status VmRSS) 2 s after all clients subscribed minus before, "
        "divided by connected clients (summed over the processes in the Redis scenario).",
        "- single: SQLite, server pinned to CPU 0, 2 client processes pinned to CPU 1. redis: PostgreSQL "
        "schema + Redis channel of its own, 4 servers and 4 client processes (each connects to the "
        "servers in turn) sharing both CPUs. The client processes' decoding time is part of the figure. "
        "`CPU steal`: share of CPU time the hypervisor took from this virtual machine during the calls.",
        "",
        "| scenario | connected | events delivered | p50 ms | p95 ms | p99 ms | max ms "
        "| first client p50 ms | last client p50 ms "
        "| call-next answer p50 ms | KiB per client | connect s | load avg | CPU steal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    names = {"bare": "bare python-socketio (same events, no app)", "single": "1 process, SQLite",
             "redis": "4 processes, PostgreSQL + Redis"}
    for key, r in results.items():
        lines.append(row(f"{names[key]}, {r['clients']} clients", r))
    if "single" in results and "bare" in results:
        app_last, bare_last = results["single"]["last_receipt_ms"]["p50"], results["bare"]["last_receipt_ms"]["p50"]
        lines += ["", f"Last of {results['single']['clients']} screens, app / bare python-socketio (p50 of the "
                  f"calls, same run): {app_last / bare_last:.2f} (target <= 1.2). Connecting and "
                  f"snapshotting every screen at once: {results['single']['connect_s']:.1f} s (bare: "
                  f"{results['bare']['connect_s']:.1f} s; target <= 5 s)."]
    if "single" in results:
        p99 = results["single"]["latency_ms"]["p99"]
        lines += ["", f"Target p99 <= {TARGET_P99_MS} ms at 1,000 clients on one process: "
                  f"{'reached' if p99 <= TARGET_P99_MS else 'missed'} ({p99:.1f} ms).", ""]
    else:
        lines.append("")
    for key, r in results.items():
        lines.append(f"- {names[key]}: call-next answers {sorted(set(r['call_statuses']))}, "
                     f"{r['dropped']} clients dropped by the transport before the end"
                     f"{' ' + str(dict(r['problems'])) if r['problems'] else ''}, client "
                     f"processes used {r['client_cpu_s']:.0f} CPU-s, worker RSS KiB before "
                     f"{list(r['rss_kib_before'].values())} after {list(r['rss_kib_after'].values())}.")
    for key, r in results.items():
        if r.get("profile"):
            prof = r["profile"]
            lines += ["", f"Profile of the server worker ({names[key]}) during the calls (py-spy, "
                      f"{prof['samples']} samples of busy time):", ""]
            lines += [f"- {share:.0%} {name}" for name, share in prof["buckets"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=("single", "redis", "both"), default="both")
    parser.add_argument("--clients", type=int, help="clients (default 1000 single, 4000 redis)")
    parser.add_argument("--calls", type=int, default=15)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    raise_fd_limit()
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        if args.scenario in ("single", "both"):
            results["bare"] = bare(Path(tmp), args.clients or 1000, args.calls)
            results["single"] = single(Path(tmp), args.clients or 1000, args.calls)
        if args.scenario in ("redis", "both"):
            results["redis"] = scaled(Path(tmp), args.clients or 4000, args.calls)
    keep = ROOT / "bench" / "results"
    keep.mkdir(exist_ok=True)
    (keep / "fanout.json").write_text(json.dumps(results, indent=2))
    document = args.output.read_text() if args.output.exists() else ""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(replace_section(document, HEADING, markdown(results)))
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
