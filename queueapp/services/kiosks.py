"""Kiosk use cases: per-kiosk settings, and what a printed ticket or status page shows."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import Database
from ..domain import errors
from ..domain.kiosk import DEFAULT_PAPER, check_kiosk_reprint, check_paper
from ..domain.numbering import business_date, local_time
from ..models import Kiosk, Office, Ticket
from ..printing import BROWSER, PrinterSpec
from ..queries import ticket_view
from . import access
from .access import Actor


@dataclass(frozen=True)
class KioskSettings:
    name: str | None
    paper: int = DEFAULT_PAPER
    printer: PrinterSpec = PrinterSpec(BROWSER)


@dataclass(frozen=True)
class TicketPage:
    """A ticket with the office facts its page and its paper need."""

    ticket: dict
    office: dict
    issued_local: datetime
    issued_at: datetime


def _kiosk(session: Session, office: Office, name: str | None) -> KioskSettings:
    if not name:
        return KioskSettings(None)
    row = session.execute(select(Kiosk).where(Kiosk.office_id == office.id, Kiosk.name == name)).scalar_one_or_none()
    if row is None:
        raise errors.KioskNotFound(kiosk=name)
    return KioskSettings(row.name, row.paper, PrinterSpec.parse(row.printer))


def kiosk_settings(db: Database, office_slug: str, name: str | None) -> KioskSettings:
    """A named kiosk's paper and printer; an unnamed kiosk prints 80 mm from its browser.
    Raises OfficeNotFound, KioskNotFound."""
    with db.read() as session:
        return _kiosk(session, access.office_by_slug(session, office_slug), name)


def configure_kiosk(db: Database, office_slug: str, name: str, *, paper: int, printer: str) -> KioskSettings:
    """Create or change a kiosk of an office. Raises OfficeNotFound, InvalidInput."""
    name = (name or "").strip()
    if not name or len(name) > 64:
        raise errors.InvalidInput("kiosk name must have 1 to 64 characters")
    width = check_paper(paper)
    try:
        spec = PrinterSpec.parse(printer)
    except ValueError as exc:
        raise errors.InvalidInput(str(exc)) from None
    with db.write() as uow:
        office = access.office_by_slug(uow.session, office_slug)
        row = uow.session.execute(select(Kiosk).where(Kiosk.office_id == office.id,
                                                      Kiosk.name == name)).scalar_one_or_none()
        if row is None:
            row = Kiosk(office_id=office.id, name=name)
            uow.session.add(row)
        row.paper, row.printer = width, str(spec)
    return KioskSettings(name, width, spec)


def _page(session: Session, ticket: Ticket, now: datetime) -> TicketPage:
    office = session.get(Office, ticket.office_id)
    return TicketPage(ticket=ticket_view(session, ticket, now),
                      office={"slug": office.slug, "name": office.name, "timezone": office.timezone},
                      issued_local=local_time(ticket.issued_at, office.timezone),
                      issued_at=ticket.issued_at)


def ticket_page(db: Database, token: str, *, now: datetime) -> TicketPage:
    """The citizen's ticket by its token. A ticket of an earlier business day has
    expired: raises TicketNotFound for it as for an unknown token."""
    with db.read() as session:
        ticket = access.ticket_by_token(session, token)
        office = session.get(Office, ticket.office_id)
        if ticket.business_date < business_date(now, office.timezone):
            raise errors.TicketNotFound()
        return _page(session, ticket, now)


def kiosk_print_job(db: Database, office_slug: str, token: str, kiosk: str | None, *,
                    now: datetime) -> tuple[TicketPage, KioskSettings]:
    """What a kiosk may print: a ticket of its own office, issued less than a minute ago.
    Raises TicketNotFound, KioskNotFound, ReprintWindowClosed."""
    with db.read() as session:
        office = access.office_by_slug(session, office_slug)
        ticket = access.ticket_by_token(session, token)
        if ticket.office_id != office.id:
            raise errors.TicketNotFound()
        check_kiosk_reprint(ticket.issued_at, now)
        return _page(session, ticket, now), _kiosk(session, office, kiosk)


def staff_print_job(db: Database, actor: Actor, ticket_id: int, kiosk: str | None, *,
                    now: datetime) -> tuple[TicketPage, KioskSettings]:
    """Staff reprint any ticket of their office at any time, on a kiosk's printer or
    their own browser. Raises TicketNotFound, PermissionDenied, KioskNotFound."""
    with db.read() as session:
        ticket = access.ticket_for(session, actor, ticket_id)
        office = session.get(Office, ticket.office_id)
        return _page(session, ticket, now), _kiosk(session, office, kiosk)
