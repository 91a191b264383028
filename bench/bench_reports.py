"""Reports of a busy month: the summary and the tickets CSV of 30 days x 3,000 tickets
(a Mal Pelayanan Publik), on SQLite and PostgreSQL, timed in-process through the app's
HTTP layer (Flask test client) next to GET /api/v1/health as the ratio baseline.

    .venv/bin/python bench/bench_reports.py [--days 30] [--per-day 3000] [--runs 5] [--update-docs]
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import re
import signal
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from queueapp import create_app  # noqa: E402
from queueapp.db import Database  # noqa: E402
from queueapp.models import Counter, Office, Service, StaffUser, Ticket, TicketEvent  # noqa: E402
from queueapp.schema import upgrade  # noqa: E402
from queueapp.services import staff  # noqa: E402
from queueapp.services.demo import seed_demo  # noqa: E402

SECTION = "## Reports"
DOCS = ROOT / "docs" / "BENCHMARKS.md"
PG_URL = os.environ.get("QUEUEAPP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FIRST_DAY = date(2026, 10, 1)
WIB = timezone(timedelta(hours=7))


def fill_month(db: Database, days: int, per_day: int, seed: int = 11) -> int:
    """`per_day` tickets on each of `days` days from FIRST_DAY: 85% served (call, start,
    finish events), 8% no-shows, 4% cancelled, 3% transferred then served; every tenth an
    appointment, one in twelve a priority group. Inserted in bulk, a day per transaction."""
    rng = random.Random(seed)
    with db.read() as s:
        office = s.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        services = [(sv.id, sv.prefix) for sv in s.execute(select(Service).where(Service.office_id == office.id))
                    .scalars()]
        counters = list(s.execute(select(Counter.id).where(Counter.office_id == office.id)).scalars())
        clerks = list(s.execute(select(StaffUser.id).where(StaffUser.role == "clerk")).scalars())
    total, seq = 0, 0
    for d in range(days):
        day = FIRST_DAY + timedelta(days=d)
        opens = datetime(day.year, day.month, day.day, 8, 0, tzinfo=WIB)
        numbers = {prefix: 0 for _, prefix in services}
        tickets, events = [], []
        for n in range(per_day):
            total += 1
            service_id, prefix = services[n % len(services)]
            numbers[prefix] += 1
            issued = opens + timedelta(seconds=n * 8 * 3600 // per_day)
            called = issued + timedelta(seconds=rng.randint(60, 3600))
            started = called + timedelta(seconds=rng.randint(20, 180))
            finished = started + timedelta(seconds=rng.randint(180, 1200))
            roll = rng.random()
            status = "done" if roll < 0.88 else "no_show" if roll < 0.96 else "cancelled"
            counter, clerk = rng.choice(counters), rng.choice(clerks)
            row = {"id": total, "office_id": office.id, "service_id": service_id, "business_date": day,
                   "prefix": prefix, "number": numbers[prefix], "code": f"{prefix}-{numbers[prefix]:03d}",
                   "channel": "appointment" if n % 10 == 0 else "kiosk",
                   "priority": "lansia" if n % 12 == 0 else None, "status": status, "counter_id": counter,
                   "staff_id": clerk, "issued_at": issued, "queued_at": issued, "call_count": 1,
                   "called_at": called if status != "cancelled" else None,
                   "started_at": started if status == "done" else None,
                   "finished_at": finished if status == "done" else called, "token": f"bench-{total}",
                   "idempotency_key": None}
            steps = [("ticket.issued", issued)]
            if status == "cancelled":
                row["counter_id"] = None
                steps.append(("ticket.cancelled", called))
            else:
                steps.append(("ticket.called", called))
                if status == "done" and roll < 0.03:
                    steps += [("ticket.transferred", started), ("ticket.called", started)]
                steps += [("ticket.started", started), ("ticket.finished", finished)] if status == "done" else \
                    [("ticket.no_show", called + timedelta(minutes=3))]
            tickets.append(row)
            for type_, at in steps:
                seq += 1
                events.append({"office_id": office.id, "ticket_id": total, "seq": seq, "type": type_, "at": at,
                               "counter_id": row["counter_id"], "staff_id": clerk, "data": {}})
        with db.engine.begin() as conn:
            conn.execute(insert(Ticket.__table__), tickets)
            conn.execute(insert(TicketEvent.__table__), events)
    with db.engine.begin() as conn:
        conn.execute(Office.__table__.update().values(seq=seq))
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return total


def timed(client, url: str, headers: dict, runs: int) -> dict:
    client.get(url, headers=headers).get_data()   # warm up (imports, caches, query plans)
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url, headers=headers)
        size = len(response.get_data())         # a streamed CSV is produced while read
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {"median": statistics.median(times), "min": min(times), "max": max(times), "bytes": size}


def measure(name: str, url: str, args, folder: Path) -> list[dict]:
    db = Database(url)
    seed_demo(db, example_holidays=False, now=datetime(2026, 9, 1, tzinfo=timezone.utc))
    began = time.perf_counter()
    tickets = fill_month(db, args.days, args.per_day)
    print(f"{name}: {tickets} tickets filled in {time.perf_counter() - began:.0f} s", flush=True)
    os.environ["QUEUEAPP_INSTANCE_PATH"] = str(folder)
    app = create_app({"SECRET_KEY": "bench", "REPORT_MAX_DAYS": 366}, database=db)
    token = staff.create_token(db, "supervisor", now=datetime.now(timezone.utc))
    headers = {"Authorization": f"Bearer {token}"}
    last = FIRST_DAY + timedelta(days=args.days - 1)
    period = f"from={FIRST_DAY.isoformat()}&to={last.isoformat()}"
    client = app.test_client()
    runs = [("GET /api/v1/health (baseline)", "/api/v1/health", {}),
            (f"summary of {args.days} days", f"/api/v1/offices/demo/reports/summary?{period}", headers),
            (f"tickets.csv of {args.days} days", f"/api/v1/offices/demo/reports/tickets.csv?{period}", headers),
            ("summary of one day", f"/api/v1/offices/demo/reports/summary?from={last.isoformat()}", headers)]
    results = []
    baseline = None
    for label, path, hdrs in runs:
        figures = timed(client, path, hdrs, args.runs)
        baseline = baseline or figures["median"]
        results.append({"database": name, "run": label, "tickets": tickets, **figures,
                        "ratio": figures["median"] / baseline})
        print(results[-1], flush=True)
    db.dispose()
    return results


def pg_schema() -> tuple[str, str]:
    schema = f"bench_reports_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return schema, url


def drop_schema(schema: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def section(results: list[dict], args, load: str) -> str:
    import sqlalchemy
    rows = "\n".join(f"| {r['database']} | {r['run']} | {r['median']:.1f} | {r['min']:.1f} | {r['max']:.1f} | "
                     f"{r['ratio']:.0f} | {r['bytes']:,} |" for r in results)
    return (f"{SECTION}\n\n"
            f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n"
            f"- Machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
            f"Linux {platform.release()}; load average before: {load}\n"
            f"- Versions: Python {platform.python_version()}, SQLAlchemy {sqlalchemy.__version__}, "
            f"SQLite {__import__('sqlite3').sqlite_version}\n"
            f"- Command: `.venv/bin/python bench/bench_reports.py --days {args.days} --per-day {args.per_day} "
            f"--runs {args.runs} --update-docs`\n"
            f"- Data: the demo office with {args.days} days x {args.per_day:,} tickets "
            f"({args.days * args.per_day:,} tickets, about 4 events each: issued, called, started, finished; "
            f"no-shows, cancellations, transfers, appointments and priority tickets mixed in), inserted in bulk.\n"
            f"- How: in-process through the app's HTTP layer (Flask test client, bearer token of the "
            f"supervisor), {args.runs} runs after a warm-up, median; the CSV is read to its end. "
            f"`x health` = median / the median of GET /api/v1/health in the same run.\n\n"
            f"| database | request | median ms | min ms | max ms | x health | bytes |\n"
            f"|---|---|---|---|---|---|---|\n{rows}\n")


def update_docs(text_: str) -> None:
    current = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^### Notes|^## |\Z)", re.S | re.M)
    if pattern.search(current):
        current = pattern.sub(lambda _: text_ + "\n", current).rstrip() + "\n"
    else:
        current = current.rstrip() + "\n\n" + text_
    DOCS.write_text(current)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--per-day", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args()
    # A stopped run (kill) still drops its PostgreSQL schema and temporary files.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    results = []
    with tempfile.TemporaryDirectory() as folder:
        if args.database in ("sqlite", "both"):
            engine = create_engine(f"sqlite:///{folder}/bench.db")
            upgrade(engine)
            engine.dispose()
            results += measure("SQLite", f"sqlite:///{folder}/bench.db", args, Path(folder))
        if args.database in ("postgresql", "both"):
            schema, url = pg_schema()
            try:
                results += measure("PostgreSQL", url, args, Path(folder))
            finally:
                drop_schema(schema)
    text_ = section(results, args, load)
    print(text_)
    if args.update_docs:
        update_docs(text_)


if __name__ == "__main__":
    main()
