"""The production server (`queueapp serve`: gunicorn + one gevent worker) on a bench database."""
from __future__ import annotations

import os
import platform
import resource
import shutil
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from sqlalchemy import update

from queueapp.db import Database
from queueapp.models import Service
from queueapp.schema import upgrade
from queueapp.services import staff
from queueapp.services.demo import seed_demo
from queueapp.services.kiosks import new_device_token

from tests.live_server import ROOT, LiveServer

from .report import cpu_model, cpu_ticks, mem_total_gib, vm_rss_kib



def raise_fd_limit() -> int:
    """Lift the soft open-files limit to the hard one; children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def prepare_database(url: str, folder: Path) -> dict:
    """Migrate, load the demo office, and lift its daily quotas (the demo's A 150, B 100...
    would stop issuance)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = Database(url)
    try:
        upgrade(db.engine)
        seed_demo(db, example_holidays=False)   # the real clock: never a closed day
        with db.write() as uow:
            uow.session.execute(update(Service).values(daily_quota=None))
        # Only a paired kiosk takes numbers: wrk sends its device token (WRK_AUTHORIZATION).
        os.environ["WRK_AUTHORIZATION"] = f"Bearer {new_device_token(db, 'demo', 'bench')}"
    finally:
        db.dispose()
    # One kiosk issuing thousands of tickets a second is the point here, not an abuse.
    return {"QUEUEAPP_INSTANCE_PATH": str(folder), "QUEUEAPP_DATABASE_URL": url,
            "QUEUEAPP_SECRET_KEY": "bench-secret", "QUEUEAPP_TICKET_RATE_LIMIT": "",
            "QUEUEAPP_TICKET_DEVICE_RATE_LIMIT": ""}


def create_token(url: str, username: str) -> str:
    db = Database(url)
    try:
        return staff.create_token(db, username, now=datetime.now(timezone.utc))
    finally:
        db.dispose()


def pin_to(cpus: set[int] | None):
    """A preexec_fn that pins the child (and what it forks) to these CPUs."""
    if not cpus:
        return None
    return lambda: os.sched_setaffinity(0, cpus)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_kib(pid: int) -> int:
    return vm_rss_kib(Path(f"/proc/{pid}/status").read_text())


class Server(LiveServer):
    """The production server (gunicorn + one gevent worker), optionally pinned to CPUs,
    without an access log, keeping its log in bench/results/."""

    DROP_ENV = ("QUEUEAPP_ASYNC_MODE", "QUEUEAPP_ACCESS_LOG")  # a log line per request is not what we measure

    def __init__(self, env: dict, cpus: set[int] | None = None, extra_env: dict | None = None):
        super().__init__({**env, **(extra_env or {})}, worker="gevent", preexec_fn=pin_to(cpus))
        self.cpus = cpus

    @property
    def worker_pid(self) -> int:
        """The gunicorn worker (the master's only child): it holds the app and the sockets."""
        workers = children_of(self.proc.pid)
        if len(workers) != 1:
            raise RuntimeError(f"expected one gunicorn worker, found {workers}")
        return workers[0]

    def stop(self) -> None:
        super().stop(timeout=15)
        if self.log_path.exists():
            keep = ROOT / "bench" / "results"
            keep.mkdir(exist_ok=True)
            shutil.copy(self.log_path, keep / self.log_path.name)


def machine_description() -> list[str]:
    """Date, machine and versions, as lines for BENCHMARKS.md."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text()
    packages = ["Flask", "Flask-SocketIO", "python-socketio", "python-engineio", "gunicorn", "gevent",
                "SQLAlchemy", "psycopg", "redis", "aiohttp"]
    versions = []
    for name in packages:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    import sqlite3
    return [
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {os.cpu_count()} CPUs (nproc), {cpu_model(cpuinfo)}, "
        f"{mem_total_gib(meminfo):.1f} GiB memory, {platform.system()} {platform.release()}",
        f"- Versions: Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        + ", ".join(versions),
    ]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def stat_ticks() -> tuple[int, int]:
    return cpu_ticks(Path("/proc/stat").read_text())


class HelloServer(Server):
    """bench/hello.py on gunicorn with one gevent worker: the app's server set-up, no app."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "--worker-class", "gevent", "--workers", "1",
                "--worker-connections", "5000", "--timeout", "60", "--bind", f"127.0.0.1:{self.port}",
                "--error-logfile", "-", "bench.hello:app"]


class BareServer(Server):
    """bench/bare_socketio.py on gunicorn with one gevent worker: the fan-out ceiling."""

    def command(self) -> list[str]:
        return [sys.executable, "-m", "gunicorn", "--worker-class", "gevent", "--workers", "1",
                "--worker-connections", "5000", "--timeout", "60", "--bind", f"127.0.0.1:{self.port}",
                "--error-logfile", "-", "bench.bare_socketio:app"]


def fill_history(url: str, days: int = 365, per_day: int = 690) -> int:
    """A year of served tickets (about 180,000: 690 per working day, with their
    call and finish events) on the days before today, in bulk: what an office has after a year."""
    import random
    from datetime import date, timedelta

    from sqlalchemy import insert, select

    from queueapp.models import Counter, Office, Ticket, TicketEvent
    db = Database(url)
    rng = random.Random(14)
    try:
        with db.read() as session:
            office = session.execute(select(Office).where(Office.slug == "demo")).scalar_one()
            service_ids = [s.id for s in office.services]
            counter_ids = list(session.execute(select(Counter.id).where(Counter.office_id == office.id)).scalars())
        total, seq = 0, 0
        today = datetime.now(timezone.utc).date()
        for d in range(days, 0, -1):
            day = today - timedelta(days=d)
            if day.isoweekday() > 5:
                continue
            opens = datetime(day.year, day.month, day.day, 1, 0, tzinfo=timezone.utc)
            tickets, events = [], []
            for n in range(per_day):
                issued = opens + timedelta(seconds=n * 50)
                called = issued + timedelta(minutes=rng.randint(1, 40))
                finished = called + timedelta(minutes=rng.randint(3, 15))
                total += 1
                tickets.append({"id": 10_000_000 + total, "office_id": office.id,
                                "service_id": service_ids[n % len(service_ids)], "business_date": day,
                                "prefix": "H", "number": n + 1, "code": f"H-{n + 1:03d}", "channel": "kiosk",
                                "priority": None, "status": "done", "counter_id": rng.choice(counter_ids),
                                "staff_id": None, "issued_at": issued, "queued_at": issued, "called_at": called,
                                "started_at": called, "finished_at": finished, "call_count": 1,
                                "token": f"history-{total}", "idempotency_key": None})
                for type_, at in (("ticket.called", called), ("ticket.finished", finished)):
                    seq -= 1   # below the office's own seq numbers
                    events.append({"office_id": office.id, "ticket_id": 10_000_000 + total, "seq": seq,
                                   "type": type_, "at": at, "counter_id": tickets[-1]["counter_id"],
                                   "staff_id": None, "data": {}})
            with db.engine.begin() as conn:
                conn.execute(insert(Ticket.__table__), tickets)
                conn.execute(insert(TicketEvent.__table__), events)
        return total
    finally:
        db.dispose()
