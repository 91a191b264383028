"""Consent and the outbox, written INSIDE the caller's transaction: recording a consent
and queueing a message are row inserts, never a network call, so a provider's outage
cannot slow or fail a ticket or a booking. Nothing is queued without a consent."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import errors
from ..domain.booking import clean_phone
from ..domain.notify import PHONE_CHANNELS, TEXT_VERSION, Kind, language_of
from ..models import DeliveryLog, NotifyConsent, NotifySettings, OutboxMessage
from .sealing import phone_hash, seal

# Channels the citizen's messages may go through when the office chose none.
DEFAULT_ORDER = ("whatsapp", "sms")


def citizen_of(*, ticket_id: int | None = None, appointment_id: int | None = None) -> str:
    """The key that orders one citizen's messages: "t<ticket id>" or "a<appointment id>"."""
    return f"t{ticket_id}" if ticket_id is not None else f"a{appointment_id}"


def settings_of(session: Session, office_id: int) -> NotifySettings:
    """The office's notification settings (defaults when it never saved any; not added)."""
    found = session.get(NotifySettings, office_id)
    return found or NotifySettings(office_id=office_id, channels=",".join(DEFAULT_ORDER), daily_cap=500,
                                   ahead_threshold=3, texts={})


def channel_order(settings: NotifySettings) -> list[str]:
    return [c.strip() for c in (settings.channels or "").split(",") if c.strip()]


def record_consent(session: Session, office_id: int, channels: list[str], phone: str | None, *, now: datetime,
                   secret_key: str, language: str | None = None, given_by: str = "citizen",
                   ticket_id: int | None = None, appointment_id: int | None = None,
                   recipient: str | None = None) -> list[NotifyConsent]:
    """The citizen's yes to each of `channels` (phone channels need the phone, others,
    such as web push, their `recipient`; a channel already agreed to is not recorded
    twice). Raises InvalidPhone (422) for a phone channel without a usable phone."""
    if not channels:
        return []
    if any(c in PHONE_CHANNELS for c in channels):
        if not phone:
            raise errors.InvalidPhone("a phone number is needed for WhatsApp or SMS messages")
        phone = clean_phone(phone)
    existing = {c.channel for c in active_consents(session, citizen_of(ticket_id=ticket_id,
                                                                       appointment_id=appointment_id))}
    made = []
    for channel in channels:
        if channel in existing:
            continue
        value = phone if channel in PHONE_CHANNELS else recipient
        if not value:
            raise errors.InvalidInput("this channel needs its recipient", field="notify")
        consent = NotifyConsent(office_id=office_id, ticket_id=ticket_id, appointment_id=appointment_id,
                                channel=channel, recipient=seal(value, secret_key),
                                recipient_hash=phone_hash(phone or value, secret_key),
                                language=language_of(language), text_version=TEXT_VERSION, given_by=given_by,
                                given_at=now)
        session.add(consent)
        made.append(consent)
    session.flush()
    return made


def active_consents(session: Session, citizen: str) -> list[NotifyConsent]:
    """The consents of a citizen key not withdrawn and whose recipient is not erased."""
    column = NotifyConsent.ticket_id if citizen.startswith("t") else NotifyConsent.appointment_id
    return list(session.execute(select(NotifyConsent).where(
        column == int(citizen[1:]), NotifyConsent.withdrawn_at.is_(None), NotifyConsent.recipient != "")
        .order_by(NotifyConsent.id)).scalars())


def enqueue(session: Session, office_id: int, citizen: str, kind: Kind | str, params: dict, key: str, *,
            now: datetime, consents: list[NotifyConsent] | None = None) -> OutboxMessage | None:
    """Queue one message for a citizen, in the caller's transaction. `key` names the
    occasion ("booked", "called:2", ...): with the citizen it is the idempotency key, so
    the same occasion is queued once. None when the citizen agreed to no channel (nothing
    is sent without consent) or it was queued already. `params` never hold a phone."""
    consents = active_consents(session, citizen) if consents is None else consents
    if not consents:
        return None
    idempotency_key = f"{citizen}:{key}"
    if session.execute(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == idempotency_key)).first():
        return None
    agreed = {c.channel: c for c in consents}
    order = [c for c in channel_order(settings_of(session, office_id)) if c in agreed] or list(agreed)
    first = agreed[order[0]]
    message = OutboxMessage(office_id=office_id, citizen=citizen, channel=first.channel, kind=Kind(kind).value,
                            language=first.language, params=params, idempotency_key=idempotency_key,
                            state="queued", attempts=0, next_attempt_at=now, paid=False, created_at=now)
    session.add(message)
    session.flush()
    session.add(DeliveryLog(message_id=message.id, office_id=office_id, at=now, state="queued",
                            channel=message.channel))
    return message
