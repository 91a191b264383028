"""Read side of kiosks and paper tickets: a kiosk's settings, and what a printed ticket
or a status page shows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from .. import repository
from ..db import Database
from ..domain import errors
from ..domain.hours import is_open, walk_in_hours
from ..domain.kiosk import check_kiosk_reprint
from ..domain.numbering import business_date, local_time
from ..domain.permissions import Actor
from ..models import Office, Ticket
from ..repository import KioskSettings
from . import boards
from .tickets import ticket_view


@dataclass(frozen=True)
class TicketPage:
    """A ticket with the office facts its page and its paper need."""

    ticket: dict
    office: dict
    issued_local: datetime
    issued_at: datetime


def kiosk_settings(db: Database, office_slug: str, name: str | None) -> KioskSettings:
    """A named kiosk's paper and printer; an unnamed kiosk prints 80 mm from its browser.
    Raises OfficeNotFound, KioskNotFound."""
    with db.read() as session:
        return repository.kiosk(session, repository.office_by_slug(session, office_slug), name)


def kiosk_board(db: Database, office_slug: str, now: datetime) -> tuple[dict, dict]:
    """A kiosk's start screen: the board, and whether (and when) the office issues tickets."""
    with db.read() as session:
        office = repository.office_by_slug(session, office_slug)
        local_day = local_time(now, office.timezone).date()
        calendar = repository.calendar_of(session, office, local_day)
        opens, closes = walk_in_hours(calendar, local_day) or (None, None)   # None: no walk-ins today
        hours = {"open": is_open(calendar, now), "opens": opens, "closes": closes,
                 "holiday": calendar.holidays.get(local_day)}
        return boards.board_snapshot(session, office, now), hours


def _page(session: Session, ticket: Ticket) -> TicketPage:
    office = session.get(Office, ticket.office_id)
    return TicketPage(ticket=ticket_view(session, ticket),
                      office={"slug": office.slug, "name": office.name, "timezone": office.timezone},
                      issued_local=local_time(ticket.issued_at, office.timezone),
                      issued_at=ticket.issued_at)


def ticket_page(db: Database, token: str, *, now: datetime) -> TicketPage:
    """The citizen's ticket by its token. A ticket of an earlier business day has
    expired: raises TicketNotFound for it as for an unknown token."""
    with db.read() as session:
        ticket = repository.ticket_by_token(session, token)
        office = session.get(Office, ticket.office_id)
        if ticket.business_date < business_date(now, office.timezone):
            raise errors.TicketNotFound()
        return _page(session, ticket)


def kiosk_print_job(db: Database, office_slug: str, token: str, kiosk: str | None, *,
                    now: datetime) -> tuple[TicketPage, KioskSettings]:
    """What a kiosk may print: a ticket of its own office, issued less than a minute ago.
    Raises TicketNotFound, KioskNotFound, ReprintWindowClosed."""
    with db.read() as session:
        office = repository.office_by_slug(session, office_slug)
        ticket = repository.ticket_by_token(session, token)
        if ticket.office_id != office.id:
            raise errors.TicketNotFound()
        check_kiosk_reprint(ticket.issued_at, now)
        return _page(session, ticket), repository.kiosk(session, office, kiosk)


def staff_print_job(db: Database, actor: Actor, ticket_id: int, kiosk: str | None) -> tuple[TicketPage, KioskSettings]:
    """Staff reprint any ticket of their office at any time, on a kiosk's printer or
    their own browser. Raises TicketNotFound, PermissionDenied, KioskNotFound."""
    with db.read() as session:
        ticket = repository.ticket_for(session, actor, ticket_id)
        office = session.get(Office, ticket.office_id)
        return _page(session, ticket), repository.kiosk(session, office, kiosk)
