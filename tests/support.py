"""Shared test helpers: a settable clock, database factories, a live server."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from queueapp.db import Database
from queueapp.schema import upgrade

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("QUEUEAPP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("QUEUEAPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# Monday 23 November 2026, 09:00 in Jakarta (WIB, UTC+7).
MONDAY_0900_WIB = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


class Clock:
    """A clock tests can set and move; the app reads it through QUEUEAPP_CLOCK."""

    def __init__(self, start: datetime = MONDAY_0900_WIB):
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def service_unavailable(what: str, error: Exception):
    """Under CI=true a missing PostgreSQL or Redis fails loudly; locally it skips."""
    message = f"{what} is not reachable: {error}"
    if IN_CI:
        pytest.fail(message + " (CI=true: this test must run)")
    pytest.skip(message)


def pg_schema_url(schema: str) -> str:
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def create_pg_schema() -> tuple[str, str]:
    """A fresh schema in the test database, migrated to head. Returns (schema, url)."""
    schema = f"qa_{uuid.uuid4().hex[:12]}"
    try:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except Exception as exc:  # noqa: BLE001
        service_unavailable("PostgreSQL", exc)
    url = pg_schema_url(schema)
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()
    return schema, url


def drop_pg_schema(schema: str) -> None:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def truncate_pg(db: Database) -> None:
    with db.engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'alembic_version'"))]
        if tables:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))


def migrated_sqlite_template(folder: Path) -> Path:
    template = folder / "template.db"
    engine = create_engine(f"sqlite:///{template}")
    upgrade(engine)
    engine.dispose()
    return template


def fresh_sqlite(template: Path, folder: Path) -> str:
    target = folder / f"{uuid.uuid4().hex}.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def redis_or_skip(url: str = REDIS_URL):
    import redis
    try:
        client = redis.Redis.from_url(url)
        client.ping()
        return client
    except Exception as exc:  # noqa: BLE001
        service_unavailable("Redis", exc)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`queueapp serve` in a subprocess, as an office would run it."""

    def __init__(self, env: dict, worker: str = "gevent", port: int | None = None, cwd: Path | None = None):
        self.env = env
        self.worker = worker
        self.port = port or free_port()
        self.cwd = cwd
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> LiveServer:
        env = {**os.environ, **self.env}
        env.pop("QUEUEAPP_ASYNC_MODE", None)
        self.log = open(Path(self.env["QUEUEAPP_INSTANCE_PATH"]) / f"server-{self.port}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "queueapp", "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--worker", self.worker], env=env, cwd=self.cwd or ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}: {self.read_log()}")
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start: {self.read_log()}")

    def read_log(self) -> str:
        path = Path(self.env["QUEUEAPP_INSTANCE_PATH"]) / f"server-{self.port}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if getattr(self, "log", None):
            self.log.close()
