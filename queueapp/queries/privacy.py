"""Read side of a citizen's access request (UU 27/2022): everything the system holds
under one phone number or NIK, as plain dicts, times in each office's zone."""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..db import Database
from ..domain import booking
from ..domain.retention import Citizen, DataClass
from ..models import Appointment, NotifyConsent, Office, OnlineJoin, SurveyResponse, Ticket


def _ticket(ticket: Ticket | None, tz: ZoneInfo) -> dict[str, Any] | None:
    if ticket is None:
        return None
    return {"code": ticket.code, "status": ticket.status.value, "channel": ticket.channel.value,
            "issued_at": ticket.issued_at.astimezone(tz).isoformat(),
            "finished_at": ticket.finished_at.astimezone(tz).isoformat() if ticket.finished_at else None}


def _appointment(a: Appointment, ticket: Ticket | None) -> dict[str, Any]:
    tz = ZoneInfo(a.office.timezone)
    return {"office": a.office.slug, "office_name": a.office.name, "service": a.service.prefix,
            "service_name": a.service.name_id, "code": booking.display_code(a.code), "status": a.status.value,
            "start": a.slot_start.astimezone(tz).isoformat(), "end": a.slot_end.astimezone(tz).isoformat(),
            "booked_at": a.created_at.astimezone(tz).isoformat(),
            "cancelled_at": a.cancelled_at.astimezone(tz).isoformat() if a.cancelled_at else None,
            "name": a.name, "phone": a.phone, "nik": a.nik_masked,
            "nik_note": "kept only masked and as a keyed hash" if a.nik_hash else None,
            "ticket": _ticket(ticket, tz)}


def _online_ticket(join: OnlineJoin, ticket: Ticket) -> dict[str, Any]:
    tz = ZoneInfo(ticket.service.office.timezone)
    return {"office": ticket.service.office.slug, "office_name": ticket.service.office.name,
            "service": ticket.service.prefix, "service_name": ticket.service.name_id,
            "business_date": join.business_date.isoformat(), "phone": "kept only as a keyed hash",
            "ticket": _ticket(ticket, tz)}


def _consent(consent: NotifyConsent, timezone: str) -> dict[str, Any]:
    """A consent to messages given with this phone (the number itself is kept encrypted)."""
    tz = ZoneInfo(timezone)
    return {"channel": consent.channel, "for": "ticket" if consent.ticket_id else "appointment",
            "given_by": consent.given_by, "given_at": consent.given_at.astimezone(tz).isoformat(),
            "text_version": consent.text_version, "language": consent.language,
            "withdrawn_at": consent.withdrawn_at.astimezone(tz).isoformat() if consent.withdrawn_at else None}


def _survey_comment(response: SurveyResponse, ticket: Ticket) -> dict[str, Any]:
    """The comment the citizen wrote in the satisfaction survey about one of their tickets
    (the scores are kept without any link to a person's name)."""
    tz = ZoneInfo(ticket.service.office.timezone)
    return {"office": ticket.service.office.slug, "ticket": ticket.code,
            "business_date": response.business_date.isoformat(),
            "answered_at": response.answered_at.astimezone(tz).isoformat(), "comment": response.comment}


def citizen_records(db: Database, citizen: Citizen) -> dict[str, Any]:
    """Every appointment booked with the citizen's phone (or NIK), with the ticket it became,
    and every ticket taken from home with that phone. `found` counts them per office id."""
    with db.read() as s:
        matches = (Appointment.phone == citizen.value) if citizen.by == "phone" else \
            (Appointment.nik_hash == citizen.digest)
        appointments = s.execute(select(Appointment).where(matches).order_by(Appointment.slot_start,
                                                                               Appointment.id)).scalars().all()
        tickets = {t.id: t for t in s.execute(select(Ticket).where(
            Ticket.id.in_([a.ticket_id for a in appointments if a.ticket_id]))).scalars()}
        joins = []
        if citizen.by == "phone":
            joins = s.execute(select(OnlineJoin, Ticket).join(Ticket, Ticket.id == OnlineJoin.ticket_id).where(
                OnlineJoin.phone_hash == citizen.digest).order_by(Ticket.issued_at, Ticket.id)).all()
        ticket_ids = set(tickets) | {ticket.id for _, ticket in joins}
        if citizen.by == "phone":   # tickets the citizen asked messages about with this phone
            ticket_ids |= set(s.execute(select(NotifyConsent.ticket_id).where(
                NotifyConsent.recipient_hash == citizen.digest, NotifyConsent.ticket_id.is_not(None))).scalars())
        comments = s.execute(select(SurveyResponse, Ticket).join(Ticket, Ticket.id == SurveyResponse.ticket_id).where(
            SurveyResponse.ticket_id.in_(ticket_ids), SurveyResponse.comment.is_not(None))
            .order_by(SurveyResponse.answered_at, SurveyResponse.id)).all() if ticket_ids else []
        found: dict[int | None, dict[str, int]] = {}
        for office_id, kind in [(a.office_id, DataClass.APPOINTMENT) for a in appointments] + \
                               [(join.office_id, DataClass.ONLINE_JOIN) for join, _ in joins] + \
                               [(response.office_id, DataClass.SURVEY_COMMENT) for response, _ in comments]:
            counts = found.setdefault(office_id, {})
            counts[kind.value] = counts.get(kind.value, 0) + 1
        consents = []
        if citizen.by == "phone":
            consents = [_consent(c, tz) for c, tz in s.execute(
                select(NotifyConsent, Office.timezone).join(Office, Office.id == NotifyConsent.office_id)
                .where(NotifyConsent.recipient_hash == citizen.digest).order_by(NotifyConsent.id)).all()]
        return {"by": citizen.by, citizen.by: citizen.value, "notify_consents": consents,
                "appointments": [_appointment(a, tickets.get(a.ticket_id)) for a in appointments],
                "online_tickets": [_online_ticket(join, ticket) for join, ticket in joins],
                "survey_comments": [_survey_comment(response, ticket) for response, ticket in comments],
                "found": found}
