"""`queueapp privacy ...` run as the office's IT officer runs it for a citizen's request,
and the purge the server schedules on its own."""
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from queueapp import create_app, server
from queueapp.models import Appointment, AuditEntry
from queueapp.services import appointments

from ..support import MONDAY_0900_WIB, ROOT

WIB = timezone(timedelta(hours=7))


def run(args, env, input_text=None):
    return subprocess.run([sys.executable, "-m", "queueapp", *args], env={**os.environ, **env}, cwd=ROOT,
                          input=input_text, capture_output=True, text=True, timeout=120)


def office_with_a_booking(tmp_path, demo_template):
    """An instance folder holding the demo office and Siti's booking, as the server leaves it."""
    shutil.copy(demo_template, tmp_path / "queueapp.db")
    (tmp_path / "secret_key").write_text("cli-secret")
    env = {"QUEUEAPP_INSTANCE_PATH": str(tmp_path)}
    app = create_app({"INSTANCE_PATH": tmp_path, "DATABASE_URL": f"sqlite:///{tmp_path / 'queueapp.db'}"})
    db = app.extensions["queueapp.db"]
    for who, start in ((("Siti Aminah", "081234567890", "3174012345670001"), 8),
                       (("Budi Santoso", "081311112222", "3174012345670002"), 9)):
        appointments.book(db, "demo", "A", datetime(2026, 11, 24, start, tzinfo=WIB), name=who[0], phone=who[1],
                          nik=who[2], now=MONDAY_0900_WIB, secret_key=app.config["SECRET_KEY"])
    return env, db


def test_export_then_erase_a_citizen_from_the_command_line(tmp_path, demo_template):
    env, db = office_with_a_booking(tmp_path, demo_template)
    exported = run(["privacy", "export", "--phone", "+62 812-3456-7890"], env)
    assert exported.returncode == 0, exported.stderr
    records = json.loads(exported.stdout)
    assert [(a["name"], a["nik"]) for a in records["appointments"]] == [("Siti Aminah", "3174********0001")]
    erased = run(["privacy", "erase", "--nik", "3174012345670001"], env, input_text="y\n")
    assert erased.returncode == 0, erased.stderr
    assert "appointment: 1 anonymised" in erased.stdout
    assert json.loads(run(["privacy", "export", "--phone", "081234567890"], env).stdout)["appointments"] == []
    with db.read() as s:
        names = s.execute(select(Appointment.name).order_by(Appointment.id)).scalars().all()
        entries = s.execute(select(AuditEntry).where(AuditEntry.action.like("privacy.%"))).scalars().all()
    assert names == ["", "Budi Santoso"]
    assert [(e.action, e.username) for e in entries] == [("privacy.exported", "(command line)"),
                                                          ("privacy.erased", "(command line)"),
                                                          ("privacy.exported", "(command line)")]
    logged = json.dumps([[e.target, e.changes] for e in entries])
    assert "081234567890" not in logged and "3174012345670001" not in logged


def test_a_request_without_a_usable_number_is_one_readable_line(tmp_path, demo_template):
    env, _ = office_with_a_booking(tmp_path, demo_template)
    for command, args in (("export", ["--phone", "12345"]), ("erase", ["--nik", "123"]), ("export", [])):
        result = run(["privacy", command, *args], env)
        assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
        assert result.stderr.startswith("Error: invalid_")


def test_purge_from_cron_with_a_dry_run_first(tmp_path, demo_template):
    env, db = office_with_a_booking(tmp_path, demo_template)
    env["QUEUEAPP_RETAIN_APPOINTMENT_DAYS"] = "0"    # every slot before now has passed its retention
    dry = run(["privacy", "purge", "--dry-run"], env)
    assert dry.returncode == 0 and "appointment: 2 would be anonymised" in dry.stdout
    assert run(["privacy", "purge"], env).stdout.splitlines()[0] == "appointment: 2 anonymised"
    assert run(["privacy", "purge"], env).stdout.splitlines()[0] == "appointment: 0 anonymised"


def test_the_server_purges_on_its_own_schedule(app, demo, monkeypatch):
    appointments.book(demo, "demo", "A", datetime(2026, 11, 24, 8, tzinfo=WIB), name="Siti Aminah",
                      phone="081234567890", nik="3174012345670001", now=MONDAY_0900_WIB, secret_key="test-secret")
    with demo.write() as uow:    # the slot lies 31 days before the real clock the schedule reads
        long_ago = datetime.now(timezone.utc) - timedelta(days=31)
        uow.session.execute(update(Appointment).values(slot_start=long_ago, slot_end=long_ago))
    monkeypatch.setattr(server, "PURGE_FIRST_DELAY", 0)
    server.schedule_purge(app)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with demo.read() as s:   # the purge's audit entry is its last write
            if s.execute(select(AuditEntry.id).where(AuditEntry.action == "privacy.purged")).first():
                break
        time.sleep(0.1)
    with demo.read() as s:
        entry = s.execute(select(AuditEntry).where(AuditEntry.action == "privacy.purged")).scalar_one()
    assert entry.username == "(retention schedule)" and entry.changes["appointment"] == 1
