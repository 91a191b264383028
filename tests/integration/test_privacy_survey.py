"""Survey comments are personal data too (UU 27/2022): free text may name anyone. The purge
blanks a comment once QUEUEAPP_RETAIN_SURVEY_COMMENT_DAYS have passed since the answer and
keeps the scores; a citizen's export lists the comments about their tickets and their
erasure request blanks them, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from queueapp.domain.audit import AuditAction
from queueapp.domain.retention import Retention
from queueapp.models import SurveyResponse, Ticket
from queueapp.queries.privacy import citizen_records
from queueapp.services import checkin, privacy, survey
from queueapp.services import notify as notify_ops

from ..conftest import actor_of
from ..support import MONDAY_0900_WIB, counters, tickets
from .skm_support import EVERY_SERVICE_COUNTER, counter_id
from .test_privacy import BUDI, SECRET, SITI, TUESDAY_0800, audit_of, book, citizen, join, rows

SCORES = {str(n): 4 for n in range(1, 10)}


def serve_and_answer(db, ticket_id: int, at, comment: str | None) -> None:
    """Call the ticket at counter 5, finish it, and answer the survey with `comment`."""
    with db.read() as s:
        ticket = s.get(Ticket, ticket_id)
        number, token = ticket.code, ticket.token
    clerk = actor_of(db, f"loket{EVERY_SERVICE_COUNTER}")
    called = counters.call_specific(db, clerk, counter_id(db), number, now=at + timedelta(minutes=1))
    tickets.finish(db, clerk, called["id"], now=at + timedelta(minutes=5))
    survey.answer_survey(db, token, SCORES, None, comment,
                         now=at + timedelta(minutes=10))


def comments(db) -> list[str | None]:
    return [r.comment for r in rows(db, SurveyResponse)]


def test_a_comment_is_kept_for_its_retention_then_blanked_and_the_scores_stay(demo, any_db):
    serve_and_answer(demo, join(demo).ticket_id, MONDAY_0900_WIB, "Petugas Pak Joko ramah sekali")
    answered = MONDAY_0900_WIB + timedelta(minutes=10)
    retention = Retention(survey_comment_days=365)
    assert privacy.purge(demo, retention, now=answered + timedelta(days=364)).totals()["survey_comment"] == 0
    assert comments(demo) == ["Petugas Pak Joko ramah sekali"]
    assert privacy.purge(demo, retention, now=answered + timedelta(days=366), dry_run=True).totals()[
        "survey_comment"] == 1
    assert comments(demo) == ["Petugas Pak Joko ramah sekali"]
    done = privacy.purge(demo, retention, now=answered + timedelta(days=366))
    assert done.totals()["survey_comment"] == 1
    response, = rows(demo, SurveyResponse)
    assert response.comment is None and response.scores() == {str(n): 4 for n in range(1, 10)}
    entry = audit_of(demo, AuditAction.PRIVACY_PURGED)[-1]
    assert entry.changes["survey_comment"] == 1
    # Purging again finds nothing left to blank.
    assert privacy.purge(demo, retention, now=answered + timedelta(days=400)).totals()["survey_comment"] == 0


def test_the_setting_names_the_retention_of_comments():
    assert privacy.retention_of({"RETAIN_APPOINTMENT_DAYS": 30, "RETAIN_ONLINE_JOIN_DAYS": 7,
                                 "RETAIN_AUDIT_IP_DAYS": 180, "RETAIN_SURVEY_COMMENT_DAYS": 90}
                                ).survey_comment_days == 90


def test_the_export_by_phone_lists_the_comments_about_the_citizens_tickets_only(demo, any_db):
    serve_and_answer(demo, join(demo).ticket_id, MONDAY_0900_WIB, "Antrean cepat")
    serve_and_answer(demo, join(demo, BUDI["phone"]).ticket_id, MONDAY_0900_WIB + timedelta(minutes=20),
                     "Ruang tunggu panas")
    records = citizen_records(demo, citizen(phone=SITI["phone"]))
    assert [(c["ticket"], c["comment"]) for c in records["survey_comments"]] == [("A-001", "Antrean cepat")]
    assert records["survey_comments"][0]["answered_at"].endswith("+07:00")
    assert sum(counts.get("survey_comment", 0) for counts in records["found"].values()) == 1


def test_erasure_by_phone_blanks_the_comments_of_the_citizens_tickets_and_keeps_others(demo, any_db):
    serve_and_answer(demo, join(demo).ticket_id, MONDAY_0900_WIB, "Antrean cepat")
    serve_and_answer(demo, join(demo, BUDI["phone"]).ticket_id, MONDAY_0900_WIB + timedelta(minutes=20),
                     "Ruang tunggu panas")
    done = privacy.erase(demo, citizen(phone="0812-3456-7890"), now=MONDAY_0900_WIB + timedelta(hours=1))
    assert done.totals()["survey_comment"] == 1
    assert comments(demo) == [None, "Ruang tunggu panas"]
    assert [r.u1 for r in rows(demo, SurveyResponse)] == [4, 4]
    assert audit_of(demo, AuditAction.PRIVACY_ERASED)[0].changes["survey_comment"] == 1
    assert citizen_records(demo, citizen(phone=SITI["phone"]))["survey_comments"] == []


def test_erasure_by_nik_blanks_the_comment_about_the_ticket_the_appointment_became(demo, any_db):
    book(demo)
    with demo.read() as s:
        from queueapp.models import Appointment
        code = s.execute(select(Appointment.code)).scalar_one()
    arrived = checkin.check_in(demo, "demo", code, now=TUESDAY_0800 - timedelta(minutes=10))
    serve_and_answer(demo, arrived.ticket_id, TUESDAY_0800, "Terima kasih, Bu Rina")
    who = citizen(nik=SITI["nik"])
    assert [c["comment"] for c in citizen_records(demo, who)["survey_comments"]] == ["Terima kasih, Bu Rina"]
    done = privacy.erase(demo, who, now=TUESDAY_0800 + timedelta(hours=2))
    assert done.totals()["survey_comment"] == 1 and done.totals()["appointment"] == 1
    assert comments(demo) == [None]


def test_a_walk_in_who_asked_for_messages_with_their_phone_has_their_comment_found_and_blanked(demo, any_db, clerk):
    issued = tickets.issue_ticket(demo, "demo", "A", now=MONDAY_0900_WIB)
    notify_ops.clerk_consent(demo, clerk, issued["id"], "sms", SITI["phone"], now=MONDAY_0900_WIB, secret_key=SECRET)
    serve_and_answer(demo, issued["id"], MONDAY_0900_WIB, "Loket 1 cepat")
    who = citizen(phone=SITI["phone"])
    assert [c["comment"] for c in citizen_records(demo, who)["survey_comments"]] == ["Loket 1 cepat"]
    assert privacy.erase(demo, who, now=MONDAY_0900_WIB + timedelta(hours=1)).totals()["survey_comment"] == 1
    assert comments(demo) == [None]
