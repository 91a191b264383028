"""What /health reports: the database (reachable and writable), Redis, the instance folder's disk.

Only the database decides between serving and not (503): it is this process's own. Redis is
shared by every process, so a load balancer that took a process out for Redis alone would take
them all out at once, while each can still serve without it (rate limits in memory, events to
its own screens): Redis down, and a disk low or not writable, are "degraded" with 200.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from sqlalchemy import text

from .db import Database
from .outages import DATABASE, DISK, REDIS

# Cheap, and a write all the same: it takes the write lock (SQLite) or fails in a read-only
# transaction (PostgreSQL), and is rolled back.
_WRITE_PROBE = text("UPDATE offices SET seq = seq WHERE 1 = 0")
_redis_clients: dict[str, object] = {}


class _RollBack(Exception):
    """Raised inside the probe's transaction so that it is rolled back."""


def database_state(db: Database) -> str:
    """"ok", "unreachable" (no answer) or "not_writable" (answers, refuses a write)."""
    try:
        db.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no database
        DATABASE.failed(exc, by="health check")
        return "unreachable"
    try:
        with db.write() as uow:
            uow.session.execute(_WRITE_PROBE)
            raise _RollBack
    except _RollBack:
        DATABASE.recovered()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        DATABASE.failed(exc, by="health check (a write)")
        return "not_writable"


def redis_state(url: str | None) -> str:
    """"ok", "unreachable" or "not_configured" (one process, no Redis)."""
    if not url:
        return "not_configured"
    client = _redis_clients.get(url)
    if client is None:
        import redis

        from .message_queue import redis_options
        client = _redis_clients[url] = redis.Redis.from_url(url, **redis_options(timeout=2))
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001
        REDIS.failed(exc, by="health check")
        return "unreachable"
    REDIS.recovered()
    return "ok"


def disk_state(folder: Path, min_free_mb: int) -> tuple[str, int | None]:
    """("ok" | "low" | "not_writable", free megabytes) of the folder holding the instance's
    files (the SQLite database, the secret key, backups by default)."""
    free_mb = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        free_mb = shutil.disk_usage(folder).free // 2**20
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-") as probe:
            probe.write(b"1")
            probe.flush()
    except OSError as exc:
        DISK.failed(exc, by="health check")
        return "not_writable", free_mb
    DISK.recovered()
    return ("low" if free_mb < min_free_mb else "ok"), free_mb


def report(db: Database, *, redis_url: str | None, folder: Path, min_free_mb: int) -> tuple[dict, int]:
    """The health document and its HTTP status."""
    database = database_state(db)
    redis = redis_state(redis_url)
    disk, free_mb = disk_state(folder, min_free_mb)
    if database != "ok":
        status, http_status = "unavailable", 503
    elif redis == "unreachable" or disk != "ok":
        status, http_status = "degraded", 200
    else:
        status, http_status = "ok", 200
    return {"status": status, "database": database, "redis": redis, "disk": disk, "disk_free_mb": free_mb}, http_status
