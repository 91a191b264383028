"""`queueapp backup` and `queueapp restore`: a copy taken while tickets are being issued holds
every ticket acknowledged before it started; a newer database is not overwritten by mistake;
old backups are pruned; PostgreSQL goes through pg_dump and pg_restore."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import create_engine, select, text, update

from queueapp import backup
from queueapp.db import Database
from queueapp.models import Service, Ticket
from queueapp.schema import upgrade
from queueapp.services import staff
from queueapp.services.demo import seed_demo
from queueapp.services.tickets import issue_ticket

from ..e2e.conftest import prepare_instance
from ..support import IN_CI, MONDAY_0900_WIB, PG_URL, ROOT, LiveServer, service_unavailable

NOW = datetime(2026, 11, 27, 12, 30, 5, tzinfo=timezone.utc)


def run(args, env):
    return subprocess.run([sys.executable, "-m", "queueapp", *args], env={**os.environ, **env}, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def ticket_ids(url: str) -> set[int]:
    database = Database(url)
    try:
        with database.read() as session:
            return set(session.execute(select(Ticket.id)).scalars())
    finally:
        database.dispose()


def issue(db: Database, service: str = "A") -> int:
    return issue_ticket(db, "demo", service, now=MONDAY_0900_WIB).ticket_id


def test_a_backup_taken_while_tickets_are_issued_holds_every_ticket_acknowledged_before_it(demo, tmp_path):
    with demo.write() as uow:   # the kiosks take numbers until told to stop: no daily quota stops them first
        uow.session.execute(update(Service).values(daily_quota=None))
    acknowledged: list[int] = []
    lock = threading.Lock()
    stop = threading.Event()
    failures: list[BaseException] = []

    def kiosk(service: str):
        try:
            while not stop.is_set():
                ticket_id = issue(demo, service)
                with lock:
                    acknowledged.append(ticket_id)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            failures.append(exc)

    kiosks = [threading.Thread(target=kiosk, args=(service,)) for service in "ABC"]
    for thread in kiosks:
        thread.start()
    try:
        while len(acknowledged) < 30 and not failures:
            threading.Event().wait(0.01)
        with lock:
            before_backup = set(acknowledged)
        made = backup.backup(str(demo.url), tmp_path / "backups", now=NOW)
        while len(acknowledged) < len(before_backup) + 20 and not failures:   # still issuing afterwards
            threading.Event().wait(0.01)
    finally:
        stop.set()
        for thread in kiosks:
            thread.join()
    assert not failures

    fresh = f"sqlite:///{tmp_path / 'fresh' / 'queueapp.db'}"
    backup.restore(fresh, made)
    restored = ticket_ids(fresh)
    assert before_backup <= restored
    assert restored <= set(acknowledged)   # nothing half-written, nothing invented
    assert made.name == "queueapp-20261127-123005.sqlite3"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600   # names and phone numbers inside


def test_the_commands_back_up_and_refuse_to_restore_over_a_newer_database(demo, tmp_path):
    env = {"QUEUEAPP_DATABASE_URL": str(demo.url), "QUEUEAPP_INSTANCE_PATH": str(tmp_path)}
    issue(demo)
    made = run(["backup"], env)
    assert made.returncode == 0, made.stderr
    file = made.stdout.strip().splitlines()[-1]
    assert file.startswith(str(tmp_path / "backups" / "queueapp-")) and file.endswith(".sqlite3")
    in_backup = ticket_ids(str(demo.url))
    later = issue(demo)

    refused = run(["restore", file], env)
    assert refused.returncode != 0
    assert "newer than the backup" in refused.stderr and "--force" in refused.stderr
    assert later in ticket_ids(str(demo.url))   # nothing was touched

    forced = run(["restore", file, "--force"], env)
    assert forced.returncode == 0, forced.stderr
    assert ticket_ids(str(demo.url)) == in_backup


def test_restoring_a_backup_over_the_same_or_an_older_database_needs_no_force(demo, tmp_path):
    made = backup.backup(str(demo.url), tmp_path, now=NOW)
    backup.restore(str(demo.url), made)   # the same: nothing newer
    assert ticket_ids(str(demo.url)) == set()


def test_only_the_newest_backups_are_kept_and_other_files_are_left_alone(demo, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    made = [backup.backup(str(demo.url), folder, now=NOW + timedelta(hours=hour), keep=3) for hour in range(5)]
    assert sorted(path.name for path in folder.iterdir()) == sorted([p.name for p in made[-3:]] + ["notes.txt"])
    assert not any(path.name.endswith(".partial") for path in folder.iterdir())


def test_a_second_backup_in_the_same_second_is_refused_rather_than_overwriting(demo, tmp_path):
    backup.backup(str(demo.url), tmp_path, now=NOW)
    with pytest.raises(backup.BackupError, match="already exists"):
        backup.backup(str(demo.url), tmp_path, now=NOW)


def test_a_file_that_is_not_a_backup_is_refused(demo, tmp_path):
    bogus = tmp_path / "queueapp-20261127-000000.sqlite3"
    bogus.write_bytes(b"not a database at all" * 100)
    with pytest.raises(backup.BackupError, match="not a readable SQLite database"):
        backup.restore(str(demo.url), bogus)


@pytest.fixture
def scratch_databases():
    """Factory of PostgreSQL databases of their own (CREATE DATABASE), dropped after."""
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        if IN_CI:
            pytest.fail("pg_dump / pg_restore missing (apt-get install postgresql-client)")
        pytest.skip("pg_dump / pg_restore missing")
    try:
        admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
        admin.connect().close()
    except Exception as exc:  # noqa: BLE001
        service_unavailable("PostgreSQL", exc)
    made = []

    def make() -> str:
        name = f"backup_test_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return PG_URL.rsplit("/", 1)[0] + "/" + name
    yield make
    with admin.connect() as conn:
        for name in made:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres
def test_a_postgresql_database_goes_through_pg_dump_and_pg_restore(scratch_databases, tmp_path):
    source_url, target_url = scratch_databases(), scratch_databases()
    source = Database(source_url)
    try:
        upgrade(source.engine)
        seed_demo(source, example_holidays=False)
        issued = {issue(source, service) for service in "ABAB"}
        made = backup.backup(source_url, tmp_path, now=NOW)
        assert made.name == "queueapp-20261127-123005.dump"

        backup.restore(target_url, made)   # an empty database: no --force needed
        assert ticket_ids(target_url) == issued

        issue(source)
        with pytest.raises(backup.BackupError, match="already holds data"):
            backup.restore(source_url, made)
    finally:
        source.dispose()
    backup.restore(source_url, made, force=True)
    assert ticket_ids(source_url) == issued


def test_the_backup_command_copies_a_live_servers_database_while_kiosks_take_numbers(tmp_path):
    env = prepare_instance(tmp_path / "office")
    database = Database(env["QUEUEAPP_DATABASE_URL"])
    clerk = {"Authorization": f"Bearer {staff.create_token(database, 'loket1', now=datetime.now(timezone.utc))}"}
    with database.write() as uow:   # the kiosks take numbers until the backup is made: no daily quota stops them
        uow.session.execute(update(Service).values(daily_quota=None))
    database.dispose()
    server = LiveServer(env).start()
    acknowledged: list[int] = []
    lock, stop, failures = threading.Lock(), threading.Event(), []

    def kiosk(service: str):
        with requests.Session() as session:
            while not stop.is_set():
                response = session.post(f"{server.url}/api/v1/offices/demo/tickets", json={"service": service},
                                        headers=clerk, timeout=30)
                if response.status_code != 201:
                    failures.append(response.text)
                    return
                with lock:
                    acknowledged.append(response.json()["id"])

    kiosks = [threading.Thread(target=kiosk, args=(service,)) for service in "AB"]
    try:
        for thread in kiosks:
            thread.start()
        while len(acknowledged) < 10 and not failures:
            threading.Event().wait(0.05)
        with lock:
            before_backup = set(acknowledged)
        made = run(["backup", "--into", str(tmp_path / "backups")], env)
    finally:
        stop.set()
        for thread in kiosks:
            thread.join()
        server.stop()
    assert not failures and made.returncode == 0, (failures, made.stderr)
    fresh = {**env, "QUEUEAPP_INSTANCE_PATH": str(tmp_path / "new-pc"),
             "QUEUEAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'new-pc' / 'queueapp.db'}"}
    restored = run(["restore", made.stdout.strip().splitlines()[-1]], fresh)
    assert restored.returncode == 0, restored.stderr
    assert before_backup <= ticket_ids(fresh["QUEUEAPP_DATABASE_URL"]) <= set(acknowledged)
