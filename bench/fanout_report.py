"""The "Real-time fan-out" section of docs/BENCHMARKS.md from bench_fanout.py's runs."""
from __future__ import annotations

import json
import statistics
from datetime import datetime, timezone
from pathlib import Path

from bench.report import replace_section
from bench.server import ROOT, machine_description

HEADING = "Real-time fan-out"

TARGETS = {"ratio": 1.2, "storm_s": 5.0, "kib": 80, "statements": 30}


def _median(values: list[int]) -> str:
    return f"{statistics.median(values):.0f} ({min(values)}-{max(values)})" if values else "-"


def _row(name: str, r: dict) -> str:
    lat, last = r["latency_ms"], r["last_receipt_ms"]
    return (f"| {name} | {r['connected']}/{r['screens']} ({r['phones']} phones) | {r['delivered']}/{r['expected']} | "
            f"{lat['p50']:.0f} | {lat['p99']:.0f} | {r['first_receipt_ms']['p50']:.0f} | {last['p50']:.0f} | "
            f"{last['max']:.0f} | {r['place_ms']['p50']:.0f} | {r['call_ms']['p50']:.0f} | "
            f"{_median(r['statements_per_call'])} | {r['kib_per_screen']:.0f} | {r['connect_s']:.1f} | "
            f"{r['first_snapshot_ms']['p50']:.0f} / {r['first_snapshot_ms']['p99']:.0f} | "
            f"{r['load']} | {r['steal']:.1%} |")


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def markdown(runs: list[dict], payloads_bytes: int, date: str | None = None) -> str:
    """`date`: when the runs were made, when not now ("YYYY-MM-DD HH:MM")."""
    calls = runs[0]["app"]["calls"] if runs else 0
    machine = machine_description()
    if date:
        machine[0] = f"- Date: {date} UTC"
    lines = machine + [
        "- Command: `.venv/bin/python bench/bench_fanout.py` (defaults: `--setups single,redis "
        f"--screens 1000,4000 --calls {calls}`); for each set-up and screen count the bare server "
        "runs first, then the app, back to back.",
        "- Screens: one Node process (bench/fanout_clients.mjs, `ws` WebSocket clients speaking "
        "Engine.IO v4 / Socket.IO v5 by hand, as queueapp/static/shared/live.js does): displays and "
        "kiosks subscribe to {\"office\": \"demo\"}; phones (10% of the screens plus one per call, all "
        "waiting in the called line) to {\"ticket\": token} and {\"office\": \"demo\"}, like the "
        "status page. They answer pings, resync on a seq gap, reconnect with live.js's backoff.",
        f"- One run = {calls} call-next requests (staff bearer token), 1 s apart per 1,000 screens, each "
        "followed half-way by a finish. Latency = receipt `Date.now()` minus the event's `at` (taken "
        "when the call-next request starts, so it includes the call's own transaction), for "
        "`ticket.called` in the office room; `last screen` = when the slowest screen got a call "
        "(p50 and max over the calls); `place` = a phone's update of its place in the ticket room.",
        "- Bare: bench/bare_socketio.py on the same gunicorn + gevent set-up, no app, no database; "
        "it sends the payloads and snapshots captured from the app (a call's office message is "
        f"{payloads_bytes} bytes of JSON) to the same screens, and the phones' message to each "
        "ticket room. With 4 processes it shares a Redis message queue too.",
        "- SQL statements: counted in the worker by a SQLAlchemy `before_cursor_execute` listener "
        "(bench/counted_serve.py, bench only), from the call-next request until the finish half a "
        "period later: the call, its projection and whatever the screens asked for after it, "
        "counted when run in a request or a socket handler (the server's background tasks, the "
        "notification worker, alerts and purge, are counted apart: `all` below). "
        "Median (min-max) over the calls, summed over the processes.",
        "- Memory: worker RSS growth from before the screens connect to 2 s after the last "
        "snapshot, per connected screen (summed over the processes). `snapshot` = subscribe to "
        "snapshot at connect, p50 / p99 ms. Load average when the calls start; CPU steal during them.",
        "- single: SQLite, server pinned to CPU 0, the Node process to CPU 1. redis: PostgreSQL "
        "schema + Redis channel of its own, 4 server processes and the Node process sharing both CPUs.",
        "",
        "| run | screens | events delivered | p50 ms | p99 ms | first screen p50 ms | last screen p50 ms "
        "| last screen max ms | place p50 ms | call-next answer p50 ms | SQL per call-next | KiB per screen "
        "| connect s | snapshot p50/p99 ms | load avg | CPU steal |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    names = {"single": "1 process, SQLite", "redis": "4 processes, PostgreSQL + Redis"}
    for run in runs:
        label = f"{names[run['setup']]}, {run['screens']} screens"
        lines.append(_row(f"bare, {label}", run["bare"]))
        lines.append(_row(f"**app**, {label}", run["app"]))
    lines += ["", "Against the targets of issue 14 (ratios within one run):", ""]
    for run in runs:
        app, bare = run["app"], run["bare"]
        ratio = app["last_receipt_ms"]["p50"] / bare["last_receipt_ms"]["p50"]
        label = f"{names[run['setup']]}, {run['screens']} screens"
        target = f" (target <= {TARGETS['ratio']}: {_verdict(ratio <= TARGETS['ratio'])})" if run["screens"] == 1000 else ""
        spread = app["spread_ms"]["p50"] / bare["spread_ms"]["p50"]
        lines.append(f"- {label}: last screen app / bare {ratio:.2f}{target}; first screen to last "
                     f"(the fan-out alone) app {app['spread_ms']['p50']:.0f} ms / bare "
                     f"{bare['spread_ms']['p50']:.0f} ms = {spread:.2f}; "
                     f"memory {app['kib_per_screen']:.0f} KiB per screen (bare {bare['kib_per_screen']:.0f}; "
                     f"target <= {TARGETS['kib']}: {_verdict(app['kib_per_screen'] <= TARGETS['kib'])}); "
                     f"SQL statements per call-next {_median(app['statements_per_call'])} with "
                     f"{app['phones']} phones (target <= {TARGETS['statements']}, median: "
                     f"{_verdict(bool(app['statements_per_call']) and statistics.median(app['statements_per_call']) <= TARGETS['statements'])}"
                     f"), per finish {_median(app['statements_per_finish'])}; all statements of the worker "
                     f"in the call's window {_median(app.get('statements_per_call_all', []))}, in the same "
                     f"window with no call {app['statements_idle']}.")
    for run in runs:
        for kind in ("bare", "app"):
            storm = run[kind].get("storm")
            if not storm:
                continue
            back = storm["back_ms"]
            verdict = f" (target <= {TARGETS['storm_s']:.0f} s: {_verdict(storm['last_back_s'] <= TARGETS['storm_s'])})"
            lines.append(
                f"- Reconnect storm, {kind}, {names[run['setup']]}: kill -9 of the worker with "
                f"{storm['screens']} screens connected; {storm['dropped']} dropped, {storm['back']} back "
                f"with all their snapshots; the last {storm['last_back_s']:.1f} s after the kill"
                f"{verdict if kind == 'app' else ''}, p50 {back['p50'] / 1000:.1f} s; the new worker "
                f"used {storm['worker_cpu_s']:.1f} CPU-s by then (start-up included)"
                + (f" and ran {storm['statements']} SQL statements"
                   if storm.get("statements") is not None else "")
                + f"; load {storm['load']}, steal {storm['steal']:.1%}. The same kill with no screen: "
                f"the new worker answered after {storm['boot_s']:.1f} s, {storm['boot_cpu_s']:.1f} CPU-s.")
    lines.append("")
    for run in runs:
        for kind in ("bare", "app"):
            r = run[kind]
            lines.append(f"- {kind}, {names[run['setup']]}, {run['screens']} screens: call-next answers "
                         f"{sorted(set(r['call_statuses']))}, {r['dropped']} drops, {r['resyncs']} resyncs"
                         f"{' ' + str(r['problems']) if r['problems'] else ''}; Node used {r['client_cpu_s']:.0f} "
                         f"CPU-s; worker RSS KiB before {r['rss_kib_before']} after {r['rss_kib_after']}; "
                         f"load after the calls {r['load_after']}.")
    return "\n".join(lines)


def write_section(output: Path, body: str) -> None:
    document = output.read_text() if output.exists() else ""
    output.write_text(replace_section(document, HEADING, body))


def report_only(output: Path) -> int:
    keep = ROOT / "bench" / "results" / "fanout.json"
    runs = json.loads(keep.read_text())
    date = runs[0].get("date") or f"{datetime.fromtimestamp(keep.stat().st_mtime, timezone.utc):%Y-%m-%d %H:%M}"
    body = markdown(runs, payloads_bytes=runs[0].get("call_bytes", 0), date=date)
    write_section(output, body)
    print(body)
    return 0
