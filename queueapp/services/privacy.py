"""Personal data use cases (UU 27/2022): anonymise what passed its retention, and erase a
citizen's data on request. Anonymising keeps every row with its times, service, channel
and status, so reports still count the tickets and appointments.

Each statement is an idempotent `UPDATE ... WHERE <still personal>` (in batches of short
transactions): two processes purging at once anonymise each row once (the other's UPDATE
finds nothing left), so every server process may run the scheduled purge."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update

from ..db import Database, UnitOfWork
from ..domain.audit import AuditAction
from ..domain.retention import ERASED, Citizen, DataClass, Retention
from ..models import Appointment, AuditEntry, NotifyConsent, OnlineJoin, SurveyResponse, Ticket
from . import audit, push

# Who the audit log names for the purge the server runs on its own.
SCHEDULE = "(retention schedule)"


def retention_of(settings: Mapping[str, Any]) -> Retention:
    """The retention periods of the app's settings (QUEUEAPP_RETAIN_*_DAYS)."""
    return Retention(appointment_days=settings["RETAIN_APPOINTMENT_DAYS"],
                     online_join_days=settings["RETAIN_ONLINE_JOIN_DAYS"],
                     audit_address_days=settings["RETAIN_AUDIT_IP_DAYS"],
                     survey_comment_days=settings.get("RETAIN_SURVEY_COMMENT_DAYS", 365))


@dataclass
class Anonymised:
    """How many records of each data class were (or, in a dry run, would be) anonymised,
    per office (None: entries of no office)."""

    by_office: dict[int | None, Counter] = field(default_factory=dict)

    def add(self, kind: DataClass, office_ids) -> None:
        for office_id in office_ids:
            self.by_office.setdefault(office_id, Counter())[kind.value] += 1

    def total(self, kind: DataClass) -> int:
        return sum(counts[DataClass(kind).value] for counts in self.by_office.values())

    def totals(self) -> dict[str, int]:
        return {kind.value: self.total(kind) for kind in DataClass}


# --- What is still personal, per table (the WHERE that makes every statement idempotent) ---

def _appointment_is_personal():
    return or_(Appointment.name != ERASED, Appointment.phone != ERASED, Appointment.nik_hash.is_not(None),
               Appointment.nik_masked.is_not(None))


_APPOINTMENT_ERASED = {"name": ERASED, "phone": ERASED, "nik_hash": None, "nik_masked": None}
# A notification consent keeps what was agreed and when; its phone (sealed) and hash go.
_CONSENT_ERASED = {"recipient": ERASED, "recipient_hash": ERASED}
_CONSENT_PERSONAL = NotifyConsent.recipient_hash != ERASED


def _anonymise(uow: UnitOfWork, model, where, values: dict, dry_run: bool) -> list[int | None]:
    """The office ids of the rows anonymised (or, dry, that would be)."""
    if dry_run:
        return list(uow.session.execute(select(model.office_id).where(*where)).scalars())
    statement = update(model).where(*where).values(**values).returning(model.office_id)
    return list(uow.session.execute(statement, execution_options={"synchronize_session": False}).scalars())


def _audit(uow: UnitOfWork, action: AuditAction, at: datetime, done: Anonymised, *, username: str,
           target: str, extra: dict[str, Any] | None = None, always: bool = False) -> None:
    """One entry per office whose data changed (counts only), or one deployment-wide
    entry when nothing did and `always` (a citizen's request is on record either way)."""
    offices = done.by_office or ({None: Counter()} if always else {})
    for office_id, counts in offices.items():
        after = (extra or {}) | {kind.value: counts[kind.value] for kind in DataClass}
        audit.record(uow, None, action, at, office_id=office_id, target=target, after=after, username=username)


# Rows anonymised per transaction: the first purge of a year's history never holds the
# (SQLite) write lock long enough to stall the queue.
BATCH = 500


def _purge_class(db: Database, kind: DataClass, model, where, values: dict, dry_run: bool, done: Anonymised) -> None:
    """Anonymise the rows of one data class in short transactions of BATCH rows. The
    "still personal" test is repeated on the UPDATE itself, so a row another process
    anonymised meanwhile is skipped (PostgreSQL re-checks it after the other commits)."""
    if dry_run:
        with db.read() as s:
            done.add(kind, s.execute(select(model.office_id).where(*where)).scalars())
        return
    while True:
        with db.write() as uow:
            batch = select(model.id).where(*where).order_by(model.id).limit(BATCH)
            office_ids = _anonymise(uow, model, (model.id.in_(batch), *where), values, False)
        done.add(kind, office_ids)
        if len(office_ids) < BATCH:
            return


def purge(db: Database, retention: Retention, *, now: datetime, dry_run: bool = False,
          username: str = audit.COMMAND_LINE) -> Anonymised:
    """Anonymise every record whose data class's retention has passed at `now`:
    appointments (name, phone, NIK) by their slot's end, online joins (the phone's hash) by
    their ticket's issue, audit entries (the client address) by their time. Each office
    whose data changed gets an audit entry with the counts. `dry_run`: count, change nothing."""
    done = Anonymised()
    # Notification consents go with the data they were given with (counted in that class),
    # first: the appointment's own fields stay the last step before the audit entry.
    ended_before = select(Appointment.id).where(Appointment.slot_end < retention.cutoff(DataClass.APPOINTMENT, now))
    _purge_class(db, DataClass.APPOINTMENT, NotifyConsent,
                 (NotifyConsent.appointment_id.in_(ended_before), _CONSENT_PERSONAL), _CONSENT_ERASED, dry_run, done)
    issued_before = select(Ticket.id).where(Ticket.issued_at < retention.cutoff(DataClass.ONLINE_JOIN, now))
    _purge_class(db, DataClass.ONLINE_JOIN, NotifyConsent,
                 (NotifyConsent.ticket_id.in_(issued_before), _CONSENT_PERSONAL), _CONSENT_ERASED, dry_run, done)
    _purge_class(db, DataClass.APPOINTMENT, Appointment,
                 (Appointment.slot_end < retention.cutoff(DataClass.APPOINTMENT, now), _appointment_is_personal()),
                 _APPOINTMENT_ERASED, dry_run, done)
    _purge_class(db, DataClass.ONLINE_JOIN, OnlineJoin,
                 (OnlineJoin.ticket_id.in_(issued_before), OnlineJoin.phone_hash != ERASED),
                 {"phone_hash": ERASED}, dry_run, done)
    # A ticket's web push subscriptions (the endpoint identifies a browser) go with its phone hash.
    push.purge_issued_before(db, retention.cutoff(DataClass.ONLINE_JOIN, now), dry_run=dry_run)
    _purge_class(db, DataClass.AUDIT_ADDRESS, AuditEntry,
                 (AuditEntry.at < retention.cutoff(DataClass.AUDIT_ADDRESS, now), AuditEntry.address != ERASED),
                 {"address": ERASED}, dry_run, done)
    _purge_class(db, DataClass.SURVEY_COMMENT, SurveyResponse,
                 (SurveyResponse.answered_at < retention.cutoff(DataClass.SURVEY_COMMENT, now),
                  SurveyResponse.comment.is_not(None)), {"comment": None}, dry_run, done)
    if not dry_run and done.by_office:
        with db.write() as uow:
            _audit(uow, AuditAction.PRIVACY_PURGED, now, done, username=username, target="retention")
    return done


def _citizen_tickets(citizen: Citizen):
    """The ids of the citizen's tickets: those their appointments became and, by phone,
    those they took from home or asked messages about with this phone (status page, clerk).
    Read before the appointments and consents are anonymised."""
    matches = (Appointment.phone == citizen.value) if citizen.by == "phone" else \
        (Appointment.nik_hash == citizen.digest)
    booked = select(Appointment.ticket_id).where(matches, Appointment.ticket_id.is_not(None))
    if citizen.by != "phone":
        return booked
    return booked.union(select(OnlineJoin.ticket_id).where(OnlineJoin.phone_hash == citizen.digest),
                        select(NotifyConsent.ticket_id).where(NotifyConsent.recipient_hash == citizen.digest,
                                                              NotifyConsent.ticket_id.is_not(None)))


def erase(db: Database, citizen: Citizen, *, now: datetime, username: str = audit.COMMAND_LINE) -> Anonymised:
    """A citizen's erasure request: anonymise every appointment booked with this phone
    (or NIK) and every ticket taken from home with this phone, whatever their age. An
    appointment still ahead keeps its seat and booking code (the citizen may still come,
    or cancel it with the manage link). Audited per office with the counts and a
    reference, never the number itself."""
    done = Anonymised()
    with db.write() as uow:
        # The survey comments about the tickets their appointments became (and, by phone,
        # the tickets they took from home), first: they are found by the phone or NIK; the scores stay.
        done.add(DataClass.SURVEY_COMMENT, _anonymise(
            uow, SurveyResponse, (SurveyResponse.ticket_id.in_(_citizen_tickets(citizen)),
                                  SurveyResponse.comment.is_not(None)), {"comment": None}, False))
        matches = (Appointment.phone == citizen.value) if citizen.by == "phone" else \
            (Appointment.nik_hash == citizen.digest)
        done.add(DataClass.APPOINTMENT, _anonymise(uow, Appointment, (matches,), _APPOINTMENT_ERASED, False))
        if citizen.by == "phone":
            done.add(DataClass.ONLINE_JOIN, _anonymise(uow, OnlineJoin, (OnlineJoin.phone_hash == citizen.digest,),
                                                       {"phone_hash": ERASED}, False))
            # Consents to messages given with this phone (their sealed number and hash).
            _anonymise(uow, NotifyConsent, (NotifyConsent.recipient_hash == citizen.digest,), _CONSENT_ERASED, False)
        _audit(uow, AuditAction.PRIVACY_ERASED, now, done, username=username, target=f"citizen:{citizen.reference}",
               extra={"by": citizen.by}, always=True)
    return done


def record_export(db: Database, citizen: Citizen, found: Mapping[int | None, Mapping[str, int]], *,
                  now: datetime, username: str = audit.COMMAND_LINE) -> None:
    """Put a citizen's export request on the audit log: per office, how many records of
    each class were given out (queries.privacy.citizen_records reads them)."""
    done = Anonymised({office_id: Counter(counts) for office_id, counts in found.items()})
    with db.write() as uow:
        _audit(uow, AuditAction.PRIVACY_EXPORTED, now, done, username=username,
               target=f"citizen:{citizen.reference}", extra={"by": citizen.by}, always=True)

