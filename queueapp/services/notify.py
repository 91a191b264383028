"""Notification use cases of staff: record a citizen's consent at the counter (a citizen
without a smartphone), and an office's channels, cap, threshold and message texts."""
from __future__ import annotations

from datetime import datetime

from .. import repository
from ..db import Database
from ..domain import errors
from ..domain.audit import AuditAction
from ..domain.errors import N_
from ..domain.notify import PHONE_CHANNELS, Kind, check_text, parse_channels
from ..domain.permissions import Actor, Permission, require
from ..models import NotifySettings
from ..notifications import outbox, triggers
from .audit import configured


def clerk_consent(db: Database, actor: Actor, ticket_id: int, channel: str, phone: str, *, now: datetime,
                  secret_key: str, language: str | None = None) -> int:
    """The clerk records, for the citizen in front of them, their yes to messages on one
    channel about this ticket (the "joined" message is queued). Office-scoped like any
    ticket action. Returns the ticket id. Raises TicketNotFound, PermissionDenied,
    InvalidInput (unknown channel), InvalidPhone."""
    channels = parse_channels([channel], PHONE_CHANNELS)
    with db.write() as uow:
        ticket = repository.ticket_for(uow.session, actor, ticket_id, Permission.SERVE)
        office = uow.lock_office(ticket.office_id)
        triggers.ticket_consented(uow.session, office, ticket, channels, phone=phone, language=language, now=now,
                                  secret_key=secret_key, given_by="clerk")
        return ticket.id


def save_settings(db: Database, actor: Actor | None, office_slug: str, *, now: datetime, channels: list[str],
                  daily_cap: int, ahead_threshold: int, texts: dict[str, dict[str, str]]) -> None:
    """An office's notification settings. `texts`: kind -> language -> own text (empty:
    the default). Raises PermissionDenied (CONFIGURE), InvalidInput."""
    order = parse_channels(channels, PHONE_CHANNELS + ("webpush",))
    if not 0 <= daily_cap <= 1_000_000 or not 0 <= ahead_threshold <= 50:
        raise errors.InvalidInput(N_("The cap must be 0 or more and the threshold 0 to 50"), field="daily_cap")
    own = {}
    for kind, by_language in (texts or {}).items():
        if kind not in {k.value for k in Kind}:
            raise errors.InvalidInput(N_("%(field)s is not a known field"), field=str(kind))
        for language, text in (by_language or {}).items():
            if language in ("id", "en") and (text or "").strip():
                own.setdefault(kind, {})[language] = check_text(kind, text)
    with db.write() as uow:
        office = uow.lock_office_by_slug(office_slug)
        if actor is not None:
            require(actor, Permission.CONFIGURE, office.id)
        row = uow.session.get(NotifySettings, office.id)
        before = _summary(row or outbox.settings_of(uow.session, office.id))
        if row is None:
            row = NotifySettings(office_id=office.id)
            uow.session.add(row)
        row.channels, row.daily_cap, row.ahead_threshold, row.texts = ",".join(order), daily_cap, ahead_threshold, own
        uow.session.flush()
        configured(uow, office, actor, AuditAction.OFFICE_UPDATED, now, target="notifications",
                   before=before, after=_summary(row))


def _summary(row: NotifySettings) -> dict:
    return {"channels": row.channels, "daily_cap": row.daily_cap, "ahead_threshold": row.ahead_threshold,
            "texts": sorted(row.texts or {})}


def withdraw(db: Database, *, now: datetime, ticket_token: str | None = None,
             manage_token: str | None = None) -> int:
    """The citizen takes back every consent of a ticket (its status token) or a booking
    (its manage token): nothing more is sent, queued messages fail as "no consent".
    Returns how many consents were withdrawn. Raises TicketNotFound, AppointmentNotFound."""
    with db.write() as uow:
        s = uow.session
        if ticket_token is not None:
            citizen = outbox.citizen_of(ticket_id=repository.ticket_by_token(s, ticket_token).id)
        else:
            citizen = outbox.citizen_of(appointment_id=repository.appointment_by_token(s, manage_token).id)
        consents = outbox.active_consents(s, citizen)
        for consent in consents:
            consent.withdrawn_at = now
        return len(consents)
