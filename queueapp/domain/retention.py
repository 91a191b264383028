"""How long personal data is kept (UU 27/2022): one retention period per data class, and
which records have passed it at a given `now`. Past its period a record is anonymised,
never deleted: times, counts, service and status stay for the reports."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from .booking import clean_nik, clean_phone, keyed_digest, personal_data_key
from .errors import N_, InvalidInput


class DataClass(str, enum.Enum):
    """Each kind of personal data the system holds, named as docs/PRIVACY.md names it."""

    # An appointment's name, phone, NIK hash and masked NIK; counted from the slot's end.
    APPOINTMENT = "appointment"
    # A ticket taken from home: the phone's keyed hash (the per-phone daily limit);
    # counted from the ticket's issue.
    ONLINE_JOIN = "online_join"
    # The client address of an audit entry (staff log-ins); counted from the entry.
    AUDIT_ADDRESS = "audit_address"
    # The free-text comment of a satisfaction survey response (it may name anyone);
    # counted from the answer. The scores and the respondent profile stay (statistics).
    SURVEY_COMMENT = "survey_comment"


@dataclass(frozen=True)
class Retention:
    """Days each data class is kept after the moment it is counted from (see DataClass)."""

    appointment_days: int = 30
    online_join_days: int = 7
    audit_address_days: int = 180
    survey_comment_days: int = 365

    def days(self, kind: DataClass) -> int:
        return {DataClass.APPOINTMENT: self.appointment_days,
                DataClass.ONLINE_JOIN: self.online_join_days,
                DataClass.AUDIT_ADDRESS: self.audit_address_days,
                DataClass.SURVEY_COMMENT: self.survey_comment_days}[DataClass(kind)]

    def cutoff(self, kind: DataClass, now: datetime) -> datetime:
        """Records of `kind` counted from before this instant have passed their retention."""
        return now - timedelta(days=self.days(kind))

    def expired(self, kind: DataClass, since: datetime, now: datetime) -> bool:
        """Whether a record of `kind` counted from `since` is past its retention at `now`."""
        return since < self.cutoff(kind, now)


# What an anonymised appointment holds instead of the citizen's name and phone (the
# columns are NOT NULL; empty never matches a cleaned phone, so limits ignore it).
ERASED = ""


@dataclass(frozen=True)
class Citizen:
    """Whom a citizen's request (export, erasure) is about: a phone or a NIK, cleaned as the
    booking form cleans it, with the keyed hash under which the system stores it."""

    by: str                 # "phone" or "nik"
    value: str              # the cleaned number, never written to a log or the audit log
    digest: str             # keyed_digest(value): how online joins (phone) and appointments (NIK) keep it
    reference: str          # what the audit log names instead of the number

    @classmethod
    def of(cls, *, phone: str | None = None, nik: str | None = None, secret_key: str) -> Citizen:
        """Exactly one of phone / nik. Raises InvalidInput (neither or both), InvalidPhone, InvalidNik."""
        if (phone is None) == (nik is None):
            raise InvalidInput(N_("Give either a phone number or a NIK"))
        by, value = ("phone", clean_phone(phone)) if phone is not None else ("nik", clean_nik(nik))
        key = personal_data_key(secret_key)
        # A separate derivation: the reference never equals a hash stored beside the data.
        reference = keyed_digest(f"request:{by}:{value}", key)[:16]
        return cls(by=by, value=value, digest=keyed_digest(value, key), reference=reference)
