"""Shared test helpers: a settable clock, database factories, a live server."""
from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from queueapp.db import Database
from queueapp.queries import booking as booking_views
from queueapp.queries import tickets as ticket_views
from queueapp.schema import upgrade
from queueapp.services import appointments as _appointments
from queueapp.services import checkin as _checkin
from queueapp.services import counters as _counters
from queueapp.services import tickets as _tickets

from .live_server import ROOT, LiveServer, free_port  # noqa: F401 - re-exported for the tests

IN_CI = os.environ.get("CI", "").lower() == "true"
PG_URL = os.environ.get("QUEUEAPP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("QUEUEAPP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# Monday 23 November 2026, 09:00 in Jakarta (WIB, UTC+7).
MONDAY_0900_WIB = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)

# Tests on the wall clock (live servers, the browser) issue a number and call it moments
# later; an office's business day ends at its own midnight: WIT, WITA and WIB midnights are
# 15:00, 16:00 and 17:00 UTC. A test that would start this close to one waits it out.
INDONESIAN_MIDNIGHTS_UTC = (15, 16, 17)
MIDNIGHT_MARGIN = timedelta(seconds=90)


def until_past_office_midnight(at: datetime, margin: timedelta = MIDNIGHT_MARGIN) -> float:
    """Seconds to wait at `at` (UTC) so that no Indonesian office's day ends within `margin`:
    0 when none does, else until one second past that midnight."""
    for hour in INDONESIAN_MIDNIGHTS_UTC:
        midnight = at.replace(hour=hour, minute=0, second=0, microsecond=0)
        if timedelta(0) <= midnight - at < margin:
            return (midnight - at).total_seconds() + 1
    return 0.0


class WithViews:
    """A use-case module whose calls return what the API answers: the read side's view of
    the fact the use case returns (a ticket change, an appointment's manage token)."""

    def __init__(self, module, view):
        self._module, self._view = module, view

    def __getattr__(self, name):
        function = getattr(self._module, name)

        def call(db, *args, **kwargs):
            return self._view(db, function(db, *args, **kwargs))
        return call


def _ticket_view(db, fact):
    return ticket_views.changed(db, fact, staff=True) if isinstance(fact, _tickets.TicketChange) else fact


def _appointment_view(db, fact):
    return booking_views.get(db, fact) if isinstance(fact, str) else fact


tickets = WithViews(_tickets, _ticket_view)
counters = WithViews(_counters, _ticket_view)
checkin = WithViews(_checkin, _ticket_view)
appointments = WithViews(_appointments, _appointment_view)


def set_walk_in_hours(session, office_id: int, weekdays: str, opens: str, closes: str) -> None:
    """Replace an office's walk-in hours: one period on each ISO weekday listed ("12345")."""
    from sqlalchemy import delete

    from queueapp.models import OpeningHours
    session.execute(delete(OpeningHours).where(OpeningHours.office_id == office_id, OpeningHours.walk_ins.is_(True)))
    session.add_all([OpeningHours(office_id=office_id, weekday=int(day), opens=opens, closes=closes, breaks="",
                                  walk_ins=True, appointments=False) for day in weekdays])


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



def csrf_of(html: bytes) -> str:
    """The CSRF token a page's form carries."""
    import re
    return re.search(rb'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1).decode()


def log_in(client, username: str = "loket1", password: str = "demo12345", next_url: str = "", **environ):
    """Log in through the real form (with its CSRF token); returns the response."""
    token = csrf_of(client.get("/login").data)
    return client.post(f"/login{next_url}", data={"username": username, "password": password, "csrf_token": token},
                       environ_base=environ)


def kiosk_headers(db, office: str = "demo", kiosk: str = "lobi") -> dict:
    """The Authorization header of a kiosk paired with a new device token (the kiosk is
    created when missing; its earlier token stops working)."""
    from queueapp.services.kiosks import new_device_token
    return {"Authorization": f"Bearer {new_device_token(db, office, kiosk)}"}


def pair_browser(client, db, office: str = "demo", kiosk: str = "lobi"):
    """Pair a test client as a kiosk's browser would: open the pairing link once (its
    cookie then goes with every request). Returns the redirect."""
    from queueapp.services.kiosks import new_device_token
    token = new_device_token(db, office, kiosk)
    return client.get(f"/kiosk/{office}?kiosk={kiosk}&pair={token}")
