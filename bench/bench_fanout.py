"""Real-time fan-out (issues 3 and 14): call-next reaching N screens (displays, kiosks and
citizens' phones), next to a bare python-socketio server sending the same payloads to the
same screens in the same run; SQL statements per call-next counted in the server; worker
memory per screen; the reconnect storm after a kill -9 of the worker.

Run: .venv/bin/python bench/bench_fanout.py [--setups single,redis] [--screens 1000,4000]
- single: one `queueapp serve` process (SQLite), pinned to CPU 0; the screens (one Node
  process, bench/fanout_clients.mjs) pinned to CPU 1.
- redis: 4 processes sharing PostgreSQL (a fresh schema) and Redis (a channel of its own);
  servers and screens share both CPUs.
Results go to docs/BENCHMARKS.md and bench/results/fanout.json.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `queueapp` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from bench.fanout_report import markdown, report_only, write_section  # noqa: E402
from bench.report import percentiles, steal_share  # noqa: E402
from bench.server import (ROOT, BareServer, Server, cpu_seconds, create_token, load_average, pin_to,  # noqa: E402
                          prepare_database, raise_fd_limit, rss_kib, stat_ticks)
from queueapp.db import Database  # noqa: E402
from queueapp.models import Counter, Office, Ticket  # noqa: E402
from queueapp.services.tickets import issue_ticket  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"
BENCH = ROOT / "bench"
# Calls come this far apart per 1,000 screens, each followed half-way by a finish (another
# event to every screen).
SECONDS_BETWEEN_CALLS_PER_1000 = 1.0
# Subscriptions opened at once by the screens at the start (a reconnect storm opens them all).
PARALLEL = {"single": 200, "redis": 40}
STORM_TIMEOUT_S = 60


class CountedServer(Server):
    """`queueapp serve` whose worker counts its SQL statements (bench/counted_serve.py)."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "bench.counted_serve", "127.0.0.1", str(self.port)]

    def statements(self) -> dict:
        return requests.get(f"{self.url}/_bench/sql-statements", timeout=10).json()


def statements(servers: list[Server], kind: str = "statements") -> int | None:
    """The servers' SQL statements so far: all of them, or (`in_requests`) those run by
    requests and socket handlers, not by the servers' background tasks."""
    if not all(isinstance(s, CountedServer) for s in servers):
        return None
    return sum(s.statements()[kind] for s in servers)


def both(servers: list[Server]) -> tuple[int, int] | None:
    if not all(isinstance(s, CountedServer) for s in servers):
        return None
    counts = [s.statements() for s in servers]
    return sum(c["statements"] for c in counts), sum(c["in_requests"] for c in counts)


def queue_tickets(url: str, count: int) -> tuple[int, list[str]]:
    """Issue `count` tickets of service A (counter 1's line): counter 1's id and the tokens."""
    db = Database(url)
    try:
        for _ in range(count):
            issue_ticket(db, "demo", "A", now=datetime.now(timezone.utc))
        with db.read() as s:
            office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
            counter_id = s.execute(select(Counter.id).where(Counter.office_id == office.id,
                                                            Counter.number == 1)).scalar_one()
            tokens = list(s.execute(select(Ticket.token).where(Ticket.office_id == office.id)
                                    .order_by(Ticket.id)).scalars())
            return counter_id, tokens
    finally:
        db.dispose()


def node_ready() -> None:
    """bench/node_modules from bench/package-lock.json, once."""
    if not (BENCH / "node_modules" / "ws").exists():
        subprocess.run(["npm", "ci", "--prefix", str(BENCH), "--no-audit", "--no-fund"], check=True)


class Screens:
    """The Node process holding every screen (bench/fanout_clients.mjs)."""

    def __init__(self, folder: Path, urls: list[str], boards: int, tokens: list[str], cpus: set[int] | None,
                 parallel: int):
        config = folder / f"screens-{uuid.uuid4().hex[:8]}.json"
        config.write_text(json.dumps({"urls": urls, "office": "demo", "boards": boards, "tokens": tokens,
                                      "parallel": parallel, "storm_timeout_s": STORM_TIMEOUT_S,
                                      "timeout_s": 900}))
        self.proc = subprocess.Popen(["node", str(BENCH / "fanout_clients.mjs"), str(config)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                     preexec_fn=pin_to(cpus))

    def read(self, prefix: str) -> dict:
        for line in self.proc.stdout:
            if line.startswith(prefix + " "):
                return json.loads(line[len(prefix) + 1:])
        raise RuntimeError(f"screens ended without {prefix}")

    def command(self, line: str) -> None:
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def finish(self) -> dict:
        self.command("DONE")
        result = self.read("RESULT")
        self.proc.wait(timeout=60)
        return result

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def fan_out(folder: Path, servers: list[Server], counter_id: int, token: str, *, boards: int, tokens: list[str],
            calls: int, cpus: set[int] | None, parallel: int, storm: bool = False) -> dict:
    """Connect the screens, make `calls` call-next requests (each followed half-way by a
    finish), gather every receipt; with `storm`, then kill -9 the worker and time the
    screens' return."""
    screens_n = boards + len(tokens)
    rss_before = {s.worker_pid: rss_kib(s.worker_pid) for s in servers}
    urls = [s.url for s in servers]
    screens = Screens(folder, urls, boards, tokens, cpus, parallel)
    storm_result = None
    try:
        ready = screens.read("READY")
        time.sleep(2)
        rss_after = {pid: rss_kib(pid) for pid in rss_before}
        load, ticks = load_average(), stat_ticks()
        spacing = SECONDS_BETWEEN_CALLS_PER_1000 * max(1, screens_n // 1000)
        statuses, call_ms, per_call, per_finish, per_call_all = [], [], [], [], []
        # The servers' own background work (notification worker, alerts) in a window as long
        # as a call's, with no call: the counts "all" include it, the others do not.
        idle = statements(servers)
        time.sleep(spacing / 2)
        idle = statements(servers) - idle if idle is not None else None
        with requests.Session() as http:
            http.headers["Authorization"] = f"Bearer {token}"
            # A new connection per request: a kept-alive one the server just closed fails the call.
            http.headers["Connection"] = "close"
            for i in range(calls):
                url = urls[i % len(urls)]
                before = both(servers)
                sent = time.monotonic()
                response = http.post(f"{url}/api/v1/counters/{counter_id}/call-next", timeout=30)
                call_ms.append((time.monotonic() - sent) * 1000)
                statuses.append(response.status_code)
                time.sleep(spacing / 2)
                middle = both(servers)
                if response.ok:  # the clerk serves the citizen before calling the next one
                    http.post(f"{url}/api/v1/tickets/{response.json()['id']}/finish", timeout=30)
                time.sleep(spacing / 2)
                if before is not None:
                    per_call_all.append(middle[0] - before[0])
                    per_call.append(middle[1] - before[1])
                    per_finish.append(statements(servers, "in_requests") - middle[1])
        time.sleep(2)
        steal = steal_share(ticks, stat_ticks())
        load_after = load_average()
        if storm:
            storm_result = reconnect_storm(servers[0], screens)
        result = screens.finish()
        if storm_result is not None:
            storm_result |= restart_alone(servers[0])
    finally:
        screens.kill()
    received = result["received"]
    last_by_call: dict[int, float] = {}
    first_by_call: dict[int, float] = {}
    for seq, ms in received:
        last_by_call[seq] = max(ms, last_by_call.get(seq, ms))
        first_by_call[seq] = min(ms, first_by_call.get(seq, ms))
    grown = sum(rss_after[pid] - rss_before[pid] for pid in rss_before)
    return {
        "screens": screens_n, "phones": len(tokens), "boards": boards, "servers": len(servers),
        "connected": ready["connected"], "failed": ready["failed"], "connect_s": ready["connect_ms"] / 1000,
        "first_snapshot_ms": percentiles(ready["snapshot_ms"]),
        "calls": calls, "call_statuses": statuses, "call_ms": percentiles(call_ms),
        "expected": ready["connected"] * statuses.count(200),
        "delivered": len(received), "latency_ms": percentiles([ms for _, ms in received]),
        "first_receipt_ms": percentiles(list(first_by_call.values())),
        "last_receipt_ms": percentiles(list(last_by_call.values())),
        # From the first screen to the last: the fan-out itself, without the call before it.
        "spread_ms": percentiles([last_by_call[seq] - first_by_call[seq] for seq in last_by_call]),
        "place_ms": percentiles(result["places_ms"]),
        "statements_per_call": per_call, "statements_per_finish": per_finish, "statements_idle": idle,
        "statements_per_call_all": per_call_all,
        "resyncs": result["resyncs"], "dropped": result["dropped"], "problems": result["problems"],
        "rss_kib_before": list(rss_before.values()), "rss_kib_after": list(rss_after.values()),
        "kib_per_screen": grown / ready["connected"] if ready["connected"] else float("nan"),
        "client_cpu_s": result["cpu_s"], "load": load, "load_after": load_after, "steal": steal,
        "storm": storm_result,
    }


def reconnect_storm(server: Server, screens: Screens) -> dict:
    """kill -9 the worker with every screen connected; gunicorn's master starts a new one and
    the screens reconnect (live.js's backoff) and re-subscribe. Times from the kill."""
    worker = server.worker_pid
    load, ticks = load_average(), stat_ticks()
    screens.command("STORM")
    time.sleep(0.5)
    killed = time.time() * 1000
    os.kill(worker, signal.SIGKILL)
    found = screens.read("STORM")
    new_worker = server.worker_pid
    worker_cpu_s = cpu_seconds(new_worker)
    back = sorted(t - killed for t in found["back_at"])
    result = {
        "screens": found["screens"], "dropped": found["dropped"], "back": found["back"],
        "last_back_s": back[-1] / 1000 if back else float("nan"),
        "back_ms": percentiles(back), "load": load, "steal": steal_share(ticks, stat_ticks()),
        "new_worker": new_worker != worker,
        "worker_cpu_s": worker_cpu_s,   # the new worker's CPU time: its start-up and the storm
        "statements": statements([server]),   # the new worker's: its start-up and the storm
    }
    return result


def restart_alone(server: Server) -> dict:
    """The same kill -9 with no screen connected: what the worker's start-up alone costs."""
    worker = server.worker_pid
    killed = time.monotonic()
    os.kill(worker, signal.SIGKILL)
    while True:
        try:
            if requests.get(f"{server.url}/api/v1/health", timeout=5).ok:
                break
        except requests.RequestException:
            pass
        time.sleep(0.02)
    return {"boot_s": time.monotonic() - killed, "boot_cpu_s": cpu_seconds(server.worker_pid)}


def captured(folder: Path) -> dict:
    """What the app sends for a call and a finish, to the office room and to a waiting
    phone's ticket room, and its snapshots of both rooms, captured in-process: the bare
    server replays them, so both send the same bytes."""
    from queueapp import create_app
    from queueapp.extensions import socketio as app_socketio
    url = f"sqlite:///{folder / 'capture' / 'queueapp.db'}"
    prepare_database(url, folder / "capture")
    counter_id, tokens = queue_tickets(url, 3)
    token = create_token(url, "loket1")
    db = Database(url)
    try:
        app = create_app({"SECRET_KEY": "bench", "INSTANCE_PATH": str(folder / "capture")}, database=db)
        board, phone = app_socketio.test_client(app), app_socketio.test_client(app)
        board.emit("subscribe", {"office": "demo"})
        phone.emit("subscribe", {"ticket": tokens[2]})
        snapshots = {"office": board.get_received()[-1]["args"][0]["state"],
                     "ticket": phone.get_received()[-1]["args"][0]["state"]}
        http = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}
        def sent_after(path: str) -> tuple[dict, dict]:
            answer = http.post(path, headers=headers).get_json()
            office = [m["args"][0] for m in board.get_received() if m["name"] == "event"]
            mine = [m["args"][0] for m in phone.get_received() if m["name"] == "event"]
            return answer, {"office": office, "ticket": mine[-1] if mine else None}
        called, on_call = sent_after(f"/api/v1/counters/{counter_id}/call-next")
        _, on_finish = sent_after(f"/api/v1/tickets/{called['id']}/finish")
        events = {"ticket.called": on_call, "ticket.finished": on_finish}
        board.disconnect()
        phone.disconnect()
        return {"events": events, "snapshots": snapshots}
    finally:
        db.dispose()


def run_bare(folder: Path, payloads: dict, *, boards: int, tokens: list[str], calls: int, processes: int,
             storm: bool) -> dict:
    """The same screens and calls against bare python-socketio (bench/bare_socketio.py)."""
    setup = folder / f"bare-{uuid.uuid4().hex[:8]}.json"
    setup.write_text(json.dumps({**payloads, "tokens": tokens}))
    (folder / "bare").mkdir(parents=True, exist_ok=True)
    env = {"QUEUEAPP_INSTANCE_PATH": str(folder / "bare"), "BENCH_BARE": str(setup)}
    if processes > 1:
        env |= {"BENCH_REDIS_URL": REDIS_URL, "BENCH_REDIS_CHANNEL": f"bench-bare-{uuid.uuid4().hex[:12]}"}
    single = processes == 1
    servers = [BareServer(env, cpus={0} if single else None).start() for _ in range(processes)]
    try:
        return fan_out(folder, servers, 1, "bare", boards=boards, tokens=tokens, calls=calls,
                       cpus={1} if single else None, parallel=PARALLEL["single" if single else "redis"],
                       storm=storm)
    finally:
        for server in servers:
            server.stop()


def run_single(folder: Path, *, boards: int, phones: int, calls: int, storm: bool) -> dict:
    where = folder / f"single-{uuid.uuid4().hex[:8]}"
    url = f"sqlite:///{where / 'queueapp.db'}"
    env = prepare_database(url, where)
    counter_id, tokens = queue_tickets(url, phones)
    token = create_token(url, "loket1")
    server = CountedServer(env, cpus={0}).start()
    try:
        return fan_out(folder, [server], counter_id, token, boards=boards, tokens=tokens, calls=calls,
                       cpus={1}, parallel=PARALLEL["single"], storm=storm)
    finally:
        server.stop()


def run_redis(folder: Path, *, boards: int, phones: int, calls: int, processes: int = 4) -> dict:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    servers: list[Server] = []
    try:
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
        env = prepare_database(url, folder / "redis")
        counter_id, tokens = queue_tickets(url, phones)
        token = create_token(url, "loket1")
        shared = {"QUEUEAPP_REDIS_URL": REDIS_URL, "QUEUEAPP_REDIS_CHANNEL": f"bench-{schema}"}
        for _ in range(processes):
            servers.append(CountedServer(env, extra_env=shared).start())
        return fan_out(folder, servers, counter_id, token, boards=boards, tokens=tokens, calls=calls,
                       cpus=None, parallel=PARALLEL["redis"])
    finally:
        for server in servers:
            server.stop()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default="single,redis", help="single and/or redis, comma-separated")
    parser.add_argument("--screens", default="1000,4000", help="screen counts, comma-separated")
    parser.add_argument("--phone-share", type=float, default=0.1,
                        help="share of the screens that are phones (plus one per call, all waiting)")
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--storm-at", type=int, default=1000,
                        help="kill -9 the single worker in the run with this many screens (0: never)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    parser.add_argument("--no-docs", action="store_true", help="leave docs/BENCHMARKS.md alone")
    parser.add_argument("--report-only", action="store_true",
                        help="rewrite the section from bench/results/fanout.json, without running")
    args = parser.parse_args(argv)
    if args.report_only:
        return report_only(args.output)
    raise_fd_limit()
    node_ready()
    runs = []
    keep = ROOT / "bench" / "results" / "fanout.json"
    keep.parent.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bench-fanout-") as tmp:
        folder = Path(tmp)
        payloads = captured(folder)
        for setup in args.setups.split(","):
            for n in (int(v) for v in args.screens.split(",")):
                # Phones of the called line: one per call (called in turn) and the share that stays waiting.
                phones = int(n * args.phone_share) + args.calls
                boards = n - phones
                storm = setup == "single" and n == args.storm_at
                processes = 1 if setup == "single" else 4
                # Tokens for the bare server: the same number of ticket rooms, made up.
                fake = [f"bare-{i:05d}-{uuid.uuid4().hex}" for i in range(phones)]
                bare = run_bare(folder, payloads, boards=boards, tokens=fake, calls=args.calls,
                                processes=processes, storm=storm)
                if setup == "single":
                    app = run_single(folder, boards=boards, phones=phones, calls=args.calls, storm=storm)
                else:
                    app = run_redis(folder, boards=boards, phones=phones, calls=args.calls)
                runs.append({"setup": setup, "screens": n, "bare": bare, "app": app,
                             "date": f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M}",
                             "call_bytes": len(json.dumps(payloads["events"]["ticket.called"]["office"]))})
                keep.write_text(json.dumps(runs, indent=2))   # each run as soon as it is done
                print(json.dumps({"setup": setup, "screens": n,
                                  "ratio": app["last_receipt_ms"]["p50"] / bare["last_receipt_ms"]["p50"]}),
                      flush=True)
    body = markdown(runs, payloads_bytes=runs[0]["call_bytes"] if runs else 0)
    if not args.no_docs:
        write_section(args.output, body)
    print(body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
