"""Read side of "reach the citizen at my counter without a provider": the phone the
citizen gave (a booking's, or one a clerk or page recorded with consent for WhatsApp/SMS)
of the ticket standing at a counter, and the prefilled wa.me link a clerk opens. Only for
staff who may serve at that counter; the phone travels in no event and no public page."""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sqlalchemy import select

from .. import repository
from ..db import Database
from ..domain import errors
from ..domain.notify import PHONE_CHANNELS, Kind, e164, render, text_for
from ..domain.permissions import Actor
from ..domain.states import AT_COUNTER
from ..models import Appointment, NotifyConsent, Ticket
from ..notifications import outbox
from ..notifications.sealing import unseal


def whatsapp_url(phone: str, text: str) -> str:
    """wa.me/<62...>?text=...: WhatsApp opens a chat with that number, the text typed."""
    return f"https://wa.me/{e164(phone).lstrip('+')}?text={quote(text, safe='')}"


def _phone(session, ticket: Ticket, secret_key: str) -> tuple[str | None, str]:
    """The citizen's phone and message language: a booking's phone first, else a phone
    consent's (the newest)."""
    appointment = session.execute(select(Appointment).where(Appointment.ticket_id == ticket.id)).scalars().first()
    consents = [c for c in outbox.active_consents(session, outbox.citizen_of(ticket_id=ticket.id))
                if c.channel in PHONE_CHANNELS]
    language = consents[-1].language if consents else "id"
    if appointment is not None and appointment.phone:
        return appointment.phone, language
    for consent in reversed(consents):
        phone = unseal(consent.recipient, secret_key)
        if phone:
            return phone, language
    return None, language


def counter_contact(db: Database, actor: Actor, counter_id: int, *, secret_key: str) -> dict[str, Any]:
    """The ticket at the counter and, when its citizen gave a phone, the phone and a wa.me
    link with the office's "called" text in the citizen's language (Indonesian unless a
    consent said otherwise). {"ticket": None} when no one stands there.
    Raises CounterNotFound, PermissionDenied."""
    with db.read() as session:
        counter = repository.counter_for(session, actor, counter_id)
        ticket = session.execute(select(Ticket).where(Ticket.counter_id == counter.id,
                                                      Ticket.status.in_(list(AT_COUNTER)))).scalars().first()
        if ticket is None:
            return {"ticket": None, "phone": None, "whatsapp_url": None}
        phone, citizen_language = _phone(session, ticket, secret_key)
        view = {"ticket": {"id": ticket.id, "number": ticket.code, "status": ticket.status.value},
                "phone": None, "whatsapp_url": None}
        if phone is None:
            return view
        try:
            international = e164(phone)
        except errors.InvalidPhone:   # a number WhatsApp would not take
            return view
        settings = outbox.settings_of(session, ticket.office_id)
        text = render(text_for(Kind.CALLED, citizen_language, settings.texts),
                      {"number": ticket.code, "counter": str(counter.number)})
        return view | {"phone": international, "whatsapp_url": whatsapp_url(international, text)}
