"""The citizen's yes to WhatsApp/SMS messages given on the status page of a waiting ticket
(docs/NOTIFICATIONS.md): the consent is recorded (given by the citizen, in the page's
language, the phone sealed) and the "joined" message (number and status link) is queued.
The ticket's token is the only key, as for leaving the queue."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from .. import repository
from ..db import Database
from ..domain import errors
from ..domain.booking import clean_phone
from ..domain.errors import N_
from ..domain.notify import PHONE_CHANNELS, parse_channels
from ..domain.states import TicketStatus
from ..notifications import outbox, triggers


def consent_on_status_page(db: Database, token: str, channels: Sequence[str] | None, phone: str | None, *,
                           configured: Sequence[str], now: datetime, secret_key: str,
                           language: str | None = None) -> list[str]:
    """Record the consent to each of `channels` for the ticket of `token` and queue its
    "joined" message. Returns the channels agreed to. Raises TicketNotFound,
    IllegalTransition (the ticket no longer waits), InvalidInput (no channel, or one the
    office does not offer), InvalidPhone."""
    chosen = parse_channels(list(channels or []), PHONE_CHANNELS)
    if not chosen:
        raise errors.InvalidInput(N_("Choose WhatsApp or SMS"), field="notify")
    number = clean_phone(phone)
    with db.write() as uow:
        s = uow.session
        ticket = repository.ticket_by_token(s, token)
        office = uow.lock_office(ticket.office_id)
        if ticket.status not in (TicketStatus.WAITING, TicketStatus.TRANSFERRED):
            raise errors.IllegalTransition(N_("This ticket no longer waits in the queue"))
        offered = [c for c in outbox.channel_order(outbox.settings_of(s, ticket.office_id)) if c in configured]
        if any(c not in offered for c in chosen):
            raise errors.InvalidInput(N_("This office does not send messages on this channel"), field="notify")
        triggers.ticket_consented(s, office, ticket, chosen, phone=number, language=language, now=now,
                                  secret_key=secret_key, given_by="citizen")
        return chosen
