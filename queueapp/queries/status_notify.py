"""Read side of the status page's WhatsApp/SMS offer: which phone channels a waiting ticket
may be told on (the office's channels whose provider this deployment configured), which it
already is, and the last three digits of the number they go to (never the whole number)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..db import Database
from ..domain.notify import PHONE_CHANNELS
from ..domain.states import TicketStatus
from ..notifications import channels as providers
from ..notifications import outbox
from ..notifications.sealing import unseal
from ..repository import ticket_by_token

# The states in which the offer is made: the citizen still waits for their turn.
WAITING = (TicketStatus.WAITING, TicketStatus.TRANSFERRED)


def configured_channels(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """The phone channels whose provider the deployment configured (QUEUEAPP_WHATSAPP_*, SMS_URL)."""
    built = providers.build(settings)
    return tuple(c for c in PHONE_CHANNELS if c in built)


def masked(phone: str | None) -> str | None:
    """All but the last three digits hidden: "0812 3456 7890" -> "•••890"."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    return "•••" + digits[-3:] if len(digits) >= 3 else None


def offer_of(session, office_id: int, configured: tuple[str, ...]) -> list[str]:
    """The phone channels offered for the office's tickets, in the office's order."""
    return [c for c in outbox.channel_order(outbox.settings_of(session, office_id))
            if c in PHONE_CHANNELS and c in configured]


def phone_notify(db: Database, token: str, settings: Mapping[str, Any]) -> dict[str, Any] | None:
    """What the status page shows of the offer for the ticket of `token`: None when nothing
    is to be shown (not waiting, or no phone channel configured and none agreed to), else
    {"offered": [...], "active": [...], "phone": "•••890" | None}."""
    configured = configured_channels(settings)
    with db.read() as s:
        ticket = ticket_by_token(s, token)
        if ticket.status not in WAITING:
            return None
        active = [c for c in outbox.active_consents(s, outbox.citizen_of(ticket_id=ticket.id))
                  if c.channel in PHONE_CHANNELS] if ticket.notify else []
        offered = offer_of(s, ticket.office_id, configured)
        if not offered and not active:
            return None
        phone = unseal(active[0].recipient, settings["SECRET_KEY"]) if active else None
        return {"offered": offered, "active": [c.channel for c in active], "phone": masked(phone)}
