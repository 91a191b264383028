"""Personal data (UU 27/2022) on SQLite and PostgreSQL: the retention purge anonymises exactly
what passed its period and keeps the statistics; a citizen's export finds their records and
nobody else's; erasure removes them; the audit log records each without the phone or NIK."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from queueapp.domain.audit import AuditAction
from queueapp.domain.retention import Citizen, Retention
from queueapp.models import Appointment, AuditEntry, OnlineJoin, Ticket
from queueapp.queries.privacy import citizen_records
from queueapp.services import appointments, checkin, privacy, staff_login

from ..support import MONDAY_0900_WIB

SECRET = "test-secret"
WIB = timezone(timedelta(hours=7))
TUESDAY_0800 = datetime(2026, 11, 24, 8, 0, tzinfo=WIB)
THURSDAY_0800 = datetime(2026, 11, 26, 8, 0, tzinfo=WIB)
SITI = {"name": "Siti Aminah", "phone": "0812 3456 7890", "nik": "3174012345670001"}
BUDI = {"name": "Budi Santoso", "phone": "0813 1111 2222", "nik": "3174012345670002"}
RETENTION = Retention()   # 30 days for appointments, 7 for online joins, 180 for audit addresses


def book(db, start=TUESDAY_0800, who=SITI, service="A"):
    return appointments.book(db, "demo", service, start, now=MONDAY_0900_WIB, secret_key=SECRET, **who)


def join(db, phone=SITI["phone"], now=MONDAY_0900_WIB):
    return checkin.join_online(db, "demo", "A", phone, now=now, secret_key=SECRET)


def rows(db, model):
    with db.read() as s:
        return s.execute(select(model).order_by(model.id)).scalars().all()


def audit_of(db, action: AuditAction):
    with db.read() as s:
        return s.execute(select(AuditEntry).where(AuditEntry.action == action.value)
                         .order_by(AuditEntry.id)).scalars().all()


def citizen(**who) -> Citizen:
    return Citizen.of(secret_key=SECRET, **who)


def is_anonymous(a: Appointment) -> bool:
    return (a.name, a.phone, a.nik_hash, a.nik_masked) == ("", "", None, None)


# --- The retention purge ---

def test_an_appointment_is_kept_one_day_before_its_retention_ends_and_anonymised_one_day_after(demo, any_db):
    book(demo)
    book(demo, THURSDAY_0800, BUDI)
    tuesday_end = TUESDAY_0800 + timedelta(minutes=15)
    assert privacy.purge(demo, RETENTION, now=tuesday_end + timedelta(days=29)).totals()["appointment"] == 0
    assert not any(is_anonymous(a) for a in rows(demo, Appointment))
    # 31 days after Tuesday's slot is 29 days after Thursday's: only Tuesday's passed.
    done = privacy.purge(demo, RETENTION, now=tuesday_end + timedelta(days=31))
    assert done.totals()["appointment"] == 1
    tuesday, thursday = rows(demo, Appointment)
    assert is_anonymous(tuesday)
    assert (thursday.name, thursday.phone, thursday.nik_masked) == ("Budi Santoso", "081311112222", "3174********0002")


def test_anonymising_keeps_times_service_status_and_the_ticket_so_reports_still_count(demo, any_db):
    book(demo)
    book(demo, who=BUDI)
    token = book(demo, THURSDAY_0800, {**SITI, "phone": "0857 0000 1111", "nik": "3174012345670003"})
    appointments.cancel(demo, token, now=MONDAY_0900_WIB)
    code = rows(demo, Appointment)[0].code
    checkin.check_in(demo, "demo", code, now=TUESDAY_0800)
    join(demo)

    def statistics():
        with demo.read() as s:
            return (s.execute(select(Appointment.service_id, Appointment.status, Appointment.slot_start,
                                     Appointment.created_at, Appointment.ticket_id, Appointment.code)
                              .order_by(Appointment.id)).all(),
                    s.execute(select(Ticket.channel, Ticket.status, Ticket.issued_at).order_by(Ticket.id)).all(),
                    s.execute(select(func.count()).select_from(OnlineJoin)).scalar_one())
    before = statistics()
    done = privacy.purge(demo, RETENTION, now=THURSDAY_0800 + timedelta(days=60))
    assert done.totals() == {"appointment": 3, "online_join": 1, "audit_address": 0, "survey_comment": 0}
    assert statistics() == before
    assert all(is_anonymous(a) for a in rows(demo, Appointment))
    assert [j.phone_hash for j in rows(demo, OnlineJoin)] == [""]


def test_a_ticket_taken_from_home_keeps_its_phone_hash_seven_days(demo, any_db):
    join(demo)
    assert privacy.purge(demo, RETENTION, now=MONDAY_0900_WIB + timedelta(days=6)).totals()["online_join"] == 0
    assert rows(demo, OnlineJoin)[0].phone_hash != ""
    assert privacy.purge(demo, RETENTION, now=MONDAY_0900_WIB + timedelta(days=8)).totals()["online_join"] == 1
    assert rows(demo, OnlineJoin)[0].phone_hash == ""


def test_a_log_in_address_is_kept_180_days(demo, any_db):
    staff_login.authenticate(demo, "loket1", "demo12345", now=MONDAY_0900_WIB, address="203.0.113.7")
    staff_login.authenticate(demo, "loket1", "wrong", now=MONDAY_0900_WIB + timedelta(days=2), address="203.0.113.8")
    privacy.purge(demo, RETENTION, now=MONDAY_0900_WIB + timedelta(days=179))
    assert {e.address for e in rows(demo, AuditEntry) if e.action.startswith("staff.login")} == \
        {"203.0.113.7", "203.0.113.8"}
    done = privacy.purge(demo, RETENTION, now=MONDAY_0900_WIB + timedelta(days=181))
    assert done.totals()["audit_address"] == 1
    logins = [e for e in rows(demo, AuditEntry) if e.action.startswith("staff.login")]
    assert [(e.action, e.username, e.address) for e in logins] == [
        ("staff.login", "loket1", ""), ("staff.login_failed", "loket1", "203.0.113.8")]


def test_the_purge_is_idempotent_and_audits_only_what_it_changed(demo, any_db):
    book(demo)
    later = TUESDAY_0800 + timedelta(days=40)
    assert privacy.purge(demo, RETENTION, now=later).totals()["appointment"] == 1
    assert privacy.purge(demo, RETENTION, now=later).totals() == {"appointment": 0, "online_join": 0,
                                                                  "audit_address": 0, "survey_comment": 0}
    entries = audit_of(demo, AuditAction.PRIVACY_PURGED)
    assert [(e.username, e.target, e.changes) for e in entries] == [
        ("(command line)", "retention", {"appointment": 1, "online_join": 0, "audit_address": 0, "survey_comment": 0})]
    assert entries[0].office_id == rows(demo, Appointment)[0].office_id


def test_a_large_backlog_is_anonymised_in_batches(demo, any_db, monkeypatch):
    monkeypatch.setattr(privacy, "BATCH", 2)
    for n in range(5):
        book(demo, TUESDAY_0800 + timedelta(minutes=15 * (n // 4)),
             {"name": f"Warga {n}", "phone": f"08120000000{n}", "nik": f"317401234567000{n + 1}"})
    assert privacy.purge(demo, RETENTION, now=THURSDAY_0800 + timedelta(days=40)).totals()["appointment"] == 5
    assert all(is_anonymous(a) for a in rows(demo, Appointment))
    entry, = audit_of(demo, AuditAction.PRIVACY_PURGED)
    assert entry.changes["appointment"] == 5


def test_a_dry_run_counts_and_changes_nothing(demo, any_db):
    book(demo)
    done = privacy.purge(demo, RETENTION, now=TUESDAY_0800 + timedelta(days=40), dry_run=True)
    assert done.totals()["appointment"] == 1
    assert not is_anonymous(rows(demo, Appointment)[0])
    assert audit_of(demo, AuditAction.PRIVACY_PURGED) == []


def test_two_processes_purging_at_once_anonymise_each_record_once(demo, any_db, monkeypatch):
    monkeypatch.setattr(privacy, "BATCH", 2)     # several short transactions each
    for n in range(6):
        book(demo, TUESDAY_0800 + timedelta(minutes=15 * (n // 4)),
             {"name": f"Warga {n}", "phone": f"08120000000{n}", "nik": f"317401234567000{n + 1}"})
    start, totals = threading.Barrier(2), []

    def purge():
        start.wait()
        totals.append(privacy.purge(demo, RETENTION, now=THURSDAY_0800 + timedelta(days=40)).total("appointment"))
    threads = [threading.Thread(target=purge) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(totals) == 6 and len(totals) == 2
    assert all(is_anonymous(a) for a in rows(demo, Appointment))
    assert sum(e.changes["appointment"] for e in audit_of(demo, AuditAction.PRIVACY_PURGED)) == 6


# --- A citizen's requests ---

def test_export_by_phone_finds_the_citizens_appointments_and_online_tickets_and_nothing_of_others(demo, any_db):
    book(demo)
    book(demo, THURSDAY_0800, {**SITI, "nik": "3174012345670009"})
    book(demo, who=BUDI)
    join(demo)
    join(demo, BUDI["phone"])
    records = citizen_records(demo, citizen(phone="+62 812-3456-7890"))
    assert [(a["name"], a["phone"], a["start"]) for a in records["appointments"]] == [
        ("Siti Aminah", "081234567890", "2026-11-24T08:00:00+07:00"),
        ("Siti Aminah", "081234567890", "2026-11-26T08:00:00+07:00")]
    assert [t["ticket"]["channel"] for t in records["online_tickets"]] == ["online"]
    assert "Budi" not in json.dumps(records, default=str)


def test_export_by_nik_finds_the_appointments_booked_with_it(demo, any_db):
    book(demo)
    book(demo, THURSDAY_0800, {**SITI, "nik": "3174012345670009"})
    records = citizen_records(demo, citizen(nik="3174 0123 4567 0001"))
    assert [(a["start"], a["nik"]) for a in records["appointments"]] == [
        ("2026-11-24T08:00:00+07:00", "3174********0001")]
    assert records["online_tickets"] == []


def test_an_export_is_audited_with_counts_and_a_reference_never_the_number(demo, any_db):
    book(demo)
    who = citizen(phone=SITI["phone"])
    records = citizen_records(demo, who)
    privacy.record_export(demo, who, records["found"], now=MONDAY_0900_WIB)
    entry, = audit_of(demo, AuditAction.PRIVACY_EXPORTED)
    assert entry.changes == {"by": "phone", "appointment": 1, "online_join": 0, "audit_address": 0, "survey_comment": 0}
    assert entry.target == f"citizen:{who.reference}" and entry.office_id is not None
    assert "081234567890" not in json.dumps([entry.target, entry.changes]) and who.digest not in entry.target


def test_erasure_by_phone_anonymises_the_citizens_records_and_leaves_others(demo, any_db):
    book(demo)
    book(demo, who=BUDI)
    join(demo)
    join(demo, BUDI["phone"])
    done = privacy.erase(demo, citizen(phone="0812-3456-7890"), now=MONDAY_0900_WIB)
    assert done.totals() == {"appointment": 1, "online_join": 1, "audit_address": 0, "survey_comment": 0}
    siti, budi = rows(demo, Appointment)
    assert is_anonymous(siti) and budi.name == "Budi Santoso"
    assert [j.phone_hash == "" for j in rows(demo, OnlineJoin)] == [True, False]
    assert citizen_records(demo, citizen(phone=SITI["phone"]))["appointments"] == []
    assert siti.status.value == "booked" and siti.code   # the booking itself still stands


def test_erasure_by_nik_is_audited_without_the_nik_or_its_hash(demo, any_db):
    book(demo)
    who = citizen(nik=SITI["nik"])
    privacy.erase(demo, who, now=MONDAY_0900_WIB)
    assert is_anonymous(rows(demo, Appointment)[0])
    entry, = audit_of(demo, AuditAction.PRIVACY_ERASED)
    assert entry.changes == {"by": "nik", "appointment": 1, "online_join": 0, "audit_address": 0, "survey_comment": 0}
    text = json.dumps([entry.target, entry.changes, entry.username, entry.address])
    assert SITI["nik"] not in text and who.digest not in text and "3174" not in text


def test_an_erasure_request_that_finds_nothing_is_still_on_record(demo, any_db):
    privacy.erase(demo, citizen(phone="0899 9999 9999"), now=MONDAY_0900_WIB)
    entry, = audit_of(demo, AuditAction.PRIVACY_ERASED)
    assert entry.office_id is None and entry.changes["appointment"] == 0
